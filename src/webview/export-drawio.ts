/**
 * The diagram as a draw.io file (`.drawio`): an uncompressed mxGraph model
 * (https://www.drawio.com/doc/faq/save-file-formats; mxfile > diagram > mxGraphModel > root > mxCell), built from
 * what the canvas draws: one vertex per node with its label and geometry, one edge per edge with its source and
 * target, and containers (React Flow group nodes) as swimlane cells whose children are parented to them, with
 * geometry relative to the container as mxGraph expects. Labels are plain text (`html=0`), escaped for XML, so a
 * label such as `<b>&"'` shows as those characters. An edge drawn along a path (edge-path.ts, the path the canvas
 * draws) leaves its source and enters its target where the canvas's does (exitX/exitY, entryX/entryY, relative to the
 * cell), runs through the path's bend points (`<Array as="points">` of the geometry, absolute on the layer) with
 * edgeStyle=orthogonalEdgeStyle, and has its label where the canvas puts it: at the relative position along the
 * edge (geometry x, -1 at the source to 1 at the target) plus an `offset`
 * (https://jgraph.github.io/mxgraph/docs/js-api/files/model/mxGeometry-js.html,
 * https://jgraph.github.io/mxgraph/docs/js-api/files/view/mxEdgeStyle-js.html). Pure.
 */
import type { Position } from '../schemas/design.js';
import { labelDrawn } from './edge-path.js';


export interface DiagramBox {
  readonly id: string;
  /** The first line of the label (the node's title, the container's name). */
  readonly label: string;
  /** A second line (the node's type), if any. */
  readonly detail?: string;
  /** Absolute position and size, in canvas units. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The container it sits in (React Flow's parentId). */
  readonly parentId?: string;
  readonly container: boolean;
  /** A private endpoint (drawn as the canvas draws it: a small box with a Private Link border). */
  readonly endpoint?: boolean;
}

export interface DiagramLink {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  readonly dashed?: boolean;
  /** The path the canvas draws it along (start on the source, bends, end on the target), absolute. */
  readonly points?: readonly Position[];
  /** The centre of its label on the canvas, absolute. */
  readonly labelAt?: Position;
}

export interface DrawioInput {
  /** The diagram's (page's) name. */
  readonly name: string;
  readonly boxes: readonly DiagramBox[];
  readonly links: readonly DiagramLink[];
}

/** XML attribute text: markup characters as entities, line breaks as &#xa;, other control characters dropped. */
export function xmlAttribute(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[<>&"'\n\r\t]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;', '\n': '&#xa;', '\r': '', '\t': '&#x9;' })[c]!);
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

const VERTEX_STYLE = 'rounded=1;whiteSpace=wrap;html=0;arcSize=8;fillColor=#f8f8f8;strokeColor=#8a8a8a;fontColor=#1f1f1f;align=left;spacingLeft=8;verticalAlign=middle;';
const CONTAINER_STYLE = 'swimlane;container=1;collapsible=0;html=0;whiteSpace=wrap;startSize=24;rounded=1;arcSize=4;fillColor=none;swimlaneFillColor=none;strokeColor=#0063b1;fontColor=#0063b1;dashed=1;';
const ENDPOINT_STYLE = 'rounded=1;whiteSpace=wrap;html=0;arcSize=8;fillColor=#f8f8f8;strokeColor=#8661c5;fontColor=#1f1f1f;align=left;spacingLeft=6;verticalAlign=middle;fontSize=10;';
const EDGE_STYLE = 'edgeStyle=orthogonalEdgeStyle;rounded=1;html=0;endArrow=block;endFill=1;strokeColor=#5c5c5c;fontColor=#1f1f1f;labelBackgroundColor=#ffffff;';

/** The draw.io XML of the diagram. Cell ids: `0` the root, `1` the layer, `node:<id>`, `edge:<id>` (unique). */
export function buildDrawio(input: DrawioInput): string {
  const byId = new Map<string, DiagramBox>();
  for (const b of input.boxes) if (!byId.has(b.id)) byId.set(b.id, b);
  const cellOf = (id: string) => `node:${id}`;
  // A parent that is not drawn (or a cycle) leaves the box on the layer.
  const parentOf = (b: DiagramBox): DiagramBox | undefined => {
    const p = b.parentId === undefined ? undefined : byId.get(b.parentId);
    if (!p || !p.container || p.id === b.id) return undefined;
    for (let q: DiagramBox | undefined = p, depth = 0; q; q = q.parentId === undefined ? undefined : byId.get(q.parentId), depth++) {
      if (q.id === b.id || depth > byId.size) return undefined;
    }
    return p;
  };
  // mxGraph wants a parent before its children: order by depth.
  const depth = (b: DiagramBox): number => {
    let d = 0;
    for (let p = parentOf(b); p; p = parentOf(p)) d++;
    return d;
  };
  const boxes = [...byId.values()].map((b, i) => ({ b, i, d: depth(b) })).sort((a, c) => a.d - c.d || a.i - c.i).map((x) => x.b);

  const out: string[] = [];
  out.push(
    `<mxfile host="Gatewright" type="device">`,
    `<diagram id="gatewright" name="${xmlAttribute(input.name)}">`,
    // A4 landscape page (draw.io's units: 1169 x 827).
    `<mxGraphModel grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1169" pageHeight="827" math="0" shadow="0">`,
    '<root>',
    '<mxCell id="0"/>',
    '<mxCell id="1" parent="0"/>',
  );
  for (const b of boxes) {
    const parent = parentOf(b);
    const x = parent ? b.x - parent.x : b.x;
    const y = parent ? b.y - parent.y : b.y;
    const value = b.detail ? `${b.label}\n${b.detail}` : b.label;
    out.push(
      `<mxCell id="${xmlAttribute(cellOf(b.id))}" value="${xmlAttribute(value)}" style="${b.container ? CONTAINER_STYLE : b.endpoint ? ENDPOINT_STYLE : VERTEX_STYLE}" vertex="1" parent="${parent ? xmlAttribute(cellOf(parent.id)) : '1'}">` +
        `<mxGeometry x="${n(x)}" y="${n(y)}" width="${n(b.width)}" height="${n(b.height)}" as="geometry"/></mxCell>`,
    );
  }
  const edgeIds = new Set<string>();
  for (const l of input.links) {
    if (!byId.has(l.source) || !byId.has(l.target)) continue;
    let id = `edge:${l.id}`;
    for (let k = 2; edgeIds.has(id); k++) id = `edge:${l.id}#${k}`;
    edgeIds.add(id);
    const path = l.points && l.points.length >= 2 ? pathOf(l.points, byId.get(l.source)!, byId.get(l.target)!, l.labelAt) : undefined;
    out.push(
      `<mxCell id="${xmlAttribute(id)}" value="${xmlAttribute(l.label ?? '')}" style="${EDGE_STYLE}${l.dashed ? 'dashed=1;' : ''}${path?.style ?? ''}" edge="1" parent="1" source="${xmlAttribute(cellOf(l.source))}" target="${xmlAttribute(cellOf(l.target))}">` +
        (path ? `<mxGeometry${path.label} relative="1" as="geometry">${path.children}</mxGeometry></mxCell>` : '<mxGeometry relative="1" as="geometry"/></mxCell>'),
    );
  }
  out.push('</root>', '</mxGraphModel>', '</diagram>', '</mxfile>');
  return out.join('\n') + '\n';
}

/** Where along a polyline (0 at its start, 1 at its end) the point nearest to `p` is, and that point. */
export function alongPolyline(points: readonly Position[], p: Position): { t: number; at: Position } {
  const lengths = points.slice(1).map((b, i) => Math.hypot(b.x - points[i]!.x, b.y - points[i]!.y));
  const total = lengths.reduce((a, b) => a + b, 0);
  let best = { d: Infinity, s: 0, at: points[0]! };
  let walked = 0;
  for (let i = 0; i < lengths.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const len = lengths[i]!;
    const u = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len)));
    const at = { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u };
    const d = Math.hypot(p.x - at.x, p.y - at.y);
    if (d < best.d) best = { d, s: walked + u * len, at };
    walked += len;
  }
  return { t: total === 0 ? 0 : best.s / total, at: best.at };
}

/** The point at fraction `t` of a polyline's length. */
export function pointAlong(points: readonly Position[], t: number): Position {
  const lengths = points.slice(1).map((b, i) => Math.hypot(b.x - points[i]!.x, b.y - points[i]!.y));
  let left = t * lengths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!;
    if (left <= len || i === lengths.length - 1) {
      const u = len === 0 ? 0 : Math.min(1, left / len);
      const a = points[i]!;
      const b = points[i + 1]!;
      return { x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u };
    }
    left -= len;
  }
  return points[0]!;
}

const ratio = (v: number): string => String(Math.round(v * 10000) / 10000);

/**
 * The style, geometry attributes and children of an edge drawn along `points`: exit and entry points relative to the
 * end cells' boxes (no perimeter projection: the canvas's ends are on the boxes' sides already), the bend points as
 * waypoints, and the label's place along the edge with its offset.
 */
function pathOf(points: readonly Position[], source: DiagramBox, target: DiagramBox, labelAt: Position | undefined): { style: string; label: string; children: string } {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const rel = (v: number, from: number, size: number) => ratio(size === 0 ? 0.5 : (v - from) / size);
  const style =
    `exitX=${rel(first.x, source.x, source.width)};exitY=${rel(first.y, source.y, source.height)};exitDx=0;exitDy=0;exitPerimeter=0;` +
    `entryX=${rel(last.x, target.x, target.width)};entryY=${rel(last.y, target.y, target.height)};entryDx=0;entryDy=0;entryPerimeter=0;`;
  const bends = points.slice(1, -1);
  let children = bends.length > 0 ? `<Array as="points">${bends.map((p) => `<mxPoint x="${n(p.x)}" y="${n(p.y)}"/>`).join('')}</Array>` : '';
  let label = '';
  if (labelAt) {
    const { t } = alongPolyline(points, labelAt);
    const at = pointAlong(points, t);
    label = ` x="${ratio(t * 2 - 1)}" y="0"`;
    children += `<mxPoint x="${n(labelAt.x - at.x)}" y="${n(labelAt.y - at.y)}" as="offset"/>`;
  }
  return { style, label, children };
}

/** A node as React Flow draws it: absolute position, measured size, type, parent and data. */
export interface DrawnNode {
  readonly id: string;
  readonly type?: string;
  readonly parentId?: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** An edge as React Flow draws it. */
export interface DrawnEdge {
  readonly id: string;
  /** React Flow's edge type (the family the canvas draws it as: tls, privateLink, control, plain, endpoint). */
  readonly type?: string;
  readonly source: string;
  readonly target: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** The path the canvas draws it along and its label's centre (edge-path.ts), absolute. */
  readonly points?: readonly Position[];
  readonly labelAt?: Position;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * A container's label as the canvas writes it in its title band (ContainerNode.tsx) and the SVG export writes it: its
 * `label`, `title` or `name`, then its `detail` (a subnet's address range) two spaces after it: "snet-apim  10.0.1.0/24".
 */
export function containerLabel(data: Readonly<Record<string, unknown>>): string | undefined {
  const name = text(data.label) ?? text(data.title) ?? text(data.name);
  if (name === undefined) return undefined;
  const detail = text(data.detail);
  return detail ? `${name}  ${detail}` : name;
}

/**
 * The boxes and links of what the canvas draws: design nodes (type `arch`) with their title and type; a private
 * endpoint (type `endpoint`) as "Private endpoint" over its name, as the canvas draws it; any other node type (a
 * container, a group) as a container labelled as the canvas labels it (containerLabel), else with its id.
 */
export function diagramOf(nodes: readonly DrawnNode[], edges: readonly DrawnEdge[]): { boxes: DiagramBox[]; links: DiagramLink[] } {
  const boxes = nodes.map((nd): DiagramBox => {
    const endpoint = nd.type === 'endpoint';
    const container = nd.type !== undefined && nd.type !== 'arch' && !endpoint;
    const label = (container ? containerLabel(nd.data) : endpoint ? 'Private endpoint' : text(nd.data.title)) ?? nd.id;
    const detail = container ? undefined : endpoint ? (text(nd.data.name) ?? nd.id) : text(nd.data.typeTitle);
    return {
      id: nd.id,
      label,
      ...(detail ? { detail } : {}),
      x: nd.x,
      y: nd.y,
      width: nd.width,
      height: nd.height,
      container,
      ...(endpoint ? { endpoint } : {}),
      ...(nd.parentId ? { parentId: nd.parentId } : {}),
    };
  });
  const links = edges.map((e): DiagramLink => {
    const lines = Array.isArray(e.data?.lines) ? (e.data.lines as unknown[]).filter((l): l is string => typeof l === 'string') : [];
    const id = text(e.data?.edgeId) ?? e.id;
    // A drawn edge is labelled as on the canvas (its first line, where the canvas puts it); an edge without its
    // family, with every line.
    const label = e.type === undefined ? lines.join('\n') : labelDrawn(e.type, e.target) ? (lines[0] ?? '') : '';
    return {
      id,
      source: e.source,
      target: e.target,
      ...(label !== '' ? { label } : {}),
      ...(e.data?.dashed === true ? { dashed: true } : {}),
      ...(e.points ? { points: e.points } : {}),
      ...(e.labelAt && label !== '' ? { labelAt: e.labelAt } : {}),
    };
  });
  return { boxes, links };
}
