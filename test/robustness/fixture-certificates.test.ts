/**
 * No test may depend on the calendar (CI also runs the unit tests with the clock 18 months ahead). A certificate file
 * checked into the repository would expire one day and turn its tests red, so there is none: every certificate the
 * tests use is made when the test runs (test/helpers/pki.ts, the development PKI), on the clock that test uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

test('no certificate, key or PFX file is checked into the repository', () => {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  assert.ok(tracked.length > 100, 'git lists the repository');
  const byName = tracked.filter((p) => /\.(pem|crt|cer|der|key|pfx|p12)$/i.test(p));
  const byContent = tracked.filter((p) => !/\.(ts|tsx|mjs|js|md|map)$/.test(p) && /-----BEGIN [A-Z ]*(CERTIFICATE|PRIVATE KEY)-----\r?\n[A-Za-z0-9+/]{40}/.test(readFileSync(join(ROOT, p), 'latin1')));
  assert.deepEqual([...byName, ...byContent], []);
});
