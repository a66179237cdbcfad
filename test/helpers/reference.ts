/** Test fixtures built from the reference design as real YAML text, changed through the yaml Document API. */
import { parseDocument, type Document } from 'yaml';
import { referenceDesign } from '../../src/designs/reference.js';

export const REFERENCE = referenceDesign();

/** The reference design changed by `change`, as YAML text (comments and layout kept). */
export function mutateReference(change: (doc: Document) => void): string {
  return mutate(REFERENCE, change);
}

export function mutate(text: string, change: (doc: Document) => void): string {
  const doc = parseDocument(text);
  change(doc);
  return doc.toString();
}

/** Index of a node / certificate / edge in the reference design, by id (edges: by "<from>-<to>" or id). */
export function indexOf(doc: Document, section: 'nodes' | 'certificates' | 'edges', id: string): number {
  const list = (doc.toJS() as Record<string, unknown[]>)[section];
  const items = list as Array<Record<string, unknown>>;
  const i = items.findIndex((x) => (section === 'edges' ? (x.id ?? `${x.from}-${x.to}`) === id : x.id === id));
  if (i < 0) throw new Error(`no ${section} entry ${id}`);
  return i;
}

/** Sets a value at a path where the first segments name an entry by id: setAt(doc, ['nodes', 'apim', 'properties', 'sku'], 'Basic'). */
export function setAt(doc: Document, [section, id, ...rest]: [string, string, ...(string | number)[]], value: unknown): void {
  const i = indexOf(doc, section as 'nodes' | 'certificates' | 'edges', id);
  doc.setIn([section, i, ...rest], value);
}

/** Deletes the value at a path where the first segments name an entry by id. */
export function deleteAt(doc: Document, [section, id, ...rest]: [string, string, ...(string | number)[]]): void {
  const i = indexOf(doc, section as 'nodes' | 'certificates' | 'edges', id);
  doc.deleteIn([section, i, ...rest]);
}

/** Appends a plain JS value to a top-level list. */
export function append(doc: Document, section: 'nodes' | 'certificates' | 'edges', value: unknown): void {
  doc.addIn([section], doc.createNode(value));
}
