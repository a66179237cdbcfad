/**
 * AKS clusters (Microsoft.ContainerService/managedClusters@2025-10-01, AVM-tested), their control-plane identity
 * and the workload identity federation of their workloads.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters; bicep-types containerservice 2025-10-01):
 * - Identity: a user-assigned control-plane identity, created first and granted Network Contributor on the
 *   cluster's subnet BEFORE the cluster (the cluster depends on the grant), so that the cluster can create the
 *   internal load balancer of the ingress in that subnet from its first minute (aks-docs internal-lb; the AKS
 *   baseline does the same). A system-assigned identity only exists once the cluster does, and its grant would
 *   race the add-ons that create load balancers.
 * - sku Base / Standard (the tier with the uptime SLA, PSRule Azure.AKS.UptimeSLA).
 * - Private cluster (apiServerAccessProfile.enablePrivateCluster, privateDNSZone 'system': AKS creates and links
 *   privatelink.<region>.azmk8s.io); a public API server is restricted to authorizedIPRanges.
 * - Entra ID integration (aadProfile.managed) with Azure RBAC for Kubernetes as the design says; local accounts
 *   disabled as the design says (disableLocalAccounts needs the managed Entra integration, always on here).
 * - Azure CNI Overlay (networkPlugin azure, networkPluginMode overlay): nodes take addresses of the cluster subnet,
 *   pods and services use private ranges outside the virtual network, chosen so they never overlap its address
 *   space; the design's network policy engine (cilium also needs the Cilium dataplane); outbound through the
 *   Standard load balancer.
 * - One system node pool in the cluster subnet, the design's node count and VM size, encryption at host as the
 *   design says, availability zones 1-3 in a region that has them. osDiskType is left to AKS, which picks an ephemeral OS disk when the VM
 *   size's cache or temporary disk holds it and a managed one otherwise.
 * - OIDC issuer and workload identity (securityProfile.workloadIdentity) as the design says; Defender for
 *   Containers' sensor (securityProfile.defender) when a Defender node with the Containers plan protects the
 *   cluster and a diagnostics edge gives it a workspace; Image Cleaner removes unused vulnerable images weekly.
 * - Add-ons: azureKeyvaultSecretsProvider with rotation (every 2 minutes) as the design says; omsagent (Container
 *   insights, Entra ID authenticated: the workspace refuses shared-key ingestion) with a diagnostics edge to a
 *   Log Analytics workspace; azurepolicy as the design says. Add-on config values are strings. Container
 *   insights with Entra ID authentication also needs a data collection rule associated with the cluster
 *   (./container-insights.ts), declared after the cluster.
 * - Application routing add-on (ingressProfile.webAppRouting) when the ingress controller is appRouting, its
 *   default NGINX controller internal (nginx.defaultIngressControllerType Internal, GA since 2025-02-01): the
 *   Kubernetes manifests (src/generators/k8s/app-routing.ts) rely on it and use the class
 *   webapprouting.kubernetes.azure.com.
 * - autoUpgradeProfile: the design's upgrade channel, node OS images through NodeImage. kubernetesVersion is left
 *   out: AKS deploys its default version and the channel keeps it current.
 * After each cluster: federated credentials of the identities its workloads use (./identity.ts).
 */
import type { NodeOf } from '../../schemas/design.js';
import { idOf, tenantId, type Expr, type ExprObject } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { userAssignedIdentities } from './gateway.js';
import { federateWithCluster, IDENTITY_API, IDENTITY_TYPE } from './identity.js';
import { networkPlan, nodeSubnet } from './network/resources.js';
import { formatCidr, formatIp, overlaps, parseCidr, type Cidr } from '../../model/cidr.js';
import { uniqueNodes } from '../../model/subnet-plan.js';
import { protectingPlans } from './data/registry.js';
import { assignRole, ROLES, userAssignedPrincipal } from './roles.js';
import { regionHasZones } from '../../model/azure-facts.js';
import { containerInsightsCollection } from './container-insights.js';

export const AKS_TYPE = 'Microsoft.ContainerService/managedClusters';
export const AKS_API = '2025-10-01';
/** Availability zones of the system node pool. */
export const NODE_ZONES = ['1', '2', '3'] as const;

/** Candidate pod and service ranges of Azure CNI Overlay, in order of preference (the AKS documentation's examples first). */
const POD_CIDRS = ['10.244.0.0/16', '192.168.0.0/16', '172.16.0.0/16', '100.64.0.0/16'];
const SERVICE_CIDRS = ['10.245.0.0/16', '172.20.0.0/16', '192.168.0.0/16', '100.65.0.0/16'];

type Aks = NodeOf<'aksCluster'>;

export interface OverlayRanges {
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The cluster DNS service address: the tenth of the service range. */
  readonly dnsServiceIP: string;
}

/** Pod and service ranges that overlap neither the virtual network's address space nor each other. */
export function overlayRanges(addressSpace: string | undefined): OverlayRanges {
  const taken: Cidr[] = [];
  if (addressSpace) {
    try {
      taken.push(parseCidr(addressSpace));
    } catch {
      // An invalid address space is a validation error; any range will do then.
    }
  }
  const pick = (candidates: readonly string[]): Cidr => {
    const found = candidates.map(parseCidr).find((c) => !taken.some((t) => overlaps(t, c)));
    if (!found) throw new Error(`aks: no overlay range of ${candidates.join(', ')} is free beside ${taken.map(formatCidr).join(', ')}`);
    taken.push(found);
    return found;
  };
  const pods = pick(POD_CIDRS);
  const services = pick(SERVICE_CIDRS);
  return { podCidr: formatCidr(pods), serviceCidr: formatCidr(services), dnsServiceIP: formatIp(services.start + 10) };
}

/** The DNS prefix of a cluster: its name's letters, digits and hyphens, at most 54 characters, ending alphanumeric. */
export function dnsPrefix(name: string): string {
  const s = name
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .slice(0, 54)
    .replace(/^-+|-+$/g, '');
  return s || 'aks';
}

/** The workspace of the cluster's first diagnostics edge to a logAnalytics node. */
function workspaceOf(b: AzureBuild, aks: Aks): { id: string; name: string; resource: Resource } | undefined {
  for (const e of b.index.outgoing(aks.id, 'diagnostics')) {
    if (e.to?.type !== 'logAnalytics') continue;
    const r = b.nodeResources.get(e.to.id);
    if (r) return { id: e.to.id, name: b.name(e.to), resource: r };
  }
  return undefined;
}

export function buildClusters(b: AzureBuild): void {
  const ranges = overlayRanges(networkPlan(b)?.addressSpace);
  for (const aks of uniqueNodes(b.nodes('aksCluster'))) {
    const cluster = buildCluster(b, aks, ranges);
    b.setNodeResource(aks, cluster);
    const workspace = workspaceOf(b, aks);
    if (workspace) containerInsightsCollection(b, aks.id, b.name(aks), cluster, workspace);
    federateWithCluster(b, aks, cluster);
  }
}

function buildCluster(b: AzureBuild, aks: Aks, ranges: OverlayRanges): Resource {
  const p = aks.properties;
  const name = b.name(aks);
  const subnet = nodeSubnet(b, aks.id) ?? b.subnet('aks');

  const identity = b.resource({
    symbol: `${aks.id}-identity`,
    type: IDENTITY_TYPE,
    apiVersion: IDENTITY_API,
    name: `${name}-identity`,
    description: `Control-plane identity of AKS cluster "${aks.id}": manages its load balancers and disks.`,
    body: { ...b.placed(), properties: {} },
  });
  b.ownIdentities.set(aks.id, identity);
  const subnetName = typeof subnet.name === 'string' ? subnet.name : `${aks.id}-subnet`;
  const networkGrant = assignRole(b, {
    scope: subnet,
    scopeKey: `subnet/${subnetName}`,
    principal: userAssignedPrincipal(`${aks.id}/control-plane`, identity, `the control-plane identity of AKS cluster "${aks.id}"`),
    role: ROLES.networkContributor,
    why: `the cluster joins its nodes and internal load balancers to subnet ${subnetName}.`,
  });

  const workspace = workspaceOf(b, aks);
  const defended = protectingPlans(b, aks.id).has('Containers');
  if (defended && !workspace) {
    b.notes.push(
      `Defender for Containers protects AKS cluster "${aks.id}", but the cluster has no diagnostics edge to a Log Analytics workspace for the Defender sensor to report to: the sensor (securityProfile.defender) is not enabled. Add a diagnostics edge from "${aks.id}" to a logAnalytics node.`,
    );
  }
  if (!p.privateCluster && !p.authorizedIpRanges.length) {
    b.notes.push(`AKS cluster "${aks.id}" has a public API server open to every address (privateCluster: false, no authorizedIpRanges).`);
  }
  if (p.encryptionAtHost) {
    b.notes.push(
      `AKS cluster "${aks.id}" encrypts at host: the subscription needs the EncryptionAtHost feature registered once (az feature register --namespace Microsoft.Compute --name EncryptionAtHost, then az provider register --namespace Microsoft.Compute).`,
    );
  }
  if (p.azureRbac && !p.localAccounts) {
    b.notes.push(
      `AKS cluster "${aks.id}" (${name}) authorizes Kubernetes access with Azure RBAC and has no local accounts: grant the operators' Entra group "Azure Kubernetes Service RBAC Cluster Admin" (b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b) or a narrower AKS RBAC role on the cluster; no one, not even the subscription owner, can use kubectl before that.`,
    );
  }
  b.notes.push(
    `AKS cluster "${aks.id}" uses Azure CNI Overlay: pods get addresses from ${ranges.podCidr} and services from ${ranges.serviceCidr}, outside the virtual network; make sure no peered network or on-premises range uses them.`,
  );

  const addonProfiles: ExprObject = {
    azureKeyvaultSecretsProvider: p.keyVaultSecretsProvider
      ? { enabled: true, config: { enableSecretRotation: p.secretRotation ? 'true' : 'false', rotationPollInterval: '2m' } }
      : { enabled: false },
    azurepolicy: p.azurePolicy ? { enabled: true, config: { version: 'v2' } } : { enabled: false },
    ...(workspace ? { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: idOf(workspace.resource), useAADAuth: 'true' } } } : {}),
  };

  const securityProfile: ExprObject = {
    workloadIdentity: { enabled: p.workloadIdentity },
    imageCleaner: { enabled: true, intervalHours: 168 },
    ...(defended && workspace ? { defender: { logAnalyticsWorkspaceResourceId: idOf(workspace.resource), securityMonitoring: { enabled: true } } } : {}),
  };

  const apiServerAccessProfile: ExprObject = p.privateCluster
    ? { enablePrivateCluster: true, privateDNSZone: 'system' }
    : { enablePrivateCluster: false, ...(p.authorizedIpRanges.length ? { authorizedIPRanges: [...p.authorizedIpRanges] } : {}) };

  const networkProfile: ExprObject = {
    networkPlugin: 'azure',
    networkPluginMode: 'overlay',
    ...(p.networkPolicy === 'cilium' ? { networkDataplane: 'cilium' } : {}),
    networkPolicy: p.networkPolicy,
    podCidr: ranges.podCidr,
    serviceCidr: ranges.serviceCidr,
    dnsServiceIP: ranges.dnsServiceIP,
    outboundType: 'loadBalancer',
    loadBalancerSku: 'standard',
  };

  const properties: Record<string, Expr> = {
    dnsPrefix: dnsPrefix(name),
    enableRBAC: true,
    disableLocalAccounts: !p.localAccounts,
    aadProfile: { managed: true, enableAzureRBAC: p.azureRbac, tenantID: tenantId() },
    apiServerAccessProfile,
    networkProfile,
    agentPoolProfiles: [
      {
        name: 'system',
        mode: 'System',
        type: 'VirtualMachineScaleSets',
        osType: 'Linux',
        count: p.nodeCount,
        vmSize: p.nodeVmSize,
        vnetSubnetID: idOf(subnet),
        // Zones only where the region has them: AKS refuses a zonal pool in a region without availability zones
        // (https://learn.microsoft.com/azure/aks/availability-zones).
        ...(regionHasZones(b.design.metadata.location) ? { availabilityZones: [...NODE_ZONES] } : {}),
        enableEncryptionAtHost: p.encryptionAtHost,
        upgradeSettings: { maxSurge: '33%' },
      },
    ],
    oidcIssuerProfile: { enabled: p.workloadIdentity },
    securityProfile,
    addonProfiles,
    ...(p.ingress.controller === 'appRouting' ? { ingressProfile: { webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: 'Internal' } } } } : {}),
    autoUpgradeProfile: { upgradeChannel: p.autoUpgrade, nodeOSUpgradeChannel: 'NodeImage' },
  };

  return b.resource({
    symbol: aks.id,
    type: AKS_TYPE,
    apiVersion: AKS_API,
    name,
    description: `AKS cluster "${aks.id}": ${p.privateCluster ? 'private API server' : 'public API server'}, Entra ID${p.azureRbac ? ' with Azure RBAC' : ''}, Azure CNI Overlay with ${p.networkPolicy} network policy, ${p.nodeCount} x ${p.nodeVmSize} in ${subnetName}.`,
    body: {
      ...b.placed(),
      sku: { name: 'Base', tier: 'Standard' },
      identity: { type: 'UserAssigned', userAssignedIdentities: userAssignedIdentities(identity) },
      properties,
    },
    // The control-plane identity may use the subnet before the cluster is created.
    dependsOn: [networkGrant],
  });
}
