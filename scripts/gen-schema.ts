/**
 * Generates the published JSON Schema of design files, schemas/gatewright.schema.json, and the property tables of
 * docs/design-format.md from the zod model (src/schemas/design.ts), so that none of them can drift
 * (test/cli/schema.test.ts and test/cli/design-doc.test.ts compare them).
 * Usage: npm run schema            writes both files
 *        npm run schema -- --check  exits 1 when a committed file is not what the model generates
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DesignSchema } from '../src/schemas/design.js';
import { withPropertyTables } from './design-doc.js';

export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'gatewright.schema.json');
export const DOC_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'design-format.md');
export const SCHEMA_ID = 'urn:gatewright:schema:design:v1';

/** The JSON Schema (draft-07) of what a user may write in a `*.gatewright.yaml` file. */
export function designJsonSchema(): Record<string, unknown> {
  // io "input": what may be written (defaults make properties optional), not what the parser returns.
  const { $schema, ...rest } = z.toJSONSchema(DesignSchema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'Gatewright design',
    description:
      'A Gatewright architecture (design format v1): Application Gateway (WAF) -> API Management -> mutual TLS -> private AKS ingress, ' +
      'with its certificates and platform services. Files are named *.gatewright.yaml. Generated from the zod model; do not edit.',
    ...rest,
  };
}

export function designJsonSchemaText(): string {
  return `${JSON.stringify(designJsonSchema(), null, 2)}\n`;
}

/** docs/design-format.md with its property tables as the model gives them (the prose as committed). */
export function designDocText(): string {
  return withPropertyTables(readFileSync(DOC_FILE, 'utf8'), designJsonSchema());
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // missing: reported as out of date
  }
}

function main(args: string[]): number {
  const outputs: Array<[string, string]> = [
    [SCHEMA_FILE, designJsonSchemaText()],
    [DOC_FILE, designDocText()],
  ];
  if (args.includes('--check')) {
    const stale = outputs.filter(([file, text]) => readOrEmpty(file) !== text);
    for (const [file] of stale) console.error(`${file} is out of date: run npm run schema`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [file, text] of outputs) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
