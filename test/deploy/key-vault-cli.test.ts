/**
 * `gatewright deploy` with development certificates, in process (runCli) against the test Resource Manager and its Key
 * Vault: `certs dev` first, then --what-if prints the plan and changes nothing, the confirmation names the vault
 * changes, and a confirmed deploy imports the certificates (creating the vault first) before the main deployment,
 * whose parameters then hold the vault's real secret identifiers. No private key ever reaches the output.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { DeployIo } from '../../src/cli/deploy.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { ANSWERS, harness, nameIn, reference, SUBSCRIPTION, testJwt, type Harness } from '../helpers/arm-server/fixture.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { REFERENCE } from '../helpers/reference.js';

const OID = '0b9d4f6e-3a2c-4e8b-b1d7-5c6a9e2f8d13';
const FILE = 'payments.gatewright.yaml';
const SECRET_PARAMETERS = ['apimClientSecretUri', 'apimTlsSecretUri', 'gatewayTlsSecretUri'];
/**
 * The one clock of every command in this file: `certs dev` issues the certificates at this moment and `deploy`
 * validates them and names its deployments at the same moment, so no test here depends on the day it runs.
 */
const NOW = new Date('2026-11-28T10:00:00Z');
const HOUR_MS = 3_600_000;
const DESIGN = reference().design;
/** The design's vault and API Management in rg-payments: their prefixes and uniqueString(resourceGroup().id). */
const KV = nameIn(DESIGN, 'kv');
const APIM = nameIn(DESIGN, 'apim');

let h: Harness;
let dir: string;

beforeEach(async () => {
  h = await harness({ token: testJwt({ oid: OID, idtyp: 'user' }), keyVault: true });
  dir = mkdtempSync(join(tmpdir(), 'gatewright-deploy-kv-'));
  writeFileSync(join(dir, FILE), REFERENCE);
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile({ sqlAdminGroupName: ANSWERS.sqlAdminGroupName, sqlAdminGroupObjectId: ANSWERS.sqlAdminGroupObjectId }));
});
afterEach(async () => {
  await h.close();
});

/**
 * Interactive but not a TTY (plain progress lines), with Key Vault's propagation waits shortened; answers `answers`.
 * Its clock is NOW unless `extra` moves it (always from NOW, never to the real day).
 */
function terminal(answers: string[], extra: Partial<DeployIo> = {}): RecordingTerminal {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: false, pollIntervalMs: 5, propagation: { timeoutMs: 5000, initialDelayMs: 5, maxDelayMs: 20 } }, answers, { now: NOW, ...extra });
}

const deployArgs = (...more: string[]) => ['deploy', FILE, '--subscription', SUBSCRIPTION, '--resource-group', 'rg-payments', '--endpoint', h.server.url, ...more];

/** certs dev on the design; the PFX files it wrote, by certificate id, and every private file's text. */
async function devCertificates(): Promise<{ pfx: Map<string, Uint8Array>; secrets: string[] }> {
  const io = terminal([]);
  assert.equal(await runCli(['certs', 'dev', FILE], io), 0, io.stderr);
  const privateDir = join(dir, 'certs', 'private');
  const pfx = new Map<string, Uint8Array>();
  const secrets: string[] = [];
  for (const name of readdirSync(privateDir)) {
    const bytes = readFileSync(join(privateDir, name));
    if (name.endsWith('.pfx')) {
      pfx.set(name.replace(/\.pfx$/, ''), new Uint8Array(bytes));
      secrets.push(bytes.toString('base64').slice(200, 260));
    } else if (name.endsWith('.key.pem')) {
      secrets.push(bytes.toString('utf8').split('\n')[2]!);
    }
  }
  return { pfx, secrets };
}

function assertNoSecrets(text: string, secrets: readonly string[]): void {
  assert.doesNotMatch(text, /PRIVATE KEY/);
  for (const s of secrets) assert.ok(!text.includes(s), 'no private key or PFX content in the output');
  assert.ok(!text.includes(h.token), 'no access token in the output');
}

test('--what-if prints the certificate plan and the vault changes a deployment would make, and changes nothing', async () => {
  const { secrets } = await devCertificates();
  const io = terminal([]);
  assert.equal(await runCli(deployArgs('--what-if'), io), 0, io.stderr);
  assert.match(io.stdout, /^Certificates in Key Vault \(4 to import\):$/m);
  assert.match(io.stdout, new RegExp(String.raw`^ {2}import {4}certificate "gateway-tls" \(parameter gatewayTlsSecretUri\): its development PFX into Key Vault ${KV} as "gateway-tls"$`, 'm'));
  assert.match(io.stdout, new RegExp(String.raw`^Deploying would first change Key Vault:\n {2}Key Vault ${KV}: does not exist yet: it will be created first, alone, as the template declares it \(public network access Disabled\)$`, 'm'));
  assert.match(io.stdout, new RegExp(String.raw`^ {2}Key Vault ${KV}: public network access Disabled: if this machine cannot reach it, it is enabled for this machine's public address \(as Key Vault reports it\) only while importing, then restored$`, 'm'));
  assert.match(io.stdout, /Nothing deployed \(--what-if\)\./);
  // Read-only: the vault was read, nothing else reached Key Vault or changed anything (a what-if and a name check change nothing).
  const readOnly = /\/whatIf$|\/checkNameAvailability$|\/databaseAccountNames\/[^/]+$|\/resourcegroups\/rg-payments$/i;
  const changes = h.server.requests.filter((r) => r.host || (r.method !== 'GET' && !readOnly.test(r.path)));
  assert.deepEqual(changes.map((r) => `${r.method} ${r.path}`), []);
  assert.equal(h.server.requestsTo('GET', new RegExp(String.raw`\/vaults\/${KV}$`, 'i')).length, 1);
  assert.deepEqual(h.server.problems, []);
  assertNoSecrets(io.stdout + io.stderr, secrets);
});

test('the confirmation names the vault changes; declined, nothing is imported or changed', async () => {
  await devCertificates();
  const io = terminal(['n']);
  assert.equal(await runCli(deployArgs(), io), 1);
  assert.equal(io.questions.length, 1);
  assert.match(io.questions[0]!, new RegExp(String.raw`^Before deploying, Gatewright will change Key Vault:\n {2}Key Vault ${KV}: does not exist yet: it will be created first`));
  assert.match(io.questions[0]!, new RegExp(String.raw`Key Vault ${KV}: 4 certificates imported \(apim-client, apim-tls, gateway-tls, ingress-tls\), each unless its current version is the same\n`));
  assert.match(io.questions[0]!, /it gets Key Vault Certificates Officer on this vault while importing; the assignment is removed afterwards\n/);
  assert.match(io.questions[0]!, /Deploy to subscription "Contoso Test" \(00000000-1111-2222-3333-444444444444\), resource group rg-payments, after these Key Vault changes\? \[y\/N\] $/);
  assert.equal(h.server.requestsTo('PUT', /\/deployments\//).length, 0);
  assert.equal(h.server.requests.filter((r) => r.host || r.method === 'PATCH').length, 0);
});

test('deploy --yes imports the development certificates first (creating the vault), then deploys with the real secret identifiers', async () => {
  const { pfx, secrets } = await devCertificates();
  h.server.expected = { pfx };
  const io = terminal([]);
  const status = await runCli(deployArgs('--yes'), io);
  assert.deepEqual(h.server.problems, [], 'the vault as generated, the PFX files given, restored before the deployment');
  assert.equal(status, 0, io.stderr);
  assert.match(io.stdout, /Deployment payments-20261128-100000 succeeded/);
  assert.match(io.stdout, /^payments-aks: exit code 0\.$/m, 'the manifests applied (certs dev gave the ingress its client CA bundle)');

  // The order: the vault alone, the imports, then the main deployment.
  const order = h.server.requests.filter((r) => (r.method === 'PUT' && /\/deployments\/[^/]+$/.test(r.path)) || (r.host && r.method === 'POST')).map((r) => (r.host ? `import ${r.path.split('/')[2]}` : `deploy ${r.path.split('/').pop()}`));
  assert.deepEqual(order, [
    'deploy payments-keyvault-20261128-100000',
    'import apim-client',
    'import apim-tls',
    'import gateway-tls',
    'import ingress-tls',
    'deploy payments-20261128-100000',
  ]);
  const vaultUri = h.server.keyVault.vaultUri(KV);
  const main = h.server.requestsTo('PUT', /\/deployments\/payments-20261128-100000$/)[0]!.body as { properties: { parameters: Record<string, { value: unknown }> } };
  for (const name of SECRET_PARAMETERS) {
    const id = { apimClientSecretUri: 'apim-client', apimTlsSecretUri: 'apim-tls', gatewayTlsSecretUri: 'gateway-tls' }[name];
    assert.equal(main.properties.parameters[name]?.value, `${vaultUri}secrets/${id}`, `${name} holds the vault's real secret identifier`);
    assert.match(io.stdout, new RegExp(`^ {2}${name} = ${vaultUri.replace(/\./g, '\\.')}secrets/${id}$`, 'm'));
  }
  const whatIf = h.server.requestsTo('POST', /\/whatIf$/i)[0]!.body as { properties: { parameters: Record<string, { value: unknown }> } };
  assert.equal('gatewayTlsSecretUri' in whatIf.properties.parameters, false, 'the what-if ran on the generated default (the computed vault\'s secret identifier)');
  // The first deployment into a group without API Management: apimExists false, for the what-if and the deployment.
  assert.equal(whatIf.properties.parameters.apimExists?.value, false);
  assert.equal(main.properties.parameters.apimExists?.value, false);
  assert.deepEqual(h.server.keyVault.unrestored(), []);
  assert.deepEqual(h.server.keyVault.temporaryAssignments(), []);

  assert.match(io.stdout, /^Before deploying, Gatewright changes Key Vault:$/m);
  assert.match(io.stdout, new RegExp(String.raw`^ {2}Key Vault ${KV}: public network access Disabled -> Enabled for 203\.0\.113\.7\/32 only, while importing$`, 'm'));
  assert.match(io.stdout, new RegExp(String.raw`^ {2}Key Vault ${KV}: network settings restored: public network access Disabled$`, 'm'));
  assertNoSecrets(io.stdout + io.stderr, secrets);

  // Deployed again: the certificates are current, nothing is imported, the parameters are the same.
  const again = terminal([], { now: new Date(NOW.getTime() + HOUR_MS) });
  await runCli(deployArgs('--yes'), again);
  assert.deepEqual(h.server.problems, []);
  assert.equal(h.server.keyVault.imports.length, 4, 'no new import');
  assert.equal((again.stdout.match(/is already current/g) ?? []).length, 4);
  assert.doesNotMatch(again.stdout, /does not exist yet/);
  // API Management exists now: the redeployment declares it once, with its custom domain.
  assert.match(again.stdout, new RegExp(`^API Management ${APIM} \\[apim\\] exists: apimExists = true`, 'm'));
  const redeployed = h.server.requestsTo('PUT', /\/deployments\/payments-20261128-110000$/)[0]!.body as { properties: { parameters: Record<string, { value: unknown }> } };
  assert.equal(redeployed.properties.parameters.apimExists?.value, true);
});

test('--no-import-certificates deploys without touching Key Vault; bad options are usage errors', async () => {
  await devCertificates();
  const io = terminal([]);
  assert.equal(await runCli(deployArgs('--what-if', '--no-import-certificates'), io), 0, io.stderr);
  assert.match(io.stdout, /^Certificates: not imported into Key Vault \(--no-import-certificates\)\.$/m);
  assert.equal(h.server.requestsTo('GET', /\/vaults\//i).length, 0);

  const bad = terminal([]);
  assert.equal(await runCli(deployArgs('--what-if', '--client-ip', '203.0.113'), bad), 2);
  assert.match(bad.stderr, /--client-ip "203\.0\.113" is not an IP address/);
  const useless = terminal([]);
  assert.equal(await runCli(deployArgs('--what-if', '--no-import-certificates', '--private', 'keys'), useless), 2);
  assert.match(useless.stderr, /--private has no use with --no-import-certificates/);
});

test('without development certificates the plan says what is missing and how to get it', async () => {
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile(ANSWERS));
  const io = terminal([]);
  assert.equal(await runCli(deployArgs('--what-if'), io), 0, io.stderr);
  assert.match(io.stdout, /^Certificates in Key Vault \(4 missing\):$/m);
  assert.match(io.stdout, new RegExp(String.raw`missing {3}certificate "gateway-tls" \(parameter gatewayTlsSecretUri\): no development PFX for it; unless Key Vault ${KV} already holds "gateway-tls", the deployment fails: run gatewright certs dev payments\.gatewright\.yaml to make development certificates`));
  assert.equal(h.server.requestsTo('GET', /\/vaults\//i).length, 0, 'nothing to import: the vault is not even read');
});
