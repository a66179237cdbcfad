/**
 * The generated platform as Azure and Kubernetes would receive it: infra/main.json (with its nested deployments),
 * infra/main.parameters.json, README.md and the Kubernetes manifests, read from the generated files alone (never
 * from the design), with the lookups the "works" checks need.
 */
import { parseAllDocuments } from 'yaml';
import { evaluateDeep, evaluateString, type Value } from '../../helpers/arm-server/expressions.js';
import type { GeneratedFile } from '../../../src/generators/generate.js';
import { armValue, isArmExpression, parseArmExpression, resourcesOf, type ArmExpr, type ArmResourceJson, type ArmTemplateJson } from '../../helpers/bicep.js';

export type Json = Record<string, unknown>;

/** The resource group the checks read the names in. */
export const EXAMPLE_GROUP = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  tenantId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'rg-works',
  location: 'westeurope',
} as const;

export interface Manifest {
  readonly path: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec?: Json;
}

/** A resource of main.json or of a nested deployment's template, with where it was declared. */
export interface Declared {
  readonly resource: ArmResourceJson;
  /** "main" or the nested deployment's name. */
  readonly where: string;
}

export class Platform {
  readonly template: ArmTemplateJson;
  /** Values of the parameters file. */
  readonly parameterValues: Record<string, unknown>;
  readonly readme: string;
  readonly manifests: readonly Manifest[];
  /** Every resource, main.json's and those of nested deployments (recursively). */
  readonly declared: readonly Declared[];

  constructor(readonly files: readonly GeneratedFile[]) {
    const text = (path: string) => {
      const f = files.find((x) => x.path === path);
      if (!f) throw new Error(`no generated file ${path}`);
      return f.content;
    };
    this.template = JSON.parse(text('infra/main.json')) as ArmTemplateJson;
    const params = JSON.parse(text('infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    this.parameterValues = Object.fromEntries(Object.entries(params.parameters).map(([k, v]) => [k, v.value]));
    this.readme = text('README.md');
    const manifests: Manifest[] = [];
    for (const f of files) {
      if (!f.path.startsWith('k8s/') || !f.path.endsWith('.yaml') || f.path.endsWith('kustomization.yaml')) continue;
      for (const doc of parseAllDocuments(f.content)) {
        const m = doc.toJS() as Manifest | null;
        if (m && typeof m === 'object' && 'kind' in m) manifests.push({ ...m, path: f.path });
      }
    }
    this.manifests = manifests;
    const declared: Declared[] = [];
    const walk = (t: { resources?: unknown }, where: string) => {
      for (const r of resourcesOf(t)) {
        declared.push({ resource: r, where });
        const inner = r.type === 'Microsoft.Resources/deployments' ? ((r.properties as Json | undefined)?.template as { resources?: unknown } | undefined) : undefined;
        if (inner) walk(inner, String(r.name));
      }
    };
    walk(this.template, 'main');
    this.declared = declared;
  }

  /** The parameter values of a deployment: the defaults, the parameters file, then `overrides`. */
  parameters(overrides: Readonly<Record<string, unknown>> = {}): Record<string, Value> {
    const defaults = Object.fromEntries(Object.entries(this.template.parameters ?? {}).flatMap(([k, p]) => (p.defaultValue === undefined ? [] : [[k, p.defaultValue]])));
    const raw = { ...defaults, ...this.parameterValues, ...overrides } as Record<string, Value>;
    // Defaults are expressions too (a secret identifier built from the vault's computed name).
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = evaluateDeep(v, { ...EXAMPLE_GROUP, parameters: raw });
    return out;
  }

  /** Any template value evaluated as ARM would with these parameter values (throws on what only a deployment knows). */
  evaluate(v: unknown, parameters: Record<string, Value>): Value {
    return evaluateDeep(v, { ...EXAMPLE_GROUP, parameters });
  }

  /** main.json's resources of a type (case-insensitive). */
  resources(type: string): ArmResourceJson[] {
    return resourcesOf(this.template).filter((r) => r.type.toLowerCase() === type.toLowerCase());
  }

  /**
   * A string as ARM reads it, parameters taken from the parameters file and the defaults, in an example resource
   * group (names end with its uniqueString).
   */
  value(s: unknown): string | undefined {
    if (typeof s !== 'string') return undefined;
    const defaults = Object.fromEntries(Object.entries(this.template.parameters ?? {}).flatMap(([k, p]) => (p.defaultValue === undefined ? [] : [[k, p.defaultValue]])));
    const parameters = { ...defaults, ...this.parameterValues };
    try {
      const v = evaluateString(s, { ...EXAMPLE_GROUP, parameters: parameters as Record<string, Value> });
      if (typeof v === 'string') return v;
    } catch {
      // something known only at deployment: keep the expression
    }
    return armValue(s, parameters);
  }

  /** The literal name segments of a resourceId('type', 'n1', 'n2') expression, with its type; undefined for anything else. */
  static resourceIdOf(s: unknown): { type: string; names: string[] } | undefined {
    if (typeof s !== 'string' || !isArmExpression(s)) return undefined;
    const e = parseArmExpression(s.slice(1, -1));
    if (e.kind !== 'call' || e.fn.toLowerCase() !== 'resourceid' || e.access.length) return undefined;
    const args = e.args.map((a: ArmExpr) => (a.kind === 'string' ? a.value : undefined));
    if (args.some((a) => a === undefined)) return undefined;
    const [type, ...names] = args as string[];
    return { type: type!, names };
  }

  /** The main.json resource a resourceId() expression names (literal names only). */
  byId(s: unknown): ArmResourceJson | undefined {
    const id = Platform.resourceIdOf(s);
    if (!id) return undefined;
    return this.resources(id.type).find((r) => this.value(r.name) === id.names.join('/'));
  }
}

/** properties of a resource. */
export function props(r: ArmResourceJson | undefined): Json {
  return ((r?.properties as Json | undefined) ?? {}) as Json;
}
