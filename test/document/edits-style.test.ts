/**
 * Edits follow the style of the file they change: indentation, list indentation, flow or block entries,
 * line breaks, quoting; and they produce valid YAML from empty, missing or unusual sections.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { applyEdits, applyOperation, applyOperations } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { apply, fixture, lineDiff, toJS, type Hunk } from './edits.helpers.js';

interface Case {
  readonly title: string;
  readonly op: EditOperation;
  readonly hunks: Hunk[];
}

function run(file: string, cases: Case[]): void {
  const text = fixture(file);
  for (const c of cases) {
    test(`${file}: ${c.title}`, () => {
      const after = apply(text, c.op);
      assert.deepEqual(lineDiff(text, after), c.hunks);
      toJS(after);
    });
  }
}

run('compact', [
  {
    title: 'addNode follows four-space indentation and flush lists; layout is added at the end, before the closing comment',
    op: { op: 'addNode', node: { id: 'kv', type: 'keyVault', properties: { purgeProtection: true } }, position: { x: 5, y: 6 } },
    hunks: [
      { line: 18, removed: [], added: ['- id: kv', '  type: keyVault', '  properties:', '      purgeProtection: true'] },
      { line: 24, removed: [], added: ['layout:', '    kv: { x: 5, y: 6 }'] },
    ],
  },
  {
    title: 'connect appends a block edge when the edges are block',
    op: { op: 'connect', edge: { from: 'aks', to: 'apim', type: 'diagnostics' } },
    hunks: [
      { line: 24, removed: [], added: ['- from: aks', '  to: apim', '  type: diagnostics'] },
    ],
  },
  {
    title: 'addCertificate adds the missing section after metadata',
    op: { op: 'addCertificate', certificate: { id: 'client', role: 'client', issuer: 'self' } },
    hunks: [
      { line: 7, removed: [], added: ['certificates:', '- id: client', '  role: client', '  issuer: self'] },
    ],
  },
  {
    title: 'setProperty appends to a flush list',
    op: { op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'apis', 1], value: { name: 'payments', path: 'payments', service: 'payments' } },
    hunks: [
      { line: 16, removed: [], added: ['      - name: payments', '        path: payments', '        service: payments'] },
    ],
  },
  {
    title: 'setProperty creates a nested list with the file indentation',
    op: { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'services'], value: [{ name: 'orders', port: 8443 }] },
    hunks: [
      { line: 18, removed: [], added: ['  properties:', '      services:', '      - name: orders', '        port: 8443'] },
    ],
  },
  {
    title: 'unsetProperty of the only list item leaves []',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'apis', 0] },
    hunks: [
      { line: 12, removed: ['      apis:', '      - name: orders', '        path: orders', '        service: orders'], added: ['      apis: []'] },
    ],
  },
  {
    title: 'deleteNode empties edges to []',
    op: { op: 'deleteNode', id: 'aks' },
    hunks: [
      { line: 16, removed: ['- id: aks', '  type: aksCluster', 'edges:', '- from: apim', '  to: aks', '  type: mtls', '  properties:', '      clientCertificate: client'], added: ['edges: []'] },
    ],
  },
  {
    title: 'unsetProperty of the first key of a list entry moves the next key onto the dash line',
    op: { op: 'unsetProperty', target: { kind: 'edge', id: 'apim-aks' }, path: ['from'] },
    hunks: [
      { line: 19, removed: ['- from: apim', '  to: aks'], added: ['- to: aks'] },
    ],
  },
]);

run('empty', [
  {
    title: 'addNode turns nodes: [] into a block list and keeps the comment',
    op: { op: 'addNode', node: { id: 'internet', type: 'internet' }, position: { x: 0, y: 0 } },
    hunks: [
      { line: 8, removed: ['nodes: [] # nothing yet'], added: ['nodes: # nothing yet', '  - id: internet', '    type: internet'] },
      { line: 10, removed: [], added: ['layout:', '  internet: { x: 0, y: 0 }'] },
    ],
  },
  {
    title: 'addCertificate turns certificates: [] into a block list',
    op: { op: 'addCertificate', certificate: { id: 'ca', role: 'ca' } },
    hunks: [
      { line: 7, removed: ['certificates: []'], added: ['certificates:', '  - id: ca', '    role: ca'] },
    ],
  },
  {
    title: 'setProperty creates a missing map',
    op: { op: 'setProperty', target: { kind: 'metadata' }, path: ['tags', 'team'], value: 'platform' },
    hunks: [
      { line: 7, removed: [], added: ['  tags:', '    team: platform'] },
    ],
  },
]);

test('empty: a first edge becomes a flow entry of a block list', () => {
  const r = applyOperations(fixture('empty'), [
    { op: 'addNode', node: { id: 'internet', type: 'internet' } },
    { op: 'addNode', node: { id: 'appgw', type: 'applicationGateway' } },
    { op: 'connect', edge: { from: 'internet', to: 'appgw', type: 'https' } },
  ]);
  assert.ok(r.ok);
  assert.equal(
    r.text,
    `# Gatewright design. Open it in VS Code to edit it on the canvas.
apiVersion: gatewright/v1
kind: Architecture
metadata:
  name: my-api
  location: westeurope
certificates: []
nodes: # nothing yet
  - id: internet
    type: internet
  - id: appgw
    type: applicationGateway
edges:
  - { from: internet, to: appgw, type: https }
`,
  );
});

test('CRLF files get CRLF line breaks in what is inserted', () => {
  const lf = fixture('commented');
  const crlf = lf.replace(/\n/g, '\r\n');
  const ops: EditOperation[] = [
    { op: 'addNode', node: { id: 'acr', type: 'containerRegistry', properties: { sku: 'Premium' } }, position: { x: 1, y: 2 } },
    { op: 'deleteNode', id: 'appgw' },
    { op: 'renameNode', id: 'kv', newId: 'vault' },
    { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'clientCa'], value: 'internal-ca' },
    { op: 'unsetProperty', target: { kind: 'node', id: 'kv' }, path: ['properties', 'publicNetworkAccess'] },
    { op: 'updateCertificate', id: 'ingress-tls', changes: { autoRenew: true, keyVault: null } },
    { op: 'connect', edge: { from: 'mi', to: 'kv', type: 'secrets' } },
  ];
  for (const op of ops) {
    const after = apply(crlf, op);
    assert.equal(after, apply(lf, op).replace(/\n/g, '\r\n'), op.op);
    assert.doesNotMatch(after, /[^\r]\n/, `${op.op} inserted a bare line feed`);
  }
});

test('a file without a final line break gets one before appended lines', () => {
  const text = 'apiVersion: gatewright/v1\nkind: Architecture\nmetadata:\n  name: x\n  location: westeurope\nnodes:\n  - id: a\n    type: internet';
  assert.equal(
    apply(text, { op: 'addNode', node: { id: 'b', type: 'bastion' }, position: { x: 1, y: 1 } }),
    `${text}\n  - id: b\n    type: bastion\nlayout:\n  b: { x: 1, y: 1 }\n`,
  );
  assert.equal(
    apply(text, { op: 'setProperty', target: { kind: 'node', id: 'a' }, path: ['label'], value: 'Users' }),
    `${text}\n    label: Users\n`,
  );
});

test('sections separated by blank lines: a new section gets a blank line too', () => {
  const text = 'apiVersion: gatewright/v1\nkind: Architecture\n\nmetadata:\n  name: x\n  location: westeurope\n\nnodes:\n  - id: a\n    type: internet\n';
  assert.equal(
    apply(text, { op: 'addCertificate', certificate: { id: 'ca', role: 'ca' } }),
    'apiVersion: gatewright/v1\nkind: Architecture\n\nmetadata:\n  name: x\n  location: westeurope\n\ncertificates:\n  - id: ca\n    role: ca\n\nnodes:\n  - id: a\n    type: internet\n',
  );
  assert.equal(
    apply(text, { op: 'moveNode', id: 'a', position: { x: 3, y: 4 } }),
    `${text}\nlayout:\n  a: { x: 3, y: 4 }\n`,
  );
});

test('removing an entry between blank lines leaves one blank line', () => {
  const text = 'nodes:\n  - id: a\n    type: internet\n\n  # the bastion\n  - id: b\n    type: bastion\n\n  - id: c\n    type: bastion\nedges: []\n';
  assert.equal(apply(text, { op: 'deleteNode', id: 'b' }), 'nodes:\n  - id: a\n    type: internet\n\n  - id: c\n    type: bastion\nedges: []\n');
  assert.equal(apply(text, { op: 'deleteNode', id: 'c' }), 'nodes:\n  - id: a\n    type: internet\n\n  # the bastion\n  - id: b\n    type: bastion\n\nedges: []\n');
});

test('a null section is filled in place', () => {
  const text = 'nodes:\n  - id: a\n    type: internet\nedges:\nlayout: # positions\n';
  assert.equal(
    apply(text, { op: 'connect', edge: { from: 'a', to: 'a', type: 'https' } }),
    'nodes:\n  - id: a\n    type: internet\nedges:\n  - { from: a, to: a, type: https }\nlayout: # positions\n',
  );
  assert.equal(
    apply(text, { op: 'moveNode', id: 'a', position: { x: 1, y: 2 } }),
    'nodes:\n  - id: a\n    type: internet\nedges:\nlayout: # positions\n  a: { x: 1, y: 2 }\n',
  );
});

test('a JSON design stays flow', () => {
  const text = '{\n  "apiVersion": "gatewright/v1",\n  "kind": "Architecture",\n  "nodes": [\n    { "id": "a", "type": "internet" }\n  ],\n  "edges": []\n}\n';
  assert.equal(
    apply(text, { op: 'addNode', node: { id: 'b', type: 'bastion' }, position: { x: 1, y: 2 } }),
    '{\n  "apiVersion": "gatewright/v1",\n  "kind": "Architecture",\n  "nodes": [\n    { "id": "a", "type": "internet" }, { id: b, type: bastion }\n  ],\n  "edges": [], layout: { b: { x: 1, y: 2 } }\n}\n',
  );
  assert.equal(
    apply(text, { op: 'connect', edge: { from: 'a', to: 'a', type: 'https' } }),
    text.replace('"edges": []', '"edges": [{ from: a, to: a, type: https }]'),
  );
});

test('directives and document markers stay', () => {
  const text = '%YAML 1.2\n---\nnodes:\n  - id: a\n    type: internet\nlayout:\n  a: { x: 0, y: 0 }\n...\n';
  assert.equal(
    apply(text, { op: 'addNode', node: { id: 'b', type: 'bastion' }, position: { x: 1, y: 1 } }),
    '%YAML 1.2\n---\nnodes:\n  - id: a\n    type: internet\n  - id: b\n    type: bastion\nlayout:\n  a: { x: 0, y: 0 }\n  b: { x: 1, y: 1 }\n...\n',
  );
});

test('strings are quoted when a YAML 1.2 or 1.1 reader would read them as something else', () => {
  const text = fixture('commented');
  const cases: [unknown, string][] = [
    ['plain words', 'plain words'],
    ['1.2', '"1.2"'],
    ['on', '"on"'],
    ['Off', '"Off"'],
    ['yes', '"yes"'],
    ['y', '"y"'],
    ['null', '"null"'],
    ['~', '"~"'],
    ['true', '"true"'],
    ['0o17', '"0o17"'],
    ['0x1F', '"0x1F"'],
    ['1_000', '"1_000"'],
    ['1:20', '"1:20"'],
    ['2035-12-31', '"2035-12-31"'],
    ['.inf', '".inf"'],
    ['a: b', '"a: b"'],
    ['x # y', '"x # y"'],
    ['#hash', '"#hash"'],
    ['- dash', '"- dash"'],
    ['*star', '"*star"'],
    ['&amp', '"&amp"'],
    ['!bang', '"!bang"'],
    ['@at', '"@at"'],
    ['`tick`', '"`tick`"'],
    ['%pct', '"%pct"'],
    ['', '""'],
    [' lead', '" lead"'],
    ['trail ', '"trail "'],
    ['say "hi"', 'say "hi"'],
    ['"quoted"', '"\\"quoted\\""'],
    ['multi\nline', '"multi\\nline"'],
    ['tab\there', '"tab\\there"'],
    ['a,b', 'a,b'],
    ['[x]', '"[x]"'],
    ['{y}', '"{y}"'],
    ['café', 'café'],
    [42, '42'],
    [-1.5, '-1.5'],
    [true, 'true'],
    [null, 'null'],
  ];
  for (const [value, rendered] of cases) {
    const after = apply(text, { op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['label'], value });
    const [hunk] = lineDiff(text, after);
    assert.deepEqual(hunk?.added, [`    label: ${rendered}`], JSON.stringify(value));
    const node = (v: unknown) => (v as { nodes: { id: string; label: unknown }[] }).nodes.find((n) => n.id === 'mi')!.label;
    assert.deepEqual(node(parse(after)), value, `YAML 1.2 reads ${rendered} back`);
    assert.deepEqual(node(parse(after, { version: '1.1' })), value, `YAML 1.1 reads ${rendered} back`);
  }
});

test('in flow collections, flow indicators are quoted', () => {
  const text = fixture('commented');
  const after = apply(text, { op: 'setProperty', target: { kind: 'metadata' }, path: ['tags', 'list'], value: 'a,b' });
  assert.deepEqual(lineDiff(text, after), [{ line: 8, removed: ['  tags: { costCenter: "1234" }'], added: ['  tags: { costCenter: "1234", list: "a,b" }'] }]);
  const key = apply(text, { op: 'setProperty', target: { kind: 'metadata' }, path: ['tags', 'a: b'], value: 'c' });
  assert.deepEqual((toJS(key) as { metadata: { tags: unknown } }).metadata.tags, { costCenter: '1234', 'a: b': 'c' });
});

test('applyOperation never returns edits that change nothing', () => {
  const text = fixture('commented');
  const r = applyOperation(text, { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'sku'], value: 'WAF_v2' });
  assert.deepEqual(r, { ok: true, edits: [] });
  const same = applyOperation(text, { op: 'moveNode', id: 'aks', position: { x: 400.2, y: -0.3 } });
  assert.deepEqual(same, { ok: true, edits: [] });
  assert.equal(applyEdits(text, []), text);
});

test('a top-level section set on the document (the delivery section of continuous deployment): after metadata, keys in the format order, comments kept', () => {
  const text = fixture('commented');
  const delivery = {
    environments: [{ location: 'westeurope', resourceGroup: 'rg-payments', subscriptionId: '00000000-1111-2222-3333-444444444444', name: 'prod' }],
    repository: 'contoso/payments',
    provider: 'github',
  };
  const after = apply(text, { op: 'setProperty', target: { kind: 'document' }, path: ['delivery'], value: delivery });
  const js = toJS(after) as { delivery: unknown; metadata: unknown };
  assert.deepEqual(js.delivery, delivery);
  const keys = Object.keys(toJS(after) as object);
  assert.equal(keys.indexOf('delivery'), keys.indexOf('metadata') + 1, 'placed after metadata');
  assert.match(after, /delivery:\n {2}provider: github\n {2}repository: contoso\/payments\n {2}environments:\n {4}- name: prod\n {6}subscriptionId: /);
  for (const line of text.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(after.includes(line), `comment kept: ${line}`);
  // Setting it again replaces the section in place; unsetting removes it and gives the original text back.
  const removed = apply(after, { op: 'unsetProperty', target: { kind: 'document' }, path: ['delivery'] });
  assert.equal(removed, text);
});
