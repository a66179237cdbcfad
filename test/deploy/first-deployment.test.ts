/**
 * The generated platform needs one deployment, and a second one changes nothing (issue 10): `gatewright deploy`
 * against the test Resource Manager, from an empty resource group, then a what-if of the same design.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deploy } from '../../src/deploy/deploy.js';
import { whatIf } from '../../src/deploy/what-if.js';
import { harness, reference, type Harness } from '../helpers/arm-server/fixture.js';

const REF = reference();
const input = REF.prepared.input!;
let h: Harness;

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

function stored(type: string): { name: string; body: Record<string, unknown> }[] {
  return [...h.server.resources.values()].filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

test('one deployment into an empty resource group: the backend record holds the pinned address the manifests give the ingress', async () => {
  h.server.resources.clear();
  h.server.problems.length = 0;
  h.server.expected = { template: REF.prepared.template, parameters: input.parameters };
  const result = await deploy(h.target, input, { design: REF.design, now: new Date('2026-11-28T09:41:07Z'), pollIntervalMs: 10 });
  assert.deepEqual(h.server.problems, []);
  assert.equal(result.state, 'Succeeded');
  assert.ok(!('aksIngressIp' in input.parameters), 'no address to give in a second run');

  const record = stored('Microsoft.Network/privateDnsZones/A').find((r) => r.name.endsWith('/orders'));
  assert.deepEqual((record?.body.properties as { aRecords: unknown }).aRecords, [{ ipv4Address: '10.0.15.254' }]);
  // The manifests the deployment applies pin the ingress's load balancer to that address.
  const manifests = REF.prepared.clusters.flatMap((c) => c.files.map((f) => f.content)).join('\n');
  assert.match(manifests, /service\.beta\.kubernetes\.io\/azure-load-balancer-ipv4: "?10\.0\.15\.254"?$/m);

});

test('a redeploy of the same design changes nothing: what-if shows no change for API Management', async () => {
  // The group as the first deployment left it (this test runs after the one above).
  assert.ok(stored('Microsoft.ApiManagement/service').length === 1, 'deployed by the previous test');
  h.server.problems.length = 0;
  const summary = await whatIf(h.target, input, { design: REF.design, pollIntervalMs: 10 });
  assert.deepEqual(h.server.problems, []);
  const apim = summary.changes.filter((c) => c.nodeId === 'apim');
  assert.ok(apim.length > 0);
  assert.deepEqual(apim.filter((c) => c.change !== 'noChange').map((c) => `${c.change} ${c.name}`), [], 'API Management and its children unchanged');
  assert.deepEqual(summary.changes.filter((c) => c.change !== 'noChange').map((c) => `${c.change} ${c.type} ${c.name}`), [], 'nothing changes');
});
