/**
 * What a deployment draws on the canvas (src/extension/deploy/overlay.ts): the what-if per node with its lines,
 * the states while Resource Manager deploys, and the outcome with the failed resource's error in full. Every
 * message built here must also pass the host->webview schema, since the session drops what does not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OperationState } from '../../src/deploy/deploy.js';
import { summarizeWhatIf } from '../../src/deploy/what-if-summary.js';
import { progressOverlay, resultOverlay, whatIfOverlay } from '../../src/extension/deploy/overlay.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { nameIn, reference } from '../helpers/arm-server/fixture.js';

const REF = reference();
/** Key Vault and API Management as named in rg-payments: their prefixes and uniqueString(resourceGroup().id). */
const KV = nameIn(REF.design, 'kv');
const APIM = nameIn(REF.design, 'apim');
const SUB = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-payments/providers';
const TARGET = 'subscription "Contoso Test" (00000000-1111-2222-3333-444444444444), resource group rg-payments (westeurope)';

const summary = summarizeWhatIf(
  {
    status: 'Succeeded',
    changes: [
      { resourceId: `${SUB}/Microsoft.KeyVault/vaults/${KV}`, changeType: 'Create' },
      {
        resourceId: `${SUB}/Microsoft.ApiManagement/service/${APIM}`,
        changeType: 'Modify',
        delta: [{ path: 'sku', propertyChangeType: 'Modify', children: [{ path: 'capacity', propertyChangeType: 'Modify', before: 1, after: 2 }] }],
      },
      { resourceId: `${SUB}/Microsoft.Network/applicationGateways/payments-appgw`, changeType: 'NoChange' },
    ],
  },
  REF.design,
);

function op(id: string, name: string, type: string, state: string, nodeId: string, extra: Partial<OperationState> = {}): OperationState {
  return { operationId: id, resourceId: `${SUB}/${type}/${name}`, resourceType: type, resourceName: name, state, nodeId, ...extra };
}

test('what-if: each changed node gets its change and the lines of its resources; the title counts them', () => {
  const overlay = whatIfOverlay(summary, TARGET);
  assert.ok(HostMessageSchema.safeParse(overlay).success);
  assert.equal(overlay.phase, 'whatIf');
  assert.equal(overlay.target, TARGET);
  assert.match(overlay.title, /1 to create/);
  assert.match(overlay.title, /1 to modify/);
  const kv = Object.entries(overlay.nodes).find(([, n]) => n.change === 'create');
  assert.ok(kv, 'the vault node is a create');
  assert.ok(kv[1].details?.some((l) => l.includes(`Microsoft.KeyVault/vaults ${KV}`)));
  const apim = Object.values(overlay.nodes).find((n) => n.change === 'modify');
  assert.ok(apim?.details?.some((l) => /properties?\.?sku\.capacity: 1 => 2|sku\.capacity: 1 => 2/.test(l)), `the changed property is listed: ${apim?.details?.join(' | ')}`);
  assert.ok(Object.values(overlay.nodes).some((n) => n.change === 'noChange'), 'an unchanged node is marked as unchanged');
});

test('deploying: nodes that will change wait, then follow their operations; unchanged nodes get no state', () => {
  const kvNode = summary.nodes.find((n) => n.change === 'create')!.nodeId;
  const apimNode = summary.nodes.find((n) => n.change === 'modify')!.nodeId;
  const start = progressOverlay({ deploymentName: 'payments-1', state: 'Running', operations: [] }, summary, TARGET);
  assert.ok(HostMessageSchema.safeParse(start).success);
  assert.equal(start.nodes[kvNode]?.state, 'waiting');
  assert.equal(start.nodes[apimNode]?.state, 'waiting');
  assert.equal(Object.values(start.nodes).filter((n) => n.state).length, 2, 'the unchanged gateway is not waiting');

  const running = progressOverlay(
    { deploymentName: 'payments-1', state: 'Running', operations: [op('1', KV, 'Microsoft.KeyVault/vaults', 'Succeeded', kvNode), op('2', APIM, 'Microsoft.ApiManagement/service', 'Running', apimNode)] },
    summary,
    TARGET,
  );
  assert.deepEqual({ state: running.nodes[kvNode]?.state, done: running.nodes[kvNode]?.done, total: running.nodes[kvNode]?.total }, { state: 'succeeded', done: 1, total: 1 });
  assert.equal(running.nodes[apimNode]?.state, 'running');
  assert.match(running.title, /1 of 2 resource operations done/);
});

test('a failed deployment puts the resource and Resource Manager\'s error in full on its node', () => {
  const apimNode = summary.nodes.find((n) => n.change === 'modify')!.nodeId;
  const error = {
    code: 'InvalidResourceProperties',
    message: 'The virtual network subnet has no network security group.',
    details: [{ code: 'SubnetWithoutNsg', message: 'Subnet snet-apim must have an NSG.', details: [] }],
  };
  const failed = op('2', APIM, 'Microsoft.ApiManagement/service', 'Failed', apimNode, { statusCode: 'BadRequest', error });
  const overlay = resultOverlay(
    { deploymentName: 'payments-1', state: 'Failed', outputs: [], operations: [failed], failures: [failed] },
    summary,
    TARGET,
  );
  assert.ok(HostMessageSchema.safeParse(overlay).success);
  assert.equal(overlay.phase, 'failed');
  assert.match(overlay.title, /failed: 1 resource failed/);
  const node = overlay.nodes[apimNode]!;
  assert.equal(node.state, 'failed');
  assert.match(node.error!, new RegExp(String.raw`Microsoft\.ApiManagement\/service ${APIM} failed with BadRequest`));
  assert.match(node.error!, /InvalidResourceProperties: The virtual network subnet has no network security group\./);
  assert.match(node.error!, /SubnetWithoutNsg: Subnet snet-apim must have an NSG\./, 'the inner details too');
});

test('a canceled deployment marks what had not finished as canceled', () => {
  const kvNode = summary.nodes.find((n) => n.change === 'create')!.nodeId;
  const apimNode = summary.nodes.find((n) => n.change === 'modify')!.nodeId;
  const operations = [op('1', KV, 'Microsoft.KeyVault/vaults', 'Succeeded', kvNode)];
  const overlay = resultOverlay({ deploymentName: 'payments-1', state: 'Canceled', outputs: [], operations, failures: [] }, summary, TARGET);
  assert.equal(overlay.phase, 'canceled');
  assert.equal(overlay.nodes[kvNode]?.state, 'succeeded');
  assert.equal(overlay.nodes[apimNode]?.state, 'canceled');
});

test('a failed what-if puts "What-if failed" and Resource Manager\'s error in the banner, never a count of nothing', () => {
  const failed = summarizeWhatIf({
    status: 'Failed',
    error: { code: 'InvalidTemplate', message: "Deployment template validation failed: 'The resource 'payments-kv' is not defined in the template.'" },
  });
  const overlay = whatIfOverlay(failed, TARGET);
  assert.ok(HostMessageSchema.safeParse(overlay).success);
  assert.equal(overlay.phase, 'whatIf');
  assert.equal(overlay.title, "What-if failed: InvalidTemplate: Deployment template validation failed: 'The resource 'payments-kv' is not defined in the template.'");
  assert.doesNotMatch(overlay.title, /no resource/);
  assert.deepEqual(overlay.nodes, {});
});
