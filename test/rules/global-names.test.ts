/**
 * GW034: a name given to a Key Vault, Container Registry, API Management, SQL server or Cosmos DB account (names
 * unique in all of Azure) that is likely somebody else's already. It must catch the fixed names that made the
 * second user of a design fail, short names and names made of words everyone uses, and stay quiet on names with a
 * part of their own ("contoso-payments-prod-kv").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import { applyOperations } from '../../src/document/edits/index.js';
import type { Finding } from '../../src/schemas/finding.js';
import { referenceDesign } from '../../src/designs/reference.js';
import { mutate, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function gw034(text: string): Finding[] {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, `schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a.findings.filter((f) => f.ruleId === 'GW034');
}

const named = (id: string, name: string, design = referenceDesign()) => mutate(design, (d) => setAt(d, ['nodes', id, 'name'], name));

test('GW034: names with a part of their own are not reported, for every globally unique type', () => {
  const specific: Array<[string, string]> = [
    ['kv', 'contoso-payments-prod-kv'],
    ['kv', 'acme-orders-secrets'],
    ['kv', 'northwind-billing-kv2'],
    ['kv', 'kv-payments-prod'],
    ['acr', 'contosopaymentsprodacr'],
    ['acr', 'fabrikamordersregistry'],
    ['apim', 'contoso-payments-prod-apim'],
    ['apim', 'acme-payments-apim'],
    ['sql', 'contoso-payments-prod-sql'],
    ['sql', 'orders-sql-prod'],
    ['cosmos', 'contoso-payments-prod-cosmos'],
    ['cosmos', 'tailwind-catalog-eus2'],
  ];
  for (const [id, name] of specific) assert.deepEqual(gw034(named(id, name)), [], `"${name}" on ${id}`);
  // The reference design names nothing itself: its names are derived, with the unique suffix.
  assert.deepEqual(gw034(referenceDesign()), []);
});

test('GW034: the design\'s own default (the old fixed name) is reported, with how to fix it', () => {
  const found = gw034(named('kv', 'payments-kv'));
  assert.equal(found.length, 1);
  const f = found[0]!;
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.target, { kind: 'node', id: 'kv' });
  // The derived name is cut to fit 24 characters with its suffix: hyphens go first.
  assert.equal(
    f.message,
    'Key Vault name "payments-kv" of "kv" is likely taken already: it is this design\'s default for "kv" (metadata.name "payments" and the id), the name every copy of the design asks for. ' +
      'Key Vault names are unique across all of Azure, so the deployment would fail. Remove "name" to get the derived name "paymentskv-<suffix>" ' +
      '(the suffix is uniqueString(resourceGroup().id), unique per resource group), or add a part only your organization uses, as in "contoso-payments-prod-kv"',
  );
  assert.deepEqual(f.fix?.operations, [{ op: 'unsetProperty', target: { kind: 'node', id: 'kv' }, path: ['name'] }]);
  const applied = applyOperations(named('kv', 'payments-kv'), f.fix!.operations);
  assert.ok(applied.ok);
  assert.deepEqual(gw034(applied.text), []);

  // Each type's default, hyphens or not, and the example each message gives is itself accepted.
  for (const [id, name, example] of [
    ['acr', 'paymentsacr', 'contosopaymentsprodacr'],
    ['acr', 'PaymentsACR', 'contosopaymentsprodacr'],
    ['apim', 'payments-apim', 'contoso-payments-prod-apim'],
    ['sql', 'payments-sql', 'contoso-payments-prod-sql'],
    ['cosmos', 'payments-cosmos', 'contoso-payments-prod-cosmos'],
  ] as const) {
    const [one] = gw034(named(id, name));
    assert.ok(one, `"${name}" on ${id} is not reported`);
    assert.match(one.message, /this design's default/);
    assert.ok(one.message.includes(`as in "${example}"`), one.message);
    assert.deepEqual(gw034(named(id, example)), [], `the example "${example}" is reported itself`);
  }
});

test('GW034: the default is the design\'s own: another design name makes "payments-kv" an ordinary name', () => {
  const acme = referenceDesign('acme');
  assert.equal(gw034(named('kv', 'acme-kv', acme)).length, 1);
  assert.deepEqual(gw034(named('kv', 'payments-kv', acme)), []);
});

test('GW034: short names and names made only of common words are reported, saying why', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['kv', 'kv01', /it is short \(4 letters and digits\)/],
    ['acr', 'myacr', /it is short \(5 letters and digits\)/],
    ['kv', 'prod-kv-weu-01', /made only of words everyone uses \("prod", "kv", "weu" and numbers\)/],
    ['kv', 'contoso-kv', /made only of words everyone uses \("contoso", "kv"\)/],
    ['acr', 'myregistry', /made only of words everyone uses \("my", "registry"\)/],
    ['acr', 'myappacrdev', /\("my", "app", "acr", "dev"\)/],
    ['apim', 'apim-westeurope-prod', /\("apim", "westeurope", "prod"\)/],
    ['sql', 'sql-server-test', /\("sql", "server", "test"\)/],
    ['cosmos', 'demo-cosmos-db', /\("demo", "cosmos", "db"\)/],
    ['acr', '12345678', /it is only a number/],
  ];
  for (const [id, name, why] of cases) {
    const found = gw034(named(id, name));
    assert.equal(found.length, 1, `"${name}" on ${id}`);
    assert.match(found[0]!.message, why);
    assert.match(found[0]!.message, /Remove "name" to get the derived name/);
  }
});

test('GW034: only globally unique types, and only valid names (GW029 reports invalid ones)', () => {
  // An AKS cluster's name is unique in its resource group only.
  assert.deepEqual(gw034(named('aks', 'aks')), []);
  // A two-letter Key Vault name breaks the naming rule: GW029 says so, GW034 does not add to it.
  const text = named('kv', 'kv');
  assert.deepEqual(gw034(text), []);
  assert.ok(analyze(text, { now: NOW }).findings.some((f) => f.ruleId === 'GW029'));
  // The same check through the reference helpers (the design text as tests usually build it).
  assert.equal(gw034(mutateReference((d) => setAt(d, ['nodes', 'sql', 'name'], 'sqlsrv01'))).length, 1);
});
