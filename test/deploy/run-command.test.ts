/** The AKS run command: the cluster's generated manifests go as a zip, `kubectl apply -k .` runs, exit code and logs come back. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { applyManifests, runClusterCommand, zipContext } from '../../src/deploy/run-command.js';
import { DeployError, toDeployError } from '../../src/deploy/errors.js';
import { containerServiceClient } from '../../src/deploy/connection.js';
import { armState, isState } from '../../src/deploy/states.js';
import { harness, reference, RESOURCE_GROUP, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';

const REF = reference();
let h: Harness;

before(async () => {
  h = await harness();
  h.server.seed(SUBSCRIPTION, RESOURCE_GROUP, REF.prepared.template, REF.prepared.input!.parameters);
});
after(async () => {
  await h.close();
});

test('the manifests of each cluster are its kustomization folder, relative to it', () => {
  assert.deepEqual(
    REF.prepared.clusters.map((c) => [c.nodeId, c.clusterName, c.folder]),
    [['aks', 'payments-aks', 'k8s/aks']],
  );
  const paths = REF.prepared.clusters[0]!.files.map((f) => f.path).sort();
  assert.ok(paths.includes('kustomization.yaml'));
  assert.ok(paths.includes('orders/orders-ingress.yaml'));
  assert.ok(paths.every((p) => !p.startsWith('k8s/')));
});

test('the context zip holds the files as they are, deterministically', () => {
  const files = REF.prepared.clusters[0]!.files;
  const zip = zipContext(files);
  assert.equal(zipContext([...files].reverse()), zip, 'same files, same bytes');
  const entries = unzipSync(Buffer.from(zip, 'base64'));
  assert.deepEqual(
    Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strFromU8(v)])),
    Object.fromEntries(files.map((f) => [f.path, f.content])),
  );
  assert.throws(() => zipContext([{ path: '../escape.yaml', content: '' }]), /leaves the folder/);
});

test('kubectl apply -k . through the run command: exit code and logs, after long-running-operation polling', async () => {
  h.server.problems.length = 0;
  h.server.requests.length = 0;
  // The reference design names no CA file: the CA bundles its kustomization reads (client certificates, the pods'
  // certificates) are put in by hand, as k8s/README.md says.
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const files = [...REF.prepared.clusters[0]!.files, { path: 'certs/backend-ca.crt', content: pem }, { path: 'certs/client-ca.crt', content: pem }];
  h.server.expected = { command: 'kubectl apply -k .', clusterFiles: new Map([['payments-aks', new Map(files.map((f) => [f.path, f.content]))]]) };
  const outcome = await applyManifests(h.target, 'payments-aks', files, { pollIntervalMs: 10 });
  assert.deepEqual(h.server.problems, [], 'the zip held exactly the generated manifests');
  assert.equal(outcome.exitCode, 0);
  assert.equal(outcome.state, 'Succeeded');
  assert.equal(
    outcome.logs,
    'nginxingresscontroller.approuting.kubernetes.azure.com/nginx-internal created\nnamespace/orders created\ningress.networking.k8s.io/orders created\nsecret/backend-ca created\nsecret/mtls-client-ca created\n',
  );
  assert.ok(outcome.startedAt instanceof Date && outcome.finishedAt instanceof Date);
  assert.deepEqual(h.server.requestsTo('POST', /\/managedClusters\/payments-aks\/runCommand$/i).map((r) => r.status), [202]);
  assert.deepEqual(h.server.requestsTo('GET', /\/commandResults\//i).map((r) => r.status), [202, 200]);
});

test('a manifest set kubectl cannot apply gives its exit code and error; a missing cluster is an error naming it', async () => {
  h.server.expected = {};
  // Without the CA file the client CA bundle is missing: kubectl fails as it would on the cluster.
  const outcome = await applyManifests(h.target, 'payments-aks', REF.prepared.clusters[0]!.files, { pollIntervalMs: 10 });
  assert.equal(outcome.exitCode, 1);
  assert.match(outcome.logs, /^error: loading KV pairs: file sources: \[ca\.crt=certs\/(backend|client)-ca\.crt\]: .*no such file or directory/);
  const error = await runClusterCommand(h.target, 'payments-aks2', 'kubectl get pods', [], { pollIntervalMs: 10 }).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeployError);
  assert.equal(error.kind, 'notFound');
  assert.match(error.message, /^Run command on cluster payments-aks2: Resource Manager answered 404 ResourceNotFound: The Resource 'Microsoft\.ContainerService\/managedClusters\/payments-aks2' under resource group 'rg-payments' was not found/);
});

test('a cluster with managed Entra ID gets a token for the AKS server application as clusterToken; AKS refuses a run command without one', async () => {
  h.server.problems.length = 0;
  h.server.requests.length = 0;
  h.server.expected = {};
  const aks = h.server.resource('Microsoft.ContainerService/managedClusters', 'payments-aks');
  assert.equal((aks?.body.properties as { aadProfile?: { managed?: boolean } }).aadProfile?.managed, true, 'the generated cluster uses managed Entra ID');

  // What AKS answers to a run command without clusterToken, through the SDK as any caller would send it.
  const bare = await containerServiceClient(h.target, SUBSCRIPTION)
    .managedClusters.beginRunCommandAndWait(RESOURCE_GROUP, 'payments-aks', { command: 'kubectl get pods' }, { updateIntervalInMs: 10 })
    .then(
      () => assert.fail('expected AKS to refuse'),
      (e: unknown) => toDeployError(e, 'bare run command'),
    );
  assert.equal(bare.statusCode, 400);
  assert.equal(bare.arm?.code, 'MissingAADClusterToken');

  const asked = h.credential.requests.length;
  const outcome = await runClusterCommand(h.target, 'payments-aks', 'kubectl get pods', [], { pollIntervalMs: 10 });
  assert.equal(outcome.state, 'Succeeded', 'the run command ran (Resource Manager spells its state "succeeded")');
  assert.deepEqual(
    h.credential.requests.slice(asked).filter((r) => !r.scopes.some((s) => s.startsWith('https://'))).map((r) => r.scopes),
    [['6dae42f8-4368-4678-94ff-3960e28e3630/.default']],
    'one token asked for the AKS server application',
  );
  const posted = h.server.requestsTo('POST', /\/managedClusters\/payments-aks\/runCommand$/i).at(-1);
  assert.equal(posted?.status, 202);
  assert.equal((posted?.body as { clusterToken?: string }).clusterToken, h.server.clusterToken);
  assert.deepEqual(h.server.problems, []);
});

test('the run command\'s states are compared without regard to case: "failed" is a failure with its reason', async () => {
  h.server.problems.length = 0;
  h.server.runCommandFailure = 'command pod could not be scheduled: 0/3 nodes are available';
  try {
    const outcome = await runClusterCommand(h.target, 'payments-aks', 'kubectl get pods', [], { pollIntervalMs: 10 });
    assert.equal(outcome.state, 'Failed');
    assert.equal(outcome.reason, 'command pod could not be scheduled: 0/3 nodes are available');
  } finally {
    h.server.runCommandFailure = undefined;
  }
  assert.equal(armState('succeeded'), 'Succeeded');
  assert.equal(armState('CANCELLED'), 'Canceled');
  assert.equal(armState(undefined), 'Unknown');
  assert.equal(armState('Provisioning'), 'Provisioning', 'a state Gatewright does not compare with is kept as sent');
  assert.ok(isState('failed', 'Failed'));
});
