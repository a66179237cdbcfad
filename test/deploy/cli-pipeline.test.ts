/**
 * `gatewright deploy` in a pipeline (in process, runCli with a DeployIo that has no terminal): --summary appends the
 * what-if as Markdown to a job summary, --fail-on-changes turns drift into exit 1, --format json prints one
 * documented JSON document on stdout, --yes deploys without a question, and without --yes nothing is deployed (exit 2).
 * Against the test Resource Manager, through the real SDK clients.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialUnavailableError } from '@azure/identity';
import { runCli } from '../../src/cli/run.js';
import type { DeployIo } from '../../src/cli/deploy.js';
import { ERROR_CODES, type DeployReport } from '../../src/cli/deploy-report.js';
import { CHANGE_KINDS } from '../../src/deploy/what-if-summary.js';
import { markdownText } from '../../src/deploy/what-if-markdown.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { ANSWERS, harness, nameIn, reference, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { rootCa } from '../helpers/pki.js';

const REF = reference();
const GROUP = 'rg-payments';
/** API Management's name in the test resource group: its prefix and uniqueString(resourceGroup().id). */
const APIM = nameIn(REF.design, 'apim', GROUP);
/** What deploy sends: the generated parameters and apimExists as the GET of the service found it. */
const sent = (apimExists: boolean) => ({ ...REF.prepared.input!.parameters, apimExists: { value: apimExists } });
let h: Harness;
let dir: string;

before(async () => {
  h = await harness();
  dir = mkdtempSync(join(tmpdir(), 'gatewright-deploy-pipeline-'));
  writeFileSync(join(dir, 'payments.gatewright.yaml'), REFERENCE);
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile(ANSWERS));
});
after(async () => {
  await h.close();
});

/** A pipeline step: no terminal, no one to answer (a question would get the end of input). */
function pipeline(extra: Partial<DeployIo> = {}): RecordingTerminal {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: false, pollIntervalMs: 10 }, [], { interactive: false, ...extra });
}

/** The test Resource Manager holding what the reference design deploys, as after an earlier deployment. */
function deployed(): void {
  h.server.resources.clear();
  h.server.requests.length = 0;
  h.server.problems.length = 0;
  h.server.faults.length = 0;
  h.server.scenario = { steps: 2 };
  // The service exists: deploy finds it and says so (apimExists true), so it is declared once with its domain.
  h.server.expected = { template: REF.prepared.template, parameters: sent(true) };
  h.server.seed(SUBSCRIPTION, GROUP, REF.prepared.template, REF.prepared.input!.parameters);
}

const APIM_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.ApiManagement/service/${APIM}`.toLowerCase();
const SECRET = 'Sup3r-Secret-Value-9f2c';

/** Drift made in the portal: API Management's publisher name changed to a value the summary must not show, and a storage account the design does not have. */
function drift(): void {
  const apim = h.server.resources.get(APIM_ID);
  assert.ok(apim, 'the seeded API Management service');
  apim.body = { ...apim.body, properties: { ...(apim.body.properties as Record<string, unknown>), publisherName: SECRET } };
  const odd = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.Storage/storageAccounts/legacy*data_|x`;
  h.server.resources.set(odd.toLowerCase(), { id: odd, type: 'Microsoft.Storage/storageAccounts', name: 'legacy*data_|x', apiVersion: '2023-05-01', body: { location: 'westeurope', kind: 'StorageV2' } });
}

const args = (...more: string[]) => ['deploy', 'payments.gatewright.yaml', '--subscription', SUBSCRIPTION, '--resource-group', GROUP, '--endpoint', h.server.url, '--no-import-certificates', ...more];
const deploymentPuts = () => h.server.requestsTo('PUT', /\/deployments\/payments-\d{8}-\d{6}$/i).length;

test('--what-if --summary appends the what-if as Markdown: the target, a table per node with the changed property paths, totals, no value', async () => {
  deployed();
  drift();
  const summary = join(dir, 'step-summary.md');
  writeFileSync(summary, '# An earlier step\n\n');
  const io = pipeline();
  assert.equal(await runCli(args('--what-if', '--summary', 'step-summary.md'), io), 0, io.stderr);
  assert.deepEqual(h.server.problems, []);
  assert.match(io.stdout, /^Appended the what-if summary to step-summary\.md\.$/m);
  const md = readFileSync(summary, 'utf8');
  assert.ok(md.startsWith('# An earlier step\n\n## Gatewright what-if: payments\n'), 'appended after what the file held, under a heading naming the design');
  assert.match(md, /^- Design: payments\.gatewright\.yaml$/m);
  assert.match(md, /^- Subscription: Contoso Test \(00000000-1111-2222-3333-444444444444\)$/m);
  assert.match(md, /^- Resource group: rg-payments$/m);
  assert.match(md, /^- Region: westeurope$/m);
  assert.match(md, /^\*\*Changes: 1 resource to create, modify or delete\.\*\*$/m);
  // API Management's node: its service modified, with the path that changes and never its values.
  assert.match(md, /^### Node apim \(apiManagement\): modify$/m);
  assert.match(md, new RegExp(String.raw`^\| modify \| Microsoft\.ApiManagement\/service \| ${APIM} \| properties\.publisherName \|$`, 'm'));
  assert.doesNotMatch(md, new RegExp(SECRET), 'the value before the change is not shown');
  assert.doesNotMatch(md, /Contoso platform team/, 'nor the value after it');
  // What changes comes first; the rest is folded away: APIM's unchanged children under it, the unchanged nodes at the end.
  const apimAt = md.indexOf('### Node apim ');
  const foldedNodes = md.search(/^<summary>\d+ nodes without a change: appgw, /m);
  assert.ok(apimAt > 0 && foldedNodes > apimAt, 'the changed node before the folded unchanged nodes');
  assert.match(md.slice(apimAt, foldedNodes), /^<summary>\d+ more resources of this node without a change<\/summary>$/m);
  assert.ok(md.slice(apimAt).indexOf('| no change | Microsoft.ApiManagement/service/apis |') > md.slice(apimAt).indexOf('<details>'), "APIM's unchanged APIs are folded");
  assert.equal(md.split('\n').filter((l) => l === '<details>').length, md.split('\n').filter((l) => l === '</details>').length, 'every section closed');
  assert.match(md, /^### Node appgw \(applicationGateway\): no change$/m);
  assert.match(md, /^\| no change \| Microsoft\.Network\/applicationGateways \| payments-appgw \| — \|$/m);
  // A name with Markdown in it renders as itself: no emphasis, no extra table cell.
  assert.match(md, /^### Resources of no design node$/m);
  assert.match(md, /^\| ignore \| Microsoft\.Storage\/storageAccounts \| legacy\\\*data\\_\\\|x \| — \|$/m);
  for (const row of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
    assert.equal(row.replace(/\\\|/g, '').split('|').length, row.startsWith('| change | resources') || /^\| (create|modify|delete|deploy|no change|ignore|unsupported|\*\*all\*\*) \| \d+|^\| \*\*all/.test(row) ? 4 : 6, `one cell per column: ${row}`);
  }
  assert.match(md, /^### Totals$/m);
  assert.match(md, /^\| modify \| 1 \|$/m);
  assert.match(md, /^\| ignore \| 1 \|$/m);
  assert.match(md, /^\| no change \| \d+ \|$/m);
  assert.equal(deploymentPuts(), 0, '--what-if deploys nothing');
});

test('--fail-on-changes: exit 1 and "Drift" when the what-if reports a change, exit 0 and "No drift" when it reports none', async () => {
  deployed();
  drift();
  const changed = pipeline();
  assert.equal(await runCli(args('--what-if', '--fail-on-changes'), changed), 1, changed.stderr);
  assert.match(changed.stdout, /^Drift: the what-if reports 1 to modify \(--fail-on-changes\)\.$/m);
  assert.match(changed.stdout, new RegExp(String.raw`^~ modify +Microsoft\.ApiManagement\/service ${APIM} \[apim\]$`, 'm'));

  deployed();
  const same = pipeline();
  assert.equal(await runCli(args('--what-if', '--fail-on-changes'), same), 0, same.stderr);
  assert.match(same.stdout, /^No drift: the what-if reports nothing to create, modify or delete \(--fail-on-changes\)\.$/m);
  assert.doesNotMatch(same.stdout, /^Drift/m);
  assert.equal(deploymentPuts(), 0);

  const wrong = pipeline();
  assert.equal(await runCli(args('--fail-on-changes', '--yes'), wrong), 2, 'only with --what-if');
  assert.match(wrong.stderr, /--fail-on-changes needs --what-if/);
});

test('--format json: stdout is one JSON document of the documented shape, people\'s text goes to stderr', async () => {
  deployed();
  drift();
  const io = pipeline();
  assert.equal(await runCli(args('--what-if', '--fail-on-changes', '--format', 'json'), io), 1, io.stderr);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.deepEqual(Object.keys(report), ['version', 'mode', 'status', 'exitCode', 'target', 'whatIf', 'deployment', 'manifests', 'errors']);
  assert.equal(report.version, 1);
  assert.equal(report.mode, 'what-if');
  assert.equal(report.status, 'drift');
  assert.equal(report.exitCode, 1);
  assert.deepEqual(report.target, {
    file: 'payments.gatewright.yaml',
    design: 'payments',
    subscriptionId: SUBSCRIPTION,
    subscriptionName: 'Contoso Test',
    tenantId: null,
    resourceGroup: GROUP,
    resourceGroupExists: true,
    location: 'westeurope',
    endpoint: h.server.url,
  });
  const whatIf = report.whatIf!;
  assert.equal(whatIf.status, 'Succeeded');
  assert.equal(whatIf.drift, true);
  assert.deepEqual(Object.keys(whatIf.counts), [...CHANGE_KINDS]);
  assert.equal(whatIf.counts.modify, 1);
  assert.equal(whatIf.counts.ignore, 1);
  const apim = whatIf.changes.find((c) => c.change === 'modify')!;
  assert.deepEqual(apim, {
    resourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${GROUP}/providers/Microsoft.ApiManagement/service/${APIM}`,
    type: 'Microsoft.ApiManagement/service',
    name: APIM,
    scopeName: null,
    change: 'modify',
    nodeId: 'apim',
    properties: [{ path: 'properties.publisherName', kind: 'modify' }],
  });
  assert.equal(whatIf.nodes.find((n) => n.nodeId === 'apim')?.change, 'modify');
  assert.ok(whatIf.nodes.find((n) => n.nodeId === 'apim')?.resources.includes(apim.resourceId));
  assert.doesNotMatch(io.stdout, new RegExp(SECRET), 'no property value in the JSON');
  assert.equal(report.deployment, null);
  assert.deepEqual(report.errors, []);
  // The text a person reads went to stderr.
  assert.match(io.stderr, new RegExp(String.raw`^~ modify +Microsoft\.ApiManagement\/service ${APIM} \[apim\]$`, 'm'));
  assert.match(io.stderr, /^Drift: /m);
});

test('--yes --format json deploys without asking: the deployment, each node\'s state and the manifests in the JSON', async () => {
  // The design with its internal CA as a file, so that the ingress manifests get their CA bundles and apply.
  const ca = await rootCa('Contoso internal CA', { notBefore: new Date('2026-01-01'), notAfter: new Date('2035-12-31') });
  const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'internal-ca.pem'));
  writeFileSync(join(dir, 'with-ca.gatewright.yaml'), text);
  writeFileSync(join(dir, 'internal-ca.pem'), ca.pem);
  const saved = { sqlAdminGroupName: ANSWERS.sqlAdminGroupName, sqlAdminGroupObjectId: ANSWERS.sqlAdminGroupObjectId };
  writeFileSync(join(dir, 'with-ca.gatewright.parameters.json'), serializeParametersFile(saved));
  deployed();
  h.server.resources.clear();
  h.server.expected = { command: 'kubectl apply -k .' };
  const io = pipeline({ interactive: true });
  const status = await runCli(['deploy', 'with-ca.gatewright.yaml', '-s', SUBSCRIPTION, '-g', GROUP, '--endpoint', h.server.url, '--no-import-certificates', '--yes', '--format', 'json'], io);
  assert.equal(status, 0, io.stderr);
  assert.deepEqual(io.questions, [], 'no question was asked');
  assert.deepEqual(h.server.problems, []);
  assert.equal(deploymentPuts(), 1);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.mode, 'deploy');
  assert.equal(report.status, 'succeeded');
  assert.equal(report.exitCode, 0);
  assert.equal(report.target.file, 'with-ca.gatewright.yaml');
  assert.equal(report.whatIf?.drift, true, 'an empty group: everything to create');
  const deployment = report.deployment!;
  assert.match(deployment.name, /^payments-\d{8}-\d{6}$/);
  assert.equal(deployment.state, 'Succeeded');
  assert.ok(deployment.nodes.length > 5);
  assert.deepEqual(deployment.nodes.find((n) => n.nodeId === 'apim'), { nodeId: 'apim', state: 'Succeeded' });
  assert.ok(deployment.nodes.every((n) => n.state === 'Succeeded'));
  assert.ok(deployment.resources.some((r) => r.type === 'Microsoft.ApiManagement/service' && r.name === APIM && r.nodeId === 'apim' && r.state === 'Succeeded'));
  assert.match(io.stderr, new RegExp(`^API Management ${APIM} \\[apim\\] does not exist yet: apimExists = false`, 'm'), 'an empty group: the first deployment adds the domain in its second step');
  assert.ok(deployment.outputs.some((o) => o.name === 'workloadIdentityClientId' && typeof o.value === 'string'));
  assert.deepEqual(report.manifests, [{ cluster: 'payments-aks', state: 'Succeeded', exitCode: 0 }]);
  assert.deepEqual(report.errors, []);
  assert.match(io.stderr, /^Deployment payments-\d{8}-\d{6} succeeded/m);
});

test('manifests that do not apply: exit 1, RUN_COMMAND_FAILED, the deployment itself Succeeded', async () => {
  // The reference design without its CA file: the ingress's CA bundle is missing, so kubectl apply -k fails.
  deployed();
  h.server.resources.clear();
  h.server.expected = {};
  const io = pipeline();
  assert.equal(await runCli(args('--yes', '--format', 'json'), io), 1, io.stderr);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed');
  assert.equal(report.deployment?.state, 'Succeeded');
  assert.deepEqual(report.manifests, [{ cluster: 'payments-aks', state: 'Succeeded', exitCode: 1 }]);
  assert.deepEqual(report.errors.map((e) => e.code), ['RUN_COMMAND_FAILED']);
});

test('a failed deployment: exit 1, the failed resource with Resource Manager\'s error code in the JSON', async () => {
  deployed();
  h.server.resources.clear();
  h.server.expected = { template: REF.prepared.template, parameters: sent(false) };
  h.server.scenario = {
    steps: 2,
    failResource: { type: 'Microsoft.ApiManagement/service', name: APIM, statusCode: 'BadRequest', error: { code: 'InvalidParameters', message: 'The publisher email is not valid.' } },
  };
  const io = pipeline();
  assert.equal(await runCli(args('--yes', '--format', 'json'), io), 1, io.stderr);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed');
  assert.equal(report.deployment?.state, 'Failed');
  assert.equal(report.deployment?.nodes.find((n) => n.nodeId === 'apim')?.state, 'Failed');
  const failed = report.errors.find((e) => e.nodeId === 'apim');
  assert.equal(failed?.code, 'DEPLOYMENT_FAILED');
  assert.equal(failed?.arm?.code, 'InvalidParameters');
  assert.ok(report.errors.every((e) => (ERROR_CODES as readonly string[]).includes(e.code)));
  assert.deepEqual(h.server.problems, [], 'the generated template, apimExists false for a group without the service');
});

test('no terminal and no --yes: nothing deployed, exit 2, CONFIRMATION_REQUIRED, not a request to Azure', async () => {
  deployed();
  const io = pipeline();
  assert.equal(await runCli(args('--format', 'json'), io), 2, io.stderr);
  assert.equal(h.server.requests.length, 0);
  assert.match(io.stderr, /nothing deployed: deploying needs a confirmation and there is no terminal to ask on\. Run again with --yes/);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed');
  assert.equal(report.exitCode, 2);
  assert.equal(report.mode, 'deploy');
  assert.deepEqual(report.errors.map((e) => e.code), ['CONFIRMATION_REQUIRED']);
  assert.equal(report.whatIf, null);
});

test('a credential that gives no token: exit 2 and CREDENTIALS, so that a pipeline never reads it as drift', async () => {
  deployed();
  const io = pipeline({
    credential: {
      getToken: () => Promise.reject(new CredentialUnavailableError('WorkloadIdentityCredential: is unavailable. The AZURE_FEDERATED_TOKEN_FILE is not set.')),
    },
  });
  assert.equal(await runCli(args('--what-if', '--fail-on-changes', '--format', 'json'), io), 2, io.stderr);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed');
  assert.deepEqual(report.errors.map((e) => e.code), ['CREDENTIALS']);
  assert.match(report.errors[0]!.message, /could not get an access token: .*AZURE_FEDERATED_TOKEN_FILE/);
  assert.equal(report.whatIf, null);
});

test('--summary naming a folder: exit 2 and nothing appended anywhere', async () => {
  deployed();
  mkdirSync(join(dir, 'a-folder'), { recursive: true });
  const io = pipeline();
  assert.equal(await runCli(args('--what-if', '--summary', 'a-folder'), io), 2, io.stderr);
  assert.match(io.stderr, /cannot append the what-if summary to a-folder: .*a folder/);
});

test('text from Azure or the design renders as itself in the summary: no HTML, no emphasis, no new line, no extra cell', () => {
  assert.equal(markdownText('a*b_c|d'), 'a\\*b\\_c\\|d');
  assert.equal(markdownText('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
  assert.equal(markdownText('![x](https://example.com/t.png)'), '!\\[x\\](https://example.com/t.png)');
  assert.equal(markdownText('line\n## heading'), 'line ## heading');
  assert.equal(markdownText('`code` ~~gone~~ $x$ \\'), '\\`code\\` \\~\\~gone\\~\\~ \\$x\\$ \\\\');
});

test('a failed what-if: the summary says so with Resource Manager\'s error, exit 1 and WHAT_IF_FAILED, even with --fail-on-changes', async () => {
  deployed();
  h.server.scenario = { steps: 2, whatIfError: { code: 'InvalidTemplate', message: 'Deployment template validation failed: the resource payments-apim is not valid.' } };
  const summary = join(dir, 'failed-summary.md');
  const io = pipeline();
  assert.equal(await runCli(args('--what-if', '--fail-on-changes', '--summary', 'failed-summary.md', '--format', 'json'), io), 1, io.stderr);
  const md = readFileSync(summary, 'utf8');
  assert.match(md, /^## Gatewright what-if: payments$/m);
  assert.match(md, /^\*\*What-if failed\*\*: Resource Manager could not say what the deployment would change\.$/m);
  assert.match(md, /^InvalidTemplate: Deployment template validation failed: the resource payments-apim is not valid\.$/m);
  assert.doesNotMatch(md, /No changes/, 'a failed what-if never reads as "no changes"');
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed', 'not drift: nothing is known of the changes');
  assert.equal(report.whatIf?.drift, false);
  assert.equal(report.whatIf?.status, 'Failed');
  assert.deepEqual(report.errors.map((e) => e.code), ['WHAT_IF_FAILED']);
});

test('a design with an error finding: exit 1, each finding in the JSON with its file, line and rule, nothing asked of Azure', async () => {
  deployed();
  writeFileSync(join(dir, 'broken.gatewright.yaml'), mutateReference((doc) => setAt(doc, ['nodes', 'apim', 'properties', 'sku'], 'Basic')));
  const io = pipeline();
  assert.equal(await runCli(['deploy', 'broken.gatewright.yaml', '-s', SUBSCRIPTION, '-g', GROUP, '--endpoint', h.server.url, '--what-if', '--format', 'json'], io), 1, io.stderr);
  const report = JSON.parse(io.stdout) as DeployReport;
  assert.equal(report.status, 'failed');
  assert.ok(report.errors.length >= 2, JSON.stringify(report.errors));
  assert.ok(report.errors.every((e) => e.code === 'VALIDATION_FAILED'));
  assert.match(report.errors[0]!.message, /^broken\.gatewright\.yaml:\d+:\d+: GW\d{3} /);
  assert.equal(report.errors.at(-1)!.message, 'nothing deployed: fix the errors above first');
  assert.equal(h.server.requests.length, 0);
});
