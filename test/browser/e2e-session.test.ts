/**
 * The lifecycle the end-to-end files share (test/helpers/e2e-session.ts), seen from outside: a suite using it
 * (test/fixtures/e2e-session/suite.ts) runs in a child `node --test` against a small HTTP server in place of
 * code-server, and writes down each step. A test gets the workbench on its folder; a failing test leaves its
 * screenshot and the report's error; every page's context is closed; after the tests the browser is closed, the
 * server stopped and every deferred clean-up run, last first, even when one throws or the start itself failed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chromiumMissing } from '../helpers/chromium.js';
import { ROOT } from '../helpers/code-server.js';

const SUITE = join(ROOT, 'test', 'fixtures', 'e2e-session', 'suite.ts');

/** Runs the suite in `scenario`; resolves with the steps it wrote and what node --test printed. */
function runSuite(scenario: 'tests' | 'start'): { events: string[]; output: string; status: number | null } {
  const scratch = mkdtempSync(join(tmpdir(), 'gatewright-e2e-session-'));
  try {
    const file = join(scratch, 'events.txt');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', SUITE], {
      cwd: ROOT,
      // Without the parent's NODE_TEST_CONTEXT: with it, the child's node --test would take itself for a nested run.
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, E2E_SESSION_EVENTS: file, E2E_SESSION_SCENARIO: scenario },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const events = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    return { events, output: `${result.stdout}\n${result.stderr}`, status: result.status };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('the end-to-end session (test/helpers/e2e-session.ts)', { skip: chromiumMissing(), timeout: 240_000 }, () => {
  test('a page per test, a failure screenshot and report, and everything closed even when a clean-up throws', () => {
    const shot = join(ROOT, '.e2e', 'e2e-session-failure.png');
    rmSync(shot, { force: true });
    try {
      const { events, output, status } = runSuite('tests');
      assert.notEqual(status, 0, output);
      assert.deepEqual(events, [
        `served /?folder=${encodeURIComponent('/work/some folder')}`,
        `passes on ?folder=${encodeURIComponent('/work/some folder')}`,
        'context of passes closed',
        'served /',
        'fails on the server address as it is',
        'report with the server: boom',
        'context of fails closed',
        'browser closed',
        'server stopped',
        'cleanup last deferred',
        'cleanup first deferred',
      ], output);
      assert.ok(existsSync(shot), `the failing test left ${shot}`);
      assert.ok(!existsSync(join(ROOT, '.e2e', 'e2e-session-pass.png')), 'no screenshot of the test that passed');
      // The test fails with the report's error; the after hook with the clean-up's.
      assert.match(output, /reported: boom/);
      assert.match(output, /the last clean-up failed/);
      assert.match(output, /pass 1\b/);
    } finally {
      rmSync(shot, { force: true });
    }
  });

  test('a start that fails half way: its deferred clean-ups run and the launched browser is closed', () => {
    const { events, output, status } = runSuite('start');
    assert.notEqual(status, 0, output);
    assert.deepEqual(events, ['cleanup last deferred', 'cleanup first deferred', 'browser connected after the session: false'], output);
    assert.match(output, /the server did not start/);
  });
});
