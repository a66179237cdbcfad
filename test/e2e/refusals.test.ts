/**
 * A design with an error finding is neither generated nor rehearsed from VS Code, as the command line refuses it:
 * the modal names the errors, nothing is written and no handshake runs (issue #12: rehearse and deploy refuse a
 * design with errors, as generate does).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../src/validation/analyze.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import { clickDialogButton, dialogText, e2eSkipReason, openInDesigner, runCommand } from '../helpers/code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';

const DESIGN = 'payments.gatewright.yaml';

describe('refusals of a design with errors in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 300_000 }, () => {
  const e2e = e2eSession();

  test('Rehearse and Generate on a design with an error: the modal names it, nothing runs and nothing is written', async () => {
    // The mTLS edge names a client certificate the design does not declare: an error finding.
    const text = mutateReference((doc) => setAt(doc, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'no-such-certificate'));
    const errors = analyze(text).findings.filter((f) => f.severity === 'error');
    assert.ok(errors.length > 0, 'the mutated design has an error');
    const folder = e2e.server.workspace({ [DESIGN]: text }, {}, 'payments');
    await e2e.inWorkbench({ folder, failure: 'refusals-failure' }, async (page) => {
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
    });
  });
});
