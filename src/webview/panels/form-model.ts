/**
 * Forms derived from the schema: the zod schemas of src/schemas/design.ts are converted with zod 4's
 * `z.toJSONSchema(schema, { io: 'input' })` into a small form model (fields with a kind, a default, a
 * description, bounds, a pattern), which the Inspector renders. Also the pure helpers the panels share:
 * where an element is in the design, the values at a path, client-side validation of typed text, the edit
 * operations a change sends, and the options of reference fields (certificates, key vaults, services).
 * Pure: no React, no DOM.
 */
import { z } from 'zod';
import {
  CertificateSchema,
  EDGE_PROPERTY_SCHEMAS,
  MetadataSchema,
  NODE_PROPERTY_SCHEMAS,
  NodeSchema,
  edgeId,
  type Certificate,
  type Design,
  type DesignEdge,
  type DesignNode,
  type EdgeType,
  type NodeType,
} from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import type { Selection, SelectionItem } from '../selection.js';

// ---------------------------------------------------------------- the model

export type FieldKind = 'enum' | 'boolean' | 'number' | 'string' | 'array-of-string' | 'array-of-object' | 'object' | 'record';

export type CertificateRole = Certificate['role'];

/** A string field whose value names something else in the design: offered as a select of what exists. */
export type Reference =
  | { readonly to: 'certificate'; readonly role: CertificateRole }
  | { readonly to: 'issuer' }
  | { readonly to: 'node'; readonly nodeType: NodeType }
  | { readonly to: 'service' };

interface FieldCommon {
  /** The property name. */
  readonly key: string;
  /**
   * Where the value is, relative to the edit target (['properties', 'ingress', 'verifyDepth']); for the
   * fields of a list item, relative to the item (['name']).
   */
  readonly path: Path;
  readonly label: string;
  readonly description?: string;
  /** No default and not optional: the schema needs a value. */
  readonly required: boolean;
  /** Whether the schema gives a default (the value when the key is absent). */
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

export interface EnumField extends FieldCommon {
  readonly kind: 'enum';
  readonly options: readonly string[];
}
export interface BooleanField extends FieldCommon {
  readonly kind: 'boolean';
}
export interface NumberField extends FieldCommon {
  readonly kind: 'number';
  readonly integer: boolean;
  readonly min?: number;
  readonly max?: number;
}
/** Constraints of a single string (a string field, or an item of a list of strings). */
export interface StringRules {
  readonly pattern?: string;
  /** The schema's own words for a pattern mismatch ("must be a fully qualified DNS name"). */
  readonly patternMessage?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  readonly ref?: Reference;
}
export interface StringField extends FieldCommon, StringRules {
  readonly kind: 'string';
}
export interface StringListField extends FieldCommon {
  readonly kind: 'array-of-string';
  /** Items are strings obeying these rules; `options` when the items are an enum (zones, Defender plans). */
  readonly item: StringRules & { readonly options?: readonly string[] };
}
export interface ObjectListField extends FieldCommon {
  readonly kind: 'array-of-object';
  /** The columns; their paths are relative to an item. */
  readonly fields: readonly Field[];
}
export interface ObjectField extends FieldCommon {
  readonly kind: 'object';
  /** Nested fields; their paths are relative to the edit target, like every field outside a list. */
  readonly fields: readonly Field[];
}
export interface RecordField extends FieldCommon {
  readonly kind: 'record';
  /** Rules for the values (keys are free strings). */
  readonly value: StringRules;
}

export type Field = EnumField | BooleanField | NumberField | StringField | StringListField | ObjectListField | ObjectField | RecordField;

/** A minimal view of the JSON Schema zod 4 emits for our schemas. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  /** Added by toFormSchema: the message the zod schema gives when the pattern does not match. */
  'x-pattern-message'?: string;
}

/** Where a schema's fields live, which decides which string fields are references. */
export type Scope = 'node' | 'edge' | 'certificate' | 'metadata';

const CERT_REF_ROLES: Readonly<Record<string, CertificateRole>> = {
  certificate: 'server',
  serverCertificate: 'server',
  clientCa: 'ca',
  trustedCa: 'ca',
  clientCertificate: 'client',
};

function referenceFor(scope: Scope, parents: readonly string[], key: string): Reference | undefined {
  const role = CERT_REF_ROLES[key];
  if (role && scope !== 'certificate') return { to: 'certificate', role };
  if (scope === 'certificate' && key === 'issuer') return { to: 'issuer' };
  if (scope === 'certificate' && key === 'keyVault') return { to: 'node', nodeType: 'keyVault' };
  if (scope === 'edge' && key === 'identity') return { to: 'node', nodeType: 'managedIdentity' };
  if (scope === 'node' && parents[parents.length - 1] === 'apis' && key === 'service') return { to: 'service' };
  return undefined;
}

/** Reads the message of a zod regex check, if the schema node has one (zod internals, guarded). */
function patternMessageOf(schema: unknown): string | undefined {
  const def = (schema as { _zod?: { def?: { checks?: unknown[] } } })._zod?.def;
  for (const check of def?.checks ?? []) {
    const cdef = (check as { _zod?: { def?: { format?: unknown; error?: unknown } } })._zod?.def;
    if (cdef?.format !== 'regex' || typeof cdef.error !== 'function') continue;
    try {
      const message: unknown = (cdef.error as (issue: unknown) => unknown)({ code: 'invalid_format', format: 'regex', input: '' });
      if (typeof message === 'string' && message) return message;
    } catch {
      // no usable message: the generic one is used
    }
  }
  return undefined;
}

/** The input JSON Schema of a zod schema, with each pattern's own message kept as `x-pattern-message`. */
export function toFormSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const message = patternMessageOf(ctx.zodSchema);
      if (message && typeof ctx.jsonSchema.pattern === 'string') ctx.jsonSchema['x-pattern-message'] = message;
    },
  }) as JsonSchema;
}

const ACRONYMS: Readonly<Record<string, string>> = {
  api: 'API',
  apis: 'APIs',
  ca: 'CA',
  dns: 'DNS',
  id: 'ID',
  ids: 'IDs',
  ip: 'IP',
  rbac: 'RBAC',
  sku: 'SKU',
  tls: 'TLS',
  vm: 'VM',
  waf: 'WAF',
  url: 'URL',
  aks: 'AKS',
};

/** "minTlsVersion" -> "Min TLS version". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const first = words[0];
  if (first === undefined) return key;
  words[0] = first === first.toLowerCase() ? first.charAt(0).toUpperCase() + first.slice(1) : first;
  return words.join(' ');
}

const SAFE = Number.MAX_SAFE_INTEGER;

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

function stringRules(s: JsonSchema, ref: Reference | undefined): StringRules {
  const rules: {
    pattern?: string;
    patternMessage?: string;
    minLength?: number;
    maxLength?: number;
    format?: string;
    ref?: Reference;
  } = {};
  if (s.pattern !== undefined) rules.pattern = s.pattern;
  if (s['x-pattern-message'] !== undefined) rules.patternMessage = s['x-pattern-message'];
  if (s.minLength !== undefined) rules.minLength = s.minLength;
  if (s.maxLength !== undefined) rules.maxLength = s.maxLength;
  if (s.format !== undefined) rules.format = s.format;
  if (ref) rules.ref = ref;
  return rules;
}

function stringEnum(s: JsonSchema): string[] | undefined {
  return s.enum && s.enum.every((v) => typeof v === 'string') ? (s.enum as string[]) : undefined;
}

/**
 * The fields of an object schema. `base` prefixes every path (['properties'] for node properties);
 * `parents` are the property names above (for references: `service` in `apis`).
 */
export function fieldsOf(schema: JsonSchema, base: Path, scope: Scope, parents: readonly string[] = []): Field[] {
  const required = new Set(schema.required ?? []);
  const fields: Field[] = [];
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const field = fieldOf(key, s, [...base, key], required.has(key), scope, parents);
    if (field) fields.push(field);
  }
  return fields;
}

function fieldOf(key: string, s: JsonSchema, path: Path, inRequired: boolean, scope: Scope, parents: readonly string[]): Field | undefined {
  if (s.const !== undefined) return undefined; // a discriminator (`type`): not editable
  const hasDefault = s.default !== undefined;
  const common = {
    key,
    path,
    label: humanize(key),
    required: inRequired && !hasDefault,
    hasDefault,
    ...(hasDefault ? { default: s.default } : {}),
    ...(s.description ? { description: s.description } : {}),
  };
  const options = stringEnum(s);
  if (options) return { ...common, kind: 'enum', options };
  switch (typeOf(s)) {
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'integer':
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum;
      const max = s.maximum ?? s.exclusiveMaximum;
      return {
        ...common,
        kind: 'number',
        integer: typeOf(s) === 'integer',
        ...(min !== undefined && Math.abs(min) < SAFE ? { min } : {}),
        ...(max !== undefined && Math.abs(max) < SAFE ? { max } : {}),
      };
    }
    case 'string':
      return { ...common, kind: 'string', ...stringRules(s, referenceFor(scope, parents, key)) };
    case 'array': {
      const items = s.items ?? {};
      if (typeOf(items) === 'object') {
        return { ...common, kind: 'array-of-object', fields: fieldsOf(items, [], scope, [...parents, key]) };
      }
      const itemOptions = stringEnum(items);
      const item = { ...stringRules(items, referenceFor(scope, parents, key)), ...(itemOptions ? { options: itemOptions } : {}) };
      return { ...common, kind: 'array-of-string', item };
    }
    case 'object': {
      if (s.properties && Object.keys(s.properties).length > 0) {
        return { ...common, kind: 'object', fields: fieldsOf(s, path, scope, [...parents, key]) };
      }
      const value = typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      return { ...common, kind: 'record', value: stringRules(value, undefined) };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- the forms of the design's elements

export interface FormModel {
  /** Fields every element of the kind has (a node's id, name and label; a certificate's own fields). */
  readonly general: readonly Field[];
  /** The type's properties (['properties', ...]); empty when the type has none. */
  readonly properties: readonly Field[];
}

const nodeForms = new Map<NodeType, FormModel>();
const edgeForms = new Map<EdgeType, FormModel>();
let certificateForm: FormModel | undefined;
let metadataForm: FormModel | undefined;

/** The form of a node type: id, name and label, then its properties (NODE_PROPERTY_SCHEMAS[type]). */
export function nodeFormModel(type: NodeType): FormModel {
  let model = nodeForms.get(type);
  if (!model) {
    const nodeSchema = NodeSchema.options.find((o) => o.shape.type.value === type);
    const base = nodeSchema ? fieldsOf(toFormSchema(nodeSchema), [], 'node').filter((f) => f.key !== 'properties') : [];
    const properties = fieldsOf(toFormSchema(NODE_PROPERTY_SCHEMAS[type]), ['properties'], 'node');
    model = { general: base, properties };
    nodeForms.set(type, model);
  }
  return model;
}

/** The form of an edge type: its properties (EDGE_PROPERTY_SCHEMAS[type]); from, to and type are structural. */
export function edgeFormModel(type: EdgeType): FormModel {
  let model = edgeForms.get(type);
  if (!model) {
    model = { general: [], properties: fieldsOf(toFormSchema(EDGE_PROPERTY_SCHEMAS[type]), ['properties'], 'edge') };
    edgeForms.set(type, model);
  }
  return model;
}

/** The form of a certificate (CertificateSchema). */
export function certificateFormModel(): FormModel {
  certificateForm ??= { general: fieldsOf(toFormSchema(CertificateSchema), [], 'certificate'), properties: [] };
  return certificateForm;
}

/** The form of the design's metadata (MetadataSchema). */
export function metadataFormModel(): FormModel {
  metadataForm ??= { general: fieldsOf(toFormSchema(MetadataSchema), [], 'metadata'), properties: [] };
  return metadataForm;
}

// ---------------------------------------------------------------- elements and paths

export type { SelectionItem };

export type Element =
  | { readonly kind: 'node'; readonly id: string; readonly index: number; readonly node: DesignNode }
  | { readonly kind: 'edge'; readonly id: string; readonly index: number; readonly edge: DesignEdge }
  | { readonly kind: 'certificate'; readonly id: string; readonly index: number; readonly certificate: Certificate };

/** The selected element in the design, with its index in its section; undefined when it is not there. */
export function findElement(design: Design, item: SelectionItem): Element | undefined {
  switch (item.kind) {
    case 'node': {
      const index = design.nodes.findIndex((n) => n.id === item.id);
      const node = design.nodes[index];
      return node ? { kind: 'node', id: item.id, index, node } : undefined;
    }
    case 'edge': {
      const index = design.edges.findIndex((e) => edgeId(e) === item.id);
      const edge = design.edges[index];
      return edge ? { kind: 'edge', id: item.id, index, edge } : undefined;
    }
    case 'certificate': {
      const index = design.certificates.findIndex((c) => c.id === item.id);
      const certificate = design.certificates[index];
      return certificate ? { kind: 'certificate', id: item.id, index, certificate } : undefined;
    }
  }
}

const SECTION = { node: 'nodes', edge: 'edges', certificate: 'certificates' } as const;

/**
 * The path of an element from the document root (['nodes', 3]), for revealInText; `rest` goes below it.
 * The index is the element's position in the design as sent, which is the document's while the file
 * satisfies the schema.
 */
export function elementPath(design: Design, item: SelectionItem, rest: Path = []): Path | undefined {
  const element = findElement(design, item);
  return element ? [SECTION[element.kind], element.index, ...rest] : undefined;
}

/** The target of property edits on an element. */
export function editTarget(item: SelectionItem): EditTarget {
  return { kind: item.kind, id: item.id };
}

/** The findings about an element. */
export function findingsOn(findings: readonly Finding[], item: SelectionItem): Finding[] {
  return findings.filter((f) => f.target.kind === item.kind && f.target.id === item.id);
}

/** A finding's path relative to the element at `prefix` (['nodes', 3]); undefined when it is elsewhere. */
export function relativePath(finding: Finding, prefix: Path): Path | undefined {
  const path = finding.path;
  if (!path || path.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return undefined;
  return path.slice(prefix.length);
}

/** The type of every selected element when they all share one ("apiManagement"), else undefined. */
export function commonType(design: Design, selection: Selection): string | undefined {
  let type: string | undefined;
  for (const item of selection) {
    const element = findElement(design, item);
    if (!element) return undefined;
    const t =
      element.kind === 'node' ? element.node.type : element.kind === 'edge' ? `${element.edge.type} edge` : `${element.certificate.role} certificate`;
    if (type !== undefined && t !== type) return undefined;
    type = t;
  }
  return type;
}

/** Dotted form of a path, for test ids and element ids ("properties.ingress.verifyDepth"). */
export function pathKey(path: Path): string {
  return path.map(String).join('.');
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

// ---------------------------------------------------------------- values

/** The value at a path in a plain object; undefined when any step is missing. */
export function valueAt(root: unknown, path: Path): unknown {
  let value: unknown = root;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[seg];
  }
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The value in effect: the one set, or the schema default. */
export function effectiveValue(field: Field, value: unknown): unknown {
  return value === undefined ? field.default : value;
}

/** Whether the value in effect is the schema default (shown as "default"). */
export function isDefault(field: Field, value: unknown): boolean {
  return field.hasDefault && (value === undefined || deepEqual(value, field.default));
}

/** How a value is shown in a text field: numbers as digits, lists of strings comma-separated. */
export function formatValue(field: Field, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'array-of-string' && Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// ---------------------------------------------------------------- client-side validation

/** A typed text read as a value: `value` undefined means "remove the key" (back to the default). */
export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

function checkString(rules: StringRules, text: string, what = 'the value'): string | undefined {
  if (rules.minLength !== undefined && text.length < rules.minLength) {
    return rules.minLength === 1 ? `${what} must not be empty` : `${what} must have at least ${rules.minLength} characters`;
  }
  if (rules.maxLength !== undefined && text.length > rules.maxLength) return `${what} must have at most ${rules.maxLength} characters`;
  if (rules.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(rules.pattern);
    } catch {
      re = undefined; // a pattern the browser cannot read: the host validates anyway
    }
    if (re && !re.test(text)) {
      if (rules.patternMessage) return `${what === 'the value' ? '' : `${what}: `}${rules.patternMessage}`;
      if (rules.format === 'date') return `${what} must be a date (YYYY-MM-DD)`;
      if (rules.format === 'email') return `${what} must be an e-mail address`;
      return `${what} must match ${rules.pattern}`;
    }
  }
  return undefined;
}

/** Checks a number against the field's bounds; the message, or undefined when it is valid. */
export function checkNumber(field: NumberField, n: number): string | undefined {
  if (!Number.isFinite(n)) return 'must be a number';
  if (field.integer && !Number.isInteger(n)) return 'must be a whole number';
  if (field.min !== undefined && n < field.min) return `must be at least ${field.min}`;
  if (field.max !== undefined && n > field.max) return `must be at most ${field.max}`;
  return undefined;
}

/**
 * Reads what the user typed into a text field (string, number or list of strings), checking it against
 * the field's pattern, length and bounds. Empty text removes the key when the schema allows that.
 */
export function parseFieldText(field: Field, text: string): Parsed {
  const t = text.trim();
  if (t === '' && field.kind !== 'array-of-string') {
    if (field.required) return { ok: false, message: `${field.label} is required` };
    return { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'number': {
      const n = Number(t);
      const message = checkNumber(field, n);
      return message ? { ok: false, message } : { ok: true, value: n };
    }
    case 'string': {
      const message = checkString(field, t);
      return message ? { ok: false, message } : { ok: true, value: t };
    }
    case 'array-of-string': {
      const items = t.split(/[\s,]+/).filter(Boolean);
      if (items.length === 0) {
        return { ok: true, value: field.hasDefault && deepEqual(field.default, []) ? undefined : [] };
      }
      for (const item of items) {
        if (field.item.options && !field.item.options.includes(item)) {
          return { ok: false, message: `"${item}" is not one of ${field.item.options.join(', ')}` };
        }
        const message = checkString(field.item, item, `"${item}"`);
        if (message) return { ok: false, message };
      }
      return { ok: true, value: items };
    }
    case 'enum':
      return field.options.includes(t) ? { ok: true, value: t } : { ok: false, message: `must be one of ${field.options.join(', ')}` };
    case 'boolean':
      return t === 'true' || t === 'false' ? { ok: true, value: t === 'true' } : { ok: false, message: 'must be true or false' };
    default:
      return { ok: false, message: `${field.label} is edited with its own controls` };
  }
}

/** Checks a record key (an annotation or tag name). */
export function checkRecordKey(key: string, existing: readonly string[], current?: string): string | undefined {
  if (key.trim() === '') return 'the name must not be empty';
  if (key !== current && existing.includes(key)) return `"${key}" is already set`;
  return undefined;
}

/** Checks a record value against the field's value rules. */
export function checkRecordValue(field: RecordField, value: string): string | undefined {
  return checkString(field.value, value);
}

// ---------------------------------------------------------------- operations

/**
 * The operations that give `path` (relative to the target) a new value: setProperty, unsetProperty when the
 * value is undefined (the key is removed and the default applies), renameNode for a node's id. Nothing when
 * the value does not change.
 */
export function changeOps(target: EditTarget, path: Path, value: unknown, current: unknown): EditOperation[] {
  if (value === undefined) {
    if (current === undefined) return [];
    if (target.kind !== 'metadata' && path.length === 1 && path[0] === 'id') return []; // ids are required
    return [{ op: 'unsetProperty', target, path: [...path] }];
  }
  if (deepEqual(value, current)) return [];
  if (target.kind === 'node' && path.length === 1 && path[0] === 'id' && typeof value === 'string') {
    return [{ op: 'renameNode', id: target.id, newId: value }];
  }
  return [{ op: 'setProperty', target, path: [...path], value }];
}

/** The operation that puts a field back to its default (removes its key). */
export function resetOps(target: EditTarget, path: Path): EditOperation[] {
  return [{ op: 'unsetProperty', target, path: [...path] }];
}

/** Adds an item to a list: the whole list when it is empty (the key may be absent), else the next index. */
export function addItemOps(target: EditTarget, path: Path, list: readonly unknown[], item: unknown): EditOperation[] {
  if (list.length === 0) return [{ op: 'setProperty', target, path: [...path], value: [item] }];
  return [{ op: 'setProperty', target, path: [...path, list.length], value: item }];
}

/** Removes the item at `index` of a list. */
export function removeItemOps(target: EditTarget, path: Path, index: number): EditOperation[] {
  return [{ op: 'unsetProperty', target, path: [...path, index] }];
}

/** Renames a key of a record (annotations, tags), keeping its value, in one edit. */
export function renameRecordKeyOps(target: EditTarget, path: Path, from: string, to: string, value: unknown): EditOperation[] {
  if (from === to) return [];
  return [
    { op: 'unsetProperty', target, path: [...path, from] },
    { op: 'setProperty', target, path: [...path, to], value },
  ];
}

/** Toggles one option of a list of enum values (zones, plans), keeping the schema's option order. */
export function toggleOption(options: readonly string[], current: readonly string[], option: string, on: boolean): string[] {
  const set = new Set(current);
  if (on) set.add(option);
  else set.delete(option);
  const known = options.filter((o) => set.has(o));
  const unknown = current.filter((o) => !options.includes(o) && set.has(o));
  return [...known, ...unknown];
}

// ---------------------------------------------------------------- references

export interface Option {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

/** What a reference field can name in this design. `selfId`: the certificate being edited (not its own issuer). */
export function referenceOptions(design: Design, ref: Reference, selfId?: string): Option[] {
  switch (ref.to) {
    case 'certificate':
      return design.certificates
        .filter((c) => c.role === ref.role)
        .map((c) => ({ value: c.id, label: c.id, description: `${c.role} certificate, issuer ${c.issuer}` }));
    case 'issuer':
      return [
        { value: 'self', label: 'self', description: 'self-signed: a root' },
        { value: 'external', label: 'external', description: 'a public CA' },
        ...design.certificates
          .filter((c) => c.role === 'ca' && c.id !== selfId)
          .map((c) => ({ value: c.id, label: c.id, description: `CA certificate, issuer ${c.issuer}` })),
      ];
    case 'node':
      return design.nodes
        .filter((n) => n.type === ref.nodeType)
        .map((n) => ({ value: n.id, label: n.id, ...(n.label ? { description: n.label } : {}) }));
    case 'service': {
      const seen = new Set<string>();
      const options: Option[] = [];
      for (const n of design.nodes) {
        if (n.type !== 'aksCluster') continue;
        for (const s of n.properties.services) {
          if (seen.has(s.name)) continue;
          seen.add(s.name);
          options.push({ value: s.name, label: s.name, description: `service of ${n.id} (${s.namespace})` });
        }
      }
      return options;
    }
  }
}

/**
 * The choices of a reference select: "no value" first when the field is optional, then what the reference
 * can name, and the current value when it names nothing suitable ("apim-tls (server certificate, not client)").
 */
export function referenceChoices(design: Design, field: Field & { ref: Reference }, value: string, selfId?: string): Option[] {
  const options = referenceOptions(design, field.ref, selfId);
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: `${value} (${whyUnsuitable(design, field.ref, value, selfId)})` });
  if (!field.required) options.unshift({ value: '', label: emptyChoiceLabel(field) });
  return options;
}

function whyUnsuitable(design: Design, ref: Reference, value: string, selfId?: string): string {
  switch (ref.to) {
    case 'certificate': {
      const cert = design.certificates.find((c) => c.id === value);
      return cert ? `${cert.role} certificate, not ${ref.role}` : 'not found';
    }
    case 'issuer': {
      if (value === selfId) return 'itself';
      const cert = design.certificates.find((c) => c.id === value);
      return cert ? `${cert.role} certificate, not a CA` : 'not found';
    }
    case 'node': {
      const node = design.nodes.find((n) => n.id === value);
      return node ? `a ${node.type} node, not ${ref.nodeType}` : 'not found';
    }
    case 'service':
      return 'no such service in an AKS cluster';
  }
}

/** Which label the "no value" choice of a reference select gets. */
export function emptyChoiceLabel(field: Field): string {
  if (field.key === 'trustedCa' || field.key === 'clientCa') return '(derived from the certificates)';
  if (field.hasDefault) return `(default: ${formatValue(field, field.default)})`;
  return '(none)';
}

// ---------------------------------------------------------------- new list items

function singular(key: string): string {
  return key.endsWith('ies') ? `${key.slice(0, -3)}y` : key.endsWith('s') ? key.slice(0, -1) : key;
}

function fits(rules: StringRules, text: string): boolean {
  return checkString(rules, text) === undefined;
}

/**
 * A new row for a list of objects (an API, a service): every required column gets a value that satisfies
 * the schema, unique in the list ("api-2"), or the first thing a reference can name.
 */
export function newListItem(field: ObjectListField, list: readonly unknown[], design: Design): Record<string, unknown> {
  const stem = singular(field.key);
  const item: Record<string, unknown> = {};
  for (const col of field.fields) {
    if (!col.required) continue;
    switch (col.kind) {
      case 'enum':
        item[col.key] = col.options[0];
        break;
      case 'boolean':
        item[col.key] = false;
        break;
      case 'number':
        item[col.key] = col.min ?? 0;
        break;
      case 'array-of-string':
      case 'array-of-object':
        item[col.key] = [];
        break;
      case 'object':
      case 'record':
        item[col.key] = {};
        break;
      case 'string': {
        const options = col.ref ? referenceOptions(design, col.ref) : [];
        const first = options[0];
        if (first) {
          item[col.key] = first.value;
          break;
        }
        const used = new Set(list.map((x) => valueAt(x, [col.key])));
        let value = `${stem}-${list.length + 1}`;
        for (let n = list.length + 1; n < list.length + 1000; n++) {
          const candidate = `${stem}-${n}`;
          if (!used.has(candidate) && fits(col, candidate)) {
            value = candidate;
            break;
          }
        }
        item[col.key] = value;
        break;
      }
    }
  }
  return item;
}

// ---------------------------------------------------------------- titles

/** What the Inspector calls an element: `apim (apiManagement)`, `mtls edge apim → aks`, `server certificate apim-tls`. */
export function describeElement(element: Element): string {
  switch (element.kind) {
    case 'node':
      return `${element.node.label ?? element.node.id} (${element.node.type})`;
    case 'edge':
      return `${element.edge.type} edge ${element.edge.from} → ${element.edge.to}`;
    case 'certificate':
      return `${element.certificate.role} certificate ${element.certificate.id}`;
  }
}
