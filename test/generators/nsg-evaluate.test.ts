/**
 * The network security group evaluator behaves as Azure documents: rules by priority, first match decides, the
 * default rules after the group's own, outbound at the source then inbound at the destination.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES, evaluateGroup, evaluatePath, inCidr, type ArmSecurityRule, type Flow } from '../../src/generators/azure/network/nsg-evaluate.js';

const SPACE = ['10.0.0.0/16'];

function rule(name: string, priority: number, access: 'Allow' | 'Deny', source: string, destination: string, port: string, direction: 'Inbound' | 'Outbound' = 'Inbound', protocol = 'Tcp'): ArmSecurityRule {
  return { name, properties: { priority, direction, access, protocol, sourceAddressPrefix: source, destinationAddressPrefix: destination, sourcePortRange: '*', destinationPortRange: port } };
}

const tcp = (from: string, to: string, port: number): Flow => ({ protocol: 'Tcp', source: { ip: from }, destination: { ip: to }, port });

test('an empty group has the default rules: the virtual network in, the internet out, nothing else', () => {
  assert.deepEqual(evaluateGroup([], 'Inbound', tcp('10.0.1.4', '10.0.2.4', 443), SPACE), { access: 'Allow', rule: 'AllowVNetInBound', priority: 65000 });
  assert.equal(evaluateGroup([], 'Inbound', tcp('203.0.113.9', '10.0.2.4', 443), SPACE).rule, 'DenyAllInbound');
  assert.equal(evaluateGroup([], 'Inbound', { protocol: 'Tcp', source: { tags: ['AzureLoadBalancer'] }, destination: { ip: '10.0.2.4' }, port: 80 }, SPACE).rule, 'AllowAzureLoadBalancerInBound');
  assert.equal(evaluateGroup([], 'Outbound', tcp('10.0.2.4', '203.0.113.9', 443), SPACE).rule, 'AllowInternetOutBound');
  assert.equal(DEFAULT_RULES.length, 6);
});

test('the lowest priority number decides, whatever the order of the rules', () => {
  const rules = [rule('DenyLater', 300, 'Deny', '*', '*', '*'), rule('AllowFirst', 100, 'Allow', '10.0.1.0/24', '*', '443')];
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.1.4', '10.0.2.4', 443), SPACE).rule, 'AllowFirst');
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.1.4', '10.0.2.4', 80), SPACE).rule, 'DenyLater', 'another port falls through');
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.3.4', '10.0.2.4', 443), SPACE).rule, 'DenyLater', 'another source falls through');
  // A deny above the default AllowVNetInBound shuts the virtual network out.
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.3.4', '10.0.2.4', 443), SPACE).access, 'Deny');
});

test('service tags, port ranges, port lists and protocols match as documented', () => {
  const rules: ArmSecurityRule[] = [
    rule('Mgmt', 100, 'Allow', 'ApiManagement', 'VirtualNetwork', '3443'),
    rule('Range', 110, 'Allow', 'GatewayManager', '*', '65200-65535'),
    { name: 'List', properties: { ...rule('List', 120, 'Allow', '10.0.5.0/24', '*', '*').properties, destinationPortRange: undefined, destinationPortRanges: ['8080', '5701'] } },
    rule('UdpOnly', 130, 'Allow', '10.0.6.0/24', '*', '53', 'Inbound', 'Udp'),
    rule('DenyRest', 4096, 'Deny', '*', '*', '*', 'Inbound', '*'),
  ];
  const to = { ip: '10.0.2.4' };
  assert.equal(evaluateGroup(rules, 'Inbound', { protocol: 'Tcp', source: { tags: ['ApiManagement'] }, destination: to, port: 3443 }, SPACE).rule, 'Mgmt');
  assert.equal(evaluateGroup(rules, 'Inbound', { protocol: 'Tcp', source: { tags: ['GatewayManager'] }, destination: to, port: 65300 }, SPACE).rule, 'Range');
  assert.equal(evaluateGroup(rules, 'Inbound', { protocol: 'Tcp', source: { tags: ['GatewayManager'] }, destination: to, port: 65199 }, SPACE).rule, 'DenyRest');
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.5.9', '10.0.2.4', 5701), SPACE).rule, 'List');
  assert.equal(evaluateGroup(rules, 'Inbound', tcp('10.0.6.9', '10.0.2.4', 53), SPACE).rule, 'DenyRest', 'a UDP rule does not admit TCP');
  assert.equal(evaluateGroup(rules, 'Inbound', { ...tcp('10.0.6.9', '10.0.2.4', 53), protocol: 'Udp' }, SPACE).rule, 'UdpOnly');
  // Internet is what lies outside the virtual network; VirtualNetwork is the address space.
  const web = [rule('Web', 100, 'Allow', 'Internet', '*', '443')];
  assert.equal(evaluateGroup(web, 'Inbound', tcp('198.51.100.7', '10.0.2.4', 443), SPACE).rule, 'Web');
  assert.equal(evaluateGroup(web, 'Inbound', tcp('10.0.9.7', '10.0.2.4', 443), SPACE).rule, 'AllowVNetInBound');
});

test('a path passes the source group outbound, then the destination group inbound', () => {
  const source = [rule('DenyOut', 100, 'Deny', '*', '10.0.2.0/24', '*', 'Outbound', '*')];
  const destination = [rule('AllowIn', 100, 'Allow', '10.0.1.0/24', '*', '443')];
  assert.deepEqual(evaluatePath(source, destination, tcp('10.0.1.4', '10.0.2.4', 443), SPACE), { access: 'Deny', rule: 'DenyOut', priority: 100 });
  assert.equal(evaluatePath(undefined, destination, tcp('10.0.1.4', '10.0.2.4', 443), SPACE).rule, 'AllowIn');
  assert.equal(evaluatePath(undefined, undefined, tcp('10.0.1.4', '10.0.2.4', 443), SPACE).access, 'Allow', 'no group filters nothing');
});

test('CIDR membership', () => {
  assert.ok(inCidr('10.0.15.254', '10.0.0.0/20'));
  assert.ok(!inCidr('10.0.16.0', '10.0.0.0/20'));
  assert.ok(inCidr('10.0.1.4', '10.0.1.4/32'));
});
