/**
 * What a rule sees: the design index (src/model/design-index.ts) and the helpers that turn a finding into a
 * violation at the right place in the document.
 */
import { DesignIndex, type DesignIndexOptions, type EdgeEntry } from '../model/design-index.js';
import type { Certificate, DesignNode } from '../schemas/design.js';
import type { Fix, Severity } from '../schemas/finding.js';
import type { Path } from '../schemas/operations.js';
import type { RuleViolation } from './violation.js';

export type { CertificateFile, EdgeEntry } from '../model/design-index.js';
export type ValidationOptions = DesignIndexOptions;

export interface Extra {
  readonly fix?: Fix;
  readonly severity?: Severity;
}

export class RuleContext extends DesignIndex {
  atNode(node: DesignNode, message: string, rest: Path = [], extra: Extra = {}): RuleViolation {
    return { message, target: { kind: 'node', id: node.id }, path: this.nodePath(node.id, ...rest), ...extra };
  }

  atEdge(entry: EdgeEntry, message: string, rest: Path = [], extra: Extra = {}): RuleViolation {
    return { message, target: { kind: 'edge', id: entry.id }, path: this.edgePath(entry, ...rest), ...extra };
  }

  atCertificate(cert: Certificate, message: string, rest: Path = [], extra: Extra = {}): RuleViolation {
    return { message, target: { kind: 'certificate', id: cert.id }, path: this.certPath(cert.id, ...rest), ...extra };
  }

  atDocument(message: string, path: Path = [], extra: Extra = {}): RuleViolation {
    return { message, target: { kind: 'document' }, path, ...extra };
  }

}
