/**
 * Design files: the one suffix that marks them, and reading one from disk for the command line and the extension
 * (the extension reads the editor's text when the design is open, this file otherwise).
 */
import { readFile } from 'node:fs/promises';

/** A design is a YAML file whose name ends in this. */
export const DESIGN_SUFFIX = '.gatewright.yaml';

export type DesignRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** The text of the design file at `path` (absolute), or why it cannot be read. Never throws. */
export async function readDesign(path: string): Promise<DesignRead> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { ok: false, reason };
  }
}
