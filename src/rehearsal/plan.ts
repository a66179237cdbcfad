/**
 * The rehearsal plan (`gatewright rehearse`), pure: for every `https` and `mtls` edge of a design, how the callee's
 * TLS server is configured, how the caller's client is configured, and which handshakes to run with what each must
 * give. Everything comes from the design, through the same derived trust the validator and generators use
 * (src/model/trust.ts):
 *
 * - server: the callee's server certificate (node `certificate`, ingress `serverCertificate`) and TLS minimum; an
 *   AKS ingress that verifies client certificates (verifyClient, not passthrough) trusts the CAs of
 *   ingressClientTrust, as the `ca.crt` bundle of the generated ingress (caBundle: each CA and the CAs above it), to
 *   the design's verifyDepth;
 * - client: trusts callerTrust (a public CA, `external`, is the system's roots plus the development stand-in CA),
 *   calls the callee's host name (SNI and name check), presents the mtls edge's client certificate, and checks the
 *   chain and the name unless the edge turns that off (validateCertificateChain / validateCertificateName);
 * - cases: the caller as designed (must be accepted); a wrong host name and an expired server certificate (must be
 *   refused by the caller); where client certificates are in play (an mtls edge, or a callee that asks for them):
 *   no client certificate, one from another CA, an expired one (must be refused by the callee).
 */
import { edgeId, type Certificate, type Design, type DesignNode, type EdgeOf } from '../schemas/design.js';
import { caBundle, callerTrust, dnsNameCovers, ingressClientTrust, isTlsEdge, issuerChain, tlsEndpointOf } from '../model/trust.js';
import { DesignIndex } from '../model/design-index.js';
import { STAND_IN_CA_ID } from '../pki/dev.js';
import type { Reason } from './reasons.js';

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';
export type Outcome = 'accepted' | 'refused';

export type CaseKind =
  | 'expected'
  | 'wrong-host'
  | 'expired-server-certificate'
  | 'no-client-certificate'
  | 'other-ca-client-certificate'
  | 'expired-client-certificate';

export const CASE_TITLES: Record<CaseKind, string> = {
  expected: 'caller as designed',
  'wrong-host': 'wrong host name',
  'expired-server-certificate': 'expired server certificate',
  'no-client-certificate': 'no client certificate',
  'other-ca-client-certificate': 'client certificate from another CA',
  'expired-client-certificate': 'expired client certificate',
};

/** A set of trusted CA certificates: certificate ids (design ids or STAND_IN_CA_ID), and whether the system's public roots are in. */
export interface TrustStore {
  readonly certificates: readonly string[];
  readonly publicRoots: boolean;
  /** The design's words for it: the CA ids (or `external`) as the design derives or overrides them. */
  readonly caIds: readonly string[];
  readonly derived: boolean;
}

export interface ClientVerification {
  /** The ingress's verifyClient: on (required), optional (verified when sent), optional_no_ca (never verified). */
  readonly mode: 'on' | 'optional' | 'optional_no_ca';
  readonly trust: TrustStore;
  /** nginx ssl_verify_depth: how many intermediate CA certificates may sit between the client certificate and the trusted root. */
  readonly verifyDepth: number;
}

export interface ServerSide {
  readonly node: string;
  readonly certificate: string;
  /** The certificate that signs an expired copy of the server certificate: its issuer, the stand-in CA, or itself. */
  readonly certificateSigner: string;
  readonly minVersion: TlsVersion;
  /** How the callee verifies client certificates; undefined when it does not ask for them (see `noClientVerification`). */
  readonly clientVerification: ClientVerification | undefined;
  /** Why the callee does not ask for client certificates. */
  readonly noClientVerification: string | undefined;
}

export interface ClientSide {
  readonly node: string;
  readonly trust: TrustStore;
  /** The host the caller calls: SNI and the name it checks. */
  readonly servername: string;
  readonly clientCertificate: string | undefined;
  /** The certificate that signs an expired copy of the client certificate. */
  readonly clientCertificateSigner: string | undefined;
  readonly minVersion: TlsVersion;
  readonly verifyChain: boolean;
  readonly verifyName: boolean;
}

/**
 * Whose verdict a case is about: the designed case needs both parties to accept; the wrong host name and the
 * expired server certificate test the caller's checks; the client certificate cases test the callee's (the caller
 * then does not hang up over the server certificate, so that a broken server certificate cannot hide them).
 */
export type Judge = 'both' | 'caller' | 'callee';

export interface PlannedCase {
  readonly kind: CaseKind;
  readonly title: string;
  readonly judge: Judge;
  readonly expect: Outcome;
  /** The reasons a refusal must have to count as right (for cases that must be refused). */
  readonly reasons: readonly Reason[];
}

export interface PlannedEdge {
  readonly id: string;
  readonly type: 'https' | 'mtls';
  readonly from: string;
  readonly to: string;
  readonly server: ServerSide;
  readonly client: ClientSide;
  readonly cases: readonly PlannedCase[];
}

/** An https or mtls edge that cannot be rehearsed as the design stands (it is reported as a failure). */
export interface UnplannedEdge {
  readonly id: string;
  readonly type: 'https' | 'mtls';
  readonly from: string;
  readonly to: string;
  readonly problem: string;
}

export interface RehearsalPlan {
  readonly edges: readonly PlannedEdge[];
  readonly unplanned: readonly UnplannedEdge[];
  /** Certificate ids whose private key the rehearsal needs (servers, clients, and the signers of expired copies). */
  readonly keys: readonly string[];
  /** Certificate ids whose public PEM the rehearsal needs (the above and every trusted CA). */
  readonly certificates: readonly string[];
}

/** The host name the wrong-host case calls: one no certificate of a design covers. */
export const WRONG_HOST = 'wrong-host.gatewright.invalid';

const TLS: Record<'1.2' | '1.3', TlsVersion> = { '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

export function planRehearsal(design: Design): RehearsalPlan {
  const ctx = new DesignIndex(design);
  const edges: PlannedEdge[] = [];
  const unplanned: UnplannedEdge[] = [];
  const keys = new Set<string>();
  const certificates = new Set<string>();

  for (const entry of ctx.edges) {
    const edge = entry.edge;
    if (!isTlsEdge(edge)) continue;
    const id = edgeId(edge);
    const base = { id, type: edge.type, from: edge.from, to: edge.to };
    const planned = planEdge(ctx, edge, entry.from, entry.to);
    if ('problem' in planned) {
      unplanned.push({ ...base, problem: planned.problem });
      continue;
    }
    const { server, client } = planned;
    for (const k of [server.certificate, server.certificateSigner, client.clientCertificate, client.clientCertificateSigner]) {
      if (k !== undefined) {
        keys.add(k);
        certificates.add(k);
      }
    }
    for (const c of [...client.trust.certificates, ...(server.clientVerification?.trust.certificates ?? [])]) certificates.add(c);

    const cases: PlannedCase[] = [
      { kind: 'expected', title: CASE_TITLES.expected, judge: 'both', expect: 'accepted', reasons: [] },
      { kind: 'wrong-host', title: CASE_TITLES['wrong-host'], judge: 'caller', expect: 'refused', reasons: ['server-name-mismatch'] },
      { kind: 'expired-server-certificate', title: CASE_TITLES['expired-server-certificate'], judge: 'caller', expect: 'refused', reasons: ['server-certificate-expired'] },
    ];
    if (edge.type === 'mtls' || server.clientVerification) {
      const callee = { judge: 'callee', expect: 'refused' } as const;
      cases.push({ kind: 'no-client-certificate', title: CASE_TITLES['no-client-certificate'], ...callee, reasons: ['client-certificate-required'] });
      cases.push({ kind: 'other-ca-client-certificate', title: CASE_TITLES['other-ca-client-certificate'], ...callee, reasons: ['client-certificate-untrusted'] });
      if (client.clientCertificate) {
        cases.push({ kind: 'expired-client-certificate', title: CASE_TITLES['expired-client-certificate'], ...callee, reasons: ['client-certificate-expired'] });
      }
    }
    edges.push({ ...base, server, client, cases });
  }
  return { edges, unplanned, keys: [...keys].sort(), certificates: [...certificates].sort() };
}

function planEdge(
  ctx: DesignIndex,
  edge: EdgeOf<'https'> | EdgeOf<'mtls'>,
  from: DesignNode | undefined,
  to: DesignNode | undefined,
): { server: ServerSide; client: ClientSide } | { problem: string } {
  if (!from) return { problem: `the caller "${edge.from}" is no node of the design` };
  if (!to) return { problem: `the callee "${edge.to}" is no node of the design` };
  const endpoint = tlsEndpointOf(to);
  if (!endpoint) return { problem: `"${to.id}" (${to.type}) does not terminate TLS, so there is no server to rehearse` };
  if (!endpoint.certificate) return { problem: `"${to.id}" has no server certificate (${endpoint.certificatePath.join('.')})` };
  const serverCert = ctx.certificates.get(endpoint.certificate);
  if (!serverCert) return { problem: `the server certificate "${endpoint.certificate}" of "${to.id}" is no certificate of the design` };
  if (!endpoint.hostName) return { problem: `"${to.id}" has no host name (${endpoint.hostNamePath.join('.')}), so the caller has no name to call and check` };

  const clientTrust = trustStore(ctx, callerTrust(ctx, edge));
  if ('problem' in clientTrust) return { problem: `the caller's trust: ${clientTrust.problem}` };

  let clientCertificate: Certificate | undefined;
  if (edge.type === 'mtls') {
    clientCertificate = ctx.certificates.get(edge.properties.clientCertificate);
    if (!clientCertificate) return { problem: `the client certificate "${edge.properties.clientCertificate}" is no certificate of the design` };
  }

  let clientVerification: ClientVerification | undefined;
  let noClientVerification: string | undefined;
  if (to.type === 'aksCluster') {
    const ingress = to.properties.ingress;
    if (ingress.backendProtocol === 'passthrough') {
      noClientVerification = `the ingress of "${to.id}" passes TLS through to the pods (backendProtocol passthrough) and verifies no client certificate`;
    } else if (ingress.verifyClient === 'off') {
      noClientVerification = `the ingress of "${to.id}" has verifyClient off`;
    } else {
      const derived = ingressClientTrust(ctx, to);
      if (derived.caIds.length === 0) {
        noClientVerification = `the ingress of "${to.id}" has no CA to verify client certificates with (no mtls edge reaches it and no clientCa)`;
      } else {
        const trust = trustStore(ctx, derived);
        if ('problem' in trust) return { problem: `the ingress trust of "${to.id}": ${trust.problem}` };
        clientVerification = { mode: ingress.verifyClient, trust, verifyDepth: ingress.verifyDepth };
      }
    }
  } else {
    noClientVerification = `"${to.id}" (${to.type}) does not ask for client certificates in this design`;
  }

  return {
    server: {
      node: to.id,
      certificate: serverCert.id,
      certificateSigner: signerOf(serverCert),
      minVersion: TLS[minimumOf(to) ?? '1.2'],
      clientVerification,
      noClientVerification,
    },
    client: {
      node: from.id,
      trust: clientTrust,
      servername: endpoint.hostName,
      clientCertificate: clientCertificate?.id,
      clientCertificateSigner: clientCertificate ? signerOf(clientCertificate) : undefined,
      minVersion: TLS[from.type === 'apiManagement' ? from.properties.minTlsVersion : '1.2'],
      verifyChain: edge.properties.validateCertificateChain,
      verifyName: edge.properties.validateCertificateName,
    },
  };
}

/** The TLS minimum a node's endpoint accepts. */
function minimumOf(node: DesignNode): '1.2' | '1.3' | undefined {
  switch (node.type) {
    case 'applicationGateway':
    case 'apiManagement':
      return node.properties.minTlsVersion;
    case 'aksCluster':
      return node.properties.ingress.minTlsVersion;
    default:
      return undefined;
  }
}

/** Who signs a certificate in the development PKI: its design issuer, the stand-in CA for `external`, itself when self-signed. */
function signerOf(cert: Certificate): string {
  if (cert.issuer === 'self') return cert.id;
  if (cert.issuer === 'external') return STAND_IN_CA_ID;
  return cert.issuer;
}

/** The certificates a party must hold to trust CA ids: each CA and the CAs above it (caBundle); `external` is the public roots and the stand-in CA. */
function trustStore(ctx: DesignIndex, trust: { caIds: readonly string[]; derived: boolean }): TrustStore | { problem: string } {
  const certificates: string[] = [];
  let publicRoots = false;
  for (const caId of trust.caIds) {
    if (caId === 'external') {
      publicRoots = true;
      if (!certificates.includes(STAND_IN_CA_ID)) certificates.push(STAND_IN_CA_ID);
      continue;
    }
    const bundle = caBundle(ctx, caId);
    if (bundle.certificates.length === 0) return { problem: `"${caId}" is no certificate of the design` };
    for (const cert of bundle.certificates) if (!certificates.includes(cert.id)) certificates.push(cert.id);
    if (!bundle.complete) {
      const top = bundle.certificates[bundle.certificates.length - 1]!;
      if (issuerChain(ctx, caId).ended !== 'external') return { problem: `the issuers above "${caId}" do not end at a root ("${top.id}" names issuer "${top.issuer}")` };
      // The chain ends at a public CA: in development, the stand-in CA issued the top CA.
      publicRoots = true;
      if (!certificates.includes(STAND_IN_CA_ID)) certificates.push(STAND_IN_CA_ID);
    }
  }
  if (certificates.length === 0) return { problem: 'it trusts no CA' };
  return { certificates, publicRoots, caIds: trust.caIds, derived: trust.derived };
}

/** The name the wrong-host case calls: WRONG_HOST, unless a name of the server certificate covers it. */
export function wrongHostFor(dnsNames: readonly string[]): string {
  let host = WRONG_HOST;
  for (let i = 1; dnsNames.some((n) => dnsNameCovers(n, host)); i++) host = `wrong-${i}.not-${WRONG_HOST}`;
  return host;
}
