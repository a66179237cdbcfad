/** A CliIo that keeps what the command prints, for tests that run the command line in process. */
import type { CliIo } from '../../src/cli/io.js';

export type CapturedIo = CliIo & { stdout: string; stderr: string };

export function captureIo(cwd: string, now: Date, extra: Partial<CliIo> = {}): CapturedIo {
  const io: CapturedIo = {
    cwd,
    env: {},
    isTTY: false,
    now,
    ...extra,
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}
