/**
 * The `trace` message: a trace report (src/trace) as the canvas draws it, for the target the user traced from (an
 * internet node: every path through the Application Gateway it calls; an API: that API's path). Strings are cut to
 * the message schema's limits. Pure; no vscode import.
 */
import type { HostMessage, WebviewMessage } from '../../schemas/messages.js';
import type { TraceReport } from '../../trace/types.js';

export type TraceMessage = Extract<HostMessage, { type: 'trace' }>;
export type TraceTarget = Extract<WebviewMessage, { type: 'trace' }>['target'];

/** The API filter of a target: an API target traces that API only. */
export function traceOptions(target: TraceTarget): { api?: string } {
  return target.kind === 'api' ? { api: target.api } : {};
}

export function traceMessage(report: TraceReport, target: TraceTarget): TraceMessage {
  // From an internet node: the paths whose entry hop starts at it (all of them when no hop names a node).
  const paths = target.kind === 'internet' ? report.paths.filter((p) => p.hops[0]?.nodes.length === 0 || p.hops[0]?.nodes.includes(target.node)) : report.paths;
  const notes = [...report.notes];
  if (paths.length === 0 && report.paths.length > 0) notes.push(`No traced path starts at "${target.node}".`);
  return {
    type: 'trace',
    target,
    verdict: paths.length === 0 ? 'fail' : report.verdict,
    notes: notes.slice(0, 50).map((n) => clip(n, 2000)),
    paths: paths.slice(0, 100).map((p) => ({
      api: clip(p.api, 100),
      request: clip(p.request, 2000),
      verdict: p.verdict,
      hops: p.hops.map((h) => ({
        id: h.id,
        title: clip(h.title, 500),
        nodes: h.nodes.slice(0, 20),
        edges: h.edges.slice(0, 20),
        verdict: h.verdict,
        checks: h.checks.slice(0, 50).map((c) => ({
          id: c.id,
          title: clip(c.title, 500),
          verdict: c.verdict,
          message: clip(c.message, 5000),
          evidence: c.evidence.slice(0, 50).map((e) => ({ file: clip(e.file, 500), line: e.line, column: e.column, value: clip(e.value, 2000) })),
          ...(c.dependsOn ? { dependsOn: clip(c.dependsOn, 2000) } : {}),
          ...(c.fix ? { fix: clip(c.fix, 2000) } : {}),
        })),
      })),
    })),
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
