/**
 * PKCS#12 (PFX) files for Key Vault import, written with PKI.js (RFC 7292).
 *
 * The file holds the private key (an unencrypted PKCS#8 key bag) and the certificate with its chain (certificate
 * bags), the key and its certificate linked by a localKeyId attribute (the SHA-1 of the certificate, as OpenSSL and
 * Windows write it) and named by a friendlyName. There is no password: Key Vault imports an unprotected PFX as it
 * is (`az keyvault certificate import --file X.pfx`, no --password), and a password printed once or kept next to
 * the file would protect nothing the folder's owner-only permissions do not. The integrity MAC (HMAC-SHA-256,
 * PKCS#12 key derivation) is keyed with the empty password, which is what OpenSSL, .NET and Windows try for a
 * PFX without a password (`openssl pkcs12 -export -passout pass: -keypbe NONE -certpbe NONE` writes the same shape).
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { pkijs } from './library.js';
import { splitPem } from '../x509/pem.js';

const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const OID_X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const OID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const OID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';

/** Iterations of the MAC key derivation (OpenSSL 3's default is 2048). */
const MAC_ITERATIONS = 2048;

export interface PfxInput {
  /** The private key, PEM (PKCS#8, PKCS#1 or SEC1). */
  readonly keyPem: string;
  /** The certificate first, then its chain, PEM. */
  readonly certificatesPem: string;
  /** friendlyName of the key and the certificate (the Key Vault certificate name is a good one). */
  readonly friendlyName: string;
}

/** A PFX without password holding the key and the certificates. */
export async function writePfx(input: PfxInput): Promise<Uint8Array> {
  const { pkijs: lib, asn1js } = await pkijs();
  const keyDer = createPrivateKey({ key: input.keyPem, format: 'pem' }).export({ type: 'pkcs8', format: 'der' });
  const blocks = splitPem(input.certificatesPem).certificates;
  if (blocks.length === 0) throw new Error('no certificate to put in the PFX');
  const ders = blocks.map((block) => Buffer.from(block.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  const localKeyId = createHash('sha1').update(ders[0]!).digest();

  const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  const attributes = (withKeyId: boolean) => [
    new lib.Attribute({ type: OID_FRIENDLY_NAME, values: [new asn1js.BmpString({ value: input.friendlyName })] }),
    ...(withKeyId ? [new lib.Attribute({ type: OID_LOCAL_KEY_ID, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(localKeyId) })] })] : []),
  ];

  const keyInfo = new lib.PrivateKeyInfo({ schema: asn1js.fromBER(toArrayBuffer(keyDer)).result });
  const bags = [
    new lib.SafeBag({ bagId: OID_KEY_BAG, bagValue: keyInfo, bagAttributes: attributes(true) }),
    ...ders.map(
      (der, i) =>
        new lib.SafeBag({
          bagId: OID_CERT_BAG,
          // The certificate's own DER bytes, not a re-encoding of a parsed copy: its signature covers them.
          bagValue: new lib.CertBag({ certId: OID_X509_CERTIFICATE, certValue: new asn1js.OctetString({ valueHex: toArrayBuffer(der) }) }),
          ...(i === 0 ? { bagAttributes: attributes(true) } : {}),
        }),
    ),
  ];
  const pfx = new lib.PFX({
    parsedValue: {
      integrityMode: 0, // password-based integrity (a MAC)
      authenticatedSafe: new lib.AuthenticatedSafe({
        parsedValue: { safeContents: [{ privacyMode: 0, value: new lib.SafeContents({ safeBags: bags }) }] }, // no privacy (no encryption)
      }),
    },
  });
  await pfx.parsedValue!.authenticatedSafe!.makeInternalValues({ safeContents: [{}] });
  await pfx.makeInternalValues({
    password: new ArrayBuffer(0),
    iterations: MAC_ITERATIONS,
    pbkdf2HashAlgorithm: 'SHA-256',
    hmacHashAlgorithm: 'SHA-256',
  });
  return new Uint8Array(pfx.toSchema().toBER(false));
}
