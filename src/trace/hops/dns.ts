/**
 * How a caller inside the virtual network resolves a host name: through an Azure Private DNS zone linked to its
 * virtual network, the most specific zone holding the name winning; a zone not linked to the caller's network is
 * invisible to it. https://learn.microsoft.com/azure/dns/private-dns-overview
 * https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links
 */
import { lastSegment, parentName, parseResourceId, type ArmResource } from '../arm.js';
import { getIn } from '../locate.js';
import type { Subnet } from '../network.js';
import type { TraceContext } from '../context.js';
import type { Evidence } from '../types.js';

export type RecordValue =
  | { readonly kind: 'address'; readonly address: string; readonly evidence: Evidence }
  /** Filled by Resource Manager from another resource at deployment (`reference(...)`). */
  | { readonly kind: 'reference'; readonly text: string; readonly evidence: Evidence }
  /** Filled only when a parameter is given a value at deployment; empty until then. */
  | { readonly kind: 'parameter'; readonly name: string; readonly evidence: Evidence }
  | { readonly kind: 'none'; readonly evidence: Evidence };

export type Resolution =
  | { readonly ok: false; readonly problem: string; readonly fix: string; readonly evidence: Evidence[] }
  | { readonly ok: true; readonly zone: string; readonly record: string; readonly value: RecordValue; readonly evidence: Evidence[] };

export function resolveHost(ctx: TraceContext, host: string, caller: Subnet | undefined): Resolution {
  const h = host.toLowerCase();
  const zones = ctx.arm
    .ofType('Microsoft.Network/privateDnsZones')
    .filter((z) => !z.name.startsWith('['))
    .filter((z) => h === z.name.toLowerCase() || h.endsWith(`.${z.name.toLowerCase()}`))
    .sort((a, b) => b.name.length - a.name.length);
  const zone = zones[0];
  if (!zone) {
    return {
      ok: false,
      problem: `No private DNS zone in the template holds ${host}: it resolves through public DNS, if at all.`,
      fix: `Give the host name ${host} a domain the design's private DNS zone covers (the nodes' hostName).`,
      evidence: [],
    };
  }
  const zoneEv = ctx.arm.evidence(zone, ['name']);
  const relative = h === zone.name.toLowerCase() ? '@' : host.slice(0, host.length - zone.name.length - 1);
  const record = ctx.arm.ofType('Microsoft.Network/privateDnsZones/A').find((r) => parentName(r.name) === zone.name && lastSegment(r.name).toLowerCase() === relative.toLowerCase());
  const vnetName = caller?.vnet;
  const links = ctx.arm.ofType('Microsoft.Network/privateDnsZones/virtualNetworkLinks').filter((l) => parentName(l.name) === zone.name);
  const link = links.find((l) => parseResourceId(getIn(l.body, ['properties', 'virtualNetwork', 'id']))?.name === vnetName);
  if (!record) {
    return {
      ok: false,
      problem: `Private DNS zone ${zone.name} has no A record "${relative}": ${host} does not resolve.`,
      fix: `Generate again so that the zone gets the record of ${host}; check the hostName of the node serving it.`,
      evidence: [zoneEv],
    };
  }
  const recordEv = ctx.arm.evidence(record, ['name']);
  if (!link) {
    return {
      ok: false,
      problem: `Private DNS zone ${zone.name} is not linked to virtual network ${vnetName ?? '(the caller has no subnet in the template)'}: the caller cannot resolve ${host}.`,
      fix: `Link the zone ${zone.name} to the caller's virtual network (generate again; the virtualNetwork node holds both).`,
      evidence: [zoneEv, recordEv, ...links.map((l) => ctx.arm.evidence(l, ['properties', 'virtualNetwork', 'id']))],
    };
  }
  const linkEv = ctx.arm.evidence(link, ['properties', 'virtualNetwork', 'id']);
  return { ok: true, zone: zone.name, record: relative, value: recordValue(ctx, record), evidence: [zoneEv, recordEv, linkEv] };
}

function recordValue(ctx: TraceContext, record: ArmResource): RecordValue {
  const a = getIn(record.body, ['properties', 'aRecords']);
  if (Array.isArray(a)) {
    if (a.length === 0) return { kind: 'none', evidence: ctx.arm.evidence(record, ['properties', 'aRecords']) };
    const r = ctx.arm.resolve(record, ['properties', 'aRecords', 0, 'ipv4Address']);
    if (!r) return { kind: 'none', evidence: ctx.arm.evidence(record, ['properties', 'aRecords']) };
    if (r.kind === 'literal') return { kind: 'address', address: r.value, evidence: r.evidence };
    if (r.kind === 'parameter') return r.value ? { kind: 'address', address: r.value, evidence: r.evidence } : { kind: 'parameter', name: r.name, evidence: r.evidence };
    return { kind: 'reference', text: r.text, evidence: r.evidence };
  }
  const ev = ctx.arm.evidence(record, ['properties', 'aRecords']);
  if (typeof a === 'string') {
    // A list built from a parameter, empty while the parameter is: the record exists without an address.
    const params = [...new Set([...a.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]!))];
    if (params.length > 0) {
      const values = params.map((p) => ctx.arm.parameter(p));
      const given = values.find((v) => v?.value);
      if (given?.value && params.length === 1) return { kind: 'address', address: given.value, evidence: given.evidence };
      return { kind: 'parameter', name: params.join(', '), evidence: ev };
    }
    return { kind: 'reference', text: a, evidence: ev };
  }
  return { kind: 'none', evidence: ev };
}
