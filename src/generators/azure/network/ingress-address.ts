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
 * Pure: the same plan and allocation as the network builder (./plan.ts, ./cidr.ts).
 */
import type { Design } from '../../../schemas/design.js';
import { DesignIndex } from '../../../model/design-index.js';
import { allocateSubnets, blockSize, formatIp } from './cidr.js';
import { planSubnets, uniqueNodes } from './plan.js';

/** The address space the network builder uses when the design has no virtualNetwork node. */
export const DEFAULT_ADDRESS_SPACE = '10.0.0.0/16';

/** The address space of the design's network: its first virtualNetwork node's, else the default. */
export function designAddressSpace(ctx: DesignIndex): string {
  return uniqueNodes(ctx.nodesOfType('virtualNetwork'))[0]?.properties.addressSpace ?? DEFAULT_ADDRESS_SPACE;
}

/** AKS cluster id -> the private IPv4 address of its ingress load balancer. Empty when the subnets do not fit. */
export function ingressAddresses(design: Design | DesignIndex): Map<string, string> {
  const ctx = design instanceof DesignIndex ? design : new DesignIndex(design);
  const planned = planSubnets(ctx);
  const out = new Map<string, string>();
  let allocations;
  try {
    allocations = allocateSubnets(designAddressSpace(ctx), planned.map((s) => s.request));
  } catch {
    // The network builder reports the address space as too small; nothing can be pinned.
    return out;
  }
  planned.forEach((s, i) => {
    if (s.role !== 'aks' || !s.nodeId) return;
    const cidr = allocations[i]!.cidr;
    out.set(s.nodeId, formatIp(cidr.start + blockSize(cidr.prefix) - 2));
  });
  return out;
}
