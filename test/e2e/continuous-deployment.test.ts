/**
 * "Gatewright: Set Up Continuous Deployment" in a real VS Code (code-server with the packaged extension), signed in to
 * the test Resource Manager as the deploy test is: on the reference design in a clone of a GitHub repository, the
 * provider and the repository (proposed from the git remote), one environment whose subscription and resource group
 * are picked from the account; the design gains its delivery section as one edit, Generate writes the workflows, and
 * the bootstrap is deployed after a confirmation, its values shown.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../src/validation/analyze.js';
import { ArmServer } from '../helpers/arm-server/server.js';
import { poll } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { clickDialogButton, dialogText, e2eSkipReason, notificationText, openInDesigner, pickQuickItem, runCommand } from '../helpers/code-server.js';
import { printDeployLogs, startDeployingCodeServer } from '../helpers/deploying-code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';

const DESIGN = 'payments.gatewright.yaml';
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const GROUP = 'rg-payments';
const TOKEN = `e2e-token-${randomBytes(12).toString('hex')}`;

describe('Set Up Continuous Deployment in VS Code (code-server)', { skip: e2eSkipReason(), timeout: 600_000 }, () => {
  let arm: ArmServer;
  const e2e = e2eSession({
    async start(defer) {
      arm = await ArmServer.start({ token: TOKEN });
      defer(() => arm.close());
      arm.addResourceGroup(SUBSCRIPTION, GROUP, 'westeurope');
      arm.scenario = { steps: 1 };
      return startDeployingCodeServer(arm, { token: TOKEN, subscription: SUBSCRIPTION });
    },
    report: printDeployLogs,
  });

  test('provider, repository from the git remote, an environment from the account: the delivery section, the workflows, the bootstrap', async () => {
    const folder = e2e.server.workspace({ [DESIGN]: REFERENCE }, {}, 'payments');
    mkdirSync(join(folder, '.git'));
    writeFileSync(join(folder, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:contoso/payments.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
    await e2e.inWorkbench({ folder, failure: 'continuous-deployment-failure' }, async (page) => {
      await openInDesigner(page, DESIGN);
      await runCommand(page, 'Gatewright: Set Up Continuous Deployment');
      // The provider: GitHub first, since the remote is on GitHub.
      await pickQuickItem(page, 'GitHub Actions');
      // The repository, proposed from the git remote.
      const input = page.locator('.quick-input-widget input');
      await page.locator('.quick-input-widget', { hasText: 'GitHub repository' }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await input.inputValue(), 'contoso/payments');
      await input.press('Enter');
      // One environment, "prod" proposed; its target picked as Deploy picks one.
      await page.locator('.quick-input-widget', { hasText: 'Name of the environment' }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await input.inputValue(), 'prod');
      await input.press('Enter');
      await pickQuickItem(page, 'Contoso Test');
      await pickQuickItem(page, GROUP);
      await pickQuickItem(page, 'Done');

      // Generate ran on the edited design: the workflows and the bootstrap are in the output folder.
      const generated = join(folder, 'generated');
      await poll(() => existsSync(join(generated, '.gatewright-generated.json')) && existsSync(join(generated, '.github', 'workflows', 'gatewright-deploy.yml')), { timeout: 120_000, message: 'the workflows generated' });
      const deployWorkflow = readFileSync(join(generated, '.github', 'workflows', 'gatewright-deploy.yml'), 'utf8');
      assert.match(deployWorkflow, /environment: "prod"/);
      assert.match(deployWorkflow, /id-token: write/);
      assert.ok(existsSync(join(generated, 'delivery', 'bootstrap.bicep')), 'the bootstrap template');

      // The bootstrap, offered for the environment: what-if and a confirmation naming the target, then the values.
      const offer = page.locator('.notifications-toasts .notification-toast', { hasText: /continuous deployment with GitHub Actions is set up for prod/ }).first();
      await offer.waitFor({ timeout: 60_000 });
      await offer.locator('.monaco-button', { hasText: 'Run Bootstrap of prod' }).click();
      const confirmation = await dialogText(page, /Deploy the bootstrap of "prod"/);
      assert.match(confirmation, /resource group rg-payments\?/);
      assert.match(confirmation, /What-if: \d+ to create/);
      assert.match(confirmation, /repo:contoso\/payments:environment:prod/);
      await clickDialogButton(page, 'Deploy');
      const done = await notificationText(page, /the bootstrap of "prod" is deployed/, 120_000);
      assert.match(done, /AZURE_CLIENT_ID=[0-9a-f-]{36}/);
      assert.match(done, new RegExp(`AZURE_SUBSCRIPTION_ID=${SUBSCRIPTION}`));
      assert.ok([...arm.deployments.keys()].some((k) => /gatewright-bootstrap-prod$/i.test(k)), `the bootstrap deployment reached Resource Manager: ${[...arm.deployments.keys()].join(', ')}`);

      // The design changed in the editor (one edit, not yet saved): save it and read the section back.
      await runCommand(page, 'File: Save');
      const saved = await poll(
        () => {
          const text = readFileSync(join(folder, DESIGN), 'utf8');
          return analyze(text).design?.delivery ? text : undefined;
        },
        { timeout: 30_000, message: 'the design saved with its delivery section' },
      );
      assert.deepEqual(analyze(saved).design!.delivery, {
        provider: 'github',
        repository: 'contoso/payments',
        mainBranch: 'main',
        designFile: DESIGN,
        outputFolder: 'generated',
        environments: [{ name: 'prod', subscriptionId: SUBSCRIPTION, resourceGroup: GROUP, location: 'westeurope' }],
      });
      for (const c of REFERENCE.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(saved.includes(c), `comment kept: ${c.trim()}`);
    });
  });
});
