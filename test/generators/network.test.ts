/**
 * The network builder: the subnet allocator (pure CIDR arithmetic, checked with fast-check), the virtual network,
 * its subnets and their network security groups for the reference design and variations, and a Bicep build of the
 * network alone with no warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDesign } from '../../src/document/parse.js';
import type { Design } from '../../src/schemas/design.js';
import { AzureBuild } from '../../src/generators/azure/build.js';
import { buildNetwork, networkPlan, nodeSubnet, subnetPrefix, DEFAULT_ADDRESS_SPACE, NSG_TYPE, SUBNET_TYPE, VNET_TYPE } from '../../src/generators/azure/network/resources.js';
import { allocateSubnets, blockSize, contains, overlaps, parseCidr, type SubnetRequest } from '../../src/model/cidr.js';
import { planSubnets } from '../../src/model/subnet-plan.js';
import { ResourceIdRef, type ExprObject } from '../../src/generators/ir/expr.js';
import { renderBicep } from '../../src/generators/ir/bicep.js';
import type { Resource } from '../../src/generators/ir/template.js';
import { compileBicepFiles, formatDiagnostics } from '../helpers/bicep.js';
import { append, deleteAt, indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(parsed.findings)}`);
  return parsed.design as Design;
}

function network(text: string): AzureBuild {
  const b = new AzureBuild(designOf(text));
  buildNetwork(b);
  return b;
}

function resources(b: AzureBuild, type?: string): Resource[] {
  return b.t.build().resources.filter((r) => type === undefined || r.type === type);
}

function props(r: Resource): Record<string, unknown> {
  return r.body.properties as Record<string, unknown>;
}

interface Rule {
  name: string;
  properties: Record<string, unknown>;
}

function rulesOf(nsg: Resource): Rule[] {
  return props(nsg).securityRules as Rule[];
}

function nsgOf(b: AzureBuild, subnet: Resource): Resource {
  const ref = (props(subnet).networkSecurityGroup as ExprObject).id;
  assert.ok(ref instanceof ResourceIdRef, 'the subnet refers to its NSG by id');
  return ref.resource;
}

function ports(rule: Rule): string[] {
  const p = rule.properties;
  return p.destinationPortRange !== undefined ? [p.destinationPortRange as string] : (p.destinationPortRanges as string[]);
}

// ---------------------------------------------------------------- the allocator

const REFERENCE_REQUESTS: SubnetRequest[] = [
  { key: 'appgw', what: 'Application Gateway', minPrefix: 24, preferredPrefix: 24 },
  { key: 'apim', what: 'API Management', minPrefix: 27, preferredPrefix: 27 },
  { key: 'aks', what: 'AKS nodes', minPrefix: 23, preferredPrefix: 20 },
  { key: 'endpoints', what: 'private endpoints', minPrefix: 27, preferredPrefix: 24 },
  { key: 'bastion', what: 'AzureBastionSubnet', minPrefix: 26, preferredPrefix: 26 },
];

test('allocator: a /16 gives every subnet its preferred size, largest first and aligned', () => {
  const got = allocateSubnets('10.0.0.0/16', REFERENCE_REQUESTS);
  assert.deepEqual(
    got.map((a) => [a.key, a.prefix]),
    [
      ['appgw', '10.0.16.0/24'],
      ['apim', '10.0.18.64/27'],
      ['aks', '10.0.0.0/20'],
      ['endpoints', '10.0.17.0/24'],
      ['bastion', '10.0.18.0/26'],
    ],
  );
});

test('allocator: a small space grows AKS and the endpoints only as far as it holds', () => {
  const got = Object.fromEntries(allocateSubnets('10.1.0.0/20', REFERENCE_REQUESTS).map((a) => [a.key, a.prefix]));
  // 4096 addresses: the minimums take 896; AKS grows to /21 (2048), endpoints to /24; AKS /20 no longer fits.
  assert.equal(got.aks, '10.1.0.0/21');
  assert.equal(got.endpoints, '10.1.9.0/24');
  assert.equal(got.appgw, '10.1.8.0/24');
});

test('allocator: an address space too small for the minimum sizes is a clear error', () => {
  assert.throws(
    () => allocateSubnets('10.0.0.0/24', REFERENCE_REQUESTS),
    (e: Error) =>
      /address space 10\.0\.0\.0\/24 \(256 addresses\) is too small/.test(e.message) &&
      e.message.includes('Application Gateway /24') &&
      e.message.includes('AKS nodes /23') &&
      e.message.includes('896 addresses') &&
      e.message.includes('use a /22 or larger'),
  );
});

test('allocator: rejects what is not a network prefix', () => {
  assert.throws(() => parseCidr('10.0.1.0/16'), /bits set after \/16; the network is 10\.0\.0\.0\/16/);
  assert.throws(() => parseCidr('10.0.0.300/16'), /octet above 255/);
  assert.throws(() => parseCidr('10.0.0.0/33'), /prefix length above 32/);
  assert.throws(() => parseCidr('fd00::/8'), /not an IPv4 CIDR/);
  assert.throws(() => allocateSubnets('10.0.0.0/16', [REFERENCE_REQUESTS[0]!, REFERENCE_REQUESTS[0]!]), /share the key/);
});

test('allocator: blocks are aligned, disjoint, inside the space and sized between minimum and preferred (property)', () => {
  const request = fc.record({ min: fc.integer({ min: 16, max: 29 }), grow: fc.integer({ min: 0, max: 4 }) });
  fc.assert(
    fc.property(fc.integer({ min: 8, max: 28 }), fc.nat(), fc.array(request, { minLength: 1, maxLength: 8 }), (prefix, seed, specs) => {
      const start = ((seed % 2 ** prefix) * blockSize(prefix)) % 2 ** 32;
      const space = { start, prefix };
      const text = `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${prefix}`;
      const requests: SubnetRequest[] = specs.map((s, i) => ({ key: `s${i}`, what: `subnet ${i}`, minPrefix: s.min, preferredPrefix: Math.max(0, s.min - s.grow) }));
      const needed = requests.reduce((sum, r) => sum + blockSize(r.minPrefix), 0);
      if (needed > blockSize(prefix)) {
        assert.throws(() => allocateSubnets(text, requests), /too small/);
        return;
      }
      const got = allocateSubnets(text, requests);
      assert.deepEqual(
        got.map((a) => a.key),
        requests.map((r) => r.key),
      );
      got.forEach((a, i) => {
        const r = requests[i]!;
        assert.ok(a.cidr.prefix <= r.minPrefix && a.cidr.prefix >= r.preferredPrefix, `${a.prefix} within /${r.preferredPrefix}../${r.minPrefix}`);
        assert.equal(a.cidr.start % blockSize(a.cidr.prefix), 0, `${a.prefix} is aligned`);
        assert.ok(contains(space, a.cidr), `${a.prefix} inside ${text}`);
        for (const other of got.slice(i + 1)) assert.ok(!overlaps(a.cidr, other.cidr), `${a.prefix} and ${other.prefix} overlap`);
        assert.deepEqual(parseCidr(a.prefix), a.cidr);
      });
    }),
    { numRuns: 400 },
  );
});

// ---------------------------------------------------------------- the reference design

test('reference: one virtual network, five subnets as child resources, one after another', () => {
  const b = network(REFERENCE);
  const [vnet, ...others] = resources(b, VNET_TYPE);
  assert.ok(vnet);
  assert.equal(others.length, 0);
  assert.equal(vnet.name, 'payments-vnet');
  assert.equal(b.vnet, vnet);
  assert.equal(b.nodeResources.get('vnet'), vnet);
  assert.deepEqual(props(vnet), { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, 'no inline subnets');
  const subnets = resources(b, SUBNET_TYPE);
  assert.deepEqual(
    subnets.map((s) => [s.name, props(s).addressPrefix]),
    [
      ['snet-agw', '10.0.16.0/24'],
      ['snet-apim', '10.0.18.64/27'],
      ['snet-aks', '10.0.0.0/20'],
      ['snet-pep', '10.0.17.0/24'],
      ['AzureBastionSubnet', '10.0.18.0/26'],
    ],
  );
  subnets.forEach((s, i) => {
    assert.equal(s.parent, vnet);
    assert.deepEqual(s.dependsOn ?? [], i === 0 ? [] : [subnets[i - 1]], `${String(s.name)} waits for the subnet before it`);
  });
  assert.deepEqual([...b.subnets.keys()].sort(), ['aks', 'apim', 'appgw', 'bastion', 'endpoints']);
  assert.equal(b.subnet('apim'), nodeSubnet(b, 'apim'));
  assert.equal(b.subnet('aks'), nodeSubnet(b, 'aks'));
  assert.equal(subnetPrefix(b, 'appgw'), '10.0.16.0/24');
  assert.equal(networkPlan(b)?.addressSpace, '10.0.0.0/16');
});

test('reference: subnet settings each service requires', () => {
  const b = network(REFERENCE);
  assert.deepEqual(props(b.subnet('apim')).serviceEndpoints, [{ service: 'Microsoft.KeyVault' }]);
  assert.equal(props(b.subnet('endpoints')).privateEndpointNetworkPolicies, 'Enabled');
  assert.equal(b.subnet('bastion').name, 'AzureBastionSubnet');
  for (const s of resources(b, SUBNET_TYPE)) assert.equal(nsgOf(b, s).type, NSG_TYPE, `${String(s.name)} has an NSG`);
  assert.equal(resources(b, NSG_TYPE).length, 5);
  assert.deepEqual(rulesOf(nsgOf(b, b.subnet('endpoints'))), [], 'private endpoints: default rules only');
});

test('reference: the AKS NSG lets only API Management reach the ingress address, and leaves the cluster its own traffic', () => {
  const b = network(REFERENCE);
  const rules = rulesOf(nsgOf(b, b.subnet('aks'))).map((r) => [r.name, r.properties.priority, r.properties.access, r.properties.protocol, r.properties.sourceAddressPrefix, r.properties.destinationAddressPrefix, ports(r).join(',')]);
  assert.deepEqual(rules, [
    ['AllowApiManagementToIngress', 100, 'Allow', 'Tcp', '10.0.18.64/27', '10.0.15.254/32', '443'],
    ['AllowAzureLoadBalancer', 300, 'Allow', '*', 'AzureLoadBalancer', '*', '*'],
    ['AllowClusterToIngress', 310, 'Allow', '*', '10.0.0.0/20', '10.0.15.254/32', '*'],
    ['DenyVirtualNetworkToIngress', 4000, 'Deny', '*', 'VirtualNetwork', '10.0.15.254/32', '*'],
  ]);
  // The deny names the ingress address only: node to node, the private API server endpoint and everything outbound keep Azure's default rules.
  assert.ok(rulesOf(nsgOf(b, b.subnet('aks'))).every((r) => r.properties.direction === 'Inbound'));
});

test('an AKS cluster no API Management calls keeps the default rules', () => {
  const text = mutateReference((d) => {
    d.deleteIn(['edges', indexOf(d, 'edges', 'apim-aks')]);
  });
  const b = network(text);
  assert.deepEqual(rulesOf(nsgOf(b, b.subnet('aks'))), []);
});

test('reference: the API Management NSG has the documented rules', () => {
  const b = network(REFERENCE);
  const rules = rulesOf(nsgOf(b, b.subnet('apim')));
  const find = (direction: string, peer: string, port: string) =>
    rules.find(
      (r) =>
        r.properties.direction === direction &&
        r.properties.access === 'Allow' &&
        (direction === 'Inbound' ? r.properties.sourceAddressPrefix : r.properties.destinationAddressPrefix) === peer &&
        ports(r).includes(port),
    );
  assert.ok(find('Inbound', 'ApiManagement', '3443'), 'management endpoint');
  assert.ok(find('Inbound', 'AzureLoadBalancer', '6390'), 'infrastructure load balancer');
  const fromGateway = find('Inbound', '10.0.16.0/24', '443');
  assert.ok(fromGateway, 'Application Gateway subnet to 443');
  assert.equal(fromGateway.properties.destinationAddressPrefix, '10.0.18.64/27');
  for (const [tag, port] of [
    ['Storage', '443'],
    ['Sql', '1433'],
    ['AzureKeyVault', '443'],
    ['AzureMonitor', '1886'],
    ['AzureMonitor', '443'],
    ['AzureActiveDirectory', '443'],
    ['Internet', '80'],
  ] as const) {
    assert.ok(find('Outbound', tag, port), `outbound ${tag}:${port}`);
  }
  assert.ok(!rules.some((r) => r.properties.sourceAddressPrefix === 'Internet'), 'internal mode: nothing from the internet');
  // The rest of the network is denied explicitly, above Azure's AllowVNetInBound (65000).
  const denied = rules.find((r) => r.name === 'DenyOtherInbound')!;
  assert.deepEqual(
    [denied.properties.access, denied.properties.direction, denied.properties.sourceAddressPrefix, denied.properties.destinationAddressPrefix, denied.properties.priority],
    ['Deny', 'Inbound', '*', '*', 4096],
  );
  assertDistinctPriorities(rules);
});

test('reference: the Application Gateway NSG lets GatewayManager, the listeners and the load balancer in', () => {
  const b = network(REFERENCE);
  const rules = rulesOf(nsgOf(b, b.subnet('appgw')));
  const inbound = rules.map((r) => [r.properties.sourceAddressPrefix, ports(r).join(',')]);
  assert.deepEqual(inbound, [
    ['GatewayManager', '65200-65535'],
    ['Internet', '443'],
    ['Internet', '80'],
    ['AzureLoadBalancer', '*'],
  ]);
  assert.ok(rules.every((r) => r.properties.access === 'Allow' && r.properties.direction === 'Inbound'), 'no deny rule, outbound untouched');
});

test('reference: the Bastion NSG has every required rule, and 443 out for the AKS API server', () => {
  const b = network(REFERENCE);
  const rules = rulesOf(nsgOf(b, b.subnet('bastion')));
  const names = rules.map((r) => r.name);
  for (const name of ['AllowHttpsInbound', 'AllowGatewayManagerInbound', 'AllowAzureLoadBalancerInbound', 'AllowBastionHostCommunication', 'DenyAllInbound', 'AllowAzureCloudOutbound', 'AllowBastionCommunication', 'AllowHttpOutbound', 'DenyAllOutbound']) {
    assert.ok(names.includes(name), name);
  }
  const targets = rules.find((r) => r.name === 'AllowTargetsOutbound')!;
  assert.deepEqual(ports(targets), ['22', '3389', '443']);
  assertDistinctPriorities(rules);

  const noCluster = network(mutateReference((d) => deleteAt(d, ['edges', 'bastion-aks'])));
  assert.deepEqual(ports(rulesOf(nsgOf(noCluster, noCluster.subnet('bastion'))).find((r) => r.name === 'AllowTargetsOutbound')!), ['22', '3389']);
});

function assertDistinctPriorities(rules: Rule[]): void {
  for (const direction of ['Inbound', 'Outbound']) {
    const priorities = rules.filter((r) => r.properties.direction === direction).map((r) => r.properties.priority);
    assert.equal(new Set(priorities).size, priorities.length, `${direction} priorities are distinct`);
  }
}

// ---------------------------------------------------------------- variations

test('only what the design has: no Bastion node, no private link -> no such subnets', () => {
  const text = mutateReference((d) => {
    d.deleteIn(['nodes', indexOf(d, 'nodes', 'bastion')]);
    for (const id of ['bastion-aks', 'bastion-logs']) d.deleteIn(['edges', indexOf(d, 'edges', id)]);
    for (const id of ['aks-acr-link', 'aks-sql', 'aks-cosmos', 'aks-kv-link']) d.deleteIn(['edges', indexOf(d, 'edges', id)]);
  });
  const b = network(text);
  assert.deepEqual(
    resources(b, SUBNET_TYPE).map((s) => s.name),
    ['snet-agw', 'snet-apim', 'snet-aks'],
  );
  assert.ok(!b.subnets.has('bastion') && !b.subnets.has('endpoints'));
});

test('no virtualNetwork node: a default 10.0.0.0/16 network, and a note', () => {
  const text = mutateReference((d) => {
    d.deleteIn(['nodes', indexOf(d, 'nodes', 'vnet')]);
    d.deleteIn(['edges', indexOf(d, 'edges', 'vnet-logs')]);
  });
  const b = network(text);
  const [vnet] = resources(b, VNET_TYPE);
  assert.equal(vnet?.name, 'payments-vnet');
  assert.deepEqual(props(vnet!).addressSpace, { addressPrefixes: [DEFAULT_ADDRESS_SPACE] });
  assert.ok(b.notes.some((n) => n.includes('no virtualNetwork node') && n.includes('10.0.0.0/16')));
  assert.equal(resources(b, SUBNET_TYPE).length, 5);
});

test('nothing private and no virtualNetwork node: no network at all', () => {
  const b = network(`apiVersion: gatewright/v1
kind: Architecture
metadata: { name: tiny, location: westeurope }
nodes:
  - { id: logs, type: logAnalytics }
  - { id: apim, type: apiManagement, properties: { sku: StandardV2, virtualNetworkType: None } }
`);
  assert.equal(resources(b).length, 0);
  assert.equal(b.vnet, undefined);
});

test('a smaller address space from the design is carved as far as it goes', () => {
  const b = network(mutateReference((d) => setAt(d, ['nodes', 'vnet', 'properties', 'addressSpace'], '172.16.0.0/20')));
  assert.equal(props(b.subnet('aks')).addressPrefix, '172.16.0.0/21');
  assert.deepEqual(props(resources(b, VNET_TYPE)[0]!).addressSpace, { addressPrefixes: ['172.16.0.0/20'] });
});

test('an address space too small throws the allocator error', () => {
  assert.throws(() => network(mutateReference((d) => setAt(d, ['nodes', 'vnet', 'properties', 'addressSpace'], '10.0.0.0/23'))), /too small for the subnets the design needs/);
});

test('two clusters and two API Management instances get a subnet each', () => {
  const text = mutateReference((d) => {
    append(d, 'nodes', { id: 'aks2', type: 'aksCluster', properties: { ingress: { hostName: 'payments.internal.contoso.com' } } });
    append(d, 'nodes', { id: 'edge-apim', type: 'apiManagement', properties: { sku: 'Premium', capacity: 2, virtualNetworkType: 'External' } });
  });
  const b = network(text);
  const plan = planSubnets(b.index);
  assert.deepEqual(
    plan.map((s) => [s.key, s.name]),
    [
      ['appgw', 'snet-agw'],
      ['apim', 'snet-apim'],
      ['apim-edge-apim', 'snet-apim-edge-apim'],
      ['aks', 'snet-aks'],
      ['aks-aks2', 'snet-aks-aks2'],
      ['endpoints', 'snet-pep'],
      ['bastion', 'AzureBastionSubnet'],
    ],
  );
  assert.equal(nodeSubnet(b, 'aks2')?.name, 'snet-aks-aks2');
  assert.equal(b.subnet('aks'), nodeSubnet(b, 'aks'), 'the role map keeps the first cluster');
  const external = rulesOf(nsgOf(b, nodeSubnet(b, 'edge-apim')!));
  assert.ok(external.some((r) => r.properties.sourceAddressPrefix === 'Internet' && ports(r).includes('443')), 'external mode: clients from the internet');
  const prefixes = resources(b, SUBNET_TYPE).map((s) => parseCidr(props(s).addressPrefix as string));
  prefixes.forEach((p, i) => prefixes.slice(i + 1).forEach((q) => assert.ok(!overlaps(p, q))));
});

test('a v2 tier in a virtual network gets a delegated subnet', () => {
  const b = network(mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'StandardV2');
    setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'External');
  }));
  assert.deepEqual(props(b.subnet('apim')).delegations, [{ name: 'Microsoft.Web/serverFarms', properties: { serviceName: 'Microsoft.Web/serverFarms' } }]);
  assert.deepEqual(rulesOf(nsgOf(b, b.subnet('apim'))), []);
});

test('a second virtualNetwork node is created empty, with a note', () => {
  const b = network(mutateReference((d) => append(d, 'nodes', { id: 'spare', type: 'virtualNetwork', properties: { addressSpace: '10.9.0.0/16' } })));
  const vnets = resources(b, VNET_TYPE);
  assert.deepEqual(
    vnets.map((v) => v.name),
    ['payments-vnet', b.name({ id: 'spare', type: 'virtualNetwork' })],
  );
  assert.equal(b.nodeResources.get('spare'), vnets[1]);
  assert.ok(resources(b, SUBNET_TYPE).every((s) => s.parent === vnets[0]));
  assert.ok(b.notes.some((n) => n.includes('"spare" is created empty')));
});

test('deterministic: the same design gives the same network', () => {
  assert.equal(renderBicep(network(REFERENCE).t.build()), renderBicep(network(REFERENCE).t.build()));
});

test('the network alone compiles with the real Bicep compiler, with no warning', () => {
  const build = compileBicepFiles([{ path: 'main.bicep', content: renderBicep(network(REFERENCE).t.build()) }]);
  assert.deepEqual(build.diagnostics, [], formatDiagnostics(build.diagnostics));
  assert.ok(build.json);
});
