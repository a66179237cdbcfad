/**
 * The message channel between the designer webview and its host.
 *
 * In VS Code the host is the extension: the webview posts with `acquireVsCodeApi().postMessage(msg)` and
 * receives `message` events on `window`. Every incoming message is checked with HostMessageSchema.safeParse;
 * an invalid one is dropped, logged to the console and reported back to the host as an `error` message.
 * Every outgoing message is checked with WebviewMessageSchema before it is posted (a bug in the webview then
 * shows up as an `error` message instead of a message the host would reject).
 *
 * Testing outside VS Code (the Playwright browser tests and the benchmark page): serve dist/webview.js and
 * dist/webview.css in a page with a `<div id="root"></div>` and, BEFORE the script, define a fake host:
 *
 *   <script>
 *     window.posted = [];
 *     window.acquireVsCodeApi = () => ({
 *       postMessage: (m) => window.posted.push(m),
 *       getState: () => undefined,
 *       setState: () => {},
 *     });
 *   </script>
 *   <script src="webview.js"></script>
 *
 * The webview posts `{ type: 'ready' }` once it listens; the test then sends host messages with
 * `window.dispatchEvent(new MessageEvent('message', { data: { type: 'state', ... } }))` and reads what the
 * canvas asked for in `window.posted` (edits arrive as `{ type: 'edit', baseVersion, operations, label }`).
 * Unit tests inject their own `HostApi` and `MessageSource` through `createChannel`.
 */
import { HostMessageSchema, WebviewMessageSchema, type HostMessage, type WebviewMessage } from '../schemas/messages.js';
import { describeIssues } from '../schemas/issues.js';

/** The part of VS Code's webview API the canvas uses. */
export interface HostApi {
  postMessage(message: unknown): void;
  getState?(): unknown;
  setState?(state: unknown): void;
}

/** Where host messages come from (the window in a webview). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface Channel {
  /** Posts a message to the host (after checking it against the schema). */
  post(message: WebviewMessage): void;
  /** Calls `handler` for every valid host message; returns a function that stops listening. */
  subscribe(handler: (message: HostMessage) => void): () => void;
  /** Webview state kept by VS Code while the panel is hidden (viewport, open tab), if the host API supports it. */
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  /** Defined by VS Code in a webview, once per page (a second call throws). */
  function acquireVsCodeApi(): HostApi;
}

export function createChannel(api: HostApi, source: MessageSource, log: (text: string) => void = (t) => console.warn(t)): Channel {
  const handlers = new Set<(message: HostMessage) => void>();
  // Messages that arrive before anyone listens are kept (a bounded few) and delivered to the first subscriber.
  let early: HostMessage[] = [];

  const post = (message: WebviewMessage): void => {
    const checked = WebviewMessageSchema.safeParse(message);
    if (checked.success) {
      api.postMessage(checked.data);
      return;
    }
    const text = `webview: refusing to post an invalid ${String((message as { type?: unknown }).type)} message: ${describeIssues(checked.error.issues)}`;
    log(text);
    api.postMessage({ type: 'error', message: text.slice(0, 10_000) });
  };

  const listener = (event: { data: unknown }): void => {
    const parsed = HostMessageSchema.safeParse(event.data);
    if (!parsed.success) {
      const kind = typeof event.data === 'object' && event.data !== null ? String((event.data as { type?: unknown }).type) : typeof event.data;
      const text = `webview: dropped an invalid host message (${kind}): ${describeIssues(parsed.error.issues)}`;
      log(text);
      api.postMessage({ type: 'error', message: text.slice(0, 10_000) });
      return;
    }
    if (handlers.size === 0) {
      early.push(parsed.data);
      if (early.length > 20) early = early.slice(-20);
      return;
    }
    for (const handler of handlers) handler(parsed.data);
  };
  source.addEventListener('message', listener);

  return {
    post,
    subscribe(handler) {
      handlers.add(handler);
      const pending = early;
      early = [];
      for (const message of pending) handler(message);
      return () => {
        handlers.delete(handler);
      };
    },
    getState: () => api.getState?.(),
    setState: (state) => api.setState?.(state),
  };
}

/** The channel of the page this bundle runs in: VS Code's API, or a page's fake `acquireVsCodeApi`. */
export function connectToHost(): Channel {
  const api: HostApi =
    typeof acquireVsCodeApi === 'function'
      ? acquireVsCodeApi()
      : { postMessage: (m) => console.info('webview -> host (no host):', m) };
  return createChannel(api, window as unknown as MessageSource);
}
