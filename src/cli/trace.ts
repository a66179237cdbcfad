/**
 * `gatewright trace FILE [--api NAME] [--format text|json] [--root DIR]`: generates FILE in memory and traces each
 * API's request from the internet to the pod over the generated files (src/trace), printing each hop's checks,
 * verdicts and evidence. Exit 0 when no hop fails (hops that depend on deployment are reported, not failed),
 * 1 when one fails or no API is traced, 2 on a usage error or an unreadable or invalid FILE.
 */
import { caPemsOf } from '../generators/ca-pems.js';
import { generate } from '../generators/generate.js';
import { formatTraceJson, formatTraceText } from '../trace/format.js';
import { traceRequests } from '../trace/trace.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, notEmpty, oneLine, oneOf, onePositional, parseCommandArgs } from './args.js';
import { analyzeFile } from './analyze-file.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';
import { PROGRAM } from './version.js';

export const TRACE_FORMATS = ['text', 'json'] as const;

export async function traceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('trace', args, { format: { type: 'string', short: 'f' }, api: { type: 'string' }, root: { type: 'string' } });
  if (values.help) {
    io.out(USAGE.trace);
    return EXIT_OK;
  }
  const file = onePositional('trace', positionals, 'FILE');
  const format = oneOf('trace', 'format', values.format, TRACE_FORMATS, 'text');
  notEmpty('trace', values, ['api', 'root']);
  const { analysis, files } = await analyzeFile(file, io.cwd, { now: io.now, root: values.root });
  const design = analysis.design;
  if (!design || !analysis.parsed.complete) {
    io.err(`${PROGRAM}: cannot trace ${file}: it does not satisfy the design format; run ${PROGRAM} validate ${file}\n`);
    return EXIT_USAGE;
  }
  if (analysis.summary.errors > 0) io.err(`${PROGRAM}: note: ${file} has ${analysis.summary.errors} error finding(s) (${PROGRAM} validate ${file}); tracing what it generates anyway\n`);
  const caPems = caPemsOf(design, files);
  let generated;
  try {
    generated = generate(design, { caPems });
  } catch (e) {
    io.err(`${PROGRAM}: cannot generate ${file}: ${oneLine(e)}\n`);
    return EXIT_FAILED;
  }
  let report;
  try {
    report = traceRequests({ files: generated.files, design, caPems }, values.api === undefined ? {} : { api: values.api });
  } catch (e) {
    io.err(`${PROGRAM}: cannot trace what ${file} generates: ${oneLine(e)}\n`);
    return EXIT_FAILED;
  }
  io.out(format === 'json' ? formatTraceJson(report) : formatTraceText(report, file, analysis.findings));
  return report.verdict === 'fail' ? EXIT_FAILED : EXIT_OK;
}
