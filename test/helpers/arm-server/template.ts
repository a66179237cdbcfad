/**
 * What the test Resource Manager does with a template: validates it against its parameters the way ARM does
 * (undeclared parameters, missing values, expressions that do not evaluate), and lists the resources it deploys with
 * their resource ids, expanding nested deployments (inner expression scope, resource group or subscription target).
 * A resource whose `condition` is false is not deployed
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/conditional-resource-deployment). Each resource's
 * body is evaluated as Resource Manager sends it to the provider, so that the what-if compares values, not template
 * text; only what Resource Manager itself knows at deployment time alone (reference() and list*() of resources
 * deployed by the same template) stays as written, as the real what-if shows it
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if#confidence-level).
 * A resource declared again by a nested deployment (API Management's custom-domain step) is deployed after the
 * outer template's own declaration, which the nested one depends on: the later declaration is what stays.
 */
import { evaluateDeep, evaluateString, ExpressionError, isExpression, typedPath, type EvalContext, type Value } from './expressions.js';

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
  /** Every resource that ends up deployed, nested templates expanded (a nested deployment's declaration of an id replaces the outer one). */
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
  const own: PlannedResource[] = [];
  const fromNested: PlannedResource[] = [];
  const rgPrefix = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}`;
  const subPrefix = `/subscriptions/${ctx.subscriptionId}`;
  for (const raw of template.resources as unknown[]) {
    if (!isObject(raw)) throw new ExpressionError('a resource is not an object');
    if ('condition' in raw) {
      const condition = typeof raw.condition === 'string' ? evaluateString(raw.condition, ctx) : raw.condition;
      if (typeof condition !== 'boolean') throw new ExpressionError(`a resource's condition must be a boolean, not ${JSON.stringify(condition)}`);
      if (!condition) continue;
    }
    const type = String(raw.type);
    const name = text(evaluateString(String(raw.name), ctx), 'name');
    const names = name.split('/');
    const scopeId = typeof raw.scope === 'string' ? text(evaluateString(raw.scope, ctx), 'scope') : undefined;
    const isNested = type.toLowerCase() === 'microsoft.resources/deployments';
    // A nested deployment with a subscriptionId and no resourceGroup targets the subscription.
    const subscriptionScoped = target === 'subscription' || (isNested && raw.subscriptionId !== undefined && raw.resourceGroup === undefined);
    const base = scopeId ?? (subscriptionScoped ? subPrefix : rgPrefix);
    const id = `${base}/providers/${typedPath(type, names)}`;
    const { type: _t, name: _n, apiVersion, dependsOn: _d, scope: _s, condition: _c, ...raws } = raw;
    const body = isNested ? raws : (evaluateBody(raws, ctx) as Json);
    const planned: PlannedResource = { id, type, name, apiVersion: String(apiVersion ?? ''), body, nested: false };
    operations.push(planned);
    if (!isNested) {
      own.push(planned);
      continue;
    }
    // A nested deployment: its own template, with its own parameters (inner evaluation scope).
    const props = isObject(raw.properties) ? raw.properties : {};
    const inner = isObject(props.template) ? props.template : undefined;
    if (!inner) continue;
    const innerParams: Record<string, Value> = {};
    const given = isObject(props.parameters) ? props.parameters : {};
    for (const [k, v] of Object.entries(given)) if (isObject(v) && 'value' in v) innerParams[k] = evaluateBody(v.value, ctx);
    const innerPlan = plan(inner, { ...ctx, parameters: innerParams }, subscriptionScoped ? 'subscription' : 'resourceGroup');
    for (const r of innerPlan.resources) fromNested.push({ ...r, nested: true });
  }
  // Each id once, where it is first deployed, with the body of its last declaration (a nested deployment's).
  const resources: PlannedResource[] = [];
  const at = new Map<string, number>();
  for (const r of [...own, ...fromNested]) {
    const key = r.id.toLowerCase();
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, resources.length);
      resources.push(r);
    } else {
      resources[i] = r;
    }
  }
  const outputs: Record<string, { type: string; value: Value }> = {};
  for (const [name, o] of Object.entries(isObject(template.outputs) ? template.outputs : {})) {
    if (!isObject(o)) continue;
    outputs[name] = { type: capitalize(String(o.type ?? 'string')), value: evaluateDeep(o.value, ctx) };
  }
  return { operations, resources, outputs };
}

/** Functions whose value only the deployment itself knows: the resources it reads are deployed by the same template. */
const RUNTIME_ONLY = /\b(reference|list[a-z]*)\s*\(/i;

/**
 * A resource body with its expressions evaluated; an expression that reads a resource at deployment time (reference(),
 * list*()) and cannot be known before stays as written. Any other expression that does not evaluate is an error.
 */
function evaluateBody(value: unknown, ctx: EvalContext): Value {
  if (typeof value === 'string') {
    if (!isExpression(value)) return evaluateString(value, ctx);
    try {
      return evaluateString(value, ctx);
    } catch (e) {
      if (e instanceof ExpressionError && RUNTIME_ONLY.test(value)) return value;
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v) => evaluateBody(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateBody(v, ctx)]));
  return (value ?? null) as Value;
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
