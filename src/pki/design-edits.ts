/**
 * The design changes that follow `gatewright certs dev`: each certificate's `file` names its public PEM, and a
 * `notAfter` the design gives is set to the new certificate's expiry (so that the validator's check of the two,
 * GW261, agrees). As edit operations (src/document/edits), so that the design file changes only there, comments
 * and all kept; nothing else of the design is touched.
 */
import type { Design } from '../schemas/design.js';
import type { EditOperation } from '../schemas/operations.js';
import { isoDay } from '../x509/certificate.js';
import type { DevCertificate } from './dev.js';

export interface DesignChange {
  readonly certificate: string;
  readonly field: 'file' | 'notAfter';
  readonly from: string | undefined;
  readonly to: string;
}

/**
 * The operations (one updateCertificate per certificate that changes) and the changes in words.
 * `fileOf` gives the path the design names for a certificate's public PEM (relative to the workspace root, with
 * forward slashes).
 */
export function designChangesFor(
  design: Design,
  certificates: readonly DevCertificate[],
  fileOf: (id: string) => string,
): { operations: EditOperation[]; changes: DesignChange[] } {
  const operations: EditOperation[] = [];
  const changes: DesignChange[] = [];
  const made = new Map(certificates.map((c) => [c.id, c]));
  const seen = new Set<string>();
  for (const cert of design.certificates) {
    if (seen.has(cert.id)) continue;
    seen.add(cert.id);
    const dev = made.get(cert.id);
    if (!dev) continue;
    const update: Record<string, string> = {};
    const file = fileOf(cert.id);
    if (cert.file !== file) {
      update.file = file;
      changes.push({ certificate: cert.id, field: 'file', from: cert.file, to: file });
    }
    const notAfter = isoDay(dev.notAfter);
    if (cert.notAfter !== undefined && cert.notAfter !== notAfter) {
      update.notAfter = notAfter;
      changes.push({ certificate: cert.id, field: 'notAfter', from: cert.notAfter, to: notAfter });
    }
    if (Object.keys(update).length > 0) operations.push({ op: 'updateCertificate', id: cert.id, changes: update });
  }
  return { operations, changes };
}
