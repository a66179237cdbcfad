/**
 * The generated infrastructure, checked offline the way Azure would check it:
 * - main.bicep (with its modules) compiles with the real Bicep compiler, with no error and no linter warning;
 * - every resource of our main.json validates against its saved ARM JSON schema;
 * - no resource body holds a property the Bicep type definitions do not know, nor a read-only one;
 * - `bicep build` of main.bicep and our main.json declare the same resources (type, apiVersion, name);
 * - the same design gives byte-identical files; no file holds a private key, a password or a token.
 * On the reference design, on varied designs made by a small factory, and on the monitoring, security and
 * Bastion builders alone (with a stand-in network), so that those are checked whatever the state of the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { parseDocument } from 'yaml';
import { buildAzureDeployment } from '../../src/generators/azure/index.js';
import { AzureBuild } from '../../src/generators/azure/build.js';
import { buildWorkspaces } from '../../src/generators/azure/monitoring.js';
import { buildDiagnostics } from '../../src/generators/azure/diagnostics.js';
import { buildSecurity } from '../../src/generators/azure/security.js';
import { buildBastion } from '../../src/generators/azure/bastion.js';
import { renderArm, renderArmParameters } from '../../src/generators/ir/arm.js';
import { renderBicepFiles } from '../../src/generators/ir/bicep.js';
import { Call, call, ExprNode, FileText, Interp, type Expr, type ExprObject } from '../../src/generators/ir/expr.js';
import type { Template } from '../../src/generators/ir/template.js';
import { parseDesign } from '../../src/document/parse.js';
import { analyze } from '../../src/validation/analyze.js';
import { DesignSchema, type Design, type DesignInput } from '../../src/schemas/design.js';
import { REFERENCE } from '../helpers/reference.js';
import { compileBicepFiles, danglingDependencies, formatDiagnostics, resourceKeys, resourcesOf, type ArmResourceJson, type ArmTemplateJson } from '../helpers/bicep.js';

import { ArmSchemaValidator, formatIssues, NO_ARM_SCHEMA } from '../helpers/arm-schema.js';
import { BicepTypes, NO_BICEP_TYPES } from '../helpers/bicep-types.js';

const GENERATOR = { name: 'gatewright', version: '0.1.0' };
const NOW = new Date('2026-11-27T12:00:00Z');

// Loaded once: parsing the saved schemas and types takes a second or two.
let armSchemas: ArmSchemaValidator | undefined;
let bicepTypes: BicepTypes | undefined;
const schemas = () => (armSchemas ??= new ArmSchemaValidator());
const types = () => (bicepTypes ??= new BicepTypes());

interface Generated {
  /** Path (relative to infra/) -> content. */
  readonly files: ReadonlyMap<string, string>;
  readonly template: Template;
}

function render(template: Template): Generated {
  const files = new Map<string, string>();
  for (const f of renderBicepFiles(template)) files.set(f.path, f.content);
  files.set('main.json', renderArm(template, GENERATOR));
  files.set('main.parameters.json', renderArmParameters(template));
  return { files, template };
}

function generate(design: Design): Generated {
  return render(buildAzureDeployment(design).template);
}

/**
 * The files loadTextContent() reads (FileText expressions), as paths from the output directory: the Bicep files
 * live in infra/ (modules in infra/modules/) and name them relative to themselves (e.g. ../apim/policies/x.xml).
 */
function loadedFiles(template: Template, dir = 'infra'): Array<{ path: string; content: string }> {
  const out: Array<{ path: string; content: string }> = [];
  const walk = (e: Expr | undefined): void => {
    if (e instanceof FileText) out.push({ path: posix.normalize(posix.join(dir, e.bicepPath)), content: e.content });
    else if (e instanceof Call) e.args.forEach(walk);
    else if (e instanceof Interp) e.parts.forEach(walk);
    else if (Array.isArray(e)) e.forEach(walk);
    else if (e && typeof e === 'object' && !(e instanceof ExprNode)) Object.values(e as ExprObject).forEach(walk);
  };
  for (const r of template.resources) {
    walk(r.name);
    walk(r.body);
  }
  for (const p of template.parameters) walk(p.defaultValue);
  for (const o of template.outputs) walk(o.value);
  for (const m of template.modules ?? []) {
    Object.values(m.params ?? {}).forEach(walk);
    out.push(...loadedFiles(m.template, posix.join('infra', 'modules')));
  }
  for (const f of out) assert.ok(!f.path.startsWith('..'), `loadTextContent() reads ${f.path}, outside the generated directory`);
  return out;
}

/** Every offline check of one generated deployment. */
function verify(name: string, g: Generated): void {
  const bicepFiles = [...g.files].filter(([p]) => p.endsWith('.bicep')).map(([path, content]) => ({ path: `infra/${path}`, content }));
  const loaded = loadedFiles(g.template);
  const build = compileBicepFiles([...bicepFiles, ...loaded], 'infra/main.bicep');
  const problems = build.diagnostics.filter((d) => d.level === 'Error' || d.level === 'Warning');
  assert.deepEqual(problems, [], `${name}: bicep build reports\n${formatDiagnostics(problems)}`);
  assert.ok(build.json, `${name}: bicep build gave no JSON`);

  const ours = JSON.parse(g.files.get('main.json')!) as ArmTemplateJson;
  const report = schemas().validateTemplate(ours);
  assert.deepEqual(report.issues, [], `${name}: ARM schema validation\n${formatIssues(report.issues)}`);
  for (const s of report.skipped) {
    const type = s.resource.split(' > ').pop()!.split(' ')[0]!.toLowerCase();
    assert.ok(NO_ARM_SCHEMA[type], `${name}: ${s.resource} skipped without a listed reason`);
  }
  const typeReport = types().checkTemplate(ours);
  assert.deepEqual(typeReport.issues, [], `${name}: Bicep types\n${formatIssues(typeReport.issues)}`);
  for (const s of typeReport.skipped) {
    const type = s.resource.split(' > ').pop()!.split(' ')[0]!.toLowerCase();
    assert.ok(NO_BICEP_TYPES[type], `${name}: ${s.resource} skipped without a listed reason`);
  }
  assert.equal(report.checked + report.skipped.length, typeReport.checked + typeReport.skipped.length, `${name}: both checks saw every resource`);

  assert.deepEqual(resourceKeys(ours), resourceKeys(build.json), `${name}: main.bicep and main.json declare different resources`);
  assert.deepEqual(danglingDependencies(ours), [], `${name}: dependsOn names resources the template does not declare`);
  assertNoSecrets(name, new Map([...g.files, ...loaded.map((f) => [f.path, f.content] as const)]), ours);
}

/** Values that must never be in a generated file. */
const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a PEM private key', /PRIVATE KEY/],
  ['a PEM block', /-----BEGIN /],
  ['a JSON Web Token', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/],
  // Exactly 88 base64 characters: longer runs (a CA certificate's public DER, a parameter value) are not keys.
  ['a storage or Cosmos DB account key', /AccountKey=|(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/],
  ['a shared access signature', /SharedAccessSignature|[?&]sig=[A-Za-z0-9%]{20,}/],
  ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{20,}/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a client secret', /\b[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}\b/],
];

/** Names of properties and parameters that hold secrets (keyed by how they end: "adminPassword", "sharedKey", ...). */
const SECRET_NAME = /(password|secret|token|credential|credentials|apikey|connectionstring|sharedkey|accountkey|primarykey|secondarykey|privatekey|^key|sas)$/i;

function assertNoSecrets(name: string, files: ReadonlyMap<string, string>, ours: ArmTemplateJson): void {
  for (const [path, content] of files) {
    for (const [what, re] of SECRET_PATTERNS) assert.ok(!re.test(content), `${name}: ${path} holds ${what}: ${re.exec(content)?.[0]}`);
  }
  // No property that names a secret holds a literal: such values come from parameters, references, or (in API
  // Management) a named value referred to as {{name}}.
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (SECRET_NAME.test(k) && typeof x === 'string' && x !== '' && !x.startsWith('[') && !/^\{\{[A-Za-z0-9._-]+\}\}$/.test(x)) {
          assert.fail(`${name}: ${path}/${k} holds the literal "${x}"`);
        }
        walk(x, `${path}/${k}`);
      }
    }
  };
  walk(ours.resources, '/resources');
  // A Key Vault secret's value is the secret itself: never a literal.
  const secrets = (t: { resources?: unknown }): ArmResourceJson[] =>
    resourcesOf(t).flatMap((r) => [r, ...secrets(((r.properties as { template?: unknown } | undefined)?.template ?? {}) as { resources?: unknown })]);
  for (const r of secrets(ours)) {
    const v = (r.properties as { value?: unknown } | undefined)?.value;
    if (/^Microsoft\.KeyVault\/vaults\/secrets$/i.test(r.type) && typeof v === 'string') assert.ok(v.startsWith('['), `${name}: secret ${r.name} holds a literal value`);
  }
  for (const [p, def] of Object.entries(ours.parameters ?? {})) {
    if (/^secure/i.test(def.type)) assert.equal(def.defaultValue, undefined, `${name}: secure parameter ${p} has a default`);
    if (SECRET_NAME.test(p) && typeof def.defaultValue === 'string') assert.equal(def.defaultValue, '', `${name}: parameter ${p} has a default value`);
  }
  const parameters = JSON.parse(files.get('main.parameters.json')!) as { parameters: Record<string, { value: unknown }> };
  for (const [p, v] of Object.entries(parameters.parameters)) {
    if (SECRET_NAME.test(p) && !/SecretId$|SecretUri$/i.test(p)) assert.fail(`${name}: the parameters file gives a value for ${p}: ${JSON.stringify(v.value)}`);
  }
}

function assertDeterministic(name: string, make: () => Generated): void {
  const a = make();
  const b = make();
  assert.deepEqual([...a.files.keys()], [...b.files.keys()], `${name}: file set differs between runs`);
  for (const [p, content] of a.files) assert.equal(b.files.get(p), content, `${name}: ${p} differs between runs`);
}

// ---------------------------------------------------------------- designs

/** Parses design text; the design must satisfy the schema and have no error finding. */
function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `design breaks the schema: ${JSON.stringify(parsed.findings)}`);
  const errors = analyze(text, { now: NOW }).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors, [], 'the design has validation errors: a generator needs a valid design');
  return parsed.design!;
}

interface Variant {
  readonly name?: string;
  readonly location?: string;
  readonly tags?: Record<string, string>;
  /** Node ids removed, with their edges, layout and any certificate left unused. */
  readonly drop?: readonly string[];
  /** Property changes: node id -> properties merged in. */
  readonly set?: Record<string, Record<string, unknown>>;
  /** Azure names given to nodes. */
  readonly names?: Record<string, string>;
  readonly addNodes?: ReadonlyArray<Record<string, unknown>>;
  readonly addEdges?: ReadonlyArray<Record<string, unknown>>;
  /** Edges removed, by "<from>-<to>" or id. */
  readonly dropEdges?: readonly string[];
}

/** The small design factory: the reference architecture, changed. */
function variant(v: Variant): string {
  const doc = parseDocument(REFERENCE);
  const d = doc.toJS() as DesignInput & { layout?: Record<string, unknown> };
  const dropped = new Set(v.drop ?? []);
  if (v.name) d.metadata.name = v.name;
  if (v.location) d.metadata.location = v.location;
  if (v.tags) d.metadata.tags = v.tags;
  d.nodes = d.nodes.filter((n) => !dropped.has(n.id));
  for (const n of d.nodes) {
    const change = v.set?.[n.id];
    if (change) (n as { properties?: Record<string, unknown> }).properties = { ...(n.properties as Record<string, unknown>), ...change };
    const given = v.names?.[n.id];
    if (given) n.name = given;
  }
  d.nodes.push(...((v.addNodes ?? []) as DesignInput['nodes']));
  const droppedEdges = new Set(v.dropEdges ?? []);
  d.edges = (d.edges ?? []).filter((e) => !dropped.has(e.from) && !dropped.has(e.to) && !droppedEdges.has(e.id ?? `${e.from}-${e.to}`));
  d.edges.push(...((v.addEdges ?? []) as NonNullable<DesignInput['edges']>));
  if (d.layout) for (const id of Object.keys(d.layout)) if (dropped.has(id)) delete d.layout[id];
  return `${JSON.stringify(d, null, 2)}\n`;
}

const VARIANTS: ReadonlyArray<readonly [string, Variant]> = [
  ['renamed, another region, tags that need escaping', { name: 'contoso-api', location: 'northeurope', tags: { 'cost center': "[1234]", owner: "platform's team", note: '${x} <&>' } }],
  ['no data services, no Sentinel, no Defender', { drop: ['sql', 'cosmos', 'sentinel', 'defender', 'workload-identity'] }],
  [
    'two workspaces, Sentinel on a security workspace, App Insights with local auth',
    {
      set: { logs: { retentionDays: 365 }, appinsights: { localAuth: true } },
      addNodes: [{ id: 'security-logs', type: 'logAnalytics', properties: { retentionDays: 730 } }],
      dropEdges: ['sentinel-logs'],
      addEdges: [
        { from: 'sentinel', to: 'security-logs', type: 'siem' },
        { from: 'kv', to: 'security-logs', type: 'diagnostics' },
        { from: 'appinsights', to: 'security-logs', type: 'diagnostics' },
      ],
    },
  ],
  [
    'every Defender plan, explicit Azure names',
    {
      set: { defender: { plans: ['Containers', 'KeyVaults', 'Api', 'SqlServers', 'CosmosDbs', 'Arm', 'Dns', 'StorageAccounts', 'AppServices', 'VirtualMachines'] } },
      names: { logs: 'law-payments-prod', appinsights: 'appi-payments-prod', bastion: 'bas-payments-prod', vnet: 'vnet-payments-prod' },
    },
  ],
  ['Bastion also reaches the network; the network and Bastion send no diagnostics', {
    addEdges: [{ from: 'bastion', to: 'vnet', type: 'remoteAccess' }],
    dropEdges: ['vnet-logs', 'bastion-logs'],
  }],
];

// ---------------------------------------------------------------- the full generator

test('reference design: the generated infrastructure passes every offline check', () => {
  const design = designOf(REFERENCE);
  verify('reference', generate(design));
});

test('reference design: generating twice gives byte-identical files', () => {
  const design = designOf(REFERENCE);
  assertDeterministic('reference', () => generate(design));
});

for (const [title, v] of VARIANTS) {
  test(`varied design (${title}): the generated infrastructure passes every offline check`, () => {
    const text = variant(v);
    const design = designOf(text);
    verify(title, generate(design));
    assertDeterministic(title, () => generate(designOf(text)));
  });
}

// ---------------------------------------------------------------- monitoring, security and Bastion on their own

/** A design that exercises those builders: two workspaces, App Insights, Sentinel, every Defender plan, Bastion. */
const MONITORING_DESIGN: DesignInput = {
  apiVersion: 'gatewright/v1',
  kind: 'Architecture',
  metadata: { name: 'ops', location: 'westeurope', tags: { workload: 'ops', "it's": '[x]' } },
  nodes: [
    { id: 'logs', type: 'logAnalytics', properties: { retentionDays: 90 } },
    { id: 'security-logs', type: 'logAnalytics', properties: { retentionDays: 365 } },
    { id: 'appinsights', type: 'applicationInsights' },
    { id: 'orphan-insights', type: 'applicationInsights', properties: { localAuth: true } },
    { id: 'kv', type: 'keyVault' },
    { id: 'vnet', type: 'virtualNetwork' },
    { id: 'bastion', type: 'bastion' },
    { id: 'defender', type: 'defenderForCloud', properties: { plans: ['VirtualMachines', 'Containers', 'Dns', 'StorageAccounts', 'Api', 'KeyVaults'] } },
    { id: 'sentinel', type: 'sentinel' },
  ],
  edges: [
    { from: 'appinsights', to: 'logs', type: 'diagnostics' },
    { from: 'appinsights', to: 'security-logs', type: 'diagnostics' },
    { from: 'kv', to: 'logs', type: 'diagnostics' },
    { from: 'kv', to: 'security-logs', type: 'diagnostics' },
    { from: 'vnet', to: 'logs', type: 'diagnostics' },
    { from: 'bastion', to: 'logs', type: 'diagnostics' },
    { from: 'bastion', to: 'vnet', type: 'remoteAccess' },
    { from: 'sentinel', to: 'security-logs', type: 'siem' },
    { from: 'defender', to: 'kv', type: 'protects' },
  ],
};

/** Runs the monitoring, security and Bastion builders in the generator's order, over a stand-in network and vault. */
function buildOwn(input: DesignInput = MONITORING_DESIGN): { b: AzureBuild; generated: Generated; n: (id: string) => string } {
  const b = new AzureBuild(DesignSchema.parse(input));
  const vnetNode = b.nodes('virtualNetwork')[0]!;
  const vnet = b.resource({
    symbol: 'vnet',
    type: 'Microsoft.Network/virtualNetworks',
    apiVersion: '2025-05-01',
    name: b.name(vnetNode),
    body: { ...b.placed(), properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } },
  });
  b.vnet = vnet;
  b.setNodeResource(vnetNode, vnet);
  b.subnets.set(
    'bastion',
    b.resource({
      symbol: 'bastion-subnet',
      parent: vnet,
      type: 'Microsoft.Network/virtualNetworks/subnets',
      apiVersion: '2025-05-01',
      name: 'AzureBastionSubnet',
      body: { properties: { addressPrefix: '10.0.250.0/26' } },
    }),
  );
  for (const kv of b.nodes('keyVault')) {
    b.setNodeResource(
      kv,
      b.resource({
        symbol: `${kv.id}-vault`,
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2024-11-01',
        name: b.azureName(kv),
        body: {
          ...b.placed(),
          properties: { tenantId: call('tenant', [], ['tenantId']), sku: { family: 'A', name: 'standard' }, enableRbacAuthorization: true, enablePurgeProtection: true },
        },
      }),
    );
  }
  // The generator's order: workspaces ... bastion, then diagnostics and security.
  buildWorkspaces(b);
  buildBastion(b);
  buildDiagnostics(b);
  buildSecurity(b);
  return { b, generated: render(b.t.build()), n: (id) => b.name(b.index.nodes.get(id)!) };
}

test('monitoring, security and Bastion builders: their resources pass every offline check', () => {
  verify('monitoring/security/bastion', buildOwn().generated);
  assertDeterministic('monitoring/security/bastion', () => buildOwn().generated);
});

test('workspaces: retention and local auth from the design; App Insights is workspace-based', () => {
  const { b, generated, n } = buildOwn();
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const byName = new Map(resourcesOf(json).map((r) => [`${r.type} ${r.name}`, r]));
  const logs = byName.get(`Microsoft.OperationalInsights/workspaces ${n('logs')}`)!;
  assert.deepEqual(logs.properties, {
    sku: { name: 'PerGB2018' },
    retentionInDays: 90,
    features: { enableLogAccessUsingOnlyResourcePermissions: true, disableLocalAuth: true },
  });
  const appi = byName.get(`Microsoft.Insights/components ${n('appinsights')}`)!;
  assert.equal(appi.kind, 'web');
  assert.deepEqual(appi.properties, {
    Application_Type: 'web',
    WorkspaceResourceId: `[resourceId('Microsoft.OperationalInsights/workspaces', '${n('logs')}')]`,
    IngestionMode: 'LogAnalytics',
    DisableLocalAuth: true,
  });
  const orphan = byName.get(`Microsoft.Insights/components ${n('orphan-insights')}`)!;
  assert.equal((orphan.properties as { DisableLocalAuth: boolean }).DisableLocalAuth, false);
  // No diagnostics edge: the first workspace of the design, said in a note.
  assert.equal((orphan.properties as { WorkspaceResourceId: string }).WorkspaceResourceId, `[resourceId('Microsoft.OperationalInsights/workspaces', '${n('logs')}')]`);
  assert.ok(b.notes.some((n) => n.includes('"orphan-insights" has no diagnostics edge')));
  assert.deepEqual(logs.tags, { workload: 'ops', "it's": '[[x]' });
});

test('workspaces: an App Insights node in a design without a workspace gets one of its own', () => {
  const { generated, b } = buildOwn({
    apiVersion: 'gatewright/v1',
    kind: 'Architecture',
    metadata: { name: 'solo', location: 'westeurope' },
    nodes: [{ id: 'appi', type: 'applicationInsights' }, { id: 'vnet', type: 'virtualNetwork' }],
  });
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  assert.deepEqual(resourceKeys(json).filter((k) => k.includes('workspaces')), ['microsoft.operationalinsights/workspaces@2025-07-01 solo-log-appi']);
  assert.ok(b.notes.some((n) => n.includes('creates "solo-log-appi"')));
  verify('solo', generated);
});

test('diagnostics: one setting per edge to a workspace, with the categories each type supports', () => {
  const { b, generated, n } = buildOwn();
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const settings = resourcesOf(json).filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
  const summary = settings.map((s) => `${s.scope as string} -> ${(s.properties as { workspaceId: string }).workspaceId}`);
  const ws = (id: string) => `[resourceId('Microsoft.OperationalInsights/workspaces', '${n(id)}')]`;
  assert.deepEqual(summary, [
    `[resourceId('Microsoft.Insights/components', '${n('appinsights')}')] -> ${ws('security-logs')}`,
    // The vault's name is unique in all of Azure: a readable prefix and the resource group's uniqueString.
    `[resourceId('Microsoft.KeyVault/vaults', format('ops-kv-{0}', uniqueString(resourceGroup().id)))] -> ${ws('logs')}`,
    `[resourceId('Microsoft.KeyVault/vaults', format('ops-kv-{0}', uniqueString(resourceGroup().id)))] -> ${ws('security-logs')}`,
    `[resourceId('Microsoft.Network/virtualNetworks', '${n('vnet')}')] -> ${ws('logs')}`,
    `[resourceId('Microsoft.Network/bastionHosts', '${n('bastion')}')] -> ${ws('logs')}`,
  ]);
  // App Insights into its own workspace would store its telemetry twice: no setting, a note.
  assert.ok(b.notes.some((n) => n.includes('"appinsights" stores its telemetry in workspace "logs" already')));
  const kv = settings[1]!.properties as Record<string, unknown>;
  assert.deepEqual(kv.logs, [{ categoryGroup: 'allLogs', enabled: true }]);
  assert.deepEqual(kv.metrics, [{ category: 'AllMetrics', enabled: true }]);
  const bastion = settings[4]!.properties as Record<string, unknown>;
  assert.equal(bastion.metrics, undefined, 'Bastion exports logs only');
  assert.equal(new Set(settings.map((s) => `${s.scope as string} ${s.name}`)).size, settings.length, 'setting names are unique per resource');
});

test('security: Defender plans in a subscription-scoped module, one after the other; Dns left out with a note', () => {
  const { b, generated } = buildOwn();
  assert.ok(generated.files.has('modules/defender-plans.bicep'));
  assert.match(generated.files.get('main.bicep')!, /^module defenderPlans 'modules\/defender-plans\.bicep' = \{\n {2}name: 'ops-defender-plans'\n {2}scope: subscription\(\)\n\}$/m);
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const dep = resourcesOf(json).find((r) => r.type === 'Microsoft.Resources/deployments')!;
  const inner = (dep.properties as { template: ArmTemplateJson }).template;
  const plans = resourcesOf(inner);
  assert.deepEqual(
    plans.map((p) => p.name),
    ['Containers', 'KeyVaults', 'Api', 'StorageAccounts', 'VirtualMachines'],
  );
  plans.forEach((p, i) => {
    assert.equal((p.properties as { pricingTier: string }).pricingTier, 'Standard');
    if (i > 0) assert.deepEqual(p.dependsOn, [`[subscriptionResourceId('Microsoft.Security/pricings', '${plans[i - 1]!.name}')]`]);
  });
  assert.equal((plans[2]!.properties as { subPlan: string }).subPlan, 'P1');
  assert.equal((plans[4]!.properties as { subPlan: string }).subPlan, 'P2');
  assert.ok(b.notes.some((n) => n.includes('does not enable the Dns plan')));
});

test('security: Sentinel onboards the workspace its siem edge names, after the SecurityInsights solution', () => {
  const { generated, n } = buildOwn();
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const solutions = resourcesOf(json).filter((r) => r.type === 'Microsoft.OperationsManagement/solutions');
  assert.equal(solutions.length, 1);
  const solution = solutions[0]!;
  const name = `SecurityInsights(${n('security-logs')})`;
  assert.equal(solution.name, name);
  assert.deepEqual(solution.plan, { name, product: 'OMSGallery/SecurityInsights', publisher: 'Microsoft', promotionCode: '' });
  const onboarding = resourcesOf(json).find((r) => r.type === 'Microsoft.SecurityInsights/onboardingStates')!;
  assert.equal(onboarding.name, 'default');
  assert.equal(onboarding.scope, `[resourceId('Microsoft.OperationalInsights/workspaces', '${n('security-logs')}')]`);
  assert.ok((onboarding.dependsOn as string[]).includes(`[resourceId('Microsoft.OperationsManagement/solutions', '${name}')]`));
});

test('security: Sentinel gets Defender for Cloud alerts and the subscription activity log as data connectors', () => {
  const { generated, n } = buildOwn();
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const workspaceId = `[resourceId('Microsoft.OperationalInsights/workspaces', '${n('security-logs')}')]`;
  const connectors = resourcesOf(json).filter((r) => r.type === 'Microsoft.SecurityInsights/dataConnectors');
  assert.equal(connectors.length, 1, 'one Defender for Cloud connector for the one onboarded workspace');
  const defender = connectors[0]!;
  assert.equal(defender.kind, 'AzureSecurityCenter');
  assert.equal(defender.scope, workspaceId);
  assert.deepEqual(defender.properties, { subscriptionId: '[subscription().subscriptionId]', dataTypes: { alerts: { state: 'Enabled' } } });
  assert.ok((defender.dependsOn as string[]).some((d) => d.includes('Microsoft.SecurityInsights/onboardingStates')), 'after the onboarding');
  // Azure Activity: a diagnostic setting of the subscription, in a subscription-scoped deployment, to the Sentinel workspace.
  const module = resourcesOf(json).find((r) => r.type === 'Microsoft.Resources/deployments' && String(r.name).includes('activity-log'));
  assert.ok(module, 'a nested deployment for the activity log');
  assert.equal(module.subscriptionId, '[subscription().subscriptionId]', 'at subscription scope');
  const inner = (module.properties as { template: ArmTemplateJson; parameters: Record<string, { value: string }> });
  assert.equal(inner.parameters.workspaceId!.value, workspaceId);
  const [setting, ...more] = resourcesOf(inner.template);
  assert.ok(setting && more.length === 0);
  assert.equal(setting.type, 'Microsoft.Insights/diagnosticSettings');
  const props = setting.properties as { workspaceId: string; logs: Array<{ category: string; enabled: boolean }>; metrics?: unknown };
  assert.equal(props.workspaceId, "[parameters('workspaceId')]");
  assert.deepEqual(
    props.logs.map((l) => [l.category, l.enabled]),
    ['Administrative', 'Security', 'ServiceHealth', 'Alert', 'Recommendation', 'Policy', 'Autoscale', 'ResourceHealth'].map((c) => [c, true]),
  );
  assert.equal(props.metrics, undefined, 'the activity log has no metrics');
});

test('bastion: Standard SKU with tunnelling on AzureBastionSubnet, a Standard static public IP, no jump host', () => {
  const { b, generated, n } = buildOwn();
  const json = JSON.parse(generated.files.get('main.json')!) as ArmTemplateJson;
  const pip = resourcesOf(json).find((r) => r.type === 'Microsoft.Network/publicIPAddresses')!;
  assert.deepEqual(pip.sku, { name: 'Standard', tier: 'Regional' });
  assert.equal((pip.properties as { publicIPAllocationMethod: string }).publicIPAllocationMethod, 'Static');
  const host = resourcesOf(json).find((r) => r.type === 'Microsoft.Network/bastionHosts')!;
  assert.deepEqual(host.sku, { name: 'Standard' });
  const props = host.properties as { enableTunneling: boolean; ipConfigurations: Array<{ properties: { subnet: { id: string } } }> };
  assert.equal(props.enableTunneling, true);
  assert.equal(props.ipConfigurations[0]!.properties.subnet.id, `[resourceId('Microsoft.Network/virtualNetworks/subnets', '${n('vnet')}', 'AzureBastionSubnet')]`);
  assert.ok(!resourcesOf(json).some((r) => r.type === 'Microsoft.Compute/virtualMachines'));
  assert.ok(b.notes.some((n) => n.includes('No jump host VM is generated')));
});
