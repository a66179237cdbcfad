/**
 * Design files: the one suffix that marks them, and reading one from disk for the command line and the extension
 * (the extension reads the editor's text when the design is open, this file otherwise).
 */
import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readRegularFile, writeFileAtomic } from './fs.js';

/** A design is a YAML file whose name ends in this. */
export const DESIGN_SUFFIX = '.gatewright.yaml';

export type DesignRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** A design of thousands of nodes is a few megabytes; a larger file is not read. */
export const MAX_DESIGN_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The text of the design file at `path` (absolute), or why it cannot be read: opened once (a link the user made to
 * their design is followed), and only a regular file of at most MAX_DESIGN_FILE_BYTES is read, so a FIFO or
 * `/dev/zero` named as the design is refused at once. Never throws.
 */
export async function readDesign(path: string): Promise<DesignRead> {
  const read = await readRegularFile(path, { maxBytes: MAX_DESIGN_FILE_BYTES, followLinks: true });
  if (read.ok) return { ok: true, text: read.bytes.toString('utf8') };
  if (read.kind === 'missing') return { ok: false, reason: 'no such file' };
  if (read.kind === 'too-large') return { ok: false, reason: `it is larger than the ${MAX_DESIGN_FILE_BYTES} bytes a design file may have` };
  if (read.kind === 'not-file') return { ok: false, reason: read.reason.includes('a folder') ? 'it is a directory' : read.reason.replace(`${path} is `, 'it is ') };
  return { ok: false, reason: read.reason.replace(/ \(.*\)$/, '') };
}

/**
 * Replaces the design file at `path` with `text` atomically (a new file beside it, renamed over it), so that an
 * interrupted write leaves the old design whole. A link the user made to their design is followed to the file it
 * names, and the file keeps its mode.
 */
export async function replaceDesign(path: string, text: string): Promise<void> {
  const real = await realpath(path);
  const info = await stat(real);
  await writeFileAtomic(dirname(real), real, text, { mode: info.mode & 0o7777 });
}
