/**
 * The import graph of src/, read with TypeScript's own scanner (ts.preProcessFile): no module cycle, and the
 * command line is a front end that nothing else builds on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names ('./x.js' is ./x.ts or ./x.tsx, as TypeScript's NodeNext resolution does). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Every src file with the src files it imports (type-only imports included: they are dependencies of the design too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolveSpecifier(file, name))
      .filter((t): t is string => t !== undefined && t.startsWith(src));
    graph.set(file, targets);
  }
  return graph;
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan's algorithm). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

const graph = importGraph();
const rel = (p: string) => relative(root, p);

test('the import graph of src/ is read (sanity: hundreds of files, thousands of imports)', () => {
  assert.ok(graph.size > 150, `only ${graph.size} files`);
  const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
  assert.ok(edges > 500, `only ${edges} imports`);
});

test('no module of src/ imports itself through others (no import cycle)', () => {
  assert.deepEqual(cycles(graph).map((c) => c.map(rel)), []);
});

test('the cycle finder finds a cycle when there is one', () => {
  const probe = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(probe), [['a', 'b', 'c']]);
});

test('nothing outside src/cli imports src/cli (the command line is a front end, not a library)', () => {
  const cli = join(src, 'cli');
  const offenders = [...graph]
    .filter(([file]) => !file.startsWith(cli + '/'))
    .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(cli + '/')).map((t) => `${rel(file)} -> ${rel(t)}`));
  assert.deepEqual(offenders, []);
});
