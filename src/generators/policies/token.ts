/**
 * Token validation for an API whose API Management instance has a `tokenValidation` edge to Entra ID.
 *
 * Audiences: Microsoft Entra ID puts the API's App ID URI (api://…) in the aud claim of v1.0 access tokens and
 * the API's application (client) id in v2.0 ones; which one a caller gets depends on the API registration's
 * accessTokenAcceptedVersion, not on the caller (learn.microsoft.com/entra/identity-platform/access-tokens,
 * "Payload claims": aud). Both are accepted: the design's audience, the application id when the design names it,
 * and the other form of a default App ID URI (api://<client id> and <client id> name the same registration).
 *
 * Roles and scopes: when the design names required roles (app roles, the `roles` claim of application tokens) or
 * scopes (the space-separated `scp` claim of delegated tokens), the token must carry at least one of them
 * (required-claims, match="any"; a scp value is split on spaces: separator=" ").
 *
 * `validate-azure-ad-token` (learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy) requires at
 * least one `<client-application-ids><application-id>`; it knows the Entra endpoints of the cloud the instance runs
 * in. With client application ids in the design it is used. Without them, `validate-jwt`
 * (learn.microsoft.com/azure/api-management/validate-jwt-policy) checks the signature, lifetime, issuer and audience
 * against the tenant's OpenID configurations, v1.0 and v2.0 (each gives the signing keys and the issuer of its token
 * version), without limiting which client applications may call. Their URLs start with the named value
 * {{entra-login-endpoint}}, which the template sets from environment().authentication.loginEndpoint: the login
 * host of the cloud the deployment runs in (sovereign clouds have their own), never a host written out here.
 */
import type { NodeOf } from '../../schemas/design.js';
import { ENTRA_LOGIN_NAMED_VALUE, TENANT_ID_NAMED_VALUE } from './names.js';
import { element, policyLiteral, textElement, type XmlElement } from './xml.js';

const UNAUTHORIZED = 'Unauthorized. The access token is missing or invalid.';
const UNAUTHORIZED_OR_FORBIDDEN = 'Unauthorized. The access token is missing or invalid, or grants no role or scope this API requires.';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The tenant the token must come from: the node's tenantId (a GUID, by the schema), else the named value the
 * Bicep defines from tenant().tenantId. The value also goes inside URLs, so only a plain GUID or domain is used.
 */
export function tenantIdValue(entra: NodeOf<'entraId'>): string {
  const id = entra.properties.tenantId;
  return id && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(id) ? id : `{{${TENANT_ID_NAMED_VALUE}}}`;
}

/** What an API's tokens must satisfy. */
export interface TokenRequirements {
  /** The App ID URI or application id the design gives (the API's own, else the Entra ID node's). */
  readonly audience?: string | undefined;
  /** The API registration's application (client) id, when the design gives it. */
  readonly applicationId?: string | undefined;
  readonly requiredRoles?: readonly string[];
  readonly requiredScopes?: readonly string[];
}

/**
 * Every audience Entra ID issues for the API: the design's audience, the application id, and for a default App ID
 * URI (api://<guid>) or a bare application id, the other form of the same registration. Empty when the design names
 * neither.
 */
export function tokenAudiences(audience: string | undefined, applicationId: string | undefined): string[] {
  const out: string[] = [];
  const add = (v: string | undefined) => {
    if (v && !out.some((x) => x.toLowerCase() === v.toLowerCase())) out.push(v);
  };
  add(audience);
  if (audience) {
    const uri = /^api:\/\/([^/]+)$/.exec(audience);
    if (uri?.[1] && GUID.test(uri[1])) add(uri[1]);
    if (GUID.test(audience)) add(`api://${audience}`);
  }
  add(applicationId);
  return out;
}

/** The token requirements of an API: its own audience and application id, else the Entra ID node's. */
export function apiTokenRequirements(
  entra: NodeOf<'entraId'>,
  api: { audience?: string | undefined; applicationId?: string | undefined; requiredRoles?: readonly string[]; requiredScopes?: readonly string[] },
): TokenRequirements {
  const own = api.audience !== undefined || api.applicationId !== undefined;
  return {
    audience: own ? api.audience : entra.properties.audience,
    applicationId: own ? api.applicationId : entra.properties.applicationId,
    requiredRoles: api.requiredRoles ?? [],
    requiredScopes: api.requiredScopes ?? [],
  };
}

function requiredClaims(req: TokenRequirements): XmlElement[] {
  const claims: XmlElement[] = [];
  const roles = [...new Set(req.requiredRoles ?? [])];
  const scopes = [...new Set(req.requiredScopes ?? [])];
  if (roles.length) claims.push(element('claim', { name: 'roles', match: 'any' }, roles.map((r) => textElement('value', policyLiteral(r)))));
  if (scopes.length) claims.push(element('claim', { name: 'scp', match: 'any', separator: ' ' }, scopes.map((s) => textElement('value', policyLiteral(s)))));
  return claims.length ? [element('required-claims', {}, claims)] : [];
}

export function tokenValidation(entra: NodeOf<'entraId'>, req: TokenRequirements): XmlElement {
  const tenant = tenantIdValue(entra);
  const audienceList = tokenAudiences(req.audience, req.applicationId);
  const audiences = audienceList.length === 0 ? [] : [element('audiences', {}, audienceList.map((a) => textElement('audience', policyLiteral(a))))];
  const claims = requiredClaims(req);
  // One status for every failure: both policies have a single failed-validation-httpcode.
  const code = { 'failed-validation-httpcode': '401' };
  const message = claims.length ? UNAUTHORIZED_OR_FORBIDDEN : UNAUTHORIZED;
  const clients = [...new Set(entra.properties.clientApplicationIds)];
  if (clients.length > 0) {
    return element(
      'validate-azure-ad-token',
      { 'tenant-id': tenant, 'header-name': 'Authorization', ...code, 'failed-validation-error-message': message },
      [element('client-application-ids', {}, clients.map((id) => textElement('application-id', policyLiteral(id)))), ...audiences, ...claims],
    );
  }
  const login = `{{${ENTRA_LOGIN_NAMED_VALUE}}}${tenant}`;
  return element(
    'validate-jwt',
    {
      'header-name': 'Authorization',
      'require-scheme': 'Bearer',
      ...code,
      'failed-validation-error-message': message,
      'require-expiration-time': 'true',
      'require-signed-tokens': 'true',
    },
    [
      // v1.0 tokens: issuer https://sts.<cloud>/<tenant>/; v2.0 tokens: issuer <login endpoint><tenant>/v2.0.
      element('openid-config', { url: `${login}/.well-known/openid-configuration` }),
      element('openid-config', { url: `${login}/v2.0/.well-known/openid-configuration` }),
      ...audiences,
      ...claims,
    ],
  );
}
