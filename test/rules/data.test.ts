/** Edge cases of the data-service rules (GW160-GW176) beyond their fixture pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations } from '../../src/document/edits/index.js';
import { analyze } from '../../src/validation/analyze.js';
import { append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, rule: string) {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, JSON.stringify(a.parsed.findings));
  return a.findings.filter((f) => f.ruleId === rule);
}

test('GW160: the fix adds a private endpoint from the only cluster; the message says the service is unreachable', () => {
  const [f] = findings(mutateReference((d) => deleteAt(d, ['edges', 'aks-cosmos'])), 'GW160');
  assert.ok(f);
  assert.match(f.message, /public network access is disabled, so nothing can reach it/);
  assert.deepEqual(f.fix?.operations, [{ op: 'connect', edge: { from: 'aks', to: 'cosmos', type: 'privateLink' } }]);
});

test('GW160: the new private endpoint gets its own id when "<from>-<to>" is taken by the imagePull edge', () => {
  const [f] = findings(mutateReference((d) => deleteAt(d, ['edges', 'aks-acr-link'])), 'GW160');
  assert.deepEqual(f?.fix?.operations, [{ op: 'connect', edge: { id: 'aks-acr-privatelink', from: 'aks', to: 'acr', type: 'privateLink' } }]);
});

test('GW161: without a private endpoint the fix closes the public endpoint and adds a private one', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'sql', 'properties', 'publicNetworkAccess'], 'Enabled');
    deleteAt(d, ['edges', 'aks-sql']);
  });
  const [f] = findings(text, 'GW161');
  assert.ok(f);
  assert.match(f.message, /reach it over a privateLink edge/);
  assert.deepEqual(f.fix?.operations, [
    { op: 'setProperty', target: { kind: 'node', id: 'sql' }, path: ['properties', 'publicNetworkAccess'], value: 'Disabled' },
    { op: 'connect', edge: { from: 'aks', to: 'sql', type: 'privateLink' } },
  ]);
  // GW160 reports the missing endpoint too, with its own message.
  assert.equal(findings(text, 'GW160').length, 1);
});

test('GW168: a Standard registry with public access disabled needs Premium even without a private endpoint', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'acr', 'properties', 'sku'], 'Standard');
    deleteAt(d, ['edges', 'aks-acr-link']);
  });
  const [f] = findings(text, 'GW168');
  assert.ok(f);
  assert.match(f.message, /its public network access is disabled, which needs Premium/);
  const open = mutateReference((d) => {
    setAt(d, ['nodes', 'acr', 'properties'], { sku: 'Standard', publicNetworkAccess: 'Enabled' });
    deleteAt(d, ['edges', 'aks-acr-link']);
  });
  assert.deepEqual(findings(open, 'GW168'), []);
});

test('GW174: the fix names the only managed identity; a Cosmos DB account with keys is reported differently', () => {
  const [sql] = findings(mutateReference((d) => deleteAt(d, ['edges', 'aks-sql', 'properties'])), 'GW174');
  assert.deepEqual(sql?.fix?.operations, [
    { op: 'setProperty', target: { kind: 'edge', id: 'aks-sql' }, path: ['properties', 'identity'], value: 'workload-identity' },
  ]);
  const keys = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-cosmos', 'properties']);
    setAt(d, ['nodes', 'cosmos', 'properties', 'localAuth'], true);
  });
  const [cosmos] = findings(keys, 'GW174');
  assert.match(cosmos?.message ?? '', /would use an account key/);
});

test('GW174 offers no fix when several managed identities could be meant', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-sql', 'properties']);
    append(d, 'nodes', { id: 'reporting-identity', type: 'managedIdentity' });
  });
  const [f, ...rest] = findings(text, 'GW174');
  assert.equal(rest.length, 0, 'edges to Key Vault and the registry need no identity');
  assert.ok(f && !f.fix);
});

test('GW175: one finding for all endpoints, naming every zone, with a fix that adds the network', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['nodes', 'vnet']);
    deleteAt(d, ['edges', 'vnet-logs']);
  });
  const all = findings(text, 'GW175');
  assert.equal(all.length, 1);
  const f = all[0]!;
  for (const zone of ['privatelink.azurecr.io', 'privatelink.database.windows.net', 'privatelink.documents.azure.com', 'privatelink.vaultcore.azure.net']) {
    assert.ok(f.message.includes(zone), `message names ${zone}`);
  }
  assert.match(f.message, /privateLink edges "aks-acr-link" and 3 more need a virtualNetwork node for their private endpoints/);
  assert.deepEqual(f.fix?.operations, [{ op: 'addNode', node: { id: 'vnet', type: 'virtualNetwork', properties: { addressSpace: '10.0.0.0/16' } } }]);
  // GW190 leaves this case to GW175.
  assert.deepEqual(findings(text, 'GW190'), []);
});


test('GW176: anonymous pull needs Standard or Premium; the fix turns it off, which also settles GW170', () => {
  const registry = (sku: string) =>
    mutateReference((d) => {
      setAt(d, ['nodes', 'acr', 'properties', 'sku'], sku);
      setAt(d, ['nodes', 'acr', 'properties', 'anonymousPull'], true);
    });
  for (const sku of ['Standard', 'Premium']) assert.deepEqual(findings(registry(sku), 'GW176'), [], sku);
  const text = registry('Basic');
  const [f, ...rest] = findings(text, 'GW176');
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /allows anonymous pull on sku Basic, which does not offer it \(Standard and Premium do\), so the deployment fails/);
  assert.deepEqual(f.path, ['nodes', 6, 'properties', 'anonymousPull']);
  const applied = applyOperations(text, f.fix!.operations);
  assert.ok(applied.ok);
  assert.deepEqual(findings(applied.text, 'GW176'), []);
  assert.deepEqual(findings(applied.text, 'GW170'), []);
});
