/**
 * Deploying through the real SDK clients against the test Resource Manager: long-running-operation polling,
 * per-resource progress mapped to nodes, outputs, history, cancellation, and the failures users meet.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deploy, describeFailure, type DeployProgress } from '../../src/deploy/deploy.js';
import { DeployError } from '../../src/deploy/errors.js';
import { deploymentHistory } from '../../src/deploy/history.js';
import { deploymentOutputs } from '../../src/deploy/outputs.js';
import { DeploymentSession } from '../../src/deploy/session.js';
import { harness, nameIn, reference, type Harness } from '../helpers/arm-server/fixture.js';

const REF = reference();
/** The vault's name in the test resource group: its prefix and uniqueString(resourceGroup().id). */
const KV = nameIn(REF.design, 'kv');
const input = REF.prepared.input!;
let h: Harness;

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

function reset(): void {
  h.server.requests.length = 0;
  h.server.problems.length = 0;
  h.server.faults.length = 0;
  h.server.scenario = { steps: 3 };
  h.server.expected = { template: REF.prepared.template, parameters: input.parameters };
  h.server.token = h.token;
}

test('deploy polls the long-running operation, reports each resource going Running then Succeeded on its node, and returns the outputs', async () => {
  reset();
  const progress: DeployProgress[] = [];
  const result = await deploy(h.target, input, {
    design: REF.design,
    now: new Date('2026-11-28T09:41:07Z'),
    pollIntervalMs: 10,
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(h.server.problems, [], 'generated template and parameters, the issued token, api-version everywhere');
  assert.equal(result.state, 'Succeeded');
  assert.equal(result.deploymentName, 'payments-20261128-094107');
  assert.deepEqual(result.failures, []);
  const outputs = new Map(result.outputs.map((o) => [o.name, o.value]));
  assert.match(String(outputs.get('workloadIdentityClientId')), /^[0-9a-f-]{36}$/);
  // Each globally unique name as Resource Manager evaluated it in this resource group.
  assert.deepEqual(
    [...outputs].filter(([name]) => name !== 'workloadIdentityClientId').sort(),
    (['acr', 'apim', 'cosmos', 'kv', 'sql'] as const).map((id) => [`${id}Name`, nameIn(REF.design, id)]),
  );

  // The PUT answered 201 with Azure-AsyncOperation; the status was polled until Succeeded, then the deployment read.
  assert.equal(h.server.requestsTo('PUT', /\/deployments\/payments-20261128-094107$/)[0]?.status, 201);
  assert.ok(h.server.requestsTo('GET', /\/operationStatuses\//i).length >= 4);
  // States change over polls: the first report has resources running, a later one the same resources succeeded.
  assert.equal(progress[0]?.state, 'Running');
  const vnet = (p: DeployProgress) => p.operations.find((o) => o.resourceName === 'payments-vnet');
  assert.equal(vnet(progress[0]!)?.state, 'Running');
  assert.equal(vnet(progress[0]!)?.nodeId, 'vnet');
  assert.equal(vnet(progress.at(-1)!)?.state, 'Succeeded');
  assert.equal(progress.at(-1)?.state, 'Succeeded');
  assert.ok(progress.length >= 4);
  // Each operation is reported as changed once per state it goes through.
  const appgwStates = progress.flatMap((p) => p.changed.filter((o) => o.resourceName === 'payments-appgw').map((o) => o.state));
  assert.deepEqual(appgwStates, ['Running', 'Succeeded']);
  const final = progress.at(-1)!.operations;
  assert.ok(final.length > 80 && final.every((o) => o.state === 'Succeeded'));
  assert.deepEqual(final.filter((o) => !o.nodeId).map((o) => o.resourceId), [], 'every operation is drawn on a node');

  // Outputs and history read back.
  assert.deepEqual(await deploymentOutputs(h.target, result.deploymentName), result.outputs);
  const history = await deploymentHistory(h.target, 'payments');
  assert.deepEqual(history.map((d) => d.name), ['payments-20261128-094107'], 'nested deployments (payments-apim-custom-domain) are not the design\'s own');
  assert.equal(history[0]?.state, 'Succeeded');
  assert.ok(history[0]?.timestamp instanceof Date);
  assert.ok(typeof history[0]?.durationMs === 'number');
});

test('polling waits as long as Resource Manager asks (Retry-After), not the shorter interval', async () => {
  reset();
  h.server.scenario = { steps: 1, retryAfterSeconds: 1 };
  const result = await deploy(h.target, input, { deploymentName: 'payments-20261128-093000', pollIntervalMs: 10 });
  assert.equal(result.state, 'Succeeded');
  const polls = h.server.requestsTo('GET', /\/deployments\/payments-20261128-093000\/operationStatuses\//i);
  assert.equal(polls.length, 2);
  assert.ok(polls[1]!.at - polls[0]!.at >= 950, `waited ${polls[1]!.at - polls[0]!.at} ms`);
});

test('history lists the design\'s deployments newest first, with their state', async () => {
  reset();
  const session = new DeploymentSession({ ...h.target, design: REF.design, pollIntervalMs: 10 });
  h.server.scenario = { steps: 1, failResource: { type: 'Microsoft.KeyVault/vaults', name: KV, error: { code: 'VaultAlreadyExists', message: 'The vault name is already in use.' } } };
  await session.deploy(input, { now: new Date('2026-11-28T10:00:00Z') });
  h.server.scenario = { steps: 1 };
  await session.deploy(input, { now: new Date('2026-11-28T11:00:00Z') });
  const history = await session.history();
  const names = history.map((d) => d.name);
  assert.ok(names.indexOf('payments-20261128-110000') < names.indexOf('payments-20261128-100000'), names.join(', '));
  assert.equal(history.find((d) => d.name === 'payments-20261128-100000')?.state, 'Failed');
  assert.equal(history.find((d) => d.name === 'payments-20261128-100000')?.error?.code, 'DeploymentFailed');
  assert.equal(history.find((d) => d.name === 'payments-20261128-110000')?.state, 'Succeeded');
  assert.equal((await session.history({ limit: 1 })).length, 1);
});

test('a failed resource fails the deployment: the result names it and carries ARM\'s error in full', async () => {
  reset();
  h.server.scenario = {
    steps: 2,
    failResource: {
      type: 'Microsoft.Network/applicationGateways',
      name: 'payments-appgw',
      statusCode: 'BadRequest',
      error: {
        code: 'ApplicationGatewayKeyVaultSecretException',
        message: 'Problem occured while accessing and validating KeyVault Secrets associated with Application Gateway.',
        target: 'payments-appgw',
        details: [{ code: 'SecretIdentifierNotFound', message: "Secret 'gateway-tls' was not found in vault 'payments-kv'.", details: [{ code: 'Forbidden', message: 'The identity payments-appgw-id lacks get on secrets.' }] }],
      },
    },
  };
  const result = await deploy(h.target, input, { design: REF.design, deploymentName: 'payments-20261128-120000', pollIntervalMs: 10 });
  assert.equal(result.state, 'Failed');
  assert.deepEqual(result.failures.map((f) => [f.resourceName, f.nodeId, f.statusCode]), [['payments-appgw', 'appgw', 'BadRequest']]);
  assert.equal(result.error?.code, 'DeploymentFailed');
  assert.equal(result.error?.details[0]?.code, 'ApplicationGatewayKeyVaultSecretException');
  assert.deepEqual(result.outputs, []);
  const text = describeFailure(result);
  assert.match(text, /^Deployment payments-20261128-120000 failed\.$/m);
  assert.match(text, /^Resource Microsoft\.Network\/applicationGateways payments-appgw \(node appgw\) failed with BadRequest:$/m);
  assert.match(text, /^ {2}ApplicationGatewayKeyVaultSecretException: Problem occured .* \(target: payments-appgw\)$/m);
  assert.match(text, /^ {4}SecretIdentifierNotFound: Secret 'gateway-tls' was not found in vault 'payments-kv'\.$/m);
  assert.match(text, /^ {6}Forbidden: The identity payments-appgw-id lacks get on secrets\.$/m, 'details are given recursively');
  assert.match(text, /^ {2}DeploymentFailed: At least one resource deployment operation failed/m);
});

test('aborting the signal cancels the deployment in Azure and resolves as Canceled', async () => {
  reset();
  h.server.scenario = { steps: 3, holdAfterPolls: 2 };
  const controller = new AbortController();
  const seen: string[] = [];
  const result = await deploy(h.target, input, {
    design: REF.design,
    deploymentName: 'payments-20261128-130000',
    pollIntervalMs: 10,
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p.state);
      // Cancel once resources are running (a person pressing Cancel on the notification).
      if (p.operations.some((o) => o.state === 'Succeeded')) controller.abort();
    },
  });
  assert.equal(result.state, 'Canceled');
  assert.deepEqual(h.server.requestsTo('POST', /\/deployments\/payments-20261128-130000\/cancel$/).map((r) => r.status), [204]);
  assert.ok(result.operations.some((o) => o.state === 'Canceled'), 'the running operations are canceled');
  assert.ok(seen.includes('Running'));
  assert.match(describeFailure(result), /^Deployment payments-20261128-130000 was canceled\.$/m);
  // A signal aborted before the start deploys nothing.
  const before = h.server.requestsTo('PUT', /\/deployments\//).length;
  await assert.rejects(deploy(h.target, input, { signal: AbortSignal.abort() }), (e: unknown) => e instanceof DeployError && e.kind === 'canceled');
  assert.equal(h.server.requestsTo('PUT', /\/deployments\//).length, before);
});

test('a deployment of the same name still running is a conflict (409 DeploymentActive)', async () => {
  reset();
  h.server.scenario = { steps: 3, holdAfterPolls: 1 };
  const controller = new AbortController();
  let release!: () => void;
  const running = new Promise<void>((resolve) => (release = resolve));
  const first = deploy(h.target, input, { deploymentName: 'payments-20261128-140000', pollIntervalMs: 10, signal: controller.signal, onProgress: () => release() });
  await running;
  const error = await deploy(h.target, input, { deploymentName: 'payments-20261128-140000', pollIntervalMs: 10 }).then(
    () => assert.fail('the second deployment should be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeployError);
  assert.equal(error.kind, 'conflict');
  assert.equal(error.statusCode, 409);
  assert.equal(error.arm?.code, 'DeploymentActive');
  assert.match(error.message, /^Deployment payments-20261128-140000 to resource group rg-payments: Resource Manager answered 409 DeploymentActive: Unable to edit or replace deployment 'payments-20261128-140000': previous deployment from '.*' is still active/);
  controller.abort();
  assert.equal((await first).state, 'Canceled');
});

test('an expired token is refused with 401 and WWW-Authenticate; the error says so and what to do', async () => {
  reset();
  h.server.fault({
    path: /\/deployments\/payments-expired$/,
    status: 401,
    headers: {
      'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${h.server.tenantId}", error="invalid_token", error_description="The access token expiry UTC time '11/28/2026 08:00:00' is earlier than current UTC time '11/28/2026 09:00:00'."`,
    },
    body: { error: { code: 'ExpiredAuthenticationToken', message: "The access token expiry UTC time '11/28/2026 08:00:00' is earlier than current UTC time '11/28/2026 09:00:00'." } },
  });
  const error = await deploy(h.target, input, { deploymentName: 'payments-expired', pollIntervalMs: 10 }).then(
    () => assert.fail('the deployment should be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeployError);
  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.arm?.code, 'ExpiredAuthenticationToken');
  assert.match(error.message, /401 ExpiredAuthenticationToken: The access token expiry UTC time .* \(the access token was refused: The access token expiry UTC time .*\)\. Sign in again \(az login, or the Azure account in VS Code\) and retry\./);

  // A token the server never issued gets the same treatment.
  h.server.token = 'another-token';
  const wrong = await rejection(() => deploy(h.target, input, { deploymentName: 'payments-wrong-token', pollIntervalMs: 10 }));
  assert.equal(wrong.kind, 'unauthorized');
  assert.equal(wrong.arm?.code, 'InvalidAuthenticationToken');
  h.server.problems.length = 0;
});

test('a request to a missing resource group names it', async () => {
  reset();
  const error = await rejection(() => deploy({ ...h.target, resourceGroup: 'rg-missing' }, input, { pollIntervalMs: 10 }));
  assert.equal(error.kind, 'notFound');
  assert.match(error.message, /Resource group 'rg-missing' could not be found/);
});

async function rejection(run: () => Promise<unknown>): Promise<DeployError> {
  try {
    await run();
  } catch (e) {
    assert.ok(e instanceof DeployError, String(e));
    return e;
  }
  return assert.fail('expected a DeployError');
}

test('states spelt in lower case ("running", "succeeded", "failed") are the same states: progress, outcome and failures', async () => {
  reset();
  h.server.scenario = {
    steps: 2,
    lowerCaseStates: true,
    failResource: { type: 'Microsoft.KeyVault/vaults', name: KV, error: { code: 'VaultAlreadyExists', message: `The vault name ${KV} is already in use.` } },
  };
  const progress: DeployProgress[] = [];
  const failed = await deploy(h.target, input, { design: REF.design, deploymentName: 'payments-20261128-130000', pollIntervalMs: 10, onProgress: (p) => progress.push(p) });
  assert.equal(failed.state, 'Failed');
  assert.deepEqual(failed.failures.map((f) => [f.resourceName, f.state]), [[KV, 'Failed']]);
  assert.ok(progress.some((p) => p.operations.some((o) => o.state === 'Running')), 'running operations are reported as Running');
  assert.ok(progress.every((p) => p.operations.every((o) => ['Running', 'Succeeded', 'Failed'].includes(o.state))), 'no lower-case state reaches the caller');

  h.server.scenario = { steps: 2, lowerCaseStates: true };
  const succeeded = await deploy(h.target, input, { design: REF.design, deploymentName: 'payments-20261128-131500', pollIntervalMs: 10 });
  assert.equal(succeeded.state, 'Succeeded');
  assert.deepEqual(succeeded.failures, []);
  assert.equal((await deploymentHistory(h.target, 'payments')).find((d) => d.name === 'payments-20261128-131500')?.state, 'Succeeded');
  assert.deepEqual(h.server.problems, []);
});
