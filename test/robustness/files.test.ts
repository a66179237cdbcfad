/**
 * The file handling of the command line and of the extension's shared workspace layer, attacked as issue #12 did:
 * symbolic links inside the output folders, dangling links, FIFOs and links to /dev/zero where files are read or
 * written, a generate killed with SIGKILL, two generates into one folder at once, and a full disk. Every attack
 * must end in a clear refusal or a complete result, never a hang, a write outside the folder or a file lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../src/cli/run.js';
import { generate } from '../../src/generators/generate.js';
import { parseDesign } from '../../src/document/parse.js';
import { readCertificateFiles } from '../../src/workspace/certificate-files.js';
import { createDevCertificates } from '../../src/workspace/dev-certificates.js';
import { readDevPfxFiles } from '../../src/workspace/dev-pfx-files.js';
import { readDesign } from '../../src/workspace/design-file.js';
import { rehearseDesign } from '../../src/workspace/rehearsal.js';
import { WorkspaceRefusal } from '../../src/workspace/fs.js';
import { writeGenerated } from '../../src/workspace/generated.js';
import { LOCK_FILE } from '../../src/workspace/lock.js';
import { REFERENCE } from '../helpers/reference.js';
import { captureIo } from '../helpers/cli-capture.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const DESIGN = 'payments.gatewright.yaml';
const ROOT = new URL('../..', import.meta.url).pathname;
/** A hang is a failure: every attack must be answered well within this. */
const QUICK = { timeout: 30_000 };

const capture = (cwd: string) => captureIo(cwd, NOW);

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-hostile-files-'));
  writeFileSync(join(dir, DESIGN), REFERENCE);
  return dir;
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo ${path}: ${made.stderr}`);
}

/** Every file below `dir` with its sha256 (links and special files are listed by what they are). */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const info = lstatSync(p);
      if (info.isDirectory()) walk(p);
      else out.set(relative(dir, p), info.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'special');
    }
  };
  walk(dir);
  return out;
}

async function generateCli(dir: string, ...extra: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const io = capture(dir);
  const status = await runCli(['generate', DESIGN, '--out', 'out', ...extra], io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

/** The files and manifest hashes after a run: every file the manifest names holds exactly what it says. */
function assertManifestTrue(out: string): void {
  const manifest = JSON.parse(readFileSync(join(out, '.gatewright-generated.json'), 'utf8')) as { files: Record<string, string> };
  for (const [path, hash] of Object.entries(manifest.files)) {
    assert.equal(createHash('sha256').update(readFileSync(join(out, path))).digest('hex'), hash, `${path} is not what the manifest says`);
  }
  assert.deepEqual(leftovers(out), [], 'no temporary file or lock is left');
}

function leftovers(out: string): string[] {
  return [...tree(out).keys()].filter((p) => p.endsWith('.gatewright-partial') || p.endsWith(LOCK_FILE));
}

// ---------------------------------------------------------------- 1. links

test('generate refuses a link to a folder elsewhere inside the output folder, and writes nothing there', QUICK, async () => {
  const dir = folder();
  const elsewhere = mkdtempSync(join(tmpdir(), 'gw-elsewhere-'));
  mkdirSync(join(dir, 'out'));
  symlinkSync(elsewhere, join(dir, 'out', 'infra'));
  const run = await generateCli(dir);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /out\/infra is a symbolic link .*does not write through links/);
  assert.deepEqual(readdirSync(elsewhere), []);
  const forced = await generateCli(dir, '--force');
  assert.equal(forced.status, 2, '--force does not make a link writable');
  assert.deepEqual(readdirSync(elsewhere), []);
});

test('generate refuses a dangling link at a generated path: its target is never created', QUICK, async () => {
  const dir = folder();
  mkdirSync(join(dir, 'out', 'infra'), { recursive: true });
  const target = join(dir, 'created-by-the-link');
  symlinkSync(target, join(dir, 'out', 'infra', 'main.bicep'));
  const run = await generateCli(dir, '--force');
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /main\.bicep is a symbolic link/);
  assert.equal(existsSync(target), false);
});

test('generate refuses a manifest that is a link, and the file it points at keeps its content', QUICK, async () => {
  const dir = folder();
  mkdirSync(join(dir, 'out'));
  const victim = join(dir, 'precious.txt');
  writeFileSync(victim, 'mine\n');
  symlinkSync(victim, join(dir, 'out', '.gatewright-generated.json'));
  const run = await generateCli(dir, '--force');
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /\.gatewright-generated\.json is a symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'mine\n');
});

test('the extension path (writeGenerated confined to the workspace) refuses the same links', QUICK, async () => {
  const workspace = folder();
  const elsewhere = mkdtempSync(join(tmpdir(), 'gw-elsewhere-'));
  const design = parseDesign(REFERENCE).design!;
  const { files } = generate(design, { caPems: new Map() });
  const request = (outDir: string) => ({ root: workspace, outDir, files, designPath: join(workspace, DESIGN), consent: () => 'overwrite' as const });
  symlinkSync(elsewhere, join(workspace, 'generated'));
  await assert.rejects(writeGenerated(request(join(workspace, 'generated'))), (e: unknown) => e instanceof WorkspaceRefusal && /generated is a symbolic link/.test(e.message));
  mkdirSync(join(workspace, 'gen', 'k8s'), { recursive: true });
  symlinkSync(elsewhere, join(workspace, 'gen', 'apim'));
  await assert.rejects(writeGenerated(request(join(workspace, 'gen'))), WorkspaceRefusal);
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing was written outside the workspace');
});

test('certs dev refuses a certificate PEM that is a link and a private folder that is a link; their targets are untouched', QUICK, async () => {
  const dir = folder();
  mkdirSync(join(dir, 'certs'));
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'mine\n', { mode: 0o644 });
  symlinkSync(victim, join(dir, 'certs', 'ingress-tls.pem'));
  const io = capture(dir);
  assert.equal(await runCli(['certs', 'dev', DESIGN], io), 2, io.stderr);
  assert.match(io.stderr, /ingress-tls\.pem is a symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'mine\n');

  const other = folder();
  const elsewhere = mkdtempSync(join(tmpdir(), 'gw-keys-elsewhere-'));
  const modeBefore = statSync(elsewhere).mode & 0o777;
  mkdirSync(join(other, 'certs'));
  symlinkSync(elsewhere, join(other, 'certs', 'private'));
  // The extension calls the same function with the workspace as the root.
  await assert.rejects(
    createDevCertificates({ designPath: join(other, DESIGN), designText: REFERENCE, root: other, now: NOW }),
    (e: unknown) => e instanceof WorkspaceRefusal && /certs\/private is a symbolic link/.test(e.message),
  );
  assert.deepEqual(readdirSync(elsewhere), [], 'no private key or PFX went through the link');
  assert.equal(statSync(elsewhere).mode & 0o777, modeBefore, 'the folder behind the link was not chmodded');
});

// ---------------------------------------------------------------- 2. special files

test('a FIFO or a link to /dev/zero at a generated path is refused at once, not read', QUICK, async () => {
  const dir = folder();
  mkdirSync(join(dir, 'out', 'infra'), { recursive: true });
  mkfifo(join(dir, 'out', 'infra', 'main.bicep'));
  const fifo = await generateCli(dir, '--force');
  assert.equal(fifo.status, 2, fifo.stderr);
  assert.match(fifo.stderr, /main\.bicep is a FIFO/);

  const zero = folder();
  mkdirSync(join(zero, 'out'));
  symlinkSync('/dev/zero', join(zero, 'out', 'README.md'));
  const run = await generateCli(zero, '--force');
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /README\.md is a symbolic link \(to \/dev\/zero\)/);
});

test('a path the manifest names that is now a FIFO or a link to /dev/zero is left alone and does not stop generate', QUICK, async () => {
  const dir = folder();
  assert.equal((await generateCli(dir)).status, 0);
  const manifestPath = join(dir, 'out', '.gatewright-generated.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, string> };
  manifest.files['old/pipe.yaml'] = 'a'.repeat(64);
  manifest.files['old/zero.yaml'] = 'b'.repeat(64);
  writeFileSync(manifestPath, JSON.stringify(manifest));
  mkdirSync(join(dir, 'out', 'old'));
  mkfifo(join(dir, 'out', 'old', 'pipe.yaml'));
  symlinkSync('/dev/zero', join(dir, 'out', 'old', 'zero.yaml'));
  const run = await generateCli(dir);
  assert.equal(run.status, 0, run.stderr);
});

test('validate, generate and rehearse refuse a design file that is a FIFO or /dev/zero without waiting', QUICK, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-fifo-design-'));
  mkfifo(join(dir, 'pipe.gatewright.yaml'));
  symlinkSync('/dev/zero', join(dir, 'zero.gatewright.yaml'));
  for (const file of ['pipe.gatewright.yaml', 'zero.gatewright.yaml']) {
    for (const command of [['validate', file], ['generate', file, '--out', 'out'], ['rehearse', file], ['certs', 'dev', file]]) {
      const io = capture(dir);
      assert.equal(await runCli(command, io), 2, `${command.join(' ')}: ${io.stderr}`);
      assert.match(io.stderr, new RegExp(`cannot read ${file}: it is (a FIFO|a character device)`), command.join(' '));
    }
  }
  assert.equal((await readDesign('/dev/zero')).ok, false);
});

test('certificate files: a FIFO, a link to /dev/zero and a link out of the folder are refused by validate and by rehearse alike', QUICK, async () => {
  const dir = folder();
  const io = capture(dir);
  assert.equal(await runCli(['certs', 'dev', DESIGN], io), 0, io.stderr);
  const design = parseDesign(readFileSync(join(dir, DESIGN), 'utf8')).design!;
  const named = design.certificates.filter((c) => c.file !== undefined);
  assert.ok(named.length >= 3);
  const [first, second, third] = named as [(typeof named)[0], (typeof named)[0], (typeof named)[0]];
  rmSync(join(dir, first.file!));
  mkfifo(join(dir, first.file!));
  rmSync(join(dir, second.file!));
  symlinkSync('/dev/zero', join(dir, second.file!));
  rmSync(join(dir, third.file!));
  symlinkSync('/etc/passwd', join(dir, third.file!));

  const files = await readCertificateFiles(join(dir, DESIGN), design);
  const reason = (file: string) => {
    const read = files.get(file);
    return read?.status === 'unreadable' ? read.reason : `read: ${String(read?.status)}`;
  };
  assert.match(reason(first.file!), /FIFO/);
  assert.match(reason(second.file!), /outside the folder|character device/);
  assert.match(reason(third.file!), /outside the folder of the design file/);

  // rehearse reads them as validate does, finds the same errors, and refuses to run (exit 1, as generate does).
  const rehearse = capture(dir);
  assert.equal(await runCli(['rehearse', DESIGN], rehearse), 1, rehearse.stderr);
  for (const c of [first, second, third]) assert.match(rehearse.stderr, new RegExp(`error GW252 .*${c.file!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), c.id);
  assert.match(rehearse.stderr, /nothing rehearsed: fix the errors above first/);
  assert.doesNotMatch(rehearse.stderr, /root:x:0/, '/etc/passwd was not read');
  // The rehearsal's own reader refuses them too, for any caller of the workspace layer.
  const outcome = await rehearseDesign({ designPath: join(dir, DESIGN), designText: readFileSync(join(dir, DESIGN), 'utf8') });
  assert.equal(outcome.ok, false);
  if (!outcome.ok) for (const c of [first, second, third]) assert.ok(outcome.problems.some((p) => p.includes(`"${c.id}" ("${c.file}") cannot be read`)), c.id);
});

test('a development PFX that is a FIFO or a link is refused for the Key Vault import, not read', QUICK, async () => {
  const dir = folder();
  const design = parseDesign(REFERENCE).design!;
  const leaf = design.certificates.find((c) => c.role !== 'ca')!;
  mkdirSync(join(dir, 'certs', 'private'), { recursive: true });
  mkfifo(join(dir, 'certs', 'private', `${leaf.id}.pfx`));
  await assert.rejects(readDevPfxFiles(join(dir, DESIGN), design), (e: unknown) => e instanceof WorkspaceRefusal && /FIFO/.test(e.message));
  rmSync(join(dir, 'certs', 'private', `${leaf.id}.pfx`));
  symlinkSync('/dev/zero', join(dir, 'certs', 'private', `${leaf.id}.pfx`));
  await assert.rejects(readDevPfxFiles(join(dir, DESIGN), design), (e: unknown) => e instanceof WorkspaceRefusal && /symbolic link/.test(e.message));
});

// ---------------------------------------------------------------- 3. interrupted and concurrent runs

function cliChild(dir: string, args: readonly string[]) {
  // tsx by its full address: the child runs in a temporary folder, where no node_modules would find it.
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/main.ts'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('generate killed with SIGKILL while it writes: the next run finishes without calling anything edited by hand', { timeout: 240_000 }, async () => {
  const dir = folder();
  const fresh = folder();
  assert.equal((await generateCli(fresh)).status, 0);
  const expected = tree(join(fresh, 'out'));
  expected.delete('.gatewright-generated.json');
  let killedWhileWriting = 0;
  for (let round = 0; round < 4; round++) {
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const child = cliChild(dir, ['generate', DESIGN, '--out', 'out']);
    const lock = join(dir, 'out', LOCK_FILE);
    // Kill the moment the lock appears, or a little later each round: somewhere in the writing.
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (existsSync(lock)) {
          clearInterval(poll);
          setTimeout(() => {
            if (existsSync(lock)) killedWhileWriting++;
            child.kill('SIGKILL');
          }, round * 3);
        }
      }, 1);
      child.on('exit', () => {
        clearInterval(poll);
        done();
      });
    });
    const again = await generateCli(dir);
    assert.equal(again.status, 0, `round ${round}: ${again.stderr}`);
    assertManifestTrue(join(dir, 'out'));
    const got = tree(join(dir, 'out'));
    got.delete('.gatewright-generated.json');
    assert.deepEqual(got, expected, `round ${round}: every file complete`);
  }
  assert.ok(killedWhileWriting > 0, 'at least one kill landed while the lock was held');
});

test('a lock left by a killed run is taken over, and the files that run wrote count as Gatewright\'s', QUICK, async () => {
  const dir = folder();
  const design = parseDesign(REFERENCE).design!;
  const { files } = generate(design, { caPems: new Map() });
  const out = join(dir, 'out');
  mkdirSync(join(out, 'infra'), { recursive: true });
  // What a run killed after its first rename leaves: one new file, no manifest, its lock with its intent.
  const bicep = files.find((f) => f.path === 'infra/main.bicep')!;
  writeFileSync(join(out, 'infra', 'main.bicep'), bicep.content);
  writeFileSync(join(out, 'infra', '.main.json.0123456789ab.gatewright-partial'), bicep.content.slice(0, 100));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const intent = Object.fromEntries(files.map((f) => [f.path, createHash('sha256').update(f.content).digest('hex')]));
  writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), started: NOW.toISOString(), intent }));
  const run = await generateCli(dir);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`an earlier run \\(process ${dead}\\) was interrupted.*1 file it wrote is counted as Gatewright's`));
  assertManifestTrue(out);

  // A file edited by hand after a killed run is still an edit: only the exact bytes the run meant count.
  writeFileSync(join(out, 'infra', 'main.bicep'), '// mine\n');
  rmSync(join(out, '.gatewright-generated.json'));
  writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), started: NOW.toISOString(), intent }));
  const edited = await generateCli(dir);
  assert.equal(edited.status, 2);
  assert.match(edited.stderr, /infra\/main\.bicep/);
});

test('a lock held by a live process refuses a second run, naming the process', QUICK, async () => {
  const dir = folder();
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'out', LOCK_FILE), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), started: NOW.toISOString() }));
  const run = await generateCli(dir);
  assert.equal(run.status, 2);
  assert.match(run.stderr, new RegExp(`another Gatewright run \\(process ${process.pid} .*is writing to`));
  assert.equal(existsSync(join(dir, 'out', 'infra')), false, 'nothing was written');
});

test('two generates of different designs into one folder at once: one design, whole, under a true manifest', { timeout: 120_000 }, async () => {
  const dir = folder();
  writeFileSync(join(dir, 'other.gatewright.yaml'), REFERENCE.replace(/^( {2}name: )payments$/m, '$1ledger'));
  assert.notEqual(readFileSync(join(dir, 'other.gatewright.yaml'), 'utf8'), REFERENCE);
  for (let round = 0; round < 3; round++) {
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const runs = [DESIGN, 'other.gatewright.yaml'].map(
      (design) =>
        new Promise<{ status: number; stderr: string }>((done) => {
          const child = cliChild(dir, ['generate', design, '--out', 'out', '--force']);
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('exit', (status) => done({ status: status ?? -1, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) {
      assert.ok(r.status === 0 || (r.status === 2 && /another Gatewright run/.test(r.stderr)), `exit ${r.status}: ${r.stderr}`);
    }
    assert.ok(results.some((r) => r.status === 0));
    assertManifestTrue(join(dir, 'out'));
    const again = await generateCli(dir);
    assert.equal(again.status, 0, `round ${round}: the next run finds no file edited by hand: ${again.stderr}`);
  }
});

test('a full disk: generate fails with exit 2 and leaves every earlier file whole', { timeout: 60_000 }, async (t) => {
  const mount = mkdtempSync(join(tmpdir(), 'gw-full-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=160k', 'tmpfs', mount]);
  if (mounted.status !== 0) {
    t.skip(`a small tmpfs cannot be mounted here (${mounted.stderr.toString().trim()})`);
    return;
  }
  try {
    writeFileSync(join(mount, DESIGN), REFERENCE);
    const first = await generateCli(mount);
    assert.equal(first.status, 2, 'the reference does not fit in 160 KiB');
    assert.match(first.stderr, /no space left|ENOSPC/);
    assert.deepEqual(leftovers(join(mount, 'out')), [], 'no temporary file is left');
    for (const [path] of tree(join(mount, 'out'))) {
      const content = readFileSync(join(mount, 'out', path), 'utf8');
      if (path.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(content), `${path} is whole`);
    }
  } finally {
    spawnSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  }
});

test('the extension path: "Keep Mine" keeps a hand-edited file and writes the rest; "Cancel" writes nothing', QUICK, async () => {
  const workspace = folder();
  const design = parseDesign(REFERENCE).design!;
  const { files } = generate(design, { caPems: new Map() });
  const outDir = join(workspace, 'generated');
  const request = (consent: 'overwrite' | 'keep' | 'cancel', asked: string[][]) => ({
    root: workspace,
    outDir,
    files,
    designPath: join(workspace, DESIGN),
    consent: (planned: readonly { path: string }[]) => {
      asked.push(planned.map((f) => f.path));
      return consent;
    },
  });
  const first = await writeGenerated(request('overwrite', []));
  assert.equal(first.status, 'done');
  assert.equal(first.written.size, files.length);
  writeFileSync(join(outDir, 'README.md'), 'my notes\n');
  rmSync(join(outDir, 'infra', 'main.json'));

  const cancelAsked: string[][] = [];
  const cancelled = await writeGenerated(request('cancel', cancelAsked));
  assert.equal(cancelled.status, 'cancelled');
  assert.deepEqual(cancelAsked, [['README.md']]);
  assert.equal(existsSync(join(outDir, 'infra', 'main.json')), false, 'cancel writes nothing');

  const keepAsked: string[][] = [];
  const kept = await writeGenerated(request('keep', keepAsked));
  assert.equal(kept.status, 'done');
  assert.deepEqual(kept.kept.map((f) => f.path), ['README.md']);
  assert.deepEqual([...kept.written], ['infra/main.json']);
  assert.equal(readFileSync(join(outDir, 'README.md'), 'utf8'), 'my notes\n', 'the hand edit is kept');
  assert.deepEqual(leftovers(outDir), []);
  const again = await writeGenerated(request('cancel', []));
  assert.equal(again.status, 'cancelled', 'the kept file still counts as edited next time');
});
