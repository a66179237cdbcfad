/**
 * How often an intent from the canvas parses the design text (issue #19: the host's answer to an intent is what
 * the canvas waits for, and at 1,000 nodes each parse of the YAML costs hundreds of ms). Counted, never timed (a
 * count does not depend on how busy the machine is), twice over: every run of the yaml package's parser on a text
 * the size of a design, whoever calls it, and the shared parse's own count (src/document/read-yaml.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'yaml';
import { generateDesign } from '../../bench/designs.js';
import { parseDesign } from '../../src/document/parse.js';
import { yamlReads } from '../../src/document/read-yaml.js';
import { DesignerSession } from '../../src/extension/designer/session.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { analyze } from '../../src/validation/analyze.js';
import { FakeDocument, FakeHost } from './fakes.js';

/** Texts the yaml package's parser ran on (the editor's scalar probes and the empty document are far shorter). */
let parsed = 0;
const parse = Parser.prototype.parse;
Parser.prototype.parse = function* (this: Parser, source: string, incomplete?: boolean) {
  if (source.length > 2000) parsed++;
  yield* parse.call(this, source, incomplete);
};

/** Parses of design texts so far; both counts agree, or something parsed a design around the shared parse. */
function parses(): number {
  assert.equal(yamlReads().parses, parsed, 'every parse of a design goes through src/document/read-yaml.ts');
  return parsed;
}

async function drawn(text: string) {
  const document = new FakeDocument(text);
  const host = new FakeHost(document);
  const session = new DesignerSession(document, host);
  await session.handle({ type: 'ready' });
  assert.equal(host.states().length, 1, 'the designer drew the design');
  host.posted.length = 0;
  return { document, host, session };
}

test('an intent on a 1,000-node design parses the text once; the shape, the analysis and the next intent reuse that parse', async () => {
  const original = generateDesign(1000).text;
  const { document, host, session } = await drawn(original);
  const apim = parseDesign(original).design!.nodes.find((n) => n.id === 'apim-0000');
  assert.ok(apim, 'the generated design has the node the intent moves');

  const before = parses();
  await session.handle({ type: 'edit', baseVersion: document.version, seq: 1, label: 'Move API Management', operations: [{ op: 'moveNode', id: 'apim-0000', position: { x: 4321, y: 1234 } }] });
  assert.equal(parses() - before, 1, 'the edited text is parsed once: the text the intent was made on was parsed when it was drawn');
  assert.equal(document.undoStack.length, 1, 'one undo step');
  // Minimal edits: the two numbers of the node's layout line, nothing else.
  const replacements = document.undoStack[0]!.replacements;
  assert.deepEqual(
    replacements.map((r) => r.text),
    ['4321', '1234'],
  );
  const line = replacements[0]!.start.line;
  assert.ok(replacements.every((r) => r.start.line === line && r.end.line === line));
  assert.match(document.getText().split('\n')[line]!, /^ {2}apim-0000: \{ x: 4321, y: 1234 \}$/);

  const [shape, ...others] = host.states();
  assert.ok(shape, 'the shape was sent');
  assert.equal(others.length, 0, 'the shape goes out before the findings');
  assert.equal(shape.findingsPending, true);
  assert.equal(shape.ack, 1);
  assert.equal(shape.version, document.version);
  assert.deepEqual(shape.design?.layout?.['apim-0000'], { x: 4321, y: 1234 });
  assert.equal(shape.design?.nodes.length, 1000);
  // What the webview checks on arrival: the whole message against the shared schema.
  assert.equal(HostMessageSchema.safeParse(shape).success, true);

  // The analysis of the edited text (the findings that follow the shape) reads the same parse.
  const analysis = analyze(document.getText());
  assert.equal(await session.analyzed(analysis), true);
  assert.equal(parses() - before, 1, 'the analysis parsed nothing again');
  const full = host.states().at(-1)!;
  assert.equal(full.findingsPending, undefined);
  assert.equal(full.ack, 1);
  assert.deepEqual(full.findings, analysis.findings);

  // The next intent starts from the parse of the text it is made on, and parses only its own result.
  await session.handle({ type: 'edit', baseVersion: document.version, seq: 2, label: 'Add Key Vault', operations: [{ op: 'addNode', node: { id: 'kv-extra', type: 'keyVault' }, position: { x: 10, y: 20 } }] });
  assert.equal(parses() - before, 2, 'one parse per intent');
  const added = host.states().at(-1)!;
  assert.equal(added.ack, 2);
  assert.equal(added.design?.nodes.length, 1001);
  assert.ok(added.design?.nodes.some((n) => n.id === 'kv-extra'));
});

test('after the text was typed in (not parsed on this thread), an intent parses that text and its result: two parses', async () => {
  const { document, host, session } = await drawn(generateDesign(200).text);
  // Typed in the text editor: a large design is analysed in the worker, so the host has not parsed this text.
  document.type(`${document.getText()}# typed\n`);
  const before = parses();
  await session.handle({ type: 'edit', baseVersion: document.version, seq: 1, operations: [{ op: 'moveNode', id: 'apim-0000', position: { x: 1, y: 2 } }] });
  assert.equal(parses() - before, 2);
  assert.ok(document.getText().endsWith('# typed\n'), 'the typed comment is kept');
  assert.deepEqual(host.states().at(-1)?.design?.layout?.['apim-0000'], { x: 1, y: 2 });
});

test('a refused intent parses nothing when the text it was made on was parsed already', async () => {
  const { document, host, session } = await drawn(generateDesign(100).text);
  const text = document.getText();
  const before = parses();
  await session.handle({ type: 'edit', baseVersion: document.version, seq: 1, operations: [{ op: 'moveNode', id: 'no-such-node', position: { x: 1, y: 2 } }] });
  assert.equal(parses() - before, 0);
  assert.equal(document.getText(), text, 'nothing was changed');
  assert.deepEqual(
    host.posted.map((m) => m.type),
    ['refused', 'state'],
  );
});
