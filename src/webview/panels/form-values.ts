/** The values at a path, their defaults and how they are shown. Pure: no React, no DOM. */
import type { Path } from '../../schemas/operations.js';
import { Field } from './form-fields.js';

/** The value at a path in a plain object; undefined when any step is missing. */
export function valueAt(root: unknown, path: Path): unknown {
  let value: unknown = root;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[seg];
  }
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The value in effect: the one set, or the schema default. */
export function effectiveValue(field: Field, value: unknown): unknown {
  return value === undefined ? field.default : value;
}

/** Whether the value in effect is the schema default (shown as "default"). */
export function isDefault(field: Field, value: unknown): boolean {
  return field.hasDefault && (value === undefined || deepEqual(value, field.default));
}

/** How a value is shown in a text field: numbers as digits, lists of strings comma-separated. */
export function formatValue(field: Field, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'array-of-string' && Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

