/**
 * Monitoring and security: diagnostics into Log Analytics, Sentinel on the workspace, Application Insights,
 * Defender for Cloud plans, and the virtual network every private part lives in (its address space and size).
 */
import { DIAGNOSTIC_SOURCES } from '../../schemas/connections.js';
import { DEFENDER_PLANS, type DesignNode, type NodeOf, type NodeType } from '../../schemas/design.js';
import type { EditOperation } from '../../schemas/operations.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import { connectOp, fixOf, freeNodeId } from './data.js';

type Plan = (typeof DEFENDER_PLANS)[number];
type Defender = NodeOf<'defenderForCloud'>;

const psrule = (ref: string) =>
  ({ tool: 'PSRule for Azure', ref, url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${ref}/` }) as const;

/** What each resource type sends to the workspace, for messages. */
const LOGS: Readonly<Partial<Record<NodeType, string>>> = {
  applicationGateway: 'access, performance and WAF firewall logs',
  apiManagement: 'gateway request logs',
  aksCluster: 'Kubernetes audit and control-plane logs',
  containerRegistry: 'login and repository events',
  sqlDatabase: 'audit and security events',
  cosmosDb: 'data-plane request logs',
  keyVault: 'AuditEvent logs of every certificate and secret read',
  applicationInsights: 'telemetry',
  bastion: 'BastionAuditLogs of operator sessions',
  virtualNetwork: 'VM protection alerts and metrics',
};

/** The Defender for Cloud plan that covers each resource type (Azure.Defender.* in PSRule for Azure). */
export const DEFENDER_PLAN_FOR: Readonly<Partial<Record<NodeType, Plan>>> = {
  aksCluster: 'Containers',
  containerRegistry: 'Containers',
  keyVault: 'KeyVaults',
  apiManagement: 'Api',
  sqlDatabase: 'SqlServers',
  cosmosDb: 'CosmosDbs',
};

/** Resources other than clusters (GW144) that a Defender plan should cover. */
const DEFENDED: readonly NodeType[] = ['containerRegistry', 'keyVault', 'apiManagement', 'sqlDatabase', 'cosmosDb'];

function setOn(node: DesignNode, path: (string | number)[], value: unknown): EditOperation {
  return { op: 'setProperty', target: { kind: 'node', id: node.id }, path, value };
}

function ids(nodes: readonly DesignNode[]): string {
  return nodes.map((n) => `"${n.id}"`).join(', ');
}

function sendsTo(ctx: RuleContext, node: DesignNode, type: NodeType): boolean {
  return ctx.outgoing(node.id, 'diagnostics').some((e) => e.to?.type === type);
}

function protectedBy(ctx: RuleContext, node: DesignNode): boolean {
  return ctx.incoming(node.id, 'protects').some((e) => e.from?.type === 'defenderForCloud');
}

// ---------------------------------------------------------------- addresses

export interface Cidr {
  /** The first address of the range, as an unsigned 32-bit number. */
  readonly start: number;
  readonly prefix: number;
  /** Whether the address given is the network address (no host bits set). */
  readonly aligned: boolean;
}

/** Parses an IPv4 CIDR; a string saying what is wrong when it is not one. */
export function parseCidr(text: string): Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return 'is not an IPv4 CIDR such as 10.0.0.0/16';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  const bad = octets.find((o) => o > 255);
  if (bad !== undefined) return `has the octet ${bad}, above 255`;
  if (prefix > 32) return `has the prefix length /${prefix}, above /32`;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const start = address - (address % size(prefix));
  return { start, prefix, aligned: start === address };
}

/** How many addresses a prefix length holds. */
function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function range(cidr: string): { start: number; end: number } {
  const c = parseCidr(cidr) as Cidr;
  return { start: c.start, end: c.start + size(c.prefix) - 1 };
}

const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(range);

/** Ranges Azure refuses in a virtual network (Microsoft Learn, Azure Virtual Network FAQ). */
const AZURE_RESERVED: readonly { cidr: string; what: string }[] = [
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '255.255.255.255/32', what: 'broadcast' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '168.63.129.16/32', what: 'the Azure internal DNS and health-probe address' },
];

export interface SubnetNeed {
  readonly what: string;
  readonly prefix: number;
}

/**
 * The subnets this design needs in its virtual network, with the sizes Microsoft documents:
 * Application Gateway v2 /24 (recommended), API Management in a virtual network /27, AzureBastionSubnet /26,
 * AKS nodes with Azure CNI /23 (PSRule Azure.AKS.CNISubnetSize), private endpoints /27.
 */
export function requiredSubnets(ctx: RuleContext): SubnetNeed[] {
  const needs: SubnetNeed[] = [];
  if (ctx.nodesOfType('applicationGateway').length) needs.push({ what: 'Application Gateway /24', prefix: 24 });
  for (const apim of ctx.nodesOfType('apiManagement')) {
    if (apim.properties.virtualNetworkType !== 'None') needs.push({ what: `API Management "${apim.id}" /27`, prefix: 27 });
  }
  if (ctx.nodesOfType('bastion').length) needs.push({ what: 'AzureBastionSubnet /26', prefix: 26 });
  for (const aks of ctx.nodesOfType('aksCluster')) needs.push({ what: `AKS nodes of "${aks.id}" /23`, prefix: 23 });
  if (ctx.edgesOfType('privateLink').length) needs.push({ what: 'private endpoints /27', prefix: 27 });
  return needs;
}

// ---------------------------------------------------------------- rules

export const MONITORING_RULES: Rule[] = [
  defineRule({
    id: 'GW180',
    name: 'diagnostics-to-workspace',
    category: 'architecture',
    severity: 'warning',
    title: 'Every Azure resource sends its diagnostics to Log Analytics',
    rationale:
      'Diagnostic settings are off by default: without one, audit and resource logs (Key Vault AuditEvent, AKS kube-audit, WAF firewall logs, ...) are never kept, and neither Sentinel nor an investigator can see them. PSRule for Azure checks this per service: Azure.KeyVault.Logs, Azure.AKS.AuditLogs, Azure.AKS.PlatformLogs, Azure.ACR.Logs and others.',
    source: { tool: 'Microsoft Learn', ref: 'Diagnostic settings in Azure Monitor', url: 'https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings' },
    fixable: true,
    *check(ctx) {
      const workspaces = ctx.nodesOfType('logAnalytics');
      // No workspace at all is GW182; Application Insights is GW183.
      if (workspaces.length === 0) return;
      const only = workspaces.length === 1 ? workspaces[0] : undefined;
      for (const type of DIAGNOSTIC_SOURCES) {
        if (type === 'applicationInsights') continue;
        for (const node of ctx.nodesOfType(type)) {
          if (sendsTo(ctx, node, 'logAnalytics')) continue;
          yield ctx.atNode(
            node,
            `${ctx.describe(node)} sends no diagnostics to a Log Analytics workspace, so its ${LOGS[type] ?? 'logs'} are not kept; connect a diagnostics edge to ${ids(workspaces)}`,
            [],
            only ? fixOf(`Send diagnostics to "${only.id}"`, connectOp(ctx, node.id, only.id, 'diagnostics')) : {},
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW181',
    name: 'workspace-watched-by-sentinel',
    category: 'architecture',
    severity: 'warning',
    title: 'Microsoft Sentinel watches the workspace that receives diagnostics',
    rationale:
      'The reference architecture uses Microsoft Sentinel as its SIEM over the Log Analytics workspace the resources log to. Logs nobody analyses detect nothing: every workspace that receives diagnostics should have Sentinel enabled on it (a siem edge).',
    source: { tool: 'Microsoft Learn', ref: 'Onboard Microsoft Sentinel', url: 'https://learn.microsoft.com/azure/sentinel/quickstart-onboard' },
    fixable: true,
    *check(ctx) {
      const sentinels = ctx.nodesOfType('sentinel');
      for (const la of ctx.nodesOfType('logAnalytics')) {
        if (ctx.incoming(la.id, 'diagnostics').length === 0) continue;
        if (ctx.incoming(la.id, 'siem').some((e) => e.from?.type === 'sentinel')) continue;
        let operations: EditOperation[] = [];
        if (sentinels.length === 1) operations = connectOp(ctx, sentinels[0]!.id, la.id, 'siem');
        else if (sentinels.length === 0) {
          const id = freeNodeId(ctx, 'sentinel');
          operations = [{ op: 'addNode', node: { id, type: 'sentinel' } }, ...connectOp(ctx, id, la.id, 'siem')];
        }
        const hint = sentinels.length ? `connect a siem edge from ${ids(sentinels)}` : 'add a sentinel node with a siem edge to it';
        yield ctx.atNode(la, `Log Analytics workspace "${la.id}" receives diagnostics but Microsoft Sentinel does not analyse it; ${hint}`, [], fixOf(`Enable Microsoft Sentinel on "${la.id}"`, operations));
      }
    },
  }),
  defineRule({
    id: 'GW182',
    name: 'workspace-exists',
    category: 'architecture',
    severity: 'warning',
    title: 'A Log Analytics workspace collects the logs',
    rationale:
      'Diagnostic settings, Container insights, the Defender profile of the cluster, workspace-based Application Insights and Microsoft Sentinel all need a Log Analytics workspace. A design with Azure resources and no workspace keeps no logs.',
    source: { tool: 'Microsoft Learn', ref: 'Log Analytics workspace overview', url: 'https://learn.microsoft.com/azure/azure-monitor/logs/log-analytics-workspace-overview' },
    fixable: true,
    *check(ctx) {
      if (ctx.nodesOfType('logAnalytics').length > 0) return;
      const sources = DIAGNOSTIC_SOURCES.flatMap((t) => ctx.nodesOfType(t));
      if (sources.length === 0) return;
      const id = freeNodeId(ctx, 'logs');
      yield ctx.atDocument(
        `the design has Azure resources (${ids(sources.slice(0, 5))}${sources.length > 5 ? ', ...' : ''}) but no Log Analytics workspace to send their logs to; add a logAnalytics node and diagnostics edges to it`,
        ['nodes'],
        {
          fix: {
            title: 'Add a Log Analytics workspace and send every diagnostics source to it',
            operations: [{ op: 'addNode', node: { id, type: 'logAnalytics' } }, ...sources.flatMap((s) => connectOp(ctx, s.id, id, 'diagnostics'))],
          },
        },
      );
    },
  }),
  defineRule({
    id: 'GW183',
    name: 'appinsights-workspace-based',
    category: 'architecture',
    severity: 'warning',
    title: 'Application Insights is workspace-based',
    rationale:
      'Workspace-based Application Insights stores its telemetry in a Log Analytics workspace, where it shares retention, access control and queries with the other logs and Sentinel can correlate it. Classic (non-workspace) resources are retired.',
    source: psrule('Azure.AppInsights.Workspace'),
    fixable: true,
    *check(ctx) {
      const workspaces = ctx.nodesOfType('logAnalytics');
      if (workspaces.length === 0) return;
      const only = workspaces.length === 1 ? workspaces[0] : undefined;
      for (const ai of ctx.nodesOfType('applicationInsights')) {
        if (sendsTo(ctx, ai, 'logAnalytics')) continue;
        yield ctx.atNode(ai, `Application Insights "${ai.id}" is not workspace-based: no diagnostics edge goes to a Log Analytics workspace; connect one to ${ids(workspaces)}`, [], only
          ? fixOf(`Store telemetry in "${only.id}"`, connectOp(ctx, ai.id, only.id, 'diagnostics'))
          : {});
      }
    },
  }),
  defineRule({
    id: 'GW184',
    name: 'appinsights-local-auth-disabled',
    category: 'architecture',
    severity: 'warning',
    title: 'Application Insights accepts only Entra ID authenticated telemetry',
    rationale:
      'With local authentication anyone who knows the instrumentation key or connection string (it ships in client code and configuration) can send forged telemetry. Disabling it requires Entra ID authentication for ingestion.',
    source: psrule('Azure.AppInsights.LocalAuth'),
    fixable: true,
    *check(ctx) {
      for (const ai of ctx.nodesOfType('applicationInsights')) {
        if (!ai.properties.localAuth) continue;
        yield ctx.atNode(
          ai,
          `Application Insights "${ai.id}" accepts telemetry with just the instrumentation key (localAuth: true); set localAuth: false to require Entra ID authentication`,
          ['properties', 'localAuth'],
          { fix: { title: 'Disable local authentication', operations: [setOn(ai, ['properties', 'localAuth'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW185',
    name: 'traces-to-appinsights',
    category: 'architecture',
    severity: 'info',
    title: 'API Management and AKS send traces to Application Insights',
    rationale:
      'The reference architecture integrates API Management and the AKS containers with Application Insights to follow a request from the gateway to the service. When the design has Application Insights, both should send their traces to it.',
    source: { tool: 'Microsoft Learn', ref: 'Integrate Azure API Management with Azure Application Insights', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-app-insights' },
    fixable: true,
    *check(ctx) {
      const insights = ctx.nodesOfType('applicationInsights');
      if (insights.length === 0) return;
      const only = insights.length === 1 ? insights[0] : undefined;
      const callers: DesignNode[] = [...ctx.nodesOfType('apiManagement'), ...ctx.nodesOfType('aksCluster')];
      for (const node of callers) {
        if (sendsTo(ctx, node, 'applicationInsights')) continue;
        yield ctx.atNode(node, `${ctx.describe(node)} sends no traces to Application Insights; connect a diagnostics edge to ${ids(insights)} to trace requests end to end`, [], only
          ? fixOf(`Send traces to "${only.id}"`, connectOp(ctx, node.id, only.id, 'diagnostics'))
          : {});
      }
    },
  }),
  defineRule({
    id: 'GW186',
    name: 'defender-plan-covers-resource',
    category: 'architecture',
    severity: 'warning',
    title: 'A Defender for Cloud node has the plan for each resource it protects',
    rationale:
      'A protects edge means nothing unless the matching plan is on: Containers for clusters and registries, KeyVaults for Key Vault, Api for API Management, SqlServers for SQL Database, CosmosDbs for Cosmos DB (PSRule Azure.Defender.Containers, KeyVault, Api, SQL, CosmosDb).',
    source: psrule('Azure.Defender.Containers'),
    fixable: true,
    *check(ctx) {
      for (const defender of ctx.nodesOfType('defenderForCloud')) {
        const missing = new Map<Plan, string[]>();
        for (const e of ctx.outgoing(defender.id, 'protects')) {
          const plan = e.to ? DEFENDER_PLAN_FOR[e.to.type] : undefined;
          if (!plan || defender.properties.plans.includes(plan)) continue;
          const list = missing.get(plan) ?? [];
          list.push(`"${e.edge.to}"`);
          missing.set(plan, list);
        }
        if (missing.size === 0) continue;
        const plans = DEFENDER_PLANS.filter((p) => missing.has(p));
        const detail = plans.map((p) => `${p} (for ${missing.get(p)!.join(', ')})`).join(', ');
        yield ctx.atNode(
          defender,
          `Defender for Cloud "${defender.id}" protects resources whose plans it lacks: ${detail}; add ${plans.join(', ')} to plans`,
          ['properties', 'plans'],
          { fix: { title: `Enable ${plans.join(', ')}`, operations: [setOn(defender, ['properties', 'plans'], [...defender.properties.plans, ...plans])] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW187',
    name: 'defender-for-containers-present',
    category: 'architecture',
    severity: 'warning',
    title: 'Defender for Containers is part of a design with a cluster',
    rationale:
      'The reference architecture uses Microsoft Defender for Containers to scan the images in Container Registry and protect the AKS cluster at run time. A design with a cluster and no Defender for Cloud node has neither.',
    source: psrule('Azure.Defender.Containers'),
    fixable: true,
    *check(ctx) {
      if (ctx.nodesOfType('defenderForCloud').length > 0) return;
      const clusters = ctx.nodesOfType('aksCluster');
      if (clusters.length === 0) return;
      const covered: DesignNode[] = [...clusters, ...ctx.nodesOfType('containerRegistry')];
      const id = freeNodeId(ctx, 'defender');
      yield ctx.atDocument(
        `the design has AKS cluster${clusters.length > 1 ? 's' : ''} ${ids(clusters)} but no Defender for Cloud node; add a defenderForCloud node with the Containers plan and protects edges to the clusters and registries`,
        ['nodes'],
        {
          fix: {
            title: 'Add Defender for Containers',
            operations: [
              { op: 'addNode', node: { id, type: 'defenderForCloud', properties: { plans: ['Containers'] } } },
              ...covered.flatMap((n) => connectOp(ctx, id, n.id, 'protects')),
            ],
          },
        },
      );
    },
  }),
  defineRule({
    id: 'GW188',
    name: 'defender-covers-resources',
    category: 'architecture',
    severity: 'warning',
    title: 'Defender for Cloud protects the registry, Key Vault, API Management and the databases',
    rationale:
      'Defender for Cloud has a plan for each of these services (Containers, KeyVaults, Api, SqlServers, CosmosDbs): it detects unusual access to secrets, API abuse, SQL injection and data exfiltration. Once the design has a Defender for Cloud node, each of them should be protected by it.',
    source: { tool: 'Defender for Cloud', ref: 'Microsoft Defender for Cloud plans', url: 'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-cloud-introduction' },
    fixable: true,
    *check(ctx) {
      const defenders = ctx.nodesOfType('defenderForCloud');
      if (defenders.length === 0) return;
      const only: Defender | undefined = defenders.length === 1 ? defenders[0] : undefined;
      for (const type of DEFENDED) {
        for (const node of ctx.nodesOfType(type)) {
          if (protectedBy(ctx, node)) continue;
          const plan = DEFENDER_PLAN_FOR[type]!;
          const operations: EditOperation[] = [];
          if (only) {
            operations.push(...connectOp(ctx, only.id, node.id, 'protects'));
            if (!only.properties.plans.includes(plan)) {
              operations.push(setOn(only, ['properties', 'plans'], [...only.properties.plans, plan]));
            }
          }
          yield ctx.atNode(node, `${ctx.describe(node)} is not protected by Defender for Cloud; connect a protects edge from ${ids(defenders)} and enable its ${plan} plan`, [], fixOf(`Protect "${node.id}" with "${only?.id}"`, operations));
        }
      }
    },
  }),
  defineRule({
    id: 'GW189',
    name: 'sentinel-workspace-retention',
    category: 'architecture',
    severity: 'warning',
    title: 'A workspace watched by Sentinel keeps data for 90 days',
    rationale:
      'Once Microsoft Sentinel is enabled on a workspace, data is retained at no charge for the first 90 days. A shorter retention throws away, for nothing, the history an investigation needs.',
    source: { tool: 'Microsoft Learn', ref: 'Plan costs and understand Microsoft Sentinel pricing and billing', url: 'https://learn.microsoft.com/azure/sentinel/billing' },
    fixable: true,
    *check(ctx) {
      for (const la of ctx.nodesOfType('logAnalytics')) {
        const days = la.properties.retentionDays;
        if (days >= 90) continue;
        const siem = ctx.incoming(la.id, 'siem').find((e) => e.from?.type === 'sentinel');
        if (!siem) continue;
        yield ctx.atNode(
          la,
          `Log Analytics workspace "${la.id}" keeps data for ${days} days although Sentinel "${siem.edge.from}" watches it, and 90 days come at no extra charge; set retentionDays: 90`,
          ['properties', 'retentionDays'],
          { fix: { title: 'Retain 90 days', operations: [setOn(la, ['properties', 'retentionDays'], 90)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW190',
    name: 'virtual-network-exists',
    category: 'architecture',
    severity: 'error',
    title: 'A virtual network holds the private parts of the design',
    rationale:
      'API Management in internal (or external) virtual network mode, the AKS nodes and Azure Bastion are injected into subnets of a virtual network; without a virtualNetwork node there is nothing to deploy them into.',
    source: { tool: 'Microsoft Learn', ref: 'Deploy AKS and API Management with mTLS', url: 'https://learn.microsoft.com/azure/architecture/solution-ideas/articles/mutual-tls-deploy-aks-api-management' },
    fixable: true,
    *check(ctx) {
      if (ctx.nodesOfType('virtualNetwork').length > 0) return;
      // Private endpoints without a network are GW175, which names their zones.
      if (ctx.edgesOfType('privateLink').length > 0) return;
      const parts: DesignNode[] = [
        ...ctx.nodesOfType('apiManagement').filter((a) => a.properties.virtualNetworkType !== 'None'),
        ...ctx.nodesOfType('aksCluster'),
        ...ctx.nodesOfType('bastion'),
      ];
      if (parts.length === 0) return;
      const id = freeNodeId(ctx, 'vnet');
      yield ctx.atDocument(`${parts.map((p) => ctx.describe(p)).join(', ')} need${parts.length === 1 ? 's' : ''} a virtual network, but the design has no virtualNetwork node; add one`, ['nodes'], {
        fix: { title: 'Add a virtual network', operations: [{ op: 'addNode', node: { id, type: 'virtualNetwork', properties: { addressSpace: '10.0.0.0/16' } } }] },
      });
    },
  }),
  defineRule({
    id: 'GW191',
    name: 'address-space-valid',
    category: 'architecture',
    severity: 'error',
    title: 'The address space is a valid network prefix',
    rationale:
      'An address space is an IPv4 network prefix: four octets of 0-255, a length of /0 to /32, and no bits set after the prefix length (10.0.0.0/16, not 10.0.1.0/16). Anything else is refused when the virtual network is created.',
    source: { tool: 'Microsoft Learn', ref: 'Plan virtual networks', url: 'https://learn.microsoft.com/azure/virtual-network/virtual-network-vnet-plan-design-arm' },
    fixable: true,
    *check(ctx) {
      for (const vnet of ctx.nodesOfType('virtualNetwork')) {
        const text = vnet.properties.addressSpace;
        const c = parseCidr(text);
        if (typeof c === 'string') {
          yield ctx.atNode(vnet, `virtual network "${vnet.id}" has the address space ${text}, which ${c}`, ['properties', 'addressSpace']);
        } else if (!c.aligned) {
          const fixed = `${formatIp(c.start)}/${c.prefix}`;
          yield ctx.atNode(
            vnet,
            `virtual network "${vnet.id}" has the address space ${text}, which has bits set after /${c.prefix}; the network is ${fixed}`,
            ['properties', 'addressSpace'],
            { fix: { title: `Use ${fixed}`, operations: [setOn(vnet, ['properties', 'addressSpace'], fixed)] } },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW192',
    name: 'address-space-private',
    category: 'architecture',
    severity: 'warning',
    title: 'The address space is a private (RFC 1918) range',
    rationale:
      'Microsoft recommends the RFC 1918 ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) for virtual networks: a public range hides the real internet addresses it overlaps from every resource in the network. Azure refuses multicast, broadcast, loopback, link-local and 168.63.129.16.',
    source: { tool: 'Microsoft Learn', ref: 'Azure Virtual Network FAQ: what address ranges can I use', url: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq' },
    fixable: true,
    *check(ctx) {
      for (const vnet of ctx.nodesOfType('virtualNetwork')) {
        const text = vnet.properties.addressSpace;
        const c = parseCidr(text);
        if (typeof c === 'string') continue;
        const start = c.start;
        const end = start + size(c.prefix) - 1;
        const reserved = AZURE_RESERVED.find((r) => {
          const x = range(r.cidr);
          return start <= x.end && end >= x.start;
        });
        if (reserved) {
          yield ctx.atNode(vnet, `virtual network "${vnet.id}" has the address space ${text}, which overlaps ${reserved.cidr} (${reserved.what}), a range Azure does not allow; use a private range such as 10.0.0.0/16`, ['properties', 'addressSpace'], {
            severity: 'error',
            fix: { title: 'Use 10.0.0.0/16', operations: [setOn(vnet, ['properties', 'addressSpace'], '10.0.0.0/16')] },
          });
          continue;
        }
        if (RFC1918.some((r) => start >= r.start && end <= r.end)) continue;
        const suggestion = c.prefix >= 8 ? `10.0.0.0/${c.prefix}` : '10.0.0.0/16';
        yield ctx.atNode(
          vnet,
          `virtual network "${vnet.id}" has the address space ${text}, outside the private ranges of RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), so the internet addresses it overlaps become unreachable; use a private range such as ${suggestion}`,
          ['properties', 'addressSpace'],
          { fix: { title: `Use ${suggestion}`, operations: [setOn(vnet, ['properties', 'addressSpace'], suggestion)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW193',
    name: 'address-space-size',
    category: 'architecture',
    severity: 'error',
    title: 'The address space holds the subnets the design needs',
    rationale:
      'Each private part gets its own subnet, sized as Microsoft documents: Application Gateway v2 /24 (recommended, up to 125 instances), API Management in a virtual network /27, AzureBastionSubnet /26, AKS nodes with Azure CNI /23 (PSRule Azure.AKS.CNISubnetSize), and a /27 for private endpoints. A /16 holds all of them with room to grow.',
    source: { tool: 'Microsoft Learn', ref: 'Application Gateway infrastructure configuration (subnet size)', url: 'https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure' },
    fixable: true,
    *check(ctx) {
      const networks = ctx.nodesOfType('virtualNetwork');
      // With several networks the design does not say which subnet goes where.
      if (networks.length !== 1) return;
      const vnet = networks[0]!;
      const c = parseCidr(vnet.properties.addressSpace);
      if (typeof c === 'string') return;
      const needs = requiredSubnets(ctx);
      const total = needs.reduce((sum, n) => sum + size(n.prefix), 0);
      const available = size(c.prefix);
      if (total <= available) return;
      const needed = 32 - Math.ceil(Math.log2(total));
      const target = Math.min(16, needed);
      const fixed = `${formatIp(c.start - (c.start % size(target)))}/${target}`;
      yield ctx.atNode(
        vnet,
        `virtual network "${vnet.id}" has the address space ${vnet.properties.addressSpace} (${available.toLocaleString('en-US')} addresses), but the subnets this design needs take ${total.toLocaleString('en-US')}: ${needs.map((n) => n.what).join(', ')}; use a /${needed} or larger, such as ${fixed}`,
        ['properties', 'addressSpace'],
        { fix: { title: `Use ${fixed}`, operations: [setOn(vnet, ['properties', 'addressSpace'], fixed)] } },
      );
    },
  }),
];
