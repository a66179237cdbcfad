/**
 * Debian's chromium driven by playwright-core (never `npx playwright install`: browsers cannot be downloaded
 * here), for the browser tests, the end-to-end tests and the canvas benchmark. Install it with
 * `bash scripts/e2e-setup.sh` (or `apt-get install chromium`).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';

/** Where chromium is: $CHROMIUM_PATH, else Debian's /usr/bin/chromium; undefined when absent. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

/** Why the browser tests cannot run here, or undefined when they can (for `test(..., { skip })`). */
export function chromiumMissing(): string | undefined {
  return chromiumPath() ? undefined : 'chromium is not installed (bash scripts/e2e-setup.sh, or apt-get install chromium)';
}

/** The flags that keep a headless chromium quiet and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(chromiumMissing());
  return chromium.launch({
    executablePath,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/**
 * A new browser context whose pages accept functions from TypeScript run through tsx: esbuild (keepNames) wraps
 * named functions in a `__name(fn, "name")` call, which does not exist in the page where page.evaluate() sends
 * the function's text. The init script defines it as the identity.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
  return context;
}

export interface PollOptions {
  /** Milliseconds before giving up (default 15 s: the machines have 2 cores and run two test files at once). */
  readonly timeout?: number;
  /** Milliseconds between tries (default 100). */
  readonly interval?: number;
  /** What was awaited, for the error message. */
  readonly message?: string;
}

/**
 * Calls `probe` until it returns something other than undefined, null or false, and returns that; a probe that
 * throws counts as not yet. Times out with the last value or error seen, so that a failure says what was there.
 */
export async function poll<T>(probe: () => T | Promise<T>, options: PollOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const { timeout = 15_000, interval = 100, message = 'condition' } = options;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${message} (last seen: ${seen})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Waits (up to 5 s) until the page draws 10 frames in a row without a long one (each under 25 ms): whatever the last
 * change set off (a render's aftermath, fitView, resize observers, the minimap) is over, as it is when a user makes
 * the next gesture. Used by the canvas benchmark and the latency measurements before each sample.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const deadline = performance.now() + 5_000;
        let last = performance.now();
        let calm = 0;
        const frame = () => {
          const now = performance.now();
          calm = now - last < 25 ? calm + 1 : 0;
          last = now;
          if (calm >= 10 || now > deadline) resolve();
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}
