/**
 * Turns the image the webview sent (exportResult: SVG text or base64 PNG) into the bytes of the file to write,
 * refusing anything that is not an SVG document or a PNG. No vscode import.
 */
export type Decoded = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodeExport(format: 'svg' | 'png', data: string): Decoded {
  return format === 'svg' ? decodeSvg(data) : decodePng(data);
}

function decodeSvg(data: string): Decoded {
  let text = data;
  // Tolerate a data: URL (what html-to-image's toSvg returns) although the contract asks for the text.
  const url = /^data:image\/svg\+xml(;charset=[\w-]+)?(;base64)?,/i.exec(text);
  if (url) {
    const body = text.slice(url[0].length);
    try {
      text = url[2] ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    } catch {
      return { ok: false, error: 'the SVG data URL could not be decoded' };
    }
  }
  const head = text.replace(/^\uFEFF/, '').trimStart();
  const start = /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i;
  if (!start.test(head)) return { ok: false, error: 'the designer did not send an SVG document' };
  return { ok: true, bytes: Buffer.from(text, 'utf8') };
}

function decodePng(data: string): Decoded {
  const body = data.replace(/^data:image\/png;base64,/i, '').replace(/\s+/g, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 === 1) {
    return { ok: false, error: 'the designer did not send base64 PNG data' };
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    return { ok: false, error: 'the designer sent data that is not a PNG image' };
  }
  return { ok: true, bytes };
}
