/** The generated-file manifest: which files Generate may overwrite, which it must ask about, which it leaves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MANIFEST_FILE,
  emptyManifest,
  needsConsent,
  nextManifest,
  parseManifest,
  planGeneration,
  serializeManifest,
  sha256,
  type Manifest,
} from '../../src/generators/manifest.js';

const files = [
  { path: 'infra/main.bicep', content: 'new bicep\n' },
  { path: 'infra/main.json', content: '{"new":true}\n' },
  { path: 'k8s/ingress.yaml', content: 'kind: Ingress\n' },
  { path: 'README.md', content: '# new\n' },
  { path: 'apim/policies/orders.xml', content: '<policies/>\n' },
];

test('sha256 of text is the sha256 of its UTF-8 bytes', () => {
  assert.equal(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256('é'), sha256(Buffer.from('é', 'utf8')));
});

test('planGeneration: create, unchanged, update, edited by hand, foreign, stale', () => {
  const manifest: Manifest = {
    generator: 'gatewright',
    version: 1,
    files: {
      'infra/main.bicep': sha256('old bicep\n'),
      'infra/main.json': sha256('{"old":true}\n'),
      'k8s/ingress.yaml': sha256('kind: Ingress\n'),
      'k8s/old.yaml': sha256('gone\n'),
      'k8s/deleted.yaml': sha256('deleted\n'),
    },
  };
  const onDisk = new Map([
    ['infra/main.bicep', sha256('old bicep\n')], // as written: update
    ['infra/main.json', sha256('{"old":true, "mine": 1}\n')], // edited by hand
    ['k8s/ingress.yaml', sha256('kind: Ingress\n')], // same as new: unchanged
    ['README.md', sha256('# my own readme\n')], // never written by Gatewright
    ['k8s/old.yaml', sha256('gone\n')], // no longer generated, still there: stale
  ]);
  const plan = planGeneration(files, onDisk, manifest);
  const actions = Object.fromEntries(plan.files.map((f) => [f.path, f.action]));
  assert.deepEqual(actions, {
    'infra/main.bicep': 'update',
    'infra/main.json': 'edited',
    'k8s/ingress.yaml': 'unchanged',
    'README.md': 'foreign',
    'apim/policies/orders.xml': 'create',
  });
  assert.deepEqual(plan.stale, ['k8s/old.yaml']);
  assert.deepEqual(needsConsent(plan).map((f) => f.path), ['infra/main.json', 'README.md']);
});

test('a file edited by hand and then changed back to what Gatewright would write is simply unchanged', () => {
  const manifest: Manifest = { generator: 'gatewright', version: 1, files: { 'README.md': sha256('# old\n') } };
  const plan = planGeneration([{ path: 'README.md', content: '# new\n' }], new Map([['README.md', sha256('# new\n')]]), manifest);
  assert.equal(plan.files[0]!.action, 'unchanged');
  assert.equal(needsConsent(plan).length, 0);
});

test('the first generation into an empty folder creates everything and asks nothing', () => {
  const plan = planGeneration(files, new Map(), emptyManifest());
  assert.ok(plan.files.every((f) => f.action === 'create'));
  assert.deepEqual(plan.stale, []);
});

test('nextManifest: written files get their new hash; kept files keep their old entry; stale entries stay; deleted ones go', () => {
  const previous: Manifest = {
    generator: 'gatewright',
    version: 1,
    files: { 'infra/main.json': sha256('{"old":true}\n'), 'k8s/old.yaml': sha256('gone\n'), 'k8s/deleted.yaml': sha256('x') },
  };
  const onDisk = new Map([
    ['infra/main.json', sha256('edited')],
    ['README.md', sha256('mine')],
    ['k8s/old.yaml', sha256('gone\n')],
  ]);
  const plan = planGeneration(files, onDisk, previous);
  // The user chose "Keep Mine": the edited and foreign files are not written.
  const written = new Set(['infra/main.bicep', 'k8s/ingress.yaml', 'apim/policies/orders.xml']);
  const next = nextManifest(previous, plan, written, '../payments.gatewright.yaml');
  assert.deepEqual(next, {
    generator: 'gatewright',
    version: 1,
    design: '../payments.gatewright.yaml',
    files: {
      'infra/main.bicep': sha256('new bicep\n'),
      'infra/main.json': sha256('{"old":true}\n'),
      'k8s/ingress.yaml': sha256('kind: Ingress\n'),
      'apim/policies/orders.xml': sha256('<policies/>\n'),
      'k8s/old.yaml': sha256('gone\n'),
    },
  });
  // Next time, the kept file is still "edited" and the foreign one still "foreign": the user is asked again.
  const again = planGeneration(files, new Map([...onDisk, ...[...written].map((p) => [p, sha256(files.find((f) => f.path === p)!.content)] as const)]), next);
  assert.deepEqual(needsConsent(again).map((f) => [f.path, f.action]), [
    ['infra/main.json', 'edited'],
    ['README.md', 'foreign'],
  ]);
});

test('manifest text: stable (sorted keys, final newline) and read back; broken manifests count as empty', () => {
  const m: Manifest = { generator: 'gatewright', version: 1, design: 'd.gatewright.yaml', files: { 'b.txt': sha256('b'), 'a.txt': sha256('a') } };
  const text = serializeManifest(m);
  assert.ok(text.endsWith('}\n'));
  assert.ok(text.indexOf('"a.txt"') < text.indexOf('"b.txt"'));
  assert.deepEqual(parseManifest(text), { manifest: { ...m, files: { 'a.txt': sha256('a'), 'b.txt': sha256('b') } } });
  assert.deepEqual(parseManifest(undefined), { manifest: emptyManifest() });
  for (const broken of ['not json', '{}', '{"generator":"other","version":1,"files":{}}', '{"generator":"gatewright","version":1,"files":{"a":"short"}}']) {
    const r = parseManifest(broken);
    assert.deepEqual(r.manifest, emptyManifest(), broken);
    assert.ok(r.problem?.includes(MANIFEST_FILE), broken);
  }
});

test('a manifest key like __proto__ or constructor does not confuse the plan', () => {
  const manifest = parseManifest('{"generator":"gatewright","version":1,"files":{"__proto__":"' + sha256('x') + '"}}').manifest;
  const plan = planGeneration([{ path: 'constructor', content: 'c' }, { path: 'toString', content: 't' }], new Map([['constructor', sha256('mine')]]), manifest);
  assert.deepEqual(plan.files.map((f) => f.action), ['foreign', 'create']);
});
