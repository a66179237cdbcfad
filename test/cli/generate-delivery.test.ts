/**
 * `gatewright generate` of a design with a delivery section: the pipelines and the bootstrap are written under the
 * output folder like every other generated file, the manifest covers them (so a workflow edited by hand is not
 * overwritten silently), and generating again changes nothing (what the pull request workflow's check relies on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { sha256 } from '../../src/generators/manifest.js';
import { captureIo } from '../helpers/cli-capture.js';
import { githubDelivery, withDelivery } from '../helpers/delivery.js';

const NOW = new Date('2026-11-27T12:00:00Z');

test('generate writes the workflows and the bootstrap under --out, in the manifest; a second run changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-gen-delivery-'));
  writeFileSync(join(dir, 'payments.gatewright.yaml'), withDelivery(githubDelivery()));
  let io = captureIo(dir, NOW);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '--out', 'generated'], io), 0, io.stderr);
  const manifest = JSON.parse(readFileSync(join(dir, 'generated', '.gatewright-generated.json'), 'utf8')) as { files: Record<string, string> };
  for (const path of ['.github/workflows/gatewright-pr.yml', '.github/workflows/gatewright-deploy.yml', '.github/workflows/gatewright-drift.yml', 'delivery/bootstrap.bicep', 'delivery/bootstrap.json']) {
    const content = readFileSync(join(dir, 'generated', path), 'utf8');
    assert.equal(manifest.files[path], sha256(content), `${path} is in the manifest with its hash`);
  }
  io = captureIo(dir, NOW);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '--out', 'generated'], io), 0, io.stderr);
  assert.match(io.stdout, /^Wrote 0 files to generated \(\d+ unchanged\)/);

  // A workflow edited by hand is kept unless --force.
  const workflow = join(dir, 'generated', '.github/workflows/gatewright-deploy.yml');
  writeFileSync(workflow, `${readFileSync(workflow, 'utf8')}# edited\n`);
  io = captureIo(dir, NOW);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '--out', 'generated'], io), 2);
  assert.match(io.stderr, /\.github\/workflows\/gatewright-deploy\.yml/);
});
