/**
 * The trace of the reference design end to end, for each ingress controller; design changes that break one hop,
 * each failing at that hop; the --api selection; the JSON position map the evidence is computed with; and the time a
 * trace takes next to generation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexOf, mutateReference, setAt, append, REFERENCE } from '../helpers/reference.js';
import { jsonPositions } from '../../src/trace/locate.js';
import { HOP_IDS } from '../../src/trace/types.js';
import { generate } from '../../src/generators/generate.js';
import { traceRequests } from '../../src/trace/trace.js';
import { benchReferenceTrace, formatReferenceTrace } from '../../bench/bench.js';
import { CA_PEMS, checkOf, designOf, generated, hopOf, path0, trace, withController } from './helpers.js';

const CONTROLLERS = ['appRouting', 'ingressNginx', 'gatewayApi'] as const;

for (const controller of CONTROLLERS) {
  test(`reference design (${controller}): every hop from the internet to the pod holds; what is left depends on deployment and says on what`, () => {
    const g = generated(withController(controller));
    const report = trace(g);
    const path = path0(report);
    assert.equal(path.api, 'orders');
    assert.equal(path.request, 'https://api.contoso.com/orders');
    assert.deepEqual(path.hops.map((h) => h.id), HOP_IDS);
    for (const hop of path.hops) {
      for (const c of hop.checks) {
        assert.notEqual(c.verdict, 'fail', `${controller} ${c.id}: ${c.message}`);
        if (c.verdict === 'unknown-until-deployed') assert.ok(c.dependsOn, `${c.id} says what it depends on`);
        for (const e of c.evidence) assert.ok(g.files.some((f) => f.path === e.file) && e.line >= 1, `${c.id} evidence ${e.file}:${e.line}`);
      }
    }
    // The manifests pin the ingress's address and the template writes it into the zone on the first deployment.
    assert.equal(checkOf(report, 'apim-ingress.dns').verdict, 'pass', checkOf(report, 'apim-ingress.dns').message);
    // Canvas: every hop names the design's nodes it crosses.
    assert.deepEqual(hopOf(report, 'entry').nodes, ['internet', 'appgw']);
    assert.deepEqual(hopOf(report, 'gateway-apim').edges, ['appgw-apim']);
    assert.deepEqual(hopOf(report, 'apim-ingress').nodes, ['apim', 'aks']);
    // No way around the chain, from the generated NSGs alone: only Application Gateway reaches API Management, only
    // API Management reaches the ingress, and the data services take traffic only through their private endpoints.
    for (const id of ['no-bypass.apim', 'no-bypass.ingress', 'no-bypass.data']) assert.equal(checkOf(report, id).verdict, 'pass', `${controller} ${id}: ${checkOf(report, id).message}`);
    assert.match(checkOf(report, 'no-bypass.ingress').message, /snet-agw.*snet-pep.*AzureBastionSubnet|only API Management gets through/);
    assert.match(checkOf(report, 'no-bypass.data').message, /^4 data services take no public traffic, each through a private endpoint\.$/);
    assert.equal(hopOf(report, 'no-bypass').verdict, 'pass');
  });
}

function failsAt(text: string, hop: string, id: string): void {
  const report = trace(generated(text));
  const h = hopOf(report, hop as (typeof HOP_IDS)[number]);
  assert.equal(h.verdict, 'fail', `${hop} should fail`);
  const c = checkOf(report, id);
  assert.equal(c.verdict, 'fail', `${id}: ${c.message}`);
  const first = path0(report).hops.find((x) => x.checks.some((k) => k.verdict === 'fail' && k.id !== 'no-bypass.apim' && k.id !== 'no-bypass.ingress'));
  assert.equal(first?.id, hop, `the first failing hop is ${first?.id}`);
}

test('design: API Management\'s certificate from another CA than the one Application Gateway trusts fails at gateway-apim', () => {
  const text = mutateReference((doc) => {
    append(doc, 'certificates', { id: 'other-ca', role: 'ca', issuer: 'self', keyVault: 'kv', notAfter: '2035-12-31' });
    setAt(doc, ['certificates', 'apim-tls', 'issuer'], 'other-ca');
    setAt(doc, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' });
  });
  failsAt(text, 'gateway-apim', 'gateway-apim.trusted-root');
});

test('design: API Management\'s client certificate from a CA the ingress does not trust fails at apim-ingress', () => {
  const text = mutateReference((doc) => {
    append(doc, 'certificates', { id: 'other-ca', role: 'ca', issuer: 'self', keyVault: 'kv', notAfter: '2035-12-31' });
    setAt(doc, ['certificates', 'apim-client', 'issuer'], 'other-ca');
    setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca');
  });
  failsAt(text, 'apim-ingress', 'apim-ingress.client-certificate');
});

test('design: a backend host the ingress certificate does not name fails at apim-ingress', () => {
  const text = mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'hostName'], 'billing.internal.contoso.com'));
  failsAt(text, 'apim-ingress', 'apim-ingress.server-certificate');
});

test('design: no token validation fails at API Management', () => {
  const text = mutateReference((doc) => doc.deleteIn(['edges', indexOf(doc, 'edges', 'apim-entra')]));
  failsAt(text, 'apim', 'apim.caller');
});

test('design: WAF in Detection mode fails at the entry', () => {
  failsAt(mutateReference((doc) => setAt(doc, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection')), 'entry', 'entry.waf');
});

test('--api selects one API; an unknown name traces nothing and says which APIs there are', () => {
  const text = mutateReference((doc) => {
    const apis = ['nodes', indexOf(doc, 'nodes', 'apim'), 'properties', 'apis'];
    doc.addIn(apis, doc.createNode({ name: 'refunds', path: 'refunds', service: 'orders' }));
  });
  const g = generated(text);
  assert.deepEqual(trace(g).paths.map((p) => p.api).sort(), ['orders', 'refunds']);
  assert.deepEqual(trace(g, 'refunds').paths.map((p) => p.request), ['https://api.contoso.com/refunds']);
  const none = trace(g, 'payments');
  assert.equal(none.paths.length, 0);
  assert.equal(none.verdict, 'fail');
  assert.match(none.notes.join(' '), /orders, refunds/);
});

test('jsonPositions: every value of a JSON text at its line and column', () => {
  const text = '{\n  "a": [1, {"b~/c": "x"}],\n  "d": {}\n}\n';
  const map = jsonPositions(text);
  assert.deepEqual(map.get(''), { line: 1, column: 1 });
  assert.deepEqual(map.get('/a'), { line: 2, column: 8 });
  assert.deepEqual(map.get('/a/0'), { line: 2, column: 9 });
  assert.deepEqual(map.get('/a/1/b~0~1c'), { line: 2, column: 21 });
  assert.deepEqual(map.get('/d'), { line: 3, column: 8 });
});

test('a trace of the reference design takes well under a second, next to generating it', () => {
  const design = designOf(REFERENCE);
  const files = generate(design, { caPems: CA_PEMS }).files;
  traceRequests({ files, design, caPems: CA_PEMS });
  const start = performance.now();
  traceRequests({ files, design, caPems: CA_PEMS });
  const ms = performance.now() - start;
  assert.ok(ms < 1000, `trace took ${ms.toFixed(0)} ms`);
});

test('the bench row: generate and trace of the reference design, measured in the same run', () => {
  const r = benchReferenceTrace(0, 1);
  assert.ok(r.generate > 0 && r.trace > 0);
  assert.match(formatReferenceTrace({ generate: 120, trace: 30 }), /^Reference design: generate 120 ms, trace 30\.0 ms \(trace\/generate 0\.25x\)$/);
});
