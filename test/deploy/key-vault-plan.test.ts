/**
 * The certificate plan (which certificates go into Key Vault before deploying, and why) and the vault-only template
 * that creates a missing vault first: pure functions, on the reference design's generated template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCertificatePlan, isDesignVaultSecret, planCertificateImports, type CertificatePlanInput } from '../../src/deploy/key-vault/plan.js';
import { vaultOnlyDeployment } from '../../src/deploy/key-vault/vault-template.js';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { generate } from '../../src/generators/generate.js';
import { parseDesign } from '../../src/document/parse.js';
import { ANSWERS, nameIn, reference, RESOURCE_GROUP_ID } from '../helpers/arm-server/fixture.js';
import { deleteAt, mutateReference } from '../helpers/reference.js';

const REF = reference();
const input = REF.prepared.input!;
const manifests = REF.prepared.clusters.flatMap((c) => c.files);
const ALL = new Set(['internal-ca', 'gateway-tls', 'apim-tls', 'ingress-tls', 'apim-client']);
/** The design's vault in the test resource group: paymentskv- followed by uniqueString(resourceGroup().id). */
const KV = nameIn(REF.design, 'kv');

function plan(overrides: Partial<CertificatePlanInput> = {}) {
  return planCertificateImports({ design: REF.design, template: REF.prepared.template, parameters: input.parameters, pfx: ALL, manifests, resourceGroupId: RESOURCE_GROUP_ID, ...overrides });
}

function withParameter(name: string, value: string) {
  return { ...input.parameters, [name]: { value } };
}

test('the vault is named as Resource Manager will name it in the resource group', () => {
  assert.match(KV, /^paymentskv-[a-z0-9]{13}$/);
  assert.notEqual(KV, nameIn(REF.design, 'kv', 'rg-other'), 'another resource group, another name');
});

test('with every development PFX, each certificate the template or the manifests take from Key Vault is imported into the design\'s vault', () => {
  const p = plan();
  assert.deepEqual(
    p.certificates.map((c) => [c.certificateId, c.parameter ?? null, c.secretName, c.vaultName, c.action]),
    [
      ['apim-client', 'apimClientSecretUri', 'apim-client', KV, 'import'],
      ['apim-tls', 'apimTlsSecretUri', 'apim-tls', KV, 'import'],
      ['gateway-tls', 'gatewayTlsSecretUri', 'gateway-tls', KV, 'import'],
      ['ingress-tls', null, 'ingress-tls', KV, 'import'],
    ],
    'the CA is not imported: nothing takes it from Key Vault, and its key stays where it was made',
  );
  assert.deepEqual(p.vaults, [{ nodeId: 'kv', name: KV, certificateIds: ['apim-client', 'apim-tls', 'gateway-tls', 'ingress-tls'] }]);
  assert.equal(p.lines[0], 'Certificates in Key Vault (4 to import):');
  assert.equal(p.lines[3], `  import    certificate "gateway-tls" (parameter gatewayTlsSecretUri): its development PFX into Key Vault ${KV} as "gateway-tls"`);
  assert.equal(p.lines[4], `  import    certificate "ingress-tls" (the AKS ingress manifests): its development PFX into Key Vault ${KV} as "ingress-tls"`);
  assert.equal(formatCertificatePlan(p), p.lines.map((l) => `${l}\n`).join(''));
});

test('the manifests as generated (the vault host paymentskv-<suffix>, as VS Code prepares them) name the same vault: ingress-tls is imported too', () => {
  const asGenerated = prepareDeployment(REF.design, REF.generated.files, ANSWERS).clusters.flatMap((c) => c.files);
  assert.ok(asGenerated.some((f) => f.content.includes('https://paymentskv-<suffix>.')), 'the generated manifests show the vault as <prefix><suffix>');
  const p = plan({ manifests: asGenerated });
  assert.deepEqual(p.vaults, [{ nodeId: 'kv', name: KV, certificateIds: ['apim-client', 'apim-tls', 'gateway-tls', 'ingress-tls'] }]);
  assert.equal(p.lines[4], `  import    certificate "ingress-tls" (the AKS ingress manifests): its development PFX into Key Vault ${KV} as "ingress-tls"`);
});

test('without a PFX a certificate is missing, and the line says what to do', () => {
  const p = plan({ pfx: new Set(['apim-tls']), devCommand: 'gatewright certs dev payments.gatewright.yaml' });
  assert.deepEqual(p.certificates.map((c) => c.action), ['missing', 'import', 'missing', 'missing']);
  assert.equal(p.lines[0], 'Certificates in Key Vault (1 to import, 3 missing):');
  const gateway = p.certificates.find((c) => c.certificateId === 'gateway-tls')!;
  assert.equal(
    gateway.line,
    `missing   certificate "gateway-tls" (parameter gatewayTlsSecretUri): no development PFX for it; unless Key Vault ${KV} already holds "gateway-tls", the deployment fails: run gatewright certs dev payments.gatewright.yaml to make development certificates (then deploy again), import it yourself (az keyvault certificate import --vault-name ${KV} --name gateway-tls --file <file>.pfx), or set gatewayTlsSecretUri to the secret identifier of a certificate that is already in a vault`,
  );
  assert.deepEqual(p.vaults.map((v) => v.certificateIds), [['apim-tls']]);
  assert.deepEqual(plan({ pfx: new Set() }).vaults, [], 'nothing to import: no vault is touched');
});

test('a parameter pointing at another secret is used as it is; one pointing at the design\'s vault in any cloud still imports', () => {
  const elsewhere = plan({ parameters: withParameter('gatewayTlsSecretUri', 'https://shared-certs.vault.azure.net/secrets/api-contoso-com') });
  const gateway = elsewhere.certificates.find((c) => c.certificateId === 'gateway-tls')!;
  assert.equal(gateway.action, 'existing');
  assert.equal(gateway.line, 'existing  certificate "gateway-tls" (parameter gatewayTlsSecretUri): uses https://shared-certs.vault.azure.net/secrets/api-contoso-com as it is; nothing imported');
  assert.ok(!elsewhere.vaults[0]!.certificateIds.includes('gateway-tls'));

  const versioned = plan({ parameters: withParameter('gatewayTlsSecretUri', `https://${KV}.vault.azure.net/secrets/gateway-tls/0123456789abcdef0123456789abcdef`) });
  assert.equal(versioned.certificates.find((c) => c.certificateId === 'gateway-tls')!.action, 'existing', 'a pinned version is a choice: kept');

  const sovereign = plan({ parameters: withParameter('gatewayTlsSecretUri', `https://${KV}.vault.usgovcloudapi.net/secrets/gateway-tls`) });
  assert.equal(sovereign.certificates.find((c) => c.certificateId === 'gateway-tls')!.action, 'import');
  // The vault of the same design in another resource group is another vault: used as it is.
  const otherGroup = plan({ parameters: withParameter('gatewayTlsSecretUri', `https://${nameIn(REF.design, 'kv', 'rg-other')}.vault.azure.net/secrets/gateway-tls`) });
  assert.equal(otherGroup.certificates.find((c) => c.certificateId === 'gateway-tls')!.action, 'existing');

  const unset = plan({ parameters: Object.fromEntries(Object.entries(input.parameters).filter(([k]) => k !== 'gatewayTlsSecretUri')) });
  assert.equal(unset.certificates.find((c) => c.certificateId === 'gateway-tls')!.action, 'import');

  assert.ok(isDesignVaultSecret('https://PAYMENTS-KV.vault.azure.net/secrets/gateway-tls/', 'payments-kv', 'gateway-tls'));
  assert.ok(!isDesignVaultSecret('http://payments-kv.vault.azure.net/secrets/gateway-tls', 'payments-kv', 'gateway-tls'));
  assert.ok(!isDesignVaultSecret('https://payments-kv.vault.azure.net/secrets/apim-tls', 'payments-kv', 'gateway-tls'));
  assert.ok(!isDesignVaultSecret('not a url', 'payments-kv', 'gateway-tls'));
});

test('a certificate whose vault the design does not name cannot be imported, and the plan says so', () => {
  const text = mutateReference((doc) => deleteAt(doc, ['certificates', 'apim-client', 'keyVault']));
  const design = parseDesign(text).design!;
  const generated = generate(design);
  const prepared = prepareDeployment(design, generated.files, { ...ANSWERS, apimClientSecretUri: '' });
  const p = planCertificateImports({ design, template: prepared.template, parameters: prepared.merged.parameters, pfx: ALL });
  const client = p.certificates.find((c) => c.certificateId === 'apim-client')!;
  assert.equal(client.action, 'missing');
  assert.equal(client.vaultName, undefined);
  assert.match(client.line, /its development PFX was found but the design names no vault for it; unless a Key Vault already holds "apim-client", the deployment fails: name its vault in the design \(certificates\[\]\.keyVault\)/);
});

test('the vault-only deployment holds the vault as the template declares it, without dependsOn, with only the parameters it uses', () => {
  const only = vaultOnlyDeployment(input, [KV.toUpperCase()], RESOURCE_GROUP_ID);
  const resources = only.template.resources as Record<string, unknown>[];
  assert.equal(resources.length, 1);
  const declared = (REF.prepared.template.resources as Record<string, unknown>[]).find((r) => r.type === 'Microsoft.KeyVault/vaults')!;
  const { dependsOn: _d, ...expected } = declared;
  assert.deepEqual(resources[0], expected);
  assert.deepEqual(Object.keys(only.template.parameters as object), ['location']);
  assert.deepEqual(only.parameters, 'location' in input.parameters ? { location: input.parameters.location } : {});
  assert.equal(only.template.variables, undefined);
  assert.throws(() => vaultOnlyDeployment(input, ['other-kv']), /the template declares no Microsoft\.KeyVault\/vaults resource named "other-kv"/);
});

test('the vault-only template follows variables and parameter defaults to what they reference', () => {
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      prefix: { type: 'string' },
      region: { type: 'string', defaultValue: "[parameters('fallbackRegion')]" },
      fallbackRegion: { type: 'string', defaultValue: 'westeurope' },
      unrelated: { type: 'string' },
    },
    variables: { vaultSku: "[variables('skuName')]", skuName: 'standard', other: 'x' },
    resources: [
      { type: 'Microsoft.Network/virtualNetworks', name: 'vnet', apiVersion: '2024-05-01', properties: {} },
      { type: 'Microsoft.KeyVault/vaults', name: 'kv1', apiVersion: '2024-11-01', location: "[parameters('region')]", dependsOn: ['vnet'], properties: { sku: { family: 'A', name: "[variables('vaultSku')]" }, tenantId: '[tenant().tenantId]' } },
    ],
  };
  const only = vaultOnlyDeployment({ template, parameters: { prefix: { value: 'p' }, region: { value: 'northeurope' }, unrelated: { value: 'u' } } }, ['kv1']);
  assert.deepEqual(Object.keys(only.template.parameters as object).sort(), ['fallbackRegion', 'region']);
  assert.deepEqual(only.template.variables, { vaultSku: "[variables('skuName')]", skuName: 'standard' });
  assert.deepEqual(only.parameters, { region: { value: 'northeurope' } });
  assert.equal((only.template.resources as Record<string, unknown>[])[0]!.dependsOn, undefined);
});
