/**
 * Path confinement: every path that comes from the webview, a setting or a generator is resolved against a root
 * (the workspace folder) and refused when it leaves it. No vscode import, so it is unit-tested directly.
 *
 * `confine(root, candidate, base?)` is lexical: it resolves `candidate` (relative to `base`, the root by default;
 * an absolute candidate stands for itself) and refuses anything outside `root`, through `..` or an absolute path.
 * `confineReal` does the same and then follows symbolic links: the real path of the candidate (of its longest
 * existing ancestor, for a file about to be created) must lie inside the real path of the root.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type Confined =
  | { readonly ok: true; /** The absolute, resolved path. */ readonly path: string; /** Relative to the root, with `/`. */ readonly relative: string }
  | { readonly ok: false; readonly reason: string };

/** True when `full` is `root` itself or lies below it (both absolute and normalized). */
export function isInside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** Resolves `candidate` against `base` (default: `root`) and refuses it when it leaves `root`. Pure. */
export function confine(root: string, candidate: string, base: string = root): Confined {
  if (candidate.includes('\0')) return { ok: false, reason: `the path ${JSON.stringify(candidate)} contains a NUL character` };
  if (candidate.trim() === '') return { ok: false, reason: 'the path is empty' };
  const top = resolve(root);
  const full = resolve(top, base, candidate);
  if (!isInside(top, full)) return { ok: false, reason: `${full} is outside the workspace folder ${top}` };
  return { ok: true, path: full, relative: relative(top, full).split(sep).join('/') };
}

/**
 * `confine`, then the same check on real paths, so that a symbolic link inside the root that points outside it
 * is refused. A path that does not exist yet is judged by its longest existing ancestor.
 */
export async function confineReal(root: string, candidate: string, base: string = root): Promise<Confined> {
  const lexical = confine(root, candidate, base);
  if (!lexical.ok) return lexical;
  const top = resolve(root);
  const realRoot = await realpath(top).catch(() => top);
  const real = await realpathOfExisting(lexical.path);
  if (typeof real !== 'string') {
    return { ok: false, reason: `${real.link} is a symbolic link to ${real.target}, which does not exist; Gatewright does not write through it` };
  }
  if (!isInside(realRoot, real)) {
    return { ok: false, reason: `${lexical.path} leads through a symbolic link to ${real}, outside the workspace folder ${top}` };
  }
  return lexical;
}

/**
 * The real path of `full`, or of its longest existing ancestor joined with the rest. A dangling symbolic link on
 * the way is reported instead: writing through it would create its target, wherever that is.
 */
async function realpathOfExisting(full: string): Promise<string | { link: string; target: string }> {
  const rest: string[] = [];
  let current = full;
  for (;;) {
    try {
      const real = await realpath(current);
      return rest.length > 0 ? join(real, ...rest.reverse()) : real;
    } catch {
      const link = await lstat(current).then((s) => s.isSymbolicLink(), () => false);
      if (link) return { link: current, target: await readlink(current).catch(() => '?') };
      const parent = dirname(current);
      if (parent === current) return full;
      rest.push(basename(current));
      current = parent;
    }
  }
}
