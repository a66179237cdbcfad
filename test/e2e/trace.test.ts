/**
 * Trace in a real VS Code: code-server with the packaged extension (test/helpers/code-server.ts). The reference
 * design (from `gatewright init`) is opened in the designer, the internet node's Trace action is pressed, and the
 * extension host generates in memory, traces (src/trace) and draws: every hop's node and TLS edge gets a verdict
 * badge, the side panel lists the hops, and a click on evidence opens the generated text at that line. Also writes
 * the README's screenshot docs/screenshots/trace.png.
 *
 * Run with `npm run test:e2e`; skipped under a plain `npm test`.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDesign } from '../../src/document/parse.js';
import { generate } from '../../src/generators/generate.js';
import { referenceDesign } from '../../src/designs/reference.js';
import { traceRequests } from '../../src/trace/trace.js';
import { poll } from '../helpers/chromium.js';
import { cli, e2eSkipReason, openInDesigner, ROOT, showDetails } from '../helpers/code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';

const DESIGN = 'payments.gatewright.yaml';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

describe('trace end to end in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  const e2e = e2eSession();

  test('Trace on the internet node of the reference design: a badge on every hop, the checks listed, evidence opens the generated file', async () => {
    const folder = e2e.server.workspace({}, {}, 'payments');
    cli('init', join(folder, DESIGN));
    await e2e.inWorkbench({ folder, failure: 'trace-failure' }, async (page) => {
      const canvas = await openInDesigner(page, DESIGN);
      // What the extension will find: the same trace, computed here from the same design.
      const design = parseDesign(referenceDesign('payments')).design!;
      const expected = traceRequests({ files: generate(design).files, design });
      const hops = expected.paths[0]!.hops;

      await canvas.getByTestId('node-internet').click();
      await showDetails(canvas);
      await canvas.getByTestId('trace-action').click();
      const section = canvas.getByTestId('trace-section');
      await section.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await section.getAttribute('data-verdict'), expected.verdict);
      for (const hop of hops) {
        for (const node of hop.nodes) {
          await canvas.getByTestId(`node-${node}-trace`).waitFor({ state: 'visible' });
        }
        for (const edge of hop.edges.filter((e) => ['internet-appgw', 'appgw-apim', 'apim-aks'].includes(e))) {
          assert.equal(await canvas.getByTestId(`edge-${edge}-trace`).getAttribute('data-verdict'), hop.verdict, `edge ${edge}`);
        }
      }
      const drawn = canvas.getByTestId('trace-hop');
      assert.equal(await drawn.count(), hops.length);
      for (let i = 0; i < hops.length; i++) assert.equal(await drawn.nth(i).getAttribute('data-verdict'), hops[i]!.verdict);

      await page.waitForTimeout(600);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'trace.png') });

      // Nothing was generated into the workspace: the evidence opens the generated text in an editor.
      const waf = canvas.locator('[data-testid="trace-check"][data-check="entry.waf"]');
      await waf.getByTestId('trace-evidence').first().click();
      const evidence = hops[0]!.checks.find((c) => c.id === 'entry.waf')!.evidence[0]!;
      // Monaco draws spaces as no-break spaces and only the part of a long line that is in view: compare the start.
      const shown = evidence.value.slice(0, 24);
      await poll(async () => ((await page.locator('.monaco-editor .view-lines').last().textContent()) ?? '').replace(/\u00a0/g, ' ').includes(shown), {
        message: 'the generated text opened',
        timeout: 15_000,
      });
      await poll(async () => (await page.locator('.statusbar-item[id="status.editor.selection"]').textContent())?.includes(`Ln ${evidence.line}`), { message: `the cursor on line ${evidence.line}` });
    });
  });
});
