/**
 * The certificate files of a design, as the caller read them (DesignIndex.files), parsed once per validation:
 * the first certificate of a PEM is the certificate, the ones after it are its chain.
 */
import type { Certificate } from '../schemas/design.js';
import type { DesignIndex } from '../model/design-index.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { splitPem } from './pem.js';
import { errorMessage } from '../model/error-message.js';

/**
 * Why a `file` path is not a workspace-relative path, or undefined when it is one.
 * Absolute paths (/x, \x, C:\x, C:/x, \\server\share, ~/x) and paths that climb above their root ('..') are refused.
 */
export function workspacePathProblem(path: string): string | undefined {
  if (/^[\\/]/.test(path) || /^[a-zA-Z]:/.test(path)) return 'is an absolute path; give it relative to the workspace';
  if (path.startsWith('~')) return 'starts with "~"; give it relative to the workspace';
  if (path.includes('\0')) return 'contains a NUL character';
  let depth = 0;
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '..') depth--;
    else if (segment !== '' && segment !== '.') depth++;
    if (depth < 0) return 'leaves the workspace ("..")';
  }
  if (depth === 0) return 'names no file';
  return undefined;
}

/** The path with "." segments, doubled and back slashes removed, and "x/.." pairs resolved: to compare two paths. */
export function normalizeWorkspacePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}

export type FileReading =
  /** The caller could not read it. */
  | { readonly kind: 'unreadable'; readonly path: string; readonly reason: string; readonly privateKeys: readonly string[] }
  /** Read, but there is no usable certificate in it. */
  | { readonly kind: 'invalid'; readonly path: string; readonly reason: string; readonly privateKeys: readonly string[] }
  | {
      readonly kind: 'parsed';
      readonly path: string;
      /** The first certificate in the file. */
      readonly leaf: ParsedCertificate;
      /** The certificates after it, in file order, up to the first that cannot be parsed; each should issue the one before it. */
      readonly chain: readonly ParsedCertificate[];
      /** Chain entries that could not be parsed: "certificate 3 of 3 cannot be parsed (...)". */
      readonly problems: readonly string[];
      /** Labels of private key blocks in the file (never their content). */
      readonly privateKeys: readonly string[];
      /** How many certificate blocks the file has. */
      readonly count: number;
    };

const cache = new WeakMap<DesignIndex, Map<string, FileReading | undefined>>();

/**
 * The reading of a certificate's file: undefined when it has none, when its path is not workspace-relative
 * (rule GW250 reports that), or when the caller handed no content for it (validation without files).
 * Each path is parsed once per DesignIndex, however many certificates and rules ask.
 */
export function fileReadingOf(ctx: DesignIndex, cert: Certificate): FileReading | undefined {
  return cert.file === undefined ? undefined : readingOfPath(ctx, cert.file);
}

export function readingOfPath(ctx: DesignIndex, path: string): FileReading | undefined {
  let byPath = cache.get(ctx);
  if (!byPath) {
    byPath = new Map();
    cache.set(ctx, byPath);
  }
  if (byPath.has(path)) return byPath.get(path);
  const reading = workspacePathProblem(path) === undefined ? read(ctx, path) : undefined;
  byPath.set(path, reading);
  return reading;
}

/** The parsed reading of a certificate's file, or undefined. */
export function parsedFileOf(ctx: DesignIndex, cert: Certificate): Extract<FileReading, { kind: 'parsed' }> | undefined {
  const r = fileReadingOf(ctx, cert);
  return r?.kind === 'parsed' ? r : undefined;
}

/** `file "certs/x.pem"`, saying which certificate of it is meant when it holds a chain. */
export function describeFile(reading: FileReading): string {
  if (reading.kind !== 'parsed' || reading.count < 2) return `file "${reading.path}"`;
  const rest = reading.count - 1;
  return `file "${reading.path}" (its first certificate; the ${rest === 1 ? 'one' : rest} after it ${rest === 1 ? 'is' : 'are'} its chain)`;
}

function read(ctx: DesignIndex, path: string): FileReading | undefined {
  const file = ctx.files.get(path);
  if (!file) return undefined;
  if (file.status === 'unreadable') return { kind: 'unreadable', path, reason: file.reason, privateKeys: [] };

  const pem = splitPem(file.content);
  const { privateKeys } = pem;
  if (pem.certificates.length === 0) {
    let reason: string;
    if (pem.looksLikeDer) reason = 'is binary DER, not PEM; convert it (openssl x509 -inform der -in FILE -out FILE.pem)';
    else if (!pem.armoured) reason = 'is not a PEM certificate: it has no "-----BEGIN CERTIFICATE-----" block';
    else if (pem.others.length > 0) reason = `holds no certificate, only ${[...new Set(pem.others)].map((l) => `a ${l} block`).join(' and ')}`;
    else if (privateKeys.length > 0) reason = 'holds no certificate, only a private key';
    else reason = 'has no complete "-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----" block';
    return { kind: 'invalid', path, reason, privateKeys };
  }

  const count = pem.certificates.length;
  let leaf: ParsedCertificate;
  try {
    leaf = parseCertificate(pem.certificates[0]!);
  } catch (e) {
    return { kind: 'invalid', path, reason: `has a ${count > 1 ? 'first ' : ''}certificate that cannot be parsed (${errorText(e)})`, privateKeys };
  }
  const chain: ParsedCertificate[] = [];
  const problems: string[] = [];
  for (let i = 1; i < count; i++) {
    try {
      chain.push(parseCertificate(pem.certificates[i]!));
    } catch (e) {
      const rest = i + 1 < count ? '; the chain is checked only up to the certificate before it' : '';
      problems.push(`certificate ${i + 1} of ${count} cannot be parsed (${errorText(e)})${rest}`);
      break;
    }
  }
  return { kind: 'parsed', path, leaf, chain, problems, privateKeys, count };
}

/** Node's message for a parse failure: an OpenSSL reason, never content of the file. */
function errorText(e: unknown): string {
  const text = errorMessage(e);
  return text.replace(/\s+/g, ' ').slice(0, 160);
}
