/**
 * Shortens node texts to the width of a node, measured in the page's own font (a 2D canvas measures text
 * without layout). The node then needs no CSS clipping: see ArchNode.tsx for why that matters.
 */
import type { TextFitter } from './graph.js';

/** Width of a node's text column in CSS pixels (node 160 - padding 2×10 - icon 32 - gap 8). */
export const TEXT_WIDTH = 100;

const FONTS = { title: '600 12.5px', detail: '400 11px' } as const;

export function createTextFitter(fontFamily: string, width = TEXT_WIDTH): TextFitter | undefined {
  const ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!ctx) return undefined;
  const cache = new Map<string, string>();
  return (text, kind) => {
    const key = `${kind}\u0000${text}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    ctx.font = `${FONTS[kind]} ${fontFamily}`;
    let out = text;
    if (ctx.measureText(text).width > width) {
      // The longest prefix that fits with an ellipsis.
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(`${text.slice(0, mid).trimEnd()}…`).width <= width) lo = mid;
        else hi = mid - 1;
      }
      out = `${text.slice(0, lo).trimEnd()}…`;
    }
    if (cache.size > 20_000) cache.clear();
    cache.set(key, out);
    return out;
  };
}
