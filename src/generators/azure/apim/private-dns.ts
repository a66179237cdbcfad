/**
 * Private DNS for the host names API Management serves and calls in the virtual network (azure-facts §4 "DNS in
 * internal mode"): an internal API Management is registered in no public DNS and answers only to its configured
 * host names, so Application Gateway reaches it through a private zone of the custom domain's parent domain with an
 * A record to the service's private IP; the same goes for the ingress host names API Management calls.
 *
 * All host names are known before any record is made, so each one goes in the most specific zone that covers it:
 * the zones are the parent domains of the hosts (gateway.internal.contoso.com -> internal.contoso.com; a two-label
 * host is its own zone, record "@"). Each zone is linked to the virtual network once (registrationEnabled false).
 */
import type { Expr } from '../../ir/expr.js';
import { idOf } from '../../ir/expr.js';
import type { Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

export const PRIVATE_DNS_API = '2024-06-01';
export const PRIVATE_DNS_ZONE_TYPE = 'Microsoft.Network/privateDnsZones';
export const VNET_LINK_TYPE = 'Microsoft.Network/privateDnsZones/virtualNetworkLinks';
export const A_RECORD_TYPE = 'Microsoft.Network/privateDnsZones/A';

/** The zone a host name would get on its own: its parent domain, or itself when it has two labels. */
export function parentZone(host: string): string {
  const labels = host.toLowerCase().split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : labels.join('.');
}

/** The zone of each host (the longest zone that is the host or a suffix of it) and the record name in it. */
export function placeHosts(hosts: readonly string[]): Map<string, { zone: string; record: string }> {
  const zones = [...new Set(hosts.map(parentZone))].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const out = new Map<string, { zone: string; record: string }>();
  for (const raw of hosts) {
    const host = raw.toLowerCase();
    const zone = zones.find((z) => host === z || host.endsWith(`.${z}`)) ?? parentZone(host);
    out.set(host, { zone, record: host === zone ? '@' : host.slice(0, host.length - zone.length - 1) });
  }
  return out;
}

export class PrivateDns {
  private readonly placement: Map<string, { zone: string; record: string }>;
  private readonly zones = new Map<string, Resource>();
  private readonly records = new Set<string>();

  constructor(
    private readonly b: AzureBuild,
    hosts: readonly string[],
  ) {
    this.placement = placeHosts(hosts);
  }

  /** An A record for a host (once per host); undefined when the design has no virtual network to link a zone to. */
  aRecord(host: string, aRecords: Expr, ttl: number, description: string): Resource | undefined {
    const vnet = this.b.vnet;
    if (!vnet) return undefined;
    const key = host.toLowerCase();
    if (this.records.has(key)) return undefined;
    this.records.add(key);
    const place = this.placement.get(key) ?? placeHosts([key]).get(key)!;
    const zone = this.zone(place.zone, vnet);
    return this.b.resource({
      symbol: `dns-${key}`,
      type: A_RECORD_TYPE,
      apiVersion: PRIVATE_DNS_API,
      parent: zone,
      name: place.record,
      description,
      body: { properties: { ttl, aRecords } },
    });
  }

  private zone(name: string, vnet: Resource): Resource {
    const known = this.zones.get(name);
    if (known) return known;
    const zone = this.b.resource({
      symbol: `zone-${name}`,
      type: PRIVATE_DNS_ZONE_TYPE,
      apiVersion: PRIVATE_DNS_API,
      name,
      description: `Private DNS zone ${name}, resolved in the virtual network.`,
      body: { location: 'global', tags: this.b.placed().tags, properties: {} },
    });
    const vnetName = typeof vnet.name === 'string' ? vnet.name : 'vnet';
    this.b.resource({
      symbol: `zone-${name}-link`,
      type: VNET_LINK_TYPE,
      apiVersion: PRIVATE_DNS_API,
      parent: zone,
      name: `link-${vnetName}`,
      description: `Links ${name} to the virtual network (no auto-registration).`,
      body: { location: 'global', tags: this.b.placed().tags, properties: { virtualNetwork: { id: idOf(vnet) }, registrationEnabled: false } },
    });
    this.zones.set(name, zone);
    return zone;
  }
}
