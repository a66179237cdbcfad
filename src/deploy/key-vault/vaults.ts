/**
 * A vault as the import needs it, through @azure/arm-keyvault: its id and data-plane URI (vaultUri, which differs
 * per cloud), whether it uses Azure RBAC, and its network settings; reading it (undefined when it does not exist)
 * and changing only its network settings (PATCH: publicNetworkAccess and networkAcls, nothing else).
 */
import type { DeploymentTarget } from '../target.js';
import { vaultsClient } from './clients.js';
import type { NetworkSettings } from './network.js';
import { armDeployError } from './refusals.js';

export interface VaultInfo {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  /** https://<name>.vault.azure.net/ in the public cloud. */
  readonly vaultUri: string;
  readonly enableRbacAuthorization: boolean;
  readonly network: NetworkSettings;
}

/** The vault in the target's resource group, or undefined when there is none by that name. */
export async function getVault(target: DeploymentTarget, name: string, signal?: AbortSignal): Promise<VaultInfo | undefined> {
  const client = vaultsClient(target, target.subscriptionId);
  try {
    return info(await client.vaults.get(target.resourceGroup, name, signal ? { abortSignal: signal } : {}), name);
  } catch (e) {
    const error = armDeployError(e, `Reading Key Vault ${name} in resource group ${target.resourceGroup}`);
    if (error.kind === 'notFound') return undefined;
    throw error;
  }
}

/** Sets the vault's public network access and firewall (the whole networkAcls object) and returns the vault as it is then. */
export async function setVaultNetwork(target: DeploymentTarget, name: string, settings: Required<NetworkSettings>, signal?: AbortSignal): Promise<VaultInfo> {
  const client = vaultsClient(target, target.subscriptionId);
  const acls = settings.networkAcls;
  try {
    const vault = await client.vaults.update(
      target.resourceGroup,
      name,
      {
        properties: {
          publicNetworkAccess: settings.publicNetworkAccess,
          networkAcls: {
            ...(acls.bypass ? { bypass: acls.bypass } : {}),
            ...(acls.defaultAction ? { defaultAction: acls.defaultAction } : {}),
            ipRules: (acls.ipRules ?? []).map((r) => ({ value: r.value })),
            virtualNetworkRules: (acls.virtualNetworkRules ?? []).map((r) => ({ id: r.id, ...(r.ignoreMissingVnetServiceEndpoint !== undefined ? { ignoreMissingVnetServiceEndpoint: r.ignoreMissingVnetServiceEndpoint } : {}) })),
          },
        },
      },
      signal ? { abortSignal: signal } : {},
    );
    return info(vault, name);
  } catch (e) {
    throw armDeployError(e, `Changing the network settings of Key Vault ${name}`);
  }
}

function info(
  vault: { id?: string; name?: string; location?: string; properties?: { vaultUri?: string; enableRbacAuthorization?: boolean; publicNetworkAccess?: string; networkAcls?: NetworkSettings['networkAcls'] } },
  name: string,
): VaultInfo {
  const p = vault.properties ?? {};
  const vaultUri = p.vaultUri ?? '';
  if (!/^https:\/\//i.test(vaultUri)) throw new Error(`Resource Manager gave no https vaultUri for Key Vault ${name} (got "${vaultUri}")`);
  return {
    id: vault.id ?? '',
    name: vault.name ?? name,
    location: vault.location ?? '',
    vaultUri: vaultUri.endsWith('/') ? vaultUri : `${vaultUri}/`,
    enableRbacAuthorization: p.enableRbacAuthorization === true,
    network: {
      ...(p.publicNetworkAccess !== undefined ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
      ...(p.networkAcls ? { networkAcls: p.networkAcls } : {}),
    },
  };
}
