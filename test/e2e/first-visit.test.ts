/**
 * The first visit of `npm start`: scripts/start.mjs itself (with --no-build: `npm run test:e2e` has packaged
 * .e2e/gatewright.vsix already), its state and demo folders in a scratch folder, on a free port. The address it
 * prints is opened in a fresh browser context (nothing remembered of an earlier visit, as a new browser profile):
 * the reference design must show in the designer (the React Flow canvas with every node), and no text editor of the
 * design. Then Open as Text and Open in Designer work in code-server as in VS Code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../src/validation/analyze.js';
import { poll } from '../helpers/chromium.js';
import { designer, DESIGN_NODES, e2eSkipReason, freePort, ROOT, runCommand, spawnGroup, waitHealthy } from '../helpers/code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';

describe('npm start: the first visit shows the design in the designer', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  let scratch: string;
  const e2e = e2eSession({
    async start(defer) {
      scratch = mkdtempSync(join(tmpdir(), 'gatewright-first-visit-'));
      defer(() => rmSync(scratch, { recursive: true, force: true }));
      const port = await freePort();
      const start = spawnGroup(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-build'], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GATEWRIGHT_START_STATE: join(scratch, 'state'), GATEWRIGHT_START_DEMO: join(scratch, 'demo') },
      });
      try {
        // The address npm start prints, then code-server answering on it.
        const url = await poll(() => {
          if (start.exited()) throw new Error(`start.mjs exited:\n${start.log()}`);
          return /Gatewright: open (\S+)/.exec(start.log())?.[1];
        }, { timeout: 120_000, message: 'the address start.mjs prints' });
        await waitHealthy(url, start, { timeout: 60_000, interval: 200 });
        // The test opens this address as it is (no folder added), in a browser context of its own: a new profile.
        return { url, log: start.log, stop: start.stop };
      } catch (error) {
        await start.stop();
        throw error;
      }
    },
    report: (server, error) => new Error(`${(error as Error).message}\nstart.mjs said:\n${server.log()}`),
  });

  test('a fresh browser on the printed address shows the reference design on the canvas, not its text', async () => {
    const design = analyze(readFileSync(join(scratch, 'demo', 'payments.gatewright.yaml'), 'utf8')).design!;
    await e2e.inWorkbench({ failure: 'first-visit-failure' }, async (page) => {
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
    });
  });
});
