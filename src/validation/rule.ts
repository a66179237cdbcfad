/** What a validation rule is: an id, a severity, a title, its rationale, the source it follows, a check. */
import type { Severity } from '../schemas/finding.js';
import type { RuleContext } from './context.js';
import type { RuleViolation } from './violation.js';

export type { RuleViolation };

export type RuleCategory = 'document' | 'graph' | 'architecture' | 'trust' | 'certificate';

export interface RuleSource {
  /** The tool or document whose check this rule follows. */
  readonly tool: 'PSRule for Azure' | 'Checkov' | 'KICS' | 'Defender for Cloud' | 'Bicep linter' | 'Microsoft Learn' | 'Gatewright' | 'Kubernetes';
  /** The rule id in that tool, or the title of the document. */
  readonly ref: string;
  readonly url?: string;
}

export interface Rule {
  /** Stable id, `GW` and three digits. */
  readonly id: string;
  /** Short kebab-case name, for SARIF and humans. */
  readonly name: string;
  readonly category: RuleCategory;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
  readonly source: RuleSource;
  /** Whether any violation of it can carry a fix. */
  readonly fixable?: boolean;
  check(ctx: RuleContext): Iterable<RuleViolation>;
}

/** A rule's description without its check: for findings made outside the rules (syntax, schema). */
export type RuleInfo = Omit<Rule, 'check'>;

/** Identity helper that keeps rule literals checked against the interface. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
