/**
 * `gatewright deploy` run as users run it: a child process (src/cli/main.ts through tsx) against the test Resource
 * Manager, signed in through the real AzureCliCredential, which finds a stand-in `az` on the PATH that prints an
 * access token as `az account get-access-token` does. The child trusts the test CA through NODE_EXTRA_CA_CERTS and
 * finds the server through GATEWRIGHT_ARM_ENDPOINT.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { generate } from '../../src/generators/generate.js';
import { analyze } from '../../src/validation/analyze.js';
import { prepareDeployment } from '../../src/deploy/prepare.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { AKS_SERVER_APP, ArmServer } from '../helpers/arm-server/server.js';
import { SUBSCRIPTION } from '../helpers/arm-server/fixture.js';
import { rootCa } from '../helpers/pki.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import { standInAz } from '../helpers/stand-in-az.js';
import { standInEntra } from '../helpers/stand-in-entra.js';
import { clockEnv } from '../helpers/clock-env.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const TOKEN = `cli-token-${randomBytes(12).toString('hex')}`;
// A subscription of another tenant than the signed-in account's home tenant, and the token az issues for that tenant.
const FOREIGN = '99999999-8888-7777-6666-555555555555';
const FOREIGN_TENANT = 'c5e1a0f4-2b7d-4e8a-9f31-6d0b2a4c7e19';
const FOREIGN_TOKEN = `cli-fabrikam-${randomBytes(12).toString('hex')}`;
const SAVED = { sqlAdminGroupName: 'sql-admins', sqlAdminGroupObjectId: '6f1a4c52-7d1e-4f47-9a43-2c1f3b9e8d70' };

let server: ArmServer;
let dir: string;
let bin: string;
let azLog: string;
let caFile: string;
let design: string;
let expected: { template: unknown; parameters: unknown; clusterFiles: Map<string, Map<string, string>> };

before(async () => {
  server = await ArmServer.start({
    token: TOKEN,
    subscriptions: [
      { subscriptionId: SUBSCRIPTION, displayName: 'Contoso Test' },
      { subscriptionId: FOREIGN, displayName: 'Fabrikam Payments', tenantId: FOREIGN_TENANT },
    ],
    tenantTokens: { [FOREIGN_TENANT]: FOREIGN_TOKEN },
  });
  dir = mkdtempSync(join(tmpdir(), 'gatewright-deploy-cli-'));
  // The stand-in answers only what AzureCliCredential asks, and records how it was called.
  ({ bin, log: azLog } = standInAz(dir, {
    token: TOKEN,
    subscription: SUBSCRIPTION,
    tenant: server.tenantId,
    resources: { [AKS_SERVER_APP]: server.clusterToken },
    tenants: { [FOREIGN_TENANT]: FOREIGN_TOKEN },
  }));
  caFile = join(dir, 'test-arm-ca.pem');
  writeFileSync(caFile, server.caPem);

  // The reference design with its internal CA's public certificate as a file: the CA parameter and the ingress's
  // client CA bundle come from it, so the design leaves only the SQL administrators group to ask for.
  const ca = await rootCa('Contoso internal CA', { notBefore: new Date('2026-01-01'), notAfter: new Date('2035-12-31') });
  const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'internal-ca.pem'));
  design = join(dir, 'payments.gatewright.yaml');
  writeFileSync(design, text);
  writeFileSync(join(dir, 'internal-ca.pem'), ca.pem);
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile(SAVED));

  const files = new Map([['internal-ca.pem', { status: 'read' as const, content: ca.pem }]]);
  const analysis = analyze(text, { files });
  assert.equal(analysis.summary.errors, 0);
  const generated = generate(analysis.design!, { caPems: caPemsOf(analysis.design!, files) });
  // The manifests deploy applies name the globally unique resources as they are in the group deployed to (rg-cli-yes).
  const prepared = prepareDeployment(analysis.design!, generated.files, SAVED, `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-cli-yes`);
  assert.equal(prepared.merged.missing.length, 0, 'the CA file and the saved answers leave nothing missing');
  expected = {
    template: prepared.template,
    // Every group here is new or empty: deploy finds no API Management and says so (apimExists false).
    parameters: { ...prepared.input!.parameters, apimExists: { value: false } },
    clusterFiles: new Map(prepared.clusters.map((c) => [c.clusterName, new Map(c.files.map((f) => [f.path, f.content]))])),
  };
});

after(async () => {
  await server?.close();
});

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gatewright(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: dir,
      env: {
        PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: dir,
        NODE_EXTRA_CA_CERTS: caFile,
        GATEWRIGHT_ARM_ENDPOINT: server.url,
        // The default chain behind the Azure CLI credential gets the Azure CLI only: should the stand-in ever fail,
        // no managed-identity probe leaves this machine.
        AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
        NO_COLOR: '1',
        ...clockEnv(),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function reset(): void {
  server.requests.length = 0;
  server.problems.length = 0;
  server.expected = { template: expected.template, parameters: expected.parameters, command: 'kubectl apply -k .', clusterFiles: expected.clusterFiles };
}

const DEPLOYMENTS = /\/providers\/Microsoft\.Resources\/deployments\/payments-\d{8}-\d{6}$/i;

test('deploy --what-if into a resource group that does not exist previews every resource as new and creates nothing', async () => {
  reset();
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '--subscription', SUBSCRIPTION, '--resource-group', 'rg-cli', '--what-if']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Subscription "Contoso Test" \(00000000-1111-2222-3333-444444444444\)/);
  assert.match(r.stdout, /^Resource group rg-cli does not exist: the what-if previews it as new, without creating it\.$/m);
  assert.doesNotMatch(r.stdout, /Created resource group/);
  assert.equal(server.requestsTo('PUT', /\/resourcegroups\/rg-cli$/i).length, 0, 'the resource group was not created');
  assert.ok(!server.resourceGroups.has(`${SUBSCRIPTION}|rg-cli`), 'and does not exist afterwards');
  assert.match(r.stdout, /^\+ create +Microsoft\.Resources\/resourceGroups rg-cli$/m);
  assert.doesNotMatch(r.stdout, /^[~=-] /m, 'every resource is a create');
  assert.equal(server.requestsTo('POST', /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Resources\/deployments\/[^/]+\/whatIf$/i).length, 1, 'a subscription-scope what-if');
  assert.match(r.stdout, /^\+ create +Microsoft\.Network\/applicationGateways payments-appgw \[appgw\]$/m);
  assert.match(r.stdout, /^\+ create +Microsoft\.ContainerService\/managedClusters payments-aks \[aks\]$/m);
  assert.match(r.stdout, /What-if: \d+ to create\./);
  assert.match(r.stdout, /Nothing deployed \(--what-if\)\./);
  assert.equal(server.requestsTo('PUT', DEPLOYMENTS).length, 0, 'no deployment was created');
  assert.equal(server.requestsTo('POST', /\/whatIf$/i).length, 1);
  assert.deepEqual(server.problems, [], 'the nested template and parameters are the generated ones');
  // AzureCliCredential ran the stand-in az for the endpoint's audience.
  const calls = readFileSync(azLog, 'utf8');
  assert.match(calls, new RegExp(`^account get-access-token --output json --resource ${server.url.replace(/\./g, '\\.')}$`, 'm'));
  // Every request carried api-version (the server checks it and the token; problems would list a miss).
  assert.ok(server.requests.every((q) => q.apiVersion), 'api-version on every request');
});

test('deploy --yes deploys with a line per resource, prints the outputs and applies the manifests through the run command', async () => {
  reset();
  server.addResourceGroup(SUBSCRIPTION, 'rg-cli-yes', 'northeurope');
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-cli-yes', '--yes', '--out', 'generated']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.deepEqual(server.problems, [], 'the template, parameters, token, api-versions and run-command files are the generated ones');
  assert.match(r.stdout, /^Resource group rg-cli-yes \(northeurope\)\.$/m, 'an existing group is used as it is');
  assert.match(r.stdout, /^Deployment payments-\d{8}-\d{6}: Running$/m);
  assert.match(r.stdout, /^ {2}… Running +Microsoft\.Network\/virtualNetworks payments-vnet \[vnet\]$/m, 'a resource is shown running');
  assert.match(r.stdout, /^ {2}✓ Succeeded +Microsoft\.Network\/applicationGateways payments-appgw \[appgw\]$/m, 'and then succeeded');
  assert.match(r.stdout, /^Deployment payments-\d{8}-\d{6} succeeded in /m);
  assert.match(r.stdout, /^ {2}workloadIdentityClientId = [0-9a-f-]{36}$/m);
  assert.match(r.stdout, /Applying k8s\/aks to AKS cluster payments-aks through the run command \(kubectl apply -k \.\)/);
  assert.match(r.stdout, /^ {2}namespace\/orders created$/m);
  assert.match(r.stdout, /^ {2}ingress\.networking\.k8s\.io\/orders created$/m);
  assert.match(r.stdout, /^payments-aks: exit code 0\.$/m);
  // The cluster uses managed Entra ID: the run command carried a token for the AKS server application, which
  // AzureCliCredential got from az for that resource (the server refuses the run command without it).
  assert.match(readFileSync(azLog, 'utf8'), /^account get-access-token --output json --resource 6dae42f8-4368-4678-94ff-3960e28e3630$/m);
  assert.equal(server.requestsTo('PUT', DEPLOYMENTS).length, 1);
  assert.ok(server.requestsTo('GET', /\/operationStatuses\//i).length >= 3, 'the deployment was polled as a long-running operation');
  assert.ok(existsSync(join(dir, 'generated', 'infra', 'main.json')), '--out holds the generated files');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'generated', 'infra', 'main.json'), 'utf8')), expected.template, 'what was deployed is what was written');
});

test('deploy without --yes and without a terminal refuses before touching Azure', async () => {
  reset();
  const before = readFileSync(azLog, 'utf8');
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '--subscription', SUBSCRIPTION, '--resource-group', 'rg-cli']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nothing deployed: deploying needs a confirmation and there is no terminal to ask on\. Run again with --yes to deploy payments\.gatewright\.yaml to subscription 00000000-1111-2222-3333-444444444444, resource group rg-cli/);
  assert.equal(server.requests.length, 0, 'no request reached Resource Manager');
  assert.equal(readFileSync(azLog, 'utf8'), before, 'not even a token was asked for');
});

test('deploy names the parameters the design cannot know when there is no terminal to ask', async () => {
  reset();
  const bare = join(dir, 'bare.gatewright.yaml');
  writeFileSync(bare, readFileSync(design, 'utf8'));
  const r = await gatewright(['deploy', 'bare.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-cli', '--what-if']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /put their values in bare\.gatewright\.parameters\.json/);
  assert.match(r.stderr, /^ {2}sqlAdminGroupName \(string\): /m);
  assert.match(r.stderr, /^ {2}sqlAdminGroupObjectId \(string\): /m);
  assert.equal(server.requests.length, 0);
});

test('deploy stops on a design with an error finding, and on usage errors', async () => {
  reset();
  writeFileSync(join(dir, 'broken.gatewright.yaml'), mutateReference((doc) => setAt(doc, ['nodes', 'apim', 'properties', 'sku'], 'Basic')));
  const broken = await gatewright(['deploy', 'broken.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-cli', '--yes']);
  assert.equal(broken.status, 1);
  // The errors are listed (rule, line), and nothing reached Azure: no sign-in, no what-if.
  assert.match(broken.stderr, /^broken\.gatewright\.yaml:\d+:\d+: error GW120 /m);
  assert.match(broken.stderr, /nothing deployed: fix the errors above first/);
  assert.equal(server.requests.length, 0);
  const noGroup = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '--yes']);
  assert.equal(noGroup.status, 2);
  assert.match(noGroup.stderr, /--resource-group NAME is required/);
  const badEndpoint = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg', '--yes', '--endpoint', 'http://127.0.0.1:1']);
  assert.equal(badEndpoint.status, 2);
  assert.match(badEndpoint.stderr, /must use https/);
  assert.equal(server.requests.length, 0);
});

test('az not signed in: the error ends with the command that fixes it', async () => {
  reset();
  const signedOut = standInAz(dir, { token: TOKEN, subscription: SUBSCRIPTION, tenant: server.tenantId, signedOut: true }, 'bin-signed-out');
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-payments', '--what-if'], { PATH: `${signedOut.bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
  assert.equal(r.status, 2, `a sign-in problem is exit 2, never the 1 of a failed deployment or of drift:\n${r.stderr}`);
  assert.match(r.stderr, /could not get an access token: Please run 'az login' from a command prompt to authenticate before using this credential\./);
  assert.match(r.stderr, /Run: az login\n$/, 'the last words are the command to run');
  assert.doesNotMatch(r.stderr, /ChainedTokenCredential authentication failed\.\n/);
  assert.equal(server.requests.length, 0);
});

test('a Continuous Access Evaluation claims challenge ends with the az login --claims-challenge command that answers it', async () => {
  reset();
  const claims = server.claimsChallenge(/^\/subscriptions\/[^/]+$/i);
  try {
    const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-payments', '--what-if']);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(server.requestsTo('GET', /^\/subscriptions\/[^/]+$/i)[0]?.status, 401, 'Resource Manager challenged the token');
    const decoded = Buffer.from(claims, 'base64').toString('utf8');
    const command = `az login --claims-challenge ${Buffer.from(decoded).toString('base64')} --scope ${server.url}/.default`;
    assert.ok(r.stderr.trimEnd().endsWith(command), `the last words are "${command}":\n${r.stderr}`);
    assert.match(r.stderr, /Continuous Access Evaluation/);
  } finally {
    server.faults.length = 0;
  }
});

test('a subscription of another tenant: the token is asked for the tenant Resource Manager names, and the run goes on', async () => {
  reset();
  server.expected = { template: expected.template, parameters: expected.parameters };
  server.addResourceGroup(FOREIGN, 'rg-fabrikam', 'westeurope');
  // The earlier deployment holds the reference design's globally unique names (payments-kv...): forgotten here, so
  // that this what-if finds them free, as in an Azure where only this design is deployed.
  server.resources.clear();
  const before = readFileSync(azLog, 'utf8').length;
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', FOREIGN, '-g', 'rg-fabrikam', '--what-if', '--no-import-certificates']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const refused = server.requestsTo('GET', new RegExp(`^/subscriptions/${FOREIGN}$`));
  assert.deepEqual(refused.map((q) => q.status), [401, 200], 'refused with the home tenant\'s token, then read with the subscription tenant\'s');
  assert.match(r.stdout, new RegExp(`^Subscription "Fabrikam Payments" \\(${FOREIGN}\\) in tenant ${FOREIGN_TENANT} at `, 'm'));
  assert.match(r.stdout, /What-if: \d+ to create\./);
  assert.match(readFileSync(azLog, 'utf8').slice(before), new RegExp(`^account get-access-token --output json --resource ${server.url.replace(/\./g, '\\.')} --tenant ${FOREIGN_TENANT}$`, 'm'));
  assert.deepEqual(server.problems, [], 'every later call carried the tenant\'s token');
});

test('a subscription of a tenant the account cannot sign in to: the error says which tenant, with az login --tenant', async () => {
  reset();
  const homeOnly = standInAz(dir, { token: TOKEN, subscription: SUBSCRIPTION, tenant: server.tenantId }, 'bin-home-only');
  const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', FOREIGN, '-g', 'rg-fabrikam', '--what-if', '--no-import-certificates'], { PATH: `${homeOnly.bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`Subscription ${FOREIGN} belongs to tenant ${FOREIGN_TENANT}`));
  assert.ok(r.stderr.trimEnd().endsWith(`az login --tenant ${FOREIGN_TENANT}`), r.stderr);
  assert.doesNotMatch(r.stderr, /Sign in again/);
});

test('workload identity federation from the environment signs in first, before an Azure CLI signed in to someone else', async () => {
  reset();
  // The earlier deployment holds the design's globally unique names: forgotten, as in the test of another tenant.
  server.resources.clear();
  const clientId = '3f0c2a71-5b8e-4d19-a6c4-9e2d7b1f8a05';
  const assertion = `federated-${randomBytes(12).toString('hex')}`;
  const tokenFile = join(dir, 'federated-token');
  writeFileSync(tokenFile, assertion);
  const entra = await standInEntra({ tenant: server.tenantId, clientId, assertion, token: TOKEN });
  // The Azure CLI on the PATH is signed in to another account, whose token Resource Manager refuses.
  const other = standInAz(dir, { token: `someone-else-${randomBytes(8).toString('hex')}`, subscription: SUBSCRIPTION, tenant: server.tenantId }, 'bin-someone-else');
  const cas = join(dir, 'arm-and-entra-ca.pem');
  writeFileSync(cas, `${server.caPem}\n${entra.caPem}`);
  try {
    const r = await gatewright(['deploy', 'payments.gatewright.yaml', '-s', SUBSCRIPTION, '-g', 'rg-workload', '--what-if', '--no-import-certificates', '--format', 'json'], {
      PATH: `${other.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      NODE_EXTRA_CA_CERTS: cas,
      HTTPS_PROXY: entra.proxy.url,
      NO_PROXY: '127.0.0.1,localhost',
      AZURE_CLIENT_ID: clientId,
      AZURE_TENANT_ID: server.tenantId,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { status: string; target: { subscriptionName: string } };
    assert.equal(report.status, 'succeeded');
    assert.equal(report.target.subscriptionName, 'Contoso Test');
    // MSAL asked Entra ID's token endpoint (through the proxy) with the federated token as the client assertion.
    assert.ok(entra.requests.length >= 1, 'a token was asked for');
    for (const q of entra.requests) {
      assert.equal(q.clientAssertion, assertion);
      assert.equal(q.clientAssertionType, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      assert.equal(q.clientId, clientId);
    }
    assert.ok(entra.requests.some((q) => q.scope.includes(`${server.url}/.default`)), entra.requests.map((q) => q.scope).join(', '));
    assert.ok(entra.proxy.connects.every((c) => c === 'login.microsoftonline.com:443'), entra.proxy.connects.join(', '));
    assert.ok(!existsSync(join(dir, 'bin-someone-else.log')), 'the Azure CLI was not asked');
    assert.deepEqual(server.problems, [], 'every call carried the token Entra ID issued');
  } finally {
    await entra.close();
  }
});
