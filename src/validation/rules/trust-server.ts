/** Trust of server certificates: names, explicit trusted CAs, public certificates at the edge, the CAs API Management and Application Gateway hold, and one TLS minimum along the chain. */
import { anchors, describeChain, dnsNameCovers, tlsEndpointOf } from '../../model/trust.js';
import type { DesignNode } from '../../schemas/design.js';
import type { Path } from '../../schemas/operations.js';
import { defineRule, type Rule } from '../rule.js';
import { LEARN, ANCHORS, q, tlsEdges, wholeCert, isPublic, serverRole, trustMaterial } from './trust-support.js';

export const SERVER_TRUST_RULES: Rule[] = [
  defineRule({
    id: 'GW205',
    name: 'server-certificate-covers-host',
    category: 'trust',
    severity: 'error',
    title: 'The server certificate names cover the host its callers call',
    rationale:
      'TLS clients match the host they call against the subject alternative names of the server certificate and ignore the common name when SANs exist (RFC 6125). Application Gateway validates the API Management name, API Management validates the ingress name (validateCertificateName), browsers validate the gateway name.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 2 (RFC 6125)`, url: 'https://www.rfc-editor.org/rfc/rfc6125' },
    fixable: true,
    *check(ctx) {
      for (const e of tlsEdges(ctx)) {
        const callee = e.to;
        const endpoint = callee ? tlsEndpointOf(callee) : undefined;
        if (!callee || !endpoint?.certificate || !endpoint.hostName) continue;
        const cert = ctx.certificates.get(endpoint.certificate);
        if (!cert || cert.dnsNames.length === 0) continue; // no names at all: GW206
        const host = endpoint.hostName;
        if (cert.dnsNames.some((n) => dnsNameCovers(n, host))) continue;
        yield ctx.atEdge(
          e,
          `${ctx.describe(e.from)} calls ${q(host)} on ${callee.id}, but its ${serverRole(callee)} ${q(cert.id)} is valid only for ${cert.dnsNames.map(q).join(', ')}: the name check fails; add ${q(host)} to the dnsNames of ${q(cert.id)} (or a wildcard that covers it)`,
          ['to'],
          {
            fix: {
              title: `Add ${host} to the names of ${cert.id}`,
              operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['dnsNames'], value: [...cert.dnsNames, host] }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW206',
    name: 'server-certificate-dns-names',
    category: 'trust',
    severity: 'error',
    title: 'Server certificates name the hosts they serve',
    rationale:
      'A server certificate without subject alternative names fails name validation in every current TLS client (browsers, Application Gateway, API Management): the common name is no longer consulted.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 2 (RFC 6125)`, url: 'https://www.rfc-editor.org/rfc/rfc6125' },
    fixable: true,
    *check(ctx) {
      const hosts = new Map<string, string[]>();
      const users = new Map<string, string[]>();
      for (const node of ctx.design.nodes) {
        const endpoint = tlsEndpointOf(node);
        if (!endpoint?.certificate) continue;
        const list = users.get(endpoint.certificate) ?? [];
        list.push(node.id);
        users.set(endpoint.certificate, list);
        if (endpoint.hostName) {
          const h = hosts.get(endpoint.certificate) ?? [];
          if (!h.includes(endpoint.hostName)) h.push(endpoint.hostName);
          hosts.set(endpoint.certificate, h);
        }
      }
      for (const cert of ctx.certificates.values()) {
        if (cert.dnsNames.length > 0) continue;
        const usedBy = users.get(cert.id);
        if (cert.role !== 'server' && !usedBy) continue;
        const names = hosts.get(cert.id) ?? [];
        const where = usedBy ? ` (used by ${usedBy.map(q).join(', ')})` : '';
        yield ctx.atCertificate(
          cert,
          `server certificate ${q(cert.id)}${where} has no dnsNames: TLS clients ignore the common name and reject it; list the host names it serves${names.length ? ` (${names.map(q).join(', ')})` : ''}`,
          ['dnsNames'],
          names.length
            ? {
                fix: {
                  title: `Set the names of ${cert.id} to ${names.join(', ')}`,
                  operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['dnsNames'], value: names }],
                },
              }
            : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW207',
    name: 'trusted-ca-agrees',
    category: 'trust',
    severity: 'error',
    title: 'An explicit trustedCa anchors the server certificate of the callee',
    rationale:
      'trustedCa overrides the derived trust of an https or mtls edge (spec, "Trust"). When it is not the issuer of the callee\'s server certificate or a CA above it (a public CA named for a privately issued certificate, or the other way round), the caller rejects the callee.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Trust"' },
    fixable: true,
    *check(ctx) {
      for (const e of tlsEdges(ctx)) {
        const trusted = e.edge.properties.trustedCa;
        const callee = e.to;
        if (!trusted || !callee || !ctx.certificates.has(trusted)) continue;
        const server = wholeCert(ctx, tlsEndpointOf(callee)?.certificate);
        if (!server || anchors(ctx, trusted, server.id)) continue;
        const trustedPublic = isPublic(ctx, trusted);
        const serverPublic = isPublic(ctx, server.id);
        const mismatch =
          trustedPublic && !serverPublic
            ? `: ${q(trusted)} is a public CA but ${q(server.id)} is privately issued`
            : !trustedPublic && serverPublic
              ? `: ${q(trusted)} is a private CA but ${q(server.id)} is issued by a public CA`
              : '';
        yield ctx.atEdge(
          e,
          `edge ${q(e.id)} trusts ${q(trusted)} (${describeChain(ctx, trusted)}), but ${callee.id} presents ${q(server.id)} (${describeChain(ctx, server.id)})${mismatch}; ${ctx.describe(e.from)} would reject it. Set trustedCa to a CA in that chain or remove it to derive trust`,
          ['properties', 'trustedCa'],
          {
            fix: {
              title: `Derive the trusted CA of ${e.id} from ${server.id}`,
              operations: [{ op: 'unsetProperty', target: { kind: 'edge', id: e.id }, path: ['properties', 'trustedCa'] }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW208',
    name: 'callee-server-certificate',
    category: 'trust',
    severity: 'error',
    title: 'The callee of a TLS edge presents a certificate the design describes',
    rationale:
      'Trust can be derived or checked only from a server certificate the design names. An ingress without one serves the controller\'s self-signed default certificate, which no caller can validate; and an explicit trustedCa cannot anchor the Microsoft-managed certificate of an API Management default domain, issued by a public CA.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Trust"' },
    *check(ctx) {
      for (const e of tlsEdges(ctx)) {
        const callee = e.to;
        const endpoint = callee ? tlsEndpointOf(callee) : undefined;
        if (!callee || !endpoint || endpoint.certificate) continue;
        const caller = ctx.describe(e.from);
        const trusted = e.edge.properties.trustedCa;
        if (callee.type === 'aksCluster') {
          yield ctx.atEdge(
            e,
            `${caller} calls the ingress of ${ctx.describe(callee)}, which has no serverCertificate: it would present the controller's self-signed default certificate, which no caller can validate; set ingress.serverCertificate`,
            ['to'],
          );
        } else if (callee.type === 'apiManagement' && !endpoint.hostName && trusted && ctx.certificates.has(trusted) && !isPublic(ctx, trusted)) {
          // A missing listener or custom-domain certificate as such is the gateway and API Management rules' (GW108, GW123).
          yield ctx.atEdge(
            e,
            `edge ${q(e.id)} trusts ${q(trusted)}, but ${ctx.describe(callee)} has no custom domain and presents the Microsoft-managed certificate of its default domain, issued by a public CA that ${q(trusted)} does not anchor; remove trustedCa or give ${callee.id} a hostName and certificate`,
            ['properties', 'trustedCa'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW209',
    name: 'public-listener-public-ca',
    category: 'trust',
    severity: 'error',
    title: 'What the internet calls presents a publicly trusted certificate',
    rationale:
      'API consumers on the internet trust the public CAs of their platform, not a private CA of the design. A listener certificate that chains to a private CA fails in every client, unless the edge from the internet names, with trustedCa, the CA its consumers were given.',
    source: { tool: 'Microsoft Learn', ref: 'Overview of TLS termination and end to end TLS with Application Gateway', url: `${LEARN}/application-gateway/ssl-overview` },
    *check(ctx) {
      const seen = new Set<string>();
      for (const e of ctx.edgesOfType('https')) {
        if (e.from?.type !== 'internet' || e.edge.properties.trustedCa || !e.to) continue;
        const endpoint = tlsEndpointOf(e.to);
        const cert = wholeCert(ctx, endpoint?.certificate);
        if (!endpoint || !cert || isPublic(ctx, cert.id) || seen.has(e.to.id)) continue;
        seen.add(e.to.id);
        yield ctx.atNode(
          e.to,
          `${ctx.describe(e.to)} faces the internet with ${serverRole(e.to)} ${q(cert.id)} (${describeChain(ctx, cert.id)}), which no public client trusts; use a certificate from a public CA (issuer: external), or set trustedCa on ${q(e.id)} if every consumer was given that CA`,
          endpoint.certificatePath,
        );
      }
    },
  }),
  defineRule({
    id: 'GW210',
    name: 'apim-backend-ca-available',
    category: 'trust',
    severity: 'error',
    title: 'API Management holds the private CA of the backends it validates',
    rationale:
      'API Management validates a backend certificate chain (validateCertificateChain) against the CA certificates uploaded to the service (Root and CertificateAuthority stores). A privately issued ingress certificate therefore needs its CA as a ca certificate of the design, held in a Key Vault API Management reads.',
    source: { tool: 'Microsoft Learn', ref: 'Add a custom CA certificate in Azure API Management', url: `${LEARN}/api-management/api-management-howto-ca-certificates` },
    fixable: true,
    *check(ctx) {
      const seen = new Set<string>();
      for (const e of tlsEdges(ctx)) {
        if (e.from?.type !== 'apiManagement') continue;
        yield* trustMaterial(ctx, e, e.from, 'CA certificate', false, seen);
      }
    },
  }),
  defineRule({
    id: 'GW211',
    name: 'appgw-trusted-root-available',
    category: 'trust',
    severity: 'error',
    title: 'Application Gateway holds the trusted root of the API Management certificate',
    rationale:
      'Application Gateway v2 validates an HTTPS backend against the trusted root certificates of its backend settings. When the API Management custom-domain certificate chains to a private CA, that root must be uploaded, from Key Vault through the gateway\'s identity.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Integrate API Management in an internal virtual network with Application Gateway',
      url: `${LEARN}/api-management/api-management-howto-integrate-internal-vnet-appgateway`,
    },
    fixable: true,
    *check(ctx) {
      const seen = new Set<string>();
      for (const e of tlsEdges(ctx)) {
        if (e.from?.type !== 'applicationGateway') continue;
        yield* trustMaterial(ctx, e, e.from, 'trusted root', true, seen);
      }
    },
  }),
  defineRule({
    id: 'GW212',
    name: 'ingress-host-name',
    category: 'trust',
    severity: 'error',
    title: 'API Management calls the ingress by a host name',
    rationale:
      'API Management reaches the ingress at a backend URL whose host it sends as SNI and compares with the ingress certificate (validateCertificateName); without an ingress host name there is no name to call and nothing the certificate can be checked against. (The Application Gateway side, the API Management custom domain, is GW123.)',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Secure backend services using client certificate authentication in Azure API Management',
      url: `${LEARN}/api-management/api-management-howto-mutual-certificates`,
    },
    fixable: true,
    *check(ctx) {
      for (const e of tlsEdges(ctx)) {
        const caller = e.from;
        const callee = e.to;
        if (caller?.type !== 'apiManagement' || callee?.type !== 'aksCluster') continue;
        const ingress = callee.properties.ingress;
        if (ingress.hostName) continue;
        const cert = ingress.serverCertificate ? ctx.certificates.get(ingress.serverCertificate) : undefined;
        const name = cert?.dnsNames.find((n) => !n.startsWith('*.'));
        yield ctx.atEdge(
          e,
          `${ctx.describe(caller)} calls the ingress of ${ctx.describe(callee)}, which has no hostName: there is no backend host to call and to validate ${cert ? q(cert.id) : 'its certificate'} against; set ingress.hostName${name ? ` (for example ${q(name)}, a name of ${q(cert!.id)})` : ''}`,
          ['to'],
          name
            ? {
                fix: {
                  title: `Set the ingress host name of ${callee.id} to ${name}`,
                  operations: [{ op: 'setProperty', target: { kind: 'node', id: callee.id }, path: ['properties', 'ingress', 'hostName'], value: name }],
                },
              }
            : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW213',
    name: 'tls-minimum-consistent',
    category: 'trust',
    severity: 'warning',
    title: 'One minimum TLS version along the whole chain',
    rationale:
      'A request crosses Application Gateway, API Management, the ingress and the data services; the weakest hop sets the real protection. Every hop should require the same, highest, minimum TLS version.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 5` },
    fixable: true,
    *check(ctx) {
      const hops: { node: DesignNode; version: string; path: Path }[] = [];
      for (const node of ctx.design.nodes) {
        switch (node.type) {
          case 'applicationGateway':
          case 'apiManagement':
          case 'sqlDatabase':
          case 'cosmosDb':
            hops.push({ node, version: node.properties.minTlsVersion, path: ['properties', 'minTlsVersion'] });
            break;
          case 'aksCluster':
            hops.push({ node, version: node.properties.ingress.minTlsVersion, path: ['properties', 'ingress', 'minTlsVersion'] });
            break;
          default:
            break;
        }
      }
      const highest = hops.reduce((max, h) => (h.version > max ? h.version : max), '');
      const strict = hops.filter((h) => h.version === highest).map((h) => q(h.node.id));
      for (const h of hops) {
        if (h.version === highest) continue;
        yield ctx.atNode(
          h.node,
          `${ctx.describe(h.node)} accepts TLS ${h.version} while ${strict.join(', ')} require${strict.length === 1 ? 's' : ''} TLS ${highest}: the chain is only as strong as its weakest hop; set minTlsVersion "${highest}"`,
          h.path,
          {
            fix: {
              title: `Require TLS ${highest} on ${h.node.id}`,
              operations: [{ op: 'setProperty', target: { kind: 'node', id: h.node.id }, path: h.path, value: highest }],
            },
          },
        );
      }
    },
  }),
];
