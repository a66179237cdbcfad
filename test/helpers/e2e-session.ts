/**
 * The lifecycle every end-to-end file shares (test/e2e/*.test.ts, run in code-server: ./code-server.ts). Called
 * inside a `describe`, e2eSession() registers its hooks: before the tests it starts the server (code-server with the
 * packaged extension by default, or what `start` starts) and chromium side by side; after them it closes chromium,
 * stops the server and runs the clean-ups `start` deferred (last deferred first), every one of them even when
 * another fails or the start itself failed half way. Each test then runs in its own page on the workbench:
 *
 *   const e2e = e2eSession();
 *   test('…', async () => {
 *     const folder = e2e.server.workspace({ [DESIGN]: text });
 *     await e2e.inWorkbench({ folder, failure: 'some-failure' }, async (page) => { … });
 *   });
 *
 * A test that fails leaves .e2e/<failure>.png (what the page showed) and the page's browser context is closed
 * either way.
 */
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { failureShot, newWorkbenchContext, showWorkbench, startCodeServer, workbenchUrl, type CodeServer } from './code-server.js';

/** What serves the workbench: code-server as startCodeServer() starts it, or `npm start` (test/e2e/first-visit.test.ts). */
export interface WorkbenchServer {
  readonly url: string;
  /** Stops the server and removes what it wrote; called once, after the tests. */
  stop(): Promise<void>;
}

/** Registers a clean-up to run after the tests, once the browser is closed and the server stopped. */
export type Defer = (cleanup: () => unknown) => void;

export interface E2eSessionOptions<S extends WorkbenchServer> {
  /** Starts the server, and what it needs first (a test Resource Manager, a proxy), registering their clean-ups with
   * `defer`. Default: startCodeServer(). */
  readonly start?: (defer: Defer) => Promise<S>;
  /**
   * What a failed test reports besides its screenshot (the extension's logs, what a test server saw), after the
   * screenshot; an error it returns is thrown instead of the test's own (to add what the server printed to it).
   */
  readonly report?: (server: S, error: unknown) => unknown;
}

export interface E2eSession<S extends WorkbenchServer> {
  /** The server the before hook started (throws when read before that, or when it did not start). */
  readonly server: S;
  /** The browser the before hook launched. */
  readonly browser: Browser;
  /**
   * Runs `body` with a new page (a browser context of its own) showing the workbench, on `folder` when given, else
   * at the server's address as it is. When the workbench does not come up or `body` fails: a screenshot
   * .e2e/<failure>.png, the report, then the error. The context is closed either way.
   */
  inWorkbench<T>(where: { readonly folder?: string; readonly failure: string }, body: (page: Page) => Promise<T>): Promise<T>;
}

export function e2eSession<S extends WorkbenchServer = CodeServer>(options: E2eSessionOptions<S> = {}): E2eSession<S> {
  // Without `start`, S is its default, CodeServer.
  const start = options.start ?? ((() => startCodeServer()) as unknown as (defer: Defer) => Promise<S>);
  let server: S | undefined;
  let browser: Browser | undefined;
  const cleanups: (() => unknown)[] = [];

  before(async () => {
    const [started, launched] = await Promise.allSettled([start((cleanup) => cleanups.push(cleanup)), launchChromium()]);
    // Kept even when the other failed, so that the after hook closes it.
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  after(async () => {
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    await attempt(() => browser?.close());
    await attempt(() => server?.stop());
    for (const cleanup of cleanups.reverse()) await attempt(cleanup);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'the end-to-end session did not close cleanly');
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the end-to-end session has no ${what}: its before hook has not run or failed`);
    return value;
  };

  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async inWorkbench(where, body) {
      const url = where.folder === undefined ? started(server, 'server').url : workbenchUrl(started(server, 'server'), where.folder);
      const context = await newWorkbenchContext(started(browser, 'browser'));
      try {
        const page = await context.newPage();
        try {
          await showWorkbench(page, url);
          return await body(page);
        } catch (error) {
          await failureShot(page, where.failure);
          const instead = await options.report?.(started(server, 'server'), error);
          throw instead instanceof Error ? instead : error;
        }
      } finally {
        await context.close();
      }
    },
  };
}
