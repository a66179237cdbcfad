/**
 * The messages between the extension host and the designer webview: one schema, checked on both sides at run
 * time, from which both sides' types are inferred. The host owns the model (the YAML text); the webview renders
 * the state it is sent and answers with intents.
 */
import { z } from 'zod';
import { DesignSchema } from './design.js';
import { FindingSchema } from './finding.js';
import { EditOperationSchema, PathSchema } from './operations.js';

// ---------------------------------------------------------------- host -> webview

/** The document as the canvas should draw it. */
export const StateMessage = z.strictObject({
  type: z.literal('state'),
  /** The TextDocument version this state was computed from. */
  version: z.number().int(),
  fileName: z.string(),
  /**
   * The design read from the text (partial when some entries break the schema), or null when the text does not
   * parse as YAML: the canvas then keeps its last good drawing and shows the error.
   */
  design: DesignSchema.nullable(),
  /** Every finding, located. */
  findings: z.array(FindingSchema),
  /** Whether the text could not be read as YAML (findings hold the syntax errors). */
  syntaxError: z.boolean(),
});

/** The host asks the canvas for an image of the diagram. */
export const ExportRequestMessage = z.strictObject({
  type: z.literal('exportRequest'),
  requestId: z.string(),
  format: z.enum(['svg', 'png']),
});

/** The host asks the canvas to select and show an element (e.g. from the Problems panel). */
export const RevealMessage = z.strictObject({
  type: z.literal('reveal'),
  target: z.strictObject({ kind: z.enum(['node', 'edge', 'certificate']), id: z.string() }),
});

export const HostMessageSchema = z.discriminatedUnion('type', [StateMessage, ExportRequestMessage, RevealMessage]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---------------------------------------------------------------- webview -> host

export const ReadyMessage = z.strictObject({ type: z.literal('ready') });

/** Change the design: the host turns the operations into one minimal edit of the document (one undo step). */
export const EditMessage = z.strictObject({
  type: z.literal('edit'),
  /** The document version the webview saw; the host applies the edit to the current text regardless. */
  baseVersion: z.number().int(),
  operations: z.array(EditOperationSchema).min(1).max(10_000),
  /** What the user did, for logs ("Add API Management"). */
  label: z.string().max(200).optional(),
});

/** Show the YAML behind an element in the text editor. */
export const RevealInTextMessage = z.strictObject({
  type: z.literal('revealInText'),
  path: PathSchema,
});

/** Run a Gatewright command on this design. */
export const CommandMessage = z.strictObject({
  type: z.literal('command'),
  command: z.enum(['openText', 'generate', 'validate', 'exportDiagram']),
});

/** The image the host asked for. */
export const ExportResultMessage = z.strictObject({
  type: z.literal('exportResult'),
  requestId: z.string(),
  format: z.enum(['svg', 'png']),
  /** SVG text, or a PNG as base64 (no data: prefix). */
  data: z.string().max(50_000_000),
});

/** A problem inside the webview, for the output channel. */
export const WebviewErrorMessage = z.strictObject({
  type: z.literal('error'),
  message: z.string().max(10_000),
});

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  ReadyMessage,
  EditMessage,
  RevealInTextMessage,
  CommandMessage,
  ExportResultMessage,
  WebviewErrorMessage,
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
