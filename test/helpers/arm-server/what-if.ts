/**
 * The test Resource Manager's what-if: compares the resources a template would deploy with the resources the
 * server holds (deployed earlier, or seeded by a test) and reports, per resource, Create, Modify (with a delta of
 * property changes, nested as ARM nests them), NoChange, and, for resources of the group the template leaves out,
 * Ignore (Incremental mode) or Delete (Complete mode).
 */
import { isDeepStrictEqual } from 'node:util';
import type { PlannedResource } from './template.js';
import { isObject } from './template.js';

export interface StoredResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly apiVersion: string;
  body: Record<string, unknown>;
}

export interface WirePropertyChange {
  path: string;
  propertyChangeType: 'Create' | 'Delete' | 'Modify' | 'Array' | 'NoEffect';
  before?: unknown;
  after?: unknown;
  children?: WirePropertyChange[];
}

export interface WireChange {
  resourceId: string;
  changeType: 'Create' | 'Delete' | 'Ignore' | 'NoChange' | 'Modify' | 'Deploy' | 'Unsupported';
  before?: unknown;
  after?: unknown;
  delta?: WirePropertyChange[];
}

export function whatIfChanges(
  planned: readonly PlannedResource[],
  existing: ReadonlyMap<string, StoredResource>,
  resourceGroupId: string,
  mode: 'Incremental' | 'Complete',
): WireChange[] {
  const changes: WireChange[] = [];
  const inTemplate = new Set<string>();
  for (const r of planned) {
    const key = r.id.toLowerCase();
    inTemplate.add(key);
    const after = snapshot(r.id, r.type, r.name, r.apiVersion, r.body);
    const old = existing.get(key);
    if (!old) {
      changes.push({ resourceId: r.id, changeType: 'Create', after });
      continue;
    }
    const before = snapshot(old.id, old.type, old.name, old.apiVersion, old.body);
    const delta = diffObjects(old.body, r.body);
    changes.push({ resourceId: r.id, changeType: delta.length ? 'Modify' : 'NoChange', before, after, ...(delta.length ? { delta } : {}) });
  }
  const prefix = `${resourceGroupId.toLowerCase()}/`;
  for (const [key, old] of existing) {
    if (inTemplate.has(key) || !key.startsWith(prefix)) continue;
    const before = snapshot(old.id, old.type, old.name, old.apiVersion, old.body);
    changes.push({ resourceId: old.id, changeType: mode === 'Complete' ? 'Delete' : 'Ignore', before });
  }
  return changes;
}

function snapshot(id: string, type: string, name: string, apiVersion: string, body: Record<string, unknown>): Record<string, unknown> {
  return { id, name: name.split('/').pop(), type, apiVersion, ...body };
}

/** ARM's delta between two objects: Create/Delete/Modify leaves; objects nest as Modify with children, arrays as Array. */
export function diffObjects(before: Record<string, unknown>, after: Record<string, unknown>): WirePropertyChange[] {
  const out: WirePropertyChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const change = diffValue(key, before[key], after[key], key in before, key in after);
    if (change) out.push(change);
  }
  return out;
}

function diffValue(path: string, before: unknown, after: unknown, hadBefore: boolean, hasAfter: boolean): WirePropertyChange | undefined {
  if (!hadBefore) return { path, propertyChangeType: 'Create', after };
  if (!hasAfter) return { path, propertyChangeType: 'Delete', before };
  // Values, not texts: the order of an object's keys is no change.
  if (isDeepStrictEqual(before, after)) return undefined;
  if (isObject(before) && isObject(after)) return { path, propertyChangeType: 'Modify', children: diffObjects(before, after) };
  if (Array.isArray(before) && Array.isArray(after)) {
    const children: WirePropertyChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const c = diffValue(String(i), before[i], after[i], i < before.length, i < after.length);
      if (c) children.push(c);
    }
    return { path, propertyChangeType: 'Array', children };
  }
  return { path, propertyChangeType: 'Modify', before, after };
}
