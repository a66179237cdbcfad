/** The Inspector's tables: lists of objects (APIs, services) and maps (annotations, tags). Test ids: fields.tsx. */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import VscodeCheckbox from '@vscode-elements/react-elements/dist/components/VscodeCheckbox.js';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { EditOperation, Path } from '../../schemas/operations.js';
import { RemoveButton } from './common.js';
import {
  addItemOps,
  changeOps,
  checkRecordKey,
  checkRecordValue,
  effectiveValue,
  newListItem,
  pathKey,
  removeItemOps,
  renameRecordKeyOps,
  valueAt,
  type Field,
  type ObjectListField,
  type RecordField,
} from './form-model.js';
import { type FieldContext, domId, eventValue, eventChecked, TextInput, Select, FieldIssues, ScalarInput } from './field-controls.js';

// ---------------------------------------------------------------- lists of objects

/** The frame of a list or map editor: the legend with the number of entries, the help, then the table. */
export function ListFieldset({ field, count, children }: { field: ObjectListField | RecordField; count: number; children: ReactNode }) {
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
export function ActionsHeader() {
  return (
    <th scope="col" className="gw-narrow">
      <span className="gw-visually-hidden">Actions</span>
    </th>
  );
}

/** A list of objects (APIs, services) as a table: one row per item, a column per property, add and remove. */
export function ObjectTable({ field, ctx }: { field: ObjectListField; ctx: FieldContext }) {
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
export function Cell({ column, item, index, list, ctx }: { column: Field; item: unknown; index: number; list: ObjectListField; ctx: FieldContext }) {
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
export function RecordTable({ field, ctx }: { field: RecordField; ctx: FieldContext }) {
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
        </tbody>
      </table>
      {/* The new entry under the table, in a row of its own: its Add button keeps its width at every panel width
          (in the table's narrow actions column it was cut off). */}
      <div className="gw-new-entry" role="group" aria-label={`New ${field.label.toLowerCase().replace(/s$/, '')}`}>
        <VscodeTextfield
          data-testid={`new-key-${key}`}
          label={`New ${field.label.toLowerCase()} name`}
          aria-label={`New ${field.label.toLowerCase()} name`}
          placeholder="name"
          value={newKey}
          onInput={(e) => setNewKey(eventValue(e))}
          onKeyDown={onEnter}
        />
        <VscodeTextfield
          data-testid={`new-value-${key}`}
          label={`New ${field.label.toLowerCase()} value`}
          aria-label={`New ${field.label.toLowerCase()} value`}
          placeholder="value"
          value={newValue}
          onInput={(e) => setNewValue(eventValue(e))}
          onKeyDown={onEnter}
        />
        <VscodeButton secondary data-testid={`add-${key}`} aria-label={`Add to ${field.label.toLowerCase()}`} onClick={add}>
          Add
        </VscodeButton>
      </div>
      {error && (
        <div className="gw-error" role="alert" data-testid={`error-${key}`}>
          {error}
        </div>
      )}
    </ListFieldset>
  );
}
