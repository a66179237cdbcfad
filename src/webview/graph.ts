/**
 * The design as React Flow nodes and edges: what each node shows (title, type, key settings, finding
 * counts), how each edge is labelled (TLS trust, Private Link endpoint), the overlays on them (deployment
 * markers, rehearsal results, certificate expiry: plain strings in the data, so that an unchanged overlay keeps
 * the node or edge object as it was), and positions. Pure, so that it
 * can be unit tested; objects that did not change are reused from the previous build, which keeps the
 * memoized node and edge components from rendering again when the host sends a new state.
 */
import type { Edge, Node } from '@xyflow/react';
import { edgeId, type Certificate, type Design, type DesignEdge, type DesignNode, type EdgeOf, type EdgeType, type NodeType, type Position } from '../schemas/design.js';
import type { Finding, Severity } from '../schemas/finding.js';
import { callerTrust, ingressClientTrust, type TrustLookup } from '../model/trust.js';
import { readableName } from '../model/naming.js';
import { EDGE_CATALOG, NODE_CATALOG, PRIVATE_LINK_ZONES, type EdgeFamily } from './catalog.js';
import type { Selection } from './panels/types.js';
import type { MarkerKind, NodeDeploymentView } from './overlays/deployment.js';
import type { ExpiryBadge } from './overlays/expiry.js';
import type { EdgeRehearsalView } from './overlays/rehearsal.js';
import type { TraceBadge, TraceVerdict } from './overlays/trace.js';

/** Size of a node on the canvas (CSS keeps it), used by automatic layout and the exported image. */
export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 72;

export interface ArchNodeData extends Record<string, unknown> {
  readonly nodeType: NodeType;
  /** Label, Azure name or id. */
  readonly title: string;
  readonly typeTitle: string;
  readonly id: string;
  /** 1-3 key settings, joined with " · ". */
  readonly settings: string;
  /** Everything in full, for the tooltip. */
  readonly tooltip: string;
  readonly errors: number;
  readonly warnings: number;
  /** The deployment marker ('' for none), its symbol and label ("~" "modify", "↻" "running 2/5") and its tooltip. */
  readonly deploy: MarkerKind | '';
  readonly deploySymbol: string;
  readonly deployLabel: string;
  readonly deployTitle: string;
  /** The certificate expiry badge ('' for none), its text and its tooltip (one line per certificate). */
  readonly expiry: ExpiryBadge['status'] | '';
  readonly expiryText: string;
  readonly expiryTitle: string;
  /** The trace badge ('' for none), its text ("✓ trace") and tooltip (the hops crossing the node). */
  readonly trace: TraceVerdict | '';
  readonly traceText: string;
  readonly traceTitle: string;
}

/** What is drawn over a node besides the design: its deployment marker, certificate expiry and trace badges. */
export interface NodeOverlay {
  readonly deployment?: NodeDeploymentView | undefined;
  readonly expiry?: ExpiryBadge | undefined;
  readonly trace?: TraceBadge | undefined;
}

export type ArchFlowNode = Node<ArchNodeData, 'arch'>;

export interface ArchEdgeData extends Record<string, unknown> {
  readonly edgeType: EdgeType;
  /** The edge's id in the design (React Flow ids are made unique when the file repeats one). */
  readonly edgeId: string;
  readonly severity: 'error' | 'warning' | undefined;
  /** Lines of the label; the first is the title. */
  readonly lines: readonly string[];
  readonly lock: boolean;
  readonly dashed: boolean;
  /** What the edge means, in a sentence (tooltip). */
  readonly description: string;
  /** The rehearsal badge of an https or mtls edge ('' for none), its text ("✓ 4/4") and tooltip (the cases). */
  readonly rehearsal: 'pass' | 'fail' | '';
  readonly rehearsalText: string;
  readonly rehearsalTitle: string;
  /** The certificate expiry badge ('' for none), its text and tooltip. */
  readonly expiry: ExpiryBadge['status'] | '';
  readonly expiryText: string;
  readonly expiryTitle: string;
  /** The trace badge of an edge a traced hop crosses ('' for none), its text and tooltip. */
  readonly trace: TraceVerdict | '';
  readonly traceText: string;
  readonly traceTitle: string;
}

export type ArchFlowEdge = Edge<ArchEdgeData, EdgeFamily>;

export interface Counts {
  errors: number;
  warnings: number;
}

/** Error and warning counts per element, keyed `node:<id>`, `edge:<id>`, `certificate:<id>`. */
export function findingCounts(findings: readonly Finding[]): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const f of findings) {
    if (f.severity === 'info' || f.target.kind === 'document' || f.target.id === undefined) continue;
    const key = `${f.target.kind}:${f.target.id}`;
    let c = counts.get(key);
    if (!c) counts.set(key, (c = { errors: 0, warnings: 0 }));
    if (f.severity === 'error') c.errors++;
    else c.warnings++;
  }
  return counts;
}

export function worstSeverity(c: Counts | undefined): Exclude<Severity, 'info'> | undefined {
  if (!c) return undefined;
  return c.errors > 0 ? 'error' : c.warnings > 0 ? 'warning' : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 errors, 1 warning", or "" when there is nothing. */
export function describeCounts(c: Counts | undefined): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.errors) parts.push(plural(c.errors, 'error'));
  if (c.warnings) parts.push(plural(c.warnings, 'warning'));
  return parts.join(', ');
}

/** The screen reader name of a node: "API Management apim: 2 errors", then its overlays ("; what-if: to be created"). */
export function nodeAriaLabel(type: NodeType, id: string, c: Counts | undefined, overlay?: NodeOverlay): string {
  const counts = describeCounts(c);
  return `${NODE_CATALOG[type].title} ${id}${counts ? `: ${counts}` : ''}${overlaySuffix([overlay?.deployment?.summary, ...(overlay?.expiry?.lines ?? [])])}`;
}

function overlaySuffix(parts: readonly (string | undefined)[]): string {
  const text = parts.filter(isText).join('; ');
  return text ? `; ${text}` : '';
}

export function edgeAriaLabel(edge: DesignEdge, id: string, c: Counts | undefined, rehearsal?: EdgeRehearsalView, expiry?: ExpiryBadge): string {
  const counts = describeCounts(c);
  return `${EDGE_CATALOG[edge.type].title} edge ${id} from ${edge.from} to ${edge.to}${counts ? `: ${counts}` : ''}${overlaySuffix([rehearsal?.summary, ...(expiry?.lines ?? [])])}`;
}

/** The 1-3 settings a node shows under its name. */
export function keySettings(node: DesignNode): string[] {
  switch (node.type) {
    case 'applicationGateway': {
      const p = node.properties;
      return [p.sku, p.sku === 'WAF_v2' ? p.wafMode : undefined, p.hostName].filter(isText);
    }
    case 'apiManagement': {
      const p = node.properties;
      return [p.sku, p.virtualNetworkType === 'None' ? 'no VNet' : `${p.virtualNetworkType} VNet`, p.hostName].filter(isText);
    }
    case 'aksCluster': {
      const p = node.properties;
      const ingress = p.ingress;
      return [p.privateCluster ? 'private' : 'public API', ingress.controller, ingress.verifyClient === 'on' ? 'mTLS verify on' : `verify ${ingress.verifyClient}`];
    }
    case 'containerRegistry':
      return [node.properties.sku, access(node.properties.publicNetworkAccess)];
    case 'entraId':
      return [node.properties.audience].filter(isText);
    case 'sqlDatabase':
      return [access(node.properties.publicNetworkAccess), node.properties.entraOnlyAuthentication ? 'Entra-only auth' : 'SQL auth allowed'];
    case 'cosmosDb':
      return [access(node.properties.publicNetworkAccess), node.properties.localAuth ? 'keys allowed' : 'no keys'];
    case 'keyVault':
      return [access(node.properties.publicNetworkAccess), node.properties.rbacAuthorization ? 'RBAC' : 'access policies', node.properties.purgeProtection ? 'purge protection' : undefined].filter(isText);
    case 'logAnalytics':
      return [`${node.properties.retentionDays} days`];
    case 'applicationInsights':
      return [node.properties.localAuth ? 'key ingestion' : 'Entra ID ingestion'];
    case 'defenderForCloud': {
      const plans = node.properties.plans;
      return [plans.length <= 3 ? plans.join(', ') : `${plans.length} plans`];
    }
    case 'virtualNetwork':
      return [node.properties.addressSpace];
    default:
      return [];
  }
}

function access(v: 'Disabled' | 'Enabled'): string {
  return v === 'Disabled' ? 'private' : 'public access';
}

function isText(v: string | undefined): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function nodeData(node: DesignNode, c: Counts | undefined, overlay?: NodeOverlay): ArchNodeData {
  const title = node.label ?? node.name ?? node.id;
  const typeTitle = NODE_CATALOG[node.type].title;
  const settings = keySettings(node).slice(0, 3).join(' · ');
  const counts = describeCounts(c);
  const deployment = overlay?.deployment;
  const expiry = overlay?.expiry;
  return {
    nodeType: node.type,
    title,
    typeTitle,
    id: node.id,
    settings,
    tooltip: [`${title} (${typeTitle} ${node.id})`, settings, counts, ...(deployment?.tooltip ?? []), ...(expiry?.lines ?? [])].filter(Boolean).join('\n'),
    errors: c?.errors ?? 0,
    warnings: c?.warnings ?? 0,
    deploy: deployment?.kind ?? '',
    deploySymbol: deployment?.symbol ?? '',
    deployLabel: deployment?.label ?? '',
    deployTitle: deployment ? deployment.tooltip.join('\n') : '',
    expiry: expiry?.status ?? '',
    expiryText: expiry?.text ?? '',
    expiryTitle: expiry ? expiry.lines.join('\n') : '',
    trace: overlay?.trace?.verdict ?? '',
    traceText: overlay?.trace?.text ?? '',
    traceTitle: overlay?.trace?.title ?? '',
  };
}

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]));
}

export interface NodeBuildInput {
  readonly design: Design;
  readonly positions: ReadonlyMap<string, Position>;
  readonly counts: ReadonlyMap<string, Counts>;
  readonly selected: ReadonlySet<string>;
  /** Deployment markers by node id (nodes not in it get none). */
  readonly deployment?: ReadonlyMap<string, NodeDeploymentView>;
  /** Certificate expiry badges by node id. */
  readonly expiry?: ReadonlyMap<string, ExpiryBadge>;
  /** Trace badges by node id. */
  readonly trace?: ReadonlyMap<string, TraceBadge>;
  /**
   * The size a node will be drawn at, for a node React Flow has not measured yet (canvas/node-size.ts): given as
   * `measured`, React Flow draws the node at once instead of hiding it until measured.
   */
  readonly size?: (data: ArchNodeData) => { width: number; height: number };
}

/**
 * Where a node with no position goes until automatic layout places it: a row under everything placed.
 */
export function provisionalPositions(ids: readonly string[], placed: Iterable<Position>): Map<string, Position> {
  let maxY = -Infinity;
  let minX = Infinity;
  for (const p of placed) {
    maxY = Math.max(maxY, p.y);
    minX = Math.min(minX, p.x);
  }
  const top = Number.isFinite(maxY) ? maxY + NODE_HEIGHT + 80 : 0;
  const left = Number.isFinite(minX) ? minX : 0;
  const out = new Map<string, Position>();
  ids.forEach((id, i) => out.set(id, { x: left + (i % 8) * (NODE_WIDTH + 56), y: top + Math.floor(i / 8) * (NODE_HEIGHT + 56) }));
  return out;
}

interface CachedNodeData {
  readonly errors: number;
  readonly warnings: number;
  readonly overlay: NodeOverlay;
  readonly data: ArchNodeData;
}

/**
 * What each design node showed last, by the node object: an intent carried out on the canvas (pending.ts) and a
 * state that changes some nodes keep the other node objects, whose data then need not be worked out again.
 */
const nodeDataCache = new WeakMap<DesignNode, CachedNodeData>();

function cachedNodeData(node: DesignNode, c: Counts | undefined, overlay: NodeOverlay): ArchNodeData {
  const errors = c?.errors ?? 0;
  const warnings = c?.warnings ?? 0;
  const hit = nodeDataCache.get(node);
  if (
    hit &&
    hit.errors === errors &&
    hit.warnings === warnings &&
    hit.overlay.deployment === overlay.deployment &&
    hit.overlay.expiry === overlay.expiry &&
    hit.overlay.trace === overlay.trace
  ) {
    return hit.data;
  }
  const data = nodeData(node, c, overlay);
  nodeDataCache.set(node, { errors, warnings, overlay, data });
  return data;
}

/** The React Flow nodes, reusing every node object of `previous` that did not change. */
export function buildFlowNodes(input: NodeBuildInput, previous: readonly ArchFlowNode[]): ArchFlowNode[] {
  const prev = new Map(previous.map((n) => [n.id, n]));
  const missing = input.design.nodes.filter((n) => !input.positions.has(n.id)).map((n) => n.id);
  const provisional = missing.length ? provisionalPositions(missing, input.positions.values()) : undefined;
  const seen = new Set<string>();
  const out: ArchFlowNode[] = [];
  for (const node of input.design.nodes) {
    if (seen.has(node.id)) continue; // a repeated id is a finding; draw the first
    seen.add(node.id);
    const c = input.counts.get(`node:${node.id}`);
    const old = prev.get(node.id);
    // A node being dragged stays under the pointer even if a new state arrives meanwhile.
    const position = old?.dragging ? old.position : (input.positions.get(node.id) ?? provisional?.get(node.id) ?? { x: 0, y: 0 });
    const selected = input.selected.has(node.id);
    const overlay: NodeOverlay = { deployment: input.deployment?.get(node.id), expiry: input.expiry?.get(node.id), trace: input.trace?.get(node.id) };
    const data = cachedNodeData(node, c, overlay);
    if (old && old.position.x === position.x && old.position.y === position.y && Boolean(old.selected) === selected && (old.data === data || shallowEqual(old.data, data))) {
      out.push(old);
      continue;
    }
    const severity = data.errors > 0 ? 'error' : data.warnings > 0 ? 'warning' : 'ok';
    const flowNode: ArchFlowNode = {
      id: node.id,
      type: 'arch',
      position: { x: position.x, y: position.y },
      data: old && old.data !== data && shallowEqual(old.data, data) ? old.data : data,
      selected,
      className: `gwc-node gwc-node--${severity} gwc-icon--${node.type}`,
      ariaLabel: nodeAriaLabel(node.type, node.id, c, overlay),
    };
    // Keep the measured size: without it React Flow hides the node until it measures it again.
    if (old?.measured) flowNode.measured = old.measured;
    else if (input.size) flowNode.measured = input.size(data);
    out.push(flowNode);
  }
  return out;
}

/** Maps and indexes the trust helpers need. */
export function trustLookup(design: Design): TrustLookup {
  const nodes = new Map<string, DesignNode>();
  for (const n of design.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const certificates = new Map<string, Certificate>();
  for (const c of design.certificates) if (!certificates.has(c.id)) certificates.set(c.id, c);
  const incoming = new Map<string, { edge: EdgeOf<'mtls'> }[]>();
  for (const e of design.edges) {
    if (e.type !== 'mtls') continue;
    let list = incoming.get(e.to);
    if (!list) incoming.set(e.to, (list = []));
    list.push({ edge: e });
  }
  return { nodes, certificates, incoming: (id) => incoming.get(id) ?? [] };
}

function caText(ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  return ids.map((id) => (id === 'external' ? 'public CA' : id)).join(', ');
}

export interface EdgeText {
  /** Short label lines drawn on the edge; the first is the title. */
  readonly lines: string[];
  /** The full sentence, for the tooltip. */
  readonly detail: string;
}

/**
 * What an edge says: for https the CA the caller trusts; for mtls the client certificate and the CA the
 * ingress verifies it with; for Private Link the private endpoint and DNS zone it implies.
 */
export function edgeText(edge: DesignEdge, design: Design, lookup: TrustLookup): EdgeText {
  const info = EDGE_CATALOG[edge.type];
  const ends = `${edge.from} → ${edge.to}`;
  switch (edge.type) {
    case 'https': {
      const trust = callerTrust(lookup, edge);
      if (trust.caIds.length === 0) return { lines: ['HTTPS'], detail: `HTTPS ${ends}: ${edge.from} has no CA to validate ${edge.to}'s server certificate with.` };
      const how = trust.derived ? `the issuer of ${edge.to}'s server certificate` : 'set by trustedCa';
      return { lines: ['HTTPS', `CA ${caText(trust.caIds)}`], detail: `HTTPS ${ends}: ${edge.from} validates ${edge.to}'s server certificate against ${caText(trust.caIds)} (${how}).` };
    }
    case 'mtls': {
      const client = edge.properties.clientCertificate;
      const callee = lookup.nodes.get(edge.to);
      const trust = callee?.type === 'aksCluster' ? ingressClientTrust(lookup, callee) : undefined;
      const lines = ['mTLS', `cert ${client}`];
      let detail = `Mutual TLS ${ends}: ${edge.from} presents client certificate ${client}`;
      if (trust) {
        lines.push(`CA ${caText(trust.caIds)}`);
        detail += `; the ingress of ${edge.to} verifies it against ${caText(trust.caIds)}${trust.derived ? ' (derived from the client certificates of its mTLS edges)' : ' (set by ingress.clientCa)'}`;
      }
      const server = callerTrust(lookup, edge);
      if (server.caIds.length) detail += `; ${edge.from} validates the ingress certificate against ${caText(server.caIds)}`;
      return { lines, detail: `${detail}.` };
    }
    case 'privateLink': {
      const target = lookup.nodes.get(edge.to);
      const zone = target ? PRIVATE_LINK_ZONES[target.type] : undefined;
      if (!target || !zone) return { lines: ['Private Link'], detail: `Private Link ${ends}.` };
      const endpoint = `pe-${readableName(design.metadata.name, target)}`.slice(0, 64).replace(/[-.]+$/, '');
      return {
        lines: ['Private Link', endpoint, zone],
        detail: `Private Link ${ends}: private endpoint ${endpoint} in the virtual network, resolved through the private DNS zone ${zone}.`,
      };
    }
    default:
      return { lines: [], detail: `${info.title} ${ends}: ${info.description}` };
  }
}

interface CachedEdgeText {
  readonly from: DesignNode | undefined;
  readonly to: DesignNode | undefined;
  readonly certificates: Design['certificates'];
  readonly metadata: Design['metadata'];
  /** For an mtls edge: the mtls edges into its target (whose client certificates the ingress trusts). */
  readonly incoming: readonly DesignEdge[];
  readonly text: EdgeText;
}

/**
 * What each design edge said last, by the edge object, with everything edgeText read to say it: its two nodes,
 * the certificates, the metadata (the endpoint's name) and, for mTLS, the other mTLS edges into the same ingress.
 * An intent that moves, adds or changes one element leaves the other edges' texts as they were.
 */
const edgeTextCache = new WeakMap<DesignEdge, CachedEdgeText>();

function cachedEdgeText(edge: DesignEdge, design: Design, lookup: TrustLookup): EdgeText {
  const from = lookup.nodes.get(edge.from);
  const to = lookup.nodes.get(edge.to);
  const incoming = edge.type === 'mtls' ? lookup.incoming(edge.to, 'mtls').map((x) => x.edge) : [];
  const hit = edgeTextCache.get(edge);
  if (
    hit &&
    hit.from === from &&
    hit.to === to &&
    hit.certificates === design.certificates &&
    hit.metadata === design.metadata &&
    hit.incoming.length === incoming.length &&
    hit.incoming.every((e, i) => e === incoming[i])
  ) {
    return hit.text;
  }
  const text = edgeText(edge, design, lookup);
  edgeTextCache.set(edge, { from, to, certificates: design.certificates, metadata: design.metadata, incoming, text });
  return text;
}

/** The label lines of an edge (see edgeText). */
export function edgeLines(edge: DesignEdge, design: Design, lookup: TrustLookup): string[] {
  return edgeText(edge, design, lookup).lines;
}

export interface EdgeBuildInput {
  readonly design: Design;
  readonly counts: ReadonlyMap<string, Counts>;
  /** Selected design edge ids. */
  readonly selected: ReadonlySet<string>;
  /** Hide diagnostics, protects, siem and secrets edges (unless selected). */
  readonly hideControlPlane?: boolean;
  /** Rehearsal results by design edge id (drawn on https and mtls edges only). */
  readonly rehearsal?: ReadonlyMap<string, EdgeRehearsalView>;
  /** Certificate expiry badges by design edge id. */
  readonly expiry?: ReadonlyMap<string, ExpiryBadge>;
  /** Trace badges by design edge id. */
  readonly trace?: ReadonlyMap<string, TraceBadge>;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** React Flow edges of the design (edges whose ends do not exist are left out), reusing unchanged ones. */
export function buildFlowEdges(input: EdgeBuildInput, previous: readonly ArchFlowEdge[]): ArchFlowEdge[] {
  const prev = new Map(previous.map((e) => [e.id, e]));
  const nodeIds = new Set(input.design.nodes.map((n) => n.id));
  const lookup = trustLookup(input.design);
  const used = new Set<string>();
  const out: ArchFlowEdge[] = [];
  for (const edge of input.design.edges) {
    if (!nodeIds.has(edge.from) || !nodeIds.has(edge.to)) continue;
    const id = edgeId(edge);
    let flowId = id;
    for (let n = 2; used.has(flowId); n++) flowId = `${id}~${n}`;
    used.add(flowId);
    const c = input.counts.get(`edge:${id}`);
    const info = EDGE_CATALOG[edge.type];
    const text = cachedEdgeText(edge, input.design, lookup);
    const lines = text.lines;
    const severity = worstSeverity(c);
    const selected = input.selected.has(id);
    const hidden = !!input.hideControlPlane && info.family === 'control' && !selected;
    const rehearsal = edge.type === 'https' || edge.type === 'mtls' ? input.rehearsal?.get(id) : undefined;
    const expiry = input.expiry?.get(id);
    const ariaLabel = edgeAriaLabel(edge, id, c, rehearsal, expiry);
    const overlay = {
      rehearsal: rehearsal ? (rehearsal.pass ? 'pass' : 'fail') : '',
      rehearsalText: rehearsal?.text ?? '',
      rehearsalTitle: rehearsal?.tooltip ?? '',
      expiry: expiry?.status ?? '',
      expiryText: expiry?.text ?? '',
      expiryTitle: expiry ? expiry.lines.join('\n') : '',
      trace: input.trace?.get(id)?.verdict ?? '',
      traceText: input.trace?.get(id)?.text ?? '',
      traceTitle: input.trace?.get(id)?.title ?? '',
    } as const;
    const old = prev.get(flowId);
    if (
      old?.data &&
      old.source === edge.from &&
      old.target === edge.to &&
      old.type === info.family &&
      Boolean(old.selected) === selected &&
      old.ariaLabel === ariaLabel &&
      old.data.edgeType === edge.type &&
      old.data.edgeId === id &&
      old.data.severity === severity &&
      old.data.description === text.detail &&
      Boolean(old.hidden) === hidden &&
      sameLines(old.data.lines, lines) &&
      old.data.rehearsal === overlay.rehearsal &&
      old.data.rehearsalText === overlay.rehearsalText &&
      old.data.rehearsalTitle === overlay.rehearsalTitle &&
      old.data.expiry === overlay.expiry &&
      old.data.expiryText === overlay.expiryText &&
      old.data.expiryTitle === overlay.expiryTitle &&
      old.data.trace === overlay.trace &&
      old.data.traceText === overlay.traceText &&
      old.data.traceTitle === overlay.traceTitle
    ) {
      out.push(old);
      continue;
    }
    out.push({
      id: flowId,
      source: edge.from,
      target: edge.to,
      type: info.family,
      selected,
      hidden,
      ariaLabel,
      data: {
        edgeType: edge.type,
        edgeId: id,
        severity,
        lines,
        lock: edge.type === 'https' || edge.type === 'mtls',
        dashed: info.dashed,
        description: text.detail,
        ...overlay,
      },
    });
  }
  // Nothing changed (an intent that adds or moves a node, a property no edge shows): the same array, so that React
  // Flow does not take in every edge again.
  return sameItems(out, previous) ? (previous as ArchFlowEdge[]) : out;
}

/** Whether `next` is `before` (the same objects) with nodes appended whose ids no edge names. */
export function onlyAppendedUnnamed(before: readonly DesignNode[], next: readonly DesignNode[], edges: readonly DesignEdge[]): boolean {
  if (next === before) return true;
  if (next.length <= before.length) return false;
  for (let i = 0; i < before.length; i++) if (before[i] !== next[i]) return false;
  const added = new Set(next.slice(before.length).map((n) => n.id));
  return !edges.some((e) => added.has(e.from) || added.has(e.to));
}

/** Whether two lists hold the same objects in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Selected node ids and edge ids of a selection. */
export function selectionSets(selection: Selection): { nodes: Set<string>; edges: Set<string>; certificates: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const certificates = new Set<string>();
  for (const s of selection) (s.kind === 'node' ? nodes : s.kind === 'edge' ? edges : certificates).add(s.id);
  return { nodes, edges, certificates };
}
