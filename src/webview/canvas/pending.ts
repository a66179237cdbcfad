/**
 * Optimistic edits: the canvas draws the effect of its own intent at once, before the host has turned it into a
 * WorkspaceEdit and sent the new state back. Pure (no React, no DOM): the store (../store.ts) keeps the queue of
 * intents the host has not answered yet and uses these functions to draw them over the host's design.
 *
 * The host's answer always wins: every `state` carries `ack`, the sequence number of the last intent whose edit
 * the host has applied (or refused); the intents after it are applied again on top of that state
 * (`rebase`), so that several intents in flight are never lost, and those up to it are dropped. An operation
 * that does not apply to the design it meets (a node that is already there because the host applied it, an edge
 * whose nodes are gone) is skipped: re-applying an intent the host already carried out changes nothing.
 *
 * The effect here is an approximation of src/document/edits (which edits the text): enough to draw the shape
 * (nodes, edges, positions, labels, properties) until the host's state arrives; it never reaches the file.
 */
import {
  CertificateSchema,
  EdgeSchema,
  edgeId,
  NodeSchema,
  type Certificate,
  type Design,
  type DesignEdge,
  type DesignNode,
  type Position,
} from '../../schemas/design.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';

/** An intent sent to the host and not answered yet. */
export interface PendingIntent {
  /** Its sequence number (`seq` of the edit message), increasing from 1 in each webview. */
  readonly seq: number;
  readonly ops: readonly EditOperation[];
  /** What the user did ("Add API Management \"apim-2\""). */
  readonly label: string;
}

/** The elements a pending intent adds or changes, drawn as not confirmed yet. */
export interface PendingMarks {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

export const NO_MARKS: PendingMarks = { nodes: new Set(), edges: new Set() };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `root` with `value` at `path` (objects and arrays on the way copied, missing ones created). */
export function setIn(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...(root as unknown[])];
    copy[head] = setIn(copy[head], rest, value);
    return copy;
  }
  const base: Obj = isObj(root) ? root : {};
  return { ...base, [head]: setIn(base[head], rest, value) };
}

/** A copy of `root` without what is at `path` (unchanged when there is nothing there). */
export function unsetIn(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(root) && typeof head === 'number') {
    if (head >= root.length) return root;
    if (rest.length === 0) return root.filter((_, i) => i !== head);
    const inner = unsetIn(root[head], rest);
    if (inner === root[head]) return root;
    const copy = [...(root as unknown[])];
    copy[head] = inner;
    return copy;
  }
  if (!isObj(root) || !(head in root)) return root;
  if (rest.length === 0) {
    const copy = { ...root };
    delete copy[head];
    return copy;
  }
  const inner = unsetIn(root[head], rest);
  return inner === root[head] ? root : { ...root, [head]: inner };
}

/** The parsed node (defaults filled in) when it satisfies the schema, else the raw object as the user set it. */
function asNode(raw: unknown): DesignNode {
  const parsed = NodeSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as DesignNode);
}

function asEdge(raw: unknown): DesignEdge {
  const parsed = EdgeSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as DesignEdge);
}

function asCertificate(raw: unknown): Certificate {
  const parsed = CertificateSchema.safeParse(raw);
  return parsed.success ? parsed.data : (raw as Certificate);
}

function withLayout(design: Design, positions: Iterable<readonly [string, Position]>): Design {
  const layout = { ...(design.layout ?? {}) };
  for (const [id, p] of positions) layout[id] = { x: p.x, y: p.y };
  return { ...design, layout };
}

function withoutLayout(design: Design, id: string): Design {
  if (!design.layout || !(id in design.layout)) return design;
  const layout = { ...design.layout };
  delete layout[id];
  return { ...design, layout };
}

function changeTarget(design: Design, target: EditTarget, change: (value: unknown) => unknown): Design {
  switch (target.kind) {
    case 'document':
      return change(design) as Design;
    case 'metadata':
      return { ...design, metadata: change(design.metadata) as Design['metadata'] };
    case 'node': {
      const i = design.nodes.findIndex((n) => n.id === target.id);
      if (i < 0) return design;
      const nodes = [...design.nodes];
      nodes[i] = asNode(change(nodes[i]));
      return { ...design, nodes };
    }
    case 'edge': {
      const i = design.edges.findIndex((e) => edgeId(e) === target.id);
      if (i < 0) return design;
      const edges = [...design.edges];
      edges[i] = asEdge(change(edges[i]));
      return { ...design, edges };
    }
    case 'certificate': {
      const i = design.certificates.findIndex((c) => c.id === target.id);
      if (i < 0) return design;
      const certificates = [...design.certificates];
      certificates[i] = asCertificate(change(certificates[i]));
      return { ...design, certificates };
    }
  }
}

function renameNode(design: Design, id: string, newId: string): Design {
  if (id === newId || !design.nodes.some((n) => n.id === id) || design.nodes.some((n) => n.id === newId)) return design;
  const nodes = design.nodes.map((n) => (n.id === id ? { ...n, id: newId } : n));
  const edges = design.edges.map((e) => {
    const props = e.properties as Obj;
    const identity = e.type === 'privateLink' && props.identity === id;
    if (e.from !== id && e.to !== id && !identity) return e;
    return {
      ...e,
      from: e.from === id ? newId : e.from,
      to: e.to === id ? newId : e.to,
      ...(identity ? { properties: { ...props, identity: newId } } : {}),
    } as DesignEdge;
  });
  const certificates = design.certificates.map((c) => (c.keyVault === id ? { ...c, keyVault: newId } : c));
  let out: Design = { ...design, nodes, edges, certificates };
  const p = design.layout?.[id];
  if (p) out = withLayout(withoutLayout(out, id), [[newId, p]]);
  return out;
}

/** The design with one operation carried out; the same object when it does not apply. */
export function applyOperation(design: Design, op: EditOperation): Design {
  switch (op.op) {
    case 'addNode': {
      if (design.nodes.some((n) => n.id === op.node.id)) return design;
      const parsed = NodeSchema.safeParse(op.node);
      if (!parsed.success) return design;
      const out: Design = { ...design, nodes: [...design.nodes, parsed.data] };
      return op.position ? withLayout(out, [[parsed.data.id, op.position]]) : out;
    }
    case 'deleteNode': {
      if (!design.nodes.some((n) => n.id === op.id)) return design;
      const out: Design = {
        ...design,
        nodes: design.nodes.filter((n) => n.id !== op.id),
        edges: design.edges.filter((e) => e.from !== op.id && e.to !== op.id),
      };
      return withoutLayout(out, op.id);
    }
    case 'renameNode':
      return renameNode(design, op.id, op.newId);
    case 'moveNode':
      return design.nodes.some((n) => n.id === op.id) ? withLayout(design, [[op.id, op.position]]) : design;
    case 'setLayout':
      return withLayout(design, Object.entries(op.positions));
    case 'connect': {
      const id = edgeId(op.edge);
      const ids = new Set(design.nodes.map((n) => n.id));
      if (!ids.has(op.edge.from) || !ids.has(op.edge.to) || design.edges.some((e) => edgeId(e) === id)) return design;
      const parsed = EdgeSchema.safeParse(op.edge);
      return parsed.success ? { ...design, edges: [...design.edges, parsed.data] } : design;
    }
    case 'disconnect': {
      const i = design.edges.findIndex((e) => edgeId(e) === op.id);
      return i < 0 ? design : { ...design, edges: design.edges.filter((_, j) => j !== i) };
    }
    case 'setProperty':
      return changeTarget(design, op.target, (v) => setIn(v, op.path, op.value));
    case 'unsetProperty':
      return changeTarget(design, op.target, (v) => unsetIn(v, op.path));
    case 'addCertificate': {
      if (design.certificates.some((c) => c.id === op.certificate.id)) return design;
      const parsed = CertificateSchema.safeParse(op.certificate);
      return parsed.success ? { ...design, certificates: [...design.certificates, parsed.data] } : design;
    }
    case 'updateCertificate': {
      const i = design.certificates.findIndex((c) => c.id === op.id);
      if (i < 0) return design;
      const certificates = [...design.certificates];
      certificates[i] = asCertificate({ ...certificates[i], ...op.changes });
      return { ...design, certificates };
    }
    case 'removeCertificate':
      return design.certificates.some((c) => c.id === op.id) ? { ...design, certificates: design.certificates.filter((c) => c.id !== op.id) } : design;
  }
}

/** The design with an intent's operations carried out in order (those that do not apply skipped). */
export function applyIntent(design: Design, ops: readonly EditOperation[]): Design {
  let out = design;
  for (const op of ops) out = applyOperation(out, op);
  return out;
}

/** The host's design with the intents it has not answered yet carried out on top, oldest first. */
export function rebase(host: Design, intents: readonly PendingIntent[]): Design {
  let out = host;
  for (const intent of intents) out = applyIntent(out, intent.ops);
  return out;
}

/** The intents a state that answers every intent up to `ack` leaves unanswered. */
export function unanswered(intents: readonly PendingIntent[], ack: number): readonly PendingIntent[] {
  if (intents.length === 0 || intents[0]!.seq > ack) return intents;
  return intents.filter((i) => i.seq > ack);
}

/** The nodes and edges the intents add, move or change (deleted ones are simply gone). */
export function pendingMarks(intents: readonly PendingIntent[], previous: PendingMarks = NO_MARKS): PendingMarks {
  if (intents.length === 0) return NO_MARKS;
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const { ops } of intents) {
    for (const op of ops) {
      switch (op.op) {
        case 'addNode':
          nodes.add(op.node.id);
          break;
        case 'moveNode':
          nodes.add(op.id);
          break;
        case 'setLayout':
          for (const id of Object.keys(op.positions)) nodes.add(id);
          break;
        case 'renameNode':
          nodes.delete(op.id);
          nodes.add(op.newId);
          break;
        case 'deleteNode':
          nodes.delete(op.id);
          break;
        case 'connect':
          edges.add(edgeId(op.edge));
          break;
        case 'disconnect':
          edges.delete(op.id);
          break;
        case 'setProperty':
        case 'unsetProperty':
          if (op.target.kind === 'node') nodes.add(op.target.id);
          else if (op.target.kind === 'edge') edges.add(op.target.id);
          break;
        default:
          break;
      }
    }
  }
  // The same sets when they hold the same ids (a move marks no node or edge): the nodes and edges built from them
  // are not built again (issue #19: a drop redid every edge because its marks were a new, equally empty set).
  const sameNodes = sameSet(nodes, previous.nodes);
  const sameEdges = sameSet(edges, previous.edges);
  if (sameNodes && sameEdges) return previous;
  return { nodes: sameNodes ? previous.nodes : nodes, edges: sameEdges ? previous.edges : edges };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The class React Flow puts on a pending node's or edge's element (styles.css draws it dashed and faded). */
export const PENDING_CLASS = 'gwc-pending';

interface Markable {
  readonly id: string;
  readonly className?: string | undefined;
}

/**
 * The elements with the pending ones marked (class and `data-pending`) and the others unmarked; elements whose
 * mark does not change are the same objects, so that React Flow redraws only the ones that did.
 */
export function markPending<T extends Markable & { domAttributes?: object | undefined }>(elements: T[], pending: ReadonlySet<string>): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    const marked = (el.className ?? '').split(' ').includes(PENDING_CLASS);
    const wanted = pending.has(el.id);
    if (marked === wanted) continue;
    out ??= [...elements];
    const classes = (el.className ?? '').split(' ').filter((c) => c && c !== PENDING_CLASS);
    if (wanted) classes.push(PENDING_CLASS);
    const attrs: Record<string, unknown> = { ...(el.domAttributes ?? {}) };
    if (wanted) attrs['data-pending'] = 'true';
    else delete attrs['data-pending'];
    out[i] = { ...el, className: classes.join(' '), domAttributes: attrs } as T;
  }
  return out ?? elements;
}

interface Sizable {
  readonly id: string;
  readonly measured?: { readonly width?: number | undefined; readonly height?: number | undefined } | undefined;
  readonly initialWidth?: number | undefined;
  readonly initialHeight?: number | undefined;
}

/**
 * Pending nodes React Flow has not measured yet get a provisional size: React Flow hides a node until it knows
 * its size, and measuring it (a ResizeObserver, then another render) would show a node added on the canvas one or
 * two frames late. Its real size replaces the provisional one once measured.
 */
export function sizeUnmeasured<T extends Sizable>(nodes: T[], pending: ReadonlySet<string>, size: { width: number; height: number }): T[] {
  if (pending.size === 0) return nodes;
  let out: T[] | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!pending.has(n.id) || n.measured?.width || n.initialWidth !== undefined) continue;
    out ??= [...nodes];
    out[i] = { ...n, initialWidth: size.width, initialHeight: size.height };
  }
  return out ?? nodes;
}
