/** Splits an icon file into what a <symbol> or a nested <svg> needs. Pure. */
export interface IconShape {
  readonly viewBox: string;
  /** Presentation attributes of the root element (fill, stroke, ...), as markup. */
  readonly attributes: string;
  /** The shapes, without the <title>. */
  readonly body: string;
}

export function parseIcon(text: string): IconShape {
  const open = /<svg\b([^>]*)>/i.exec(text);
  if (!open) throw new Error('not an SVG file');
  const attrs = open[1] ?? '';
  const viewBox = /\sviewBox="([^"]*)"/.exec(attrs)?.[1] ?? '0 0 32 32';
  const attributes = [...attrs.matchAll(/\s(fill|stroke|stroke-width|stroke-linecap|stroke-linejoin)="([^"]*)"/g)].map((m) => `${m[1]}="${m[2]}"`).join(' ');
  const end = text.lastIndexOf('</svg>');
  const body = text
    .slice(open.index + open[0].length, end < 0 ? undefined : end)
    .replace(/<title>[\s\S]*?<\/title>/g, '')
    .trim();
  return { viewBox, attributes, body };
}
