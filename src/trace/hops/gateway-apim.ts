/**
 * Hop 2, Application Gateway to API Management: the backend host name and SNI, the health probe API Management
 * answers (https://<gateway host>/status-0123456789abcdef, 200), the trusted root that validates the gateway's
 * certificate when Application Gateway re-encrypts, private DNS and the network security groups.
 * https://learn.microsoft.com/azure/api-management/api-management-howto-integrate-internal-vnet-appgateway
 * https://learn.microsoft.com/azure/application-gateway/end-to-end-ssl-portal
 * https://learn.microsoft.com/azure/application-gateway/application-gateway-probe-overview
 */
import { childIndex } from '../arm.js';
import { check, describeResolved, type TraceContext } from '../context.js';
import { getIn } from '../locate.js';
import { valueOf, type ApimService, type GatewayRoute } from '../model.js';
import { covers, formatCidr, parseCidr, type Cidr, type Subnet } from '../network.js';
import type { Check } from '../types.js';
import { resolveHost } from './dns.js';
import { trustChecks } from './trust.js';

export const APIM_STATUS_PATH = '/status-0123456789abcdef';

export function gatewaySubnet(ctx: TraceContext, route: GatewayRoute): Subnet | undefined {
  return ctx.net.subnetById(getIn(route.resource.body, ['properties', 'gatewayIPConfigurations', 0, 'properties', 'subnet', 'id']));
}

export function gatewayApimChecks(ctx: TraceContext, route: GatewayRoute, apim: ApimService): Check[] {
  const g = route.resource;
  const p = (g.body.properties ?? {}) as Record<string, unknown>;
  const checks: Check[] = [];
  const sp = ['properties', 'backendHttpSettingsCollection', route.settingsIndex, 'properties'];
  const settings = (getIn(g.body, sp) ?? {}) as Record<string, unknown>;
  const addressEv = ctx.arm.evidence(g, ['properties', 'backendAddressPools', route.poolIndex, 'properties', 'backendAddresses', route.addressIndex]);
  const apimHost = apim.proxy?.host;
  const proxyEv = apim.proxy ? ctx.arm.evidence(apim.proxy.resource, ['properties', 'hostnameConfigurations', apim.proxy.index, 'hostName']) : ctx.arm.evidence(apim.main, ['name']);
  const sentHost = settings.pickHostNameFromBackendAddress === true ? route.address : typeof settings.hostName === 'string' ? settings.hostName : undefined;
  const sentEv = ctx.arm.evidence(g, [...sp, settings.pickHostNameFromBackendAddress === true ? 'pickHostNameFromBackendAddress' : 'hostName']);

  // Backend host name.
  const problems: string[] = [];
  if (!apim.hosts.some((h) => h.toLowerCase() === route.address.toLowerCase())) problems.push(`the backend pool holds ${route.address || 'no address'}, which is not a host name of API Management ${apim.name} (${apim.hosts.join(', ')})`);
  if (settings.protocol !== 'Https') problems.push(`the backend settings use ${String(settings.protocol ?? 'no protocol')}, not HTTPS (API Management's custom domain serves HTTPS)`);
  if (settings.port !== 443) problems.push(`the backend settings use port ${String(settings.port ?? '(none)')}, not 443`);
  if (!sentHost || !apim.hosts.some((h) => h.toLowerCase() === sentHost.toLowerCase())) problems.push(`the host name sent (and SNI) is ${sentHost ?? 'none'}, which API Management does not serve`);
  checks.push(
    problems.length
      ? check('gateway-apim.backend-host', 'Backend host is API Management\'s gateway', 'fail', `${cap(problems.join('; '))}.`, [addressEv, sentEv, proxyEv], {
          fix: `Connect the applicationGateway node to the apiManagement node with an https edge, and give API Management a hostName${apimHost ? ` (${apimHost})` : ''}.`,
        })
      : check('gateway-apim.backend-host', 'Backend host is API Management\'s gateway', 'pass', `Application Gateway sends requests to https://${route.address}:443 with host name ${sentHost}, a host name of API Management ${apim.name}.`, [addressEv, sentEv, proxyEv]),
  );

  // Probe.
  const pi = childIndex(p.probes, (settings.probe as { id?: unknown } | undefined)?.id);
  if (pi < 0) {
    checks.push(
      check('gateway-apim.probe', `Health probe ${APIM_STATUS_PATH}`, 'fail', 'The backend settings have no custom probe: the default probe asks for / on the backend address, which API Management answers with 404, so the backend is marked unhealthy and callers get 502.', [ctx.arm.evidence(g, sp)], {
        fix: 'Generate again: Application Gateway needs the custom probe on API Management\'s status endpoint.',
      }),
    );
  } else {
    const pp = ['properties', 'probes', pi, 'properties'];
    const probe = (getIn(g.body, pp) ?? {}) as Record<string, unknown>;
    const probeHost = probe.pickHostNameFromBackendHttpSettings === true ? sentHost : typeof probe.host === 'string' ? probe.host : undefined;
    const codes = getIn(probe, ['match', 'statusCodes']);
    const okCodes = Array.isArray(codes) ? codes.map(String) : ['200-399'];
    const wrong: string[] = [];
    if (probe.protocol !== 'Https') wrong.push(`protocol ${String(probe.protocol)}, not Https`);
    if (probe.path !== APIM_STATUS_PATH) wrong.push(`path ${String(probe.path)}, not ${APIM_STATUS_PATH}`);
    if (!probeHost || !apim.hosts.some((h) => h.toLowerCase() === probeHost.toLowerCase())) wrong.push(`host ${probeHost ?? 'none'}, not a host name of API Management`);
    if (!okCodes.some((c) => codeCovers(c, 200))) wrong.push(`status codes ${okCodes.join(', ')} exclude 200, which the status endpoint returns`);
    const evs = [ctx.arm.evidence(g, [...pp, 'path']), ctx.arm.evidence(g, [...pp, probe.pickHostNameFromBackendHttpSettings === true ? 'pickHostNameFromBackendHttpSettings' : 'host']), ctx.arm.evidence(g, [...pp, 'match', 'statusCodes'], okCodes.join(', '))];
    checks.push(
      wrong.length
        ? check('gateway-apim.probe', `Health probe ${APIM_STATUS_PATH}`, 'fail', `The probe has ${wrong.join('; ')}: the backend is marked unhealthy and callers get 502.`, evs, { fix: 'Generate again from the design: the probe must ask API Management\'s status endpoint on its host name.' })
        : check('gateway-apim.probe', `Health probe ${APIM_STATUS_PATH}`, 'pass', `The probe asks https://${probeHost}${APIM_STATUS_PATH} and accepts ${okCodes.join(', ')}.`, evs),
    );
  }

  // Trusted root for re-encryption.
  const domainUri = apim.proxy ? ctx.arm.resolve(apim.proxy.resource, ['properties', 'hostnameConfigurations', apim.proxy.index, 'keyVaultId']) : undefined;
  const domainCert = valueOf(domainUri) === undefined ? undefined : ctx.certs.byKeyVaultUri(valueOf(domainUri)!)?.certificate;
  const rootIds = getIn(settings, ['trustedRootCertificates']);
  const roots = (Array.isArray(rootIds) ? rootIds : []).map((r) => childIndex(p.trustedRootCertificates, (r as { id?: unknown }).id)).filter((i) => i >= 0);
  const anchorsList = roots.map((i) => {
    const rp = ['properties', 'trustedRootCertificates', i, 'properties'];
    const data = ctx.arm.resolve(g, [...rp, 'data']) ?? ctx.arm.resolve(g, [...rp, 'keyVaultSecretId']);
    return { data, evidence: data?.evidence ?? ctx.arm.evidence(g, rp) };
  });
  checks.push(
    ...trustChecks(ctx, {
      id: 'gateway-apim.trusted-root',
      title: 'Trusted root is the CA of API Management\'s certificate',
      who: 'Application Gateway',
      server: domainCert,
      serverWhat: domainUri ? `API Management's custom-domain certificate (${describeResolved(domainUri)})` : 'API Management\'s certificate (no custom domain)',
      serverEvidence: domainUri?.evidence ?? proxyEv,
      anchors: anchorsList,
      validates: settings.validateCertChainAndExpiry !== false,
      validatesEvidence: ctx.arm.evidence(g, [...sp, 'validateCertChainAndExpiry']),
      fix: (ca) => `Make Application Gateway trust ${ca}: connect appgw to apim with an https edge (trustedCa derived from API Management's certificate), or set trustedCa on that edge.`,
    }),
  );

  // DNS.
  const agwSubnet = gatewaySubnet(ctx, route);
  if (route.address && !parseCidr(route.address)) {
    const res = resolveHost(ctx, route.address, agwSubnet);
    if (!res.ok) {
      checks.push(check('gateway-apim.dns', `${route.address} resolves in Application Gateway's network`, 'fail', res.problem, [addressEv, ...res.evidence], { fix: res.fix }));
    } else {
      const v = res.value;
      const title = `${route.address} resolves in Application Gateway's network`;
      const evs = [addressEv, ...res.evidence, v.evidence];
      if (v.kind === 'reference') {
        const toApim = /Microsoft\.ApiManagement\/service/i.test(v.text) && /privateIPAddresses/.test(v.text);
        checks.push(
          toApim
            ? check('gateway-apim.dns', title, 'pass', `Zone ${res.zone} (linked to ${agwSubnet?.vnet}) holds ${res.record}, which Resource Manager sets to API Management's private address.`, evs)
            : check('gateway-apim.dns', title, 'unknown-until-deployed', `Zone ${res.zone} holds ${res.record}, set at deployment from ${v.text}.`, evs, { dependsOn: `${v.text} being API Management's private address` }),
        );
      } else if (v.kind === 'address') {
        const inside = apim.subnet && apim.subnet.prefixes.some((c) => { const a = parseCidr(v.address); return a !== undefined && covers(c, a); });
        checks.push(
          inside
            ? check('gateway-apim.dns', title, 'pass', `Zone ${res.zone} holds ${res.record} = ${v.address}, in API Management's subnet.`, evs)
            : check('gateway-apim.dns', title, 'fail', `Zone ${res.zone} holds ${res.record} = ${v.address}, which is not in API Management's subnet (${apim.subnet?.prefixText ?? 'unknown'}).`, evs, { fix: 'Generate again: the record must be API Management\'s private address.' }),
        );
      } else if (v.kind === 'parameter') {
        checks.push(check('gateway-apim.dns', title, 'unknown-until-deployed', `Zone ${res.zone} holds ${res.record}, without an address until parameter ${v.name} is given one.`, evs, { dependsOn: `parameter ${v.name} being API Management's private address` }));
      } else {
        checks.push(check('gateway-apim.dns', title, 'fail', `Zone ${res.zone} holds ${res.record} without an address.`, evs, { fix: 'Generate again: the record must be API Management\'s private address.' }));
      }
    }
  }

  // NSG.
  checks.push(nsgCheck(ctx, 'gateway-apim.nsg', 'Network security groups allow Application Gateway to API Management on 443', agwSubnet, apim.subnet, apim.subnet?.prefixes[0], 443, 'Application Gateway', 'API Management'));
  return checks;
}

export function nsgCheck(ctx: TraceContext, id: string, title: string, from: Subnet | undefined, to: Subnet | undefined, address: Cidr | undefined, port: number, fromName: string, toName: string): Check {
  if (!from || !to || !address) {
    const missing = !from ? fromName : toName;
    return check(id, title, 'unknown-until-deployed', `${missing} has no subnet in the template, so no network security group can be evaluated for it.`, [], { dependsOn: `the network ${missing} is deployed into` });
  }
  const d = ctx.net.flow(from, to, address, port);
  const evs = [from.evidence, to.evidence, d.out.evidence, d.in.evidence];
  const flow = `${from.name} (${from.prefixText}) -> ${formatCidr(address)}:${port}`;
  if (d.allowed) return check(id, title, 'pass', `${flow}: allowed out by ${d.out.rule} and in by ${d.in.rule}.`, evs);
  const by = d.out.allowed ? d.in : d.out;
  return check(id, title, 'fail', `${flow}: denied by ${by.rule}; ${fromName} cannot reach ${toName}.`, evs, {
    fix: `Generate again from the design with the ${fromName} -> ${toName} edge: its NSG rule allows ${fromName}'s subnet to ${toName} on ${port}.`,
  });
}

function codeCovers(spec: string, code: number): boolean {
  const m = /^(\d{3})(?:-(\d{3}))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return code >= lo && code <= hi;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
