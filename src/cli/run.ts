/**
 * The `gatewright` command line: the dispatch to the commands, init, validate, generate and rules, and how errors
 * are printed (docs/design-format.md, "Command line"). args.ts parses the arguments and holds the exit
 * statuses; main.ts binds it to the process.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { blankDesign, referenceDesign } from '../designs/reference.js';
import { DESIGN_NAME_PATTERN, MetadataSchema } from '../schemas/design.js';
import { RULE_CATALOG } from '../validation/rules/index.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  notEmpty,
  noPositional,
  oneLine,
  oneOf,
  onePositional,
  parseCommandArgs,
  UsageError,
  usageError,
} from './args.js';
import { caPemsOf } from '../generators/ca-pems.js';
import { generate } from '../generators/generate.js';
import { DESIGN_SUFFIX } from '../workspace/design-file.js';
import { writeGenerated, type WriteGeneratedOutcome } from '../workspace/generated.js';
import { certsCommand } from './certs.js';
import { rehearseCommand } from './rehearse.js';
import { traceCommand } from './trace.js';
import { formatJson, formatText, styleFor, terminalSafeOutput } from './report.js';
import { formatRules, RULES_FORMATS, type RulesFormat } from './rules-list.js';
import { formatSarif } from './sarif.js';
import { COMMANDS, MAIN_USAGE, USAGE, type Command } from './usage.js';
import { PROGRAM, VERSION } from './version.js';
import type { CliIo } from './io.js';
import { analyzeFile, CliFailure } from './analyze-file.js';

export type { CliIo };

export const VALIDATE_FORMATS = ['text', 'json', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];


/** Runs the program on its arguments (without `node` and the script) and returns the exit status. Never throws. */
export async function runCli(args: readonly string[], rawIo: CliIo): Promise<number> {
  // Nothing from a design or a file reaches the terminal raw: control characters are shown as \u escapes
  // (JSON and SARIF escape them already; this also covers the text of every command and of errors).
  const io: CliIo = { ...rawIo, out: (text) => rawIo.out(terminalSafeOutput(text)), err: (text) => rawIo.err(terminalSafeOutput(text)) };
  try {
    return await dispatch(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${PROGRAM}: ${e.message}\n\n${e.command ? USAGE[e.command] : MAIN_USAGE}`);
      return EXIT_USAGE;
    }
    if (e instanceof CliFailure) {
      io.err(`${PROGRAM}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.err(`${PROGRAM}: internal error: ${oneLine(e)}\n`);
    return EXIT_USAGE;
  }
}

async function dispatch(args: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError('no command given');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
    io.out(topic ? USAGE[topic] : MAIN_USAGE);
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" after ${first}`);
    io.out(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option "${first}"; a command comes first`);
  if (!isCommand(first)) throw new UsageError(`unknown command "${first}"; commands: ${COMMANDS.join(', ')}`);
  switch (first) {
    case 'init':
      return init(rest, io);
    case 'validate':
      return validate(rest, io);
    case 'rules':
      return rules(rest, io);
    case 'generate':
      return generateCommand(rest, io);
    case 'certs':
      return certsCommand(rest, io);
    case 'rehearse':
      return rehearseCommand(rest, io);
    case 'trace':
      return traceCommand(rest, io);
    case 'deploy':
      // Loaded on demand: the Azure SDK is large, and only deploy needs it.
      return (await import('./deploy.js')).deployCommand(rest, io);
    case 'ci':
      // Deploys through src/deploy like deploy: loaded on demand for the same reason.
      return (await import('./ci.js')).ciCommand(rest, io);
  }
}

function isCommand(s: string): s is Command {
  return (COMMANDS as readonly string[]).includes(s);
}

// ---------------------------------------------------------------- init

async function init(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', args, {
    blank: { type: 'boolean' },
    name: { type: 'string' },
    location: { type: 'string' },
  });
  if (values.help) {
    io.out(USAGE.init);
    return EXIT_OK;
  }
  const file = onePositional('init', positionals, 'FILE');
  const blank = values.blank === true;
  const name = values.name ?? defaultName(file, blank);
  const location = values.location ?? 'westeurope';
  checkMetadata('name', name);
  checkMetadata('location', location);

  const text = blank ? blankDesign(name, location) : referenceDesign(name, location);
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw new CliFailure(`cannot write ${file}: cannot create its folder: ${oneLine(e)}`);
  }
  try {
    // "wx": create, and fail if the file exists, in one step (no window between a check and the write).
    await writeFile(path, text, { encoding: 'utf8', flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliFailure(`${file} already exists; init never overwrites a file: choose another name or delete it first`);
    throw new CliFailure(`cannot write ${file}: ${oneLine(e)}`);
  }
  const what = blank ? 'a blank design' : 'the reference architecture';
  io.out(`Wrote ${what} "${name}" (${location}) to ${file}.\nNext: ${PROGRAM} validate ${file}\n`);
  if (!file.endsWith(DESIGN_SUFFIX)) {
    io.err(`${PROGRAM}: note: the editor recognises designs by the name ending "${DESIGN_SUFFIX}"\n`);
  }
  return EXIT_OK;
}

/** The file name without `.gatewright.yaml` when it is a valid design name. */
export function defaultName(file: string, blank: boolean): string {
  const stem = basename(file).replace(/\.gatewright\.ya?ml$/, '').replace(/\.ya?ml$/, '');
  if (DESIGN_NAME_PATTERN.test(stem)) return stem;
  return blank ? 'my-api' : 'payments';
}

function checkMetadata(key: 'name' | 'location', value: string): void {
  const result = MetadataSchema.shape[key].safeParse(value);
  if (!result.success) {
    const reason = result.error.issues[0]?.message ?? 'invalid';
    throw usageError('init', `--${key} "${value}" ${reason}`);
  }
}

// ---------------------------------------------------------------- validate

async function validate(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, { format: { type: 'string', short: 'f' }, root: { type: 'string' } });
  if (values.help) {
    io.out(USAGE.validate);
    return EXIT_OK;
  }
  const format = oneOf<ValidateFormat>('validate', 'format', values.format, VALIDATE_FORMATS, 'text');
  const file = onePositional('validate', positionals, 'FILE');
  notEmpty('validate', values, ['root']);
  const { analysis } = await analyzeFile(file, io.cwd, { now: io.now, root: values.root });
  const { findings, summary } = analysis;
  switch (format) {
    case 'json':
      io.out(formatJson(findings, summary));
      break;
    case 'sarif':
      io.out(formatSarif(findings, { file, cwd: io.cwd, rules: RULE_CATALOG }));
      break;
    case 'text':
      io.out(formatText(file, findings, summary, styleFor(io.isTTY, io.env)));
      break;
  }
  return summary.errors > 0 ? EXIT_FAILED : EXIT_OK;
}

// ---------------------------------------------------------------- generate

async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('generate', args, {
    out: { type: 'string', short: 'o' },
    root: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    io.out(USAGE.generate);
    return EXIT_OK;
  }
  const file = onePositional('generate', positionals, 'FILE');
  if (values.out === undefined) throw usageError('generate', '--out DIR is required');
  notEmpty('generate', values, ['out', 'root']);
  const { analysis, files } = await analyzeFile(file, io.cwd, { now: io.now, root: values.root });
  const { findings, summary } = analysis;
  if (summary.errors > 0 || !analysis.design) {
    io.err(formatText(file, findings.filter((f) => f.severity === 'error'), { ...summary, warnings: 0, infos: 0 }, styleFor(false, io.env)));
    io.err(`${PROGRAM}: nothing generated: fix the errors above first\n`);
    return EXIT_FAILED;
  }
  const outDir = resolve(io.cwd, values.out);
  let generated: ReturnType<typeof generate>;
  try {
    generated = generate(analysis.design, { caPems: caPemsOf(analysis.design, files) });
  } catch (e) {
    io.err(`${PROGRAM}: cannot generate ${file}: ${oneLine(e)}\n`);
    return EXIT_FAILED;
  }
  const force = values.force === true;
  let outcome: WriteGeneratedOutcome;
  try {
    outcome = await writeGenerated({
      root: outDir,
      outDir,
      files: generated.files,
      designPath: resolve(io.cwd, file),
      consent: () => (force ? 'overwrite' : 'cancel'),
      ...(io.now ? { now: () => io.now! } : {}),
    });
  } catch (e) {
    throw new CliFailure(`cannot write to ${values.out}: ${oneLine(e)}`);
  }
  if (outcome.interrupted) {
    const n = outcome.interrupted.recovered.length;
    io.err(`${PROGRAM}: note: an earlier run (process ${outcome.interrupted.pid}) was interrupted while writing to ${values.out}; ${n} file${n === 1 ? '' : 's'} it wrote ${n === 1 ? 'is' : 'are'} counted as Gatewright's\n`);
  }
  if (outcome.status === 'cancelled') {
    io.err(
      `${PROGRAM}: nothing written: these files in ${values.out} were edited by hand since Gatewright wrote them (or were not written by it):\n` +
        outcome.kept.map((f) => `  ${f.path}\n`).join('') +
        `Move your changes into the design, or run again with --force to overwrite them.\n`,
    );
    return EXIT_USAGE;
  }
  if (outcome.failed.length > 0) {
    throw new CliFailure(`cannot write to ${values.out}: ${outcome.failed.join('; ')}`);
  }
  for (const w of generated.warnings) io.err(`${PROGRAM}: warning: ${w}\n`);
  io.out(`Wrote ${outcome.written.size} files to ${values.out}${outcome.unchanged.length ? ` (${outcome.unchanged.length} unchanged)` : ''}; see ${values.out}/README.md.\n`);
  return EXIT_OK;
}

// ---------------------------------------------------------------- rules

async function rules(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('rules', args, { format: { type: 'string', short: 'f' } });
  if (values.help) {
    io.out(USAGE.rules);
    return EXIT_OK;
  }
  noPositional('rules', positionals);
  const format = oneOf<RulesFormat>('rules', 'format', values.format, RULES_FORMATS, 'text');
  io.out(formatRules(RULE_CATALOG, format, styleFor(io.isTTY, io.env)));
  return EXIT_OK;
}
