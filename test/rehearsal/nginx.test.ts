/**
 * Real NGINX (Debian's package), configured with the client verification of the generated ingress: the `ca.crt` of
 * the CA secret the Kubernetes generator writes (ssl_client_certificate), verifyClient (ssl_verify_client),
 * verifyDepth (ssl_verify_depth) and the TLS minimum (ssl_protocols), serving the ingress's development
 * certificate. It runs as an unprivileged process (user nobody when the tests run as root) on a loopback port,
 * with its prefix, configuration, pid, logs and temporary folders in a temporary folder.
 *
 * The caller configured from the design (the rehearsal's client options, with Node enforcing the chain and the name)
 * gets through with HTTP 200; without a client certificate NGINX answers 400 "No required SSL certificate was sent";
 * with one from another CA, an expired one, or one whose chain is deeper than ssl_verify_depth, 400 "The SSL
 * certificate error"; a wrong host name is refused by the caller. The rehearsal's own TLS server gives the same
 * verdicts on the same design, which is what makes the rehearsal worth running. No private key shows up in the logs.
 *
 * NGINX comes from Debian: .ci/run installs it with the other apt packages; the setup below installs it when it is
 * missing and the tests run as root with apt-get (a developer machine), and skips otherwise (never under CI).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { parse as parseYaml } from 'yaml';
import { readCertificateFiles } from '../../src/workspace/certificate-files.js';
import { loadRehearsalMaterials } from '../../src/workspace/rehearsal.js';
import { parseDesign } from '../../src/document/parse.js';
import { caPemsOf } from '../../src/generators/ca-pems.js';
import { generate } from '../../src/generators/generate.js';
import { planRehearsal, type CaseKind, type PlannedEdge } from '../../src/rehearsal/plan.js';
import { RehearsalKit, runRehearsal, type CaseResult } from '../../src/rehearsal/run.js';
import type { Design } from '../../src/schemas/design.js';
import { append, mutateReference, setAt } from '../helpers/reference.js';
import { workspace, type Workspace } from './workspace.js';
import { clockEnv } from '../helpers/clock-env.js';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];
const nginxPath = () => NGINX_CANDIDATES.find((p) => existsSync(p));

/** The setup: NGINX from Debian, installed here when missing and possible. */
function ensureNginx(): string | undefined {
  if (nginxPath()) return undefined;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env, timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nginx'], { stdio: 'ignore', env, timeout: 300_000 });
    if (nginxPath()) return undefined;
  }
  return 'nginx is not installed (apt-get install nginx)';
}

const missing = ensureNginx();
if (missing && process.env.CI) throw new Error(`${missing}: .ci/run installs it; the NGINX test must run in CI`);

// ---------------------------------------------------------------- the servers

interface Site {
  readonly name: string;
  readonly ws: Workspace;
  readonly design: Design;
  readonly edge: PlannedEdge;
  readonly kit: RehearsalKit;
  port: number;
}

let prefix = '';
let nginx: ChildProcess | undefined;
let exited: string | undefined;
const sites: Site[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The ca.crt of the client CA secret the Kubernetes generator writes for the design. */
async function generatedClientCa(ws: Workspace, design: Design): Promise<string> {
  const files = await readCertificateFiles(ws.designPath, design);
  const generated = generate(design, { caPems: caPemsOf(design, files) });
  const secret = generated.files.find((f) => f.path.endsWith('/mtls-client-ca.yaml'));
  assert.ok(secret, `a client CA secret among ${generated.files.map((f) => f.path).join(', ')}`);
  const manifest = parseYaml(secret.content) as { kind: string; stringData: Record<string, string> };
  assert.equal(manifest.kind, 'Secret');
  const pem = manifest.stringData['ca.crt'];
  assert.ok(pem !== undefined && pem.includes('-----BEGIN CERTIFICATE-----'));
  return pem;
}

async function site(name: string, ws: Workspace): Promise<Site> {
  const design = parseDesign(ws.design()).design!;
  const plan = planRehearsal(design);
  const edge = plan.edges.find((e) => e.id === 'apim-aks')!;
  const { materials, problems } = await loadRehearsalMaterials(plan, design, { designPath: ws.designPath });
  assert.deepEqual(problems, []);
  return { name, ws, design, edge, kit: new RehearsalKit(materials), port: 0 };
}

/** One server block: the ingress host, its certificate, and the generated ingress's client verification. */
async function serverBlock(s: Site): Promise<string> {
  const aks = s.design.nodes.find((n) => n.type === 'aksCluster');
  assert.ok(aks && aks.type === 'aksCluster');
  const ingress = aks.properties.ingress;
  const dir = join(prefix, s.name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'ca.crt'), await generatedClientCa(s.ws, s.design));
  copyFileSync(join(s.ws.certs, 'ingress-tls.pem'), join(dir, 'server.pem'));
  copyFileSync(join(s.ws.privateDir, 'ingress-tls.key.pem'), join(dir, 'server.key'));
  chmodSync(join(dir, 'server.key'), 0o600);
  const protocols = ingress.minTlsVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2 TLSv1.3';
  return `
  server {
    listen 127.0.0.1:${s.port} ssl;
    server_name ${ingress.hostName};
    ssl_certificate ${dir}/server.pem;
    ssl_certificate_key ${dir}/server.key;
    ssl_protocols ${protocols};
    ssl_client_certificate ${dir}/ca.crt;
    ssl_verify_client ${ingress.verifyClient};
    ssl_verify_depth ${ingress.verifyDepth};
    location / { return 200 "ok\\n"; }
  }`;
}

/** The uid and gid of user nobody, to drop to when the tests run as root. */
function nobody(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : { uid: 65534, gid: 65534 };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

function waitForPort(port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (exited) return reject(new Error(`nginx exited: ${exited}\n${readLog('error.log')}`));
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}\n${readLog('error.log')}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * NGINX clears its environment (nginx.org/en/docs/ngx_core_module.html#env), and libfaketime reads FAKETIME again
 * every few seconds: without these `env` directives NGINX would fall back to the real clock in the middle of a run
 * on a moved clock, and judge the test's certificates on another day than the test made them for.
 */
function clockDirectives(): string {
  return Object.keys(clockEnv())
    .map((name) => `env ${name};\n`)
    .join('');
}

function readLog(name: string): string {
  try {
    return readFileSync(join(prefix, name), 'utf8');
  } catch {
    return '';
  }
}

before(async () => {
  if (missing) return;
  // The reference design (an mtls edge apim -> aks, verify depth 1), and a client certificate two intermediate CAs
  // below the root, at verify depth 1 (too deep) and 2.
  const deep = (depth: number) =>
    mutateReference((doc) => {
      append(doc, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv' });
      append(doc, 'certificates', { id: 'team-ca', role: 'ca', issuer: 'issuing-ca', keyVault: 'kv' });
      setAt(doc, ['certificates', 'apim-client', 'issuer'], 'team-ca');
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], depth);
    });
  sites.push(await site('reference', await workspace()));
  sites.push(await site('deep1', await workspace(deep(1))));
  sites.push(await site('deep2', await workspace(deep(2))));

  prefix = mkdtempSync(join(tmpdir(), 'gatewright-nginx-'));
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, name));
  const blocks: string[] = [];
  for (const s of sites) {
    s.port = await freePort();
    blocks.push(await serverBlock(s));
  }
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
${clockDirectives()}pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;
events { worker_connections 64; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
${blocks.join('\n')}
}
`,
  );
  const user = nobody();
  if (user) chownTree(prefix, user.uid, user.gid);
  nginx = spawn(nginxPath()!, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  let stderr = '';
  nginx.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  nginx.on('exit', (code, signal) => (exited = `${code ?? signal} ${stderr}`));
  const deadline = Date.now() + 10_000;
  for (const s of sites) await waitForPort(s.port, deadline);
});

after(() => {
  if (nginx && !exited) nginx.kill('SIGTERM');
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the caller

interface Answer {
  readonly status?: number;
  readonly body: string;
  readonly error?: string;
}

/** One HTTPS request configured as the rehearsal's caller for the case, with Node enforcing the chain and the name. */
async function call(s: Site, kind: CaseKind): Promise<Answer> {
  const options = await s.kit.clientOptions(s.edge, kind);
  return new Promise((resolve) => {
    const req = request(
      {
        ...options,
        host: '127.0.0.1',
        port: s.port,
        path: '/',
        method: 'GET',
        headers: { host: options.servername },
        agent: false,
        rejectUnauthorized: s.edge.client.verifyChain,
        checkServerIdentity: s.edge.client.verifyName ? checkServerIdentity : () => undefined,
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ body: '', error: e.code ?? e.message }));
    req.end();
  });
}

function results(s: Site): Promise<readonly CaseResult[]> {
  return runRehearsal({ edges: [s.edge], unplanned: [], keys: [], certificates: [] }, s.kit.materials).then((r) => r.results);
}

const skip = missing ?? false;

test('NGINX with the generated ingress settings lets the caller configured from the design through', { skip }, async () => {
  const s = sites[0]!;
  const answer = await call(s, 'expected');
  assert.equal(answer.error, undefined);
  assert.equal(answer.status, 200);
  assert.equal(answer.body, 'ok\n');
  // NGINX runs unprivileged: as nobody when the tests run as root.
  const user = nobody();
  if (user && nginx?.pid && existsSync(`/proc/${nginx.pid}/status`)) {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${nginx.pid}/status`, 'utf8'))?.[1];
    assert.equal(Number(uid), user.uid);
  }
});

test('NGINX refuses a caller without a client certificate, with one from another CA, and with an expired one', { skip }, async () => {
  const s = sites[0]!;
  const none = await call(s, 'no-client-certificate');
  assert.equal(none.status, 400);
  assert.match(none.body, /No required SSL certificate was sent/);
  for (const kind of ['other-ca-client-certificate', 'expired-client-certificate'] as const) {
    const answer = await call(s, kind);
    assert.equal(answer.status, 400, kind);
    assert.match(answer.body, /The SSL certificate error/, kind);
  }
  const wrongHost = await call(s, 'wrong-host');
  assert.equal(wrongHost.status, undefined);
  assert.equal(wrongHost.error, 'ERR_TLS_CERT_ALTNAME_INVALID', 'the caller refuses a name the certificate does not cover');
  const log = readLog('error.log');
  assert.match(log, /client sent no required SSL certificate/);
  assert.match(log, /client SSL certificate verify error/);
});

test('ssl_verify_depth: NGINX counts intermediate CAs as the rehearsal does', { skip }, async () => {
  const [, deep1, deep2] = sites;
  const refused = await call(deep1!, 'expected');
  assert.equal(refused.status, 400);
  assert.match(refused.body, /The SSL certificate error/);
  const accepted = await call(deep2!, 'expected');
  assert.equal(accepted.status, 200);
  const rehearsed1 = (await results(deep1!)).find((r) => r.kind === 'expected')!;
  assert.equal(rehearsed1.got, 'refused');
  assert.equal(rehearsed1.reason, 'client-chain-too-long');
  const rehearsed2 = (await results(deep2!)).find((r) => r.kind === 'expected')!;
  assert.equal(rehearsed2.got, 'accepted');
});

test("the rehearsal's server gives NGINX's verdict for every client case", { skip }, async () => {
  const s = sites[0]!;
  for (const r of await results(s)) {
    if (r.kind === 'expired-server-certificate') continue; // NGINX serves the valid certificate
    const answer = await call(s, r.kind as CaseKind);
    const nginxAccepted = answer.status === 200;
    const why = `${r.kind}: rehearsal ${r.got}, NGINX ${answer.status ?? answer.error} ${answer.body.trim()}\n${readLog('error.log').split('\n').slice(-8).join('\n')}`;
    assert.equal(r.got === 'accepted', nginxAccepted, why);
  }
});

test('no private key in the NGINX logs', { skip }, async () => {
  const logs = readLog('error.log') + readLog('access.log');
  assert.ok(logs.length > 0);
  assert.doesNotMatch(logs, /PRIVATE KEY/);
  for (const s of sites) {
    const key = readFileSync(join(s.ws.privateDir, 'ingress-tls.key.pem'), 'utf8');
    const certificate = readFileSync(join(s.ws.certs, 'ingress-tls.pem'), 'utf8').replace(/-----[^-]+-----|\n/g, '');
    for (const line of key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----') && !certificate.includes(l))) assert.ok(!logs.includes(line));
  }
});

