/**
 * Which moves the canvas refuses: a resource the generators put in a subnet stays in that subnet and in the
 * virtual network, and a resource outside the network (Key Vault, SQL, Cosmos DB: reached through a private
 * endpoint) is never dropped into it. The canvas would otherwise draw something the templates do not build.
 * Pure: judged against the containers as drawn when the drag started.
 */
import type { DesignNode } from '../../schemas/design.js';
import { NODE_CATALOG } from '../catalog.js';
import { containerRects, containsPoint, intersects, type NetworkGeometry, type NetworkModel, type Rect } from './network.js';

function subnetLabel(model: NetworkModel, id: string): string {
  const s = model.subnets.find((x) => x.id === id);
  return s ? `${s.name}${s.prefix ? ` (${s.prefix})` : ''}` : id;
}

/** Why the drop of `node` at `rect` is refused, or undefined when it is fine. */
export function refusedMove(model: NetworkModel, geometry: NetworkGeometry, node: DesignNode, rect: Rect): string | undefined {
  if (node.id === model.nodeId) return undefined;
  const what = `${NODE_CATALOG[node.type].title} ${node.id}`;
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const home = model.home.get(node.id);
  // A container drawn as several boxes (its members apart, around other nodes) is in each of them.
  const vnet = containerRects(geometry, model.id);
  if (home) {
    for (const s of model.subnets) {
      if (s.id === home) continue;
      if (containerRects(geometry, s.id).some((box) => containsPoint(box, cx, cy))) {
        return `${what} sits in subnet ${subnetLabel(model, home)}, as the generated template deploys it; it cannot move into ${subnetLabel(model, s.id)}.`;
      }
    }
    if (vnet.length && !vnet.some((box) => containsPoint(box, cx, cy))) {
      return `${what} sits in subnet ${subnetLabel(model, home)} of the virtual network ${model.title}; it cannot move out of the network.`;
    }
    return undefined;
  }
  if (vnet.some((box) => intersects(box, rect))) {
    const reached = node.type === 'keyVault' || node.type === 'sqlDatabase' || node.type === 'cosmosDb' || node.type === 'containerRegistry';
    return `${what} is not in the virtual network ${model.title}${reached ? ' (the network reaches it through its private endpoint)' : ''}; drop it outside the network.`;
  }
  return undefined;
}
