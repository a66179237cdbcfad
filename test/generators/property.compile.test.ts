/**
 * The real Bicep compiler on random valid designs (test/helpers/random-design.ts): twelve designs of a fixed seed
 * and the hostile-strings design. For each one, main.bicep (with its modules and the policy files it loads)
 * compiles with no error and no linter warning under the default configuration; the compiled template declares
 * exactly the resources of our main.json (type, API version, name); and the description, tags, publisher names and
 * API display names read back from the compiled JSON exactly as the design gives them, so no hostile string broke
 * out of its Bicep string literal. All designs compile in one run of the compiler (`bicep build --pattern`), which
 * starts .NET once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyze } from '../../src/validation/analyze.js';
import { generate } from '../../src/generators/generate.js';
import { formatDiagnostics, parseDiagnostics, requireBicep, resourceKeys, type ArmTemplateJson } from '../helpers/bicep.js';
import { checkLiterals, hostileDesign, sampleDesigns } from '../helpers/random-design.js';

const NOW = new Date('2026-11-27T12:00:00Z');
/** Fixed: the same twelve designs every run; seed 109 gave the widest variety among seeds 1-400 (every node type, 8 of the 9 controller and backend protocol pairs, 11 API Management tier and network mode pairs). GATEWRIGHT_PBT_COMPILE_SEED tries others. */
const SEED = Number(process.env.GATEWRIGHT_PBT_COMPILE_SEED ?? 109);
const COUNT = 12;

test(`bicep build: ${COUNT} random designs (seed ${SEED}) and the hostile-strings design compile cleanly and match main.json`, () => {
  const bicep = requireBicep();
  const designs = [{ title: 'hostile strings', d: hostileDesign() }, ...sampleDesigns(COUNT, SEED).map((d, i) => ({ title: `random design ${i + 1} of seed ${SEED}`, d }))];
  const root = mkdtempSync(join(tmpdir(), 'gatewright-property-'));
  try {
    const generated = designs.map(({ title, d }, i) => {
      const a = analyze(d.text, { now: NOW });
      assert.deepEqual(
        a.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.message}`),
        [],
        `${title}: validation errors`,
      );
      const files = generate(a.design!).files;
      // Everything but our own main.json, which the compiler's output would overwrite.
      for (const f of files) {
        if (f.path === 'infra/main.json') continue;
        const p = join(root, `d${i}`, f.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, f.content);
      }
      const ours = JSON.parse(files.find((f) => f.path === 'infra/main.json')!.content) as ArmTemplateJson;
      return { title, design: a.design!, ours, text: d.text };
    });

    const started = Date.now();
    const run = spawnSync(bicep, ['build', '--pattern', 'd*/infra/main.bicep'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', BICEP_TRACING_ENABLED: 'false' },
    });
    if (run.error) throw new Error(`running ${bicep} failed: ${run.error.message}`);
    const { diagnostics, other } = parseDiagnostics(run.stderr ?? '');
    console.log(`# bicep build of ${designs.length} designs: ${Date.now() - started} ms`);

    generated.forEach(({ title, design, ours, text }, i) => {
      const mine = diagnostics.filter((d) => d.file.split(/[\\/]/).includes(`d${i}`));
      const problems = mine.filter((d) => d.level === 'Error' || d.level === 'Warning');
      assert.deepEqual(problems, [], `${title}: bicep build reports\n${formatDiagnostics(problems)}\n${other}\n--- design:\n${text}`);
      const out = join(root, `d${i}`, 'infra', 'main.json');
      assert.ok(existsSync(out), `${title}: bicep build wrote no main.json (exit ${run.status}): ${other}`);
      const compiled = JSON.parse(readFileSync(out, 'utf8')) as ArmTemplateJson;
      assert.deepEqual(resourceKeys(ours), resourceKeys(compiled), `${title}: main.bicep and main.json declare different resources`);
      checkLiterals(design, compiled, `${title} (bicep build)`);
    });
    assert.equal(run.status, 0, `bicep build exited with ${run.status}: ${other}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
