/**
 * Which edge types make sense between which node types (spec, "Edges").
 * The canvas offers only these connections; the validator reports any other.
 */
import type { EdgeType, NodeType } from './design.js';

/** Azure resources that emit diagnostics (everything but the outside world and pure control planes). */
export const DIAGNOSTIC_SOURCES: readonly NodeType[] = [
  'applicationGateway',
  'apiManagement',
  'aksCluster',
  'containerRegistry',
  'sqlDatabase',
  'cosmosDb',
  'keyVault',
  'applicationInsights',
  'bastion',
  'virtualNetwork',
];

/** Resources a Defender for Cloud plan can cover. */
export const PROTECTABLE: readonly NodeType[] = [
  'applicationGateway',
  'apiManagement',
  'aksCluster',
  'containerRegistry',
  'sqlDatabase',
  'cosmosDb',
  'keyVault',
  'virtualNetwork',
];

/** Platform services reached over Private Link. */
export const PRIVATE_LINK_TARGETS: readonly NodeType[] = ['sqlDatabase', 'cosmosDb', 'keyVault', 'containerRegistry'];

export interface EdgeEnds {
  readonly from: readonly NodeType[];
  readonly to: readonly NodeType[];
  /** Pairs outside from × to that are also allowed. */
  readonly pairs?: readonly (readonly [NodeType, NodeType])[];
}

export const EDGE_ENDS: Readonly<Record<EdgeType, EdgeEnds>> = {
  https: {
    from: ['internet', 'applicationGateway'],
    to: ['applicationGateway', 'apiManagement'],
    pairs: [['apiManagement', 'aksCluster']],
  },
  mtls: { from: ['apiManagement'], to: ['aksCluster'] },
  privateLink: { from: ['aksCluster', 'virtualNetwork'], to: PRIVATE_LINK_TARGETS },
  tokenValidation: { from: ['apiManagement'], to: ['entraId'] },
  imagePull: { from: ['aksCluster'], to: ['containerRegistry'] },
  secrets: { from: ['applicationGateway', 'apiManagement', 'aksCluster'], to: ['keyVault'] },
  diagnostics: {
    from: DIAGNOSTIC_SOURCES,
    to: ['logAnalytics'],
    pairs: [
      ['apiManagement', 'applicationInsights'],
      ['aksCluster', 'applicationInsights'],
    ],
  },
  protects: { from: ['defenderForCloud'], to: PROTECTABLE },
  siem: { from: ['sentinel'], to: ['logAnalytics'] },
  remoteAccess: { from: ['bastion'], to: ['aksCluster', 'virtualNetwork'] },
};

/** Whether an edge of this type may join these two node types. */
export function edgeFits(type: EdgeType, from: NodeType, to: NodeType): boolean {
  const ends = EDGE_ENDS[type];
  if (ends.from.includes(from) && ends.to.includes(to)) return true;
  return (ends.pairs ?? []).some(([f, t]) => f === from && t === to);
}

/** The edge types that fit between two node types, in the order the canvas offers them. */
export function allowedEdgeTypes(from: NodeType, to: NodeType): EdgeType[] {
  return (Object.keys(EDGE_ENDS) as EdgeType[]).filter((t) => edgeFits(t, from, to));
}
