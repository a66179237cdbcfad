/**
 * The rules for mistakes Azure, Kubernetes or OpenSSL refuse, or that break the request path (GW400-GW449), beyond
 * their fixture pair: where the facts come from, when each rule applies, the fixes, and the generator following the
 * same facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations } from '../../src/document/edits/index.js';
import { analyze } from '../../src/validation/analyze.js';
import type { Finding } from '../../src/schemas/finding.js';
import { AZURE_REGIONS, TAG_LIMITS, WAF_RULE_SETS, regionHasZones } from '../../src/model/azure-facts.js';
import { annotationKeyProblem, kubernetesPathProblem, normalizePath } from '../../src/validation/rules/kubernetes.js';
import { generate } from '../../src/generators/generate.js';
import { blankDesign } from '../../src/designs/reference.js';
import { append, deleteAt, mutate, mutateReference, setAt } from '../helpers/reference.js';
import { setNode } from './graph.cases.js';
import { SIXTEEN_TAGS } from './platform.cases.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function analysis(text: string) {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, `schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a;
}

function run(text: string, rule: string): Finding[] {
  return analysis(text).findings.filter((f) => f.ruleId === rule);
}

/** Applies the fix of a finding and returns the new text. */
function applyFix(text: string, f: Finding | undefined): string {
  assert.ok(f?.fix, 'the finding has no fix');
  const applied = applyOperations(text, f.fix.operations);
  assert.ok(applied.ok, applied.ok ? '' : applied.error);
  return applied.text;
}

const atLocation = (location: string) => mutateReference((d) => d.setIn(['metadata', 'location'], location));

// ---------------------------------------------------------------- the facts

test('the Azure facts name their public source and the day they were checked', () => {
  for (const facts of [AZURE_REGIONS, TAG_LIMITS, WAF_RULE_SETS]) {
    assert.match(facts.source, /^https:\/\/learn\.microsoft\.com\/azure\//);
    assert.match(facts.checked, /^\d{4}-\d{2}-\d{2}$/);
  }
  for (const name of Object.keys(AZURE_REGIONS.data)) assert.match(name, /^[a-z][a-z0-9]*$/, `${name} is not a programmatic region name`);
  assert.equal(regionHasZones('westeurope'), true);
  assert.equal(regionHasZones('westcentralus'), false);
  assert.equal(regionHasZones('constructor'), false, 'an object key is not a region');
  // Sovereign clouds are deployment targets too (gatewright.deploy.resourceManagerEndpoint).
  assert.equal(AZURE_REGIONS.data.usgovvirginia?.cloud, 'AzureUSGovernment');
  assert.equal(AZURE_REGIONS.data.chinanorth3?.cloud, 'AzureChinaCloud');
});

// ---------------------------------------------------------------- regions

test('GW400 accepts every region of the data file and offers the one close name for a typo', () => {
  for (const region of Object.keys(AZURE_REGIONS.data)) assert.deepEqual(run(atLocation(region), 'GW400'), [], region);
  const typo = atLocation('norhteurope');
  const [f] = run(typo, 'GW400');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.fix?.operations, [{ op: 'setProperty', target: { kind: 'metadata' }, path: ['location'], value: 'northeurope' }]);
  assert.deepEqual(run(applyFix(typo, f), 'GW400'), []);
});

test('GW400 offers no fix for a name far from every region, and says how to list them', () => {
  const [f] = run(atLocation('mars'), 'GW400');
  assert.match(f!.message, /"mars" is not an Azure region: use a programmatic region name such as westeurope/);
  assert.equal(f!.fix, undefined);
});

test('GW401 and GW103: in a region without zones the regional gateway is right; in a region with zones it is a warning', () => {
  const zoneless = atLocation('westcentralus');
  assert.deepEqual(run(zoneless, 'GW103'), [], 'GW103 must not ask for zones a region does not have');
  const [f] = run(zoneless, 'GW401');
  const fixed = applyFix(zoneless, f);
  assert.deepEqual(run(fixed, 'GW401'), []);
  assert.deepEqual(run(fixed, 'GW103'), []);
  const regional = mutateReference((d) => setNode(d, ['nodes', 'appgw', 'properties', 'zones'], []));
  assert.deepEqual(run(regional, 'GW401'), []);
  assert.equal(run(regional, 'GW103').length, 1);
});

test('the generated AKS node pool spans zones only in a region that has them', () => {
  const pools = (text: string) => {
    const a = analysis(text);
    const main = generate(a.design!).files.find((f) => f.path === 'infra/main.json')!.content;
    const template = JSON.parse(main) as { resources: { type: string; properties?: { agentPoolProfiles?: { availabilityZones?: string[] }[] } }[] };
    return template.resources.filter((r) => r.type === 'Microsoft.ContainerService/managedClusters').map((r) => r.properties!.agentPoolProfiles![0]!.availabilityZones);
  };
  assert.deepEqual(pools(atLocation('westeurope')), [['1', '2', '3']]);
  const zoneless = mutate(atLocation('westcentralus'), (d) => setNode(d, ['nodes', 'appgw', 'properties', 'zones'], []));
  assert.deepEqual(pools(zoneless), [undefined]);
});

test('GW104 follows the data file: only the recommended rule set passes', () => {
  for (const [version, facts] of Object.entries(WAF_RULE_SETS.data)) {
    const found = run(mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'ruleSetVersion'], version)), 'GW104');
    assert.equal(found.length, facts.recommended ? 0 : 1, version);
  }
});

// ---------------------------------------------------------------- limits

test('GW410: 16 tags are too many only when Private DNS zones are generated; 51 are too many for anything', () => {
  const blank = mutate(blankDesign(), (d) => d.setIn(['metadata', 'tags'], d.createNode(SIXTEEN_TAGS)));
  assert.deepEqual(run(blank, 'GW410'), []);
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']));
  const [f] = run(mutate(blankDesign(), (d) => d.setIn(['metadata', 'tags'], d.createNode(many))), 'GW410');
  assert.match(f!.message, /51 tags.*an Azure resource accepts at most 50/);

  const text = mutateReference((d) => d.setIn(['metadata', 'tags'], d.createNode(SIXTEEN_TAGS)));
  const [dns] = run(text, 'GW410');
  assert.match(dns!.message, /Private DNS zones \(for the private endpoint of "acr".*accept at most 15/);
  const fixed = analysis(applyFix(text, dns));
  assert.deepEqual(Object.keys(fixed.design!.metadata.tags!), Object.keys(SIXTEEN_TAGS).slice(0, 15));
  assert.deepEqual(fixed.findings.filter((x) => x.ruleId === 'GW410'), []);
});

test('GW411 names both spellings and its fix keeps the first', () => {
  const text = mutateReference((d) => d.setIn(['metadata', 'tags', 'WORKLOAD'], 'x'));
  const [f] = run(text, 'GW411');
  assert.match(f!.message, /"payments", "x"/);
  assert.deepEqual(analysis(applyFix(text, f)).design!.metadata.tags, { workload: 'payments' });
});

// ---------------------------------------------------------------- Kubernetes

test('GW420 checks paths as the API server does, and its fix gives the path the API server accepts', () => {
  for (const bad of ['/a//b', '/a/./b', '/a/../b', '/a%2Fb', '/a%2fb', '/a/..', '/a/.']) assert.ok(kubernetesPathProblem(bad), bad);
  for (const good of ['/', '/a', '/a/b/', '/a.b', '/..a', '/a..']) assert.equal(kubernetesPathProblem(good), undefined, good);
  assert.equal(normalizePath('/a//b/./c/../d%2Fe/'), '/a/b/d/e');
  const text = mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'services', 0, 'path'], '/orders/./v1/'));
  const [f] = run(text, 'GW420');
  assert.match(f!.message, /contains "\/\.\/".*use "\/orders\/v1"/);
  assert.deepEqual(run(applyFix(text, f), 'GW420'), []);
});

test('GW421 applies to the NGINX controllers only, not to the Gateway API', () => {
  const dotted = (controller: string) =>
    mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'services', 0, 'path'], '/v1.0');
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller);
    });
  assert.equal(run(dotted('appRouting'), 'GW421').length, 1);
  assert.equal(run(dotted('ingressNginx'), 'GW421').length, 1);
  assert.deepEqual(run(dotted('gatewayApi'), 'GW421'), []);
  // A path the API server refuses is GW420's alone.
  assert.deepEqual(run(mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'services', 0, 'path'], '/v1.0//x')), 'GW421'), []);
});

test('GW422: "/orders" and "/orders/" are one route; passthrough routes by host alone', () => {
  const two = (a: string, b: string) =>
    mutateReference((d) => setNode(d, ['nodes', 'aks', 'properties', 'services'], [
      { name: 'orders', namespace: 'orders', path: a },
      { name: 'payments', namespace: 'orders', path: b },
    ]));
  assert.equal(run(two('/orders', '/orders/'), 'GW422').length, 1);
  assert.deepEqual(run(two('/orders', '/payments'), 'GW422'), []);
  const passthrough = mutate(two('/orders', '/payments'), (d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough'));
  const [f] = run(passthrough, 'GW422');
  assert.match(f!.message, /passes TLS through for 2 services/);
});

test('GW423: two clusters that API Management calls on one host name', () => {
  const text = mutateReference((d) => {
    append(d, 'nodes', {
      id: 'aks2',
      type: 'aksCluster',
      properties: { ingress: { hostName: 'ORDERS.internal.contoso.com', serverCertificate: 'ingress-tls' }, services: [{ name: 'billing', namespace: 'billing' }] },
    });
    append(d, 'edges', { from: 'apim', to: 'aks2', type: 'mtls', properties: { clientCertificate: 'apim-client' } });
  });
  const [f] = run(text, 'GW423');
  assert.deepEqual(f!.target, { kind: 'node', id: 'aks2' });
  assert.match(f!.message, /the ingress of AKS cluster "aks" and the ingress of AKS cluster "aks2" use the same host name orders\.internal\.contoso\.com/);
});

// ---------------------------------------------------------------- reachability

test('GW440 and GW441: any private endpoint to the service will do, and an open service needs none', () => {
  const viaNetwork = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-kv-link']);
    append(d, 'edges', { from: 'vnet', to: 'kv', type: 'privateLink' });
  });
  assert.deepEqual(run(viaNetwork, 'GW440'), []);
  const open = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-acr-link']);
    setAt(d, ['nodes', 'acr', 'properties', 'publicNetworkAccess'], 'Enabled');
  });
  assert.deepEqual(run(open, 'GW441'), []);
  const closed = mutateReference((d) => deleteAt(d, ['edges', 'aks-acr-link']));
  const [f] = run(closed, 'GW441');
  assert.deepEqual(f!.fix?.operations, [{ op: 'connect', edge: { id: 'aks-acr-privatelink', from: 'aks', to: 'acr', type: 'privateLink' } }]);
});

test('GW440 counts the app routing ingress certificate as reading the vault, even without a secrets edge', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['edges', 'aks-kv-link']);
    deleteAt(d, ['edges', 'aks-kv']);
  });
  assert.equal(run(text, 'GW440').length, 1);
});

test('GW442 applies only to a vault something reads', () => {
  const unread = mutate(blankDesign(), (d) => append(d, 'nodes', { id: 'kv', type: 'keyVault', properties: { rbacAuthorization: false } }));
  assert.deepEqual(run(unread, 'GW442'), []);
});

test('GW112 is an error for any gateway with no backend, internet-facing or not', () => {
  const internal = mutateReference((d) => {
    deleteAt(d, ['edges', 'appgw-apim']);
    deleteAt(d, ['edges', 'internet-appgw']);
  });
  const [f] = run(internal, 'GW112');
  assert.equal(f!.severity, 'error');
  assert.match(f!.message, /"appgw" forwards nowhere: its backend pool is empty and every request gets 502/);
});

test('GW424 checks annotation keys as the API server does, and the total size', () => {
  for (const good of ['a', 'example.com/owner', 'nginx.ingress.kubernetes.io/proxy-body-size', 'x/A_b.c-9', `p/${'n'.repeat(63)}`]) assert.equal(annotationKeyProblem(good), undefined, good);
  for (const bad of ['', '/x', 'x/', 'Example.com/x', 'a b', '-x', 'x.', `p/${'n'.repeat(64)}`, 'a/b/c']) assert.ok(annotationKeyProblem(bad), bad);
  const big = mutateReference((d) => setNode(d, ['nodes', 'aks', 'properties', 'ingress', 'annotations'], { 'example.com/a': 'x'.repeat(140_000), 'example.com/b': 'y'.repeat(140_000) }));
  const [f] = run(big, 'GW424');
  assert.match(f!.message, /hold 280026 bytes, more than the 262144/);
});

test('GW405 knows the rules of each set: 944xxx exists in OWASP 3.1, not in 3.0', () => {
  const java = (version: string) =>
    mutateReference((d) => {
      setAt(d, ['nodes', 'appgw', 'properties', 'ruleSetVersion'], version);
      setNode(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['944100']);
    });
  assert.deepEqual(run(java('OWASP 3.1'), 'GW405'), []);
  const [f] = run(java('OWASP 3.0'), 'GW405');
  assert.deepEqual(f!.fix?.operations, [{ op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'disabledRules'], value: [] }]);
});

test('GW443 is quiet for API Management that no gateway forwards to', () => {
  const text = mutateReference((d) => {
    deleteAt(d, ['nodes', 'apim', 'properties', 'apis']);
    deleteAt(d, ['edges', 'appgw-apim']);
  });
  assert.deepEqual(run(text, 'GW443'), []);
});

test('GW423: two internal API Management instances on one host name; the finding is on the second', () => {
  const text = mutateReference((d) =>
    append(d, 'nodes', {
      id: 'apim2',
      type: 'apiManagement',
      properties: { sku: 'Developer', virtualNetworkType: 'Internal', hostName: 'gateway.internal.contoso.com', certificate: 'apim-tls', publisherEmail: 'a@contoso.com', publisherName: 'A' },
    }),
  );
  const [f] = run(text, 'GW423');
  assert.deepEqual(f!.target, { kind: 'node', id: 'apim2' });
  assert.ok(f!.location, 'the finding points at the host name in the file');
  assert.match(f!.message, /API Management "apim" and API Management "apim2" use the same host name gateway\.internal\.contoso\.com/);
});
