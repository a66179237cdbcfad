/** Application Gateway: the public entry, its WAF, its listener and its backend (GW100-GW119). */
import { edgeFits } from '../../schemas/connections.js';
import type { Certificate, DesignNode, NodeOf } from '../../schemas/design.js';
import type { Path } from '../../schemas/operations.js';
import { dnsNameCovers } from '../../model/trust.js';
import type { EdgeEntry, RuleContext } from '../context.js';
import { regionFacts, regionHasZones, WAF_RULE_SETS } from '../../model/azure-facts.js';
import { defineRule, type Rule, type RuleSource, type RuleViolation } from '../rule.js';
import { fixWith, setOp } from './graph.js';

const psrule = (ref: string): RuleSource => ({
  tool: 'PSRule for Azure',
  ref,
  url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${ref}/`,
});

type AppGw = NodeOf<'applicationGateway'>;

/** The https edges that bring internet traffic into a node. */
export function internetEdgesInto(ctx: RuleContext, nodeId: string): EdgeEntry[] {
  return ctx.incoming(nodeId, 'https').filter((e) => e.from?.type === 'internet');
}

function internetFacing(ctx: RuleContext, node: DesignNode): boolean {
  return internetEdgesInto(ctx, node.id).length > 0;
}

function wafGateways(ctx: RuleContext): AppGw[] {
  return ctx.nodesOfType('applicationGateway').filter((g) => g.properties.sku === 'WAF_v2');
}

/** Managed rules whose removal re-opens Log4Shell (CVE-2021-44228): CKV_AZURE_135. */
const LOG4SHELL_RULES = new Set(['944240', '944250']);

/**
 * Managed rules that Microsoft documents as breaking the API Management developer portal behind Application
 * Gateway (api-management-howto-integrate-internal-vnet-appgateway): turning them off is a known trade-off.
 */
const PORTAL_RULES = new Set(['920300', '920330', '931130', '942100', '942110', '942180', '942200', '942260', '942340', '942370', '942430', '942440']);

/**
 * Checks that a node's TLS certificate comes from Key Vault and that the node may read it: shared by
 * Application Gateway (listener) and API Management (custom domain).
 */
export interface KeyVaultCertificateCheck {
  readonly node: DesignNode;
  readonly certId: string | undefined;
  /** `Application Gateway` */
  readonly component: string;
  /** `listener certificate` */
  readonly what: string;
  readonly certPath: Path;
}

/** The certificate is said to be held in a Key Vault (GW109, GW124). */
export function* certificateHeldInKeyVault(ctx: RuleContext, c: KeyVaultCertificateCheck): Generator<RuleViolation> {
  if (c.certId === undefined) return;
  const cert = ctx.certificates.get(c.certId);
  if (!cert || cert.keyVault !== undefined) return;
  const vaults = ctx.nodesOfType('keyVault');
  const only = vaults.length === 1 ? vaults[0] : undefined;
  yield ctx.atCertificate(
    cert,
    `${c.what} "${cert.id}" of ${c.component} "${c.node.id}" names no keyVault; ${c.component} loads it from Key Vault with its managed identity (the design and the templates never hold a private key): set keyVault${vaults.length ? ` (${vaults.map((v) => v.id).join(', ')})` : ' and add a keyVault node'}`,
    ['keyVault'],
    only ? fixWith(`Keep it in "${only.id}"`, setOp({ kind: 'certificate', id: cert.id }, ['keyVault'], only.id)) : {},
  );
}

/** The node has a `secrets` edge to the vault that holds its certificate (GW110, GW125). */
export function* readsCertificateVault(ctx: RuleContext, c: KeyVaultCertificateCheck): Generator<RuleViolation> {
  if (c.certId === undefined) return;
  const cert = ctx.certificates.get(c.certId);
  const kv = cert?.keyVault;
  if (!cert || kv === undefined || ctx.nodes.get(kv)?.type !== 'keyVault') return;
  if (ctx.hasEdge(c.node.id, kv, 'secrets')) return;
  yield ctx.atNode(
    c.node,
    `${c.component} "${c.node.id}" uses ${c.what} "${cert.id}" from Key Vault "${kv}" but has no secrets edge to "${kv}"; without it its identity gets no Key Vault Secrets User role and cannot load the certificate`,
    c.certPath,
    fixWith(`Connect "${c.node.id}" to "${kv}" (secrets)`, { op: 'connect', edge: { from: c.node.id, to: kv, type: 'secrets' } }),
  );
}

/** A server certificate of the design that covers a host name, when exactly one does: the target of a fix. */
export function onlyCertificateFor(ctx: RuleContext, hostName: string | undefined): Certificate | undefined {
  if (hostName === undefined) return undefined;
  const fits = ctx.design.certificates.filter((c) => c.role === 'server' && c.dnsNames.some((d) => dnsNameCovers(d, hostName)));
  return fits.length === 1 ? fits[0] : undefined;
}

/** Backend certificate validation on the https/mtls edges a node calls (GW113, GW128). */
export function* backendValidation(ctx: RuleContext, node: DesignNode, owner: string): Generator<RuleViolation> {
  for (const e of ctx.outgoing(node.id)) {
    const edge = e.edge;
    if (edge.type !== 'https' && edge.type !== 'mtls') continue;
    const off: ('validateCertificateChain' | 'validateCertificateName')[] = [];
    if (!edge.properties.validateCertificateChain) off.push('validateCertificateChain');
    if (!edge.properties.validateCertificateName) off.push('validateCertificateName');
    if (off.length === 0) continue;
    const target = { kind: 'edge', id: e.id } as const;
    yield ctx.atEdge(
      e,
      `${owner} calls "${edge.to}" with ${off.join(' and ')} false; a backend certificate that is not validated lets anyone in the network impersonate "${edge.to}": turn validation on and trust the issuing CA instead`,
      ['properties', off[0]!],
      fixWith('Validate the backend certificate', ...off.map((p) => setOp(target, ['properties', p], true))),
    );
  }
}

export const GATEWAY_RULES: Rule[] = [
  defineRule({
    id: 'GW100',
    name: 'appgw-waf',
    category: 'architecture',
    severity: 'error',
    title: 'An internet-facing Application Gateway uses the WAF_v2 SKU',
    rationale: 'Application Gateway is the only public entry of the architecture; without its web application firewall, OWASP attacks reach API Management and the cluster unfiltered.',
    source: psrule('Azure.AppGw.UseWAF'),
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        if (gw.properties.sku === 'WAF_v2' || !internetFacing(ctx, gw)) continue;
        yield ctx.atNode(
          gw,
          `Application Gateway "${gw.id}" receives internet traffic with sku ${gw.properties.sku}, which has no web application firewall; use WAF_v2`,
          ['properties', 'sku'],
          fixWith('Use WAF_v2', setOp({ kind: 'node', id: gw.id }, ['properties', 'sku'], 'WAF_v2')),
        );
      }
    },
  }),
  defineRule({
    id: 'GW101',
    name: 'waf-prevention-mode',
    category: 'architecture',
    severity: 'warning',
    title: 'The WAF runs in Prevention mode',
    rationale: 'In Detection mode the WAF only logs attacks and lets them through; use Detection only while tuning exclusions, then switch to Prevention.',
    source: psrule('Azure.AppGwWAF.PreventionMode'),
    fixable: true,
    *check(ctx) {
      for (const gw of wafGateways(ctx)) {
        if (gw.properties.wafMode === 'Prevention') continue;
        yield ctx.atNode(
          gw,
          `the WAF of Application Gateway "${gw.id}" runs in ${gw.properties.wafMode} mode: attacks are logged, not blocked; set wafMode to Prevention`,
          ['properties', 'wafMode'],
          fixWith('Use Prevention mode', setOp({ kind: 'node', id: gw.id }, ['properties', 'wafMode'], 'Prevention')),
        );
      }
    },
  }),
  defineRule({
    id: 'GW102',
    name: 'appgw-min-instances',
    category: 'architecture',
    severity: 'warning',
    title: 'Application Gateway keeps at least two instances',
    rationale: 'With fewer than two instances, a single instance failure or platform update takes the only public entry of every API offline.',
    source: psrule('Azure.AppGw.MinInstance'),
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        const min = gw.properties.minCapacity;
        if (min >= 2) continue;
        yield ctx.atNode(
          gw,
          `Application Gateway "${gw.id}" may scale down to ${min} instance${min === 1 ? '' : 's'}; set minCapacity to 2 or more`,
          ['properties', 'minCapacity'],
          fixWith('Keep two instances', setOp({ kind: 'node', id: gw.id }, ['properties', 'minCapacity'], 2)),
        );
      }
    },
  }),
  defineRule({
    id: 'GW103',
    name: 'appgw-zones',
    category: 'architecture',
    severity: 'warning',
    title: 'Application Gateway spans availability zones',
    rationale: 'Instances spread over two or three availability zones keep the entry point up when a zone fails (in regions with zones).',
    source: psrule('Azure.AppGw.AvailabilityZone'),
    fixable: true,
    *check(ctx) {
      const location = ctx.design.metadata.location;
      // A region without availability zones cannot hold a zonal gateway at all (GW401 says so).
      if (regionFacts(location) && !regionHasZones(location)) return;
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        const zones = new Set(gw.properties.zones);
        if (zones.size >= 2) continue;
        const now = zones.size === 0 ? 'uses no availability zone' : `uses only zone ${[...zones].join('')}`;
        yield ctx.atNode(
          gw,
          `Application Gateway "${gw.id}" ${now}; spread it over zones 1, 2 and 3 in regions that have them`,
          ['properties', 'zones'],
          fixWith('Use zones 1, 2 and 3', setOp({ kind: 'node', id: gw.id }, ['properties', 'zones'], ['1', '2', '3'])),
        );
      }
    },
  }),
  defineRule({
    id: 'GW104',
    name: 'waf-rule-set',
    category: 'architecture',
    severity: 'warning',
    title: 'The WAF uses the Microsoft Default Rule Set 2.1',
    rationale: 'DRS 2.1 is the current managed rule set, with Microsoft Threat Intelligence rules and fewer false positives than the OWASP CRS 3.x sets it supersedes.',
    source: psrule('Azure.AppGwWAF.RuleGroups'),
    fixable: true,
    *check(ctx) {
      for (const gw of wafGateways(ctx)) {
        const version = gw.properties.ruleSetVersion;
        if (WAF_RULE_SETS.data[version].recommended) continue;
        yield ctx.atNode(
          gw,
          `the WAF of Application Gateway "${gw.id}" uses ${version}; use the Microsoft Default Rule Set DRS 2.1${version === 'OWASP 3.0' ? ' (CRS 3.0 is the oldest set and no longer gets new rules)' : ''}`,
          ['properties', 'ruleSetVersion'],
          fixWith('Use DRS 2.1', setOp({ kind: 'node', id: gw.id }, ['properties', 'ruleSetVersion'], 'DRS 2.1')),
        );
      }
    },
  }),
  defineRule({
    id: 'GW105',
    name: 'waf-bot-protection',
    category: 'architecture',
    severity: 'warning',
    title: 'The WAF includes the Bot Manager rule set',
    rationale: 'The Microsoft Bot Manager rule set blocks traffic from IP addresses Microsoft Threat Intelligence knows as malicious bots, before it reaches the APIs.',
    source: psrule('Azure.AppGwWAF.RuleGroups'),
    fixable: true,
    *check(ctx) {
      for (const gw of wafGateways(ctx)) {
        if (gw.properties.botProtection) continue;
        yield ctx.atNode(
          gw,
          `the WAF of Application Gateway "${gw.id}" has bot protection off; turn on the Microsoft Bot Manager rule set`,
          ['properties', 'botProtection'],
          fixWith('Turn bot protection on', setOp({ kind: 'node', id: gw.id }, ['properties', 'botProtection'], true)),
        );
      }
    },
  }),
  defineRule({
    id: 'GW106',
    name: 'waf-log4shell',
    category: 'architecture',
    severity: 'error',
    title: 'The WAF rules against Log4Shell stay on',
    rationale: 'Managed rules 944240 and 944250 block exploitation of Log4j (CVE-2021-44228, Log4Shell) through request data; turning them off re-opens a critical remote code execution path.',
    source: { tool: 'Checkov', ref: 'CKV_AZURE_135', url: 'https://www.checkov.io/5.Policy%20Index/arm.html' },
    fixable: true,
    *check(ctx) {
      for (const gw of wafGateways(ctx)) {
        const disabled = gw.properties.disabledRules;
        const bad = disabled.map((id, i) => ({ id: id.trim(), i })).filter((r) => LOG4SHELL_RULES.has(r.id));
        if (bad.length === 0) continue;
        const keep = disabled.filter((id) => !LOG4SHELL_RULES.has(id.trim()));
        yield ctx.atNode(
          gw,
          `the WAF of Application Gateway "${gw.id}" turns off rule${bad.length > 1 ? 's' : ''} ${bad.map((r) => r.id).join(' and ')}, which block Log4Shell (CVE-2021-44228); remove ${bad.length > 1 ? 'them' : 'it'} from disabledRules`,
          ['properties', 'disabledRules', bad[0]!.i],
          fixWith('Turn the Log4Shell rules back on', setOp({ kind: 'node', id: gw.id }, ['properties', 'disabledRules'], keep)),
        );
      }
    },
  }),
  defineRule({
    id: 'GW107',
    name: 'waf-disabled-rules',
    category: 'architecture',
    severity: 'warning',
    title: 'Managed WAF rules are not turned off',
    rationale:
      'Each managed rule turned off opens the attack class it blocks for every API behind the gateway; prefer exclusions scoped to a request field. Rules Microsoft documents as breaking the API Management developer portal are reported as information only.',
    source: { tool: 'Microsoft Learn', ref: 'Customize Web Application Firewall rules', url: 'https://learn.microsoft.com/azure/web-application-firewall/ag/application-gateway-customize-waf-rules-portal' },
    fixable: true,
    *check(ctx) {
      for (const gw of wafGateways(ctx)) {
        const disabled = gw.properties.disabledRules;
        for (let i = 0; i < disabled.length; i++) {
          const id = disabled[i]!.trim();
          if (LOG4SHELL_RULES.has(id)) continue; // GW106
          const portal = PORTAL_RULES.has(id);
          const rest = disabled.filter((_, j) => j !== i);
          yield ctx.atNode(
            gw,
            portal
              ? `the WAF of Application Gateway "${gw.id}" turns off rule ${id}, which Microsoft documents as breaking the API Management developer portal; keep it off only if the portal is published through this gateway`
              : `the WAF of Application Gateway "${gw.id}" turns off managed rule ${id}; turn it back on, or replace it by an exclusion for the request field that triggers it`,
            ['properties', 'disabledRules', i],
            { ...fixWith(`Turn rule ${id} back on`, setOp({ kind: 'node', id: gw.id }, ['properties', 'disabledRules'], rest)), ...(portal ? { severity: 'info' as const } : {}) },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW108',
    name: 'appgw-listener',
    category: 'architecture',
    severity: 'error',
    title: 'An internet-facing Application Gateway has an HTTPS listener host name and certificate',
    rationale: 'Internet traffic arrives over HTTPS (spec, "Edges"): the listener needs the public host name clients call and a server certificate for it, or no TLS can be terminated.',
    source: { tool: 'Microsoft Learn', ref: 'Overview of TLS termination and end to end TLS with Application Gateway', url: 'https://learn.microsoft.com/azure/application-gateway/ssl-overview' },
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        if (!internetFacing(ctx, gw)) continue;
        const p = gw.properties;
        if (p.hostName === undefined) {
          const cert = p.certificate === undefined ? undefined : ctx.certificates.get(p.certificate);
          const name = cert?.dnsNames.find((d) => !d.startsWith('*.'));
          yield ctx.atNode(
            gw,
            `Application Gateway "${gw.id}" receives internet traffic but has no hostName for its HTTPS listener; set the public host name clients call`,
            ['properties', 'hostName'],
            name ? fixWith(`Use host name ${name}`, setOp({ kind: 'node', id: gw.id }, ['properties', 'hostName'], name)) : {},
          );
        }
        if (p.certificate === undefined) {
          const only = onlyCertificateFor(ctx, p.hostName);
          yield ctx.atNode(
            gw,
            `Application Gateway "${gw.id}" receives internet traffic but has no listener certificate; set certificate to a server certificate for ${p.hostName ?? 'its host name'}`,
            ['properties', 'certificate'],
            only ? fixWith(`Use certificate "${only.id}"`, setOp({ kind: 'node', id: gw.id }, ['properties', 'certificate'], only.id)) : {},
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW109',
    name: 'appgw-certificate-key-vault',
    category: 'architecture',
    severity: 'error',
    title: 'The listener certificate is held in Key Vault',
    rationale:
      'Application Gateway loads listener certificates from Key Vault with a user-assigned identity and picks up renewals every four hours; the only alternative, a PFX with its private key in the template, is never generated.',
    source: { tool: 'Microsoft Learn', ref: 'TLS termination with Key Vault certificates', url: 'https://learn.microsoft.com/azure/application-gateway/key-vault-certs' },
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        yield* certificateHeldInKeyVault(ctx, listenerCheck(gw));
      }
    },
  }),
  defineRule({
    id: 'GW110',
    name: 'appgw-key-vault-access',
    category: 'architecture',
    severity: 'error',
    title: 'Application Gateway reads the vault of its listener certificate',
    rationale: 'The secrets edge gives the gateway identity the Key Vault Secrets User role on the vault; without it the certificate cannot be fetched and the listener is disabled.',
    source: { tool: 'Microsoft Learn', ref: 'TLS termination with Key Vault certificates', url: 'https://learn.microsoft.com/azure/application-gateway/key-vault-certs' },
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        yield* readsCertificateVault(ctx, listenerCheck(gw));
      }
    },
  }),
  defineRule({
    id: 'GW111',
    name: 'public-entry',
    category: 'architecture',
    severity: 'error',
    title: 'Internet traffic enters through Application Gateway',
    rationale:
      'In this architecture Application Gateway and its WAF are the only public entry; internet traffic straight to API Management skips the WAF and needs a public API Management endpoint.',
    source: { tool: 'Microsoft Learn', ref: 'Integrate API Management in an internal virtual network with Application Gateway', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-integrate-internal-vnet-appgateway' },
    fixable: true,
    *check(ctx) {
      const gateways = ctx.nodesOfType('applicationGateway');
      for (const e of ctx.edgesOfType('https')) {
        if (e.from?.type !== 'internet' || !e.to || e.to.type === 'applicationGateway') continue;
        if (!edgeFits('https', 'internet', e.to.type)) continue; // GW012 reports a connection that makes no sense.
        const from = e.edge.from;
        const existing = gateways.find((g) => ctx.hasEdge(from, g.id, 'https'));
        const only = gateways.length === 1 ? gateways[0] : undefined;
        const fix = existing
          ? fixWith(`Delete this edge; "${from}" already reaches "${existing.id}"`, { op: 'disconnect', id: e.id })
          : only
            ? fixWith(`Send it to "${only.id}"`, setOp({ kind: 'edge', id: e.id }, ['to'], only.id))
            : {};
        yield ctx.atEdge(
          e,
          `internet traffic goes straight to ${ctx.describe(e.to)}, bypassing the WAF; connect the internet to an Application Gateway and the gateway to "${e.to.id}"`,
          ['to'],
          fix,
        );
      }
    },
  }),
  defineRule({
    id: 'GW112',
    name: 'appgw-backend',
    category: 'architecture',
    severity: 'error',
    title: 'Application Gateway forwards to a backend',
    rationale: 'A gateway with no https edge to API Management has an empty backend pool: it deploys, and every request it receives fails with 502 Bad Gateway.',
    source: { tool: 'Microsoft Learn', ref: 'Integrate API Management in an internal virtual network with Application Gateway', url: 'https://learn.microsoft.com/azure/api-management/api-management-howto-integrate-internal-vnet-appgateway' },
    fixable: true,
    *check(ctx) {
      const apims = ctx.nodesOfType('apiManagement');
      const only = apims.length === 1 ? apims[0] : undefined;
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        if (ctx.outgoing(gw.id, 'https').length > 0) continue;
        const receives = internetFacing(ctx, gw) ? 'receives internet traffic but forwards it nowhere' : 'forwards nowhere';
        yield ctx.atNode(
          gw,
          `Application Gateway "${gw.id}" ${receives}: its backend pool is empty and every request gets 502 Bad Gateway; connect it over https to API Management`,
          ['id'],
          only ? fixWith(`Connect "${gw.id}" to "${only.id}" (https)`, { op: 'connect', edge: { from: gw.id, to: only.id, type: 'https' } }) : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW113',
    name: 'appgw-backend-validation',
    category: 'trust',
    severity: 'error',
    title: 'Application Gateway validates the certificate of its backend',
    rationale:
      'Re-encrypting to API Management is only worth something if the gateway checks the chain and the name of the certificate it gets back (validateCertChainAndExpiry, validateSNI); otherwise anyone on the network path can impersonate the backend.',
    source: { tool: 'Microsoft Learn', ref: 'Application Gateway backend TLS: trusted root certificates', url: 'https://learn.microsoft.com/azure/application-gateway/ssl-overview' },
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        yield* backendValidation(ctx, gw, `Application Gateway "${gw.id}"`);
      }
    },
  }),
];

function listenerCheck(gw: AppGw): KeyVaultCertificateCheck {
  return {
    node: gw,
    certId: gw.properties.certificate,
    component: 'Application Gateway',
    what: 'listener certificate',
    certPath: ['properties', 'certificate'],
  };
}
