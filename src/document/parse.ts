/**
 * Reads a design from YAML text, keeping source ranges, so that every syntax error, schema violation and
 * rule finding can point at a line and column. Pure: text in, model and findings out.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import {
  API_VERSION,
  CertificateSchema,
  DesignSchema,
  EdgeSchema,
  KIND,
  MetadataSchema,
  NODE_TYPES,
  NodeSchema,
  PositionSchema,
  EDGE_TYPES,
  EDGE_PROPERTY_SCHEMAS,
  NODE_PROPERTY_SCHEMAS,
  type Design,
  type Position,
} from '../schemas/design.js';
import type { Finding, Location, Target } from '../schemas/finding.js';
import type { Path } from '../schemas/operations.js';
import { readYaml } from './read-yaml.js';
import { duplicateKey } from './duplicate-keys.js';
import { errorMessage } from '../model/error-message.js';

export const SYNTAX_RULE_ID = 'GW001';
export const SCHEMA_RULE_ID = 'GW002';

export interface LocateOptions {
  /** Point at the key of the last path segment instead of its value. */
  readonly key?: boolean;
}

export interface ParsedDesign {
  readonly text: string;
  /** The design when the text parsed as YAML; partial (invalid entries left out) when `complete` is false. */
  readonly design: Design | undefined;
  /** True when the whole file satisfies the schema. */
  readonly complete: boolean;
  /** YAML syntax errors and schema violations, located. */
  readonly findings: Finding[];
  /** Ids of nodes, edges and certificates that exist in the text but failed the schema (left out of `design`). */
  readonly invalidIds: { readonly nodes: ReadonlySet<string>; readonly certificates: ReadonlySet<string> };
  /** The YAML document with source ranges; undefined only for text that could not be read at all. */
  readonly yaml: Document.Parsed | undefined;
  /** The 1-based location of the value (or key) at a path, or of its deepest existing ancestor. */
  locate(path: Path, options?: LocateOptions): Location | undefined;
  /**
   * A path into `design` as a path into the text: when the design is partial, invalid entries were left out and
   * the indexes of the entries after them shifted. Identity for a complete design.
   */
  textPath(path: Path): Path;
}

const identity = (path: Path): Path => path;

/** The last text parsed and its result (read-only for every caller). */
let last: ParsedDesign | undefined;

/**
 * Parses design text. Never throws: every problem becomes a located finding. The result of the last text is
 * kept: the designer draws the shape of an edited design from a parse and the analysis that follows parses the
 * same text, which then costs nothing (parsing is most of the time an analysis takes).
 */
export function parseDesign(text: string): ParsedDesign {
  if (last?.text === text) return last;
  last = parseText(text);
  return last;
}

function parseText(text: string): ParsedDesign {
  const lineCounter = lineCounterOf(text);
  const read = readYaml(text);
  if (read.deep) {
    const deep = read.deep;
    // Not parsed at all: the parser would exhaust the stack (see depth.ts). An empty document stands in for it.
    const empty = parseDocument('');
    const finding: Finding = {
      ruleId: SYNTAX_RULE_ID,
      severity: 'error',
      message: `YAML syntax: ${deep.message}`,
      target: { kind: 'document' },
      location: rangeToLocation(lineCounter, text, deep.offset, deep.offset),
    };
    return {
      text,
      design: undefined,
      complete: false,
      findings: [finding],
      invalidIds: { nodes: new Set(), certificates: new Set() },
      yaml: empty,
      locate: () => finding.location,
      textPath: identity,
    };
  }
  // The parse an edit of this text made is reused (read-yaml.ts). Duplicate keys are found below in linear time; the
  // yaml package's own check is quadratic in a map's size.
  const doc = read.doc;
  const locate = makeLocator(doc, lineCounter, text);
  const toLocation = (start: number, end: number) => rangeToLocation(lineCounter, text, start, end);
  const empty = { nodes: new Set<string>(), certificates: new Set<string>() };

  const syntax: Finding[] = doc.errors.map((e) => ({
    ruleId: SYNTAX_RULE_ID,
    severity: 'error',
    message: `YAML syntax: ${firstLine(e.message)}`,
    target: { kind: 'document' },
    location: toLocation(e.pos[0], e.pos[1]),
  }));
  if (syntax.length === 0) {
    const dup = duplicateKey(doc);
    if (!dup) {
      // Checked on the YAML nodes, before any conversion: a __proto__ key would vanish into the prototype of the
      // converted object, and a lone surrogate is written differently to JSON (\ud800) and to Bicep (U+FFFD).
      const unsafe = unsafeText(doc);
      if (unsafe) {
        return {
          text,
          design: undefined,
          complete: false,
          findings: [{ ruleId: SCHEMA_RULE_ID, severity: 'error', message: unsafe.message, target: { kind: 'document' }, location: toLocation(unsafe.offset, unsafe.offset) }],
          invalidIds: empty,
          yaml: doc,
          locate,
          textPath: identity,
        };
      }
    }
    if (dup) {
      syntax.push({
        ruleId: SYNTAX_RULE_ID,
        severity: 'error',
        message: `YAML syntax: ${dup.message}`,
        target: { kind: 'document' },
        location: toLocation(dup.offset, dup.offset),
      });
    }
  }
  if (syntax.length > 0) {
    return { text, design: undefined, complete: false, findings: syntax, invalidIds: empty, yaml: doc, locate, textPath: identity };
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = errorMessage(e);
    return {
      text,
      design: undefined,
      complete: false,
      findings: [
        { ruleId: SYNTAX_RULE_ID, severity: 'error', message: `YAML: ${message}`, target: { kind: 'document' }, location: locate([]) },
      ],
      invalidIds: empty,
      yaml: doc,
      locate,
      textPath: identity,
    };
  }

  const whole = DesignSchema.safeParse(raw);
  if (whole.success) {
    return { text, design: whole.data, complete: true, findings: [], invalidIds: empty, yaml: doc, locate, textPath: identity };
  }

  const findings = whole.error.issues.map((issue) => issueToFinding(issue, raw, locate));
  const partial = parsePartial(raw);
  return {
    text,
    design: partial.design,
    complete: false,
    findings,
    invalidIds: partial.invalidIds,
    yaml: doc,
    locate,
    textPath: (path) => {
      const [section, index, ...rest] = path;
      if (typeof index !== 'number' || (section !== 'nodes' && section !== 'edges' && section !== 'certificates')) return path;
      const original = partial.indexes[section][index];
      return original === undefined ? path : [section, original, ...rest];
    },
  };
}

// ---------------------------------------------------------------- schema issues

type Issue = z.core.$ZodIssue;

function issueToFinding(issue: Issue, raw: unknown, locate: ParsedDesign['locate']): Finding {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const target = targetOf(path, raw);
  const where = path.length ? `${formatPath(path)}: ` : '';
  let message = `${where}${issue.message}`;
  let location = locate(path);
  let findingPath: Path = path;

  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    message = `${where || 'top level: '}unknown propert${keys.length > 1 ? 'ies' : 'y'} ${keys.map((k) => `"${k}"`).join(', ')}`;
    const allowed = allowedKeys(path, raw);
    if (allowed.length) message += `; allowed: ${allowed.join(', ')}`;
    const first = keys[0];
    if (first !== undefined) {
      findingPath = [...path, first];
      location = locate(findingPath, { key: true }) ?? location;
    }
  } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'type') {
    const typePath = path[path.length - 1] === 'type' ? path : [...path, 'type'];
    const entryPath = typePath.slice(0, -1);
    const value = valueAt(raw, typePath);
    const isNode = path[0] === 'nodes';
    const options = isNode ? NODE_TYPES : EDGE_TYPES;
    const entry = `${formatPath(entryPath)}: `;
    message =
      value === undefined
        ? `${entry}"type" is required: one of ${options.join(', ')}`
        : `${entry}unknown ${isNode ? 'node' : 'edge'} type ${JSON.stringify(value)}; expected one of ${options.join(', ')}`;
    findingPath = typePath;
    location = locate(typePath) ?? location;
  } else if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message;
    message = `${where}invalid key${inner ? `: ${inner}` : ''}`;
    location = locate(path, { key: true }) ?? location;
  } else if (issue.code === 'invalid_value' && path.length === 1 && (path[0] === 'apiVersion' || path[0] === 'kind')) {
    message = `${path[0]} must be "${path[0] === 'apiVersion' ? API_VERSION : KIND}"`;
  } else if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
    message = `${formatPath(path) || 'the document'} is required`;
  }
  return { ruleId: SCHEMA_RULE_ID, severity: 'error', message, target, path: findingPath, location };
}

function allowedKeys(path: Path, raw: unknown): string[] {
  const [section, index, sub] = path;
  if (path.length === 0) return Object.keys(DesignSchema.shape);
  if (path.length === 1 && section === 'metadata') return Object.keys(MetadataSchema.shape);
  if (path.length === 2 && section === 'certificates') return Object.keys(CertificateSchema.shape);
  if (path.length === 2 && section === 'nodes') return ['id', 'type', 'name', 'label', 'properties'];
  if (path.length === 2 && section === 'edges') return ['id', 'from', 'to', 'type', 'properties'];
  if (path.length === 3 && sub === 'properties' && typeof index === 'number') {
    const type = valueAt(raw, [section ?? '', index, 'type']);
    const schemas: Record<string, { shape: object }> =
      section === 'nodes' ? NODE_PROPERTY_SCHEMAS : section === 'edges' ? EDGE_PROPERTY_SCHEMAS : {};
    const schema = typeof type === 'string' && Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    return schema ? Object.keys(schema.shape) : [];
  }
  return [];
}

function targetOf(path: Path, raw: unknown): Target {
  const [section, index] = path;
  if (typeof index === 'number' && (section === 'nodes' || section === 'edges' || section === 'certificates')) {
    const entry = valueAt(raw, [section, index]);
    const kind = section === 'nodes' ? 'node' : section === 'edges' ? 'edge' : 'certificate';
    if (entry && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      if (kind === 'edge') {
        const id = typeof e.id === 'string' ? e.id : typeof e.from === 'string' && typeof e.to === 'string' ? `${e.from}-${e.to}` : undefined;
        return id === undefined ? { kind } : { kind, id };
      }
      if (typeof e.id === 'string') return { kind, id: e.id };
    }
    return { kind };
  }
  return { kind: 'document' };
}

interface Partial {
  design: Design | undefined;
  invalidIds: ParsedDesign['invalidIds'];
  /** For each section, the index in the text of each entry kept in the design. */
  indexes: { nodes: number[]; edges: number[]; certificates: number[] };
}

/** Parses each entry on its own, keeping the valid ones, so rules still run on the rest of a broken file. */
function parsePartial(raw: unknown): Partial {
  const invalidNodes = new Set<string>();
  const invalidCerts = new Set<string>();
  const invalidIds = { nodes: invalidNodes, certificates: invalidCerts };
  const indexes: Partial['indexes'] = { nodes: [], edges: [], certificates: [] };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { design: undefined, invalidIds, indexes };
  const r = raw as Record<string, unknown>;
  const meta = MetadataSchema.safeParse(r.metadata);
  const keep = <T>(list: unknown, schema: z.ZodType<T>, kept: number[], invalid?: Set<string>): T[] => {
    if (!Array.isArray(list)) return [];
    const out: T[] = [];
    for (const [i, item] of list.entries()) {
      const parsed = schema.safeParse(item);
      if (parsed.success) {
        out.push(parsed.data);
        kept.push(i);
      } else if (invalid && item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string') {
        invalid.add((item as { id: string }).id);
      }
    }
    return out;
  };
  const design: Design = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: meta.success
      ? meta.data
      : { name: 'design', location: 'westeurope' },
    certificates: keep(r.certificates, CertificateSchema, indexes.certificates, invalidCerts),
    nodes: keep(r.nodes, NodeSchema, indexes.nodes, invalidNodes),
    edges: keep(r.edges, EdgeSchema, indexes.edges),
  };
  // Valid layout entries are kept, so that a typo elsewhere does not make the canvas lay the design out again.
  if (r.layout && typeof r.layout === 'object' && !Array.isArray(r.layout)) {
    const layout: Record<string, Position> = {};
    for (const [id, value] of Object.entries(r.layout)) {
      const p = PositionSchema.safeParse(value);
      if (p.success) layout[id] = p.data;
    }
    design.layout = layout;
  }
  return { design, invalidIds, indexes };
}

// ---------------------------------------------------------------- locating

function makeLocator(doc: Document.Parsed, lc: LineCounter, text: string): ParsedDesign['locate'] {
  // Each mapping's keys are indexed once, on first use: locating every entry of a large mapping (thousands of
  // layout findings) stays linear instead of searching the mapping for each one. The first pair of a key wins.
  const indexes = new WeakMap<object, Map<string, unknown>>();
  const pairOf = (map: { items: unknown[] }, key: string) => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      indexes.set(map, index);
    }
    return index.get(key) as { key: unknown; value: unknown } | undefined;
  };
  return (path, options) => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = pairOf(node, String(seg));
        if (!pair) break;
        keyNode = pair.key;
        if (pair.value === null || pair.value === undefined) {
          node = pair.key;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined || item === null) break;
        keyNode = undefined;
        node = item;
      } else {
        break;
      }
    }
    const target = (options?.key && keyNode ? keyNode : node) as YamlNode | null | undefined;
    const range = target && typeof target === 'object' && 'range' in target ? target.range : undefined;
    if (!range) return text.length === 0 ? { line: 1, column: 1, endLine: 1, endColumn: 1 } : rangeToLocation(lc, text, 0, 0);
    return rangeToLocation(lc, text, range[0], range[1]);
  };
}

/**
 * Line starts counted from the text itself. The parser's own LineCounter misses the line breaks inside
 * tokens it rejects, which puts error positions after such a token on the wrong line.
 */
function lineCounterOf(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

function rangeToLocation(lc: LineCounter, text: string, start: number, end: number): Location {
  const s = lc.linePos(Math.min(start, text.length));
  const e = lc.linePos(Math.min(Math.max(end, start), text.length));
  return { line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
}

// ---------------------------------------------------------------- helpers

export function valueAt(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** A string with a UTF-16 surrogate that is not half of a pair (YAML can write one as "\ud800"). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first key or value the design cannot hold as written: a mapping key `__proto__` (it would silently
 * disappear from the design and every generated file), or a string with an unpaired surrogate (not a Unicode
 * character: JSON keeps it as an escape, Bicep and YAML writers replace it, so outputs would disagree).
 */
function unsafeText(doc: Document.Parsed): { offset: number; message: string } | undefined {
  let found: { offset: number; message: string } | undefined;
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        found = { offset: pair.key.range?.[0] ?? 0, message: 'the key "__proto__" is refused: it is not a name Gatewright can keep (rename it)' };
        return visit.BREAK;
      }
      return undefined;
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && LONE_SURROGATE.test(node.value)) {
        found = { offset: node.range?.[0] ?? 0, message: 'this text holds an unpaired UTF-16 surrogate (such as "\\ud800"), which is not a character; remove it' };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
