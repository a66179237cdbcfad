/**
 * A small evaluator of ARM template expressions, enough for the test Resource Manager to compute what the generated
 * templates need: resource names and scopes (resource ids), nested deployment parameters and outputs. It implements
 * the functions those templates use, with ARM's semantics where they matter to the ids (format, resourceId,
 * extensionResourceId, subscriptionResourceId, resourceGroup(), environment() suffixes, guid as a name-based UUID,
 * uniqueString as Resource Manager computes it).
 * An expression using anything else throws, which the server reports as an invalid template.
 */
import { createHash } from 'node:crypto';
import { uniqueString } from '../../../src/model/unique-string.js';

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface EvalContext {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly parameters: Readonly<Record<string, Value>>;
  readonly variables?: Readonly<Record<string, Value>>;
  /** The Resource Manager's cloud suffixes (environment()). */
  readonly environment?: Readonly<Record<string, Value>>;
}

export class ExpressionError extends Error {}

export const PUBLIC_CLOUD: Record<string, Value> = {
  name: 'AzureCloud',
  resourceManager: 'https://management.azure.com/',
  authentication: { loginEndpoint: 'https://login.microsoftonline.com/', audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'] },
  suffixes: {
    acrLoginServer: '.azurecr.io',
    sqlServerHostname: '.database.windows.net',
    keyvaultDns: '.vault.azure.net',
    storage: 'core.windows.net',
    azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
  },
};

/** Whether a JSON string is an expression: `[...]` but not an escaped `[[...`. */
export function isExpression(text: string): boolean {
  return text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[');
}

/** A template value with every expression string in it evaluated (deeply). */
export function evaluateDeep(value: unknown, ctx: EvalContext): Value {
  if (typeof value === 'string') return evaluateString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, ctx));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, ctx)]));
  return (value ?? null) as Value;
}

export function evaluateString(text: string, ctx: EvalContext): Value {
  if (text.startsWith('[[')) return text.slice(1);
  if (!isExpression(text)) return text;
  const parser = new Parser(text.slice(1, -1));
  const node = parser.parseExpression();
  parser.expectEnd();
  return evalNode(node, ctx);
}

// ---------------------------------------------------------------- parsing

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'member'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseExpression(): Node {
    this.ws();
    let node = this.primary();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '.') {
        this.i++;
        node = { kind: 'member', target: node, name: this.identifier() };
      } else if (c === '[') {
        this.i++;
        const index = this.parseExpression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }

  expectEnd(): void {
    this.ws();
    if (this.i !== this.s.length) throw new ExpressionError(`unexpected "${this.s.slice(this.i)}" in expression [${this.s}]`);
  }

  private primary(): Node {
    const c = this.s[this.i];
    if (c === "'") return { kind: 'literal', value: this.string() };
    if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?\d+/.exec(this.s.slice(this.i));
      if (!m) throw new ExpressionError(`bad number in [${this.s}]`);
      this.i += m[0].length;
      return { kind: 'literal', value: Number(m[0]) };
    }
    const name = this.identifier();
    this.ws();
    this.expect('(');
    const args: Node[] = [];
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.parseExpression());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(')');
      return { kind: 'call', name, args };
    }
  }

  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw new ExpressionError(`unterminated string in [${this.s}]`);
      this.i++;
      if (c === "'") {
        if (this.s[this.i] === "'") {
          out += "'";
          this.i++;
          continue;
        }
        return out;
      }
      out += c;
    }
  }

  private identifier(): string {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) throw new ExpressionError(`expected a name at "${this.s.slice(this.i)}" in [${this.s}]`);
    this.i += m[0].length;
    return m[0];
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new ExpressionError(`expected "${c}" at "${this.s.slice(this.i)}" in [${this.s}]`);
    this.i++;
  }

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}

// ---------------------------------------------------------------- evaluation

function evalNode(node: Node, ctx: EvalContext): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'member': {
      const target = evalNode(node.target, ctx);
      if (!target || typeof target !== 'object' || Array.isArray(target)) throw new ExpressionError(`cannot read "${node.name}" of ${JSON.stringify(target)}`);
      const key = Object.keys(target).find((k) => k.toLowerCase() === node.name.toLowerCase());
      if (key === undefined) throw new ExpressionError(`the object has no property "${node.name}"`);
      return target[key]!;
    }
    case 'index': {
      const target = evalNode(node.target, ctx);
      const index = evalNode(node.index, ctx);
      if (Array.isArray(target) && typeof index === 'number') return target[index] ?? null;
      if (target && typeof target === 'object' && !Array.isArray(target) && typeof index === 'string') return target[index] ?? null;
      throw new ExpressionError(`cannot index ${JSON.stringify(target)} with ${JSON.stringify(index)}`);
    }
    case 'call':
      // if() evaluates only the branch it takes, as Resource Manager does.
      if (node.name.toLowerCase() === 'if' && node.args.length === 3) return evalNode(node.args[evalNode(node.args[0]!, ctx) ? 1 : 2]!, ctx);
      return call(node.name.toLowerCase(), node.args.map((a) => evalNode(a, ctx)), ctx);
  }
}

function call(name: string, args: Value[], ctx: EvalContext): Value {
  const str = (i: number): string => {
    const v = args[i];
    if (typeof v !== 'string') throw new ExpressionError(`${name}: argument ${i + 1} must be a string, not ${JSON.stringify(v)}`);
    return v;
  };
  const rgId = `/subscriptions/${ctx.subscriptionId}/resourceGroups/${ctx.resourceGroup}`;
  switch (name) {
    case 'parameters': {
      const p = str(0);
      if (!(p in ctx.parameters)) throw new ExpressionError(`The template parameter '${p}' is not found.`);
      return ctx.parameters[p]!;
    }
    case 'variables': {
      const v = str(0);
      if (!ctx.variables || !(v in ctx.variables)) throw new ExpressionError(`The template variable '${v}' is not found.`);
      return ctx.variables[v]!;
    }
    case 'format':
      // .NET composite formatting: {{ and }} are literal braces.
      return str(0).replace(/\{\{|\}\}|\{(\d+)(?::[^}]*)?\}/g, (m: string, i: string | undefined) => (i === undefined ? m[0]! : text(args[Number(i) + 1])));
    case 'concat':
      return args.every(Array.isArray) ? (args as Value[][]).flat() : args.map(text).join('');
    case 'tolower':
      return str(0).toLowerCase();
    case 'toupper':
      return str(0).toUpperCase();
    case 'take': {
      const v = args[0];
      const n = Number(args[1]);
      return typeof v === 'string' ? v.slice(0, n) : Array.isArray(v) ? v.slice(0, n) : v ?? null;
    }
    case 'length': {
      const v = args[0];
      return typeof v === 'string' || Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0;
    }
    case 'min':
      return Math.min(...(args.flat() as number[]));
    case 'max':
      return Math.max(...(args.flat() as number[]));
    case 'createarray':
      return args;
    case 'createobject': {
      const o: Record<string, Value> = {};
      for (let i = 0; i + 1 < args.length; i += 2) o[str(i)] = args[i + 1]!;
      return o;
    }
    case 'json':
      return JSON.parse(str(0)) as Value;
    case 'string':
      return text(args[0]);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'equals':
      return JSON.stringify(args[0]) === JSON.stringify(args[1]);
    case 'not':
      return !args[0];
    case 'empty': {
      const v = args[0];
      return v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
    }
    case 'if':
      return args[0] ? args[1]! : args[2]!;
    case 'guid':
      return nameUuid(args.map(text).join('-'));
    case 'uniquestring':
      // Resource Manager's own algorithm (checked against the Bicep compiler in test/model/unique-string.test.ts), so
      // that the names deploy computes before deploying are the names this server gives.
      return uniqueString(...args.map(text));
    case 'resourcegroup':
      return { id: rgId, name: ctx.resourceGroup, type: 'Microsoft.Resources/resourceGroups', location: ctx.location, properties: { provisioningState: 'Succeeded' } };
    case 'subscription':
      return { id: `/subscriptions/${ctx.subscriptionId}`, subscriptionId: ctx.subscriptionId, tenantId: ctx.tenantId, displayName: 'Test subscription' };
    case 'tenant':
      return { id: `/tenants/${ctx.tenantId}`, tenantId: ctx.tenantId, displayName: 'Test tenant' };
    case 'environment':
      return (ctx.environment ?? PUBLIC_CLOUD) as Value;
    case 'deployment':
      return { name: 'deployment', properties: {} };
    case 'resourceid':
      return resourceId(rgId, args.map(text));
    case 'subscriptionresourceid': {
      const all = args.map(text);
      const sub = all.length % 2 === 0 ? all.shift()! : ctx.subscriptionId;
      return `/subscriptions/${sub}/providers/${typedPath(all[0]!, all.slice(1))}`;
    }
    case 'extensionresourceid': {
      const [scope, type, ...names] = args.map(text);
      return `${scope}/providers/${typedPath(type!, names)}`;
    }
    case 'reference': {
      // What the referenced resource would report: stable identifiers derived from its id.
      const id = text(args[0]);
      const uuid = (what: string) => nameUuid(`${id}|${what}`);
      return { clientId: uuid('clientId'), principalId: uuid('principalId'), tenantId: ctx.tenantId, id, provisioningState: 'Succeeded' };
    }
    default:
      throw new ExpressionError(`The template function '${name}' is not valid (the test Resource Manager does not know it).`);
  }
}

/** resourceId([subscriptionId], [resourceGroupName], type, name1, name2...): the optional ids come first when the count says so. */
function resourceId(rgId: string, args: string[]): string {
  const typeIndex = args.findIndex((a) => a.includes('/'));
  if (typeIndex < 0) throw new ExpressionError('resourceId: no resource type');
  const type = args[typeIndex]!;
  const names = args.slice(typeIndex + 1);
  const before = args.slice(0, typeIndex);
  let scope = rgId;
  if (before.length === 1) scope = `${rgId.split('/resourceGroups/')[0]}/resourceGroups/${before[0]}`;
  if (before.length === 2) scope = `/subscriptions/${before[0]}/resourceGroups/${before[1]}`;
  return `${scope}/providers/${typedPath(type, names)}`;
}

/** Microsoft.X/a/b + [n1, n2] -> Microsoft.X/a/n1/b/n2 */
export function typedPath(type: string, names: readonly string[]): string {
  const [namespace, ...types] = type.split('/');
  if (types.length !== names.length) throw new ExpressionError(`resource type ${type} needs ${types.length} name segments, got ${names.length} (${names.join('/')})`);
  return [namespace, ...types.flatMap((t, i) => [t, names[i]!])].join('/');
}

/** A name-based (version 5 style) UUID of a text. */
export function nameUuid(text: string): string {
  const h = createHash('sha1').update(`11fb06fb-712d-4ddd-98c7-e71bbd588830|${text}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function text(v: Value | undefined): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
