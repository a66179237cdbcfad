/** Where a selected element is in the design, its path, edit target and findings. Pure: no React, no DOM. */
import { edgeId, type Certificate, type Design, type DesignEdge, type DesignNode } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditTarget, Path } from '../../schemas/operations.js';
import type { Selection, SelectionItem } from '../selection.js';

export type { SelectionItem };

export type Element =
  | { readonly kind: 'node'; readonly id: string; readonly index: number; readonly node: DesignNode }
  | { readonly kind: 'edge'; readonly id: string; readonly index: number; readonly edge: DesignEdge }
  | { readonly kind: 'certificate'; readonly id: string; readonly index: number; readonly certificate: Certificate };

/** The selected element in the design, with its index in its section; undefined when it is not there. */
export function findElement(design: Design, item: SelectionItem): Element | undefined {
  switch (item.kind) {
    case 'node': {
      const index = design.nodes.findIndex((n) => n.id === item.id);
      const node = design.nodes[index];
      return node ? { kind: 'node', id: item.id, index, node } : undefined;
    }
    case 'edge': {
      const index = design.edges.findIndex((e) => edgeId(e) === item.id);
      const edge = design.edges[index];
      return edge ? { kind: 'edge', id: item.id, index, edge } : undefined;
    }
    case 'certificate': {
      const index = design.certificates.findIndex((c) => c.id === item.id);
      const certificate = design.certificates[index];
      return certificate ? { kind: 'certificate', id: item.id, index, certificate } : undefined;
    }
  }
}

export const SECTION = { node: 'nodes', edge: 'edges', certificate: 'certificates' } as const;

/**
 * The path of an element from the document root (['nodes', 3]), for revealInText; `rest` goes below it.
 * The index is the element's position in the design as sent, which is the document's while the file
 * satisfies the schema.
 */
export function elementPath(design: Design, item: SelectionItem, rest: Path = []): Path | undefined {
  const element = findElement(design, item);
  return element ? [SECTION[element.kind], element.index, ...rest] : undefined;
}

/** The target of property edits on an element. */
export function editTarget(item: SelectionItem): EditTarget {
  return { kind: item.kind, id: item.id };
}

/** The findings about an element. */
export function findingsOn(findings: readonly Finding[], item: SelectionItem): Finding[] {
  return findings.filter((f) => f.target.kind === item.kind && f.target.id === item.id);
}

/** A finding's path relative to the element at `prefix` (['nodes', 3]); undefined when it is elsewhere. */
export function relativePath(finding: Finding, prefix: Path): Path | undefined {
  const path = finding.path;
  if (!path || path.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return undefined;
  return path.slice(prefix.length);
}

/** The type of every selected element when they all share one ("apiManagement"), else undefined. */
export function commonType(design: Design, selection: Selection): string | undefined {
  let type: string | undefined;
  for (const item of selection) {
    const element = findElement(design, item);
    if (!element) return undefined;
    const t =
      element.kind === 'node' ? element.node.type : element.kind === 'edge' ? `${element.edge.type} edge` : `${element.certificate.role} certificate`;
    if (type !== undefined && t !== type) return undefined;
    type = t;
  }
  return type;
}

/** Dotted form of a path, for test ids and element ids ("properties.ingress.verifyDepth"). */
export function pathKey(path: Path): string {
  return path.map(String).join('.');
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

