/** Renders the deployment IR as an ARM JSON template, deployable as it is. Deterministic. */
import {
  Call,
  Cond,
  ExprNode,
  Not,
  FileText,
  Interp,
  ParamRef,
  ResourceIdRef,
  ResourceNameRef,
  ResourcePropRef,
  referencedResources,
  type Expr,
  type ExprObject,
} from './expr.js';
import type { NestedDeployment, Resource, TargetScope, Template } from './template.js';

const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const SUBSCRIPTION_TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const PARAMETERS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';
/** The API version of nested deployments: the one Bicep 0.49 emits for modules. */
export const DEPLOYMENTS_API_VERSION = '2025-04-01';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** What rendering an expression depends on: the scope of the template it appears in. */
interface Ctx {
  readonly scope: TargetScope;
}

export function renderArm(t: Template, generator: { name: string; version: string }): string {
  return `${JSON.stringify(templateJson(t, { _generator: generator }), null, 2)}\n`;
}

function templateJson(t: Template, metadata: Record<string, Json>): Record<string, Json> {
  const ctx: Ctx = { scope: t.targetScope ?? 'resourceGroup' };
  const parameters: Record<string, Json> = {};
  for (const p of t.parameters) {
    const def: Record<string, Json> = { type: p.type };
    if (p.defaultValue !== undefined) def.defaultValue = json(p.defaultValue, ctx);
    if (p.allowed) def.allowedValues = [...p.allowed];
    if (p.minLength !== undefined) def.minLength = p.minLength;
    // Bicep escapes every literal string it emits, descriptions included: so do we, to emit the same JSON.
    def.metadata = { description: armLiteral(p.description) };
    parameters[p.name] = def;
  }
  const resources = [...t.resources.map((r) => resource(r, ctx)), ...(t.modules ?? []).map((m) => deployment(m, ctx))];
  const outputs: Record<string, Json> = {};
  for (const o of t.outputs) {
    outputs[o.name] = { type: o.type, ...(o.description ? { metadata: { description: armLiteral(o.description) } } : {}), value: json(o.value, ctx) };
  }
  return {
    $schema: ctx.scope === 'subscription' ? SUBSCRIPTION_TEMPLATE_SCHEMA : TEMPLATE_SCHEMA,
    contentVersion: '1.0.0.0',
    metadata: { ...metadata, description: armLiteral(t.description) },
    parameters,
    resources,
    outputs,
  };
}

/** The parameters file: a value for every parameter that has no default. */
export function renderArmParameters(t: Template): string {
  const parameters: Record<string, Json> = {};
  for (const p of t.parameters) {
    if (p.fileValue !== undefined) parameters[p.name] = { value: json(p.fileValue, { scope: t.targetScope ?? 'resourceGroup' }) };
  }
  return `${JSON.stringify({ $schema: PARAMETERS_SCHEMA, contentVersion: '1.0.0.0', parameters }, null, 2)}\n`;
}

function resource(r: Resource, ctx: Ctx): Json {
  const out: Record<string, Json> = { type: r.type, apiVersion: r.apiVersion };
  if (r.scope) out.scope = expr(idExpr(r.scope, ctx));
  out.name = json(fullName(r), ctx);
  for (const [k, v] of Object.entries(r.body)) if (v !== undefined) out[k] = json(v, ctx);
  const deps = new Set<Resource>();
  for (const v of Object.values(r.body)) referencedResources(v, deps);
  referencedResources(r.name, deps);
  if (r.parent) deps.add(r.parent);
  if (r.scope) deps.add(r.scope);
  for (const d of r.dependsOn ?? []) deps.add(d);
  deps.delete(r);
  if (deps.size) out.dependsOn = [...deps].map((d) => expr(idExpr(d, ctx)));
  return out;
}

/**
 * A nested deployment as Bicep compiles a module: Microsoft.Resources/deployments with the nested template
 * inline and inner expression evaluation, so the nested template's parameters and functions are its own.
 */
function deployment(m: NestedDeployment, ctx: Ctx): Json {
  const inner = m.template.targetScope ?? 'resourceGroup';
  if (ctx.scope === 'subscription' && inner === 'resourceGroup') {
    throw new Error(`module ${m.symbol}: a resource-group module needs a resource group, which a subscription template does not name`);
  }
  const out: Record<string, Json> = {
    type: 'Microsoft.Resources/deployments',
    apiVersion: DEPLOYMENTS_API_VERSION,
    ...(m.condition === undefined ? {} : { condition: expr(lang(m.condition, ctx)) }),
    name: json(m.name, ctx),
  };
  if (inner === 'subscription') {
    out.subscriptionId = expr('subscription().subscriptionId');
    // Subscription deployments need a location (where their metadata is kept); Bicep uses the resource group's.
    out.location = expr(ctx.scope === 'subscription' ? 'deployment().location' : 'resourceGroup().location');
  }
  const parameters: Record<string, Json> = {};
  const deps = new Set<Resource>();
  for (const [k, v] of Object.entries(m.params ?? {})) {
    if (v === undefined) continue;
    parameters[k] = { value: json(v, ctx) };
    referencedResources(v, deps);
  }
  for (const d of m.dependsOn ?? []) deps.add(d);
  out.properties = {
    expressionEvaluationOptions: { scope: 'inner' },
    mode: 'Incremental',
    ...(Object.keys(parameters).length ? { parameters } : {}),
    template: templateJson(m.template, {}),
  };
  if (deps.size) out.dependsOn = [...deps].map((d) => expr(idExpr(d, ctx)));
  return out;
}

/** The name as ARM wants it: "parent/child" for child resources. */
function fullName(r: Resource): Expr {
  const segments = nameSegments(r);
  if (segments.every((s) => typeof s === 'string')) return segments.join('/');
  return new Interp(segments.flatMap((s, i) => (i === 0 ? [s] : ['/', s])));
}

function nameSegments(r: Resource): Expr[] {
  return r.parent ? [...nameSegments(r.parent), r.name] : [r.name];
}

/** The resourceId() (or extensionResourceId(), subscriptionResourceId()) expression of a resource, in template language. */
function idExpr(r: Resource, ctx: Ctx): string {
  const segments = nameSegments(r)
    .map((s) => lang(s, ctx))
    .join(', ');
  if (r.scope) return `extensionResourceId(${idExpr(r.scope, ctx)}, ${lang(r.type, ctx)}, ${segments})`;
  return `${ctx.scope === 'subscription' ? 'subscriptionResourceId' : 'resourceId'}(${lang(r.type, ctx)}, ${segments})`;
}

/**
 * A literal string (a value or a property name) as ARM JSON. ARM reads a string that starts with '[' and ends
 * with ']' as an expression; such a literal is escaped by doubling the leading '[' (ARM then drops one), as Bicep
 * does. Any other string is taken as it is.
 */
export function armLiteral(s: string): string {
  return s.startsWith('[') && s.endsWith(']') ? `[${s}` : s;
}

/** A value as JSON: literals stay literal (escaped where ARM would read an expression), anything else becomes "[expression]". */
function json(e: Expr, ctx: Ctx): Json {
  if (e === null || typeof e === 'number' || typeof e === 'boolean') return e;
  if (typeof e === 'string') return armLiteral(e);
  if (e instanceof ExprNode) {
    if (e instanceof FileText) return json(e.content, ctx);
    return expr(lang(e, ctx));
  }
  if (Array.isArray(e)) return e.map((x) => json(x, ctx));
  // ARM evaluates property names too ({ "[parameters('k')]": ... }): a literal key is escaped like a literal value.
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(e as ExprObject)) if (v !== undefined) out[armLiteral(k)] = json(v, ctx);
  return out;
}

function expr(language: string): string {
  return `[${language}]`;
}

/** An expression in ARM template language (without the brackets). */
function lang(e: Expr, ctx: Ctx): string {
  if (e === null) return 'null()';
  if (typeof e === 'string') return `'${e.includes("'") ? e.replace(/'/g, "''") : e}'`;
  if (typeof e === 'number') return String(e);
  if (typeof e === 'boolean') return e ? 'true()' : 'false()';
  if (e instanceof ParamRef) return `parameters(${lang(e.name, ctx)})`;
  if (e instanceof ResourceIdRef) return idExpr(e.resource, ctx);
  if (e instanceof ResourceNameRef) return lang(e.resource.name, ctx);
  if (e instanceof ResourcePropRef) {
    const [top, ...rest] = e.path;
    const id = idExpr(e.resource, ctx);
    const version = lang(e.resource.apiVersion, ctx);
    if (top === 'properties') return `reference(${id}, ${version})${access(rest)}`;
    return `reference(${id}, ${version}, 'full')${access(e.path)}`;
  }
  if (e instanceof Call) return `${e.fn}(${e.args.map((a) => lang(a, ctx)).join(', ')})${access(e.access)}`;
  if (e instanceof FileText) return lang(e.content, ctx);
  if (e instanceof Cond) return `if(${lang(e.test, ctx)}, ${lang(e.then, ctx)}, ${lang(e.otherwise, ctx)})`;
  if (e instanceof Not) return `not(${lang(e.value, ctx)})`;
  if (e instanceof Interp) {
    let format = '';
    const args: string[] = [];
    for (const p of e.parts) {
      if (typeof p === 'string') format += p.replace(/\{/g, '{{').replace(/\}/g, '}}');
      else {
        format += `{${args.length}}`;
        args.push(lang(p, ctx));
      }
    }
    return `format(${[lang(format, ctx), ...args].join(', ')})`;
  }
  if (Array.isArray(e)) return `createArray(${e.map((x) => lang(x, ctx)).join(', ')})`;
  if (e instanceof ExprNode) throw new Error(`cannot render expression ${e.constructor.name}`);
  const pairs = Object.entries(e as ExprObject).flatMap(([k, v]) => (v === undefined ? [] : [lang(k, ctx), lang(v, ctx)]));
  return `createObject(${pairs.join(', ')})`;
}

function access(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(p) ? `.${p}` : `['${p.replace(/'/g, "''")}']`)).join('');
}
