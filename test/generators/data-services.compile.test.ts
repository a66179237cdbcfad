/**
 * The resources of the identity, data service, AKS, private link and role builders, checked offline: the Bicep
 * compiles with the real compiler with no error and no linter warning, and every one of these resources, in our
 * ARM JSON and in the compiler's, validates against its saved ARM schema and its Bicep type definitions (no
 * unknown or read-only property). On the reference design and on designs that exercise the variations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { buildAzureDeployment } from '../../src/generators/azure/index.js';
import { renderArm } from '../../src/generators/ir/arm.js';
import { renderBicepFiles } from '../../src/generators/ir/bicep.js';
import { Call, ExprNode, FileText, Interp, type Expr, type ExprObject } from '../../src/generators/ir/expr.js';
import type { Template } from '../../src/generators/ir/template.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { compileBicepFiles, formatDiagnostics, type ArmTemplateJson } from '../helpers/bicep.js';
import { ArmSchemaValidator, formatIssues } from '../helpers/arm-schema.js';
import { BicepTypes } from '../helpers/bicep-types.js';
import { designOf, smallDesign } from './data-services.fixtures.js';

/** The resource types these builders make (lower case). */
const OURS = new Set(
  [
    'Microsoft.ManagedIdentity/userAssignedIdentities',
    'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    'Microsoft.KeyVault/vaults',
    'Microsoft.ContainerRegistry/registries',
    'Microsoft.Sql/servers',
    'Microsoft.Sql/servers/databases',
    'Microsoft.Sql/servers/auditingSettings',
    'Microsoft.DocumentDB/databaseAccounts',
    'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
    'Microsoft.ContainerService/managedClusters',
    'Microsoft.Network/privateEndpoints',
    'Microsoft.Network/privateEndpoints/privateDnsZoneGroups',
    'Microsoft.Network/privateDnsZones',
    'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
    'Microsoft.Authorization/roleAssignments',
  ].map((t) => t.toLowerCase()),
);

let armSchemas: ArmSchemaValidator | undefined;
let bicepTypes: BicepTypes | undefined;

/** The files loadTextContent() reads, relative to the output directory (Bicep in infra/). */
function loadedFiles(template: Template): Array<{ path: string; content: string }> {
  const out: Array<{ path: string; content: string }> = [];
  const walk = (e: Expr | undefined): void => {
    if (e instanceof FileText) out.push({ path: posix.normalize(posix.join('infra', e.bicepPath)), content: e.content });
    else if (e instanceof Call) e.args.forEach(walk);
    else if (e instanceof Interp) e.parts.forEach(walk);
    else if (Array.isArray(e)) e.forEach(walk);
    else if (e && typeof e === 'object' && !(e instanceof ExprNode)) Object.values(e as ExprObject).forEach(walk);
  };
  for (const r of template.resources) walk(r.body);
  for (const m of template.modules ?? []) for (const r of m.template.resources) walk(r.body);
  return out;
}

/** Keeps the resources of our types (the other builders' are checked by their own tests). */
function ours(template: ArmTemplateJson): ArmTemplateJson {
  const list = Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
  return { ...template, resources: list.filter((r) => OURS.has(String(r.type).toLowerCase())) };
}

function check(label: string, text: string): void {
  const { template } = buildAzureDeployment(designOf(text));
  const bicep = renderBicepFiles(template).map((f) => ({ path: `infra/${f.path}`, content: f.content }));
  const compiled = compileBicepFiles([...bicep, ...loadedFiles(template)], 'infra/main.bicep');
  assert.deepEqual(formatDiagnostics(compiled.diagnostics), '', `${label}: main.bicep compiles without diagnostics`);
  assert.ok(compiled.json, `${label}: compiled`);
  const arm = JSON.parse(renderArm(template, { name: 'gatewright', version: 'test' })) as ArmTemplateJson;
  for (const [which, json] of [
    ['our main.json', arm],
    ['the compiled main.bicep', compiled.json],
  ] as const) {
    const mine = ours(json);
    assert.ok((mine.resources as unknown[]).length > 0, `${label}: ${which} has resources of these builders`);
    const schema = (armSchemas ??= new ArmSchemaValidator()).validateTemplate(mine);
    assert.equal(formatIssues(schema.issues), '', `${label}: ${which} fits the ARM schemas`);
    const types = (bicepTypes ??= new BicepTypes()).checkTemplate(mine);
    assert.equal(formatIssues(types.issues), '', `${label}: ${which} fits the Bicep types`);
  }
}

test('compile: the reference design', () => {
  check('reference', REFERENCE);
});

test('compile: the reference with its switches turned the other way', () => {
  check(
    'switched',
    mutateReference((doc) => {
      for (const [id, key, value] of [
        ['aks', 'privateCluster', false],
        ['aks', 'authorizedIpRanges', ['203.0.113.0/24']],
        ['aks', 'networkPolicy', 'cilium'],
        ['aks', 'keyVaultSecretsProvider', false],
        ['aks', 'azurePolicy', false],
        ['aks', 'autoUpgrade', 'node-image'],
        ['kv', 'purgeProtection', false],
        ['kv', 'rbacAuthorization', false],
        ['sql', 'minTlsVersion', '1.3'],
        ['sql', 'auditing', false],
        ['cosmos', 'minTlsVersion', '1.3'],
        ['acr', 'sku', 'Standard'],
        ['acr', 'publicNetworkAccess', 'Enabled'],
        ['vnet', 'addressSpace', '10.0.0.0/8'],
      ] as const) {
        setAt(doc, ['nodes', id, 'properties', key], value);
      }
    }),
  );
});

test('compile: two clusters sharing a registry, an identity and a database; two vaults', () => {
  check(
    'shared',
    smallDesign(
      `- { id: blue, type: aksCluster, properties: { services: [{ name: api, namespace: shop }, { name: admin, namespace: backoffice }] } }
       - { id: green, type: aksCluster, properties: { ingress: { controller: gatewayApi }, services: [{ name: api, namespace: shop }] } }
       - { id: app, type: managedIdentity }
       - { id: images, type: containerRegistry }
       - { id: kv1, type: keyVault }
       - { id: kv2, type: keyVault }
       - { id: db, type: cosmosDb }
       - { id: orders, type: sqlDatabase }
       - { id: logs, type: logAnalytics }
       - { id: traces, type: applicationInsights }`,
      `- { from: blue, to: images, type: imagePull }
       - { from: green, to: images, type: imagePull }
       - { from: blue, to: images, type: privateLink }
       - { from: green, to: images, type: privateLink }
       - { from: blue, to: kv1, type: secrets }
       - { from: blue, to: kv1, type: privateLink, properties: { identity: app } }
       - { from: green, to: kv2, type: privateLink, properties: { identity: app } }
       - { from: blue, to: db, type: privateLink, properties: { identity: app } }
       - { from: green, to: db, type: privateLink, properties: { identity: app } }
       - { from: green, to: orders, type: privateLink, properties: { identity: app } }
       - { from: orders, to: logs, type: diagnostics }
       - { from: blue, to: logs, type: diagnostics }
       - { from: blue, to: traces, type: diagnostics }`,
    ),
  );
});
