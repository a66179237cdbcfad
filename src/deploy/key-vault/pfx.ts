/**
 * What a PFX holds, read before it is sent to Key Vault: the certificate its private key belongs to (subject, expiry,
 * SHA-1 thumbprint, which is how Key Vault names a certificate version's x5t), so that a certificate already current
 * in the vault is not imported again and a PFX without a key, or protected by a password, is refused with a reason
 * before anything changes. Nothing of the key leaves this module; only the certificate's public data does.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { pkijs } from '../../pki/library.js';
import { errorMessage } from '../../model/error-message.js';

const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';

export interface PfxCertificate {
  /** The SHA-1 thumbprint of the certificate the key belongs to, upper-case hex without separators. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly notAfter: Date;
  /** How many certificates the PFX holds (the certificate and its chain). */
  readonly certificates: number;
}

/** The certificate of a PFX without password; throws an Error saying what is wrong with the file otherwise. */
export async function readPfxCertificate(bytes: Uint8Array): Promise<PfxCertificate> {
  const { pkijs: lib, asn1js } = await pkijs();
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const asn = asn1js.fromBER(buffer);
  if (asn.offset === -1) throw new Error('it is not a PFX (PKCS#12) file');
  let pfx;
  try {
    pfx = new lib.PFX({ schema: asn.result });
    await pfx.parseInternalValues({ password: new ArrayBuffer(0), checkIntegrity: pfx.macData !== undefined });
  } catch (e) {
    throw new Error(`it is not a PFX without password, which is what Gatewright imports (${errorMessage(e)})`);
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('it is not a PFX without password, which is what Gatewright imports');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: new ArrayBuffer(0) })) });
  } catch {
    throw new Error('its contents are encrypted with a password; Gatewright imports PFX files without one (as gatewright certs dev writes them)');
  }
  const contents = (safe.parsedValue?.safeContents ?? []) as { value: { safeBags: { bagId: string; bagValue: unknown }[] } }[];
  const bags = contents.flatMap((c) => c.value.safeBags);
  if (bags.some((b) => b.bagId === OID_SHROUDED_KEY_BAG)) {
    throw new Error('its private key is encrypted with a password; Gatewright imports PFX files without one (as gatewright certs dev writes them)');
  }
  const keyBag = bags.find((b) => b.bagId === OID_KEY_BAG);
  if (!keyBag) throw new Error('it holds no private key (Key Vault needs the key with the certificate)');
  const keyDer = Buffer.from((keyBag.bagValue as { toSchema(): { toBER(): ArrayBuffer } }).toSchema().toBER());
  const key = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' });
  const certificates = bags
    .filter((b) => b.bagId === OID_CERT_BAG)
    .map((b) => new X509Certificate(Buffer.from((b.bagValue as { certValue: { valueBlock: { valueHexView: Uint8Array } } }).certValue.valueBlock.valueHexView)));
  if (certificates.length === 0) throw new Error('it holds no certificate');
  const leaf = certificates.find((c) => c.checkPrivateKey(key));
  if (!leaf) throw new Error('none of its certificates belongs to its private key');
  return {
    thumbprint: createHash('sha1').update(leaf.raw).digest('hex').toUpperCase(),
    subject: leaf.subject.replace(/\n/g, ', '),
    notAfter: new Date(leaf.validTo),
    certificates: certificates.length,
  };
}
