/**
 * Where development certificates live, relative to their folders (pure names; the caller resolves them):
 *
 *   <public folder>/ (default `certs/` next to the design; safe to commit)
 *     <id>.pem                      the certificate, then each CA above it up to the root
 *     external.stand-in-ca.pem      the stand-in CA of `issuer: external` certificates, when there are any
 *   <private folder>/ (default `certs/private/`; mode 0700, files 0600, git-ignored by its own .gitignore)
 *     .gitignore                    "*": nothing in the folder is ever committed
 *     <id>.key.pem                  the private key (PKCS#8)
 *     <id>.pfx                      key + certificate + chain, no password, for Key Vault import
 *
 * Design ids have no dots, so no id's files can be mistaken for another's or for the stand-in CA's.
 */
import { dirname, join } from 'node:path';

export const DEFAULT_PUBLIC_FOLDER = 'certs';
/** The private folder's default place, inside the public folder. */
export const DEFAULT_PRIVATE_SUBFOLDER = 'private';
export const PRIVATE_GITIGNORE = '.gitignore';
/** The .gitignore of the private folder: everything in it, itself included. */
export const PRIVATE_GITIGNORE_CONTENT = '# Written by gatewright certs dev: private keys and PFX files are never committed.\n*\n';
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function publicFileName(id: string): string {
  return `${id}.pem`;
}

export function keyFileName(id: string): string {
  return `${id}.key.pem`;
}

export function pfxFileName(id: string): string {
  return `${id}.pfx`;
}

/** The public and private folders (absolute) for a design file: the given ones, else the defaults next to it. */
export function devFolders(request: { readonly designPath: string; readonly publicDir?: string; readonly privateDir?: string }): {
  publicDir: string;
  privateDir: string;
} {
  const publicDir = request.publicDir ?? join(dirname(request.designPath), DEFAULT_PUBLIC_FOLDER);
  return { publicDir, privateDir: request.privateDir ?? join(publicDir, DEFAULT_PRIVATE_SUBFOLDER) };
}
