/**
 * Reads the certificate files a design names, for the validator (RuleContext.files). Used by the command line and
 * the extension. A `file` is relative to the workspace root when one is given (the extension passes the workspace
 * folder), otherwise to the folder of the design file (the command line). Absolute paths, paths that leave the root
 * (also through a symbolic link), anything but a regular file and files over MAX_CERTIFICATE_FILE_BYTES are refused
 * as 'unreadable' with the reason. Never throws.
 */
import { open, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Design } from '../schemas/design.js';
import { certificateFilesOf } from '../validation/analyze.js';
import type { CertificateFile } from '../validation/context.js';
import { workspacePathProblem } from '../validation/x509/files.js';

export type { CertificateFile };

/** A PEM certificate with its chain is a few kilobytes; anything this large is not one. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

export async function readCertificateFiles(designPath: string, design: Design, workspaceRoot?: string): Promise<Map<string, CertificateFile>> {
  const files = new Map<string, CertificateFile>();
  const paths = certificateFilesOf(design);
  if (paths.length === 0) return files;
  const root = resolve(workspaceRoot ?? dirname(resolve(designPath)));
  const realRoot = await realpath(root).catch(() => root);
  const rootName = workspaceRoot === undefined ? 'the folder of the design file' : 'the workspace';
  await Promise.all(
    paths.map(async (path) => {
      files.set(path, await readOne(path, root, realRoot, rootName));
    }),
  );
  // Map order: as the design lists them (sorted by certificateFilesOf), not as the reads finished.
  return new Map(paths.map((p) => [p, files.get(p)!]));
}

async function readOne(path: string, root: string, realRoot: string, rootName: string): Promise<CertificateFile> {
  try {
    const problem = workspacePathProblem(path);
    if (problem) return unreadable(`the path ${problem}`);
    const full = resolve(root, path);
    if (!inside(root, full)) return unreadable(`the path leaves ${rootName}`);

    let real: string;
    try {
      real = await realpath(full);
    } catch (e) {
      return unreadable(describeError(e, full));
    }
    if (!inside(realRoot, real)) return unreadable(`the path leads (through a symbolic link) outside ${rootName}`);

    // stat before open: opening a FIFO or a device could block or read forever.
    const info = await stat(real);
    if (!info.isFile()) return unreadable(`${full} is not a regular file`);
    if (info.size > MAX_CERTIFICATE_FILE_BYTES) {
      return unreadable(`it is ${info.size} bytes, more than the ${MAX_CERTIFICATE_FILE_BYTES} bytes a certificate file may have`);
    }
    const handle = await open(real, 'r');
    try {
      // One byte more than stat said, to notice a file that grows meanwhile.
      const buffer = Buffer.alloc(info.size + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > info.size) return unreadable('it grew while it was being read; read it again');
      return { status: 'read', content: buffer.subarray(0, length).toString('utf8') };
    } finally {
      await handle.close();
    }
  } catch (e) {
    return unreadable(describeError(e, path));
  }
}

function inside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

function unreadable(reason: string): CertificateFile {
  return { status: 'unreadable', reason };
}

function describeError(e: unknown, full: string): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
  switch (code) {
    case 'ENOENT':
      return `no such file (looked for ${full})`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${full})`;
    case 'EISDIR':
      return `${full} is a folder, not a file`;
    case 'ENOTDIR':
      return `a part of the path is not a folder (${full})`;
    case 'ELOOP':
      return `too many symbolic links (${full})`;
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
