/**
 * Deploying from a real VS Code (code-server with the packaged extension) to the test Resource Manager
 * (test/helpers/arm-server), signed in through a real credential path: the setting gatewright.deploy.signIn is
 * `azureCli`, so @azure/identity's AzureCliCredential runs the stand-in `az` this test puts first on code-server's
 * PATH (set in the login shell's profile, where VS Code takes the extension host's environment from); the
 * extension host trusts the server's test CA through NODE_EXTRA_CA_CERTS. The user's path is driven through the workbench: the command, the subscription and resource
 * group pickers, the one parameter the design cannot know, the what-if drawn on the canvas, the modal
 * confirmation naming the subscription and resource group, each node's state while Resource Manager deploys, and
 * then a failing deployment whose error reaches the node and the notification, a what-if Resource Manager answers
 * with status Failed, and a new resource group previewed without being created (its taken names said).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { parseParametersFile, serializeParametersFile } from '../../src/deploy/parameters.js';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { generate } from '../../src/generators/generate.js';
import { analyze } from '../../src/validation/analyze.js';
import { ArmServer } from '../helpers/arm-server/server.js';
import { nameIn } from '../helpers/arm-server/fixture.js';
import { poll } from '../helpers/chromium.js';
import { rootCa } from '../helpers/pki.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import {
  clickDialogButton,
  dialogText,
  e2eSkipReason,
  notificationText,
  openInDesigner,
  pickQuickItem,
  ROOT,
  runCommand,
  showDetails,
} from '../helpers/code-server.js';
import { printDeployLogs, startDeployingCodeServer } from '../helpers/deploying-code-server.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import { clickToolbarAction } from '../helpers/toolbar.js';

const DESIGN = 'payments.gatewright.yaml';
const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const GROUP = 'rg-payments';
const TOKEN = `e2e-token-${randomBytes(12).toString('hex')}`;
/** Saved beforehand: the group name. The group's object id is asked in VS Code; the CA comes from its file. */
const SAVED = { sqlAdminGroupName: 'sql-admins' };
const ASKED = { sqlAdminGroupObjectId: '6f1a4c52-7d1e-4f47-9a43-2c1f3b9e8d70' };

describe('deploying from VS Code (code-server) to a test Resource Manager', { skip: e2eSkipReason(), timeout: 900_000 }, () => {
  let arm: ArmServer;
  // A failure reports, besides the screenshot, the extension's log and the stand-in az's calls.
  const e2e = e2eSession({
    async start(defer) {
      arm = await ArmServer.start({ token: TOKEN });
      defer(() => arm.close());
      arm.addResourceGroup(SUBSCRIPTION, GROUP, 'westeurope');
      // Slow enough to see nodes waiting and running: 5 polls, each answered "retry after 1 s".
      arm.scenario = { steps: 5, retryAfterSeconds: 1 };
      return startDeployingCodeServer(arm, { token: TOKEN, subscription: SUBSCRIPTION });
    },
    report: printDeployLogs,
  });

  /** The deployment marker of every node that has one: node id -> data-kind. */
  async function markers(canvas: FrameLocator): Promise<Record<string, string>> {
    const pairs = await canvas
      .locator('[data-testid$="-deployment"][data-kind]')
      .evaluateAll((els) => els.map((e) => [(e.getAttribute('data-testid') ?? '').replace(/^node-/, '').replace(/-deployment$/, ''), e.getAttribute('data-kind') ?? '']));
    return Object.fromEntries(pairs);
  }

  test('what-if on the canvas, confirmation naming the target, per-node states; a failure on its node; history; a new resource group', async () => {
    // The reference design with its internal CA's public certificate as a file: the CA parameter and the ingress's
    // client CA bundle come from it, so that the manifests apply.
    const ca = await rootCa('Contoso internal CA', { notBefore: new Date('2026-01-01'), notAfter: new Date('2035-12-31') });
    const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'internal-ca.pem'));
    const folder = e2e.server.workspace({ [DESIGN]: text, 'internal-ca.pem': ca.pem }, {}, 'payments');
    const parametersFile = join(folder, 'payments.gatewright.parameters.json');
    writeFileSync(parametersFile, serializeParametersFile(SAVED));
    // What the server must receive: the generated template with the saved and the asked parameters.
    const files = new Map([['internal-ca.pem', { status: 'read' as const, content: ca.pem }]]);
    const analysis = analyze(text, { files });
    assert.equal(analysis.summary.errors, 0);
    const design = analysis.design!;
    const generated = generate(design, { caPems: caPemsOf(design, files) });
    // The manifests name the globally unique resources as they are in rg-payments (prefix + uniqueString of its id).
    const prepared = prepareDeployment(design, generated.files, { ...SAVED, ...ASKED }, `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}`);
    assert.equal(prepared.merged.missing.length, 0);
    const APIM = nameIn(design, 'apim', GROUP);
    // Deploy reads API Management first: the empty group has none (apimExists false); after the first deployment it has.
    const withApim = (exists: boolean) => ({ ...prepared.input!.parameters, apimExists: { value: exists } });
    arm.expected = {
      template: prepared.template,
      parameters: withApim(false),
      command: 'kubectl apply -k .',
      clusterFiles: new Map(prepared.clusters.map((c) => [c.clusterName, new Map(c.files.map((f) => [f.path, f.content]))])),
    };

    await e2e.inWorkbench({ folder, failure: 'deploy-failure' }, async (page) => {
      const canvas = await openInDesigner(page, DESIGN);

      // The canvas's Deploy button runs the command on this design.
      await clickToolbarAction(canvas, testIdOf.toolbarButton('deploy'));
      await pickQuickItem(page, 'Contoso Test');
      await pickQuickItem(page, GROUP);
      // The one parameter the design cannot know, asked once.
      const input = page.locator('.quick-input-widget input');
      await page.locator('.quick-input-widget', { hasText: 'sqlAdminGroupObjectId' }).waitFor({ state: 'visible', timeout: 60_000 });
      await input.fill(ASKED.sqlAdminGroupObjectId);
      await input.press('Enter');

      // The what-if, drawn before anything is deployed: every node with resources is a create on an empty group.
      const confirmation = await dialogText(page, /Deploy payments to subscription/);
      assert.match(confirmation, /subscription "Contoso Test" \(00000000-1111-2222-3333-444444444444\), resource group rg-payments\?/);
      assert.match(confirmation, /What-if: \d+ to create/);
      const whatIf = await markers(canvas);
      for (const id of ['appgw', 'apim', 'aks', 'kv']) assert.equal(whatIf[id], 'create', `node ${id} is drawn as a create: ${JSON.stringify(whatIf)}`);
      assert.equal(await canvas.getByTestId(TEST_IDS.deploymentBanner).getAttribute('data-phase'), 'whatIf');
      assert.equal(arm.deployments.size, 0, 'nothing deployed before the confirmation');
      // The answer is kept next to the design, and nothing else was added.
      assert.deepEqual(parseParametersFile(readFileSync(parametersFile, 'utf8')).values, { ...SAVED, ...ASKED });

      await clickDialogButton(page, 'Deploy');
      // Each node follows its operations: some node is seen waiting or running, then every one succeeds.
      const seen = new Set<string>();
      await poll(
        async () => {
          const now = await markers(canvas);
          for (const k of Object.values(now)) seen.add(k);
          const states = Object.values(now);
          return states.length > 0 && states.every((k) => k === 'succeeded' || k === 'noChange') && (await canvas.getByTestId(TEST_IDS.deploymentBanner).getAttribute('data-phase')) === 'succeeded';
        },
        { timeout: 180_000, interval: 250, message: 'every node succeeded' },
      );
      assert.ok(seen.has('running') || seen.has('waiting'), `nodes were drawn in progress: ${[...seen].join(', ')}`);
      await notificationText(page, /deployed payments to rg-payments/, 120_000);
      assert.deepEqual(arm.problems, [], 'the server got the generated template, the parameters and the manifests');
      assert.ok(arm.requests.some((r) => /runCommand$/i.test(r.path) && r.method === 'POST'), 'the manifests were applied through the AKS run command');
      assert.match(readFileSync(e2e.server.azLog, 'utf8'), /account get-access-token/, 'the credential came from the Azure CLI path');

      // A second deployment goes to the remembered target without asking; API Management, which exists now
      // (apimExists true), fails this time.
      arm.expected = { ...arm.expected, parameters: withApim(true) };
      arm.scenario = {
        steps: 2,
        failResource: {
          type: 'Microsoft.ApiManagement/service',
          name: APIM,
          statusCode: 'BadRequest',
          error: { code: 'InvalidParameter', message: 'The subnet snet-apim has no network security group with the API Management rules.' },
        },
      };
      await runCommand(page, 'Gatewright: Deploy to Azure');
      await dialogText(page, /Deploy payments to subscription "Contoso Test"/);
      await clickDialogButton(page, 'Deploy');
      await poll(async () => (await markers(canvas)).apim === 'failed', { timeout: 120_000, interval: 250, message: 'API Management drawn as failed' });
      assert.match(await notificationText(page, /deployment failed/, 120_000), new RegExp(`${APIM}: InvalidParameter: The subnet snet-apim has no network security group`));
      // Selecting the node shows Resource Manager's error in full in the side panel.
      await canvas.getByTestId(testIdOf.node('apim')).click();
      await showDetails(canvas);
      const error = canvas.getByTestId('inspector-deployment-error');
      await error.waitFor({ timeout: 15_000 });
      assert.match((await error.textContent()) ?? '', new RegExp(String.raw`Microsoft\.ApiManagement\/service ${APIM} failed with BadRequest:\s+InvalidParameter: The subnet snet-apim has no network security group`));
      // The README's picture of a failed deployment: the banner, each node's state, the error in the side panel.
      await runCommand(page, 'View: Close Primary Side Bar');
      await clickToolbarAction(canvas, testIdOf.toolbarButton('fit'));
      await page.waitForTimeout(600); // the fit animation
      mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'deploy-failed.png') });

      // The history lists both deployments of the design, newest (the failed one) first, with its error.
      await runCommand(page, 'Gatewright: Show Deployment History');
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'Succeeded' }).first().waitFor({ timeout: 60_000 });
      const listed = await rows.allTextContents();
      assert.equal(listed.length, 2, `two deployments listed: ${listed.join(' | ')}`);
      assert.match(listed[0]!, /payments-\d{8}-\d{6}.*Failed.*InvalidParameter/);
      assert.match(listed[1]!, /payments-\d{8}-\d{6}.*Succeeded/);
      await page.keyboard.press('Escape');

      // A what-if Resource Manager answers with 200 and status Failed stops there: its error is in the banner and the
      // notification, and nothing is offered to deploy.
      arm.scenario = { steps: 2, whatIfError: { code: 'InvalidTemplate', message: `Deployment template validation failed: 'The template resource '${APIM}' is not valid.'` } };
      const deploymentsBeforeFailedWhatIf = arm.deployments.size;
      await clickToolbarAction(canvas, testIdOf.toolbarButton('what-if'));
      assert.match(await notificationText(page, /What-if failed: InvalidTemplate/, 120_000), /Nothing was deployed/);
      assert.match((await canvas.getByTestId('deployment-banner-title').textContent()) ?? '', /What-if failed: InvalidTemplate: Deployment template validation failed/);
      assert.equal(arm.deployments.size, deploymentsBeforeFailedWhatIf, 'nothing deployed after a failed what-if');
      arm.scenario = { steps: 2 };

      // Forget the target: the next what-if asks again. A new resource group picked in a region is previewed as new,
      // every resource a create, without being created (apimExists false: no service there); the design's Key Vault
      // name in that group (its prefix + that group's uniqueString), held by someone else, is named as taken, so
      // nothing more is offered.
      arm.expected = { template: prepared.template, parameters: withApim(false) };
      arm.takeName('Microsoft.KeyVault/vaults', nameIn(design, 'kv', 'rg-payments-staging'));
      await runCommand(page, 'Gatewright: Forget Deployment Target');
      // The notifications of the runs above fill the list; cleared, the next one is in view.
      await runCommand(page, 'Notifications: Clear All Notifications');
      const deploymentsBefore = arm.deployments.size;
      await clickToolbarAction(canvas, testIdOf.toolbarButton('what-if'));
      await pickQuickItem(page, 'Contoso Test');
      await pickQuickItem(page, 'Create new resource group');
      await page.locator('.quick-input-widget', { hasText: 'Name of the new resource group' }).waitFor({ timeout: 30_000 });
      await input.fill('rg-payments-staging');
      await input.press('Enter');
      const regions = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await regions.filter({ hasText: 'West Europe' }).first().waitFor({ timeout: 60_000 });
      const regionRows = await regions.allTextContents();
      assert.match(regionRows[0]!, /West Europe.*westeurope.*the design's region/, 'the design\'s region first');
      assert.ok(!regionRows.some((r) => /^Europe\b/.test(r.trim())), `logical regions are not offered: ${regionRows.join(' | ')}`);
      await pickQuickItem(page, 'North Europe');
      assert.match(await notificationText(page, new RegExp(`name "${nameIn(design, 'kv', 'rg-payments-staging')}" \\[kv\\] is taken`), 120_000), /unique in all of Azure/);
      assert.equal(await canvas.getByTestId(TEST_IDS.deploymentBanner).getAttribute('data-phase'), 'whatIf');
      assert.match((await canvas.getByTestId('deployment-banner-title').textContent()) ?? '', /What-if: \d+ to create/);
      const staging = await markers(canvas);
      for (const id of ['appgw', 'apim', 'aks', 'kv']) assert.equal(staging[id], 'create', `node ${id} is a create in the new group: ${JSON.stringify(staging)}`);
      assert.equal(arm.resourceGroups.size, 1, 'the new group was not created by the what-if');
      assert.ok(arm.requestsTo('POST', /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Resources\/deployments\/[^/]+\/whatIf$/i).length >= 1, 'previewed at subscription scope');
      assert.equal(arm.deployments.size, deploymentsBefore, 'a what-if deploys nothing');
      assert.deepEqual(arm.problems, []);
    });
  });
});
