/**
 * Fresh ids for what the canvas creates: nodes (`apim`, `apim-2`, ...), edges and certificates. Pure.
 */
import { edgeId, type Design, type NodeType } from '../schemas/design.js';
import { NODE_CATALOG } from './catalog.js';

const NODE_ID_MAX = 40;
const EDGE_ID_MAX = 81;
const CERT_ID_MAX = 127;

type Taken = ReadonlySet<string> | ((id: string) => boolean);

function isTaken(taken: Taken, id: string): boolean {
  return typeof taken === 'function' ? taken(id) : taken.has(id);
}

/**
 * `base` if free, else `base-2`, `base-3`, ...; the base is shortened so that the result stays within
 * `max` characters (and does not end with a hyphen).
 */
export function allocateId(base: string, taken: Taken, max = NODE_ID_MAX): string {
  const fit = (b: string, suffix: string) => `${b.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
  const first = fit(base, '');
  if (!isTaken(taken, first)) return first;
  for (let n = 2; ; n++) {
    const candidate = fit(base, `-${n}`);
    if (!isTaken(taken, candidate)) return candidate;
  }
}

/** Turns any text into a node id base: lower case, letters/digits/hyphens, starting with a letter. */
export function slugId(text: string, fallback = 'node'): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return slug.length > 0 ? slug.slice(0, NODE_ID_MAX) : fallback;
}

export function nodeIds(design: Pick<Design, 'nodes'> | null | undefined): Set<string> {
  return new Set((design?.nodes ?? []).map((n) => n.id));
}

/** The id a new node of this type gets in this design. */
export function newNodeId(type: NodeType, taken: Taken): string {
  return allocateId(NODE_CATALOG[type].idBase, taken);
}

/**
 * The id for a copy of a node: its id with a numeric suffix (`apim-2`) removed, then allocated
 * (`apim-3`). Zero-padded suffixes (`db-0001`) are kept as part of the base.
 */
export function copyNodeId(id: string, taken: Taken): string {
  const base = id.replace(/-[1-9][0-9]*$/, '');
  return allocateId(base.length > 0 ? base : id, taken);
}

export function edgeIds(design: Pick<Design, 'edges'> | null | undefined): Set<string> {
  return new Set((design?.edges ?? []).map((e) => edgeId(e)));
}

/**
 * The explicit id a new edge needs, or undefined when its default id (`<from>-<to>`) is free.
 * When another edge already joins the two nodes, the type is added: `aks-kv-secrets`.
 */
export function newEdgeId(from: string, to: string, type: string, taken: Taken): string | undefined {
  const implicit = `${from}-${to}`;
  if (!isTaken(taken, implicit)) return undefined;
  return allocateId(`${from}-${to}-${type}`, taken, EDGE_ID_MAX);
}

export function certificateIds(design: Pick<Design, 'certificates'> | null | undefined): Set<string> {
  return new Set((design?.certificates ?? []).map((c) => c.id));
}

export function newCertificateId(base: string, taken: Taken): string {
  return allocateId(base, taken, CERT_ID_MAX);
}
