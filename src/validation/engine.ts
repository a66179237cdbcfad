/** Runs every rule over a design and turns violations into findings. Pure; never throws. */
import type { Design } from '../schemas/design.js';
import type { Finding, Severity } from '../schemas/finding.js';
import { RuleContext, type ValidationOptions } from './context.js';
import type { Rule, RuleViolation } from './rule.js';
import { RULES } from './rules/index.js';
import { errorMessage } from '../model/error-message.js';

export const INTERNAL_RULE_ID = 'GW000';

/**
 * Each rule reports at most this many findings one by one; what it finds beyond them becomes one finding that counts
 * them ("... and 4,900 more of GW032"), so that a design with thousands of one mistake gives a readable list, a small
 * SARIF log and a Problems panel that stays responsive. The first findings are kept in the order the rule gives them,
 * so the output is the same on every run.
 */
export const MAX_FINDINGS_PER_RULE = 100;

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

/** Validates a schema-valid (or partial) design. Findings carry paths; `analyze` adds locations. */
export function validateDesign(design: Design, options: ValidationOptions = {}, rules: readonly Rule[] = RULES): Finding[] {
  return runRules(new RuleContext(design, options), rules);
}

/**
 * Runs the rules over a context the caller built, so that the caller can read more of it afterwards without doing
 * the work twice (`analyze` reads the certificate files' expiry the rules already parsed).
 */
export function runRules(ctx: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    let count = 0;
    let more: { first: RuleViolation; severity: Severity; hidden: Record<Severity, number> } | undefined;
    try {
      for (const v of rule.check(ctx)) {
        const severity = v.severity ?? rule.severity;
        count++;
        if (count > MAX_FINDINGS_PER_RULE) {
          // Counted, not listed: the summary takes the worst severity of what it stands for (an error stays an error).
          if (!more) more = { first: v, severity, hidden: { error: 0, warning: 0, info: 0 } };
          else if (SEVERITY_RANK[severity] > SEVERITY_RANK[more.severity]) more = { ...more, severity };
          more.hidden[severity]++;
          continue;
        }
        const finding: Finding = {
          ruleId: rule.id,
          severity,
          message: v.message,
          target: v.target,
          path: v.path,
        };
        findings.push(v.fix ? { ...finding, fix: v.fix } : finding);
      }
    } catch (e) {
      findings.push({
        ruleId: INTERNAL_RULE_ID,
        severity: 'error',
        message: `internal error in rule ${rule.id} (${rule.name}): ${errorMessage(e)}`,
        target: { kind: 'document' },
      });
    }
    if (more) {
      const rest = count - MAX_FINDINGS_PER_RULE;
      findings.push({
        ruleId: rule.id,
        severity: more.severity,
        message: `... and ${rest} more of ${rule.id} (${rule.name}): ${count} in all, the first ${MAX_FINDINGS_PER_RULE} listed; the first one not listed: ${more.first.message}`,
        target: { kind: 'document' },
        path: more.first.path,
        hidden: more.hidden,
      });
    }
  }
  return findings;
}
