/**
 * One run at a time per output folder: a lock file `.gatewright.lock` in the folder, created atomically with its
 * content (written to a temporary file, then hard-linked to the lock's name, which fails when the lock exists:
 * https://man7.org/linux/man-pages/man2/link.2.html). It names the process that holds it and, once known, the
 * sha256 of every file that run is about to write: when the process was killed, the next run finds the lock of a
 * process that no longer exists, takes it over, and knows which files on disk the killed run wrote (they are
 * Gatewright's, not edits by hand).
 */
import { hostname } from 'node:os';
import { link, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { codeOf, readRegularFile, WorkspaceRefusal, writeFileAtomic } from './fs.js';

export const LOCK_FILE = '.gatewright.lock';
/** A run that failed part-way (a full disk) renames its lock to this, which needs no space, for the next run to read. */
export const INTERRUPTED_FILE = '.gatewright.interrupted';

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
  /** Frees the folder; after a run that wrote what it meant to (`finished`), the record of an interrupted run goes too. */
  release(finished: boolean): Promise<void>;
  /** Frees the folder after a run that failed part-way, keeping its intent for the next run. */
  abandon(): Promise<void>;
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
  let interrupted: HeldLock['interrupted'];
  const path = join(dir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, host: hostname(), started: now().toISOString() };
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
    // The holder is gone (killed): keep what it was writing for this run (and, if this one writes nothing, the
    // next), then take the lock.
    const record = join(dir, INTERRUPTED_FILE);
    const hasRecord = await readRegularFile(record, { maxBytes: 4 * 1024 * 1024 }).then((r) => r.ok);
    await (hasRecord ? unlink(path) : rename(path, record)).catch((e: unknown) => {
      if (codeOf(e) !== 'ENOENT') throw e;
    });
  }
  // A run that was killed or failed part-way left its intent beside the lock.
  const record = await readRegularFile(join(dir, INTERRUPTED_FILE), { maxBytes: 4 * 1024 * 1024 });
  const previous = record.ok ? parseLock(record.bytes.toString('utf8')) : undefined;
  if (previous) interrupted = { pid: previous.pid, intent: new Map(Object.entries(previous.intent ?? {})) };
  let released = false;
  let recorded = false;
  return {
    path,
    ...(interrupted !== undefined ? { interrupted } : {}),
    async recordIntent(intent) {
      // Renamed over the lock, which stays in place: nobody else can take it meanwhile.
      // An earlier interrupted run's intent stays in it, for the files this run does not write again.
      const merged = new Map([...(interrupted?.intent ?? []), ...intent]);
      await writeFileAtomic(dir, path, `${JSON.stringify({ ...content, intent: Object.fromEntries(merged) })}\n`);
      recorded = true;
    },
    async release(finished) {
      if (released) return;
      released = true;
      if (finished) await unlink(join(dir, INTERRUPTED_FILE)).catch(() => undefined);
      await unlink(path).catch(() => undefined);
    },
    async abandon() {
      if (released) return;
      released = true;
      // The intent of this run (which includes an older record's) replaces that record; without one, nothing changed.
      if (recorded) await rename(path, join(dir, INTERRUPTED_FILE)).catch(() => unlink(path).catch(() => undefined));
      else await unlink(path).catch(() => undefined);
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
