/**
 * The trust chain across resources: who trusts which CA, whether the certificates each hop presents are
 * anchored by what the other side trusts, whether names, depths, expiry, keys and Key Vault access line up.
 * Trust is derived (spec, "Trust"): a caller trusts the issuer of the callee's server certificate, an
 * ingress trusts the issuers of the client certificates of the mtls edges reaching it; `trustedCa` and
 * `clientCa` override, and must then agree with the certificates.
 */
import { CLIENT_TRUST_RULES } from './trust-client.js';
import { SERVER_TRUST_RULES } from './trust-server.js';
import { CERTIFICATE_LIFECYCLE_RULES } from './certificate-lifecycle.js';
import { KEY_VAULT_TRUST_RULES } from './trust-key-vault.js';
import type { Rule } from '../rule.js';

export const TRUST_RULES: Rule[] = [...CLIENT_TRUST_RULES, ...SERVER_TRUST_RULES, ...CERTIFICATE_LIFECYCLE_RULES, ...KEY_VAULT_TRUST_RULES];
