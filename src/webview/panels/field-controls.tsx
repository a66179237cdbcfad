/** The Inspector's controls for one value: text fields that commit on Enter or blur, selects, a field's row with its messages. Test ids: fields.tsx. */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import VscodeLabel from '@vscode-elements/react-elements/dist/components/VscodeLabel.js';
import VscodeOption from '@vscode-elements/react-elements/dist/components/VscodeOption.js';
import VscodeSingleSelect from '@vscode-elements/react-elements/dist/components/VscodeSingleSelect.js';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { Design } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import { SeverityIcon } from './common.js';
import {
  effectiveValue,
  formatValue,
  isDefault,
  parseFieldText,
  pathKey,
  referenceChoices,
  resetOps,
  valueAt,
  type Field,
  type NumberField,
  type Option,
  type Parsed,
} from './form-model.js';

export interface FieldContext {
  readonly design: Design;
  readonly target: EditTarget;
  /** The object field paths are relative to (the node, edge, certificate or metadata). */
  readonly root: unknown;
  /** Findings on this element, by the dotted path relative to it. */
  readonly issues: ReadonlyMap<string, readonly Finding[]>;
  /** The certificate being edited (it is not its own issuer). */
  readonly selfId?: string;
  send(ops: EditOperation[], label: string): void;
}

/** A DOM id for a path: letters, digits, - and _ only (vscode-label finds its control with `#id`). */
export function domId(prefix: string, path: Path): string {
  return `${prefix}-${pathKey(path).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

export function eventValue(e: Event): string {
  const t = e.target as { value?: unknown } | null;
  return typeof t?.value === 'string' ? t.value : '';
}

export function eventChecked(e: Event): boolean {
  const t = e.target as { checked?: unknown } | null;
  return t?.checked === true;
}

// ---------------------------------------------------------------- primitives

export interface TextInputProps {
  id: string;
  testId: string;
  label: string;
  /** The text of the value in effect. */
  text: string;
  placeholder?: string;
  /** Reads the text; an error message is shown inline and nothing is sent. */
  parse(text: string): Parsed;
  commit(value: unknown): void;
  errorTestId?: string;
}

/** A text field that commits on Enter or blur, validates as one types, and reverts on Escape. */
export function TextInput({ id, testId, label, text, placeholder, parse, commit, errorTestId }: TextInputProps) {
  const [draft, setDraft] = useState(text);
  const [base, setBase] = useState(text);
  const [error, setError] = useState<string | undefined>();
  // The text last sent: Enter then blur, before the new state arrives, must not send it twice.
  const [sent, setSent] = useState<string | undefined>();
  if (text !== base) {
    // The value changed outside (an edit arrived, undo): show it.
    setBase(text);
    setDraft(text);
    setError(undefined);
    setSent(undefined);
  }
  const tryCommit = (value: string) => {
    if (value === text || value === sent) {
      setError(undefined);
      return;
    }
    const parsed = parse(value);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(undefined);
    setSent(value);
    commit(parsed.value);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      tryCommit(draft);
    } else if (e.key === 'Escape' && (draft !== text || error !== undefined)) {
      // Escape first puts the value back; only then does it reach the canvas.
      e.stopPropagation();
      setDraft(text);
      setError(undefined);
    }
  };
  return (
    <>
      <VscodeTextfield
        id={id}
        data-testid={testId}
        label={label}
        aria-label={label}
        value={draft}
        // The whole value where the field is too narrow to show it.
        title={draft || undefined}
        placeholder={placeholder}
        invalid={error !== undefined}
        onInput={(e) => {
          const value = eventValue(e);
          setDraft(value);
          setSent(undefined);
          const parsed = value === text ? undefined : parse(value);
          setError(parsed && !parsed.ok ? parsed.message : undefined);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => tryCommit(draft)}
      />
      {error && (
        <div className="gw-error" aria-live="polite" data-testid={errorTestId ?? `error-${testId}`}>
          {error}
        </div>
      )}
    </>
  );
}

export interface SelectProps {
  id: string;
  testId: string;
  label: string;
  value: string;
  options: readonly Option[];
  onChange(value: string): void;
}

export function Select({ id, testId, label, value, options, onChange }: SelectProps) {
  return (
    <VscodeSingleSelect
      id={id}
      data-testid={testId}
      label={label}
      aria-label={label}
      value={value}
      onChange={(e) => {
        const next = eventValue(e);
        if (next !== value) onChange(next);
      }}
    >
      {options.map((o) => (
        <VscodeOption key={o.value} value={o.value} selected={o.value === value} description={o.description ?? ''}>
          {o.label}
        </VscodeOption>
      ))}
    </VscodeSingleSelect>
  );
}

// ---------------------------------------------------------------- one field

export function FieldRow({
  field,
  ctx,
  children,
  labelFor,
  inline,
}: {
  field: Field;
  ctx: FieldContext;
  children?: ReactNode;
  labelFor?: string;
  /** A control that carries its own label (a checkbox), shown in place of the label. */
  inline?: ReactNode;
}) {
  const key = pathKey(field.path);
  const value = valueAt(ctx.root, field.path);
  const atDefault = isDefault(field, value);
  const issues = ctx.issues.get(key) ?? [];
  const canReset = field.hasDefault && !atDefault;
  const range = field.kind === 'number' ? rangeText(field) : undefined;
  return (
    <div className="gw-field" data-testid={`group-${key}`} data-default={atDefault ? 'true' : 'false'}>
      <div className="gw-field-head">
        {inline ?? (
          <VscodeLabel htmlFor={labelFor} required={field.required}>
            {field.label}
          </VscodeLabel>
        )}
        {atDefault && (
          <span className="gw-default" data-testid={`default-${key}`} title="The schema default applies">
            default
          </span>
        )}
        {canReset && (
          <button
            type="button"
            className="gw-link"
            data-testid={`reset-${key}`}
            aria-label={`Reset ${field.label} to its default ${formatValue(field, field.default)}`}
            title={`Reset to ${formatValue(field, field.default) || 'the default'}`}
            onClick={() => ctx.send(resetOps(ctx.target, field.path), `Reset ${field.label}`)}
          >
            Reset
          </button>
        )}
      </div>
      {children}
      {(field.description || range) && <div className="gw-help">{[field.description, range].filter(Boolean).join(' ')}</div>}
      <FieldIssues issues={issues} testId={`issue-${key}`} />
    </div>
  );
}

/** The findings on a field (or on a list and its items), one line each. */
export function FieldIssues({ issues, testId }: { issues: readonly Finding[]; testId: string }) {
  return issues.map((f, i) => (
    <div key={i} className={`gw-issue gw-issue-${f.severity}`} data-testid={testId}>
      <SeverityIcon severity={f.severity} /> {f.message}
    </div>
  ));
}

/** "A whole number from 1 to 10.", "A whole number, at least 7.", or undefined without bounds. */
export function rangeText(field: NumberField): string | undefined {
  const n = field.integer ? 'A whole number' : 'A number';
  if (field.min !== undefined && field.max !== undefined) return `${n} from ${field.min} to ${field.max}.`;
  if (field.min !== undefined) return `${n}, at least ${field.min}.`;
  if (field.max !== undefined) return `${n}, at most ${field.max}.`;
  return undefined;
}

export function placeholderOf(field: Field): string {
  if (field.hasDefault) {
    const d = formatValue(field, field.default);
    return d ? `default: ${d}` : 'default: none';
  }
  return field.required ? 'required' : 'not set';
}

export interface ScalarInputProps {
  field: Field;
  /** The field's path relative to the element (for a cell: the list's path, the index, the column's path). */
  path: Path;
  label: string;
  /** The value shown. */
  value: unknown;
  /** The placeholder of the text field; by default it names the default value, or says whether one is required. */
  placeholder?: string;
  ctx: FieldContext;
  set(value: unknown): void;
}

/**
 * The control of a value typed as text (a string, a number, a list of strings separated by commas), or picked from
 * the design when the string refers to one of its elements: the same in a form row and in a cell of a list of objects.
 */
export function ScalarInput({ field, path, label, value, placeholder, ctx, set }: ScalarInputProps) {
  const key = pathKey(path);
  const id = domId('gw-f', path);
  if (field.kind === 'string' && field.ref) {
    const effective = effectiveValue(field, value);
    const selected = typeof effective === 'string' ? effective : '';
    const options = referenceChoices(ctx.design, { ...field, ref: field.ref }, selected, ctx.selfId);
    return <Select id={id} testId={`field-${key}`} label={label} value={selected} options={options} onChange={(v) => set(v === '' ? undefined : v)} />;
  }
  return (
    <TextInput
      id={id}
      testId={`field-${key}`}
      errorTestId={`error-${key}`}
      label={label}
      text={formatValue(field, value)}
      placeholder={placeholder ?? placeholderOf(field)}
      parse={(t) => parseFieldText(field, t)}
      commit={(v) => set(v)}
    />
  );
}
