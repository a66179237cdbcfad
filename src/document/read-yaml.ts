/**
 * The one YAML parse of a design text, shared by every reader in this layer: the reader with positions
 * (parse.ts), the editor (edits/locate.ts) and the editor's safety net (edits/apply.ts). Parsing is most of what
 * an edit costs (hundreds of ms at 1,000 nodes), and one edit from the canvas used to parse three times: the text
 * it was made on, the edited text to check it still reads, the edited text again for the shape the canvas draws.
 * Now the edited text is parsed once, and that parse is also the next edit's starting point.
 *
 * The last text read is kept with its parse (compared by content; at 1,000 nodes a parse with its tokens holds
 * about 36 MB, so one is kept, as parse.ts keeps one reading): an edit replaces it with the text it made, which is
 * the text the shape, the analysis and the next edit read. The Document is read-only for every caller: nothing in
 * src/ changes a parsed Document (the editor computes text edits from its source ranges and tokens).
 * Parsed with source tokens (the editor needs the CST: https://eemeli.org/yaml/#options, keepSourceTokens),
 * without the yaml package's own duplicate key check (quadratic in a map's size; duplicate-keys.ts is linear) and
 * without pretty errors (callers locate errors themselves).
 */
import { parseDocument, type Document } from 'yaml';
import { nestingProblem, type NestingProblem } from './depth.js';

export type YamlRead =
  /** The text nests too deep to be parsed safely (depth.ts): not parsed at all. */
  | { readonly text: string; readonly deep: NestingProblem; readonly doc?: undefined }
  /** The parse, with its errors (`doc.errors`) if any. */
  | { readonly text: string; readonly deep?: undefined; readonly doc: Document.Parsed };

let last: YamlRead | undefined;
const counts = { parses: 0, reused: 0 };

/** The parse of a text: the kept one when this is the text read last, else a new one (which is kept). */
export function readYaml(text: string): YamlRead {
  if (last?.text === text) {
    counts.reused++;
    return last;
  }
  const deep = nestingProblem(text);
  if (deep) {
    last = { text, deep };
  } else {
    counts.parses++;
    last = { text, doc: parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false }) };
  }
  return last;
}

/**
 * How many texts were parsed, and how many reads found their text parsed already, since this module loaded.
 * For tests and the benchmark, which assert how often an edit parses (a count, not a time).
 */
export function yamlReads(): { readonly parses: number; readonly reused: number } {
  return { ...counts };
}
