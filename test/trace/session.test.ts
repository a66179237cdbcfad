/**
 * The designer session's part in a trace: a `trace` request from the webview reaches the host, whose answer is drawn
 * (and drawn again after the webview reloads, until a trace without paths clears it); an evidence click reaches the
 * host as it was sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DesignerSession, type TraceEvidence, type TraceTarget } from '../../src/extension/designer/session.js';
import { traceMessage, type TraceMessage } from '../../src/extension/designer/trace-overlay.js';
import { generate } from '../../src/generators/generate.js';
import { traceRequests } from '../../src/trace/trace.js';
import { REFERENCE } from '../helpers/reference.js';
import { FakeDocument, FakeHost } from '../extension/fakes.js';

class TracingHost extends FakeHost {
  readonly targets: TraceTarget[] = [];
  readonly opened: TraceEvidence[] = [];
  answer: ((target: TraceTarget) => TraceMessage) | undefined;

  async trace(target: TraceTarget): Promise<TraceMessage> {
    this.targets.push(target);
    if (this.answer) return this.answer(target);
    const design = this.currentAnalysis().design!;
    return traceMessage(traceRequests({ files: generate(design).files, design }, target.kind === 'api' ? { api: target.api } : {}), target);
  }

  async openEvidence(evidence: TraceEvidence): Promise<void> {
    this.opened.push(evidence);
  }
}

async function ready() {
  const document = new FakeDocument(REFERENCE);
  const host = new TracingHost(document);
  const session = new DesignerSession(document, host);
  await session.handle({ type: 'ready' });
  return { host, session };
}

test('a trace request is traced by the host and drawn; a reload draws it again; an empty trace clears it', async () => {
  const { host, session } = await ready();
  host.posted.length = 0;
  await session.handle({ type: 'trace', target: { kind: 'api', node: 'apim', api: 'orders' } });
  assert.deepEqual(host.targets, [{ kind: 'api', node: 'apim', api: 'orders' }]);
  const drawn = host.posted.filter((m) => m.type === 'trace');
  assert.equal(drawn.length, 1);
  assert.deepEqual(
    (drawn[0] as TraceMessage).paths.map((p) => p.api),
    ['orders'],
  );
  host.posted.length = 0;
  await session.handle({ type: 'ready' });
  assert.equal(host.posted.filter((m) => m.type === 'trace').length, 1, 'drawn again after a reload');
  host.answer = (target) => ({ type: 'trace', target, verdict: 'pass', notes: [], paths: [] });
  await session.handle({ type: 'trace', target: { kind: 'internet', node: 'internet' } });
  host.posted.length = 0;
  await session.handle({ type: 'ready' });
  assert.equal(host.posted.filter((m) => m.type === 'trace').length, 0, 'cleared: not drawn again');
});

test('an evidence click reaches the host; a malformed one is dropped', async () => {
  const { host, session } = await ready();
  const evidence = { file: 'infra/main.json', line: 12, column: 3, value: 'Prevention' };
  await session.handle({ type: 'openEvidence', evidence });
  await session.handle({ type: 'openEvidence', evidence: { file: 'infra/main.json', line: -1, column: 3, value: 'x' } });
  assert.deepEqual(host.opened, [evidence]);
});
