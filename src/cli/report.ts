/**
 * How `gatewright validate` prints findings: compiler-style text lines and the JSON object of the spec
 * (docs/design-format.md, "Command line"). SARIF is in sarif.ts.
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
    const where = f.location ? `${terminalSafe(file)}:${f.location.line}:${f.location.column}:` : `${terminalSafe(file)}:`;
    const message = terminalSafe(f.message.replace(/\s*\r?\n\s*/g, ' '));
    return `${style.bold(where)} ${style.severity(f.severity, f.severity)} ${style.dim(f.ruleId)} ${message}`;
  });
  if (findings.length === 0) {
    lines.push(`${terminalSafe(file)}: no findings`);
  } else {
    const worst: Severity = summary.errors > 0 ? 'error' : summary.warnings > 0 ? 'warning' : 'info';
    lines.push(style.severity(worst, `${terminalSafe(file)}: ${summaryLine(summary)}`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Text that may come from a design or a file name, made safe to print on a terminal: every C0 and C1 control
 * character but the line feed and the tab (ESC starts escape sequences that set the window title or move the
 * cursor; https://invisible-island.net/xterm/ctlseqs/ctlseqs.html), and the Unicode line and paragraph separators
 * and bidirectional controls (which reorder what is shown), become visible \u escapes.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Everything written to a terminal, made safe: what terminalSafe escapes is escaped, except the CSI sequences
 * the command line writes itself: SGR colors (ESC [ digits m) and deploy's live progress (cursor up, erase:
 * ESC [ digits A, J, K, G). Window titles, OSC hyperlinks, device queries and every other control stay escaped.
 */
export function terminalSafeOutput(text: string): string {
  return text.replace(TERMINAL_UNSAFE_OUTPUT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_UNSAFE_OUTPUT = /(?!\u001b\[[0-9;]*[mAJKG])[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
