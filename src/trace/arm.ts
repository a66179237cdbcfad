/**
 * Reading the generated ARM template as Resource Manager would: its resources (those of nested deployments too),
 * found by type and properties rather than by name; resource ids written as `[resourceId(...)]`; and
 * `[parameters('x')]` resolved to the value the parameters file gives (or the parameter's default).
 * Template expressions: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 */
import { getIn, JsonFile } from './locate.js';
import type { Evidence } from './types.js';
import { readName, readResourceId } from './names.js';

export interface ArmResource {
  readonly type: string;
  /**
   * The name: a literal (`ref-vnet/snet-apim`); an expression of a globally unique name read as the README shows it
   * (`payments-apim-<suffix>/orders`); else the expression as written.
   */
  readonly name: string;
  readonly body: Record<string, unknown>;
  /** JSON Pointer segments of the resource in main.json. */
  readonly path: readonly (string | number)[];
  /** The nested deployment the resource is in (undefined: the main template). */
  readonly scope: NestedScope | undefined;
}

export interface NestedScope {
  readonly path: readonly (string | number)[];
  /** The values the deployment passes to its inner template's parameters. */
  readonly parameters: Record<string, unknown>;
}

/** What a string property of the template resolves to. */
export type Resolved =
  | { readonly kind: 'literal'; readonly value: string; readonly evidence: Evidence }
  /** A parameter: `value` is what the parameters file (or its default) gives, undefined when neither gives one. */
  | { readonly kind: 'parameter'; readonly name: string; readonly value: string | undefined; readonly evidence: Evidence }
  /** Something only Resource Manager can evaluate (reference(), format() of runtime values). */
  | { readonly kind: 'expression'; readonly text: string; readonly evidence: Evidence };

export class ArmTemplate {
  readonly resources: readonly ArmResource[];
  constructor(
    readonly file: JsonFile,
    readonly parametersFile: JsonFile | undefined,
  ) {
    const out: ArmResource[] = [];
    const walk = (resources: unknown, path: (string | number)[], scope: NestedScope | undefined): void => {
      const entries: [string | number, unknown][] = Array.isArray(resources)
        ? resources.map((r, i) => [i, r] as [number, unknown])
        : resources && typeof resources === 'object'
          ? Object.entries(resources)
          : [];
      for (const [key, r] of entries) {
        if (!r || typeof r !== 'object') continue;
        const body = r as Record<string, unknown>;
        const here = [...path, key];
        if (typeof body.type !== 'string') continue;
        const name = typeof body.name === 'string' ? (isExpression(body.name) ? (readName(body.name) ?? body.name) : body.name) : '';
        out.push({ type: body.type, name, body, path: here, scope });
        const inner = getIn(body, ['properties', 'template', 'resources']);
        if (body.type.toLowerCase() === 'microsoft.resources/deployments' && inner) {
          const params = (getIn(body, ['properties', 'parameters']) ?? {}) as Record<string, unknown>;
          walk(inner, [...here, 'properties', 'template', 'resources'], { path: here, parameters: params });
        }
      }
    };
    walk(getIn(file.data, ['resources']), ['resources'], undefined);
    this.resources = out;
  }

  /** Resources of a type (case-insensitive, as Resource Manager compares types). */
  ofType(type: string): ArmResource[] {
    const t = type.toLowerCase();
    return this.resources.filter((r) => r.type.toLowerCase() === t);
  }

  evidence(r: ArmResource, rel: readonly (string | number)[], value?: unknown): Evidence {
    return this.file.evidence([...r.path, ...rel], value);
  }

  /** Resolves a string property of a resource (rel: path inside the resource). */
  resolve(r: ArmResource, rel: readonly (string | number)[]): Resolved | undefined {
    const raw = getIn(r.body, rel);
    if (typeof raw !== 'string') return undefined;
    return this.resolveText(raw, r.scope, this.evidence(r, rel));
  }

  resolveText(raw: string, scope: NestedScope | undefined, evidence: Evidence): Resolved {
    if (!isExpression(raw)) return { kind: 'literal', value: raw.startsWith('[[') ? raw.slice(1) : raw, evidence };
    const m = /^\[parameters\('([^']+)'\)\]$/.exec(raw);
    if (!m) return { kind: 'expression', text: raw, evidence };
    const name = m[1]!;
    if (scope) {
      const passed = getIn(scope.parameters, [name, 'value']);
      if (typeof passed === 'string') {
        const outerPath = [...scope.path, 'properties', 'parameters', name, 'value'];
        const outer = this.file.evidence(outerPath);
        return this.resolveText(passed, undefined, outer);
      }
      return { kind: 'parameter', name, value: undefined, evidence };
    }
    return this.parameter(name) ?? { kind: 'parameter', name, value: undefined, evidence };
  }

  /** A parameter of the main template: its value in the parameters file, else its default. */
  parameter(name: string): Extract<Resolved, { kind: 'parameter' }> | undefined {
    const declared = getIn(this.file.data, ['parameters', name]);
    if (!declared) return undefined;
    const fromFile = this.parametersFile ? getIn(this.parametersFile.data, ['parameters', name, 'value']) : undefined;
    if (typeof fromFile === 'string' && this.parametersFile) {
      return { kind: 'parameter', name, value: fromFile, evidence: this.parametersFile.evidence(['parameters', name, 'value']) };
    }
    const raw = getIn(declared, ['defaultValue']);
    // A default computed from the resource group (a secret identifier in the uniquely named vault) reads as the README shows it.
    const dflt = typeof raw === 'string' && isExpression(raw) ? (readName(raw) ?? raw) : raw;
    if (typeof dflt === 'string') return { kind: 'parameter', name, value: dflt, evidence: this.file.evidence(['parameters', name, 'defaultValue']) };
    return { kind: 'parameter', name, value: undefined, evidence: this.file.evidence(['parameters', name], `parameter ${name} (no value)`) };
  }
}

export function isExpression(s: string): boolean {
  return s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

/** A resource id written `[resourceId('Type', 'a', 'b')]`: its type and its name (`a/b`). */
export function parseResourceId(s: unknown): { type: string; name: string } | undefined {
  if (typeof s !== 'string') return undefined;
  // Names of globally unique resources are format() and uniqueString(resourceGroup().id): read as names are.
  const read = readResourceId(s);
  if (read) return { type: read.type, name: read.segments.join('/') };
  const m = /^\[resourceId\((.*)\)\]$/.exec(s);
  if (!m) return undefined;
  const args = [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((a) => a[1]!.replace(/''/g, "'"));
  // Only literal arguments: an id built from other functions is not followed.
  if (args.length < 2 || m[1]!.replace(/'((?:[^']|'')*)'/g, '').replace(/[\s,]/g, '') !== '') return undefined;
  return { type: args[0]!, name: args.slice(1).join('/') };
}

/** The resource a `[resourceId(...)]` names, among the template's own. */
export function findById(arm: ArmTemplate, id: unknown): ArmResource | undefined {
  const ref = parseResourceId(id);
  if (!ref) return undefined;
  return arm.ofType(ref.type).find((r) => r.name === ref.name && r.scope === undefined) ?? arm.ofType(ref.type).find((r) => r.name === ref.name);
}

/** The child of a collection property an `[resourceId('Parent/children', 'p', 'c')]` points at: its index. */
export function childIndex(list: unknown, id: unknown): number {
  const ref = parseResourceId(id);
  if (!ref || !Array.isArray(list)) return -1;
  const child = ref.name.split('/').pop();
  return list.findIndex((x) => (x as { name?: unknown })?.name === child);
}

/** The parent name of a child resource name (`svc/api` -> `svc`). */
export function parentName(name: string, levels = 1): string {
  return name.split('/').slice(0, -levels).join('/');
}

export function lastSegment(name: string): string {
  return name.split('/').pop() ?? name;
}
