/**
 * The terminal that the in-process `gatewright deploy` tests (runCli with a DeployIo) run the command in: someone is
 * there to answer, the harness's credential and pipeline reach the test Resource Manager, what the command writes is
 * recorded in `stdout` and `stderr`, and each question is recorded in `questions` and answered with the next of the
 * given answers (nothing once they run out, as at the end of input). Each test file says what differs for it: its
 * folder, whether stdout is a terminal, how often to poll, how long Key Vault changes take to propagate.
 */
import type { DeployIo } from '../../../src/cli/deploy.js';
import type { Harness } from './fixture.js';

export type RecordingTerminal = DeployIo & { stdout: string; stderr: string; questions: string[] };

export interface TerminalSetup extends Pick<DeployIo, 'cwd' | 'isTTY' | 'pollIntervalMs' | 'propagation'> {
  readonly harness: Harness;
}

/** A recording terminal for `setup`, answering `answers` in order; `extra` adds or replaces DeployIo fields. */
export function recordingTerminal(setup: TerminalSetup, answers: string[], extra: Partial<DeployIo> = {}): RecordingTerminal {
  const { harness, ...fields } = setup;
  const io = {
    ...fields,
    env: {},
    interactive: true,
    credential: harness.credential,
    pipeline: harness.target.pipeline!,
    stdout: '',
    stderr: '',
    questions: [] as string[],
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    async ask(question: string) {
      io.questions.push(question);
      return answers.shift();
    },
    ...extra,
  };
  return io;
}
