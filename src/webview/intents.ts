/**
 * What the canvas's gestures ask the host for, as edit operations: add a node, move nodes, delete the
 * selection, copy and paste nodes with the edges between them. Pure.
 */
import { edgeId, NODE_PROPERTY_SCHEMAS, type Design, type DesignNode, type NodeType, type Position } from '../schemas/design.js';
import type { EditOperation } from '../schemas/operations.js';
import { NODE_CATALOG } from './catalog.js';
import { copyNodeId, edgeIds, newNodeId, nodeIds } from './ids.js';
import type { Selection } from './panels/types.js';

const round = (p: Position): Position => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** Adds a node of a type with a fresh id at a position. */
export function addNodeOperation(design: Design | null, type: NodeType, position: Position): { op: EditOperation; id: string; label: string } {
  const id = newNodeId(type, nodeIds(design));
  return { op: { op: 'addNode', node: { id, type }, position: round(position) }, id, label: `Add ${NODE_CATALOG[type].title} "${id}"` };
}

/**
 * Where a node added with the keyboard goes: the centre of the view, moved down and right by steps until no
 * node sits there (so that pressing Enter several times does not stack nodes).
 */
export function freeSpot(centre: Position, occupied: Iterable<Position>, step = 24): Position {
  const taken = [...occupied];
  let p = round(centre);
  for (let i = 0; i < 200 && taken.some((q) => Math.abs(q.x - p.x) < step && Math.abs(q.y - p.y) < step); i++) {
    p = { x: p.x + step, y: p.y + step };
  }
  return p;
}

/** One edit for a drag: `moveNode` for one node, `setLayout` for several. */
export function moveOperations(positions: Readonly<Record<string, Position>>): { ops: EditOperation[]; label: string } | undefined {
  const entries = Object.entries(positions);
  if (entries.length === 0) return undefined;
  if (entries.length === 1) {
    const [id, p] = entries[0]!;
    return { ops: [{ op: 'moveNode', id, position: round(p) }], label: `Move "${id}"` };
  }
  return {
    ops: [{ op: 'setLayout', positions: Object.fromEntries(entries.map(([id, p]) => [id, round(p)])) }],
    label: `Move ${entries.length} nodes`,
  };
}

/**
 * Deleting a selection in one edit: edges first (those not removed with their nodes anyway), then nodes
 * (each with its edges and layout entry), then certificates.
 */
export function deleteOperations(design: Design, selection: Selection): { ops: EditOperation[]; label: string } | undefined {
  const nodes = new Set(selection.filter((s) => s.kind === 'node').map((s) => s.id));
  const existingNodes = nodeIds(design);
  const existingEdges = edgeIds(design);
  const existingCerts = new Set(design.certificates.map((c) => c.id));
  const ops: EditOperation[] = [];
  const doneEdges = new Set<string>();
  for (const s of selection) {
    if (s.kind !== 'edge' || doneEdges.has(s.id) || !existingEdges.has(s.id)) continue;
    doneEdges.add(s.id);
    // The first edge with this id is the one `disconnect` removes; skip it when a deleted node takes it anyway.
    const edge = design.edges.find((e) => edgeId(e) === s.id);
    if (edge && (nodes.has(edge.from) || nodes.has(edge.to))) continue;
    ops.push({ op: 'disconnect', id: s.id });
  }
  for (const id of nodes) if (existingNodes.has(id)) ops.push({ op: 'deleteNode', id });
  const certs = new Set<string>();
  for (const s of selection) {
    if (s.kind === 'certificate' && existingCerts.has(s.id) && !certs.has(s.id)) {
      certs.add(s.id);
      ops.push({ op: 'removeCertificate', id: s.id });
    }
  }
  if (ops.length === 0) return undefined;
  const parts: string[] = [];
  const count = (n: number, word: string) => (n ? [`${n} ${word}${n === 1 ? '' : 's'}`] : []);
  parts.push(...count(ops.filter((o) => o.op === 'deleteNode').length, 'node'));
  parts.push(...count(ops.filter((o) => o.op === 'disconnect').length, 'edge'));
  parts.push(...count(certs.size, 'certificate'));
  return { ops, label: `Delete ${parts.join(', ')}` };
}

// ---------------------------------------------------------------- copy and paste

/** What Ctrl+C puts on the clipboard (also as JSON text, so that it can be pasted into another design). */
export interface ClipboardData {
  readonly kind: 'gatewright/nodes';
  readonly version: 1;
  /** The copied nodes, with their properties minus the defaults. */
  readonly nodes: readonly Record<string, unknown>[];
  /** The edges between copied nodes. */
  readonly edges: readonly Record<string, unknown>[];
  readonly positions: Readonly<Record<string, Position>>;
}

const defaultsCache = new Map<NodeType, Record<string, unknown>>();

function defaultsOf(type: NodeType): Record<string, unknown> {
  let d = defaultsCache.get(type);
  if (!d) {
    d = (NODE_PROPERTY_SCHEMAS[type].parse({}) ?? {}) as Record<string, unknown>;
    defaultsCache.set(type, d);
  }
  return d;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A copy of `value` without the entries equal to `defaults` (recursively in nested objects). */
export function withoutDefaults(value: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || deepEqual(v, defaults[k])) continue;
    const d = defaults[k];
    if (isPlainObject(v) && isPlainObject(d)) {
      const inner = withoutDefaults(v, d);
      if (Object.keys(inner).length > 0) out[k] = inner;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** The node as a paste writes it: id, type, label and the properties that differ from the defaults. */
export function nodeForClipboard(node: DesignNode): Record<string, unknown> {
  const out: Record<string, unknown> = { id: node.id, type: node.type };
  if (node.label !== undefined) out.label = node.label;
  // `name` is not copied: Azure names are often globally unique, and the copy derives its own from its id.
  const props = withoutDefaults(node.properties as Record<string, unknown>, defaultsOf(node.type));
  if (Object.keys(props).length > 0) out.properties = props;
  return out;
}

export function copySelection(design: Design, ids: Iterable<string>, positions: ReadonlyMap<string, Position>): ClipboardData | undefined {
  const wanted = new Set(ids);
  const nodes = design.nodes.filter((n) => wanted.has(n.id));
  if (nodes.length === 0) return undefined;
  const kept = new Set(nodes.map((n) => n.id));
  const edges = design.edges
    .filter((e) => kept.has(e.from) && kept.has(e.to))
    .map((e) => {
      const out: Record<string, unknown> = { from: e.from, to: e.to, type: e.type };
      if (e.id !== undefined) out.id = e.id;
      const props = e.properties as Record<string, unknown>;
      const nonDefault = Object.fromEntries(
        Object.entries(props).filter(([k, v]) => v !== undefined && !((k === 'validateCertificateChain' || k === 'validateCertificateName') && v === true)),
      );
      if (Object.keys(nonDefault).length > 0) out.properties = nonDefault;
      return out;
    });
  const pos: Record<string, Position> = {};
  for (const n of nodes) {
    const p = positions.get(n.id);
    if (p) pos[n.id] = { x: p.x, y: p.y };
  }
  return { kind: 'gatewright/nodes', version: 1, nodes: nodes.map(nodeForClipboard), edges, positions: pos };
}

/** Reads clipboard text written by copySelection; undefined for anything else. */
export function parseClipboard(text: string): ClipboardData | undefined {
  try {
    const data = JSON.parse(text) as Partial<ClipboardData>;
    if (data?.kind !== 'gatewright/nodes' || data.version !== 1 || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) return undefined;
    const nodes = data.nodes.filter((n): n is Record<string, unknown> => isPlainObject(n) && typeof n.id === 'string' && typeof n.type === 'string' && n.type in NODE_PROPERTY_SCHEMAS);
    const edges = data.edges.filter((e): e is Record<string, unknown> => isPlainObject(e) && typeof e.from === 'string' && typeof e.to === 'string' && typeof e.type === 'string');
    const positions = isPlainObject(data.positions) ? (data.positions as Record<string, Position>) : {};
    return { kind: 'gatewright/nodes', version: 1, nodes, edges, positions };
  } catch {
    return undefined;
  }
}

/**
 * The operations of one paste: every copied node with a fresh id, placed `offset` away from where it was
 * copied (or around `fallback` when it had no position), and the edges between the copies, remapped.
 */
export function pasteOperations(
  clip: ClipboardData,
  design: Design | null,
  offset: Position,
  fallback: Position = { x: 0, y: 0 },
): { ops: EditOperation[]; ids: string[]; label: string } {
  const taken = nodeIds(design);
  const rename = new Map<string, string>();
  const ops: EditOperation[] = [];
  clip.nodes.forEach((node, i) => {
    const oldId = String(node.id);
    const id = copyNodeId(oldId, taken);
    taken.add(id);
    rename.set(oldId, id);
    const p = clip.positions[oldId];
    const position = p ? { x: p.x + offset.x, y: p.y + offset.y } : { x: fallback.x + i * 24, y: fallback.y + i * 24 };
    ops.push({ op: 'addNode', node: { ...node, id, type: String(node.type) }, position: round(position) });
  });
  const takenEdges = edgeIds(design);
  for (const edge of clip.edges) {
    const from = rename.get(String(edge.from));
    const to = rename.get(String(edge.to));
    if (!from || !to) continue;
    const copy: Record<string, unknown> & { from: string; to: string; type: string } = { ...edge, from, to, type: String(edge.type) };
    delete copy.id;
    const implicit = `${from}-${to}`;
    if (typeof edge.id === 'string' || takenEdges.has(implicit)) {
      // Keep an explicit id's shape ("aks-kv-link" -> "aks-2-kv-2-link" is not guessable): derive a fresh one.
      let id = `${implicit}-${copy.type}`;
      for (let n = 2; takenEdges.has(id); n++) id = `${implicit}-${copy.type}-${n}`;
      copy.id = id;
      takenEdges.add(id);
    } else {
      takenEdges.add(implicit);
    }
    if (isPlainObject(copy.properties) && typeof copy.properties.identity === 'string' && rename.has(copy.properties.identity)) {
      copy.properties = { ...copy.properties, identity: rename.get(copy.properties.identity) };
    }
    ops.push({ op: 'connect', edge: copy });
  }
  const ids = [...rename.values()];
  return { ops, ids, label: ids.length === 1 ? `Paste "${ids[0]}"` : `Paste ${ids.length} nodes` };
}
