/**
 * `gatewright ci bootstrap` against the test Resource Manager, in process (runCli with a terminal that answers): the
 * bootstrap deployment carries the identity, its federated credentials and the role assignments; the command prints
 * the values the pipelines need and, with --write-github, sets them through gh.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { CiIo } from '../../src/cli/ci.js';
import { harness, RESOURCE_GROUP, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { azurePipelinesDelivery, githubDelivery, PROD, STAGING, withDelivery } from '../helpers/delivery.js';
import { REFERENCE } from '../helpers/reference.js';

let h: Harness;
let dir: string;

before(async () => {
  h = await harness({ group: false });
  dir = mkdtempSync(join(tmpdir(), 'gatewright-ci-bootstrap-'));
});
after(async () => {
  await h.close();
});

function terminal(answers: string[], extra: Partial<CiIo> = {}): RecordingTerminal & CiIo {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: false, pollIntervalMs: 10 }, answers, extra);
}

function designFile(name: string, text: string): string {
  writeFileSync(join(dir, `${name}.gatewright.yaml`), text);
  return `${name}.gatewright.yaml`;
}

interface DeploymentBody {
  properties: {
    template: { resources: { type: string; name: string; properties: Record<string, unknown> }[] };
    parameters: Record<string, { value: unknown }>;
  };
}

function bootstrapRequest(environment: string): DeploymentBody {
  // The last one: each test deploys the environment's bootstrap again.
  const put = [...h.server.requests].reverse().find((r) => r.method === 'PUT' && r.path.toLowerCase().endsWith(`/providers/microsoft.resources/deployments/gatewright-bootstrap-${environment}`));
  assert.ok(put, `the bootstrap deployment was sent: ${h.server.requests.map((r) => `${r.method} ${r.path}`).join('\n')}`);
  return put.body as DeploymentBody;
}

test('ci bootstrap (github): deploys the identity, its federated credentials and roles, prints the variables and sets them with gh', async () => {
  // The prod environment is in the harness's subscription and resource group.
  const file = designFile('payments', withDelivery(githubDelivery([STAGING, { ...PROD, resourceGroup: RESOURCE_GROUP }])));
  const gh: string[][] = [];
  const io = terminal([], { runGh: async (args) => (gh.push([...args]), { code: 0, stderr: '' }) });
  const status = await runCli(['ci', 'bootstrap', file, '--environment', 'prod', '--yes', '--write-github', '--endpoint', h.server.url], io);
  assert.equal(status, 0, `${io.stdout}\n${io.stderr}`);
  assert.deepEqual(h.server.problems, []);
  assert.match(io.stdout, new RegExp(`Created resource group ${RESOURCE_GROUP}`), 'the missing resource group is created first');

  const body = bootstrapRequest('prod');
  assert.deepEqual(body.properties.parameters, { environmentName: { value: 'prod' } });
  const resources = body.properties.template.resources;
  assert.deepEqual(resources.filter((r) => r.type === 'Microsoft.ManagedIdentity/userAssignedIdentities').length, 1);
  const credentials = resources.filter((r) => r.type === 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials');
  assert.deepEqual(
    credentials.map((c) => [c.properties.issuer, c.properties.subject, c.properties.audiences]),
    [
      ['https://token.actions.githubusercontent.com', "[format('repo:contoso/payments:environment:{0}', parameters('environmentName'))]", ['api://AzureADTokenExchange']],
      ['https://token.actions.githubusercontent.com', 'repo:contoso/payments:pull_request', ['api://AzureADTokenExchange']],
      ['https://token.actions.githubusercontent.com', 'repo:contoso/payments:ref:refs/heads/main', ['api://AzureADTokenExchange']],
    ],
  );
  const roles = resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments').map((r) => r.properties);
  assert.deepEqual(
    roles.map((r) => String(r.roleDefinitionId).match(/'([0-9a-f-]{36})'\)\]$/)?.[1]),
    ['b24988ac-6180-42a0-ab88-20f7382dd24c', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168', 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'],
    'Contributor, Role Based Access Control Administrator, AKS RBAC Cluster Admin',
  );
  assert.match(String(roles[1]!.condition), /ForAnyOfAnyValues:GuidEquals \{[0-9a-f, -]+\}/);
  assert.equal(roles[1]!.conditionVersion, '2.0');
  assert.ok(roles.every((r) => r.principalType === 'ServicePrincipal'));

  // The values printed are the deployment's outputs, as Resource Manager returned them.
  const deployment = [...h.server.deployments.values()].find((d) => d.name === 'gatewright-bootstrap-prod');
  const outputs = deployment?.outputs as Record<string, { value: string }> | undefined;
  assert.ok(outputs?.clientId?.value, 'the deployment has a clientId output');
  assert.equal(outputs.tenantId!.value, h.server.tenantId);
  assert.equal(outputs.subscriptionId!.value, SUBSCRIPTION);
  const clientId = outputs.clientId.value;
  assert.match(io.stdout, new RegExp(`Set these variables \\(identifiers, not secrets\\) on GitHub environment "prod":\\n  AZURE_CLIENT_ID=${clientId}\\n  AZURE_TENANT_ID=${h.server.tenantId}\\n  AZURE_SUBSCRIPTION_ID=${SUBSCRIPTION}\\n`));
  assert.match(io.stdout, new RegExp(`  AZURE_CLIENT_ID_PROD=${clientId}\\n  AZURE_TENANT_ID_PROD=${h.server.tenantId}\\n  AZURE_SUBSCRIPTION_ID_PROD=${SUBSCRIPTION}\\n`));
  assert.deepEqual(gh, [
    ['variable', 'set', 'AZURE_CLIENT_ID', '--env', 'prod', '--body', clientId, '--repo', 'contoso/payments'],
    ['variable', 'set', 'AZURE_CLIENT_ID_PROD', '--body', clientId, '--repo', 'contoso/payments'],
    ['variable', 'set', 'AZURE_TENANT_ID', '--env', 'prod', '--body', h.server.tenantId, '--repo', 'contoso/payments'],
    ['variable', 'set', 'AZURE_TENANT_ID_PROD', '--body', h.server.tenantId, '--repo', 'contoso/payments'],
    ['variable', 'set', 'AZURE_SUBSCRIPTION_ID', '--env', 'prod', '--body', SUBSCRIPTION, '--repo', 'contoso/payments'],
    ['variable', 'set', 'AZURE_SUBSCRIPTION_ID_PROD', '--body', SUBSCRIPTION, '--repo', 'contoso/payments'],
  ]);
});

test('ci bootstrap (azurePipelines): the service connection is a parameter and the printed values name issuer and subject', async () => {
  const file = designFile('ado', withDelivery(azurePipelinesDelivery([{ ...PROD, resourceGroup: RESOURCE_GROUP, serviceConnection: 'payments prod' }])));
  const io = terminal(['y'], { interactive: true });
  const status = await runCli(['ci', 'bootstrap', file, '--endpoint', h.server.url], io);
  assert.equal(status, 0, `${io.stdout}\n${io.stderr}`);
  assert.match(io.questions[0] ?? '', /Deploy the bootstrap to subscription 00000000-1111-2222-3333-444444444444, resource group rg-payments\? \[y\/N\]/);
  const body = bootstrapRequest('prod');
  assert.deepEqual(body.properties.parameters, { environmentName: { value: 'prod' }, serviceConnectionName: { value: 'payments prod' } });
  const credential = body.properties.template.resources.find((r) => r.type.endsWith('/federatedIdentityCredentials'))!;
  assert.equal(credential.properties.issuer, 'https://vstoken.dev.azure.com/3f1c6b2e-9d47-4a8b-b0e5-7c2d9a6f1e34');
  assert.equal(credential.properties.subject, "[format('sc://contoso/Payments Platform/{0}', parameters('serviceConnectionName'))]");
  assert.match(io.stdout, /Create the Azure Resource Manager service connection "payments prod" with workload identity federation \(manual\), with:\n {2}AZURE_CLIENT_ID=[0-9a-f-]{36}\n/);
  assert.match(io.stdout, / {2}issuer: {2}https:\/\/vstoken\.dev\.azure\.com\/3f1c6b2e-9d47-4a8b-b0e5-7c2d9a6f1e34\n {2}subject: sc:\/\/contoso\/Payments Platform\/payments prod\n/);
});

test('ci bootstrap: refusals before anything reaches Azure', async () => {
  const before = h.server.requests.length;
  const plain = designFile('plain', REFERENCE);
  let io = terminal([]);
  assert.equal(await runCli(['ci', 'bootstrap', plain, '--yes', '--endpoint', h.server.url], io), 2);
  assert.match(io.stderr, /plain\.gatewright\.yaml has no delivery section/);

  const two = designFile('two', withDelivery(githubDelivery()));
  io = terminal([]);
  assert.equal(await runCli(['ci', 'bootstrap', two, '--yes', '--endpoint', h.server.url], io), 2);
  assert.match(io.stderr, /--environment NAME is required: two\.gatewright\.yaml has staging, prod/);
  io = terminal([]);
  assert.equal(await runCli(['ci', 'bootstrap', two, '--environment', 'qa', '--yes', '--endpoint', h.server.url], io), 2);
  assert.match(io.stderr, /--environment "qa" is not an environment of two\.gatewright\.yaml/);
  io = terminal([], { interactive: false });
  assert.equal(await runCli(['ci', 'bootstrap', two, '--environment', 'prod', '--endpoint', h.server.url], io), 2);
  assert.match(io.stderr, /no terminal to ask on; run again with --yes/);
  io = terminal([]);
  assert.equal(await runCli(['ci', 'deploy'], io), 2);
  assert.match(io.stderr, /unknown subcommand "deploy"/);
  assert.equal(h.server.requests.length, before, 'no request was sent');
});

test('ci bootstrap --write-github runs the gh found on PATH, and says so when it fails or is missing', async () => {
  const file = designFile('gh', withDelivery(githubDelivery([{ ...PROD, resourceGroup: RESOURCE_GROUP }])));
  const bin = mkdtempSync(join(tmpdir(), 'gatewright-gh-'));
  const log = join(bin, 'calls.log');
  // A stand-in gh: records its arguments, one call per line; refuses environment variables of "prod" when asked to.
  writeFileSync(
    join(bin, 'gh'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ -n "$GH_REFUSE" ]; then echo "HTTP 404: Not Found (environment prod does not exist)" >&2; exit 1; fi\n`,
    { mode: 0o755 },
  );
  let io = terminal([], { env: { PATH: bin } });
  assert.equal(await runCli(['ci', 'bootstrap', file, '--yes', '--write-github', '--endpoint', h.server.url], io), 0, io.stderr);
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(calls.length, 6);
  assert.match(calls[0]!, /^variable set AZURE_CLIENT_ID --env prod --body [0-9a-f-]{36} --repo contoso\/payments$/);
  assert.match(io.stdout, /Set AZURE_SUBSCRIPTION_ID_PROD on the repository of contoso\/payments\./);

  io = terminal([], { env: { PATH: bin, GH_REFUSE: '1' } });
  assert.equal(await runCli(['ci', 'bootstrap', file, '--yes', '--write-github', '--endpoint', h.server.url], io), 1);
  assert.match(io.stderr, /gh variable set AZURE_CLIENT_ID on environment prod failed \(exit 1\): HTTP 404: Not Found \(environment prod does not exist\)/);

  io = terminal([], { env: { PATH: join(bin, 'nothing-here') } });
  assert.equal(await runCli(['ci', 'bootstrap', file, '--yes', '--write-github', '--endpoint', h.server.url], io), 1);
  assert.match(io.stderr, /--write-github needs the GitHub CLI \(gh\) on PATH; set the variables above by hand/);
  assert.match(io.stdout, /AZURE_CLIENT_ID=[0-9a-f-]{36}/, 'the values are printed all the same');
});
