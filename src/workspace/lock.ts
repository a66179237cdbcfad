/**
 * One run at a time per output folder: a lock file `.gatewright.lock` in the folder, created atomically with its
 * content (written to a temporary file, then hard-linked to the lock's name, which fails when the lock exists:
 * https://man7.org/linux/man-pages/man2/link.2.html). It names the process that holds it and, once known, the
 * sha256 of every file that run is about to write: when the process was killed, the next run finds the lock of a
 * process that no longer exists, takes it over, and knows which files on disk the killed run wrote (they are
 * Gatewright's, not edits by hand).
 */
import { hostname } from 'node:os';
import { link, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { codeOf, readRegularFile, WorkspaceRefusal, writeFileAtomic } from './fs.js';

export const LOCK_FILE = '.gatewright.lock';

const LockSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  started: z.string(),
  /** sha256 of each file the run is about to write, by path relative to the folder. */
  intent: z.record(z.string(), z.string()).optional(),
});
type LockContent = z.infer<typeof LockSchema>;

export interface HeldLock {
  readonly path: string;
  /** The intent of a killed run whose stale lock this run took over; undefined when the folder was free. */
  readonly interrupted?: { readonly pid: number; readonly intent: ReadonlyMap<string, string> };
  /** Records what this run is about to write (kept in the lock until it is released). */
  recordIntent(intent: ReadonlyMap<string, string>): Promise<void>;
  release(): Promise<void>;
}

/** Whether a process with this id exists on this machine (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === 'EPERM';
  }
}

/** Takes the lock of `dir` (which exists), or throws WorkspaceRefusal naming the run that holds it. */
export async function lockFolder(dir: string, now: () => Date = () => new Date()): Promise<HeldLock> {
  const path = join(dir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, host: hostname(), started: now().toISOString() };
  let interrupted: HeldLock['interrupted'];
  for (let attempt = 0; ; attempt++) {
    if (attempt > 20) throw new WorkspaceRefusal(`the lock ${path} keeps changing; is another Gatewright run writing to ${dir}?`);
    const created = await create(dir, path, content);
    if (created === 'created') break;
    if (created === 'retry') continue;
    const read = await readRegularFile(path, { maxBytes: 4 * 1024 * 1024 });
    if (!read.ok && read.kind === 'missing') continue;
    if (!read.ok) throw new WorkspaceRefusal(`the lock ${path} cannot be read: ${read.reason}; delete it if no Gatewright run is writing to ${dir}`);
    const held = parseLock(read.bytes.toString('utf8'));
    if (held && (held.host !== content.host || alive(held.pid))) {
      throw new WorkspaceRefusal(
        `another Gatewright run (process ${held.pid} on ${held.host}, since ${held.started}) is writing to ${dir}; wait for it to finish, or delete ${path} if that process is gone`,
      );
    }
    if (!held) throw new WorkspaceRefusal(`${path} is not a Gatewright lock; delete it if no Gatewright run is writing to ${dir}`);
    // The holder is gone (killed): take its lock over and remember what it was writing.
    interrupted = { pid: held.pid, intent: new Map(Object.entries(held.intent ?? {})) };
    await unlink(path).catch((e: unknown) => {
      if (codeOf(e) !== 'ENOENT') throw e;
    });
  }
  let released = false;
  return {
    path,
    ...(interrupted ? { interrupted } : {}),
    async recordIntent(intent) {
      // Renamed over the lock, which stays in place: nobody else can take it meanwhile.
      await writeFileAtomic(dir, path, `${JSON.stringify({ ...content, intent: Object.fromEntries(intent) })}\n`);
    },
    async release() {
      if (released) return;
      released = true;
      await unlink(path).catch(() => undefined);
    },
  };
}

async function create(dir: string, path: string, content: LockContent): Promise<'created' | 'exists' | 'retry'> {
  const temporary = join(dir, `.gatewright.lock.${process.pid}.${Math.random().toString(16).slice(2)}.gatewright-partial`);
  await writeFileAtomic(dir, temporary, `${JSON.stringify(content)}\n`);
  try {
    await link(temporary, path);
    return 'created';
  } catch (e) {
    if (codeOf(e) === 'EEXIST') return 'exists';
    // The lock holder removed leftovers of killed runs, this temporary file with them: try again.
    if (codeOf(e) === 'ENOENT') return 'retry';
    throw e;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
