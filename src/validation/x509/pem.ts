/**
 * PEM text: the blocks a file holds, which of them are certificates, and whether any is a private key.
 * Pure; never returns or copies the content of a private key block, only that one is there.
 */

/** Labels that carry an X.509 certificate. */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

/** Any private key armour: PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY), PKCS#1 (RSA), SEC1 (EC), DSA, OpenSSH, PGP. */
const PRIVATE_KEY_BEGIN = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----/g;

/** A complete block: label, body, matching end line. */
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n?([\s\S]*?)-----END \1-----/g;

export interface PemContents {
  /** The certificate blocks, in file order, each as a complete PEM block. */
  readonly certificates: readonly string[];
  /** Labels of the private key blocks found (e.g. "ENCRYPTED PRIVATE KEY"), never their content. */
  readonly privateKeys: readonly string[];
  /** Labels of other blocks (e.g. "CERTIFICATE REQUEST"), in file order. */
  readonly others: readonly string[];
  /** Whether the text has any PEM armour at all. */
  readonly armoured: boolean;
  /** Whether the text looks like binary DER (starts with an ASN.1 SEQUENCE and has no armour). */
  readonly looksLikeDer: boolean;
}

/** Splits PEM text into its blocks. A private key is found even when its block is damaged (no END line). */
export function splitPem(text: string): PemContents {
  const certificates: string[] = [];
  const others: string[] = [];
  const privateKeys: string[] = [];

  for (const m of text.matchAll(PRIVATE_KEY_BEGIN)) privateKeys.push(m[1]!);
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1]!;
    if (CERTIFICATE_LABELS.has(label)) certificates.push(m[0]);
    else if (!isPrivateKeyLabel(label)) others.push(label);
  }
  const armoured = text.includes('-----BEGIN ');
  return { certificates, privateKeys, others, armoured, looksLikeDer: !armoured && text.charCodeAt(0) === 0x30 };
}

export function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY( BLOCK)?$/.test(label);
}

/** Human words for a private key label: "an encrypted private key", "an RSA private key". */
export function describePrivateKey(label: string): string {
  const kind = label.replace(/ ?PRIVATE KEY( BLOCK)?$/, '');
  const words: Record<string, string> = {
    '': 'a private key',
    ENCRYPTED: 'an encrypted private key',
    RSA: 'an RSA private key',
    EC: 'an EC private key',
    DSA: 'a DSA private key',
    OPENSSH: 'an OpenSSH private key',
    'PGP': 'a PGP private key',
  };
  return words[kind] ?? `a ${kind} private key`;
}
