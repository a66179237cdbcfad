/** The deployment overlay: a `deployment` message mapped to each node's marker, tooltip and panel data, and the banner's. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { deploymentOverlay, describeProgress, nodeDeploymentView, TOOLTIP_DETAIL_LINES, type DeploymentMessage } from '../../src/webview/overlays/deployment.js';

/** A message checked against the contract, as the channel delivers it. */
function message(m: DeploymentMessage): DeploymentMessage {
  const parsed = HostMessageSchema.parse(m);
  assert.equal(parsed.type, 'deployment');
  return parsed as DeploymentMessage;
}

test('what-if: each change is a symbol and a word, and the tooltip lists the details', () => {
  const overlay = deploymentOverlay(
    message({
      type: 'deployment',
      phase: 'whatIf',
      title: 'What-if for payments-rg: 1 to create, 1 to modify, 1 to delete',
      target: 'subscription Contoso (0000), resource group payments-rg',
      nodes: {
        appgw: { change: 'create', details: ['+ Microsoft.Network/applicationGateways/payments-agw'] },
        apim: { change: 'modify', details: ['~ properties.sku.capacity: 1 -> 2', '~ tags.owner: "a" -> "b"'] },
        acr: { change: 'delete' },
        kv: { change: 'noChange' },
        logs: { change: 'ignore' },
        sql: { change: 'unsupported', details: ['x reference() cannot be evaluated before deployment'] },
        cosmos: { change: 'deploy' },
      },
    }),
  );
  assert.ok(overlay);
  assert.equal(overlay.phase, 'whatIf');
  assert.equal(overlay.target, 'subscription Contoso (0000), resource group payments-rg');
  const text = Object.fromEntries([...overlay.nodes].map(([id, v]) => [id, v.text]));
  assert.deepEqual(text, {
    appgw: '+ create',
    apim: '~ modify',
    acr: '- delete',
    kv: '= no change',
    logs: '* ignored',
    sql: '? unsupported',
    cosmos: '! redeploy',
  });
  const apim = overlay.nodes.get('apim')!;
  assert.equal(apim.kind, 'modify');
  assert.equal(apim.summary, 'what-if: to be modified');
  assert.deepEqual(apim.tooltip, ['what-if: to be modified', '~ properties.sku.capacity: 1 -> 2', '~ tags.owner: "a" -> "b"']);
  assert.deepEqual(overlay.failed, []);
  assert.equal(overlay.progress, undefined, 'what-if counts no operations');
});

test('deploying: the state wins over the change, with done/total; a failed node keeps the error in full', () => {
  const error = `Resource Manager: Conflict\n${'The SKU WAF_v2 is not available in this region. '.repeat(40)}`;
  const overlay = deploymentOverlay(
    message({
      type: 'deployment',
      phase: 'failed',
      title: 'Deployment payments-20260101 failed',
      nodes: {
        appgw: { change: 'create', state: 'failed', done: 1, total: 3, error },
        apim: { change: 'modify', state: 'running', done: 2, total: 5 },
        aks: { state: 'waiting', done: 0, total: 4 },
        kv: { state: 'succeeded', done: 2, total: 2 },
        acr: { state: 'canceled', done: 0, total: 1 },
      },
    }),
  )!;
  assert.deepEqual(
    Object.fromEntries([...overlay.nodes].map(([id, v]) => [id, v.text])),
    { appgw: '✗ failed 1/3', apim: '↻ running 2/5', aks: '○ waiting 0/4', kv: '✓ succeeded 2/2', acr: '⊘ canceled 0/1' },
  );
  const appgw = overlay.nodes.get('appgw')!;
  assert.equal(appgw.error, error, 'the whole error for the side panel');
  assert.equal(appgw.summary, 'deployment: failed, 1 of 3 operations done');
  assert.equal(appgw.tooltip[1], 'what-if: to be created');
  const errorLine = appgw.tooltip.find((l) => l.startsWith('error: '))!;
  assert.ok(errorLine.length < error.length, 'the tooltip shortens a long error');
  assert.ok(errorLine.startsWith('error: Resource Manager: Conflict'));
  assert.match(appgw.tooltip.at(-1)!, /select the node/);
  assert.deepEqual(overlay.failed, ['appgw']);
  assert.deepEqual(overlay.progress, { done: 5, total: 15 });
  assert.equal(describeProgress(overlay), '5 of 15 operations done');
});

test('an entry with only an error is failed; an empty entry draws nothing; clear removes the overlay', () => {
  assert.equal(nodeDeploymentView({ error: 'InvalidTemplate: bad' })?.kind, 'failed');
  assert.equal(nodeDeploymentView({}), undefined);
  assert.equal(nodeDeploymentView({ details: ['~ x'] }), undefined);
  assert.equal(deploymentOverlay(message({ type: 'deployment', phase: 'clear', title: '', nodes: {} })), undefined);
  const overlay = deploymentOverlay(message({ type: 'deployment', phase: 'deploying', title: 't', nodes: { a: {}, b: { state: 'running' } } }))!;
  assert.deepEqual([...overlay.nodes.keys()], ['b']);
  assert.equal(overlay.nodes.get('b')!.text, '↻ running', 'no count without a total');
});

test('the tooltip lists at most TOOLTIP_DETAIL_LINES details and says how many more; the view keeps them all', () => {
  const details = Array.from({ length: TOOLTIP_DETAIL_LINES + 5 }, (_, i) => `~ properties.p${i}: 1 -> 2`);
  const view = nodeDeploymentView({ change: 'modify', details })!;
  assert.equal(view.details.length, TOOLTIP_DETAIL_LINES + 5);
  assert.equal(view.tooltip.length, 1 + TOOLTIP_DETAIL_LINES + 1);
  assert.equal(view.tooltip.at(-1), '… 5 more (select the node to see them all)');
});
