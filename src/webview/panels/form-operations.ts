/** The edit operations a change in a form sends. Pure: no React, no DOM. */
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import { deepEqual } from './form-values.js';

/**
 * The operations that give `path` (relative to the target) a new value: setProperty, unsetProperty when the
 * value is undefined (the key is removed and the default applies), renameNode for a node's id. Nothing when
 * the value does not change.
 */
export function changeOps(target: EditTarget, path: Path, value: unknown, current: unknown): EditOperation[] {
  if (value === undefined) {
    if (current === undefined) return [];
    if (target.kind !== 'metadata' && path.length === 1 && path[0] === 'id') return []; // ids are required
    return [{ op: 'unsetProperty', target, path: [...path] }];
  }
  if (deepEqual(value, current)) return [];
  if (target.kind === 'node' && path.length === 1 && path[0] === 'id' && typeof value === 'string') {
    return [{ op: 'renameNode', id: target.id, newId: value }];
  }
  return [{ op: 'setProperty', target, path: [...path], value }];
}

/** The operation that puts a field back to its default (removes its key). */
export function resetOps(target: EditTarget, path: Path): EditOperation[] {
  return [{ op: 'unsetProperty', target, path: [...path] }];
}

/** Adds an item to a list: the whole list when it is empty (the key may be absent), else the next index. */
export function addItemOps(target: EditTarget, path: Path, list: readonly unknown[], item: unknown): EditOperation[] {
  if (list.length === 0) return [{ op: 'setProperty', target, path: [...path], value: [item] }];
  return [{ op: 'setProperty', target, path: [...path, list.length], value: item }];
}

/** Removes the item at `index` of a list. */
export function removeItemOps(target: EditTarget, path: Path, index: number): EditOperation[] {
  return [{ op: 'unsetProperty', target, path: [...path, index] }];
}

/** Renames a key of a record (annotations, tags), keeping its value, in one edit. */
export function renameRecordKeyOps(target: EditTarget, path: Path, from: string, to: string, value: unknown): EditOperation[] {
  if (from === to) return [];
  return [
    { op: 'unsetProperty', target, path: [...path, from] },
    { op: 'setProperty', target, path: [...path, to], value },
  ];
}

/** Toggles one option of a list of enum values (zones, plans), keeping the schema's option order. */
export function toggleOption(options: readonly string[], current: readonly string[], option: string, on: boolean): string[] {
  const set = new Set(current);
  if (on) set.add(option);
  else set.delete(option);
  const known = options.filter((o) => set.has(o));
  const unknown = current.filter((o) => !options.includes(o) && set.has(o));
  return [...known, ...unknown];
}

