/** Names the generators give to what they create: Azure names (one scheme with the validator) and Kubernetes names. */
import { derivedResourceName, resourceName as modelResourceName } from '../model/naming.js';
import type { Design, DesignNode, NodeType } from '../schemas/design.js';

/** The Azure name of a node's main resource: its `name`, or `<metadata.name>-<id>` (see src/model/naming.ts). */
export function resourceName(design: Pick<Design, 'metadata'>, node: Pick<DesignNode, 'id' | 'type' | 'name'>): string {
  return modelResourceName(design.metadata.name, node as DesignNode).name;
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
