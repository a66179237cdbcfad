/**
 * The real Bicep compiler, for tests: `bicep build --stdout`, the ARM JSON it emits and the diagnostics (compiler
 * errors and linter warnings) it prints on stderr. The compiler is the NuGet build installed by
 * scripts/install-bicep.sh into .tools/bicep (CI runs that script); without it every caller fails with a message
 * that says how to install it, never silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BICEP = join(REPO_ROOT, '.tools', 'bicep', 'bicep');

export type DiagnosticLevel = 'Error' | 'Warning' | 'Info';

export interface BicepDiagnostic {
  readonly level: DiagnosticLevel;
  /** BCP037, no-unused-params, ... */
  readonly code: string;
  readonly message: string;
  /** 1-based line and column in `file`. */
  readonly line: number;
  readonly column: number;
  /** The file the diagnostic is about (main.bicep or a module), as the compiler names it. */
  readonly file: string;
}

export interface BicepBuild {
  /** The compiled ARM template; undefined when the build failed. */
  readonly json: ArmTemplateJson | undefined;
  readonly diagnostics: BicepDiagnostic[];
  /** Whatever stderr held that is not a diagnostic line (empty normally). */
  readonly otherOutput: string;
}

/** The parts of an ARM template the tests read. */
export interface ArmTemplateJson {
  readonly $schema?: string;
  readonly parameters?: Record<string, { type: string; defaultValue?: unknown; [k: string]: unknown }>;
  readonly resources: ArmResourceJson[] | Record<string, ArmResourceJson>;
  readonly outputs?: Record<string, { type: string; value: unknown }>;
  readonly [k: string]: unknown;
}

export interface ArmResourceJson {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly [k: string]: unknown;
}

/** Fails with instructions when the compiler is not installed. */
export function requireBicep(): string {
  if (!existsSync(BICEP)) {
    throw new Error(`the Bicep compiler is missing at ${BICEP}: run ./scripts/install-bicep.sh (it needs the .NET SDK to restore the NuGet package; CI runs it)`);
  }
  return BICEP;
}

const DIAGNOSTIC = /^(.*)\((\d+),(\d+)\) : (Error|Warning|Info) ([^\s:]+): (.*?)(?: \[(https?:\/\/[^\]]+)\])?$/;

/** Parses the compiler's stderr: one diagnostic per line, "<file>(line,col) : <Level> <code>: <message> [<url>]". */
export function parseDiagnostics(stderr: string): { diagnostics: BicepDiagnostic[]; other: string } {
  const diagnostics: BicepDiagnostic[] = [];
  const other: string[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line) continue;
    const m = DIAGNOSTIC.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    diagnostics.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), level: m[4] as DiagnosticLevel, code: m[5]!, message: m[6]! });
  }
  return { diagnostics, other: other.join('\n') };
}

/** Compiles `file` (relative to `dir`) with `bicep build --stdout`. */
export function compileBicep(dir: string, file: string): BicepBuild {
  const bicep = requireBicep();
  const run = spawnSync(bicep, ['build', join(dir, file), '--stdout'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', BICEP_TRACING_ENABLED: 'false' },
  });
  if (run.error) throw new Error(`running ${bicep} failed: ${run.error.message}`);
  const { diagnostics, other } = parseDiagnostics(run.stderr ?? '');
  let json: ArmTemplateJson | undefined;
  if (run.status === 0) {
    try {
      json = JSON.parse(run.stdout) as ArmTemplateJson;
    } catch (e) {
      throw new Error(`bicep build printed no JSON: ${(e as Error).message}\n${run.stdout.slice(0, 500)}`);
    }
  } else if (!diagnostics.some((d) => d.level === 'Error')) {
    throw new Error(`bicep build failed (exit ${run.status ?? run.signal}) without an error diagnostic:\n${run.stderr}`);
  }
  return { json, diagnostics, otherOutput: other };
}

/** Writes files (paths relative to a fresh temporary directory) and compiles `entry` among them; cleans up. */
export function compileBicepFiles(files: ReadonlyArray<{ readonly path: string; readonly content: string }>, entry = 'main.bicep'): BicepBuild {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-bicep-'));
  try {
    for (const f of files) {
      const p = join(dir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    return compileBicep(dir, entry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per diagnostic, for assertion messages. */
export function formatDiagnostics(diagnostics: readonly BicepDiagnostic[]): string {
  return diagnostics.map((d) => `${d.file.split(/[\\/]/).pop()}:${d.line}:${d.column} ${d.level} ${d.code}: ${d.message}`).join('\n');
}

/** The resources of an ARM template as a list (Bicep emits an object keyed by symbol for languageVersion 2.0). */
export function resourcesOf(template: { resources?: unknown }): ArmResourceJson[] {
  const r = template.resources;
  if (Array.isArray(r)) return r as ArmResourceJson[];
  if (r && typeof r === 'object') return Object.values(r as Record<string, ArmResourceJson>);
  return [];
}

// ---------------------------------------------------------------- ARM template language (the part tests need)

/** A parsed ARM expression. */
export type ArmExpr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly ArmExpr[]; readonly access: readonly (string | ArmExpr)[] };

/** Whether ARM reads a JSON string as an expression: it starts with '[' and ends with ']', and is not escaped '[['. */
export function isArmExpression(s: string): boolean {
  return s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

/** The value ARM gives a literal JSON string: "[[...]" loses one bracket; an expression is not a literal. */
export function armLiteralValue(s: string): string {
  if (isArmExpression(s)) throw new Error(`"${s}" is an ARM expression, not a literal`);
  return s.startsWith('[[') && s.endsWith(']') ? s.slice(1) : s;
}

/** Parses the inside of "[...]". */
export function parseArmExpression(text: string): ArmExpr {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`ARM expression: ${what} at ${i} in ${text}`);
  };
  const expr = (): ArmExpr => {
    ws();
    const c = text[i];
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated string');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      return { kind: 'string', value };
    }
    const num = /^-?\d+/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    const id = /^[a-zA-Z_][a-zA-Z0-9_.]*/.exec(text.slice(i));
    if (!id) return fail('expected a value');
    i += id[0].length;
    ws();
    if (text[i] !== '(') fail('expected (');
    i++;
    const args: ArmExpr[] = [];
    ws();
    if (text[i] === ')') i++;
    else {
      for (;;) {
        args.push(expr());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ')') {
          i++;
          break;
        }
        fail('expected , or )');
      }
    }
    const access: (string | ArmExpr)[] = [];
    for (;;) {
      if (text[i] === '.') {
        const m = /^\.([a-zA-Z_][a-zA-Z0-9_]*)/.exec(text.slice(i));
        if (!m) fail('expected a property name');
        access.push(m![1]!);
        i += m![0].length;
      } else if (text[i] === '[') {
        i++;
        access.push(expr());
        ws();
        if (text[i] !== ']') fail('expected ]');
        i++;
      } else break;
    }
    return { kind: 'call', fn: id[0].toLowerCase(), args, access };
  };
  const e = expr();
  ws();
  if (i !== text.length) fail('trailing text');
  return e;
}

/** Canonical text of an expression (function names lower-cased, single spaces after commas). */
export function printArmExpression(e: ArmExpr): string {
  if (e.kind === 'string') return `'${e.value.replace(/'/g, "''")}'`;
  if (e.kind === 'number') return String(e.value);
  const access = e.access.map((a) => (typeof a === 'string' ? `.${a}` : `[${printArmExpression(a)}]`)).join('');
  return `${e.fn}(${e.args.map(printArmExpression).join(', ')})${access}`;
}

/**
 * Evaluates what can be evaluated offline: string and number literals, parameters() (from `params`), format()
 * and concat() of known values. Anything else is undefined.
 */
export function evaluateArm(e: ArmExpr, params: Readonly<Record<string, unknown>> = {}): unknown {
  if (e.kind !== 'call') return e.value;
  if (e.access.length) return undefined;
  const args = e.args.map((a) => evaluateArm(a, params));
  if (args.some((a) => a === undefined)) return undefined;
  switch (e.fn) {
    case 'parameters':
      return typeof args[0] === 'string' && args[0] in params ? params[args[0]] : undefined;
    case 'concat':
      return args.every((a) => typeof a === 'string') ? args.join('') : undefined;
    case 'format':
      return typeof args[0] === 'string' ? formatArm(args[0], args.slice(1)) : undefined;
    default:
      return undefined;
  }
}

/** .NET composite formatting as ARM's format() does it: {n} placeholders, {{ and }} for braces. */
function formatArm(format: string, args: readonly unknown[]): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '{' && format[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && format[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)\}/.exec(format.slice(i));
      if (!m) return undefined;
      const a = args[Number(m[1])];
      if (a === undefined) return undefined;
      out += String(a);
      i += m[0].length - 1;
    } else if (c === '}') return undefined;
    else out += c;
  }
  return out;
}

/**
 * A JSON string as ARM reads it: the literal's value, or the value of an expression that can be evaluated
 * offline, or else "[<canonical expression>]" (so that two renderings of the same expression compare equal).
 */
export function armValue(s: string, params: Readonly<Record<string, unknown>> = {}): string {
  if (!isArmExpression(s)) return armLiteralValue(s);
  const e = parseArmExpression(s.slice(1, -1));
  const v = evaluateArm(e, params);
  return typeof v === 'string' ? v : `[${printArmExpression(simplifyArm(e))}]`;
}

/**
 * The same expression in a canonical form: literals and nested format() calls folded into format() strings
 * (format('{0}/{1}', 'a', x) and format('a/{0}', x) are the same), format('{0}', x) reduced to x, concat() and
 * format() of literals folded to a string. Bicep and our renderer write some names differently; this makes them
 * comparable.
 */
export function simplifyArm(e: ArmExpr): ArmExpr {
  if (e.kind !== 'call') return e;
  const args = e.args.map(simplifyArm);
  const access = e.access.map((a) => (typeof a === 'string' ? a : simplifyArm(a)));
  const call: ArmExpr = { kind: 'call', fn: e.fn, args, access };
  if (access.length) return call;
  const folded = evaluateArm(call);
  if (typeof folded === 'string') return { kind: 'string', value: folded };
  if (e.fn === 'format' && args[0]?.kind === 'string') {
    const pieces = formatPieces(args[0].value, args.slice(1));
    if (pieces) {
      const rest: ArmExpr[] = [];
      let format = '';
      for (const p of pieces) {
        if (typeof p === 'string') format += p.replace(/\{/g, '{{').replace(/\}/g, '}}');
        else {
          format += `{${rest.length}}`;
          rest.push(p);
        }
      }
      if (!rest.length) return { kind: 'string', value: pieces.join('') };
      if (format === '{0}') return rest[0]!;
      return { kind: 'call', fn: 'format', args: [{ kind: 'string', value: format }, ...rest], access: [] };
    }
  }
  return call;
}

/** The literal text and the non-literal arguments of a format() call, in order, nested format() calls expanded. */
function formatPieces(format: string, args: readonly ArmExpr[]): Array<string | ArmExpr> | undefined {
  const out: Array<string | ArmExpr> = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if ((c === '{' || c === '}') && format[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === '}') return undefined;
    if (c !== '{') {
      text += c;
      continue;
    }
    const m = /^\{(\d+)\}/.exec(format.slice(i));
    const arg = m ? args[Number(m[1])] : undefined;
    if (!m || !arg) return undefined;
    i += m[0].length - 1;
    if (arg.kind === 'string') text += arg.value;
    else if (arg.kind === 'number') text += String(arg.value);
    else if (arg.fn === 'format' && !arg.access.length && arg.args[0]?.kind === 'string') {
      const inner = formatPieces(arg.args[0].value, arg.args.slice(1));
      if (!inner) return undefined;
      for (const p of inner) {
        if (typeof p === 'string') text += p;
        else {
          if (text) out.push(text);
          text = '';
          out.push(p);
        }
      }
    } else {
      if (text) out.push(text);
      text = '';
      out.push(arg);
    }
  }
  if (text) out.push(text);
  return out;
}

/** "<type>@<apiVersion> <name>" of every resource, nested deployments' inner resources included (prefixed). */
export function resourceKeys(template: { resources?: unknown }, prefix = ''): string[] {
  const keys: string[] = [];
  for (const r of resourcesOf(template)) {
    const key = `${prefix}${r.type.toLowerCase()}@${r.apiVersion} ${armValue(r.name)}`;
    keys.push(key);
    const inner = (r.properties as { template?: { resources?: unknown } } | undefined)?.template;
    if (r.type.toLowerCase() === 'microsoft.resources/deployments' && inner) keys.push(...resourceKeys(inner, `${key} > `));
  }
  return keys.sort();
}

/**
 * dependsOn entries of our ARM JSON that name no resource of the same template (ARM rejects a deployment whose
 * dependsOn names a resource it does not declare). Each entry is the resourceId(), subscriptionResourceId() or
 * extensionResourceId() expression our renderer writes; nested templates are checked on their own.
 */
export function danglingDependencies(template: { resources?: unknown }, prefix = ''): string[] {
  const resources = resourcesOf(template);
  // The name segments of a resourceId() joined with "/" as one format() and put in the canonical form, so that
  // resourceId(type, format('a-{0}', x), 'b') matches a child declared as format('{0}/b', format('a-{0}', x)).
  const segmentsOf = (args: readonly ArmExpr[]) => {
    const joined = simplifyArm({ kind: 'call', fn: 'format', args: [{ kind: 'string', value: args.map((_, i) => `{${i}}`).join('/') }, ...args], access: [] });
    return joined.kind === 'string' ? joined.value : `[${printArmExpression(joined)}]`;
  };
  const declared = new Set<string>();
  for (const r of resources) {
    const scope = typeof r.scope === 'string' && isArmExpression(r.scope) ? printArmExpression(simplifyArm(parseArmExpression(r.scope.slice(1, -1)))) : '';
    const name = isArmExpression(r.name) ? `[${printArmExpression(simplifyArm(parseArmExpression(r.name.slice(1, -1))))}]` : armLiteralValue(r.name);
    declared.add(`${scope}|${r.type.toLowerCase()}|${name}`);
  }
  const missing: string[] = [];
  for (const r of resources) {
    for (const d of (r.dependsOn as string[] | undefined) ?? []) {
      const e = simplifyArm(parseArmExpression(isArmExpression(d) ? d.slice(1, -1) : `'${d}'`));
      let key: string | undefined;
      if (e.kind === 'call' && (e.fn === 'resourceid' || e.fn === 'subscriptionresourceid') && e.args[0]?.kind === 'string') {
        key = `|${e.args[0].value.toLowerCase()}|${segmentsOf(e.args.slice(1))}`;
      } else if (e.kind === 'call' && e.fn === 'extensionresourceid' && e.args[1]?.kind === 'string') {
        key = `${printArmExpression(e.args[0]!)}|${e.args[1].value.toLowerCase()}|${segmentsOf(e.args.slice(2))}`;
      }
      if (!key || !declared.has(key)) missing.push(`${prefix}${r.type} '${r.name}' depends on ${d}`);
    }
    const inner = (r.properties as { template?: { resources?: unknown } } | undefined)?.template;
    if (r.type.toLowerCase() === 'microsoft.resources/deployments' && inner) missing.push(...danglingDependencies(inner, `${prefix}${r.name} > `));
  }
  return missing;
}
