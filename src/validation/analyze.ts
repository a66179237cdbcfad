/** Text in, located findings out: parse, check the schema, run the rules, point every finding at the file. */
import { parseDesign, type ParsedDesign } from '../document/parse.js';
import type { Design } from '../schemas/design.js';
import type { Finding, Severity } from '../schemas/finding.js';
import { certificateExpiryOf, type CertificateExpiry } from './certificate-expiry.js';
import { RuleContext, type ValidationOptions } from './context.js';
import { runRules } from './engine.js';

export interface Analysis {
  readonly parsed: ParsedDesign;
  /** The design when the file satisfied the schema; undefined otherwise. */
  readonly design: Design | undefined;
  /** Syntax, schema and rule findings, in file order. */
  readonly findings: Finding[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number };
  /**
   * When each certificate expires: from its file when `options.files` holds it readable, else the design's
   * notAfter. Absent when the text gave no design.
   */
  readonly certificateExpiry?: CertificateExpiry;
}

export function analyze(text: string, options: Omit<ValidationOptions, 'invalidIds'> = {}): Analysis {
  const parsed = parseDesign(text);
  const findings = [...parsed.findings];
  let certificateExpiry: CertificateExpiry | undefined;
  if (parsed.design) {
    const ctx = new RuleContext(parsed.design, { ...options, invalidIds: parsed.invalidIds });
    for (const f of runRules(ctx)) {
      if (!f.path) {
        findings.push(f);
        continue;
      }
      // Paths index the (possibly partial) design; findings point at the text.
      const path = parsed.complete ? f.path : parsed.textPath(f.path);
      const location = parsed.locate(path);
      findings.push(location ? { ...f, path, location } : { ...f, path });
    }
    certificateExpiry = certificateExpiryOf(ctx);
  }
  findings.sort(byLocation);
  const design = parsed.complete ? parsed.design : undefined;
  return { parsed, design, findings, summary: summarize(findings), ...(certificateExpiry ? { certificateExpiry } : {}) };
}

/** Totals by severity; the finding that stands for a rule's findings past its cap counts every one of them. */
export function summarize(findings: readonly Finding[]): Analysis['summary'] {
  const totals: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) {
    if (f.hidden) for (const s of ['error', 'warning', 'info'] as const) totals[s] += f.hidden[s];
    else totals[f.severity]++;
  }
  return { errors: totals.error, warnings: totals.warning, infos: totals.info };
}

function byLocation(a: Finding, b: Finding): number {
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.location?.column ?? 0;
  const cb = b.location?.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/** Paths of every certificate file a design names, to be read by the caller (the CLI or the extension). */
export function certificateFilesOf(design: Design | undefined): string[] {
  return design ? [...new Set(design.certificates.flatMap((c) => (c.file ? [c.file] : [])))].sort() : [];
}
