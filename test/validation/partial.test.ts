/** A file where some entries break the schema: the rest is still validated, and findings point at the right lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import { REFERENCE } from '../helpers/reference.js';

const BROKEN_FIRST_NODE = REFERENCE.replace('  - id: internet\n    type: internet', '  - id: internet\n    type: internett');

test('an invalid entry does not shift the location of findings on the entries after it', () => {
  const a = analyze(BROKEN_FIRST_NODE.replace('wafMode: Prevention', 'wafMode: Detection'));
  const schema = a.findings.find((f) => f.ruleId === 'GW002');
  assert.ok(schema, 'the unknown type is reported');
  const waf = a.findings.find((f) => f.ruleId === 'GW101');
  assert.ok(waf, 'rules still run on the valid entries');
  assert.deepEqual(waf.path, ['nodes', 1, 'properties', 'wafMode'], 'the path indexes the text, where appgw is the second node');
  const line = BROKEN_FIRST_NODE.split('\n').findIndex((l) => l.includes('wafMode: Prevention')) + 1;
  assert.equal(waf.location?.line, line);
});

test('edges to a node that breaks the schema are not reported as dangling', () => {
  const a = analyze(BROKEN_FIRST_NODE);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW011'), []);
});

test('the layout survives an unrelated schema error', () => {
  const a = analyze(BROKEN_FIRST_NODE);
  assert.deepEqual(a.parsed.design?.layout?.apim, { x: 525, y: 274 });
});
