/**
 * Data services and secrets: SQL Database, Cosmos DB, Key Vault and Container Registry, reached over Private Link,
 * closed to the public, authenticated with Entra ID and managed identities.
 */
import { PRIVATE_LINK_TARGETS } from '../../schemas/connections.js';
import type { DesignNode, NodeType } from '../../schemas/design.js';
import type { Fix } from '../../schemas/finding.js';
import type { EditOperation } from '../../schemas/operations.js';
import type { EdgeEntry, RuleContext } from '../context.js';
import { defineRule, type Rule, type RuleViolation } from '../rule.js';

const psrule = (ref: string) =>
  ({ tool: 'PSRule for Azure', ref, url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${ref}/` }) as const;

const REFERENCE_ARTICLE = 'https://learn.microsoft.com/azure/architecture/solution-ideas/articles/mutual-tls-deploy-aks-api-management';

/** The Private DNS zone of each Private Link target (Microsoft Learn, "Azure Private Endpoint DNS configuration"). */
export const PRIVATE_DNS_ZONES: Readonly<Partial<Record<NodeType, string>>> = {
  sqlDatabase: 'privatelink.database.windows.net',
  cosmosDb: 'privatelink.documents.azure.com',
  keyVault: 'privatelink.vaultcore.azure.net',
  containerRegistry: 'privatelink.azurecr.io',
};

const SERVICE_NAMES: Readonly<Partial<Record<NodeType, string>>> = {
  sqlDatabase: 'SQL Database',
  cosmosDb: 'Cosmos DB account',
  keyVault: 'Key Vault',
  containerRegistry: 'Container Registry',
};

type PublicNode = DesignNode & { properties: { publicNetworkAccess: 'Disabled' | 'Enabled' } };

function setOn(node: DesignNode, path: (string | number)[], value: unknown): EditOperation {
  return { op: 'setProperty', target: { kind: 'node', id: node.id }, path, value };
}

function isPrivateLinked(ctx: RuleContext, node: DesignNode): boolean {
  return ctx.incoming(node.id, 'privateLink').length > 0;
}

/** The node a new privateLink edge to a service would come from: the only cluster, else the only virtual network. */
function privateLinkSource(ctx: RuleContext): DesignNode | undefined {
  const clusters = ctx.nodesOfType('aksCluster');
  if (clusters.length === 1) return clusters[0];
  if (clusters.length > 1) return undefined;
  const networks = ctx.nodesOfType('virtualNetwork');
  return networks.length === 1 ? networks[0] : undefined;
}

function connectPrivateLink(ctx: RuleContext, node: DesignNode): EditOperation[] {
  const from = privateLinkSource(ctx);
  return from ? connectOp(ctx, from.id, node.id, 'privateLink') : [];
}

function label(node: DesignNode): string {
  return `${SERVICE_NAMES[node.type] ?? node.type} "${node.id}"`;
}

/** One rule per service type: publicNetworkAccess Disabled, with a private endpoint to reach it instead. */
function* publicAccess(ctx: RuleContext, nodes: readonly PublicNode[]): Generator<RuleViolation> {
  for (const node of nodes) {
    if (node.properties.publicNetworkAccess !== 'Enabled') continue;
    const linked = isPrivateLinked(ctx, node);
    const operations: EditOperation[] = [setOn(node, ['properties', 'publicNetworkAccess'], 'Disabled')];
    if (!linked) operations.push(...connectPrivateLink(ctx, node));
    const tail = linked
      ? 'its clients already reach it over Private Link; set publicNetworkAccess: Disabled'
      : 'set publicNetworkAccess: Disabled and reach it over a privateLink edge';
    yield ctx.atNode(node, `${label(node)} accepts traffic from the internet (publicNetworkAccess: Enabled); ${tail}`, ['properties', 'publicNetworkAccess'], {
      fix: { title: linked ? 'Disable public network access' : 'Disable public network access and add a private endpoint', operations },
    });
  }
}

export const DATA_RULES: Rule[] = [
  defineRule({
    id: 'GW160',
    name: 'data-service-private-link',
    category: 'architecture',
    severity: 'warning',
    title: 'SQL Database, Cosmos DB, Key Vault and Container Registry are reached over Private Link',
    rationale:
      'In the reference architecture the cluster reaches SQL Database, Cosmos DB, Container Registry and Key Vault through private endpoints, so data never crosses the internet and the services can close their public endpoints. A service with no privateLink edge is either public or, with public access disabled, unreachable.',
    source: { tool: 'Microsoft Learn', ref: 'Deploy AKS and API Management with mTLS (Azure Private Link)', url: REFERENCE_ARTICLE },
    fixable: true,
    *check(ctx) {
      for (const type of PRIVATE_LINK_TARGETS) {
        for (const node of ctx.nodesOfType(type) as readonly PublicNode[]) {
          if (isPrivateLinked(ctx, node)) continue;
          const connect = connectPrivateLink(ctx, node);
          const why =
            node.properties.publicNetworkAccess === 'Disabled'
              ? 'its public network access is disabled, so nothing can reach it'
              : 'it is reachable only over its public endpoint';
          yield ctx.atNode(
            node,
            `${label(node)} has no private endpoint (no privateLink edge reaches it): ${why}; connect a privateLink edge from the cluster or the virtual network`,
            [],
            fixOf(`Add a private endpoint for "${node.id}"`, connect),
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW161',
    name: 'sql-public-network-access',
    category: 'architecture',
    severity: 'warning',
    title: 'SQL Database disables public network access',
    rationale: 'With public network access enabled the logical server is reachable from the internet, guarded only by firewall rules; behind Private Link it needs no public endpoint.',
    source: { tool: 'Checkov', ref: 'CKV_AZURE_113' },
    fixable: true,
    *check(ctx) {
      yield* publicAccess(ctx, ctx.nodesOfType('sqlDatabase'));
    },
  }),
  defineRule({
    id: 'GW162',
    name: 'cosmos-public-network-access',
    category: 'architecture',
    severity: 'warning',
    title: 'Cosmos DB disables public network access',
    rationale: 'A Cosmos DB account with public network access enabled accepts requests from the internet; behind Private Link it needs no public endpoint.',
    source: psrule('Azure.Cosmos.PublicAccess'),
    fixable: true,
    *check(ctx) {
      yield* publicAccess(ctx, ctx.nodesOfType('cosmosDb'));
    },
  }),
  defineRule({
    id: 'GW163',
    name: 'keyvault-public-network-access',
    category: 'architecture',
    severity: 'warning',
    title: 'Key Vault disables public network access',
    rationale: 'The vault holds the private keys of every certificate of the design. Its data plane should accept requests only from the private network, not from the internet.',
    source: psrule('Azure.KeyVault.Firewall'),
    fixable: true,
    *check(ctx) {
      yield* publicAccess(ctx, ctx.nodesOfType('keyVault'));
    },
  }),
  defineRule({
    id: 'GW164',
    name: 'acr-public-network-access',
    category: 'architecture',
    severity: 'warning',
    title: 'Container Registry disables public network access',
    rationale: 'A registry open to the internet lets anyone with a leaked credential push or pull images; the cluster pulls over Private Link and needs no public endpoint.',
    source: psrule('Azure.ACR.Firewall'),
    fixable: true,
    *check(ctx) {
      yield* publicAccess(ctx, ctx.nodesOfType('containerRegistry'));
    },
  }),
  defineRule({
    id: 'GW165',
    name: 'keyvault-purge-protection',
    category: 'architecture',
    severity: 'warning',
    title: 'Key Vault has purge protection',
    rationale:
      'Without purge protection a deleted vault or certificate can be purged at once, by mistake or by an attacker, and the certificates of the whole request path are gone for good. Purge protection keeps them recoverable for the retention period.',
    source: psrule('Azure.KeyVault.PurgeProtect'),
    fixable: true,
    *check(ctx) {
      for (const kv of ctx.nodesOfType('keyVault')) {
        if (kv.properties.purgeProtection) continue;
        yield ctx.atNode(
          kv,
          `Key Vault "${kv.id}" has purgeProtection: false, so its certificates and secrets can be purged beyond recovery; set purgeProtection: true`,
          ['properties', 'purgeProtection'],
          { fix: { title: 'Enable purge protection', operations: [setOn(kv, ['properties', 'purgeProtection'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW166',
    name: 'keyvault-rbac',
    category: 'architecture',
    severity: 'warning',
    title: 'Key Vault uses Azure RBAC for data-plane access',
    rationale:
      'With Azure RBAC each identity gets a least-privilege role (Key Vault Secrets User, Certificate User) on the vault, audited like every other role assignment; access policies grant per-vault permission sets outside Azure RBAC and Privileged Identity Management.',
    source: psrule('Azure.KeyVault.RBAC'),
    fixable: true,
    *check(ctx) {
      for (const kv of ctx.nodesOfType('keyVault')) {
        if (kv.properties.rbacAuthorization) continue;
        yield ctx.atNode(
          kv,
          `Key Vault "${kv.id}" uses access policies (rbacAuthorization: false); set rbacAuthorization: true so every reader gets an Azure role such as Key Vault Secrets User`,
          ['properties', 'rbacAuthorization'],
          { fix: { title: 'Use Azure RBAC', operations: [setOn(kv, ['properties', 'rbacAuthorization'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW167',
    name: 'keyvault-soft-delete-retention',
    category: 'architecture',
    severity: 'info',
    title: 'Key Vault keeps deleted items for 90 days',
    rationale:
      'Soft delete keeps a deleted vault, certificate or secret recoverable for 7 to 90 days; 90 is the default and gives the most time to notice a deletion. With purge protection the retention cannot be changed after creation.',
    source: { tool: 'Microsoft Learn', ref: 'Azure Key Vault soft-delete overview', url: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview' },
    fixable: true,
    *check(ctx) {
      for (const kv of ctx.nodesOfType('keyVault')) {
        const days = kv.properties.softDeleteRetentionDays;
        if (days >= 90) continue;
        yield ctx.atNode(
          kv,
          `Key Vault "${kv.id}" keeps deleted certificates and secrets for only ${days} days (softDeleteRetentionDays); use 90, the default, to leave time to notice and recover a deletion`,
          ['properties', 'softDeleteRetentionDays'],
          { fix: { title: 'Keep deleted items for 90 days', operations: [setOn(kv, ['properties', 'softDeleteRetentionDays'], 90)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW168',
    name: 'acr-premium-for-private-access',
    category: 'architecture',
    severity: 'error',
    title: 'A registry behind Private Link is Premium',
    rationale:
      'Private endpoints and disabling public network access are Premium features of Container Registry; a Basic or Standard registry with either fails to deploy.',
    source: psrule('Azure.ACR.MinSku'),
    fixable: true,
    *check(ctx) {
      for (const acr of ctx.nodesOfType('containerRegistry')) {
        if (acr.properties.sku === 'Premium') continue;
        const link = ctx.incoming(acr.id, 'privateLink')[0];
        const closed = acr.properties.publicNetworkAccess === 'Disabled';
        if (!link && !closed) continue;
        const why = link ? `privateLink edge "${link.id}" gives it a private endpoint` : 'its public network access is disabled';
        yield ctx.atNode(
          acr,
          `Container Registry "${acr.id}" uses sku ${acr.properties.sku} but ${why}, which needs Premium; set sku: Premium`,
          ['properties', 'sku'],
          { fix: { title: 'Use the Premium SKU', operations: [setOn(acr, ['properties', 'sku'], 'Premium')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW169',
    name: 'acr-admin-user-disabled',
    category: 'architecture',
    severity: 'warning',
    title: 'The registry admin user is disabled',
    rationale:
      'The admin user is one shared username and password with push and pull rights on the whole registry. The cluster pulls with its kubelet identity (AcrPull), so the admin account is never needed.',
    source: psrule('Azure.ACR.AdminUser'),
    fixable: true,
    *check(ctx) {
      for (const acr of ctx.nodesOfType('containerRegistry')) {
        if (!acr.properties.adminUser) continue;
        yield ctx.atNode(
          acr,
          `Container Registry "${acr.id}" enables the admin user, a shared credential with push rights; set adminUser: false and use managed identities (AcrPull)`,
          ['properties', 'adminUser'],
          { fix: { title: 'Disable the admin user', operations: [setOn(acr, ['properties', 'adminUser'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW170',
    name: 'acr-anonymous-pull-disabled',
    category: 'architecture',
    severity: 'warning',
    title: 'The registry does not allow anonymous pull',
    rationale: 'Anonymous pull lets anyone who can reach the registry download every image, with the code and configuration inside.',
    source: psrule('Azure.ACR.AnonymousAccess'),
    fixable: true,
    *check(ctx) {
      for (const acr of ctx.nodesOfType('containerRegistry')) {
        if (!acr.properties.anonymousPull) continue;
        yield ctx.atNode(
          acr,
          `Container Registry "${acr.id}" allows anonymous pull, so anyone who reaches it can download every image; set anonymousPull: false`,
          ['properties', 'anonymousPull'],
          { fix: { title: 'Disable anonymous pull', operations: [setOn(acr, ['properties', 'anonymousPull'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW176',
    name: 'acr-anonymous-pull-sku',
    category: 'architecture',
    severity: 'error',
    title: 'Anonymous pull is only enabled on a Standard or Premium registry',
    rationale:
      'Anonymous (unauthenticated) pull access exists in the Standard and Premium tiers of Container Registry only; a Basic registry with anonymousPullEnabled fails to deploy. Whether anonymous pull is wise at all is GW170.',
    source: { tool: 'Microsoft Learn', ref: 'Unauthenticated anonymous pull access (Container Registry)', url: 'https://learn.microsoft.com/azure/container-registry/anonymous-pull-access' },
    fixable: true,
    *check(ctx) {
      for (const acr of ctx.nodesOfType('containerRegistry')) {
        if (!acr.properties.anonymousPull || acr.properties.sku !== 'Basic') continue;
        yield ctx.atNode(
          acr,
          `Container Registry "${acr.id}" allows anonymous pull on sku Basic, which does not offer it (Standard and Premium do), so the deployment fails; set anonymousPull: false, or sku: Standard if images must be public`,
          ['properties', 'anonymousPull'],
          { fix: { title: 'Disable anonymous pull', operations: [setOn(acr, ['properties', 'anonymousPull'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW171',
    name: 'sql-entra-only-authentication',
    category: 'architecture',
    severity: 'warning',
    title: 'SQL Database accepts Entra ID authentication only',
    rationale:
      'SQL authentication means passwords stored in the workload or its configuration. With Entra-only authentication the workloads sign in with their managed identities and no SQL login can be brute-forced.',
    source: psrule('Azure.SQL.AADOnly'),
    fixable: true,
    *check(ctx) {
      for (const sql of ctx.nodesOfType('sqlDatabase')) {
        if (sql.properties.entraOnlyAuthentication) continue;
        yield ctx.atNode(
          sql,
          `SQL Database "${sql.id}" accepts SQL logins with passwords (entraOnlyAuthentication: false); set entraOnlyAuthentication: true and sign in with managed identities`,
          ['properties', 'entraOnlyAuthentication'],
          { fix: { title: 'Use Entra-only authentication', operations: [setOn(sql, ['properties', 'entraOnlyAuthentication'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW172',
    name: 'sql-auditing',
    category: 'architecture',
    severity: 'warning',
    title: 'SQL Database auditing is on',
    rationale: 'Auditing records who ran what against the database; without it a data breach leaves no trace to investigate.',
    source: psrule('Azure.SQL.Auditing'),
    fixable: true,
    *check(ctx) {
      for (const sql of ctx.nodesOfType('sqlDatabase')) {
        if (sql.properties.auditing) continue;
        yield ctx.atNode(sql, `SQL Database "${sql.id}" has auditing: false, so database access leaves no audit trail; set auditing: true`, ['properties', 'auditing'], {
          fix: { title: 'Enable auditing', operations: [setOn(sql, ['properties', 'auditing'], true)] },
        });
      }
    },
  }),
  defineRule({
    id: 'GW173',
    name: 'cosmos-local-auth-disabled',
    category: 'architecture',
    severity: 'warning',
    title: 'Cosmos DB account keys are disabled',
    rationale:
      'Account keys grant full access to the whole account to whoever holds them, without an identity behind it. Disabling local authentication makes Entra ID (managed identities with data-plane roles) the only way in.',
    source: psrule('Azure.Cosmos.NoSQLLocalAuth'),
    fixable: true,
    *check(ctx) {
      for (const cosmos of ctx.nodesOfType('cosmosDb')) {
        if (!cosmos.properties.localAuth) continue;
        yield ctx.atNode(
          cosmos,
          `Cosmos DB account "${cosmos.id}" accepts account keys (localAuth: true); set localAuth: false and use managed identities with data-plane roles`,
          ['properties', 'localAuth'],
          { fix: { title: 'Disable account keys', operations: [setOn(cosmos, ['properties', 'localAuth'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW174',
    name: 'data-access-with-managed-identity',
    category: 'architecture',
    severity: 'warning',
    title: 'Workloads reach SQL Database and Cosmos DB with a managed identity',
    rationale:
      'In the reference architecture the workloads authenticate to SQL Database and Cosmos DB with managed identities. A privateLink edge to a database that names no identity leaves the workload with no credential when the database accepts Entra ID only, or with a password or account key otherwise.',
    source: { tool: 'Microsoft Learn', ref: 'Deploy AKS and API Management with mTLS (managed identities)', url: REFERENCE_ARTICLE },
    fixable: true,
    *check(ctx) {
      const identities = ctx.nodesOfType('managedIdentity');
      const only = identities.length === 1 ? identities[0] : undefined;
      for (const e of ctx.edgesOfType('privateLink')) {
        const to = e.to;
        if (e.edge.properties.identity || !to) continue;
        let outcome: string;
        if (to.type === 'sqlDatabase') {
          outcome = to.properties.entraOnlyAuthentication
            ? 'it accepts Entra ID only, so the workload has no credential to sign in with'
            : 'the workload would sign in with a SQL password';
        } else if (to.type === 'cosmosDb') {
          outcome = to.properties.localAuth ? 'the workload would use an account key' : 'its account keys are disabled, so the workload has no credential to use';
        } else {
          continue;
        }
        yield violationAtEdge(ctx, e, `privateLink edge "${e.id}" reaches ${label(to)} but names no managed identity: ${outcome}; set identity to a managedIdentity node`, only);
      }
    },
  }),
  defineRule({
    id: 'GW175',
    name: 'private-endpoint-network',
    category: 'architecture',
    severity: 'error',
    title: 'Private endpoints have a virtual network to live in',
    rationale:
      'Each privateLink edge becomes a private endpoint in a subnet, a privatelink.* Private DNS zone and the zone link to the virtual network that resolves it. Without a virtualNetwork node there is nowhere to put the endpoint and nothing to link the zone to.',
    source: { tool: 'Microsoft Learn', ref: 'Azure Private Endpoint DNS configuration', url: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns' },
    fixable: true,
    *check(ctx) {
      if (ctx.nodesOfType('virtualNetwork').length > 0) return;
      const links = ctx.edgesOfType('privateLink');
      const first = links[0];
      if (!first) return;
      const zones = [...new Set(links.flatMap((e) => (e.to && PRIVATE_DNS_ZONES[e.to.type] ? [PRIVATE_DNS_ZONES[e.to.type]!] : [])))].sort();
      const many = links.length > 1;
      const subject = many ? `privateLink edges "${first.id}" and ${links.length - 1} more need` : `privateLink edge "${first.id}" needs`;
      const zoneText = zones.length
        ? `, the Private DNS zone${zones.length > 1 ? 's' : ''} ${zones.join(', ')} and ${zones.length > 1 ? 'their' : 'its'} virtual-network link${zones.length > 1 ? 's' : ''}`
        : '';
      const id = freeNodeId(ctx, 'vnet');
      yield ctx.atEdge(first, `${subject} a virtualNetwork node for ${many ? 'their private endpoints' : 'its private endpoint'}${zoneText}; add a virtualNetwork node`, ['type'], {
        fix: { title: 'Add a virtual network', operations: [{ op: 'addNode', node: { id, type: 'virtualNetwork', properties: { addressSpace: '10.0.0.0/16' } } }] },
      });
    },
  }),
];

function violationAtEdge(ctx: RuleContext, e: EdgeEntry, message: string, identity: DesignNode | undefined): RuleViolation {
  return ctx.atEdge(e, message, ['properties', 'identity'], identity
    ? {
        fix: {
          title: `Sign in as "${identity.id}"`,
          operations: [{ op: 'setProperty', target: { kind: 'edge', id: e.id }, path: ['properties', 'identity'], value: identity.id }],
        },
      }
    : {});
}

// ---------------------------------------------------------------- fix helpers (shared with aks.ts and monitoring.ts)

/** A node id not used yet: `base`, else `base-2`, `base-3`, ... */
export function freeNodeId(ctx: RuleContext, base: string): string {
  const taken = (id: string) => ctx.nodes.has(id) || ctx.invalidNodeIds.has(id);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}

/** A violation's fix, or none when there is nothing to do (a fix holds at least one operation). */
export function fixOf(title: string, operations: EditOperation[]): { fix?: Fix } {
  return operations.length ? { fix: { title, operations } } : {};
}

const EDGE_IDS = new WeakMap<RuleContext, Set<string>>();

/** The ids of the design's edges, computed once per validation. */
function edgeIds(ctx: RuleContext): Set<string> {
  let ids = EDGE_IDS.get(ctx);
  if (!ids) {
    ids = new Set(ctx.edges.map((e) => e.id));
    EDGE_IDS.set(ctx, ids);
  }
  return ids;
}

/**
 * The operation that connects two nodes: none when an edge of that type already joins them (for example a
 * dangling one that a node added by the same fix completes), and an explicit id when "<from>-<to>" is taken.
 */
export function connectOp(ctx: RuleContext, from: string, to: string, type: string): EditOperation[] {
  if (ctx.outgoing(from).some((e) => e.edge.to === to && e.edge.type === type)) return [];
  const ids = edgeIds(ctx);
  const base = `${from}-${to}`;
  if (!ids.has(base)) return [{ op: 'connect', edge: { from, to, type } }];
  let id = `${base}-${type.toLowerCase()}`.slice(0, 81);
  for (let i = 2; ids.has(id); i++) id = `${base.slice(0, 70)}-${type.toLowerCase().slice(0, 5)}-${i}`;
  return [{ op: 'connect', edge: { id, from, to, type } }];
}
