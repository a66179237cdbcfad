/** Reachability of the ingress from API Management (GW470-GW479): what the generated platform needs so that its request path works once deployed. */
import { defineRule, type Rule } from '../rule.js';
import { fixWith, setOp } from './graph.js';

/** Tiers that can be injected into a subnet in internal mode (learn.microsoft.com/azure/api-management/virtual-network-concepts). */
const INTERNAL_TIERS: ReadonlySet<string> = new Set(['Developer', 'Premium']);

export const APIM_REACHABILITY_RULES: readonly Rule[] = [
  defineRule({
    id: 'GW470',
    name: 'apim-reaches-private-ingress',
    category: 'architecture',
    severity: 'error',
    title: 'API Management that calls an AKS ingress is in the virtual network',
    rationale:
      "The generated ingress sits behind an internal load balancer, at a private address of the cluster's subnet, and its host name resolves only in the private DNS zone linked to the virtual network. An API Management instance outside the network can neither resolve the host nor reach the address: every call to the backend fails.",
    source: { tool: 'Microsoft Learn', ref: 'Use a virtual network with Azure API Management', url: 'https://learn.microsoft.com/azure/api-management/virtual-network-concepts' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (apim.properties.virtualNetworkType !== 'None') continue;
        const clusters = [...new Set(ctx.outgoing(apim.id).filter(({ edge, to }) => (edge.type === 'mtls' || edge.type === 'https') && to?.type === 'aksCluster').map(({ to }) => to!.id))];
        if (clusters.length === 0) continue;
        const canInject = INTERNAL_TIERS.has(apim.properties.sku);
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" is not in a virtual network but calls the private ingress of AKS cluster ${clusters.map((c) => `"${c}"`).join(', ')}: it cannot resolve or reach it; ${canInject ? 'set virtualNetworkType to Internal' : 'use a tier that joins the virtual network (Developer or Premium in internal mode, StandardV2 in external mode)'}`,
          ['properties', 'virtualNetworkType'],
          canInject ? fixWith('Use internal mode', setOp({ kind: 'node', id: apim.id }, ['properties', 'virtualNetworkType'], 'Internal')) : {},
        );
      }
    },
  }),
];
