/**
 * What makes the generated platform work as Azure behaves, checked on the generated files (./platform.ts), never on
 * the design. Each check returns the problems it finds, as a user deploying the files would meet them; an empty list
 * means the property holds. WORKS_CHECKS lists every check the "works" suite runs: a new property (a product where a
 * subscription key is required, a data collection rule where Container Insights uses Entra ID authentication...) is
 * one more entry.
 */
import { blockSize, formatIp, parseCidr } from '../../../src/model/cidr.js';
import { evaluatePath, inCidr, type ArmSecurityRule, type Flow } from '../../../src/generators/azure/network/nsg-evaluate.js';
import { resourcesOf, type ArmResourceJson } from '../../helpers/bicep.js';
import { Platform, props, type Json } from './platform.js';

export interface WorksCheck {
  readonly name: string;
  readonly check: (p: Platform) => string[];
}

const LB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const APIM = 'Microsoft.ApiManagement/service';

/** Every parameter without a default has a value in the parameters file, or the README names it (and where to get it). */
export const parametersCovered: WorksCheck = {
  name: 'every parameter without a default is in the parameters file or the README',
  check: (p) =>
    Object.entries(p.template.parameters ?? {}).flatMap(([name, def]) =>
      def.defaultValue !== undefined || name in p.parameterValues || p.readme.includes(name)
        ? []
        : [`parameter ${name} has no default, no value in infra/main.parameters.json, and README.md does not name it: "az deployment group create" stops and asks for it`],
    ),
};

/** The private A record of each backend host holds, from the first deployment, the address its ingress load balancer is pinned to. */
export const backendRecordResolves: WorksCheck = {
  name: 'each backend host resolves to the address its ingress is pinned to',
  check: (p) => {
    const problems: string[] = [];
    const records = new Map<string, ArmResourceJson>();
    for (const r of p.resources('Microsoft.Network/privateDnsZones/A')) {
      const [zone, record] = String(p.value(r.name)).split('/');
      records.set((record === '@' ? zone! : `${record}.${zone}`).toLowerCase(), r);
    }
    const clusterSubnets = p.resources('Microsoft.ContainerService/managedClusters').flatMap((c) =>
      ((props(c).agentPoolProfiles as Json[] | undefined) ?? []).flatMap((pool) => {
        const subnet = p.byId(pool.vnetSubnetID);
        return subnet ? [String(props(subnet).addressPrefix)] : [];
      }),
    );
    // Only a service in the virtual network resolves the private zones (one outside it cannot reach a private ingress at all).
    const inNetwork = new Set(p.resources(APIM).filter((s) => props(s).virtualNetworkType !== 'None').map((s) => String(p.value(s.name))));
    const backends = p.declared.filter((d) => d.resource.type === `${APIM}/backends` && inNetwork.has(String(p.value(d.resource.name)).split('/')[0]!));
    for (const { resource } of backends) {
      const url = props(resource).url;
      const host = typeof url === 'string' ? /^https?:\/\/([^/:]+)/i.exec(url)?.[1]?.toLowerCase() : undefined;
      if (!host) continue;
      const record = records.get(host);
      const ip = ((props(record).aRecords as Json[] | undefined) ?? [])[0]?.ipv4Address;
      if (typeof ip !== 'string' || !IPV4.test(ip)) {
        problems.push(`backend host ${host} has no private A record with an address on the first deployment (${record ? JSON.stringify(props(record).aRecords) : 'no record'}): API Management cannot reach it`);
        continue;
      }
      const pinned = pinnedAddresses(p, host);
      // A cluster that lists no services gets no manifests (the generator warns): nothing is pinned to compare.
      for (const { path, address } of pinned) {
        if (address !== ip) problems.push(`${path} pins the ingress of ${host} to ${String(address)}, but its private A record says ${ip}`);
      }
      const subnet = clusterSubnets.find((s) => inCidr(ip, s));
      if (!subnet) problems.push(`${host} resolves to ${ip}, outside every AKS node subnet (${clusterSubnets.join(', ')}): an internal load balancer cannot take it`);
      else {
        const c = parseCidr(subnet);
        const offset = parseCidr(`${ip}/32`).start - c.start;
        if (offset < 4 || offset === blockSize(c.prefix) - 1) problems.push(`${host} resolves to ${ip}, an address Azure reserves in ${subnet}`);
      }
    }
    return problems;
  },
};

/** The address each manifest pins the load balancer of the controller serving `host` to (undefined when it pins none). */
function pinnedAddresses(p: Platform, host: string): { path: string; address: string | undefined }[] {
  const out: { path: string; address: string | undefined }[] = [];
  const folder = (path: string) => path.split('/')[1];
  for (const m of p.manifests) {
    const spec = m.spec ?? {};
    if (m.kind === 'Ingress' && ((spec.rules as Json[] | undefined) ?? []).some((r) => String(r.host).toLowerCase() === host)) {
      const className = spec.ingressClassName;
      const controller = p.manifests.find((c) => folder(c.path) === folder(m.path) && c.kind === 'NginxIngressController' && c.spec?.ingressClassName === className);
      if (controller) {
        out.push({ path: controller.path, address: (controller.spec?.loadBalancerAnnotations as Record<string, string> | undefined)?.[LB_IPV4] });
        continue;
      }
      const service = p.manifests.find((c) => folder(c.path) === folder(m.path) && c.kind === 'Service' && c.metadata.name === 'ingress-nginx-controller');
      out.push({ path: service?.path ?? m.path, address: service?.metadata.annotations?.[LB_IPV4] });
    }
    if (m.kind === 'Gateway' && ((spec.listeners as Json[] | undefined) ?? []).some((l) => String(l.hostname).toLowerCase() === host)) {
      out.push({ path: m.path, address: ((spec.infrastructure as Json | undefined)?.annotations as Record<string, string> | undefined)?.[LB_IPV4] });
    }
  }
  return out;
}

/** Network security groups, evaluated as Azure does, let only Application Gateway's subnet reach API Management's gateway on 443. */
export const onlyGatewayReachesApim: WorksCheck = {
  name: 'only Application Gateway reaches API Management on 443',
  check: (p) => {
    const problems: string[] = [];
    const space = p.resources('Microsoft.Network/virtualNetworks').flatMap((v) => ((props(v).addressSpace as Json | undefined)?.addressPrefixes as string[] | undefined) ?? []);
    const rulesOf = (subnet: ArmResourceJson): ArmSecurityRule[] | undefined => {
      const nsg = p.byId((props(subnet).networkSecurityGroup as Json | undefined)?.id);
      return nsg ? ((props(nsg).securityRules as ArmSecurityRule[] | undefined) ?? []) : undefined;
    };
    const subnets = p.resources('Microsoft.Network/virtualNetworks/subnets');
    const gatewaySubnets = new Set(
      p.resources('Microsoft.Network/applicationGateways').flatMap((g) =>
        ((props(g).gatewayIPConfigurations as Json[] | undefined) ?? []).map((c) => p.byId(((c.properties as Json | undefined)?.subnet as Json | undefined)?.id)),
      ),
    );
    for (const service of p.resources(APIM)) {
      const q = props(service);
      const mode = q.virtualNetworkType;
      if (mode !== 'Internal' && mode !== 'External') continue;
      if (/V2$/.test(String((service.sku as Json | undefined)?.name))) continue; // v2 tiers integrate outbound only: nothing listens in the subnet
      const apimSubnet = p.byId((q.virtualNetworkConfiguration as Json | undefined)?.subnetResourceId);
      if (!apimSubnet) {
        problems.push(`API Management ${String(p.value(service.name))}: its subnet is not a subnet of the template`);
        continue;
      }
      const apimPrefix = parseCidr(String(props(apimSubnet).addressPrefix));
      const apimIp = formatIp(apimPrefix.start + 4);
      const to = rulesOf(apimSubnet);
      const name = String(p.value(service.name));
      const flow = (source: Flow['source'], port: number): Flow => ({ protocol: 'Tcp', source, destination: { ip: apimIp }, port });
      for (const s of subnets) {
        const ip = formatIp(parseCidr(String(props(s).addressPrefix)).start + 4);
        const verdict = evaluatePath(rulesOf(s), to, flow({ ip }, 443), space);
        const expected = gatewaySubnets.has(s) ? 'Allow' : 'Deny';
        if (verdict.access !== expected) {
          problems.push(`${String(p.value(s.name))} (${ip}) -> API Management ${name} (${apimIp}):443 is ${verdict.access === 'Allow' ? 'allowed' : 'denied'} by ${verdict.rule} (${verdict.priority})${expected === 'Deny' ? ': the WAF can be bypassed' : ': Application Gateway cannot reach it'}`);
        }
      }
      const internet = evaluatePath(undefined, to, flow({ ip: '203.0.113.10' }, 443), space);
      if ((internet.access === 'Allow') !== (mode === 'External')) problems.push(`the internet -> API Management ${name}:443 in ${mode} mode is ${internet.access === 'Allow' ? 'allowed' : 'denied'} by ${internet.rule}`);
      for (const [tag, port] of [['ApiManagement', 3443], ['AzureLoadBalancer', 6390]] as const) {
        const v = evaluatePath(undefined, to, flow({ tags: [tag] }, port), space);
        if (v.access !== 'Allow') problems.push(`${tag} -> API Management ${name}:${port}, which Azure requires, is denied by ${v.rule}`);
      }
    }
    return problems;
  },
};

/**
 * On a redeployment (every `<apim>Exists` parameter true, as gatewright deploy sets it for a service that exists)
 * each API Management service is declared once, with the custom domain its first deployment ends with: a second
 * declaration would apply the service without its certificate first, and Application Gateway's probe would fail.
 * On the first deployment (the parameters false) the service must end with its domain too (declared without it, then
 * again with it, because a new system-assigned identity cannot read Key Vault yet:
 * https://learn.microsoft.com/azure/api-management/configure-custom-domain).
 */
export const apimDeclaredOnce: WorksCheck = {
  name: 'API Management is declared once, with its custom domain, on a redeployment',
  check: (p) => {
    const problems: string[] = [];
    const flags = Object.entries(p.template.parameters ?? {}).filter(([n, d]) => d.type === 'bool' && /Exists\d*$/.test(n)).map(([n]) => n);
    const declarations = (exists: boolean) => {
      const params = p.parameters(Object.fromEntries(flags.map((n) => [n, exists])));
      const byName = new Map<string, { where: string; hosts: string[] }[]>();
      const add = (name: unknown, where: string, hosts: unknown) => {
        const list = byName.get(String(name)) ?? [];
        list.push({ where, hosts: Array.isArray(hosts) ? hosts.map((h) => String((h as Json).hostName)) : [] });
        byName.set(String(name), list);
      };
      for (const service of p.resources(APIM)) add(p.evaluate(service.name, params), 'main', p.evaluate(props(service).hostnameConfigurations ?? [], params));
      for (const d of p.resources('Microsoft.Resources/deployments')) {
        if (d.condition !== undefined && p.evaluate(d.condition, params) !== true) continue;
        const inner = ((props(d).template as { resources?: unknown } | undefined) ?? {}) as { resources?: unknown };
        for (const service of resourcesOf(inner).filter((r) => r.type.toLowerCase() === APIM.toLowerCase())) {
          add(p.evaluate(service.name, {}), `nested deployment ${String(p.value(d.name))}`, props(service).hostnameConfigurations);
        }
      }
      return byName;
    };
    const first = declarations(false);
    const again = declarations(true);
    for (const [name, firstDecls] of first) {
      const wanted = firstDecls[firstDecls.length - 1]!.hosts;
      const redeploy = again.get(name) ?? [];
      if (redeploy.length !== 1) {
        problems.push(`${name} is declared ${redeploy.length} times on a redeployment (${redeploy.map((d) => `${d.where}: ${d.hosts.length ? d.hosts.join(', ') : 'no custom domain'}`).join('; ')}): between them the gateway serves without its certificate`);
      } else if (redeploy[0]!.hosts.join(',') !== wanted.join(',')) {
        problems.push(`${name} is declared on a redeployment with ${redeploy[0]!.hosts.join(', ') || 'no custom domain'}, but its first deployment ends with ${wanted.join(', ') || 'none'}`);
      }
    }
    return problems;
  },
};

/**
 * Network security groups, evaluated as Azure does, let only the API Management subnets that call a cluster reach its
 * ingress's pinned address on 443 (the cluster's own nodes too); every other subnet is denied. What AKS itself needs
 * stays allowed: node to node on any port (kubelet 10250 here) and the Azure load balancer's health probes.
 */
export const onlyApimReachesIngress: WorksCheck = {
  name: 'only API Management reaches the ingress on 443',
  check: (p) => {
    const problems: string[] = [];
    const space = p.resources('Microsoft.Network/virtualNetworks').flatMap((v) => ((props(v).addressSpace as Json | undefined)?.addressPrefixes as string[] | undefined) ?? []);
    const rulesOf = (subnet: ArmResourceJson): ArmSecurityRule[] | undefined => {
      const nsg = p.byId((props(subnet).networkSecurityGroup as Json | undefined)?.id);
      return nsg ? ((props(nsg).securityRules as ArmSecurityRule[] | undefined) ?? []) : undefined;
    };
    const subnets = p.resources('Microsoft.Network/virtualNetworks/subnets');
    const nameOf = (s: ArmResourceJson) => String(p.value(s.name));
    const hostOf = (url: unknown) => (typeof url === 'string' ? /^https?:\/\/([^/:]+)/i.exec(url)?.[1]?.toLowerCase() : undefined);
    for (const cluster of p.resources('Microsoft.ContainerService/managedClusters')) {
      const pool = ((props(cluster).agentPoolProfiles as Json[] | undefined) ?? [])[0];
      const aksSubnet = p.byId(pool?.vnetSubnetID);
      if (!aksSubnet) continue;
      const aksPrefix = String(props(aksSubnet).addressPrefix);
      // The ingress addresses pinned in this cluster's subnet, and the API Management subnets whose backends call them.
      const pinnedBy = (m: (typeof p.manifests)[number]): unknown[] => [
        m.metadata.annotations?.[LB_IPV4],
        (m.spec?.loadBalancerAnnotations as Record<string, string> | undefined)?.[LB_IPV4],
        ((m.spec?.infrastructure as Json | undefined)?.annotations as Record<string, string> | undefined)?.[LB_IPV4],
      ];
      const addresses = new Set(p.manifests.flatMap(pinnedBy).filter((v): v is string => typeof v === 'string' && IPV4.test(v) && inCidr(v, aksPrefix)));
      for (const ingress of addresses) {
        const hosts = new Set(
          p.resources('Microsoft.Network/privateDnsZones/A').flatMap((r) => {
            const ip = ((props(r).aRecords as Json[] | undefined) ?? [])[0]?.ipv4Address;
            const [zone, record] = String(p.value(r.name)).split('/');
            return ip === ingress ? [(record === '@' ? zone! : `${record}.${zone}`).toLowerCase()] : [];
          }),
        );
        const callers = new Set(
          p.declared
            .filter((d) => d.resource.type === `${APIM}/backends` && hosts.has(hostOf(props(d.resource).url) ?? ''))
            .flatMap((d) => {
              const service = p.resources(APIM).find((s) => String(p.value(s.name)) === String(p.value(d.resource.name)).split('/')[0]);
              const subnet = service ? p.byId((props(service).virtualNetworkConfiguration as Json | undefined)?.subnetResourceId) : undefined;
              return subnet ? [subnet] : [];
            }),
        );
        // A cluster no API Management in the network calls is not behind the chain: nothing to hold it to.
        if (callers.size === 0) continue;
        const to = rulesOf(aksSubnet);
        for (const s of subnets) {
          const ip = formatIp(parseCidr(String(props(s).addressPrefix)).start + 4);
          const verdict = evaluatePath(rulesOf(s), to, { protocol: 'Tcp', source: { ip }, destination: { ip: ingress }, port: 443 }, space);
          const expected = callers.has(s) || s === aksSubnet ? 'Allow' : 'Deny';
          if (verdict.access !== expected) {
            problems.push(`${nameOf(s)} (${ip}) -> ingress ${ingress}:443 is ${verdict.access === 'Allow' ? 'allowed' : 'denied'} by ${verdict.rule} (${verdict.priority})${expected === 'Deny' ? ': API Management can be bypassed' : callers.has(s) ? ': API Management cannot reach its backend' : ''}`);
          }
        }
      }
      const node = formatIp(parseCidr(aksPrefix).start + 5);
      const kubelet = evaluatePath(rulesOf(aksSubnet), rulesOf(aksSubnet), { protocol: 'Tcp', source: { ip: formatIp(parseCidr(aksPrefix).start + 4) }, destination: { ip: node }, port: 10250 }, space);
      if (kubelet.access !== 'Allow') problems.push(`node to node (kubelet ${node}:10250) in ${nameOf(aksSubnet)} is denied by ${kubelet.rule}: the cluster breaks`);
      const probe = evaluatePath(undefined, rulesOf(aksSubnet), { protocol: 'Tcp', source: { tags: ['AzureLoadBalancer'] }, destination: { ip: node }, port: 10256 }, space);
      if (probe.access !== 'Allow') problems.push(`Azure load balancer health probes to ${node} in ${nameOf(aksSubnet)} are denied by ${probe.rule}`);
    }
    return problems;
  },
};

export const WORKS_CHECKS: WorksCheck[] = [parametersCovered, backendRecordResolves, onlyGatewayReachesApim, onlyApimReachesIngress, apimDeclaredOnce];

/** Every problem of every check, each prefixed with its check's name. */
export function problemsOf(p: Platform, checks: readonly WorksCheck[] = WORKS_CHECKS): string[] {
  return checks.flatMap((c) => c.check(p).map((problem) => `${c.name}: ${problem}`));
}
