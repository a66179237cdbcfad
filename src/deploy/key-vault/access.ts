/**
 * Data-plane permission for the import on a vault that uses Azure RBAC: the signed-in principal (the `oid` claim of
 * its access token) gets the built-in role Key Vault Certificates Officer on the vault alone, the least role that
 * imports certificates, for the time of the import; the assignment is removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { armScopes, type ArmConnection } from '../connection.js';
import { DeployError } from '../errors.js';
import { authorizationClient } from './clients.js';
import { armDeployError } from './refusals.js';

/** Key Vault Certificates Officer: "Perform any action on the certificates of a key vault, excluding manage permissions". */
export const CERTIFICATES_OFFICER_ROLE = { name: 'Key Vault Certificates Officer', id: 'a4417e6f-fecd-4de8-b567-7b0420556985' } as const;

export interface Principal {
  /** The object id (oid claim). */
  readonly objectId: string;
  /** User or ServicePrincipal, from the token's idtyp claim when it has one. */
  readonly type?: 'User' | 'ServicePrincipal';
}

export interface TemporaryAssignment {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly principal: Principal;
}

/** The signed-in principal, from the claims of a Resource Manager access token. */
export async function signedInPrincipal(connection: ArmConnection, signal?: AbortSignal): Promise<Principal> {
  const token = await connection.credential.getToken(armScopes(connection), signal ? { abortSignal: signal } : {});
  const claims = token ? jwtClaims(token.token) : undefined;
  const oid = claims && typeof claims.oid === 'string' ? claims.oid : undefined;
  if (!oid) {
    throw new DeployError(
      `The access token names no principal (no oid claim), so Gatewright cannot give it the role ${CERTIFICATES_OFFICER_ROLE.name}; assign that role on the vault to the account you deploy with, then deploy again`,
      'forbidden',
    );
  }
  const idtyp = claims?.idtyp;
  return { objectId: oid, ...(idtyp === 'user' ? { type: 'User' as const } : idtyp === 'app' ? { type: 'ServicePrincipal' as const } : {}) };
}

/** Assigns Key Vault Certificates Officer on `scope` (the vault's resource id) to the principal. */
export async function assignCertificatesOfficer(
  connection: ArmConnection,
  subscriptionId: string,
  scope: string,
  principal: Principal,
  signal?: AbortSignal,
): Promise<TemporaryAssignment> {
  const client = authorizationClient(connection, subscriptionId);
  const name = randomUUID();
  try {
    const created = await client.roleAssignments.create(
      relative(scope),
      name,
      {
        roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CERTIFICATES_OFFICER_ROLE.id}`,
        principalId: principal.objectId,
        ...(principal.type ? { principalType: principal.type } : {}),
        description: 'Gatewright: importing certificates while deploying; removed when the import ends',
      },
      signal ? { abortSignal: signal } : {},
    );
    return { id: created.id ?? `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, scope, principal };
  } catch (e) {
    const error = armDeployError(e, `Giving principal ${principal.objectId} the role ${CERTIFICATES_OFFICER_ROLE.name} on ${scope}`);
    if (error.kind === 'forbidden') {
      throw new DeployError(
        `${error.message} Importing needs the role ${CERTIFICATES_OFFICER_ROLE.name} on the vault; you may not grant it yourself (that needs Owner, User Access Administrator or Role Based Access Control Administrator). Ask for it: az role assignment create --role "${CERTIFICATES_OFFICER_ROLE.name}" --assignee-object-id ${principal.objectId} --scope ${scope}`,
        'forbidden',
        error.arm,
        error.statusCode,
      );
    }
    throw error;
  }
}

/** Removes a role assignment; resolves when it is gone (also when it already was). */
export async function removeAssignment(connection: ArmConnection, subscriptionId: string, assignment: TemporaryAssignment): Promise<void> {
  const client = authorizationClient(connection, subscriptionId);
  try {
    await client.roleAssignments.delete(relative(assignment.scope), assignment.name);
  } catch (e) {
    const error = armDeployError(e, `Removing the role assignment ${assignment.id}`);
    if (error.kind !== 'notFound') throw error;
  }
}

/** A scope without its leading slash: the SDK's path template is "/{scope}/providers/...". */
function relative(scope: string): string {
  return scope.replace(/^\/+/, '');
}

function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
