/**
 * Key pairs of the development certificates: made with Node's WebCrypto, kept as PKCS#8 PEM, read back for reuse.
 * The key type follows the design (`keyAlgorithm`, `keySize`; RSA 2048 by default, as API Management requires RSA)
 * within what Key Vault certificates allow. A private key only ever leaves this module as the PEM the caller writes
 * to the git-ignored folder; no message here quotes one.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Certificate } from '../schemas/design.js';
import { subtle } from './library.js';

export type KeySpec =
  | { readonly kind: 'RSA'; readonly bits: 2048 | 3072 | 4096 }
  | { readonly kind: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' };

export const RSA_2048: KeySpec = { kind: 'RSA', bits: 2048 };

/** A key pair with what it takes to sign with it. */
export interface KeyMaterial {
  readonly spec: KeySpec;
  readonly keys: CryptoKeyPair;
  /** The signature algorithm of certificates this key signs (SHA-256 with RSA; ECDSA with the curve's hash). */
  readonly signing: RsaHashedImportParams | EcdsaParams;
  /** The private key as PKCS#8 PEM ("PRIVATE KEY"). */
  readonly pem: string;
}

const CURVE_OF_SIZE: Record<number, 'P-256' | 'P-384' | 'P-521'> = { 256: 'P-256', 384: 'P-384', 521: 'P-521' };
const NODE_CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The key a design certificate asks for, or why no development key can be made for it. */
export function keySpecOf(cert: Pick<Certificate, 'id' | 'keyAlgorithm' | 'keySize'>): KeySpec | { readonly problem: string } {
  if (cert.keyAlgorithm === 'RSA') {
    if (cert.keySize === 2048 || cert.keySize === 3072 || cert.keySize === 4096) return { kind: 'RSA', bits: cert.keySize };
    return { problem: `certificate "${cert.id}" asks for an RSA key of ${cert.keySize} bits; Key Vault certificates use RSA 2048, 3072 or 4096: set keySize to one of them` };
  }
  const curve = CURVE_OF_SIZE[cert.keySize];
  if (curve) return { kind: 'EC', curve };
  return { problem: `certificate "${cert.id}" asks for an EC key of size ${cert.keySize}; use keySize 256 (P-256), 384 (P-384) or 521 (P-521)` };
}

export function describeKeySpec(spec: KeySpec): string {
  return spec.kind === 'RSA' ? `RSA ${spec.bits}` : `EC ${spec.curve}`;
}

function algorithmsOf(spec: KeySpec): { generate: RsaHashedKeyGenParams | EcKeyGenParams; import: RsaHashedImportParams | EcKeyImportParams; signing: RsaHashedImportParams | EcdsaParams } {
  if (spec.kind === 'RSA') {
    const signing = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { generate: { ...signing, publicExponent: new Uint8Array([1, 0, 1]), modulusLength: spec.bits }, import: signing, signing };
  }
  const hash = spec.curve === 'P-256' ? 'SHA-256' : spec.curve === 'P-384' ? 'SHA-384' : 'SHA-512';
  return { generate: { name: 'ECDSA', namedCurve: spec.curve }, import: { name: 'ECDSA', namedCurve: spec.curve }, signing: { name: 'ECDSA', hash } };
}

/** A new key pair of the given kind. */
export async function generateKey(spec: KeySpec): Promise<KeyMaterial> {
  const { generate, signing } = algorithmsOf(spec);
  const keys = (await subtle.generateKey(generate, true, ['sign', 'verify'])) as CryptoKeyPair;
  const der = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return { spec, keys, signing, pem: toPem(der, 'PRIVATE KEY') };
}

/** The kind of a Node private key, when Key Vault certificates can use it (RSA 2048/3072/4096, EC P-256/384/521). */
export function specOfKeyObject(key: KeyObject): KeySpec | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength;
    return bits === 2048 || bits === 3072 || bits === 4096 ? { kind: 'RSA', bits } : undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ? NODE_CURVES[details.namedCurve] : undefined;
    return curve ? { kind: 'EC', curve } : undefined;
  }
  return undefined;
}

export function sameSpec(a: KeySpec, b: KeySpec): boolean {
  return a.kind === 'RSA' ? b.kind === 'RSA' && a.bits === b.bits : b.kind === 'EC' && a.curve === b.curve;
}

/**
 * Reads a private key PEM (PKCS#8, PKCS#1 or SEC1, unencrypted) for reuse. `problem` says why it cannot be used:
 * unreadable, or another kind than `want` (when given). The message never quotes the key.
 */
export async function importKey(pem: string, want?: KeySpec): Promise<KeyMaterial | { readonly problem: string }> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return { problem: 'it holds no readable unencrypted private key' };
  }
  const spec = specOfKeyObject(key);
  if (!spec) return { problem: `it holds a ${key.asymmetricKeyType ?? 'unknown'} key that Key Vault certificates cannot use` };
  if (want && !sameSpec(spec, want)) return { problem: `it holds an ${describeKeySpec(spec)} key, but the design asks for ${describeKeySpec(want)}` };
  const algorithms = algorithmsOf(spec);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const privateKey = await subtle.importKey('pkcs8', der, algorithms.import, true, ['sign']);
  const publicKey = await subtle.importKey('spki', spki, algorithms.import, true, ['verify']);
  return { spec, keys: { privateKey, publicKey }, signing: algorithms.signing, pem: toPem(der, 'PRIVATE KEY') };
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
