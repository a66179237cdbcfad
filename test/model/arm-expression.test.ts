/** The one reader of ARM template expressions the trace and deploy share: what it parses, what it evaluates, what it leaves alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateArmExpression, evaluateTemplateString, parseArmExpression, templateString, type ArmEvaluationContext } from '../../src/model/arm-expression.js';

const ctx: ArmEvaluationContext = { resourceGroupUniqueString: 'abc123', environmentSuffix: (n) => (n === 'keyvaultDns' ? '.vault.azure.net' : undefined) };
const evaluate = (raw: string, context: ArmEvaluationContext = ctx) => evaluateTemplateString(raw, context);

test('parses calls, property access and literals into a small tree (function names in lower case)', () => {
  assert.deepEqual(parseArmExpression("concat('kv-', uniqueString( resourceGroup().id ))"), {
    kind: 'call',
    name: 'concat',
    properties: [],
    args: [
      { kind: 'string', value: 'kv-' },
      { kind: 'call', name: 'uniquestring', properties: [], args: [{ kind: 'call', name: 'resourcegroup', args: [], properties: ['id'] }] },
    ],
  });
  assert.deepEqual(parseArmExpression('environment().suffixes.keyvaultDns'), { kind: 'call', name: 'environment', args: [], properties: ['suffixes', 'keyvaultDns'] });
  // Not expressions of the subset: an unclosed string or call, trailing text, a number, an index.
  for (const text of ["'open", "concat('a'", "concat('a') x", 'take(1)', "parameters('a')[0]", '']) assert.equal(parseArmExpression(text), undefined, text);
});

test('nested format, {{ }} in a format string and \'\' in a literal evaluate as Resource Manager does', () => {
  assert.equal(evaluate("[format('{0}/orders', format('payments-apim-{0}', uniqueString(resourceGroup().id)))]"), 'payments-apim-abc123/orders');
  assert.equal(evaluate("[format('{{x}}-{0}-{1}', 'it''s', concat('a', 'b'))]"), "{x}-it's-ab");
  assert.equal(evaluate("[FORMAT('{1}{0}', 'b', 'a')]"), 'ab', 'function names are case-insensitive');
  assert.equal(evaluate("[format('https://kv-{0}{1}', uniqueString(resourceGroup().id), environment().suffixes.keyvaultDns)]"), 'https://kv-abc123.vault.azure.net');
  assert.equal(evaluate("[concat('paymentsacr', uniqueString(resourceGroup().id))]"), 'paymentsacrabc123');
  assert.equal(evaluate("['it''s']"), "it's");
});

test('literals: a string that is not [ ... ] is itself, [[ escapes the bracket', () => {
  assert.equal(evaluate('payments-vnet'), 'payments-vnet');
  assert.equal(evaluate('[[literal]'), '[literal]');
  assert.equal(evaluate('[half'), '[half');
  assert.deepEqual(templateString("[concat('a')]"), { kind: 'expression', text: "concat('a')" });
});

test('unknown functions, missing format arguments and values the context does not give are undefined', () => {
  assert.equal(evaluate("[parameters('name')]"), undefined);
  assert.equal(evaluate("[format('kv-{0}', uniqueString(subscription().id))]"), undefined, 'uniqueString of anything but the group id');
  assert.equal(evaluate("[concat('a', toLower('B'))]"), undefined);
  assert.equal(evaluate("[reference('x').name]"), undefined);
  assert.equal(evaluate("[format('{1}', 'a')]"), undefined);
  assert.equal(evaluate('[concat()]'), undefined);
  assert.equal(evaluate('[environment().suffixes.storage]'), undefined);
  assert.equal(evaluate("[concat('kv-', uniqueString(resourceGroup().id))]", {}), undefined, 'no resource group given');
  const e = parseArmExpression("concat('a', 'b')")!;
  assert.equal(evaluateArmExpression(e, {}), 'ab');
});
