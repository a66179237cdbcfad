/**
 * The template's network as Azure evaluates it: virtual networks, subnets and the network security groups attached
 * to them. A flow from one subnet to an address and TCP port is allowed when the source subnet's NSG lets it out
 * and the destination subnet's NSG lets it in, each NSG taking its rules in priority order (lowest number first,
 * first match wins) and falling back to Azure's default rules (AllowVnetInBound 65000, AllowAzureLoadBalancerInBound
 * 65001, DenyAllInbound 65500; AllowVnetOutBound 65000, AllowInternetOutBound 65001, DenyAllOutBound 65500).
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
 * https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works
 * A rule counts for a subnet when its address prefix (or service tag) covers the whole subnet.
 */
import { findById, lastSegment, parentName, type ArmResource, type ArmTemplate } from './arm.js';
import type { Evidence } from './types.js';

export interface Cidr {
  readonly base: number;
  readonly bits: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return undefined;
  const ip = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}

/** Whether `outer` contains all of `inner`. */
export function covers(outer: Cidr, inner: Cidr): boolean {
  if (outer.bits > inner.bits) return false;
  const mask = outer.bits === 0 ? 0 : (0xffffffff << (32 - outer.bits)) >>> 0;
  return ((inner.base & mask) >>> 0) === outer.base;
}

export interface Subnet {
  readonly name: string;
  readonly vnet: string;
  readonly prefixes: readonly Cidr[];
  readonly prefixText: string;
  readonly nsg: ArmResource | undefined;
  readonly resource: ArmResource;
  readonly evidence: Evidence;
}

export interface Vnet {
  readonly name: string;
  readonly space: readonly Cidr[];
  readonly resource: ArmResource;
}

interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly allow: boolean;
  readonly protocol: string;
  readonly source: readonly string[];
  readonly destination: readonly string[];
  readonly ports: readonly string[];
  /** undefined for Azure's default rules. */
  readonly evidence: Evidence | undefined;
}

export interface Decision {
  readonly allowed: boolean;
  /** The rule that decided, e.g. `ref-nsg-apim/AllowApplicationGateway (120)` or `DenyAllInBound (65500, default)`. */
  readonly rule: string;
  readonly evidence: Evidence | undefined;
}

export interface FlowDecision {
  readonly allowed: boolean;
  readonly out: Decision;
  readonly in: Decision;
}

const DEFAULT_RULES: readonly Rule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', allow: true, protocol: '*', source: ['VirtualNetwork'], destination: ['VirtualNetwork'], ports: ['*'], evidence: undefined },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', allow: true, protocol: '*', source: ['AzureLoadBalancer'], destination: ['*'], ports: ['*'], evidence: undefined },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', allow: false, protocol: '*', source: ['*'], destination: ['*'], ports: ['*'], evidence: undefined },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', allow: true, protocol: '*', source: ['VirtualNetwork'], destination: ['VirtualNetwork'], ports: ['*'], evidence: undefined },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', allow: true, protocol: '*', source: ['*'], destination: ['Internet'], ports: ['*'], evidence: undefined },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', allow: false, protocol: '*', source: ['*'], destination: ['*'], ports: ['*'], evidence: undefined },
];

export class Network {
  readonly vnets: readonly Vnet[];
  readonly subnets: readonly Subnet[];

  constructor(private readonly arm: ArmTemplate) {
    this.vnets = arm.ofType('Microsoft.Network/virtualNetworks').map((r) => ({
      name: r.name,
      space: strings(r.body, ['properties', 'addressSpace', 'addressPrefixes']).flatMap((p) => parseCidr(p) ?? []),
      resource: r,
    }));
    const subnets: Subnet[] = [];
    for (const r of arm.ofType('Microsoft.Network/virtualNetworks/subnets')) {
      subnets.push(this.subnet(r, lastSegment(r.name), parentName(r.name), ['properties']));
    }
    for (const v of arm.ofType('Microsoft.Network/virtualNetworks')) {
      const inline = (v.body.properties as { subnets?: unknown } | undefined)?.subnets;
      if (Array.isArray(inline)) {
        inline.forEach((s, i) => {
          const name = (s as { name?: unknown }).name;
          if (typeof name === 'string') subnets.push(this.subnet(v, name, v.name, ['properties', 'subnets', i, 'properties']));
        });
      }
    }
    this.subnets = subnets;
  }

  private subnet(r: ArmResource, name: string, vnet: string, props: (string | number)[]): Subnet {
    const body = getPath(r.body, props) as Record<string, unknown> | undefined;
    const texts = [...strings(body, ['addressPrefixes']), ...(typeof body?.addressPrefix === 'string' ? [body.addressPrefix] : [])];
    const nsgId = (body?.networkSecurityGroup as { id?: unknown } | undefined)?.id;
    return {
      name,
      vnet,
      prefixes: texts.flatMap((t) => parseCidr(t) ?? []),
      prefixText: texts.join(', '),
      nsg: nsgId === undefined ? undefined : findById(this.arm, nsgId),
      resource: r,
      evidence: this.arm.evidence(r, [...props, typeof body?.addressPrefix === 'string' ? 'addressPrefix' : 'addressPrefixes']),
    };
  }

  /** The subnet a `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]` names. */
  subnetById(id: unknown): Subnet | undefined {
    const r = findById(this.arm, id);
    if (!r) {
      const m = typeof id === 'string' ? /^\[resourceId\('Microsoft\.Network\/virtualNetworks\/subnets', '([^']+)', '([^']+)'\)\]$/i.exec(id) : null;
      return m ? this.subnets.find((s) => s.vnet === m[1] && s.name === m[2]) : undefined;
    }
    return this.subnets.find((s) => s.resource === r);
  }

  /** The subnet whose prefix contains an address. */
  subnetOf(address: Cidr): Subnet | undefined {
    return this.subnets.find((s) => s.prefixes.some((p) => covers(p, address)));
  }

  vnetOf(subnet: Subnet): Vnet | undefined {
    return this.vnets.find((v) => v.name === subnet.vnet);
  }

  /** Whether TCP traffic from `from` reaches `to` (an address or range inside `toSubnet`) on `port`. */
  flow(from: Subnet, toSubnet: Subnet, to: Cidr, port: number): FlowDecision {
    const out = this.decide(from.nsg, 'Outbound', from, from.prefixes[0], to, port);
    const inn = this.decide(toSubnet.nsg, 'Inbound', from, from.prefixes[0], to, port);
    return { allowed: out.allowed && inn.allowed, out, in: inn };
  }

  private decide(nsg: ArmResource | undefined, direction: 'Inbound' | 'Outbound', subnet: Subnet, src: Cidr | undefined, dst: Cidr, port: number): Decision {
    if (!nsg) return { allowed: true, rule: `no network security group on the ${direction === 'Inbound' ? 'destination' : 'source'} subnet`, evidence: undefined };
    const space = this.vnetOf(subnet)?.space ?? [];
    const rules = [...this.rules(nsg), ...DEFAULT_RULES].filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      if (!(rule.protocol === '*' || rule.protocol.toLowerCase() === 'tcp')) continue;
      if (!rule.ports.some((p) => portMatches(p, port))) continue;
      if (!src || !rule.source.some((p) => prefixCovers(p, src, space))) continue;
      if (!rule.destination.some((p) => prefixCovers(p, dst, space))) continue;
      const label = rule.evidence ? `${lastSegment(nsg.name)}/${rule.name} (priority ${rule.priority})` : `${rule.name} (priority ${rule.priority}, Azure default rule of ${lastSegment(nsg.name)})`;
      return { allowed: rule.allow, rule: label, evidence: rule.evidence ?? this.arm.evidence(nsg, ['properties', 'securityRules'], `${rule.name} (default)`) };
    }
    return { allowed: false, rule: 'no rule matched', evidence: undefined };
  }

  private rules(nsg: ArmResource): Rule[] {
    const list = getPath(nsg.body, ['properties', 'securityRules']);
    if (!Array.isArray(list)) return [];
    return list.flatMap((x, i) => {
      const r = x as { name?: unknown; properties?: Record<string, unknown> };
      const p = r.properties ?? {};
      if (typeof p.priority !== 'number') return [];
      const many = (one: string, list_: string): string[] => [...(typeof p[one] === 'string' ? [p[one] as string] : []), ...strings(p, [list_])];
      return [
        {
          name: String(r.name),
          priority: p.priority,
          direction: p.direction === 'Outbound' ? 'Outbound' : 'Inbound',
          allow: p.access === 'Allow',
          protocol: typeof p.protocol === 'string' ? p.protocol : '*',
          source: many('sourceAddressPrefix', 'sourceAddressPrefixes'),
          destination: many('destinationAddressPrefix', 'destinationAddressPrefixes'),
          ports: many('destinationPortRange', 'destinationPortRanges'),
          evidence: this.arm.evidence(nsg, ['properties', 'securityRules', i, 'name'], `${String(r.name)}: ${String(p.access)} ${many('sourceAddressPrefix', 'sourceAddressPrefixes').join(',')} -> ${many('destinationAddressPrefix', 'destinationAddressPrefixes').join(',')}:${many('destinationPortRange', 'destinationPortRanges').join(',')} (priority ${p.priority})`),
        } satisfies Rule,
      ];
    });
  }
}

function portMatches(spec: string, port: number): boolean {
  if (spec === '*') return true;
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return port >= lo && port <= hi;
}

/** Whether a rule's prefix or service tag covers a range inside the virtual network `space`. */
function prefixCovers(prefix: string, range: Cidr, space: readonly Cidr[]): boolean {
  if (prefix === '*' || prefix === '0.0.0.0/0' || prefix.toLowerCase() === 'any') return true;
  if (prefix === 'VirtualNetwork') return space.some((s) => covers(s, range));
  const c = parseCidr(prefix);
  return c !== undefined && covers(c, range);
}

function getPath(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const s of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

function strings(data: unknown, path: readonly (string | number)[]): string[] {
  const v = getPath(data, path);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function formatCidr(c: Cidr): string {
  return `${c.base >>> 24}.${(c.base >>> 16) & 255}.${(c.base >>> 8) & 255}.${c.base & 255}/${c.bits}`;
}
