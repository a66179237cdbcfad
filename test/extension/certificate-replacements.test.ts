/**
 * Before Create Development Certificates writes anything, a dry run says what it would replace: certificate files
 * on disk issued again, and `file` fields that name other files. Real dry runs of `certs dev` in a scratch folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createDevCertificates } from '../../src/workspace/dev-certificates.js';
import { replacementQuestion, replacementsOf } from '../../src/extension/commands/certificate-replacements.js';
import { mutate, REFERENCE, setAt } from '../helpers/reference.js';

async function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-replacements-'));
  const designPath = join(dir, 'payments.gatewright.yaml');
  const show = (p: string) => relative(dir, p);
  /** What a dry run on `text` would replace. */
  const preview = async (text: string) => {
    const outcome = await createDevCertificates({ designPath, designText: text, root: dir, dryRun: true });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.problems.join('\n'));
    assert.deepEqual(outcome.written, [], 'a dry run writes nothing');
    return replacementsOf(outcome, existsSync, show);
  };
  /** Makes them for real, as the command does; returns the design text with its file fields set. */
  const make = async (text: string) => {
    const outcome = await createDevCertificates({ designPath, designText: text, root: dir });
    assert.ok(outcome.ok);
    writeFileSync(designPath, outcome.designText);
    return outcome.designText;
  };
  return { dir, preview, make };
}

test('first run: nothing exists, nothing to ask', async () => {
  const { preview } = await folder();
  const r = await preview(REFERENCE);
  assert.deepEqual(r, { files: [], repointed: [] });
  assert.equal(replacementQuestion(r, 'payments.gatewright.yaml'), undefined);
});

test('second run on the same design: every certificate is kept, nothing to ask', async () => {
  const { preview, make } = await folder();
  const text = await make(REFERENCE);
  assert.deepEqual(await preview(text), { files: [], repointed: [] });
});

test('a certificate whose design changed is issued again: its existing file is named, with why, in the question', async () => {
  const { preview, make } = await folder();
  const text = await make(REFERENCE);
  const changed = mutate(text, (doc) => setAt(doc, ['certificates', 'ingress-tls', 'dnsNames'], ['shop.internal.contoso.com']));
  const r = await preview(changed);
  assert.deepEqual(r.files.map((f) => f.path), ['certs/ingress-tls.pem']);
  assert.match(r.files[0]!.why, /subject changed/);
  assert.deepEqual(r.repointed, []);
  const q = replacementQuestion(r, 'payments.gatewright.yaml');
  assert.ok(q);
  assert.match(q.message, /replaces 1 existing certificate file\. Replace it\?/);
  assert.match(q.detail, /certs\/ingress-tls\.pem \(/);
});

test('a file field naming another file: the question says the design stops naming it', async () => {
  const { preview } = await folder();
  const text = mutate(REFERENCE, (doc) => setAt(doc, ['certificates', 'apim-tls', 'file'], 'prod/apim-tls.pem'));
  const r = await preview(text);
  assert.deepEqual(r.files, []);
  assert.deepEqual(r.repointed, [{ id: 'apim-tls', from: 'prod/apim-tls.pem', to: 'certs/apim-tls.pem' }]);
  const q = replacementQuestion(r, 'payments.gatewright.yaml');
  assert.match(q?.detail ?? '', /certificate "apim-tls": prod\/apim-tls\.pem -> certs\/apim-tls\.pem/);
});
