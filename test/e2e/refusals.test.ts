/**
 * A design with an error finding is neither generated nor rehearsed from VS Code, as the command line refuses it:
 * the modal names the errors, nothing is written and no handshake runs (issue #12: rehearse and deploy refuse a
 * design with errors, as generate does).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { analyze } from '../../src/validation/analyze.js';
import { launchChromium } from '../helpers/chromium.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import { clickDialogButton, dialogText, e2eSkipReason, failureShot, openInDesigner, openWorkbench, runCommand, startCodeServer, type CodeServer } from '../helpers/code-server.js';

const DESIGN = 'payments.gatewright.yaml';

describe('refusals of a design with errors in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 300_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  before(async () => {
    [server, browser] = await Promise.all([startCodeServer(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('Rehearse and Generate on a design with an error: the modal names it, nothing runs and nothing is written', async () => {
    // The mTLS edge names a client certificate the design does not declare: an error finding.
    const text = mutateReference((doc) => setAt(doc, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'no-such-certificate'));
    const errors = analyze(text).findings.filter((f) => f.severity === 'error');
    assert.ok(errors.length > 0, 'the mutated design has an error');
    const folder = server.workspace({ [DESIGN]: text }, {}, 'payments');
    const page = await openWorkbench(browser, server, folder);
    try {
      await openInDesigner(page, DESIGN);
      await runCommand(page, 'Gatewright: Rehearse mTLS Handshakes');
      const rehearse = await dialogText(page, /payments\.gatewright\.yaml has \d+ errors?; fix (it|them) before rehearsing/, 60_000);
      assert.match(rehearse, new RegExp(errors[0]!.ruleId));
      await clickDialogButton(page, 'Cancel');
      await runCommand(page, 'Gatewright: Generate');
      await dialogText(page, /payments\.gatewright\.yaml has \d+ errors?; fix (it|them) before generating/, 60_000);
      await clickDialogButton(page, 'Cancel');
      assert.ok(!existsSync(join(folder, 'generated')), 'nothing generated');
      assert.ok(!readdirSync(folder).some((f) => f === 'certs'), 'no certificates made on the way');
    } catch (error) {
      await failureShot(page, 'refusals-failure');
      throw error;
    } finally {
      await page.context().close();
    }
  });
});
