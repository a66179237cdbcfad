/** Application Gateway rules (GW100-GW119): when they apply, per-violation severities and the fixes they offer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import type { Finding } from '../../src/schemas/finding.js';
import { append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';
import { setNode } from './graph.cases.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function run(text: string, rule: string): Finding[] {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, `schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a.findings.filter((f) => f.ruleId === rule);
}

test('GW100 applies only to gateways the internet reaches', () => {
  const internal = mutateReference((d) => {
    setAt(d, ['nodes', 'appgw', 'properties', 'sku'], 'Standard_v2');
    deleteAt(d, ['edges', 'internet-appgw']);
  });
  assert.deepEqual(run(internal, 'GW100'), []);
});

test('the WAF rules do not apply to a Standard_v2 gateway', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'appgw', 'properties', 'sku'], 'Standard_v2');
    setAt(d, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection');
    setAt(d, ['nodes', 'appgw', 'properties', 'botProtection'], false);
    setNode(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['944240']);
  });
  for (const rule of ['GW101', 'GW104', 'GW105', 'GW106', 'GW107']) assert.deepEqual(run(text, rule), [], rule);
  assert.equal(run(text, 'GW100').length, 1);
});

test('GW106 and GW107 split disabled rules: Log4Shell is an error, portal rules are information, others warnings', () => {
  const text = mutateReference((d) => setNode(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['942200', '944240', '930100', '944250']));
  const log4shell = run(text, 'GW106');
  assert.equal(log4shell.length, 1);
  assert.match(log4shell[0]!.message, /rules 944240 and 944250/);
  assert.deepEqual(log4shell[0]!.fix?.operations, [
    { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'disabledRules'], value: ['942200', '930100'] },
  ]);
  const others = run(text, 'GW107');
  assert.deepEqual(others.map((f) => [f.severity, f.path?.at(-1)]), [
    ['info', 0],
    ['warning', 2],
  ]);
});

test('GW108 proposes the one server certificate that covers the listener host name', () => {
  const found = run(mutateReference((d) => deleteAt(d, ['nodes', 'appgw', 'properties', 'certificate'])), 'GW108');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /no listener certificate; set certificate to a server certificate for api\.contoso\.com/);
  assert.deepEqual(found[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'certificate'], value: 'gateway-tls' }]);
});

test('GW110 offers the secrets edge to the vault that holds the listener certificate', () => {
  const found = run(mutateReference((d) => deleteAt(d, ['edges', 'appgw-kv'])), 'GW110');
  assert.deepEqual(found[0]!.fix?.operations, [{ op: 'connect', edge: { from: 'appgw', to: 'kv', type: 'secrets' } }]);
});

test('GW111 offers to delete a direct internet edge when the internet already reaches the gateway', () => {
  const text = mutateReference((d) => append(d, 'edges', { from: 'internet', to: 'apim', type: 'https' }));
  const found = run(text, 'GW111');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]!.fix?.operations, [{ op: 'disconnect', id: 'internet-apim' }]);
});

test('GW113 turns both validations back on in one fix', () => {
  const text = mutateReference((d) => {
    setAt(d, ['edges', 'appgw-apim', 'properties', 'validateCertificateChain'], false);
    setAt(d, ['edges', 'appgw-apim', 'properties', 'validateCertificateName'], false);
  });
  const found = run(text, 'GW113');
  assert.equal(found.length, 1);
  assert.match(found[0]!.message, /validateCertificateChain and validateCertificateName false/);
  assert.equal(found[0]!.fix?.operations.length, 2);
});
