/**
 * Property: hostile strings in every free-text field of a design (description, labels, tag values, annotation
 * values, API display names) never change the structure of any generated file, and never reach a terminal raw
 * (issue #12, "Done means"). The structure of a file is compared with the same design carrying a plain word in
 * those fields: JSON and YAML as their parsed shape (keys, array lengths, value types), XML as its element tree,
 * Bicep as its code lines (escaping keeps a string on its line), Markdown as its headings, lines and HTML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, visit } from 'yaml';
import { runCli, type CliIo } from '../../src/cli/run.js';
import { parseDesign } from '../../src/document/parse.js';
import { generate, type GeneratedFile } from '../../src/generators/generate.js';
import { REFERENCE } from '../helpers/reference.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';

const NOW = new Date('2026-11-27T12:00:00Z');
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Pieces attackers use against Bicep, ARM JSON, YAML, XML, Markdown and terminals. */
const FRAGMENTS = [
  "'", '"', '\\', '${x}', "${concat('a')}", '[concat()]', '[[', '\n', '\r\n', '\u2028', '\t', '\u0000', '\u0007', '\u001b]0;t\u0007', '\u009b',
  '\u202e', '<!--', '-->', '<![CDATA[', ']]>', '</set-header>', '&amp;', '&#0;', '<img src=x>', '# h', '\n## h', '---', '...', ': ', '- ', '{a: b}', '*a', '&a',
  '!!js/function', '@{x}', '`', '```', '|', '>', '%', '#', 'key: value', '\\u0000', '😀', 'ﬀ',
];
const hostile = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

/** The reference design with `text` in every free-text field that keeps the design valid. */
function designWith(text: string): string {
  const doc = parseDocument(REFERENCE);
  doc.setIn(['metadata', 'description'], text);
  doc.setIn(['metadata', 'tags', 'note'], text.slice(0, 256));
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && (pair.key.value === 'label' || pair.key.value === 'displayName') && isScalar(pair.value)) pair.value = doc.createNode(text) as never;
      return undefined;
    },
    Map(_key, map) {
      if (map.get('verifyClient') !== undefined) map.set('annotations', doc.createNode({ 'example.com/note': text }));
      return undefined;
    },
  });
  return doc.toString();
}

function generated(text: string): readonly GeneratedFile[] {
  const parsed = parseDesign(designWith(text));
  assert.ok(parsed.design && parsed.complete, `the hostile design is valid: ${JSON.stringify(parsed.findings.slice(0, 2))}`);
  return generate(parsed.design, { caPems: new Map() }).files;
}

/** Keys, array lengths and value types, without the values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

function xmlShape(node: XmlNode): unknown {
  return { name: node.name, attributes: Object.keys(node.attributes).sort(), children: node.children.map(xmlShape) };
}

function structure(file: GeneratedFile): unknown {
  const { path, content } = file;
  if (path.endsWith('.json')) return shape(JSON.parse(content));
  if (path.endsWith('.yaml')) {
    return parseAllDocuments(content).map((d) => {
      assert.deepEqual(d.errors, [], `${path} parses`);
      return shape(d.toJS());
    });
  }
  if (path.endsWith('.xml')) return xmlShape(parseXml(content));
  // Bicep: the code lines (a comment that quotes a label may wrap onto more comment lines, each one starting //).
  if (path.endsWith('.bicep')) return content.split('\n').filter((l) => !/^\s*\/\//.test(l)).length;
  if (path.endsWith('.md')) {
    const lines = content.split('\n');
    return { lines: lines.length, headings: lines.filter((l) => /^\s{0,3}#/.test(l)), html: (content.match(/<[a-z!/]/gi) ?? []).length };
  }
  return content.split('\n').length;
}

test('hostile strings in every free-text field never change the structure of a generated file', { timeout: 600_000 }, () => {
  const plain = new Map(generated('plain').map((f) => [f.path, structure(f)]));
  fc.assert(
    fc.property(hostile, (text) => {
      const files = generated(text);
      assert.deepEqual(files.map((f) => f.path), [...plain.keys()], 'the same files');
      for (const f of files) assert.deepEqual(structure(f), plain.get(f.path), `${f.path} with ${JSON.stringify(text)}`);
    }),
    { numRuns: 40, seed: 12 },
  );
});

test('hostile strings never reach the terminal raw from any command\'s output', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-hostile-terminal-'));
  await fc.assert(
    fc.asyncProperty(hostile, async (text) => {
      // A layout id is echoed in a finding; the design's own fields go into generate's output and warnings.
      const design = designWith(text).replace(/^layout:\n/m, `layout:\n  ${JSON.stringify(text)}: { x: 1, y: 2 }\n`);
      writeFileSync(join(dir, 'x.gatewright.yaml'), design);
      for (const args of [['validate', 'x.gatewright.yaml'], ['validate', 'x.gatewright.yaml', '-f', 'json'], ['validate', 'x.gatewright.yaml', '-f', 'sarif'], ['generate', 'x.gatewright.yaml', '-o', 'out', '--force'], ['rehearse', 'x.gatewright.yaml']]) {
        const io: CliIo & { text: string } = { cwd: dir, env: {}, isTTY: false, now: NOW, text: '', out: (t) => void (io.text += t), err: (t) => void (io.text += t) };
        await runCli(args, io);
        assert.doesNotMatch(io.text, RAW_CONTROL, `${args.join(' ')} with ${JSON.stringify(text)}`);
      }
    }),
    { numRuns: 15, seed: 12 },
  );
});

test('the property\'s designs do carry the hostile text where it was put', () => {
  const text = 'mark\u001b]0;x\u0007';
  const design = parseDesign(designWith(text)).design!;
  assert.equal(design.metadata.description, text);
  assert.ok(design.nodes.some((n) => n.label === text));
  assert.ok(isMap(parseDocument(designWith(text)).getIn(['metadata', 'tags'])));
  assert.ok(!isSeq(parseDocument(designWith(text)).getIn(['metadata'])));
});
