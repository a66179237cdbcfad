/** The designer page: a strict CSP with a fresh nonce, the local bundle only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, designerHtml } from '../../src/extension/designer/html.js';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function page(nonce = createNonce(), codiconUri?: string) {
  return designerHtml({
    cspSource: CSP_SOURCE,
    nonce,
    scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`,
    styleUri: `${CSP_SOURCE}/ext/dist/webview.css`,
    codiconUri,
    title: 'Gatewright designer: <payments>.gatewright.yaml',
  });
}

test('nonces are fresh, long and safe in an attribute', () => {
  const nonces = new Set(Array.from({ length: 50 }, createNonce));
  assert.equal(nonces.size, 50);
  for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{22,}$/);
});

test('the CSP refuses everything by default and allows only the nonce\'d script and local resources', () => {
  const csp = contentSecurityPolicy(CSP_SOURCE, 'abc');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc'"]);
  assert.deepEqual(directives.get('style-src'), [CSP_SOURCE, "'nonce-abc'"]);
  assert.deepEqual(directives.get('font-src'), [CSP_SOURCE]);
  assert.deepEqual(directives.get('img-src'), [CSP_SOURCE, 'data:']);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
  assert.equal(directives.has('connect-src'), false, 'the page fetches nothing');
  for (const [name, sources] of directives) {
    for (const s of sources) {
      assert.doesNotMatch(s, /unsafe-inline|unsafe-eval|^\*$|^https?:$|^http:\/\//, `${name} ${s}`);
    }
  }
});

test('the page loads the bundle with the nonce, the stylesheet, and nothing remote', () => {
  const html = page('NONCE123');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-NONCE123';/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="NONCE123" src="${CSP_SOURCE}/ext/dist/webview.js">`]);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="${CSP_SOURCE.replace(/[.+]/g, '\\$&')}/ext/dist/webview.css"`));
  assert.match(html, /<div id="root"><\/div>/);
  assert.doesNotMatch(html, /vscode-codicon-stylesheet/);
  assert.doesNotMatch(html, /\son\w+=|javascript:/i, 'no inline handlers');
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  for (const u of urls) assert.ok(u.startsWith(CSP_SOURCE), u);
  assert.match(html, /<title>Gatewright designer: &lt;payments&gt;.gatewright.yaml<\/title>/);
});

test('the codicon stylesheet is linked with the id @vscode-elements looks for, when the build ships it', () => {
  const html = page('N', `${CSP_SOURCE}/ext/dist/codicon.css`);
  assert.match(html, /<link id="vscode-codicon-stylesheet" rel="stylesheet" href="[^"]+\/dist\/codicon.css"/);
});
