/** The rehearsal's results as a table (text) or one JSON object. Pure; no certificate or key material. */
import type { CaseResult, RehearsalReport } from './run.js';

export const REHEARSE_FORMATS = ['text', 'json'] as const;
export type RehearseFormat = (typeof REHEARSE_FORMATS)[number];

/** A table: edge, case, expected, got, result, reason; then a summary line. */
export function formatRehearsalText(report: RehearsalReport, options: { designFile: string }): string {
  if (report.results.length === 0) return `${options.designFile}: no https or mtls edge to rehearse.\n`;
  const head = ['EDGE', 'CASE', 'EXPECTED', 'GOT', 'RESULT', 'REASON'];
  const rows = report.results.map((r) => [`${r.edge} (${r.type})`, r.title, r.expected, r.got, r.pass ? 'pass' : 'FAIL', r.detail]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const { cases, passed, failed } = report.summary;
  const verdict = failed === 0 ? 'every case behaved as the design says' : `${failed} case${failed === 1 ? '' : 's'} did not behave as the design says`;
  return `${[line(head), ...rows.map(line)].join('\n')}\n\n${options.designFile}: ${cases} case${cases === 1 ? '' : 's'}, ${passed} passed, ${failed} failed: ${verdict}.\n`;
}

export interface RehearsalJson {
  readonly edges: {
    readonly id: string;
    readonly type: 'https' | 'mtls';
    readonly from: string;
    readonly to: string;
    readonly cases: {
      readonly case: CaseResult['kind'];
      readonly title: string;
      readonly expected: CaseResult['expected'];
      readonly got: CaseResult['got'];
      readonly pass: boolean;
      readonly reason: CaseResult['reason'];
      readonly code?: string;
      readonly by?: 'caller' | 'callee';
      readonly detail: string;
    }[];
  }[];
  readonly summary: RehearsalReport['summary'];
}

/** `{ "edges": [ { id, type, from, to, cases: [ { case, title, expected, got, pass, reason, code?, by?, detail } ] } ], "summary": { cases, passed, failed } }`. */
export function rehearsalJson(report: RehearsalReport): RehearsalJson {
  const edges = new Map<string, RehearsalJson['edges'][number]>();
  for (const r of report.results) {
    let edge = edges.get(r.edge);
    if (!edge) {
      edge = { id: r.edge, type: r.type, from: r.from, to: r.to, cases: [] };
      edges.set(r.edge, edge);
    }
    edge.cases.push({
      case: r.kind,
      title: r.title,
      expected: r.expected,
      got: r.got,
      pass: r.pass,
      reason: r.reason,
      ...(r.code ? { code: r.code } : {}),
      ...(r.by ? { by: r.by } : {}),
      detail: r.detail,
    });
  }
  return { edges: [...edges.values()], summary: report.summary };
}

export function formatRehearsalJson(report: RehearsalReport): string {
  return `${JSON.stringify(rehearsalJson(report), null, 2)}\n`;
}
