/**
 * The designer webview in headless chromium with a fake host channel, for the browser tests and the canvas
 * benchmark. The page (test/browser/fixture.html) and the bundle (dist/webview.js, dist/webview.css, built by
 * `node scripts/build.mjs`) are served from disk through Playwright's request routing under a made-up origin, so
 * no server or port is needed.
 *
 * FakeHost plays the extension's part with the project's own core, as the real host does: it holds the design
 * text, answers an `edit` by applying its operations with src/document/edits (applyOperations) and sends the new
 * `state` built by the host's own stateMessage() from analyze(). Nothing of the webview is stubbed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { applyOperations } from '../../src/document/edits/index.js';
import { stateMessage, type StateMessage } from '../../src/extension/designer/state.js';
import type { Design } from '../../src/schemas/design.js';
import type { HostMessage, WebviewMessage } from '../../src/schemas/messages.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { analyze } from '../../src/validation/analyze.js';
import { newContext, poll } from './chromium.js';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const ORIGIN = 'http://designer.gatewright.test';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Why the webview cannot be tested here, or undefined. */
export function webviewBundleMissing(): string | undefined {
  return existsSync(join(ROOT, 'dist', 'webview.js')) ? undefined : 'dist/webview.js is not built (node scripts/build.mjs)';
}

/**
 * Serves `files` (URL path -> absolute file) under ORIGIN for this context; anything else under ORIGIN is a 404 and
 * any request to another origin is refused, so a page that tried to load something remote would fail visibly.
 */
export async function serveFiles(context: BrowserContext, files: Record<string, string>): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    const file = files[url.pathname] ?? resolveStatic(url.pathname);
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: `not found: ${url.pathname}` });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: read(file) });
  });
}

/** File contents, read once per change (the development bundle is large and every test loads it). */
const cache = new Map<string, { mtime: number; body: Buffer }>();
function read(file: string): Buffer {
  const mtime = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.body;
  const body = readFileSync(file);
  cache.set(file, { mtime, body });
  return body;
}

/** /media/... and /dist/... map to the project's folders (the webview's own resources), nothing else. */
function resolveStatic(pathname: string): string | undefined {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^\/+/, '');
  if (!/^(media|dist)\//.test(rel) || rel.includes('..')) return undefined;
  return join(ROOT, rel);
}

export interface DesignerPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and page errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens the test page with the webview bundle; resolves when the webview has posted `ready`. */
export async function openDesignerPage(
  browser: Browser,
  options: { theme?: 'light' | 'dark' | 'high-contrast'; viewport?: { width: number; height: number } } = {},
): Promise<DesignerPage> {
  const context = await newContext(browser, { viewport: options.viewport ?? { width: 1400, height: 900 } });
  await serveFiles(context, {
    '/': join(ROOT, 'test', 'browser', 'fixture.html'),
    '/webview.js': join(ROOT, 'dist', 'webview.js'),
    '/webview.css': join(ROOT, 'dist', 'webview.css'),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // 60 s: with the whole browser folder running beside it on two cores, a load has taken over 30 s.
  await page.goto(`${ORIGIN}/?theme=${options.theme ?? 'light'}`, { timeout: 60_000 });
  await poll(() => posted(page).then((all) => all.some((m) => m.type === 'ready')), { timeout: 15_000, message: 'the webview to post ready' });
  return { page, context, errors, close: () => context.close() };
}

/** Every message the webview has posted so far, in order. */
export function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (window as unknown as { posted: WebviewMessage[] }).posted);
}

/** Sends a host message to the webview, as VS Code delivers one (a MessageEvent on window). */
export async function sendToWebview(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
}

type EditMessage = Extract<WebviewMessage, { type: 'edit' }>;

/** The extension's part, played with the project's core (see the top of this file). */
export class FakeHost {
  text: string;
  version = 1;
  /** How many of the page's posted messages have been looked at by nextEdit(). */
  private seen = 0;
  /**
   * The `seq` of the last edit nextEdit() returned: the states sent after it acknowledge it (`ack`), as the
   * extension's session does once it has carried the edit out. Undefined until an edit was taken.
   */
  answered: number | undefined;

  constructor(
    readonly page: Page,
    text: string,
    readonly fileName = '/workspace/payments.gatewright.yaml',
  ) {
    this.text = text;
  }

  state(): StateMessage {
    const state = stateMessage(analyze(this.text, { now: new Date('2026-01-01T00:00:00Z') }), this.version, this.fileName);
    return this.answered === undefined ? state : { ...state, ack: this.answered };
  }

  /** Sends the current state. */
  async send(): Promise<StateMessage> {
    const state = this.state();
    await sendToWebview(this.page, state);
    return state;
  }

  /** Every message posted since the last call to nextEdit/skip (without consuming them). */
  async pending(): Promise<WebviewMessage[]> {
    return (await posted(this.page)).slice(this.seen);
  }

  /** Forgets what was posted so far (so that the next edit awaited is a new one). */
  async skip(): Promise<void> {
    this.seen = (await posted(this.page)).length;
  }

  /** Waits for the next `edit` message posted after the last one consumed. */
  async nextEdit(options: { timeout?: number; message?: string } = {}): Promise<EditMessage> {
    return poll(async () => {
      const all = await posted(this.page);
      for (let i = this.seen; i < all.length; i++) {
        const m = all[i]!;
        if (m.type === 'edit') {
          this.seen = i + 1;
          if (m.seq !== undefined) this.answered = m.seq;
          return m;
        }
      }
      return undefined;
    }, { timeout: options.timeout ?? 15_000, message: options.message ?? 'an edit from the webview' });
  }

  /** Applies operations as the host does (one edit of the text) and sends the new state. */
  async apply(operations: readonly EditOperation[]): Promise<StateMessage> {
    const result = applyOperations(this.text, operations);
    if (!result.ok) throw new Error(`the core refused operation ${result.index}: ${result.error}`);
    this.text = result.text;
    this.version++;
    return this.send();
  }

  /** Replaces the text (as if typed in the text editor) and sends the new state. */
  async setText(text: string): Promise<StateMessage> {
    this.text = text;
    this.version++;
    return this.send();
  }
}

/**
 * Design nodes drawn: React Flow nodes of the design's ids (the virtual network, its subnets and private endpoints
 * are drawn as containers around them; subnets and endpoints are not design nodes).
 */
export function designNodesDrawn(page: Page): Promise<number> {
  return page.locator('.react-flow__node:not([data-id^="subnet:"]):not([data-id^="pe:"]):not([data-id^="vnet:"])').count();
}

/** The fake host sends `text` to the designer on `page`; resolves once every node of the design is drawn. */
export async function showDesign(page: Page, text: string): Promise<{ host: FakeHost; design: Design }> {
  const host = new FakeHost(page, text);
  const design = (await host.send()).design!;
  await poll(async () => (await designNodesDrawn(page)) === design.nodes.length, { message: 'the design drawn' });
  return { host, design };
}
