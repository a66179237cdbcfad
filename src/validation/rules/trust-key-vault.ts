/** What API Management and the ingress load from Key Vault, the keys API Management accepts, and the token audience every API checks. */
import type { NodeOf } from '../../schemas/design.js';
import { defineRule, type Rule } from '../rule.js';
import { LEARN, q, keyVaultAccess } from './trust-support.js';

export const KEY_VAULT_TRUST_RULES: Rule[] = [
  defineRule({
    id: 'GW219',
    name: 'apim-client-certificate-in-key-vault',
    category: 'trust',
    severity: 'error',
    title: 'API Management loads its mTLS client certificate from a Key Vault it reads',
    rationale:
      'API Management references a client certificate in Key Vault (service/certificates keyVault.secretIdentifier) and reads it with its managed identity, which needs Key Vault Secrets User on the vault; versionless references pick up renewals within four hours. A certificate outside Key Vault means a PFX and its password in the template.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Secure backend services using client certificate authentication in Azure API Management',
      url: `${LEARN}/api-management/api-management-howto-mutual-certificates`,
    },
    fixable: true,
    *check(ctx) {
      // The listener and custom-domain certificates are the gateway and API Management rules' (GW109, GW110, GW124, GW125).
      const seen = new Set<string>();
      for (const e of ctx.edgesOfType('mtls')) {
        if (e.from?.type !== 'apiManagement') continue;
        const cert = ctx.certificates.get(e.edge.properties.clientCertificate);
        if (cert) yield* keyVaultAccess(ctx, e.from, cert, 'client certificate', [], seen);
      }
    },
  }),
  defineRule({
    id: 'GW220',
    name: 'ingress-certificate-in-key-vault',
    category: 'trust',
    severity: 'error',
    title: 'The app routing ingress loads its server certificate from a Key Vault the cluster reads',
    rationale:
      'The application routing add-on serves an ingress certificate from Key Vault (tls-cert-keyvault-uri), read through the Key Vault secrets provider identity, which needs Key Vault Certificate User on the vault.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Set up a custom domain name and SSL certificate with the application routing add-on',
      url: `${LEARN}/aks/app-routing-dns-ssl`,
    },
    fixable: true,
    *check(ctx) {
      const seen = new Set<string>();
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const ingress = aks.properties.ingress;
        if (ingress.controller !== 'appRouting' || !ingress.serverCertificate) continue;
        const cert = ctx.certificates.get(ingress.serverCertificate);
        if (cert) yield* keyVaultAccess(ctx, aks, cert, 'ingress server certificate', ['properties', 'ingress', 'serverCertificate'], seen);
      }
    },
  }),
  defineRule({
    id: 'GW221',
    name: 'apim-rsa-keys',
    category: 'trust',
    severity: 'error',
    title: 'Certificates API Management holds have RSA keys',
    rationale:
      'API Management loads its custom-domain and client certificates from Key Vault as PKCS#12 with their private key; certificates with EC keys make deployments of the service and of service/certificates fail (500 or a two-hour timeout), so use RSA keys for them.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Secure backend services using client certificate authentication in Azure API Management',
      url: `${LEARN}/api-management/api-management-howto-mutual-certificates`,
    },
    fixable: true,
    *check(ctx) {
      const uses = new Map<string, string>();
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const id = apim.properties.certificate;
        if (id && !uses.has(id)) uses.set(id, `custom-domain certificate of ${q(apim.id)}`);
      }
      for (const e of ctx.edgesOfType('mtls')) {
        const id = e.edge.properties.clientCertificate;
        if (e.from?.type === 'apiManagement' && !uses.has(id)) uses.set(id, `client certificate ${q(e.from.id)} presents on ${q(e.id)}`);
      }
      for (const [id, where] of uses) {
        const cert = ctx.certificates.get(id);
        if (cert?.keyAlgorithm !== 'EC') continue;
        yield ctx.atCertificate(cert, `${q(cert.id)} (${where}) has an EC key; API Management needs RSA keys for the certificates it holds; set keyAlgorithm RSA`, ['keyAlgorithm'], {
          fix: {
            title: `Use an RSA key for ${cert.id}`,
            operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['keyAlgorithm'], value: 'RSA' }],
          },
        });
      }
    },
  }),
  defineRule({
    id: 'GW222',
    name: 'api-token-validation',
    category: 'trust',
    severity: 'error',
    title: 'Every API validates Entra ID tokens for an audience',
    rationale:
      'mTLS authenticates API Management to the cluster, not the caller to the API. Each API must validate an OAuth 2.0 token (validate-azure-ad-token) issued by Entra ID for its audience; without an audience, a token issued for any application of the tenant is accepted.',
    source: {
      tool: 'Defender for Cloud',
      ref: 'API endpoints in Azure API Management should be authenticated',
      url: `${LEARN}/api-management/validate-azure-ad-token-policy`,
    },
    fixable: true,
    *check(ctx) {
      const entras = ctx.nodesOfType('entraId');
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const apis = apim.properties.apis;
        if (apis.length === 0) continue;
        const issuers = ctx
          .outgoing(apim.id, 'tokenValidation')
          .map((e) => e.to)
          .filter((n): n is NodeOf<'entraId'> => n?.type === 'entraId');
        if (issuers.length === 0) {
          const only = entras.length === 1 ? entras[0] : undefined;
          yield ctx.atNode(
            apim,
            `${ctx.describe(apim)} publishes ${apis.map((a) => q(a.name)).join(', ')} but validates no token: connect it to an Entra ID node with a tokenValidation edge`,
            ['properties', 'apis'],
            only
              ? {
                  fix: {
                    title: `Validate tokens from ${only.id}`,
                    operations: [{ op: 'connect', edge: { from: apim.id, to: only.id, type: 'tokenValidation' } }],
                  },
                }
              : {},
          );
          continue;
        }
        if (issuers.some((n) => n.properties.audience || n.properties.applicationId)) continue;
        const names = issuers.map((n) => q(n.id)).join(', ');
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          if (api.audience || api.applicationId) continue;
          yield ctx.atNode(
            apim,
            `API ${q(api.name)} of ${apim.id} validates tokens from ${names} without an audience: tokens issued for any application are accepted; set audience on the API or on ${names}`,
            ['properties', 'apis', i],
          );
        }
      }
    },
  }),
];
