/**
 * Talking to the host: the status line, sending edit intents (refused while the text does not parse; each one
 * numbered and drawn at once, pending, until the host answers: see canvas/pending.ts), reporting errors, and the
 * messages the host sends (state, refusals, reveal, export requests, overlays).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EditOperation } from '../../schemas/operations.js';
import type { Channel } from '../channel.js';
import type { Store } from '../store.js';
import { errorMessage } from '../../model/error-message.js';

export interface Host {
  /** The status line's text ('' when nothing was said lately). */
  readonly status: string;
  /** Says something in the status line for six seconds. */
  announce(text: string): void;
  /**
   * Asks the host to apply these operations as one edit (one undo step); the canvas draws their effect at once,
   * marked pending until the host's state confirms (or its refusal takes back) the intent.
   */
  send(ops: EditOperation[], label: string): void;
  /** Logs an error and tells the host, which shows it to the user. */
  reportError(what: string, error: unknown): void;
}

export function useHost(channel: Channel, store: Store): Host {
  const [status, setStatus] = useState('');
  const statusTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback((text: string) => {
    setStatus(text);
    clearTimeout(statusTimer.current);
    statusTimer.current = setTimeout(() => setStatus(''), 6000);
  }, []);
  useEffect(() => () => clearTimeout(statusTimer.current), []);

  const send = useCallback(
    (ops: EditOperation[], label: string) => {
      const st = store.getState();
      if (ops.length === 0) return;
      if (st.problem) {
        announce('The text does not parse: fix it before editing on the canvas.');
        return;
      }
      const seq = st.nextSeq;
      const text = label.slice(0, 200);
      store.dispatch({ type: 'intent', seq, ops, label: text });
      // Not numbered when there was nothing to draw it on (no design yet): the host's state answers it.
      const numbered = store.getState().nextSeq > seq;
      channel.post({ type: 'edit', baseVersion: st.version, operations: ops, label: text, ...(numbered ? { seq } : {}) });
    },
    [channel, store, announce],
  );

  const reportError = useCallback(
    (what: string, error: unknown) => {
      const message = `${what}: ${errorMessage(error)}`;
      console.error(message, error);
      channel.post({ type: 'error', message: message.slice(0, 10_000) });
    },
    [channel],
  );

  return { status, announce, send, reportError };
}

export interface HostRequests {
  reveal(target: { kind: 'node' | 'edge' | 'certificate'; id: string }): void;
  exportImage(requestId: string, format: 'svg' | 'png' | 'drawio'): Promise<void>;
}

/** Subscribes to the host's messages and says `ready`; the requests may change on every render. */
export function useHostMessages(channel: Channel, store: Store, requests: HostRequests): void {
  const handlers = useRef(requests);
  handlers.current = requests;
  useEffect(() => {
    const off = channel.subscribe((message) => {
      switch (message.type) {
        case 'state':
          store.dispatch({ type: 'state', message });
          break;
        case 'refused':
          store.dispatch({ type: 'refused', seq: message.seq, reason: message.reason });
          break;
        case 'reveal':
          handlers.current.reveal(message.target);
          break;
        case 'exportRequest':
          void handlers.current.exportImage(message.requestId, message.format);
          break;
        case 'deployment':
          store.dispatch({ type: 'deployment', message });
          break;
        case 'rehearsal':
          store.dispatch({ type: 'rehearsal', message });
          break;
        case 'trace':
          store.dispatch({ type: 'trace', message });
          break;
      }
    });
    channel.post({ type: 'ready' });
    return off;
  }, [channel, store]);
}
