/** Findings: what the validator reports, in the shape the spec's `--format json` prints. */
import { z } from 'zod';
import { EditOperationSchema, PathSchema } from './operations.js';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const TargetSchema = z.strictObject({
  kind: z.enum(['document', 'node', 'edge', 'certificate']),
  id: z.string().optional(),
});
export type Target = z.infer<typeof TargetSchema>;

/** 1-based line and column; the end is exclusive. */
export const LocationSchema = z.strictObject({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
});
export type Location = z.infer<typeof LocationSchema>;

export const FixSchema = z.strictObject({
  title: z.string(),
  operations: z.array(EditOperationSchema).min(1),
});
export type Fix = z.infer<typeof FixSchema>;

export const FindingSchema = z.strictObject({
  ruleId: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  target: TargetSchema,
  path: PathSchema.optional(),
  location: LocationSchema.optional(),
  fix: FixSchema.optional(),
  /**
   * For the one finding that stands for the findings of a rule past its cap ("... and 4900 more of GW022"): how many
   * of each severity it stands for, so that totals count every one of them.
   */
  hidden: z.strictObject({ error: z.number().int().min(0), warning: z.number().int().min(0), info: z.number().int().min(0) }).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
