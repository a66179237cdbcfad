/**
 * Importing the development certificates into Key Vault through the real SDK clients (@azure/arm-keyvault,
 * @azure/arm-authorization, @azure/keyvault-certificates with its challenge authentication) against the test Resource
 * Manager and its Key Vault: a vault created first when missing, a closed vault opened to the address Key Vault names
 * and restored, a temporary role assignment retried through propagation and removed, a current certificate skipped,
 * and failures and cancellation that still restore everything (or say exactly what to restore by hand).
 */
import { afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDevCertificates } from '../../src/pki/dev.js';
import { DeployError } from '../../src/deploy/errors.js';
import { importCertificates, KeyVaultRestoreError, withCertificateParameters, type ImportCertificatesOptions } from '../../src/deploy/key-vault/import.js';
import { planCertificateImports, type CertificatePlan } from '../../src/deploy/key-vault/plan.js';
import { vaultOnlyDeployment } from '../../src/deploy/key-vault/vault-template.js';
import { readPfxCertificate } from '../../src/deploy/key-vault/pfx.js';
import { harness, nameIn, reference, RESOURCE_GROUP, RESOURCE_GROUP_ID, SUBSCRIPTION, testJwt, type Harness } from '../helpers/arm-server/fixture.js';
import { CERTIFICATES_OFFICER, KEY_VAULT_RESOURCE, sameNetwork } from '../helpers/arm-server/key-vault.js';

const REF = reference();
const input = REF.prepared.input!;
/** The design's vault in the test resource group: its prefix and uniqueString(resourceGroup().id). */
const KV = nameIn(REF.design, 'kv');
const OID = '7d3c1e52-4b0a-4f3e-9a61-2f0c8d9e1a44';
const VAULT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${KV}`;
const FAST = { timeoutMs: 5000, initialDelayMs: 5, maxDelayMs: 20 };
/** The one clock of this file: the development certificates are issued and the vault-only deployment named at it. */
const NOW = new Date('2026-11-28T09:41:07Z');

/** Development PFX files of every design certificate, by certificate id, and the keys (to look for in the output). */
let PFX: Map<string, Uint8Array>;
let KEYS: string[];
let PUBLIC: Map<string, string>;
let PLAN: CertificatePlan;

before(async () => {
  const made = await makeDevCertificates(REF.design, new Map(), { now: NOW, days: 30, force: false });
  assert.ok(made.ok);
  PFX = new Map(made.certificates.filter((c) => c.pfx && c.design).map((c) => [c.id, c.pfx!]));
  KEYS = made.certificates.flatMap((c) => (c.keyPem ? [c.keyPem] : []));
  PUBLIC = new Map(made.certificates.map((c) => [c.id, c.publicPem]));
  PLAN = planCertificateImports({
    design: REF.design,
    template: REF.prepared.template,
    parameters: input.parameters,
    pfx: new Set(PFX.keys()),
    manifests: REF.prepared.clusters.flatMap((c) => c.files),
    resourceGroupId: RESOURCE_GROUP_ID,
  });
});
const IMPORTED = ['apim-client', 'apim-tls', 'gateway-tls', 'ingress-tls'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(options: { vault?: 'closed' | 'missing' | 'open'; rbac?: 'granted' | 'missing' } = {}): Promise<Harness> {
  h = await harness({ token: testJwt({ oid: OID, tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', idtyp: 'user' }), keyVault: true });
  h.server.expected = { template: REF.prepared.template, parameters: input.parameters, pfx: new Map(IMPORTED.map((id) => [id, PFX.get(id)!])) };
  if ((options.vault ?? 'closed') !== 'missing') {
    const only = vaultOnlyDeployment(input, [KV], RESOURCE_GROUP_ID);
    h.server.seed(SUBSCRIPTION, RESOURCE_GROUP, only.template, only.parameters);
    if (options.vault === 'open') {
      const vault = h.server.keyVault.vault(KV)!;
      vault.body = { ...vault.body, properties: { ...(vault.body.properties as object), publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] } } };
    }
  }
  if (options.rbac === 'granted') h.server.keyVault.grant(`/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`, OID);
  return h;
}

function run(harnessed: Harness, extra: Partial<ImportCertificatesOptions> = {}) {
  const steps: string[] = [];
  const promise = importCertificates(harnessed.target, PLAN, {
    design: REF.design,
    input,
    pfx: PFX,
    onStep: (m) => steps.push(m),
    now: NOW,
    pollIntervalMs: 5,
    propagation: FAST,
    ...extra,
  });
  return { steps, promise };
}

/** No private key, PFX or token in any text: the steps and errors are shown to people and written to logs. */
function assertNoSecrets(texts: readonly string[]): void {
  const all = texts.join('\n');
  assert.doesNotMatch(all, /PRIVATE KEY/);
  for (const bytes of PFX.values()) assert.ok(!all.includes(Buffer.from(bytes).toString('base64').slice(0, 40)), 'no PFX content');
  for (const key of KEYS) assert.ok(!all.includes(key.split('\n')[1]!), 'no key content');
  assert.ok(!all.includes(h!.token), 'no access token');
}

test('a missing vault is created alone first, opened to the address Key Vault names, given a temporary role, filled, and restored', async () => {
  const { server } = await start({ vault: 'missing' });
  const { steps, promise } = run(h!);
  const result = await promise;
  assert.deepEqual(server.problems, [], 'the vault as generated, the caller\'s address only, the least role, the PFX files given, everything restored');

  // The vault-only deployment came first, in Incremental mode, with only the vault.
  const puts = server.requestsTo('PUT', /\/deployments\/[^/]+$/);
  assert.equal(puts.length, 1);
  assert.match(puts[0]!.path, /\/deployments\/payments-keyvault-20261128-094107$/);
  const body = puts[0]!.body as { properties: { mode: string; template: { resources: { type: string }[] } } };
  assert.equal(body.properties.mode, 'Incremental');
  assert.deepEqual(body.properties.template.resources.map((r) => r.type), ['Microsoft.KeyVault/vaults']);

  // Every certificate went in, each the PFX given; the parameters take the vault's real secret identifiers.
  assert.deepEqual(server.keyVault.imports.map((i) => i.name).sort(), IMPORTED);
  const vaultUri = server.keyVault.vaultUri(KV);
  assert.deepEqual(result.parameters, {
    apimClientSecretUri: `${vaultUri}secrets/apim-client`,
    apimTlsSecretUri: `${vaultUri}secrets/apim-tls`,
    gatewayTlsSecretUri: `${vaultUri}secrets/gateway-tls`,
  });
  assert.equal(result.certificates.find((c) => c.certificateId === 'ingress-tls')?.secretUri, `${vaultUri}secrets/ingress-tls`, 'the ingress certificate the manifests use');
  assert.ok(result.certificates.every((c) => c.outcome === 'imported'));
  assert.deepEqual(result.vaults, [{ name: KV, vaultUri, created: true, openedFor: '203.0.113.7/32', networkChanged: true, roleAssigned: true }]);
  const deployed = withCertificateParameters(input, result);
  assert.equal(deployed.parameters.gatewayTlsSecretUri?.value, `${vaultUri}secrets/gateway-tls`);
  assert.equal(deployed.parameters.sqlAdminGroupName?.value, input.parameters.sqlAdminGroupName?.value, 'other parameters as they were');

  // Back as the template declares it: public access disabled, firewall denying, no rule; no role left.
  const vault = server.keyVault.vault(KV)!;
  assert.ok(sameNetwork(server.keyVault.network(vault), { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] } }));
  assert.deepEqual(server.keyVault.temporaryAssignments(), []);
  const assignment = server.requestsTo('PUT', /\/roleAssignments\/[0-9a-f-]{36}$/i)[0]!;
  assert.match(assignment.path, new RegExp(`^${VAULT_ID}/providers/Microsoft\\.Authorization/roleAssignments/`, 'i'), 'on the vault alone');
  assert.equal((assignment.body as { properties: { principalId: string } }).properties.principalId, OID);
  assert.match((assignment.body as { properties: { roleDefinitionId: string } }).properties.roleDefinitionId, new RegExp(`${CERTIFICATES_OFFICER}$`));
  assert.equal(server.requestsTo('DELETE', /\/roleAssignments\//i).length, 1);

  // The data plane was reached through the challenge, with a token for the vault's resource.
  assert.ok(h!.credential.calls.some((scopes) => scopes.includes(`${KEY_VAULT_RESOURCE}/.default`)));
  assert.equal(server.requests.filter((r) => r.host && r.status === 401).length, 1, 'one challenge');

  // What was said, in order.
  const text = steps.join('\n');
  assert.match(steps[0]!, new RegExp(String.raw`^Key Vault ${KV}: it does not exist yet: creating it alone first, as the template declares it \(deployment payments-keyvault-20261128-094107, Incremental\)`));
  assert.match(text, new RegExp(String.raw`Key Vault ${KV}: public network access Disabled -> Enabled with the firewall denying by default and no new rule \(nobody new gets in\), to learn this machine's public address`));
  assert.match(text, new RegExp(String.raw`^Key Vault ${KV}: public network access Disabled -> Enabled for 203\.0\.113\.7\/32 only, while importing$`, 'm'));
  assert.match(text, new RegExp(`the signed-in principal ${OID} may not import certificates here: giving it Key Vault Certificates Officer on this vault only, while importing`));
  assert.match(text, new RegExp(String.raw`^Key Vault ${KV}: importing certificate "gateway-tls" \(O=Gatewright development, OU=payments, CN=[^)]*, valid until \d{4}-\d\d-\d\d, thumbprint [0-9A-F]{40}\)$`, 'm'));
  assert.match(text, new RegExp(String.raw`^Key Vault ${KV}: network settings restored: public network access Disabled$`, 'm'));
  assert.match(text, new RegExp(`^Key Vault ${KV}: removed the temporary role assignment \\(Key Vault Certificates Officer for principal ${OID}\\)$`, 'm'));
  assertNoSecrets(steps);
});

test('an existing vault closed by its firewall is opened for the probed address only and restored; a given client IP is used instead', async () => {
  const { server } = await start({ vault: 'closed', rbac: 'granted' });
  const vault = server.keyVault.vault(KV)!;
  vault.body = { ...vault.body, properties: { ...(vault.body.properties as object), publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '198.51.100.0/24' }], virtualNetworkRules: [] } } };
  const original = structuredClone(server.keyVault.network(vault));
  server.scenario = { steps: 3, keyVault: { network: 2 } };
  const { steps, promise } = run(h!);
  const result = await promise;
  assert.deepEqual(server.problems, []);
  assert.equal(result.vaults[0]?.created, false);
  assert.equal(result.vaults[0]?.roleAssigned, false, 'the caller had a role already');
  assert.equal(server.requestsTo('PUT', /\/roleAssignments\//i).length, 0);
  // One change to open (the existing rule kept), one to restore.
  const patches = server.requestsTo('PATCH', new RegExp(String.raw`\/vaults\/${KV}$`, 'i'));
  assert.equal(patches.length, 2);
  const opened = patches[0]!.body as { properties: { publicNetworkAccess: string; networkAcls: { defaultAction: string; ipRules: { value: string }[] } } };
  assert.equal(opened.properties.networkAcls.defaultAction, 'Deny');
  assert.deepEqual(opened.properties.networkAcls.ipRules.map((r) => r.value), ['198.51.100.0/24', '203.0.113.7/32']);
  assert.deepEqual(server.keyVault.network(vault), original, 'exactly the original settings');
  assert.match(steps.join('\n'), /public network access Enabled \(firewall denying by default\) -> Enabled for 203\.0\.113\.7\/32 \(besides the 1 rule it had\), while importing/);
  assert.match(steps.join('\n'), /waiting for the network change to take effect/, 'the change took two requests to reach the data plane');

  // With an explicit client IP (this machine's address as Key Vault sees it), that address is allowed at once.
  await h!.close();
  const second = await start({ vault: 'closed', rbac: 'granted' });
  second.server.keyVault.clientAddress = '192.0.2.44';
  const again = run(h!, { clientIp: '192.0.2.44' });
  await again.promise;
  assert.deepEqual(second.server.problems, []);
  const patch = second.server.requestsTo('PATCH', new RegExp(String.raw`\/vaults\/${KV}$`, 'i'))[0]!.body as { properties: { publicNetworkAccess: string; networkAcls: { ipRules: { value: string }[] } } };
  assert.equal(patch.properties.publicNetworkAccess, 'Enabled');
  assert.deepEqual(patch.properties.networkAcls.ipRules.map((r) => r.value), ['192.0.2.44/32']);
  assert.equal(second.server.requestsTo('PATCH', new RegExp(String.raw`\/vaults\/${KV}$`, 'i')).length, 2, 'opened once (no intermediate step), restored once');
  assert.match(again.steps.join('\n'), new RegExp(String.raw`^Key Vault ${KV}: public network access Disabled -> Enabled for 192\.0\.2\.44\/32 only, while importing$`, 'm'));
});

test('a vault open to this machine is left alone', async () => {
  const { server } = await start({ vault: 'open', rbac: 'granted' });
  const { steps, promise } = run(h!);
  const result = await promise;
  assert.deepEqual(server.problems, []);
  assert.equal(server.requestsTo('PATCH', /\/vaults\//i).length, 0);
  assert.equal(result.vaults[0]?.networkChanged, false);
  assert.doesNotMatch(steps.join('\n'), /network access|restor/);
});

test('a missing role is granted, the import retried while it propagates, and the assignment removed', async () => {
  const { server } = await start({ vault: 'open' });
  server.scenario = { steps: 3, keyVault: { rbac: 3 } };
  const { steps, promise } = run(h!);
  const result = await promise;
  assert.deepEqual(server.problems, []);
  assert.equal(result.vaults[0]?.roleAssigned, true);
  assert.ok(server.requests.filter((r) => r.host && r.status === 403).length >= 4, 'refused before, and while the assignment propagated');
  assert.match(steps.join('\n'), /waiting for the role assignment to take effect/);
  assert.deepEqual(server.keyVault.temporaryAssignments(), []);
  assert.equal(server.keyVault.imports.length, IMPORTED.length);
});

test('a certificate whose current version is the same is not imported again', async () => {
  const { server } = await start({ vault: 'open', rbac: 'granted' });
  const gateway = await readPfxCertificate(PFX.get('gateway-tls')!);
  const der = Buffer.from(PUBLIC.get('gateway-tls')!.split('-----END CERTIFICATE-----')[0]!.replace(/-----BEGIN CERTIFICATE-----|\s+/g, ''), 'base64');
  server.keyVault.seedCertificate(KV, 'gateway-tls', der);
  const { steps, promise } = run(h!);
  const result = await promise;
  assert.deepEqual(server.problems, []);
  assert.deepEqual(server.keyVault.imports.map((i) => i.name).sort(), ['apim-client', 'apim-tls', 'ingress-tls']);
  const skipped = result.certificates.find((c) => c.certificateId === 'gateway-tls')!;
  assert.equal(skipped.outcome, 'unchanged');
  assert.equal(skipped.thumbprint, gateway.thumbprint);
  assert.equal(result.parameters.gatewayTlsSecretUri, `${server.keyVault.vaultUri(KV)}secrets/gateway-tls`, 'still given to the deployment');
  assert.match(steps.join('\n'), new RegExp(`^Key Vault ${KV}: certificate "gateway-tls" is already current \\(thumbprint ${gateway.thumbprint}\\): not imported again$`, 'm'));
});

test('a failure in the middle of the import still restores the network settings and removes the role', async () => {
  const { server } = await start({ vault: 'closed' });
  server.fault({ method: 'POST', path: /^\/certificates\/apim-tls\/import$/, status: 400, body: { error: { code: 'BadParameter', message: 'Property policy has invalid value' } } });
  const { steps, promise } = run(h!);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DeployError && !(e instanceof KeyVaultRestoreError));
    assert.match(e.message, new RegExp(String.raw`Importing certificate "apim-tls" into Key Vault ${KV}: Key Vault answered 400 BadParameter: Property policy has invalid value \(its network settings were restored and the temporary role assignment was removed\)`));
    assertNoSecrets([e.message]);
    return true;
  });
  assert.deepEqual(server.problems, []);
  assert.deepEqual(server.keyVault.unrestored(), []);
  assert.deepEqual(server.keyVault.temporaryAssignments(), []);
  assert.match(steps.join('\n'), /network settings restored: public network access Disabled/);
  assertNoSecrets(steps);
});

test('canceling during the import stops it and still restores everything', async () => {
  const { server } = await start({ vault: 'closed' });
  const controller = new AbortController();
  const steps: string[] = [];
  const promise = importCertificates(h!.target, PLAN, {
    design: REF.design,
    input,
    pfx: PFX,
    signal: controller.signal,
    propagation: FAST,
    onStep: (m) => {
      steps.push(m);
      if (/importing certificate "apim-tls"/.test(m)) controller.abort();
    },
  });
  await assert.rejects(promise, (e: unknown) => e instanceof DeployError && e.kind === 'canceled' && /canceled/.test(e.message) && /network settings were restored/.test(e.message));
  assert.deepEqual(server.problems, []);
  assert.deepEqual(server.keyVault.unrestored(), []);
  assert.deepEqual(server.keyVault.temporaryAssignments(), []);
  assert.ok(server.keyVault.imports.length < IMPORTED.length, 'stopped before the end');
  assert.match(steps.at(-1)!, /removed the temporary role assignment/);
});

test('when restoring fails, the error says exactly what to restore by hand', async () => {
  const { server } = await start({ vault: 'closed', rbac: 'granted' });
  // The first two PATCHes open the vault; the third, restoring, fails.
  server.fault({ method: 'PATCH', path: new RegExp(String.raw`\/vaults\/${KV}$`, 'i'), after: 2, status: 409, body: { error: { code: 'ConflictError', message: `A conflicting operation is in progress on vault ${KV}.` } } });
  const { promise } = run(h!);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof KeyVaultRestoreError);
    assert.match(e.message, new RegExp(String.raw`restoring the network settings of Key Vault ${KV} failed \(Changing the network settings of Key Vault ${KV}: Resource Manager answered 409 ConflictError: A conflicting operation is in progress on vault ${KV}\.\); it is still open to 203\.0\.113\.7\/32\. Put it back to public network access Disabled`));
    assert.deepEqual(e.manualSteps, [
      `az keyvault update --resource-group ${RESOURCE_GROUP} --name ${KV} --public-network-access Disabled --default-action Deny --bypass AzureServices`,
      `az keyvault network-rule remove --resource-group ${RESOURCE_GROUP} --name ${KV} --ip-address 203.0.113.7/32`,
    ]);
    assert.match(e.message, /Restore by hand:\n {2}az keyvault update /);
    return true;
  });
  assert.equal(server.keyVault.imports.length, IMPORTED.length, 'the import itself went through');
  assert.equal(server.keyVault.unrestored().length, 1, 'the vault is indeed still open');
});

test('a vault using access policies that do not allow the import is not changed further; the error says which permissions to give', async () => {
  const { server } = await start({ vault: 'closed' });
  const vault = server.keyVault.vault(KV)!;
  vault.body = { ...vault.body, properties: { ...(vault.body.properties as object), enableRbacAuthorization: false, accessPolicies: [] } };
  const { promise } = run(h!);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof DeployError);
    assert.match(e.message, new RegExp(String.raw`Key Vault ${KV} uses access policies, which do not let this account import certificates \(.*\); give it the certificate permissions get and import \(az keyvault set-policy --name ${KV} --certificate-permissions get import --object-id <your object id>\) \(its network settings were restored\)`));
    return true;
  });
  assert.deepEqual(server.problems, []);
  assert.equal(server.requestsTo('PUT', /\/roleAssignments\//i).length, 0, 'no role is given on a vault that does not use Azure RBAC');
  assert.deepEqual(server.keyVault.unrestored(), []);
});

test('a PFX that cannot be imported stops everything before Azure is called', async () => {
  const { server } = await start({ vault: 'closed' });
  const broken = new Map(PFX);
  broken.set('apim-tls', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03]));
  const { promise } = run(h!, { pfx: broken });
  await assert.rejects(promise, /The development PFX of certificate "apim-tls" cannot be imported: /);
  assert.equal(server.requests.length, 0);
});
