/**
 * Minimal text edits of a design file, for the canvas and the rule fixes.
 *
 * `applyOperation(text, op)` turns one EditOperation into TextEdit[] (sorted, non-overlapping, each one
 * needed) against `text`; `applyEdits(text, edits)` applies them; `applyOperations(text, ops)` runs
 * several in sequence and returns the final text AND the edits that turn the original text into it
 * (composed: edits of later operations that touch or overlap earlier ones merge with them). None of them
 * throws for a bad operation or text: the result is `{ ok: false, error }` with a message naming the id,
 * path or line at fault. (applyEdits throws a RangeError for overlapping edits, which only a caller that
 * builds its own edits can produce.)
 *
 * How edits are made: the text is read with the `yaml` package (Document + CST with source ranges);
 * only the part an operation is about is rewritten, and only new fragments are rendered (scalars through
 * yaml's stringify, in the indentation, list indentation, flow padding and line breaks of the file).
 * Comments, key order, quoting, flow or block style and blank lines elsewhere stay byte-identical. As a
 * safety net, the result is parsed; an edit that would break the YAML is refused. That parse is kept
 * (../read-yaml.ts): the next operation, the reader of the edited text (../parse.ts) and the next edit
 * start from it, so text that was read already is not parsed again, and an edit of it parses once (its
 * result). Parses and every lookup are linear in the size of the file.
 *
 * Decisions (see tree.ts for the details):
 * - new keys go in the format's key order (the reference design's), after the last key that precedes
 *   them, else at the end; new list items at the end; a missing top-level section after the section
 *   that precedes it (`certificates` after `metadata`, `layout` at the end);
 * - new nodes and certificates are block entries; a new edge is a flow entry `{ from, to, type }` when
 *   most edges are (or there is none yet), block otherwise; a new position is `{ x, y }` like the others;
 *   lists of scalars are written flow (`[a, b]`), other new collections block;
 * - `[]` / `{}` in a block context become block collections when they receive maps; removing the last
 *   entry of a collection leaves `[]` / `{}` (the key stays, so the file keeps its shape);
 * - a removed entry takes its own lines, the comments inside and just below it (indented deeper) and
 *   its leading comment lines, unless the next entry follows directly without a comment of its own:
 *   then the comment heads a group and stays;
 * - deleteNode removes the node, every edge from or to it and its layout entry; other references
 *   (certificates' keyVault, privateLink identity) stay for the validator to report. renameNode and a
 *   certificate id change update every reference. unsetProperty of what does not exist changes nothing;
 *   setProperty of a map or list edits it in place (unchanged keys keep their comments);
 * - strings are quoted when a YAML 1.2 or YAML 1.1 reader would read them as something else ("1.2",
 *   "on", "2035-12-31", "a: b", "x # y"); a replaced scalar keeps its quoting style where it can.
 */
export { applyOperation, applyOperations, type OperationResult, type OperationsResult } from './apply.js';
export { applyEdits } from './text.js';
export type { EditOperation, TextEdit } from '../../schemas/operations.js';
