/**
 * Reads the certificate files a design names, for the validator (DesignIndex.files). Used by the command line and
 * the extension. A `file` is relative to the workspace root when one is given (the extension passes the workspace
 * folder), otherwise to the folder of the design file (the command line). Absolute paths, paths that leave the root
 * (also through a symbolic link), anything but a regular file and files over MAX_CERTIFICATE_FILE_BYTES are refused
 * as 'unreadable' with the reason; the file is opened once and judged by its handle (fs.ts). Never throws.
 */
import { realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Design } from '../schemas/design.js';
import { certificateFilesOf } from '../validation/analyze.js';
import type { CertificateFile } from '../model/design-index.js';
import { workspacePathProblem } from '../x509/files.js';
import { describeError, isInside, readRegularFile } from './fs.js';

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

/**
 * Reads one certificate file named relative to `root` (absolute), as readCertificateFiles does: confined to the
 * root also through links, opened once, a regular file of at most MAX_CERTIFICATE_FILE_BYTES. Never throws.
 */
export async function readCertificateFile(root: string, path: string, rootName = 'the folder of the design file'): Promise<CertificateFile> {
  const top = resolve(root);
  return readOne(path, top, await realpath(top).catch(() => top), rootName);
}

async function readOne(path: string, root: string, realRoot: string, rootName: string): Promise<CertificateFile> {
  try {
    const problem = workspacePathProblem(path);
    if (problem) return unreadable(`the path ${problem}`);
    const full = resolve(root, path);
    if (!isInside(root, full) || full === root) return unreadable(`the path leaves ${rootName}`);

    let real: string;
    try {
      real = await realpath(full);
    } catch (e) {
      return unreadable(describeError(e, full));
    }
    if (!isInside(realRoot, real) || real === realRoot) return unreadable(`the path leads (through a symbolic link) outside ${rootName}`);

    // Opened once, judged by its handle: a FIFO, a device or a file swapped after the checks above is refused, never read.
    const read = await readRegularFile(real, { maxBytes: MAX_CERTIFICATE_FILE_BYTES });
    if (read.ok) return { status: 'read', content: read.bytes.toString('utf8') };
    if (read.kind === 'too-large') return unreadable(`it is more than the ${MAX_CERTIFICATE_FILE_BYTES} bytes a certificate file may have`);
    if (read.kind === 'not-file') return unreadable(read.reason.replace(real, full));
    return unreadable(read.reason);
  } catch (e) {
    return unreadable(describeError(e, path));
  }
}

function unreadable(reason: string): CertificateFile {
  return { status: 'unreadable', reason };
}
