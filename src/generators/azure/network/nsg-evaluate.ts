/**
 * Evaluates network security group rules the way Azure does, for checking generated templates (not for building them).
 *
 * How Azure decides (learn.microsoft.com/azure/virtual-network/network-security-groups-overview and
 * learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works):
 * - Rules of one direction are processed in priority order, lowest number first; the first rule whose source,
 *   destination, port and protocol match decides (Allow or Deny) and processing stops.
 * - Every group also has the default rules, at the lowest priorities: inbound AllowVNetInBound (65000,
 *   VirtualNetwork to VirtualNetwork), AllowAzureLoadBalancerInBound (65001, AzureLoadBalancer to any) and
 *   DenyAllInbound (65500); outbound AllowVnetOutBound (65000), AllowInternetOutBound (65001, any to Internet) and
 *   DenyAllOutBound (65500).
 * - Traffic between two subnets (or within one) passes the source subnet's group outbound, then the destination
 *   subnet's group inbound; a subnet without a group allows everything.
 * - Service tags stand for address sets: VirtualNetwork is the virtual network's address space, Internet is what is
 *   outside it (and not another Azure service tag), the others (ApiManagement, AzureLoadBalancer, GatewayManager...)
 *   are named by the endpoint that belongs to them.
 *
 * Pure: reads the securityRules of Microsoft.Network/networkSecurityGroups as the ARM JSON holds them.
 */
import { blockSize, parseCidr } from '../../../model/cidr.js';

/** A securityRules entry of an ARM template (literal values only). */
export interface ArmSecurityRule {
  readonly name: string;
  readonly properties: {
    readonly priority: number;
    readonly direction: 'Inbound' | 'Outbound';
    readonly access: 'Allow' | 'Deny';
    readonly protocol: string;
    readonly sourceAddressPrefix?: string;
    readonly sourceAddressPrefixes?: readonly string[];
    readonly destinationAddressPrefix?: string;
    readonly destinationAddressPrefixes?: readonly string[];
    readonly sourcePortRange?: string;
    readonly destinationPortRange?: string;
    readonly destinationPortRanges?: readonly string[];
  };
}

/** One end of a flow: an IPv4 address, and/or the service tags it belongs to (e.g. ['ApiManagement']). */
export interface Endpoint {
  readonly ip?: string;
  readonly tags?: readonly string[];
}

export interface Flow {
  readonly protocol: 'Tcp' | 'Udp';
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly port: number;
}

export interface Verdict {
  readonly access: 'Allow' | 'Deny';
  /** The rule that decided (a default rule's name when no rule of the group matched). */
  readonly rule: string;
  readonly priority: number;
}

/** Azure's default security rules (learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules). */
export const DEFAULT_RULES: readonly ArmSecurityRule[] = [
  defaultRule('AllowVNetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
  defaultRule('DenyAllInbound', 65500, 'Inbound', 'Deny', '*', '*'),
  defaultRule('AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'),
  defaultRule('DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'),
];

function defaultRule(name: string, priority: number, direction: 'Inbound' | 'Outbound', access: 'Allow' | 'Deny', source: string, destination: string): ArmSecurityRule {
  return {
    name,
    properties: { priority, direction, access, protocol: '*', sourceAddressPrefix: source, destinationAddressPrefix: destination, sourcePortRange: '*', destinationPortRange: '*' },
  };
}

/**
 * The verdict of one group for a flow in one direction: its rules and the default rules by priority, first match.
 * `addressSpace` is the virtual network's (what VirtualNetwork stands for).
 */
export function evaluateGroup(rules: readonly ArmSecurityRule[], direction: 'Inbound' | 'Outbound', flow: Flow, addressSpace: readonly string[]): Verdict {
  const ordered = [...rules, ...DEFAULT_RULES].filter((r) => r.properties.direction === direction).sort((a, b) => a.properties.priority - b.properties.priority);
  for (const r of ordered) {
    const p = r.properties;
    if (p.protocol !== '*' && p.protocol.toLowerCase() !== flow.protocol.toLowerCase()) continue;
    if (!prefixesOf(p.sourceAddressPrefix, p.sourceAddressPrefixes).some((x) => matches(x, flow.source, addressSpace))) continue;
    if (!prefixesOf(p.destinationAddressPrefix, p.destinationAddressPrefixes).some((x) => matches(x, flow.destination, addressSpace))) continue;
    if (!prefixesOf(p.destinationPortRange, p.destinationPortRanges).some((range) => inPortRange(range, flow.port))) continue;
    return { access: p.access, rule: r.name, priority: p.priority };
  }
  // DenyAll* matches everything, so this is only reached with no rules of the direction at all.
  return { access: 'Deny', rule: 'none', priority: 65536 };
}

/**
 * Whether a flow gets through: the source subnet's group outbound, then the destination subnet's inbound (a side
 * without a group, e.g. a source outside the network, does not filter). Returns the deciding verdict.
 */
export function evaluatePath(
  from: readonly ArmSecurityRule[] | undefined,
  to: readonly ArmSecurityRule[] | undefined,
  flow: Flow,
  addressSpace: readonly string[],
): Verdict {
  if (from) {
    const out = evaluateGroup(from, 'Outbound', flow, addressSpace);
    if (out.access === 'Deny') return out;
  }
  if (to) return evaluateGroup(to, 'Inbound', flow, addressSpace);
  return { access: 'Allow', rule: 'no network security group', priority: 65536 };
}

function prefixesOf(one: string | undefined, many: readonly string[] | undefined): readonly string[] {
  return many && many.length ? many : one !== undefined ? [one] : [];
}

function matches(prefix: string, e: Endpoint, addressSpace: readonly string[]): boolean {
  if (prefix === '*' || prefix.toLowerCase() === 'any') return true;
  if (/^\d/.test(prefix)) return e.ip !== undefined && inCidr(e.ip, prefix.includes('/') ? prefix : `${prefix}/32`);
  const tags = e.tags ?? [];
  if (tags.includes(prefix)) return true;
  if (prefix === 'VirtualNetwork') return e.ip !== undefined && addressSpace.some((c) => inCidr(e.ip!, c));
  // Internet: an address outside the network that no other service tag claims.
  if (prefix === 'Internet') return e.ip !== undefined && tags.length === 0 && !addressSpace.some((c) => inCidr(e.ip!, c));
  return false;
}

function inPortRange(range: string, port: number): boolean {
  if (range === '*') return true;
  const [lo, hi] = range.split('-').map(Number);
  return hi === undefined ? port === lo : port >= lo! && port <= hi;
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  const n = ipNumber(ip);
  return n >= c.start && n < c.start + blockSize(c.prefix);
}
