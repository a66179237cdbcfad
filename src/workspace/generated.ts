/**
 * Writing what a design generates into an output folder, for `gatewright generate`, `gatewright deploy` and the
 * extension's Generate. The manifest `.gatewright-generated.json` in the folder records the sha256 of every file as
 * Gatewright wrote it, so a file edited by hand since (or never written by Gatewright) is overwritten only with
 * the caller's consent: the command line answers from --force, the extension asks in a dialog.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import type { GeneratedFile } from '../generators/generate.js';
import { MANIFEST_FILE, needsConsent, nextManifest, parseManifest, planGeneration, serializeManifest, sha256, type Plan, type PlannedFile } from '../generators/manifest.js';
import { confineReal } from './confine.js';

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
}

/** A generation the file system does not allow as asked (a path outside the root, ...): said to the user as it is. */
export class WorkspaceRefusal extends Error {}

export async function writeGenerated(request: WriteGeneratedRequest): Promise<WriteGeneratedOutcome> {
  const { root, outDir } = request;
  await mkdir(outDir, { recursive: true });
  const targets = new Map<string, string>();
  for (const f of request.files) targets.set(f.path, await confined(root, f.path, outDir));
  const manifestPath = await confined(root, MANIFEST_FILE, outDir);
  const { manifest, problem } = parseManifest(await readText(manifestPath));
  const onDisk = new Map<string, string>();
  for (const path of new Set([...targets.keys(), ...Object.keys(manifest.files)])) {
    const target = targets.get(path) ?? (await confineReal(root, path, outDir).then((c) => (c.ok ? c.path : undefined)));
    if (target === undefined) continue;
    const hash = await hashOf(target);
    if (hash !== undefined) onDisk.set(path, hash);
  }
  const plan = planGeneration(request.files, onDisk, manifest);
  const unchanged = plan.files.filter((f) => f.action === 'unchanged').map((f) => f.path);
  const base = { plan, unchanged, ...(problem !== undefined ? { manifestProblem: problem } : {}) };

  const consentNeeded = needsConsent(plan);
  let answer: GenerateConsent = 'overwrite';
  if (consentNeeded.length > 0) answer = await request.consent(consentNeeded);
  if (answer === 'cancel') return { ...base, status: 'cancelled', written: new Set(), kept: consentNeeded, failed: [] };

  const written = new Set<string>();
  const kept: PlannedFile[] = [];
  const failed: string[] = [];
  for (const f of plan.files) {
    if (f.action === 'unchanged') continue;
    if ((f.action === 'edited' || f.action === 'foreign') && answer === 'keep') {
      kept.push(f);
      continue;
    }
    const target = targets.get(f.path)!;
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, 'utf8');
      written.add(f.path);
    } catch (e) {
      failed.push(`${f.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const designPath = relative(outDir, request.designPath).split(sep).join('/');
  await mkdir(dirname(manifestPath), { recursive: true });
  await writeFile(manifestPath, serializeManifest(nextManifest(manifest, plan, written, designPath)), 'utf8');
  return { ...base, status: 'done', written, kept, failed };
}

async function confined(root: string, path: string, base: string): Promise<string> {
  const c = await confineReal(root, path, base);
  if (!c.ok) throw new WorkspaceRefusal(`the generated file ${path} would be written outside ${root}: ${c.reason}`);
  return c.path;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** The sha256 of a file's bytes; undefined when it does not exist; a marker that matches nothing for a folder. */
async function hashOf(path: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path));
  } catch (e) {
    if (isMissing(e)) return undefined;
    if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'EISDIR') return 'folder';
    throw e;
  }
}

function isMissing(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
