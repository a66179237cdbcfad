/**
 * The designer webview's HTML: a strict Content Security Policy with a fresh nonce, only the extension's own
 * bundle (dist/webview.js, dist/webview.css) and nothing remote. No vscode import: the provider passes the
 * webview's cspSource and resource URIs in.
 *
 * Why each directive is what it is:
 * - default-src 'none': everything not listed below is refused (frames, objects, media, workers, forms).
 * - script-src 'nonce-…': only the bundle's <script> runs; no eval, no inline handlers.
 * - style-src ${cspSource} 'nonce-…': the bundled CSS (React Flow's stylesheet included) and a nonce'd <style>
 *   element if the page ever needs one; no 'unsafe-inline'. React and React Flow set styles through the CSSOM
 *   (element.style), which CSP does not govern; the web components (@vscode-elements, Lit) use constructable
 *   stylesheets (adoptedStyleSheets), which it does not govern either.
 * - img-src ${cspSource} data:: icons from the extension, and the data: URL through which the PNG export
 *   rasterizes its SVG (an <img> drawn onto a canvas).
 * - font-src ${cspSource}: the codicon font, when the page links it.
 * - no connect-src: the page fetches nothing (the export builds its SVG itself).
 * Checked in code-server with the real bundle: the canvas draws, both exports work, no CSP violation is reported.
 */
import { randomBytes } from 'node:crypto';

export interface DesignerPage {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The codicon stylesheet, when the build ships one (linked with the id @vscode-elements looks for). */
  readonly codiconUri?: string;
  readonly title: string;
}

/** 128 bits of randomness, base64url: a new one for every page. */
export function createNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function designerHtml(page: DesignerPage): string {
  const attr = escapeAttribute;
  const codicon = page.codiconUri
    ? `\n    <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${attr(page.codiconUri)}" nonce="${attr(page.nonce)}">`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeText(page.title)}</title>
    <link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${attr(page.nonce)}">${codicon}
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
  </body>
</html>
`;
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
