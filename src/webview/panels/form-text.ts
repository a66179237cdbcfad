/** Client-side validation of what the user types, before anything is sent to the host. Pure: no React, no DOM. */
import { NumberField, StringRules, RecordField, Field } from './form-fields.js';
import { deepEqual } from './form-values.js';

/** A typed text read as a value: `value` undefined means "remove the key" (back to the default). */
export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export function checkString(rules: StringRules, text: string, what = 'the value'): string | undefined {
  if (rules.minLength !== undefined && text.length < rules.minLength) {
    return rules.minLength === 1 ? `${what} must not be empty` : `${what} must have at least ${rules.minLength} characters`;
  }
  if (rules.maxLength !== undefined && text.length > rules.maxLength) return `${what} must have at most ${rules.maxLength} characters`;
  if (rules.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(rules.pattern);
    } catch {
      re = undefined; // a pattern the browser cannot read: the host validates anyway
    }
    if (re && !re.test(text)) {
      if (rules.patternMessage) return `${what === 'the value' ? '' : `${what}: `}${rules.patternMessage}`;
      if (rules.format === 'date') return `${what} must be a date (YYYY-MM-DD)`;
      if (rules.format === 'email') return `${what} must be an e-mail address`;
      return `${what} must match ${rules.pattern}`;
    }
  }
  return undefined;
}

/** Checks a number against the field's bounds; the message, or undefined when it is valid. */
export function checkNumber(field: NumberField, n: number): string | undefined {
  if (!Number.isFinite(n)) return 'must be a number';
  if (field.integer && !Number.isInteger(n)) return 'must be a whole number';
  if (field.min !== undefined && n < field.min) return `must be at least ${field.min}`;
  if (field.max !== undefined && n > field.max) return `must be at most ${field.max}`;
  return undefined;
}

/**
 * Reads what the user typed into a text field (string, number or list of strings), checking it against
 * the field's pattern, length and bounds. Empty text removes the key when the schema allows that.
 */
export function parseFieldText(field: Field, text: string): Parsed {
  const t = text.trim();
  if (t === '' && field.kind !== 'array-of-string') {
    if (field.required) return { ok: false, message: `${field.label} is required` };
    return { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'number': {
      const n = Number(t);
      const message = checkNumber(field, n);
      return message ? { ok: false, message } : { ok: true, value: n };
    }
    case 'string': {
      const message = checkString(field, t);
      return message ? { ok: false, message } : { ok: true, value: t };
    }
    case 'array-of-string': {
      const items = t.split(/[\s,]+/).filter(Boolean);
      if (items.length === 0) {
        return { ok: true, value: field.hasDefault && deepEqual(field.default, []) ? undefined : [] };
      }
      for (const item of items) {
        if (field.item.options && !field.item.options.includes(item)) {
          return { ok: false, message: `"${item}" is not one of ${field.item.options.join(', ')}` };
        }
        const message = checkString(field.item, item, `"${item}"`);
        if (message) return { ok: false, message };
      }
      return { ok: true, value: items };
    }
    case 'enum':
      return field.options.includes(t) ? { ok: true, value: t } : { ok: false, message: `must be one of ${field.options.join(', ')}` };
    case 'boolean':
      return t === 'true' || t === 'false' ? { ok: true, value: t === 'true' } : { ok: false, message: 'must be true or false' };
    default:
      return { ok: false, message: `${field.label} is edited with its own controls` };
  }
}

/** Checks a record key (an annotation or tag name). */
export function checkRecordKey(key: string, existing: readonly string[], current?: string): string | undefined {
  if (key.trim() === '') return 'the name must not be empty';
  if (key !== current && existing.includes(key)) return `"${key}" is already set`;
  return undefined;
}

/** Checks a record value against the field's value rules. */
export function checkRecordValue(field: RecordField, value: string): string | undefined {
  return checkString(field.value, value);
}

