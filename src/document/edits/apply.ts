/**
 * The public entry points: an edit operation in, minimal text edits out. Never throws: an invalid
 * operation, an unknown id, a bad path or a text that does not parse gives `{ ok: false, error }`.
 */
import { EditOperationSchema, type EditOperation, type TextEdit } from '../../schemas/operations.js';
import { addCertificate, removeCertificate, updateCertificate } from './certificates.js';
import { connect, disconnect } from './edges.js';
import { setPositions } from './layout.js';
import { duplicateKey } from '../duplicate-keys.js';
import { readYaml } from '../read-yaml.js';
import { openDocument, type Ctx } from './locate.js';
import { addNode, deleteNode, renameNode } from './nodes.js';
import { setProperty, unsetProperty } from './properties.js';
import { requireEntry } from './entries.js';
import { applyEdits, EditError } from './text.js';
import { formatPath } from './tree.js';
import { errorMessage } from '../../model/error-message.js';

export type OperationResult = { ok: true; edits: TextEdit[] } | { ok: false; error: string };
export type OperationsResult =
  | { ok: true; text: string; edits: TextEdit[] }
  | { ok: false; error: string; /** Index of the operation that failed. */ index: number };

function run(ctx: Ctx, op: EditOperation): void {
  switch (op.op) {
    case 'addNode':
      return addNode(ctx, op.node, op.position);
    case 'deleteNode':
      return deleteNode(ctx, op.id);
    case 'renameNode':
      return renameNode(ctx, op.id, op.newId);
    case 'moveNode':
      requireEntry(ctx, 'nodes', op.id);
      return setPositions(ctx, [[op.id, op.position]], false);
    case 'setLayout':
      return setPositions(ctx, Object.entries(op.positions), true);
    case 'connect':
      return connect(ctx, op.edge);
    case 'disconnect':
      return disconnect(ctx, op.id);
    case 'setProperty':
      return setProperty(ctx, op.target, op.path, op.value);
    case 'unsetProperty':
      return unsetProperty(ctx, op.target, op.path);
    case 'addCertificate':
      return addCertificate(ctx, op.certificate);
    case 'updateCertificate':
      return updateCertificate(ctx, op.id, op.changes);
    case 'removeCertificate':
      return removeCertificate(ctx, op.id);
  }
}

/** The text edits that carry out one operation on a design text: sorted, non-overlapping, minimal. */
export function applyOperation(text: string, op: EditOperation): OperationResult {
  try {
    const parsed = EditOperationSchema.safeParse(op);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${formatPath(issue.path as (string | number)[])}` : '';
      return { ok: false, error: `invalid operation${where}: ${issue?.message ?? 'does not match the schema'}` };
    }
    const ctx = openDocument(text);
    run(ctx, parsed.data);
    const edits = ctx.edits.finish(ctx.style.eol);
    // Safety net: an edit must never leave the file unreadable. This parse of the new text is kept (read-yaml.ts):
    // the shape the designer sends next, the analysis and the next edit read the same text and reuse it.
    const check = readYaml(applyEdits(text, edits));
    const broken = check.deep ? check.deep.message : (check.doc.errors[0]?.message.split('\n')[0] ?? duplicateKey(check.doc)?.message);
    if (broken !== undefined) {
      return { ok: false, error: `internal error: ${op.op} would break the YAML (${broken}); nothing was changed` };
    }
    return { ok: true, edits };
  } catch (e) {
    if (e instanceof EditError) return { ok: false, error: e.message };
    return { ok: false, error: `internal error in ${typeof op === 'object' && op ? String((op as { op?: unknown }).op) : 'operation'}: ${errorMessage(e)}` };
  }
}

/**
 * Applies operations in sequence (each sees the result of the previous ones). On success returns the
 * final text and the edits that turn the ORIGINAL text into it: the operations' edits composed, edits
 * that touch or overlap merged into one (so they stay minimal, sorted and non-overlapping). On the first
 * failure nothing is applied and the index of the failing operation is given.
 */
export function applyOperations(text: string, ops: readonly EditOperation[]): OperationsResult {
  let current = text;
  let composed: Composed[] = [];
  for (let i = 0; i < ops.length; i++) {
    const result = applyOperation(current, ops[i]!);
    if (!result.ok) return { ok: false, error: result.error, index: i };
    composed = compose(composed, current, result.edits);
    current = applyEdits(current, result.edits);
  }
  return { ok: true, text: current, edits: composed.map(({ offset, length, text: t }) => ({ offset, length, text: t })) };
}

/** An edit of the original text; `at` is where its text starts in the current text. */
interface Composed extends TextEdit {
  at: number;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly composed?: Composed;
  readonly edit?: TextEdit;
}

/**
 * Composes sorted edits of the current text (the original with `list` applied) onto `list`, in one
 * linear sweep: spans of both that overlap or touch form a cluster, which becomes one edit of the original.
 */
function compose(list: readonly Composed[], current: string, batch: readonly TextEdit[]): Composed[] {
  const spans: Span[] = [];
  for (let i = 0, j = 0; i < list.length || j < batch.length; ) {
    const c = list[i];
    const e = batch[j];
    if (c && (!e || c.at <= e.offset)) {
      spans.push({ start: c.at, end: c.at + c.text.length, composed: c });
      i++;
    } else if (e) {
      spans.push({ start: e.offset, end: e.offset + e.length, edit: e });
      j++;
    }
  }
  const out: Composed[] = [];
  let before = 0; // growth of the text by the composed edits before the cluster
  let shift = 0; // growth by the new edits before the cluster
  for (let k = 0; k < spans.length; ) {
    let stop = spans[k]!.end;
    let m = k + 1;
    while (m < spans.length && spans[m]!.start <= stop) stop = Math.max(stop, spans[m++]!.end);
    const cluster = spans.slice(k, m);
    const start = spans[k]!.start;
    const inside = cluster.reduce((d, s) => d + (s.composed ? s.composed.text.length - s.composed.length : 0), 0);
    const edits = cluster.flatMap((s) => (s.edit ? [s.edit] : []));
    if (edits.length === 0) {
      for (const s of cluster) out.push({ ...s.composed!, at: s.composed!.at + shift });
    } else {
      let newText = '';
      let pos = start;
      for (const e of edits) {
        newText += current.slice(pos, e.offset) + e.text;
        pos = e.offset + e.length;
      }
      newText += current.slice(pos, stop);
      const offset = start - before;
      out.push({ offset, length: stop - before - inside - offset, text: newText, at: start + shift });
      shift += edits.reduce((d, e) => d + e.text.length - e.length, 0);
    }
    before += inside;
    k = m;
  }
  return out;
}
