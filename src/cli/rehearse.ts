/** `gatewright rehearse FILE`: the arguments and output of the command; src/workspace/rehearsal.ts reads the files and runs it. */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseDesign } from '../document/parse.js';
import type { CertificateFile } from '../model/design-index.js';
import { formatRehearsalJson, formatRehearsalText, REHEARSE_FORMATS } from '../rehearsal/report.js';
import { analyze } from '../validation/analyze.js';
import { readCertificateFiles } from '../workspace/certificate-files.js';
import { rehearseDesign } from '../workspace/rehearsal.js';
import { formatText, styleFor } from './report.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, notEmpty, oneOf, onePositional, parseCommandArgs, usageError } from './args.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';
import { readDesignFile } from './design-file.js';
import { PROGRAM } from './version.js';

/** `gatewright rehearse FILE [--format text|json] [--certs DIR] [--private DIR] [--root DIR]`. */
export async function rehearseCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('rehearse', args, {
    format: { type: 'string', short: 'f' },
    certs: { type: 'string' },
    private: { type: 'string' },
    root: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (values.help) {
    io.out(USAGE.rehearse);
    return EXIT_OK;
  }
  const file = onePositional('rehearse', positionals, 'FILE');
  const format = oneOf('rehearse', 'format', values.format, REHEARSE_FORMATS, 'text');
  notEmpty('rehearse', values, ['certs', 'private', 'root']);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) {
      throw usageError('rehearse', `--timeout must be a number of seconds from 0 to 120, not "${values.timeout}"`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }

  const design = await readDesignFile(io, file);
  if (!design) return EXIT_USAGE;
  const { path: designPath, text: designText } = design;
  // As generate does: a design with errors is not rehearsed (its certificate files are read as validate reads them).
  const pre = parseDesign(designText);
  const root = values.root !== undefined ? resolve(io.cwd, values.root) : undefined;
  const files: ReadonlyMap<string, CertificateFile> = pre.design ? await readCertificateFiles(designPath, pre.design, root) : new Map();
  const analysis = analyze(designText, io.now ? { files, now: io.now } : { files });
  if (analysis.summary.errors > 0 || !analysis.design) {
    const errors = analysis.findings.filter((f) => f.severity === 'error');
    io.err(formatText(file, errors, { ...analysis.summary, warnings: 0, infos: 0 }, styleFor(false, io.env)));
    io.err(`${PROGRAM}: nothing rehearsed: fix the errors above first (${PROGRAM} validate ${file})\n`);
    return EXIT_FAILED;
  }
  const outcome = await rehearseDesign({
    designPath,
    designText,
    ...(values.root !== undefined ? { root: resolve(io.cwd, values.root) } : {}),
    ...(values.certs !== undefined ? { publicDir: resolve(io.cwd, values.certs) } : {}),
    ...(values.private !== undefined ? { privateDir: resolve(io.cwd, values.private) } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  if (!outcome.ok) {
    const show = (p: string) => {
      const rel = relative(io.cwd, p);
      return rel.startsWith('..') || isAbsolute(rel) ? p : rel;
    };
    const lines = outcome.problems.map((p) => `  ${p.replace(/\(looked for ([^)]+)\)/, (_m, path: string) => `(looked for ${show(path)})`)}\n`);
    const next = outcome.cause === 'design' ? `Run: ${PROGRAM} validate ${file}` : `Make the development certificates first (again, if they are from an older design): ${PROGRAM} certs dev ${file}`;
    io.err(`${PROGRAM}: cannot rehearse ${file}:\n${lines.join('')}${next}\n`);
    return EXIT_USAGE;
  }
  io.out(format === 'json' ? formatRehearsalJson(outcome.report) : formatRehearsalText(outcome.report, { designFile: file }));
  return outcome.report.summary.failed === 0 ? EXIT_OK : EXIT_FAILED;
}
