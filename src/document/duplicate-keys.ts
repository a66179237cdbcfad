/** Duplicate keys in one YAML map, found in linear time (the yaml package's own check is quadratic in a map's size). */
import { isScalar, visit, type Document } from 'yaml';

type Duplicate = { offset: number; message: string };

/**
 * The answer for each Document already searched: the parse of an edited text is shared (read-yaml.ts), and both the
 * editor's safety net and the reader ask about it. Parsed Documents are never changed (see read-yaml.ts).
 */
const searched = new WeakMap<Document, Duplicate | null>();

/** The first key that appears twice in one map (a YAML error), found in linear time. */
export function duplicateKey(doc: Document): Duplicate | undefined {
  const known = searched.get(doc);
  if (known !== undefined) return known ?? undefined;
  const found = search(doc);
  searched.set(doc, found ?? null);
  return found;
}

function search(doc: Document): Duplicate | undefined {
  let found: Duplicate | undefined;
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
