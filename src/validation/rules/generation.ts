/**
 * What a design can say but the generated deployment cannot express (GW300-GW319): values the schema accepts that
 * no valid template or manifest can carry. Each one was found by the property-based tests of the generators
 * (test/generators/property.test.ts): a design the validator accepted whose generation threw or gave a template
 * that its ARM schema, or a manifest that its Kubernetes schema, refuses.
 */
import type { NodeOf } from '../../schemas/design.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import { fixWith, setOp } from './graph.js';

type Apim = NodeOf<'apiManagement'>;
type Aks = NodeOf<'aksCluster'>;

const LEARN = 'https://learn.microsoft.com';
/** The API version the generators emit for API Management (the newest GA one, AVM-tested; azure-facts §0). */
const APIM_API_VERSION = '2024-05-01';
/** Limits of API Management properties in that API version (Microsoft.ApiManagement 2024-05-01 ARM schema). */
const PUBLISHER_MAX = 100;
const DISPLAY_NAME_MAX = 300;
const API_PATH_MAX = 400;

function isWildcard(host: string | undefined): host is string {
  return host !== undefined && host.startsWith('*.');
}

/** The first name of the server certificate that is not a wildcard: a host name one can call. */
function concreteName(ctx: RuleContext, certId: string | undefined): string | undefined {
  const cert = certId === undefined ? undefined : ctx.certificates.get(certId);
  return cert?.dnsNames.find((n) => !n.startsWith('*.'));
}

/** The API Management instances that call a cluster (https or mtls edges), first one per cluster. */
function firstApimCaller(ctx: RuleContext, aks: Aks): Apim | undefined {
  for (const e of ctx.incoming(aks.id)) {
    if ((e.edge.type === 'mtls' || e.edge.type === 'https') && e.from?.type === 'apiManagement') return e.from;
  }
  return undefined;
}

export const GENERATION_RULES: Rule[] = [
  defineRule({
    id: 'GW300',
    name: 'apim-sku-generatable',
    category: 'architecture',
    severity: 'error',
    title: 'The API Management tier exists in the API version Gatewright generates',
    rationale: `Gatewright generates API Management with API version ${APIM_API_VERSION}, the newest generally available one; its sku names are Developer, Basic, Standard, Premium, Consumption, Isolated, BasicV2 and StandardV2. Premium v2 is only in preview API versions, so a design that asks for it cannot be generated.`,
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.ApiManagement/service 2024-05-01 template reference', url: `${LEARN}/azure/templates/microsoft.apimanagement/2024-05-01/service` },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (apim.properties.sku !== 'PremiumV2') continue;
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" uses sku PremiumV2, which API version ${APIM_API_VERSION} (the newest generally available one, which Gatewright generates) does not have, so it cannot be generated; use Premium`,
          ['properties', 'sku'],
          fixWith('Use the Premium tier', setOp({ kind: 'node', id: apim.id }, ['properties', 'sku'], 'Premium')),
        );
      }
    },
  }),
  defineRule({
    id: 'GW301',
    name: 'gateway-api-passthrough-host',
    category: 'architecture',
    severity: 'error',
    title: 'A Gateway API ingress that passes TLS through names its host',
    rationale:
      'With backendProtocol passthrough the gatewayApi controller routes with a TLSRoute, which selects the backend by the SNI host name only: Gateway API v1 requires at least one entry in TLSRoute spec.hostnames. Without an ingress hostName no valid TLSRoute can be generated.',
    source: { tool: 'Kubernetes', ref: 'Gateway API TLSRoute (gateway.networking.k8s.io/v1)', url: 'https://gateway-api.sigs.k8s.io/reference/spec/#tlsroutespec' },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const ingress = aks.properties.ingress;
        if (ingress.controller !== 'gatewayApi' || ingress.backendProtocol !== 'passthrough' || ingress.hostName) continue;
        if (aks.properties.services.length === 0) continue; // nothing to route: no route is generated
        const name = concreteName(ctx, ingress.serverCertificate);
        yield ctx.atNode(
          aks,
          `the Gateway API ingress of "${aks.id}" passes TLS through but has no hostName: a TLSRoute routes by SNI host name only and needs one, so its routes cannot be generated; set ingress.hostName`,
          ['properties', 'ingress', 'hostName'],
          name ? fixWith(`Set the ingress host name of ${aks.id} to ${name}`, setOp({ kind: 'node', id: aks.id }, ['properties', 'ingress', 'hostName'], name)) : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW302',
    name: 'apim-backend-host-concrete',
    category: 'architecture',
    severity: 'error',
    title: 'API Management calls the ingress by a concrete host name, not a wildcard',
    rationale:
      'API Management calls the ingress at the backend URL https://<ingress hostName>, sends that host as SNI and checks the certificate against it. A wildcard such as *.internal.contoso.com names no host: the backend URL and its private DNS record cannot be generated. A wildcard belongs in the certificate, a concrete name in hostName.',
    source: { tool: 'Microsoft Learn', ref: 'Backends in API Management', url: `${LEARN}/azure/api-management/backends` },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const host = aks.properties.ingress.hostName;
        if (!isWildcard(host)) continue;
        const caller = firstApimCaller(ctx, aks);
        if (!caller) continue;
        const name = concreteName(ctx, aks.properties.ingress.serverCertificate);
        yield ctx.atNode(
          aks,
          `API Management "${caller.id}" calls the ingress of "${aks.id}" at its hostName "${host}", a wildcard: the backend URL https://${host} cannot be called or generated; set a concrete host name such as "api${host.slice(1)}" (the certificate may keep the wildcard)`,
          ['properties', 'ingress', 'hostName'],
          name ? fixWith(`Set the ingress host name of ${aks.id} to ${name}`, setOp({ kind: 'node', id: aks.id }, ['properties', 'ingress', 'hostName'], name)) : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW303',
    name: 'gateway-backend-host-concrete',
    category: 'architecture',
    severity: 'error',
    title: 'Application Gateway calls API Management by a concrete host name, not a wildcard',
    rationale:
      'Application Gateway forwards to the API Management custom domain: it is the FQDN of the backend pool, the host name of the backend settings and of the health probe. A wildcard custom domain names no host, so none of these can be generated.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Integrate API Management in an internal virtual network with Application Gateway',
      url: `${LEARN}/azure/api-management/api-management-howto-integrate-internal-vnet-appgateway`,
    },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const host = apim.properties.hostName;
        if (!isWildcard(host)) continue;
        const gateway = ctx.incoming(apim.id, 'https').find((e) => e.from?.type === 'applicationGateway');
        if (!gateway) continue;
        const name = concreteName(ctx, apim.properties.certificate);
        yield ctx.atNode(
          apim,
          `Application Gateway "${gateway.edge.from}" forwards to API Management "${apim.id}" at its hostName "${host}", a wildcard: the backend pool FQDN and the probe host cannot be generated; set a concrete host name such as "gateway${host.slice(1)}" (the certificate may keep the wildcard)`,
          ['properties', 'hostName'],
          name ? fixWith(`Set the host name of ${apim.id} to ${name}`, setOp({ kind: 'node', id: apim.id }, ['properties', 'hostName'], name)) : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW304',
    name: 'apim-publisher-length',
    category: 'architecture',
    severity: 'error',
    title: `The API Management publisher name and e-mail have at most ${PUBLISHER_MAX} characters`,
    rationale: `publisherName and publisherEmail of Microsoft.ApiManagement/service are limited to ${PUBLISHER_MAX} characters (maxLength in the ${APIM_API_VERSION} schema): a longer value gives a template that Azure Resource Manager refuses.`,
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.ApiManagement/service 2024-05-01 template reference', url: `${LEARN}/azure/templates/microsoft.apimanagement/2024-05-01/service` },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        for (const field of ['publisherName', 'publisherEmail'] as const) {
          const value = apim.properties[field];
          if (value === undefined || value.length <= PUBLISHER_MAX) continue;
          yield ctx.atNode(
            apim,
            `API Management "${apim.id}" has a ${field} of ${value.length} characters; Azure accepts at most ${PUBLISHER_MAX}, so the service cannot be generated; shorten it`,
            ['properties', field],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW305',
    name: 'api-display-name-length',
    category: 'architecture',
    severity: 'error',
    title: `API display names have 1 to ${DISPLAY_NAME_MAX} characters, API paths at most ${API_PATH_MAX}`,
    rationale: `An API of Microsoft.ApiManagement/service/apis has a displayName of 1 to ${DISPLAY_NAME_MAX} characters and a path of at most ${API_PATH_MAX} (the ${APIM_API_VERSION} schema): outside those limits the template is refused. Without a displayName, Gatewright uses the API name.`,
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.ApiManagement/service/apis 2024-05-01 template reference', url: `${LEARN}/azure/templates/microsoft.apimanagement/2024-05-01/service/apis` },
    fixable: true,
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          const shown = api.displayName;
          if (shown !== undefined && (shown.length === 0 || shown.length > DISPLAY_NAME_MAX)) {
            yield ctx.atNode(
              apim,
              shown.length === 0
                ? `API "${api.name}" of API Management "${apim.id}" has an empty displayName, which Azure refuses; remove it to show the API name`
                : `API "${api.name}" of API Management "${apim.id}" has a displayName of ${shown.length} characters; Azure accepts at most ${DISPLAY_NAME_MAX}, so the API cannot be generated; shorten it`,
              ['properties', 'apis', i, 'displayName'],
              shown.length === 0
                ? fixWith(`Show the API name "${api.name}"`, { op: 'unsetProperty', target: { kind: 'node', id: apim.id }, path: ['properties', 'apis', i, 'displayName'] })
                : {},
            );
          }
          if (api.path.length > API_PATH_MAX) {
            yield ctx.atNode(
              apim,
              `API "${api.name}" of API Management "${apim.id}" has a path of ${api.path.length} characters; Azure accepts at most ${API_PATH_MAX}, so the API cannot be generated; shorten it`,
              ['properties', 'apis', i, 'path'],
            );
          }
        }
      }
    },
  }),
];
