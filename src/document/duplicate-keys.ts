/** Duplicate keys in one YAML map, found in linear time (the yaml package's own check is quadratic in a map's size). */
import { isScalar, visit, type Document } from 'yaml';

/** The first key that appears twice in one map (a YAML error), found in linear time. */
export function duplicateKey(doc: Document): { offset: number; message: string } | undefined {
  let found: { offset: number; message: string } | undefined;
  visit(doc, {
    Map(_, map) {
      if (map.items.length < 2) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        const id = isScalar(key) ? `${typeof key.value}:${String(key.value)}` : undefined;
        if (id === undefined) continue;
        if (seen.has(id)) {
          found = { offset: rangeOf(key)?.[0] ?? 0, message: `Map keys must be unique ("${String((key as { value: unknown }).value)}")` };
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    return r ?? undefined;
  }
  return undefined;
}
