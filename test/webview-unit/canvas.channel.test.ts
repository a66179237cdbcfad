import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChannel, type MessageSource } from '../../src/webview/channel.js';
import type { HostMessage } from '../../src/schemas/messages.js';

function fakes() {
  const posted: unknown[] = [];
  let listener: ((e: { data: unknown }) => void) | undefined;
  const source: MessageSource = {
    addEventListener: (_t, l) => {
      listener = l;
    },
    removeEventListener: () => {
      listener = undefined;
    },
  };
  const logs: string[] = [];
  const channel = createChannel({ postMessage: (m) => posted.push(m) }, source, (t) => logs.push(t));
  return { channel, posted, logs, deliver: (data: unknown) => listener?.({ data }) };
}

const REVEAL: HostMessage = { type: 'reveal', target: { kind: 'node', id: 'apim' } };

test('valid host messages reach the subscribers; messages before the first subscriber are kept', () => {
  const { channel, deliver } = fakes();
  deliver(REVEAL);
  const got: HostMessage[] = [];
  const off = channel.subscribe((m) => got.push(m));
  assert.deepEqual(got, [REVEAL], 'the early message is delivered on subscribe');
  deliver({ type: 'exportRequest', requestId: 'r', format: 'svg' });
  assert.equal(got.length, 2);
  off();
  deliver(REVEAL);
  assert.equal(got.length, 2);
});

test('an invalid host message is dropped and reported to the host as an error', () => {
  const { channel, deliver, posted, logs } = fakes();
  const got: HostMessage[] = [];
  channel.subscribe((m) => got.push(m));
  deliver({ type: 'reveal', target: { kind: 'node' } });
  deliver('hello');
  assert.equal(got.length, 0);
  assert.equal(posted.length, 2);
  assert.deepEqual((posted as { type: string }[]).map((m) => m.type), ['error', 'error']);
  assert.match((posted[0] as { message: string }).message, /dropped an invalid host message \(reveal\)/);
  assert.equal(logs.length, 2);
});

test('outgoing messages are checked: a valid one is posted, an invalid one becomes an error', () => {
  const { channel, posted } = fakes();
  channel.post({ type: 'ready' });
  channel.post({ type: 'edit', baseVersion: 1, operations: [{ op: 'deleteNode', id: 'apim' }], label: 'Delete' });
  channel.post({ type: 'edit', baseVersion: 1, operations: [], label: 'nothing' });
  assert.deepEqual((posted as { type: string }[]).map((m) => m.type), ['ready', 'edit', 'error']);
  assert.match((posted[2] as { message: string }).message, /refusing to post an invalid edit message/);
});
