/**
 * Entry point of the `gatewright` command line (bundled to dist/cli.js by scripts/build.mjs).
 * Everything else is in run.ts, which tests call directly.
 */
import { runCli } from './run.js';
import { errorFirstLine } from '../model/error-message.js';

// A reader that stops early (`gatewright rules | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`gatewright: internal error: ${errorFirstLine(e)}\n`);
    process.exitCode = 2;
  },
);
