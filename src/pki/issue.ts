/**
 * Issuing development certificates with @peculiar/x509: the profiles a design's roles need (RFC 5280) and copies
 * of existing certificates with other validity dates (the rehearsal's expired certificates).
 *
 * - CA: basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign, digitalSignature (both critical);
 * - server: CA:FALSE, keyUsage digitalSignature (+ keyEncipherment for RSA), extendedKeyUsage serverAuth, the
 *   design's dnsNames as DNS subject alternative names (exactly those: a name the design does not list is not added);
 * - client: CA:FALSE, the same keyUsage, extendedKeyUsage clientAuth.
 * Every certificate has a subject key identifier, every issued one an authority key identifier, and a random
 * 127-bit serial number.
 */
import { randomBytes } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { KeyMaterial } from './keys.js';
import { x509 } from './library.js';

export type Profile = 'ca' | 'server' | 'client';

/** Who signs: a CA certificate with its key. */
export interface Signer {
  readonly certificate: X509.X509Certificate;
  readonly key: KeyMaterial;
}

export interface IssueRequest {
  readonly profile: Profile;
  /** Distinguished name, e.g. "CN=internal-ca, OU=payments, O=Gatewright development". */
  readonly subject: string;
  /** The subject's key pair (the certificate carries its public key). */
  readonly key: KeyMaterial;
  /** The issuing CA; a self-signed certificate when absent. */
  readonly issuer?: Signer;
  readonly dnsNames?: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A random positive serial number of 16 bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export async function issueCertificate(request: IssueRequest): Promise<X509.X509Certificate> {
  const lib = await x509();
  const { profile, key, issuer } = request;
  const extensions: X509.Extension[] = [];
  if (profile === 'ca') {
    extensions.push(new lib.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature, true));
  } else {
    extensions.push(new lib.BasicConstraintsExtension(false, undefined, true));
    const usages = key.spec.kind === 'RSA' ? lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment : lib.KeyUsageFlags.digitalSignature;
    extensions.push(new lib.KeyUsagesExtension(usages, true));
    extensions.push(new lib.ExtendedKeyUsageExtension([profile === 'server' ? lib.ExtendedKeyUsage.serverAuth : lib.ExtendedKeyUsage.clientAuth], false));
  }
  if (request.dnsNames && request.dnsNames.length > 0) {
    extensions.push(new lib.SubjectAlternativeNameExtension(request.dnsNames.map((value) => ({ type: 'dns' as const, value })), false));
  }
  extensions.push(await lib.SubjectKeyIdentifierExtension.create(key.keys.publicKey));
  const common = { serialNumber: randomSerial(), notBefore: request.notBefore, notAfter: request.notAfter };
  if (!issuer) {
    return lib.X509CertificateGenerator.createSelfSigned({ ...common, name: request.subject, keys: key.keys, signingAlgorithm: key.signing, extensions });
  }
  extensions.push(await lib.AuthorityKeyIdentifierExtension.create(issuer.key.keys.publicKey));
  return lib.X509CertificateGenerator.create({
    ...common,
    subject: request.subject,
    issuer: issuer.certificate.subjectName,
    publicKey: key.keys.publicKey,
    signingKey: issuer.key.keys.privateKey,
    signingAlgorithm: issuer.key.signing,
    extensions,
  });
}

/**
 * A copy of a certificate (same subject, public key and extensions) with other validity dates, signed by `issuer`
 * (its issuing CA; for a self-signed certificate, itself with its own key). The rehearsal makes expired copies.
 */
export async function copyWithValidity(pem: string, issuer: Signer, notBefore: Date, notAfter: Date): Promise<X509.X509Certificate> {
  const lib = await x509();
  const original = new lib.X509Certificate(pem);
  return lib.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: original.subjectName,
    issuer: issuer.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: original.publicKey,
    signingKey: issuer.key.keys.privateKey,
    signingAlgorithm: issuer.key.signing,
    extensions: original.extensions,
  });
}

/** Parses a PEM certificate with @peculiar/x509 (the first block of the text). */
export async function parseX509(pem: string): Promise<X509.X509Certificate> {
  const lib = await x509();
  return new lib.X509Certificate(pem);
}
