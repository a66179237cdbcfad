/**
 * The analysis worker: a node:worker_threads thread that runs `analyze` (parse, schema, the rules, every finding
 * located) for the extension host, so that analysing a large design never blocks the host's event loop
 * (https://nodejs.org/api/worker_threads.html). Bundled on its own by scripts/build.mjs as dist/analysis-worker.js;
 * the host starts it from the extension's own folder (analyzer.ts). Requests and replies are checked with
 * protocol.ts. Every failure is answered as an error, never dropped.
 */
import { parentPort } from 'node:worker_threads';
import { parseDesign, SYNTAX_RULE_ID } from '../../document/parse.js';
import { describeIssues } from '../../schemas/issues.js';
import { analyze } from '../../validation/analyze.js';
import { errorMessage } from '../../model/error-message.js';
import { elementAt } from '../designer/element-at.js';
import { AnalysisRequestSchema, DrawnAnalysisSchema, ElementRequestSchema, type AnalysisReply } from './protocol.js';

/** Answers one request (exported for the unit test of the worker's logic without a thread). */
export function answer(raw: unknown): AnalysisReply {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number' && raw.id >= 1 ? Math.floor(raw.id) : 1;
  if (typeof raw === 'object' && raw !== null && 'offset' in raw) {
    const element = ElementRequestSchema.safeParse(raw);
    if (!element.success) return { id, ok: false, error: `invalid element request: ${describeIssues(element.error.issues)}` };
    try {
      // parseDesign keeps its last text's parse: the text just analysed is not parsed again.
      const { text, offset } = element.data;
      return { id, ok: true, element: elementAt(parseDesign(text).yaml, text, offset) ?? null };
    } catch (e) {
      return { id, ok: false, error: e instanceof Error && e.stack ? e.stack : errorMessage(e) };
    }
  }
  const request = AnalysisRequestSchema.safeParse(raw);
  if (!request.success) return { id, ok: false, error: `invalid analysis request: ${describeIssues(request.error.issues)}` };
  const { text, files, now } = request.data;
  try {
    const started = performance.now();
    const analysis = analyze(text, { ...(files ? { files: new Map(files) } : {}), ...(now !== undefined ? { now: new Date(now) } : {}) });
    const value = {
      design: analysis.parsed.design ?? null,
      findings: analysis.findings,
      syntaxError: analysis.findings.some((f) => f.ruleId === SYNTAX_RULE_ID),
      ...(analysis.certificateExpiry ? { certificateExpiry: analysis.certificateExpiry } : {}),
    };
    // The check the designer makes before it sends a state (protocol.ts's checkHostMessage), made here.
    const drawn = DrawnAnalysisSchema.safeParse(value);
    if (!drawn.success) return { id, ok: false, error: `the analysis breaks the designer's state schema: ${describeIssues(drawn.error.issues)}` };
    return {
      id,
      ok: true,
      summary: { complete: analysis.parsed.complete, summary: analysis.summary, ms: performance.now() - started },
      design: new TextEncoder().encode(JSON.stringify(value.design)),
      findings: JSON.stringify({ ...value, design: undefined }),
    };
  } catch (e) {
    return { id, ok: false, error: e instanceof Error && e.stack ? e.stack : errorMessage(e) };
  }
}

parentPort?.on('message', (raw: unknown) => {
  const reply = answer(raw);
  // The design's bytes move to the host without a copy (https://nodejs.org/api/worker_threads.html#portpostmessagevalue-transferlist).
  parentPort!.postMessage(reply, 'design' in reply ? [reply.design.buffer as ArrayBuffer] : []);
});
