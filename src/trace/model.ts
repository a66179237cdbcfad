/**
 * The request path as the generated template builds it, found by resource types and the references between them:
 * API Management services (with their custom domain, which a nested deployment may set), their APIs and backends,
 * and the Application Gateways whose backend pools point at them.
 */
import { childIndex, findById, lastSegment, type ArmResource, type Resolved } from './arm.js';
import { getIn } from './locate.js';
import type { Subnet } from './network.js';
import type { TraceContext } from './context.js';

export interface ApimService {
  readonly name: string;
  /** Every declaration of the service (a second one may add the custom domain). */
  readonly resources: readonly ArmResource[];
  /** The gateway (Proxy) custom domain, if one is configured. */
  readonly proxy: { readonly host: string; readonly resource: ArmResource; readonly index: number } | undefined;
  /** Host names the gateway answers: the custom domain and `<name>.azure-api.net`. */
  readonly hosts: readonly string[];
  readonly subnet: Subnet | undefined;
  readonly main: ArmResource;
}

export interface ApiPath {
  readonly apim: ApimService;
  readonly api: ArmResource;
  readonly name: string;
  readonly gateway: GatewayRoute | undefined;
}

export interface GatewayRoute {
  readonly resource: ArmResource;
  readonly ruleIndex: number;
  readonly listenerIndex: number;
  readonly poolIndex: number;
  readonly settingsIndex: number;
  /** The backend address (fqdn or ip) of the pool that is the API Management gateway. */
  readonly addressIndex: number;
  readonly address: string;
}

const APIM = 'Microsoft.ApiManagement/service';

export function apimServices(ctx: TraceContext): ApimService[] {
  const byName = new Map<string, ArmResource[]>();
  for (const r of ctx.arm.ofType(APIM)) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return [...byName].map(([name, resources]) => {
    let proxy: ApimService['proxy'];
    for (const r of resources) {
      const list = getIn(r.body, ['properties', 'hostnameConfigurations']);
      if (!Array.isArray(list)) continue;
      const index = list.findIndex((h) => (h as { type?: unknown }).type === 'Proxy' && typeof (h as { hostName?: unknown }).hostName === 'string');
      if (index >= 0) proxy = { host: String((list[index] as { hostName: string }).hostName), resource: r, index };
    }
    const main = resources.find((r) => r.scope === undefined) ?? resources[0]!;
    let subnet: Subnet | undefined;
    for (const r of resources) {
      const res = ctx.arm.resolve(r, ['properties', 'virtualNetworkConfiguration', 'subnetResourceId']);
      const text = res?.kind === 'expression' ? res.text : res?.kind === 'literal' ? res.value : undefined;
      subnet ??= text === undefined ? undefined : ctx.net.subnetById(text);
    }
    const hosts = [...(proxy ? [proxy.host] : []), `${name}.azure-api.net`];
    return { name, resources, proxy, hosts, subnet, main };
  });
}

export function apiPaths(ctx: TraceContext): ApiPath[] {
  const out: ApiPath[] = [];
  for (const apim of apimServices(ctx)) {
    const route = gatewayRoute(ctx, apim);
    for (const api of ctx.children('Microsoft.ApiManagement/service/apis', apim.name)) {
      out.push({ apim, api, name: lastSegment(api.name), gateway: route });
    }
  }
  return out;
}

/** The Application Gateway routing rule whose backend pool holds an address of the API Management gateway. */
function gatewayRoute(ctx: TraceContext, apim: ApimService): GatewayRoute | undefined {
  const hosts = apim.hosts.map((h) => h.toLowerCase());
  for (const g of ctx.arm.ofType('Microsoft.Network/applicationGateways')) {
    const p = (g.body.properties ?? {}) as Record<string, unknown>;
    const rules = Array.isArray(p.requestRoutingRules) ? p.requestRoutingRules : [];
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      const rule = rules[ruleIndex] as { properties?: Record<string, { id?: unknown } | undefined> };
      const poolIndex = childIndex(p.backendAddressPools, rule.properties?.backendAddressPool?.id);
      if (poolIndex < 0) continue;
      const addresses = getIn(p, ['backendAddressPools', poolIndex, 'properties', 'backendAddresses']);
      if (!Array.isArray(addresses)) continue;
      const addressIndex = addresses.findIndex((a) => hosts.includes(String((a as { fqdn?: unknown }).fqdn ?? '').toLowerCase()));
      // A pool of one address that is not API Management's host name is still the route to it when the rule is
      // the only one with a backend: the backend-host check then says what is wrong with it.
      const only = rules.filter((r) => (r as { properties?: { backendAddressPool?: unknown } }).properties?.backendAddressPool).length === 1;
      if (addressIndex < 0 && !only) continue;
      const ai = addressIndex < 0 ? 0 : addressIndex;
      const a = addresses[ai] as { fqdn?: unknown; ipAddress?: unknown } | undefined;
      return {
        resource: g,
        ruleIndex,
        listenerIndex: childIndex(p.httpListeners, rule.properties?.httpListener?.id),
        poolIndex,
        settingsIndex: childIndex(p.backendHttpSettingsCollection, rule.properties?.backendHttpSettings?.id),
        addressIndex: ai,
        address: String(a?.fqdn ?? a?.ipAddress ?? ''),
      };
    }
  }
  return undefined;
}

/** A resolved string's value when the files settle it, `undefined` when it is settled only at deployment. */
export function valueOf(r: Resolved | undefined): string | undefined {
  if (!r) return undefined;
  if (r.kind === 'literal') return r.value;
  if (r.kind === 'parameter') return r.value === '' ? undefined : r.value;
  return undefined;
}

export { findById };
