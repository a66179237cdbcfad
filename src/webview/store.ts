/**
 * The canvas's view state, reduced from what the host sends and what the user does. The host owns the design:
 * what is drawn is the host's last design with the intents it has not answered yet carried out on top
 * (optimistically, canvas/pending.ts: the effect of a gesture shows in the next frame, marked pending), and each
 * new state replaces it (the host's answer wins; the intents still unanswered are carried out again on top of
 * it; a refused one is taken back and its reason shown). What else is local: the last good design while the text does not parse,
 * the selection, and positions the canvas asked for but the host has not confirmed yet (so that a node
 * dropped after a drag does not jump back while the edit travels), and the overlays the host draws over the
 * design (a deployment, a rehearsal, certificate expiry): view state that outlives new `state` messages (an
 * element that disappeared just loses its marker). Pure; `createStore` wraps it for React.
 */
import { edgeId, type Design, type Position } from '../schemas/design.js';
import type { Finding } from '../schemas/finding.js';
import type { HostMessage } from '../schemas/messages.js';
import type { AutoSave } from '../model/saving.js';
import type { EditOperation } from '../schemas/operations.js';
import { applyIntent, NO_MARKS, pendingMarks, rebase, unanswered, type PendingIntent, type PendingMarks } from './canvas/pending.js';
import type { CertificateExpiries } from './panels/cert-tree.js';
import type { Selection } from './panels/types.js';
import { deploymentOverlay, type DeploymentMessage, type DeploymentOverlay } from './overlays/deployment.js';
import { rehearsalOverlay, type RehearsalMessage, type RehearsalOverlay } from './overlays/rehearsal.js';
import { traceOverlay, type TraceMessage, type TraceOverlay } from './overlays/trace.js';

export type StateMessage = Extract<HostMessage, { type: 'state' }>;

/** Why the drawing is not the current text: YAML that does not parse, or a document that is no design. */
export interface Problem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** True when the drawing shown is an older, good version of the text. */
  readonly stale: boolean;
}

/** An intent the host refused: taken back, and why, shown over the canvas until the next intent or dismissal. */
export interface Refusal {
  readonly seq: number;
  readonly label: string;
  readonly reason: string;
}

export interface PendingPosition extends Position {
  /** The document version the edit was sent against. */
  readonly base: number;
}

export interface ViewState {
  /** Whether any state arrived yet. */
  readonly received: boolean;
  readonly version: number;
  readonly fileName: string;
  /**
   * The design drawn: the current one, or the last good one while the text has a syntax error, with the intents
   * not answered yet carried out on top.
   */
  readonly design: Design | null;
  /** The design as the host last sent it (without the pending intents). */
  readonly hostDesign: Design | null;
  /** Intents sent to the host and not answered yet, oldest first. */
  readonly intents: readonly PendingIntent[];
  /** The sequence number the next intent gets. */
  readonly nextSeq: number;
  /** The nodes and edges the pending intents add or change (drawn as not confirmed yet). */
  readonly marks: PendingMarks;
  /** The last intent the host refused, until the next intent or the banner's close button. */
  readonly refusal: Refusal | undefined;
  /** The findings that belong to the drawn design (badges and edge colors). */
  readonly drawnFindings: readonly Finding[];
  /** The findings of the current text (with the syntax errors while there are some). */
  readonly findings: readonly Finding[];
  readonly problem: Problem | undefined;
  readonly selection: Selection;
  /** Positions sent to the host and not yet seen in `layout`. */
  readonly pending: Readonly<Record<string, PendingPosition>>;
  /** Positions computed by automatic layout for nodes without one (kept even if the host never saves them). */
  readonly auto: Readonly<Record<string, Position>>;
  /** Node ids automatic layout already placed, so it never runs twice for the same node. */
  readonly autoRequested: ReadonlySet<string>;
  /** The deployment drawn over the design (until cleared, or hidden with the banner's close button). */
  readonly deployment: DeploymentOverlay | undefined;
  /** The last rehearsal's results on the edges. */
  readonly rehearsal: RehearsalOverlay | undefined;
  /** The last trace of the request path, drawn on the nodes and edges it crosses. */
  readonly trace: TraceOverlay | undefined;
  /** When each certificate expires, as the host read it with the drawn design. */
  readonly certificateExpiry: CertificateExpiries | undefined;
  /** VS Code's files.autoSave for the document: whether a change made here still needs saving. */
  readonly autoSave: AutoSave;
}

export const INITIAL_STATE: ViewState = {
  received: false,
  version: 0,
  fileName: '',
  design: null,
  hostDesign: null,
  intents: [],
  nextSeq: 1,
  marks: NO_MARKS,
  refusal: undefined,
  drawnFindings: [],
  findings: [],
  problem: undefined,
  selection: [],
  pending: {},
  auto: {},
  autoRequested: new Set(),
  deployment: undefined,
  rehearsal: undefined,
  trace: undefined,
  certificateExpiry: undefined,
  autoSave: 'off',
};

export type Action =
  | { readonly type: 'state'; readonly message: StateMessage }
  /** The canvas sent an intent (numbered `seq`, which must be the store's `nextSeq`): drawn at once, pending. */
  | { readonly type: 'intent'; readonly seq: number; readonly ops: readonly EditOperation[]; readonly label: string }
  /** The host refused the intent numbered `seq`. */
  | { readonly type: 'refused'; readonly seq: number; readonly reason: string }
  /** The refusal banner's close button. */
  | { readonly type: 'dismissRefusal' }
  | { readonly type: 'select'; readonly selection: Selection }
  /** The canvas asked the host to put nodes here (a drag, arrow keys, automatic layout). */
  | { readonly type: 'moved'; readonly positions: Readonly<Record<string, Position>> }
  /** Automatic layout placed these nodes. */
  | { readonly type: 'autoLayout'; readonly positions: Readonly<Record<string, Position>> }
  | { readonly type: 'deployment'; readonly message: DeploymentMessage }
  | { readonly type: 'rehearsal'; readonly message: RehearsalMessage }
  | { readonly type: 'trace'; readonly message: TraceMessage }
  /** The trace section's close button. */
  | { readonly type: 'dismissTrace' }
  /** The banner's close button: hide the deployment overlay here (the next deployment message shows one again). */
  | { readonly type: 'dismissDeployment' };

/** The first error of the text, for the banner shown over the canvas. */
export function describeProblem(message: StateMessage, hasOlderDrawing: boolean): Problem | undefined {
  if (!message.syntaxError && message.design) return undefined;
  const first =
    message.findings.find((f) => f.severity === 'error' && f.target.kind === 'document') ?? message.findings.find((f) => f.severity === 'error');
  const text = first?.message ?? (message.syntaxError ? 'The YAML text does not parse.' : 'The document is not a Gatewright design.');
  return {
    message: text,
    ...(first?.location ? { line: first.location.line, column: first.location.column } : {}),
    stale: hasOlderDrawing,
  };
}

function samePoint(a: Position | undefined, b: Position): boolean {
  return !!a && Math.round(a.x) === Math.round(b.x) && Math.round(a.y) === Math.round(b.y);
}

/** Keeps the pending positions the new state does not show yet (and whose edit may still be on its way). */
function settlePending(pending: ViewState['pending'], design: Design, version: number): ViewState['pending'] {
  const keys = Object.keys(pending);
  if (keys.length === 0) return pending;
  const ids = new Set(design.nodes.map((n) => n.id));
  const layout = design.layout ?? {};
  const kept: Record<string, PendingPosition> = {};
  let changed = false;
  for (const id of keys) {
    const p = pending[id]!;
    // Confirmed, gone, or given up: a state two versions after the edit was sent without it means the host refused it.
    if (!ids.has(id) || samePoint(layout[id], p) || version > p.base + 1) {
      changed = true;
      continue;
    }
    kept[id] = p;
  }
  return changed ? kept : pending;
}

/** The nodes an intent's operations move. */
function movedBy(ops: readonly EditOperation[]): string[] {
  return ops.flatMap((op) => (op.op === 'moveNode' ? [op.id] : op.op === 'setLayout' ? Object.keys(op.positions) : []));
}

/**
 * The pending positions without those of a refused move (the node goes back to where the host has it), unless an
 * intent still unanswered moves the node too.
 */
function forgetRefusedMoves(pending: ViewState['pending'], refused: PendingIntent, rest: readonly PendingIntent[]): ViewState['pending'] {
  const moved = movedBy(refused.ops).filter((id) => id in pending);
  if (moved.length === 0) return pending;
  const still = new Set(rest.flatMap((i) => movedBy(i.ops)));
  const kept = { ...pending };
  for (const id of moved) if (!still.has(id)) delete kept[id];
  return kept;
}

/** Operations that take no node, edge or certificate away (the selection needs no pruning after them). */
const KEEPS_EVERY_ELEMENT: ReadonlySet<EditOperation['op']> = new Set(['addNode', 'addCertificate', 'connect', 'moveNode', 'setLayout']);

/** Drops selected elements that no longer exist. */
function pruneSelection(selection: Selection, design: Design): Selection {
  if (selection.length === 0) return selection;
  const nodes = new Set(design.nodes.map((n) => n.id));
  const certs = new Set(design.certificates.map((c) => c.id));
  const edges = new Set(design.edges.map((e) => edgeId(e)));
  const kept = selection.filter((s) => (s.kind === 'node' ? nodes : s.kind === 'edge' ? edges : certs).has(s.id));
  return kept.length === selection.length ? selection : kept;
}

function pruneAuto(auto: ViewState['auto'], design: Design): ViewState['auto'] {
  const keys = Object.keys(auto);
  if (keys.length === 0) return auto;
  const layout = design.layout ?? {};
  const ids = new Set(design.nodes.map((n) => n.id));
  const kept: Record<string, Position> = {};
  let changed = false;
  for (const id of keys) {
    if (!ids.has(id) || layout[id]) changed = true;
    else kept[id] = auto[id]!;
  }
  return changed ? kept : auto;
}

export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'state': {
      const m = action.message;
      if (m.syntaxError || !m.design) {
        // Keep the last good drawing; show what is wrong.
        return {
          ...state,
          received: true,
          version: m.version,
          fileName: m.fileName,
          findings: m.findings,
          problem: describeProblem(m, state.design !== null),
          autoSave: m.autoSave ?? 'off',
        };
      }
      // A state without `ack` (a host that does not number intents) answers every intent sent so far.
      const intents = m.ack === undefined ? [] : unanswered(state.intents, m.ack);
      const design = intents.length ? rebase(m.design, intents) : m.design;
      const keepFindings = m.findingsPending === true;
      return {
        ...state,
        received: true,
        version: m.version,
        fileName: m.fileName,
        autoSave: m.autoSave ?? 'off',
        design,
        hostDesign: m.design,
        intents,
        marks: intents === state.intents ? state.marks : pendingMarks(intents, state.marks),
        drawnFindings: keepFindings ? state.drawnFindings : m.findings,
        findings: keepFindings ? state.findings : m.findings,
        problem: undefined,
        selection: pruneSelection(state.selection, design),
        pending: settlePending(state.pending, design, m.version),
        auto: pruneAuto(state.auto, design),
        certificateExpiry: m.certificateExpiry,
      };
    }
    case 'intent': {
      if (!state.design || action.seq !== state.nextSeq) return state;
      const intents = [...state.intents, { seq: action.seq, ops: action.ops, label: action.label }];
      const design = applyIntent(state.design, action.ops);
      return {
        ...state,
        design,
        intents,
        nextSeq: action.seq + 1,
        marks: pendingMarks(intents, state.marks),
        refusal: undefined,
        selection: action.ops.every((op) => KEEPS_EVERY_ELEMENT.has(op.op)) ? state.selection : pruneSelection(state.selection, design),
      };
    }
    case 'refused': {
      const refused = state.intents.find((i) => i.seq === action.seq);
      if (!refused) return state;
      const intents = state.intents.filter((i) => i !== refused);
      const design = state.hostDesign ? rebase(state.hostDesign, intents) : state.design;
      return {
        ...state,
        design,
        intents,
        pending: forgetRefusedMoves(state.pending, refused, intents),
        marks: pendingMarks(intents, state.marks),
        refusal: { seq: refused.seq, label: refused.label, reason: action.reason },
        selection: design ? pruneSelection(state.selection, design) : state.selection,
      };
    }
    case 'dismissRefusal':
      return state.refusal ? { ...state, refusal: undefined } : state;
    case 'deployment':
      return { ...state, deployment: deploymentOverlay(action.message) };
    case 'rehearsal':
      return { ...state, rehearsal: rehearsalOverlay(action.message) };
    case 'dismissDeployment':
      return state.deployment ? { ...state, deployment: undefined } : state;
    case 'trace':
      return { ...state, trace: traceOverlay(action.message) };
    case 'dismissTrace':
      return state.trace ? { ...state, trace: undefined } : state;
    case 'select':
      return sameSelection(state.selection, action.selection) ? state : { ...state, selection: action.selection };
    case 'moved': {
      const entries = Object.entries(action.positions);
      if (entries.length === 0) return state;
      const pending: Record<string, PendingPosition> = { ...state.pending };
      for (const [id, p] of entries) pending[id] = { x: p.x, y: p.y, base: state.version };
      return { ...state, pending };
    }
    case 'autoLayout': {
      const ids = Object.keys(action.positions);
      if (ids.length === 0) return state;
      const autoRequested = new Set(state.autoRequested);
      for (const id of ids) autoRequested.add(id);
      return { ...state, auto: { ...state.auto, ...action.positions }, autoRequested };
    }
  }
}

export function sameSelection(a: Selection, b: Selection): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const key = (s: Selection[number]) => `${s.kind}:${s.id}`;
  const set = new Set(a.map(key));
  return b.every((s) => set.has(key(s)));
}

/**
 * Where each node is drawn: a position the canvas is waiting for, then the file's `layout`, then automatic
 * layout. Nodes with none of these are missing from the result (the caller places them provisionally).
 */
export function resolvePositions(state: Pick<ViewState, 'design' | 'pending' | 'auto'>): Map<string, Position> {
  const out = new Map<string, Position>();
  const design = state.design;
  if (!design) return out;
  const layout = design.layout ?? {};
  for (const node of design.nodes) {
    const p = state.pending[node.id] ?? layout[node.id] ?? state.auto[node.id];
    if (p) out.set(node.id, { x: p.x, y: p.y });
  }
  return out;
}

/** Nodes that have no position anywhere and were never placed by automatic layout. */
export function nodesNeedingLayout(state: Pick<ViewState, 'design' | 'pending' | 'auto' | 'autoRequested' | 'problem'>): string[] {
  const design = state.design;
  if (!design || state.problem) return [];
  const layout = design.layout ?? {};
  return design.nodes
    .filter((n) => !state.pending[n.id] && !layout[n.id] && !state.auto[n.id] && !state.autoRequested.has(n.id))
    .map((n) => n.id);
}

/** A minimal external store around `reduce`, for React's useSyncExternalStore. */
export interface Store {
  getState(): ViewState;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: ViewState = INITIAL_STATE): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
