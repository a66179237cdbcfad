/**
 * Property-based test (issue 16, "What to build"): for random valid designs (test/helpers/random-design.ts), the
 * generated output has
 * - no resource declared twice in one template (same scope, type and name: Resource Manager refuses the template);
 * - every DNS record the design implies: a private DNS zone group for each service reached over Private Link, and an
 *   A record for API Management's internal host name and for each ingress host it calls from the virtual network;
 * - no two ingress routes of one cluster on the same host and path (NGINX would serve only one of them).
 * A second property makes one risky change to a valid design (a second service on a path already taken, two
 * endpoints on one host name): whenever the validator still accepts the result, the same holds.
 * Runs without the saved ARM schemas and the Bicep compiler, so it runs wherever the unit tests run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { analyze } from '../../src/validation/analyze.js';
import { generate, type GeneratedFile } from '../../src/generators/generate.js';
import { referenceDesign } from '../../src/designs/reference.js';
import type { Design, DesignInput } from '../../src/schemas/design.js';
import { armValue, isArmExpression, parseArmExpression, printArmExpression, resourcesOf, simplifyArm, type ArmResourceJson } from '../helpers/bicep.js';
import { hostileDesign, validDesign } from '../helpers/random-design.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const RUNS = Number(process.env.GATEWRIGHT_PBT_RUNS ?? 100);
const SEED = process.env.GATEWRIGHT_PBT_SEED === undefined ? undefined : Number(process.env.GATEWRIGHT_PBT_SEED);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: false });

const LINKED_TYPES = new Set(['sqlDatabase', 'cosmosDb', 'keyVault', 'containerRegistry']);

type Template = { resources?: unknown };

/** A value as Resource Manager compares it: the literal, or a canonical expression; lower case (ids ignore case). */
const canonical = (s: string) => armValue(s).toLowerCase();

/** Resources declared twice in one template (top level, or one nested deployment's template). */
function duplicateIds(template: Template, where = 'main.json'): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const r of resourcesOf(template)) {
    const key = `${typeof r.scope === 'string' ? canonical(r.scope) : ''}|${r.type.toLowerCase()}|${canonical(r.name)}`;
    if (seen.has(key)) twice.push(`${where}: ${r.type} ${r.name}`);
    seen.add(key);
    const inner = (r.properties as { template?: Template } | undefined)?.template;
    if (r.type.toLowerCase() === 'microsoft.resources/deployments' && inner) twice.push(...duplicateIds(inner, `${where} > ${r.name}`));
  }
  return twice;
}

/** The host names the design says must resolve privately, lower case. */
function impliedHosts(design: Design): string[] {
  const nodes = new Map(design.nodes.map((n) => [n.id, n]));
  const hosts = new Set<string>();
  for (const apim of design.nodes) {
    if (apim.type !== 'apiManagement' || apim.properties.virtualNetworkType === 'None') continue;
    if (apim.properties.virtualNetworkType === 'Internal' && apim.properties.hostName) hosts.add(apim.properties.hostName.toLowerCase());
    for (const e of design.edges) {
      const to = nodes.get(e.to);
      if (e.from === apim.id && (e.type === 'mtls' || e.type === 'https') && to?.type === 'aksCluster' && to.properties.ingress.hostName) {
        hosts.add(to.properties.ingress.hostName.toLowerCase());
      }
    }
  }
  return [...hosts].sort();
}

/** The names the A records of the template resolve: "<record>.<zone>", or the zone for "@". */
function recordedHosts(resources: readonly ArmResourceJson[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    if (r.type.toLowerCase() !== 'microsoft.network/privatednszones/a') continue;
    const name = armValue(r.name).toLowerCase();
    const slash = name.indexOf('/');
    const zone = name.slice(0, slash);
    const record = name.slice(slash + 1);
    out.add(record === '@' ? zone : `${record}.${zone}`);
  }
  return out;
}

/** The first argument after the type of a resourceId() expression, canonical. */
function resourceIdName(id: string): string {
  assert.ok(isArmExpression(id), `not an expression: ${id}`);
  const e = parseArmExpression(id.slice(1, -1));
  assert.ok(e.kind === 'call' && e.fn === 'resourceid', `not a resourceId(): ${id}`);
  const arg = e.args[1]!;
  return (arg.kind === 'string' ? arg.value : `[${printArmExpression(simplifyArm(arg))}]`).toLowerCase();
}

function checkDns(design: Design, resources: readonly ArmResourceJson[]): void {
  const recorded = recordedHosts(resources);
  for (const host of impliedHosts(design)) assert.ok(recorded.has(host), `no A record for ${host}; records: ${[...recorded].join(', ')}`);

  const nodes = new Map(design.nodes.map((n) => [n.id, n]));
  const targets = new Set(design.edges.filter((e) => e.type === 'privateLink' && LINKED_TYPES.has(nodes.get(e.to)?.type ?? '')).map((e) => e.to));
  const endpoints = resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/privateendpoints');
  const groups = resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/privateendpoints/privatednszonegroups');
  const zones = new Set(resources.filter((r) => r.type.toLowerCase() === 'microsoft.network/privatednszones').map((r) => canonical(r.name)));
  assert.equal(endpoints.length, targets.size, `${targets.size} services reached over Private Link, ${endpoints.length} private endpoints`);
  for (const ep of endpoints) {
    const group = groups.find((g) => canonical(g.name) === `${canonical(ep.name)}/default`);
    assert.ok(group, `private endpoint ${ep.name} has no DNS zone group: its A record is never written`);
    const configs = (group.properties as { privateDnsZoneConfigs: { properties: { privateDnsZoneId: string } }[] }).privateDnsZoneConfigs;
    assert.ok(configs.length > 0, `the zone group of ${ep.name} names no zone`);
    for (const c of configs) assert.ok(zones.has(resourceIdName(c.properties.privateDnsZoneId)), `the zone group of ${ep.name} names a zone the template does not declare`);
  }
}

/** "<cluster>: <host> <path>" of every route of the generated manifests that is declared twice in its cluster. */
function sharedRoutes(files: readonly GeneratedFile[]): string[] {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  const prefix = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') || '/' : p);
  for (const f of files) {
    if (!f.path.startsWith('k8s/') || !f.path.endsWith('.yaml') || f.path.endsWith('kustomization.yaml')) continue;
    const cluster = f.path.split('/')[1]!;
    for (const doc of parseAllDocuments(f.content)) {
      const m = doc.toJS() as { kind?: string; spec?: Record<string, unknown> } | null;
      if (!m?.spec) continue;
      const routes: string[] = [];
      if (m.kind === 'Ingress') {
        for (const rule of (m.spec.rules as { host?: string; http?: { paths: { path: string }[] } }[]) ?? []) {
          for (const p of rule.http?.paths ?? []) routes.push(`${rule.host ?? '*'} ${prefix(p.path)}`);
        }
      } else if (m.kind === 'HTTPRoute' || m.kind === 'TLSRoute') {
        const hosts = (m.spec.hostnames as string[] | undefined) ?? ['*'];
        const rules = (m.spec.rules as { matches?: { path?: { value?: string } }[] }[] | undefined) ?? [];
        const paths = m.kind === 'TLSRoute' ? ['(tls)'] : rules.flatMap((r) => (r.matches?.length ? r.matches.map((x) => prefix(x.path?.value ?? '/')) : ['/']));
        for (const h of hosts) for (const p of paths) routes.push(`${h} ${p}`);
      }
      for (const route of routes) {
        const key = `${cluster}: ${route.toLowerCase()}`;
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)} and ${f.path})`);
        else seen.set(key, f.path);
      }
    }
  }
  return twice;
}

function checkInvariants(design: Design): void {
  const files = generate(design).files;
  const template = JSON.parse(files.find((f) => f.path === 'infra/main.json')!.content) as Template;
  assert.deepEqual(duplicateIds(template), [], 'resources declared twice in one template');
  checkDns(design, resourcesOf(template));
  assert.deepEqual(sharedRoutes(files), [], 'two ingress routes of one cluster share host and path');
}

function accepted(text: string): Design | undefined {
  const a = analyze(text, { now: NOW });
  return a.design && !a.findings.some((f) => f.severity === 'error') ? a.design : undefined;
}

test('the reference design and the hostile-strings design hold the invariants', () => {
  for (const text of [referenceDesign(), hostileDesign().text]) {
    const design = accepted(text);
    assert.ok(design, 'the design has an error');
    checkInvariants(design);
  }
});

test(`random valid designs (${RUNS} runs): no duplicate resource, every implied DNS record, no shared route`, () => {
  fc.assert(
    fc.property(validDesign(), (d) => {
      const design = accepted(d.text);
      assert.ok(design, 'a random valid design has an error');
      checkInvariants(design);
    }),
    params(RUNS),
  );
});

type NodeInput = DesignInput['nodes'][number];
type Cluster = Extract<NodeInput, { type: 'aksCluster' }>;
const clusters = (d: DesignInput) => d.nodes.filter((n): n is Cluster => n.type === 'aksCluster');

/** Changes that would break an invariant if the validator let them through. */
const RISKY: ReadonlyArray<readonly [string, (d: DesignInput, pick: number) => void]> = [
  ['a second service on a path already taken', (d, i) => {
    const c = clusters(d)[i % clusters(d).length]!;
    const first = c.properties?.services?.[0];
    if (first) c.properties!.services!.push({ name: 'late', namespace: first.namespace ?? 'default', path: `${first.path ?? '/'}/` });
  }],
  ['two clusters on one ingress host', (d) => {
    const [a, b] = clusters(d);
    if (a?.properties?.ingress?.hostName && b?.properties?.ingress) b.properties.ingress.hostName = a.properties.ingress.hostName.toUpperCase();
  }],
  ['API Management on the host of an ingress it calls', (d) => {
    const host = clusters(d).find((c) => c.properties?.ingress?.hostName)?.properties?.ingress?.hostName;
    for (const n of d.nodes) if (n.type === 'apiManagement' && host && n.properties) n.properties.hostName = host;
  }],
];

test(`risky changes (${RUNS} runs): what the validator accepts holds the invariants`, () => {
  const outcome = new Map<string, { accepted: number; refused: number }>();
  fc.assert(
    fc.property(validDesign(), fc.nat(RISKY.length - 1), fc.nat(9), (d, which, pick) => {
      const input = structuredClone(d.input);
      const [title, change] = RISKY[which]!;
      change(input, pick);
      const o = outcome.get(title) ?? { accepted: 0, refused: 0 };
      outcome.set(title, o);
      const design = accepted(stringify(input, { lineWidth: 0 }));
      if (!design) {
        o.refused++;
        return;
      }
      o.accepted++;
      checkInvariants(design);
    }),
    params(RUNS),
  );
  console.log(`# ${[...outcome].map(([t, o]) => `${t}: ${o.accepted} accepted, ${o.refused} refused`).join('\n# ')}`);
});
