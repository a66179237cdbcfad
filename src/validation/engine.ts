/** Runs every rule over a design and turns violations into findings. Pure; never throws. */
import type { Design } from '../schemas/design.js';
import type { Finding } from '../schemas/finding.js';
import { RuleContext, type ValidationOptions } from './context.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { errorMessage } from '../model/error-message.js';

export const INTERNAL_RULE_ID = 'GW000';

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
    try {
      for (const v of rule.check(ctx)) {
        const finding: Finding = {
          ruleId: rule.id,
          severity: v.severity ?? rule.severity,
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
  }
  return findings;
}
