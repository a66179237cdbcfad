/**
 * Certificate expiry on the canvas: a node or edge that uses a certificate (a listener, custom domain or ingress
 * server certificate, an ingress client CA, an mTLS client certificate, a trusted CA) with a known expiry shows
 * it: a quiet badge with the days left of the soonest ("cert 412d"), a warning badge when one of them expires
 * within EXPIRY_WARNING_DAYS and an error badge once one expired, with a line per certificate for the tooltip
 * ("cert gateway-tls expires in 12 days"). The dates are the host's (read from the
 * certificate file, else the design's `notAfter`; expiryDateOf). Pure, with `now` given; computed when a
 * state arrives, never while the canvas draws.
 */
import { edgeId, type Certificate, type Design } from '../../schemas/design.js';
import { certificateUses } from '../../model/trust.js';
import { expiryDateOf, expiryOf, type CertificateExpiries, type Expiry } from '../panels/cert-tree.js';

export interface ExpiryBadge {
  readonly status: 'valid' | 'warning' | 'error';
  /** The badge's text: "cert 412d", "⚠ cert 12d", "✗ cert expired". */
  readonly text: string;
  /** One line per certificate at risk, the soonest first: "cert gateway-tls expires in 12 days (valid through 2026-01-12)". */
  readonly lines: readonly string[];
}

export interface ExpiryBadges {
  /** By node id. */
  readonly nodes: ReadonlyMap<string, ExpiryBadge>;
  /** By design edge id. */
  readonly edges: ReadonlyMap<string, ExpiryBadge>;
}

interface AtRisk {
  readonly expiry: Expiry & { readonly daysLeft: number };
  readonly line: string;
}

/** "cert gateway-tls expires in 12 days", "cert gateway-tls expired 3 days ago", "cert x expires today". */
export function describeCertificateExpiry(id: string, expiry: Expiry & { readonly daysLeft: number }): string {
  const d = expiry.daysLeft;
  if (expiry.status === 'expired') return `cert ${id} expired ${-d} day${d === -1 ? '' : 's'} ago`;
  if (d === 0) return `cert ${id} expires today`;
  return `cert ${id} expires in ${d} day${d === 1 ? '' : 's'}`;
}

/** Every certificate with a known expiry, by id (the first certificate with an id counts). */
export function certificateExpiries(certificates: readonly Certificate[], expiries: CertificateExpiries | undefined, now: Date): Map<string, AtRisk> {
  const out = new Map<string, AtRisk>();
  for (const cert of certificates) {
    if (out.has(cert.id)) continue;
    const date = expiryDateOf(cert, expiries);
    if (!date) continue;
    const expiry = expiryOf(date.notAfter, now);
    if (expiry.status === 'unknown' || expiry.daysLeft === undefined) continue;
    const withDays = { ...expiry, daysLeft: expiry.daysLeft };
    const through = date.notAfter.slice(0, 10);
    const said = expiry.status === 'valid' ? `cert ${cert.id} valid for ${withDays.daysLeft} more days` : describeCertificateExpiry(cert.id, withDays);
    out.set(cert.id, { expiry: withDays, line: `${said} (valid through ${through}${date.source === 'file' ? ', read from its file' : ''})` });
  }
  return out;
}

/** The certificates that expired or expire soon, by id (the first certificate with an id counts). */
export function certificatesAtRisk(certificates: readonly Certificate[], expiries: CertificateExpiries | undefined, now: Date): Map<string, AtRisk> {
  return new Map([...certificateExpiries(certificates, expiries, now)].filter(([, r]) => r.expiry.status === 'expired' || r.expiry.status === 'expiring'));
}

function badgeOf(risks: readonly AtRisk[]): ExpiryBadge {
  const sorted = [...risks].sort((a, b) => a.expiry.daysLeft - b.expiry.daysLeft);
  const first = sorted[0]!.expiry;
  const status = first.status === 'expired' ? 'error' : first.status === 'expiring' ? 'warning' : 'valid';
  return {
    status,
    text: status === 'error' ? '✗ cert expired' : status === 'warning' ? `⚠ cert ${first.daysLeft}d` : `cert ${first.daysLeft}d`,
    lines: sorted.map((r) => r.line),
  };
}

/** The expiry badge of every node and edge that uses a certificate whose expiry is known. */
export function expiryBadges(design: Pick<Design, 'nodes' | 'edges' | 'certificates'>, expiries: CertificateExpiries | undefined, now: Date): ExpiryBadges {
  const risks = certificateExpiries(design.certificates, expiries, now);
  if (risks.size === 0) return { nodes: new Map(), edges: new Map() };
  const byNode = new Map<string, Map<string, AtRisk>>();
  const byEdge = new Map<string, Map<string, AtRisk>>();
  const add = (map: Map<string, Map<string, AtRisk>>, key: string, certificate: string) => {
    const risk = risks.get(certificate);
    if (!risk) return;
    let own = map.get(key);
    if (!own) map.set(key, (own = new Map()));
    own.set(certificate, risk);
  };
  for (const use of certificateUses(design.nodes, design.edges)) {
    if (use.kind === 'server' || use.kind === 'clientCa') add(byNode, use.node.id, use.certificate);
    else add(byEdge, edgeId(use.edge), use.certificate);
  }
  const finish = (map: Map<string, Map<string, AtRisk>>) => new Map([...map].map(([id, own]) => [id, badgeOf([...own.values()])]));
  return { nodes: finish(byNode), edges: finish(byEdge) };
}
