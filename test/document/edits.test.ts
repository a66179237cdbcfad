/**
 * Edit operations on a commented design (test/fixtures/edits/commented.gatewright.yaml): each operation
 * changes exactly the lines listed, every other line of the file stays byte-identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, applyOperation } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { apply, comments, fixture, lineDiff, refusal, toJS, type Hunk } from './edits.helpers.js';

const FILE = fixture('commented');

interface Case {
  readonly title: string;
  readonly op: EditOperation;
  /** The changed lines, by line number of the original file; nothing else changes. */
  readonly hunks: Hunk[];
}

const CASES: Case[] = [
  {
    title: 'addNode appends a block entry in the format key order, and its rounded position',
    op: { op: 'addNode', node: { properties: { publicNetworkAccess: 'Disabled', sku: 'Premium' }, type: 'containerRegistry', id: 'acr', label: 'Registry' }, position: { x: 600.4, y: -0.4 } },
    hunks: [
      { line: 43, removed: [], added: ['  - id: acr', '    type: containerRegistry', '    label: Registry', '    properties:', '      sku: Premium', '      publicNetworkAccess: Disabled'] },
      { line: 60, removed: [], added: ['  acr: { x: 600, y: 0 }'] },
    ],
  },
  {
    title: 'deleteNode removes the node, its edge and its layout line; the comment heading the next node stays',
    op: { op: 'deleteNode', id: 'internet' },
    hunks: [
      { line: 25, removed: ['  - id: internet', '    type: internet'], added: [] },
      { line: 46, removed: ['  - { from: internet, to: appgw, type: https }'], added: [] },
      { line: 57, removed: ['  internet: { x: 0, y: 0 }'], added: [] },
    ],
  },
  {
    title: 'deleteNode takes its edges along, with the comment of a group it empties',
    op: { op: 'deleteNode', id: 'appgw' },
    hunks: [
      { line: 27, removed: ['  - id: appgw # the gateway', '    type: applicationGateway', '    label: \'Gateway (WAF)\'', '    properties:', '      sku: WAF_v2 # keep WAF', '      minTlsVersion: "1.2"', '      # zones stay default'], added: [] },
      { line: 45, removed: ['  # Request path.', '  - { from: internet, to: appgw, type: https }', '  - { from: appgw, to: aks, type: https, id: front }'], added: [] },
      { line: 54, removed: ['  - { from: appgw, to: kv, type: secrets }'], added: [] },
      { line: 58, removed: ['  appgw: { x: 200, y: 0 } # moved by hand'], added: [] },
    ],
  },
  {
    title: 'deleteNode removes a block edge with the comment inside it',
    op: { op: 'deleteNode', id: 'kv' },
    hunks: [
      { line: 37, removed: ['  - id: kv', '    type: keyVault', '    properties:', '      publicNetworkAccess: Disabled'], added: [] },
      { line: 48, removed: ['  # Key Vault access.', '  - from: aks', '    to: kv', '    type: privateLink', '    properties:', '      identity: mi # workload identity', '  - { from: appgw, to: kv, type: secrets }'], added: [] },
    ],
  },
  {
    title: 'renameNode changes the id, edge ends and the layout key, keeping comments',
    op: { op: 'renameNode', id: 'appgw', newId: 'gateway' },
    hunks: [
      { line: 27, removed: ['  - id: appgw # the gateway'], added: ['  - id: gateway # the gateway'] },
      { line: 46, removed: ['  - { from: internet, to: appgw, type: https }', '  - { from: appgw, to: aks, type: https, id: front }'], added: ['  - { from: internet, to: gateway, type: https }', '  - { from: gateway, to: aks, type: https, id: front }'] },
      { line: 54, removed: ['  - { from: appgw, to: kv, type: secrets }'], added: ['  - { from: gateway, to: kv, type: secrets }'] },
      { line: 58, removed: ['  appgw: { x: 200, y: 0 } # moved by hand'], added: ['  gateway: { x: 200, y: 0 } # moved by hand'] },
    ],
  },
  {
    title: 'renameNode changes a privateLink identity',
    op: { op: 'renameNode', id: 'mi', newId: 'workload' },
    hunks: [
      { line: 41, removed: ['  - id: mi'], added: ['  - id: workload'] },
      { line: 53, removed: ['      identity: mi # workload identity'], added: ['      identity: workload # workload identity'] },
    ],
  },
  {
    title: 'renameNode changes certificates\' keyVault and a block edge end',
    op: { op: 'renameNode', id: 'kv', newId: 'vault' },
    hunks: [
      { line: 15, removed: ['    keyVault: kv # held in Key Vault'], added: ['    keyVault: vault # held in Key Vault'] },
      { line: 20, removed: ['    keyVault: kv'], added: ['    keyVault: vault'] },
      { line: 37, removed: ['  - id: kv'], added: ['  - id: vault'] },
      { line: 50, removed: ['    to: kv'], added: ['    to: vault'] },
      { line: 54, removed: ['  - { from: appgw, to: kv, type: secrets }'], added: ['  - { from: appgw, to: vault, type: secrets }'] },
    ],
  },
  {
    title: 'moveNode rewrites only the numbers that change, keeping the trailing comment',
    op: { op: 'moveNode', id: 'appgw', position: { x: 210.6, y: -3.2 } },
    hunks: [
      { line: 58, removed: ['  appgw: { x: 200, y: 0 } # moved by hand'], added: ['  appgw: { x: 211, y: -3 } # moved by hand'] },
    ],
  },
  {
    title: 'moveNode adds a missing layout entry in the style of the others',
    op: { op: 'moveNode', id: 'kv', position: { x: 600, y: 0 } },
    hunks: [
      { line: 60, removed: [], added: ['  kv: { x: 600, y: 0 }'] },
    ],
  },
  {
    title: 'setLayout changes and adds several positions at once',
    op: { op: 'setLayout', positions: { internet: { x: 0, y: 0 }, aks: { x: 410, y: 20 }, mi: { x: 1, y: 2 }, kv: { x: 3, y: 4 } } },
    hunks: [
      { line: 59, removed: ['  aks: { x: 400, y: 0 }'], added: ['  aks: { x: 410, y: 20 }', '  mi: { x: 1, y: 2 }', '  kv: { x: 3, y: 4 }'] },
    ],
  },
  {
    title: 'connect appends a flow edge, like most edges of the file',
    op: { op: 'connect', edge: { type: 'secrets', from: 'mi', to: 'kv' } },
    hunks: [
      { line: 55, removed: [], added: ['  - { from: mi, to: kv, type: secrets }'] },
    ],
  },
  {
    title: 'connect with an explicit id and properties',
    op: { op: 'connect', edge: { from: 'internet', to: 'appgw', type: 'https', id: 'second', properties: { trustedCa: 'internal-ca' } } },
    hunks: [
      { line: 55, removed: [], added: ['  - { from: internet, to: appgw, type: https, id: second, properties: { trustedCa: internal-ca } }'] },
    ],
  },
  {
    title: 'disconnect by explicit id',
    op: { op: 'disconnect', id: 'front' },
    hunks: [
      { line: 47, removed: ['  - { from: appgw, to: aks, type: https, id: front }'], added: [] },
    ],
  },
  {
    title: 'disconnect by derived id removes a block edge with its inner comment',
    op: { op: 'disconnect', id: 'aks-kv' },
    hunks: [
      { line: 49, removed: ['  - from: aks', '    to: kv', '    type: privateLink', '    properties:', '      identity: mi # workload identity'], added: [] },
    ],
  },
  {
    title: 'disconnect the last edge',
    op: { op: 'disconnect', id: 'appgw-kv' },
    hunks: [
      { line: 54, removed: ['  - { from: appgw, to: kv, type: secrets }'], added: [] },
    ],
  },
  {
    title: 'setProperty replaces a scalar and keeps its comment',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'sku'], value: 'Standard_v2' },
    hunks: [
      { line: 31, removed: ['      sku: WAF_v2 # keep WAF'], added: ['      sku: Standard_v2 # keep WAF'] },
    ],
  },
  {
    title: 'setProperty keeps double quotes',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'minTlsVersion'], value: '1.3' },
    hunks: [
      { line: 32, removed: ['      minTlsVersion: "1.2"'], added: ['      minTlsVersion: "1.3"'] },
    ],
  },
  {
    title: 'setProperty keeps single quotes',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['label'], value: 'It\'s the gateway' },
    hunks: [
      { line: 29, removed: ['    label: \'Gateway (WAF)\''], added: ['    label: \'It\'\'s the gateway\''] },
    ],
  },
  {
    title: 'setProperty fills properties: {} with block lines',
    op: { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'privateCluster'], value: false },
    hunks: [
      { line: 36, removed: ['    properties: {}'], added: ['    properties:', '      privateCluster: false'] },
    ],
  },
  {
    title: 'setProperty creates missing intermediate maps',
    op: { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'clientCa'], value: 'internal-ca' },
    hunks: [
      { line: 36, removed: ['    properties: {}'], added: ['    properties:', '      ingress:', '        clientCa: internal-ca'] },
    ],
  },
  {
    title: 'setProperty creates properties when absent',
    op: { op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['properties', 'x'], value: 1 },
    hunks: [
      { line: 43, removed: [], added: ['    properties:', '      x: 1'] },
    ],
  },
  {
    title: 'setProperty adds a key in the format order, quoting what needs it',
    op: { op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['label'], value: 'Workload: orders' },
    hunks: [
      { line: 43, removed: [], added: ['    label: "Workload: orders"'] },
    ],
  },
  {
    title: 'setProperty writes a list of scalars flow',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'zones'], value: ['1', '2'] },
    hunks: [
      { line: 33, removed: [], added: ['      zones: ["1", "2"]'] },
    ],
  },
  {
    title: 'setProperty writes a list of maps as block lines',
    op: { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'services'], value: [{ name: 'orders', namespace: 'orders', port: 443 }] },
    hunks: [
      { line: 36, removed: ['    properties: {}'], added: ['    properties:', '      services:', '        - name: orders', '          namespace: orders', '          port: 443'] },
    ],
  },
  {
    title: 'setProperty on metadata inserts in the format order',
    op: { op: 'setProperty', target: { kind: 'metadata' }, path: ['description'], value: 'Orders API # v2' },
    hunks: [
      { line: 8, removed: [], added: ['  description: "Orders API # v2"'] },
    ],
  },
  {
    title: 'setProperty adds a key to a flow map',
    op: { op: 'setProperty', target: { kind: 'metadata' }, path: ['tags', 'env'], value: 'prod' },
    hunks: [
      { line: 8, removed: ['  tags: { costCenter: "1234" }'], added: ['  tags: { costCenter: "1234", env: prod }'] },
    ],
  },
  {
    title: 'setProperty replaces a value in a flow map',
    op: { op: 'setProperty', target: { kind: 'metadata' }, path: ['tags', 'costCenter'], value: '5678' },
    hunks: [
      { line: 8, removed: ['  tags: { costCenter: "1234" }'], added: ['  tags: { costCenter: "5678" }'] },
    ],
  },
  {
    title: 'setProperty adds properties to a flow edge',
    op: { op: 'setProperty', target: { kind: 'edge', id: 'front' }, path: ['properties', 'trustedCa'], value: 'internal-ca' },
    hunks: [
      { line: 47, removed: ['  - { from: appgw, to: aks, type: https, id: front }'], added: ['  - { from: appgw, to: aks, type: https, id: front, properties: { trustedCa: internal-ca } }'] },
    ],
  },
  {
    title: 'setProperty on a block edge keeps the comment',
    op: { op: 'setProperty', target: { kind: 'edge', id: 'aks-kv' }, path: ['properties', 'identity'], value: 'other' },
    hunks: [
      { line: 53, removed: ['      identity: mi # workload identity'], added: ['      identity: other # workload identity'] },
    ],
  },
  {
    title: 'setProperty appends to a flow list',
    op: { op: 'setProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames', 1], value: 'api.contoso.com' },
    hunks: [
      { line: 21, removed: ['    dnsNames: [orders.internal.contoso.com]'], added: ['    dnsNames: [orders.internal.contoso.com, api.contoso.com]'] },
    ],
  },
  {
    title: 'setProperty of a whole map edits it in place: unchanged keys and their comments stay',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties'], value: { sku: 'WAF_v2', wafMode: 'Detection' } },
    hunks: [
      { line: 32, removed: ['      minTlsVersion: "1.2"'], added: ['      wafMode: Detection'] },
    ],
  },
  {
    title: 'setProperty of a whole list replaces items in place',
    op: { op: 'setProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames'], value: ['a.contoso.com', 'b.contoso.com'] },
    hunks: [
      { line: 21, removed: ['    dnsNames: [orders.internal.contoso.com]'], added: ['    dnsNames: [a.contoso.com, b.contoso.com]'] },
    ],
  },
  {
    title: 'setProperty of a node id renames it with its references',
    op: { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['id'], value: 'gw' },
    hunks: [
      { line: 27, removed: ['  - id: appgw # the gateway'], added: ['  - id: gw # the gateway'] },
      { line: 46, removed: ['  - { from: internet, to: appgw, type: https }', '  - { from: appgw, to: aks, type: https, id: front }'], added: ['  - { from: internet, to: gw, type: https }', '  - { from: gw, to: aks, type: https, id: front }'] },
      { line: 54, removed: ['  - { from: appgw, to: kv, type: secrets }'], added: ['  - { from: gw, to: kv, type: secrets }'] },
      { line: 58, removed: ['  appgw: { x: 200, y: 0 } # moved by hand'], added: ['  gw: { x: 200, y: 0 } # moved by hand'] },
    ],
  },
  {
    title: 'unsetProperty removes the key line with its comment',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'sku'] },
    hunks: [
      { line: 31, removed: ['      sku: WAF_v2 # keep WAF'], added: [] },
    ],
  },
  {
    title: 'unsetProperty removes a key of a node',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['label'] },
    hunks: [
      { line: 29, removed: ['    label: \'Gateway (WAF)\''], added: [] },
    ],
  },
  {
    title: 'unsetProperty of the last key leaves an empty map',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'kv' }, path: ['properties', 'publicNetworkAccess'] },
    hunks: [
      { line: 39, removed: ['    properties:', '      publicNetworkAccess: Disabled'], added: ['    properties: {}'] },
    ],
  },
  {
    title: 'unsetProperty removes a whole block map',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'kv' }, path: ['properties'] },
    hunks: [
      { line: 39, removed: ['    properties:', '      publicNetworkAccess: Disabled'], added: [] },
    ],
  },
  {
    title: 'unsetProperty in a flow map',
    op: { op: 'unsetProperty', target: { kind: 'metadata' }, path: ['tags', 'costCenter'] },
    hunks: [
      { line: 8, removed: ['  tags: { costCenter: "1234" }'], added: ['  tags: {}'] },
    ],
  },
  {
    title: 'unsetProperty of the last key of a block edge\'s properties',
    op: { op: 'unsetProperty', target: { kind: 'edge', id: 'aks-kv' }, path: ['properties', 'identity'] },
    hunks: [
      { line: 52, removed: ['    properties:', '      identity: mi # workload identity'], added: ['    properties: {}'] },
    ],
  },
  {
    title: 'unsetProperty of an explicit edge id',
    op: { op: 'unsetProperty', target: { kind: 'edge', id: 'front' }, path: ['id'] },
    hunks: [
      { line: 47, removed: ['  - { from: appgw, to: aks, type: https, id: front }'], added: ['  - { from: appgw, to: aks, type: https }'] },
    ],
  },
  {
    title: 'unsetProperty of a list item',
    op: { op: 'unsetProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames', 0] },
    hunks: [
      { line: 21, removed: ['    dnsNames: [orders.internal.contoso.com]'], added: ['    dnsNames: []'] },
    ],
  },
  {
    title: 'unsetProperty of an absent key changes nothing',
    op: { op: 'unsetProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'clientCa'] },
    hunks: [

    ],
  },
  {
    title: 'addCertificate appends in the format key order',
    op: { op: 'addCertificate', certificate: { role: 'client', id: 'apim-client', issuer: 'internal-ca', keyVault: 'kv', autoRenew: true } },
    hunks: [
      { line: 22, removed: [], added: ['  - id: apim-client', '    role: client', '    issuer: internal-ca', '    keyVault: kv', '    autoRenew: true'] },
    ],
  },
  {
    title: 'updateCertificate sets, adds and removes fields at once',
    op: { op: 'updateCertificate', id: 'ingress-tls', changes: { autoRenew: true, dnsNames: ['orders.internal.contoso.com', 'api.internal.contoso.com'], keyVault: null, notAfter: '2030-01-01' } },
    hunks: [
      { line: 20, removed: ['    keyVault: kv', '    dnsNames: [orders.internal.contoso.com]'], added: ['    dnsNames: [orders.internal.contoso.com, api.internal.contoso.com]', '    notAfter: "2030-01-01"', '    autoRenew: true'] },
    ],
  },
  {
    title: 'updateCertificate renames a certificate and its references',
    op: { op: 'updateCertificate', id: 'internal-ca', changes: { id: 'root-ca' } },
    hunks: [
      { line: 12, removed: ['  - id: internal-ca'], added: ['  - id: root-ca'] },
      { line: 19, removed: ['    issuer: internal-ca'], added: ['    issuer: root-ca'] },
    ],
  },
  {
    title: 'removeCertificate removes the entry with its leading comment',
    op: { op: 'removeCertificate', id: 'internal-ca' },
    hunks: [
      { line: 11, removed: ['  # The private CA.', '  - id: internal-ca', '    role: ca', '    issuer: self', '    keyVault: kv # held in Key Vault'], added: [] },
    ],
  },
  {
    title: 'removeCertificate of the last certificate',
    op: { op: 'removeCertificate', id: 'ingress-tls' },
    hunks: [
      { line: 16, removed: ['  # Server certificate of the ingress.', '  - id: ingress-tls', '    role: server', '    issuer: internal-ca', '    keyVault: kv', '    dnsNames: [orders.internal.contoso.com]'], added: [] },
    ],
  },
];

for (const c of CASES) {
  test(c.title, () => {
    const r = applyOperation(FILE, c.op);
    assert.ok(r.ok, r.ok ? '' : r.error);
    const after = applyEdits(FILE, r.edits);
    assert.deepEqual(lineDiff(FILE, after), c.hunks);
    // The edits are sorted, do not overlap, and each one is needed.
    r.edits.forEach((e, i) => {
      const next = r.edits[i + 1];
      if (next) assert.ok(e.offset + e.length <= next.offset, 'edits overlap or are not sorted');
      assert.notEqual(FILE.slice(e.offset, e.offset + e.length), e.text, 'an edit changes nothing');
    });
    toJS(after);
    // Comments go only with the lines removed.
    const gone = new Set(c.hunks.flatMap((h) => comments(h.removed.join('\n'))));
    const kept = comments(FILE).filter((x) => !gone.has(x));
    assert.deepEqual(
      comments(after).filter((x) => kept.includes(x)),
      kept,
    );
  });
}

test('the model changes as the operation says', () => {
  type Design = { nodes: unknown[]; layout: Record<string, unknown> };
  const before = toJS(FILE) as Design;
  const after = toJS(apply(FILE, CASES[0]!.op)) as Design;
  assert.deepEqual(after.nodes.at(-1), {
    id: 'acr',
    type: 'containerRegistry',
    label: 'Registry',
    properties: { sku: 'Premium', publicNetworkAccess: 'Disabled' },
  });
  assert.deepEqual(after.layout, { ...before.layout, acr: { x: 600, y: 0 } });
  assert.deepEqual({ ...after, nodes: after.nodes.slice(0, -1), layout: before.layout }, before);
});

const REFUSED: [EditOperation, string][] = [
  [{ op: 'addNode', node: { id: 'kv', type: 'keyVault' } }, 'a node with id "kv" already exists'],
  [{ op: 'addNode', node: { id: 'Key_Vault', type: 'keyVault' } }, '"Key_Vault" is not a valid node id'],
  [{ op: 'deleteNode', id: 'ghost' }, 'node "ghost" does not exist'],
  [{ op: 'renameNode', id: 'mi', newId: 'kv' }, 'a node with id "kv" already exists'],
  [{ op: 'renameNode', id: 'mi', newId: '9lives' }, '"9lives" is not a valid node id'],
  [{ op: 'renameNode', id: 'ghost', newId: 'other' }, 'node "ghost" does not exist'],
  [{ op: 'moveNode', id: 'ghost', position: { x: 0, y: 0 } }, 'node "ghost" does not exist'],
  [{ op: 'moveNode', id: 'kv', position: { x: Number.NaN, y: 0 } }, 'invalid operation at position.x'],
  [{ op: 'setLayout', positions: { kv: { x: 0, y: 0 }, ghost: { x: 0, y: 0 } } }, 'cannot place "ghost": no such node'],
  [{ op: 'connect', edge: { from: 'aks', to: 'kv', type: 'secrets' } }, 'an edge with id "aks-kv" already exists; give the new secrets edge an explicit "id"'],
  [{ op: 'connect', edge: { from: 'appgw', to: 'aks', type: 'https', id: 'front' } }, 'an edge with id "front" already exists'],
  [{ op: 'connect', edge: { from: 'internet', to: 'ghost', type: 'https' } }, 'node "ghost" does not exist'],
  [{ op: 'disconnect', id: 'appgw-aks' }, 'edge "appgw-aks" does not exist'],
  [{ op: 'setProperty', target: { kind: 'node', id: 'ghost' }, path: ['label'], value: 'x' }, 'node "ghost" does not exist'],
  [{ op: 'setProperty', target: { kind: 'edge', id: 'ghost' }, path: ['label'], value: 'x' }, 'edge "ghost" does not exist'],
  [
    { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'sku', 'tier'], value: 'x' },
    'properties.sku of node "appgw" is the string "WAF_v2", not a map or a list',
  ],
  [{ op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 0], value: 'x' }, 'properties of node "appgw" is a map: [0] is not a key'],
  [
    { op: 'setProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames', 5], value: 'a.contoso.com' },
    'index 5 is past the end of dnsNames of certificate "ingress-tls" (1 item)',
  ],
  [{ op: 'setProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames', 'first'], value: 'a' }, 'is a list: "first" is not an index'],
  [{ op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['properties', 'list', 2], value: 'x' }, 'cannot create a list at index 2'],
  [{ op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['label'] } as EditOperation, 'invalid operation at value'],
  [{ op: 'setProperty', target: { kind: 'node', id: 'mi' }, path: ['label'], value: new Date(0) }, 'only strings, numbers, booleans, null, lists and maps'],
  [{ op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['id'] }, 'cannot remove the id of node "appgw"; use deleteNode'],
  [{ op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'sku', 'x'] }, 'is the string "WAF_v2"'],
  [{ op: 'addCertificate', certificate: { id: 'internal-ca', role: 'ca' } }, 'a certificate with id "internal-ca" already exists'],
  [{ op: 'addCertificate', certificate: { id: 'bad id', role: 'ca' } }, '"bad id" is not a valid certificate id'],
  [{ op: 'updateCertificate', id: 'internal-ca', changes: { id: 'ingress-tls' } }, 'a certificate with id "ingress-tls" already exists'],
  [{ op: 'updateCertificate', id: 'internal-ca', changes: { id: null } }, 'cannot remove the id of certificate "internal-ca"'],
  [{ op: 'updateCertificate', id: 'ghost', changes: { role: 'ca' } }, 'certificate "ghost" does not exist'],
  [{ op: 'removeCertificate', id: 'ghost' }, 'certificate "ghost" does not exist'],
  [{ op: 'renameNode', id: 'mi' } as unknown as EditOperation, 'invalid operation at newId'],
  [{ op: 'teleport', id: 'mi' } as unknown as EditOperation, 'invalid operation'],
];

for (const [op, message] of REFUSED) {
  test(`refuses ${op.op} ${JSON.stringify(op).slice(0, 90)}`, () => {
    const error = refusal(FILE, op);
    assert.ok(error.includes(message), `"${error}" does not say "${message}"`);
  });
}
