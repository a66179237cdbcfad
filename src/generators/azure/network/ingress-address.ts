/**
 * The private address of each AKS cluster's ingress: chosen from the cluster's node subnet in the subnet plan, so that
 * the Azure template (the private DNS record API Management calls) and the Kubernetes manifests (the internal load
 * balancer pinned to it) agree before anything is deployed, and the first deployment needs no second run.
 *
 * The address is the last one Azure lets a subnet use: Azure reserves the first four and the last address of every
 * subnet (learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
 * With Azure CNI Overlay only the nodes take addresses of the subnet, from the start, so the end of the subnet stays
 * free for the load balancer (learn.microsoft.com/azure/aks/internal-lb#specify-an-ip-address: the address must be in
 * the cluster's subnet and not assigned to a resource).
 *
 * Pure: the same plan and allocation as the network builder (src/model/subnet-plan.ts, src/model/cidr.ts).
 */
import type { Design } from '../../../schemas/design.js';
import { DesignIndex } from '../../../model/design-index.js';
import { blockSize, formatIp } from '../../../model/cidr.js';
import { allocatedSubnets, DEFAULT_ADDRESS_SPACE, designAddressSpace } from '../../../model/subnet-plan.js';

export { DEFAULT_ADDRESS_SPACE, designAddressSpace };

/** AKS cluster id -> the private IPv4 address of its ingress load balancer. Empty when the subnets do not fit. */
export function ingressAddresses(design: Design | DesignIndex): Map<string, string> {
  const ctx = design instanceof DesignIndex ? design : new DesignIndex(design);
  const out = new Map<string, string>();
  // When the subnets do not fit the network builder reports the address space as too small; nothing can be pinned.
  for (const s of allocatedSubnets(ctx).subnets) {
    if (s.role !== 'aks' || !s.nodeId || !s.cidr) continue;
    out.set(s.nodeId, formatIp(s.cidr.start + blockSize(s.cidr.prefix) - 2));
  }
  return out;
}
