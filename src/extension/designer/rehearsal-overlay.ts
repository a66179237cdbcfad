/**
 * The `rehearsal` message: a rehearsal's results as the canvas draws them on the https and mtls edges (one entry per
 * edge with every case and its reason, passed when every case behaved as the design says). Pure; no vscode import.
 * The results hold no certificate or key material (src/rehearsal/run.ts), only titles, verdicts and reasons.
 */
import type { HostMessage } from '../../schemas/messages.js';
import type { CaseResult, RehearsalReport } from '../../rehearsal/run.js';

export type RehearsalMessage = Extract<HostMessage, { type: 'rehearsal' }>;
type EdgeResults = RehearsalMessage['edges'][string];

/** The schema's limits (src/schemas/messages.ts RehearsalCaseSchema and RehearsalMessage). */
const MAX_TITLE = 200;
const MAX_DETAIL = 5000;
const MAX_CASES_PER_EDGE = 50;

/** The message for a report, run at `at`. A report without results gives no edges, which clears the drawing. */
export function rehearsalMessage(report: RehearsalReport, at: Date): RehearsalMessage {
  const byEdge = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const list = byEdge.get(r.edge);
    if (list) list.push(r);
    else byEdge.set(r.edge, [r]);
  }
  const edges: [string, EdgeResults][] = [];
  for (const [edge, results] of byEdge) {
    // A failed case is never the one left out when an edge has more cases than a message may carry.
    const shown = results.length <= MAX_CASES_PER_EDGE ? results : [...results.filter((r) => !r.pass), ...results.filter((r) => r.pass)].slice(0, MAX_CASES_PER_EDGE);
    edges.push([
      edge,
      {
        pass: results.every((r) => r.pass),
        cases: shown.map((r) => ({
          title: clip(r.title, MAX_TITLE),
          expected: r.expected,
          got: r.got,
          pass: r.pass,
          detail: clip(r.detail, MAX_DETAIL),
        })),
      },
    ]);
  }
  const { cases, passed, failed } = report.summary;
  // fromEntries defines own properties, whatever the edge ids are.
  return { type: 'rehearsal', at: at.toISOString(), edges: Object.fromEntries(edges), summary: { cases, passed, failed } };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
