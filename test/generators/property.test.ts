/**
 * Property-based tests of `generate()` (issue 3, "What it must show"): for many random VALID designs
 * (test/helpers/random-design.ts: one to three clusters, up to three API Management instances, intermediate CAs,
 * every controller and backend protocol, optional components, hostile strings in every free-text field):
 * - the design has no error finding, and generation never throws;
 * - generating twice gives byte-identical files;
 * - every resource of infra/main.json validates against its saved ARM schema and holds no property the Bicep
 *   type definitions do not know (nor a read-only one); no resource is declared twice; dependsOn names declared
 *   resources; the parameters file names declared parameters;
 * - no file holds a private key, a password or a token;
 * - hostile strings stay inside their string literals: the description, the tags, the publisher name and the API
 *   display names read back from main.json exactly as the design gives them; the API policies in main.json are the
 *   policy files, byte for byte; the annotation values read back from the manifests;
 * - every Kubernetes manifest validates against the schema of its kind (kubernetes-models), every policy is
 *   well-formed XML with only known policy elements, and token audiences read back from it.
 * The Bicep compiler runs on a smaller sample in property.compile.test.ts.
 * A design the validator accepts but the generator cannot express is a bug: the last property mutates valid
 * designs in risky ways and requires generation to succeed whenever the validator still accepts them.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { parseXml, type XmlNode } from '../helpers/xml.js';
import { parse as parseYaml, stringify } from 'yaml';
import { analyze } from '../../src/validation/analyze.js';
import { generate, type GeneratedFile } from '../../src/generators/generate.js';
import { BASE, POLICY_CHILDREN, POLICY_ROOT, POLICY_SECTIONS, POLICY_STATEMENTS } from '../../src/generators/policies/index.js';
import type { Design, DesignInput } from '../../src/schemas/design.js';
import { armLiteralValue, armValue, danglingDependencies, isArmExpression, parseArmExpression, printArmExpression, resourcesOf, simplifyArm, type ArmResourceJson, type ArmTemplateJson } from '../helpers/bicep.js';
import { ArmSchemaValidator, formatIssues, NO_ARM_SCHEMA } from '../helpers/arm-schema.js';
import { BicepTypes, NO_BICEP_TYPES } from '../helpers/bicep-types.js';
import { checkLiterals, evaluatedName, hostileDesign, validDesign, type RandomDesign } from '../helpers/random-design.js';
import { intermediateCa, rootCa } from '../helpers/pki.js';
import { NGINX_INGRESS_CONTROLLER_SCHEMA } from '../helpers/nginx-ingress-controller.js';

const NOW = new Date('2026-11-27T12:00:00Z');
/** Runs of the pure properties; the seed is fast-check's (printed with any counterexample), or GATEWRIGHT_PBT_SEED. */
const RUNS = Number(process.env.GATEWRIGHT_PBT_RUNS ?? 150);
const SEED = process.env.GATEWRIGHT_PBT_SEED === undefined ? undefined : Number(process.env.GATEWRIGHT_PBT_SEED);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: false });

let armSchemas: ArmSchemaValidator | undefined;
let bicepTypes: BicepTypes | undefined;
const schemas = () => (armSchemas ??= new ArmSchemaValidator());
const types = () => (bicepTypes ??= new BicepTypes());

// ---------------------------------------------------------------- Kubernetes schemas

type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, unknown> } };
type ModelClass = new (data: never) => { validate(): void };
const MODELS = new Map<string, ModelClass>();

/** The NginxIngressController fields Gatewright writes, as in k8s.test.ts. */
const validateNic = new Ajv({ allErrors: true }).compile(NGINX_INGRESS_CONTROLLER_SCHEMA);

/** Public PEMs of a root and two intermediate CAs, handed to the generator in some runs (as the CLI does when the design names the files). */
let CA_PEMS: ReadonlyMap<string, string> = new Map();

before(async () => {
  const core = await import('kubernetes-models/v1');
  const networking = await import('kubernetes-models/networking.k8s.io/v1');
  const gateway = await import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1');
  const add = (apiVersion: string, kind: string, model: unknown) => MODELS.set(`${apiVersion} ${kind}`, model as ModelClass);
  add('v1', 'Namespace', core.Namespace);
  add('v1', 'Secret', core.Secret);
  add('v1', 'ConfigMap', core.ConfigMap);
  add('v1', 'Service', core.Service);
  add('networking.k8s.io/v1', 'Ingress', networking.Ingress);
  add('gateway.networking.k8s.io/v1', 'Gateway', gateway.Gateway);
  add('gateway.networking.k8s.io/v1', 'HTTPRoute', gateway.HTTPRoute);
  add('gateway.networking.k8s.io/v1', 'TLSRoute', gateway.TLSRoute);
  add('gateway.networking.k8s.io/v1', 'BackendTLSPolicy', gateway.BackendTLSPolicy);
  const root = await rootCa('Property Root');
  const one = await intermediateCa('Property Issuing 1', root);
  const two = await intermediateCa('Property Issuing 2', one);
  CA_PEMS = new Map([
    ['root-ca', root.pem],
    ['issuing-ca-1', one.pem],
    ['issuing-ca-2', two.pem],
  ]);
});

function validateManifest(path: string, m: Manifest): void {
  const key = `${m.apiVersion} ${m.kind}`;
  if (key === 'approuting.kubernetes.azure.com/v1alpha1 NginxIngressController') {
    assert.ok(validateNic(m), `${path}: ${JSON.stringify(validateNic.errors)}`);
    return;
  }
  const Model = MODELS.get(key);
  if (!Model) assert.fail(`${path}: no schema for ${key}`);
  assert.doesNotThrow(() => new Model(m as never).validate(), `${path} (${key}) does not validate`);
}

// ---------------------------------------------------------------- policies


function checkPolicy(path: string, xml: string): XmlNode {
  const root = parseXml(xml);
  assert.equal(root.name, POLICY_ROOT, path);
  assert.deepEqual(
    root.children.map((c) => c.name),
    [...POLICY_SECTIONS],
    path,
  );
  const known = (node: XmlNode): void => {
    for (const child of node.children) {
      assert.ok(POLICY_CHILDREN[node.name]?.has(child.name), `${path}: <${child.name}> is not a known child of <${node.name}>`);
      known(child);
    }
  };
  for (const section of root.children) {
    assert.equal(section.children[0]?.name, BASE, `${path}: <${section.name}> starts with <base />`);
    for (const statement of section.children.slice(1)) {
      assert.ok(POLICY_STATEMENTS.has(statement.name), `${path}: unknown policy <${statement.name}>`);
      known(statement);
    }
  }
  return root;
}

function find(node: XmlNode, name: string): XmlNode[] {
  return [node, ...node.children.flatMap((c) => find(c, name))].filter((n) => n.name === name);
}

/** What API Management takes from a policy value: the literal, or the C# string literal inside `@(...)`. */
function apimValue(value: string): string {
  if (!value.startsWith('@(')) return value;
  const literal = value.slice(2, -1);
  assert.ok(literal.startsWith('"') && literal.endsWith('"'), `not a string literal: ${literal}`);
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e));
}

// ---------------------------------------------------------------- secrets

/** Values that must never be in a generated file (as infra.test.ts). */
const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a JSON Web Token', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/],
  ['a storage or Cosmos DB account key', /AccountKey=|(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/],
  ['a shared access signature', /SharedAccessSignature|[?&]sig=[A-Za-z0-9%]{20,}/],
  ['a bearer token', /Bearer [A-Za-z0-9._~+/-]{20,}/],
];
/** Names of properties and parameters that hold secrets. */
const SECRET_NAME = /(password|secret|token|credential|credentials|apikey|connectionstring|sharedkey|accountkey|primarykey|secondarykey|privatekey|^key|sas)$/i;

function assertNoSecrets(files: readonly GeneratedFile[], template: ArmTemplateJson, parameters: Record<string, { value: unknown }>): void {
  for (const f of files) {
    for (const [what, re] of SECRET_PATTERNS) assert.ok(!re.test(f.content), `${f.path} holds ${what}: ${re.exec(f.content)?.[0]}`);
    if (f.path.startsWith('k8s/') && f.path.endsWith('.yaml')) {
      assert.doesNotMatch(f.content, /^\s*(tls\.key|password|token|client-secret)\s*:/im, `${f.path} holds a secret`);
    }
  }
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (SECRET_NAME.test(k) && typeof x === 'string' && x !== '' && !x.startsWith('[') && !/^\{\{[A-Za-z0-9._-]+\}\}$/.test(x)) {
          assert.fail(`${path}/${k} holds the literal "${x}"`);
        }
        walk(x, `${path}/${k}`);
      }
    }
  };
  walk(template.resources, '/resources');
  for (const [p, def] of Object.entries(template.parameters ?? {})) {
    if (/^secure/i.test(def.type)) assert.equal(def.defaultValue, undefined, `secure parameter ${p} has a default`);
  }
  for (const p of Object.keys(parameters)) {
    if (SECRET_NAME.test(p) && !/SecretUri$|SecretId$/i.test(p)) assert.fail(`the parameters file gives a value for ${p}`);
  }
}

// ---------------------------------------------------------------- the checks of one generated output

/** Every resource of a template and of its nested deployments' templates. */
function allResources(template: { resources?: unknown }): ArmResourceJson[] {
  return resourcesOf(template).flatMap((r) => {
    const inner = (r.properties as { template?: { resources?: unknown } } | undefined)?.template;
    return [r, ...(r.type.toLowerCase() === 'microsoft.resources/deployments' && inner ? allResources(inner) : [])];
  });
}

/** Resources declared twice in one template (same scope, type and name): ARM refuses the deployment. */
function duplicateResources(template: { resources?: unknown }, prefix = ''): string[] {
  const canonical = (s: string) => (isArmExpression(s) ? `[${printArmExpression(simplifyArm(parseArmExpression(s.slice(1, -1))))}]` : armLiteralValue(s)).toLowerCase();
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const r of resourcesOf(template)) {
    const key = `${typeof r.scope === 'string' ? canonical(r.scope) : ''}|${r.type.toLowerCase()}|${canonical(r.name)}`;
    if (seen.has(key)) twice.push(`${prefix}${r.type} ${r.name}`);
    seen.add(key);
    const inner = (r.properties as { template?: { resources?: unknown } } | undefined)?.template;
    if (r.type.toLowerCase() === 'microsoft.resources/deployments' && inner) twice.push(...duplicateResources(inner, `${prefix}${r.name} > `));
  }
  return twice;
}

function fileOf(files: readonly GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  assert.ok(f, `no file ${path}`);
  return f.content;
}

/** Every check on the output of one design. */
function checkGenerated(design: Design, files: readonly GeneratedFile[]): void {
  const paths = files.map((f) => f.path);
  // Twice, or twice but for case: one file would overwrite the other (on a case-insensitive file system too).
  assert.equal(new Set(paths.map((p) => p.toLowerCase())).size, paths.length, `a path is generated twice: ${paths.filter((p, i) => paths.findIndex((q) => q.toLowerCase() === p.toLowerCase()) !== i).join(', ')}`);
  for (const p of paths) assert.ok(!p.startsWith('/') && !p.split('/').includes('..'), `path ${p} leaves the output folder`);

  // ARM: schemas, Bicep types, duplicates, dependencies, parameters.
  const template = JSON.parse(fileOf(files, 'infra/main.json')) as ArmTemplateJson;
  const report = schemas().validateTemplate(template);
  assert.deepEqual(report.issues, [], `ARM schema validation\n${formatIssues(report.issues)}`);
  for (const s of report.skipped) assert.ok(NO_ARM_SCHEMA[s.resource.split(' > ').pop()!.split(' ')[0]!.toLowerCase()], `${s.resource} has no ARM schema: ${s.reason}`);
  const typeReport = types().checkTemplate(template);
  assert.deepEqual(typeReport.issues, [], `Bicep types\n${formatIssues(typeReport.issues)}`);
  for (const s of typeReport.skipped) assert.ok(NO_BICEP_TYPES[s.resource.split(' > ').pop()!.split(' ')[0]!.toLowerCase()], `${s.resource} has no Bicep types: ${s.reason}`);
  assert.deepEqual(duplicateResources(template), [], 'resources declared twice');
  assert.deepEqual(danglingDependencies(template), [], 'dependsOn names undeclared resources');
  const parameters = (JSON.parse(fileOf(files, 'infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> }).parameters;
  for (const p of Object.keys(parameters)) assert.ok(template.parameters && p in template.parameters, `the parameters file sets ${p}, which main.json does not declare`);

  assertNoSecrets(files, template, parameters);

  // Hostile strings read back exactly.
  checkLiterals(design, template, 'main.json');
  // The API policies in main.json are the policy files, and what they name exists in their service: the backend
  // (set-backend-service), the client certificate (authentication-certificate) and the named values ({{name}}).
  const policies = new Map(files.filter((f) => f.path.startsWith('apim/policies/')).map((f) => [f.content, f.path]));
  // Names as Resource Manager evaluates them (a globally unique one ends with the resource group's uniqueString).
  const nameOf = (r: ArmResourceJson) => evaluatedName(r.name) ?? armValue(r.name);
  const declared = new Set(allResources(template).map((r) => `${r.type}|${nameOf(r)}`.toLowerCase()));
  for (const r of allResources(template)) {
    if (!/^Microsoft\.ApiManagement\/service\/apis\/policies$/i.test(r.type)) continue;
    const value = armLiteralValue((r.properties as { value: string }).value);
    assert.ok(policies.has(value), `the policy of ${r.name} in main.json is not one of the generated policy files`);
    const service = nameOf(r).split('/')[0]!;
    const root = parseXml(value);
    const needs = [
      ...find(root, 'set-backend-service').map((n) => ['backends', n.attributes['backend-id']!] as const),
      ...find(root, 'authentication-certificate').map((n) => ['certificates', n.attributes['certificate-id']!] as const),
      ...[...value.matchAll(/\{\{([A-Za-z0-9._-]+)\}\}/g)].map((m) => ['namedValues', m[1]!] as const),
    ];
    for (const [kind, name] of needs) {
      assert.ok(declared.has(`microsoft.apimanagement/service/${kind}|${service}/${name}`.toLowerCase()), `${policies.get(value)} names ${kind} "${name}", which API Management ${service} does not declare`);
    }
  }

  // Kubernetes manifests.
  const clusterAnnotations = new Map(design.nodes.flatMap((n) => (n.type === 'aksCluster' ? [[n.id, n.properties.ingress.annotations] as const] : [])));
  for (const f of files) {
    if (!f.path.startsWith('k8s/') || !f.path.endsWith('.yaml')) continue;
    // kubectl reads YAML 1.1.
    const doc = parseYaml(f.content, { version: '1.1' }) as Manifest;
    if (f.path.endsWith('kustomization.yaml')) continue;
    validateManifest(f.path, doc);
    const annotations = doc.metadata.annotations ?? {};
    for (const [k, v] of Object.entries(annotations)) assert.equal(typeof v, 'string', `${f.path}: annotation ${k} is not a string`);
    // The design's extra annotations read back on each Ingress of the cluster (those the generator writes itself win).
    if (doc.kind !== 'Ingress') continue;
    for (const [k, v] of Object.entries(clusterAnnotations.get(f.path.split('/')[1]!) ?? {})) {
      if (!k.startsWith('nginx.ingress.kubernetes.io/') && !k.startsWith('kubernetes.azure.com/')) assert.equal(annotations[k], v, `${f.path}: annotation ${k}`);
    }
  }

  // Policies.
  // The design's audiences and application ids, and the other form of a default App ID URI (api://<guid> and <guid> name
  // the same registration: v1.0 and v2.0 tokens carry one each).
  const named = design.nodes.flatMap((n) =>
    n.type === 'apiManagement'
      ? n.properties.apis.flatMap((a) => [a.audience, a.applicationId])
      : n.type === 'entraId'
        ? [n.properties.audience, n.properties.applicationId]
        : [],
  );
  const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const audiences = new Set(
    named.flatMap((a) => (a === undefined ? [] : guid.test(a) ? [a, `api://${a}`] : a.startsWith('api://') && guid.test(a.slice(6)) ? [a, a.slice(6)] : [a])),
  );
  for (const f of files) {
    if (!f.path.startsWith('apim/policies/')) continue;
    assert.match(f.path, /^apim\/policies\/[a-zA-Z0-9][a-zA-Z0-9-]*\.xml$/);
    const root = checkPolicy(f.path, f.content);
    for (const a of find(root, 'audience')) assert.ok(audiences.has(apimValue(a.text)), `${f.path}: audience ${JSON.stringify(a.text)} is none of the design's`);
  }
}

function run(d: RandomDesign, caPems?: ReadonlyMap<string, string>): { design: Design; files: readonly GeneratedFile[] } {
  const a = analyze(d.text, { now: NOW });
  const errors = a.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(
    errors.map((f) => `${f.ruleId} ${f.message}`),
    [],
    'the random design has validation errors (the arbitrary must build valid designs)',
  );
  assert.ok(a.design, 'the design does not satisfy the schema');
  const inputs = caPems ? { caPems } : {};
  const first = generate(a.design, inputs);
  const second = generate(a.design, inputs);
  assert.deepEqual(
    second.files.map((f) => f.path),
    first.files.map((f) => f.path),
    'the file set differs between two runs',
  );
  first.files.forEach((f, i) => assert.equal(second.files[i]!.content, f.content, `${f.path} differs between two runs`));
  return { design: a.design, files: first.files };
}

// ---------------------------------------------------------------- properties

test(`random valid designs (${RUNS} runs): generation succeeds, is deterministic and passes every offline check`, () => {
  const started = Date.now();
  let resources = 0;
  fc.assert(
    fc.property(validDesign(), fc.boolean(), (d, withPems) => {
      const { design, files } = run(d, withPems ? CA_PEMS : undefined);
      checkGenerated(design, files);
      resources += allResources(JSON.parse(fileOf(files, 'infra/main.json')) as ArmTemplateJson).length;
    }),
    params(RUNS),
  );
  console.log(`# ${RUNS} designs, ${resources} resources checked in ${Date.now() - started} ms`);
});

test('the hostile-strings design: every hostile fragment in every free-text field reads back exactly', () => {
  const { design, files } = run(hostileDesign(), CA_PEMS);
  checkGenerated(design, files);
});

// ---------------------------------------------------------------- accepted means generated

/**
 * Risky changes to a valid design: things the schema allows that the generator might not express. Whenever the
 * validator still has no error on the result, generation must succeed and pass every check; when it has an error,
 * nothing is generated (the CLI refuses), which is fine.
 */
const MUTATIONS: ReadonlyArray<readonly [string, (d: DesignInput, pick: number) => void]> = [
  ['API Management sku PremiumV2', (d, i) => apims(d)[i % apims(d).length]!.properties!.sku = 'PremiumV2'],
  ['API Management sku BasicV2 or StandardV2', (d, i) => Object.assign(apims(d)[i % apims(d).length]!.properties!, { sku: i % 2 ? 'BasicV2' : 'StandardV2', virtualNetworkType: i % 3 ? 'None' : 'External' })],
  ['a wildcard ingress host', (d, i) => ingressOf(d, i, (g) => g.hostName && (g.hostName = wildcard(d, g.serverCertificate, g.hostName)))],
  ['a wildcard API Management host', (d, i) => { const a = apims(d)[i % apims(d).length]!.properties!; if (a.hostName) a.hostName = wildcard(d, a.certificate, a.hostName); }],
  ['a wildcard gateway host', (d) => { const g = d.nodes.find((n) => n.type === 'applicationGateway'); if (g?.properties && 'hostName' in g.properties && g.properties.hostName) g.properties.hostName = wildcard(d, g.properties.certificate, g.properties.hostName); }],
  ['the ingress verifies optionally', (d, i) => ingressOf(d, i, (g) => (g.verifyClient = i % 2 ? 'optional' : 'optional_no_ca'))],
  ['clientCa is an intermediate CA', (d, i) => ingressOf(d, i, (g) => (g.clientCa = 'issuing-ca-1'))],
  ['trustedCa is an intermediate CA', (d) => { for (const e of d.edges ?? []) if (e.type === 'mtls' || e.type === 'https') Object.assign(e, { properties: { ...e.properties, trustedCa: 'issuing-ca-1' } }); }],
  ['the ingress certificate comes from a public CA', (d) => { for (const c of d.certificates ?? []) if (/^(aks|k8s|cluster)/.test(c.id) && c.role === 'server') c.issuer = 'external'; }],
  ['API Management calls a cluster over https', (d) => { for (const e of d.edges ?? []) if (e.type === 'mtls') Object.assign(e, { type: 'https', properties: {} }); for (const n of d.nodes) if (n.type === 'aksCluster') n.properties!.ingress!.verifyClient = 'off'; }],
  ['a second virtual network', (d) => d.nodes.push({ id: 'vnet-2', type: 'virtualNetwork', properties: { addressSpace: '10.99.0.0/16' } })],
  ['a second Application Gateway', (d) => { const g = d.nodes.find((n) => n.type === 'applicationGateway'); if (g) { d.nodes.push({ ...g, id: 'appgw-2', name: undefined }); d.edges!.push({ from: 'internet', to: 'appgw-2', type: 'https' }, { from: 'appgw-2', to: 'kv', type: 'secrets' }); } }],
  ['the gateway reads the vault of its certificate only', (d) => { d.edges = (d.edges ?? []).filter((e) => !(e.from === 'appgw' && e.type === 'secrets')); }],
  ['no Key Vault', (d) => { d.nodes = d.nodes.filter((n) => n.type !== 'keyVault'); d.edges = (d.edges ?? []).filter((e) => d.nodes.some((n) => n.id === e.to) && d.nodes.some((n) => n.id === e.from)); for (const c of d.certificates ?? []) delete c.keyVault; }],
  ['Key Vault with access policies, SQL and Cosmos DB with local authentication', (d) => { for (const n of d.nodes) { if (n.type === 'keyVault') Object.assign(n.properties!, { rbacAuthorization: false, purgeProtection: false }); if (n.type === 'sqlDatabase') Object.assign(n.properties!, { entraOnlyAuthentication: false, auditing: false }); if (n.type === 'cosmosDb') Object.assign(n.properties!, { localAuth: true }); if (n.type === 'containerRegistry') Object.assign(n.properties!, { adminUser: true, anonymousPull: true }); } }],
  ['a cluster without the Key Vault secrets provider and workload identity', (d, i) => { const c = clusters(d)[i % clusters(d).length]!; Object.assign(c.properties!, { keyVaultSecretsProvider: false, workloadIdentity: false }); }],
  ['two APIs with one path', (d) => { const a = apims(d)[0]!.properties!; if (a.apis?.length) a.apis.push({ ...a.apis[0]!, name: 'dup-path' }); }],
  ['an API for a service of a cluster it does not call', (d) => { const a = apims(d)[0]!.properties!; const far = clusters(d).at(-1)!.properties!.services?.[0]; if (far) (a.apis ??= []).push({ name: 'far', path: 'far', service: far.name }); }],
  ['an empty audience', (d) => { for (const a of apims(d)) for (const api of a.properties!.apis ?? []) api.audience = ''; }],
  ['a hostile VM size and authorized range', (d, i) => { const c = clusters(d)[i % clusters(d).length]!; Object.assign(c.properties!, { nodeVmSize: "Standard_D4'${x}<&>", privateCluster: false, authorizedIpRanges: ['10.0.0.0/33', "'x"] }); }],
  ['an ingress annotation the generator also writes', (d, i) => ingressOf(d, i, (g) => (g.annotations = { 'nginx.ingress.kubernetes.io/auth-tls-verify-depth': '9', 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPCS' }))],
  ['no Log Analytics workspace', (d) => { d.nodes = d.nodes.filter((n) => n.type !== 'logAnalytics' && n.type !== 'sentinel'); d.edges = (d.edges ?? []).filter((e) => d.nodes.some((n) => n.id === e.to) && d.nodes.some((n) => n.id === e.from)); }],
  ['no clusters at all', (d) => { const gone = new Set(clusters(d).map((n) => n.id)); d.nodes = d.nodes.filter((n) => !gone.has(n.id)); d.edges = (d.edges ?? []).filter((e) => !gone.has(e.from) && !gone.has(e.to)); for (const a of apims(d)) a.properties!.apis = []; }],
  ['a minimal address space', (d) => { const v = d.nodes.find((n) => n.type === 'virtualNetwork')!; v.properties = { addressSpace: '10.0.0.0/20' }; }],
  ['a long design name', (d) => (d.metadata.name = 'abcdefghijklmnopqrst')],
  ['a tag value of 300 characters', (d) => (d.metadata.tags = { long: 'x'.repeat(300) })],
  ['a publisher name of 101 characters', (d) => { for (const a of apims(d)) a.properties!.publisherName = 'p'.repeat(101); }],
  ['an API display name of 301 characters, an empty one', (d) => { for (const a of apims(d)) (a.properties!.apis ?? []).forEach((api, i) => (api.displayName = i % 2 ? '' : 'd'.repeat(301))); }],
  ['a label, a description and tags of 2,000 characters', (d) => { d.metadata.description = 'd'.repeat(2000); d.metadata.tags = { ['k'.repeat(600)]: 'v' }; for (const n of d.nodes) n.label = 'l'.repeat(2000); }],
  ['nothing but the network', (d) => { d.nodes = d.nodes.filter((n) => n.type === 'virtualNetwork'); d.edges = []; d.certificates = []; }],
];

/** "*.<parent domain>" of a host, also made the only name of its certificate. */
function wildcard(d: DesignInput, certId: string | undefined, host: string): string {
  const w = `*.${host.split('.').slice(1).join('.')}`;
  const cert = d.certificates?.find((c) => c.id === certId);
  if (cert) cert.dnsNames = [w];
  return w;
}

type NodeInput = DesignInput['nodes'][number];
type Props<T extends NodeInput['type']> = NonNullable<Extract<NodeInput, { type: T }>['properties']>;
const apims = (d: DesignInput) => d.nodes.filter((n): n is Extract<NodeInput, { type: 'apiManagement' }> => n.type === 'apiManagement');
const clusters = (d: DesignInput) => d.nodes.filter((n): n is Extract<NodeInput, { type: 'aksCluster' }> => n.type === 'aksCluster');
function ingressOf(d: DesignInput, i: number, change: (g: NonNullable<Props<'aksCluster'>['ingress']>) => void): void {
  const c = clusters(d)[i % clusters(d).length]!;
  c.properties ??= {};
  change((c.properties.ingress ??= {}));
}

test(`accepted means generated: risky changes to random designs (${RUNS} runs)`, () => {
  const outcome = new Map<string, { accepted: number; refused: number }>();
  fc.assert(
    fc.property(validDesign(), fc.nat(MUTATIONS.length - 1), fc.nat(9), (d, which, pick) => {
      const input = structuredClone(d.input);
      const [title, mutate] = MUTATIONS[which]!;
      mutate(input, pick);
      const text = stringify(input, { lineWidth: 0 });
      const a = analyze(text, { now: NOW });
      const o = outcome.get(title) ?? { accepted: 0, refused: 0 };
      outcome.set(title, o);
      if (!a.design || a.findings.some((f) => f.severity === 'error')) {
        o.refused++;
        return;
      }
      o.accepted++;
      let files: readonly GeneratedFile[];
      try {
        files = generate(a.design).files;
      } catch (e) {
        assert.fail(`${title}: the validator accepts the design but generation throws: ${(e as Error).message}`);
      }
      checkGenerated(a.design, files);
    }),
    params(RUNS),
  );
  console.log(`# ${[...outcome].map(([t, o]) => `${t}: ${o.accepted} accepted, ${o.refused} refused`).join('\n# ')}`);
});
