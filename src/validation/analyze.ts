/** Text in, located findings out: parse, check the schema, run the rules, point every finding at the file. */
import { parseDesign, type ParsedDesign } from '../document/parse.js';
import type { Design } from '../schemas/design.js';
import type { Finding, Severity } from '../schemas/finding.js';
import type { ValidationOptions } from './context.js';
import { validateDesign } from './engine.js';

export interface Analysis {
  readonly parsed: ParsedDesign;
  /** The design when the file satisfied the schema; undefined otherwise. */
  readonly design: Design | undefined;
  /** Syntax, schema and rule findings, in file order. */
  readonly findings: Finding[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number };
}

export function analyze(text: string, options: Omit<ValidationOptions, 'invalidIds'> = {}): Analysis {
  const parsed = parseDesign(text);
  const findings = [...parsed.findings];
  if (parsed.design) {
    for (const f of validateDesign(parsed.design, { ...options, invalidIds: parsed.invalidIds })) {
      if (!f.path) {
        findings.push(f);
        continue;
      }
      // Paths index the (possibly partial) design; findings point at the text.
      const path = parsed.complete ? f.path : parsed.textPath(f.path);
      const location = parsed.locate(path);
      findings.push(location ? { ...f, path, location } : { ...f, path });
    }
  }
  findings.sort(byLocation);
  return { parsed, design: parsed.complete ? parsed.design : undefined, findings, summary: summarize(findings) };
}

export function summarize(findings: readonly Finding[]): Analysis['summary'] {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
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
