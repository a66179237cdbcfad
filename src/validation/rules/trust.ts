/**
 * The trust chain across resources: who trusts which CA, whether the certificates each hop presents are
 * anchored by what the other side trusts, whether names, depths, expiry, keys and Key Vault access line up.
 * Trust is derived (spec, "Trust"): a caller trusts the issuer of the callee's server certificate, an
 * ingress trusts the issuers of the client certificates of the mtls edges reaching it; `trustedCa` and
 * `clientCa` override, and must then agree with the certificates.
 */
import {
  anchors,
  callerTrust,
  describeChain,
  dnsNameCovers,
  ingressClientTrust,
  isTlsEdge,
  issuerChain,
  requiredVerifyDepth,
  rootOf,
  tlsEndpointOf,
} from '../../model/trust.js';
import type { Certificate, DesignNode, EdgeOf, NodeOf } from '../../schemas/design.js';
import type { Fix } from '../../schemas/finding.js';
import type { Path } from '../../schemas/operations.js';
import type { EdgeEntry, RuleContext } from '../context.js';
import { defineRule, type Rule, type RuleViolation } from '../rule.js';

const LEARN = 'https://learn.microsoft.com/azure';
const ANCHORS = 'validation anchors: what none of the tools checks';
const NGINX_CLIENT_CERTS = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#client-certificate-authentication';

const q = (s: string): string => `"${s}"`;
const DAY_MS = 86_400_000;

type TlsEdge = EdgeOf<'https'> | EdgeOf<'mtls'>;

/** https and mtls edges, in document order. */
function tlsEdges(ctx: RuleContext): EdgeEntry<TlsEdge>[] {
  return ctx.edges.filter((e): e is EdgeEntry<TlsEdge> => isTlsEdge(e.edge));
}

/** The certificate with this id, when it exists and its issuer chain is whole (no unknown id, no loop). */
function wholeCert(ctx: RuleContext, id: string | undefined): Certificate | undefined {
  if (!id) return undefined;
  const cert = ctx.certificates.get(id);
  if (!cert) return undefined;
  const { ended } = issuerChain(ctx, id);
  return ended === 'missing' || ended === 'cycle' ? undefined : cert;
}

function isPublic(ctx: RuleContext, certId: string): boolean {
  return rootOf(ctx, certId) === 'external';
}

/** What a node is called in messages about the certificate it presents. */
function serverRole(node: DesignNode): string {
  switch (node.type) {
    case 'applicationGateway':
      return 'listener certificate';
    case 'apiManagement':
      return 'custom-domain certificate';
    case 'aksCluster':
      return 'ingress server certificate';
    default:
      return 'server certificate';
  }
}

function keyVaultIds(ctx: RuleContext): string[] {
  return ctx.nodesOfType('keyVault').map((n) => n.id);
}

/** A Key Vault a reader already reads over a `secrets` edge, else the only Key Vault of the design. */
function vaultFor(ctx: RuleContext, reader: DesignNode): string | undefined {
  const read = ctx.outgoing(reader.id, 'secrets').find((e) => e.to?.type === 'keyVault');
  if (read) return read.edge.to;
  const all = keyVaultIds(ctx);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * The certificate is held in a Key Vault and the reader reads that vault over a `secrets` edge.
 * `seen` dedupes within one rule run: one finding per certificate and one per missing edge.
 */
function* keyVaultAccess(
  ctx: RuleContext,
  reader: DesignNode,
  cert: Certificate,
  what: string,
  readerPath: Path,
  seen: Set<string>,
): Generator<RuleViolation> {
  if (!cert.keyVault) {
    if (seen.has(`cert|${cert.id}`)) return;
    seen.add(`cert|${cert.id}`);
    const kv = vaultFor(ctx, reader);
    const fix: Fix | undefined = kv
      ? {
          title: `Hold "${cert.id}" in Key Vault "${kv}"`,
          operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['keyVault'], value: kv }],
        }
      : undefined;
    yield ctx.atCertificate(
      cert,
      `certificate ${q(cert.id)} (${what} of ${ctx.describe(reader)}) is in no Key Vault: ${reader.id} can only load it from Key Vault with its managed identity; set keyVault${kv ? ` (for example ${q(kv)})` : ''}`,
      ['keyVault'],
      fix ? { fix } : {},
    );
    return;
  }
  const kv = ctx.nodes.get(cert.keyVault);
  if (kv?.type !== 'keyVault') return; // a dangling reference is the graph rules' finding
  if (ctx.hasEdge(reader.id, kv.id, 'secrets')) return;
  if (seen.has(`edge|${reader.id}|${kv.id}`)) return;
  seen.add(`edge|${reader.id}|${kv.id}`);
  yield ctx.atNode(
    reader,
    `${ctx.describe(reader)} does not read Key Vault ${q(kv.id)}, which holds its ${what} ${q(cert.id)}: add a secrets edge from ${reader.id} to ${kv.id} (its identity needs Key Vault Secrets User there)`,
    readerPath,
    {
      fix: {
        title: `Connect ${reader.id} to ${kv.id} (secrets)`,
        operations: [{ op: 'connect', edge: { from: reader.id, to: kv.id, type: 'secrets' } }],
      },
    },
  );
}

/**
 * The CA material a caller must upload to validate a callee: the trust anchor of the edge and the CAs
 * above it must be `ca` certificates held in a Key Vault the caller reads.
 */
function* trustMaterial(
  ctx: RuleContext,
  e: EdgeEntry<TlsEdge>,
  caller: DesignNode,
  what: string,
  rootOnly: boolean,
  seen: Set<string>,
): Generator<RuleViolation> {
  if (e.edge.properties.validateCertificateChain === false) return; // turning validation off is flagged elsewhere
  const callee = e.to;
  if (!callee) return;
  const trust = callerTrust(ctx, e.edge);
  const anchorId = trust.caIds[0];
  if (!anchorId || anchorId === 'external') return; // publicly trusted: nothing to upload
  const anchor = ctx.certificates.get(anchorId);
  if (!anchor) return;
  const { chain, ended } = issuerChain(ctx, anchorId);
  if (ended === 'missing' || ended === 'cycle') return;
  if (ended === 'external') return; // a public intermediate: chains to a publicly trusted root
  const server = tlsEndpointOf(callee)?.certificate;
  const path: Path = trust.derived ? ['to'] : ['properties', 'trustedCa'];
  const needed = [anchor, ...chain];
  for (const ca of rootOnly ? needed.slice(-1) : needed) {
    if (ca.role !== 'ca') {
      const key = `role|${caller.id}|${ca.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const why = ca.id === server ? `${q(ca.id)} is self-signed` : `${q(ca.id)} has role ${ca.role}`;
      yield ctx.atEdge(
        e,
        `${caller.id} needs ${q(ca.id)} as ${what} to validate ${ctx.describe(callee)}, but ${why}, not a CA (${describeChain(ctx, server ?? ca.id)}): issue ${server ? q(server) : 'the server certificate'} from a private CA (role ca) so ${caller.id} can upload that CA`,
        path,
      );
      continue;
    }
    yield* keyVaultAccess(ctx, caller, ca, `${what} for ${callee.id}`, [], seen);
  }
}

// ------------------------------------------------------------------------------------------------

export const TRUST_RULES: Rule[] = [
  defineRule({
    id: 'GW200',
    name: 'client-certificate-trusted-by-ingress',
    category: 'trust',
    severity: 'error',
    title: 'The ingress trusts the CA that issued each client certificate',
    rationale:
      'An ingress verifies client certificates against the CA bundle it holds (auth-tls-secret, ca.crt). When an explicit clientCa does not anchor the chain of a client certificate that an mtls edge presents, every call on that edge fails the handshake with 400.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx client certificate authentication (auth-tls-secret)', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const trust = ingressClientTrust(ctx, aks);
        if (trust.derived) continue; // derived trust holds every issuer by construction
        const clientCa = trust.caIds[0]!;
        if (!ctx.certificates.has(clientCa)) continue; // a dangling reference is the graph rules' finding
        const checked: { e: EdgeEntry<EdgeOf<'mtls'>>; ok: boolean }[] = [];
        for (const e of ctx.incoming(aks.id, 'mtls')) {
          const client = wholeCert(ctx, e.edge.properties.clientCertificate);
          if (client) checked.push({ e, ok: anchors(ctx, clientCa, client.id) });
        }
        const bad = checked.filter((c) => !c.ok);
        if (bad.length === 0) continue;
        const chains = bad.map((b) => describeChain(ctx, b.e.edge.properties.clientCertificate)).join('; ');
        if (bad.length === checked.length) {
          yield ctx.atNode(
            aks,
            `the ingress of ${ctx.describe(aks)} trusts clientCa ${q(clientCa)} (${describeChain(ctx, clientCa)}), which anchors no client certificate that reaches it: ${chains}; set clientCa to the CA that issued them or remove it to derive trust from the mtls edges`,
            ['properties', 'ingress', 'clientCa'],
            {
              fix: {
                title: `Derive the client CA of ${aks.id} from its mtls edges`,
                operations: [{ op: 'unsetProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'clientCa'] }],
              },
            },
          );
          continue;
        }
        for (const { e } of bad) {
          const client = e.edge.properties.clientCertificate;
          yield ctx.atEdge(
            e,
            `${ctx.describe(e.from)} presents client certificate ${q(client)} (${describeChain(ctx, client)}) to ${aks.id}, whose ingress trusts only clientCa ${q(clientCa)}: the handshake fails; issue ${q(client)} from ${q(clientCa)} or a CA below it`,
            ['properties', 'clientCertificate'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW201',
    name: 'ingress-verify-depth',
    category: 'trust',
    severity: 'error',
    title: 'The ingress verify depth covers the client certificate chains',
    rationale:
      'nginx (OpenSSL) accepts at most auth-tls-verify-depth intermediate CA certificates between a client certificate and the trusted root (1 by default). A client certificate two intermediate CAs below the root needs depth 2, or the handshake fails.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-depth', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const ingress = aks.properties.ingress;
        if (ingress.verifyClient === 'off' || ingress.verifyClient === 'optional_no_ca') continue;
        let need = 0;
        let deepest: string | undefined;
        for (const e of ctx.incoming(aks.id, 'mtls')) {
          const client = wholeCert(ctx, e.edge.properties.clientCertificate);
          if (!client) continue;
          const depth = requiredVerifyDepth(ctx, client.id);
          if (depth > need) {
            need = depth;
            deepest = client.id;
          }
        }
        if (!deepest || ingress.verifyDepth >= need) continue;
        yield ctx.atNode(
          aks,
          `the ingress of ${ctx.describe(aks)} verifies client chains to depth ${ingress.verifyDepth}, but client certificate ${q(deepest)} needs ${need} (${describeChain(ctx, deepest)}); set verifyDepth to ${need}`,
          ['properties', 'ingress', 'verifyDepth'],
          {
            fix: {
              title: `Set verifyDepth of ${aks.id} to ${need}`,
              operations: [{ op: 'setProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'verifyDepth'], value: need }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW202',
    name: 'client-certificate-private-ca',
    category: 'trust',
    severity: 'error',
    title: 'Client certificates for mTLS come from a CA the design holds',
    rationale:
      'With derived trust the ingress trusts the issuer of each client certificate. When that issuer is a public CA, the ingress would have to trust the public CA itself, and would then accept any certificate that CA issued to anyone; nor is there a CA certificate in the design to put in its ca.crt.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 1`, url: `${LEARN}/api-management/api-management-howto-mutual-certificates` },
    *check(ctx) {
      for (const e of ctx.edgesOfType('mtls')) {
        if (e.to?.type !== 'aksCluster' || e.to.properties.ingress.clientCa) continue;
        const client = wholeCert(ctx, e.edge.properties.clientCertificate);
        if (!client || !isPublic(ctx, client.id)) continue;
        yield ctx.atEdge(
          e,
          `client certificate ${q(client.id)} (${describeChain(ctx, client.id)}) is issued by a public CA, so the ingress of ${e.to.id} would trust every certificate that CA issues; issue it from a private CA (a ca certificate in the design) or name the CA to trust with clientCa`,
          ['properties', 'clientCertificate'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW203',
    name: 'ingress-verify-client-on',
    category: 'trust',
    severity: 'error',
    title: 'An ingress reached over mTLS requires the client certificate',
    rationale:
      'With auth-tls-verify-client "optional" (or "optional_no_ca", or "off") nginx lets a caller without a valid client certificate through: mutual TLS then authenticates nothing. It must be "on" when mtls edges reach the ingress.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-client', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const mode = aks.properties.ingress.verifyClient;
        if (mode === 'on') continue;
        const mtls = ctx.incoming(aks.id, 'mtls');
        if (mtls.length === 0) continue;
        yield ctx.atNode(
          aks,
          `the ingress of ${ctx.describe(aks)} is reached over mTLS (${mtls.map((e) => q(e.id)).join(', ')}) but verifyClient is ${q(mode)}: callers without a valid client certificate get through; set verifyClient "on"`,
          ['properties', 'ingress', 'verifyClient'],
          {
            fix: {
              title: `Set verifyClient of ${aks.id} to "on"`,
              operations: [{ op: 'setProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'verifyClient'], value: 'on' }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW204',
    name: 'https-to-client-verifying-ingress',
    category: 'trust',
    severity: 'error',
    title: 'Callers of an ingress that requires client certificates present one',
    rationale:
      'An https edge carries no client certificate. When the ingress it reaches requires one (verifyClient "on"), nginx answers every call with 400 "No required SSL certificate was sent".',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-client', url: NGINX_CLIENT_CERTS },
    *check(ctx) {
      for (const e of ctx.edgesOfType('https')) {
        if (e.to?.type !== 'aksCluster' || e.to.properties.ingress.verifyClient !== 'on') continue;
        yield ctx.atEdge(
          e,
          `${ctx.describe(e.from)} calls ${ctx.describe(e.to)} over https without a client certificate, but its ingress requires one (verifyClient "on"): every call fails; make the edge mtls with a clientCertificate`,
          ['type'],
        );
      }
    },
  }),
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
  defineRule({
    id: 'GW214',
    name: 'certificate-expiry',
    category: 'trust',
    severity: 'error',
    title: 'Certificates are valid and not about to expire',
    rationale:
      'An expired certificate anywhere in the chain stops every call through it; one expiring within 30 days needs renewing now (PSRule Azure.APIM.CertificateExpiry applies the same 30 days to API Management custom domains).',
    source: {
      tool: 'PSRule for Azure',
      ref: 'Azure.APIM.CertificateExpiry',
      url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.APIM.CertificateExpiry/',
    },
    *check(ctx) {
      const now = ctx.now.getTime();
      for (const cert of ctx.certificates.values()) {
        // With a file, the real expiry is judged from the file (GW253) and compared with notAfter (GW261).
        if (!cert.notAfter || cert.file) continue;
        const end = Date.parse(`${cert.notAfter}T00:00:00Z`) + DAY_MS; // valid through that day
        if (Number.isNaN(end)) continue;
        const kind = cert.role === 'ca' ? 'CA certificate' : `${cert.role} certificate`;
        if (end <= now) {
          yield ctx.atCertificate(cert, `${kind} ${q(cert.id)} expired on ${cert.notAfter}: every chain through it fails; renew it`, ['notAfter']);
          continue;
        }
        const days = Math.floor((end - now) / DAY_MS);
        if (days < 30) {
          yield ctx.atCertificate(
            cert,
            `${kind} ${q(cert.id)} expires on ${cert.notAfter}, in ${days} day${days === 1 ? '' : 's'}; renew it${cert.role !== 'ca' && !cert.autoRenew ? ' and set autoRenew' : ''}`,
            ['notAfter'],
            { severity: 'warning' },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW215',
    name: 'ca-outlives-certificates',
    category: 'trust',
    severity: 'warning',
    title: 'A CA does not expire before the certificates it issued',
    rationale:
      'A chain is valid only while every certificate in it is: once the CA expires, the certificates it issued stop validating, whatever their own expiry date says.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 6` },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (!cert.notAfter) continue;
        const ca = ctx.certificates.get(cert.issuer);
        if (!ca?.notAfter || ca.id === cert.id || ca.notAfter >= cert.notAfter) continue;
        if (cert.file && ca.file) continue; // both real certificates: their files are compared (GW262)
        yield ctx.atCertificate(
          cert,
          `${q(cert.id)} is valid until ${cert.notAfter}, but its issuer ${q(ca.id)} expires on ${ca.notAfter}: from then on ${q(cert.id)} fails validation; renew ${q(ca.id)} first or shorten ${q(cert.id)}`,
          ['notAfter'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW216',
    name: 'certificate-auto-renew',
    category: 'trust',
    severity: 'warning',
    title: 'Certificates in use renew automatically',
    rationale:
      'Key Vault renews a certificate before it expires when its lifetime action is auto-renew; Application Gateway, API Management and the app routing add-on pick up the new version from the versionless secret. Without it, a certificate on the request path expires silently.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Renew your Azure Key Vault certificates',
      url: `${LEARN}/key-vault/certificates/overview-renew-certificate`,
    },
    fixable: true,
    *check(ctx) {
      const used = new Map<string, string>();
      for (const node of ctx.design.nodes) {
        const endpoint = tlsEndpointOf(node);
        if (endpoint?.certificate && !used.has(endpoint.certificate)) {
          used.set(endpoint.certificate, `${serverRole(node)} of ${q(node.id)}`);
        }
      }
      for (const e of ctx.edgesOfType('mtls')) {
        const id = e.edge.properties.clientCertificate;
        if (!used.has(id)) used.set(id, `client certificate on ${q(e.id)}`);
      }
      for (const [id, where] of used) {
        const cert = ctx.certificates.get(id);
        if (!cert || cert.role === 'ca' || cert.autoRenew) continue;
        yield ctx.atCertificate(cert, `${q(cert.id)} (${where}) does not renew itself: renewal is not set; set autoRenew: true`, ['autoRenew'], {
          fix: {
            title: `Renew ${cert.id} automatically`,
            operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['autoRenew'], value: true }],
          },
        });
      }
    },
  }),
  defineRule({
    id: 'GW217',
    name: 'issuer-cycle',
    category: 'trust',
    severity: 'error',
    title: 'Issuer chains end at a root',
    rationale:
      'Every chain must end at a self-signed root (issuer: self) or a public CA (issuer: external). Issuers that loop describe no chain at all: no party can be given a root to trust.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    *check(ctx) {
      // Each certificate has one issuer: walk the issuer graph once, colouring visited certificates.
      const state = new Map<string, 'walking' | 'done'>();
      for (const start of ctx.certificates.values()) {
        if (state.has(start.id)) continue;
        const path: Certificate[] = [];
        let cur: Certificate | undefined = start;
        while (cur && !state.has(cur.id)) {
          state.set(cur.id, 'walking');
          path.push(cur);
          // A certificate naming itself is a reference slip with a fix (issuer: self): the graph rules' finding.
          cur = cur.issuer === cur.id ? undefined : ctx.certificates.get(cur.issuer);
        }
        if (cur && state.get(cur.id) === 'walking') {
          const loop = path.slice(path.findIndex((c) => c.id === cur!.id));
          const first = loop.reduce((a, b) => (ctx.certPath(a.id)[1]! <= ctx.certPath(b.id)[1]! ? a : b));
          const ids = [...loop, loop[0]!].map((c) => q(c.id)).join(' → ');
          yield ctx.atCertificate(
            first,
            `the issuers of ${loop.map((c) => q(c.id)).join(', ')} loop (${ids}): no chain reaches a root, so nothing can be trusted for them; make one of them a root (issuer: self) or name a public CA (issuer: external)`,
            ['issuer'],
          );
        }
        for (const c of path) state.set(c.id, 'done');
      }
    },
  }),
  defineRule({
    id: 'GW218',
    name: 'issuer-is-ca',
    category: 'trust',
    severity: 'error',
    title: 'Only CA certificates issue certificates',
    rationale:
      'A server or client certificate has no CA basic constraint and no keyCertSign usage (RFC 5280): TLS clients reject any certificate it signs. An intermediate must have role ca.',
    source: { tool: 'Gatewright', ref: 'RFC 5280, basic constraints', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        const issuer = ctx.certificates.get(cert.issuer);
        if (!issuer || issuer.id === cert.id || issuer.role === 'ca') continue;
        yield ctx.atCertificate(
          cert,
          `${q(cert.id)} names ${q(issuer.id)} as its issuer, but ${q(issuer.id)} is a ${issuer.role} certificate, which cannot sign certificates; issue ${q(cert.id)} from a ca certificate`,
          ['issuer'],
        );
      }
    },
  }),
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
