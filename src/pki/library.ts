/**
 * The maintained libraries that do the X.509 and PKCS#12 work, loaded once and on first use (so that commands that
 * make no certificate do not pay for them), both over Node's WebCrypto:
 * - @peculiar/x509 builds and signs certificates. It resolves its algorithms through tsyringe, which needs the
 *   Reflect metadata API: `reflect-metadata` is loaded first, then the library (dynamically, for that order).
 * - PKI.js (pkijs) writes PKCS#12 (PFX) files.
 */
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type * as Pkijs from 'pkijs';
import type * as Asn1js from 'asn1js';

let x509Library: Promise<typeof X509> | undefined;
let pkijsLibrary: Promise<{ pkijs: typeof Pkijs; asn1js: typeof Asn1js }> | undefined;

/** @peculiar/x509, using Node's WebCrypto. */
export function x509(): Promise<typeof X509> {
  x509Library ??= (async () => {
    await import('reflect-metadata');
    const lib = await import('@peculiar/x509');
    lib.cryptoProvider.set(webcrypto as unknown as Crypto);
    return lib;
  })();
  return x509Library;
}

/** PKI.js and the ASN.1 library it is built on, with a crypto engine over Node's WebCrypto. */
export function pkijs(): Promise<{ pkijs: typeof Pkijs; asn1js: typeof Asn1js }> {
  pkijsLibrary ??= (async () => {
    const [lib, asn1] = await Promise.all([import('pkijs'), import('asn1js')]);
    lib.setEngine('gatewright', new lib.CryptoEngine({ name: 'gatewright', crypto: webcrypto as unknown as Crypto }));
    return { pkijs: lib, asn1js: asn1 };
  })();
  return pkijsLibrary;
}

/** Node's WebCrypto, typed as the DOM's. */
export const subtle = webcrypto.subtle as unknown as SubtleCrypto;
