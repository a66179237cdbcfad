/**
 * A bound on the nesting depth of YAML text, checked in one linear pass before any parser sees the text. The
 * yaml package parses nesting recursively: a 2 KB text of a thousand brackets exhausts the stack, and when that
 * happens inside V8's regular expression compiler the process aborts (FATAL ERROR, exit 134) instead of throwing.
 * A design nests a few levels deep; anything past MAX_NESTING is refused with a located syntax finding.
 *
 * Counted: flow collections (`[`, `{`) outside quoted scalars and comments, and block nesting: each line's
 * indentation that is deeper than the lines before it, plus the compact `- ` and `? ` indicators that open a
 * collection on the same line (https://yaml.org/spec/1.2.2/#chapter-8-block-style-productions). Block scalar
 * content (`|`, `>`) keeps one indentation, so it adds one level at most.
 */

export const MAX_NESTING = 100;

export interface NestingProblem {
  /** 0-based offset where the nesting passes the bound. */
  readonly offset: number;
  readonly message: string;
}

/** The first place the text nests deeper than `max`, or undefined. Pure, linear in the text. */
export function nestingProblem(text: string, max: number = MAX_NESTING): NestingProblem | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let i = 0;
  const problem = (offset: number, what: string): NestingProblem => ({
    offset,
    message: `${what} nest more than ${max} levels deep; a design never does (refused before parsing)`,
  });
  while (i < text.length) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      i++;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      let indent = 0;
      while (text[i + indent] === ' ') indent++;
      const next = text[i + indent];
      if (next !== undefined && next !== '\n' && next !== '\r' && next !== '#' && flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        // Compact collections opened on this line: "- - - x", "? - x".
        let j = i + indent;
        let compact = 0;
        while ((text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
          compact++;
          j += 2;
          while (text[j] === ' ' || text[j] === '\t') j++;
        }
        if (indents.length - 1 + compact > max) return problem(j, 'block collections');
      }
      i += indent;
      continue;
    }
    switch (c) {
      case '\n':
        lineStart = true;
        break;
      case '"':
      case "'":
        // A quote opens a quoted scalar only where a scalar starts; inside a plain scalar (it's) it is a character.
        if (i === 0 || /[\s[{,:\-?]/.test(text[i - 1]!)) quote = c;
        break;
      case '#':
        if (i === 0 || /\s/.test(text[i - 1]!)) {
          while (i < text.length && text[i] !== '\n') i++;
          continue;
        }
        break;
      case '[':
      case '{':
        flow++;
        if (flow + Math.max(0, indents.length - 1) > max) return problem(i, 'flow collections ([ and {)');
        break;
      case ']':
      case '}':
        if (flow > 0) flow--;
        break;
    }
    i++;
  }
  return undefined;
}
