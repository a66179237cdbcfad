/**
 * Reading the design FILE a command names (relative to the working folder), as certs and rehearse do: when it
 * cannot be read, "gatewright: cannot read FILE: why" goes to stderr and the command exits with EXIT_USAGE.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PROGRAM } from './version.js';

export interface DesignFile {
  /** The absolute path. */
  readonly path: string;
  readonly text: string;
}

/** The design's path and text; undefined once the reason it cannot be read was written to `io.err`. */
export async function readDesignFile(io: { readonly cwd: string; err(text: string): void }, file: string): Promise<DesignFile | undefined> {
  const path = resolve(io.cwd, file);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`${PROGRAM}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}\n`);
    return undefined;
  }
}
