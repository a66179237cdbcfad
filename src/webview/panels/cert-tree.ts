/**
 * The certificates panel's model: the trust-chain tree (self-signed roots and public CAs at the top, the
 * certificates they issued below), expiry in days, where each certificate is used, and the new-certificate
 * form's checks. Built on the derived-trust helpers of src/model/trust.ts. Pure: no React, no DOM.
 */
import { CertificateSchema, edgeId, type Certificate, type Design } from '../../schemas/design.js';
import type { Finding, Severity } from '../../schemas/finding.js';
import type { EditOperation } from '../../schemas/operations.js';
import { certificateUses, describeChain, issuerChain, rootOf } from '../../model/trust.js';
import type { SelectionItem } from '../selection.js';

// ---------------------------------------------------------------- the tree

export type ChainNode =
  | {
      readonly kind: 'certificate';
      readonly id: string;
      readonly certificate: Certificate;
      /** Index in design.certificates. */
      readonly index: number;
      /** The root of its chain (rootOf): its own id for a root, `external`, or undefined when broken. */
      readonly root: string | undefined;
      /** `"apim-client" → "internal-ca" (root)`. */
      readonly chain: string;
      readonly children: readonly ChainNode[];
    }
  | {
      /** A group heading: certificates from a public CA, or those whose issuer is unknown or loops. */
      readonly kind: 'external' | 'broken';
      readonly id: string;
      readonly children: readonly ChainNode[];
    };

/**
 * The trust-chain forest, in document order: every self-signed root with what it issued below it, then
 * `external` (certificates issued by a public CA, and theirs), then the certificates whose chain is broken
 * (unknown issuer, or issuers that loop), each with what it issued. Every certificate appears exactly once.
 */
export function buildChainTree(certificates: readonly Certificate[]): ChainNode[] {
  const byId = new Map<string, Certificate>();
  for (const c of certificates) if (!byId.has(c.id)) byId.set(c.id, c);
  const lookup = { certificates: byId };
  const indexOf = new Map<Certificate, number>(certificates.map((c, i) => [c, i]));

  const issued = new Map<string, Certificate[]>();
  for (const c of certificates) {
    if (c.issuer === 'self') continue;
    const list = issued.get(c.issuer);
    if (list) list.push(c);
    else issued.set(c.issuer, [c]);
  }

  const placed = new Set<Certificate>();
  const grow = (cert: Certificate): ChainNode => {
    placed.add(cert);
    // Only the first certificate with an id issues (duplicates are the validator's finding).
    const below = byId.get(cert.id) === cert ? (issued.get(cert.id) ?? []) : [];
    const children: ChainNode[] = [];
    for (const c of below) if (!placed.has(c)) children.push(grow(c));
    return {
      kind: 'certificate',
      id: cert.id,
      certificate: cert,
      index: indexOf.get(cert) ?? -1,
      root: rootOf(lookup, cert.id),
      chain: describeChain(lookup, cert.id),
      children,
    };
  };

  const roots: ChainNode[] = [];
  for (const c of certificates) if (c.issuer === 'self' && !placed.has(c)) roots.push(grow(c));

  const external: ChainNode[] = [];
  for (const c of certificates) if (c.issuer === 'external' && !placed.has(c)) external.push(grow(c));
  if (external.length) roots.push({ kind: 'external', id: 'external', children: external });

  // Broken: an unknown issuer heads a subtree; what is left sits in a loop of issuers.
  const broken: ChainNode[] = [];
  for (const c of certificates) {
    if (placed.has(c) || c.issuer === 'self' || c.issuer === 'external' || byId.has(c.issuer)) continue;
    broken.push(grow(c));
  }
  for (const c of certificates) if (!placed.has(c)) broken.push(grow(c));
  if (broken.length) roots.push({ kind: 'broken', id: 'broken', children: broken });
  return roots;
}

/** Why a certificate's chain is broken, in words; undefined when it is whole. */
export function brokenReason(certificates: readonly Certificate[], id: string): string | undefined {
  const byId = new Map<string, Certificate>();
  for (const c of certificates) if (!byId.has(c.id)) byId.set(c.id, c);
  const { chain, ended } = issuerChain({ certificates: byId }, id);
  if (ended === 'cycle') return 'its issuers form a loop';
  if (ended === 'missing') {
    const last = chain[chain.length - 1] ?? byId.get(id);
    return last ? `issuer "${last.issuer}" is not a certificate of this design` : undefined;
  }
  return undefined;
}

export interface TreeRow {
  readonly node: ChainNode;
  /** 1 for the top level. */
  readonly level: number;
  readonly expanded: boolean;
  readonly hasChildren: boolean;
  /** Ids of the rows above, to the top (for aria and parent navigation). */
  readonly parentId: string | undefined;
}

/** The visible rows of the tree, depth first; rows under a collapsed id are hidden. */
export function visibleRows(tree: readonly ChainNode[], collapsed: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly ChainNode[], level: number, parentId: string | undefined) => {
    for (const node of nodes) {
      const key = rowKey(node);
      const expanded = !collapsed.has(key);
      rows.push({ node, level, expanded, hasChildren: node.children.length > 0, parentId });
      if (expanded) walk(node.children, level + 1, key);
    }
  };
  walk(tree, 1, undefined);
  return rows;
}

/** A row's stable key: the certificate id, or `#external` / `#broken` for group headings. */
export function rowKey(node: ChainNode): string {
  return node.kind === 'certificate' ? node.id : `#${node.kind}`;
}

// ---------------------------------------------------------------- expiry

export const DAY_MS = 86_400_000;
/** Below this many days, an expiry is shown as a warning (the validator's GW214 uses the same). */
export const EXPIRY_WARNING_DAYS = 30;

export type ExpiryStatus = 'expired' | 'expiring' | 'valid' | 'unknown';

export interface Expiry {
  readonly status: ExpiryStatus;
  /** Whole days left (negative once expired); undefined without a date. */
  readonly daysLeft?: number;
}

/**
 * The expiry of a certificate valid through `notAfter`, as the validator judges it: a date (YYYY-MM-DD, UTC,
 * valid through the end of that day, as the design gives it) or an instant (ISO 8601 with a time, as read from a
 * certificate file).
 */
export function expiryOf(notAfter: string | undefined, now: Date): Expiry {
  if (!notAfter) return { status: 'unknown' };
  const end = /^\d{4}-\d{2}-\d{2}$/.test(notAfter) ? Date.parse(`${notAfter}T00:00:00Z`) + DAY_MS : Date.parse(notAfter);
  if (Number.isNaN(end)) return { status: 'unknown' };
  const ms = end - now.getTime();
  if (ms <= 0) return { status: 'expired', daysLeft: -Math.ceil(-ms / DAY_MS) };
  const daysLeft = Math.floor(ms / DAY_MS);
  return { status: daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', daysLeft };
}

/** When each certificate expires, by id, as the host read it (the `state` message's certificateExpiry). */
export type CertificateExpiries = Readonly<Record<string, { readonly notAfter: string; readonly source: 'file' | 'design' }>>;

export interface ExpiryDate {
  /** YYYY-MM-DD (the design) or an ISO 8601 instant (a certificate file). */
  readonly notAfter: string;
  readonly source: 'file' | 'design';
}

/**
 * When a certificate expires: what the host sent (the file's date when it read the file, else the design's), else
 * the design's `notAfter` (a host that sent no dates); undefined when neither is known.
 */
export function expiryDateOf(cert: Pick<Certificate, 'id' | 'notAfter'>, expiries: CertificateExpiries | undefined): ExpiryDate | undefined {
  if (expiries && Object.hasOwn(expiries, cert.id)) return expiries[cert.id];
  return cert.notAfter ? { notAfter: cert.notAfter, source: 'design' } : undefined;
}

/** "412 days left", "1 day left", "expired 3 days ago", "expires today". */
export function describeExpiry(expiry: Expiry): string {
  const d = expiry.daysLeft;
  if (d === undefined) return 'no expiry date';
  if (expiry.status === 'expired') return d === 0 ? 'expired today' : `expired ${-d} day${d === -1 ? '' : 's'} ago`;
  if (d === 0) return 'expires today';
  return `${d} day${d === 1 ? '' : 's'} left`;
}

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/** The worst severity among findings, or undefined. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}

/** How a certificate row is styled: the worse of its expiry and of the findings about it. */
export function certificateStatus(expiry: Expiry, findings: readonly Finding[]): 'error' | 'warning' | 'info' | 'ok' {
  const fromDate = expiry.status === 'expired' ? 'error' : expiry.status === 'expiring' ? 'warning' : undefined;
  const fromFindings = worstSeverity(findings);
  const candidates = [fromDate, fromFindings].filter((s): s is Severity => s !== undefined);
  if (candidates.length === 0) return 'ok';
  return candidates.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
}

/** Findings per certificate id. */
export function findingsByCertificate(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.target.kind !== 'certificate' || f.target.id === undefined) continue;
    const list = map.get(f.target.id);
    if (list) list.push(f);
    else map.set(f.target.id, [f]);
  }
  return map;
}

// ---------------------------------------------------------------- uses

export interface Use {
  /** "listener of appgw", "client certificate on apim-aks". */
  readonly label: string;
  /** What selecting the use selects. */
  readonly target: SelectionItem;
}

/** Where each certificate is used (certificateUses of src/model/trust.ts), by certificate id, in document order. */
export function usesByCertificate(design: Design): Map<string, Use[]> {
  const map = new Map<string, Use[]>();
  const add = (id: string, use: Use) => {
    const list = map.get(id);
    if (list) list.push(use);
    else map.set(id, [use]);
  };
  for (const use of certificateUses(design.nodes, design.edges)) {
    switch (use.kind) {
      case 'server': {
        const what = use.node.type === 'aksCluster' ? 'ingress' : use.node.type === 'applicationGateway' ? 'listener' : 'custom domain';
        add(use.certificate, { label: `${what} of ${use.node.id}`, target: { kind: 'node', id: use.node.id } });
        break;
      }
      case 'clientCa':
        add(use.certificate, { label: `client CA of ${use.node.id}`, target: { kind: 'node', id: use.node.id } });
        break;
      case 'client':
        add(use.certificate, { label: `client certificate on ${edgeId(use.edge)}`, target: { kind: 'edge', id: edgeId(use.edge) } });
        break;
      case 'trustedCa':
        add(use.certificate, { label: `trusted CA on ${edgeId(use.edge)}`, target: { kind: 'edge', id: edgeId(use.edge) } });
        break;
    }
  }
  return map;
}

// ---------------------------------------------------------------- new certificates

export interface CertificateDraft {
  id: string;
  role: Certificate['role'];
  issuer: string;
  /** A keyVault node id, or '' for none. */
  keyVault: string;
}

/** A free id for a new certificate of a role: "server-cert", "server-cert-2", ... */
export function suggestCertificateId(design: Design, role: Certificate['role']): string {
  const taken = new Set(design.certificates.map((c) => c.id));
  const stem = role === 'ca' ? 'new-ca' : `${role}-cert`;
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The issuer a new certificate of a role starts with: a CA is a root; others come from the first CA, else a public CA. */
export function defaultIssuer(design: Design, role: Certificate['role']): string {
  if (role === 'ca') return 'self';
  return design.certificates.find((c) => c.role === 'ca')?.id ?? 'external';
}

/** A new certificate form, filled in with free and sensible values. */
export function newCertificateDraft(design: Design, role: Certificate['role'] = 'server'): CertificateDraft {
  const keyVault = design.nodes.find((n) => n.type === 'keyVault')?.id ?? '';
  return { id: suggestCertificateId(design, role), role, issuer: defaultIssuer(design, role), keyVault };
}

/** What is wrong with a draft (by field), empty when it can be added. */
export function checkCertificateDraft(design: Design, draft: CertificateDraft): Partial<Record<keyof CertificateDraft, string>> {
  const problems: Partial<Record<keyof CertificateDraft, string>> = {};
  if (!CertificateSchema.shape.id.safeParse(draft.id).success) {
    problems.id = 'must be 1-127 letters, digits and hyphens, starting with a letter or digit';
  } else if (design.certificates.some((c) => c.id === draft.id)) {
    problems.id = `a certificate "${draft.id}" already exists`;
  }
  if (draft.issuer !== 'self' && draft.issuer !== 'external' && !design.certificates.some((c) => c.id === draft.issuer && c.role === 'ca')) {
    problems.issuer = `"${draft.issuer}" is not a CA certificate of this design`;
  }
  if (draft.keyVault && !design.nodes.some((n) => n.id === draft.keyVault && n.type === 'keyVault')) {
    problems.keyVault = `"${draft.keyVault}" is not a keyVault node`;
  }
  return problems;
}

/** The operation that adds the draft. */
export function addCertificateOps(draft: CertificateDraft): EditOperation[] {
  const certificate: { id: string; role: string; issuer: string; keyVault?: string } = { id: draft.id, role: draft.role, issuer: draft.issuer };
  if (draft.keyVault) certificate.keyVault = draft.keyVault;
  return [{ op: 'addCertificate', certificate }];
}
