/**
 * Fixtures of the identity, data service, AKS, private link and role assignment tests: designs from YAML (the
 * reference, its mutations, and small designs written out), the IR they build, and lookups into it.
 */
import assert from 'node:assert/strict';
import { parseDesign } from '../../src/document/parse.js';
import { AzureBuild } from '../../src/generators/azure/build.js';
import { buildAzureDeployment } from '../../src/generators/azure/index.js';
import { buildClusters } from '../../src/generators/azure/aks.js';
import { buildDataServices } from '../../src/generators/azure/data/services.js';
import { buildIdentities } from '../../src/generators/azure/identity.js';
import { buildWorkspaces } from '../../src/generators/azure/monitoring.js';
import { buildNetwork } from '../../src/generators/azure/network/resources.js';
import { Call, ExprNode, Interp, ParamRef, ResourceIdRef, ResourceNameRef, ResourcePropRef, type Expr, type ExprObject } from '../../src/generators/ir/expr.js';
import type { Resource, Template } from '../../src/generators/ir/template.js';
import type { Design } from '../../src/schemas/design.js';

export function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(parsed.findings)}`);
  return parsed.design as Design;
}

export interface Built {
  readonly template: Template;
  readonly notes: readonly string[];
  readonly resources: readonly Resource[];
}

/** The whole Azure deployment of a design. */
export function build(text: string): Built {
  const { template, notes } = buildAzureDeployment(designOf(text));
  return { template, notes, resources: template.resources };
}

/** The builders up to the clusters (network, identities, workspaces, data, clusters), with the build state. */
export function buildUpToClusters(text: string): AzureBuild {
  const b = new AzureBuild(designOf(text));
  for (const step of [buildNetwork, buildIdentities, buildWorkspaces, buildDataServices, buildClusters]) step(b);
  return b;
}

export function ofType(built: Built, type: string): Resource[] {
  return built.resources.filter((r) => r.type === type);
}

/**
 * The resource of a type with a name: a literal, or a derived globally unique name written as its readable prefix
 * followed by "<suffix>" (`payments-sql-<suffix>` is `payments-sql-${uniqueString(resourceGroup().id)}`).
 */
export function named(built: Built, type: string, name: string): Resource {
  const unique = name.endsWith('<suffix>') ? `\`${name.slice(0, -'<suffix>'.length)}\${uniqueString(resourceGroup().id)}\`` : undefined;
  const r = built.resources.find((x) => x.type === type && (unique ? render(x.name) === unique : x.name === name));
  assert.ok(r, `no ${type} named ${name}; there are: ${ofType(built, type).map((x) => render(x.name)).join(', ')}`);
  return r;
}

export function props(r: Resource): ExprObject {
  const p = r.body.properties;
  assert.ok(p && typeof p === 'object' && !Array.isArray(p) && !(p instanceof ExprNode), `${r.symbol} has no literal properties`);
  return p as ExprObject;
}

/** A compact text form of an expression, for assertions: literals as JSON, references as <symbol>.path. */
export function render(e: Expr | undefined): string {
  if (e === undefined) return 'undefined';
  if (e instanceof ParamRef) return `param(${e.name})`;
  if (e instanceof ResourceIdRef) return `${e.resource.symbol}.id`;
  if (e instanceof ResourceNameRef) return `${e.resource.symbol}.name`;
  if (e instanceof ResourcePropRef) return `${e.resource.symbol}.${e.path.join('.')}`;
  if (e instanceof Call) return `${e.fn}(${e.args.map(render).join(', ')})${e.access.map((a) => `.${a}`).join('')}`;
  if (e instanceof Interp) return `\`${e.parts.map((p) => (typeof p === 'string' ? p : `\${${render(p)}}`)).join('')}\``;
  if (e instanceof ExprNode) return e.constructor.name;
  if (Array.isArray(e)) return `[${e.map(render).join(', ')}]`;
  if (e !== null && typeof e === 'object') {
    return `{${Object.entries(e as ExprObject)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${render(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(e);
}

/** The literal arguments of a guid(resourceGroup().id, ...) name; fails for any other form. */
export function guidArgs(r: Resource): string[] {
  const name = r.name;
  assert.ok(name instanceof Call && name.fn === 'guid', `${r.symbol}: the name is not guid(...): ${render(name)}`);
  const [first, ...rest] = name.args;
  assert.equal(render(first), 'resourceGroup().id', `${r.symbol}: guid() starts with resourceGroup().id`);
  for (const a of rest) assert.equal(typeof a, 'string', `${r.symbol}: guid() argument ${render(a)} is not a literal`);
  return rest as string[];
}

/** A small design, as YAML, with the given nodes and edges (flow style), a virtual network included. */
export function smallDesign(nodes: string, edges: string, name = 'shop'): string {
  return `apiVersion: gatewright/v1
kind: Architecture
metadata:
  name: ${name}
  location: westeurope
nodes:
  - { id: vnet, type: virtualNetwork }
${nodes
  .trim()
  .split('\n')
  .map((l) => `  ${l.trim()}`)
  .join('\n')}
edges:
${edges
  .trim()
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => `  ${l.trim()}`)
  .join('\n') || '  []'}
`;
}
