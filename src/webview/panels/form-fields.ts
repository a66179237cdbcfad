/** The form model: fields derived from the design's zod schemas (converted with zod 4's `z.toJSONSchema(schema, { io: 'input' })`) with a kind, a default, a description, bounds, a pattern and the references they make. Pure: no React, no DOM. */
import { z } from 'zod';
import { type Certificate, type NodeType } from '../../schemas/design.js';
import type { Path } from '../../schemas/operations.js';

export type FieldKind = 'enum' | 'boolean' | 'number' | 'string' | 'array-of-string' | 'array-of-object' | 'object' | 'record';

export type CertificateRole = Certificate['role'];

/** A string field whose value names something else in the design: offered as a select of what exists. */
export type Reference =
  | { readonly to: 'certificate'; readonly role: CertificateRole }
  | { readonly to: 'issuer' }
  | { readonly to: 'node'; readonly nodeType: NodeType }
  | { readonly to: 'service' };

export interface FieldCommon {
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

export const CERT_REF_ROLES: Readonly<Record<string, CertificateRole>> = {
  certificate: 'server',
  serverCertificate: 'server',
  clientCa: 'ca',
  trustedCa: 'ca',
  clientCertificate: 'client',
};

export function referenceFor(scope: Scope, parents: readonly string[], key: string): Reference | undefined {
  const role = CERT_REF_ROLES[key];
  if (role && scope !== 'certificate') return { to: 'certificate', role };
  if (scope === 'certificate' && key === 'issuer') return { to: 'issuer' };
  if (scope === 'certificate' && key === 'keyVault') return { to: 'node', nodeType: 'keyVault' };
  if (scope === 'edge' && key === 'identity') return { to: 'node', nodeType: 'managedIdentity' };
  if (scope === 'node' && parents[parents.length - 1] === 'apis' && key === 'service') return { to: 'service' };
  return undefined;
}

/** Reads the message of a zod regex check, if the schema node has one (zod internals, guarded). */
export function patternMessageOf(schema: unknown): string | undefined {
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

export const ACRONYMS: Readonly<Record<string, string>> = {
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

export const SAFE = Number.MAX_SAFE_INTEGER;

export function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

export function stringRules(s: JsonSchema, ref: Reference | undefined): StringRules {
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

export function stringEnum(s: JsonSchema): string[] | undefined {
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

export function fieldOf(key: string, s: JsonSchema, path: Path, inRequired: boolean, scope: Scope, parents: readonly string[]): Field | undefined {
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

