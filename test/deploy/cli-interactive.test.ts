/**
 * `gatewright deploy` in a terminal, in process (runCli with a DeployIo that answers the questions): parameters asked
 * once and saved without secrets, the confirmation naming subscription and resource group, the redrawn progress,
 * failures and cancellation.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'gatewright-deploy-tty-'));
});
after(async () => {
  await h.close();
});

/** A terminal (stdout is a TTY, so progress is redrawn) in this test's folder, answering `answers`. */
function terminal(answers: string[], extra: Partial<DeployIo> = {}): RecordingTerminal {
  return recordingTerminal({ cwd: dir, harness: h, isTTY: true, pollIntervalMs: 10 }, answers, extra);
}

function design(name: string, saved?: Record<string, unknown>): string {
  writeFileSync(join(dir, `${name}.gatewright.yaml`), REFERENCE);
  if (saved) writeFileSync(join(dir, `${name}.gatewright.parameters.json`), serializeParametersFile(saved));
  return `${name}.gatewright.yaml`;
}

const args = (file: string, ...more: string[]) => ['deploy', file, '--subscription', SUBSCRIPTION, '--resource-group', 'rg-payments', '--endpoint', h.server.url, ...more];

test('the parameters the design cannot know are asked once and saved next to it, never a secret', async () => {
  h.server.problems.length = 0;
  const file = design('asked');
  const io = terminal(['sql-admins', 'Password=hunter2', ANSWERS.sqlAdminGroupObjectId, ANSWERS.internalCaCertificate]);
  assert.equal(await runCli(args(file, '--what-if'), io), 0, io.stderr);
  assert.deepEqual(
    io.questions.map((q) => q.split(' ')[0]),
    ['sqlAdminGroupName', 'sqlAdminGroupObjectId', 'sqlAdminGroupObjectId', 'internalCaCertificate'],
  );
  assert.match(io.stderr, /"sqlAdminGroupObjectId": its value looks like a connection string with a key or password; secrets are never stored/);
  const saved = JSON.parse(readFileSync(join(dir, 'asked.gatewright.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
  assert.deepEqual(saved.parameters, {
    internalCaCertificate: { value: ANSWERS.internalCaCertificate },
    sqlAdminGroupName: { value: 'sql-admins' },
    sqlAdminGroupObjectId: { value: ANSWERS.sqlAdminGroupObjectId },
  });
  assert.doesNotMatch(readFileSync(join(dir, 'asked.gatewright.parameters.json'), 'utf8'), /hunter2/);
  assert.match(io.stdout, /Saved the answers to asked\.gatewright\.parameters\.json\./);
  assert.match(io.stdout, /Nothing deployed \(--what-if\)\./);

  // Next time nothing is asked.
  const again = terminal([]);
  assert.equal(await runCli(args(file, '--what-if'), again), 0, again.stderr);
  assert.deepEqual(again.questions, []);
  assert.deepEqual(h.server.problems, []);
});

test('the confirmation names the subscription and the resource group; anything but yes deploys nothing', async () => {
  const file = design('declined', ANSWERS);
  const puts = () => h.server.requestsTo('PUT', /\/deployments\/payments-/).length;
  const before = puts();
  const io = terminal(['n']);
  assert.equal(await runCli(args(file), io), 1);
  assert.deepEqual(io.questions, [`Deploy to subscription "Contoso Test" (${SUBSCRIPTION}), resource group rg-payments? [y/N] `]);
  assert.match(io.stdout, /What-if: \d+ (to create|to modify|unchanged)/, 'the what-if comes before the question');
  assert.match(io.stdout, /Nothing deployed\.\n$/);
  assert.equal(puts(), before);
  const silent = terminal([]);
  assert.equal(await runCli(args(file), silent), 1, 'end of input is not a yes');
  assert.equal(puts(), before);
});

test('confirmed, it deploys with the progress redrawn in place on the terminal', async () => {
  h.server.scenario = { steps: 2 };
  const file = design('confirmed', ANSWERS);
  const io = terminal(['yes'], { now: new Date('2026-11-28T15:00:00Z'), rows: 20 });
  assert.equal(await runCli(args(file), io), 1, 'the run command fails: the reference design names no CA file for the client CA bundle');
  assert.match(io.stdout, /Deployment payments-20261128-150000 succeeded/);
  const ESC = String.fromCharCode(27);
  const redraw = new RegExp(`${ESC}\\[\\d+A${ESC}\\[J(.*\\n)*Deployment payments-20261128-150000: Running \\(\\d+ done, \\d+ in progress\\)\\n {2}… Running +\\S+`);
  assert.match(io.stdout, redraw, 'the live block is redrawn in place');
  assert.match(io.stdout, /\n {2}✓ Succeeded Microsoft\.Network\/applicationGateways payments-appgw \[appgw\]\n/, 'a finished resource gets its line for good');
  assert.match(io.stdout, /Deployment payments-20261128-150000: Succeeded \(\d+ done\)\n/);
  assert.match(io.stdout, / {2}… and \d+ more in progress\n/, 'no more lines than the terminal has');
  assert.match(io.stderr, /kubectl apply -k \. on payments-aks exited with 1/);
  assert.match(io.stdout, /error: loading KV pairs: file sources: \[ca\.crt=certs\/(backend|client)-ca\.crt\]/);
});

test('a failed deployment exits 1 naming the resource with ARM\'s error; an interrupted one is canceled in Azure', async () => {
  h.server.scenario = {
    steps: 2,
    failResource: { type: 'Microsoft.ContainerService/managedClusters', name: 'payments-aks', error: { code: 'QuotaExceeded', message: 'Operation could not be completed as it results in exceeding approved standardDDSv5Family Cores quota.' } },
  };
  const file = design('failing', ANSWERS);
  const io = terminal([], { now: new Date('2026-11-28T16:00:00Z') });
  assert.equal(await runCli(args(file, '--yes'), io), 1);
  assert.match(io.stderr, /^Resource Microsoft\.ContainerService\/managedClusters payments-aks \(node aks\) failed with BadRequest:\n {2}QuotaExceeded: Operation could not be completed/m);
  assert.doesNotMatch(io.stdout, /Applying k8s/, 'nothing is applied after a failed deployment');

  h.server.scenario = { steps: 3, holdAfterPolls: 2 };
  const controller = new AbortController();
  const watcher = setInterval(() => {
    if (h.server.requestsTo('PUT', /\/deployments\/payments-20261128-170000$/).length) controller.abort();
  }, 5);
  const interrupted = terminal([], { now: new Date('2026-11-28T17:00:00Z'), signal: controller.signal });
  try {
    assert.equal(await runCli(args(file, '--yes'), interrupted), 1);
  } finally {
    clearInterval(watcher);
  }
  assert.match(interrupted.stderr, /^Deployment payments-20261128-170000 was canceled\.$/m);
  assert.equal(h.server.requestsTo('POST', /\/deployments\/payments-20261128-170000\/cancel$/).length, 1);
  h.server.scenario = { steps: 3 };
});

test('a saved secret stops the deployment before anything is sent', async () => {
  const file = design('leaky');
  writeFileSync(join(dir, 'leaky.gatewright.parameters.json'), JSON.stringify({ parameters: { ...Object.fromEntries(Object.entries(ANSWERS).map(([k, v]) => [k, { value: v }])), sqlAdminGroupName: { value: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZw' } } }));
  const count = h.server.requests.length;
  const io = terminal([]);
  assert.equal(await runCli(args(file, '--what-if'), io), 2);
  assert.match(io.stderr, /leaky\.gatewright\.parameters\.json holds what looks like a secret.*"sqlAdminGroupName" \(its value looks like an access token \(JWT\)/);
  assert.equal(h.server.requests.length, count);
  assert.ok(existsSync(join(dir, 'leaky.gatewright.parameters.json')), 'the file is left for the user to fix');
});
