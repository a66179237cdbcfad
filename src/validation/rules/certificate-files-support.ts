/** Helpers of the certificate file rules: reading the files a design names, once per validation. */
import type { Certificate, DesignNode } from '../../schemas/design.js';
import { tlsEndpointOf } from '../../model/trust.js';
import type { RuleContext } from '../context.js';
import { type RuleSource } from '../rule.js';
import { issuedBy, OID_ANY_EXTENDED_KEY_USAGE, OID_CLIENT_AUTH, OID_SERVER_AUTH, type ParsedCertificate } from '../../x509/certificate.js';
import { parsedFileOf, type FileReading } from '../../x509/files.js';

export const SPEC: RuleSource = { tool: 'Gatewright', ref: 'design format v1, "Certificates": file' };
export const RFC5280 = (section: string, title: string): RuleSource => ({
  tool: 'Gatewright',
  ref: `RFC 5280 §${section} ${title}`,
  url: `https://www.rfc-editor.org/rfc/rfc5280#section-${section}`,
});

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Days of validity left under which a certificate is reported as expiring (PSRule Azure.APIM.CertificateExpiry). */
export const EXPIRY_WARNING_DAYS = 30;

export type Parsed = Extract<FileReading, { kind: 'parsed' }>;

/** Every certificate (first of each id) whose file was read and parsed, with its reading. */
export function* parsedCertificates(ctx: RuleContext): Generator<[Certificate, Parsed]> {
  for (const cert of ctx.certificates.values()) {
    const reading = parsedFileOf(ctx, cert);
    if (reading) yield [cert, reading];
  }
}

/** The parsed file of the CA a certificate's design `issuer` names, when it is a certificate id with a file. */
export function issuerFileOf(ctx: RuleContext, cert: Certificate): { ca: Certificate; reading: Parsed } | undefined {
  if (cert.issuer === 'self' || cert.issuer === 'external') return undefined;
  const ca = ctx.certificates.get(cert.issuer);
  const reading = ca && ca.id !== cert.id ? parsedFileOf(ctx, ca) : undefined;
  return ca && reading ? { ca, reading } : undefined;
}

export const caIndexCache = new WeakMap<RuleContext, Map<string, [Certificate, Parsed][]>>();

/** The design's certificates with a parsed file, by the subject of that file's certificate: built once per validation. */
export function bySubject(ctx: RuleContext): Map<string, [Certificate, Parsed][]> {
  let index = caIndexCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const entry of parsedCertificates(ctx)) {
      const list = index.get(entry[1].leaf.subject);
      if (list) list.push(entry);
      else index.set(entry[1].leaf.subject, [entry]);
    }
    caIndexCache.set(ctx, index);
  }
  return index;
}

/** The id of another design certificate whose file really issued this certificate's file, if there is one. */
export function realIssuerId(ctx: RuleContext, cert: Certificate, leaf: ParsedCertificate): string | undefined {
  for (const [candidate, reading] of bySubject(ctx).get(leaf.issuer) ?? []) {
    if (candidate.id !== cert.id && issuedBy(leaf, reading.leaf) === 'yes') return candidate.id;
  }
  return undefined;
}

/** Host names of the nodes that present a certificate as their server certificate, built once per validation. */
export const hostIndexCache = new WeakMap<RuleContext, Map<string, { node: DesignNode; host: string }[]>>();
export function hostsUsing(ctx: RuleContext, certId: string): readonly { node: DesignNode; host: string }[] {
  let index = hostIndexCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const node of ctx.design.nodes) {
      const endpoint = tlsEndpointOf(node);
      if (!endpoint?.certificate || !endpoint.hostName) continue;
      const list = index.get(endpoint.certificate) ?? [];
      list.push({ node, host: endpoint.hostName });
      index.set(endpoint.certificate, list);
    }
    hostIndexCache.set(ctx, index);
  }
  return index.get(certId) ?? [];
}

export const USAGE_NAMES: Record<string, string> = {
  [OID_SERVER_AUTH]: 'serverAuth',
  [OID_CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [OID_ANY_EXTENDED_KEY_USAGE]: 'anyExtendedKeyUsage',
};

export const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp256k1: 'P-256K', secp384r1: 'P-384', secp521r1: 'P-521' };

export function describeKey(key: ParsedCertificate['key']): string {
  if (key.algorithm === 'RSA') return `a ${key.size ?? 'unknown'}-bit RSA key`;
  if (key.algorithm === 'EC') return `an EC ${key.curve ? (CURVE_NAMES[key.curve] ?? key.curve) : 'unknown-curve'} key`;
  return `a key of type ${key.type}`;
}

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}
