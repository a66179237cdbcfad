/**
 * The messages between the extension host and its analysis worker (worker.ts), one zod schema checked on the side
 * that receives them. The worker answers with the analysis as JSON (the host reads the findings at once and the
 * design only when it is drawn) after checking the parts the designer sends on against the designer's own
 * state message schema (src/schemas/messages.ts): the host then checks only the small envelope on its thread.
 * No vscode import: the worker loads this file too.
 */
import { z } from 'zod';
import { StateMessage } from '../../schemas/messages.js';

/** A certificate file as src/workspace/certificate-files.ts reads it (a plain object, so it crosses threads). */
const CertificateFileSchema = z.union([
  z.strictObject({ status: z.literal('read'), content: z.string() }),
  z.strictObject({ status: z.literal('unreadable'), reason: z.string() }),
]);

export const AnalysisRequestSchema = z.strictObject({
  id: z.number().int().min(1),
  text: z.string(),
  /** Certificate files by the path the design names, as `analyze`'s `files` option takes them. */
  files: z.array(z.tuple([z.string(), CertificateFileSchema])).optional(),
  /** The moment expiry is judged against (ms since the epoch); the worker's own clock when absent. */
  now: z.number().optional(),
});
export type AnalysisRequest = z.infer<typeof AnalysisRequestSchema>;

/**
 * Which element of the design is at an offset of a text (src/extension/designer/element-at.ts), answered from the
 * worker's parse of that text (the one its last analysis made), so the host never parses a large design to follow
 * the text cursor.
 */
export const ElementRequestSchema = z.strictObject({
  id: z.number().int().min(1),
  text: z.string(),
  offset: z.number().int().min(0),
});
export type ElementRequest = z.infer<typeof ElementRequestSchema>;

export const WorkerRequestSchema = z.union([AnalysisRequestSchema, ElementRequestSchema]);

const ElementTargetSchema = z.strictObject({ kind: z.enum(['node', 'edge', 'certificate']), id: z.string() });

/** What of an analysis the designer draws: the state message's own fields, checked with its schema. */
export const DrawnAnalysisSchema = StateMessage.pick({ design: true, findings: true, syntaxError: true, certificateExpiry: true });

/** The rest of an analysis the host needs without parsing the text again. */
export const AnalysisSummarySchema = z.strictObject({
  complete: z.boolean(),
  summary: z.strictObject({ errors: z.number().int().min(0), warnings: z.number().int().min(0), infos: z.number().int().min(0) }),
  /** Milliseconds the analysis took in the worker. */
  ms: z.number().min(0),
});

const AnalysisAnswerSchema = z.strictObject({
  id: z.number().int().min(1),
  ok: z.literal(true),
  summary: AnalysisSummarySchema,
  /**
   * JSON of the design (or null) as UTF-8, checked by the worker with the rest of DrawnAnalysisSchema. Apart from
   * the findings and transferred, not copied: at 1,000 nodes it is most of the answer (about 600 KB), and the
   * host reads it only when something draws it.
   */
  design: z.instanceof(Uint8Array),
  /** JSON of the other DrawnAnalysisSchema fields (findings, syntaxError, certificateExpiry), checked by the worker. */
  findings: z.string(),
});

const ElementAnswerSchema = z.strictObject({
  id: z.number().int().min(1),
  ok: z.literal(true),
  /** The element at the offset, or null. */
  element: ElementTargetSchema.nullable(),
});

const FailureSchema = z.strictObject({
  id: z.number().int().min(1),
  ok: z.literal(false),
  /** What went wrong, with the worker's stack when there is one. */
  error: z.string(),
});

export const AnalysisReplySchema = z.union([AnalysisAnswerSchema, ElementAnswerSchema, FailureSchema]);
export type AnalysisReply = z.infer<typeof AnalysisReplySchema>;
export type AnalysisAnswer = z.infer<typeof AnalysisAnswerSchema>;
export type ElementAnswer = z.infer<typeof ElementAnswerSchema>;
