/**
 * Derived globally unique names: the readable prefix and uniqueString(resourceGroup().id) fit each type's limit and
 * rules, the reference design's names read as documented, and two nodes of one design keep distinct names when the
 * prefix has to be cut (kv1 and kv-1 of a long design name used to become one name, which GW030 then refused).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_RULES, checkableName, nameProblem, resolvedName, resourceName, uniqueNamePrefix } from '../../src/model/naming.js';
import type { DesignNode, NodeType } from '../../src/schemas/design.js';

const GLOBAL: readonly NodeType[] = ['keyVault', 'containerRegistry', 'apiManagement', 'sqlDatabase', 'cosmosDb'];
const GROUP_ID = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-payments-prod';
const node = (id: string, type: NodeType) => ({ id, type }) as DesignNode;

test('the reference design\'s derived names: a readable prefix, then the suffix', () => {
  assert.equal(resourceName('payments', node('kv', 'keyVault')).name, 'paymentskv-<suffix>');
  assert.equal(resourceName('payments', node('acr', 'containerRegistry')).name, 'paymentsacr<suffix>');
  assert.equal(resourceName('payments', node('apim', 'apiManagement')).name, 'payments-apim-<suffix>');
  assert.equal(resourceName('payments', node('sql', 'sqlDatabase')).name, 'payments-sql-<suffix>');
  assert.equal(resourceName('payments', node('cosmos', 'cosmosDb')).name, 'payments-cosmos-<suffix>');
  // Not globally unique: no suffix.
  assert.equal(resourceName('payments', node('aks', 'aksCluster')).name, 'payments-aks');
});

test('derived names fit every globally unique type, whatever the design name and id', () => {
  const designs = ['ab', 'payments', 'pay-', 'a-b-c-d-e-f-g-h-i-j', 'aaaaaaaaaaaaaaaaaaaa', 'x1-y2-z3-payments-x'];
  const ids = ['kv', 'kv-1', 'kv1', 'a', 'secrets-for-the-orders-team', 'x-y', 'node-with-a-rather-long-identifier-here'];
  for (const type of GLOBAL) {
    const rule = NAME_RULES[type]!;
    for (const d of designs) {
      for (const id of ids) {
        const named = resourceName(d, node(id, type));
        assert.equal(nameProblem(rule, checkableName(named)), undefined, `${type} ${d}/${id}: ${named.name}`);
        const real = resolvedName(named, GROUP_ID);
        assert.equal(nameProblem(rule, real), undefined, `${type} ${d}/${id}: ${real}`);
      }
    }
  }
});

test('ids that differ only in a hyphen keep distinct names when the prefix is cut', () => {
  for (const type of ['keyVault', 'apiManagement', 'sqlDatabase', 'cosmosDb'] as const) {
    for (const d of ['aaaaaaaaaaaaaaaaaaaa', 'payments-platform-eu']) {
      const a = uniqueNamePrefix(d, node('kv1', type));
      const b = uniqueNamePrefix(d, node('kv-1', type));
      assert.notEqual(a, b, `${type} in ${d}`);
    }
  }
  // The 24 characters of a Key Vault leave 10 for the prefix: the design name is cut, the id is kept.
  assert.equal(uniqueNamePrefix('aaaaaaaaaaaaaaaaaaaa', node('kv-1', 'keyVault')), 'aaaaaakv-1-');
  assert.equal(uniqueNamePrefix('aaaaaaaaaaaaaaaaaaaa', node('kv1', 'keyVault')), 'aaaaaaakv1-');
});
