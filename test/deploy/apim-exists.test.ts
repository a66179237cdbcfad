/**
 * Whether API Management exists, as deploy asks it before the what-if and the deployment (src/deploy/apim-exists.ts):
 * the template's <id>Exists parameter found by its description, the service's computed name in the target group, a GET
 * by id through the real SDK client against the test Resource Manager (404 no, 200 yes, anything else an error that
 * names what was checked), and the names deploy reads from a template as Resource Manager evaluates them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apimServices, checkApimServices, describeApimExistence, setApimExistence, withApimExistence } from '../../src/deploy/apim-exists.js';
import { DeployError } from '../../src/deploy/errors.js';
import { templateNameIn } from '../../src/deploy/unique-names.js';
import { uniqueString } from '../../src/model/unique-string.js';
import { harness, nameIn, reference, RESOURCE_GROUP, RESOURCE_GROUP_ID, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { mutateReference, setAt, deleteAt } from '../helpers/reference.js';

const REF = reference();
const input = REF.prepared.input!;
const APIM = nameIn(REF.design, 'apim');
let h: Harness;

before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

test('the template\'s apimExists parameter and the service\'s name in the target resource group', () => {
  const services = apimServices(REF.design, REF.prepared.template, { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP });
  assert.deepEqual(services, [
    { nodeId: 'apim', parameter: 'apimExists', name: APIM, resourceId: `${RESOURCE_GROUP_ID}/providers/Microsoft.ApiManagement/service/${APIM}` },
  ]);
  assert.equal(APIM, `payments-apim-${uniqueString(RESOURCE_GROUP_ID)}`);
  // Another group, another name.
  assert.notEqual(apimServices(REF.design, REF.prepared.template, { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-other' })[0]!.name, APIM);
  // A name of its own is used as it is.
  const named = reference(mutateReference((doc) => setAt(doc, ['nodes', 'apim', 'name'], 'contoso-gateway')));
  assert.equal(apimServices(named.design, named.prepared.template, { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP })[0]?.name, 'contoso-gateway');
  // Without a custom domain the template has no such parameter: nothing to ask.
  const plain = reference(mutateReference((doc) => deleteAt(doc, ['nodes', 'apim', 'properties', 'hostName'])));
  assert.equal('apimExists' in ((plain.prepared.template.parameters ?? {}) as object), false);
  assert.deepEqual(apimServices(plain.design, plain.prepared.template, { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP }), []);
});

test('a GET by id: 404 is false, 200 is true, and the parameter is set to it (replacing a saved value)', async () => {
  h.server.resources.clear();
  h.server.problems.length = 0;
  h.server.requests.length = 0;
  const saved = { ...input, parameters: { ...input.parameters, apimExists: { value: true } } };
  const before = await setApimExistence(h.target, REF.design, saved);
  assert.equal(before.input.parameters.apimExists?.value, false, 'what Resource Manager says wins over a saved answer');
  assert.equal(before.existence[0]?.exists, false);
  assert.deepEqual(h.server.requestsTo('GET', /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+$/i).map((r) => [r.path, r.apiVersion, r.status]), [
    [`${RESOURCE_GROUP_ID}/providers/Microsoft.ApiManagement/service/${APIM}`, '2024-05-01', 404],
  ]);
  assert.equal(describeApimExistence(before.existence)[0], `API Management ${APIM} [apim] does not exist yet: apimExists = false, its custom domain is added once its identity can read Key Vault.`);

  h.server.seed(SUBSCRIPTION, RESOURCE_GROUP, REF.prepared.template, input.parameters);
  const after = await setApimExistence(h.target, REF.design, input);
  assert.equal(after.input.parameters.apimExists?.value, true);
  assert.equal(describeApimExistence(after.existence)[0], `API Management ${APIM} [apim] exists: apimExists = true, the service is declared once with its custom domain.`);
  assert.deepEqual(after.input.template, input.template, 'the template itself is not touched');
  assert.deepEqual(h.server.problems, []);

  // A group that does not exist holds no service: not asked at all; a 404 for a missing group is a no as well.
  h.server.requests.length = 0;
  const newGroup = await setApimExistence({ ...h.target, resourceGroup: 'rg-new' }, REF.design, input, { groupExists: false });
  assert.equal(newGroup.input.parameters.apimExists?.value, false);
  assert.equal(h.server.requests.length, 0);
  const missing = await checkApimServices({ ...h.target, resourceGroup: 'rg-missing' }, apimServices(REF.design, input.template, { subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-missing' }));
  assert.equal(missing[0]?.exists, false);
});

test('a service there but not Succeeded (a first deployment that broke) takes the first deployment\'s path: false, and the line says why', async () => {
  h.server.resources.clear();
  h.server.problems.length = 0;
  h.server.seed(SUBSCRIPTION, RESOURCE_GROUP, REF.prepared.template, input.parameters);
  const saved = { ...input, parameters: { ...input.parameters, apimExists: { value: true } } };
  for (const state of ['Failed', 'Activating']) {
    h.server.provisioningState('Microsoft.ApiManagement/service', APIM, state);
    h.server.requests.length = 0;
    const found = await setApimExistence(h.target, REF.design, saved);
    // The GET answered 200 with the state, and yet the parameter is false (the saved true replaced).
    assert.deepEqual(h.server.requestsTo('GET', /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+$/i).map((r) => [r.path, r.status]), [
      [`${RESOURCE_GROUP_ID}/providers/Microsoft.ApiManagement/service/${APIM}`, 200],
    ]);
    assert.equal(found.input.parameters.apimExists?.value, false, state);
    assert.deepEqual(
      found.existence.map((e) => [e.exists, e.provisioningState]),
      [[false, state]],
    );
    assert.deepEqual(describeApimExistence(found.existence), [
      `API Management ${APIM} [apim] exists but its provisioning state is ${state}, not Succeeded: apimExists = false, deployed as the first time, its custom domain added once its identity can read Key Vault.`,
    ]);
  }
  // Succeeded (the server's answer when not told otherwise) is the one state that counts as existing.
  h.server.provisioningStates.clear();
  const ok = await setApimExistence(h.target, REF.design, saved);
  assert.equal(ok.input.parameters.apimExists?.value, true);
  assert.deepEqual(ok.existence.map((e) => [e.exists, e.provisioningState]), [[true, undefined]]);
  assert.deepEqual(h.server.problems, []);
});

test('any other answer stops with what was being checked, never a guess', async () => {
  h.server.faults.length = 0;
  h.server.fault({
    method: 'GET',
    path: /\/providers\/Microsoft\.ApiManagement\/service\//i,
    status: 403,
    body: { error: { code: 'AuthorizationFailed', message: "The client does not have authorization to perform action 'Microsoft.ApiManagement/service/read'." } },
  });
  await assert.rejects(setApimExistence(h.target, REF.design, input), (e: unknown) => {
    assert.ok(e instanceof DeployError);
    assert.equal(e.kind, 'forbidden');
    assert.match(e.message, new RegExp(`^Checking whether API Management ${APIM} \\[apim\\] exists in resource group ${RESOURCE_GROUP} \\(to set template parameter apimExists\\): .*403 AuthorizationFailed`));
    return true;
  });
  h.server.faults.length = 0;
});

test('withApimExistence leaves a deployment without such a parameter as it is', () => {
  assert.equal(withApimExistence(input, []), input);
});

test('template names as Resource Manager evaluates them: literals, format() nested and escaped, concat(), uniqueString(resourceGroup().id)', () => {
  const id = '/subscriptions/s/resourceGroups/rg';
  const u = uniqueString(id);
  assert.equal(templateNameIn('payments-vnet', id), 'payments-vnet');
  assert.equal(templateNameIn('[[literal]', id), '[literal]');
  assert.equal(templateNameIn("[format('{0}', format('paymentskv-{0}', uniqueString(resourceGroup().id)))]", id), `paymentskv-${u}`);
  assert.equal(templateNameIn("[format('paymentskv-{0}', uniqueString(resourceGroup().id))]", id), `paymentskv-${u}`);
  assert.equal(templateNameIn("[concat('acr', uniqueString(resourceGroup().id))]", id), `acr${u}`);
  assert.equal(templateNameIn("[format('{{x}}-{0}', 'it''s')]", id), "{x}-it's");
  assert.equal(templateNameIn("[parameters('name')]", id), undefined, 'a parameter is not known here');
  assert.equal(templateNameIn("[format('{1}', 'a')]", id), undefined, 'a missing argument');
  assert.equal(templateNameIn("[format('kv-{0}', uniqueString(subscription().id))]", id), undefined, 'another function');
  // The generated template's names evaluate to what the test Resource Manager deploys.
  const vault = (REF.prepared.template.resources as { type: string; name: string }[]).find((r) => r.type === 'Microsoft.KeyVault/vaults')!;
  assert.equal(templateNameIn(vault.name, RESOURCE_GROUP_ID), nameIn(REF.design, 'kv'));
});
