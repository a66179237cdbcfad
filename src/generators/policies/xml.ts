/**
 * A small XML writer for API Management policy documents. Every attribute value and text is escaped, so
 * that no value can close its quote, open an element or start an entity. API Management also reads two
 * things inside values: `@(...)` / `@{...}` policy expressions and `{{name}}` named values; a value from
 * the design that could be read as either is written as a C# string expression instead (see policyLiteral).
 * `$` is written as `&#36;` so that the text stays inert inside a Bicep or ARM string too.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly children: readonly XmlElement[];
  /** Text content (only for elements without children). */
  readonly text?: string;
}

export function element(name: string, attributes: Record<string, string> = {}, children: readonly XmlElement[] = []): XmlElement {
  return { name, attributes: Object.entries(attributes), children };
}

export function textElement(name: string, text: string): XmlElement {
  return { name, attributes: [], children: [], text };
}

/** Characters XML 1.0 allows in a document. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}

function escapeXml(value: string, attribute: boolean): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&apos;';
        break;
      case '$':
        out += '&#36;';
        break;
      case '\r':
        out += '&#13;';
        break;
      case '\n':
        out += attribute ? '&#10;' : ch;
        break;
      case '\t':
        out += attribute ? '&#9;' : ch;
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // Unreachable through policyLiteral, which turns such values into C# escapes; kept so that nothing else can emit them.
        out += isXmlChar(code) ? ch : '\uFFFD';
      }
    }
  }
  return out;
}

/** Whether API Management could read a literal as something else: an expression, a named value, or text XML cannot hold. */
export function needsExpression(value: string): boolean {
  if (/^\s*@/.test(value) || value.includes('{{') || value.includes('}}')) return true;
  for (const ch of value) if (!isXmlChar(ch.codePointAt(0) ?? 0)) return true;
  // Lone surrogates are not characters at all.
  return /[\uD800-\uDFFF]/.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

function hex4(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A C# regular string literal of a value, with braces and every control or unpaired character escaped. */
export function csharpString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const ch = value[i] as string;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '{' || ch === '}') out += hex4(unit);
    else if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f) || (unit >= 0xd800 && unit <= 0xdfff) || unit === 0xfffe || unit === 0xffff) {
      out += hex4(unit);
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * A design value as API Management must see it to take it literally: the value itself when it is plain, else
 * the single-expression form `@("...")`, which evaluates to exactly the value.
 */
export function policyLiteral(value: string): string {
  return needsExpression(value) ? `@(${csharpString(value)})` : value;
}

/** The document, two-space indented, one element per line, `<name />` for empty elements, ending in a newline. */
export function renderXml(root: XmlElement, header: readonly string[] = []): string {
  const lines: string[] = header.map((line) => `<!-- ${line.replace(/-{2,}/g, '-').replace(/-$/, '- ')} -->`);
  const write = (el: XmlElement, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attrs = el.attributes.map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`).join('');
    if (el.children.length > 0) {
      lines.push(`${pad}<${el.name}${attrs}>`);
      for (const child of el.children) write(child, depth + 1);
      lines.push(`${pad}</${el.name}>`);
    } else if (el.text !== undefined && el.text !== '') {
      lines.push(`${pad}<${el.name}${attrs}>${escapeXml(el.text, false)}</${el.name}>`);
    } else {
      lines.push(`${pad}<${el.name}${attrs} />`);
    }
  };
  write(root, 0);
  return `${lines.join('\n')}\n`;
}
