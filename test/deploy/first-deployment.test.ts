/**
 * The generated platform needs one deployment, and a redeploy changes nothing (issue 10): `gatewright deploy` (in
 * process, runCli) against the test Resource Manager, from an empty resource group, then again. Deploy asks Resource
 * Manager whether API Management exists (GET by id: 404, then 200) and sets the template's apimExists parameter: false
 * on the first deployment, whose second step (the custom-domain module) gives the service its domain; true on the
 * redeploy, which declares the service once, with its domain, so the what-if shows no change to hostnameConfigurations.
 * The test server's what-if compares what it holds with what it gets: a template that drops the domain is reported as
 * a modify of hostnameConfigurations, and deploying the design again puts the domain back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { DeployReport } from '../../src/cli/deploy-report.js';
import { deploy } from '../../src/deploy/deploy.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { prepareDeployment, type PreparedDeployment } from '../../src/deploy/prepare.js';
import { whatIf } from '../../src/deploy/what-if.js';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { generate } from '../../src/generators/generate.js';
import type { Design } from '../../src/schemas/design.js';
import { analyze } from '../../src/validation/analyze.js';
import { harness, nameIn, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { rootCa } from '../helpers/pki.js';
import { mutateReference, setAt } from '../helpers/reference.js';

const GROUP = 'rg-first';
const GROUP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}`;
const FILE = 'payments.gatewright.yaml';
const SAVED = { sqlAdminGroupName: 'sql-admins', sqlAdminGroupObjectId: '6f1a4c52-7d1e-4f47-9a43-2c1f3b9e8d70' };
const HOST = 'gateway.internal.contoso.com';

let h: Harness;
let dir: string;
let design: Design;
let prepared: PreparedDeployment;
/** API Management and Key Vault as Resource Manager names them in rg-first: prefix + uniqueString(resourceGroup().id). */
let APIM: string;
let KV: string;

before(async () => {
  h = await harness({ group: false });
  h.server.addResourceGroup(SUBSCRIPTION, GROUP, 'westeurope');
  dir = mkdtempSync(join(tmpdir(), 'gatewright-first-deployment-'));
  // The reference design with its internal CA as a file: the ingress gets its CA bundles and the manifests apply.
  const ca = await rootCa('Contoso internal CA', { notBefore: new Date('2026-01-01'), notAfter: new Date('2035-12-31') });
  const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'internal-ca.pem'));
  writeFileSync(join(dir, FILE), text);
  writeFileSync(join(dir, 'internal-ca.pem'), ca.pem);
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile(SAVED));
  const files = new Map([['internal-ca.pem', { status: 'read' as const, content: ca.pem }]]);
  const analysis = analyze(text, { files });
  assert.equal(analysis.summary.errors, 0);
  design = analysis.design!;
  prepared = prepareDeployment(design, generate(design, { caPems: caPemsOf(design, files) }).files, SAVED, GROUP_ID);
  assert.equal(prepared.merged.missing.length, 0);
  APIM = nameIn(design, 'apim', GROUP);
  KV = nameIn(design, 'kv', GROUP);
});
after(async () => {
  await h.close();
});

/** A pipeline step: no terminal to ask on; --yes deploys. */
function pipeline(): RecordingTerminal {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: false, pollIntervalMs: 10 }, [], { interactive: false });
}

const args = (...more: string[]) => ['deploy', FILE, '--subscription', SUBSCRIPTION, '--resource-group', GROUP, '--endpoint', h.server.url, '--no-import-certificates', ...more];

/** What deploy must send: the generated template, the parameters with apimExists as the GET found the service. */
function expect(apimExists: boolean): void {
  h.server.problems.length = 0;
  h.server.requests.length = 0;
  h.server.expected = {
    template: prepared.template,
    parameters: { ...prepared.input!.parameters, apimExists: { value: apimExists } },
    command: 'kubectl apply -k .',
    clusterFiles: new Map(prepared.clusters.map((c) => [c.clusterName, new Map(c.files.map((f) => [f.path, f.content]))])),
  };
}

const serviceGets = () => h.server.requestsTo('GET', new RegExp(`/providers/Microsoft\\.ApiManagement/service/${APIM}$`, 'i'));
const deploymentPuts = () => h.server.requestsTo('PUT', /\/deployments\/[^/]+$/i);

function service(): { hostnameConfigurations?: { hostName?: string; keyVaultId?: string; certificateSource?: string }[] } {
  const r = h.server.resource('Microsoft.ApiManagement/service', APIM);
  assert.ok(r, `API Management ${APIM} is deployed`);
  return r.body.properties as { hostnameConfigurations?: { hostName?: string; keyVaultId?: string }[] };
}

test('a first deployment into an empty resource group needs no second run: API Management ends with its custom domain, the backend record is set', async () => {
  expect(false);
  const io = pipeline();
  assert.equal(await runCli(args('--yes'), io), 0, io.stderr);
  assert.deepEqual(h.server.problems, [], 'the generated template, apimExists false, the generated manifests');

  // Deploy asked whether the service exists (404: it does not) and said what that means.
  assert.deepEqual(serviceGets().map((r) => r.status), [404]);
  assert.match(io.stdout, new RegExp(`^API Management ${APIM} \\[apim\\] does not exist yet: apimExists = false, its custom domain is added once its identity can read Key Vault\\.$`, 'm'));
  assert.equal(deploymentPuts().length, 1, 'one deployment');
  assert.ok([...h.server.deployments.values()].some((d) => d.name === 'payments-apim-custom-domain' && d.state === 'Succeeded'), 'its second step, the custom-domain module, ran within it');
  assert.match(io.stdout, /^payments-aks: exit code 0\.$/m, 'the manifests applied');

  // The custom-domain step ran within it: the service holds its domain, its certificate read from the computed vault.
  assert.deepEqual(service().hostnameConfigurations, [
    { type: 'Proxy', hostName: HOST, certificateSource: 'KeyVault', keyVaultId: `https://${KV}.vault.azure.net/secrets/apim-tls`, defaultSslBinding: true, negotiateClientCertificate: false },
  ]);
  // The backend's private DNS record holds the address the manifests pin the ingress's load balancer to.
  const record = [...h.server.resources.values()].find((r) => r.type === 'Microsoft.Network/privateDnsZones/A' && r.name.endsWith('/orders'));
  assert.deepEqual((record?.body.properties as { aRecords: unknown }).aRecords, [{ ipv4Address: '10.0.15.254' }]);
  const manifests = prepared.clusters.flatMap((c) => c.files.map((f) => f.content)).join('\n');
  assert.match(manifests, /service\.beta\.kubernetes\.io\/azure-load-balancer-ipv4: "?10\.0\.15\.254"?$/m);
  assert.ok(!('aksIngressIp' in prepared.input!.parameters), 'no address to give in a second run');
});

test('a redeploy of the same design sets apimExists true and its what-if changes nothing, API Management\'s hostnameConfigurations included', async () => {
  assert.ok(h.server.resource('Microsoft.ApiManagement/service', APIM), 'deployed by the previous test');
  expect(true);
  const io = pipeline();
  assert.equal(await runCli(args('--yes', '--format', 'json'), io), 0, io.stderr);
  assert.deepEqual(h.server.problems, [], 'the generated template, apimExists true');
  assert.deepEqual(serviceGets().map((r) => r.status), [200]);
  assert.match(io.stderr, new RegExp(`^API Management ${APIM} \\[apim\\] exists: apimExists = true, the service is declared once with its custom domain\\.$`, 'm'));

  const report = JSON.parse(io.stdout) as DeployReport;
  const whatIfReport = report.whatIf!;
  assert.equal(whatIfReport.status, 'Succeeded');
  const apim = whatIfReport.changes.find((c) => c.type === 'Microsoft.ApiManagement/service' && c.name === APIM);
  assert.equal(apim?.change, 'noChange', 'API Management is declared as it is: with its domain');
  assert.deepEqual(
    whatIfReport.changes.filter((c) => !['noChange', 'ignore'].includes(c.change)).map((c) => `${c.change} ${c.type} ${c.name}`),
    [],
    'nothing to create, modify or delete',
  );
  assert.equal(whatIfReport.drift, false);
  // The deployment skipped the second step: the service was declared once, and still has its domain.
  const main = deploymentPuts().find((r) => /\/deployments\/payments-\d{8}-\d{6}$/.test(r.path))!.body as { properties: { parameters: Record<string, { value: unknown }> } };
  assert.equal(main.properties.parameters.apimExists?.value, true);
  const nested = report.deployment!.resources.filter((r) => r.type === 'Microsoft.Resources/deployments' && /custom-domain/.test(r.name ?? ''));
  assert.deepEqual(nested, [], 'no custom-domain step on a redeploy');
  assert.equal(service().hostnameConfigurations?.[0]?.hostName, HOST);
});

test('the what-if is honest: a template that drops the domain is a modify of hostnameConfigurations, and deploying the design again puts it back', async () => {
  h.server.problems.length = 0;
  h.server.expected = {};
  // The design's template with the domain left out of the service (as the old double declaration did on every redeploy).
  const template = structuredClone(prepared.template) as { resources: Record<string, unknown>[] };
  const declared = template.resources.find((r) => r.type === 'Microsoft.ApiManagement/service')!;
  (declared.properties as Record<string, unknown>).hostnameConfigurations = [];
  const dropped = { template, parameters: { ...prepared.input!.parameters, apimExists: { value: true } } };
  const target = { ...h.target, resourceGroup: GROUP };

  const preview = await whatIf(target, dropped, { design, pollIntervalMs: 10 });
  const change = preview.changes.find((c) => c.type === 'Microsoft.ApiManagement/service' && c.name === APIM);
  assert.equal(change?.change, 'modify');
  assert.deepEqual(change?.properties.map((p) => [p.path, p.kind]), [['properties.hostnameConfigurations[0]', 'delete']]);
  assert.equal(preview.counts.modify, 1, 'only the service changes');

  const result = await deploy(target, dropped, { design, deploymentName: 'payments-drop-domain', pollIntervalMs: 10 });
  assert.equal(result.state, 'Succeeded');
  assert.deepEqual(service().hostnameConfigurations, [], 'the domain is gone');

  // The design's own what-if now reports the domain coming back; deploying it puts it back.
  expect(true);
  const io = pipeline();
  assert.equal(await runCli(args('--what-if', '--fail-on-changes', '--format', 'json'), io), 1, io.stderr);
  const back = (JSON.parse(io.stdout) as DeployReport).whatIf!.changes.find((c) => c.type === 'Microsoft.ApiManagement/service' && c.name === APIM);
  assert.equal(back?.change, 'modify');
  assert.deepEqual(back?.properties, [{ path: 'properties.hostnameConfigurations[0]', kind: 'create' }]);
  const again = pipeline();
  assert.equal(await runCli(args('--yes'), again), 0, again.stderr);
  assert.equal(service().hostnameConfigurations?.[0]?.hostName, HOST);
  assert.deepEqual(h.server.problems, []);
});
