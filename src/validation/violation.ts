/** One thing a rule found: the message, what it is about, where in the document, and the fix if there is one. */
import type { Fix, Severity, Target } from '../schemas/finding.js';
import type { Path } from '../schemas/operations.js';

export interface RuleViolation {
  readonly message: string;
  readonly target: Target;
  /** Where in the document the problem is (e.g. ['nodes', 2, 'properties', 'sku']). */
  readonly path: Path;
  readonly fix?: Fix;
  /** Overrides the rule's severity for this one violation (for example: expired is an error, expiring a warning). */
  readonly severity?: Severity;
}
