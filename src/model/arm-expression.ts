/**
 * The part of the ARM template expression language the generators write in resource names
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions): string literals ('' is a
 * quote), function calls (names are case-insensitive) with property access after them (resourceGroup().id,
 * environment().suffixes.keyvaultDns). A string is an expression when it starts with [ and ends with ]; [[ at the start
 * escapes the bracket and the rest is a literal.
 *
 * evaluateArmExpression knows format() ({n}, {{ and }}) and concat()
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string),
 * uniqueString(resourceGroup().id) and environment().suffixes.x, each as its caller gives it: the trace shows them as
 * `<suffix>` and `<x>`, deploy computes the real suffix for a resource group. Anything else (a parameter, another
 * function, a number) is not evaluated: undefined. Used by src/trace/names.ts and src/deploy/unique-names.ts.
 */

export type ArmExpression =
  | { readonly kind: 'string'; readonly value: string }
  /** name in lower case; properties as written, in order (`environment().suffixes.keyvaultDns`: ['suffixes', 'keyvaultDns']). */
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ArmExpression[]; readonly properties: readonly string[] };

/** Parses an expression without its brackets; undefined for text outside the subset above (or not an expression at all). */
export function parseArmExpression(text: string): ArmExpression | undefined {
  let i = 0;
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const expr = (): ArmExpression | undefined => {
    space();
    if (text[i] === "'") {
      let value = '';
      for (i++; i < text.length; i++) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i++;
            continue;
          }
          i++;
          return { kind: 'string', value };
        }
        value += text[i];
      }
      return undefined;
    }
    const m = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    space();
    if (text[i] !== '(') return undefined;
    i++;
    const args: ArmExpression[] = [];
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
    const properties: string[] = [];
    while (text[i] === '.') {
      const p = /^\.([A-Za-z][A-Za-z0-9]*)/.exec(text.slice(i));
      if (!p) return undefined;
      properties.push(p[1]!);
      i += p[0].length;
    }
    return { kind: 'call', name: m[0].toLowerCase(), args, properties };
  };
  const node = expr();
  space();
  return node && i === text.length ? node : undefined;
}

/** A template's string value: a literal (with a leading [[ unescaped), or the text of an expression without its brackets. */
export function templateString(raw: string): { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'expression'; readonly text: string } {
  if (raw.startsWith('[[')) return { kind: 'literal', value: raw.slice(1) };
  if (raw.startsWith('[') && raw.endsWith(']')) return { kind: 'expression', text: raw.slice(1, -1) };
  return { kind: 'literal', value: raw };
}

/** What the functions that depend on where a template is deployed evaluate to; a missing one leaves its expressions undefined. */
export interface ArmEvaluationContext {
  /** uniqueString(resourceGroup().id) (uniqueString of anything else is never evaluated). */
  readonly resourceGroupUniqueString?: string;
  /** environment().suffixes.<name> of the cloud. */
  readonly environmentSuffix?: (name: string) => string | undefined;
}

const isResourceGroupId = (e: ArmExpression | undefined): boolean =>
  e?.kind === 'call' && e.name === 'resourcegroup' && e.args.length === 0 && e.properties.length === 1 && e.properties[0] === 'id';

/** The string an expression evaluates to; undefined when it is outside the subset or the context does not give a value it needs. */
export function evaluateArmExpression(e: ArmExpression, context: ArmEvaluationContext): string | undefined {
  if (e.kind === 'string') return e.value;
  if (e.name === 'environment' && e.args.length === 0 && e.properties.length === 2 && e.properties[0] === 'suffixes') return context.environmentSuffix?.(e.properties[1]!);
  if (e.properties.length) return undefined;
  if (e.name === 'uniquestring') return e.args.length === 1 && isResourceGroupId(e.args[0]) ? context.resourceGroupUniqueString : undefined;
  if (e.name !== 'concat' && e.name !== 'format') return undefined;
  const args: string[] = [];
  for (const a of e.args) {
    const v = evaluateArmExpression(a, context);
    if (v === undefined) return undefined;
    args.push(v);
  }
  const [pattern, ...rest] = args;
  if (pattern === undefined) return undefined; // both take at least one argument
  if (e.name === 'concat') return args.join('');
  let bad = false;
  const out = pattern.replace(/\{\{|\}\}|\{(\d+)\}/g, (all: string, index: string | undefined) => {
    if (index === undefined) return all[0]!;
    const v = rest[Number(index)];
    if (v === undefined) bad = true;
    return v ?? '';
  });
  return bad ? undefined : out;
}

/** A template's string value (a literal or `[expression]`) evaluated; undefined when the expression cannot be. */
export function evaluateTemplateString(raw: string, context: ArmEvaluationContext): string | undefined {
  const s = templateString(raw);
  if (s.kind === 'literal') return s.value;
  const e = parseArmExpression(s.text);
  return e ? evaluateArmExpression(e, context) : undefined;
}
