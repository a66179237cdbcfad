/**
 * Azure Cosmos DB for NoSQL (Microsoft.DocumentDB/databaseAccounts@2025-04-15, AVM-tested) and its data-plane
 * role assignments.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.documentdb/databaseaccounts; bicep-types cosmos-db 2025-04-15):
 * - kind GlobalDocumentDB, databaseAccountOfferType Standard, one region (the deployment's location, failover
 *   priority 0), Session consistency (the Cosmos DB default).
 * - disableLocalAuth (design localAuth false by default): account keys are refused, Entra ID only;
 *   disableKeyBasedMetadataWriteAccess: databases and containers are changed through Azure Resource Manager only.
 * - minimalTlsVersion: the API's values stop at Tls12 (ARM schemas 2025-04-15 and 2026-03-15), so a design asking
 *   for TLS 1.3 gets Tls12 and a note.
 * - publicNetworkAccess as the design says; networkAclBypass None (no Azure service needs to reach the data).
 * - Data access is not Azure RBAC: databaseAccounts/sqlRoleAssignments with the built-in data-plane role
 *   definitions <account>/sqlRoleDefinitions/00000000-0000-0000-0000-000000000001 (Data Reader) and ...0002 (Data
 *   Contributor), scoped to the account; the name is a GUID (guid() with literal arguments, as Azure role
 *   assignments).
 */
import type { NodeOf } from '../../../schemas/design.js';
import { call, idOf, location, nameOf, resourceGroupId } from '../../ir/expr.js';
import type { Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';
import type { Principal, Role } from '../principal.js';

export const COSMOS_ACCOUNT_TYPE = 'Microsoft.DocumentDB/databaseAccounts';
export const COSMOS_ROLE_ASSIGNMENT_TYPE = 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments';
export const COSMOS_ROLE_DEFINITION_TYPE = 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions';
export const COSMOS_API = '2025-04-15';
/** Cosmos DB Built-in Data Contributor (data plane): read and write items. */
export const COSMOS_DATA_CONTRIBUTOR: Role = { name: 'Cosmos DB Built-in Data Contributor', guid: '00000000-0000-0000-0000-000000000002' };

export function buildCosmos(b: AzureBuild, cosmos: NodeOf<'cosmosDb'>): Resource {
  const p = cosmos.properties;
  if (p.minTlsVersion === '1.3') {
    b.notes.push(
      `Cosmos DB account "${cosmos.id}" asks for TLS 1.3 as the minimum, which the Cosmos DB API cannot enforce (its minimalTlsVersion goes up to Tls12): the account requires TLS 1.2 or later.`,
    );
  }
  if (p.localAuth) {
    b.notes.push(`Cosmos DB account "${cosmos.id}" accepts account keys (localAuth: true): whoever holds a key has full access to its data, with no identity behind it.`);
  }
  return b.resource({
    symbol: cosmos.id,
    type: COSMOS_ACCOUNT_TYPE,
    apiVersion: COSMOS_API,
    name: b.azureName(cosmos),
    description: `Cosmos DB account "${cosmos.id}" (NoSQL): ${p.localAuth ? 'account keys allowed' : 'Entra ID only, account keys disabled'}, TLS 1.2 minimum, public network access ${p.publicNetworkAccess.toLowerCase()}, one region.`,
    body: {
      ...b.placed(),
      kind: 'GlobalDocumentDB',
      properties: {
        databaseAccountOfferType: 'Standard',
        locations: [{ locationName: location(), failoverPriority: 0, isZoneRedundant: false }],
        consistencyPolicy: { defaultConsistencyLevel: 'Session' },
        disableLocalAuth: !p.localAuth,
        disableKeyBasedMetadataWriteAccess: true,
        minimalTlsVersion: 'Tls12',
        publicNetworkAccess: p.publicNetworkAccess,
        networkAclBypass: 'None',
      },
    },
  });
}

/** The per-build data-plane role assignments made so far, by "<account>|<principal>|<role>", and the last one per account. */
const made = new WeakMap<AzureBuild, { byKey: Map<string, Resource>; last: Map<string, Resource> }>();

/**
 * A Cosmos DB data-plane role assignment (made once per account, principal and role). Cosmos DB runs one
 * operation at a time on an account ("an operation is in progress which requires exclusive lock"), so each
 * assignment waits for the previous one on the account and for `after` (the account's private endpoint, whose
 * connection is such an operation).
 */
export function cosmosDataRoleAssignment(
  b: AzureBuild,
  cosmos: NodeOf<'cosmosDb'>,
  account: Resource,
  principal: Principal,
  role: Role,
  why: string,
  after: readonly Resource[] = [],
): Resource {
  let state = made.get(b);
  if (!state) made.set(b, (state = { byKey: new Map(), last: new Map() }));
  const key = `${cosmos.id}|${principal.key}|${role.guid}`;
  const existing = state.byKey.get(key);
  if (existing) return existing;
  const previous = state.last.get(cosmos.id);
  const dependsOn = [...after, ...(previous ? [previous] : [])];
  const r = b.resource({
    symbol: `${cosmos.id}-${principal.key}-data-contributor`,
    type: COSMOS_ROLE_ASSIGNMENT_TYPE,
    apiVersion: COSMOS_API,
    parent: account,
    name: call('guid', [resourceGroupId(), cosmos.id, principal.key, role.guid]),
    description: `${role.name} on Cosmos DB account "${cosmos.id}" for ${principal.label}: ${why}`,
    body: {
      properties: {
        roleDefinitionId: call('resourceId', [COSMOS_ROLE_DEFINITION_TYPE, nameOf(account), role.guid]),
        principalId: principal.principalId,
        scope: idOf(account),
      },
    },
    ...(dependsOn.length ? { dependsOn } : {}),
  });
  state.byKey.set(key, r);
  state.last.set(cosmos.id, r);
  return r;
}
