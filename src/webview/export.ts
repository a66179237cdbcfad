/**
 * The diagram as a self-contained SVG for security reviews: nodes with their icons and key settings, edges
 * (https and mTLS with a lock, the client certificate and the trusted CA; Private Link with its endpoint
 * and DNS zone; control-plane edges dashed), finding colors, and the trust boundaries: the internet zone,
 * the virtual network, and the services reached over Private Link. Built by hand from the positions (no
 * DOM capture), so it has no external reference, no script, no web font and no CSS variable: every color
 * is resolved before it is written. Pure.
 */
import { edgeId, type Design, type DesignNode, type Position } from '../schemas/design.js';
import type { Finding } from '../schemas/finding.js';
import { EDGE_CATALOG, NODE_CATALOG } from './catalog.js';
import { edgeLines, findingCounts, keySettings, NODE_HEIGHT, NODE_WIDTH, trustLookup, worstSeverity } from './graph.js';
import { edgeGeometry, edgePathData, labelDrawn, type EdgeGeometry } from './edge-path.js';
import type { IconShape } from './icon-shape.js';
import type { Size } from './layout.js';
import { canvasTextMeasure, wrapLines, type TextMeasure } from './canvas/node-size.js';
import { ENDPOINT_PREFIX } from './containers/network.js';

export interface ExportColors {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly nodeBackground: string;
  readonly nodeBorder: string;
  readonly https: string;
  readonly mtls: string;
  readonly privateLink: string;
  readonly control: string;
  readonly plain: string;
  readonly error: string;
  readonly warning: string;
  readonly internetZone: string;
  readonly vnetZone: string;
  readonly privateZone: string;
}

/** Colors of the light theme, for exports made without a theme. */
export const LIGHT_EXPORT_COLORS: ExportColors = {
  background: '#ffffff',
  foreground: '#1f1f1f',
  muted: '#616161',
  nodeBackground: '#f8f8f8',
  nodeBorder: '#c8c8c8',
  https: '#0063b1',
  mtls: '#107c10',
  privateLink: '#8661c5',
  control: '#8a8a8a',
  plain: '#5c5c5c',
  error: '#d13438',
  warning: '#bf8803',
  internetZone: '#d13438',
  vnetZone: '#0063b1',
  privateZone: '#8661c5',
};

export interface ExportInput {
  readonly design: Design;
  readonly positions: ReadonlyMap<string, Position>;
  readonly sizes?: ReadonlyMap<string, Size>;
  readonly findings: readonly Finding[];
  readonly icons: Readonly<Record<string, IconShape>>;
  readonly colors?: ExportColors;
  /**
   * What the canvas draws besides the design's nodes (containers: React Flow group nodes), at their absolute
   * positions: drawn as labelled outlines under the nodes, and counted in the picture's bounds.
   */
  readonly containers?: readonly { readonly id: string; readonly label: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number }[];
  /**
   * The edges the canvas draws, each along the path it is drawn on (edge-path.ts: the choice the canvas makes).
   * Without them every design edge is drawn as the canvas draws an edge it has no route for: a step path from the
   * right middle of its source to the left middle of its target.
   */
  readonly edges?: readonly ExportEdge[];
  /**
   * The width in px of a text in a CSS font (`600 13.5px <family>`), to wrap the texts as the canvas does. Default: a
   * 2D canvas context where there is a document (the webview), else an estimate a little wider than common fonts.
   */
  readonly measureText?: TextMeasure;
}

export type { TextMeasure };

/** An edge as the canvas draws it. */
export interface ExportEdge {
  /** React Flow's id of the edge. */
  readonly id: string;
  /** The design edge it draws (edgeId); none for the line from a private endpoint to its service. */
  readonly edgeId?: string;
  readonly source: string;
  readonly target: string;
  readonly geometry: EdgeGeometry;
}


const FONT = "-apple-system, 'Segoe UI', system-ui, Ubuntu, 'Helvetica Neue', Arial, sans-serif";
const MARGIN = 40;
const HEADER = 56;
const LEGEND = 44;
const ZONE_PAD = 18;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The trust boundaries: which nodes sit in which zone. */
export function trustZones(design: Design): { internet: DesignNode[]; vnet: DesignNode[]; privateLink: DesignNode[] } {
  const privateTargets = new Set(design.edges.filter((e) => e.type === 'privateLink').map((e) => e.to));
  const internet: DesignNode[] = [];
  const vnet: DesignNode[] = [];
  const privateLink: DesignNode[] = [];
  for (const n of design.nodes) {
    if (n.type === 'internet') internet.push(n);
    else if (
      n.type === 'applicationGateway' ||
      n.type === 'aksCluster' ||
      n.type === 'bastion' ||
      n.type === 'virtualNetwork' ||
      (n.type === 'apiManagement' && n.properties.virtualNetworkType !== 'None')
    )
      vnet.push(n);
    else if (privateTargets.has(n.id)) privateLink.push(n);
  }
  return { internet, vnet, privateLink };
}

function boundsOf(boxes: readonly Box[], pad: number): Box | undefined {
  if (boxes.length === 0) return undefined;
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const b of boxes) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.w);
    y2 = Math.max(y2, b.y + b.h);
  }
  return { x: x1 - pad, y: y1 - pad - 16, w: x2 - x1 + pad * 2, h: y2 - y1 + pad * 2 + 16 };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

/** Above this many members a zone is drawn as one outline per node (merging would cost too much). */
const MERGE_LIMIT = 120;

/**
 * The rectangles that draw a zone on the user's own layout: member boxes are merged greedily into larger
 * rectangles as long as a rectangle holds no node of another zone and overlaps no other zone's rectangle,
 * so a boundary never seems to contain a node that is not in it. Rectangles are padded by `pad`.
 */
export function zoneRectangles(members: readonly Box[], others: readonly Box[], blocked: readonly Box[], pad: number): Box[] {
  const padded = (b: Box): Box => ({ x: b.x - pad, y: b.y - pad - 14, w: b.w + pad * 2, h: b.h + pad * 2 + 14 });
  let rects = members.map((b) => ({ inner: b, outer: padded(b) }));
  if (members.length > MERGE_LIMIT) return rects.map((r) => r.outer);
  const free = (candidate: Box) => !others.some((o) => overlaps(candidate, o)) && !blocked.some((o) => overlaps(candidate, o));
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const inner = union(rects[i]!.inner, rects[j]!.inner);
        const outerBox = padded(inner);
        if (!free(outerBox)) continue;
        rects = [...rects.slice(0, i), { inner, outer: outerBox }, ...rects.slice(i + 1, j), ...rects.slice(j + 1)];
        merged = true;
        break outer;
      }
    }
  }
  return rects.map((r) => r.outer);
}

function lockIcon(icons: ExportInput['icons'], x: number, y: number, size: number, color: string): string {
  const lock = icons.lock;
  if (!lock) return '';
  return `<svg x="${fmt(x)}" y="${fmt(y)}" width="${size}" height="${size}" viewBox="${lock.viewBox}" ${lock.attributes} color="${color}">${lock.body}</svg>`;
}

/** The edges to draw: those the canvas draws, else every design edge as a step path between its nodes' sides. */
function edgesOf(input: ExportInput, boxes: ReadonlyMap<string, Box>): readonly ExportEdge[] {
  if (input.edges) return input.edges;
  return input.design.edges.flatMap((e) => {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) return [];
    const id = edgeId(e);
    const ends = { source: e.from, target: e.to, sourceX: a.x + a.w, sourceY: a.y + a.h / 2, targetX: b.x, targetY: b.y + b.h / 2 };
    return [{ id, edgeId: id, source: e.from, target: e.to, geometry: edgeGeometry(ends) }];
  });
}

/** Measures with a 2D canvas context where there is one, else estimates (bold and digits a little wider). */
export function defaultTextMeasure(): TextMeasure {
  const canvas = canvasTextMeasure();
  if (canvas) return canvas;
  return (text, font) => {
    const size = Number(/([\d.]+)px/.exec(font)?.[1] ?? 12);
    return text.length * size * (/^(600|700|bold)\b/.test(font) ? 0.64 : 0.6);
  };
}

/** One block of text set in a box: wrapped onto as many lines as it needs, in its font. */
interface TextBlock {
  readonly text: string;
  readonly size: number;
  readonly weight?: number;
  readonly color: string;
  /** Line height, in ems. */
  readonly leading: number;
}

/**
 * Text blocks set one under the other in the inner box `at` (x, y, width, height), wrapped as the canvas's CSS wraps
 * them (canvas/node-size.ts wrapLines: at spaces, after a hyphen, a piece longer than a line anywhere) and centred
 * vertically as the canvas's flex box centres them. No text is ever cut: when the blocks do not fit the box's height
 * in the export's font (the canvas sized the box in its own), they are set smaller until they do. Each line is a
 * <text> whose baseline sits 0.35 em under the middle of its line box.
 */
function setText(at: Box, blocks: readonly TextBlock[], measure: TextMeasure, attributes = ''): string {
  const shown = blocks.filter((b) => b.text !== '');
  const fontOf = (b: TextBlock, scale: number) => `${b.weight ?? 400} ${fmt(b.size * scale)}px ${FONT}`;
  let scale = 1;
  let laid: { block: TextBlock; lines: string[] }[] = [];
  let total = 0;
  for (; ; scale -= 0.05) {
    laid = shown.map((block) => ({ block, lines: wrapLines(block.text, at.w, (s) => measure(s, fontOf(block, scale))) }));
    total = laid.reduce((sum, l) => sum + l.lines.length * l.block.size * scale * l.block.leading, 0);
    // A px of slack: the canvas rounds a node's height to whole px (node-size.ts), and a line box has room above and
    // below its glyphs.
    if (total <= at.h + 1 || scale <= 0.4) break;
  }
  let y = at.y + (at.h - total) / 2;
  let out = '';
  for (const { block, lines } of laid) {
    const size = block.size * scale;
    const line = size * block.leading;
    for (const text of lines) {
      out +=
        `<text x="${fmt(at.x)}" y="${fmt(y + line / 2 + size * 0.35)}" font-size="${fmt(size)}"${block.weight ? ` font-weight="${block.weight}"` : ''} fill="${block.color}"${attributes}>` +
        `${escapeXml(text)}</text>`;
      y += line;
    }
  }
  return out;
}

/**
 * A node's texts as the canvas sets them (styles.css .gwc-node: 50 px of left padding for the icon, 10 px right, 8 px
 * top and bottom, a 1 px border): the title (600 13.5px), the type and id line and the settings line (11px), each
 * wrapped with a line height of 1.3 em.
 */
function nodeText(b: Box, title: string, subtitle: string, settings: string, colors: ExportColors, measure: TextMeasure): string {
  return setText(
    { x: b.x + 51, y: b.y + 9, w: b.w - 62, h: b.h - 18 },
    [
      { text: title, size: 13.5, weight: 600, color: colors.foreground, leading: 1.3 },
      { text: subtitle, size: 11, color: colors.muted, leading: 1.3 },
      { text: settings, size: 11, color: colors.foreground, leading: 1.3 },
    ],
    measure,
  );
}

/**
 * A private endpoint as the canvas draws it (styles.css .gwc-endpoint: 4 px 8 px of padding, a 1 px border): "Private
 * endpoint" (600 11px) over its name (10px), line height 1.25 em.
 */
function endpointText(b: Box, name: string, colors: ExportColors, measure: TextMeasure): string {
  return setText(
    { x: b.x + 9, y: b.y + 3, w: b.w - 18, h: b.h - 6 },
    [
      { text: 'Private endpoint', size: 11, weight: 600, color: colors.foreground, leading: 1.25 },
      { text: name, size: 10, color: colors.muted, leading: 1.25 },
    ],
    measure,
  );
}

/**
 * A container's title as the canvas writes it (styles.css .gwc-container__title: 12px, the name semibold, the address
 * range muted 8 px after it, 10 px from the left). The canvas makes the box wide enough for it; should the export's
 * font be wider, the title is set smaller, never cut.
 */
function containerTitle(c: Box, label: string, colors: ExportColors, measure: TextMeasure): string {
  const split = label.indexOf('  ');
  const name = split < 0 ? label : label.slice(0, split);
  const detail = split < 0 ? '' : label.slice(split).trim();
  const room = c.w - 20;
  let size = 12;
  const width = (s: number) => measure(name, `600 ${fmt(s)}px ${FONT}`) + (detail ? 8 * (s / 12) + measure(detail, `400 ${fmt(s)}px ${FONT}`) : 0);
  while (size > 6 && width(size) > room) size -= 0.5;
  const y = fmt(c.y + 5 + size * 0.65 + size * 0.35);
  return (
    `<text x="${fmt(c.x + 10)}" y="${y}" font-size="${fmt(size)}" font-weight="600" fill="${colors.foreground}">${escapeXml(name)}</text>` +
    (detail
      ? `<text x="${fmt(c.x + 10 + measure(name, `600 ${fmt(size)}px ${FONT}`) + 8 * (size / 12))}" y="${y}" font-size="${fmt(size)}" fill="${colors.muted}">${escapeXml(detail)}</text>`
      : '')
  );
}

export function buildSvg(input: ExportInput): string {
  const { design, icons } = input;
  const colors = input.colors ?? LIGHT_EXPORT_COLORS;
  const measure = input.measureText ?? defaultTextMeasure();
  const counts = findingCounts(input.findings);
  const lookup = trustLookup(design);

  // A design node the canvas draws as a container (the virtual network) is drawn as that container only.
  const containers = input.containers ?? [];
  const asContainer = new Map(containers.map((c) => [c.id, c] as const));

  // Node boxes (first node of each id).
  const boxes = new Map<string, Box>();
  let col = 0;
  for (const n of design.nodes) {
    if (boxes.has(n.id)) continue;
    const container = asContainer.get(n.id);
    if (container) {
      boxes.set(n.id, { x: container.x, y: container.y, w: container.w, h: container.h });
      continue;
    }
    const size = input.sizes?.get(n.id);
    const p = input.positions.get(n.id) ?? { x: (col++ % 8) * (NODE_WIDTH + 40), y: -200 };
    boxes.set(n.id, { x: p.x, y: p.y, w: size?.width ?? NODE_WIDTH, h: size?.height ?? NODE_HEIGHT });
  }

  const zones = trustZones(design);
  const vnetNode = design.nodes.find((n) => n.type === 'virtualNetwork');
  const zoneDefs = [
    { nodes: zones.internet, label: 'Internet (untrusted)', short: 'Internet', color: colors.internetZone },
    {
      nodes: zones.vnet,
      label: `Virtual network${vnetNode?.type === 'virtualNetwork' ? ` ${vnetNode.properties.addressSpace}` : ''} (private)`,
      short: 'VNet',
      color: colors.vnetZone,
    },
    { nodes: zones.privateLink, label: 'Private Link services', short: 'Private Link', color: colors.privateZone },
  ];
  // Each zone's rectangles avoid the nodes outside it and the zones drawn before it.
  const zoneRects: { label: string; short: string; color: string; rects: Box[] }[] = [];
  const drawn: Box[] = [];
  for (const z of zoneDefs) {
    // The network drawn as its container needs no second outline.
    if (z.nodes === zones.vnet && vnetNode && asContainer.has(vnetNode.id)) continue;
    const ids = new Set(z.nodes.map((n) => n.id));
    const members = [...ids].map((id) => boxes.get(id)!).filter(Boolean);
    if (members.length === 0) continue;
    const others = [...boxes.entries()].filter(([id]) => !ids.has(id) && !asContainer.has(id)).map(([, b]) => b);
    const rects = zoneRectangles(members, others, drawn, ZONE_PAD);
    drawn.push(...rects);
    zoneRects.push({ ...z, rects });
  }

  const edgeBoxes = edgesOf(input, boxes).flatMap((e) => [...e.geometry.points, e.geometry.label].map((p) => ({ x: p.x - 8, y: p.y - 8, w: 16, h: 16 })));
  const all = boundsOf([...boxes.values(), ...drawn, ...containers, ...edgeBoxes], 0) ?? { x: 0, y: 0, w: 400, h: 200 };
  // boundsOf adds 16 on top for labels; fine for the page too.
  const width = Math.max(480, all.w + MARGIN * 2);
  // The description on as many lines as it takes across the page, the picture under it.
  const description = design.metadata.description ? wrapLines(design.metadata.description, width - MARGIN * 2, (s) => measure(s, `400 12px ${FONT}`)) : [];
  const header = HEADER + Math.max(0, description.length - 1) * 16;
  const height = all.h + MARGIN * 2 + header + LEGEND;
  const dx = MARGIN - all.x;
  const dy = MARGIN + header - all.y;

  const out: string[] = [];
  const title = `${design.metadata.name} (${design.metadata.location})`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="${escapeXml(FONT)}" role="img" aria-labelledby="gw-title gw-desc">`,
    `<title id="gw-title">Gatewright design ${escapeXml(title)}</title>`,
    `<desc id="gw-desc">${escapeXml(`${design.nodes.length} nodes and ${design.edges.length} edges, with the trust boundaries (internet, virtual network, Private Link) and the TLS edges.${design.metadata.description ? ` ${design.metadata.description}` : ''}`)}</desc>`,
    `<rect width="100%" height="100%" fill="${colors.background}"/>`,
    `<text x="${MARGIN}" y="${MARGIN - 4}" font-size="18" font-weight="600" fill="${colors.foreground}">${escapeXml(title)}</text>`,
  );
  description.forEach((line, i) => {
    out.push(`<text class="description" x="${MARGIN}" y="${MARGIN + 16 + i * 16}" font-size="12" fill="${colors.muted}">${escapeXml(line)}</text>`);
  });

  out.push('<g transform="translate(' + fmt(dx) + ' ' + fmt(dy) + ')">');

  // Containers, as the canvas draws them (largest first, so that nested ones stay visible).
  // A private endpoint is drawn as the canvas draws it: a small box with "Private endpoint" over its name.
  for (const c of [...containers].sort((a, b) => b.w * b.h - a.w * a.h)) {
    const endpoint = c.id.startsWith(ENDPOINT_PREFIX);
    out.push(
      `<g class="container${endpoint ? ' endpoint' : ''}" data-id="${escapeXml(c.id)}"><title>${escapeXml(endpoint ? `Private endpoint ${c.label}` : c.label)}</title>` +
        (endpoint
          ? `<rect x="${fmt(c.x)}" y="${fmt(c.y)}" width="${fmt(c.w)}" height="${fmt(c.h)}" rx="4" fill="${colors.nodeBackground}" stroke="${colors.privateLink}" stroke-width="1"/>` +
            endpointText(c, c.label, colors, measure)
          : `<rect x="${fmt(c.x)}" y="${fmt(c.y)}" width="${fmt(c.w)}" height="${fmt(c.h)}" rx="8" fill="${colors.foreground}" fill-opacity="0.03" stroke="${colors.nodeBorder}" stroke-width="1.5"/>` +
            containerTitle(c, c.label, colors, measure)) +
        '</g>',
    );
  }

  // Trust boundaries.
  for (const z of zoneRects) {
    // The full name on the widest rectangle, the short one on the others.
    const widest = z.rects.reduce((a, b) => (b.w > a.w ? b : a));
    for (const b of z.rects) {
      const text = b === widest && z.label.length * 6.6 < b.w - 16 ? z.label : z.short;
      out.push(
        `<g class="zone"><rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" rx="10" fill="${z.color}" fill-opacity="0.06" stroke="${z.color}" stroke-width="1.5" stroke-dasharray="8 5"/>` +
          `<text x="${fmt(b.x + 10)}" y="${fmt(b.y + 15)}" font-size="11" font-weight="600" fill="${z.color}">${escapeXml(text)}</text></g>`,
      );
    }
  }

  // Edges along the paths the canvas draws, then their labels (where the canvas puts them) above every edge.
  const labels: string[] = [];
  const byId = new Map(design.edges.map((e) => [edgeId(e), e] as const));
  for (const drawnEdge of edgesOf(input, boxes)) {
    const e = drawnEdge.edgeId === undefined ? undefined : byId.get(drawnEdge.edgeId);
    const path = edgePathData(drawnEdge.geometry);
    if (!e) {
      // The line from a private endpoint to its service.
      out.push(`<path class="edge edge--endpoint" data-id="${escapeXml(drawnEdge.id)}" d="${path}" fill="none" stroke="${colors.privateLink}" stroke-width="1.5"/>`);
      continue;
    }
    const id = edgeId(e);
    const severity = worstSeverity(counts.get(`edge:${id}`));
    const info = EDGE_CATALOG[e.type];
    const family = e.type === 'https' ? 'https' : e.type === 'mtls' ? 'mtls' : info.family === 'privateLink' ? 'privateLink' : info.family === 'control' ? 'control' : 'plain';
    const color = severity ? colors[severity] : (colors as unknown as Record<string, string>)[family]!;
    const strokeWidth = e.type === 'mtls' ? 2.75 : info.family === 'tls' || info.family === 'privateLink' ? 2 : 1.2;
    const dash = info.dashed ? ' stroke-dasharray="5 4"' : '';
    const lines = edgeLines(e, design, lookup);
    out.push(
      `<path class="edge" data-id="${escapeXml(drawnEdge.id)}" d="${path}" fill="none" stroke="${color}" stroke-width="${strokeWidth}"${dash} stroke-linejoin="round"><title>${escapeXml(
        [`${info.title} ${id}: ${e.from} → ${e.to}`, ...lines.slice(1)].join('\n'),
      )}</title></path>`,
    );
    // As on the canvas: the first line only (the protocol, with the lock of a TLS edge); the certificate, CA,
    // endpoint and zone are in the edge's title.
    if (lines.length === 0 || !labelDrawn(info.family, drawnEdge.target)) continue;
    const { x: mx, y: my } = drawnEdge.geometry.label;
    const lock = e.type === 'https' || e.type === 'mtls';
    const firstWidth = lines[0]!.length * 6.2;
    labels.push(
      `<g class="edge-label" data-id="${escapeXml(drawnEdge.id)}">${lock ? lockIcon(icons, mx - firstWidth / 2 - 15, my - 9, 12, color) : ''}` +
        `<text x="${fmt(mx)}" y="${fmt(my + 4)}" text-anchor="middle" font-size="11" font-weight="600" fill="${color}" stroke="${colors.background}" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${escapeXml(lines[0]!)}</text></g>`,
    );
  }
  out.push(...labels);

  // Nodes.
  const seen = new Set<string>();
  for (const n of design.nodes) {
    if (seen.has(n.id) || asContainer.has(n.id)) continue;
    seen.add(n.id);
    const b = boxes.get(n.id)!;
    const c = counts.get(`node:${n.id}`);
    const severity = worstSeverity(c);
    const border = severity ? colors[severity] : colors.nodeBorder;
    const icon = icons[n.type];
    const title = n.label ?? n.name ?? n.id;
    const settings = keySettings(n).slice(0, 3).join(' · ');
    out.push(
      `<g class="node" data-id="${escapeXml(n.id)}"><title>${escapeXml(`${NODE_CATALOG[n.type].title} ${n.id}`)}</title>` +
        `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" rx="6" fill="${colors.nodeBackground}" stroke="${border}" stroke-width="${severity ? 2 : 1}"/>` +
        (icon
          ? `<svg x="${fmt(b.x + 10)}" y="${fmt(b.y + b.h / 2 - 16)}" width="32" height="32" viewBox="${icon.viewBox}" ${icon.attributes} color="${colors.foreground}">${icon.body}</svg>`
          : '') +
        nodeText(b, title, `${NODE_CATALOG[n.type].title}${title !== n.id ? ` · ${n.id}` : ''}`, settings, colors, measure) +
        (c && (c.errors || c.warnings)
          ? `<g><circle cx="${fmt(b.x + b.w - 2)}" cy="${fmt(b.y + 2)}" r="9" fill="${colors[severity ?? 'warning']}"/><text x="${fmt(b.x + b.w - 2)}" y="${fmt(b.y + 6)}" text-anchor="middle" font-size="10" font-weight="700" fill="#ffffff">${c.errors || c.warnings}</text></g>`
          : '') +
        '</g>',
    );
  }
  out.push('</g>');

  // Legend.
  const ly = height - LEGEND / 2 - 4;
  const items: [string, string, string][] = [
    ['HTTPS (TLS)', colors.https, ''],
    ['mTLS', colors.mtls, ''],
    ['Private Link', colors.privateLink, ''],
    ['control plane', colors.control, '5 4'],
    ['finding: error', colors.error, ''],
    ['finding: warning', colors.warning, ''],
    ['zone: internet', colors.internetZone, '8 5'],
    ['zone: virtual network', colors.vnetZone, '8 5'],
    ['zone: Private Link', colors.privateZone, '8 5'],
  ];
  // A zone is in the legend when it is drawn (the network drawn as its container has no zone outline).
  const zoneShown = new Set(zoneRects.map((z) => z.short));
  const zoneOf: Record<string, string> = { 'zone: internet': 'Internet', 'zone: virtual network': 'VNet', 'zone: Private Link': 'Private Link' };
  const shownItems = items.filter(([label]) => !zoneOf[label] || zoneShown.has(zoneOf[label]));
  let lx = MARGIN;
  const legend = shownItems.map(([label, color, dash]) => {
    const s = `<line x1="${fmt(lx)}" y1="${fmt(ly)}" x2="${fmt(lx + 26)}" y2="${fmt(ly)}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${fmt(lx + 32)}" y="${fmt(ly + 4)}" font-size="11" fill="${colors.foreground}">${escapeXml(label)}</text>`;
    lx += 44 + label.length * 6.2;
    return s;
  });
  out.push(`<g class="legend">${legend.join('')}</g>`);
  out.push('</svg>');
  return out.join('\n');
}
