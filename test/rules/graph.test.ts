/**
 * The graph rules (GW010-GW039): derived against explicit ids, fixes and when they are offered, references
 * to entries that failed the schema, Azure names derived from odd design names, and linear running time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import { validateDesign } from '../../src/validation/engine.js';
import { DesignSchema, type DesignInput } from '../../src/schemas/design.js';
import type { Finding } from '../../src/schemas/finding.js';
import { referenceDesign } from '../../src/designs/reference.js';
import { GRAPH_RULES } from '../../src/validation/rules/graph.js';
import { derivedResourceName, uniqueNamePrefix } from '../../src/model/naming.js';
import { GATEWAY_RULES } from '../../src/validation/rules/gateway.js';
import { APIM_RULES } from '../../src/validation/rules/apim.js';
import { append, deleteAt, mutate, mutateReference, setAt } from '../helpers/reference.js';
import { setNode } from './graph.cases.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function run(text: string, rule: string, complete = true): Finding[] {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, complete, `schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a.findings.filter((f) => f.ruleId === rule);
}

test('GW013 reports an edge whose derived id collides with an edge of another type, GW014 the repeated connection', () => {
  // A second privateLink edge from aks to acr, without an id: known as "aks-acr", like the imagePull edge.
  const text = mutateReference((d) => append(d, 'edges', { from: 'aks', to: 'acr', type: 'privateLink' }));
  const ids = run(text, 'GW013');
  assert.equal(ids.length, 1);
  assert.match(ids[0]!.message, /this privateLink edge and the imagePull edge \d+ are both known as "aks-acr"/);
  const dup = run(text, 'GW014');
  assert.equal(dup.length, 1, 'the same privateLink as aks-acr-link, drawn twice');
  assert.equal(dup[0]!.fix, undefined, 'its id "aks-acr" is shared, so no fix can name it');
});

test('GW014 offers to delete the duplicate only when it has an id of its own', () => {
  const shared = run(mutateReference((d) => append(d, 'edges', { from: 'apim', to: 'kv', type: 'secrets' })), 'GW014');
  assert.equal(shared.length, 1);
  assert.equal(shared[0]!.fix, undefined);
  const own = run(mutateReference((d) => append(d, 'edges', { id: 'apim-kv-2', from: 'apim', to: 'kv', type: 'secrets' })), 'GW014');
  assert.equal(own.length, 1);
  assert.deepEqual(own[0]!.target, { kind: 'edge', id: 'apim-kv-2' });
  assert.deepEqual(own[0]!.fix?.operations, [{ op: 'disconnect', id: 'apim-kv-2' }]);
  assert.equal(run(mutateReference((d) => append(d, 'edges', { id: 'apim-kv-2', from: 'apim', to: 'kv', type: 'secrets' })), 'GW013').length, 0);
});

test('GW016 accepts trustedCa: external and ignores references to certificates that failed the schema', () => {
  const external = mutateReference((d) => setAt(d, ['edges', 'internet-appgw', 'properties', 'trustedCa'], 'external'));
  assert.deepEqual(run(external, 'GW016'), []);
  assert.deepEqual(run(external, 'GW017'), []);
  const broken = mutateReference((d) => {
    append(d, 'certificates', { id: 'gateway-tls-2', role: 'intermediate' });
    setAt(d, ['nodes', 'appgw', 'properties', 'certificate'], 'gateway-tls-2');
  });
  assert.deepEqual(run(broken, 'GW016', false), []);
  const clientCa = mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'external'));
  assert.equal(run(clientCa, 'GW016').length, 1, 'external is no client CA');
});

test('GW017 checks every kind of reference against its role', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'certificate'], 'apim-client');
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'ingress-tls');
    setAt(d, ['edges', 'appgw-apim', 'properties', 'trustedCa'], 'apim-tls');
  });
  const found = run(text, 'GW017');
  assert.deepEqual(found.map((f) => `${f.target.kind}:${f.target.id}`).sort(), ['edge:appgw-apim', 'node:aks', 'node:apim']);
  assert.ok(found.some((f) => f.message.includes('custom-domain certificate "apim-client" has role client; it must be a server certificate')));
  assert.ok(found.some((f) => f.message.includes('ingress client CA "ingress-tls" has role server; it must be a ca certificate')));
  assert.ok(found.some((f) => f.message.includes('trusted CA "apim-tls" has role server')));
});

test('GW018 turns a certificate that names itself as issuer into a self-signed one', () => {
  const found = run(mutateReference((d) => setAt(d, ['certificates', 'internal-ca', 'issuer'], 'internal-ca')), 'GW018');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'certificate', id: 'internal-ca' }, path: ['issuer'], value: 'self' }]);
});

test('GW026 warns when one service name lives in two namespaces', () => {
  const text = mutateReference((d) => setNode(d, ['nodes', 'aks', 'properties', 'services', 1], { name: 'orders', namespace: 'billing' }));
  const found = run(text, 'GW026');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'warning');
  assert.match(found[0]!.message, /namespaces "orders" and "billing"/);
});

test('GW029 checks derived names against the Azure rules of each resource type', () => {
  // A design name may end with a hyphen: a derived Key Vault name (globally unique: prefix + suffix) collapses the two.
  assert.deepEqual(run(referenceDesign('pay-'), 'GW029'), []);
  assert.equal(uniqueNamePrefix('pay-', { id: 'kv', type: 'keyVault' }), 'pay-kv-');
  // Other types keep <design>-<id>: an explicit Key Vault name with two hyphens in a row is reported.
  const found = run(mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'pay--kv')), 'GW029');
  assert.deepEqual(found.map((f) => f.target), [{ kind: 'node', id: 'kv' }]);
  assert.match(found[0]!.message, /"pay--kv".*consecutive hyphens/);
  assert.equal(derivedResourceName('payments', { id: 'my-acr', type: 'containerRegistry' }), 'paymentsmyacr');
});

test('GW029 offers the derived name in place of an invalid explicit one', () => {
  const found = run(mutateReference((d) => setAt(d, ['nodes', 'acr', 'name'], 'payments-registry')), 'GW029');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /Container Registry name "payments-registry" of "acr" is invalid: it must be letters and digits only/);
  assert.deepEqual(found[0]!.fix?.operations, [{ op: 'unsetProperty', target: { kind: 'node', id: 'acr' }, path: ['name'] }]);
  const cosmos = run(mutateReference((d) => setAt(d, ['nodes', 'cosmos', 'name'], 'Orders-Cosmos')), 'GW029');
  assert.match(cosmos[0]!.message, /lower-case/);
});

test('GW030 compares Azure names without case, between explicit and derived names', () => {
  const text = mutateReference((d) => setAt(d, ['nodes', 'acr', 'name'], 'PaymentsAcr'));
  assert.deepEqual(run(text, 'GW030'), [], 'one registry only');
  const two = mutate(text, (d) => append(d, 'nodes', { id: 'acr2', type: 'containerRegistry', name: 'paymentsACR' }));
  assert.deepEqual(run(two, 'GW030').map((f) => f.target), [{ kind: 'node', id: 'acr2' }]);
});

test('GW032 counts identities named by Private Link edges and vaults named by certificates as connections', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-kv-link']);
    deleteAt(d, ['edges', 'appgw-kv']);
    deleteAt(d, ['edges', 'apim-kv']);
    deleteAt(d, ['edges', 'aks-kv']);
    deleteAt(d, ['edges', 'kv-logs']);
    deleteAt(d, ['edges', 'defender-kv']);
  });
  assert.deepEqual(run(text, 'GW032'), [], 'kv holds certificates; workload-identity is used by privateLink edges');
});

/** A design of size n with every kind of repetition the rules index: chains, APIs, services, vaults, gateways, edges. */
function bigDesign(n: number): DesignInput {
  return {
    apiVersion: 'gatewright/v1',
    kind: 'Architecture',
    metadata: { name: 'big', location: 'westeurope' },
    certificates: [
      { id: 'root', role: 'ca', issuer: 'self', keyVault: 'kv0' },
      // A long chain of intermediates, each issued by the previous one.
      ...Array.from({ length: n }, (_, i) => ({ id: `ca${i}`, role: 'ca' as const, issuer: i === 0 ? 'root' : `ca${i - 1}`, keyVault: `kv${i % 50}` })),
    ],
    nodes: [
      { id: 'internet', type: 'internet' },
      { id: 'apim', type: 'apiManagement', properties: { apis: Array.from({ length: n }, (_, i) => ({ name: `api${i}`, path: `p${i}`, service: `s${i}` })) } },
      { id: 'aks', type: 'aksCluster', properties: { services: Array.from({ length: n }, (_, i) => ({ name: `s${i}` })) } },
      ...Array.from({ length: n }, (_, i) => ({ id: `kv${i}`, type: 'keyVault' as const })),
      ...Array.from({ length: n }, (_, i) => ({ id: `gw${i}`, type: 'applicationGateway' as const })),
    ],
    edges: [
      ...Array.from({ length: n }, (_, i) => ({ from: 'internet', to: `gw${i}`, type: 'https' as const })),
      ...Array.from({ length: n }, (_, i) => ({ from: `gw${i}`, to: 'apim', type: 'https' as const })),
      // The same mtls edge n times, with a CA as client certificate: a violation per edge for several rules.
      ...Array.from({ length: n }, (_, i) => ({ from: 'apim', to: 'aks', type: 'mtls' as const, id: `m${i}`, properties: { clientCertificate: 'root' } })),
    ],
  };
}

function fastestRun(n: number): number {
  const design = DesignSchema.parse(bigDesign(n));
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const found = validateDesign(design, { now: NOW }, [...GRAPH_RULES, ...GATEWAY_RULES, ...APIM_RULES]);
    best = Math.min(best, performance.now() - start);
    assert.deepEqual(found.filter((f) => f.ruleId === 'GW000'), []);
  }
  return best;
}

test('the graph, gateway and API Management rules run in linear time', () => {
  const small = fastestRun(1000);
  const large = fastestRun(4000);
  // Four times the design: linear is about 4x; quadratic would be 16x.
  assert.ok(large < small * 9 + 50, `1000: ${Math.round(small)} ms, 4000: ${Math.round(large)} ms`);
});

test('no graph, gateway or API Management rule throws on sparse or odd designs', () => {
  const odd: DesignInput[] = [
    { apiVersion: 'gatewright/v1', kind: 'Architecture', metadata: { name: 'x1', location: 'westeurope' }, nodes: [] },
    {
      apiVersion: 'gatewright/v1',
      kind: 'Architecture',
      metadata: { name: 'x1', location: 'westeurope' },
      certificates: [
        { id: 'a', role: 'ca', issuer: 'b' },
        { id: 'b', role: 'ca', issuer: 'a' },
        { id: 'c', role: 'server', issuer: 'c' },
      ],
      nodes: [
        { id: 'apim', type: 'apiManagement', properties: { sku: 'Consumption', apis: [{ name: 'x', path: '', service: 'nope' }] } },
        { id: 'gw', type: 'applicationGateway', properties: { sku: 'Standard_v2', certificate: 'c', zones: [] } },
      ],
      edges: [
        { from: 'internet', to: 'gw', type: 'https' },
        { from: 'gw', to: 'gw', type: 'https' },
        { from: 'apim', to: 'missing', type: 'mtls', properties: { clientCertificate: 'zzz', trustedCa: 'a' } },
        { from: 'gw', to: 'apim', type: 'https', properties: { validateCertificateChain: false } },
      ],
      layout: { ghost: { x: 0, y: 0 } },
    },
  ];
  for (const d of odd) {
    const found = validateDesign(DesignSchema.parse(d), { now: NOW }, [...GRAPH_RULES, ...GATEWAY_RULES, ...APIM_RULES]);
    assert.deepEqual(found.filter((f) => f.ruleId === 'GW000'), []);
  }
});
