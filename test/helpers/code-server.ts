/**
 * A real VS Code for the end-to-end tests: code-server 4.100.3 (installed in e2e/ by scripts/e2e-setup.sh) with
 * the packaged extension (.e2e/gatewright.vsix, written by scripts/package-vsix.mjs) installed into an isolated
 * extensions folder, all state in a scratch folder (never $HOME), bound to 127.0.0.1 on a free port, driven
 * with playwright-core and Debian's chromium. See shared/notes/e2e-code-server.md for why it is done this way.
 *
 * `npm run test:e2e` installs, packages and runs; under a plain `npm test` the end-to-end tests are skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { TEST_IDS } from '../../src/webview/test-ids.js';
import { chromiumMissing, newContext, poll } from './chromium.js';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const CODE_SERVER = join(ROOT, 'e2e', 'node_modules', '.bin', 'code-server');
export const VSIX = join(ROOT, '.e2e', 'gatewright.vsix');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** The settings that keep the workbench quiet: no start page, no trust prompt, no telemetry, no updates. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
  'chat.disableAIFeatures': true,
};

/** Why the end-to-end tests cannot run here, or undefined when they can (for `describe(..., { skip })`). */
export function e2eSkipReason(): string | undefined {
  if (process.env.GATEWRIGHT_E2E !== '1') return 'end-to-end tests run with `npm run test:e2e` (sets GATEWRIGHT_E2E=1)';
  return chromiumMissing() ?? (existsSync(CODE_SERVER) ? undefined : 'code-server is not installed: bash scripts/e2e-setup.sh') ??
    (existsSync(VSIX) ? undefined : `no ${VSIX}: node scripts/package-vsix.mjs --out .e2e/gatewright.vsix`);
}

/** A free TCP port on 127.0.0.1 (for a server started next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A server process started in its own process group (code-server, or `npm start` with the code-server it starts). */
export interface GroupProcess {
  /** The last 20,000 characters it printed (stdout and stderr), for failure messages. */
  log(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** Ends the whole process group: SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Spawns `command` detached (its own process group, so that stop() ends what it starts too), keeping its output. */
export function spawnGroup(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): GroupProcess {
  const child: ChildProcess = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  return {
    log: () => output,
    exited: () => exited,
    async stop() {
      if (exited || !child.pid) return;
      signal('SIGTERM');
      const ended = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
      if (!ended) {
        signal('SIGKILL');
        await exit;
      }
    },
  };
}

/** Resolves once `url`/healthz answers 200; throws with its output when `server` exits first. */
export async function waitHealthy(url: string, server: GroupProcess, options: { timeout: number; interval: number }): Promise<void> {
  const healthz = new URL('/healthz', url);
  await poll(async () => {
    if (server.exited()) throw new Error(`the server exited:\n${server.log()}`);
    const response = await fetch(healthz);
    return response.status === 200;
  }, { ...options, message: String(healthz) });
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  /** The scratch folder holding user data, extensions, config and the workspaces. */
  readonly scratch: string;
  /** What code-server printed, for failure messages. */
  log(): string;
  /** A fresh workspace folder named `name` (what the window title shows) with these files (relative path -> text)
   * and these workspace settings. */
  workspace(files?: Record<string, string>, settings?: Record<string, unknown>, name?: string): string;
  /** Kills code-server's whole process group and removes the scratch folder. */
  stop(): Promise<void>;
}

/** Starts code-server with the packaged extension installed; resolves once /healthz answers 200. */
export async function startCodeServer(
  options: {
    settings?: Record<string, unknown>;
    env?: Record<string, string>;
    /** A ~/.profile: VS Code gives the extension host the environment of the user's login shell, so a PATH set only
     * in code-server's own environment does not reach it; one set here does (as a user's profile would). */
    profile?: string;
  } = {},
): Promise<CodeServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'gatewright-e2e-'));
  const dirs = {
    userData: join(scratch, 'user-data'),
    extensions: join(scratch, 'extensions'),
    xdgConfig: join(scratch, 'xdg-config'),
    xdgData: join(scratch, 'xdg-data'),
    workspaces: join(scratch, 'workspaces'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  if (options.profile) writeFileSync(join(scratch, '.profile'), options.profile);
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
  const env = {
    ...process.env,
    HOME: scratch,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    VSCODE_CLI_DISABLE_KEYCHAIN_ENCRYPT: '1',
    // What a test adds (a PATH with a stand-in az, NODE_EXTRA_CA_CERTS for a test server): the extension host inherits it.
    ...options.env,
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const install = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`code-server --install-extension failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const child = spawnGroup(
    CODE_SERVER,
    [
      ...common,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
    ],
    { env },
  );

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const server: CodeServer = {
    url,
    port,
    scratch,
    log: () => child.log(),
    workspace(files = {}, settings = {}, name = 'workspace') {
      const dir = join(mkdtempSync(join(dirs.workspaces, 'ws-')), name);
      mkdirSync(dir);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      mkdirSync(join(dir, '.vscode'), { recursive: true });
      writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
      return dir;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await child.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  try {
    await waitHealthy(url, child, { timeout: 30_000, interval: 100 });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** The workbench's address on a workspace folder. */
export function workbenchUrl(server: { readonly url: string }, folder: string): string {
  return `${server.url}/?folder=${encodeURIComponent(folder)}`;
}

/** A browser context of its own (nothing shared with other pages: a fresh browser profile), the size the screenshots have. */
export async function newWorkbenchContext(browser: Browser): Promise<BrowserContext> {
  return newContext(browser, { viewport: { width: 1600, height: 1000 } });
}

/**
 * Loads the workbench at `url` in `page`; resolves when the workbench and its status bar are up. The workbench is
 * large and the machine shared: it waits for the workbench itself, not for the page's load event.
 */
export async function showWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
}

/** Opens the workbench on a workspace folder in a new page; resolves when the workbench and status bar are up. */
export async function openWorkbench(browser: Browser, server: CodeServer, folder: string): Promise<Page> {
  const page = await (await newWorkbenchContext(browser)).newPage();
  await showWorkbench(page, workbenchUrl(server, folder));
  return page;
}

/** Runs a command by its palette title ("Gatewright: Generate"). The first palette often does not list a newly
 * activated extension's command yet: retry F1 until the entry shows up. */
export async function runCommand(page: Page, title: string, options: { timeout?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 60_000);
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    await page.keyboard.press('F1');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      // Inside the retry: the palette can close again at once when the workbench moves the focus (a view opening).
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      // Prefer the exact label; Enter runs the highlighted (first) row, which is the best match.
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`command "${title}" never showed in the palette: ${(error as Error).message}`);
    }
  }
}

/** Opens a workspace file with Quick Open (Ctrl+P); Gatewright designs open in the designer by default. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await poll(async () => {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(fileName);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
    } catch (error) {
      await page.keyboard.press('Escape');
      throw error;
    }
    await page.keyboard.press('Enter');
    return true;
  }, { timeout: 45_000, interval: 250, message: `quick open ${fileName}` });
}

/** The designer's document inside the webview's two nested iframes. */
export function designer(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Runs `node dist/cli.js ARGS` and throws with its output when it fails. */
export function cli(...args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gatewright ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Opens a design with Quick Open and waits until the designer draws a node; resolves with the designer. */
export async function openInDesigner(page: Page, fileName: string): Promise<FrameLocator> {
  await quickOpen(page, fileName);
  const canvas = designer(page);
  await canvas.locator('.react-flow__node').first().waitFor({ state: 'visible', timeout: 60_000 });
  return canvas;
}

/** Saves a screenshot of the page as .e2e/NAME.png for the failure report; a page that cannot be captured is no second failure. */
export async function failureShot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ROOT, '.e2e'), { recursive: true });
  await page.screenshot({ path: join(ROOT, '.e2e', `${name}.png`) }).catch(() => undefined);
}

/** Every log file code-server and the extension host wrote (not the workspaces): path relative to the scratch folder -> text. */
export function serverLogs(server: CodeServer): Map<string, string> {
  const files = readdirSync(server.scratch, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.log') && !f.startsWith('workspaces'));
  return new Map(files.map((f) => [f, readFileSync(join(server.scratch, f), 'utf8')]));
}

/** What the extension wrote to its output channel `name` (a log output channel: a .log file in the user data). */
export function outputChannel(server: CodeServer, name: string): string {
  return [...serverLogs(server)].filter(([f]) => f.endsWith(`${name}.log`)).map(([, text]) => text).join('\n');
}

/**
 * Saves the active editor, which must be dirty (Ctrl+S), and resolves with the file's text once the tab is clean and
 * the text is what `saved` accepts: VS Code writes the file in place, so a read during the write can see it empty or
 * half written.
 */
export async function saveActiveEditor(page: Page, file: string, saved: (text: string) => boolean, message: string): Promise<string> {
  await page.locator('.tab.active.dirty').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
  return poll(() => {
    const text = readFileSync(file, 'utf8');
    return saved(text) ? text : undefined;
  }, { message, timeout: 15_000 });
}

/** Picks the quick-pick row showing `text` once it is listed (lists that load from a server take a while). */
export async function pickQuickItem(page: Page, text: string, timeout = 60_000): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click();
}

/** The modal dialog once it shows `text`; resolves with its whole text. */
export async function dialogText(page: Page, text: RegExp, timeout = 120_000): Promise<string> {
  const box = page.locator('.monaco-dialog-box');
  await box.filter({ hasText: text }).waitFor({ state: 'visible', timeout });
  return (await box.textContent()) ?? '';
}

/** Clicks the modal dialog's button labelled exactly `label`. */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: new RegExp(`^${label}$`) }).first().click();
}

/**
 * The text of the notification matching `text`: a toast, or (toasts are hidden again after a while, and hidden
 * while others come and go) its entry in the notification center.
 */
export async function notificationText(page: Page, text: RegExp, timeout = 60_000): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  return poll(
    async () => {
      if (await toast.isVisible()) return (await toast.textContent()) ?? '';
      if (!(await page.locator('.notifications-center.visible').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      if (await listed.isVisible()) {
        const found = (await listed.textContent()) ?? '';
        await runCommand(page, 'Notifications: Hide Notifications');
        return found;
      }
      return undefined;
    },
    { timeout, interval: 500, message: `a notification matching ${text}` },
  );
}

/** Design nodes on the canvas: React Flow nodes that are not the network's containers (subnets, endpoints, the network). */
export const DESIGN_NODES = '.react-flow__node:not([data-id^="subnet:"]):not([data-id^="pe:"]):not([data-id^="vnet:"])';

/**
 * Opens the side panel (the inspector) when the editor is narrow enough for the canvas to show it only on demand
 * ("Details"), as a user would before reading a node's details.
 */
export async function showDetails(canvas: FrameLocator): Promise<void> {
  const toggle = canvas.getByTestId(TEST_IDS.sideToggle);
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
}
