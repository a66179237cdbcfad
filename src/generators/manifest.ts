/**
 * The generated-file manifest, `.gatewright-generated.json` in the output folder: the sha256 of every file as
 * Gatewright wrote it. A file whose content no longer has that hash was edited by hand since, and Generate asks
 * before overwriting it; so it does for a file Gatewright never wrote. Files that are no longer generated are
 * left alone. No I/O: the command line and the extension read the files and hand their hashes in.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { errorMessage } from '../model/error-message.js';

export const MANIFEST_FILE = '.gatewright-generated.json';

const ManifestSchema = z.object({
  generator: z.literal('gatewright'),
  version: z.literal(1),
  /** The design the files were generated from, relative to the output folder. */
  design: z.string().optional(),
  /** sha256 (hex) of each file as written, by path relative to the output folder (forward slashes). */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function emptyManifest(): Manifest {
  return { generator: 'gatewright', version: 1, files: {} };
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(typeof content === 'string' ? Buffer.from(content, 'utf8') : content).digest('hex');
}

/** Reads a manifest; a missing one is empty, an unreadable one is empty with the problem (every file then counts as foreign). */
export function parseManifest(text: string | undefined): { manifest: Manifest; problem?: string } {
  if (text === undefined) return { manifest: emptyManifest() };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { manifest: emptyManifest(), problem: `${MANIFEST_FILE} is not JSON (${errorMessage(e)})` };
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) return { manifest: emptyManifest(), problem: `${MANIFEST_FILE} is not a Gatewright manifest` };
  return { manifest: parsed.data };
}

/** Stable text: keys sorted, two-space indentation, final newline (so the manifest diffs well). */
export function serializeManifest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.keys(manifest.files).sort().map((k) => [k, manifest.files[k]!]));
  const out: Manifest = { generator: manifest.generator, version: manifest.version, ...(manifest.design !== undefined ? { design: manifest.design } : {}), files };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * What Generate does with each file:
 * - create: not on disk;
 * - unchanged: on disk with exactly the new content (not rewritten);
 * - update: on disk as Gatewright wrote it (hash as in the manifest): overwritten;
 * - edited: in the manifest but changed by hand since: overwritten only if the user agrees;
 * - foreign: on disk but not written by Gatewright (not in the manifest): overwritten only if the user agrees.
 */
export type Action = 'create' | 'unchanged' | 'update' | 'edited' | 'foreign';

export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  readonly hash: string;
  readonly action: Action;
}

export interface Plan {
  readonly files: readonly PlannedFile[];
  /** In the manifest, no longer generated, still on disk: left alone. */
  readonly stale: readonly string[];
}

/**
 * Plans a generation. `onDisk` holds the sha256 of each file that exists now, by relative path (for the
 * generated paths and the manifest's paths; a path missing from it does not exist).
 */
export function planGeneration(
  files: readonly { readonly path: string; readonly content: string }[],
  onDisk: ReadonlyMap<string, string>,
  manifest: Manifest,
): Plan {
  const generated = new Set<string>();
  const planned = files.map((f): PlannedFile => {
    generated.add(f.path);
    const hash = sha256(f.content);
    const current = onDisk.get(f.path);
    const written = Object.hasOwn(manifest.files, f.path) ? manifest.files[f.path] : undefined;
    let action: Action;
    if (current === undefined) action = 'create';
    else if (current === hash) action = 'unchanged';
    else if (written === undefined) action = 'foreign';
    else if (current === written) action = 'update';
    else action = 'edited';
    return { path: f.path, content: f.content, hash, action };
  });
  const stale = Object.keys(manifest.files)
    .filter((p) => !generated.has(p) && onDisk.has(p))
    .sort();
  return { files: planned, stale };
}

/** The files that need the user's consent before they are overwritten. */
export function needsConsent(plan: Plan): PlannedFile[] {
  return plan.files.filter((f) => f.action === 'edited' || f.action === 'foreign');
}

/**
 * The manifest after writing: every file now on disk as generated gets its new hash; a file the user chose to
 * keep keeps its old entry (so it still counts as edited next time) or none; stale files keep theirs (they are
 * still Gatewright's), unless they were deleted.
 */
export function nextManifest(previous: Manifest, plan: Plan, written: ReadonlySet<string>, design?: string): Manifest {
  // A Map, then fromEntries: keys are data, whatever they are called (no __proto__ surprises).
  const files = new Map<string, string>();
  for (const f of plan.files) {
    if (f.action === 'unchanged' || written.has(f.path)) files.set(f.path, f.hash);
    else if (Object.hasOwn(previous.files, f.path)) files.set(f.path, previous.files[f.path]!);
  }
  for (const p of plan.stale) files.set(p, previous.files[p]!);
  return { generator: 'gatewright', version: 1, ...(design !== undefined ? { design } : {}), files: Object.fromEntries(files) };
}
