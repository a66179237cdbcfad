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

/**
 * VS Code's `files.autoSave` setting for the design (https://code.visualstudio.com/docs/editing/codebasics#_save-auto-save):
 * whether a change made on the canvas reaches the file without the user saving it.
 */
export const AutoSaveSchema = z.enum(['off', 'afterDelay', 'onFocusChange', 'onWindowChange']);

/** The diagram exports: an SVG image, a PNG image, a draw.io diagram (mxGraph XML). */
export const ExportFormatSchema = z.enum(['svg', 'png', 'drawio']);

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
  /**
   * When each certificate expires, by certificate id: read from its `file` when the file is readable (source
   * `file`), else the design's `notAfter` (source `design`). Certificates with neither are absent.
   */
  certificateExpiry: z
    .record(z.string(), z.strictObject({ notAfter: z.string().max(40), source: z.enum(['file', 'design']) }))
    .optional(),
  /**
   * How the document is saved (`files.autoSave`), so that the canvas says whether a change still needs saving.
   * The host always sends it; absent counts as `off` (nothing is promised).
   */
  autoSave: AutoSaveSchema.optional(),
  /**
   * The sequence number (`seq`) of the last edit intent of this webview the host has answered (applied, found
   * empty or refused) before this state: the canvas drops its optimistic copies of the intents up to it and
   * draws the ones after it again over this state. 0 when none was answered since the webview said `ready`.
   */
  ack: z.number().int().min(0).optional(),
  /**
   * True when the analysis of this text is not done yet: `findings` is empty and the canvas keeps the findings it
   * has; a state of the same text with the findings follows. Sent right after an edit, so that the shape of the
   * design is drawn before the rules have run.
   */
  findingsPending: z.boolean().optional(),
});

/**
 * The host did not carry out an edit intent (the operations do not apply to the current text, or VS Code refused
 * the edit): the canvas takes its optimistic copy back and says why. A `state` follows.
 */
export const RefusedMessage = z.strictObject({
  type: z.literal('refused'),
  /** The intent's `seq`. */
  seq: z.number().int().min(1),
  /** Why, in words, for the banner ("could not connect apim → aks: ..."). */
  reason: z.string().max(2000),
});

// ---------------------------------------------------------------- deployment and rehearsal overlays

/** What-if's change of a node's resources (src/deploy ChangeKind). */
export const NodeChangeSchema = z.enum(['create', 'modify', 'delete', 'deploy', 'noChange', 'ignore', 'unsupported']);
/** The state of a node's deployment operations as Resource Manager reports it, folded to one per node. */
export const NodeDeployStateSchema = z.enum(['waiting', 'running', 'succeeded', 'failed', 'canceled']);

export const NodeDeploymentSchema = z.strictObject({
  /** What-if: the node's overall change. */
  change: NodeChangeSchema.optional(),
  /** What-if: one readable line per changed resource or property ("~ properties.sku.capacity: 2 -> 3"). */
  details: z.array(z.string().max(1000)).max(500).optional(),
  /** Deploy: the node's state, and how many of its resources' operations are done out of how many. */
  state: NodeDeployStateSchema.optional(),
  done: z.number().int().min(0).optional(),
  total: z.number().int().min(0).optional(),
  /** Deploy: the failed resource and Resource Manager's error, in full. */
  error: z.string().max(100_000).optional(),
});
export type NodeDeployment = z.infer<typeof NodeDeploymentSchema>;

/**
 * A deployment drawn on the canvas: what-if's changes per node, then each node's state while deploying, then the
 * outcome. `clear` removes the overlay.
 */
export const DeploymentMessage = z.strictObject({
  type: z.literal('deployment'),
  phase: z.enum(['whatIf', 'deploying', 'succeeded', 'failed', 'canceled', 'clear']),
  /** One line for the banner: "What-if for payments-rg: 31 to create, 2 to modify". */
  title: z.string().max(1000),
  /** Where it goes: "subscription Contoso (0000...), resource group payments-rg". */
  target: z.string().max(1000).optional(),
  nodes: z.record(z.string(), NodeDeploymentSchema),
});

/** One handshake of a rehearsal, as drawn on its edge (src/rehearsal CaseResult). */
export const RehearsalCaseSchema = z.strictObject({
  title: z.string().max(200),
  expected: z.enum(['accepted', 'refused']),
  got: z.enum(['accepted', 'refused', 'not run']),
  pass: z.boolean(),
  /** The reason in words, with what to change when the case failed. */
  detail: z.string().max(5000),
});

/** The results of `rehearse` drawn on the https and mtls edges; an empty `edges` clears them. */
export const RehearsalMessage = z.strictObject({
  type: z.literal('rehearsal'),
  /** When it ran (ISO 8601), shown in the tooltip. */
  at: z.string().max(40),
  edges: z.record(z.string(), z.strictObject({ pass: z.boolean(), cases: z.array(RehearsalCaseSchema).max(50) })),
  summary: z.strictObject({ cases: z.number().int(), passed: z.number().int(), failed: z.number().int() }),
});

/** One piece of evidence of a trace check: a generated file (relative to the output folder), line, column, value. */
export const TraceEvidenceSchema = z.strictObject({
  file: z.string().max(500),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  value: z.string().max(2000),
});

const TraceVerdictSchema = z.enum(['pass', 'fail', 'unknown-until-deployed']);

/** What the Trace action targets: every path from an internet node, or one API of an API Management node. */
export const TraceTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('internet'), node: z.string().max(100) }),
  z.strictObject({ kind: z.literal('api'), node: z.string().max(100), api: z.string().max(100) }),
]);

/**
 * A trace of the request path (src/trace TraceReport) drawn on the canvas: each hop's verdict on its nodes and
 * edges, its checks with their evidence in the side panel. No paths and no notes clear the drawing.
 */
export const TraceMessage = z.strictObject({
  type: z.literal('trace'),
  target: TraceTargetSchema.optional(),
  verdict: TraceVerdictSchema,
  notes: z.array(z.string().max(2000)).max(50),
  paths: z
    .array(
      z.strictObject({
        api: z.string().max(100),
        request: z.string().max(2000),
        verdict: TraceVerdictSchema,
        hops: z
          .array(
            z.strictObject({
              id: z.enum(['entry', 'gateway-apim', 'apim', 'apim-ingress', 'ingress-service', 'no-bypass']),
              title: z.string().max(500),
              nodes: z.array(z.string().max(100)).max(20),
              edges: z.array(z.string().max(200)).max(20),
              verdict: TraceVerdictSchema,
              checks: z
                .array(
                  z.strictObject({
                    id: z.string().max(100),
                    title: z.string().max(500),
                    verdict: TraceVerdictSchema,
                    message: z.string().max(5000),
                    evidence: z.array(TraceEvidenceSchema).max(50),
                    dependsOn: z.string().max(2000).optional(),
                    fix: z.string().max(2000).optional(),
                  }),
                )
                .max(50),
            }),
          )
          .max(10),
      }),
    )
    .max(100),
});

/** The host asks the canvas for an image of the diagram. */
export const ExportRequestMessage = z.strictObject({
  type: z.literal('exportRequest'),
  requestId: z.string(),
  format: ExportFormatSchema,
});

/** The host asks the canvas to select and show an element (e.g. from the Problems panel). */
export const RevealMessage = z.strictObject({
  type: z.literal('reveal'),
  target: z.strictObject({ kind: z.enum(['node', 'edge', 'certificate']), id: z.string() }),
});

export const HostMessageSchema = z.discriminatedUnion('type', [StateMessage, RefusedMessage, ExportRequestMessage, RevealMessage, DeploymentMessage, RehearsalMessage, TraceMessage]);
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
  /**
   * The intent's sequence number, increasing from 1 in each webview (it starts again after `ready`): the host
   * names it in the `ack` of the states that follow and in a `refused` answer.
   */
  seq: z.number().int().min(1).optional(),
});

/** Show the YAML behind an element in the text editor. */
export const RevealInTextMessage = z.strictObject({
  type: z.literal('revealInText'),
  path: PathSchema,
});

/** Run a Gatewright command on this design. */
export const CommandMessage = z.strictObject({
  type: z.literal('command'),
  command: z.enum(['openText', 'generate', 'validate', 'exportDiagram', 'whatIf', 'deploy', 'deploymentHistory', 'createDevCertificates', 'rehearse']),
});

/** Trace the request path from an internet node, or of one API (the host generates in memory and traces). */
export const TraceRequestMessage = z.strictObject({
  type: z.literal('trace'),
  target: TraceTargetSchema,
});

/** Open a generated file at a trace check's evidence (the output folder's copy, else the generated text). */
export const OpenEvidenceMessage = z.strictObject({
  type: z.literal('openEvidence'),
  evidence: TraceEvidenceSchema,
});

/** The image the host asked for. */
export const ExportResultMessage = z.strictObject({
  type: z.literal('exportResult'),
  requestId: z.string(),
  format: ExportFormatSchema,
  /** SVG text, a PNG as base64 (no data: prefix), or draw.io XML text. */
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
  TraceRequestMessage,
  OpenEvidenceMessage,
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
