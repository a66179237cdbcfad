/** API Management: tier and network mode, custom domain, publisher, backends, API authentication (GW120-GW139). */
import type { NodeOf } from '../../schemas/design.js';
import { callerTrust } from '../../model/trust.js';
import { defineRule, type Rule } from '../rule.js';
import type { RuleContext } from '../context.js';
import { backendValidation, certificateHeldInKeyVault, onlyCertificateFor, readsCertificateVault, type KeyVaultCertificateCheck } from './gateway.js';
import { fixWith, setOp } from './graph.js';

type Apim = NodeOf<'apiManagement'>;
type Sku = Apim['properties']['sku'];

const V2_TIERS: readonly Sku[] = ['BasicV2', 'StandardV2', 'PremiumV2'];

/**
 * Tiers that support each virtual network mode (api-management-features; virtual-network-concepts):
 * Internal is classic injection (Developer, Premium) or Premium v2 injection; External is classic injection
 * in external mode, or outbound virtual network integration in Standard v2 and Premium v2.
 */
const VNET_TIERS: Record<'Internal' | 'External', readonly Sku[]> = {
  Internal: ['Developer', 'Premium', 'PremiumV2'],
  External: ['Developer', 'Premium', 'StandardV2', 'PremiumV2'],
};

/** Tiers where custom CA certificates can be uploaded for backend validation (api-management-howto-ca-certificates). */
const CA_CERTIFICATE_TIERS: readonly Sku[] = ['Developer', 'Basic', 'Standard', 'Premium'];

function apimTarget(apim: Apim) {
  return { kind: 'node', id: apim.id } as const;
}

function frontedByGateway(ctx: RuleContext, apim: Apim): boolean {
  return ctx.incoming(apim.id, 'https').some((e) => e.from?.type === 'applicationGateway');
}

function customDomainCheck(apim: Apim): KeyVaultCertificateCheck {
  return {
    node: apim,
    certId: apim.properties.certificate,
    component: 'API Management',
    what: 'custom-domain certificate',
    certPath: ['properties', 'certificate'],
  };
}

export const APIM_RULES: Rule[] = [
  defineRule({
    id: 'GW120',
    name: 'apim-vnet-tier',
    category: 'architecture',
    severity: 'error',
    title: 'The API Management tier supports its virtual network mode',
    rationale:
      'Injection in a virtual network exists only in the Developer and Premium classic tiers and in Premium v2 (internal); Standard v2 and Premium v2 only integrate outbound (external). Any other tier fails the deployment in that mode.',
    source: { tool: 'Microsoft Learn', ref: 'Use a virtual network with Azure API Management', url: 'https://learn.microsoft.com/azure/api-management/virtual-network-concepts' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const { sku, virtualNetworkType: mode } = apim.properties;
        if (mode === 'None' || VNET_TIERS[mode].includes(sku)) continue;
        const fit = V2_TIERS.includes(sku) ? 'PremiumV2' : 'Premium';
        const needs = mode === 'Internal' ? 'Developer or Premium (classic) or PremiumV2' : 'Developer or Premium (classic injection), or StandardV2 or PremiumV2 (outbound integration)';
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" uses sku ${sku}; ${mode.toLowerCase()} virtual network mode needs ${needs}`,
          ['properties', 'sku'],
          fixWith(`Use the ${fit} tier`, setOp(apimTarget(apim), ['properties', 'sku'], fit)),
        );
      }
    },
  }),
  defineRule({
    id: 'GW121',
    name: 'apim-internal-behind-gateway',
    category: 'architecture',
    severity: 'error',
    title: 'API Management behind Application Gateway is in internal virtual network mode',
    rationale:
      'When Application Gateway fronts API Management, the API Management gateway must be reachable only from the virtual network; in external or no network mode clients can call it directly and skip the WAF.',
    source: { tool: 'Checkov', ref: 'CKV_AZURE_107', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-integrate-internal-vnet-appgateway' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const mode = apim.properties.virtualNetworkType;
        if (mode === 'Internal' || !frontedByGateway(ctx, apim)) continue;
        const why = mode === 'None' ? 'is not in a virtual network' : 'is in external mode';
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" is behind Application Gateway but ${why}: its gateway is public and callers can bypass the WAF; set virtualNetworkType to Internal`,
          ['properties', 'virtualNetworkType'],
          fixWith('Use internal mode', setOp(apimTarget(apim), ['properties', 'virtualNetworkType'], 'Internal')),
        );
      }
    },
  }),
  defineRule({
    id: 'GW122',
    name: 'apim-developer-capacity',
    category: 'architecture',
    severity: 'error',
    title: 'The Developer tier runs one unit',
    rationale: 'The Developer tier cannot be scaled: it has exactly one unit and no SLA; more units need a production tier.',
    source: { tool: 'Microsoft Learn', ref: 'Upgrade and scale an API Management instance', url: 'https://learn.microsoft.com/azure/api-management/upgrade-and-scale' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const { sku, capacity } = apim.properties;
        if (sku !== 'Developer' || capacity === 1) continue;
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" asks for ${capacity} units of the Developer tier, which cannot be scaled; set capacity to 1, or use Premium for more units`,
          ['properties', 'capacity'],
          fixWith('Use one unit', setOp(apimTarget(apim), ['properties', 'capacity'], 1)),
        );
      }
    },
  }),
  defineRule({
    id: 'GW123',
    name: 'apim-custom-domain',
    category: 'architecture',
    severity: 'error',
    title: 'API Management called over HTTPS has a custom domain and its certificate',
    rationale:
      'In internal mode API Management answers only to the host names configured on it, and Application Gateway must call it by that name, with SNI, and validate its certificate: the gateway custom domain needs a host name and a server certificate.',
    source: { tool: 'Microsoft Learn', ref: 'Configure a custom domain name for API Management', url: 'https://learn.microsoft.com/azure/api-management/configure-custom-domain' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const callers = ctx.incoming(apim.id, 'https');
        if (callers.length === 0) continue;
        const p = apim.properties;
        const by = callers[0]!.edge.from;
        if (p.hostName === undefined) {
          const cert = p.certificate === undefined ? undefined : ctx.certificates.get(p.certificate);
          const name = cert?.dnsNames.find((d) => !d.startsWith('*.'));
          yield ctx.atNode(
            apim,
            `API Management "${apim.id}" is called over https by "${by}" but has no hostName for its gateway custom domain; set the host name "${by}" calls`,
            ['properties', 'hostName'],
            name ? fixWith(`Use host name ${name}`, setOp(apimTarget(apim), ['properties', 'hostName'], name)) : {},
          );
        }
        if (p.certificate === undefined) {
          const only = onlyCertificateFor(ctx, p.hostName);
          yield ctx.atNode(
            apim,
            `API Management "${apim.id}" is called over https by "${by}" but has no custom-domain certificate; set certificate to a server certificate for ${p.hostName ?? 'its host name'}`,
            ['properties', 'certificate'],
            only ? fixWith(`Use certificate "${only.id}"`, setOp(apimTarget(apim), ['properties', 'certificate'], only.id)) : {},
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW124',
    name: 'apim-certificate-key-vault',
    category: 'architecture',
    severity: 'error',
    title: 'The custom-domain certificate is held in Key Vault',
    rationale:
      'API Management loads custom-domain certificates from Key Vault with its managed identity and picks up renewals automatically; uploading a PFX would put a private key in the template, which is never generated.',
    source: { tool: 'Microsoft Learn', ref: 'Configure a custom domain name for API Management: Key Vault certificate', url: 'https://learn.microsoft.com/azure/api-management/configure-custom-domain' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        yield* certificateHeldInKeyVault(ctx, customDomainCheck(apim));
      }
    },
  }),
  defineRule({
    id: 'GW125',
    name: 'apim-key-vault-access',
    category: 'architecture',
    severity: 'error',
    title: 'API Management reads the vault of its custom-domain certificate',
    rationale: 'The secrets edge gives API Management the Key Vault Secrets User role on the vault; without it the custom domain cannot be configured and the deployment fails.',
    source: { tool: 'Microsoft Learn', ref: 'Configure a custom domain name for API Management: Key Vault certificate', url: 'https://learn.microsoft.com/azure/api-management/configure-custom-domain' },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        yield* readsCertificateVault(ctx, customDomainCheck(apim));
      }
    },
  }),
  defineRule({
    id: 'GW126',
    name: 'apim-publisher',
    category: 'architecture',
    severity: 'error',
    title: 'API Management names its publisher',
    rationale: 'publisherEmail and publisherName are required properties of an API Management service; a deployment without them is rejected.',
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.ApiManagement/service template reference', url: 'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (apim.properties.publisherEmail === undefined) {
          yield ctx.atNode(apim, `API Management "${apim.id}" has no publisherEmail, which Azure requires; set the e-mail address that receives system notifications`, ['properties', 'publisherEmail']);
        }
        if (apim.properties.publisherName === undefined) {
          yield ctx.atNode(apim, `API Management "${apim.id}" has no publisherName, which Azure requires; set the name of the organization that publishes the APIs`, ['properties', 'publisherName']);
        }
      }
    },
  }),
  defineRule({
    id: 'GW127',
    name: 'apim-backend-mtls',
    category: 'architecture',
    severity: 'error',
    title: 'API Management reaches its APIs backends over mutual TLS',
    rationale:
      'The architecture authenticates API Management to the cluster with a client certificate (mTLS), so that nothing else in the network can call the ingress; an API Management with APIs and no mTLS edge to a cluster either serves nothing or calls the ingress without authenticating.',
    source: { tool: 'Defender for Cloud', ref: 'API Management calls to API backends should be authenticated', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-mutual-certificates' },
    fixable: true,
    *check(ctx) {
      const clusters = ctx.nodesOfType('aksCluster');
      const clients = ctx.design.certificates.filter((c) => c.role === 'client');
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (apim.properties.apis.length === 0) continue;
        const out = ctx.outgoing(apim.id);
        if (out.some((e) => e.edge.type === 'mtls' && e.to?.type === 'aksCluster')) continue;
        const https = out.filter((e) => e.edge.type === 'https' && e.to?.type === 'aksCluster');
        if (https.length > 0) {
          for (const e of https) {
            // An ingress that requires client certificates makes this call fail outright: GW204 reports that.
            if (e.to?.type === 'aksCluster' && e.to.properties.ingress.verifyClient === 'on') continue;
            yield ctx.atEdge(
              e,
              `API Management "${apim.id}" calls cluster "${e.edge.to}" over https without a client certificate; make it an mtls edge with a clientCertificate so the ingress can authenticate API Management`,
              ['type'],
              { severity: 'warning' },
            );
          }
          continue;
        }
        const only = clusters.length === 1 ? clusters[0] : undefined;
        const client = clients.length === 1 ? clients[0] : undefined;
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" publishes ${apim.properties.apis.length} API${apim.properties.apis.length > 1 ? 's' : ''} but calls no cluster; connect it to the AKS cluster with an mtls edge`,
          ['properties', 'apis'],
          only && client
            ? fixWith(`Connect "${apim.id}" to "${only.id}" over mTLS with "${client.id}"`, {
                op: 'connect',
                edge: { from: apim.id, to: only.id, type: 'mtls', properties: { clientCertificate: client.id } },
              })
            : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW128',
    name: 'apim-backend-validation',
    category: 'trust',
    severity: 'error',
    title: 'API Management validates the certificate of its backends',
    rationale:
      'Backend calls that skip certificate chain or name validation can be intercepted by anyone on the path; trust the private CA instead (API Management CA certificates) and keep both validations on.',
    source: {
      tool: 'Defender for Cloud',
      ref: 'API Management calls to API backends should not bypass certificate thumbprint or name validation',
      url: 'https://learn.microsoft.com/azure/api-management/backends',
    },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        yield* backendValidation(ctx, apim, `API Management "${apim.id}"`);
      }
    },
  }),
  defineRule({
    id: 'GW129',
    name: 'apim-private-ca-tier',
    category: 'trust',
    severity: 'error',
    title: 'The API Management tier can trust the private CA of its backends',
    rationale:
      'To validate a backend certificate issued by a private CA, API Management needs that CA uploaded as a CA certificate, which the classic Developer, Basic, Standard and Premium tiers support; without it backend validation fails or has to be turned off.',
    source: { tool: 'Microsoft Learn', ref: 'Add a custom CA certificate in API Management', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-ca-certificates' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const sku = apim.properties.sku;
        if (CA_CERTIFICATE_TIERS.includes(sku)) continue;
        for (const e of ctx.outgoing(apim.id)) {
          const edge = e.edge;
          if (edge.type !== 'https' && edge.type !== 'mtls') continue;
          const cas = callerTrust(ctx, edge).caIds.filter((id) => id !== 'external');
          if (cas.length === 0) continue;
          yield ctx.atNode(
            apim,
            `API Management "${apim.id}" (sku ${sku}) calls "${edge.to}", whose certificate chains to the private CA "${cas[0]}", but custom CA certificates are available only in the Developer, Basic, Standard and Premium tiers; use Premium, or a backend certificate from a public CA`,
            ['properties', 'sku'],
            sku === 'Consumption' ? {} : { severity: 'warning' },
          );
          break;
        }
      }
    },
  }),
];
