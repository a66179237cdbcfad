/**
 * The overlays the host draws over the designer canvas, in headless chromium with the fake host of
 * test/helpers/webview-page.ts: a deployment (what-if, deploying, failed) with its banner, node markers and the
 * inspector's error; a rehearsal's badges on the TLS edges and its cases in the inspector; certificate expiry
 * badges from the state's certificateExpiry; and the toolbar's commands. Each test checks what a user sees.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage } from '../../src/schemas/messages.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { FakeHost, openDesignerPage, posted, sendToWebview, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';

/** React Flow nodes of design nodes (not the subnets and private endpoints drawn around and beside them). */
const DESIGN_NODES = '.react-flow__node:not([data-id^="subnet:"]):not([data-id^="pe:"]):not([data-id^="vnet:"])';
const skip = chromiumMissing() ?? webviewBundleMissing();

type Deployment = Extract<HostMessage, { type: 'deployment' }>;
type Rehearsal = Extract<HostMessage, { type: 'rehearsal' }>;

const TARGET = 'subscription Contoso (00000000-0000-0000-0000-000000000000), resource group payments-rg';
const ARM_ERROR = [
  'appgw (Microsoft.Network/applicationGateways/payments-agw): InvalidResourceReference',
  'Resource /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/payments-rg/providers/Microsoft.Network/publicIPAddresses/pip-payments-agw',
  'referenced by resource payments-agw was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.',
].join('\n');

const WHAT_IF: Deployment = {
  type: 'deployment',
  phase: 'whatIf',
  title: 'What-if for payments-rg: 1 to create, 1 to modify',
  target: TARGET,
  nodes: {
    appgw: { change: 'create', details: ['+ Microsoft.Network/applicationGateways/payments-agw'] },
    apim: { change: 'modify', details: ['~ properties.sku.capacity: 1 -> 2'] },
    kv: { change: 'noChange' },
  },
};

const DEPLOYING: Deployment = {
  type: 'deployment',
  phase: 'deploying',
  title: 'Deploying payments-20260101 to payments-rg',
  target: TARGET,
  nodes: {
    appgw: { change: 'create', state: 'running', done: 1, total: 3 },
    apim: { change: 'modify', state: 'waiting', done: 0, total: 2 },
    kv: { change: 'noChange', state: 'succeeded', done: 1, total: 1 },
  },
};

const FAILED: Deployment = {
  type: 'deployment',
  phase: 'failed',
  title: 'Deployment payments-20260101 failed',
  target: TARGET,
  nodes: {
    appgw: { change: 'create', state: 'failed', done: 2, total: 3, error: ARM_ERROR },
    apim: { change: 'modify', state: 'canceled', done: 0, total: 2 },
    kv: { change: 'noChange', state: 'succeeded', done: 1, total: 1 },
  },
};

const pass = (title: string, expected: 'accepted' | 'refused') => ({ title, expected, got: expected, pass: true, detail: `${expected} as expected` });

const REHEARSAL: Rehearsal = {
  type: 'rehearsal',
  at: '2026-01-01T10:00:00Z',
  edges: {
    'appgw-apim': {
      pass: true,
      cases: [pass('trusted server certificate', 'accepted'), pass('wrong host name', 'refused'), pass('another CA', 'refused'), pass('expired certificate', 'refused')],
    },
    'apim-aks': {
      pass: false,
      cases: [
        pass('valid client certificate', 'accepted'),
        {
          title: 'no client certificate',
          expected: 'refused',
          got: 'accepted',
          pass: false,
          detail: 'the ingress accepted a client without a certificate: set ingress.verifyClient to "on"',
        },
        pass('client certificate from another CA', 'refused'),
        pass('expired client certificate', 'refused'),
      ],
    },
  },
  summary: { cases: 8, passed: 7, failed: 1 },
};

describe('overlays on the designer canvas', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** A page showing the reference design; `expiry` goes into the state as the host's certificateExpiry. */
  async function open(expiry?: Record<string, { notAfter: string; source: 'file' | 'design' }>): Promise<{ designer: DesignerPage; page: Page; host: FakeHost }> {
    const designer = await openDesignerPage(browser);
    const host = new FakeHost(designer.page, REFERENCE);
    const state = host.state();
    await sendToWebview(designer.page, expiry ? { ...state, certificateExpiry: expiry } : state);
    await poll(async () => (await designer.page.locator(DESIGN_NODES).count()) === state.design!.nodes.length, { message: 'the design drawn' });
    await designer.page.locator('.react-flow__node').first().waitFor({ state: 'visible' });
    return { designer, page: designer.page, host };
  }

  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  /** The text drawn on an edge badge (its SVG text, without the title that is its tooltip). */
  const drawnText = async (page: Page, testId: string) => (await page.getByTestId(testId).locator('text').textContent()) ?? '';

  test('a deployment: what-if markers and banner, then each node deploying, then the failure and its error in the inspector', async () => {
    const { designer, page, host } = await open();
    try {
      await sendToWebview(page, WHAT_IF);
      const banner = page.getByTestId(TEST_IDS.deploymentBanner);
      await banner.waitFor({ state: 'visible' });
      assert.equal(await banner.getAttribute('data-phase'), 'whatIf');
      assert.match(await text(page, 'deployment-banner-phase'), /What-if/);
      assert.equal(await text(page, 'deployment-banner-title'), 'What-if for payments-rg: 1 to create, 1 to modify');
      assert.equal(await text(page, 'deployment-banner-target'), TARGET);
      assert.equal(await text(page, 'node-appgw-deployment'), '+ create');
      assert.equal(await text(page, 'node-apim-deployment'), '~ modify');
      assert.equal(await text(page, 'node-kv-deployment'), '= no change');
      assert.equal(await page.getByTestId(testIdOf.nodeDeployment('sentinel')).count(), 0, 'a node the deployment does not name has no marker');
      assert.match((await page.getByTestId(testIdOf.node('apim')).getAttribute('title')) ?? '', /what-if: to be modified\n~ properties\.sku\.capacity: 1 -> 2/);
      assert.match((await page.getByTestId('rf__node-apim').getAttribute('aria-label')) ?? '', /what-if: to be modified/);
      // Colour is not the only cue, and it is not the plain text colour either.
      const colours = await page.evaluate(() =>
        ['appgw', 'apim', 'kv'].map((id) => getComputedStyle(document.querySelector(`[data-testid="node-${id}-deployment"]`)!).color),
      );
      assert.equal(new Set(colours).size, 3, `create, modify and no change have their own colours (${colours.join(', ')})`);

      // A new state (the user edits the text) keeps the overlay.
      await host.setText(REFERENCE.replace('label: API consumers', 'label: Consumers'));
      await poll(async () => (await page.getByTestId(testIdOf.node('internet')).textContent())?.includes('Consumers'), { message: 'the new state drawn' });
      assert.equal(await text(page, 'node-appgw-deployment'), '+ create');

      await sendToWebview(page, DEPLOYING);
      await poll(async () => (await banner.getAttribute('data-phase')) === 'deploying', { message: 'the banner deploying' });
      assert.equal(await text(page, 'node-appgw-deployment'), '↻ running 1/3');
      assert.equal(await text(page, 'node-apim-deployment'), '○ waiting 0/2');
      assert.equal(await text(page, 'node-kv-deployment'), '✓ succeeded 1/1');
      assert.equal(await text(page, 'deployment-banner-progress'), '2 of 6 operations done');
      const spin = () => page.getByTestId(testIdOf.nodeDeployment('appgw')).locator('.gwc-marker__symbol').evaluate((el) => getComputedStyle(el).animationName);
      assert.equal(await spin(), 'gwc-spin', 'the running marker turns');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      assert.equal(await spin(), 'none', 'and stands still when the user prefers reduced motion');
      await page.emulateMedia({ reducedMotion: 'no-preference' });

      await sendToWebview(page, FAILED);
      await poll(async () => (await banner.getAttribute('data-phase')) === 'failed', { message: 'the banner failed' });
      assert.match(await text(page, 'deployment-banner-phase'), /Deployment failed/);
      assert.equal(await text(page, 'node-appgw-deployment'), '✗ failed 2/3');
      assert.equal(await text(page, 'node-apim-deployment'), '⊘ canceled 0/2');
      assert.match((await page.getByTestId(testIdOf.node('appgw')).getAttribute('title')) ?? '', /error: appgw \(Microsoft\.Network\/applicationGateways\/payments-agw\): InvalidResourceReference/);

      // The banner names the failed node; choosing it shows the whole error in the inspector, as selectable text.
      await page.getByTestId('deployment-banner-failed-appgw').click();
      await poll(async () => (await page.getByTestId('inspector-title').textContent())?.includes('Application Gateway'), { message: 'the inspector on appgw' });
      const error = page.getByTestId('inspector-deployment-error');
      await error.waitFor({ state: 'visible' });
      assert.equal(await error.textContent(), ARM_ERROR);
      assert.equal(await error.evaluate((el) => getComputedStyle(el).userSelect), 'text');
      assert.match(await text(page, 'inspector-deployment-summary'), /Deployment: failed, 2 of 3 operations done \(what-if: create\)/);

      // Selecting a what-if node shows its changes.
      await page.getByTestId(testIdOf.node('apim')).click();
      await poll(async () => (await page.getByTestId('inspector-title').textContent())?.includes('API Management'), { message: 'the inspector on apim' });
      assert.match(await text(page, 'inspector-deployment-summary'), /Deployment: canceled/);

      // Close hides the overlay here; a later message shows it again; clear removes it.
      await page.getByTestId('deployment-banner-close').click();
      await poll(async () => (await banner.count()) === 0, { message: 'the banner closed' });
      assert.equal(await page.locator('[data-testid^="node-"][data-testid$="-deployment"]').count(), 0, 'no marker left');
      await poll(async () => (await page.getByTestId('inspector-deployment').count()) === 0, { message: 'the inspector without the deployment' });
      await sendToWebview(page, WHAT_IF);
      await banner.waitFor({ state: 'visible' });
      await sendToWebview(page, { type: 'deployment', phase: 'clear', title: '', nodes: {} });
      await poll(async () => (await banner.count()) === 0 && (await page.getByTestId(testIdOf.nodeDeployment('appgw')).count()) === 0, { message: 'cleared' });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('a rehearsal: a badge on each rehearsed TLS edge with the cases in its tooltip and in the inspector', async () => {
    const { designer, page } = await open();
    try {
      await sendToWebview(page, REHEARSAL);
      const failing = page.getByTestId(testIdOf.edgeRehearsal('apim-aks'));
      await failing.waitFor({ state: 'visible' });
      assert.equal(await drawnText(page, 'edge-apim-aks-rehearsal'), '✗ 1 of 4 failed');
      assert.equal(await failing.getAttribute('data-status'), 'fail');
      assert.equal(await drawnText(page, 'edge-appgw-apim-rehearsal'), '✓ 4/4');
      assert.equal(await page.getByTestId(testIdOf.edgeRehearsal('internet-appgw')).count(), 0, 'an edge the rehearsal does not name has no badge');
      const tooltip = (await failing.locator('title').textContent()) ?? '';
      assert.match(tooltip, /^Rehearsal failed, 1 of 4 handshakes not as expected \(2026-01-01 10:00 UTC\)\./);
      assert.match(tooltip, /✗ no client certificate: expected refused, got accepted \(FAILED\)\. the ingress accepted a client without a certificate/);
      assert.match(tooltip, /✓ valid client certificate: expected accepted, got accepted/);
      assert.equal(tooltip.split('\n').length, 5);
      // The tooltip shows: the badge, not only the edge's stroke, takes the pointer.
      assert.equal(await failing.evaluate((el) => getComputedStyle(el).pointerEvents), 'visiblepainted');

      // Clicking the badge selects the edge; the inspector lists the cases.
      await failing.click();
      const section = page.getByTestId('inspector-rehearsal');
      await section.waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('inspector-title').textContent(), 'apim-aks');
      assert.equal(await section.getAttribute('data-pass'), 'false');
      const rows = section.getByTestId('inspector-rehearsal-case');
      assert.equal(await rows.count(), 4);
      const failedRow = section.locator('[data-testid="inspector-rehearsal-case"][data-pass="false"]');
      assert.match((await failedRow.textContent()) ?? '', /✗ failno client certificaterefusedaccepted.*verifyClient/);

      await sendToWebview(page, { ...REHEARSAL, edges: {}, summary: { cases: 0, passed: 0, failed: 0 } });
      await poll(async () => (await page.locator('[data-testid^="edge-"][data-testid$="-rehearsal"]').count()) === 0, { message: 'the rehearsal cleared' });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('a certificate expiring in 10 days: a warning badge on the node that uses it, and its days in the certificates panel', async () => {
    // gateway-tls has no notAfter in the design: the host read this date from its file.
    const notAfter = new Date(Date.now() + 10 * 86_400_000 + 3_600_000).toISOString();
    const { designer, page } = await open({
      'gateway-tls': { notAfter, source: 'file' },
      'internal-ca': { notAfter: '2035-12-31', source: 'design' },
      'ingress-tls': { notAfter: '2099-01-01T00:00:00.000Z', source: 'file' },
    });
    try {
      const badge = page.getByTestId(testIdOf.nodeExpiry('appgw'));
      await badge.waitFor({ state: 'visible' });
      assert.equal(await badge.getAttribute('data-status'), 'warning');
      assert.equal(await text(page, 'node-appgw-expiry'), '⚠ cert 10d');
      assert.match((await badge.getAttribute('title')) ?? '', /^cert gateway-tls expires in 10 days \(valid through \d{4}-\d{2}-\d{2}, read from its file\)$/);
      assert.match((await page.getByTestId(testIdOf.node('appgw')).getAttribute('title')) ?? '', /cert gateway-tls expires in 10 days/);
      assert.equal(await page.locator('[data-testid$="-expiry"][data-status="warning"]').count(), 1, 'only the node that uses the certificate warns');
      // A certificate valid for long is shown quietly where it is used, with its days left.
      const quiet = page.getByTestId(testIdOf.nodeExpiry('aks'));
      await quiet.waitFor({ state: 'visible' });
      assert.equal(await quiet.getAttribute('data-status'), 'valid');
      assert.match((await quiet.textContent()) ?? '', /^cert \d{5}d$/);
      assert.match((await quiet.getAttribute('title')) ?? '', /^cert ingress-tls valid for \d+ more days \(valid through 2099-01-01, read from its file\)$/);

      await page.getByTestId(testIdOf.tab('certificates')).click();
      const row = page.locator('[data-testid="certificate-row"][data-id="gateway-tls"]');
      await row.waitFor({ state: 'visible' });
      assert.equal(await row.getByTestId('certificate-days').first().textContent(), '10 days left');
      assert.equal(await row.getAttribute('data-status'), 'warning');
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('the toolbar posts the dev certificates, rehearse, what-if, deploy and history commands', async () => {
    const { designer, page } = await open();
    try {
      const buttons = [
        ['toolbar-dev-certificates', 'createDevCertificates', 'Dev Certificates'],
        ['toolbar-rehearse', 'rehearse', 'Rehearse'],
        ['toolbar-what-if', 'whatIf', 'What-If'],
        ['toolbar-deploy', 'deploy', 'Deploy'],
        ['toolbar-history', 'deploymentHistory', 'History'],
      ] as const;
      for (const [testId, command, label] of buttons) {
        const button = page.getByTestId(testId);
        assert.equal((await button.textContent())?.trim(), label);
        assert.ok(((await button.getAttribute('aria-label')) ?? '').length > 10, `${testId} has an accessible name`);
        const before = (await posted(page)).length;
        await button.click();
        const sent = await poll(async () => (await posted(page)).slice(before).find((m) => m.type === 'command'), { message: `the ${command} command` });
        assert.deepEqual(sent, { type: 'command', command });
      }
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
