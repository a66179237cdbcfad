/** Edge cases of the AKS and ingress rules (GW140-GW159) beyond their fixture pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations } from '../../src/document/edits/index.js';
import { analyze } from '../../src/validation/analyze.js';
import { append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, rule: string) {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, JSON.stringify(a.parsed.findings));
  return a.findings.filter((f) => f.ruleId === rule);
}

test('GW140: a public cluster with authorized ranges passes; a /0 range does not', () => {
  const restricted = mutateReference((d) => {
    setAt(d, ['nodes', 'aks', 'properties', 'privateCluster'], false);
    setAt(d, ['nodes', 'aks', 'properties', 'authorizedIpRanges'], ['203.0.113.0/24']);
  });
  assert.deepEqual(findings(restricted, 'GW140'), []);
  const open = mutateReference((d) => {
    setAt(d, ['nodes', 'aks', 'properties', 'privateCluster'], false);
    setAt(d, ['nodes', 'aks', 'properties', 'authorizedIpRanges'], ['203.0.113.0/24', '0.0.0.0/0']);
  });
  const [f] = findings(open, 'GW140');
  assert.ok(f);
  assert.match(f.message, /0\.0\.0\.0\/0, which authorizes every address/);
  assert.deepEqual(f.path, ['nodes', 4, 'properties', 'authorizedIpRanges', 1]);
  assert.deepEqual(f.fix?.operations, [{ op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'privateCluster'], value: true }]);
});

test('GW144: the fix connects the only Defender node and adds the Containers plan it lacks', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'defender-aks']);
    setAt(d, ['nodes', 'defender', 'properties', 'plans'], ['KeyVaults', 'Api', 'SqlServers', 'CosmosDbs']);
  });
  const [f] = findings(text, 'GW144');
  assert.ok(f?.fix);
  assert.deepEqual(f.fix.operations, [
    { op: 'connect', edge: { from: 'defender', to: 'aks', type: 'protects' } },
    { op: 'setProperty', target: { kind: 'node', id: 'defender' }, path: ['properties', 'plans'], value: ['KeyVaults', 'Api', 'SqlServers', 'CosmosDbs', 'Containers'] },
  ]);
});

test('GW144 stays silent when there is no Defender for Cloud node at all (GW187 reports it once)', () => {
  const text = mutateReference((d) => deleteAt(d, ['nodes', 'defender']));
  assert.deepEqual(findings(text, 'GW144'), []);
  assert.equal(findings(text, 'GW187').length, 1);
});

test('GW146: an ingress certificate kept in Key Vault is a reason even without a secrets edge', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-kv']);
    setAt(d, ['nodes', 'aks', 'properties', 'keyVaultSecretsProvider'], false);
  });
  const [f] = findings(text, 'GW146');
  assert.ok(f);
  assert.match(f.message, /serverCertificate "ingress-tls" lives in Key Vault "kv"/);
});

test('GW151: every snippet annotation is reported, with the Lua and alias variants named', () => {
  const text = mutateReference((d) =>
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'annotations'], {
      'nginx.ingress.kubernetes.io/server-snippet': 'location /x { content_by_lua_block { ngx.say(1) } }',
      'nginx.ingress.kubernetes.io/auth-tls-verify-client': 'on',
      'nginx.ingress.kubernetes.io/configuration-snippet': 'alias /etc/;',
    }),
  );
  const all = findings(text, 'GW151');
  assert.equal(all.length, 2);
  assert.match(all[0]!.message, /CKV_K8S_152/);
  assert.match(all.find((f) => f.message.includes('configuration-snippet'))!.message, /CKV_K8S_154/);
  assert.deepEqual(all[0]!.fix?.operations, [
    { op: 'unsetProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'annotations', 'nginx.ingress.kubernetes.io/server-snippet'] },
  ]);
  assert.ok(all.every((f) => f.location), 'findings point at the annotation');
});

test('GW153: passthrough behind an mTLS edge cannot verify client certificates; without mTLS nothing is required', () => {
  const passthrough = mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough'));
  const [f] = findings(passthrough, 'GW153');
  assert.ok(f);
  assert.match(f.message, /cannot verify the client certificate of mtls edge "apim-aks"/);
  const noMtls = mutateReference((d) => {
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off');
    setAt(d, ['edges', 'apim-aks', 'type'], 'https');
    deleteAt(d, ['edges', 'apim-aks', 'properties']);
  });
  assert.deepEqual(findings(noMtls, 'GW153'), []);
});

test('GW154: the fix connects the only registry', () => {
  const [f] = findings(mutateReference((d) => deleteAt(d, ['edges', 'aks-acr'])), 'GW154');
  assert.deepEqual(f?.fix?.operations, [{ op: 'connect', edge: { from: 'aks', to: 'acr', type: 'imagePull' } }]);
});

test('GW156: Bastion reaching the virtual network is enough; with no Bastion the fix adds one', () => {
  const viaNetwork = mutateReference((d) => {
    deleteAt(d, ['edges', 'bastion-aks']);
    append(d, 'edges', { from: 'bastion', to: 'vnet', type: 'remoteAccess' });
  });
  assert.deepEqual(findings(viaNetwork, 'GW156'), []);
  const none = mutateReference((d) => {
    deleteAt(d, ['edges', 'bastion-aks']);
    deleteAt(d, ['edges', 'bastion-logs']);
    deleteAt(d, ['nodes', 'bastion']);
  });
  const [f] = findings(none, 'GW156');
  assert.equal(f?.severity, 'info');
  assert.deepEqual(f?.fix?.operations, [
    { op: 'addNode', node: { id: 'bastion', type: 'bastion' } },
    { op: 'connect', edge: { from: 'bastion', to: 'aks', type: 'remoteAccess' } },
  ]);
});

test('AKS rules report nothing on a design without a cluster', () => {
  const text = mutateReference((d) => {
    for (const e of ['apim-aks', 'aks-acr', 'aks-acr-link', 'aks-sql', 'aks-cosmos', 'aks-kv-link', 'aks-kv', 'aks-logs', 'aks-traces', 'defender-aks', 'bastion-aks']) {
      deleteAt(d, ['edges', e]);
    }
    deleteAt(d, ['nodes', 'aks']);
  });
  const a = analyze(text, { now: NOW });
  assert.deepEqual(
    a.findings.filter((f) => /^GW1(4\d|5[0-6])$/.test(f.ruleId)),
    [],
  );
});


/** The reference design with a public API server restricted to these ranges. */
function publicWith(ranges: string[], privateCluster = false): string {
  return mutateReference((d) => {
    setAt(d, ['nodes', 'aks', 'properties', 'privateCluster'], privateCluster);
    setAt(d, ['nodes', 'aks', 'properties', 'authorizedIpRanges'], ranges);
  });
}

test('GW158: addresses and ranges AKS accepts pass, 0.0.0.0/32 alone included', () => {
  for (const ranges of [['203.0.113.7'], ['203.0.113.0/24', '198.51.100.7/32', '192.0.2.8/29'], ['0.0.0.0/32'], ['100.64.0.0/10', '8.8.8.8']]) {
    assert.deepEqual(findings(publicWith(ranges), 'GW158'), [], ranges.join(', '));
  }
});

test('GW158: each entry AKS refuses is an error at that entry, with the fix where one is certain', () => {
  const cases: [string, RegExp, string | undefined][] = [
    ['10.0.0.0/33', /"10\.0\.0\.0\/33", which has the prefix length \/33, above \/32/, undefined],
    ['300.1.1.1', /which has the octet 300, above 255/, undefined],
    ['fd00::/8', /which is neither an IPv4 address nor an IPv4 CIDR range/, undefined],
    ['AzureCloud', /which is neither an IPv4 address nor an IPv4 CIDR range/, undefined],
    ['10.0.0.0/', /which is neither an IPv4 address nor an IPv4 CIDR range/, undefined],
    ['010.1.2.0/24', /which has the octet 010 with a leading zero/, '10.1.2.0/24'],
    [' 203.0.113.0/24', /which has spaces around it/, '203.0.113.0/24'],
  ];
  for (const [entry, message, fixed] of cases) {
    const text = publicWith(['198.51.100.0/24', entry]);
    const all = findings(text, 'GW158');
    assert.equal(all.length, 1, `${entry}: ${JSON.stringify(all)}`);
    const f = all[0]!;
    assert.equal(f.severity, 'error', entry);
    assert.match(f.message, message);
    assert.match(f.message, /AKS refuses it/);
    assert.deepEqual(f.path, ['nodes', 4, 'properties', 'authorizedIpRanges', 1]);
    assert.ok(f.location, `${entry}: no location`);
    const line = text.split('\n')[f.location.line - 1]!;
    assert.ok(line.includes(entry.trim()), `${entry}: the finding points at "${line}"`);
    if (fixed === undefined) {
      assert.equal(f.fix, undefined, entry);
      continue;
    }
    assert.equal(f.fix?.title, `Use ${fixed}`);
    const applied = applyOperations(text, f.fix!.operations);
    assert.ok(applied.ok);
    assert.deepEqual(findings(applied.text, 'GW158'), []);
    assert.match(applied.text, new RegExp(`- ${fixed.replace(/[./]/g, '\\$&')}\\n`));
  }
});

test('GW158: a range written from an address inside it is a warning whose fix names the first address', () => {
  const [f, ...rest] = findings(publicWith(['10.0.0.1/8']), 'GW158');
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /"10\.0\.0\.1\/8", which has bits set after its prefix length, so it authorizes the whole range 10\.0\.0\.0\/8; write 10\.0\.0\.0\/8, or 10\.0\.0\.1\/32 for that one address/);
  assert.deepEqual(f.fix?.operations, [{ op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'authorizedIpRanges'], value: ['10.0.0.0/8'] }]);
});

test('GW158: 0.0.0.0/32 beside other ranges is refused and the fix removes it', () => {
  const text = publicWith(['203.0.113.0/24', '0.0.0.0/32']);
  const [f] = findings(text, 'GW158');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /lists 0\.0\.0\.0\/32 \(only the cluster's own outbound address\) together with other authorizedIpRanges, which AKS refuses/);
  assert.deepEqual(f.path, ['nodes', 4, 'properties', 'authorizedIpRanges', 1]);
  const applied = applyOperations(text, f.fix!.operations);
  assert.ok(applied.ok);
  assert.deepEqual(findings(applied.text, 'GW158'), []);
  assert.deepEqual(findings(applied.text, 'GW140'), []);
});

test('GW158: more than 200 ranges is an error on the list; 200 pass', () => {
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${Math.floor(i / 256)}.${i % 256}`);
  assert.deepEqual(findings(publicWith(ranges(200)), 'GW158'), []);
  const [f, ...rest] = findings(publicWith(ranges(201)), 'GW158');
  assert.ok(f);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'error');
  assert.match(f.message, /lists 201 authorizedIpRanges, more than the 200 AKS accepts/);
  assert.deepEqual(f.path, ['nodes', 4, 'properties', 'authorizedIpRanges']);
});

test('GW158: a private cluster deploys no ranges, so a bad one there is a warning', () => {
  const [f] = findings(publicWith(['300.1.1.1'], true), 'GW158');
  assert.ok(f);
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /the cluster is private, so the ranges are not deployed until privateCluster is false/);
});

test('GW159: size names of every shape pass; text that cannot be one is an error, fixed where the intent is plain', () => {
  const named = [
    'Standard_D4ds_v5', 'Standard_B2s', 'Standard_E8as_v5', 'Standard_DS2_v2', 'Standard_E64-32s_v5', 'Standard_M8-2ms_v2',
    'Standard_NC24ads_A100_v4', 'Standard_NC4as_T4_v3', 'Standard_M416s_8_v2', 'Standard_DC4as_cc_v5', 'Standard_HB120-96rs_v3',
    'Standard_D2pls_v5', 'Standard_FX48mds', 'Basic_A1', 'standard_d4ds_v5',
  ];
  for (const size of named) assert.deepEqual(findings(aksSize(size), 'GW159'), [], size);
  const refused: [string, string | undefined][] = [
    ['Standard D4ds v5', 'Standard_D4ds_v5'],
    ['D4ds_v5', 'Standard_D4ds_v5'],
    ['large', undefined],
    ['Standard_', undefined],
    ['Standard_D', undefined],
    ['Standard_D4ds_v5; rm -rf', undefined],
    ["Standard_D4'${x}<&>", undefined],
    ['Premium_D4ds_v5', undefined],
  ];
  for (const [size, fixed] of refused) {
    const text = aksSize(size);
    const [f, ...rest] = findings(text, 'GW159');
    assert.ok(f, size);
    assert.deepEqual(rest, []);
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(`nodeVmSize ${JSON.stringify(size)}, which is not an Azure VM size name`), f.message);
    assert.deepEqual(f.path, ['nodes', 4, 'properties', 'nodeVmSize']);
    if (fixed === undefined) {
      assert.equal(f.fix, undefined, size);
      continue;
    }
    const applied = applyOperations(text, f.fix!.operations);
    assert.ok(applied.ok);
    assert.match(applied.text, new RegExp(`nodeVmSize: ${fixed}\\n`));
    assert.deepEqual(findings(applied.text, 'GW159'), []);
  }
});

function aksSize(size: string): string {
  return mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'nodeVmSize'], size));
}
