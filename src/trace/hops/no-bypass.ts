/**
 * The last hop is the absence of others: no subnet but Application Gateway's reaches API Management's gateway port,
 * no subnet but API Management's reaches the ingress's address, and the data services take no traffic from public
 * networks, only through their private endpoints. NSGs are evaluated as in the other hops (default rules included:
 * AllowVnetInBound lets every subnet of the network in unless a rule with a lower number denies it).
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
 * https://learn.microsoft.com/azure/private-link/private-endpoint-overview
 */
import { lastSegment, parseResourceId } from '../arm.js';
import { check, type TraceContext } from '../context.js';
import { getIn } from '../locate.js';
import { formatCidr, type Cidr, type Subnet } from '../network.js';
import type { Check, Evidence } from '../types.js';

const DATA_TYPES = ['Microsoft.KeyVault/vaults', 'Microsoft.Sql/servers', 'Microsoft.DocumentDB/databaseAccounts', 'Microsoft.ContainerRegistry/registries', 'Microsoft.Storage/storageAccounts'];

export function noBypassChecks(
  ctx: TraceContext,
  apim: { subnet: Subnet | undefined; allowed: Subnet | undefined },
  ingress: { subnet: Subnet | undefined; address: Cidr | undefined; allowed: Subnet | undefined },
): Check[] {
  return [
    reach(ctx, 'no-bypass.apim', 'Only Application Gateway reaches API Management on 443', apim.subnet, apim.subnet?.prefixes[0], apim.allowed, 'API Management\'s gateway', 'Application Gateway', 'connect an applicationGateway node to the apiManagement node with an https edge (its NSG then admits only that subnet and denies the rest of the network)'),
    reach(ctx, 'no-bypass.ingress', 'Only API Management reaches the ingress on 443', ingress.subnet, ingress.address, ingress.allowed, 'the ingress', 'API Management', 'connect the apiManagement node to the aksCluster node with an mtls edge (the cluster\'s NSG then admits only API Management\'s subnet to the ingress address and denies the rest of the network)'),
    dataCheck(ctx),
  ];
}

function reach(ctx: TraceContext, id: string, title: string, target: Subnet | undefined, address: Cidr | undefined, allowed: Subnet | undefined, what: string, only: string, designChange: string): Check {
  if (!target || !address) return check(id, title, 'unknown-until-deployed', `${what} has no subnet in the template: which networks reach it depends on where it is deployed.`, [], { dependsOn: `the network ${what} is deployed into` });
  const others = ctx.net.subnets.filter((s) => s !== target && s !== allowed && s.vnet === target.vnet && s.prefixes.length > 0);
  const open: { subnet: Subnet; rule: string; evidence: Evidence | undefined }[] = [];
  for (const s of others) {
    const d = ctx.net.flow(s, target, address, 443);
    if (d.allowed) open.push({ subnet: s, rule: d.in.rule, evidence: d.in.evidence });
  }
  const dest = `${formatCidr(address)}:443`;
  if (open.length === 0) {
    return check(id, title, 'pass', `Every other subnet (${others.map((s) => s.name).join(', ') || 'none'}) is denied ${dest}; only ${only} gets through.`, [target.evidence, ...(target.nsg ? [ctx.arm.evidence(target.nsg, ['properties', 'securityRules'], `${lastSegment(target.nsg.name)}`)] : [])]);
  }
  return check(id, title, 'fail', `${open.map((o) => `${o.subnet.name} (${o.subnet.prefixText}) reaches ${dest}, allowed in by ${o.rule}`).join('; ')}: they bypass ${only}.`, [target.evidence, ...open.flatMap((o) => [o.subnet.evidence, o.evidence])], {
    fix: `In the design, ${designChange}; then generate again, over any hand edit of the NSG of ${target.name}: it must deny the virtual network to ${what} on 443 (a deny rule before AllowVnetInBound) and allow ${only} only.`,
  });
}

function dataCheck(ctx: TraceContext): Check {
  const title = 'Data services only through private endpoints';
  const endpoints = ctx.arm.ofType('Microsoft.Network/privateEndpoints');
  const targets = new Set<string>();
  for (const pe of endpoints) {
    for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
      const list = getIn(pe.body, ['properties', key]);
      for (const c of Array.isArray(list) ? list : []) {
        const ref = parseResourceId((c as { properties?: { privateLinkServiceId?: unknown } }).properties?.privateLinkServiceId);
        if (ref) targets.add(`${ref.type.toLowerCase()}|${ref.name}`);
      }
    }
  }
  const problems: string[] = [];
  const evidence: Evidence[] = [];
  let count = 0;
  for (const type of DATA_TYPES) {
    for (const r of ctx.arm.ofType(type)) {
      count++;
      const pna = getIn(r.body, ['properties', 'publicNetworkAccess']);
      const ev = ctx.arm.evidence(r, ['properties', 'publicNetworkAccess'], `${r.name}: ${String(pna ?? '(absent: Enabled)')}`);
      evidence.push(ev);
      if (pna !== 'Disabled') problems.push(`${r.name} (${type}) has public network access ${String(pna ?? 'enabled by default')}`);
      if (!targets.has(`${type.toLowerCase()}|${r.name}`)) problems.push(`${r.name} (${type}) has no private endpoint in the template`);
    }
  }
  if (count === 0) return check('no-bypass.data', title, 'pass', 'The template has no data service.', []);
  return problems.length
    ? check('no-bypass.data', title, 'fail', `${problems.join('; ')}.`, evidence, { fix: 'Set publicNetworkAccess: Disabled on the data nodes and connect the cluster to them with privateLink edges.' })
    : check('no-bypass.data', title, 'pass', `${count} data services take no public traffic, each through a private endpoint.`, evidence);
}

