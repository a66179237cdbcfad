/**
 * Writing what a design generates into an output folder, for `gatewright generate`, `gatewright deploy` and the
 * extension's Generate. The manifest `.gatewright-generated.json` in the folder records the sha256 of every file as
 * Gatewright wrote it, so a file edited by hand since (or never written by Gatewright) is overwritten only with
 * the caller's consent: the command line answers from --force, the extension asks in a dialog.
 *
 * Nothing is written outside the root or through a symbolic link; a FIFO, device or folder where a file goes is
 * refused without being opened for long (fs.ts). One run at a time holds the folder's lock (lock.ts). Each file
 * is written atomically, the manifest last: a run that is killed leaves every file either as it was or complete,
 * and the next run recognises the files the killed run wrote from the intent in its lock, so they do not count as
 * edited by hand.
 */
import { dirname, join, relative, sep } from 'node:path';
import type { GeneratedFile } from '../generators/generate.js';
import { MANIFEST_FILE, needsConsent, nextManifest, parseManifest, planGeneration, serializeManifest, sha256, type Manifest, type Plan, type PlannedFile } from '../generators/manifest.js';
import { confine } from './confine.js';
import { ensureFolder, readRegularFile, refuseLinksBetween, removePartials, WorkspaceRefusal, writeFileAtomic } from './fs.js';
import { lockFolder } from './lock.js';
import { errorFirstLine } from '../model/error-message.js';

export { WorkspaceRefusal };

/** A generated file is at most this large; anything larger on disk is not one Gatewright wrote. */
export const MAX_GENERATED_FILE_BYTES = 64 * 1024 * 1024;

/** What to do with the files that need consent: overwrite them, keep them (write every other file), or write nothing. */
export type GenerateConsent = 'overwrite' | 'keep' | 'cancel';

export interface WriteGeneratedRequest {
  /** Nothing is written outside this folder (absolute): the output folder itself, or the workspace folder. */
  readonly root: string;
  /** The output folder (absolute), inside `root`. */
  readonly outDir: string;
  readonly files: readonly GeneratedFile[];
  /** The design file (absolute), recorded in the manifest relative to the output folder. */
  readonly designPath: string;
  /** Asked only when some files were edited by hand or not written by Gatewright. */
  readonly consent: (files: readonly PlannedFile[]) => GenerateConsent | Promise<GenerateConsent>;
  /** The clock of the lock's timestamp. */
  readonly now?: () => Date;
}

export interface WriteGeneratedOutcome {
  /** 'cancelled': the consent was refused and nothing was written. */
  readonly status: 'done' | 'cancelled';
  readonly plan: Plan;
  /** Relative paths written. */
  readonly written: ReadonlySet<string>;
  /** Files that need consent: kept as they are ('keep'), or all of them when cancelled. */
  readonly kept: readonly PlannedFile[];
  readonly unchanged: readonly string[];
  /** `path: why` of files that could not be written. */
  readonly failed: readonly string[];
  /** Why the manifest was ignored (every existing file then counts as not written by Gatewright). */
  readonly manifestProblem?: string;
  /** A run that was killed while writing into the folder: its process id and the files it had written. */
  readonly interrupted?: { readonly pid: number; readonly recovered: readonly string[] };
}

/** Throws WorkspaceRefusal for a folder or file it will not write (a link, a FIFO, a path outside the root). */
export async function writeGenerated(request: WriteGeneratedRequest): Promise<WriteGeneratedOutcome> {
  const { root, outDir } = request;
  await ensureFolder(root, outDir);
  const targets = new Map<string, string>();
  for (const f of request.files) {
    const c = confine(outDir, f.path);
    if (!c.ok || c.path === outDir) throw new WorkspaceRefusal(`the generated file ${JSON.stringify(f.path)} would be written outside ${outDir}`);
    targets.set(f.path, c.path);
  }
  const lock = await lockFolder(outDir, request.now);
  let outcome: WriteGeneratedOutcome | undefined;
  try {
    outcome = await underLock(request, targets, lock);
    return outcome;
  } finally {
    // A run that could not write everything keeps what it meant to write for the next run.
    if (outcome !== undefined && outcome.failed.length === 0) await lock.release(outcome.status === 'done');
    else await lock.abandon();
  }
}

async function underLock(
  request: WriteGeneratedRequest,
  targets: ReadonlyMap<string, string>,
  lock: Awaited<ReturnType<typeof lockFolder>>,
): Promise<WriteGeneratedOutcome> {
  const { outDir } = request;
  for (const dir of new Set([outDir, ...[...targets.values()].map((t) => dirname(t))])) {
    await refuseLinksBetween(outDir, dir);
    await removePartials(dir);
  }

  const manifestPath = join(outDir, MANIFEST_FILE);
  const manifestRead = await readRegularFile(manifestPath, { maxBytes: MAX_GENERATED_FILE_BYTES });
  if (!manifestRead.ok && manifestRead.kind !== 'missing') throw new WorkspaceRefusal(`the manifest cannot be read: ${manifestRead.reason}`);
  const { manifest: saved, problem } = parseManifest(manifestRead.ok ? manifestRead.bytes.toString('utf8') : undefined);

  const onDisk = new Map<string, string>();
  for (const [path, target] of targets) {
    const hash = await hashOf(target);
    if (hash.refusal) throw new WorkspaceRefusal(hash.refusal);
    if (hash.hash !== undefined) onDisk.set(path, hash.hash);
  }
  for (const path of Object.keys(saved.files)) {
    if (targets.has(path)) continue;
    const c = confine(outDir, path);
    if (!c.ok) continue;
    // A file no longer generated is only listed as stale: a link or FIFO there is left alone, not followed.
    const linked = await refuseLinksBetween(outDir, dirname(c.path)).then(
      () => false,
      () => true,
    );
    const hash = linked ? { hash: 'not a regular file' } : await hashOf(c.path);
    if (hash.hash !== undefined || hash.refusal !== undefined) onDisk.set(path, hash.hash ?? 'not a regular file');
  }

  // The files a killed run wrote (its intent matches what is on disk) are Gatewright's, not edits by hand.
  const recovered: string[] = [];
  let manifest: Manifest = saved;
  if (lock.interrupted) {
    const files = new Map(Object.entries(saved.files));
    for (const [path, hash] of lock.interrupted.intent) {
      if (onDisk.get(path) === hash && files.get(path) !== hash) {
        files.set(path, hash);
        recovered.push(path);
      }
    }
    manifest = { ...saved, files: Object.fromEntries(files) };
  }

  const plan = planGeneration(request.files, onDisk, manifest);
  const unchanged = plan.files.filter((f) => f.action === 'unchanged').map((f) => f.path);
  const base = {
    plan,
    unchanged,
    ...(problem !== undefined ? { manifestProblem: problem } : {}),
    ...(lock.interrupted ? { interrupted: { pid: lock.interrupted.pid, recovered } } : {}),
  };

  const consentNeeded = needsConsent(plan);
  let answer: GenerateConsent = 'overwrite';
  if (consentNeeded.length > 0) answer = await request.consent(consentNeeded);
  if (answer === 'cancel') return { ...base, status: 'cancelled', written: new Set(), kept: consentNeeded, failed: [] };

  const kept = plan.files.filter((f) => (f.action === 'edited' || f.action === 'foreign') && answer === 'keep');
  const toWrite = plan.files.filter((f) => f.action !== 'unchanged' && !kept.includes(f));
  await lock.recordIntent(new Map(toWrite.map((f) => [f.path, f.hash])));
  const written = new Set<string>();
  const failed: string[] = [];
  for (const f of toWrite) {
    try {
      await writeFileAtomic(outDir, targets.get(f.path)!, f.content);
      written.add(f.path);
    } catch (e) {
      if (e instanceof WorkspaceRefusal) throw e;
      failed.push(`${f.path}: ${errorFirstLine(e)}`);
    }
  }
  // Last: the manifest says what is on disk now.
  const designPath = relative(outDir, request.designPath).split(sep).join('/');
  await writeFileAtomic(outDir, manifestPath, serializeManifest(nextManifest(manifest, plan, written, designPath)));
  return { ...base, status: 'done', written, kept, failed };
}

/** The sha256 of what is at `path`: undefined when nothing is; a marker that matches nothing for a file too large; a refusal for a link or a special file. */
async function hashOf(path: string): Promise<{ hash?: string; refusal?: string }> {
  const read = await readRegularFile(path, { maxBytes: MAX_GENERATED_FILE_BYTES });
  if (read.ok) return { hash: sha256(read.bytes) };
  switch (read.kind) {
    case 'missing':
      return {};
    case 'too-large':
      return { hash: 'larger than any generated file' };
    case 'link':
      return { refusal: `${read.reason}; delete the link and run again` };
    case 'not-file':
      return { refusal: `${read.reason}; Gatewright does not replace it` };
    case 'error':
      return { refusal: read.reason };
  }
}
