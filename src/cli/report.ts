/**
 * How `gatewright validate` prints findings: compiler-style text lines and the JSON object of the spec
 * (shared/spec/design-format.md, "Command line"). SARIF is in sarif.ts.
 */
import type { Finding, Severity } from '../schemas/finding.js';

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** One finding as `--format json` prints it: exactly the keys the spec lists. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly target: { readonly kind: Finding['target']['kind']; readonly id?: string };
  readonly location?: { readonly line: number; readonly column: number };
}

export interface JsonReport {
  readonly findings: JsonFinding[];
  readonly summary: Summary;
}

export function toJsonReport(findings: readonly Finding[], summary: Summary): JsonReport {
  return {
    findings: findings.map((f) => {
      const target = f.target.id === undefined ? { kind: f.target.kind } : { kind: f.target.kind, id: f.target.id };
      const base = { ruleId: f.ruleId, severity: f.severity, message: f.message, target };
      return f.location ? { ...base, location: { line: f.location.line, column: f.location.column } } : base;
    }),
    summary: { errors: summary.errors, warnings: summary.warnings, infos: summary.infos },
  };
}

export function formatJson(findings: readonly Finding[], summary: Summary): string {
  return `${JSON.stringify(toJsonReport(findings, summary), null, 2)}\n`;
}

// ---------------------------------------------------------------- text

/** ANSI styling, or none. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(severity: Severity, s: string): string;
}

const ESC = '\u001b[';
const wrap = (open: number, close: number) => (s: string) => `${ESC}${open}m${s}${ESC}${close}m`;
const SEVERITY_COLOR: Record<Severity, (s: string) => string> = {
  error: wrap(31, 39),
  warning: wrap(33, 39),
  info: wrap(36, 39),
};

export const COLORS: Style = { bold: wrap(1, 22), dim: wrap(2, 22), severity: (sev, s) => SEVERITY_COLOR[sev](s) };
export const PLAIN: Style = { bold: (s) => s, dim: (s) => s, severity: (_sev, s) => s };

/**
 * Colors only on a terminal, and never when NO_COLOR is set to a non-empty value (https://no-color.org).
 */
export function styleFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return isTTY && !noColor ? COLORS : PLAIN;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(summary: Summary): string {
  return `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')}`;
}

/**
 * One line per finding, `FILE:LINE:COL: severity GWxxx message`, as compilers print them (terminals and
 * editors make them clickable), then a summary line.
 */
export function formatText(file: string, findings: readonly Finding[], summary: Summary, style: Style = PLAIN): string {
  const lines = findings.map((f) => {
    const where = f.location ? `${file}:${f.location.line}:${f.location.column}:` : `${file}:`;
    const message = f.message.replace(/\s*\r?\n\s*/g, ' ');
    return `${style.bold(where)} ${style.severity(f.severity, f.severity)} ${style.dim(f.ruleId)} ${message}`;
  });
  if (findings.length === 0) {
    lines.push(`${file}: no findings`);
  } else {
    const worst: Severity = summary.errors > 0 ? 'error' : summary.warnings > 0 ? 'warning' : 'info';
    lines.push(style.severity(worst, `${file}: ${summaryLine(summary)}`));
  }
  return `${lines.join('\n')}\n`;
}
