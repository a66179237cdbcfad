/**
 * The SDK clients the Key Vault import uses, made from the same connection as every other client of src/deploy
 * (./connection.ts): the same credential, pipeline options and Resource Manager endpoint and audience for the vault
 * (@azure/arm-keyvault) and role assignment (@azure/arm-authorization) clients, and for the vault's data plane
 * (@azure/keyvault-certificates) the vault's own URI, with the SDK's challenge authentication: the first request goes
 * without a token, the vault answers 401 naming its token audience, and the SDK checks that the audience is a parent
 * domain of the vault's host before asking the credential for a token (challenge resource verification stays on).
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { armEndpoint, armScopes, type ArmConnection } from '../connection.js';

export function vaultsClient(connection: ArmConnection, subscriptionId: string): KeyVaultManagementClient {
  const endpoint = armEndpoint(connection.endpoint);
  return new KeyVaultManagementClient(connection.credential, subscriptionId, {
    ...connection.pipeline,
    endpoint,
    credentials: { scopes: armScopes(connection) },
  });
}

export function authorizationClient(connection: ArmConnection, subscriptionId: string): AuthorizationManagementClient {
  const endpoint = armEndpoint(connection.endpoint);
  return new AuthorizationManagementClient(connection.credential, subscriptionId, {
    ...connection.pipeline,
    endpoint,
    $host: endpoint,
    credentialScopes: armScopes(connection),
  });
}

/** The data-plane client of a vault, at its vaultUri as Resource Manager reports it (right in every cloud). */
export function certificateClient(connection: ArmConnection, vaultUri: string): CertificateClient {
  return new CertificateClient(vaultUri, connection.credential, { ...connection.pipeline });
}
