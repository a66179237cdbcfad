/**
 * The designer in a real VS Code: code-server 4.100.3 with the packaged extension (.e2e/gatewright.vsix), driven
 * by headless chromium (test/helpers/code-server.ts). Each scenario gets its own workspace folder with the
 * reference design written by `gatewright init`; the checks are on what the webview draws, what VS Code shows
 * (Problems panel) and what lands on disk.
 *
 * Run with `npm run test:e2e` (installs code-server, packages the extension, sets GATEWRIGHT_E2E=1); skipped
 * under a plain `npm test`. Also writes the README's screenshots, docs/screenshots/designer-{light,dark}.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { analyze } from '../../src/validation/analyze.js';
import { poll } from '../helpers/chromium.js';
import { cli, DESIGN_NODES, e2eSkipReason, openInDesigner, ROOT, runCommand, saveActiveEditor } from '../helpers/code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import { clickToolbarAction } from '../helpers/toolbar.js';

const DESIGN = 'payments.gatewright.yaml';
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

describe('designer end to end in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  const e2e = e2eSession();

  /**
   * A workspace with the reference design (from the CLI) and these workspace settings, the workbench on it, and the
   * design open in the designer: runs `body` there; a failure leaves .e2e/<failure>.png.
   */
  async function inDesign(
    where: { failure: string; settings?: Record<string, unknown> },
    body: (opened: { page: Page; canvas: FrameLocator; folder: string; file: string; original: string }) => Promise<void>,
  ): Promise<void> {
    const folder = e2e.server.workspace({}, where.settings ?? {}, 'payments');
    const file = join(folder, DESIGN);
    cli('init', file);
    const original = readFileSync(file, 'utf8');
    await e2e.inWorkbench({ folder, failure: where.failure }, async (page) => body({ page, canvas: await openInDesigner(page, DESIGN), folder, file, original }));
  }

  /** Ids of the nodes drawn in the designer. */
  async function drawnNodeIds(canvas: FrameLocator): Promise<string[]> {
    return canvas.locator(DESIGN_NODES).evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  }

  test('opening the reference design draws every node of the design', async () => {
    await inDesign({ failure: 'open-failure' }, async ({ canvas, original }) => {
      const design = analyze(original).design!;
      await poll(async () => (await canvas.locator(DESIGN_NODES).count()) === design.nodes.length, { message: `${design.nodes.length} nodes drawn` });
      assert.deepEqual((await drawnNodeIds(canvas)).sort(), design.nodes.map((n) => n.id).sort());
      // Design edges (the lines from private endpoints to their services are drawn too, but are not design edges).
      assert.equal(await canvas.locator('.react-flow__edge:not([data-id^="pe-link:"])').count(), design.edges.length);
    });
  });

  test('add a node on the canvas and save: the file gains it with its comments kept; undo and save remove it', async () => {
    // Saving by hand is what this test is about: code-server saves after a second by default (files.autoSave
    // afterDelay), which would write the file before the "not saved yet" check on a slow machine.
    await inDesign({ failure: 'add-save-undo-failure', settings: { 'files.autoSave': 'off' } }, async ({ page, canvas, file, original }) => {
      const before = await drawnNodeIds(canvas);
      // The keyboard way of the palette: focus an entry, press Enter (adds it at the centre of the view).
      await canvas.getByTestId('palette-item-keyVault').focus();
      await page.keyboard.press('Enter');
      await poll(async () => (await drawnNodeIds(canvas)).length === before.length + 1, { message: 'the new node drawn', timeout: 15_000 });
      const added = (await drawnNodeIds(canvas)).filter((id) => !before.includes(id));
      assert.equal(added.length, 1);
      const id = added[0]!;
      assert.equal(await canvas.getByTestId(testIdOf.node(id)).getAttribute('data-node-type'), 'keyVault');
      // Not saved yet: the file on disk is unchanged and the editor is dirty. Saved: a text that parses to a design
      // with the new node and its position.
      assert.equal(readFileSync(file, 'utf8'), original);
      const saved = await saveActiveEditor(page, file, (text) => {
        const design = analyze(text).design;
        return !!design?.nodes.some((n) => n.id === id) && !!design.layout?.[id];
      }, 'the file saved with the new node');
      assert.match(saved, new RegExp(`- id: ${id}\\n\\s+type: keyVault`));
      const comments = original.split('\n').filter((l) => l.trim().startsWith('#'));
      assert.ok(comments.length > 5, 'the reference design has comments');
      for (const c of comments) assert.ok(saved.includes(c), `comment kept: ${c.trim()}`);
      const design = analyze(saved).design;
      assert.ok(design?.nodes.some((n) => n.id === id && n.type === 'keyVault'), 'the saved design has the node');
      assert.ok(design?.layout?.[id], 'and its position in layout');
      await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });

      // Undo in the designer (VS Code's own undo of the document), then save: the node is gone again.
      await canvas.getByTestId(TEST_IDS.canvas).click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Control+Z');
      await poll(async () => (await drawnNodeIds(canvas)).length === before.length, { message: 'the node removed by undo', timeout: 15_000 });
      await page.keyboard.press('Control+S');
      await poll(() => readFileSync(file, 'utf8') === original, { message: 'the saved file back to the original text', timeout: 15_000 });
    });
  });

  test('break an edge certificate in the text editor: the edge is flagged on the canvas and in the Problems panel', async () => {
    await inDesign({ failure: 'problems-failure' }, async ({ page, canvas, original }) => {
      await runCommand(page, 'Gatewright: Open as Text');
      const editor = page.locator('.monaco-editor[data-uri$="payments.gatewright.yaml"]').first();
      await editor.waitFor({ timeout: 15_000 });
      await editor.locator('.view-lines').click();
      // Find and replace in the text editor: clientCertificate: apim-client -> an id no certificate has.
      await page.keyboard.press('Control+H');
      const find = page.locator('.find-widget.visible .find-part textarea');
      const replace = page.locator('.find-widget.visible .replace-part textarea');
      await find.fill('clientCertificate: apim-client');
      await replace.fill('clientCertificate: retired-client');
      await poll(async () => /1 of 1/.test((await page.locator('.find-widget.visible .matchesCount').textContent()) ?? ''), { message: 'one match' });
      await replace.press('Control+Alt+Enter');
      await page.keyboard.press('Escape');

      const broken = original.replace('clientCertificate: apim-client', 'clientCertificate: retired-client');
      const finding = analyze(broken).findings.find((f) => f.target.kind === 'edge' && f.target.id === 'apim-aks' && f.severity === 'error');
      assert.ok(finding?.location, 'the validator reports the edge, located');

      // The canvas follows the text at once (no save): the edge is drawn as an error.
      const edgePath = canvas.getByTestId('rf__edge-apim-aks').locator('path.react-flow__edge-path');
      await poll(async () => (await edgePath.getAttribute('class'))?.includes('gwc-edge--error'), { message: 'the mTLS edge flagged', timeout: 15_000 });

      // Problems panel: the finding with its rule, message and exact position.
      await runCommand(page, 'View: Focus Problems');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: finding.ruleId }).first();
      await row.waitFor({ timeout: 15_000 });
      const text = (await row.textContent()) ?? '';
      assert.ok(text.includes('retired-client'), `the Problems entry names the unknown certificate: ${text}`);
      assert.ok(text.includes(`Ln ${finding.location.line}, Col ${finding.location.column}`), `the Problems entry at line ${finding.location.line}: ${text}`);
    });
  });

  test('Gatewright: Generate writes Bicep, ARM JSON, Kubernetes manifests and API Management policies', async () => {
    await inDesign({ failure: 'generate-failure' }, async ({ page, folder }) => {
      await runCommand(page, 'Gatewright: Generate');
      const out = join(folder, 'generated');
      // Generate writes each file atomically and its manifest of what was written last: the manifest says it is done.
      await poll(() => existsSync(join(out, '.gatewright-generated.json')), { message: 'the manifest of what was written', timeout: 30_000 });
      assert.match(readFileSync(join(out, 'infra', 'main.bicep'), 'utf8'), /Microsoft\.ApiManagement\/service/);
      const arm = JSON.parse(readFileSync(join(out, 'infra', 'main.json'), 'utf8')) as { resources: unknown };
      assert.ok(arm.resources, 'main.json is an ARM template');
      const k8s = readdirSync(join(out, 'k8s'), { recursive: true }).map(String);
      assert.ok(k8s.some((f) => f.endsWith('.yaml')), `Kubernetes manifests in k8s/: ${k8s.join(', ')}`);
      const policies = readdirSync(join(out, 'apim', 'policies'), { recursive: true }).map(String);
      assert.ok(policies.some((f) => f.endsWith('.xml')), `policies in apim/policies/: ${policies.join(', ')}`);
      assert.ok(existsSync(join(out, 'infra', 'main.bicep')) && existsSync(join(out, 'infra', 'main.json')), 'generated/infra/main.bicep and main.json');
    });
  });

  for (const [theme, colorTheme] of [
    ['light', 'Default Light Modern'],
    ['dark', 'Default Dark Modern'],
  ] as const) {
    test(`screenshot of the designer in the ${theme} theme (docs/screenshots/designer-${theme}.png)`, async () => {
      await inDesign({ failure: `screenshot-${theme}-failure`, settings: { 'workbench.colorTheme': colorTheme } }, async ({ page, canvas }) => {
        await poll(async () => (await page.locator('.monaco-workbench').getAttribute('class'))?.includes(theme === 'light' ? 'vs' : 'vs-dark'), {
          message: `the ${colorTheme} theme`,
        });
        await runCommand(page, 'View: Close Primary Side Bar');
        // Show the inspector on API Management, then fit the whole design in view.
        await canvas.getByTestId(testIdOf.node('apim')).click();
        await clickToolbarAction(canvas, testIdOf.toolbarButton('fit'));
        await canvas.locator('[data-testid="inspector"][data-kind="node"]').getByTestId('inspector-title').filter({ hasText: 'API Management' }).waitFor();
        await page.waitForTimeout(600); // the fit animation
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `designer-${theme}.png`) });
      });
    });
  }
});
