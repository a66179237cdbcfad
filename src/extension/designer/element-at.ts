/**
 * Which element of the design the text cursor is in (a node, an edge or a certificate entry, or a node's layout
 * line), so that the designer can select it while the user moves through the YAML. No vscode import.
 */
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { edgeId } from '../../schemas/design.js';

export interface ElementTarget {
  readonly kind: 'node' | 'edge' | 'certificate';
  readonly id: string;
}

const SECTIONS = [
  ['nodes', 'node'],
  ['edges', 'edge'],
  ['certificates', 'certificate'],
] as const;

/**
 * The element whose entry holds `offset` (0-based, UTF-16), or undefined. An entry starts at the beginning of
 * its first line, so a cursor on its `- ` counts.
 */
export function elementAt(doc: Document | undefined, text: string, offset: number): ElementTarget | undefined {
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  const holds = (range: readonly [number, number, number] | null | undefined) => !!range && offset >= lineStart(range[0]) && offset <= range[1];
  const root = doc?.contents;
  if (!isMap(root)) return undefined;
  for (const [section, kind] of SECTIONS) {
    const list = root.get(section, true);
    if (!isSeq(list) || !holds(list.range)) continue;
    // The last entry that starts at or before the cursor (an entry's range may end where the next one begins).
    let item: unknown;
    for (const candidate of list.items) {
      const range = (candidate as { range?: [number, number, number] | null }).range;
      if (range && lineStart(range[0]) > offset) break;
      item = candidate;
    }
    if (!isMap(item) || !holds(item.range)) return undefined;
    const id = scalarText(item.get('id', true));
    if (kind !== 'edge' || id !== undefined) return id === undefined ? undefined : { kind, id };
    const from = scalarText(item.get('from', true));
    const to = scalarText(item.get('to', true));
    return from !== undefined && to !== undefined ? { kind, id: edgeId({ from, to }) } : undefined;
  }
  const layout = root.get('layout', true);
  if (isMap(layout) && holds(layout.range)) {
    let found: string | undefined;
    for (const pair of layout.items) {
      const key = pair.key;
      if (!isScalar(key) || !key.range) continue;
      if (lineStart(key.range[0]) > offset) break;
      const valueRange = (pair.value as { range?: [number, number, number] | null } | null)?.range;
      const end = valueRange ? valueRange[1] : key.range[1];
      found = offset <= end ? scalarText(key) : undefined;
    }
    if (found !== undefined) return { kind: 'node', id: found };
  }
  return undefined;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}
