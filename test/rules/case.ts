/** A rule's two fixtures: a design it passes and one it must flag. */
import type { Target } from '../../src/schemas/finding.js';
import type { CertificateFile } from '../../src/model/design-index.js';

export interface RuleCase {
  /** The rule id. */
  readonly rule: string;
  /** What the failing fixture breaks, for the test name. */
  readonly title: string;
  /** YAML text of a design on which the rule reports nothing (usually the reference design, or a variant). */
  readonly pass: string;
  /** YAML text of a design on which the rule must report. */
  readonly fail: string;
  /** What the first finding of the rule on `fail` must be about. */
  readonly target?: Target;
  /** A substring of its message. */
  readonly message?: string;
  /** Certificate files to hand to the validator, for both fixtures (or per fixture). */
  readonly files?: ReadonlyMap<string, CertificateFile>;
  readonly passFiles?: ReadonlyMap<string, CertificateFile>;
  readonly failFiles?: ReadonlyMap<string, CertificateFile>;
  /** The moment expiry is judged at; 2026-11-27 by default. */
  readonly now?: Date;
}
