// `npm start`: the main job. Builds and packages the extension, installs it into a local VS Code (code-server,
// see scripts/e2e-setup.sh), writes the reference architecture to demo/payments.gatewright.yaml (only if it does not
// exist), and serves VS Code on http://127.0.0.1:PORT with that design open in the Gatewright designer.
// Open the printed address in a browser; Ctrl+C stops it. Environment: PORT (default 8080), HOST (default 127.0.0.1).
// State (user data, extensions) lives in .e2e/start/, never in $HOME.
// The settings, code-server's arguments and the address are in start-config.mjs (shared with the end-to-end test
// of the first visit, which runs this script with --no-build, GATEWRIGHT_START_STATE and GATEWRIGHT_START_DEMO
// pointing at scratch folders).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { serveArgs, startUrl, writeStartSettings } from './start-config.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { values: flags } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } }, strict: true });
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const demo = process.env.GATEWRIGHT_START_DEMO ?? join(root, 'demo');
const design = join(demo, 'payments.gatewright.yaml');
const state = process.env.GATEWRIGHT_START_STATE ?? join(root, '.e2e', 'start');
const vsix = join(root, '.e2e', 'gatewright.vsix');
const codeServer = join(root, 'e2e', 'node_modules', '.bin', 'code-server');

function step(what, command, args, options = {}) {
  console.log(`start: ${what}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    console.error(`start: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

if (flags['no-build']) {
  if (!existsSync(vsix) || !existsSync(codeServer)) {
    console.error(`start: --no-build needs ${vsix} and code-server (npm run test:e2e, or npm start without --no-build)`);
    process.exit(1);
  }
} else {
  step('installing code-server and Debian chromium/ripgrep (once)', 'bash', ['scripts/e2e-setup.sh']);
  step('building and packaging the extension', process.execPath, ['scripts/package-vsix.mjs', '--out', vsix]);
}
mkdirSync(demo, { recursive: true });
if (!existsSync(design)) step('writing the reference design', process.execPath, ['dist/cli.js', 'init', design]);

const dirs = { user: join(state, 'user-data'), extensions: join(state, 'extensions'), config: join(state, 'xdg-config'), data: join(state, 'xdg-data') };
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
mkdirSync(join(dirs.user, 'User'), { recursive: true });
const settings = join(dirs.user, 'User', 'settings.json');
console.log(`start: settings ${writeStartSettings(settings, [basename(design)])}: ${settings}`);
const configFile = join(state, 'config.yaml');
writeFileSync(configFile, 'auth: none\ncert: false\n');
const env = { ...process.env, HOME: state, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data };
const common = ['--config', configFile, '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];
step('installing the extension into code-server', codeServer, [...common, '--install-extension', vsix, '--force'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const url = startUrl(host, port, demo);
console.log(`\nGatewright: open ${url}\n(the reference design opens in the designer; Ctrl+C stops the server)\n`);
const child = spawn(codeServer, [...common, ...serveArgs(host, port, demo)], { env, stdio: 'inherit' });
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
