/**
 * Deploying from a real VS Code (code-server with the packaged extension) imports the design's development
 * certificates into Key Vault first: `gatewright certs dev` has written certs/private/*.pfx and named the files in the
 * design; "Gatewright: Deploy to Azure" finds the vault missing, the confirmation says what will change in Key Vault
 * (created first, opened to this machine's address only while importing and restored, a temporary role), and once
 * confirmed the extension creates the vault by a vault-only deployment, gets through its closed network (Key Vault's
 * ForbiddenByConnection, then its firewall refusal naming this machine's address) and its RBAC refusal (a temporary
 * Key Vault Certificates Officer assignment), imports the PFX files, restores the vault and removes the assignment,
 * then deploys the template with the vault's real secret identifiers, and with apimExists false: deploy read API
 * Management first and the empty group has none. No private key reaches any log.
 *
 * Signed in as deploy.test.ts does: the stand-in `az` on the login shell's PATH, issuing a token with an `oid` (the
 * principal the role is given to). The vault is named as Resource Manager names it in rg-payments (its prefix
 * paymentskv- and uniqueString of the group's id); its data plane is https://<vault>.vault.localhost:<port>/, a name this
 * machine does not resolve, and the Key Vault SDK keeps that name (its challenge check wants the vault's host under
 * the token resource's host, vault.localhost). So VS Code's `http.proxy` points at a CONNECT proxy in this process
 * (test/helpers/connect-proxy.ts) that tunnels to the test server: VS Code's proxy support (@vscode/proxy-agent,
 * http.proxySupport "override" by default) patches Node's https module in the extension host, so the Azure SDK's
 * requests take the proxy without the extension knowing, and the extension host resolves nothing itself. Requests to
 * 127.0.0.1 (Resource Manager here) never take a proxy in VS Code, so the proxy sees the vault's host alone.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readCertificateFiles } from '../../src/workspace/certificate-files.js';
import { parseDesign } from '../../src/document/parse.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { generate } from '../../src/generators/generate.js';
import { analyze } from '../../src/validation/analyze.js';
import { uniqueString } from '../../src/model/unique-string.js';
import { nameIn, testJwt } from '../helpers/arm-server/fixture.js';
import { ArmServer } from '../helpers/arm-server/server.js';
import { poll } from '../helpers/chromium.js';
import {
  cli,
  clickDialogButton,
  dialogText,
  e2eSkipReason,
  notificationText,
  openInDesigner,
  outputChannel,
  pickQuickItem,
  runCommand,
  serverLogs,
} from '../helpers/code-server.js';
import { printDeployLogs, startDeployingCodeServer, type DeployingCodeServer } from '../helpers/deploying-code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.js';
import { REFERENCE } from '../helpers/reference.js';

const DESIGN = 'payments.gatewright.yaml';
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const GROUP = 'rg-payments';
const GROUP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}`;
/** The globally unique names as Resource Manager evaluates them in rg-payments: prefix + uniqueString(GROUP_ID). */
const VAULT = nameIn(parseDesign(REFERENCE).design!, 'kv', GROUP, SUBSCRIPTION);
const APIM = nameIn(parseDesign(REFERENCE).design!, 'apim', GROUP, SUBSCRIPTION);
const OID = '3e8a1f60-2b4d-4c7e-9f05-6d1a7c2b9e84';
const TOKEN = testJwt({ oid: OID, idtyp: 'user' });
/** Every parameter the design cannot know, saved beforehand (deploy.test.ts covers asking); the CA comes from its file. */
const SAVED = { sqlAdminGroupName: 'sql-admins', sqlAdminGroupObjectId: '6f1a4c52-7d1e-4f47-9a43-2c1f3b9e8d70' };
/** The certificates the reference design keeps in Key Vault, and the parameters that point at three of them. */
const IMPORTED = ['apim-client', 'apim-tls', 'gateway-tls', 'ingress-tls'];
const SECRET_PARAMETERS = { apimClientSecretUri: 'apim-client', apimTlsSecretUri: 'apim-tls', gatewayTlsSecretUri: 'gateway-tls' } as const;

// A clean run takes about 12 s on a busy 2-core machine; every wait below stays within three times that.
describe('deploying from VS Code imports the development certificates into Key Vault first', { skip: e2eSkipReason(), timeout: 300_000 }, () => {
  let arm: ArmServer;
  let proxy: ConnectProxy;
  const e2e = e2eSession({
    async start(defer) {
      arm = await ArmServer.start({ token: TOKEN });
      defer(() => arm.close());
      arm.addResourceGroup(SUBSCRIPTION, GROUP, 'westeurope');
      proxy = await startConnectProxy({ host: '127.0.0.1', port: Number(new URL(arm.url).port) });
      defer(() => proxy.close());
      // The vault's host resolves nowhere here: the extension host reaches it through this proxy (see above).
      return startDeployingCodeServer(arm, { token: TOKEN, subscription: SUBSCRIPTION, settings: { 'http.proxy': proxy.url } });
    },
    report: failureReport,
  });

  /** The "Gatewright Deployments" output as the extension host wrote it to its log file. */
  function deploymentsOutput(): string {
    return outputChannel(e2e.server, 'Gatewright Deployments');
  }

  /** Besides the screenshot: the extension's logs, the stand-in az's calls, and what the proxy and the test server saw. */
  function failureReport(server: DeployingCodeServer): void {
    printDeployLogs(server);
    console.error(`--- proxy CONNECTs: ${proxy.connects.join(', ') || '(none)'}`);
    console.error(`--- server problems\n${arm.problems.join('\n')}`);
    console.error(`--- requests\n${arm.requests.map((r) => `${r.status} ${r.method} ${r.host ?? ''}${r.path}`).join('\n')}`);
  }

  test('the confirmation names the Key Vault changes; the PFX files arrive, the vault is restored, the deployment gets the real secret URIs', async () => {
    const folder = e2e.server.workspace({ [DESIGN]: REFERENCE }, {}, 'payments');
    writeFileSync(join(folder, 'payments.gatewright.parameters.json'), serializeParametersFile(SAVED));
    // The development PKI, as a user makes it from a terminal: the PFX files in certs/private, and the design names
    // the public files (saved by the command; the internal CA's file makes the manifests apply).
    const designPath = join(folder, DESIGN);
    cli('certs', 'dev', designPath);
    const text = readFileSync(designPath, 'utf8');
    assert.notEqual(text, REFERENCE, 'certs dev named its files in the design');
    const privateDir = join(folder, 'certs', 'private');
    const pfx = new Map(readdirSync(privateDir).filter((f) => f.endsWith('.pfx')).map((f) => [f.replace(/\.pfx$/, ''), new Uint8Array(readFileSync(join(privateDir, f)))]));
    for (const id of IMPORTED) assert.ok(pfx.has(id), `certs dev wrote ${id}.pfx`);
    const keys = readdirSync(privateDir).filter((f) => f.endsWith('.key.pem')).map((f) => readFileSync(join(privateDir, f), 'utf8'));

    // What the server must receive: the generated template; the what-if with the generated parameters, the
    // deployment with the vault's real secret identifiers instead; the manifests; each PFX as it is on disk.
    const files = await readCertificateFiles(designPath, parseDesign(text).design!, folder);
    const analysis = analyze(text, { files });
    assert.equal(analysis.summary.errors, 0, analysis.findings.map((f) => f.message).join('\n'));
    const design = analysis.design!;
    // The manifests name the vault as it is in rg-payments (the <suffix> filled in).
    const prepared = prepareDeployment(design, generate(design, { caPems: caPemsOf(design, files) }).files, SAVED, GROUP_ID);
    assert.deepEqual(prepared.merged.missing, []);
    assert.equal(nameIn(design, 'kv', GROUP, SUBSCRIPTION), VAULT, 'certs dev left the vault\'s name as it was');
    assert.equal(VAULT, `paymentskv-${uniqueString(GROUP_ID)}`);
    // Deploy reads API Management before the what-if; the empty group has none: apimExists false, for both.
    const whatIfParameters = { ...prepared.input!.parameters, apimExists: { value: false } };
    const vaultUri = arm.keyVault.vaultUri(VAULT);
    const deployedParameters = structuredClone(whatIfParameters) as Record<string, { value: unknown }>;
    for (const [parameter, id] of Object.entries(SECRET_PARAMETERS)) deployedParameters[parameter] = { value: `${vaultUri}secrets/${id}` };
    const expected = {
      template: prepared.template,
      parameters: whatIfParameters,
      command: 'kubectl apply -k .',
      clusterFiles: new Map(prepared.clusters.map((c) => [c.clusterName, new Map(c.files.map((f) => [f.path, f.content]))])),
      pfx,
    };
    arm.expected = expected;

    await e2e.inWorkbench({ folder, failure: 'deploy-key-vault-failure' }, async (page) => {
      await openInDesigner(page, DESIGN);
      await runCommand(page, 'Gatewright: Deploy to Azure');
      await pickQuickItem(page, 'Contoso Test', 20_000);
      await pickQuickItem(page, GROUP, 20_000);

      // The confirmation says what happens in Key Vault before anything is deployed.
      const confirmation = await dialogText(page, /Deploy payments to subscription/, 20_000);
      assert.match(confirmation, /Before deploying: 4 development certificates imported into Key Vault\./);
      assert.match(confirmation, new RegExp(String.raw`Key Vault ${VAULT}: does not exist yet: it will be created first, alone, as the template declares it \(public network access Disabled\)`));
      assert.match(confirmation, new RegExp(String.raw`Key Vault ${VAULT}: 4 certificates imported \(apim-client, apim-tls, gateway-tls, ingress-tls\)`));
      assert.match(confirmation, new RegExp(String.raw`Key Vault ${VAULT}: public network access Disabled: if this machine cannot reach it, it is enabled for this machine's public address \(as Key Vault reports it\) only while importing, then restored`));
      assert.match(confirmation, /it gets Key Vault Certificates Officer on this vault while importing; the assignment is removed afterwards/);
      // Read-only so far: the vault was looked up, nothing created, opened, assigned or imported.
      assert.equal(arm.keyVault.vault(VAULT), undefined);
      // The name checks (POST checkNameAvailability, HEAD of a Cosmos DB account name) are read-only too.
      const readOnly = /\/whatIf$|\/checkNameAvailability$|\/databaseAccountNames\/[^/]+$|\/resourcegroups\/rg-payments$/i;
      assert.deepEqual(arm.requests.filter((r) => r.host || (r.method !== 'GET' && !readOnly.test(r.path))).map((r) => `${r.method} ${r.path}`), []);
      assert.deepEqual(proxy.connects, []);

      // From here on the main deployment must come with the real secret identifiers.
      arm.expected = { ...expected, parameters: deployedParameters };
      await clickDialogButton(page, 'Deploy');
      // The outcome, either way (a failure is said at once rather than waited out).
      assert.match(await notificationText(page, /deployed payments to rg-payments|failed/, 20_000), /deployed payments to rg-payments/);

      assert.deepEqual(arm.problems, [], 'the vault as generated, opened to the caller only, the least role, the PFX files on disk, everything restored before the deployment');
      // The order: the vault alone, the certificates, then the deployment.
      const order = arm.requests
        .filter((r) => (r.method === 'PUT' && /\/deployments\/[^/]+$/.test(r.path)) || (r.host && r.method === 'POST'))
        .map((r) => (r.host ? `import ${r.path.split('/')[2]}` : `deploy ${r.path.split('/').pop()!.replace(/-\d{8}-\d{6}$/, '')}`));
      assert.deepEqual(order, ['deploy payments-keyvault', ...IMPORTED.map((id) => `import ${id}`), 'deploy payments']);
      // Each certificate arrived as the PFX on disk.
      assert.deepEqual(arm.keyVault.imports.map((i) => i.name).sort(), IMPORTED);
      for (const i of arm.keyVault.imports) assert.ok(Buffer.from(pfx.get(i.name)!).equals(i.bytes), `${i.name}: the PFX imported is the one on disk`);
      // The vault's data plane was reached by its own name, through the proxy, over TLS checked against that name.
      const port = new URL(arm.url).port;
      assert.ok(proxy.connects.length > 0, 'the extension host went through the proxy');
      assert.deepEqual([...new Set(proxy.connects)], [`${VAULT}.vault.localhost:${port}`]);
      assert.ok(arm.requests.some((r) => r.host === `${VAULT}.vault.localhost` && r.status === 200));

      // Opened (public access enabled, firewall denying; then this machine's address only), then restored; the role
      // was given on the vault alone and removed.
      const vault = arm.keyVault.vault(VAULT)!;
      assert.deepEqual(arm.keyVault.unrestored(), []);
      assert.equal(arm.keyVault.network(vault).publicNetworkAccess, 'Disabled');
      const patches = arm.requestsTo('PATCH', new RegExp(`/vaults/${VAULT}$`, 'i')).map((r) => (r.body as { properties: { publicNetworkAccess: string; networkAcls?: { ipRules?: { value: string }[] } } }).properties);
      assert.deepEqual(
        patches.map((p) => `${p.publicNetworkAccess} ${(p.networkAcls?.ipRules ?? []).map((x) => x.value).join(',')}`.trim()),
        ['Enabled', `Enabled ${arm.keyVault.clientAddress}/32`, 'Disabled'],
      );
      assert.deepEqual(arm.keyVault.temporaryAssignments(), []);
      assert.equal(arm.requestsTo('PUT', /\/roleAssignments\//i).length, 1);
      assert.equal(arm.requestsTo('DELETE', /\/roleAssignments\//i).length, 1);

      // The deployment's parameters hold the vault's real secret identifiers (the what-if had the generated ones).
      const main = arm.requestsTo('PUT', /\/deployments\/payments-\d{8}-\d{6}$/)[0]!.body as { properties: { parameters: Record<string, { value: unknown }> } };
      for (const [parameter, id] of Object.entries(SECRET_PARAMETERS)) {
        assert.equal(main.properties.parameters[parameter]?.value, `https://${VAULT}.vault.localhost:${port}/secrets/${id}`, parameter);
      }
      const whatIf = arm.requestsTo('POST', /\/whatIf$/i)[0]!.body as { properties: { parameters: Record<string, { value: unknown }> } };
      // The what-if ran on the template's defaults for the secret identifiers (the computed vault's), with
      // apimExists false as the GET of API Management found it (404 in the empty group); the deployment too.
      assert.deepEqual(whatIf.properties.parameters, whatIfParameters);
      assert.equal('gatewayTlsSecretUri' in whatIf.properties.parameters, false);
      assert.equal(main.properties.parameters.apimExists?.value, false);
      assert.deepEqual(
        arm.requestsTo('GET', /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+$/i).map((r) => [r.path, r.status]),
        [[`${GROUP_ID}/providers/Microsoft.ApiManagement/service/${APIM}`, 404]],
      );

      // The "Gatewright Deployments" output names each step.
      const output = await poll(async () => {
        const now = deploymentsOutput();
        return /Deployment payments-\d{8}-\d{6} succeeded/.test(now) ? now : undefined;
      }, { timeout: 10_000, interval: 500, message: 'the Gatewright Deployments output written to its log' });
      const kv = `Key Vault ${VAULT}: `;
      for (const step of [
        new RegExp(String.raw`API Management ${APIM} \[apim\] does not exist yet: apimExists = false, its custom domain is added once its identity can read Key Vault\.`),
        /Certificates in Key Vault \(4 to import\)/,
        new RegExp(`${kv}it does not exist yet: creating it alone first, as the template declares it \\(deployment payments-keyvault-\\d{8}-\\d{6}, Incremental\\)`),
        new RegExp(`${kv}created \\(public network access Disabled\\)`),
        new RegExp(`${kv}public network access Disabled -> Enabled with the firewall denying by default and no new rule`),
        new RegExp(`${kv}public network access Disabled -> Enabled for 203\\.0\\.113\\.7/32 only, while importing`),
        new RegExp(`${kv}the signed-in principal ${OID} may not import certificates here: giving it Key Vault Certificates Officer on this vault only, while importing`),
        ...IMPORTED.flatMap((id) => [new RegExp(`${kv}importing certificate "${id}" \\(`), new RegExp(`${kv}imported "${id}"`)]),
        new RegExp(`${kv}network settings restored: public network access Disabled`),
        new RegExp(`${kv}removed the temporary role assignment \\(Key Vault Certificates Officer for principal ${OID}\\)`),
        ...Object.entries(SECRET_PARAMETERS).map(([parameter, id]) => new RegExp(`${parameter} = https://${VAULT}\\.vault\\.localhost:${port}/secrets/${id}`)),
        /Deployment payments-\d{8}-\d{6} succeeded/,
      ]) {
        assert.match(output, step);
      }

      // No private key, PFX content or access token in any log.
      const everything = [...serverLogs(e2e.server).values(), e2e.server.log(), existsSync(e2e.server.azLog) ? readFileSync(e2e.server.azLog, 'utf8') : ''].join('\n');
      assert.doesNotMatch(everything, /PRIVATE KEY/);
      for (const bytes of pfx.values()) {
        const b64 = Buffer.from(bytes).toString('base64');
        for (const at of [0, 200, 600]) assert.ok(!everything.includes(b64.slice(at, at + 48)), 'no PFX content in the logs');
      }
      for (const key of keys) for (const line of key.split('\n').slice(1, 4)) assert.ok(!everything.includes(line), 'no private key in the logs');
      assert.ok(!everything.includes(TOKEN.split('.')[2]!), 'no access token in the logs');
    });
  });
});
