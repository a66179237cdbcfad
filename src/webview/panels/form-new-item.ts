/** A new row for a list of objects (an API, a service) that satisfies the schema. Pure: no React, no DOM. */
import { type Design } from '../../schemas/design.js';
import { StringRules, ObjectListField } from './form-fields.js';
import { valueAt } from './form-values.js';
import { checkString } from './form-text.js';
import { referenceOptions } from './form-references.js';

export function singular(key: string): string {
  return key.endsWith('ies') ? `${key.slice(0, -3)}y` : key.endsWith('s') ? key.slice(0, -1) : key;
}

export function fits(rules: StringRules, text: string): boolean {
  return checkString(rules, text) === undefined;
}

/**
 * A new row for a list of objects (an API, a service): every required column gets a value that satisfies
 * the schema, unique in the list ("api-2"), or the first thing a reference can name.
 */
export function newListItem(field: ObjectListField, list: readonly unknown[], design: Design): Record<string, unknown> {
  const stem = singular(field.key);
  const item: Record<string, unknown> = {};
  for (const col of field.fields) {
    if (!col.required) continue;
    switch (col.kind) {
      case 'enum':
        item[col.key] = col.options[0];
        break;
      case 'boolean':
        item[col.key] = false;
        break;
      case 'number':
        item[col.key] = col.min ?? 0;
        break;
      case 'array-of-string':
      case 'array-of-object':
        item[col.key] = [];
        break;
      case 'object':
      case 'record':
        item[col.key] = {};
        break;
      case 'string': {
        const options = col.ref ? referenceOptions(design, col.ref) : [];
        const first = options[0];
        if (first) {
          item[col.key] = first.value;
          break;
        }
        const used = new Set(list.map((x) => valueAt(x, [col.key])));
        let value = `${stem}-${list.length + 1}`;
        for (let n = list.length + 1; n < list.length + 1000; n++) {
          const candidate = `${stem}-${n}`;
          if (!used.has(candidate) && fits(col, candidate)) {
            value = candidate;
            break;
          }
        }
        item[col.key] = value;
        break;
      }
    }
  }
  return item;
}

