/**
 * Edit operations on a design: what the canvas asks for and what a rule's fix applies.
 * The document layer turns each into minimal text edits of the YAML file.
 */
import { z } from 'zod';

export const PathSchema = z.array(z.union([z.string(), z.number().int().min(0)]));
export type Path = z.infer<typeof PathSchema>;

const xy = z.strictObject({ x: z.number(), y: z.number() });

/**
 * What a property edit is about; `path` is relative to that object (for a node: ['properties', 'sku']; for the
 * document: a top-level section such as ['delivery']).
 */
export const EditTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('document') }),
  z.strictObject({ kind: z.literal('metadata') }),
  z.strictObject({ kind: z.literal('node'), id: z.string() }),
  z.strictObject({ kind: z.literal('edge'), id: z.string() }),
  z.strictObject({ kind: z.literal('certificate'), id: z.string() }),
]);
export type EditTarget = z.infer<typeof EditTargetSchema>;

const looseObject = z.record(z.string(), z.unknown());

export const EditOperationSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('addNode'),
    node: z.looseObject({ id: z.string(), type: z.string() }),
    position: xy.optional(),
  }),
  z.strictObject({ op: z.literal('deleteNode'), id: z.string() }),
  z.strictObject({ op: z.literal('renameNode'), id: z.string(), newId: z.string() }),
  z.strictObject({ op: z.literal('moveNode'), id: z.string(), position: xy }),
  z.strictObject({ op: z.literal('setLayout'), positions: z.record(z.string(), xy) }),
  z.strictObject({
    op: z.literal('connect'),
    edge: z.looseObject({ from: z.string(), to: z.string(), type: z.string() }),
  }),
  z.strictObject({ op: z.literal('disconnect'), id: z.string() }),
  z.strictObject({ op: z.literal('setProperty'), target: EditTargetSchema, path: PathSchema.min(1), value: z.unknown() }),
  z.strictObject({ op: z.literal('unsetProperty'), target: EditTargetSchema, path: PathSchema.min(1) }),
  z.strictObject({ op: z.literal('addCertificate'), certificate: z.looseObject({ id: z.string(), role: z.string() }) }),
  z.strictObject({ op: z.literal('updateCertificate'), id: z.string(), changes: looseObject }),
  z.strictObject({ op: z.literal('removeCertificate'), id: z.string() }),
]);
export type EditOperation = z.infer<typeof EditOperationSchema>;

/** A replacement of `length` characters at `offset` (0-based, UTF-16 code units) by `text`. */
export const TextEditSchema = z.strictObject({
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
  text: z.string(),
});
export type TextEdit = z.infer<typeof TextEditSchema>;
