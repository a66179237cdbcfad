/**
 * The Inspector's form controls, one per field kind of the form model (form-model.ts), rendered with
 * @vscode-elements/react-elements. Every change goes out as edit operations through `send`; text commits
 * on Enter or when the field loses focus, after client-side checks (Escape puts the value back).
 *
 * Test ids (stable; <path> is the field's path relative to the element, dotted: "properties.ingress.verifyDepth"):
 *   field-<path>           the control: text field, select or checkbox (a list of enum values: a group)
 *   field-<path>.<option>  one checkbox of a list of enum values ("field-properties.zones.2")
 *   group-<path>           the field's row (label, control, messages); attribute data-default="true" when the default applies
 *   default-<path>         the "default" marker
 *   reset-<path>           "Reset" (back to the default: unsetProperty)
 *   error-<path>           the client-side validation message
 *   issue-<path>           a finding on exactly this field
 *   table-<path>           a list of objects (APIs, services) or a map (annotations, tags)
 *   add-<path>             adds a row
 *   remove-<path>.<i|key>  removes a row
 *   field-<path>.<i>.<col> a cell of a list of objects ("field-properties.apis.0.name")
 *   key-<path>.<key>       the name of a map entry; value: field-<path>.<key>
 *   new-key-<path>, new-value-<path>   the new map entry
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import VscodeCheckbox from '@vscode-elements/react-elements/dist/components/VscodeCheckbox.js';
import VscodeLabel from '@vscode-elements/react-elements/dist/components/VscodeLabel.js';
import VscodeOption from '@vscode-elements/react-elements/dist/components/VscodeOption.js';
import VscodeSingleSelect from '@vscode-elements/react-elements/dist/components/VscodeSingleSelect.js';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { Design } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import { RemoveButton, SeverityIcon } from './common.js';
import {
  addItemOps,
  changeOps,
  checkRecordKey,
  checkRecordValue,
  effectiveValue,
  formatValue,
  isDefault,
  newListItem,
  parseFieldText,
  pathKey,
  referenceChoices,
  removeItemOps,
  renameRecordKeyOps,
  resetOps,
  toggleOption,
  valueAt,
  type Field,
  type NumberField,
  type ObjectListField,
  type Option,
  type Parsed,
  type RecordField,
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

function eventValue(e: Event): string {
  const t = e.target as { value?: unknown } | null;
  return typeof t?.value === 'string' ? t.value : '';
}

function eventChecked(e: Event): boolean {
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

function FieldRow({
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
function FieldIssues({ issues, testId }: { issues: readonly Finding[]; testId: string }) {
  return issues.map((f, i) => (
    <div key={i} className={`gw-issue gw-issue-${f.severity}`} data-testid={testId}>
      <SeverityIcon severity={f.severity} /> {f.message}
    </div>
  ));
}

/** "A whole number from 1 to 10.", "A whole number, at least 7.", or undefined without bounds. */
function rangeText(field: NumberField): string | undefined {
  const n = field.integer ? 'A whole number' : 'A number';
  if (field.min !== undefined && field.max !== undefined) return `${n} from ${field.min} to ${field.max}.`;
  if (field.min !== undefined) return `${n}, at least ${field.min}.`;
  if (field.max !== undefined) return `${n}, at most ${field.max}.`;
  return undefined;
}

function placeholderOf(field: Field): string {
  if (field.hasDefault) {
    const d = formatValue(field, field.default);
    return d ? `default: ${d}` : 'default: none';
  }
  return field.required ? 'required' : 'not set';
}

interface ScalarInputProps {
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
function ScalarInput({ field, path, label, value, placeholder, ctx, set }: ScalarInputProps) {
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

/** One field of the form, by kind. */
export function FieldEditor({ field, ctx }: { field: Field; ctx: FieldContext }) {
  const key = pathKey(field.path);
  const id = domId('gw-f', field.path);
  const current = valueAt(ctx.root, field.path);
  const effective = effectiveValue(field, current);
  const set = (value: unknown) => {
    const ops = changeOps(ctx.target, field.path, value, current);
    const op = ops[0];
    if (!op) return;
    const label =
      op.op === 'renameNode'
        ? `Rename ${op.id} to ${op.newId}`
        : op.op === 'unsetProperty'
          ? `Reset ${field.label}`
          : `Set ${field.label} to ${Array.isArray(value) ? value.map(String).join(', ') || 'none' : typeof value === 'object' ? 'a new value' : String(value)}`;
    ctx.send(ops, label.slice(0, 200));
  };

  switch (field.kind) {
    case 'boolean':
      return (
        <FieldRow
          field={field}
          ctx={ctx}
          inline={
            <VscodeCheckbox
              id={id}
              data-testid={`field-${key}`}
              aria-label={field.label}
              label={field.label}
              checked={effective === true}
              onChange={(e) => set(eventChecked(e))}
            />
          }
        />
      );
    case 'enum': {
      const options: Option[] = field.options.map((o) => ({ value: o, label: o, ...(o === field.default ? { description: 'default' } : {}) }));
      if (!field.required && !field.hasDefault) options.unshift({ value: '', label: '(not set)' });
      return (
        <FieldRow field={field} ctx={ctx} labelFor={id}>
          <Select
            id={id}
            testId={`field-${key}`}
            label={field.label}
            value={typeof effective === 'string' ? effective : ''}
            options={options}
            onChange={(v) => set(v === '' ? undefined : v)}
          />
        </FieldRow>
      );
    }
    case 'string':
    case 'number':
      return (
        <FieldRow field={field} ctx={ctx} labelFor={id}>
          <ScalarInput field={field} path={field.path} label={field.label} value={current} ctx={ctx} set={set} />
        </FieldRow>
      );
    case 'array-of-string': {
      const options = field.item.options;
      if (options) {
        const list = Array.isArray(effective) ? effective.map(String) : [];
        return (
          <FieldRow field={field} ctx={ctx}>
            <div className="gw-checks" role="group" aria-label={field.label} data-testid={`field-${key}`}>
              {options.map((o) => (
                <VscodeCheckbox
                  key={o}
                  data-testid={`field-${key}.${o}`}
                  aria-label={`${field.label}: ${o}`}
                  label={o}
                  checked={list.includes(o)}
                  onChange={(e) => set(toggleOption(options, list, o, eventChecked(e)))}
                />
              ))}
            </div>
          </FieldRow>
        );
      }
      return (
        <FieldRow field={field} ctx={ctx} labelFor={id}>
          <ScalarInput field={field} path={field.path} label={`${field.label} (separated by commas)`} value={effective} placeholder="none" ctx={ctx} set={set} />
        </FieldRow>
      );
    }
    case 'object':
      return (
        <fieldset className="gw-fieldset" data-testid={`group-${key}`}>
          <legend>{field.label}</legend>
          {field.description && <div className="gw-help">{field.description}</div>}
          {field.fields.map((f) => (
            <FieldEditor key={pathKey(f.path)} field={f} ctx={ctx} />
          ))}
        </fieldset>
      );
    case 'array-of-object':
      return <ObjectTable field={field} ctx={ctx} />;
    case 'record':
      return <RecordTable field={field} ctx={ctx} />;
  }
}

// ---------------------------------------------------------------- lists of objects

/** The frame of a list or map editor: the legend with the number of entries, the help, then the table. */
function ListFieldset({ field, count, children }: { field: ObjectListField | RecordField; count: number; children: ReactNode }) {
  return (
    <fieldset className="gw-fieldset" data-testid={`group-${pathKey(field.path)}`}>
      <legend>
        {field.label} <span className="gw-count">({count})</span>
      </legend>
      {field.description && <div className="gw-help">{field.description}</div>}
      {children}
    </fieldset>
  );
}

/** The last column's header: the remove buttons, named for screen readers only. */
function ActionsHeader() {
  return (
    <th scope="col" className="gw-narrow">
      <span className="gw-visually-hidden">Actions</span>
    </th>
  );
}

/** A list of objects (APIs, services) as a table: one row per item, a column per property, add and remove. */
function ObjectTable({ field, ctx }: { field: ObjectListField; ctx: FieldContext }) {
  const key = pathKey(field.path);
  const raw = valueAt(ctx.root, field.path);
  const list: unknown[] = Array.isArray(raw) ? raw : [];
  const issues = [...ctx.issues.entries()].filter(([k]) => k === key || k.startsWith(`${key}.`)).flatMap(([, fs]) => fs);
  const noun = field.label.replace(/s$/, '');
  return (
    <ListFieldset field={field} count={list.length}>
      {list.length > 0 && (
        <table className="gw-table" data-testid={`table-${key}`} aria-label={field.label}>
          <thead>
            <tr>
              {field.fields.map((c) => (
                <th key={c.key} scope="col" title={c.description}>
                  {c.label}
                  {c.required ? ' *' : ''}
                </th>
              ))}
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {list.map((item, i) => (
              <tr key={i}>
                {field.fields.map((c) => (
                  <td key={c.key}>
                    <Cell column={c} item={item} index={i} list={field} ctx={ctx} />
                  </td>
                ))}
                <td>
                  <RemoveButton
                    testId={`remove-${key}.${i}`}
                    label={`Remove ${noun} ${String(valueAt(item, ['name']) ?? i + 1)}`}
                    onClick={() => ctx.send(removeItemOps(ctx.target, field.path, i), `Remove ${noun}`)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <VscodeButton
        secondary
        data-testid={`add-${key}`}
        aria-label={`Add ${noun}`}
        onClick={() => ctx.send(addItemOps(ctx.target, field.path, list, newListItem(field, list, ctx.design)), `Add ${noun}`)}
      >
        Add {noun}
      </VscodeButton>
      <FieldIssues issues={issues} testId={`issue-${key}`} />
    </ListFieldset>
  );
}

/** One cell of a list-of-objects table: the column's control for the item's value. */
function Cell({ column, item, index, list, ctx }: { column: Field; item: unknown; index: number; list: ObjectListField; ctx: FieldContext }) {
  const path: Path = [...list.path, index, ...column.path];
  const key = pathKey(path);
  const id = domId('gw-f', path);
  const current = valueAt(item, column.path);
  const effective = effectiveValue(column, current);
  const label = `${column.label} of ${list.label.replace(/s$/, '')} ${index + 1}`;
  const set = (value: unknown) => {
    const ops = changeOps(ctx.target, path, value, current);
    if (ops.length) ctx.send(ops, `Set ${column.label}`);
  };
  switch (column.kind) {
    case 'boolean':
      return (
        <VscodeCheckbox id={id} data-testid={`field-${key}`} aria-label={label} checked={effective === true} onChange={(e) => set(eventChecked(e))}>
          <span className="gw-visually-hidden">{label}</span>
        </VscodeCheckbox>
      );
    case 'enum':
      return (
        <Select
          id={id}
          testId={`field-${key}`}
          label={label}
          value={typeof effective === 'string' ? effective : ''}
          options={column.options.map((o) => ({ value: o, label: o }))}
          onChange={(v) => set(v)}
        />
      );
    case 'string':
    case 'number':
    case 'array-of-string':
      return <ScalarInput field={column} path={path} label={label} value={current} ctx={ctx} set={set} />;
    default:
      return <span className="gw-help">edit in the text</span>;
  }
}

// ---------------------------------------------------------------- maps

/** A map of strings (ingress annotations, metadata tags): name and value per row, add, rename, remove. */
function RecordTable({ field, ctx }: { field: RecordField; ctx: FieldContext }) {
  const key = pathKey(field.path);
  const raw = valueAt(ctx.root, field.path);
  const entries = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.entries(raw as Record<string, unknown>) : [];
  const names = entries.map(([k]) => k);
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const add = () => {
    const problem = checkRecordKey(newKey.trim(), names) ?? checkRecordValue(field, newValue);
    if (problem) {
      setError(problem);
      return;
    }
    setError(undefined);
    const ops: EditOperation[] =
      entries.length === 0
        ? [{ op: 'setProperty', target: ctx.target, path: [...field.path], value: { [newKey.trim()]: newValue } }]
        : [{ op: 'setProperty', target: ctx.target, path: [...field.path, newKey.trim()], value: newValue }];
    ctx.send(ops, `Add ${field.label.toLowerCase()} ${newKey.trim()}`);
    setNewKey('');
    setNewValue('');
  };
  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  };
  return (
    <ListFieldset field={field} count={entries.length}>
      <table className="gw-table" data-testid={`table-${key}`} aria-label={field.label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            <ActionsHeader />
          </tr>
        </thead>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <td>
                <TextInput
                  id={domId('gw-k', [...field.path, k])}
                  testId={`key-${key}.${k}`}
                  label={`Name of ${field.label.toLowerCase()} ${k}`}
                  text={k}
                  parse={(t) => {
                    const problem = checkRecordKey(t.trim(), names, k);
                    return problem ? { ok: false, message: problem } : { ok: true, value: t.trim() };
                  }}
                  commit={(to) => ctx.send(renameRecordKeyOps(ctx.target, field.path, k, String(to), v), `Rename ${k}`)}
                />
              </td>
              <td>
                <TextInput
                  id={domId('gw-f', [...field.path, k])}
                  testId={`field-${key}.${k}`}
                  label={`Value of ${field.label.toLowerCase()} ${k}`}
                  text={typeof v === 'string' ? v : JSON.stringify(v)}
                  parse={(t) => {
                    const problem = checkRecordValue(field, t);
                    return problem ? { ok: false, message: problem } : { ok: true, value: t };
                  }}
                  commit={(value) => ctx.send(changeOps(ctx.target, [...field.path, k], value, v), `Set ${k}`)}
                />
              </td>
              <td>
                <RemoveButton
                  testId={`remove-${key}.${k}`}
                  label={`Remove ${k}`}
                  onClick={() => ctx.send([{ op: 'unsetProperty', target: ctx.target, path: [...field.path, k] }], `Remove ${k}`)}
                />
              </td>
            </tr>
          ))}
          <tr className="gw-new-row">
            <td>
              <VscodeTextfield
                data-testid={`new-key-${key}`}
                label={`New ${field.label.toLowerCase()} name`}
                aria-label={`New ${field.label.toLowerCase()} name`}
                placeholder="name"
                value={newKey}
                onInput={(e) => setNewKey(eventValue(e))}
                onKeyDown={onEnter}
              />
            </td>
            <td>
              <VscodeTextfield
                data-testid={`new-value-${key}`}
                label={`New ${field.label.toLowerCase()} value`}
                aria-label={`New ${field.label.toLowerCase()} value`}
                placeholder="value"
                value={newValue}
                onInput={(e) => setNewValue(eventValue(e))}
                onKeyDown={onEnter}
              />
            </td>
            <td>
              <VscodeButton secondary data-testid={`add-${key}`} aria-label={`Add to ${field.label.toLowerCase()}`} onClick={add}>
                Add
              </VscodeButton>
            </td>
          </tr>
        </tbody>
      </table>
      {error && (
        <div className="gw-error" role="alert" data-testid={`error-${key}`}>
          {error}
        </div>
      )}
    </ListFieldset>
  );
}
