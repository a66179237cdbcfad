/**
 * The IR renderers keep every literal a literal: names and values holding quotes, '${', '<', '&', backslashes,
 * line breaks, control characters or a leading '[' cannot break out of a Bicep string, a Bicep comment or an ARM
 * JSON value, and come back unchanged from the real Bicep compiler and from ARM's own reading of our JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { call, idOf, interp, param, type Expr } from '../../src/generators/ir/expr.js';
import { renderArm } from '../../src/generators/ir/arm.js';
import { renderBicep, renderBicepFiles } from '../../src/generators/ir/bicep.js';
import { TemplateBuilder, type Template } from '../../src/generators/ir/template.js';
import {
  armLiteralValue,
  armValue,
  compileBicepFiles,
  danglingDependencies,
  formatDiagnostics,
  resourceKeys,
  resourcesOf,
  type ArmTemplateJson,
} from '../helpers/bicep.js';

const GENERATOR = { name: 'gatewright', version: 'test' };

// ---------------------------------------------------------------- arbitrary text

/** Fragments that have broken string renderers before: quotes, interpolation, escapes, brackets, markup, line ends. */
const NASTY = [
  "'", "''", "'''", '"', '${', '${x}', '$', '{', '}', '{0}', '{{', '\\', '\\n', "\\'", '\n', '\r', '\r\n', '\t', '\u0000',
  '\u001b', '\u0085', '\u2028', '\u2029', '[', ']', '[[', ']]', '<', '>', '&', '&amp;', '<![CDATA[', '//', '/*', '*/',
  "') \noutput injected string = 'x", '\noutput injected string = \'x\'\n', 'é', '😀', ' ', '@', '#', "[concat('a')]",
] as const;

const text = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** Text, also in the forms ARM treats specially: a leading '[', and a leading '[' with a trailing ']'. */
const value = fc.oneof(text, text.map((s) => `[${s}`), text.map((s) => `[${s}]`), text.map((s) => `[[${s}]`));

interface Sample {
  readonly description: string;
  readonly params: readonly string[];
  readonly name: string;
  readonly symbol: string;
  readonly resourceDescription: string;
  readonly tags: ReadonlyArray<readonly [string, string]>;
  readonly flow: string;
  readonly outputs: readonly string[];
  readonly interps: ReadonlyArray<readonly [string, string]>;
}

const sample: fc.Arbitrary<Sample> = fc.record({
  description: value,
  params: fc.array(value, { minLength: 1, maxLength: 4 }),
  name: value.filter((s) => s.length > 0),
  symbol: text,
  resourceDescription: text,
  tags: fc.uniqueArray(fc.tuple(value, value), { maxLength: 4, selector: ([k]) => k }),
  flow: value,
  outputs: fc.array(value, { maxLength: 4 }),
  interps: fc.array(fc.tuple(value, value), { maxLength: 3 }),
});

/** A template whose every string comes from the sample. */
function templateOf(s: Sample): Template {
  const t = new TemplateBuilder(s.description);
  t.parameter({ name: 'location', type: 'string', description: 'Region.', defaultValue: 'westeurope' });
  s.params.forEach((v, i) => t.parameter({ name: `p${i}`, type: 'string', description: v, defaultValue: v }));
  t.resource({
    symbol: s.symbol,
    type: 'Microsoft.Insights/components',
    apiVersion: '2020-02-02',
    name: s.name,
    description: s.resourceDescription,
    body: {
      location: param('location'),
      tags: Object.fromEntries(s.tags),
      kind: 'web',
      properties: { Application_Type: 'web', Flow_Type: s.flow },
    },
  });
  s.outputs.forEach((v, i) => t.output({ name: `o${i}`, type: 'string', value: v, description: v }));
  s.interps.forEach(([a, b], i) => t.output({ name: `i${i}`, type: 'string', value: interp(a, param('p0'), b) }));
  return t.build();
}

/** Checks that a compiled or rendered ARM template gives back every string of the sample. */
function assertRoundTrip(s: Sample, json: ArmTemplateJson, source: string): void {
  const params = Object.fromEntries(s.params.map((v, i) => [`p${i}`, v]));
  // Descriptions are escaped like every literal (Bicep does it; our JSON does the same).
  assert.equal(armLiteralValue((json.metadata as { description: string }).description), s.description, `${source}: metadata description`);
  assert.deepEqual(Object.keys(json.parameters ?? {}).sort(), ['location', ...s.params.map((_, i) => `p${i}`)].sort(), `${source}: parameters`);
  s.params.forEach((v, i) => {
    const p = json.parameters![`p${i}`]!;
    assert.equal(armLiteralValue(p.defaultValue as string), v, `${source}: default of p${i}`);
    assert.equal(armLiteralValue((p.metadata as { description: string }).description), v, `${source}: description of p${i}`);
  });
  const resources = resourcesOf(json);
  assert.equal(resources.length, 1, `${source}: exactly one resource`);
  const r = resources[0]!;
  assert.equal(armValue(r.name), s.name, `${source}: resource name`);
  const tags = r.tags as Record<string, string>;
  // ARM evaluates property names as it evaluates values: keys are literals to read the same way.
  const readTags = new Map(Object.entries(tags).map(([k, v]) => [armLiteralValue(k), armLiteralValue(v)]));
  assert.deepEqual([...readTags.keys()].sort(), s.tags.map(([k]) => k).sort(), `${source}: tag keys`);
  for (const [k, v] of s.tags) assert.equal(readTags.get(k), v, `${source}: tag ${JSON.stringify(k)}`);
  assert.equal(armLiteralValue((r.properties as { Flow_Type: string }).Flow_Type), s.flow, `${source}: property value`);
  const outputs = json.outputs ?? {};
  assert.deepEqual(Object.keys(outputs).sort(), [...s.outputs.map((_, i) => `o${i}`), ...s.interps.map((_, i) => `i${i}`)].sort(), `${source}: outputs`);
  s.outputs.forEach((v, i) => {
    const o = outputs[`o${i}`] as { value: string; metadata?: { description?: string } };
    assert.equal(armLiteralValue(o.value), v, `${source}: output o${i}`);
    if (v) assert.equal(armLiteralValue(o.metadata?.description ?? ''), v, `${source}: description of output o${i}`);
  });
  s.interps.forEach(([a, b], i) => assert.equal(armValue(outputs[`i${i}`]!.value as string, params), `${a}${params.p0}${b}`, `${source}: interpolation i${i}`));
}

test('ARM JSON: arbitrary literals survive JSON.parse and ARM escaping unchanged', () => {
  fc.assert(
    fc.property(sample, (s) => {
      const json = JSON.parse(renderArm(templateOf(s), GENERATOR)) as ArmTemplateJson;
      assertRoundTrip(s, json, 'renderArm');
    }),
    { numRuns: 300 },
  );
});

test('ARM JSON: a literal is escaped exactly when ARM would read it as an expression', () => {
  fc.assert(
    fc.property(value, (v) => {
      const t = new TemplateBuilder('d');
      t.output({ name: 'o', type: 'string', value: v });
      const out = (JSON.parse(renderArm(t.build(), GENERATOR)) as ArmTemplateJson).outputs!.o!.value as string;
      assert.equal(out, v.startsWith('[') && v.endsWith(']') ? `[${v}` : v);
    }),
    { numRuns: 300 },
  );
});

test('Bicep: arbitrary literals compile with the real compiler to the same values', () => {
  // A few samples: each is one run of the compiler. The seed keeps them the same from run to run.
  fc.assert(
    fc.property(sample, (s) => {
      const t = templateOf(s);
      const bicep = renderBicep(t);
      const build = compileBicepFiles([{ path: 'main.bicep', content: bicep }]);
      const errors = build.diagnostics.filter((d) => d.level === 'Error');
      assert.deepEqual(errors, [], `compiler errors:\n${formatDiagnostics(errors)}\n--- main.bicep\n${bicep}`);
      assert.ok(build.json, 'no JSON');
      assertRoundTrip(s, build.json, 'bicep build');
      const ours = JSON.parse(renderArm(t, GENERATOR)) as ArmTemplateJson;
      assert.deepEqual(resourceKeys(ours), resourceKeys(build.json));
    }),
    { numRuns: 4, seed: 20261127 },
  );
});

test('Bicep: comments cannot end early: a description with any line break stays a comment', () => {
  const t = new TemplateBuilder('d');
  t.resource({
    symbol: 'c',
    type: 'Microsoft.Insights/components',
    apiVersion: '2020-02-02',
    name: 'c',
    description: 'one\rresource evil \'x@1\' = {}\r\ntwo\noutput injected string = \'x\'\u2028three',
    body: { location: 'westeurope', kind: 'web', properties: { Application_Type: 'web' } },
  });
  const bicep = renderBicep(t.build(), ['header\routput h string = \'x\'']);
  for (const line of bicep.split('\n')) assert.ok(!/^\s*(output|resource evil)/.test(line), `line escaped its comment: ${JSON.stringify(line)}`);
  const build = compileBicepFiles([{ path: 'main.bicep', content: bicep }]);
  assert.ok(build.json, formatDiagnostics(build.diagnostics));
  assert.equal(resourcesOf(build.json).length, 1);
  assert.deepEqual(Object.keys(build.json.outputs ?? {}), []);
});

// ---------------------------------------------------------------- names, references and nested deployments

/** A template with a child resource, an extension resource named by guid(), references and a subscription module. */
function structuredTemplate(): Template {
  const inner = new TemplateBuilder('inner: subscription scope', 'subscription');
  const first = inner.resource({ symbol: 'containers', type: 'Microsoft.Security/pricings', apiVersion: '2024-01-01', name: 'Containers', body: { properties: { pricingTier: 'Standard' } } });
  inner.resource({
    symbol: 'keyVaults',
    type: 'Microsoft.Security/pricings',
    apiVersion: '2024-01-01',
    name: 'KeyVaults',
    body: { properties: { pricingTier: 'Standard' } },
    dependsOn: [first],
  });
  const t = new TemplateBuilder("outer: it's [bracketed]");
  t.parameter({ name: 'location', type: 'string', description: 'Region.', defaultValue: 'westeurope' });
  const vnet = t.resource({
    symbol: 'vnet',
    type: 'Microsoft.Network/virtualNetworks',
    apiVersion: '2025-05-01',
    name: "v'net{0}",
    body: { location: param('location'), properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } },
  });
  const subnet = t.resource({
    symbol: 'subnet',
    parent: vnet,
    type: 'Microsoft.Network/virtualNetworks/subnets',
    apiVersion: '2025-05-01',
    name: '[snet]',
    body: { properties: { addressPrefix: '10.0.1.0/24' } },
  });
  t.resource({
    symbol: 'identity',
    type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
    apiVersion: '2024-11-30',
    name: 'id-{x}',
    body: { location: param('location') },
  });
  t.resource({
    symbol: 'assignment',
    scope: subnet,
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: '2022-04-01',
    name: call('guid', [call('resourceGroup', [], ['id']), "it's", 'reader']),
    body: {
      properties: {
        roleDefinitionId: call('subscriptionResourceId', ['Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7']),
        principalId: '00000000-0000-0000-0000-000000000000',
        principalType: 'ServicePrincipal',
      },
    },
  });
  t.module({ symbol: 'plans', name: 'outer-plans', file: 'plans', template: inner.build(), description: 'Plans\nat subscription scope.' });
  t.output({ name: 'subnetId', type: 'string', value: idOf(subnet) as Expr });
  return t.build();
}

test('renderBicepFiles: a subscription-scoped module gets its own file, and Bicep and our ARM JSON declare the same resources', () => {
  const t = structuredTemplate();
  const files = renderBicepFiles(t, ['generated']);
  assert.deepEqual(
    files.map((f) => f.path),
    ['main.bicep', 'modules/plans.bicep'],
  );
  assert.match(files[0]!.content, /^module plans 'modules\/plans\.bicep' = \{\n {2}name: 'outer-plans'\n {2}scope: subscription\(\)\n\}$/m);
  assert.match(files[1]!.content, /^targetScope = 'subscription'$/m);
  assert.equal(files[0]!.content, renderBicep(t, ['generated']));
  const build = compileBicepFiles(files);
  assert.deepEqual(build.diagnostics, [], formatDiagnostics(build.diagnostics));
  assert.ok(build.json);
  const ours = JSON.parse(renderArm(t, GENERATOR)) as ArmTemplateJson;
  assert.deepEqual(resourceKeys(ours), resourceKeys(build.json));
  assert.deepEqual(resourceKeys(ours), [
    'microsoft.authorization/roleassignments@2022-04-01 [guid(resourcegroup().id, \'it\'\'s\', \'reader\')]',
    'microsoft.managedidentity/userassignedidentities@2024-11-30 id-{x}',
    'microsoft.network/virtualnetworks/subnets@2025-05-01 v\'net{0}/[snet]',
    'microsoft.network/virtualnetworks@2025-05-01 v\'net{0}',
    'microsoft.resources/deployments@2025-04-01 outer-plans',
    'microsoft.resources/deployments@2025-04-01 outer-plans > microsoft.security/pricings@2024-01-01 Containers',
    'microsoft.resources/deployments@2025-04-01 outer-plans > microsoft.security/pricings@2024-01-01 KeyVaults',
  ]);
});

test('renderArm: a module is a nested deployment at subscription scope with inner evaluation', () => {
  const json = JSON.parse(renderArm(structuredTemplate(), GENERATOR)) as ArmTemplateJson;
  const dep = resourcesOf(json).find((r) => r.type === 'Microsoft.Resources/deployments')!;
  assert.equal(dep.subscriptionId, '[subscription().subscriptionId]');
  assert.equal(dep.location, '[resourceGroup().location]');
  const props = dep.properties as { expressionEvaluationOptions: unknown; mode: string; template: ArmTemplateJson };
  assert.deepEqual(props.expressionEvaluationOptions, { scope: 'inner' });
  assert.equal(props.mode, 'Incremental');
  assert.equal(props.template.$schema, 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#');
  const kv = resourcesOf(props.template).find((r) => r.name === 'KeyVaults')!;
  assert.deepEqual(kv.dependsOn, ["[subscriptionResourceId('Microsoft.Security/pricings', 'Containers')]"]);
  const subnet = resourcesOf(json).find((r) => r.type === 'Microsoft.Network/virtualNetworks/subnets')!;
  assert.equal(subnet.name, "v'net{0}/[snet]");
  assert.deepEqual(danglingDependencies(json), []);
  // A reference to a resource that was never added to the template is caught.
  const t = new TemplateBuilder('t');
  const ghost = { symbol: 'ghost', type: 'Microsoft.Network/virtualNetworks', apiVersion: '2025-05-01', name: 'ghost', body: {} };
  t.resource({ symbol: 'r', type: 'Microsoft.Insights/components', apiVersion: '2020-02-02', name: 'r', body: { properties: { WorkspaceResourceId: idOf(ghost) } } });
  assert.deepEqual(danglingDependencies(JSON.parse(renderArm(t.build(), GENERATOR)) as ArmTemplateJson), [
    "Microsoft.Insights/components 'r' depends on [resourceId('Microsoft.Network/virtualNetworks', 'ghost')]",
  ]);
});

test('TemplateBuilder: module file names are checked and symbols stay unique across resources and modules', () => {
  const inner = new TemplateBuilder('i', 'subscription').build();
  const t = new TemplateBuilder('t');
  t.resource({ symbol: 'plans', type: 'Microsoft.Insights/components', apiVersion: '2020-02-02', name: 'x', body: {} });
  const m = t.module({ symbol: 'plans', name: 'n', file: 'plans', template: inner });
  assert.equal(m.symbol, 'plans2');
  assert.throws(() => t.module({ symbol: 'x', name: 'n2', file: 'plans', template: inner }), /share the file name/);
  assert.throws(() => t.module({ symbol: 'y', name: 'n3', file: '../evil', template: inner }), /must match/);
});

test('renderers are deterministic', () => {
  assert.equal(renderBicep(structuredTemplate()), renderBicep(structuredTemplate()));
  assert.equal(renderArm(structuredTemplate(), GENERATOR), renderArm(structuredTemplate(), GENERATOR));
});
