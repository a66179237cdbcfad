/**
 * The development PFX files `gatewright certs dev` wrote for a design: `<id>.pfx` in the private folder (default
 * `certs/private/` next to the design, as certs dev uses it), read for the Key Vault import of `gatewright deploy`
 * (the extension reads them the same way). A certificate without a file is simply absent; the bytes are handed to
 * src/deploy as they are and never printed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { devFolders, pfxFileName } from '../pki/layout.js';
import type { Design } from '../schemas/design.js';

export interface DevPfxFiles {
  /** The private folder that was read (absolute). */
  readonly privateDir: string;
  /** By certificate id: the PFX bytes. */
  readonly pfx: ReadonlyMap<string, Uint8Array>;
}

/** Reads `<privateDir>/<id>.pfx` for every certificate of the design that is not a CA; throws what the file system throws but ENOENT. */
export async function readDevPfxFiles(designPath: string, design: Design, privateDir?: string): Promise<DevPfxFiles> {
  const folder = devFolders({ designPath, ...(privateDir !== undefined ? { privateDir } : {}) }).privateDir;
  const pfx = new Map<string, Uint8Array>();
  for (const certificate of design.certificates) {
    if (certificate.role === 'ca') continue;
    try {
      pfx.set(certificate.id, new Uint8Array(await readFile(join(folder, pfxFileName(certificate.id)))));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return { privateDir: folder, pfx };
}
