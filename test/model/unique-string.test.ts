/**
 * Our uniqueString() gives what Resource Manager gives: checked against the published value
 * uniqueString('hello', 'world') = 'a7wkljktk6wne' (https://github.com/JasonWhall/go-azure-uniquestring) and against
 * the real Bicep compiler, which evaluates uniqueString() in a .bicepparam file with Microsoft's own implementation,
 * for inputs of every length up to 40 bytes (each tail length of the 8-byte blocks), multi-byte UTF-8 and
 * resource group ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueString } from '../../src/model/unique-string.js';
import { requireBicep } from '../helpers/bicep.js';

test('the published value: uniqueString("hello", "world") is a7wkljktk6wne', () => {
  assert.equal(uniqueString('hello', 'world'), 'a7wkljktk6wne');
  assert.equal(uniqueString('hello-world'), 'a7wkljktk6wne', 'the arguments are joined with a hyphen');
});

test('uniqueString gives what the Bicep compiler evaluates, for every tail length, UTF-8 and resource group ids', () => {
  const inputs: string[][] = [];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789/-_.';
  for (let n = 1; n <= 40; n++) inputs.push([Array.from({ length: n }, (_, i) => alphabet[(i * 7 + n) % alphabet.length]).join('')]);
  inputs.push(['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-payments']);
  inputs.push(['/subscriptions/8f2d3c1e-5b7a-4e2f-9c1d-0a6b3e4f5d21/resourceGroups/Contoso-Prod']);
  inputs.push(['café', 'ü€𝄞'], ['a', 'b', 'c'], ['Z']);
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-unique-'));
  try {
    const names = inputs.map((_, i) => `p${i}`);
    writeFileSync(join(dir, 'main.bicep'), `${names.map((n) => `param ${n} string`).join('\n')}\noutput all array = [${names.join(', ')}]\n`);
    const lit = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    writeFileSync(join(dir, 'main.bicepparam'), `using 'main.bicep'\n${inputs.map((args, i) => `param p${i} = uniqueString(${args.map(lit).join(', ')})`).join('\n')}\n`);
    const run = spawnSync(requireBicep(), ['build-params', join(dir, 'main.bicepparam'), '--stdout'], { encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { parametersJson: string };
    const values = (JSON.parse(out.parametersJson) as { parameters: Record<string, { value: string }> }).parameters;
    for (const [i, args] of inputs.entries()) assert.equal(uniqueString(...args), values[`p${i}`]!.value, `uniqueString(${JSON.stringify(args)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
