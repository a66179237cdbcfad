/** API Management policy documents (apim/policies/ of `gatewright generate`), and the entity names they share with the Bicep. */
export { generatePolicies, apiPolicy, apiBackend, type PolicyFile, type ApiBackend } from './generate.js';
export { apimBackendName, apimCertificateName, apimEntityName, policyFileName, TENANT_ID_NAMED_VALUE, ENTRA_LOGIN_NAMED_VALUE } from './names.js';
export { tenantIdValue, tokenAudiences, apiTokenRequirements, type TokenRequirements } from './token.js';
export { policyLiteral, renderXml } from './xml.js';
export { POLICY_ROOT, POLICY_SECTIONS, POLICY_STATEMENTS, POLICY_CHILDREN, BASE } from './elements.js';
