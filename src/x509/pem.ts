/**
 * PEM text: the blocks a file holds, which of them are certificates, and whether any is a private key.
 * Pure; never returns or copies the content of a private key block, only that one is there.
 *
 * A private key is found by parsing, not by one spelling of its armour: every PEM-like block (any case, any
 * whitespace, any label) and a file that is bare base64 is decoded and offered to node:crypto as PKCS#8, PKCS#1
 * and SEC1 DER (https://nodejs.org/api/crypto.html#cryptocreateprivatekeykey); an encrypted PKCS#8 key is
 * recognised by the passphrase it asks for. Any label that says PRIVATE KEY counts too, even when damaged.
 */
import { createPrivateKey } from 'node:crypto';

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
  if (privateKeys.length === 0) privateKeys.push(...keysByParsing(text));
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

/** A BEGIN line in any spelling: dashes, BEGIN in any case, any whitespace, any label. */
const LOOSE_BEGIN = /^[ \t]*-{2,}[ \t]*begin[ \t]+([^\r\n-]*?)[ \t]*-{2,}[ \t]*$/gim;
const LOOSE_END = /^[ \t]*-{2,}[ \t]*end\b/im;
const BASE64_ONLY = /^[A-Za-z0-9+/=\s]+$/;

/** Labels (normalised) of the blocks, or of the bare base64 text, that hold a private key. */
function keysByParsing(text: string): string[] {
  const found: string[] = [];
  const begins = [...text.matchAll(LOOSE_BEGIN)];
  for (const [i, m] of begins.entries()) {
    const label = m[1]!.replace(/\s+/g, ' ').trim().toUpperCase();
    const start = m.index + m[0].length;
    const stop = i + 1 < begins.length ? begins[i + 1]!.index : text.length;
    const body = text.slice(start, stop);
    const end = LOOSE_END.exec(body);
    // Encapsulated headers (Proc-Type: ...) are not base64.
    const base64 = (end ? body.slice(0, end.index) : body)
      .split(/\r?\n/)
      .filter((line) => !line.includes(':'))
      .join('');
    if (/PRIVATE KEY/.test(label) || isPrivateKeyDer(decode(base64))) found.push(/PRIVATE KEY/.test(label) ? label : 'PRIVATE KEY');
  }
  if (begins.length === 0 && BASE64_ONLY.test(text) && text.replace(/\s/g, '').length >= 64 && isPrivateKeyDer(decode(text))) found.push('PRIVATE KEY');
  return found;
}

function decode(base64: string): Buffer | undefined {
  const compact = base64.replace(/\s/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Whether DER bytes parse as a private key (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC). */
function isPrivateKeyDer(der: Buffer | undefined): boolean {
  if (der === undefined || der.length < 16 || der[0] !== 0x30) return false;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return true;
    } catch (e) {
      if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE') return true;
    }
  }
  return false;
}
