/**
 * `gatewright deploy` (in process, runCli with a DeployIo) where Resource Manager answers as its documentation and
 * spec examples do in the cases the test server otherwise keeps simple: a what-if that fails with HTTP 200, a
 * resource group that does not exist during --what-if, globally unique names taken by someone else.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { DeployIo } from '../../src/cli/deploy.js';
import { serializeParametersFile } from '../../src/deploy/parameters.js';
import { ANSWERS, harness, nameIn, reference, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { resourceGroupIdOf, uniqueNames } from '../../src/deploy/unique-names.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

let h: Harness;
let dir: string;

before(async () => {
  h = await harness();
  dir = mkdtempSync(join(tmpdir(), 'gatewright-deploy-answers-'));
  writeFileSync(join(dir, 'payments.gatewright.yaml'), REFERENCE);
  writeFileSync(join(dir, 'payments.gatewright.parameters.json'), serializeParametersFile(ANSWERS));
});
after(async () => {
  await h.close();
});

function terminal(answers: string[], extra: Partial<DeployIo> = {}): RecordingTerminal {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: false, pollIntervalMs: 10 }, answers, extra);
}

function reset(): void {
  h.server.requests.length = 0;
  h.server.problems.length = 0;
  h.server.faults.length = 0;
  h.server.scenario = { steps: 2 };
}

const args = (group: string, ...more: string[]) => ['deploy', 'payments.gatewright.yaml', '--subscription', SUBSCRIPTION, '--resource-group', group, '--endpoint', h.server.url, '--no-import-certificates', ...more];
const deploymentPuts = () => h.server.requestsTo('PUT', /\/deployments\/payments-\d{8}-\d{6}$/i).length;

test('a what-if answered with 200 and status Failed stops the run with exit 1, even with --yes, and says why', async () => {
  reset();
  h.server.scenario = {
    steps: 2,
    whatIfError: { code: 'InvalidTemplate', message: "Deployment template validation failed: 'The template resource 'payments-apim' at line '1' and column '9137' is not valid.'" },
  };
  const io = terminal([]);
  assert.equal(await runCli(args('rg-payments', '--yes'), io), 1, io.stderr);
  assert.match(io.stdout, /^What-if failed: Resource Manager could not say what the deployment would change\.\n {2}InvalidTemplate: Deployment template validation failed/m);
  assert.doesNotMatch(io.stdout, /What-if: no resource/);
  assert.match(io.stderr, /deploy: nothing deployed: the what-if failed \(InvalidTemplate\), so what the deployment would change is unknown/);
  assert.equal(deploymentPuts(), 0, 'nothing was deployed');
  assert.deepEqual(h.server.problems, []);

  const preview = terminal([]);
  assert.equal(await runCli(args('rg-payments', '--what-if'), preview), 1, 'a failed preview is a failure too');
  assert.doesNotMatch(preview.stdout, /Nothing deployed \(--what-if\)/);
});

test('every globally unique name the deployment would create is checked first, as computed for the resource group; a taken one stops it, named with how to change it', async () => {
  reset();
  const design = reference().design;
  // The names Resource Manager gives in rg-payments: each prefix and uniqueString of the group's id.
  const KV = nameIn(design, 'kv');
  const COSMOS = nameIn(design, 'cosmos');
  // Taken under the names of the old scheme (no suffix): nobody else holding them stops this design any more.
  h.server.takeName('Microsoft.KeyVault/vaults', 'payments-kv');
  h.server.takeName('Microsoft.DocumentDB/databaseAccounts', 'payments-cosmos');
  h.server.takeName('Microsoft.KeyVault/vaults', KV);
  h.server.takeName('Microsoft.DocumentDB/databaseAccounts', COSMOS);
  try {
    const io = terminal([]);
    assert.equal(await runCli(args('rg-payments', '--yes'), io), 1, io.stderr);
    assert.match(io.stderr, /nothing deployed: 2 names the deployment would create are taken:/);
    assert.match(
      io.stderr,
      new RegExp(
        String.raw`^ {2}Key Vault name "${KV}" \[kv\] is taken \(AlreadyExists: The vault name '${KV}' is already in use\..*\)\. Its name is derived: paymentskv- followed by uniqueString\(\) of the resource group's id, the same on every deployment to this resource group; a vault deleted from it keeps its name while soft-deleted \(90 days with purge protection\): recover it \(az keyvault recover --name ${KV}\) to use it again\. Key Vault names are unique in all of Azure: give node kv a name of its own in the design \(name: under node kv\), or change metadata\.name, which its derived name is made from, then deploy again\.$`,
        'm',
      ),
    );
    assert.match(io.stderr, new RegExp(String.raw`^ {2}Cosmos DB account name "${COSMOS}" \[cosmos\] is taken .*give node cosmos a name of its own in the design \(name: under node cosmos\)`, 'm'));
    assert.equal(deploymentPuts(), 0, 'nothing was deployed');
    // Each provider was asked as it documents it (the server checks the request and the type), for the computed names.
    assert.deepEqual(h.server.requestsTo('POST', /\/providers\/Microsoft\.KeyVault\/checkNameAvailability$/).map((q) => (q.body as { name: string }).name), [KV]);
    assert.equal(h.server.requestsTo('HEAD', new RegExp(`^/providers/Microsoft\\.DocumentDB/databaseAccountNames/${COSMOS}$`)).length, 1);
    assert.deepEqual(h.server.problems, []);
  } finally {
    h.server.takenNames.clear();
  }

  h.server.requests.length = 0;
  const free = terminal([]);
  assert.equal(await runCli(args('rg-payments', '--what-if'), free), 0, free.stderr);
  assert.match(free.stdout, new RegExp(`^Names: .*${KV}.* are free\\.$`, 'm'));
  // Exactly the design's globally unique names in this resource group were checked, each once.
  const checked = h.server.requests
    .filter((q) => /checkNameAvailability$|databaseAccountNames/i.test(q.path))
    .map((q) => (q.method === 'HEAD' ? q.path.split('/').pop()! : (q.body as { name: string }).name))
    .sort();
  const computed = uniqueNames(design, resourceGroupIdOf({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-payments' })).map((n) => n.name).sort();
  assert.deepEqual(checked, computed);
});

test('a design node with a name of its own: the taken name is that name, and the advice is to change it', async () => {
  reset();
  writeFileSync(join(dir, 'named.gatewright.yaml'), mutateReference((doc) => setAt(doc, ['nodes', 'kv', 'name'], 'contoso-shared-kv')));
  writeFileSync(join(dir, 'named.gatewright.parameters.json'), serializeParametersFile(ANSWERS));
  h.server.takeName('Microsoft.KeyVault/vaults', 'contoso-shared-kv');
  try {
    const io = terminal([]);
    assert.equal(await runCli(['deploy', 'named.gatewright.yaml', '--subscription', SUBSCRIPTION, '--resource-group', 'rg-payments', '--endpoint', h.server.url, '--no-import-certificates', '--what-if'], io), 1, io.stderr);
    assert.match(io.stderr, /^ {2}Key Vault name "contoso-shared-kv" \[kv\] is taken .*\. Key Vault names are unique in all of Azure: change the name of node kv in the design \(name: contoso-shared-kv\) to one no one uses, then deploy again\.$/m);
    assert.doesNotMatch(io.stderr, /Its name is derived/);
  } finally {
    h.server.takenNames.clear();
  }
});
