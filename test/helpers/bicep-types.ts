/**
 * Checks resource bodies against the Bicep type definitions saved in shared/data/azure-schemas/bicep-types
 * (Azure/bicep-types-az; shared/notes/azure-facts.md §14.2): every property must be one the type declares
 * (ObjectType.properties is a closed list, as Bicep's BCP037 warns), and none may be read-only (flag 2, Bicep's
 * BCP073). The ARM JSON schemas cannot catch either: they do not close their objects.
 *
 * The walk follows nested objects, arrays, unions (an object must fit one of the union's object types) and
 * discriminated objects (the discriminator value picks the variant). ARM expressions ("[...]") are opaque and
 * not walked into. Types without saved definitions fail, unless listed in NO_BICEP_TYPES with the reason.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS_DIR } from './arm-schema.js';
import { resourcesOf } from './bicep.js';

export const BICEP_TYPES_DIR = join(SCHEMAS_DIR, 'bicep-types');

/** Resource types with no saved Bicep type definitions, and why (lower-case type). */
export const NO_BICEP_TYPES: Readonly<Record<string, string>> = {
  'microsoft.insights/datacollectionrules':
    'not saved in shared/data/azure-schemas; the real Bicep compiler checks it against its built-in types (0 warnings) in the compile tests',
  'microsoft.insights/datacollectionruleassociations':
    'not saved in shared/data/azure-schemas; the real Bicep compiler checks it against its built-in types (0 warnings) in the compile tests',
  'microsoft.resources/deployments':
    'a nested deployment (Bicep module): Bicep itself generates it; the resources of its inner template are checked one by one',
};

/**
 * API versions newer than the saved Bicep types, checked against the newest saved version of their type instead
 * (lower-case "type@version" -> saved version). The real compiler knows them (no BCP081 in the compile tests) and the
 * saved ARM schemas hold them.
 */
export const CHECKED_AGAINST_SAVED: Readonly<Record<string, string>> = {
  'microsoft.keyvault/vaults@2026-02-01': '2024-11-01',
  'microsoft.keyvault/vaults/secrets@2026-02-01': '2024-11-01',
};

/** Template-level keys of an ARM resource, not part of the resource body Bicep types describe. */
const TEMPLATE_KEYS = new Set(['type', 'apiVersion', 'name', 'scope', 'dependsOn', 'condition', 'copy', 'comments', 'subscriptionId', 'resourceGroup']);

const READ_ONLY = 2;

interface TypeRef {
  readonly $ref: string;
}
interface Property {
  readonly type: TypeRef;
  readonly flags?: number;
}
type TypeNode =
  | { readonly $type: 'ObjectType'; readonly name: string; readonly properties: Record<string, Property>; readonly additionalProperties?: TypeRef }
  | { readonly $type: 'DiscriminatedObjectType'; readonly name: string; readonly discriminator: string; readonly baseProperties: Record<string, Property>; readonly elements: Record<string, TypeRef> }
  | { readonly $type: 'ArrayType'; readonly itemType: TypeRef }
  | { readonly $type: 'UnionType'; readonly elements: readonly TypeRef[] }
  | { readonly $type: 'ResourceType'; readonly name: string; readonly body: TypeRef }
  | { readonly $type: string };

export interface TypeIssue {
  readonly resource: string;
  readonly path: string;
  readonly message: string;
}

export interface TypeReport {
  readonly issues: TypeIssue[];
  readonly skipped: Array<{ resource: string; reason: string }>;
  /** Resources checked against their type. */
  checked: number;
}

type Issue = { path: string; message: string };

export class BicepTypes {
  /** "<lower-case type>@<apiVersion>" -> the file's type table and the resource's body. */
  private readonly resources = new Map<string, { table: TypeNode[]; body: TypeRef }>();
  private readonly knownTypes = new Set<string>();

  constructor(dir: string = BICEP_TYPES_DIR) {
    if (!existsSync(dir)) throw new Error(`Bicep type definitions not found in ${dir}: shared/ must lie beside the repository (../shared)`);
    for (const file of typeFiles(dir)) {
      const table = JSON.parse(readFileSync(file, 'utf8')) as TypeNode[];
      for (const t of table) {
        if (t.$type !== 'ResourceType') continue;
        const r = t as Extract<TypeNode, { $type: 'ResourceType' }>;
        const at = r.name.lastIndexOf('@');
        const type = r.name.slice(0, at).toLowerCase();
        this.knownTypes.add(type);
        this.resources.set(`${type}@${r.name.slice(at + 1)}`, { table, body: r.body });
      }
    }
  }

  has(type: string, apiVersion: string): boolean {
    return this.resources.has(`${type.toLowerCase()}@${apiVersion}`);
  }

  /** Checks every resource of an ARM template (nested deployments' inner templates included). */
  checkTemplate(template: { resources?: unknown }): TypeReport {
    const report: TypeReport = { issues: [], skipped: [], checked: 0 };
    this.walkTemplate(template, '', report);
    return report;
  }

  private walkTemplate(template: { resources?: unknown }, prefix: string, report: TypeReport): void {
    for (const r of resourcesOf(template)) {
      const label = `${prefix}${r.type} '${r.name}'`;
      const type = String(r.type).toLowerCase();
      const saved = CHECKED_AGAINST_SAVED[`${type}@${r.apiVersion}`];
      const found = this.resources.get(`${type}@${r.apiVersion}`) ?? (saved ? this.resources.get(`${type}@${saved}`) : undefined);
      if (!found) {
        const reason = NO_BICEP_TYPES[type];
        if (reason) report.skipped.push({ resource: label, reason });
        else {
          const message = this.knownTypes.has(type)
            ? `no saved Bicep types for API version ${r.apiVersion} of ${r.type}`
            : `no saved Bicep types for ${r.type}; add it to NO_BICEP_TYPES with the reason if none exist`;
          report.issues.push({ resource: label, path: '/apiVersion', message });
        }
        if (type === 'microsoft.resources/deployments') {
          const inner = (r.properties as { template?: { resources?: unknown } } | undefined)?.template;
          if (inner) this.walkTemplate(inner, `${label} > `, report);
        }
        continue;
      }
      report.checked++;
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (!TEMPLATE_KEYS.has(k)) body[k] = v;
      for (const issue of this.check(found.table, found.body, body, '')) report.issues.push({ resource: label, ...issue });
    }
  }

  /** The issues of a value against a type. */
  private check(table: readonly TypeNode[], ref: TypeRef, value: unknown, path: string): Issue[] {
    if (typeof value === 'string' && isExpression(value)) return [];
    const t = resolveRef(table, ref);
    switch (t.$type) {
      case 'ObjectType': {
        const o = t as Extract<TypeNode, { $type: 'ObjectType' }>;
        return this.object(table, o.name, o.properties, o.additionalProperties, value, path);
      }
      case 'DiscriminatedObjectType': {
        const d = t as Extract<TypeNode, { $type: 'DiscriminatedObjectType' }>;
        if (!isObject(value)) return [];
        const tag = value[d.discriminator];
        const variants = typeof tag === 'string' && !isExpression(tag) ? [d.elements[tag]].filter((x): x is TypeRef => !!x) : Object.values(d.elements);
        if (typeof tag === 'string' && !isExpression(tag) && !variants.length) {
          return [{ path: `${path}/${d.discriminator}`, message: `"${tag}" is not a variant of ${d.name} (${Object.keys(d.elements).join(', ')})` }];
        }
        // The value must fit one variant: base properties plus the variant's own.
        let best: Issue[] | undefined;
        for (const v of variants) {
          const variant = resolveRef(table, v) as Extract<TypeNode, { $type: 'ObjectType' }>;
          const props = { ...d.baseProperties, ...variant.properties };
          const issues = this.object(table, variant.name ?? d.name, props, variant.additionalProperties, value, path, d.discriminator);
          if (!issues.length) return [];
          if (!best || issues.length < best.length) best = issues;
        }
        return best ?? [];
      }
      case 'ArrayType': {
        const a = t as Extract<TypeNode, { $type: 'ArrayType' }>;
        if (!Array.isArray(value)) return [];
        return value.flatMap((item, i) => this.check(table, a.itemType, item, `${path}/${i}`));
      }
      case 'UnionType': {
        const u = t as Extract<TypeNode, { $type: 'UnionType' }>;
        if (!isObject(value)) return [];
        const structured = u.elements.filter((e) => ['ObjectType', 'DiscriminatedObjectType'].includes(resolveRef(table, e).$type));
        let best: Issue[] | undefined;
        for (const e of structured) {
          const issues = this.check(table, e, value, path);
          if (!issues.length) return [];
          if (!best || issues.length < best.length) best = issues;
        }
        return best ?? [];
      }
      default:
        return [];
    }
  }

  private object(
    table: readonly TypeNode[],
    name: string,
    properties: Record<string, Property>,
    additional: TypeRef | undefined,
    value: unknown,
    path: string,
    discriminator?: string,
  ): Issue[] {
    if (!isObject(value)) return [];
    const issues: Issue[] = [];
    for (const [k, v] of Object.entries(value)) {
      const p = `${path}/${k}`;
      const prop = properties[k];
      if (!prop) {
        if (k === discriminator) continue;
        if (additional) {
          issues.push(...this.check(table, additional, v, p));
          continue;
        }
        const other = Object.keys(properties).find((x) => x.toLowerCase() === k.toLowerCase());
        issues.push({
          path: p,
          message: other
            ? `property "${k}" is spelled "${other}" in ${name}`
            : `property "${k}" is not a property of ${name} (known: ${Object.keys(properties).sort().join(', ') || 'none'})`,
        });
        continue;
      }
      if ((prop.flags ?? 0) & READ_ONLY) {
        issues.push({ path: p, message: `property "${k}" of ${name} is read-only` });
        continue;
      }
      issues.push(...this.check(table, prop.type, v, p));
    }
    return issues;
  }
}

function resolveRef(table: readonly TypeNode[], ref: TypeRef): TypeNode {
  const m = /^#\/(\d+)$/.exec(ref.$ref);
  if (!m) throw new Error(`unsupported type reference ${ref.$ref}`);
  const t = table[Number(m[1])];
  if (!t) throw new Error(`dangling type reference ${ref.$ref}`);
  return t;
}

/** ARM reads a string that starts with '[' and ends with ']' (but not '[[') as an expression. */
export function isExpression(s: string): boolean {
  return s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? typeFiles(p) : name === 'types.json' ? [p] : [];
    });
}
