/**
 * Names written as template expressions, read the way the generated README shows them: a globally unique name is a
 * readable prefix and uniqueString(resourceGroup().id), which only Resource Manager evaluates (it depends on the
 * resource group), so it reads as `<prefix><suffix>`; format() and concat() of such parts are put together as
 * Resource Manager would (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string);
 * environment().suffixes.x, which differs between clouds, reads as `<x>`.
 * Anything else is not read (undefined).
 */
import { UNIQUE_SUFFIX_SHOWN } from '../model/naming.js';

type Node = { kind: 'string'; value: string } | { kind: 'call'; fn: string; args: Node[]; access: string[] };

/** Parses an ARM expression without its brackets; undefined when it is not one this reader knows. */
function parse(text: string): Node | undefined {
  let i = 0;
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const expr = (): Node | undefined => {
    space();
    if (text[i] === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          return { kind: 'string', value };
        }
        value += text[i++];
      }
    }
    const m = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    space();
    if (text[i] !== '(') return undefined;
    i++;
    const args: Node[] = [];
    space();
    if (text[i] === ')') i++;
    else {
      for (;;) {
        const a = expr();
        if (!a) return undefined;
        args.push(a);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ')') {
          i++;
          break;
        }
        return undefined;
      }
    }
    const access: string[] = [];
    while (text[i] === '.') {
      const p = /^\.([A-Za-z][A-Za-z0-9]*)/.exec(text.slice(i));
      if (!p) return undefined;
      access.push(p[1]!);
      i += p[0].length;
    }
    return { kind: 'call', fn: m[0].toLowerCase(), args, access };
  };
  const node = expr();
  space();
  return node && i === text.length ? node : undefined;
}

function value(n: Node): string | undefined {
  if (n.kind === 'string') return n.value;
  // The cloud's suffixes (environment().suffixes.keyvaultDns) differ between clouds: shown by name.
  if (n.fn === 'environment' && n.args.length === 0 && n.access.length === 2 && n.access[0] === 'suffixes') return `<${n.access[1]!}>`;
  if (n.access.length) return undefined;
  if (n.fn === 'uniquestring') {
    const [arg] = n.args;
    const groupId = n.args.length === 1 && arg?.kind === 'call' && arg.fn === 'resourcegroup' && arg.args.length === 0 && arg.access.join('.') === 'id';
    return groupId ? UNIQUE_SUFFIX_SHOWN : undefined;
  }
  const args = n.args.map(value);
  if (args.some((a) => a === undefined)) return undefined;
  const parts = args as string[];
  if (n.fn === 'concat') return parts.join('');
  if (n.fn === 'format' && parts.length > 0) {
    let bad = false;
    const out = parts[0]!.replace(/\{\{|\}\}|\{(\d+)\}/g, (all, index: string | undefined) => {
      if (all === '{{') return '{';
      if (all === '}}') return '}';
      const v = parts[Number(index) + 1];
      if (v === undefined) bad = true;
      return v ?? '';
    });
    return bad ? undefined : out;
  }
  return undefined;
}

/** A name as the template writes it (a literal or `[expression]`), read as the README shows it; undefined when it cannot be. */
export function readName(raw: string): string | undefined {
  if (!(raw.startsWith('[') && raw.endsWith(']')) || raw.startsWith('[[')) return raw.startsWith('[[') ? raw.slice(1) : raw;
  const n = parse(raw.slice(1, -1));
  return n ? value(n) : undefined;
}

/** The type and name segments of `[resourceId('Type', a, b)]` whose arguments readName can read. */
export function readResourceId(raw: string): { type: string; segments: string[] } | undefined {
  if (!raw.startsWith('[resourceId(') || !raw.endsWith(']')) return undefined;
  const n = parse(raw.slice(1, -1));
  if (!n || n.kind !== 'call' || n.fn !== 'resourceid' || n.access.length || n.args.length < 2) return undefined;
  const values = n.args.map(value);
  if (values.some((v) => v === undefined)) return undefined;
  const [type, ...segments] = values as string[];
  return { type: type!, segments };
}
