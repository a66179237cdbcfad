/** Connections, credentials, subscriptions, resource groups and ARM errors. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { armEndpoint, armScopes, DEFAULT_ARM_ENDPOINT } from '../../src/deploy/connection.js';
import { jwtExpiry, tokenCredential } from '../../src/deploy/credential.js';
import { armErrorOf, DeployError, formatArmError, toDeployError } from '../../src/deploy/errors.js';
import { formatDuration, parseIsoDuration } from '../../src/deploy/history.js';
import { deploymentName, isDesignDeployment } from '../../src/deploy/deployment-name.js';
import { ensureResourceGroup, getResourceGroup, listResourceGroups } from '../../src/deploy/resource-groups.js';
import { getSubscription, listSubscriptions } from '../../src/deploy/subscriptions.js';
import { formatOutputs, outputsOf } from '../../src/deploy/outputs.js';
import { harness, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';

let h: Harness;
before(async () => {
  h = await harness({ group: false });
});
after(async () => {
  await h.close();
});

test('subscriptions: listed and read through the endpoint, with the token for its audience', async () => {
  const subscriptions = await listSubscriptions(h.target);
  assert.deepEqual(subscriptions, [{ subscriptionId: SUBSCRIPTION, displayName: 'Contoso Test', state: 'Enabled', tenantId: h.server.tenantId }]);
  assert.equal((await getSubscription(h.target, SUBSCRIPTION)).displayName, 'Contoso Test');
  await assert.rejects(getSubscription(h.target, '99999999-1111-2222-3333-444444444444'), (e: unknown) => e instanceof DeployError && e.kind === 'notFound' && /SubscriptionNotFound/.test(e.message));
  // The credential was asked for the endpoint's own scope (a sovereign or custom cloud's audience).
  assert.deepEqual(h.credential.calls[0], [`${h.server.url}/.default`]);
  assert.deepEqual(h.server.problems, []);
});

test('resource groups: created when missing, left alone when present, listed', async () => {
  const target = { ...h.target, resourceGroup: 'rg-new' };
  assert.equal(await getResourceGroup(target), undefined);
  const first = await ensureResourceGroup(target, 'swedencentral', { tags: { workload: 'payments' } });
  assert.deepEqual(first, { created: true, group: { name: 'rg-new', location: 'swedencentral', provisioningState: 'Succeeded', tags: { workload: 'payments' } } });
  const second = await ensureResourceGroup(target, 'westeurope');
  assert.equal(second.created, false);
  assert.equal(second.group.location, 'swedencentral', 'an existing group keeps its region');
  assert.deepEqual((await listResourceGroups(h.target, SUBSCRIPTION)).map((g) => g.name), ['rg-new']);
  assert.deepEqual(h.server.requestsTo('PUT', /\/resourcegroups\/rg-new$/i).length, 1);
});

test('endpoints: https origins only; the default is the public cloud', () => {
  assert.equal(armEndpoint(undefined), DEFAULT_ARM_ENDPOINT);
  assert.equal(armEndpoint(' https://management.usgovcloudapi.net/ '), 'https://management.usgovcloudapi.net');
  assert.deepEqual(armScopes({ credential: h.credential, endpoint: 'https://management.chinacloudapi.cn' }), ['https://management.chinacloudapi.cn/.default']);
  assert.throws(() => armEndpoint('http://management.azure.com'), /must use https/);
  assert.throws(() => armEndpoint('https://management.azure.com/subscriptions'), /without a path/);
  assert.throws(() => armEndpoint('https://user:pw@management.azure.com'), /credentials/);
  assert.throws(() => armEndpoint('management'), /not a URL/);
});

test('an endpoint whose certificate is not trusted, or that does not answer, is a network error', async () => {
  const untrusted = { ...h.target, pipeline: { retryOptions: { maxRetries: 0 } } };
  const tls = await listSubscriptions(untrusted).then(() => assert.fail('should not trust the test CA'), (e: unknown) => e);
  assert.ok(tls instanceof DeployError);
  assert.equal(tls.kind, 'network');
  assert.match(tls.message, /its TLS certificate is not trusted .* trust its CA with NODE_EXTRA_CA_CERTS/);
  const closed = { ...h.target, endpoint: 'https://127.0.0.1:9', pipeline: { ...h.target.pipeline, retryOptions: { maxRetries: 0 } } };
  const refused = await listSubscriptions(closed).then(() => assert.fail('nothing listens on port 9'), (e: unknown) => e);
  assert.ok(refused instanceof DeployError);
  assert.equal(refused.kind, 'network');
  assert.match(refused.message, /cannot reach Resource Manager \(ECONNREFUSED\)/);
});

test('tokenCredential wraps a sign-in that returns tokens (VS Code sessions); expiry from the token or the provider', async () => {
  const exp = Math.floor(Date.UTC(2026, 10, 28, 12) / 1000);
  const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.`;
  assert.equal(jwtExpiry(jwt), exp * 1000);
  assert.equal(jwtExpiry('opaque'), undefined);
  const scopes: string[][] = [];
  const credential = tokenCredential(async (s) => {
    scopes.push([...s]);
    return jwt;
  });
  assert.deepEqual(await credential.getToken('https://management.azure.com/.default'), { token: jwt, expiresOnTimestamp: exp * 1000, tokenType: 'Bearer' });
  assert.deepEqual(scopes, [['https://management.azure.com/.default']]);
  const withExpiry = tokenCredential(async () => ({ token: 'opaque', expiresOn: new Date(5000) }));
  assert.equal((await withExpiry.getToken(['x']))?.expiresOnTimestamp, 5000);
  const refused = tokenCredential(async () => {
    throw new Error('The user did not consent.');
  });
  const error = toDeployError(await refused.getToken(['x']).catch((e: unknown) => e), 'Listing subscriptions');
  assert.match(error.message, /^Listing subscriptions: The user did not consent\.$/);
});

test('ARM errors in their shapes, kept whole and formatted recursively', () => {
  const nested = armErrorOf({
    error: {
      code: 'DeploymentFailed',
      message: 'At least one resource deployment operation failed.',
      details: [{ code: 'BadRequest', message: '{\r\n  "error": {\r\n    "code": "InvalidParameter",\r\n    "message": "Subnet snet-agw is in use.",\r\n    "target": "subnet"\r\n  }\r\n}' }],
    },
  });
  assert.deepEqual(nested, {
    code: 'DeploymentFailed',
    message: 'At least one resource deployment operation failed.',
    details: [{ code: 'BadRequest', message: 'InvalidParameter: Subnet snet-agw is in use.', target: 'subnet', details: [] }],
  });
  assert.equal(
    formatArmError(nested!),
    'DeploymentFailed: At least one resource deployment operation failed.\n  BadRequest: InvalidParameter: Subnet snet-agw is in use. (target: subnet)',
  );
  const policy = armErrorOf({ code: 'RequestDisallowedByPolicy', message: 'Denied.', additionalInfo: [{ type: 'PolicyViolation', info: { policyDefinitionDisplayName: 'Allowed locations' } }] });
  assert.match(formatArmError(policy!), /additional info: \{"type":"PolicyViolation".*Allowed locations/);
  assert.equal(armErrorOf('not json'), undefined);
  assert.equal(armErrorOf({}), undefined);
});

test('deployment names, durations, outputs', () => {
  assert.equal(deploymentName('payments', new Date('2026-01-02T03:04:05.678Z')), 'payments-20260102-030405');
  assert.ok(isDesignDeployment('payments', 'payments-20260102-030405'));
  assert.ok(!isDesignDeployment('payments', 'payments-apim-custom-domain'));
  assert.ok(!isDesignDeployment('pay', 'payments-20260102-030405'));
  assert.equal(parseIsoDuration('PT4M12.5S'), 252_500);
  assert.equal(parseIsoDuration('P1DT1H'), 90_000_000);
  assert.equal(parseIsoDuration('PT'), undefined);
  assert.equal(parseIsoDuration('4 minutes'), undefined);
  assert.equal(formatDuration(252_500), '4m 13s');
  assert.equal(formatDuration(850), '850ms');
  const outputs = outputsOf({ b: { type: 'String', value: 'x' }, a: { type: 'SecureString', value: 'hidden' }, c: { type: 'Object', value: { k: 1 } } });
  assert.deepEqual(outputs.map((o) => o.name), ['a', 'b', 'c']);
  assert.equal(formatOutputs(outputs), 'a = (secure: not shown)\nb = x\nc = {"k":1}\n');
  assert.equal(formatOutputs([]), 'No outputs.\n');
});
