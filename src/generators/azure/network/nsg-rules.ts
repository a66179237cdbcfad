/**
 * Network security group rules of the subnets, as Microsoft documents them (https://learn.microsoft.com/azure/api-management/api-management-using-with-internal-vnet, https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure, https://learn.microsoft.com/azure/bastion/bastion-nsg):
 *
 * - API Management (classic tiers in a virtual network; learn.microsoft.com/azure/api-management/virtual-network-reference):
 *   inbound ApiManagement -> VirtualNetwork 3443 (management endpoint), AzureLoadBalancer -> VirtualNetwork 6390
 *   (infrastructure load balancer), the Application Gateway subnet -> the API Management subnet 443 (client traffic,
 *   api-management-howto-integrate-internal-vnet-appgateway), Internet -> VirtualNetwork 443 in external mode only;
 *   outbound to Storage 443, Sql 1433, AzureKeyVault 443, AzureMonitor 1886 and 443, AzureActiveDirectory 443 (Entra ID
 *   token validation and managed identities) and Internet 80 (certificate validation); between the service's own
 *   instances UDP 4290 (rate-limit counters) and TCP 6381-6383 (internal cache). Then an explicit deny of all other
 *   inbound traffic, above Azure's default AllowVnetInBound (priority 65000, learn.microsoft.com/azure/virtual-network/
 *   network-security-groups-overview#default-security-rules), so that nothing in the virtual network (pods, jump
 *   hosts, other subnets) reaches the gateway around the WAF.
 * - Application Gateway v2 (learn.microsoft.com/azure/application-gateway/configuration-infrastructure): inbound
 *   GatewayManager 65200-65535 (infrastructure), Internet 443 (the HTTPS listener) and 80 (the listener that redirects to
 *   HTTPS), AzureLoadBalancer (health of the instances); outbound internet stays allowed (no deny-all rule).
 * - AzureBastionSubnet (learn.microsoft.com/azure/bastion/bastion-nsg): the complete documented set, since an NSG on
 *   that subnet is refused unless every required rule is present: inbound Internet 443, GatewayManager 443,
 *   AzureLoadBalancer 443, VirtualNetwork 8080/5701 (data plane), deny the rest; outbound VirtualNetwork on the target
 *   ports (22, 3389, and 443 when Bastion tunnels to a private AKS API server), AzureCloud 443, VirtualNetwork
 *   8080/5701, Internet 80 (session information), deny the rest.
 * - AKS node subnet (Azure CNI Overlay), when API Management calls the cluster's ingress: the ingress's private address
 *   (the internal load balancer's frontend, pinned by ./ingress-address.ts) takes traffic from the calling API
 *   Management subnets on 443 only, then an explicit deny of the rest of the virtual network to that address (all ports,
 *   so no plain-HTTP listener is reachable either), above AllowVnetInBound (65000). AKS's load balancer rules keep the
 *   frontend address as the destination the node sees (floating IP, the address AKS's own rules on the node NICs name:
 *   learn.microsoft.com/azure/aks/internal-lb, learn.microsoft.com/azure/aks/load-balancer-standard), so a rule on that
 *   one address filters exactly the ingress. Everything AKS itself needs stays open, because the deny names only that
 *   address: node-to-node traffic, the private API server's endpoint and kubelet, DNS, pod ranges (Azure CNI Overlay
 *   pod addresses are outside the virtual network, so VirtualNetwork never matches them; learn.microsoft.com/azure/aks/
 *   azure-cni-overlay#network-security-groups asks only that node-to-node, node-to-pod and pod-to-pod traffic is not
 *   denied), and the outbound side has only Azure's default rules (learn.microsoft.com/azure/aks/outbound-rules-control-egress).
 *   Two allows sit before the deny on purpose: AzureLoadBalancer (health probes; its address 168.63.129.16 is the host's
 *   virtual IP, which the VirtualNetwork tag also covers, learn.microsoft.com/azure/virtual-network/service-tags-overview)
 *   and the cluster's own subnet (nodes, and pods whose traffic to virtual network addresses leaves with the node's
 *   address, reaching the ingress by its address).
 * The private endpoint subnet, and an AKS subnet no API Management calls, get an NSG with only the default rules
 * (virtual network traffic and the Azure load balancer allowed, internet inbound denied): AKS adds what its load
 * balancers need on the node NICs.
 */
import type { ExprObject } from '../../ir/expr.js';

export interface SecurityRule {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: 'Tcp' | 'Udp' | '*';
  readonly source: string;
  readonly destination: string;
  readonly ports: readonly string[];
}

/** A rule as the securityRules entry of Microsoft.Network/networkSecurityGroups. */
export function ruleBody(r: SecurityRule): ExprObject {
  return {
    name: r.name,
    properties: {
      description: r.description,
      priority: r.priority,
      direction: r.direction,
      access: r.access,
      protocol: r.protocol,
      sourceAddressPrefix: r.source,
      sourcePortRange: '*',
      destinationAddressPrefix: r.destination,
      ...(r.ports.length === 1 ? { destinationPortRange: r.ports[0] } : { destinationPortRanges: [...r.ports] }),
    },
  };
}

export interface ApimRuleOptions {
  /** The API Management subnet. */
  readonly apimPrefix: string;
  /** The Application Gateway subnet, when the design has one. */
  readonly gatewayPrefix?: string | undefined;
  /** External mode: clients reach the gateway from the internet. */
  readonly external: boolean;
}

export function apimRules(o: ApimRuleOptions): SecurityRule[] {
  const inbound: SecurityRule[] = [
    allowIn('AllowApiManagementManagement', 'Management endpoint for the Azure portal and Azure Resource Manager', 100, 'ApiManagement', 'VirtualNetwork', ['3443']),
    allowIn('AllowAzureLoadBalancer', 'Azure infrastructure load balancer', 110, 'AzureLoadBalancer', 'VirtualNetwork', ['6390']),
  ];
  if (o.gatewayPrefix) {
    inbound.push(allowIn('AllowApplicationGateway', 'Client traffic from Application Gateway to the API Management gateway', 120, o.gatewayPrefix, o.apimPrefix, ['443']));
  }
  if (o.external) inbound.push(allowIn('AllowClientsHttps', 'Client traffic to the API Management gateway (external mode)', 130, 'Internet', 'VirtualNetwork', ['443']));
  inbound.push(
    {
      ...allowIn('AllowApiManagementInstances', 'Between the instances of the service: rate-limit counters (UDP 4290) and the internal cache (TCP 6381-6383)', 140, o.apimPrefix, o.apimPrefix, ['4290', '6381-6383']),
      protocol: '*',
    },
    {
      ...deny('DenyOtherInbound', 'Inbound', 4096),
      description: 'Everything else, the rest of the virtual network included: pods and other subnets reach the gateway only through Application Gateway and its WAF',
    },
  );
  return [
    ...inbound,
    allowOut('AllowStorage', 'Azure Storage: configuration, logs and the developer portal', 100, 'Storage', ['443']),
    allowOut('AllowSql', 'Azure SQL endpoints of the API Management infrastructure', 110, 'Sql', ['1433']),
    allowOut('AllowKeyVault', 'Key Vault: custom domain and client certificates', 120, 'AzureKeyVault', ['443']),
    allowOut('AllowAzureMonitor', 'Azure Monitor: diagnostic logs, metrics and Application Insights', 130, 'AzureMonitor', ['1886', '443']),
    allowOut('AllowEntraId', 'Microsoft Entra ID: managed identities and token validation', 140, 'AzureActiveDirectory', ['443']),
    allowOut('AllowCertificateValidation', 'Certificate revocation lists and chain building', 150, 'Internet', ['80']),
  ];
}

export interface AksRuleOptions {
  /** The cluster's node subnet. */
  readonly aksPrefix: string;
  /** The private address of the cluster's ingress (internal load balancer frontend). */
  readonly ingressAddress: string;
  /** The subnets of the API Management instances that call the ingress, each with a name for the rule. */
  readonly callers: readonly { readonly name: string; readonly prefix: string }[];
}

/** The AKS node subnet's rules: only the calling API Management subnets (and the cluster itself) reach the ingress. */
export function aksRules(o: AksRuleOptions): SecurityRule[] {
  const ingress = `${o.ingressAddress}/32`;
  return [
    ...o.callers.map((c, i) => allowIn(`AllowApiManagementToIngress${o.callers.length > 1 ? i + 1 : ''}`, `API Management ${c.name} to the ingress over mutual TLS`, 100 + i, c.prefix, ingress, ['443'])),
    { ...allowIn('AllowAzureLoadBalancer', 'Health probes of the Azure load balancer', 300, 'AzureLoadBalancer', '*', ['*']), protocol: '*' },
    { ...allowIn('AllowClusterToIngress', 'The cluster\'s nodes and pods to its own ingress', 310, o.aksPrefix, ingress, ['*']), protocol: '*' },
    {
      ...deny('DenyVirtualNetworkToIngress', 'Inbound', 4000),
      description: 'The rest of the virtual network (other subnets, jump hosts) reaches the ingress only through API Management',
      source: 'VirtualNetwork',
      destination: ingress,
    },
  ];
}

export function appGatewayRules(): SecurityRule[] {
  return [
    allowIn('AllowGatewayManager', 'Application Gateway v2 infrastructure communication', 100, 'GatewayManager', '*', ['65200-65535']),
    allowIn('AllowHttpsFromInternet', 'Clients to the HTTPS listener', 110, 'Internet', '*', ['443']),
    allowIn('AllowHttpFromInternet', 'Clients to the listener that redirects HTTP to HTTPS', 120, 'Internet', '*', ['80']),
    { ...allowIn('AllowAzureLoadBalancer', 'Health probes of the Azure load balancer', 130, 'AzureLoadBalancer', '*', ['*']), protocol: '*' },
  ];
}

export function bastionRules(targetPorts: readonly string[]): SecurityRule[] {
  return [
    allowIn('AllowHttpsInbound', 'Operators to Bastion', 120, 'Internet', '*', ['443']),
    allowIn('AllowGatewayManagerInbound', 'Bastion control plane', 130, 'GatewayManager', '*', ['443']),
    allowIn('AllowAzureLoadBalancerInbound', 'Health probes of the Azure load balancer', 140, 'AzureLoadBalancer', '*', ['443']),
    { ...allowIn('AllowBastionHostCommunication', 'Bastion data plane between its instances', 150, 'VirtualNetwork', 'VirtualNetwork', ['8080', '5701']), protocol: '*' },
    deny('DenyAllInbound', 'Inbound', 4096),
    { ...allowOut('AllowTargetsOutbound', 'Bastion to the machines and API servers it opens sessions to', 100, 'VirtualNetwork', targetPorts), protocol: '*', source: '*' },
    { ...allowOut('AllowAzureCloudOutbound', 'Bastion to Azure public endpoints (diagnostics, metering)', 110, 'AzureCloud', ['443']), source: '*' },
    { ...allowOut('AllowBastionCommunication', 'Bastion data plane between its instances', 120, 'VirtualNetwork', ['8080', '5701']), protocol: '*' },
    { ...allowOut('AllowHttpOutbound', 'Session and certificate information', 130, 'Internet', ['80']), protocol: '*', source: '*' },
    deny('DenyAllOutbound', 'Outbound', 4096),
  ];
}

function allowIn(name: string, description: string, priority: number, source: string, destination: string, ports: readonly string[]): SecurityRule {
  return { name, description, priority, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source, destination, ports };
}

function allowOut(name: string, description: string, priority: number, destination: string, ports: readonly string[]): SecurityRule {
  return { name, description, priority, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', source: 'VirtualNetwork', destination, ports };
}

function deny(name: string, direction: 'Inbound' | 'Outbound', priority: number): SecurityRule {
  return { name, description: `Deny all other ${direction.toLowerCase()} traffic`, priority, direction, access: 'Deny', protocol: '*', source: '*', destination: '*', ports: ['*'] };
}
