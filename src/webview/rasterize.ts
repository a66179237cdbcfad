/**
 * DOM helpers of the export: the theme's colors resolved to concrete values (an exported SVG must not
 * depend on the webview's CSS variables), and SVG text rasterized to a PNG. The PNG goes through an
 * <img> with a data: URL, so the webview's Content Security Policy must allow `img-src data:`.
 */
import type { ExportColors } from './export.js';

/** Reads the --gw-* colors of the canvas (styles.css maps them to --vscode-* variables). */
export function themeExportColors(element: Element = document.body): ExportColors {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--gw-bg', '#ffffff'),
    foreground: v('--gw-fg', '#1f1f1f'),
    muted: v('--gw-muted', '#616161'),
    nodeBackground: v('--gw-node-bg', '#f8f8f8'),
    nodeBorder: v('--gw-node-border', '#c8c8c8'),
    https: v('--gw-https', '#0063b1'),
    mtls: v('--gw-mtls', '#107c10'),
    privateLink: v('--gw-private-link', '#8661c5'),
    control: v('--gw-control', '#8a8a8a'),
    plain: v('--gw-plain', '#5c5c5c'),
    error: v('--gw-error', '#d13438'),
    warning: v('--gw-warning', '#bf8803'),
    internetZone: v('--gw-zone-internet', '#d13438'),
    vnetZone: v('--gw-zone-vnet', '#0063b1'),
    privateZone: v('--gw-zone-private', '#8661c5'),
  };
}

/** A4 landscape at 300 dpi: 297 x 210 mm is 3508 x 2480 pixels. */
export const A4_LANDSCAPE_300_DPI = { width: 3508, height: 2480 } as const;

/**
 * How much to scale an image of w0 x h0 so that it is at least `page` in pixels (its longer side at least the page's
 * longer side, its shorter side at least the page's shorter one: printed on that page it is never enlarged), and at
 * least 2 (sharp on high-density screens); within what browsers allow a canvas (about 16k pixels a side, a few
 * hundred million pixels).
 */
export function pngScale(w0: number, h0: number, page: { readonly width: number; readonly height: number }): number {
  const long = Math.max(page.width, page.height);
  const short = Math.min(page.width, page.height);
  const wanted = Math.max(2, long / Math.max(w0, h0), short / Math.min(w0, h0));
  return Math.min(wanted, 16_000 / w0, 16_000 / h0, Math.sqrt(100_000_000 / (w0 * h0)));
}

/**
 * The PNG (base64, without a data: prefix) of an SVG document, at `scale` times its size, or scaled to cover a page
 * of that many pixels (see pngScale).
 */
export async function svgToPngBase64(svg: string, scale: number | { readonly width: number; readonly height: number } = 2): Promise<string> {
  const img = new Image();
  img.decoding = 'async';
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  // Browsers cap canvases (about 16k pixels a side, a few hundred million pixels): shrink huge diagrams.
  const w0 = Math.max(1, img.naturalWidth);
  const h0 = Math.max(1, img.naturalHeight);
  const s = typeof scale === 'number' ? Math.min(scale, 16_000 / w0, 16_000 / h0, Math.sqrt(100_000_000 / (w0 * h0))) : pngScale(w0, h0, scale);
  const width = Math.max(1, Math.round(w0 * s));
  const height = Math.max(1, Math.round(h0 * s));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the PNG export');
  ctx.drawImage(img, 0, 0, width, height);
  const url = canvas.toDataURL('image/png');
  const comma = url.indexOf(',');
  return url.slice(comma + 1);
}
