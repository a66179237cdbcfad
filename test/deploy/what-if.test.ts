/** What-if through the real SDK client against the test Resource Manager: creates, modifies with their property changes, ignores, deletes, per node. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { whatIf, whatIfNewGroup } from '../../src/deploy/what-if.js';
import { whatIfOverlay } from '../../src/extension/deploy/overlay.js';
import { formatWhatIf, summarizeWhatIf, whatIfFailed } from '../../src/deploy/what-if-summary.js';
import { DeployError } from '../../src/deploy/errors.js';
import { harness, nameIn, reference, RESOURCE_GROUP, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { mutateReference, setAt } from '../helpers/reference.js';

const REF = reference();
let h: Harness;

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

function reset(): void {
  h.server.resources.clear();
  h.server.requests.length = 0;
  h.server.problems.length = 0;
  h.server.faults.length = 0;
  h.server.expected = {};
}

test('on an empty resource group every resource is a create, drawn on its node', async () => {
  reset();
  h.server.expected = { template: REF.prepared.template, parameters: REF.prepared.input!.parameters };
  const summary = await whatIf(h.target, REF.prepared.input!, { design: REF.design, pollIntervalMs: 10 });
  assert.deepEqual(h.server.problems, [], 'the server received the generated template and parameters, the issued token and api-versions');
  assert.equal(summary.status, 'Succeeded');
  assert.ok(summary.counts.create > 80);
  assert.equal(summary.counts.create, summary.changes.length);
  assert.deepEqual(summary.unmapped, []);
  const appgw = summary.nodes.find((n) => n.nodeId === 'appgw');
  assert.equal(appgw?.change, 'create');
  assert.deepEqual(appgw?.resources.map((r) => r.name).sort(), ['diag-payments-logs', 'payments-appgw', 'payments-appgw-id', 'payments-appgw-pip', 'payments-appgw-waf']);
  assert.equal(summary.nodes.find((n) => n.nodeId === 'internet'), undefined);
  // The long-running operation: 202 with Location and Azure-AsyncOperation, polled until Succeeded, then the result.
  assert.equal(h.server.requestsTo('POST', /\/whatIf$/i)[0]?.status, 202);
  assert.ok(h.server.requestsTo('GET', /\/operationStatuses\//i).length >= 2);
  assert.equal(h.server.requestsTo('GET', /\/operationResults\//i).at(-1)?.status, 200);
  const text = formatWhatIf(summary);
  assert.match(text, /^\+ create +Microsoft\.Network\/applicationGateways payments-appgw \[appgw\]$/m);
  const kv = nameIn(REF.design, 'kv');
  assert.match(text, new RegExp(`^\\+ create +Microsoft\\.Authorization/roleAssignments [0-9a-f-]{36} on ${kv} \\[kv\\]$`, 'm'), 'an extension resource names what it applies to');
  assert.match(text, new RegExp(`^\\+ create +Microsoft\\.ApiManagement/service ${nameIn(REF.design, 'apim')} \\[apim\\]$`, 'm'), 'a globally unique name as Resource Manager evaluates it');
  assert.match(text, /^What-if: \d+ to create\.$/m);
});

test('a design change shows as a modify of its node with the changed property paths and values; other resources are unchanged or ignored', async () => {
  reset();
  h.server.seed(SUBSCRIPTION, RESOURCE_GROUP, REF.prepared.template, REF.prepared.input!.parameters);
  // A resource of the group that the design does not have.
  const foreign = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/legacydata`;
  h.server.resources.set(foreign.toLowerCase(), {
    id: foreign,
    type: 'Microsoft.Storage/storageAccounts',
    name: 'legacydata',
    apiVersion: '2023-05-01',
    body: { location: 'westeurope', kind: 'StorageV2' },
  });
  const changed = reference(
    mutateReference((doc) => {
      setAt(doc, ['nodes', 'appgw', 'properties', 'minCapacity'], 4);
      setAt(doc, ['nodes', 'appgw', 'properties', 'zones'], ['1', '2']);
    }),
  );
  const summary = await whatIf(h.target, changed.prepared.input!, { design: changed.design, pollIntervalMs: 10 });
  assert.deepEqual(h.server.problems, []);
  const modified = summary.changes.filter((c) => c.change === 'modify');
  // The zones go to the gateway and to its public IP: both resources of node appgw.
  assert.deepEqual(modified.map((c) => `${c.name} [${c.nodeId}]`), ['payments-appgw [appgw]', 'payments-appgw-pip [appgw]']);
  assert.deepEqual(modified[1]!.properties, [{ path: 'zones[2]', kind: 'delete', before: '3' }]);
  const gw = modified[0]!;
  assert.equal(gw.nodeId, 'appgw');
  assert.deepEqual(gw.properties, [
    { path: 'properties.autoscaleConfiguration.minCapacity', kind: 'modify', before: 2, after: 4 },
    { path: 'zones[2]', kind: 'delete', before: '3' },
  ]);
  assert.equal(summary.nodes.find((n) => n.nodeId === 'appgw')?.change, 'modify');
  assert.equal(summary.nodes.find((n) => n.nodeId === 'aks')?.change, 'noChange');
  assert.equal(summary.counts.ignore, 1);
  assert.equal(summary.changes.find((c) => c.change === 'ignore')?.name, 'legacydata');
  assert.equal(summary.counts.create, 0);
  const text = formatWhatIf(summary);
  assert.match(text, /^~ modify +Microsoft\.Network\/applicationGateways payments-appgw \[appgw\]\n {6}~ properties\.autoscaleConfiguration\.minCapacity: 2 => 4\n {6}- zones\[2\]: "3"$/m);
  assert.match(text, /^What-if: 2 to modify, \d+ unchanged, 1 ignored\.$/m);
  assert.doesNotMatch(text, /legacydata/, 'unchanged and ignored resources are only counted');
  assert.match(formatWhatIf(summary, { all: true }), /^\* ignore +Microsoft\.Storage\/storageAccounts legacydata$/m);

  // Complete mode (never used to deploy) shows what a clean-up would delete.
  const complete = await whatIf(h.target, changed.prepared.input!, { design: changed.design, mode: 'Complete', pollIntervalMs: 10 });
  assert.deepEqual(complete.changes.filter((c) => c.change === 'delete').map((c) => c.name), ['legacydata']);
  assert.match(formatWhatIf(complete), /^- delete +Microsoft\.Storage\/storageAccounts legacydata$/m);
});

test('throttling: a 429 with Retry-After is retried by the SDK after the wait, and the what-if succeeds', async () => {
  reset();
  h.server.fault({ method: 'POST', path: /\/whatIf$/i, status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'Number of write requests for subscription exceeded the limit of 1200 for time interval 01:00:00.' } } });
  const summary = await whatIf(h.target, REF.prepared.input!, { design: REF.design, pollIntervalMs: 10 });
  const posts = h.server.requestsTo('POST', /\/whatIf$/i);
  assert.deepEqual(posts.map((p) => p.status), [429, 202]);
  assert.ok(posts[1]!.at - posts[0]!.at >= 950, `the retry waited for Retry-After (${posts[1]!.at - posts[0]!.at} ms)`);
  assert.ok(summary.counts.create > 80);
});

test("an invalid template comes back as ARM's InvalidTemplate error with its details", async () => {
  reset();
  const { sqlAdminGroupName: _dropped, ...parameters } = REF.prepared.input!.parameters;
  const error = await whatIf(h.target, { template: REF.prepared.template, parameters }, { pollIntervalMs: 10 }).then(
    () => assert.fail('the what-if should fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeployError);
  assert.equal(error.kind, 'invalidTemplate');
  assert.equal(error.statusCode, 400);
  assert.equal(error.arm?.code, 'InvalidTemplateDeployment');
  assert.equal(error.arm?.details[0]?.code, 'InvalidTemplate');
  assert.match(error.arm?.details[0]?.message ?? '', /The value for the template parameter 'sqlAdminGroupName' .* is not provided/);
  assert.match(error.describe(), /^What-if in resource group rg-payments: Resource Manager answered 400 InvalidTemplateDeployment: .*\n {2}InvalidTemplateDeployment: .*\n {4}InvalidTemplate: Deployment template validation failed: 'The value for the template parameter 'sqlAdminGroupName'/);
});

test('summarizeWhatIf flattens nested deltas and tolerates odd input', () => {
  const summary = summarizeWhatIf({
    status: 'Succeeded',
    changes: [
      {
        resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${nameIn(REF.design, 'apim', 'rg', 's')}`,
        changeType: 'Modify',
        delta: [
          { path: 'tags', propertyChangeType: 'Modify', children: [{ path: 'env', propertyChangeType: 'Create', after: 'prod' }] },
          { path: 'properties.hostnameConfigurations', propertyChangeType: 'Array', children: [{ path: '0', propertyChangeType: 'Modify', children: [{ path: 'hostName', propertyChangeType: 'Modify', before: 'a', after: 'b' }] }] },
          { path: 'properties.provisioningState', propertyChangeType: 'NoEffect', before: 'Succeeded' },
        ],
      },
      { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/x', changeType: 'Unsupported', unsupportedReason: 'Changes to the resource cannot be predicted.' },
      { changeType: 'Create' },
    ],
  }, REF.design);
  assert.deepEqual(summary.changes[0]?.properties, [
    { path: 'tags.env', kind: 'create', after: 'prod' },
    { path: 'properties.hostnameConfigurations[0].hostName', kind: 'modify', before: 'a', after: 'b' },
    { path: 'properties.provisioningState', kind: 'noEffect', before: 'Succeeded' },
  ]);
  assert.equal(summary.changes[0]?.nodeId, 'apim');
  assert.equal(summary.counts.unsupported, 1);
  const text = formatWhatIf(summary);
  assert.doesNotMatch(text, /provisioningState/, 'no-effect changes are not listed');
  assert.match(text, /Changes to the resource cannot be predicted\./);
  assert.match(summarizeWhatIf({ status: 'Failed', error: { code: 'X', message: 'broken', details: [{ code: 'Y', message: 'inner' }] } }).error?.details[0]?.message ?? '', /inner/);
});

test('a what-if Resource Manager answers with 200 and status Failed is a failure with its error, never "no resource"', async () => {
  reset();
  const error = {
    code: 'DeploymentWhatIfResourceError',
    message: "The request to predict template deployment changes to resource group 'rg-payments' has failed due to a resource error. See details for more information.",
    details: [{ code: 'InvalidResourceReference', message: "Resource /subscriptions/x/resourceGroups/rg-payments/providers/Microsoft.Network/virtualNetworks/payments-vnet/subnets/snet-apim referenced by resource payments-apim was not found." }],
  };
  h.server.scenario = { steps: 3, whatIfError: error };
  try {
    const summary = await whatIf(h.target, REF.prepared.input!, { design: REF.design, pollIntervalMs: 10 });
    const result = h.server.requestsTo('GET', /\/operationResults\//i).at(-1);
    assert.equal(result?.status, 200, 'Resource Manager answered the result with 200');
    assert.equal(summary.status, 'Failed');
    assert.ok(whatIfFailed(summary));
    assert.equal(summary.error?.code, 'DeploymentWhatIfResourceError');
    assert.equal(summary.error?.details[0]?.code, 'InvalidResourceReference');
    const text = formatWhatIf(summary);
    assert.doesNotMatch(text, /no resource/);
    assert.match(text, /^What-if failed: Resource Manager could not say what the deployment would change\.\n {2}DeploymentWhatIfResourceError: .*\n {4}InvalidResourceReference: /m);
  } finally {
    h.server.scenario = { steps: 3 };
  }
  assert.ok(!whatIfFailed(summarizeWhatIf({ status: 'succeeded', changes: [] })), 'a lower-case "succeeded" is a success');
  assert.ok(whatIfFailed(summarizeWhatIf({ status: 'Succeeded', error: { code: 'X', message: 'y' } })), 'an error is a failure whatever the status');
});

test('a resource group that does not exist is previewed as new at subscription scope, every resource a create, and is not created', async () => {
  reset();
  h.server.expected = { template: REF.prepared.template, parameters: REF.prepared.input!.parameters };
  const target = { ...h.target, resourceGroup: 'rg-payments-new' };
  const summary = await whatIfNewGroup(target, 'northeurope', REF.prepared.input!, { design: REF.design, pollIntervalMs: 10, tags: { env: 'test' } });
  assert.deepEqual(h.server.problems, [], 'the nested deployment holds the generated template and parameters, in the new group, inner scope');
  assert.equal(summary.status, 'Succeeded');
  assert.equal(summary.counts.create, summary.changes.length, 'every resource is a create');
  const group = summary.changes.find((c) => c.type === 'Microsoft.Resources/resourceGroups');
  assert.equal(group?.name, 'rg-payments-new');
  assert.ok(summary.changes.some((c) => c.resourceId.startsWith(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments-new/providers/Microsoft.KeyVault/vaults/`)), 'the resources are in the new group');
  assert.deepEqual(h.server.requestsTo('POST', /whatIf$/i).map((r) => r.path), [`/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Resources/deployments/gatewright-what-if/whatIf`]);
  const sent = h.server.requestsTo('POST', /whatIf$/i)[0]?.body as { location: string; properties: { template: { resources: { type: string; location?: string; tags?: unknown }[] } } };
  assert.equal(sent.location, 'northeurope');
  assert.deepEqual(sent.properties.template.resources[0], { type: 'Microsoft.Resources/resourceGroups', apiVersion: '2022-09-01', name: 'rg-payments-new', location: 'northeurope', tags: { env: 'test' } });
  assert.ok(![...h.server.resourceGroups.values()].some((g) => g.name === 'rg-payments-new'), 'the group was not created');
  assert.equal(h.server.requests.filter((r) => r.method === 'PUT').length, 0, 'nothing was created at all');

  // On the canvas: every node with resources is a create, and the banner counts them.
  const overlay = whatIfOverlay(summary, 'subscription "Contoso Test", resource group rg-payments-new (new, in northeurope)');
  for (const id of ['appgw', 'apim', 'aks', 'kv']) assert.equal(overlay.nodes[id]?.change, 'create', id);
  assert.match(overlay.title, /^What-if: \d+ to create$/);
});
