/**
 * Token validation for an API whose API Management instance has a `tokenValidation` edge to Entra ID.
 *
 * `validate-azure-ad-token` requires at least one `<client-application-ids><application-id>`. With client
 * application ids in the design, it is used. Without them, a `validate-jwt` against the tenant's OpenID
 * configuration is used instead: it checks the signature, lifetime, issuer (the tenant) and audience,
 * without limiting which client applications may call. Emitting validate-azure-ad-token with an invented or
 * empty client id list would either fail to deploy or reject every call.
 */
import type { NodeOf } from '../../schemas/design.js';
import { TENANT_ID_NAMED_VALUE } from './names.js';
import { element, policyLiteral, textElement, type XmlElement } from './xml.js';

const UNAUTHORIZED = 'Unauthorized. The access token is missing or invalid.';

/**
 * The tenant the token must come from: the node's tenantId (a GUID, by the schema), else the named value the
 * Bicep defines from tenant().tenantId. The value also goes inside URLs, so only a plain GUID or domain is used.
 */
export function tenantIdValue(entra: NodeOf<'entraId'>): string {
  const id = entra.properties.tenantId;
  return id && /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(id) ? id : `{{${TENANT_ID_NAMED_VALUE}}}`;
}

export function tokenValidation(entra: NodeOf<'entraId'>, audience: string | undefined): XmlElement {
  const tenant = tenantIdValue(entra);
  const audiences = audience === undefined ? [] : [element('audiences', {}, [textElement('audience', policyLiteral(audience))])];
  const clients = [...new Set(entra.properties.clientApplicationIds)];
  if (clients.length > 0) {
    return element(
      'validate-azure-ad-token',
      { 'tenant-id': tenant, 'header-name': 'Authorization', 'failed-validation-httpcode': '401', 'failed-validation-error-message': UNAUTHORIZED },
      [element('client-application-ids', {}, clients.map((id) => textElement('application-id', policyLiteral(id)))), ...audiences],
    );
  }
  return element(
    'validate-jwt',
    {
      'header-name': 'Authorization',
      'require-scheme': 'Bearer',
      'failed-validation-httpcode': '401',
      'failed-validation-error-message': UNAUTHORIZED,
      'require-expiration-time': 'true',
      'require-signed-tokens': 'true',
    },
    [
      element('openid-config', { url: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration` }),
      ...audiences,
      element('issuers', {}, [
        textElement('issuer', `https://login.microsoftonline.com/${tenant}/v2.0`),
        textElement('issuer', `https://sts.windows.net/${tenant}/`),
      ]),
    ],
  );
}
