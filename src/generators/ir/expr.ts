/**
 * Expressions of the deployment IR: values that render both as Bicep and as ARM template language.
 * Plain JSON values (strings, numbers, booleans, null, arrays, objects) are literals; the classes below are
 * references and function calls.
 */

export type Expr = string | number | boolean | null | readonly Expr[] | ExprObject | ExprNode;
export interface ExprObject {
  readonly [key: string]: Expr | undefined;
}

export abstract class ExprNode {
  protected readonly brand = 'expr';
}

/** A template parameter. */
export class ParamRef extends ExprNode {
  constructor(readonly name: string) {
    super();
  }
}

/** The id of a resource of this template. */
export class ResourceIdRef extends ExprNode {
  constructor(readonly resource: Resource) {
    super();
  }
}

/** The name of a resource of this template (its own, last segment). */
export class ResourceNameRef extends ExprNode {
  constructor(readonly resource: Resource) {
    super();
  }
}

/**
 * A run-time property of a resource of this template, such as ['properties', 'privateIPAddresses', 0] or
 * ['identity', 'principalId']. The first segment is a top-level key of the resource.
 */
export class ResourcePropRef extends ExprNode {
  constructor(
    readonly resource: Resource,
    readonly path: readonly (string | number)[],
  ) {
    super();
  }
}

/** A call to a template function that has the same name and arguments in Bicep and ARM (guid, tenant, ...). */
export class Call extends ExprNode {
  constructor(
    readonly fn: string,
    readonly args: readonly Expr[] = [],
    /** Property access on the result: tenant().tenantId is Call('tenant', [], ['tenantId']). */
    readonly access: readonly string[] = [],
  ) {
    super();
  }
}

/** String interpolation: parts joined; renders as '${...}' in Bicep and format() in ARM. */
export class Interp extends ExprNode {
  constructor(readonly parts: readonly Expr[]) {
    super();
  }
}

/** Interpolation parts with any interpolation among them spliced in and adjacent literals joined (one '${...}' / format()). */
function flatParts(parts: readonly Expr[]): Expr[] {
  const flat: Expr[] = [];
  for (const p of parts.flatMap((x) => (x instanceof Interp ? x.parts : [x]))) {
    const last = flat[flat.length - 1];
    if (typeof p === 'string' && typeof last === 'string') flat[flat.length - 1] = last + p;
    else if (p !== '') flat.push(p);
  }
  return flat;
}

/** A choice: `test ? then : otherwise` in Bicep, if(test, then, otherwise) in ARM. */
export class Cond extends ExprNode {
  constructor(
    readonly test: Expr,
    readonly then: Expr,
    readonly otherwise: Expr,
  ) {
    super();
  }
}

/** Logical negation: `!x` in Bicep, not(x) in ARM. */
export class Not extends ExprNode {
  constructor(readonly value: Expr) {
    super();
  }
}

/** The text of a file shipped beside the template: loadTextContent() in Bicep, the inlined text in ARM. */
export class FileText extends ExprNode {
  constructor(
    /** Path relative to the Bicep file. */
    readonly bicepPath: string,
    readonly content: string,
  ) {
    super();
  }
}

// ---------------------------------------------------------------- constructors

export const param = (name: string) => new ParamRef(name);
export const idOf = (r: Resource) => new ResourceIdRef(r);
export const nameOf = (r: Resource) => new ResourceNameRef(r);
export const propOf = (r: Resource, ...path: (string | number)[]) => new ResourcePropRef(r, path);
export const call = (fn: string, args: readonly Expr[] = [], access: readonly string[] = []) => new Call(fn, args, access);
export const interp = (...parts: Expr[]) => new Interp(flatParts(parts));
export const fileText = (bicepPath: string, content: string) => new FileText(bicepPath, content);
export const cond = (test: Expr, then: Expr, otherwise: Expr) => new Cond(test, then, otherwise);
export const not = (value: Expr) => new Not(value);

export const location = () => param('location');
export const tenantId = () => call('tenant', [], ['tenantId']);
export const subscriptionId = () => call('subscription', [], ['subscriptionId']);
export const resourceGroupId = () => call('resourceGroup', [], ['id']);
/** A cloud-specific DNS suffix, e.g. environment().suffixes.sqlServerHostname. */
export const envSuffix = (name: string) => call('environment', [], ['suffixes', name]);
export const roleDefinitionId = (guid: string) =>
  call('subscriptionResourceId', ['Microsoft.Authorization/roleDefinitions', guid]);

/** Every resource an expression refers to (for dependsOn). */
export function referencedResources(e: Expr | undefined, out: Set<Resource> = new Set()): Set<Resource> {
  if (e === undefined || e === null || typeof e !== 'object') return out;
  if (e instanceof ResourceIdRef || e instanceof ResourceNameRef || e instanceof ResourcePropRef) {
    out.add(e.resource);
  } else if (e instanceof Call) {
    e.args.forEach((a) => referencedResources(a, out));
  } else if (e instanceof Interp) {
    e.parts.forEach((a) => referencedResources(a, out));
  } else if (e instanceof Cond) {
    [e.test, e.then, e.otherwise].forEach((a) => referencedResources(a, out));
  } else if (e instanceof Not) {
    referencedResources(e.value, out);
  } else if (e instanceof ExprNode) {
    // ParamRef, FileText: no resource
  } else if (Array.isArray(e)) {
    e.forEach((a) => referencedResources(a, out));
  } else {
    for (const v of Object.values(e as ExprObject)) referencedResources(v, out);
  }
  return out;
}

/** Whether an expression is a literal object (not an array, not a reference or call). */
export function isPlainObject(e: Expr): e is ExprObject {
  return typeof e === 'object' && e !== null && !Array.isArray(e) && !(e instanceof ExprNode);
}

/** One resource of the deployment IR (template.ts); here because expressions refer to resources and resources hold expressions. */
export interface Resource {
  /** Bicep symbolic name; unique in the template; a valid identifier. */
  readonly symbol: string;
  /** Full type, e.g. Microsoft.Network/virtualNetworks/subnets. */
  readonly type: string;
  readonly apiVersion: string;
  /** The resource's own name (last segment for a child); a literal or an expression such as guid(...). */
  readonly name: Expr;
  /** Parent resource, for child types (type = parent.type + '/' + segment). */
  readonly parent?: Resource;
  /** Extension resources (diagnostic settings, role assignments): the resource they apply to. */
  readonly scope?: Resource;
  /** Every other top-level key (location, tags, sku, kind, identity, zones, properties), in render order. */
  readonly body: ExprObject;
  /** Dependencies the expressions do not show (rare). */
  readonly dependsOn?: readonly Resource[];
  /** A comment put above the resource in Bicep. */
  readonly description?: string;
}
