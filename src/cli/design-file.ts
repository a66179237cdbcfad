/**
 * Reading the design FILE a command names (relative to the working folder), as certs and rehearse do: when it
 * cannot be read, "gatewright: cannot read FILE: why" goes to stderr and the command exits with EXIT_USAGE.
 */
import { resolve } from 'node:path';
import { readDesign } from '../workspace/design-file.js';
import { PROGRAM } from './version.js';

export interface DesignFile {
  /** The absolute path. */
  readonly path: string;
  readonly text: string;
}

/** The design's path and text; undefined once the reason it cannot be read was written to `io.err`. */
export async function readDesignFile(io: { readonly cwd: string; err(text: string): void }, file: string): Promise<DesignFile | undefined> {
  const path = resolve(io.cwd, file);
  const read = await readDesign(path);
  if (read.ok) return { path, text: read.text };
  io.err(`${PROGRAM}: cannot read ${file}: ${read.reason}\n`);
  return undefined;
}
