/**
 * Names the policies refer to and the Bicep must create under the same names: the API Management backend
 * entity of each cluster's ingress, the API Management certificate of each mTLS client certificate, and
 * the named value holding the tenant id.
 */

/** Named value (`{{tenant-id}}`) the Bicep defines from tenant().tenantId when the entraId node gives no tenantId. */
export const TENANT_ID_NAMED_VALUE = 'tenant-id';

/**
 * Named value (`{{entra-login-endpoint}}`) the Bicep defines from environment().authentication.loginEndpoint: the
 * Microsoft Entra login host of the cloud the deployment runs in, ending in a slash.
 */
export const ENTRA_LOGIN_NAMED_VALUE = 'entra-login-endpoint';

/** API Management entity names: at most 80 characters, none of * # & + : < > ? (we keep letters, digits and hyphens). */
const MAX = 80;

/** FNV-1a 32-bit, as 8 hex digits: a short stable suffix that keeps truncated names apart. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A name of letters, digits and hyphens within API Management's limit; longer or altered input gets a hash suffix. */
export function apimEntityName(text: string): string {
  const clean = text.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  if (clean === text && clean.length <= MAX) return clean;
  return `${clean.slice(0, MAX - 9).replace(/-+$/, '')}-${shortHash(text)}`;
}

/** The backend entity (`service/backends`) of an AKS cluster's ingress, in the API Management service that calls it. */
export function apimBackendName(aksId: string): string {
  return apimEntityName(`${aksId}-ingress`);
}

/** The API Management certificate entity (`service/certificates`) of a client certificate, by certificate id. */
export function apimCertificateName(certificateId: string): string {
  return apimEntityName(certificateId);
}

/** The policy file of an API: `apim/policies/<apim-id>-<api-name>.xml`. */
export function policyFileName(apimId: string, apiName: string): string {
  return `apim/policies/${apimEntityName(`${apimId}-${apiName}`)}.xml`;
}
