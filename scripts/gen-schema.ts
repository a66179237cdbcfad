/**
 * Generates the published JSON Schema of design files, schemas/gatewright.schema.json, from the zod model
 * (src/schemas/design.ts), so the two cannot drift (test/cli/schema.test.ts compares them).
 * Usage: npm run schema            writes the file
 *        npm run schema -- --check  exits 1 when the committed file is not what the model generates
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DesignSchema } from '../src/schemas/design.js';

export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'gatewright.schema.json');
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

function main(args: string[]): number {
  const text = designJsonSchemaText();
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing: reported below
    }
    if (current === text) return 0;
    console.error(`${SCHEMA_FILE} is out of date: run npm run schema`);
    return 1;
  }
  mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, text);
  console.log(`wrote ${SCHEMA_FILE}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
