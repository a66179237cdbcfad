/**
 * Development certificates for a design, on disk (src/pki makes them; this module reads what an earlier run left
 * and writes the files): `gatewright certs dev` and the extension's Create Development Certificates both call
 * createDevCertificates.
 *
 * Public PEMs go to the public folder (default `certs/` next to the design; safe to commit); private keys and PFX
 * files to the private folder (default `certs/private/`), which gets mode 0700, a `.gitignore` of `*`, and files of
 * mode 0600. The design's `file` fields (and any `notAfter`) are changed through the core's minimal edits: this
 * module returns the new design text and its edits, and the command writes it after printing what changes.
 */
import { lstat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { applyOperations } from '../document/edits/index.js';
import { parseDesign } from '../document/parse.js';
import type { TextEdit } from '../schemas/operations.js';
import { designChangesFor, type DesignChange } from '../pki/design-edits.js';
import {
  DEFAULT_DAYS,
  describeKeySpec,
  devCertificateOrder,
  makeDevCertificates,
  STAND_IN_CA_ID,
  type DevAction,
  type ExistingMaterial,
} from '../pki/dev.js';
import {
  devFolders,
  keyFileName,
  pfxFileName,
  PRIVATE_FILE_MODE,
  PRIVATE_FOLDER_MODE,
  PRIVATE_GITIGNORE,
  PRIVATE_GITIGNORE_CONTENT,
  publicFileName,
} from '../pki/layout.js';
import { isoDay } from '../x509/certificate.js';
import { workspacePathProblem } from '../x509/files.js';
import { chmodNoFollow, ensureFolder, isInside, readRegularFile, WorkspaceRefusal, writeFileAtomic } from './fs.js';

/** A development PEM or PFX is a few kilobytes; anything this large is not one. */
const MAX_DEV_FILE_BYTES = 1024 * 1024;

export interface DevCertificatesRequest {
  /** Absolute path of the design file. */
  readonly designPath: string;
  /** Its text (the extension hands in the editor's text). */
  readonly designText: string;
  /** The folder certificate `file` paths are relative to (absolute); the design's folder by default. */
  readonly root?: string;
  /** The public folder (absolute); `certs/` next to the design by default. */
  readonly publicDir?: string;
  /** The private folder (absolute); `private/` inside the public folder by default. */
  readonly privateDir?: string;
  readonly days?: number;
  readonly force?: boolean;
  readonly now?: Date;
  /** Write nothing: make the certificates in memory only and say what would be written and changed. */
  readonly dryRun?: boolean;
}

/** One certificate of the run, without any key material: what the designer and the command show. */
export interface DevCertificateSummary {
  readonly id: string;
  /** True for the stand-in CA of `issuer: external` certificates (not a design certificate). */
  readonly standIn: boolean;
  readonly role: 'ca' | 'server' | 'client';
  readonly issuer: string;
  readonly action: DevAction;
  readonly why: string;
  readonly keyAction: 'created' | 'reused';
  readonly key: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Absolute paths. */
  readonly publicFile: string;
  readonly keyFile: string;
  readonly pfxFile: string;
}

export type DevCertificatesOutcome =
  | {
      readonly ok: true;
      readonly certificates: readonly DevCertificateSummary[];
      readonly notes: readonly string[];
      /** The design with its `file` (and `notAfter`) fields set; equal to the input when nothing changes. */
      readonly designText: string;
      /** The minimal edits from the input text to designText. */
      readonly designEdits: readonly TextEdit[];
      readonly designChanges: readonly DesignChange[];
      /** Absolute paths of the files written (none on a dry run). */
      readonly written: readonly string[];
      readonly publicDir: string;
      readonly privateDir: string;
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/** A request the caller got wrong (a folder outside the workspace, ...): the CLI turns it into a usage error. */
export class DevCertificatesRefused extends WorkspaceRefusal {}

export { devFolders };

/**
 * Makes the development certificates of a design and writes them (not the design: see designText / designEdits).
 * Throws DevCertificatesRefused for a request that cannot be carried out as asked, and what the file system throws.
 */
export async function createDevCertificates(request: DevCertificatesRequest): Promise<DevCertificatesOutcome> {
  const parsed = parseDesign(request.designText);
  if (!parsed.design || !parsed.complete) {
    return { ok: false, problems: ['the design does not satisfy the schema; run gatewright validate on it and fix its errors first'] };
  }
  const design = parsed.design;
  const root = request.root ?? dirname(request.designPath);
  const { publicDir, privateDir } = devFolders(request);
  const publicRel = relative(root, publicDir).split(sep).join('/');
  if (isAbsolute(publicRel) || publicRel === '' || workspacePathProblem(`${publicRel}/x.pem`)) {
    throw new DevCertificatesRefused(`the public certificate folder ${publicDir} must be inside ${root}, the folder certificate file paths are relative to`);
  }
  if (resolve(publicDir) === resolve(privateDir)) {
    throw new DevCertificatesRefused('the private folder must not be the public folder: private keys never go next to the files the design names');
  }
  const fileOf = (id: string) => `${publicRel}/${publicFileName(id)}`;

  const { entries } = devCertificateOrder(design);
  const existing = new Map<string, ExistingMaterial>();
  for (const entry of entries) {
    existing.set(entry.id, {
      certificatePem: await readText(join(publicDir, publicFileName(entry.id))),
      keyPem: await readText(join(privateDir, keyFileName(entry.id))),
      hasPfx: await exists(join(privateDir, pfxFileName(entry.id))),
    });
  }
  const now = request.now ?? new Date();
  const result = await makeDevCertificates(design, existing, { now, days: request.days ?? DEFAULT_DAYS, force: request.force === true });
  if (!result.ok) return result;

  const { operations, changes } = designChangesFor(design, result.certificates, fileOf);
  const edited = applyOperations(request.designText, operations);
  if (!edited.ok) throw new Error(`cannot set the certificate files in the design: ${edited.error}`);

  const written: string[] = [];
  if (!request.dryRun) {
    // Never through a link: the folders are made below the root without following links (a private folder the
    // caller names outside the root is taken as named), and every file is written atomically beside its target.
    await ensureFolder(root, publicDir);
    const privateRoot = isInside(resolve(root), resolve(privateDir)) ? root : privateDir;
    await ensureFolder(privateRoot, privateDir, PRIVATE_FOLDER_MODE);
    await chmodNoFollow(privateDir, PRIVATE_FOLDER_MODE);
    const ignore = join(privateDir, PRIVATE_GITIGNORE);
    const ignoreText = await readText(ignore);
    if (ignoreText === undefined || !ignoreText.split(/\r?\n/).some((l) => l.trim() === '*')) {
      await writeFileAtomic(privateDir, ignore, PRIVATE_GITIGNORE_CONTENT);
      written.push(ignore);
    }
    for (const cert of result.certificates) {
      const publicFile = join(publicDir, publicFileName(cert.id));
      if (existing.get(cert.id)?.certificatePem !== cert.publicPem) {
        await writeFileAtomic(publicDir, publicFile, cert.publicPem);
        written.push(publicFile);
      }
      const keyFile = join(privateDir, keyFileName(cert.id));
      if (cert.keyPem !== undefined) {
        await writeFileAtomic(privateDir, keyFile, cert.keyPem, { mode: PRIVATE_FILE_MODE });
        written.push(keyFile);
      } else {
        await chmodNoFollow(keyFile, PRIVATE_FILE_MODE);
      }
      const pfxFile = join(privateDir, pfxFileName(cert.id));
      if (cert.pfx !== undefined) {
        await writeFileAtomic(privateDir, pfxFile, cert.pfx, { mode: PRIVATE_FILE_MODE });
        written.push(pfxFile);
      } else {
        await chmodNoFollow(pfxFile, PRIVATE_FILE_MODE);
      }
    }
  }

  const certificates: DevCertificateSummary[] = result.certificates.map((c) => ({
    id: c.id,
    standIn: c.id === STAND_IN_CA_ID,
    role: c.role,
    issuer: c.issuer,
    action: c.action,
    why: c.why,
    keyAction: c.keyAction,
    key: describeKeySpec(c.key),
    subject: c.subject,
    dnsNames: c.dnsNames,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    publicFile: join(publicDir, publicFileName(c.id)),
    keyFile: join(privateDir, keyFileName(c.id)),
    pfxFile: join(privateDir, pfxFileName(c.id)),
  }));
  return {
    ok: true,
    certificates,
    notes: result.notes,
    designText: edited.text,
    designEdits: edited.edits,
    designChanges: changes,
    written,
    publicDir,
    privateDir,
  };
}

/** A file an earlier run wrote: undefined when there is none; a link, FIFO, device or oversized file is refused. */
async function readText(path: string): Promise<string | undefined> {
  const read = await readRegularFile(path, { maxBytes: MAX_DEV_FILE_BYTES });
  if (read.ok) return read.bytes.toString('utf8');
  if (read.kind === 'missing') return undefined;
  throw new WorkspaceRefusal(read.reason);
}

async function exists(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return false;
  if (info.isSymbolicLink()) throw new WorkspaceRefusal(`${path} is a symbolic link; Gatewright does not write through links: delete it and run again`);
  return true;
}

// ---------------------------------------------------------------- what was made, as text

/** What `certs dev` prints: the certificates, where they are, the notes and the design changes. No key material. */
export function formatDevCertificates(
  outcome: Extract<DevCertificatesOutcome, { ok: true }>,
  options: { designFile: string; cwd: string; days: number; dryRun: boolean },
): string {
  const show = (p: string) => {
    const rel = relative(options.cwd, p);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel;
  };
  const rows = outcome.certificates.map((c) => [
    c.id,
    c.role,
    c.action,
    c.issuer === 'self' ? (c.role === 'ca' ? 'root' : 'self-signed') : c.issuer === STAND_IN_CA_ID ? 'stand-in CA' : `by ${c.issuer}`,
    `until ${isoDay(c.notAfter)}`,
    `${c.key}${c.keyAction === 'reused' ? ' (kept)' : ''}`,
    [c.dnsNames.join(' '), c.why].filter(Boolean).join('; '),
  ]);
  const head = ['CERTIFICATE', 'ROLE', 'ACTION', 'ISSUER', 'VALIDITY', 'KEY', 'NAMES; WHY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines: string[] = [];
  lines.push(`${options.dryRun ? 'Would make' : 'Development certificates for'} ${options.designFile} (${options.days} days):`);
  lines.push('', line(head), ...rows.map(line), '');
  lines.push(`Public certificates (safe to commit): ${show(outcome.publicDir)}/`);
  lines.push(`Private keys and PFX files (git-ignored, owner-only): ${show(outcome.privateDir)}/`);
  lines.push('The PFX files have no password: Key Vault imports them as they are (az keyvault certificate import --file X.pfx).');
  const standIn = outcome.certificates.find((c) => c.standIn);
  if (standIn) {
    const externals = outcome.certificates.filter((c) => c.issuer === STAND_IN_CA_ID).map((c) => `"${c.id}"`);
    lines.push(
      `${externals.join(', ')} ${externals.length === 1 ? 'is' : 'are'} issued by a public CA in production (issuer: external); for development ${externals.length === 1 ? 'it is' : 'they are'} issued by a stand-in CA of ${externals.length === 1 ? 'its' : 'their'} own (${show(standIn.publicFile)}), which nothing trusts but gatewright rehearse.`,
    );
  }
  for (const note of outcome.notes) lines.push(`Note: ${note}.`);
  lines.push('');
  if (outcome.designChanges.length === 0) {
    lines.push(`${options.designFile} already names these files: no change.`);
  } else {
    lines.push(`${options.dryRun ? 'Would change' : 'Changes to'} ${options.designFile}:`);
    for (const c of outcome.designChanges) lines.push(`  certificate "${c.certificate}": ${c.field}: ${c.from ?? '(none)'} -> ${c.to}`);
  }
  return `${lines.join('\n')}\n`;
}
