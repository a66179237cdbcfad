/** Edge cases of the AKS and ingress rules (GW140-GW156) beyond their fixture pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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

