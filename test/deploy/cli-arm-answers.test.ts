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
import { ANSWERS, harness, SUBSCRIPTION, type Harness } from '../helpers/arm-server/fixture.js';
import { recordingTerminal, type RecordingTerminal } from '../helpers/arm-server/terminal.js';
import { REFERENCE } from '../helpers/reference.js';

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

test('every globally unique name the deployment would create is checked first; a taken one stops it, named with how to change it', async () => {
  reset();
  h.server.takeName('Microsoft.KeyVault/vaults', 'payments-kv');
  h.server.takeName('Microsoft.DocumentDB/databaseAccounts', 'payments-cosmos');
  try {
    const io = terminal([]);
    assert.equal(await runCli(args('rg-payments', '--yes'), io), 1, io.stderr);
    assert.match(io.stderr, /nothing deployed: 2 names the deployment would create are taken:/);
    assert.match(io.stderr, /^ {2}Key Vault name "payments-kv" \[kv\] is taken \(AlreadyExists: The vault name 'payments-kv' is already in use\..*\)\. Key Vault names are unique in all of Azure: .*node kv.*, then deploy again\.$/m);
    assert.match(io.stderr, /^ {2}Cosmos DB account name "payments-cosmos" \[cosmos\] is taken/m);
    assert.equal(deploymentPuts(), 0, 'nothing was deployed');
    // Each provider was asked as it documents it (the server checks the request and the type).
    assert.equal(h.server.requestsTo('POST', /\/providers\/Microsoft\.KeyVault\/checkNameAvailability$/).length, 1);
    assert.equal(h.server.requestsTo('HEAD', /^\/providers\/Microsoft\.DocumentDB\/databaseAccountNames\/payments-cosmos$/).length, 1);
    assert.deepEqual(h.server.problems, []);
  } finally {
    h.server.takenNames.clear();
  }

  const free = terminal([]);
  assert.equal(await runCli(args('rg-payments', '--what-if'), free), 0, free.stderr);
  assert.match(free.stdout, /^Names: .*payments-kv.* are free\.$/m);
  const checked = h.server.requests.filter((q) => /checkNameAvailability$|databaseAccountNames/i.test(q.path)).map((q) => q.path.replace(/^\/subscriptions\/[^/]+/, ''));
  assert.ok(checked.length >= 5, checked.join(', '));
});
