/** The trace as text for a terminal, and as the stable JSON of `gatewright trace --format json`. */
import type { Finding } from '../schemas/finding.js';
import { fixesFor } from './design-fixes.js';
import type { Check, Hop, TraceReport, Verdict } from './types.js';

const MARK: Record<Verdict, string> = { pass: 'pass', fail: 'FAIL', 'unknown-until-deployed': 'unknown until deployed' };
const CHECK_MARK: Record<Verdict, string> = { pass: '[pass]', fail: '[FAIL]', 'unknown-until-deployed': '[?]   ' };

export function formatTraceJson(report: TraceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * `findings`: the design's validation findings; a failing check whose cause a rule with a fix covers names that fix
 * (applied in VS Code: the Fix button of the trace panel or the finding's quick fix).
 */
export function formatTraceText(report: TraceReport, designFile: string, findings: readonly Finding[] = []): string {
  const lines: string[] = [];
  for (const path of report.paths) {
    lines.push(`API ${path.api}: ${path.request} (${designFile}): ${MARK[path.verdict]}`, '');
    path.hops.forEach((hop, i) => {
      lines.push(`${i + 1}. ${hop.title}: ${MARK[hop.verdict]}`);
      for (const c of hop.checks) lines.push(...checkLines(c, hop, findings));
      lines.push('');
    });
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  const hops = report.paths.flatMap((p) => p.hops);
  const count = (v: Verdict): number => hops.filter((h) => h.verdict === v).length;
  lines.push(
    `${report.paths.length} path${report.paths.length === 1 ? '' : 's'}, ${hops.length} hops: ${count('pass')} pass, ${count('fail')} fail, ${count('unknown-until-deployed')} unknown until deployed.`,
  );
  return `${lines.join('\n')}\n`;
}

function checkLines(c: Check, hop: Hop, findings: readonly Finding[]): string[] {
  const out = [`   ${CHECK_MARK[c.verdict]} ${c.title}`, `          ${c.message}`];
  for (const e of c.evidence) out.push(`          ${e.file}:${e.line}:${e.column}  ${oneLine(e.value)}`);
  if (c.dependsOn) out.push(`          depends on: ${c.dependsOn}`);
  if (c.fix) out.push(`          fix: ${c.fix}`);
  for (const f of fixesFor(c, hop, findings)) out.push(`          quick fix (${f.ruleId}, in the design): ${f.fix.title}`);
  return out;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}
