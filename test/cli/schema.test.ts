/**
 * The published JSON Schema (schemas/gatewright.schema.json): generated from the zod model, committed,
 * registered for *.gatewright.yaml in package.json, and it accepts and rejects what the model does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';
import { blankDesign, referenceDesign } from '../../src/designs/reference.js';
import { DesignSchema } from '../../src/schemas/design.js';
import { designJsonSchema, designJsonSchemaText, SCHEMA_FILE } from '../../scripts/gen-schema.js';
import { mutateReference, setAt, append } from '../helpers/reference.js';

const root = join(import.meta.dirname, '..', '..');

function compile(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats.default(ajv);
  return ajv.compile(designJsonSchema());
}

const yamlToJs = (text: string): unknown => parseDocument(text).toJS();

test('the committed schema is exactly what the zod model generates (run `npm run schema` after changing src/schemas)', () => {
  assert.ok(existsSync(SCHEMA_FILE), `${SCHEMA_FILE} is missing: run npm run schema`);
  assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), designJsonSchemaText());
});

test('the schema is draft-07 with an id, a title and a description', () => {
  const schema = designJsonSchema();
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof schema.$id, 'string');
  assert.equal(typeof schema.title, 'string');
  assert.equal(typeof schema.description, 'string');
  assert.deepEqual(schema.required, ['apiVersion', 'kind', 'metadata', 'nodes']);
});

test('package.json registers the schema for *.gatewright.yaml', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes?: { yamlValidation?: Array<{ fileMatch: string | string[]; url: string }> };
  };
  const entry = pkg.contributes?.yamlValidation?.find((v) => [v.fileMatch].flat().includes('*.gatewright.yaml'));
  assert.ok(entry, 'no yamlValidation entry for *.gatewright.yaml');
  assert.equal(entry.url, './schemas/gatewright.schema.json');
  assert.ok(existsSync(join(root, entry.url)));
});

test('ajv compiles the schema in strict mode', () => {
  assert.doesNotThrow(compile);
});

test('the reference design and the blank design validate against the schema', () => {
  const validate = compile();
  for (const [name, text] of [
    ['reference', referenceDesign()],
    ['reference renamed', referenceDesign('orders-eu', 'northeurope')],
    ['blank', blankDesign()],
  ] as const) {
    const ok = validate(yamlToJs(text));
    assert.ok(ok, `${name}: ${JSON.stringify(validate.errors)}`);
  }
});

test('the schema rejects what the zod model rejects', () => {
  const validate = compile();
  const cases: Record<string, string> = {
    'unknown node type': mutateReference((doc) => setAt(doc, ['nodes', 'sentinel', 'type'], 'siemThing')),
    'unknown property': mutateReference((doc) => setAt(doc, ['nodes', 'apim', 'properties', 'skuu'], 'Premium')),
    'wrong type': mutateReference((doc) => setAt(doc, ['nodes', 'kv', 'properties', 'purgeProtection'], 'yes')),
    'bad enum value': mutateReference((doc) => setAt(doc, ['nodes', 'appgw', 'properties', 'sku'], 'WAF_v3')),
    'mtls edge without client certificate': mutateReference((doc) => append(doc, 'edges', { from: 'apim', to: 'aks', type: 'mtls', id: 'second' })),
    'bad design name': mutateReference((doc) => doc.setIn(['metadata', 'name'], 'Payments!')),
    'wrong apiVersion': mutateReference((doc) => doc.set('apiVersion', 'gatewright/v2')),
  };
  for (const [name, text] of Object.entries(cases)) {
    const raw = yamlToJs(text);
    assert.equal(DesignSchema.safeParse(raw).success, false, `${name}: the zod model should reject it`);
    assert.equal(validate(raw), false, `${name}: the JSON Schema accepts it`);
  }
});

test('an unknown node type is reported at the node', () => {
  const validate = compile();
  validate(yamlToJs(mutateReference((doc) => setAt(doc, ['nodes', 'sentinel', 'type'], 'siemThing'))));
  assert.ok(validate.errors?.some((e) => /^\/nodes\/\d+/.test(e.instancePath)), JSON.stringify(validate.errors));
});
