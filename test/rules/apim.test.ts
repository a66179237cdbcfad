/** API Management rules (GW120-GW139): tiers and network modes, backends, severities per violation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import type { Finding } from '../../src/schemas/finding.js';
import { deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function run(text: string, rule: string): Finding[] {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, `schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a.findings.filter((f) => f.ruleId === rule);
}

const withApim = (sku: string, mode: string) =>
  mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'sku'], sku);
    setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], mode);
  });

test('GW120 knows which tiers support which virtual network mode', () => {
  assert.deepEqual(run(withApim('Premium', 'Internal'), 'GW120'), []);
  assert.deepEqual(run(withApim('PremiumV2', 'Internal'), 'GW120'), []);
  assert.deepEqual(run(withApim('StandardV2', 'External'), 'GW120'), []);
  assert.deepEqual(run(withApim('Standard', 'None'), 'GW120'), []);
  const v2 = run(withApim('StandardV2', 'Internal'), 'GW120');
  assert.equal(v2.length, 1);
  assert.deepEqual(v2[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'sku'], value: 'PremiumV2' }]);
  const basic = run(withApim('Basic', 'External'), 'GW120');
  assert.match(basic[0]!.message, /external virtual network mode needs/);
});

test('GW121 does not apply to an API Management no gateway fronts', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'External');
    deleteAt(d, ['edges', 'appgw-apim']);
  });
  assert.deepEqual(run(text, 'GW121'), []);
});

test('GW127 warns on an https-only backend when the ingress does not demand client certificates', () => {
  const text = mutateReference((d) => {
    setAt(d, ['edges', 'apim-aks', 'type'], 'https');
    deleteAt(d, ['edges', 'apim-aks', 'properties', 'clientCertificate']);
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off');
  });
  const found = run(text, 'GW127');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'warning');
  assert.deepEqual(found[0]!.target, { kind: 'edge', id: 'apim-aks' });
});

test('GW127 ignores an API Management without APIs', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'apim-aks']);
    deleteAt(d, ['nodes', 'apim', 'properties', 'apis']);
  });
  assert.deepEqual(run(text, 'GW127'), []);
});

test('GW129: a v2 tier gets a warning, a public backend certificate nothing', () => {
  const v2 = run(withApim('StandardV2', 'None'), 'GW129');
  assert.equal(v2.length, 1);
  assert.equal(v2[0]!.severity, 'warning');
  const publicCert = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'Consumption');
    setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'None');
    setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'external');
  });
  assert.deepEqual(run(publicCert, 'GW129'), []);
});
