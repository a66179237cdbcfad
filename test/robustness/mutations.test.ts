/**
 * Robustness: thousands of random mutations of the reference design, structural (the parsed object changed,
 * serialized back to YAML) and textual (characters and lines of the YAML changed). On every one, analyze()
 * never throws, no rule crashes (GW000), and every finding that must point into the file does, inside it.
 *
 * The seed is fixed under CI (reproducible) and random otherwise; it is printed either way, and fast-check
 * prints the seed and path of any failure. Replay: GATEWRIGHT_SEED=<seed> npm test -- robustness
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { EDGE_TYPES, NODE_TYPES } from '../../src/schemas/design.js';
import type { Finding } from '../../src/schemas/finding.js';
import { analyze } from '../../src/validation/analyze.js';
import { INTERNAL_RULE_ID } from '../../src/validation/engine.js';
import { RULE_CATALOG } from '../../src/validation/rules/index.js';
import { REFERENCE } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const CI_SEED = 20261127;
const SEED = process.env.GATEWRIGHT_SEED ? Number(process.env.GATEWRIGHT_SEED) : process.env.CI ? CI_SEED : Date.now() ^ (Math.random() * 0x7fffffff);
const STRUCTURAL_RUNS = 5000;
const TEXTUAL_RUNS = 4000;
const MIXED_RUNS = 1000;

const KNOWN_RULES = new Set(RULE_CATALOG.map((r) => r.id));
const LOCATED_ALWAYS = new Set(['GW001', 'GW002']);

// ---------------------------------------------------------------- the invariant

/** Line lengths as the YAML parser counts lines (a line ends at "\n"). */
function lineLengths(text: string): number[] {
  return text.split('\n').map((l) => l.length);
}

function inside(lines: number[], line: number, column: number): boolean {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1 || line > lines.length) return false;
  return column <= lines[line - 1]! + 1;
}

function checkFindings(text: string, findings: readonly Finding[]): void {
  const lines = lineLengths(text);
  for (const f of findings) {
    assert.notEqual(f.ruleId, INTERNAL_RULE_ID, `a rule crashed: ${f.message}`);
    assert.ok(KNOWN_RULES.has(f.ruleId), `finding with a rule id missing from RULE_CATALOG: ${f.ruleId}`);
    assert.ok(['error', 'warning', 'info'].includes(f.severity), `bad severity ${f.severity}`);
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0, `${f.ruleId}: empty message`);
    const mustLocate = f.target.kind !== 'document' || LOCATED_ALWAYS.has(f.ruleId);
    if (mustLocate) assert.ok(f.location, `${f.ruleId} finding on ${f.target.kind} ${f.target.id ?? ''} has no location: ${f.message}`);
    if (f.location) {
      const { line, column, endLine, endColumn } = f.location;
      assert.ok(inside(lines, line, column), `${f.ruleId}: start ${line}:${column} is outside the file (${lines.length} lines)`);
      assert.ok(inside(lines, endLine, endColumn), `${f.ruleId}: end ${endLine}:${endColumn} is outside the file`);
      assert.ok(endLine > line || (endLine === line && endColumn >= column), `${f.ruleId}: end before start`);
    }
  }
}

function checkText(text: string): void {
  let findings: Finding[];
  try {
    findings = analyze(text, { now: NOW }).findings;
  } catch (e) {
    throw new Error(`analyze threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
  checkFindings(text, findings);
}

// ---------------------------------------------------------------- structural mutations

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Seg = string | number;

const REFERENCE_OBJECT = parseDocument(REFERENCE).toJS() as { [key: string]: Json };

/** Every path in the object, containers included (the root is []). */
function paths(value: Json, prefix: Seg[] = [], out: Seg[][] = []): Seg[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** Leaf values of the reference: ids, enum values, numbers that make type-correct but wrong replacements. */
const POOL: Json[] = paths(REFERENCE_OBJECT)
  .map((p) => get(REFERENCE_OBJECT, p))
  .filter((v): v is Json => v === null || typeof v !== 'object');

function get(root: Json, path: Seg[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[seg as number] : (cur as Record<string, Json>)[seg as string];
  }
  return cur;
}

function setAt(root: Json, path: Seg[], value: Json): void {
  const parent = get(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent[last as number] = value;
  else if (parent && typeof parent === 'object') Object.defineProperty(parent, String(last), { value, enumerable: true, writable: true, configurable: true });
}

function deleteAt(root: Json, path: Seg[]): void {
  const parent = get(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else if (parent && typeof parent === 'object') delete (parent as Record<string, Json>)[last as string];
}

const SECTIONS = ['nodes', 'edges', 'certificates'] as const;

const key = fc.oneof(
  fc.constantFrom('id', 'type', 'properties', 'from', 'to', 'sku', 'certificate', 'clientCertificate', 'trustedCa', 'issuer', 'role', 'file'),
  fc.string({ maxLength: 8 }),
);
const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom<Json>(...NODE_TYPES, ...EDGE_TYPES, 'unknownType', '', '1.2', '1.0', 'Basic', 'Detection', 'self', 'external'),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(key, fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
);

type Structural =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'pool'; at: number; from: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'duplicate'; section: (typeof SECTIONS)[number]; at: number }
  | { op: 'removeEntry'; section: (typeof SECTIONS)[number]; at: number }
  | { op: 'retype'; section: 'nodes' | 'edges'; at: number; type: string }
  | { op: 'addKey'; at: number; key: string; value: Json };

const at = fc.nat();
const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at }),
  fc.record({ op: fc.constant('replace' as const), at, value: randomValue }),
  fc.record({ op: fc.constant('pool' as const), at, from: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), a: at, b: at }),
  fc.record({ op: fc.constant('duplicate' as const), section: fc.constantFrom(...SECTIONS), at }),
  fc.record({ op: fc.constant('removeEntry' as const), section: fc.constantFrom(...SECTIONS), at }),
  fc.record({
    op: fc.constant('retype' as const),
    section: fc.constantFrom('nodes' as const, 'edges' as const),
    at,
    type: fc.oneof(fc.constantFrom(...NODE_TYPES, ...EDGE_TYPES), fc.string({ maxLength: 10 })),
  }),
  fc.record({ op: fc.constant('addKey' as const), at, key, value: randomValue }),
);

function applyStructural(root: Json, m: Structural): void {
  const all = paths(root).slice(1); // never the root itself
  if (all.length === 0) return;
  const pick = (n: number) => all[n % all.length]!;
  switch (m.op) {
    case 'delete':
      return deleteAt(root, pick(m.at));
    case 'replace':
      return setAt(root, pick(m.at), structuredClone(m.value));
    case 'pool':
      return setAt(root, pick(m.at), POOL[m.from % POOL.length]!);
    case 'swap': {
      const a = pick(m.a);
      const b = pick(m.b);
      // Swapping a value with one inside it would build a cycle.
      if (isPrefix(a, b) || isPrefix(b, a)) return;
      const va = structuredClone(get(root, a)!);
      const vb = structuredClone(get(root, b)!);
      setAt(root, a, vb);
      setAt(root, b, va);
      return;
    }
    case 'duplicate':
    case 'removeEntry':
    case 'retype': {
      const list = get(root, [m.section]);
      if (!Array.isArray(list) || list.length === 0) return;
      const i = m.at % list.length;
      if (m.op === 'duplicate') list.splice(i, 0, structuredClone(list[i]!));
      else if (m.op === 'removeEntry') list.splice(i, 1);
      else {
        const entry = list[i];
        if (entry && typeof entry === 'object' && !Array.isArray(entry)) entry.type = m.type;
      }
      return;
    }
    case 'addKey': {
      const containers = all.filter((p) => {
        const v = get(root, p);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (containers.length === 0) return;
      setAt(root, [...containers[m.at % containers.length]!, m.key], structuredClone(m.value));
      return;
    }
  }
}

function isPrefix(a: Seg[], b: Seg[]): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}

function structuralText(mutations: Structural[]): string {
  const root = structuredClone(REFERENCE_OBJECT) as Json;
  for (const m of mutations) applyStructural(root, m);
  return stringify(root);
}

// ---------------------------------------------------------------- textual mutations

const YAML_CHARS = [':', '-', ' ', '  ', '\n', '\t', '"', "'", '{', '}', '[', ']', ',', '&a', '*a', '!!str', '!', '#', '|', '>', '%', '@', '`', '?', '\\', '\r\n', '\u00a0', '\ufeff', 'é', '😀', 'x', '0', 'null', '~', '<<: *a'];
const snippet = fc.oneof(fc.constantFrom(...YAML_CHARS), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 }));

type Textual =
  | { op: 'deleteChars'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'replaceChar'; at: number; text: string }
  | { op: 'deleteLine'; at: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'insertLine'; at: number; text: string }
  | { op: 'indent'; at: number; by: number }
  | { op: 'truncate'; at: number };

const textual: fc.Arbitrary<Textual> = fc.oneof(
  fc.record({ op: fc.constant('deleteChars' as const), at, length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('insert' as const), at, text: snippet }),
  fc.record({ op: fc.constant('replaceChar' as const), at, text: snippet }),
  fc.record({ op: fc.constant('deleteLine' as const), at }),
  fc.record({ op: fc.constant('duplicateLine' as const), at }),
  fc.record({ op: fc.constant('swapLines' as const), a: at, b: at }),
  fc.record({ op: fc.constant('insertLine' as const), at, text: fc.oneof(snippet, fc.constantFrom('  - id: x', '    type: bogus', 'nodes: []', '  - { from: a, to: b, type: https }', '---', '...')) }),
  fc.record({ op: fc.constant('indent' as const), at, by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at }),
);

function applyTextual(text: string, m: Textual): string {
  const pos = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  const lines = text.split('\n');
  const line = (n: number) => n % lines.length;
  switch (m.op) {
    case 'deleteChars': {
      const p = pos(m.at);
      return text.slice(0, p) + text.slice(p + m.length);
    }
    case 'insert': {
      const p = pos(m.at);
      return text.slice(0, p) + m.text + text.slice(p);
    }
    case 'replaceChar': {
      const p = pos(m.at);
      return text.slice(0, p) + m.text + text.slice(p + 1);
    }
    case 'deleteLine':
      lines.splice(line(m.at), 1);
      return lines.join('\n');
    case 'duplicateLine': {
      const i = line(m.at);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swapLines': {
      const a = line(m.a);
      const b = line(m.b);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'insertLine':
      lines.splice(line(m.at), 0, m.text);
      return lines.join('\n');
    case 'indent': {
      const i = line(m.at);
      const l = lines[i]!;
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + l : l.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, pos(m.at));
  }
}

function textualText(mutations: Textual[], base = REFERENCE): string {
  return mutations.reduce(applyTextual, base);
}

// ---------------------------------------------------------------- the properties

const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: false });

test(`structural mutations of the reference design never break analyze (seed ${SEED})`, (t) => {
  t.diagnostic(`seed ${SEED}; replay with GATEWRIGHT_SEED=${SEED}`);
  fc.assert(
    fc.property(fc.array(structural, { minLength: 1, maxLength: 4 }), (mutations) => {
      checkText(structuralText(mutations));
    }),
    params(STRUCTURAL_RUNS),
  );
});

test(`textual mutations of the reference YAML never break analyze (seed ${SEED})`, (t) => {
  t.diagnostic(`seed ${SEED}; replay with GATEWRIGHT_SEED=${SEED}`);
  fc.assert(
    fc.property(fc.array(textual, { minLength: 1, maxLength: 5 }), (mutations) => {
      checkText(textualText(mutations));
    }),
    params(TEXTUAL_RUNS),
  );
});

test(`structural then textual mutations never break analyze (seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.array(structural, { minLength: 1, maxLength: 3 }), fc.array(textual, { minLength: 1, maxLength: 3 }), (s, tx) => {
      checkText(textualText(tx, structuralText(s)));
    }),
    params(MIXED_RUNS),
  );
});

test('the invariant itself holds on the reference and on a broken file, and catches a location outside the file', () => {
  checkText(REFERENCE);
  const broken = REFERENCE.replace('type: apiManagement', 'type: [apiManagement');
  const findings = analyze(broken, { now: NOW }).findings;
  assert.ok(findings.length > 0);
  checkFindings(broken, findings);
  assert.ok(findings.every((f) => f.location));
  assert.throws(() => checkFindings('a: 1\n', [{ ruleId: 'GW002', severity: 'error', message: 'x', target: { kind: 'document' }, location: { line: 3, column: 1, endLine: 3, endColumn: 1 } }]));
});
