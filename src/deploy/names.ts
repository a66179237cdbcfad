/**
 * Globally unique names, checked before anything is created. Key Vault, Container Registry, SQL server, Cosmos DB
 * account, API Management and storage account names make DNS names, so they are unique in all of Azure: a name
 * someone else holds fails the deployment only once it reaches that resource, after everything before it was
 * created. The what-if names every resource it would create with its resolved name (whatever the generators made of
 * it); each of these types in Create state is put to its provider's name check:
 * - Key Vault: https://learn.microsoft.com/rest/api/keyvault/keyvault/vaults/check-name-availability
 * - Container Registry: https://learn.microsoft.com/rest/api/containerregistry/registries/check-name-availability
 * - SQL server: https://learn.microsoft.com/rest/api/sql/servers/check-name-availability
 * - Cosmos DB: https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/check-name-exists
 * - API Management: https://learn.microsoft.com/rest/api/apimanagement/api-management-service/check-name-availability
 * - Storage: https://learn.microsoft.com/rest/api/storagerp/storage-accounts/check-name-availability
 */
import { resourceName } from '../model/naming.js';
import type { Design } from '../schemas/design.js';
import { providerRequest } from './connection.js';
import { toDeployError } from './errors.js';
import { vaultsClient } from './key-vault/clients.js';
import type { DeploymentTarget } from './target.js';
import type { WhatIfSummary } from './what-if-summary.js';

export interface NameCheck {
  readonly resourceId: string;
  readonly type: string;
  readonly name: string;
  readonly nodeId?: string;
  readonly available: boolean;
  /** AlreadyExists, Invalid... as the provider says it. */
  readonly reason?: string;
  readonly message?: string;
}

interface Checker {
  readonly label: string;
  check(target: DeploymentTarget, name: string, signal?: AbortSignal): Promise<{ available: boolean; reason?: string; message?: string }>;
}

/** A POST …/providers/<namespace>/checkNameAvailability answered with nameAvailable (or SQL's `available`), reason and message. */
function postCheck(label: string, namespace: string, apiVersion: string, type: string | undefined): Checker {
  return {
    label,
    async check(target, name, signal) {
      const body = await providerRequest(target, target.subscriptionId, {
        method: 'POST',
        path: `/subscriptions/${target.subscriptionId}/providers/${namespace}/checkNameAvailability`,
        apiVersion,
        body: { name, ...(type ? { type } : {}) },
        ...(signal ? { signal } : {}),
      });
      const answer = (typeof body.body === 'object' && body.body !== null ? body.body : {}) as { nameAvailable?: unknown; available?: unknown; reason?: unknown; message?: unknown };
      const available = answer.nameAvailable ?? answer.available;
      if (typeof available !== 'boolean') throw new Error(`${namespace} answered the name check of "${name}" without saying whether it is available`);
      return {
        available,
        ...(typeof answer.reason === 'string' && answer.reason ? { reason: answer.reason } : {}),
        ...(typeof answer.message === 'string' && answer.message ? { message: answer.message } : {}),
      };
    },
  };
}

const CHECKERS: Readonly<Record<string, Checker>> = {
  'microsoft.keyvault/vaults': {
    label: 'Key Vault',
    async check(target, name, signal) {
      const r = await vaultsClient(target, target.subscriptionId).vaults.checkNameAvailability({ name, type: 'Microsoft.KeyVault/vaults' }, signal ? { abortSignal: signal } : {});
      return { available: r.nameAvailable === true, ...(r.reason ? { reason: r.reason } : {}), ...(r.message ? { message: r.message } : {}) };
    },
  },
  'microsoft.containerregistry/registries': postCheck('Container Registry', 'Microsoft.ContainerRegistry', '2023-07-01', 'Microsoft.ContainerRegistry/registries'),
  'microsoft.sql/servers': postCheck('SQL server', 'Microsoft.Sql', '2021-11-01', 'Microsoft.Sql/servers'),
  'microsoft.apimanagement/service': postCheck('API Management', 'Microsoft.ApiManagement', '2022-08-01', undefined),
  'microsoft.storage/storageaccounts': postCheck('storage account', 'Microsoft.Storage', '2023-05-01', 'Microsoft.Storage/storageAccounts'),
  'microsoft.documentdb/databaseaccounts': {
    label: 'Cosmos DB account',
    async check(target, name, signal) {
      // HEAD of the tenant-level name: 200 when an account has it, 404 when it is free.
      const r = await providerRequest(target, target.subscriptionId, {
        method: 'HEAD',
        path: `/providers/Microsoft.DocumentDB/databaseAccountNames/${encodeURIComponent(name)}`,
        apiVersion: '2024-11-15',
        answers: [404],
        ...(signal ? { signal } : {}),
      });
      return r.status === 404 ? { available: true } : { available: false, reason: 'AlreadyExists', message: `A Cosmos DB account named ${name} exists.` };
    },
  },
};

/** Whether a resource type's names are unique in all of Azure (and checked here). */
export function isGloballyNamed(type: string): boolean {
  return type.toLowerCase() in CHECKERS;
}

/** The name check of every globally named resource the what-if would create (top-level resources only). */
export async function checkNewNames(target: DeploymentTarget, summary: WhatIfSummary, options: { signal?: AbortSignal } = {}): Promise<NameCheck[]> {
  const out: NameCheck[] = [];
  for (const change of summary.changes) {
    const checker = CHECKERS[change.type.toLowerCase()];
    if (change.change !== 'create' || !checker || change.name.includes('/')) continue;
    let answer;
    try {
      answer = await checker.check(target, change.name, options.signal);
    } catch (e) {
      throw toDeployError(e, `Checking whether the ${checker.label} name ${change.name} is free`);
    }
    out.push({ resourceId: change.resourceId, type: change.type, name: change.name, ...(change.nodeId ? { nodeId: change.nodeId } : {}), ...answer });
  }
  return out;
}

/**
 * One paragraph per taken name: the resource, the name, what the provider said, and how to change it in the design
 * (the node's `name`, or, for a name Gatewright derives, a `name` on the node or the design's metadata.name). A derived
 * globally unique name is its readable prefix followed by uniqueString(resourceGroup().id): the same on every
 * deployment to the same resource group (a resource group deleted and made again under the same name gives the same
 * names), which the paragraph says, with Key Vault's soft delete, the usual reason such a name is still held.
 */
export function describeTakenNames(checks: readonly NameCheck[], design?: Design): string[] {
  return checks
    .filter((c) => !c.available)
    .map((c) => {
      const label = CHECKERS[c.type.toLowerCase()]?.label ?? c.type;
      const node = c.nodeId && design ? design.nodes.find((n) => n.id === c.nodeId) : undefined;
      const said = c.message ? ` (${c.reason ? `${c.reason}: ` : ''}${c.message.replace(/\s+/g, ' ').trim()})` : c.reason ? ` (${c.reason})` : '';
      const prefix = node && design && node.name === undefined ? resourceName(design.metadata.name, node).uniquePrefix : undefined;
      const why =
        prefix !== undefined && c.name.toLowerCase().startsWith(prefix.toLowerCase())
          ? ` Its name is derived: ${prefix} followed by uniqueString() of the resource group's id, the same on every deployment to this resource group${
              c.type.toLowerCase() === 'microsoft.keyvault/vaults'
                ? `; a vault deleted from it keeps its name while soft-deleted (90 days with purge protection): recover it (az keyvault recover --name ${c.name}) to use it again`
                : ''
            }.`
          : '';
      const how = node
        ? node.name !== undefined
          ? `change the name of node ${node.id} in the design (name: ${node.name}) to one no one uses`
          : `give node ${node.id} a name of its own in the design (name: under node ${node.id}), or change metadata.name, which its derived name is made from`
        : 'change the name in the design';
      return `${label} name "${c.name}"${c.nodeId ? ` [${c.nodeId}]` : ''} is taken${said}.${why} ${label} names are unique in all of Azure: ${how}, then deploy again.`;
    });
}
