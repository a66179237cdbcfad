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
import VscodeCheckbox from '@vscode-elements/react-elements/dist/components/VscodeCheckbox.js';
import { changeOps, effectiveValue, pathKey, toggleOption, valueAt, type Field, type Option } from './form-model.js';
import { type FieldContext, domId, eventChecked, Select, FieldRow, ScalarInput } from './field-controls.js';
import { ObjectTable, RecordTable } from './field-tables.js';

export { TextInput, Select, domId, type FieldContext } from './field-controls.js';

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
