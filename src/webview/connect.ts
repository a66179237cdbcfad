/**
 * Connections drawn on the canvas: which edge types fit between two nodes (src/schemas/connections.ts, minus
 * the types that already join them), and the operations a new edge needs (an mTLS edge needs a client
 * certificate: an existing one, or a new one created in the same edit). Pure.
 */
import { allowedEdgeTypes } from '../schemas/connections.js';
import { edgeId, type Certificate, type Design, type EdgeType, type NodeType } from '../schemas/design.js';
import type { EditOperation } from '../schemas/operations.js';
import { ingressClientTrust, tlsEndpointOf } from '../model/trust.js';
import { certificateIds, edgeIds, newCertificateId, newEdgeId } from './ids.js';
import { trustLookup } from './graph.js';

export type ConnectionChoice =
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'one'; readonly type: EdgeType }
  | { readonly kind: 'several'; readonly types: readonly EdgeType[] };

/** Node types and the edge types between each ordered pair, for quick checks while the user drags. */
export interface ConnectIndex {
  readonly types: ReadonlyMap<string, NodeType>;
  readonly existing: ReadonlyMap<string, ReadonlySet<EdgeType>>;
}

const pairKey = (from: string, to: string) => `${from}\u0000${to}`;

export function connectIndex(design: Design | null): ConnectIndex {
  const types = new Map<string, NodeType>();
  const existing = new Map<string, Set<EdgeType>>();
  for (const n of design?.nodes ?? []) if (!types.has(n.id)) types.set(n.id, n.type);
  for (const e of design?.edges ?? []) {
    const key = pairKey(e.from, e.to);
    let set = existing.get(key);
    if (!set) existing.set(key, (set = new Set()));
    set.add(e.type);
  }
  return { types, existing };
}

/** The edge types the user may draw from `from` to `to`. */
export function connectionChoice(index: ConnectIndex, from: string | null | undefined, to: string | null | undefined): ConnectionChoice {
  if (!from || !to) return { kind: 'invalid', reason: 'a connection needs two nodes' };
  if (from === to) return { kind: 'invalid', reason: 'a node cannot connect to itself' };
  const a = index.types.get(from);
  const b = index.types.get(to);
  if (!a || !b) return { kind: 'invalid', reason: 'unknown node' };
  const allowed = allowedEdgeTypes(a, b);
  if (allowed.length === 0) return { kind: 'invalid', reason: `no connection fits from ${a} to ${b}` };
  const have = index.existing.get(pairKey(from, to));
  const types = have ? allowed.filter((t) => !have.has(t)) : allowed;
  if (types.length === 0) return { kind: 'invalid', reason: `"${from}" already connects to "${to}" with every type that fits` };
  return types.length === 1 ? { kind: 'one', type: types[0]! } : { kind: 'several', types };
}

/** The client certificates an mTLS edge can present. */
export function clientCertificates(design: Design): Certificate[] {
  return design.certificates.filter((c) => c.role === 'client');
}

export interface NewClientCertificate {
  readonly id: string;
  readonly role: 'client';
  readonly issuer: string;
  readonly keyVault?: string;
}

/**
 * A client certificate for a new mTLS edge: issued by the CA the callee already trusts for clients (its
 * `clientCa`, or the issuer of the client certificates other callers present), else the CA of its server
 * certificate, else the design's first CA, else self-signed; kept in that CA's Key Vault (or the first one).
 */
export function proposeClientCertificate(design: Design, from: string, to: string): NewClientCertificate {
  const lookup = trustLookup(design);
  const isCa = (id: string | undefined): id is string => !!id && lookup.certificates.get(id)?.role === 'ca';
  const callee = lookup.nodes.get(to);
  let issuer: string | undefined;
  if (callee?.type === 'aksCluster') issuer = ingressClientTrust(lookup, callee).caIds.find(isCa);
  if (!issuer && callee) {
    const server = tlsEndpointOf(callee)?.certificate;
    const serverIssuer = server ? lookup.certificates.get(server)?.issuer : undefined;
    if (isCa(serverIssuer)) issuer = serverIssuer;
  }
  issuer ??= design.certificates.find((c) => c.role === 'ca')?.id ?? 'self';
  const keyVault = lookup.certificates.get(issuer)?.keyVault ?? design.nodes.find((n) => n.type === 'keyVault')?.id;
  const id = newCertificateId(`${from}-client`, certificateIds(design));
  return keyVault ? { id, role: 'client', issuer, keyVault } : { id, role: 'client', issuer };
}

export type CertificateChoice =
  | { readonly kind: 'existing'; readonly id: string }
  | { readonly kind: 'new'; readonly certificate: NewClientCertificate };

/** The operations of one edit that draws an edge (and, for mTLS, creates its client certificate). */
export function connectOperations(design: Design, from: string, to: string, type: EdgeType, certificate?: CertificateChoice): EditOperation[] {
  const ops: EditOperation[] = [];
  const edge: { from: string; to: string; type: EdgeType; id?: string; properties?: Record<string, unknown> } = { from, to, type };
  const id = newEdgeId(from, to, type, edgeIds(design));
  if (id) edge.id = id;
  if (type === 'mtls') {
    if (!certificate) throw new Error('an mTLS edge needs a client certificate');
    if (certificate.kind === 'new') {
      ops.push({ op: 'addCertificate', certificate: { ...certificate.certificate } });
      edge.properties = { clientCertificate: certificate.certificate.id };
    } else {
      edge.properties = { clientCertificate: certificate.id };
    }
  }
  ops.push({ op: 'connect', edge });
  return ops;
}

/** The design id an edge drawn by connectOperations will have. */
export function connectedEdgeId(ops: readonly EditOperation[]): string | undefined {
  const op = ops.find((o) => o.op === 'connect');
  if (!op || op.op !== 'connect') return undefined;
  return edgeId(op.edge as { id?: string; from: string; to: string });
}
