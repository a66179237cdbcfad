/** The deployment IR: one resource-group deployment as data, rendered as Bicep and as ARM JSON. */
import type { Expr, ExprObject, Resource } from './expr.js';

// A resource and the expressions that refer to resources are one recursive pair of types: both live in expr.ts.
export type { Resource };


export type ParamType = 'string' | 'int' | 'bool' | 'object' | 'array';

export interface Parameter {
  readonly name: string;
  readonly type: ParamType;
  readonly description: string;
  readonly defaultValue?: Expr;
  readonly allowed?: readonly (string | number)[];
  readonly minLength?: number;
  /** The parameters file gets this value (for parameters without a default). */
  readonly fileValue?: Expr;
}

export interface Output {
  readonly name: string;
  readonly type: ParamType;
  readonly value: Expr;
  readonly description?: string;
}

/** The scope a template deploys to. */
export type TargetScope = 'resourceGroup' | 'subscription';

/**
 * A template deployed from this one as a deployment of its own, at its own target scope: a Bicep `module`
 * (infra/modules/<file>.bicep) and, in ARM JSON, a nested Microsoft.Resources/deployments with inner
 * expression evaluation. Resources such as Defender plans (Microsoft.Security/pricings) live at subscription
 * scope and cannot be declared by a resource-group deployment any other way.
 */
export interface NestedDeployment {
  /** Bicep symbolic name; unique in the template together with the resource symbols. */
  readonly symbol: string;
  /** The deployment name: a literal (deployment names are part of what both renderings must agree on). */
  readonly name: string;
  /** The module file's base name: [a-z0-9-], unique in the whole deployment; modules/<file>.bicep. */
  readonly file: string;
  /** The nested template; its targetScope says where it deploys ('subscription': this resource group's subscription). */
  readonly template: Template;
  /** Values of the nested template's parameters, as expressions of this template. */
  readonly params?: Readonly<Record<string, Expr>>;
  /** Resources of this template the deployment must wait for. */
  readonly dependsOn?: readonly Resource[];
  /** Deployed only when this is true (Bicep `= if (...)`, ARM `condition`); always when absent. */
  readonly condition?: Expr;
  /** A comment put above the module in Bicep. */
  readonly description?: string;
}

export interface Template {
  readonly description: string;
  /** Where the template deploys; a resource group when absent. */
  readonly targetScope?: TargetScope;
  readonly parameters: readonly Parameter[];
  readonly resources: readonly Resource[];
  /** Nested deployments (Bicep modules), rendered after the resources. */
  readonly modules?: readonly NestedDeployment[];
  readonly outputs: readonly Output[];
}

/** Builds a template, keeping symbols unique and resources in insertion order. */
export class TemplateBuilder {
  private readonly params: Parameter[] = [];
  private readonly res: Resource[] = [];
  private readonly outs: Output[] = [];
  private readonly mods: NestedDeployment[] = [];
  private readonly symbols = new Set<string>();

  constructor(
    private readonly description: string,
    private readonly targetScope: TargetScope = 'resourceGroup',
  ) {}

  /** Adds a parameter; adding the same one again is a no-op, another one under a taken name an error (it would be shared silently). */
  parameter(p: Parameter): Parameter {
    const existing = this.params.find((x) => x.name === p.name);
    if (existing) {
      if (JSON.stringify(existing) !== JSON.stringify(p)) throw new Error(`two different parameters are named "${p.name}": ${existing.description} / ${p.description}`);
      return existing;
    }
    this.params.push(p);
    return p;
  }

  /** Adds a resource; its symbol is made unique and a valid Bicep identifier. */
  resource(r: Resource): Resource {
    const symbol = this.uniqueSymbol(r.symbol);
    const added: Resource = symbol === r.symbol ? r : { ...r, symbol };
    this.res.push(added);
    return added;
  }

  output(o: Output): void {
    this.outs.push(o);
  }

  /** Adds a nested deployment (a Bicep module); its symbol is made unique among resources and modules. */
  module(m: NestedDeployment): NestedDeployment {
    if (!MODULE_FILE.test(m.file)) throw new Error(`module file name "${m.file}" must match ${MODULE_FILE}`);
    if (this.mods.some((x) => x.file === m.file)) throw new Error(`two modules share the file name "${m.file}"`);
    const symbol = this.uniqueSymbol(m.symbol);
    const added: NestedDeployment = symbol === m.symbol ? m : { ...m, symbol };
    this.mods.push(added);
    return added;
  }

  build(): Template {
    const t: Template = { description: this.description, parameters: this.params, resources: this.res, outputs: this.outs };
    return {
      ...t,
      ...(this.targetScope === 'resourceGroup' ? {} : { targetScope: this.targetScope }),
      ...(this.mods.length ? { modules: this.mods } : {}),
    };
  }

  private uniqueSymbol(wanted: string): string {
    let base = toIdentifier(wanted);
    if (RESERVED.has(base)) base = `${base}Resource`;
    let s = base;
    for (let i = 2; this.symbols.has(s); i++) s = `${base}${i}`;
    this.symbols.add(s);
    return s;
  }
}

/** Module file base names: lower-case letters, digits and hyphens. */
const MODULE_FILE = /^[a-z0-9][a-z0-9-]{0,62}$/;

const RESERVED = new Set([
  'resource', 'param', 'var', 'output', 'module', 'targetScope', 'import', 'metadata', 'type', 'func', 'existing',
  'if', 'for', 'in', 'true', 'false', 'null', 'location', 'tenant', 'subscription', 'resourceGroup', 'environment',
  'az', 'sys', 'description', 'extension', 'assert', 'with', 'using',
]);

/** camelCase identifier from any text: "aks-kv link" -> "aksKvLink". */
export function toIdentifier(text: string): string {
  const words = text.split(/[^a-zA-Z0-9]+/).filter(Boolean);
  let id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (!/^[a-zA-Z_]/.test(id)) id = `r${id}`;
  return id || 'r';
}

/** The literal object type for resource bodies, re-exported for builders. */
export type Body = ExprObject;
