/** Names the generators give to what they create: Azure names (one scheme with the validator) and Kubernetes names. */
import { derivedResourceName, readableName, resourceName as modelResourceName, type NodeName } from '../model/naming.js';
import type { Design, DesignNode, NodeType } from '../schemas/design.js';
import { call, interp, resourceGroupId, type Expr } from './ir/expr.js';
import { toIdentifier } from './ir/template.js';

/**
 * The Azure name of a node's main resource as text: its `name`, or `<metadata.name>-<id>`; a derived name that must be
 * unique in all of Azure shows its suffix as <suffix> (see src/model/naming.ts). For messages and the README.
 */
export function resourceName(design: Pick<Design, 'metadata'>, node: Pick<DesignNode, 'id' | 'type' | 'name'>): string {
  return nodeName(design, node).name;
}

export function nodeName(design: Pick<Design, 'metadata'>, node: Pick<DesignNode, 'id' | 'type' | 'name'>): NodeName {
  return modelResourceName(design.metadata.name, node as DesignNode);
}

/** The name of a node's main resource in the template: a literal, or `<prefix>${uniqueString(resourceGroup().id)}`. */
export function resourceNameExpr(design: Pick<Design, 'metadata'>, node: Pick<DesignNode, 'id' | 'type' | 'name'>): Expr {
  const n = nodeName(design, node);
  return n.uniquePrefix === undefined ? n.name : interp(n.uniquePrefix, call('uniqueString', [resourceGroupId()]));
}

/** The readable name (no unique suffix), for the names of resources that belong to a node. */
export function baseName(design: Pick<Design, 'metadata'>, node: Pick<DesignNode, 'id' | 'type' | 'name'>): string {
  return readableName(design.metadata.name, node);
}

/** The name derived from the design name and the node id, ignoring any explicit `name`. */
export function derivedName(designName: string, nodeId: string, type: NodeType): string {
  return derivedResourceName(designName, { id: nodeId, type });
}

/** A DNS-1123 label from any id: lower case, [a-z0-9-], at most 63 characters, starting and ending alphanumeric. */
export function kubernetesName(id: string): string {
  const s = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s || 'x';
}

/**
 * The template output that holds the name Resource Manager gave a node's derived globally unique name
 * (`<id>Name`): deploy reads it to put the real name where the Kubernetes manifests show `<prefix><suffix>`. Node ids
 * that give one identifier (`gw-1` and `gw1` both give `gw1Name`) are told apart in design order: the second gets
 * `gw1Name2`. Undefined for a node whose name is not derived with the unique suffix.
 */
export function uniqueNameOutput(design: Pick<Design, 'metadata' | 'nodes'>, nodeId: string): string | undefined {
  return uniqueNameOutputs(design).get(nodeId);
}

/** uniqueNameOutput of every node that has one: node id -> output name. */
export function uniqueNameOutputs(design: Pick<Design, 'metadata' | 'nodes'>): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of design.nodes) {
    if (out.has(node.id) || nodeName(design, node).uniquePrefix === undefined) continue;
    const base = toIdentifier(`${node.id}-name`);
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}${i}`;
    taken.add(name.toLowerCase());
    out.set(node.id, name);
  }
  return out;
}
