/**
 * Appending to a file the user names, such as a pipeline's job summary ($GITHUB_STEP_SUMMARY, which every step of a
 * GitHub Actions job appends to: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary).
 * The file is created when missing and opened once, judged by its handle as ./fs.ts reads files: O_NONBLOCK makes a
 * FIFO fail to open instead of waiting for a reader, and anything but a regular file is refused before a byte is
 * written. A link at the end of the path is followed, as for the design file the user names.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { describeError, kindOf } from './fs.js';

export type AppendResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Appends `text` (UTF-8) to the regular file at `path`, creating it (mode 0644) when missing. Never throws. */
export async function appendToFile(path: string, text: string): Promise<AppendResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o644);
  } catch (e) {
    return { ok: false, reason: describeError(e, path) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: `${path} is ${kindOf(info)}, not a regular file` };
    await handle.appendFile(text, 'utf8');
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: describeError(e, path) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
