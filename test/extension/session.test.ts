/**
 * The designer's message handling, driven with a fake webview and document: every message checked, intents
 * turned into one edit each, state sent on ready and after each analysis, exports answered by request id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DesignerSession } from '../../src/extension/designer/session.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { analyze } from '../../src/validation/analyze.js';
import { parseDesign } from '../../src/document/parse.js';
import { REFERENCE } from '../helpers/reference.js';
import { FakeDocument, FakeHost, offsetAt } from './fakes.js';

function open(text = REFERENCE) {
  const document = new FakeDocument(text);
  const host = new FakeHost(document);
  const session = new DesignerSession(document, host);
  return { document, host, session };
}

async function ready(text?: string) {
  const s = open(text);
  await s.session.handle({ type: 'ready' });
  return s;
}

test('ready: the state of the current text is sent, valid against the shared schema', async () => {
  const { host, session } = await ready();
  assert.equal(session.ready, true);
  const [state] = host.states();
  assert.ok(state);
  assert.equal(HostMessageSchema.safeParse(state).success, true);
  assert.equal(state.version, 1);
  assert.equal(state.fileName, '/work/space/payments.gatewright.yaml');
  assert.equal(state.syntaxError, false);
  assert.ok(state.design);
  assert.ok(state.design.nodes.some((n) => n.id === 'apim'));
  assert.deepEqual(state.design.layout?.apim, { x: 525, y: 274 });
  assert.deepEqual(state.findings, analyze(REFERENCE).findings);
});

test('invalid messages are logged and dropped: nothing is sent, nothing is edited', async () => {
  const { document, host, session } = await ready();
  host.posted.length = 0;
  const bad: unknown[] = [
    null,
    'ready',
    42,
    [],
    {},
    { type: 'nonsense' },
    { type: 'ready', extra: true },
    { type: 'edit', baseVersion: 1, operations: [] },
    { type: 'edit', baseVersion: 1, operations: [{ op: 'deleteEverything' }] },
    { type: 'edit', baseVersion: '1', operations: [{ op: 'deleteNode', id: 'apim' }] },
    { type: 'revealInText', path: [{}] },
    { type: 'command', command: 'rm -rf /' },
    { type: 'exportResult', requestId: 'x', format: 'gif', data: '' },
    { type: 'error' },
  ];
  for (const message of bad) await session.handle(message);
  assert.equal(host.posted.length, 0);
  assert.equal(document.version, 1);
  assert.equal(document.getText(), REFERENCE);
  assert.equal(host.commands.length, 0);
  const warnings = host.logs.filter((l) => l.level === 'warn');
  assert.equal(warnings.length, bad.length);
  assert.match(warnings[5]!.message, /invalid message from the designer \(type "nonsense"\)/);
  assert.match(warnings[8]!.message, /operations\.0/);
});

test('the log of an invalid message names its type and issues but never echoes the payload', async () => {
  const { host, session } = await ready();
  await session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'setProperty', target: { kind: 'node' }, path: ['x'], value: 'SECRET-PAYLOAD' }] });
  const warning = host.logs.find((l) => l.level === 'warn');
  assert.ok(warning);
  assert.doesNotMatch(warning.message, /SECRET-PAYLOAD/);
});

test('edit: one intent is one workspace edit (one undo step) that keeps every comment', async () => {
  const { document, host, session } = await ready();
  await session.handle({
    type: 'edit',
    baseVersion: 1,
    label: 'Add Container Registry',
    operations: [{ op: 'addNode', node: { id: 'acr2', type: 'containerRegistry' }, position: { x: 10, y: 20 } }],
  });
  assert.equal(document.undoStack.length, 1);
  assert.equal(document.version, 2);
  const text = document.getText();
  assert.match(text, /- id: acr2\n\s+type: containerRegistry/);
  assert.match(text, /acr2: \{ x: 10, y: 20 \}/);
  for (const comment of REFERENCE.split('\n').filter((l) => l.trimStart().startsWith('#'))) assert.ok(text.includes(comment), comment);
  assert.equal(host.errors.length, 0);
  assert.ok(host.logs.some((l) => l.level === 'info' && /Add Container Registry/.test(l.message)));
  document.undo();
  assert.equal(document.getText(), REFERENCE);
});

test('edit: several operations of one intent (delete a node with its edges and layout) are still one step', async () => {
  const { document, session } = await ready();
  await session.handle({
    type: 'edit',
    baseVersion: 1,
    operations: [
      { op: 'deleteNode', id: 'bastion' },
      { op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'sku'], value: 'Premium' },
    ],
  });
  assert.equal(document.undoStack.length, 1);
  const design = parseDesign(document.getText()).design!;
  assert.equal(design.nodes.some((n) => n.id === 'bastion'), false);
  assert.equal(design.layout?.bastion, undefined);
  const apim = design.nodes.find((n) => n.id === 'apim');
  assert.equal(apim?.type === 'apiManagement' && apim.properties.sku, 'Premium');
});

test('edit: a refused operation shows the error, changes nothing and re-sends the state', async () => {
  const { document, host, session } = await ready();
  const before = host.states().length;
  await session.handle({ type: 'edit', baseVersion: 1, label: 'Delete ghost', operations: [{ op: 'deleteNode', id: 'ghost' }] });
  assert.equal(document.version, 1);
  assert.equal(host.errors.length, 1);
  assert.match(host.errors[0]!, /^Gatewright: could not delete ghost: .*ghost/);
  assert.ok(host.logs.some((l) => l.level === 'warn' && /operation 1 of 1/.test(l.message)));
  assert.equal(host.states().length, before + 1);
});

test('edit: when VS Code refuses the workspace edit, the error is shown and the state re-sent', async () => {
  const { document, host, session } = await ready();
  host.accepting = false;
  await session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } }] });
  assert.equal(document.getText(), REFERENCE);
  assert.equal(host.errors.length, 1);
  assert.match(host.errors[0]!, /did not apply/);
  assert.equal(host.states().length, 2);
});

test('edit: an operation that changes nothing writes nothing', async () => {
  const { document, host, session } = await ready();
  await session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'moveNode', id: 'apim', position: { x: 525, y: 274 } }] });
  assert.equal(document.undoStack.length, 0);
  assert.equal(host.errors.length, 0);
});

test('edits sent in a burst are applied in order, each on the text the previous one left', async () => {
  const { document, session } = await ready();
  const first = session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'addNode', node: { id: 'acr2', type: 'containerRegistry' } }] });
  const second = session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'renameNode', id: 'acr2', newId: 'registry2' }] });
  const third = session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'moveNode', id: 'registry2', position: { x: 5, y: 6 } }] });
  await Promise.all([first, second, third]);
  assert.equal(document.undoStack.length, 3);
  const design = parseDesign(document.getText()).design!;
  assert.ok(design.nodes.some((n) => n.id === 'registry2'));
  assert.deepEqual(design.layout?.registry2, { x: 5, y: 6 });
});

test('an edit on an older version is applied to the current text (operations name ids, not offsets)', async () => {
  const { document, host, session } = await ready();
  document.type(`# typed in the text editor\n${document.getText()}`);
  await session.handle({ type: 'edit', baseVersion: 1, operations: [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 1 } }] });
  assert.match(document.getText(), /^# typed in the text editor\n/);
  assert.match(document.getText(), /apim: \{ x: 1, y: 1 \}/);
  assert.ok(host.logs.some((l) => l.level === 'debug' && /version 1; applying it to version 2/.test(l.message)));
});

test('a fix from a finding is applied like any edit', async () => {
  const text = REFERENCE.replace('wafMode: Prevention', 'wafMode: Detection');
  const { document, session } = await ready(text);
  const finding = analyze(text).findings.find((f) => f.fix && f.target.id === 'appgw' && /Prevention/.test(f.fix.title + f.message));
  assert.ok(finding?.fix, 'the WAF mode rule offers a fix');
  await session.handle({ type: 'edit', baseVersion: 1, label: finding.fix.title, operations: finding.fix.operations });
  assert.equal(document.getText(), REFERENCE);
});

test('analyses: sent only after ready, and only when they are of the current text', async () => {
  const { document, host, session } = open();
  assert.equal(await session.analyzed(analyze(document.getText())), false, 'not before ready');
  await session.handle({ type: 'ready' });
  assert.equal(host.states().length, 1);
  document.type(document.getText().replace('sku: Developer', 'sku: Premium'));
  assert.equal(await session.analyzed(analyze(REFERENCE)), false, 'stale analysis');
  assert.equal(await session.analyzed(analyze(document.getText())), true);
  const last = host.states().at(-1)!;
  assert.equal(last.version, 2);
  const apim = last.design?.nodes.find((n) => n.id === 'apim');
  assert.equal(apim?.type === 'apiManagement' && apim.properties.sku, 'Premium');
});

test('a syntax error sends no design and flags it; the canvas keeps its drawing', async () => {
  const { host } = await ready('apiVersion: gatewright/v1\nnodes: [\n');
  const [state] = host.states();
  assert.equal(state?.design, null);
  assert.equal(state?.syntaxError, true);
  assert.ok(state?.findings.some((f) => f.ruleId === 'GW001'));
});

test('a schema error sends the partial design with its layout, so nothing is laid out again', async () => {
  const text = REFERENCE.replace('sku: WAF_v2', 'sku: NotASku');
  const { host } = await ready(text);
  const [state] = host.states();
  assert.equal(state?.syntaxError, false);
  assert.ok(state?.design);
  assert.equal(state.design.nodes.some((n) => n.id === 'appgw'), false, 'the broken node is left out');
  assert.ok(state.design.nodes.some((n) => n.id === 'apim'));
  assert.deepEqual(state.design.layout?.apim, { x: 525, y: 274 });
  assert.ok(state.findings.some((f) => f.ruleId === 'GW002' && f.target.id === 'appgw'));
});

test('revealInText: the range of the path in the current text', async () => {
  const { document, host, session } = await ready();
  const apim = parseDesign(REFERENCE).design!.nodes.findIndex((n) => n.id === 'apim');
  await session.handle({ type: 'revealInText', path: ['nodes', apim, 'properties', 'sku'] });
  const range = host.reveals[0];
  assert.ok(range);
  const text = document.getText();
  assert.equal(text.slice(offsetAt(text, range.start), offsetAt(text, range.end)), 'Developer');
  await session.handle({ type: 'revealInText', path: ['nowhere', 3] });
  assert.equal(host.reveals.length, 2);
});

test('command: runs the named command', async () => {
  const { host, session } = await ready();
  for (const command of ['openText', 'generate', 'validate', 'exportDiagram'] as const) await session.handle({ type: 'command', command });
  assert.deepEqual(host.commands, ['openText', 'generate', 'validate', 'exportDiagram']);
});

test('error: a problem in the webview goes to the log', async () => {
  const { host, session } = await ready();
  await session.handle({ type: 'error', message: 'layout failed' });
  assert.ok(host.logs.some((l) => l.level === 'error' && l.message === 'designer webview: layout failed'));
});

test('export: the request goes out with an id and the matching result resolves it', async () => {
  const { host, session } = await ready();
  const pending = session.requestExport('svg', 1000);
  await Promise.resolve();
  const request = host.posted.find((m) => m.type === 'exportRequest');
  assert.ok(request && request.type === 'exportRequest');
  assert.equal(request.format, 'svg');
  await session.handle({ type: 'exportResult', requestId: 'someone-else', format: 'svg', data: '<svg/>' });
  assert.ok(host.logs.some((l) => l.level === 'warn' && /unknown request/.test(l.message)));
  await session.handle({ type: 'exportResult', requestId: request.requestId, format: 'svg', data: '<svg></svg>' });
  assert.equal(await pending, '<svg></svg>');
});

test('export: a result in the wrong format, a timeout, a hidden or closed designer all fail the request', async () => {
  const { host, session } = await ready();
  const wrong = session.requestExport('png', 1000);
  await Promise.resolve();
  const request = host.posted.at(-1)!;
  assert.equal(request.type, 'exportRequest');
  if (request.type !== 'exportRequest') return;
  await session.handle({ type: 'exportResult', requestId: request.requestId, format: 'svg', data: '<svg/>' });
  await assert.rejects(wrong, /sent SVG where PNG was asked for/);

  await assert.rejects(session.requestExport('svg', 20), /did not answer the export request/);

  const hidden = session.requestExport('svg', 1000);
  session.webviewGone();
  await assert.rejects(hidden, /hidden/);
  assert.equal(session.ready, false);
  await assert.rejects(session.requestExport('svg', 1000), /not open yet/);

  await session.handle({ type: 'ready' });
  host.delivering = false;
  await assert.rejects(session.requestExport('svg', 1000), /hidden/);
  host.delivering = true;

  const closed = session.requestExport('svg', 1000);
  session.dispose();
  await assert.rejects(closed, /closed/);
  await session.handle({ type: 'ready' });
  assert.equal(session.ready, false);
});

test('after the webview reloads (hidden, shown again) ready sends the state again', async () => {
  const { host, session } = await ready();
  session.webviewGone();
  await session.handle({ type: 'ready' });
  assert.equal(host.states().length, 2);
});

test('an outgoing message that breaks the schema is not sent', async () => {
  const { host, session } = await ready();
  const before = host.posted.length;
  const sent = await session.post({ type: 'reveal', target: { kind: 'node', id: 7 as unknown as string } });
  assert.equal(sent, false);
  assert.equal(host.posted.length, before);
  assert.ok(host.logs.some((l) => l.level === 'error' && /refusing to send an invalid reveal message/.test(l.message)));
});

// ---------------------------------------------------------------- numbered intents (optimistic canvas)

test('an applied intent is answered at once with the shape of the new text (findings pending) and its seq as ack', async () => {
  const { document, host, session } = await ready();
  host.posted.length = 0;
  await session.handle({ type: 'edit', baseVersion: 1, seq: 1, operations: [{ op: 'addNode', node: { id: 'acr2', type: 'containerRegistry' }, position: { x: 10, y: 20 } }] });
  assert.equal(document.undoStack.length, 1, 'one undo step');
  const [shape, ...more] = host.states();
  assert.ok(shape, 'a state was sent right after the edit');
  assert.equal(more.length, 0);
  assert.equal(HostMessageSchema.safeParse(shape).success, true);
  assert.equal(shape.version, document.version);
  assert.equal(shape.ack, 1);
  assert.equal(shape.findingsPending, true);
  assert.deepEqual(shape.findings, []);
  assert.ok(shape.design?.nodes.some((n) => n.id === 'acr2'));
  assert.deepEqual(shape.design?.layout?.acr2, { x: 10, y: 20 });
  // The analysis of that text follows with the findings, still acknowledging intent 1.
  assert.equal(await session.analyzed(analyze(document.getText())), true);
  const full = host.states().at(-1)!;
  assert.equal(full.ack, 1);
  assert.equal(full.findingsPending, undefined);
  assert.deepEqual(full.findings, analyze(document.getText()).findings);
});

test('a refused intent is answered with refused (seq and reason) before the state that acknowledges it', async () => {
  const { host, session } = await ready();
  host.posted.length = 0;
  await session.handle({ type: 'edit', baseVersion: 1, seq: 4, label: 'Delete ghost', operations: [{ op: 'deleteNode', id: 'ghost' }] });
  const [refused, state] = host.posted;
  assert.equal(refused?.type, 'refused');
  assert.equal(HostMessageSchema.safeParse(refused).success, true);
  assert.ok(refused.type === 'refused');
  assert.equal(refused.seq, 4);
  assert.match(refused.reason, /ghost/);
  assert.equal(state?.type, 'state');
  assert.ok(state.type === 'state');
  assert.equal(state.ack, 4);
  assert.equal(state.findingsPending, undefined, 'the full state (text unchanged)');

  // VS Code refusing the workspace edit is a refusal too.
  host.posted.length = 0;
  host.accepting = false;
  await session.handle({ type: 'edit', baseVersion: 1, seq: 5, operations: [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } }] });
  assert.deepEqual(
    host.posted.map((m) => m.type),
    ['refused', 'state'],
  );
  assert.equal(host.states().at(-1)!.ack, 5);
});

test('an intent that changes nothing is acknowledged; a reloaded webview numbers from 1 again', async () => {
  const { host, session } = await ready();
  await session.handle({ type: 'edit', baseVersion: 1, seq: 7, operations: [{ op: 'moveNode', id: 'apim', position: { x: 460, y: 200 } }] });
  assert.equal(host.states().at(-1)!.ack, 7);
  session.webviewGone();
  await session.handle({ type: 'ready' });
  assert.equal(host.states().at(-1)!.ack, 0, 'the new webview has answered nothing yet');
});
