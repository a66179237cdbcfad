/**
 * The layer picture of docs/architecture.md, as lint enforces it: every folder of src/ has a lint block of its own,
 * and in each one an import its layer must not make fails lint (checked on a probe file that exists only in memory).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** For each folder of src/: an import its layer forbids. */
const FORBIDDEN: Readonly<Record<string, string>> = {
  schemas: "import { RULES } from '../validation/rules/index.js';",
  model: "import { RULES } from '../validation/rules/index.js';",
  x509: "import { analyze } from '../validation/analyze.js';",
  document: "import { readFileSync } from 'node:fs';",
  validation: "import { runCli } from '../cli/run.js';",
  generators: "import { RuleContext } from '../validation/context.js';",
  designs: "import { readFileSync } from 'node:fs';",
  pki: "import { RULES } from '../validation/rules/index.js';",
  trace: "import { writeGenerated } from '../workspace/generated.js';",
  rehearsal: "import * as vscode from 'vscode';",
  deploy: "import * as vscode from 'vscode';",
  workspace: "import { runCli } from '../cli/run.js';",
  cli: "import * as vscode from 'vscode';",
  extension: "import { runCli } from '../cli/run.js';",
  webview: "import { readFileSync } from 'node:fs';",
};

const folders = readdirSync(join(root, 'src')).filter((name) => statSync(join(root, 'src', name)).isDirectory());

test('every folder of src/ is named here with an import its layer forbids', () => {
  assert.deepEqual([...folders].sort(), Object.keys(FORBIDDEN).sort(), 'a folder was added or removed: give it a lint block and a probe here');
});

for (const folder of folders) {
  test(`src/${folder}: lint refuses an import its layer must not make`, async () => {
    const probe = FORBIDDEN[folder];
    assert.ok(probe, `no probe for src/${folder}`);
    const filePath = join(root, 'src', folder, '__layer_probe__.ts');
    const config = (await eslint.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
    assert.ok(config.rules?.['no-restricted-imports'], `src/${folder} has no no-restricted-imports block`);
    const [result] = await eslint.lintText(`${probe}\nexport const probe = 1;\n`, { filePath });
    const refused = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    assert.equal(refused.length, 1, `src/${folder} accepted: ${probe}\n${JSON.stringify(result!.messages)}`);
  });
}

test('an allowed import passes lint (the probe is not refused for being a probe)', async () => {
  const [result] = await eslint.lintText("import { z } from 'zod';\nexport const probe = z.string();\n", { filePath: join(root, 'src', 'schemas', '__layer_probe__.ts') });
  assert.deepEqual(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports'), []);
});
