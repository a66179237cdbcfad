/**
 * Test-only public key infrastructure: real CAs, intermediates, server and client certificates, made at test time
 * with @peculiar/x509 over Node's WebCrypto. No key material is committed; every run makes its own.
 *
 * @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API: the
 * `reflect-metadata` package is loaded first, then the library (dynamically, for that order).
 */
import { KeyObject, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { CertificateFile } from '../../src/model/design-index.js';

// ---------------------------------------------------------------- loading @peculiar/x509

let library: Promise<typeof X509> | undefined;

/** @peculiar/x509, loaded once, using Node's WebCrypto. */
export function x509(): Promise<typeof X509> {
  library ??= (async () => {
    await import('reflect-metadata');
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto as unknown as Crypto);
    return lib;
  })();
  return library;
}

// ---------------------------------------------------------------- keys

export type KeySpec = { readonly kind: 'RSA'; readonly bits: number } | { readonly kind: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' };

export const RSA_2048: KeySpec = { kind: 'RSA', bits: 2048 };
export const EC_P256: KeySpec = { kind: 'EC', curve: 'P-256' };

export interface KeyPair {
  readonly spec: KeySpec;
  readonly keys: CryptoKeyPair;
  readonly algorithm: RsaHashedKeyGenParams | EcKeyGenParams;
  readonly signing: RsaHashedImportParams | EcdsaParams;
}

function algorithmOf(spec: KeySpec): { algorithm: RsaHashedKeyGenParams | EcKeyGenParams; signing: RsaHashedImportParams | EcdsaParams } {
  if (spec.kind === 'RSA') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: spec.bits };
    return { algorithm, signing: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  }
  const hash = spec.curve === 'P-256' ? 'SHA-256' : spec.curve === 'P-384' ? 'SHA-384' : 'SHA-512';
  return { algorithm: { name: 'ECDSA', namedCurve: spec.curve }, signing: { name: 'ECDSA', hash } };
}

export async function generateKeys(spec: KeySpec = RSA_2048): Promise<KeyPair> {
  const { algorithm, signing } = algorithmOf(spec);
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { spec, keys, algorithm, signing };
}

// ---------------------------------------------------------------- certificates

/** A certificate made here: its PEM, and what is needed to issue others with it when it is a CA. */
export interface Issued {
  readonly pem: string;
  readonly name: string;
  readonly key: KeyPair;
  readonly certificate: X509.X509Certificate;
}

export interface CertificateSpec {
  /** Subject common name. */
  readonly cn: string;
  /** Who signs it; self-signed when absent. */
  readonly issuer?: Issued;
  /** The subject's key; a new RSA 2048 key when absent. */
  readonly key?: KeyPair;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** basicConstraints CA:TRUE. */
  readonly ca?: boolean;
  readonly pathLength?: number;
  readonly dnsNames?: readonly string[];
  /** Extended key usages: 'serverAuth', 'clientAuth'; no extension at all when undefined. */
  readonly usages?: readonly ('serverAuth' | 'clientAuth')[];
  readonly serial?: string;
  /** Leave out the subject and authority key identifiers (so only names link it to its issuer). */
  readonly noKeyIdentifiers?: boolean;
  /** More extensions, as they are (for example name constraints). */
  readonly extensions?: readonly X509.Extension[];
}

/**
 * The validity of a certificate issued without dates. These dates are for tests on a fixed clock inside this window
 * (the rule fixtures judge them at a pinned `now`); a test on the real clock passes dates relative to Date.now().
 * No certificate file is checked into the repository: every one is made when its test runs.
 */
export const DEFAULT_NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
export const DEFAULT_NOT_AFTER = new Date('2027-06-30T23:59:59Z');

let serialCounter = 1;

export async function issue(spec: CertificateSpec): Promise<Issued> {
  const lib = await x509();
  const key = spec.key ?? (await generateKeys(RSA_2048));
  const name = `CN=${spec.cn}, O=Gatewright Tests`;
  const extensions: X509.Extension[] = [];
  if (spec.ca !== undefined) extensions.push(new lib.BasicConstraintsExtension(spec.ca, spec.pathLength, true));
  const usageFlags = spec.ca
    ? lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign | lib.KeyUsageFlags.digitalSignature
    : lib.KeyUsageFlags.digitalSignature | lib.KeyUsageFlags.keyEncipherment;
  extensions.push(new lib.KeyUsagesExtension(usageFlags, true));
  if (spec.usages) {
    const oids = spec.usages.map((u) => (u === 'serverAuth' ? lib.ExtendedKeyUsage.serverAuth : lib.ExtendedKeyUsage.clientAuth));
    extensions.push(new lib.ExtendedKeyUsageExtension(oids, false));
  }
  if (spec.dnsNames?.length) {
    extensions.push(new lib.SubjectAlternativeNameExtension(spec.dnsNames.map((value) => ({ type: 'dns' as const, value })), false));
  }
  if (spec.extensions) extensions.push(...spec.extensions);
  if (!spec.noKeyIdentifiers) {
    extensions.push(await lib.SubjectKeyIdentifierExtension.create(key.keys.publicKey));
    if (spec.issuer) extensions.push(await lib.AuthorityKeyIdentifierExtension.create(spec.issuer.key.keys.publicKey));
  }

  const serialNumber = spec.serial ?? `01${(serialCounter++).toString(16).padStart(6, '0')}`;
  const common = {
    serialNumber,
    notBefore: spec.notBefore ?? DEFAULT_NOT_BEFORE,
    notAfter: spec.notAfter ?? DEFAULT_NOT_AFTER,
    extensions,
  };
  const certificate = spec.issuer
    ? await lib.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: spec.issuer.name,
        publicKey: key.keys.publicKey,
        signingKey: spec.issuer.key.keys.privateKey,
        signingAlgorithm: spec.issuer.key.signing,
      })
    : await lib.X509CertificateGenerator.createSelfSigned({ ...common, name, keys: key.keys, signingAlgorithm: key.signing });
  return { pem: certificate.toString('pem'), name, key, certificate };
}

/** A root CA: self-signed, CA:TRUE. */
export function rootCa(cn: string, options: Omit<CertificateSpec, 'cn' | 'issuer' | 'ca'> = {}): Promise<Issued> {
  return issue({ ...options, cn, ca: true });
}

/** An intermediate CA under `issuer`. */
export function intermediateCa(cn: string, issuer: Issued, options: Omit<CertificateSpec, 'cn' | 'issuer' | 'ca'> = {}): Promise<Issued> {
  return issue({ pathLength: 0, ...options, cn, issuer, ca: true });
}

/** A server certificate: SANs and serverAuth. */
export function serverCertificate(issuer: Issued, dnsNames: readonly string[], options: Omit<CertificateSpec, 'issuer' | 'dnsNames' | 'cn'> & { cn?: string } = {}): Promise<Issued> {
  return issue({ usages: ['serverAuth'], ca: false, ...options, cn: options.cn ?? dnsNames[0] ?? 'server', issuer, dnsNames });
}

/** A client certificate: clientAuth. */
export function clientCertificate(issuer: Issued, cn: string, options: Omit<CertificateSpec, 'issuer' | 'cn'> = {}): Promise<Issued> {
  return issue({ usages: ['clientAuth'], ca: false, ...options, cn, issuer });
}

/**
 * A private key as PEM, in the usual armours: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"),
 * PKCS#1 ("RSA PRIVATE KEY", RSA keys) or SEC1 ("EC PRIVATE KEY", EC keys).
 */
export function privateKeyPem(key: KeyPair, format: 'pkcs8' | 'encrypted' | 'pkcs1' | 'sec1' = 'pkcs8'): string {
  const object = KeyObject.from(key.keys.privateKey);
  if (format === 'encrypted') {
    return object.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-only-passphrase' }).toString();
  }
  return object.export({ type: format, format: 'pem' }).toString();
}

/** Certificates (and anything else) concatenated into one PEM file. */
export function bundle(...pems: readonly string[]): string {
  return pems.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
}

/** The `files` map a RuleCase hands to the validator: path → file content. */
export function filesOf(entries: Record<string, string | CertificateFile>): Map<string, CertificateFile> {
  const map = new Map<string, CertificateFile>();
  for (const [path, value] of Object.entries(entries)) {
    map.set(path, typeof value === 'string' ? { status: 'read', content: value } : value);
  }
  return map;
}

/** Base64 runs (16+ characters) of a PEM text: what must never show up in a message about it. */
export function base64Runs(pem: string): string[] {
  return pem
    .split('\n')
    .filter((l) => !l.startsWith('-----') && l.trim().length >= 16)
    .map((l) => l.trim());
}
