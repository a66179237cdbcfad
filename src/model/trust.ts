/**
 * Derived trust (spec, "Trust"): a caller trusts the issuer of the callee's server certificate, and an
 * ingress trusts the issuers of the client certificates of the `mtls` edges that reach it. `trustedCa` and
 * `clientCa` override. Shared by the validator and the generators; pure.
 */
import type { Certificate, DesignEdge, DesignNode, EdgeOf } from '../schemas/design.js';
import type { Path } from '../schemas/operations.js';

export interface TrustLookup {
  readonly nodes: ReadonlyMap<string, DesignNode>;
  readonly certificates: ReadonlyMap<string, Certificate>;
  incoming(nodeId: string, type: 'mtls'): readonly { readonly edge: EdgeOf<'mtls'> }[];
}

/** Where a node's TLS endpoint is configured: its server certificate and host name, with their paths in the node. */
export interface TlsEndpoint {
  readonly certificate: string | undefined;
  readonly certificatePath: Path;
  readonly hostName: string | undefined;
  readonly hostNamePath: Path;
}

/** The TLS endpoint a node presents to callers, if it is a node that terminates TLS. */
export function tlsEndpointOf(node: DesignNode): TlsEndpoint | undefined {
  switch (node.type) {
    case 'applicationGateway':
    case 'apiManagement':
      return {
        certificate: node.properties.certificate,
        certificatePath: ['properties', 'certificate'],
        hostName: node.properties.hostName,
        hostNamePath: ['properties', 'hostName'],
      };
    case 'aksCluster':
      return {
        certificate: node.properties.ingress.serverCertificate,
        certificatePath: ['properties', 'ingress', 'serverCertificate'],
        hostName: node.properties.ingress.hostName,
        hostNamePath: ['properties', 'ingress', 'hostName'],
      };
    default:
      return undefined;
  }
}

/**
 * The chain of issuers above a certificate: its issuer, that issuer's issuer, and so on up to a root.
 * Stops at `self`, `external`, an unknown id or a cycle; `ended` says which.
 */
export function issuerChain(
  lookup: Pick<TrustLookup, 'certificates'>,
  certId: string,
): { chain: Certificate[]; ended: 'root' | 'external' | 'missing' | 'cycle' | 'self' } {
  const start = lookup.certificates.get(certId);
  if (!start) return { chain: [], ended: 'missing' };
  if (start.issuer === 'self') return { chain: [], ended: 'self' };
  const chain: Certificate[] = [];
  const seen = new Set<string>([start.id]);
  let issuer = start.issuer;
  for (;;) {
    if (issuer === 'external') return { chain, ended: 'external' };
    const ca = lookup.certificates.get(issuer);
    if (!ca) return { chain, ended: 'missing' };
    if (seen.has(ca.id)) return { chain, ended: 'cycle' };
    seen.add(ca.id);
    chain.push(ca);
    if (ca.issuer === 'self') return { chain, ended: 'root' };
    issuer = ca.issuer;
  }
}

/** The root of a certificate's chain: itself when self-signed, `external` for public CAs, undefined when broken. */
export function rootOf(lookup: Pick<TrustLookup, 'certificates'>, certId: string): string | undefined {
  const { chain, ended } = issuerChain(lookup, certId);
  if (ended === 'self') return certId;
  if (ended === 'external') return 'external';
  if (ended === 'root') return chain[chain.length - 1]?.id;
  return undefined;
}

/** Whether a CA (by id, or `external`) anchors the chain of a certificate: it is the certificate's issuer or above it. */
export function anchors(lookup: Pick<TrustLookup, 'certificates'>, caId: string, certId: string): boolean {
  const { chain, ended } = issuerChain(lookup, certId);
  if (caId === 'external') return ended === 'external';
  return chain.some((c) => c.id === caId) || (ended === 'self' && caId === certId);
}

export interface DerivedCa {
  /** Certificate ids (or `external`) the party trusts. */
  readonly caIds: readonly string[];
  /** False when an explicit override (`trustedCa`, `clientCa`) gives it. */
  readonly derived: boolean;
}

/** The CA a caller trusts for the callee of an `https` or `mtls` edge. */
export function callerTrust(lookup: TrustLookup, edge: EdgeOf<'https'> | EdgeOf<'mtls'>): DerivedCa {
  if (edge.properties.trustedCa) return { caIds: [edge.properties.trustedCa], derived: false };
  const callee = lookup.nodes.get(edge.to);
  const server = callee ? tlsEndpointOf(callee)?.certificate : undefined;
  const cert = server ? lookup.certificates.get(server) : undefined;
  if (!cert) return { caIds: [], derived: true };
  return { caIds: [cert.issuer === 'self' ? cert.id : cert.issuer], derived: true };
}

/** The CAs an ingress trusts for client certificates. */
export function ingressClientTrust(lookup: TrustLookup, aks: DesignNode & { type: 'aksCluster' }): DerivedCa {
  const override = aks.properties.ingress.clientCa;
  if (override) return { caIds: [override], derived: false };
  const ids = new Set<string>();
  for (const { edge } of lookup.incoming(aks.id, 'mtls')) {
    const client = lookup.certificates.get(edge.properties.clientCertificate);
    if (client) ids.add(client.issuer === 'self' ? client.id : client.issuer);
  }
  return { caIds: [...ids].sort(), derived: true };
}

/**
 * The verify depth an ingress needs for a client certificate (nginx `ssl_verify_depth` / `auth-tls-verify-depth`,
 * OpenSSL's verify depth): how many intermediate CA certificates may sit between the leaf and the trusted root. A
 * leaf issued by the root needs no intermediate; 1 is the least returned, nginx's default. A chain that ends at a
 * public CA counts one public intermediate more (public CAs issue from intermediates). test/rehearsal/nginx.test.ts
 * shows real NGINX refusing one intermediate too many and accepting the depth given here.
 */
export function requiredVerifyDepth(lookup: Pick<TrustLookup, 'certificates'>, certId: string): number {
  const { chain, ended } = issuerChain(lookup, certId);
  if (ended === 'self') return 1;
  if (ended === 'external') return Math.max(1, chain.length + 1);
  // The chain ends with the root, which is the trust anchor, not an intermediate.
  return Math.max(1, chain.length - 1);
}

/**
 * The certificates a party must hold to trust a CA: the CA itself and every CA above it up to the root,
 * anchor first (the `ca.crt` bundle of an ingress; the root and intermediates API Management or
 * Application Gateway upload). `complete` is false when the chain ends at a public CA, an unknown id or a loop.
 */
export function caBundle(lookup: Pick<TrustLookup, 'certificates'>, caId: string): { certificates: Certificate[]; complete: boolean } {
  const anchor = lookup.certificates.get(caId);
  if (!anchor) return { certificates: [], complete: false };
  const { chain, ended } = issuerChain(lookup, caId);
  return { certificates: [anchor, ...chain], complete: ended === 'self' || ended === 'root' };
}

/** A readable chain for messages: `"apim-client" → "issuing-ca" → "root-ca" (root)`. */
export function describeChain(lookup: Pick<TrustLookup, 'certificates'>, certId: string): string {
  const { chain, ended } = issuerChain(lookup, certId);
  const ids = [certId, ...chain.map((c) => c.id)].map((id) => `"${id}"`).join(' → ');
  switch (ended) {
    case 'self':
      return `${ids} (self-signed)`;
    case 'root':
      return `${ids} (root)`;
    case 'external':
      return `${ids} → a public CA`;
    case 'cycle':
      return `${ids} → … (the issuers loop)`;
    case 'missing':
      return lookup.certificates.has(certId) ? `${ids} → an unknown issuer` : ids;
  }
}

/** Where a design uses a certificate; paths are relative to the node or edge that names it. */
export type CertificateUse =
  | {
      readonly kind: 'server';
      readonly certificate: string;
      readonly node: DesignNode;
      readonly path: Path;
      readonly hostName: string | undefined;
    }
  | { readonly kind: 'clientCa'; readonly certificate: string; readonly node: DesignNode; readonly path: Path }
  | { readonly kind: 'client'; readonly certificate: string; readonly edge: EdgeOf<'mtls'>; readonly path: Path }
  | {
      readonly kind: 'trustedCa';
      readonly certificate: string;
      readonly edge: EdgeOf<'https'> | EdgeOf<'mtls'>;
      readonly path: Path;
    };

/** Every place a design names a certificate (spec, "Certificates": where they are used), in document order. */
export function certificateUses(nodes: readonly DesignNode[], edges: readonly DesignEdge[]): CertificateUse[] {
  const uses: CertificateUse[] = [];
  for (const node of nodes) {
    const endpoint = tlsEndpointOf(node);
    if (endpoint?.certificate) {
      uses.push({
        kind: 'server',
        certificate: endpoint.certificate,
        node,
        path: endpoint.certificatePath,
        hostName: endpoint.hostName,
      });
    }
    if (node.type === 'aksCluster' && node.properties.ingress.clientCa) {
      uses.push({ kind: 'clientCa', certificate: node.properties.ingress.clientCa, node, path: ['properties', 'ingress', 'clientCa'] });
    }
  }
  for (const edge of edges) {
    if (edge.type === 'mtls') {
      uses.push({ kind: 'client', certificate: edge.properties.clientCertificate, edge, path: ['properties', 'clientCertificate'] });
    }
    if (isTlsEdge(edge) && edge.properties.trustedCa) {
      uses.push({ kind: 'trustedCa', certificate: edge.properties.trustedCa, edge, path: ['properties', 'trustedCa'] });
    }
  }
  return uses;
}

/** Whether a DNS name (possibly a wildcard like *.example.com) covers a host name. */
export function dnsNameCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export function isTlsEdge(edge: DesignEdge): edge is EdgeOf<'https'> | EdgeOf<'mtls'> {
  return edge.type === 'https' || edge.type === 'mtls';
}
