/** Edge cases of the monitoring, Defender and network rules (GW180-GW193) beyond their fixture pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { analyze } from '../../src/validation/analyze.js';
import { RuleContext } from '../../src/validation/context.js';
import { formatIp, parseCidr, requiredSubnets } from '../../src/validation/rules/monitoring.js';
import { DesignSchema } from '../../src/schemas/design.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, rule: string) {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, JSON.stringify(a.parsed.findings));
  return a.findings.filter((f) => f.ruleId === rule);
}

test('parseCidr: valid, misaligned and invalid prefixes', () => {
  assert.deepEqual(parseCidr('10.0.0.0/16'), { start: 10 * 2 ** 24, prefix: 16, aligned: true });
  const misaligned = parseCidr('10.0.1.0/16');
  assert.ok(typeof misaligned !== 'string' && !misaligned.aligned && formatIp(misaligned.start) === '10.0.0.0');
  assert.equal(parseCidr('10.0.0.256/24'), 'has the octet 256, above 255');
  assert.equal(parseCidr('10.0.0.0/33'), 'has the prefix length /33, above /32');
  assert.equal(formatIp(2 ** 32 - 1), '255.255.255.255');
});

test('the reference needs 896 addresses of subnets: /24, /27, /26, /23 and /27', () => {
  const design = DesignSchema.parse(parseDocument(REFERENCE).toJS());
  const needs = requiredSubnets(new RuleContext(design));
  assert.deepEqual(
    needs.map((n) => n.prefix),
    [24, 27, 26, 23, 27],
  );
  assert.equal(
    needs.reduce((s, n) => s + 2 ** (32 - n.prefix), 0),
    896,
  );
});

test('GW193: a /23 is too small; the fix keeps the base and widens to /16', () => {
  const [f] = findings(mutateReference((d) => setAt(d, ['nodes', 'vnet', 'properties', 'addressSpace'], '192.168.4.0/23')), 'GW193');
  assert.ok(f);
  assert.match(f.message, /\(512 addresses\), but the subnets this design needs take 896/);
  assert.deepEqual(f.fix?.operations, [
    { op: 'setProperty', target: { kind: 'node', id: 'vnet' }, path: ['properties', 'addressSpace'], value: '192.168.0.0/16' },
  ]);
});

test('GW191: octets above 255 are an error without a fix; GW192 and GW193 then stay silent', () => {
  const text = mutateReference((d) => setAt(d, ['nodes', 'vnet', 'properties', 'addressSpace'], '10.300.0.0/16'));
  const [f] = findings(text, 'GW191');
  assert.ok(f && !f.fix);
  assert.match(f.message, /octet 300/);
  assert.deepEqual(findings(text, 'GW192'), []);
  assert.deepEqual(findings(text, 'GW193'), []);
});

test('GW192: a range Azure refuses is an error', () => {
  const [f] = findings(mutateReference((d) => setAt(d, ['nodes', 'vnet', 'properties', 'addressSpace'], '169.254.0.0/16')), 'GW192');
  assert.equal(f?.severity, 'error');
  assert.match(f?.message ?? '', /link-local/);
});

test('GW180: every source without diagnostics is reported once; none when there is no workspace (GW182)', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'kv-logs']);
    deleteAt(d, ['edges', 'sql-logs']);
  });
  const all = findings(text, 'GW180');
  assert.deepEqual(
    all.map((f) => f.target.id),
    ['sql', 'kv'],
  );
  assert.deepEqual(all[0]!.fix?.operations, [{ op: 'connect', edge: { from: 'sql', to: 'logs', type: 'diagnostics' } }]);
  const noWorkspace = mutateReference((d) => deleteAt(d, ['nodes', 'logs']));
  assert.deepEqual(findings(noWorkspace, 'GW180'), []);
  // The edges to the deleted workspace are still there: adding the node back is all the fix does.
  const [dangling] = findings(noWorkspace, 'GW182');
  assert.deepEqual(dangling?.fix?.operations, [{ op: 'addNode', node: { id: 'logs', type: 'logAnalytics' } }]);
  const bare = mutateReference((d) => {
    for (const from of ['appgw', 'apim', 'aks', 'acr', 'sql', 'cosmos', 'kv', 'appinsights', 'bastion', 'vnet']) deleteAt(d, ['edges', `${from}-logs`]);
    deleteAt(d, ['edges', 'sentinel-logs']);
    deleteAt(d, ['nodes', 'logs']);
  });
  const [missing] = findings(bare, 'GW182');
  // The fix adds the workspace, then connects all ten diagnostics sources of the reference.
  assert.equal(missing?.fix?.operations.length, 11);
  assert.deepEqual(missing?.fix?.operations[1], { op: 'connect', edge: { from: 'appgw', to: 'logs', type: 'diagnostics' } });
});

test('GW181: with no Sentinel node the fix adds one and connects it', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'sentinel-logs']);
    deleteAt(d, ['nodes', 'sentinel']);
  });
  const [f] = findings(text, 'GW181');
  assert.deepEqual(f?.fix?.operations, [
    { op: 'addNode', node: { id: 'sentinel', type: 'sentinel' } },
    { op: 'connect', edge: { from: 'sentinel', to: 'logs', type: 'siem' } },
  ]);
  // Without Sentinel there is no 90-day retention to claim.
  const short = mutateReference((d) => {
    deleteAt(d, ['edges', 'sentinel-logs']);
    setAt(d, ['nodes', 'logs', 'properties', 'retentionDays'], 30);
  });
  assert.deepEqual(findings(short, 'GW189'), []);
});

test('GW186: one finding per Defender node listing every missing plan, with a fix that appends them', () => {
  const [f, ...rest] = findings(mutateReference((d) => setAt(d, ['nodes', 'defender', 'properties', 'plans'], ['Arm'])), 'GW186');
  assert.equal(rest.length, 0);
  assert.match(f?.message ?? '', /Containers \(for "aks", "acr"\), KeyVaults \(for "kv"\), Api \(for "apim"\), SqlServers \(for "sql"\), CosmosDbs \(for "cosmos"\)/);
  assert.deepEqual(f?.fix?.operations, [
    { op: 'setProperty', target: { kind: 'node', id: 'defender' }, path: ['properties', 'plans'], value: ['Arm', 'Containers', 'KeyVaults', 'Api', 'SqlServers', 'CosmosDbs'] },
  ]);
});

test('GW187: the fix adds Defender for Containers and protects the cluster and the registry', () => {
  const text = mutateReference((d) => {
    for (const to of ['aks', 'acr', 'kv', 'apim', 'sql', 'cosmos']) deleteAt(d, ['edges', `defender-${to}`]);
    deleteAt(d, ['nodes', 'defender']);
  });
  const [f] = findings(text, 'GW187');
  assert.deepEqual(f?.fix?.operations, [
    { op: 'addNode', node: { id: 'defender', type: 'defenderForCloud', properties: { plans: ['Containers'] } } },
    { op: 'connect', edge: { from: 'defender', to: 'aks', type: 'protects' } },
    { op: 'connect', edge: { from: 'defender', to: 'acr', type: 'protects' } },
  ]);
});

test('GW185: API Management and AKS both reported when neither sends traces', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'apim-traces']);
    deleteAt(d, ['edges', 'aks-traces']);
  });
  assert.deepEqual(
    findings(text, 'GW185').map((f) => [f.target.id, f.severity]),
    [
      ['apim', 'info'],
      ['aks', 'info'],
    ],
  );
});

