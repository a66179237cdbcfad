/**
 * What the test Resource Manager does with a template: validates it against its parameters the way ARM does
 * (undeclared parameters, missing values, expressions that do not evaluate), and lists the resources it deploys with
 * their resource ids, expanding nested deployments (inner expression scope, resource group or subscription target).
 */
import { evaluateDeep, evaluateString, ExpressionError, typedPath, type EvalContext, type Value } from './expressions.js';

export interface ArmErrorBody {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorBody[];
}

export interface PlannedResource {
  readonly id: string;
  readonly type: string;
  /** Full name: segments joined with '/'. */
  readonly name: string;
  readonly apiVersion: string;
  /** Everything the template says of the resource but its identity: location, tags, sku, properties... (raw). */
  readonly body: Record<string, unknown>;
  /** Whether it comes from a nested deployment's template. */
  readonly nested: boolean;
}

export interface Plan {
  /** The resources of the outer template, each one a deployment operation (nested deployments included as such). */
  readonly operations: readonly PlannedResource[];
  /** Every resource that ends up deployed, nested templates expanded (first occurrence of an id wins). */
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, { type: string; value: Value }>>;
}

export interface Scope {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly resourceGroup: string;
  readonly location: string;
}

type Json = Record<string, unknown>;

/** The template's problems as ARM reports them (InvalidTemplate messages), or a plan of what it deploys. */
export function planTemplate(template: unknown, parameters: unknown, scope: Scope): { errors: ArmErrorBody[] } | { plan: Plan } {
  if (!isObject(template)) return { errors: [invalid('The request content is not a valid template: it is not a JSON object.')] };
  if (!Array.isArray(template.resources)) return { errors: [invalid("Deployment template validation failed: 'The template has no 'resources' array.'")] };
  const declared = isObject(template.parameters) ? template.parameters : {};
  const given = isObject(parameters) ? parameters : {};
  const errors: ArmErrorBody[] = [];
  const extra = Object.keys(given).filter((k) => !(k in declared));
  if (extra.length) {
    errors.push(
      invalid(
        `Deployment template validation failed: 'The template parameters '${extra.join(', ')}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${Object.keys(declared).join(', ')}'. Please see https://aka.ms/arm-pass-parameter-values for usage details.'.`,
      ),
    );
  }
  const values: Record<string, Value> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const d = isObject(decl) ? decl : {};
    const entry = given[name];
    if (isObject(entry) && 'value' in entry) values[name] = entry.value as Value;
    else if ('defaultValue' in d) values[name] = null;
    else errors.push(invalid(`Deployment template validation failed: 'The value for the template parameter '${name}' at line '1' and column '1' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.'.`));
  }
  if (errors.length) return { errors };
  const ctx0: EvalContext = { ...scope, parameters: values };
  // Defaults may use other parameters and functions: evaluate them once the given values are known.
  for (const [name, decl] of Object.entries(declared)) {
    const d = isObject(decl) ? decl : {};
    if (values[name] === null && 'defaultValue' in d) {
      try {
        values[name] = evaluateDeep(d.defaultValue, ctx0);
      } catch (e) {
        errors.push(invalid(`Deployment template validation failed: the default value of parameter '${name}' is not valid: ${message(e)}`));
      }
    }
  }
  if (errors.length) return { errors };
  try {
    return { plan: plan(template, { ...scope, parameters: values }, 'resourceGroup') };
  } catch (e) {
    return { errors: [invalid(`Deployment template validation failed: ${message(e)}`)] };
  }
}

function plan(template: Json, ctx: EvalContext, target: 'resourceGroup' | 'subscription'): Plan {
  const operations: PlannedResource[] = [];
  const resources: PlannedResource[] = [];
  const seen = new Set<string>();
  const keep = (r: PlannedResource) => {
    const key = r.id.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    resources.push(r);
  };
  const rgPrefix = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}`;
  const subPrefix = `/subscriptions/${ctx.subscriptionId}`;
  for (const raw of template.resources as unknown[]) {
    if (!isObject(raw)) throw new ExpressionError('a resource is not an object');
    const type = String(raw.type);
    const name = text(evaluateString(String(raw.name), ctx), 'name');
    const names = name.split('/');
    const scopeId = typeof raw.scope === 'string' ? text(evaluateString(raw.scope, ctx), 'scope') : undefined;
    const isNested = type.toLowerCase() === 'microsoft.resources/deployments';
    // A nested deployment with a subscriptionId and no resourceGroup targets the subscription.
    const subscriptionScoped = target === 'subscription' || (isNested && raw.subscriptionId !== undefined && raw.resourceGroup === undefined);
    const base = scopeId ?? (subscriptionScoped ? subPrefix : rgPrefix);
    const id = `${base}/providers/${typedPath(type, names)}`;
    const { type: _t, name: _n, apiVersion, dependsOn: _d, scope: _s, ...body } = raw;
    const planned: PlannedResource = { id, type, name, apiVersion: String(apiVersion ?? ''), body, nested: false };
    operations.push(planned);
    if (!isNested) {
      keep(planned);
      continue;
    }
    // A nested deployment: its own template, with its own parameters (inner evaluation scope).
    const props = isObject(raw.properties) ? raw.properties : {};
    const inner = isObject(props.template) ? props.template : undefined;
    if (!inner) continue;
    const innerParams: Record<string, Value> = {};
    const given = isObject(props.parameters) ? props.parameters : {};
    for (const [k, v] of Object.entries(given)) if (isObject(v) && 'value' in v) innerParams[k] = evaluateDeep(v.value, ctx);
    const innerPlan = plan(inner, { ...ctx, parameters: innerParams }, subscriptionScoped ? 'subscription' : 'resourceGroup');
    for (const r of innerPlan.resources) keep({ ...r, nested: true });
  }
  const outputs: Record<string, { type: string; value: Value }> = {};
  for (const [name, o] of Object.entries(isObject(template.outputs) ? template.outputs : {})) {
    if (!isObject(o)) continue;
    outputs[name] = { type: capitalize(String(o.type ?? 'string')), value: evaluateDeep(o.value, ctx) };
  }
  return { operations, resources, outputs };
}

function invalid(message: string): ArmErrorBody {
  return { code: 'InvalidTemplate', message };
}

function text(v: Value, what: string): string {
  if (typeof v !== 'string') throw new ExpressionError(`the resource ${what} must be a string, not ${JSON.stringify(v)}`);
  return v;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
