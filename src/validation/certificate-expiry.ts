/**
 * When each certificate of a design expires, for the designer's certificates panel: from its `file` when the caller
 * handed that file in and it holds a certificate (the first one; the others are its chain), else from the design's
 * `notAfter`. Read from the validation's RuleContext, so a file the rules parsed is not parsed again.
 */
import type { RuleContext } from './context.js';
import { parsedFileOf } from '../x509/files.js';

export interface CertificateExpiryEntry {
  /**
   * From a file: the certificate's notAfter instant (ISO 8601, UTC, e.g. 2027-03-01T08:30:00.000Z), which the
   * validator judges expiry against. From the design: its notAfter date as written (YYYY-MM-DD, valid through the
   * end of that day).
   */
  readonly notAfter: string;
  /** Where it was read: the certificate file, or the design's notAfter. */
  readonly source: 'file' | 'design';
}

/** By certificate id; certificates with neither a readable file nor a notAfter are absent. */
export type CertificateExpiry = Readonly<Record<string, CertificateExpiryEntry>>;

export function certificateExpiryOf(ctx: RuleContext): CertificateExpiry {
  const entries: [string, CertificateExpiryEntry][] = [];
  for (const cert of ctx.certificates.values()) {
    const fromFile = parsedFileOf(ctx, cert)?.leaf.notAfter;
    if (fromFile) entries.push([cert.id, { notAfter: fromFile.toISOString(), source: 'file' }]);
    else if (cert.notAfter) entries.push([cert.id, { notAfter: cert.notAfter, source: 'design' }]);
  }
  // fromEntries defines own properties, whatever the ids are.
  return Object.fromEntries(entries);
}
