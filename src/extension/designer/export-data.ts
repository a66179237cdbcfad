/**
 * Turns the export the webview sent (exportResult: SVG text, base64 PNG or draw.io XML) into the bytes of the file
 * to write, refusing anything that is not an SVG document, a PNG or a draw.io file. A PNG is marked as 300 dpi (a
 * pHYs chunk, https://www.w3.org/TR/png-3/#11pHYs), the resolution the canvas draws it for (A4 landscape).
 * No vscode import.
 */
export type Decoded = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodeExport(format: 'svg' | 'png' | 'drawio', data: string): Decoded {
  if (format === 'drawio') return decodeDrawio(data);
  return format === 'svg' ? decodeSvg(data) : decodePng(data);
}

function decodeDrawio(data: string): Decoded {
  const text = data.replace(/^\uFEFF/, '').trim();
  if (!/^(<\?xml[^>]*>\s*)?<mxfile[\s>]/.test(text) || !text.endsWith('</mxfile>')) return { ok: false, error: 'the designer did not send a draw.io file' };
  return { ok: true, bytes: Buffer.from(data, 'utf8') };
}

/** The dots per inch the PNG export is drawn for. */
export const PNG_DPI = 300;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The PNG with a pHYs chunk saying `dpi` (replacing one it had), right after IHDR. */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array {
  const buf = Buffer.from(png);
  const perMetre = Math.round(dpi / 0.0254);
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  chunk.writeUInt32BE(perMetre, 8);
  chunk.writeUInt32BE(perMetre, 12);
  chunk.writeUInt8(1, 16); // unit: the metre
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  const parts: Buffer[] = [buf.subarray(0, 8)];
  for (let at = 8; at + 12 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (type !== 'pHYs') parts.push(buf.subarray(at, end));
    if (type === 'IHDR') parts.push(chunk);
    at = end;
  }
  return Buffer.concat(parts);
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
  return { ok: true, bytes: withDpi(bytes, PNG_DPI) };
}
