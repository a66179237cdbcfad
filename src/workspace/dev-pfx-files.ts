/**
 * The development PFX files `gatewright certs dev` wrote for a design: `<id>.pfx` in the private folder (default
 * `certs/private/` next to the design, as certs dev uses it), read for the Key Vault import of `gatewright deploy`
 * (the extension reads them the same way). A certificate without a file is simply absent; the bytes are handed to
 * src/deploy as they are and never printed.
 */
import { join } from 'node:path';
import { devFolders, pfxFileName } from '../pki/layout.js';
import type { Design } from '../schemas/design.js';
import { readRegularFile, WorkspaceRefusal } from './fs.js';

/** A PFX of a certificate, its chain and its key is a few kilobytes; anything this large is not one. */
export const MAX_PFX_FILE_BYTES = 1024 * 1024;

export interface DevPfxFiles {
  /** The private folder that was read (absolute). */
  readonly privateDir: string;
  /** By certificate id: the PFX bytes. */
  readonly pfx: ReadonlyMap<string, Uint8Array>;
}

/** Reads `<privateDir>/<id>.pfx` for every certificate of the design that is not a CA; throws WorkspaceRefusal for a file that is a link, a FIFO, a device or too large. */
export async function readDevPfxFiles(designPath: string, design: Design, privateDir?: string): Promise<DevPfxFiles> {
  const folder = devFolders({ designPath, ...(privateDir !== undefined ? { privateDir } : {}) }).privateDir;
  const pfx = new Map<string, Uint8Array>();
  for (const certificate of design.certificates) {
    if (certificate.role === 'ca') continue;
    const read = await readRegularFile(join(folder, pfxFileName(certificate.id)), { maxBytes: MAX_PFX_FILE_BYTES });
    if (read.ok) pfx.set(certificate.id, new Uint8Array(read.bytes));
    else if (read.kind !== 'missing') throw new WorkspaceRefusal(read.reason);
  }
  return { privateDir: folder, pfx };
}
