/**
 * API Management policy element names, from the policy reference (learn.microsoft.com/azure/api-management/
 * api-management-policies, azure-docs articles/api-management/api-management-policies.md and the page of
 * each policy). Tests check generated documents against these lists.
 */

/** The document root, its four sections (in this order) and the element that inherits the parent scope's policies. */
export const POLICY_ROOT = 'policies';
export const POLICY_SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'] as const;
export const BASE = 'base';

/** Policy statements that may appear in a section. */
export const POLICY_STATEMENTS: ReadonlySet<string> = new Set([
  // Rate limiting and quotas
  'rate-limit',
  'rate-limit-by-key',
  'quota',
  'quota-by-key',
  'limit-concurrency',
  // Authentication and authorization
  'check-header',
  'get-authorization-context',
  'ip-filter',
  'validate-azure-ad-token',
  'validate-jwt',
  'validate-client-certificate',
  'authentication-basic',
  'authentication-certificate',
  'authentication-managed-identity',
  // Content validation
  'validate-content',
  'validate-graphql-request',
  'validate-odata-request',
  'validate-parameters',
  'validate-headers',
  'validate-status-code',
  // Routing
  'forward-request',
  'set-backend-service',
  'proxy',
  // Caching
  'cache-lookup',
  'cache-store',
  'cache-lookup-value',
  'cache-store-value',
  'cache-remove-value',
  'azure-openai-semantic-cache-lookup',
  'azure-openai-semantic-cache-store',
  // Transformation
  'set-method',
  'set-status',
  'set-variable',
  'set-body',
  'set-header',
  'set-query-parameter',
  'rewrite-uri',
  'json-to-xml',
  'xml-to-json',
  'find-and-replace',
  'redirect-content-urls',
  'xsl-transform',
  'return-response',
  'mock-response',
  // Cross-domain
  'cross-domain',
  'cors',
  'jsonp',
  // Integration and external communication
  'send-request',
  'send-one-way-request',
  'log-to-eventhub',
  'publish-to-dapr',
  'invoke-dapr-binding',
  // Logging
  'trace',
  'emit-metric',
  // Policy control and flow
  'choose',
  'include-fragment',
  'retry',
  'wait',
]);

/** Child elements of the policies Gatewright emits, by parent (validate-azure-ad-token-policy.md, validate-jwt-policy.md). */
export const POLICY_CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  'validate-azure-ad-token': new Set(['client-application-ids', 'backend-application-ids', 'audiences', 'required-claims']),
  'validate-jwt': new Set(['openid-config', 'issuer-signing-keys', 'decryption-keys', 'audiences', 'issuers', 'required-claims']),
  'client-application-ids': new Set(['application-id']),
  'backend-application-ids': new Set(['application-id']),
  audiences: new Set(['audience']),
  issuers: new Set(['issuer']),
  'required-claims': new Set(['claim']),
  claim: new Set(['value']),
};
