/**
 * Renders the deployment IR as Bicep: main.bicep and one file per nested deployment (modules/<file>.bicep).
 * Deterministic: the same template gives the same text.
 */
import { Call, Cond, ExprNode, Not, FileText, Interp, ParamRef, ResourceIdRef, ResourceNameRef, ResourcePropRef, type Expr, type ExprObject } from './expr.js';
import type { NestedDeployment, Parameter, Resource, Template } from './template.js';

const INDENT = '  ';

/** A Bicep file of the deployment, its path relative to the directory of main.bicep. */
export interface BicepFile {
  readonly path: string;
  readonly content: string;
}

/** The main Bicep file (modules are referred to as modules/<file>.bicep; see renderBicepFiles). */
export function renderBicep(t: Template, header: readonly string[] = []): string {
  return renderFile(t, header, 'modules/');
}

/** main.bicep and every module file, in a stable order (main first, then modules by path). */
export function renderBicepFiles(t: Template, header: readonly string[] = []): BicepFile[] {
  const files: BicepFile[] = [{ path: 'main.bicep', content: renderBicep(t, header) }];
  const modules: BicepFile[] = [];
  const seen = new Set<string>();
  const collect = (template: Template) => {
    for (const m of template.modules ?? []) {
      const path = `modules/${m.file}.bicep`;
      if (seen.has(path)) throw new Error(`two modules share the file ${path}`);
      seen.add(path);
      // Modules live side by side in modules/, so a module's own modules are siblings.
      modules.push({ path, content: renderFile(m.template, header, '') });
      collect(m.template);
    }
  };
  collect(t);
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...files, ...modules];
}

function renderFile(t: Template, header: readonly string[], moduleDir: string): string {
  const out: string[] = [];
  for (const line of header) out.push(...comment(line));
  if (header.length) out.push('');
  if (t.targetScope && t.targetScope !== 'resourceGroup') out.push(`targetScope = ${str(t.targetScope)}`, '');
  out.push(`metadata description = ${str(t.description)}`, '');
  for (const p of t.parameters) out.push(...param(p), '');
  for (const r of t.resources) out.push(...resource(r), '');
  for (const m of t.modules ?? []) out.push(...module(m, moduleDir), '');
  for (const o of t.outputs) {
    if (o.description) out.push(`@description(${str(o.description)})`);
    out.push(`output ${o.name} ${o.type} = ${value(o.value, 0)}`);
  }
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Line comments for any text: Bicep ends a comment at CR or LF, so every line gets its own //. */
function comment(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => `// ${l}`);
}

function module(m: NestedDeployment, dir: string): string[] {
  const lines: string[] = [];
  if (m.description) lines.push(...comment(m.description));
  lines.push(`module ${m.symbol} ${str(`${dir}${m.file}.bicep`)} = ${m.condition === undefined ? '' : `if (${value(m.condition, 0)}) `}{`);
  lines.push(`${INDENT}name: ${str(m.name)}`);
  if (m.template.targetScope === 'subscription') lines.push(`${INDENT}scope: subscription()`);
  const params = Object.entries(m.params ?? {}).filter((kv): kv is [string, Expr] => kv[1] !== undefined);
  if (params.length) lines.push(`${INDENT}params: ${value(Object.fromEntries(params), 1)}`);
  if (m.dependsOn?.length) {
    lines.push(`${INDENT}dependsOn: [`);
    for (const d of m.dependsOn) lines.push(`${INDENT}${INDENT}${d.symbol}`);
    lines.push(`${INDENT}]`);
  }
  lines.push('}');
  return lines;
}

function param(p: Parameter): string[] {
  const lines = [`@description(${str(p.description)})`];
  if (p.allowed) lines.push(`@allowed(${value(p.allowed, 0)})`);
  if (p.minLength !== undefined) lines.push(`@minLength(${p.minLength})`);
  const def = p.defaultValue === undefined ? '' : ` = ${value(p.defaultValue, 0)}`;
  lines.push(`param ${p.name} ${p.type}${def}`);
  return lines;
}

function resource(r: Resource): string[] {
  const lines: string[] = [];
  if (r.description) lines.push(...comment(r.description));
  lines.push(`resource ${r.symbol} '${r.type}@${r.apiVersion}' = {`);
  if (r.parent) lines.push(`${INDENT}parent: ${r.parent.symbol}`);
  if (r.scope) lines.push(`${INDENT}scope: ${r.scope.symbol}`);
  lines.push(`${INDENT}name: ${value(r.name, 1)}`);
  for (const [k, v] of Object.entries(r.body)) {
    if (v === undefined) continue;
    lines.push(`${INDENT}${key(k)}: ${value(v, 1)}`);
  }
  if (r.dependsOn?.length) {
    lines.push(`${INDENT}dependsOn: [`);
    for (const d of r.dependsOn) lines.push(`${INDENT}${INDENT}${d.symbol}`);
    lines.push(`${INDENT}]`);
  }
  lines.push('}');
  return lines;
}

/** Renders an expression at a nesting depth (for multi-line arrays and objects). */
export function value(e: Expr, depth: number): string {
  if (e === null) return 'null';
  if (typeof e === 'string') return str(e);
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (e instanceof ExprNode) return node(e, depth);
  const pad = INDENT.repeat(depth + 1);
  const end = INDENT.repeat(depth);
  if (Array.isArray(e)) {
    if (e.length === 0) return '[]';
    return `[\n${e.map((x) => `${pad}${value(x, depth + 1)}`).join('\n')}\n${end}]`;
  }
  const entries = Object.entries(e as ExprObject).filter((kv): kv is [string, Expr] => kv[1] !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)}: ${value(v, depth + 1)}`).join('\n')}\n${end}}`;
}

function node(e: ExprNode, depth: number): string {
  if (e instanceof ParamRef) return e.name;
  if (e instanceof ResourceIdRef) return `${e.resource.symbol}.id`;
  if (e instanceof ResourceNameRef) return `${e.resource.symbol}.name`;
  if (e instanceof ResourcePropRef) return `${e.resource.symbol}${accessPath(e.path)}`;
  if (e instanceof Call) return `${e.fn}(${e.args.map((a) => value(a, depth)).join(', ')})${accessPath(e.access)}`;
  if (e instanceof FileText) return `loadTextContent(${str(e.bicepPath)})`;
  if (e instanceof Cond) return `(${value(e.test, depth)} ? ${value(e.then, depth)} : ${value(e.otherwise, depth)})`;
  if (e instanceof Not) return `!${value(e.value, depth)}`;
  if (e instanceof Interp) {
    let s = "'";
    for (const p of e.parts) s += typeof p === 'string' ? escape(p) : `\${${value(p, depth)}}`;
    return `${s}'`;
  }
  throw new Error(`cannot render expression ${e.constructor.name}`);
}

function accessPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : IDENT.test(p) ? `.${p}` : `[${str(p)}]`)).join('');
}

const IDENT = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function key(k: string): string {
  return IDENT.test(k) ? k : str(k);
}

/** A Bicep string literal. */
export function str(s: string): string {
  return `'${escape(s)}'`;
}

/**
 * The body of a Bicep string literal: backslash, quote and '${' escaped, line breaks and tabs as \\n \\r \\t,
 * other control characters (and the Unicode line and paragraph separators) as \\u{...}, so that the literal
 * stays on one line and reads the same in any editor.
 */
/** Strings with nothing to escape (no backslash, quote, `$`, or control character): most of them, returned as they are. */
const PLAIN = /^[ -#%-&(-[\]-~\u00a0-\u2027\u202a-\uffff]*$/u;

function escape(s: string): string {
  if (PLAIN.test(s)) return s;
  return s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\$\{/g, '\\${')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[^ -~\u00a0-\u2027\u202a-\uffff]/gu, (c) => (isControl(c) ? `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}` : c));
}

/** C0 and C1 control characters and the Unicode line and paragraph separators. */
function isControl(c: string): boolean {
  const n = c.codePointAt(0)!;
  return n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029;
}
