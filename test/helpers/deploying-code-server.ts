/**
 * code-server set up to deploy to the test Resource Manager (./arm-server) as a user would be: the setting
 * gatewright.deploy.signIn is `azureCli`, so @azure/identity's AzureCliCredential runs a stand-in `az`
 * (./stand-in-az.ts) that issues the server's token. Two things VS Code does that a test must meet:
 * - the extension host gets the environment of the user's LOGIN SHELL, so the stand-in's folder goes on the PATH in
 *   ~/.profile (a PATH set only in code-server's own environment never reaches it);
 * - with `http.systemCertificates` on, VS Code hands extensions' HTTPS requests the system's CA store, which a test
 *   cannot add its CA to; off, Node's own store applies, extended by NODE_EXTRA_CA_CERTS with the server's CA.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AKS_SERVER_APP, type ArmServer } from './arm-server/server.js';
import { serverLogs, startCodeServer, type CodeServer } from './code-server.js';
import { standInAz } from './stand-in-az.js';

export interface DeployingCodeServer extends CodeServer {
  /** The stand-in az's log: one line of arguments per call. */
  readonly azLog: string;
}

/**
 * Starts code-server signed in to `arm` through the stand-in az, written with the server's CA into a scratch folder
 * of its own (removed by stop()); `settings` add to the user settings.
 */
export async function startDeployingCodeServer(
  arm: ArmServer,
  options: { token: string; subscription: string; settings?: Record<string, unknown> },
): Promise<DeployingCodeServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'gatewright-e2e-deploy-'));
  try {
    // The run command on the generated cluster (managed Entra ID) carries a token for the AKS server application.
    const { bin, log } = standInAz(scratch, { token: options.token, subscription: options.subscription, tenant: arm.tenantId, resources: { [AKS_SERVER_APP]: arm.clusterToken } });
    const caFile = join(scratch, 'test-arm-ca.pem');
    writeFileSync(caFile, arm.caPem);
    const server = await startCodeServer({
      settings: {
        'gatewright.deploy.signIn': 'azureCli',
        'gatewright.deploy.resourceManagerEndpoint': arm.url,
        'http.systemCertificates': false,
        ...options.settings,
      },
      // The default chain behind the Azure CLI credential gets the Azure CLI only: no managed-identity probe leaves the machine.
      env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, NODE_EXTRA_CA_CERTS: caFile, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' },
      profile: `export PATH='${bin}':"$PATH"\n`,
    });
    return {
      ...server,
      azLog: log,
      async stop() {
        try {
          await server.stop();
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** For a failed deploy test's report: the extension's own logs (its output channels) and the stand-in az's calls, on stderr. */
export function printDeployLogs(server: DeployingCodeServer): void {
  for (const [f, text] of serverLogs(server)) if (/Gatewright.*\.log$/.test(f)) console.error(`--- ${f}\n${text.slice(-8000)}`);
  console.error(`--- az calls\n${existsSync(server.azLog) ? readFileSync(server.azLog, 'utf8') : '(none)'}`);
}
