/**
 * The file system primitives every read and write of the workspace layer goes through.
 *
 * Reading opens a file once and judges the open handle (fstat), never the path before opening it: a FIFO, a
 * device (`/dev/zero`), a folder or a file over the size bound is refused from the handle, so a file swapped
 * between a check and the open cannot hang or flood the process. O_NONBLOCK makes opening a FIFO return at once
 * instead of waiting for a writer (https://man7.org/linux/man-pages/man7/fifo.7.html); O_NOFOLLOW refuses a
 * symbolic link as the last part of the path (https://man7.org/linux/man-pages/man2/open.2.html).
 *
 * Writing never goes through a symbolic link: every folder below the root is checked with lstat as it is made,
 * the file is written to a new temporary file beside its target (O_CREAT | O_EXCL | O_NOFOLLOW), flushed, and
 * renamed over the target, which replaces the target as a whole (https://man7.org/linux/man-pages/man2/rename.2.html):
 * an interrupted or failed write (a full disk) leaves the old file or none, never a part of the new one.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorFirstLine } from '../model/error-message.js';

/** A request the file system's state does not allow (a link, a FIFO, a path outside the root): said to the user as it is. */
export class WorkspaceRefusal extends Error {}

/** Temporary files of atomic writes end in this; a run that finds one (left by a killed run) removes it. */
export const PARTIAL_SUFFIX = '.gatewright-partial';

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly kind: 'missing' | 'link' | 'not-file' | 'too-large' | 'error'; readonly reason: string };

export interface ReadOptions {
  /** At most this many bytes; a larger file is refused without being read. */
  readonly maxBytes: number;
  /** Follow a symbolic link at the end of the path (the design file the user names); refused by default. */
  readonly followLinks?: boolean;
}

/** Reads a regular file of at most `maxBytes` through one handle. Never throws. */
export async function readRegularFile(path: string, options: ReadOptions): Promise<ReadResult> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (e) {
    const code = codeOf(e);
    if (code === 'ELOOP' && !options.followLinks && (await isLink(path))) {
      return { ok: false, kind: 'link', reason: `${path} is a symbolic link (to ${await linkTarget(path)}); Gatewright does not read through links here` };
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, kind: 'missing', reason: `no such file (looked for ${path})` };
    return { ok: false, kind: 'error', reason: describeError(e, path) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, kind: 'not-file', reason: `${path} is ${kindOf(info)}, not a regular file` };
    if (info.size > options.maxBytes) {
      return { ok: false, kind: 'too-large', reason: `${path} is ${info.size} bytes, more than the ${options.maxBytes} bytes allowed` };
    }
    // One byte more than allowed, to notice a file that grows while it is read.
    const buffer = Buffer.alloc(Math.min(options.maxBytes, info.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > options.maxBytes) return { ok: false, kind: 'too-large', reason: `${path} grew past the ${options.maxBytes} bytes allowed while it was read` };
    if (length > info.size) return { ok: false, kind: 'error', reason: `${path} grew while it was read; read it again` };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (e) {
    return { ok: false, kind: 'error', reason: describeError(e, path) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** True when `full` is `root` itself or lies below it (both absolute and normalized). */
export function isInside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * Makes `dir` and every missing folder between `root` and it, refusing a symbolic link or a non-folder on the way
 * (the root itself may be anything that leads to a folder). Throws WorkspaceRefusal.
 */
export async function ensureFolder(root: string, dir: string, mode?: number): Promise<void> {
  const top = resolve(root);
  const full = resolve(dir);
  if (!isInside(top, full)) throw new WorkspaceRefusal(`${full} is outside ${top}`);
  await mkdir(top, { recursive: true });
  let current = top;
  for (const part of relative(top, full).split(sep).filter(Boolean)) {
    current = join(current, part);
    const info = await lstat(current).catch((e: unknown) => {
      if (codeOf(e) === 'ENOENT') return undefined;
      throw e;
    });
    if (info === undefined) {
      try {
        await mkdir(current, mode === undefined ? {} : { mode });
      } catch (e) {
        if (codeOf(e) !== 'EEXIST') throw e;
      }
      const made = await lstat(current);
      if (!made.isDirectory()) throw new WorkspaceRefusal(`${current} appeared as ${kindOf(made)} while its folder was made; Gatewright does not write through it`);
    } else if (info.isSymbolicLink()) {
      throw new WorkspaceRefusal(`${current} is a symbolic link (to ${await linkTarget(current)}); Gatewright does not write through links: replace it with a folder`);
    } else if (!info.isDirectory()) {
      throw new WorkspaceRefusal(`${current} is ${kindOf(info)}, not a folder`);
    }
  }
}

export interface WriteOptions {
  /** The file's mode from its first byte (0o600 for private keys). */
  readonly mode?: number;
}

/**
 * Writes `content` to `path` (inside `root`) atomically and never through a link: the folders are made without
 * following links, a link, FIFO, device or folder at `path` is refused, and the content goes to a temporary file
 * beside it that is then renamed over it. Throws WorkspaceRefusal, or what the file system throws (ENOSPC ...)
 * after removing the temporary file.
 */
export async function writeFileAtomic(root: string, path: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const full = resolve(path);
  const dir = dirname(full);
  await ensureFolder(root, dir);
  await refuseSpecialTarget(full);
  const temporary = join(dir, `.${basename(full)}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`);
  const mode = options.mode ?? 0o666;
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    try {
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    // The folder may have been swapped for a link meanwhile: the temporary file must still be inside the root.
    const realRoot = await realpath(resolve(root));
    const realDir = await realpath(dir);
    if (!isInside(realRoot, realDir)) throw new WorkspaceRefusal(`${dir} now leads outside ${root}; nothing was written there`);
    await refuseSpecialTarget(full);
    await rename(temporary, full);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
  await syncFolder(dir);
}

/** Removes temporary files of atomic writes (`.NAME.XXXX.gatewright-partial`) a killed run left in `dir`. */
export async function removePartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('.') || !name.endsWith(PARTIAL_SUFFIX)) continue;
    // unlink removes a link itself, never its target.
    await unlink(join(dir, name)).then(
      () => removed.push(join(dir, name)),
      () => undefined,
    );
  }
  return removed;
}

async function refuseSpecialTarget(full: string): Promise<void> {
  const info = await lstat(full).catch((e: unknown) => {
    if (codeOf(e) === 'ENOENT') return undefined;
    throw e;
  });
  if (info === undefined || info.isFile()) return;
  if (info.isSymbolicLink()) {
    throw new WorkspaceRefusal(`${full} is a symbolic link (to ${await linkTarget(full)}); Gatewright does not write through links: delete it and run again`);
  }
  throw new WorkspaceRefusal(`${full} is ${kindOf(info)}, not a regular file; Gatewright does not replace it`);
}

async function syncFolder(dir: string): Promise<void> {
  // The rename is durable once the folder is flushed; a file system that cannot flush a folder is not an error.
  const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

async function isLink(path: string): Promise<boolean> {
  return lstat(path).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
}

async function linkTarget(path: string): Promise<string> {
  return readlink(path).catch(() => '?');
}

export function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export function describeError(e: unknown, full: string): string {
  switch (codeOf(e)) {
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
    case 'ENOSPC':
      return `no space left on the device (${full})`;
    default:
      return errorFirstLine(e);
  }
}

/**
 * Refuses a symbolic link, or anything but a folder, among the existing folders between `root` and `dir` (a
 * missing part is fine: it will be made by ensureFolder). Throws WorkspaceRefusal.
 */
export async function refuseLinksBetween(root: string, dir: string): Promise<void> {
  const top = resolve(root);
  const full = resolve(dir);
  if (!isInside(top, full)) throw new WorkspaceRefusal(`${full} is outside ${top}`);
  let current = top;
  for (const part of relative(top, full).split(sep).filter(Boolean)) {
    current = join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) return;
    if (info.isSymbolicLink()) {
      throw new WorkspaceRefusal(`${current} is a symbolic link (to ${await linkTarget(current)}); Gatewright does not write through links: replace it with a folder`);
    }
    if (!info.isDirectory()) throw new WorkspaceRefusal(`${current} is ${kindOf(info)}, not a folder`);
  }
}

/** Sets the mode of a regular file or a folder through a handle opened without following a link. Throws WorkspaceRefusal for a link. */
export async function chmodNoFollow(path: string, mode: number): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (codeOf(e) === 'ELOOP') throw new WorkspaceRefusal(`${path} is a symbolic link (to ${await linkTarget(path)}); Gatewright does not change files through links`);
    throw e;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() && !info.isDirectory()) throw new WorkspaceRefusal(`${path} is ${kindOf(info)}, not a regular file`);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}
