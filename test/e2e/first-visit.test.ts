/**
 * The first visit of `npm start`: scripts/start.mjs itself (with --no-build: `npm run test:e2e` has packaged
 * .e2e/gatewright.vsix already), its state and demo folders in a scratch folder, on a free port. The address it
 * prints is opened in a fresh browser context (nothing remembered of an earlier visit, as a new browser profile):
 * the reference design must show in the designer (the React Flow canvas with every node), and no text editor of the
 * design. Then Open as Text and Open in Designer work in code-server as in VS Code.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/validation/analyze.js';
import { launchChromium, newContext, poll } from '../helpers/chromium.js';
import { designer, DESIGN_NODES, e2eSkipReason, failureShot, ROOT, runCommand } from '../helpers/code-server.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('npm start: the first visit shows the design in the designer', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  let scratch: string;
  let start: ChildProcess;
  let output = '';
  let url: string;
  let browser: Browser;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'gatewright-first-visit-'));
    const port = await freePort();
    start = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-build'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GATEWRIGHT_START_STATE: join(scratch, 'state'), GATEWRIGHT_START_DEMO: join(scratch, 'demo') },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    start.stdout?.on('data', keep);
    start.stderr?.on('data', keep);
    let exited = false;
    start.once('exit', () => (exited = true));
    // The address npm start prints, then code-server answering on it.
    url = await poll(() => {
      if (exited) throw new Error(`start.mjs exited:\n${output}`);
      return /Gatewright: open (\S+)/.exec(output)?.[1];
    }, { timeout: 120_000, message: 'the address start.mjs prints' });
    await poll(async () => (await fetch(new URL('/healthz', url))).status === 200, { timeout: 60_000, interval: 200, message: `code-server at ${url}` });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (start?.pid && start.exitCode === null) {
      const gone = new Promise((r) => start.once('exit', r));
      try {
        process.kill(-start.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      try {
        process.kill(-start.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('a fresh browser on the printed address shows the reference design on the canvas, not its text', async () => {
    const design = analyze(readFileSync(join(scratch, 'demo', 'payments.gatewright.yaml'), 'utf8')).design!;
    const context = await newContext(browser, { viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      // The workbench is large and the machine shared: wait for the workbench itself, not the page's load event.
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      const canvas = designer(page);
      await canvas.locator('.react-flow__node').first().waitFor({ state: 'visible', timeout: 90_000 });
      await poll(async () => (await canvas.locator(DESIGN_NODES).count()) === design.nodes.length, { message: `${design.nodes.length} nodes drawn` });
      const drawn = await canvas.locator(DESIGN_NODES).evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
      assert.deepEqual(drawn.sort(), design.nodes.map((n) => n.id).sort());
      // The designer is the active editor, and no text editor shows the design (the workbench's tabs and editors).
      await page.locator('.tab.active', { hasText: 'payments.gatewright.yaml' }).waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('.monaco-editor[data-uri$="payments.gatewright.yaml"]').count(), 0, 'no text editor of the design');
      assert.equal(await page.locator('.tabs-container .tab', { hasText: 'payments.gatewright.yaml' }).count(), 1, 'one tab of the design');

      // Open as Text puts the YAML beside it; with the designer closed, Open in Designer from the text brings the canvas back.
      await runCommand(page, 'Gatewright: Open as Text');
      const text = page.locator('.monaco-editor[data-uri$="payments.gatewright.yaml"]').first();
      await text.waitFor({ timeout: 30_000 });
      await text.locator('.view-lines').click();
      await runCommand(page, 'View: Close Editors in Other Groups');
      await poll(async () => (await page.locator('iframe.webview.ready').count()) === 0, { message: 'the designer closed', timeout: 30_000 });
      await runCommand(page, 'Gatewright: Open in Designer');
      await designer(page).locator('.react-flow__node').first().waitFor({ state: 'visible', timeout: 60_000 });
      await poll(async () => (await designer(page).locator(DESIGN_NODES).count()) === design.nodes.length, { message: 'the designer again' });
    } catch (error) {
      await failureShot(page, 'first-visit-failure');
      throw new Error(`${(error as Error).message}\nstart.mjs said:\n${output}`);
    } finally {
      await context.close();
    }
  });
});
