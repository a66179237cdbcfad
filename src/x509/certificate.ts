/**
 * What the validator needs to know of one X.509 certificate, read with Node's `crypto.X509Certificate`
 * (computation, not I/O: the file's text is handed in by the caller).
 */
import { X509Certificate } from 'node:crypto';

export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const OID_ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export interface ParsedCertificate {
  readonly x509: X509Certificate;
  /** Subject distinguished name on one line: "CN=orders, O=Contoso". */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date | undefined;
  readonly notAfter: Date | undefined;
  /** DNS names among the subject alternative names. */
  readonly dnsNames: readonly string[];
  /** Whether the certificate names itself as issuer and its signature verifies with its own key. */
  readonly selfSigned: boolean;
  /** Extended key usage OIDs; undefined when the certificate has no such extension. */
  readonly extendedKeyUsages: readonly string[] | undefined;
  /** basicConstraints CA:TRUE. */
  readonly ca: boolean;
  readonly key: KeyInfo;
}

export interface KeyInfo {
  /** RSA or EC as the design spells them; undefined for any other type (Ed25519, DSA, ...). */
  readonly algorithm: 'RSA' | 'EC' | undefined;
  /** Node's name of the key type: rsa, rsa-pss, ec, ed25519, ... */
  readonly type: string;
  /** RSA modulus bits or EC curve size (256, 384, 521). */
  readonly size: number | undefined;
  /** EC curve name as Node reports it (prime256v1, secp384r1, ...). */
  readonly curve: string | undefined;
}

/** Parses one PEM certificate block. Throws what Node throws for a damaged certificate. */
export function parseCertificate(pem: string): ParsedCertificate {
  const x509 = new X509Certificate(pem);
  return {
    x509,
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    notBefore: dateOf(x509.validFrom),
    notAfter: dateOf(x509.validTo),
    dnsNames: subjectAltNames(x509.subjectAltName).filter((n) => n.type === 'DNS').map((n) => n.value),
    // Self-issued (RFC 5280: subject and issuer are the same name) and verifiable with its own key. Not checkIssued:
    // that also wants keyCertSign, which self-signed leaf certificates rightly lack.
    selfSigned: x509.subject === x509.issuer && safe(() => x509.verify(x509.publicKey)),
    extendedKeyUsages: x509.keyUsage,
    ca: x509.ca,
    key: keyInfo(x509),
  };
}

const issuedCache = new WeakMap<X509Certificate, WeakMap<X509Certificate, IssuedBy>>();

/**
 * yes: `parent` issued `child`. other-issuer: another CA did (the names differ, or the key identifiers do).
 * bad-signature: the names match but the signature does not verify with the parent's key.
 * cannot-issue: the names match and the signature verifies, but the parent's key usage does not allow issuing
 * certificates (no keyCertSign).
 */
export type IssuedBy = 'yes' | 'other-issuer' | 'bad-signature' | 'cannot-issue';

/**
 * Whether `parent` issued `child` (OpenSSL's X509_check_issued: names, key identifiers, key usage) and the
 * signature verifies with the parent's public key. Remembered per pair.
 */
export function issuedBy(child: ParsedCertificate, parent: ParsedCertificate): IssuedBy {
  let byParent = issuedCache.get(child.x509);
  if (!byParent) {
    byParent = new WeakMap();
    issuedCache.set(child.x509, byParent);
  }
  const known = byParent.get(parent.x509);
  if (known) return known;
  const result = judgeIssued(child, parent);
  byParent.set(parent.x509, result);
  return result;
}

function judgeIssued(child: ParsedCertificate, parent: ParsedCertificate): IssuedBy {
  const signed = safe(() => child.x509.verify(parent.x509.publicKey));
  if (safe(() => child.x509.checkIssued(parent.x509))) return signed ? 'yes' : 'bad-signature';
  if (child.issuer !== parent.subject) return 'other-issuer';
  if (!signed) return 'bad-signature';
  // Same name, good signature: either the parent may not sign certificates, or its key identifier differs
  // from the one the child names (a different CA key of the same name, which would not verify).
  return 'cannot-issue';
}

/** YYYY-MM-DD of a moment, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Entries of Node's `subjectAltName` string: `DNS:a.example.com, IP Address:10.0.0.1, DNS:"quoted, value"`. */
export function subjectAltNames(text: string | undefined): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  if (!text) return out;
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon).trim();
    let j = colon + 1;
    let value: string;
    if (text[j] === '"') {
      // Node quotes values with special characters as JSON strings.
      let k = j + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      const literal = text.slice(j, k + 1);
      value = safeJson(literal) ?? literal.slice(1, -1);
      j = k + 1;
    } else {
      const end = text.indexOf(', ', j);
      value = text.slice(j, end < 0 ? text.length : end);
      j = end < 0 ? text.length : end;
    }
    out.push({ type, value });
    const next = text.indexOf(', ', j);
    if (next < 0) break;
    i = next + 2;
  }
  return out;
}

function keyInfo(x509: X509Certificate): KeyInfo {
  let key: X509Certificate['publicKey'];
  try {
    key = x509.publicKey;
  } catch {
    // A key type OpenSSL cannot load (post-quantum, GOST, ...): the certificate itself is still readable.
    return { algorithm: undefined, type: 'unsupported', size: undefined, curve: undefined };
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    return { algorithm: 'RSA', type, size: details.modulusLength, curve: undefined };
  }
  if (type === 'ec') {
    const curve = details.namedCurve;
    return { algorithm: 'EC', type, size: curve ? CURVE_SIZES[curve] : undefined, curve };
  }
  return { algorithm: undefined, type, size: undefined, curve: undefined };
}

const CURVE_SIZES: Record<string, number> = {
  prime256v1: 256,
  'P-256': 256,
  secp256k1: 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
};

function dateOf(text: string): Date | undefined {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

function safeJson(literal: string): string | undefined {
  try {
    const v: unknown = JSON.parse(literal);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
