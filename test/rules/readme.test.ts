/** The README says how many rules there are; this keeps the number true. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/validation/rules/index.js';

test("the README's rule count is the number of rules", () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const m = /the (\d+) rules in\s+`src\/validation\/rules\/`/.exec(readme);
  assert.ok(m, 'the README no longer says how many rules there are');
  assert.equal(Number(m[1]), RULES.length, `the README says ${m[1]} rules; there are ${RULES.length}: update the number in its "Rules" section`);
});
