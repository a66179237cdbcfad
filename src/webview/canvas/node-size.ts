/**
 * The size a design node will have on the canvas, worked out from its texts before it is drawn, so that React Flow
 * gets every node with its size (`measured`) in the first render. Without a size React Flow draws a node hidden,
 * measures it with a ResizeObserver and reports the size as a change, which the canvas applies to its nodes and
 * hands back: every node is built, adopted and rendered twice before anything shows, the cost that kept the first
 * render of a large design well behind bare React Flow's. With the right size up front the measurement changes
 * nothing (React Flow reports a size only when it differs from the one it has), and a node whose size was guessed
 * wrong is simply corrected by that report, so a wrong guess costs that node's second render, never a wrong
 * drawing: the node's box is always the one CSS lays out, `measured` sets no style
 * (https://reactflow.dev/api-reference/types/node: "measured" is "the dimensions of the node after it has been
 * measured"; https://reactflow.dev/learn/advanced-use/ssr-ssg-configuration gives nodes their sizes up front).
 *
 * The box is styles.css's `.gwc-canvas .react-flow__node.gwc-node`: 180 px wide, at least 72 px high; 50 px of left
 * padding (the icon), 10 px right, 8 px top and bottom and a 1 px border (an error or warning node has a 2 px border
 * and 1 px less padding: the same sums). Inside, three blocks that wrap on their own (`white-space: normal;
 * overflow-wrap: anywhere`): the title (600 13.5px), the type line and the settings line (11px), each with a line
 * height of 1.3 em. The texts are measured with a canvas 2D context in the node's font (no layout of the page), and
 * wrapped greedily at spaces and after a hyphen inside a word (Chromium breaks "api-0000.contoso.com" after "api-";
 * Unicode line breaking, UAX #14, rule LB21: https://www.unicode.org/reports/tr14/), a word longer than the line
 * anywhere.
 */
import { nodeTypeLine } from '../ArchNode.js';
import { NODE_HEIGHT, NODE_WIDTH, type ArchNodeData } from '../graph.js';

export interface NodeSize {
  readonly width: number;
  readonly height: number;
}

export type NodeSizer = (data: ArchNodeData) => NodeSize;

const TEXT_WIDTH = NODE_WIDTH - 2 - 50 - 10;
const VERTICAL = 2 + 8 + 8;
/** Chrome lays lines out in 1/64 px units: a line height of 1.3 x 13.5 px is 17.546875 px, not 17.55. */
const layoutUnits = (px: number) => Math.floor(px * 64) / 64;
const TITLE_LINE = layoutUnits(13.5 * 1.3);
const SMALL_LINE = layoutUnits(11 * 1.3);

/** Pieces of a text between break opportunities, each with whether a space comes before it. */
function pieces(text: string): { text: string; space: boolean }[] {
  const out: { text: string; space: boolean }[] = [];
  for (const word of text.split(' ')) {
    if (word === '') continue;
    let space = true;
    let start = 0;
    for (let i = 0; i < word.length - 1; i++) {
      if (word[i] === '-' && i > 0) {
        out.push({ text: word.slice(start, i + 1), space });
        space = false;
        start = i + 1;
      }
    }
    out.push({ text: word.slice(start), space });
  }
  return out;
}

/** Lines a text takes in `max` px when `width` measures a string. */
export function lineCount(text: string, max: number, width: (s: string) => number): number {
  return wrapLines(text, max, width).length;
}

/**
 * The lines a text is laid out on in `max` px when `width` measures a string, as the node's CSS wraps it (also used by
 * the SVG export, which sets each line itself): at spaces and after a hyphen inside a word, a piece longer than a line
 * broken anywhere.
 */
export function wrapLines(text: string, max: number, width: (s: string) => number): string[] {
  if (text === '') return [];
  if (width(text) <= max) return [text];
  const space = width(' ');
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const piece of pieces(text)) {
    const w = width(piece.text);
    const gap = used > 0 && piece.space ? space : 0;
    if (used + gap + w <= max) {
      line += gap > 0 ? ` ${piece.text}` : piece.text;
      used += gap + w;
      continue;
    }
    if (used > 0) {
      lines.push(line);
      line = '';
      used = 0;
    }
    if (w <= max) {
      line = piece.text;
      used = w;
      continue;
    }
    // Longer than a line: broken anywhere (overflow-wrap: anywhere).
    for (const ch of piece.text) {
      const c = width(ch);
      if (used + c > max && used > 0) {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += ch;
      used += c;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The width in px of `text` in a CSS `font` ("600 13.5px <family>"). */
export type TextMeasure = (text: string, font: string) => number;

/** Measures texts with a 2D canvas context, as the browser sets them; undefined where the page has none. */
export function canvasTextMeasure(): TextMeasure | undefined {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return undefined;
  return (text, font) => {
    if (context.font !== font) context.font = font;
    return context.measureText(text).width;
  };
}

/**
 * A sizer measuring in `fontFamily` (the canvas's computed font family), or undefined where the page has no 2D canvas
 * context (the nodes are then measured by React Flow, as without a sizer).
 */
export function createNodeSizer(fontFamily: string): NodeSizer | undefined {
  const width = canvasTextMeasure();
  if (!width) return undefined;
  const measure = (font: string) => (s: string) => width(s, font);
  const title = measure(`600 13.5px ${fontFamily}`);
  const small = measure(`11px ${fontFamily}`);
  return (data) => {
    const content =
      lineCount(data.title, TEXT_WIDTH, title) * TITLE_LINE +
      lineCount(nodeTypeLine(data), TEXT_WIDTH, small) * SMALL_LINE +
      lineCount(data.settings, TEXT_WIDTH, small) * SMALL_LINE;
    return { width: NODE_WIDTH, height: Math.max(NODE_HEIGHT, Math.round(VERTICAL + content)) };
  };
}
