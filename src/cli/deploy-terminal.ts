/**
 * The deploy command on a terminal: questions (a parameter value, a confirmation) and the live progress of a
 * deployment, one line per resource. Shared by `deploy` and `ci bootstrap`.
 */
import { createInterface } from 'node:readline';
import type { DeployProgress, OperationState } from '../deploy/deploy.js';
import type { CliIo } from './io.js';

/** What the terminal side needs of the command's io. */
export interface TerminalIo extends CliIo {
  /** Asks a question and returns the answer line (undefined at end of input). Default: the terminal. */
  ask?(question: string): Promise<string | undefined>;
  /** The terminal's height, for the live progress block. Default: the process's stdout. */
  readonly rows?: number;
}

/** Asks one question on the terminal (or through io.ask); undefined at the end of input. */
export function ask(io: Pick<TerminalIo, 'ask'>, question: string): Promise<string | undefined> {
  if (io.ask) return io.ask(question);
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

const MARK: Record<string, string> = { Succeeded: '✓', Failed: '✗', Canceled: '-', Running: '…', Accepted: '·' };
const FINAL = new Set(['Succeeded', 'Failed', 'Canceled']);

/**
 * One line per resource with its state. On a terminal: a line is printed for good when its resource reaches a final
 * state, and a live block at the bottom (the deployment's state and the resources still in progress, as many as fit)
 * is redrawn in place. Elsewhere: a plain line whenever a resource's state changes.
 */
export function progressDisplay(io: TerminalIo): { update: (p: DeployProgress) => void; done: () => void } {
  let drawn = 0;
  let lastState = '';
  const line = (o: OperationState) =>
    `  ${MARK[o.state] ?? '?'} ${o.state.padEnd(9)} ${o.resourceType ?? o.operation ?? ''} ${o.resourceName ?? ''}${o.scopeName ? ` on ${o.scopeName}` : ''}${o.nodeId ? ` [${o.nodeId}]` : ''}`;
  const shown = (o: OperationState) => Boolean(o.resourceName || o.resourceType);
  return {
    update(p) {
      if (!io.isTTY) {
        if (p.state !== lastState) io.out(`Deployment ${p.deploymentName}: ${p.state}\n`);
        lastState = p.state;
        for (const o of p.changed) if (shown(o)) io.out(`${line(o)}\n`);
        return;
      }
      const all = p.operations.filter(shown);
      const live = all.filter((o) => !FINAL.has(o.state));
      const failed = all.filter((o) => o.state === 'Failed').length;
      const room = Math.max(3, (io.rows ?? process.stdout.rows ?? 24) - 4);
      const block = [
        `Deployment ${p.deploymentName}: ${p.state} (${all.length - live.length} done${failed ? `, ${failed} failed` : ''}${live.length ? `, ${live.length} in progress` : ''})`,
        ...live.slice(0, room).map(line),
        ...(live.length > room ? [`  … and ${live.length - room} more in progress`] : []),
      ];
      const finished = p.changed.filter((o) => shown(o) && FINAL.has(o.state)).map(line);
      io.out(`${drawn ? `\x1b[${drawn}A\x1b[J` : ''}${[...finished, ...block].map((l) => `${l}\n`).join('')}`);
      drawn = block.length;
    },
    done() {
      drawn = 0;
    },
  };
}

