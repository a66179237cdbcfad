/**
 * What making the development certificates would replace, from a dry run (src/workspace/dev-certificates.ts createDevCertificates
 * with dryRun): certificate files on disk that would be issued again, and design `file` fields that name another
 * file than the development PEM (the design would stop naming it). The command asks before either happens, with the
 * question built here. No vscode import.
 */
import type { DevCertificatesOutcome } from '../../workspace/dev-certificates.js';
import { changedInTheEditor, type AutoSave } from '../../model/saving.js';

type Made = Extract<DevCertificatesOutcome, { ok: true }>;

export interface Replacements {
  /** Existing certificate files that would be overwritten: the path as shown, the certificate id, and why. */
  readonly files: readonly { readonly id: string; readonly path: string; readonly why: string }[];
  /** Certificates whose `file` would change from another file to its development PEM. */
  readonly repointed: readonly { readonly id: string; readonly from: string; readonly to: string }[];
}

/**
 * `exists` tells whether an absolute path exists now; `show` turns an absolute path into what the user reads
 * (workspace-relative). Kept certificates ('reused') replace nothing, even when their file is written again.
 */
export function replacementsOf(preview: Made, exists: (path: string) => boolean, show: (path: string) => string): Replacements {
  const files = preview.certificates
    .filter((c) => c.action !== 'reused' && exists(c.publicFile))
    .map((c) => ({ id: c.id, path: show(c.publicFile), why: c.why }));
  const repointed = preview.designChanges
    .filter((c) => c.field === 'file' && c.from !== undefined)
    .map((c) => ({ id: c.certificate, from: c.from!, to: c.to }));
  return { files, repointed };
}

/** The modal question, or undefined when nothing would be replaced. */
export function replacementQuestion(r: Replacements, designName: string, autoSave: AutoSave = 'off'): { message: string; detail: string } | undefined {
  if (r.files.length === 0 && r.repointed.length === 0) return undefined;
  const list = <T>(items: readonly T[], line: (item: T) => string) =>
    items.slice(0, 10).map((i) => `  ${line(i)}`).join('\n') + (items.length > 10 ? `\n  ... and ${items.length - 10} more` : '');
  const parts: string[] = [];
  if (r.files.length > 0) {
    parts.push(`Issued again, replacing the file:\n${list(r.files, (f) => `${f.path} (${f.why})`)}`);
  }
  if (r.repointed.length > 0) {
    parts.push(`The design stops naming these files (they stay on disk):\n${list(r.repointed, (c) => `certificate "${c.id}": ${c.from} -> ${c.to}`)}`);
  }
  parts.push(`Existing private keys are kept. ${changedInTheEditor(autoSave)}`);
  const n = r.files.length + r.repointed.length;
  return {
    message: `Creating the development certificates of ${designName} replaces ${n} existing certificate file${n === 1 ? '' : 's'}. Replace ${n === 1 ? 'it' : 'them'}?`,
    detail: parts.join('\n\n'),
  };
}
