/**
 * The Azure role assignments the design's edges imply, and the helper every builder uses to make one.
 *
 * Facts (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles; role GUIDs from the AVM builtInRoleNames maps):
 * - Microsoft.Authorization/roleAssignments@2022-04-01, an extension resource scoped to the resource it grants
 *   access to. Its name is guid(resourceGroup().id, '<target>', '<principal>', '<role GUID>') with literal
 *   arguments only, so that the ARM JSON and the Bicep-compiled JSON name the same assignment and a redeployment
 *   finds it again. principalType ServicePrincipal: the identities are new, and ARM otherwise looks the principal
 *   up in Entra ID before it has replicated (PrincipalNotFound).
 * - The principal is always read from the identity's own resource (propOf(<resource>, ..., 'principalId' or
 *   'objectId')), which is also how the gateway and API Management builders find the grants they must wait for
 *   (./apim/late-dependencies.ts).
 *
 * What each edge grants:
 * - `secrets` to a keyVault: Key Vault Secrets User for the caller's identities. Application Gateway: its own
 *   user-assigned identity (b.ownIdentities); API Management: its system-assigned identity (the only one a vault
 *   behind its firewall accepts) and its own user-assigned one if it has one. AKS: Key Vault Secrets User for the
 *   Key Vault secrets provider add-on identity (the CSI driver mounts secrets with it) and, when the ingress is the
 *   application routing add-on, Key Vault Certificate User for the add-on's identity
 *   (ingressProfile.webAppRouting.identity), which syncs the ingress certificates from Key Vault.
 * - `imagePull` to a containerRegistry: AcrPull for the cluster's kubelet identity
 *   (identityProfile.kubeletidentity), which pulls the images.
 * - `privateLink` with an `identity`: that identity gets Key Vault Secrets User on a vault, AcrPull on a registry,
 *   the Cosmos DB Built-in Data Contributor data-plane role (databaseAccounts/sqlRoleAssignments, not Azure RBAC)
 *   on a Cosmos DB account. SQL Database has no Azure role for data access: its users are created inside the
 *   database (CREATE USER ... FROM EXTERNAL PROVIDER), which the README notes give.
 * - `diagnostics` from an AKS cluster to Application Insights: Monitoring Metrics Publisher on the component for
 *   the cluster's workload identities (the component refuses telemetry that is not Entra ID-authenticated).
 *   API Management's grant on its component is made by the API Management builder.
 * The AKS control-plane identity's Network Contributor on the cluster subnet is made by the AKS builder, before
 * the cluster, with assignRole() below.
 */
import type { DesignNode, NodeOf } from '../../schemas/design.js';
import { call, propOf, resourceGroupId, roleDefinitionId } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { cosmosDataRoleAssignment, COSMOS_DATA_CONTRIBUTOR } from './data/cosmos.js';
import type { Principal, Role } from './principal.js';
import { workloadIdentitiesOf } from './identity.js';

export type { Principal, Role };
import { privateEndpointOf } from './private-link.js';

export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';
export const ROLE_ASSIGNMENT_API = '2022-04-01';

/** Built-in roles (azure-facts §13). */
export const ROLES = {
  keyVaultSecretsUser: { name: 'Key Vault Secrets User', guid: '4633458b-17de-408a-b874-0445c86b69e6' },
  keyVaultCertificateUser: { name: 'Key Vault Certificate User', guid: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba' },
  acrPull: { name: 'AcrPull', guid: '7f951dda-4ed3-4680-a7ca-43fe172d538d' },
  networkContributor: { name: 'Network Contributor', guid: '4d97b98b-1d4f-4787-a291-c67834d212e7' },
  monitoringMetricsPublisher: { name: 'Monitoring Metrics Publisher', guid: '3913510d-42f4-4e42-8a64-420c390055eb' },
} as const;



export interface RoleGrant {
  /** The resource the role applies to. */
  readonly scope: Resource;
  /** Literal, unique in the design: the node id of the target, "subnet/<name>" for a subnet. */
  readonly scopeKey: string;
  readonly principal: Principal;
  readonly role: Role;
  /** Why the grant exists, for the Bicep comment. */
  readonly why: string;
}

/** The role assignments made so far, per build, by "<scope key>|<principal key>|<role>" (one assignment per triple). */
const made = new WeakMap<AzureBuild, Map<string, Resource>>();

/**
 * The role assignment of a grant: made once per build; a second request for the same scope, principal and role
 * returns the first assignment (ARM refuses two assignments of one role to one principal at one scope).
 */
export function assignRole(b: AzureBuild, grant: RoleGrant, dependsOn: readonly Resource[] = []): Resource {
  let byKey = made.get(b);
  if (!byKey) made.set(b, (byKey = new Map()));
  const key = `${grant.scopeKey}|${grant.principal.key}|${grant.role.guid}`;
  const existing = byKey.get(key);
  if (existing) return existing;
  const r = b.resource({
    symbol: `${grant.scopeKey}-${grant.principal.key}-${grant.role.name}`,
    type: ROLE_ASSIGNMENT_TYPE,
    apiVersion: ROLE_ASSIGNMENT_API,
    scope: grant.scope,
    name: call('guid', [resourceGroupId(), grant.scopeKey, grant.principal.key, grant.role.guid]),
    description: `${grant.role.name} for ${grant.principal.label}: ${grant.why}`,
    body: {
      properties: {
        roleDefinitionId: roleDefinitionId(grant.role.guid),
        principalId: grant.principal.principalId,
        principalType: 'ServicePrincipal',
      },
    },
    ...(dependsOn.length ? { dependsOn } : {}),
  });
  byKey.set(key, r);
  return r;
}

/** The system-assigned identity of a node's resource, if the resource has one. */
function systemIdentity(node: DesignNode, r: Resource): Principal | undefined {
  const identity = r.body.identity;
  const type = identity && typeof identity === 'object' && !Array.isArray(identity) ? (identity as Record<string, unknown>).type : undefined;
  if (typeof type !== 'string' || !type.includes('SystemAssigned')) return undefined;
  return { key: node.id, principalId: propOf(r, 'identity', 'principalId'), label: `${label(node)} (system-assigned identity)` };
}

/** A user-assigned identity resource as a principal. */
export function userAssignedPrincipal(key: string, identity: Resource, what: string): Principal {
  return { key, principalId: propOf(identity, 'properties', 'principalId'), label: what };
}

/** The AKS identities that read Key Vault: the secrets provider add-on's and, for the app routing ingress, the add-on's. */
function clusterVaultGrants(b: AzureBuild, aks: NodeOf<'aksCluster'>, cluster: Resource): { principal: Principal; role: Role; why: string }[] {
  const grants: { principal: Principal; role: Role; why: string }[] = [];
  if (aks.properties.keyVaultSecretsProvider) {
    grants.push({
      principal: {
        key: `${aks.id}/azureKeyvaultSecretsProvider`,
        principalId: propOf(cluster, 'properties', 'addonProfiles', 'azureKeyvaultSecretsProvider', 'identity', 'objectId'),
        label: `the Key Vault secrets provider add-on of AKS cluster "${aks.id}"`,
      },
      role: ROLES.keyVaultSecretsUser,
      why: 'the Secrets Store CSI driver reads secrets with it.',
    });
  } else {
    b.notes.push(
      `AKS cluster "${aks.id}" reads Key Vault (secrets edge) but its Key Vault secrets provider add-on is off (keyVaultSecretsProvider: false): no identity of the add-on is granted access; pods must read the vault with their own workload identity.`,
    );
  }
  if (aks.properties.ingress.controller === 'appRouting') {
    grants.push({
      principal: {
        key: `${aks.id}/webAppRouting`,
        principalId: propOf(cluster, 'properties', 'ingressProfile', 'webAppRouting', 'identity', 'objectId'),
        label: `the application routing add-on of AKS cluster "${aks.id}"`,
      },
      role: ROLES.keyVaultCertificateUser,
      why: 'the add-on syncs the ingress TLS certificates from Key Vault (kubernetes.azure.com/tls-cert-keyvault-uri).',
    });
  }
  return grants;
}

export function buildRoleAssignments(b: AzureBuild): void {
  secretsGrants(b);
  imagePullGrants(b);
  privateLinkGrants(b);
  telemetryGrants(b);
}

/** The node's main resource; a missing one is a bug of its builder. */
function resourceOf(b: AzureBuild, node: DesignNode): Resource {
  const r = b.nodeResources.get(node.id);
  if (!r) throw new Error(`roles: node "${node.id}" (${node.type}) has no resource; its builder must register one with setNodeResource`);
  return r;
}

function secretsGrants(b: AzureBuild): void {
  for (const e of b.index.edgesOfType('secrets')) {
    const from = e.from;
    const vault = e.to;
    if (!from || vault?.type !== 'keyVault') continue;
    if (from.type !== 'aksCluster' && from.type !== 'apiManagement' && from.type !== 'applicationGateway') continue;
    const scope = resourceOf(b, vault);
    if (from.type === 'aksCluster') {
      for (const g of clusterVaultGrants(b, from, resourceOf(b, from))) assignRole(b, { scope, scopeKey: vault.id, ...g });
      continue;
    }
    const principals: Principal[] = [];
    const system = systemIdentity(from, resourceOf(b, from));
    if (system) principals.push(system);
    const own = b.ownIdentities.get(from.id);
    if (own) principals.push(userAssignedPrincipal(`${from.id}/identity`, own, `the user-assigned identity of ${label(from)}`));
    if (!principals.length) {
      throw new Error(`roles: ${label(from)} reads Key Vault "${vault.id}" but its resource has no managed identity (system-assigned, or one registered in b.ownIdentities)`);
    }
    for (const principal of principals) {
      assignRole(b, { scope, scopeKey: vault.id, principal, role: ROLES.keyVaultSecretsUser, why: `reads certificates and secrets from Key Vault "${vault.id}" (secrets edge "${e.id}").` });
    }
  }
}

function imagePullGrants(b: AzureBuild): void {
  for (const e of b.index.edgesOfType('imagePull')) {
    const aks = e.from;
    const registry = e.to;
    if (aks?.type !== 'aksCluster' || registry?.type !== 'containerRegistry') continue;
    assignRole(b, {
      scope: resourceOf(b, registry),
      scopeKey: registry.id,
      principal: {
        key: `${aks.id}/kubelet`,
        principalId: propOf(resourceOf(b, aks), 'properties', 'identityProfile', 'kubeletidentity', 'objectId'),
        label: `the kubelet identity of AKS cluster "${aks.id}"`,
      },
      role: ROLES.acrPull,
      why: `the nodes pull images from registry "${registry.id}" (imagePull edge "${e.id}").`,
    });
  }
}

function privateLinkGrants(b: AzureBuild): void {
  const sqlUsers = new Map<string, Set<string>>();
  for (const e of b.index.edgesOfType('privateLink')) {
    const target = e.to;
    const identityId = e.edge.properties.identity;
    if (!target || !identityId) continue;
    const identityNode = b.index.nodes.get(identityId);
    if (identityNode?.type !== 'managedIdentity') continue;
    const principal = userAssignedPrincipal(identityId, resourceOf(b, identityNode), `managed identity "${identityId}"`);
    const why = `workloads of "${e.from?.id ?? e.edge.from}" sign in as it (privateLink edge "${e.id}").`;
    switch (target.type) {
      case 'keyVault':
        assignRole(b, { scope: resourceOf(b, target), scopeKey: target.id, principal, role: ROLES.keyVaultSecretsUser, why });
        break;
      case 'containerRegistry':
        assignRole(b, { scope: resourceOf(b, target), scopeKey: target.id, principal, role: ROLES.acrPull, why });
        break;
      case 'cosmosDb': {
        const endpoint = privateEndpointOf(b, target.id);
        cosmosDataRoleAssignment(b, target, resourceOf(b, target), principal, COSMOS_DATA_CONTRIBUTOR, why, endpoint ? [endpoint] : []);
        break;
      }
      case 'sqlDatabase': {
        const users = sqlUsers.get(target.id) ?? new Set<string>();
        users.add(identityId);
        sqlUsers.set(target.id, users);
        break;
      }
      default:
        break;
    }
  }
  for (const [sqlId, users] of sqlUsers) {
    const sql = b.index.nodes.get(sqlId)!;
    const names = [...users].sort().map((id) => b.name(b.index.nodes.get(id)!));
    const lines = names.flatMap((n) => [`CREATE USER [${n}] FROM EXTERNAL PROVIDER;`, `ALTER ROLE db_datareader ADD MEMBER [${n}];`, `ALTER ROLE db_datawriter ADD MEMBER [${n}];`]);
    b.notes.push(
      `SQL Database "${sqlId}": Azure roles do not grant access to data; create the database users of the managed identities inside database "${sqlId}" on server "${b.name(sql)}", signed in as its Entra ID administrator (narrow the roles to what the workload needs): ${lines.join(' ')}`,
    );
  }
}

function telemetryGrants(b: AzureBuild): void {
  for (const e of b.index.edgesOfType('diagnostics')) {
    const aks = e.from;
    const appi = e.to;
    if (aks?.type !== 'aksCluster' || appi?.type !== 'applicationInsights') continue;
    const component = resourceOf(b, appi);
    const identities = workloadIdentitiesOf(b, aks.id);
    for (const id of identities) {
      const node = b.index.nodes.get(id)!;
      assignRole(b, {
        scope: component,
        scopeKey: appi.id,
        principal: userAssignedPrincipal(id, resourceOf(b, node), `managed identity "${id}"`),
        role: ROLES.monitoringMetricsPublisher,
        why: `workloads of AKS cluster "${aks.id}" send telemetry to Application Insights "${appi.id}" with Entra ID authentication (diagnostics edge "${e.id}").`,
      });
    }
    b.notes.push(
      identities.length
        ? `Application Insights "${appi.id}" accepts telemetry from the workloads of AKS cluster "${aks.id}" authenticated as ${identities.map((i) => `"${i}"`).join(', ')} (Monitoring Metrics Publisher): configure the Azure Monitor OpenTelemetry distro with the component's connection string (az monitor app-insights component show --app ${b.name(appi)} --query connectionString) and a workload identity credential.`
        : `AKS cluster "${aks.id}" has a diagnostics edge to Application Insights "${appi.id}" but no workload identity (privateLink edge with identity) to send telemetry as: grant an identity of its workloads Monitoring Metrics Publisher on the component, which accepts Entra ID-authenticated telemetry only.`,
    );
  }
}

function label(node: DesignNode): string {
  const kinds: Partial<Record<DesignNode['type'], string>> = {
    applicationGateway: 'Application Gateway',
    apiManagement: 'API Management',
    aksCluster: 'AKS cluster',
  };
  return `${kinds[node.type] ?? node.type} "${node.id}"`;
}
