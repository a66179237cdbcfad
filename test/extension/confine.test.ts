/** Path confinement: nothing derived from the webview, a setting or a generator leaves the workspace folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { confine, confineReal } from '../../src/workspace/confine.js';

const ROOT = resolve('/work/space');

test('confine: relative paths inside the root resolve; the root itself is inside', () => {
  assert.deepEqual(confine(ROOT, 'generated'), { ok: true, path: join(ROOT, 'generated'), relative: 'generated' });
  assert.deepEqual(confine(ROOT, 'a/./b/../c.txt'), { ok: true, path: join(ROOT, 'a', 'c.txt'), relative: 'a/c.txt' });
  assert.deepEqual(confine(ROOT, '.'), { ok: true, path: ROOT, relative: '' });
  const nested = confine(ROOT, 'generated', join(ROOT, 'designs'));
  assert.ok(nested.ok);
  assert.equal(nested.relative, 'designs/generated');
  assert.equal(confine(ROOT, '../space/x').ok, true, 'leaving and coming back is inside');
  assert.equal(confine(ROOT, '..foo').ok, true, 'a name starting with two dots is not a parent');
});

test('confine: .., absolute paths, sibling prefixes, empty and NUL are refused', () => {
  for (const candidate of ['..', '../x', 'a/../../x', '/etc/passwd', '/work/spaces/x', '/work', '', '  ', 'a\0b']) {
    const result = confine(ROOT, candidate);
    assert.equal(result.ok, false, candidate);
  }
  assert.equal(confine(ROOT, '../../etc', join(ROOT, 'designs')).ok, false);
  assert.equal(confine(ROOT, join(ROOT, 'inside.svg')).ok, true, 'an absolute path inside the root is fine');
  const refused = confine(ROOT, '../x');
  assert.ok(!refused.ok && /outside the workspace folder/.test(refused.reason));
});

test('confineReal: symbolic links out of the root are refused, also for files not created yet', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gw-confine-'));
  try {
    const root = join(tmp, 'ws');
    const outside = join(tmp, 'outside');
    mkdirSync(join(root, 'real'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'x');
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync(join(root, 'real'), join(root, 'inner'));
    symlinkSync(join(outside, 'missing'), join(root, 'dangling'));

    assert.equal((await confineReal(root, 'real/new/file.txt')).ok, true);
    assert.equal((await confineReal(root, 'inner/file.txt')).ok, true, 'a link that stays inside is fine');
    const escape = await confineReal(root, 'escape/secret.txt');
    assert.ok(!escape.ok && /symbolic link/.test(escape.reason));
    assert.equal((await confineReal(root, 'escape/new/dir/file.txt')).ok, false, 'not yet existing under a link out');
    assert.equal((await confineReal(root, 'escape')).ok, false);
    const dangling = await confineReal(root, 'dangling');
    assert.ok(!dangling.ok && /does not exist/.test(dangling.reason), 'writing through a dangling link would create its target');
    assert.equal((await confineReal(root, '../outside/secret.txt')).ok, false);

    // A root that is itself reached through a link: its real path is the reference.
    symlinkSync(root, join(tmp, 'ws-link'));
    assert.equal((await confineReal(join(tmp, 'ws-link'), 'real/x')).ok, true);
    assert.equal((await confineReal(join(tmp, 'ws-link'), 'escape/x')).ok, false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
