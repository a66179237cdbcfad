/**
 * Forms derived from the schema: the zod schemas of src/schemas/design.ts are converted with zod 4's
 * `z.toJSONSchema(schema, { io: 'input' })` into a small form model (fields with a kind, a default, a
 * description, bounds, a pattern), which the Inspector renders. Also the pure helpers the panels share:
 * where an element is in the design, the values at a path, client-side validation of typed text, the edit
 * operations a change sends, and the options of reference fields (certificates, key vaults, services).
 * Pure: no React, no DOM. One module per section, re-exported here for the panels.
 */
export * from './form-fields.js';
export * from './form-models.js';
export * from './form-elements.js';
export * from './form-values.js';
export * from './form-text.js';
export * from './form-operations.js';
export * from './form-references.js';
export * from './form-new-item.js';
export * from './form-titles.js';
