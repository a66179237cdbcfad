/** `gatewright certs dev FILE`: the arguments and output of the command; src/workspace/dev-certificates.ts makes and writes the files. */
import { resolve } from 'node:path';
import { DEFAULT_DAYS, MAX_DAYS } from '../pki/dev.js';
import { readDesign, replaceDesign } from '../workspace/design-file.js';
import { WorkspaceRefusal } from '../workspace/fs.js';
import { createDevCertificates, DevCertificatesRefused, formatDevCertificates, type DevCertificatesOutcome } from '../workspace/dev-certificates.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, notEmpty, parseCommandArgs, usageError } from './args.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';
import { readDesignFile } from './design-file.js';
import { PROGRAM } from './version.js';
import { errorFirstLine } from '../model/error-message.js';

/** `gatewright certs dev FILE [--out DIR] [--private DIR] [--days N] [--force] [--dry-run] [--root DIR]`. */
export async function certsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('certs', args, {
    out: { type: 'string', short: 'o' },
    private: { type: 'string' },
    days: { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    root: { type: 'string' },
  });
  if (values.help) {
    io.out(USAGE.certs);
    return EXIT_OK;
  }
  const [sub, file, extra] = positionals;
  if (sub === undefined) throw usageError('certs', 'a subcommand is missing: certs dev FILE');
  if (sub !== 'dev') throw usageError('certs', `unknown subcommand "${sub}"; the one there is: dev`);
  if (file === undefined) throw usageError('certs', 'FILE is missing');
  if (file === '') throw usageError('certs', 'FILE is empty');
  if (extra !== undefined) throw usageError('certs', `unexpected argument "${extra}"`);
  notEmpty('certs', values, ['out', 'private', 'root']);
  let days = DEFAULT_DAYS;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!/^\d+$/.test(values.days) || days < 1 || days > MAX_DAYS) throw usageError('certs', `--days must be a whole number from 1 to ${MAX_DAYS}, not "${values.days}"`);
  }

  const design = await readDesignFile(io, file);
  if (!design) return EXIT_USAGE;
  const { path: designPath, text: designText } = design;
  const dryRun = values['dry-run'] === true;
  let outcome: DevCertificatesOutcome;
  try {
    outcome = await createDevCertificates({
      designPath,
      designText,
      ...(values.root !== undefined ? { root: resolve(io.cwd, values.root) } : {}),
      ...(values.out !== undefined ? { publicDir: resolve(io.cwd, values.out) } : {}),
      ...(values.private !== undefined ? { privateDir: resolve(io.cwd, values.private) } : {}),
      days,
      force: values.force === true,
      dryRun,
      ...(io.now ? { now: io.now } : {}),
    });
  } catch (e) {
    if (e instanceof DevCertificatesRefused) throw usageError('certs', e.message);
    if (e instanceof WorkspaceRefusal) {
      io.err(`${PROGRAM}: cannot write the certificates: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) {
      io.err(`${PROGRAM}: cannot write the certificates: ${errorFirstLine(e)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (!outcome.ok) {
    io.err(`${PROGRAM}: no certificate made for ${file}:\n${outcome.problems.map((p) => `  ${p}\n`).join('')}`);
    return EXIT_FAILED;
  }
  io.out(formatDevCertificates(outcome, { designFile: file, cwd: io.cwd, days, dryRun }));
  if (dryRun || outcome.designChanges.length === 0) {
    if (dryRun) io.out('Dry run: nothing was written.\n');
    return EXIT_OK;
  }
  // The design is written last, and only if nobody changed it meanwhile (an editor may have it open).
  const now = await readDesign(designPath);
  if (!now.ok || now.text !== designText) {
    io.err(`${PROGRAM}: ${file} changed while the certificates were made; it was left alone: run the command again to set its certificate files\n`);
    return EXIT_USAGE;
  }
  await replaceDesign(designPath, outcome.designText);
  io.out(`Wrote ${file}.\nNext: ${PROGRAM} validate ${file}   then   ${PROGRAM} rehearse ${file}\n`);
  return EXIT_OK;
}
