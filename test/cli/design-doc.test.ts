/**
 * docs/design-format.md is the contract of the design format: its property tables are written from the zod model
 * and must be exactly what the model gives today, and every part of the model must be in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_FILE, designDocText, designJsonSchema } from '../../scripts/gen-schema.js';
import { propertyTables, withPropertyTables, DOC_START, DOC_END } from '../../scripts/design-doc.js';
import { NODE_TYPES, EDGE_TYPES, NODE_PROPERTY_SCHEMAS, EDGE_PROPERTY_SCHEMAS, CertificateSchema } from '../../src/schemas/design.js';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(DOC_FILE, 'utf8');

test('docs/design-format.md is in step with the model (run `npm run schema` after changing src/schemas)', () => {
  assert.equal(doc, designDocText());
});

test('the document has a table for every node type, edge type and the certificates, with every property', () => {
  for (const type of NODE_TYPES) {
    assert.ok(doc.includes(`### Node \`${type}\``), `node type ${type} is not documented`);
    for (const key of Object.keys(NODE_PROPERTY_SCHEMAS[type].shape)) {
      assert.match(doc, new RegExp(`### Node \`${type}\`[^#]*\\| \`${key}\` \\|`), `${type}.${key} is not documented`);
    }
  }
  for (const type of EDGE_TYPES) {
    assert.ok(doc.includes(`### Edge \`${type}\``), `edge type ${type} is not documented`);
    for (const key of Object.keys(EDGE_PROPERTY_SCHEMAS[type].shape)) {
      assert.match(doc, new RegExp(`### Edge \`${type}\`[^#]*\\| \`${key}\` \\|`), `${type}.${key} is not documented`);
    }
  }
  for (const key of Object.keys(CertificateSchema.shape)) {
    assert.match(doc, new RegExp(`### Certificate[^#]*\\| \`${key}\` \\|`), `certificate ${key} is not documented`);
  }
});

test('every documented property says what it means', () => {
  const rows = propertyTables(designJsonSchema())
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  assert.ok(rows.length > 50, `only ${rows.length} property rows`);
  const bare = rows.filter((row) => /\|\s*\|$/.test(row));
  assert.deepEqual(bare, [], 'properties without a .describe() in src/schemas/design.ts');
});

test('a property added to the model makes the document stale until it is regenerated', () => {
  const schema = designJsonSchema() as { properties: { metadata: { properties: Record<string, unknown> } } };
  schema.properties.metadata.properties.owner = { type: 'string', description: 'Who runs it.' };
  const regenerated = withPropertyTables(doc, schema);
  assert.notEqual(regenerated, doc);
  assert.ok(regenerated.includes('| `owner` | string | optional | Who runs it. |'));
  assert.throws(() => withPropertyTables(doc.replace(DOC_END, ''), schema), /markers/);
  assert.ok(doc.indexOf(DOC_START) < doc.indexOf(DOC_END));
});

test('the README links the design format and the repository cites no file outside itself for it', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes('(docs/design-format.md)'), 'README does not link docs/design-format.md');
  assert.ok(readme.includes('(docs/architecture.md)'), 'README does not link docs/architecture.md');
  assert.ok(!readme.includes('shared/spec/design-format.md'), 'README still cites ../shared/spec');
});
