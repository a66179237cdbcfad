/**
 * Random VALID designs for property-based tests (fast-check). A design is built from a plan of random choices so
 * that it satisfies the schema and has no error finding by construction (the tests still check that): the request
 * path internet -> Application Gateway -> API Management -> mTLS -> AKS ingress with one to three clusters, zero
 * to two more API Management instances, a PKI with zero to two intermediate CAs (verify depth follows the client
 * chains), each optional component present or not, the SKUs and modes the validator accepts, one TLS minimum along
 * the chain, an address space just large enough or larger, explicit Azure names, and hostile strings (quotes,
 * backslashes, `${`, `<`, `&`, brackets, `{{`, `@(`, line breaks, unicode, comment markers) in the description,
 * tags, labels and the other free-text fields.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { resolvedName, resourceName } from '../../src/model/naming.js';
import type { Design, DesignInput } from '../../src/schemas/design.js';
import { armLiteralValue, isArmExpression, resourcesOf, type ArmResourceJson } from './bicep.js';
import { evaluateString } from './arm-server/expressions.js';

/** The resource group names are evaluated in (a derived globally unique name ends with its uniqueString). */
const EXAMPLE_GROUP = { subscriptionId: '00000000-0000-0000-0000-000000000000', tenantId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg-example', location: 'westeurope', parameters: {} };
const EXAMPLE_GROUP_ID = `/subscriptions/${EXAMPLE_GROUP.subscriptionId}/resourceGroups/${EXAMPLE_GROUP.resourceGroup}`;

/** A resource's name as Resource Manager evaluates it in the example resource group; undefined when it cannot be evaluated here (a module's parameter). */
export function evaluatedName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  if (!isArmExpression(name)) return armLiteralValue(name);
  try {
    const v = evaluateString(name, EXAMPLE_GROUP);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface RandomDesign {
  /** The design as data (input form: defaults not filled in). */
  readonly input: DesignInput;
  /** The same design as YAML text, as a user would save it. */
  readonly text: string;
}

// ---------------------------------------------------------------- hostile strings

/** Fragments that break out of a string in some language the generators write (Bicep, ARM JSON, YAML, XML, C#, Markdown). */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  "'",
  '"',
  '\\',
  '\\n',
  '${',
  '${x}',
  "${resourceGroup().id}",
  '<',
  '>',
  '&',
  '&amp;',
  '<b>',
  ']]>',
  '<!--',
  ']',
  '[',
  '[x]',
  "[concat('a')]",
  '{{',
  '}}',
  '{{name}}',
  '{0}',
  '@(',
  '@("x")',
  '@{',
  '\n',
  '\r\n',
  '\t',
  'é',
  'ü',
  '日本',
  '😀',
  '\u2028',
  '*/',
  '/*',
  '//',
  '#',
  '--',
  ': ',
  '- ',
  '|',
  '%',
  '`',
  'on',
  'null',
  ' ',
];

/** A short string made of hostile fragments and plain text (at most `max` characters). */
export function hostileString(max = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) }), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join('').slice(0, max))
    .filter((s) => s.length > 0 && !/[\uD800-\uDBFF]$/.test(s));
}

/**
 * Tag names: Azure refuses < > % & \ ? / in them (tag-resources#limitations) and compares them without case; the
 * other hostile characters are allowed.
 */
function tagName(): fc.Arbitrary<string> {
  return hostileString(40)
    .map((s) => s.replace(/[<>%&\\?/]/g, ''))
    .filter((s) => s.trim().length > 0);
}

/** Tags: hostile names and values, names distinct without case. */
function tags(): fc.Arbitrary<Record<string, string>> {
  return fc
    .uniqueArray(fc.tuple(tagName(), fc.oneof(hostileString(100), fc.constantFrom('', 'prod', '[x]', '[1234]'))), {
      maxLength: 4,
      selector: ([k]) => k.toLowerCase(),
    })
    .map((entries) => Object.fromEntries(entries));
}

// ---------------------------------------------------------------- names

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}0123456789`;

function token(min: number, max: number, chars = ALNUM): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
}

/** metadata.name: [a-z][a-z0-9-]{1,19}, without the double or trailing hyphens that derived Key Vault names refuse; at most 15 characters. */
const designName = fc
  .tuple(fc.constantFrom(...LOWER), token(1, 8), fc.option(token(1, 5), { nil: undefined }))
  .map(([first, rest, suffix]) => `${first}${rest}${suffix ? `-${suffix}` : ''}`);

const LOCATIONS = ['westeurope', 'northeurope', 'eastus2', 'swedencentral', 'uksouth', 'australiaeast', 'japaneast'];

/** A DNS label, sometimes with upper-case letters (the schema's host name pattern allows them). */
function dnsLabel(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...LOWER), token(0, 10, `${ALNUM}-`), fc.constantFrom(...ALNUM)).map(([a, b, c]) => `${a}${b}${c}`) },
    { weight: 1, arbitrary: fc.constantFrom('Orders', 'API', 'x', 'a1', 'xn--bcher-kva', 'gw-01') },
  );
}

/** A domain of two to three labels ending in a real-looking top-level domain. */
const domain = fc
  .tuple(fc.array(dnsLabel(), { minLength: 1, maxLength: 2 }), fc.constantFrom('com', 'net', 'io', 'org', 'COM', 'contoso', 'internal'))
  .map(([labels, tld]) => [...labels, tld].join('.'));

// ---------------------------------------------------------------- the plan

type Tls = '1.2' | '1.3';
type Controller = 'appRouting' | 'gatewayApi' | 'ingressNginx';
type Backend = 'https' | 'http' | 'passthrough';

interface ApimPlan {
  readonly sku: 'Developer' | 'Premium' | 'Basic' | 'Standard' | 'BasicV2' | 'StandardV2' | 'Consumption';
  readonly mode: 'Internal' | 'External' | 'None';
  readonly capacity: number;
  readonly customDomain: boolean;
  readonly hostLabel: string;
  /** A wildcard custom domain (only where no Application Gateway forwards to it: GW303). */
  readonly wildcardHost: boolean;
  /** Which CA issues its custom-domain certificate, its client certificate: an index into the CA chain. */
  readonly serverIssuer: number;
  readonly clientIssuer: number;
  /** Indexes of the clusters it calls (over mTLS), before reduction modulo the cluster count. */
  readonly calls: readonly number[];
  readonly apis: ReadonlyArray<{ readonly name: string; readonly path: string; readonly service: number; readonly displayName?: string; readonly audience?: string; readonly subscriptionRequired: boolean }>;
  readonly publisherName: string;
  readonly trustedCaOverride: boolean;
  readonly label?: string;
  readonly explicitName: boolean;
  readonly appInsights: boolean;
}

interface ClusterPlan {
  readonly controller: Controller;
  readonly backend: Backend;
  readonly hostLabel: string;
  readonly wildcardCertificate: boolean;
  readonly serverIssuer: number;
  readonly extraDepth: number;
  readonly clientCaOverride: boolean;
  readonly services: ReadonlyArray<{ readonly name: string; readonly namespace: string; readonly port: number; readonly path: string }>;
  readonly privateCluster: boolean;
  readonly networkPolicy: 'azure' | 'calico' | 'cilium' | 'none';
  readonly autoUpgrade: 'stable' | 'rapid' | 'patch' | 'node-image' | 'none';
  readonly nodeCount: number;
  readonly nodeVmSize: string;
  readonly options: {
    readonly certificateWhenIdle: boolean;
    readonly verifyOffWhenIdle: boolean;
    readonly localAccounts: boolean;
    readonly azureRbac: boolean;
    readonly workloadIdentity: boolean;
    readonly azurePolicy: boolean;
    readonly secretRotation: boolean;
    readonly encryptionAtHost: boolean;
    readonly upperCaseHost: boolean;
  };
  readonly keyAlgorithm: 'RSA' | 'EC';
  readonly annotation: string | undefined;
  readonly label?: string;
  readonly explicitName: boolean;
}

interface Plan {
  readonly name: string;
  readonly location: string;
  readonly description: string | undefined;
  readonly tags: Record<string, string> | undefined;
  readonly tls: Tls;
  readonly domain: string;
  readonly intermediates: number;
  readonly gateway: {
    readonly present: boolean;
    readonly wafMode: 'Prevention' | 'Detection';
    readonly ruleSetVersion: 'DRS 2.1' | 'OWASP 3.2' | 'OWASP 3.1' | 'OWASP 3.0';
    readonly botProtection: boolean;
    readonly minCapacity: number;
    readonly zones: ReadonlyArray<'1' | '2' | '3'>;
    readonly disabledRules: readonly string[];
    readonly trustedCaOverride: boolean;
    readonly hostLabel: string;
    /** A wildcard listener host name (hostNames in the template). */
    readonly wildcardHost: boolean;
    readonly explicitName: boolean;
  };
  readonly frontApim: ApimPlan;
  readonly otherApims: readonly ApimPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly entra: { readonly tenantId: string | undefined; readonly audience: string; readonly clientApplicationIds: readonly string[] };
  readonly keyVaults: number;
  readonly keyVault: { readonly publicNetworkAccess: 'Disabled' | 'Enabled'; readonly softDeleteRetentionDays: number; readonly explicitName: boolean };
  readonly registry: { readonly present: boolean; readonly privateLink: boolean; readonly sku: 'Premium' | 'Standard' | 'Basic'; readonly explicitName: boolean };
  readonly sql: { readonly present: boolean; readonly publicNetworkAccess: 'Disabled' | 'Enabled'; readonly explicitName: boolean };
  readonly cosmos: { readonly present: boolean; readonly publicNetworkAccess: 'Disabled' | 'Enabled'; readonly explicitName: boolean };
  readonly identityFromNetwork: boolean;
  /** Settings the validator only warns about (the generator must still express them). */
  readonly relaxed: {
    readonly noPurgeProtection: boolean;
    readonly sqlLogins: boolean;
    readonly sqlAuditingOff: boolean;
    readonly cosmosKeys: boolean;
    readonly registryAdmin: boolean;
    readonly anonymousPull: boolean;
  };
  readonly logs: { readonly present: boolean; readonly retentionDays: number; readonly second: boolean; readonly explicitName: boolean };
  readonly appInsights: { readonly present: boolean; readonly localAuth: boolean; readonly hostileName: string | undefined };
  readonly defender: { readonly present: boolean; readonly plans: readonly string[] };
  readonly sentinel: boolean;
  readonly bastion: { readonly present: boolean; readonly toNetwork: boolean; readonly explicitName: boolean };
  readonly addressSpace: { readonly base: string; readonly slack: number };
  readonly labels: readonly (string | undefined)[];
  readonly explicitIds: boolean;
  readonly ids: { readonly vaults: readonly string[]; readonly apims: readonly string[]; readonly clusters: readonly string[] };
}

const optionalHostile = (freq = 2) => fc.option(hostileString(), { nil: undefined, freq });

// "2-orders" on "apim" and "orders" on "apim-2" both give "apim-2-orders": names derived from both must not collide.
const API_NAMES = ['orders', 'payments', 'Catalog', 'users-v2', 'a', 'x1', '2-orders', '1-x1'];
const SERVICE_NAMES = ['orders', 'payments', 'catalog', 'api', 'web-1', 's'];
const NAMESPACES = ['default', 'orders', 'team-a', 'x'];
const VM_SIZES = ['Standard_D4ds_v5', 'Standard_D2s_v3', 'Standard_D8as_v5', 'Standard_E4s_v5'];
const DEFENDER_PLAN_NAMES = ['Containers', 'KeyVaults', 'Api', 'SqlServers', 'CosmosDbs', 'Arm', 'Dns', 'StorageAccounts', 'AppServices', 'VirtualMachines'];

const apiPath = fc.oneof(fc.constantFrom('', 'orders', 'v1/orders', 'a.b', 'x_y-z', 'api/v2', 'Pay'), token(1, 8));

function apimPlan(front: boolean): fc.Arbitrary<ApimPlan> {
  const skuMode = front
    ? fc.record({ sku: fc.constantFrom('Developer' as const, 'Premium' as const), mode: fc.constant('Internal' as const) })
    : fc.oneof(
        fc.record({ sku: fc.constantFrom('Developer' as const, 'Premium' as const), mode: fc.constantFrom('Internal' as const, 'External' as const, 'None' as const) }),
        fc.record({ sku: fc.constantFrom('Basic' as const, 'Standard' as const, 'BasicV2' as const, 'StandardV2' as const, 'Consumption' as const), mode: fc.constant('None' as const) }),
        fc.record({ sku: fc.constant('StandardV2' as const), mode: fc.constant('External' as const) }),
      );
  return fc.record({
    skuMode,
    capacity: fc.integer({ min: 1, max: 4 }),
    customDomain: front ? fc.constant(true) : fc.boolean(),
    hostLabel: dnsLabel(),
    wildcardHost: front ? fc.constant(false) : fc.boolean(),
    serverIssuer: fc.nat(3),
    clientIssuer: fc.nat(3),
    calls: fc.uniqueArray(fc.nat(2), { minLength: 0, maxLength: 3 }),
    apis: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom(...API_NAMES),
        path: apiPath,
        service: fc.nat(20),
        displayName: fc.option(hostileString(), { nil: undefined }),
        audience: fc.option(fc.oneof(fc.constant('api://orders'), hostileString()), { nil: undefined, freq: 3 }),
        subscriptionRequired: fc.boolean(),
      }),
      { maxLength: 3, selector: (a) => a.name.toLowerCase() },
    ),
    publisherName: fc.oneof(fc.constant('Contoso platform team'), hostileString()),
    trustedCaOverride: fc.boolean(),
    label: optionalHostile(),
    explicitName: fc.boolean(),
    appInsights: fc.boolean(),
  }).map(({ skuMode, capacity, ...rest }) => ({ ...rest, sku: skuMode.sku, mode: skuMode.mode, capacity: skuMode.sku === 'Developer' ? 1 : capacity }));
}

const clusterPlan: fc.Arbitrary<ClusterPlan> = fc.record({
  controller: fc.constantFrom<Controller>('appRouting', 'gatewayApi', 'ingressNginx'),
  backend: fc.constantFrom<Backend>('https', 'http', 'passthrough'),
  hostLabel: dnsLabel(),
  wildcardCertificate: fc.boolean(),
  serverIssuer: fc.nat(3),
  extraDepth: fc.nat(2),
  clientCaOverride: fc.boolean(),
  services: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...SERVICE_NAMES),
      namespace: fc.constantFrom(...NAMESPACES),
      port: fc.constantFrom(443, 8443, 80, 8080, 65535, 1),
      // Paths the NGINX ingress's strict path validation accepts (GW421).
      path: fc.constantFrom('/', '/api', '/v1/orders', '/a_b-c'),
    }),
    { minLength: 0, maxLength: 3, selector: (s) => s.name },
    // One path per service: the services of a cluster share its ingress host (GW422).
  ).map((list) => list.filter((s, i) => list.findIndex((t) => t.path === s.path) === i)),
  privateCluster: fc.boolean(),
  networkPolicy: fc.constantFrom('azure' as const, 'calico' as const, 'cilium' as const, 'none' as const),
  autoUpgrade: fc.constantFrom('stable' as const, 'rapid' as const, 'patch' as const, 'node-image' as const, 'none' as const),
  nodeCount: fc.integer({ min: 1, max: 5 }),
  nodeVmSize: fc.constantFrom(...VM_SIZES),
  options: fc.record({
    certificateWhenIdle: fc.boolean(),
    verifyOffWhenIdle: fc.boolean(),
    localAccounts: fc.boolean(),
    azureRbac: fc.boolean(),
    workloadIdentity: fc.boolean(),
    azurePolicy: fc.boolean(),
    secretRotation: fc.boolean(),
    encryptionAtHost: fc.boolean(),
    upperCaseHost: fc.boolean(),
  }),
  keyAlgorithm: fc.constantFrom('RSA' as const, 'EC' as const),
  annotation: fc.option(hostileString(), { nil: undefined, freq: 3 }),
  label: optionalHostile(),
  explicitName: fc.boolean(),
});

const guid = fc.uuid().map((u) => u.toLowerCase());

const plan: fc.Arbitrary<Plan> = fc.record({
  name: designName,
  location: fc.constantFrom(...LOCATIONS),
  description: fc.option(hostileString(120), { nil: undefined, freq: 5 }),
  tags: fc.option(tags(), { nil: undefined, freq: 5 }),
  tls: fc.constantFrom<Tls>('1.2', '1.3'),
  domain,
  intermediates: fc.nat(2),
  gateway: fc.record({
    present: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    wafMode: fc.constantFrom('Prevention' as const, 'Detection' as const),
    ruleSetVersion: fc.constantFrom('DRS 2.1' as const, 'OWASP 3.2' as const, 'OWASP 3.1' as const, 'OWASP 3.0' as const),
    botProtection: fc.boolean(),
    minCapacity: fc.integer({ min: 0, max: 4 }),
    zones: fc.subarray(['1', '2', '3'] as const),
    disabledRules: fc.subarray(['920300', '942100', '99031001', '200004', '800100', 'not-a-rule', "9'2<0>&"]),
    trustedCaOverride: fc.boolean(),
    hostLabel: dnsLabel(),
    wildcardHost: fc.boolean(),
    explicitName: fc.boolean(),
  }),
  frontApim: apimPlan(true),
  otherApims: fc.array(apimPlan(false), { maxLength: 2 }),
  clusters: fc.array(clusterPlan, { minLength: 1, maxLength: 3 }),
  entra: fc.record({
    tenantId: fc.option(guid, { nil: undefined }),
    audience: fc.oneof(fc.constant('api://orders'), guid, hostileString()),
    clientApplicationIds: fc.array(fc.oneof(guid, hostileString(30)), { maxLength: 2 }),
  }),
  keyVaults: fc.integer({ min: 1, max: 2 }),
  keyVault: fc.record({
    publicNetworkAccess: fc.constantFrom('Disabled' as const, 'Enabled' as const),
    softDeleteRetentionDays: fc.constantFrom(7, 30, 90),
    explicitName: fc.boolean(),
  }),
  registry: fc.record({
    present: fc.boolean(),
    privateLink: fc.boolean(),
    sku: fc.constantFrom('Premium' as const, 'Standard' as const, 'Basic' as const),
    explicitName: fc.boolean(),
  }),
  sql: fc.record({ present: fc.boolean(), publicNetworkAccess: fc.constantFrom('Disabled' as const, 'Enabled' as const), explicitName: fc.boolean() }),
  cosmos: fc.record({ present: fc.boolean(), publicNetworkAccess: fc.constantFrom('Disabled' as const, 'Enabled' as const), explicitName: fc.boolean() }),
  identityFromNetwork: fc.boolean(),
  relaxed: fc.record({
    noPurgeProtection: fc.boolean(),
    sqlLogins: fc.boolean(),
    sqlAuditingOff: fc.boolean(),
    cosmosKeys: fc.boolean(),
    registryAdmin: fc.boolean(),
    anonymousPull: fc.boolean(),
  }),
  logs: fc.record({ present: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), retentionDays: fc.constantFrom(30, 90, 365, 730), second: fc.boolean(), explicitName: fc.boolean() }),
  appInsights: fc.record({
    present: fc.boolean(),
    localAuth: fc.boolean(),
    // Application Insights names allow almost any character (not % & \ ? /, not ending with a space or period).
    hostileName: fc.option(
      hostileString(40)
        .map((s) => `appi${s.replace(/[%&\\?/\r\n\t\u2028]/g, '')}`)
        .map((s) => s.replace(/[ .]+$/, '')),
      { nil: undefined, freq: 3 },
    ),
  }),
  defender: fc.record({ present: fc.boolean(), plans: fc.subarray(DEFENDER_PLAN_NAMES) }),
  sentinel: fc.boolean(),
  bastion: fc.record({ present: fc.boolean(), toNetwork: fc.boolean(), explicitName: fc.boolean() }),
  addressSpace: fc.record({ base: fc.constantFrom('10.0.0.0', '10.128.0.0', '172.16.0.0', '192.168.0.0', '10.20.0.0'), slack: fc.nat(4) }),
  labels: fc.array(optionalHostile(), { minLength: 16, maxLength: 16 }),
  // Ids whose identifiers collide once the hyphens go ("aks-1" and "aks1"), to catch names derived from ids.
  ids: fc.record({
    vaults: fc.shuffledSubarray(['kv', 'kv-1', 'kv1', 'vault'], { minLength: 2, maxLength: 2 }),
    apims: fc.shuffledSubarray(['apim', 'apim-2', 'apim2', 'gw-1', 'gw1'], { minLength: 3, maxLength: 3 }),
    clusters: fc.shuffledSubarray(['aks', 'aks-1', 'aks1', 'aks-b', 'k8s', 'cluster-x'], { minLength: 3, maxLength: 3 }),
  }),
  explicitIds: fc.boolean(),
});

// ---------------------------------------------------------------- from a plan to a design

type Node = DesignInput['nodes'][number];
type Edge = NonNullable<DesignInput['edges']>[number];
type Cert = NonNullable<DesignInput['certificates']>[number];

/** Addresses each subnet needs (the validator's rule GW193 and the generator's plan agree on these sizes). */
function subnetSizes(d: { gateway: boolean; apimsInNetwork: number; clusters: number; privateLinks: boolean; bastion: boolean }): number {
  return (d.gateway ? 256 : 0) + d.apimsInNetwork * 32 + d.clusters * 512 + (d.privateLinks ? 32 : 0) + (d.bastion ? 64 : 0);
}

function cidrFor(base: string, total: number, slack: number): string {
  let prefix = 32 - Math.ceil(Math.log2(Math.max(total, 16)));
  prefix = Math.max(16, prefix - slack);
  // The base addresses above are aligned to /16, so any prefix of 16 or more is aligned too.
  return `${base}/${prefix}`;
}

function withCase(name: string, upper: boolean): string {
  return upper ? name.toUpperCase() : name;
}

/** The design a plan describes. */
function buildDesign(p: Plan): DesignInput {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const certificates: Cert[] = [];
  let labelIndex = 0;
  const label = () => p.labels[labelIndex++ % p.labels.length];
  const add = (n: Node) => {
    const l = label();
    nodes.push(l === undefined || n.label !== undefined ? n : { ...n, label: l });
  };
  const edge = (e: Edge) => edges.push(e);
  const unique = new Set<string>();
  const edgeId = (from: string, to: string, type: string) => {
    // Edges of the same two nodes (an imagePull and a privateLink to one registry) need their own ids.
    const key = `${from}-${to}`;
    if (!unique.has(key)) {
      unique.add(key);
      return p.explicitIds ? { id: `${key}-${type}` } : {};
    }
    return { id: `${key}-${type}` };
  };

  // ------------------------------------------------ key vaults and the PKI
  const vaults = p.ids.vaults.slice(0, p.keyVaults);
  const vaultOf = (i: number) => vaults[i % vaults.length]!;
  const cas = ['root-ca'];
  certificates.push({ id: 'root-ca', role: 'ca', issuer: 'self', keyVault: vaultOf(0), notAfter: '2040-12-31' });
  for (let i = 1; i <= p.intermediates; i++) {
    const id = `issuing-ca-${i}`;
    certificates.push({ id, role: 'ca', issuer: cas[i - 1]!, keyVault: vaultOf(i), secretName: `ca-${i}`, notAfter: '2039-12-31' });
    cas.push(id);
  }
  const ca = (i: number) => cas[i % cas.length]!;
  /** How many CAs sit above a leaf issued by this CA, up to the root (its verify depth). */
  const depthBelow = (caId: string) => cas.indexOf(caId) + 1;

  // ------------------------------------------------ API Management instances and clusters (ids)
  const apimPlans = [p.frontApim, ...p.otherApims];
  const apimIds = p.ids.apims.slice(0, apimPlans.length);
  const clusterIds = p.ids.clusters.slice(0, p.clusters.length);
  const aks0 = clusterIds[0]!;
  const apim0 = apimIds[0]!;

  // Which clusters each API Management calls: the front one always calls the first cluster.
  const calls = apimPlans.map((a, i) => {
    // Consumption cannot hold the private CA of the ingress certificates (GW129), and an instance outside the virtual
    // network cannot reach the private ingress (GW470): they call no cluster.
    if (a.sku === 'Consumption' || a.mode === 'None') return [];
    const set = new Set(a.calls.map((c) => c % p.clusters.length));
    if (i === 0) set.add(0);
    return [...set].sort();
  });
  const callers = p.clusters.map((_, c) => apimPlans.map((_a, i) => i).filter((i) => calls[i]!.includes(c)));

  // Clusters called over mTLS terminate TLS at the ingress; only a cluster nobody calls may pass TLS through.
  const backendOf = (c: number): Backend => (callers[c]!.length > 0 && p.clusters[c]!.backend === 'passthrough' ? 'https' : p.clusters[c]!.backend);

  // ------------------------------------------------ internet and Application Gateway
  const gwHost = p.gateway.wildcardHost ? `*.${p.domain}` : `${p.gateway.hostLabel}.${p.domain}`;
  if (p.gateway.present) {
    add({ id: 'internet', type: 'internet' });
    certificates.push({ id: 'gateway-tls', role: 'server', issuer: 'external', keyVault: vaultOf(0), dnsNames: [gwHost], autoRenew: true });
    add({
      id: 'appgw',
      type: 'applicationGateway',
      ...(p.gateway.explicitName ? { name: `agw_${p.name}.01_` } : {}),
      properties: {
        sku: 'WAF_v2',
        wafMode: p.gateway.wafMode,
        hostName: gwHost,
        certificate: 'gateway-tls',
        minTlsVersion: p.tls,
        minCapacity: p.gateway.minCapacity,
        zones: [...p.gateway.zones],
        ruleSetVersion: p.gateway.ruleSetVersion,
        botProtection: p.gateway.botProtection,
        disabledRules: [...p.gateway.disabledRules],
      },
    });
    edge({ from: 'internet', to: 'appgw', type: 'https' });
    edge({ ...edgeId('appgw', apim0, 'https'), from: 'appgw', to: apim0, type: 'https', properties: p.gateway.trustedCaOverride ? { trustedCa: 'root-ca' } : {} });
    edge({ from: 'appgw', to: vaultOf(0), type: 'secrets' });
  }

  // ------------------------------------------------ clusters
  const clusterHosts = p.clusters.map((c, i) => withCase(`${c.hostLabel}-${i}.svc.${p.domain}`, c.options.upperCaseHost));
  // A cluster that passes TLS through routes by host name alone: one service at most (GW422).
  const clusterServices = p.clusters.map((c, i) => (backendOf(i) === 'passthrough' ? c.services.slice(0, 1) : c.services));
  p.clusters.forEach((c, i) => {
    const id = clusterIds[i]!;
    const called = callers[i]!.length > 0;
    const o = c.options;
    // A cluster nobody calls may serve a wildcard host (API Management needs a concrete one: GW302).
    const host = !called && c.wildcardCertificate && o.upperCaseHost ? `*.svc.${p.domain}` : clusterHosts[i]!;
    // A Gateway API ingress that passes TLS through routes by host name (GW301): it needs one.
    const withCert = called || o.certificateWhenIdle || (c.controller === 'gatewayApi' && backendOf(i) === 'passthrough');
    const serverCert = `${id}-tls`;
    const certVault = vaultOf(i + 1);
    if (withCert) {
      const wildcard = `*.svc.${p.domain}`;
      certificates.push({
        id: serverCert,
        role: 'server',
        issuer: ca(c.serverIssuer),
        keyVault: certVault,
        dnsNames: c.wildcardCertificate ? [wildcard] : [host],
        keyAlgorithm: c.keyAlgorithm,
        keySize: c.keyAlgorithm === 'EC' ? 256 : 2048,
        autoRenew: true,
      });
    }
    const clientDepth = Math.max(1, ...callers[i]!.map((a) => depthBelow(ca(apimPlans[a]!.clientIssuer))));
    add({
      id,
      type: 'aksCluster',
      ...(c.explicitName ? { name: `aks_${p.name}_${i}` } : {}),
      ...(c.label !== undefined ? { label: c.label } : {}),
      properties: {
        privateCluster: c.privateCluster,
        ...(c.privateCluster ? {} : { authorizedIpRanges: ['203.0.113.0/24', '198.51.100.7/32'] }),
        networkPolicy: c.networkPolicy,
        localAccounts: o.localAccounts,
        azureRbac: o.azureRbac,
        // Workloads that use a managed identity need workload identity (GW155): the first cluster has them.
        workloadIdentity: i === 0 ? true : o.workloadIdentity,
        keyVaultSecretsProvider: true,
        secretRotation: o.secretRotation,
        azurePolicy: o.azurePolicy,
        autoUpgrade: c.autoUpgrade,
        nodeCount: c.nodeCount,
        nodeVmSize: c.nodeVmSize,
        encryptionAtHost: o.encryptionAtHost,
        ingress: {
          controller: c.controller,
          ...(withCert ? { hostName: host, serverCertificate: serverCert } : {}),
          ...(called && c.clientCaOverride ? { clientCa: 'root-ca' } : {}),
          verifyClient: called ? 'on' : o.verifyOffWhenIdle ? 'off' : 'optional',
          verifyDepth: Math.min(10, clientDepth + c.extraDepth),
          backendProtocol: backendOf(i),
          minTlsVersion: p.tls,
          ...(c.annotation !== undefined ? { annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m', 'example.com/owner': c.annotation } } : {}),
        },
        services: clusterServices[i]!.map((s) => ({ ...s })),
      },
    });
    if (withCert) {
      edge({ ...edgeId(id, certVault, 'secrets'), from: id, to: certVault, type: 'secrets' });
    }
  });

  // ------------------------------------------------ API Management
  apimPlans.forEach((a, i) => {
    const id = apimIds[i]!;
    const host = i === 0 ? `gateway.${p.domain}` : a.wildcardHost ? `*.apim${i}.${p.domain}` : `${a.hostLabel}-apim${i}.${p.domain}`;
    const domainCert = `${id}-tls`;
    const clientCert = `${id}-client`;
    const vault = vaultOf(i);
    const reads = new Set<string>();
    if (a.customDomain) {
      certificates.push({ id: domainCert, role: 'server', issuer: ca(a.serverIssuer), keyVault: vault, dnsNames: [host], autoRenew: true });
      reads.add(vault);
    }
    const called = calls[i]!;
    if (called.length > 0) {
      certificates.push({ id: clientCert, role: 'client', issuer: ca(a.clientIssuer), keyVault: vaultOf(i + 1), autoRenew: true });
      // It also holds the CA chain of the ingress certificates (GW210), wherever the CAs are kept.
      for (const v of vaults) reads.add(v);
    }
    // APIs name services of the clusters this instance calls.
    const services = called.flatMap((c) => clusterServices[c]!.map((s) => s.name));
    const apis = services.length === 0 ? [] : a.apis.map((api) => ({
      name: api.name,
      path: api.path,
      service: services[api.service % services.length]!,
      ...(api.displayName !== undefined ? { displayName: api.displayName } : {}),
      ...(api.audience !== undefined ? { audience: api.audience } : {}),
      subscriptionRequired: api.subscriptionRequired,
    }));
    // Paths are unique within an instance.
    const seenPaths = new Set<string>();
    const uniqueApis = apis.filter((api) => (seenPaths.has(api.path.toLowerCase()) ? false : (seenPaths.add(api.path.toLowerCase()), true)));
    add({
      id,
      type: 'apiManagement',
      ...(a.explicitName ? { name: `apim-${p.name}-${i}x` } : {}),
      ...(a.label !== undefined ? { label: a.label } : {}),
      properties: {
        sku: a.sku,
        virtualNetworkType: a.mode,
        ...(a.customDomain ? { hostName: host, certificate: domainCert } : {}),
        publisherEmail: 'platform-team@contoso.com',
        publisherName: a.publisherName,
        minTlsVersion: p.tls,
        capacity: a.capacity,
        apis: uniqueApis,
      },
    });
    for (const v of [...reads].sort()) edge({ ...edgeId(id, v, 'secrets'), from: id, to: v, type: 'secrets' });
    for (const c of called) {
      const aks = clusterIds[c]!;
      edge({
        ...edgeId(id, aks, 'mtls'),
        from: id,
        to: aks,
        type: 'mtls',
        properties: { clientCertificate: clientCert, ...(a.trustedCaOverride ? { trustedCa: 'root-ca' } : {}) },
      });
    }
    if (uniqueApis.length > 0) edge({ from: id, to: 'entra', type: 'tokenValidation' });
  });
  add({
    id: 'entra',
    type: 'entraId',
    properties: {
      ...(p.entra.tenantId ? { tenantId: p.entra.tenantId } : {}),
      audience: p.entra.audience,
      clientApplicationIds: [...p.entra.clientApplicationIds],
    },
  });

  // ------------------------------------------------ key vaults
  vaults.forEach((v, i) => {
    add({
      id: v,
      type: 'keyVault',
      ...(p.keyVault.explicitName ? { name: `kv-${p.name.replace(/-/g, '')}${i}`.slice(0, 24) } : {}),
      properties: {
        publicNetworkAccess: p.keyVault.publicNetworkAccess,
        purgeProtection: !p.relaxed.noPurgeProtection,
        // Every vault is read by every cluster: with access policies the generated (empty) list would lock them out (GW442).
        rbacAuthorization: true,
        softDeleteRetentionDays: p.keyVault.softDeleteRetentionDays,
      },
    });
    for (const aks of clusterIds) if (!edges.some((e) => e.from === aks && e.to === v && e.type === 'secrets')) edge({ ...edgeId(aks, v, 'secrets'), from: aks, to: v, type: 'secrets' });
    edge({ ...edgeId(aks0, v, 'privateLink'), from: aks0, to: v, type: 'privateLink' });
  });

  // ------------------------------------------------ data services and registry
  const identityFrom = p.identityFromNetwork ? 'vnet' : aks0;
  if (p.sql.present || p.cosmos.present) add({ id: 'workload-identity', type: 'managedIdentity' });
  if (p.registry.present) {
    add({
      id: 'acr',
      type: 'containerRegistry',
      ...(p.registry.explicitName ? { name: `acr${p.name.replace(/-/g, '')}01` } : {}),
      // Only Premium can close the public endpoint (GW168).
      properties: {
        sku: p.registry.privateLink ? 'Premium' : p.registry.sku,
        // Closed only with a private endpoint: the clusters pull from it (GW441).
        publicNetworkAccess: p.registry.privateLink ? 'Disabled' : 'Enabled',
        adminUser: p.relaxed.registryAdmin,
        // Anonymous pull exists in the Standard and Premium tiers only (container-registry anonymous-pull-access).
        anonymousPull: p.relaxed.anonymousPull && (p.registry.privateLink || p.registry.sku !== 'Basic'),
      },
    });
    for (const aks of clusterIds) edge({ ...edgeId(aks, 'acr', 'imagePull'), from: aks, to: 'acr', type: 'imagePull' });
    if (p.registry.privateLink) edge({ ...edgeId(aks0, 'acr', 'privateLink'), from: aks0, to: 'acr', type: 'privateLink' });
  }
  if (p.sql.present) {
    add({ id: 'sql', type: 'sqlDatabase', ...(p.sql.explicitName ? { name: `sql-${p.name}-x` } : {}), properties: { publicNetworkAccess: p.sql.publicNetworkAccess, minTlsVersion: p.tls, entraOnlyAuthentication: !p.relaxed.sqlLogins, auditing: !p.relaxed.sqlAuditingOff } });
    edge({ ...edgeId(identityFrom, 'sql', 'privateLink'), from: identityFrom, to: 'sql', type: 'privateLink', properties: { identity: 'workload-identity' } });
  }
  if (p.cosmos.present) {
    add({ id: 'cosmos', type: 'cosmosDb', ...(p.cosmos.explicitName ? { name: `cosmos-${p.name}-x` } : {}), properties: { publicNetworkAccess: p.cosmos.publicNetworkAccess, minTlsVersion: p.tls, localAuth: p.relaxed.cosmosKeys } });
    edge({ ...edgeId(identityFrom, 'cosmos', 'privateLink'), from: identityFrom, to: 'cosmos', type: 'privateLink', properties: { identity: 'workload-identity' } });
  }

  // ------------------------------------------------ monitoring and security
  const workspaces = p.logs.present ? (p.logs.second ? ['logs', 'security-logs'] : ['logs']) : [];
  workspaces.forEach((w, i) =>
    add({ id: w, type: 'logAnalytics', ...(p.logs.explicitName ? { name: `log-${p.name}-${i}` } : {}), properties: { retentionDays: i === 0 ? p.logs.retentionDays : 365 } }),
  );
  if (p.appInsights.present) {
    add({ id: 'appinsights', type: 'applicationInsights', ...(p.appInsights.hostileName ? { name: p.appInsights.hostileName } : {}), properties: { localAuth: p.appInsights.localAuth } });
    apimPlans.forEach((a, i) => {
      if (a.appInsights) edge({ ...edgeId(apimIds[i]!, 'appinsights', 'diagnostics'), from: apimIds[i]!, to: 'appinsights', type: 'diagnostics' });
    });
    edge({ ...edgeId(aks0, 'appinsights', 'diagnostics'), from: aks0, to: 'appinsights', type: 'diagnostics' });
  }
  if (p.defender.present) {
    add({ id: 'defender', type: 'defenderForCloud', properties: { plans: [...p.defender.plans] as never } });
    for (const target of [...clusterIds, ...apimIds, ...vaults, ...(p.registry.present ? ['acr'] : []), ...(p.sql.present ? ['sql'] : []), ...(p.cosmos.present ? ['cosmos'] : [])]) {
      edge({ from: 'defender', to: target, type: 'protects' });
    }
  }
  if (p.bastion.present) {
    add({ id: 'bastion', type: 'bastion', ...(p.bastion.explicitName ? { name: `bas.${p.name}_1` } : {}) });
    edge({ from: 'bastion', to: aks0, type: 'remoteAccess' });
    if (p.bastion.toNetwork) edge({ from: 'bastion', to: 'vnet', type: 'remoteAccess' });
  }

  // ------------------------------------------------ the network
  const privateLinks = edges.some((e) => e.type === 'privateLink');
  const apimsInNetwork = apimPlans.filter((a) => a.mode !== 'None').length;
  const total = subnetSizes({ gateway: p.gateway.present, apimsInNetwork, clusters: p.clusters.length, privateLinks, bastion: p.bastion.present });
  add({ id: 'vnet', type: 'virtualNetwork', properties: { addressSpace: cidrFor(p.addressSpace.base, total, p.addressSpace.slack) } });

  if (workspaces.length) {
    const diagnosable = nodes.filter((n) => ['applicationGateway', 'apiManagement', 'aksCluster', 'containerRegistry', 'sqlDatabase', 'cosmosDb', 'keyVault', 'applicationInsights', 'bastion', 'virtualNetwork'].includes(n.type));
    diagnosable.forEach((n, i) => {
      edge({ ...edgeId(n.id, 'logs', 'diagnostics'), from: n.id, to: 'logs', type: 'diagnostics' });
      if (workspaces.length > 1 && i % 2 === 0) edge({ ...edgeId(n.id, 'security-logs', 'diagnostics'), from: n.id, to: 'security-logs', type: 'diagnostics' });
    });
    if (p.sentinel) {
      add({ id: 'sentinel', type: 'sentinel' });
      edge({ from: 'sentinel', to: workspaces[workspaces.length - 1]!, type: 'siem' });
    }
  }

  return {
    apiVersion: 'gatewright/v1',
    kind: 'Architecture',
    metadata: {
      name: p.name,
      location: p.location,
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(p.tags !== undefined ? { tags: p.tags } : {}),
    },
    certificates,
    nodes,
    edges,
  };
}

/** Random valid designs, as data and as YAML text. */
export function validDesign(): fc.Arbitrary<RandomDesign> {
  return plan.map((pl) => withText(buildDesign(pl)));
}

/** The design with its YAML text; fast-check prints only the text for a counterexample. */
export function withText(input: DesignInput): RandomDesign {
  const text = stringify(input, { lineWidth: 0 });
  return { input, text, [fc.toStringMethod]: () => `design:\n${text}` } as RandomDesign;
}

/** `count` designs of the arbitrary for a fixed seed: the same designs on every run. */
export function sampleDesigns(count: number, seed: number): RandomDesign[] {
  return fc.sample(validDesign(), { numRuns: count, seed });
}

/** One design that puts every hostile fragment into every free-text field at once, with every component present. */
export function hostileDesign(): RandomDesign {
  const all = HOSTILE_FRAGMENTS.join('');
  const tagKey = all.replace(/[<>%&\\?/]/g, '');
  const sampled = fc.sample(plan, { numRuns: 1, seed: 42 })[0]!;
  const apim = (a: ApimPlan): ApimPlan => ({
    ...a,
    label: all,
    publisherName: all.slice(0, 100),
    apis: a.apis.length ? a.apis.map((api) => ({ ...api, displayName: all, audience: all })) : [{ name: 'orders', path: 'orders', service: 0, displayName: all, audience: all, subscriptionRequired: true }],
  });
  const p: Plan = {
    ...sampled,
    description: all,
    tags: { [tagKey]: all, '[k]': '[v]', "it's": '${x}', quote: '"', amp: '&<>', empty: '' },
    gateway: { ...sampled.gateway, present: true, disabledRules: [...sampled.gateway.disabledRules, all] },
    frontApim: apim(sampled.frontApim),
    otherApims: [apim({ ...sampled.frontApim, sku: 'Premium', mode: 'External', customDomain: true, capacity: 2 })],
    clusters: sampled.clusters.map((c, i) => ({
      ...c,
      label: all,
      annotation: all,
      services: c.services.length || i > 0 ? c.services : [{ name: 'orders', namespace: 'orders', port: 443, path: '/' }],
    })),
    entra: { ...sampled.entra, audience: all, clientApplicationIds: [all] },
    registry: { ...sampled.registry, present: true },
    sql: { ...sampled.sql, present: true },
    cosmos: { ...sampled.cosmos, present: true },
    logs: { ...sampled.logs, present: true, second: true },
    appInsights: { present: true, localAuth: false, hostileName: `appi${all.replace(/[%&\\?/\r\n\t\u2028]/g, '')}`.slice(0, 80).replace(/[ .]+$/, '') },
    defender: { present: true, plans: DEFENDER_PLAN_NAMES },
    sentinel: true,
    bastion: { present: true, toNetwork: true, explicitName: true },
    labels: sampled.labels.map(() => all),
  };
  return withText(buildDesign(p));
}

// ---------------------------------------------------------------- reading hostile strings back

interface TemplateLike {
  readonly metadata?: unknown;
  readonly resources?: unknown;
}

/** Every resource of an ARM template and of its nested deployments' inline templates. */
function resourcesDeep(template: TemplateLike): ArmResourceJson[] {
  return resourcesOf(template).flatMap((r) => {
    const inner = (r.properties as { template?: TemplateLike } | undefined)?.template;
    return [r, ...(r.type.toLowerCase() === 'microsoft.resources/deployments' && inner ? resourcesDeep(inner) : [])];
  });
}

/** A JSON string as ARM reads it, when it is a literal (an expression is reported as not a literal). */
function literal(value: unknown, what: string): string {
  assert.equal(typeof value, 'string', `${what} is not a string`);
  assert.ok(!isArmExpression(value as string), `${what} became an ARM expression: ${value as string}`);
  return armLiteralValue(value as string);
}

/**
 * The free text of a design reads back exactly from an ARM template (ours or the one Bicep compiles): the template
 * description, every tag name and value on every resource that carries tags, the API Management publisher names
 * and the API display names. A string that broke out of its literal would read back different, or not at all.
 */
export function checkLiterals(design: Design, template: TemplateLike, what: string): void {
  const meta = template.metadata as { description?: unknown } | undefined;
  assert.equal(literal(meta?.description, `${what}: metadata.description`), `${design.metadata.name}: ${design.metadata.description ?? 'generated by Gatewright'}`, `${what}: the description`);

  const resources = resourcesDeep(template);
  const tags = Object.entries(design.metadata.tags ?? {});
  let tagged = 0;
  for (const r of resources) {
    if (r.tags === undefined) continue;
    assert.ok(r.tags !== null && typeof r.tags === 'object', `${what}: ${r.type} ${r.name}: tags are not an object literal`);
    tagged++;
    const got = new Map(Object.entries(r.tags as Record<string, unknown>).map(([k, v]) => [literal(k, `${what}: ${r.type} ${r.name}: a tag name`), v]));
    for (const [k, v] of tags) {
      assert.ok(got.has(k), `${what}: ${r.type} ${r.name} lacks the tag ${JSON.stringify(k)}; it has ${JSON.stringify([...got.keys()])}`);
      assert.equal(literal(got.get(k), `${what}: tag ${JSON.stringify(k)}`), v, `${what}: ${r.type} ${r.name}: tag ${JSON.stringify(k)}`);
    }
  }
  if (tags.length) assert.ok(tagged > 0, `${what}: no resource carries the design's tags`);

  const apims = design.nodes.filter((n) => n.type === 'apiManagement');
  const services = resources.filter((r) => r.type.toLowerCase() === 'microsoft.apimanagement/service');
  for (const apim of apims) {
    // The name as Azure will have it: a derived one ends with the resource group's uniqueString.
    const name = resolvedName(resourceName(design.metadata.name, apim), EXAMPLE_GROUP_ID);
    const matching = services.filter((s) => evaluatedName(s.name) === name);
    assert.ok(matching.length > 0, `${what}: no API Management service named ${name}`);
    for (const s of matching) {
      const publisher = (s.properties as { publisherName?: unknown }).publisherName;
      assert.equal(literal(publisher, `${what}: publisherName of ${name}`), apim.properties.publisherName ?? design.metadata.name, `${what}: publisherName of ${name}`);
    }
  }
  const displayNames = new Set(apims.flatMap((a) => a.properties.apis.map((api) => api.displayName ?? api.name)));
  const seen = new Set<string>();
  for (const r of resources) {
    if (r.type.toLowerCase() !== 'microsoft.apimanagement/service/apis') continue;
    const shown = literal((r.properties as { displayName?: unknown }).displayName, `${what}: displayName of API ${r.name}`);
    assert.ok(displayNames.has(shown), `${what}: API ${r.name} has the display name ${JSON.stringify(shown)}, none of the design's`);
    seen.add(shown);
  }
  for (const n of displayNames) assert.ok(seen.has(n), `${what}: the display name ${JSON.stringify(n)} does not read back`);
}
