/**
 * From a failing trace check to the validation rules that cover its cause in the design, and to the fixes those
 * rules offer. The trace reads the generated files, the rules read the design: when both see the same defect (a WAF
 * in Detection mode fails `entry.waf` and is GW101's finding, whose fix sets Prevention mode), the canvas offers the
 * rule's fix on the failing check and the command line names it. Pure: the findings are handed in (the trace never
 * runs the rules, which it must not import: docs/architecture.md).
 */
import type { Finding } from '../schemas/finding.js';
import type { Check, Hop } from './types.js';

/**
 * The rules whose findings describe the cause of each check's failure, by check id. A check missing here has no
 * rule in the design's terms (e.g. an NSG rule the generator always writes: only a hand edit of the output breaks it).
 */
export const CHECK_RULES: Readonly<Record<string, readonly string[]>> = {
  'entry.route': ['GW111', 'GW112'],
  'entry.certificate': ['GW108', 'GW109', 'GW205', 'GW206', 'GW209'],
  'entry.waf': ['GW100', 'GW101'],
  'gateway-apim.backend-host': ['GW112', 'GW123', 'GW303'],
  'gateway-apim.probe': ['GW112'],
  'gateway-apim.trusted-root': ['GW113', 'GW207', 'GW211'],
  'gateway-apim.dns': ['GW121', 'GW190'],
  'apim.api': ['GW023', 'GW024', 'GW025', 'GW443'],
  'apim.caller': ['GW222', 'GW482', 'GW483', 'GW485'],
  'apim.backend': ['GW127', 'GW302', 'GW470'],
  'apim-ingress.dns': ['GW423', 'GW470'],
  'apim-ingress.client-certificate': ['GW127', 'GW200', 'GW202', 'GW203', 'GW204', 'GW219'],
  'apim-ingress.verify-depth': ['GW201'],
  'apim-ingress.server-certificate': ['GW128', 'GW205', 'GW206', 'GW208', 'GW210'],
  'apim-ingress.ingress': ['GW212'],
  'apim-ingress.nsg': ['GW470'],
  'ingress-service.route': ['GW023', 'GW420', 'GW422'],
  'ingress-service.protocol': ['GW152', 'GW153'],
  'ingress-service.pod-certificate': ['GW152'],
  'no-bypass.apim': ['GW121'],
  'no-bypass.data': ['GW160', 'GW161', 'GW162', 'GW163', 'GW164'],
};

/** Checks whose cause lies on elements the hop does not list (the data services behind the cluster). */
const ANY_ELEMENT: ReadonlySet<string> = new Set(['no-bypass.data']);

/** A finding that has a fix. */
export type FixableFinding = Finding & { readonly fix: NonNullable<Finding['fix']> };

/**
 * The findings with a fix that cover why a failing check fails: of a rule CHECK_RULES lists for it, and about one of
 * the hop's nodes or edges, a certificate, or the document. One per fix title, in the findings' order. Empty for a
 * check that passes or is unknown until deployed.
 */
export function fixesFor(check: Pick<Check, 'id' | 'verdict'>, hop: Pick<Hop, 'nodes' | 'edges'>, findings: readonly Finding[]): FixableFinding[] {
  if (check.verdict !== 'fail') return [];
  const rules = CHECK_RULES[check.id];
  if (!rules) return [];
  const out: FixableFinding[] = [];
  const titles = new Set<string>();
  for (const f of findings) {
    if (!f.fix || !rules.includes(f.ruleId) || titles.has(f.fix.title)) continue;
    if (!ANY_ELEMENT.has(check.id) && !about(f, hop)) continue;
    titles.add(f.fix.title);
    out.push(f as FixableFinding);
  }
  return out;
}

function about(f: Finding, hop: Pick<Hop, 'nodes' | 'edges'>): boolean {
  const id = f.target.id;
  switch (f.target.kind) {
    case 'node':
      return id !== undefined && hop.nodes.includes(id);
    case 'edge':
      return id !== undefined && hop.edges.includes(id);
    default:
      return true;
  }
}
