/**
 * setProperty / unsetProperty: a path relative to the target (metadata, a node, an edge, a certificate).
 * Setting creates the missing maps and lists on the way (`properties` absent, or `properties: {}`), and
 * replaces whatever value is there (scalar, list or map) by the new one. Unsetting removes the key (or
 * the list item) with its own lines; a map or list left empty stays as `{}` / `[]`; unsetting what does
 * not exist changes nothing. Setting a node's or a certificate's `id` renames it with its references.
 */
import type { EditTarget, Path } from '../../schemas/operations.js';
import { type Ctx } from './locate.js';
import { targetPath } from './entries.js';
import { renameCertificate } from './certificates.js';
import { renameNode } from './nodes.js';
import { toData } from './render.js';
import { EditError } from './text.js';
import { deleteIn, formatPath, setIn } from './tree.js';

function describeTarget(target: EditTarget): string {
  return target.kind === 'metadata' || target.kind === 'document' ? target.kind : `${target.kind} "${target.id}"`;
}

export function setProperty(ctx: Ctx, target: EditTarget, path: Path, value: unknown): void {
  if (value === undefined) throw new EditError(`setProperty ${formatPath(path)} of ${describeTarget(target)} needs a value; use unsetProperty to remove it`);
  const prefix = targetPath(ctx, target);
  if (path.length === 1 && path[0] === 'id' && target.kind === 'node') {
    if (typeof value !== 'string') throw new EditError(`the id of node "${target.id}" must be a string`);
    renameNode(ctx, target.id, value);
    return;
  }
  if (path.length === 1 && path[0] === 'id' && target.kind === 'certificate') {
    renameCertificate(ctx, target.id, value);
    return;
  }
  setIn(ctx, [...prefix, ...path], toData(value, formatPath(path)));
}

export function unsetProperty(ctx: Ctx, target: EditTarget, path: Path): void {
  const prefix = targetPath(ctx, target);
  if (path.length === 1 && path[0] === 'id' && (target.kind === 'node' || target.kind === 'certificate')) {
    throw new EditError(`cannot remove the id of ${describeTarget(target)}; use ${target.kind === 'node' ? 'deleteNode' : 'removeCertificate'}`);
  }
  deleteIn(ctx, [...prefix, ...path]);
}
