/**
 * Development certificates and the mTLS rehearsal in a real VS Code (code-server with the packaged extension,
 * driven by headless chromium; test/helpers/code-server.ts). On the reference design open in the designer:
 * Create Development Certificates writes the PKI (private keys owner-only in the git-ignored folder) and sets the
 * design's `file` fields as one edit of the document, which one undo takes back; Rehearse runs the handshakes,
 * reports them in the Gatewright output channel and a notification, and draws the result on the mTLS edge.
 *
 * Run with `npm run test:e2e`; skipped under a plain `npm test`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/validation/analyze.js';
import { poll } from '../helpers/chromium.js';
import { cli, e2eSkipReason, openInDesigner, outputChannel, runCommand, saveActiveEditor } from '../helpers/code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';

const DESIGN = 'payments.gatewright.yaml';

describe('development certificates and rehearsal end to end in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  const e2e = e2eSession();

  /** The text of a notification toast that matches, once it shows. */
  async function notification(page: Page, text: RegExp, timeout = 60_000): Promise<string> {
    return poll(
      async () => {
        const toasts = await page.locator('.notification-toast').allTextContents();
        return toasts.find((t) => text.test(t));
      },
      { message: `a notification matching ${text}`, timeout, interval: 200 },
    );
  }

  test('create the development certificates from the designer, undo the design change, rehearse and see the result on the mTLS edge', async () => {
    const folder = e2e.server.workspace({}, {}, 'payments');
    const file = join(folder, DESIGN);
    cli('init', file);
    const original = readFileSync(file, 'utf8');
    await e2e.inWorkbench({ folder, failure: 'certificates-failure' }, async (page) => {
      const canvas = await openInDesigner(page, DESIGN);

      // 1. Create Development Certificates (on the design of the active designer).
      await runCommand(page, 'Gatewright: Create Development Certificates');
      const made = await notification(page, /development certificates? for payments\.gatewright\.yaml/);
      assert.match(made, /6 development certificates/, made);
      const certs = join(folder, 'certs');
      const privateDir = join(certs, 'private');
      for (const id of ['internal-ca', 'gateway-tls', 'apim-tls', 'ingress-tls', 'apim-client']) {
        assert.match(readFileSync(join(certs, `${id}.pem`), 'utf8'), /^-----BEGIN CERTIFICATE-----/, `certs/${id}.pem`);
        assert.ok(!readFileSync(join(certs, `${id}.pem`), 'utf8').includes('PRIVATE KEY'), `no key in the public certs/${id}.pem`);
        const key = join(privateDir, `${id}.key.pem`);
        assert.equal(statSync(key).mode & 0o777, 0o600, `${id}.key.pem is owner-only`);
      }
      assert.equal(statSync(privateDir).mode & 0o777, 0o700, 'the private folder is owner-only');
      assert.match(readFileSync(join(privateDir, '.gitignore'), 'utf8'), /^\*$/m, 'the private folder is git-ignored');

      // The design changed in the editor, not on disk: dirty until saved, then a text whose design names every
      // certificate file.
      assert.equal(readFileSync(file, 'utf8'), original);
      const saved = await saveActiveEditor(page, file, (text) => {
        const certificates = analyze(text).design?.certificates;
        return !!certificates && certificates.length > 0 && certificates.every((c) => c.file);
      }, 'the design saved');
      const design = analyze(saved).design!;
      assert.deepEqual(
        Object.fromEntries(design.certificates.map((c) => [c.id, c.file])),
        {
          'internal-ca': 'certs/internal-ca.pem',
          'gateway-tls': 'certs/gateway-tls.pem',
          'apim-tls': 'certs/apim-tls.pem',
          'ingress-tls': 'certs/ingress-tls.pem',
          'apim-client': 'certs/apim-client.pem',
        },
      );
      const comments = original.split('\n').filter((l) => l.trim().startsWith('#'));
      for (const c of comments) assert.ok(saved.includes(c), `comment kept: ${c.trim()}`);

      // One undo takes the whole change back (it was ONE edit), and the save writes the original text again.
      await canvas.getByTestId(TEST_IDS.canvas).click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Control+Z');
      await page.locator('.tab.active.dirty').waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+S');
      await poll(() => readFileSync(file, 'utf8') === original, { message: 'the saved design back to the original text', timeout: 15_000 });

      // 2. Rehearse: the certificates are found by id in certs/ even without the file fields.
      await runCommand(page, 'Gatewright: Rehearse mTLS Handshakes');
      const rehearsed = await notification(page, /rehearsal of payments\.gatewright\.yaml/, 90_000);
      assert.match(rehearsed, /12 cases, 12 passed, 0 failed/, rehearsed);
      const log = await poll(() => {
        const text = outputChannel(e2e.server, 'Gatewright');
        return /apim-aks \(mtls\)\s+no client certificate\s+refused\s+refused\s+pass/.test(text) ? text : undefined;
      }, { message: 'the rehearsal table in the Gatewright output channel', timeout: 15_000 });
      assert.match(log, /payments\.gatewright\.yaml: 12 cases, 12 passed, 0 failed/);
      assert.match(log, /wrote certs\/private\/apim-client\.key\.pem/, 'the output channel lists what was written');
      assert.ok(!/BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY/.test(log), 'no key material in the output channel');

      // 3. The result on the mTLS edge of the canvas.
      const badge = canvas.getByTestId(testIdOf.edgeRehearsal('apim-aks'));
      await badge.waitFor({ timeout: 15_000 });
      assert.equal(await badge.getAttribute('data-status'), 'pass');
      assert.match((await badge.textContent()) ?? '', /6\/6/);
    });
  });

  test('rehearse before any certificate exists: it offers to create them, then rehearses', async () => {
    const folder = e2e.server.workspace({}, {}, 'payments');
    cli('init', join(folder, DESIGN));
    await e2e.inWorkbench({ folder, failure: 'rehearse-offer-failure' }, async (page) => {
      const canvas = await openInDesigner(page, DESIGN);
      await runCommand(page, 'Gatewright: Rehearse mTLS Handshakes');
      await notification(page, /cannot rehearse payments\.gatewright\.yaml/);
      await page.locator('.notification-toast').getByRole('button', { name: 'Create Development Certificates' }).click();
      const rehearsed = await notification(page, /rehearsal of payments\.gatewright\.yaml/, 90_000);
      assert.match(rehearsed, /12 cases, 12 passed, 0 failed/, rehearsed);
      assert.ok(existsSync(join(folder, 'certs', 'private', 'apim-client.key.pem')), 'the certificates were made on the way');
      const badge = canvas.getByTestId(testIdOf.edgeRehearsal('apim-aks'));
      await badge.waitFor({ timeout: 15_000 });
      assert.equal(await badge.getAttribute('data-status'), 'pass');
      // The design in the editor names the files made on the way: saving writes them into the file.
      await canvas.getByTestId(TEST_IDS.canvas).click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Control+S');
      const saved = await poll(() => {
        const text = readFileSync(join(folder, DESIGN), 'utf8');
        return /file: certs\/apim-client\.pem/.test(text) ? text : undefined;
      }, { message: 'the saved design names the certificate files', timeout: 15_000 });
      assert.equal(analyze(saved).design!.certificates.filter((c) => c.file?.startsWith('certs/')).length, 5);
    });
  });
});
