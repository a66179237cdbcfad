/**
 * Hop 1, the internet to Application Gateway: the HTTPS listener, the certificate it presents (its names must cover
 * the listener's host name), and the WAF policy (attached, enabled, in Prevention mode so that it blocks).
 * https://learn.microsoft.com/azure/application-gateway/ssl-overview
 * https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview#waf-modes
 */
import { childIndex, findById } from '../arm.js';
import { check, describeResolved, type TraceContext } from '../context.js';
import { getIn } from '../locate.js';
import { valueOf, type GatewayRoute } from '../model.js';
import type { Check } from '../types.js';

export function entryChecks(ctx: TraceContext, route: GatewayRoute): { checks: Check[]; host: string | undefined } {
  const g = route.resource;
  const p = (g.body.properties ?? {}) as Record<string, unknown>;
  const checks: Check[] = [];
  const lp = ['properties', 'httpListeners', route.listenerIndex, 'properties'];
  const listener = getIn(g.body, lp) as Record<string, unknown> | undefined;
  const host = typeof listener?.hostName === 'string' ? listener.hostName : Array.isArray(listener?.hostNames) ? String(listener.hostNames[0]) : undefined;
  const listenerEv = ctx.arm.evidence(g, [...lp, 'protocol']);

  // Listener and certificate.
  if (!listener || listener.protocol !== 'Https') {
    checks.push(
      check('entry.certificate', 'Listener certificate covers the host name', 'fail', `The routing rule to API Management listens on ${String(listener?.protocol ?? 'no listener')}, not HTTPS: callers' requests are not encrypted to Application Gateway.`, [listenerEv], {
        fix: 'Give the applicationGateway node a certificate and a hostName so that its listener is HTTPS.',
      }),
    );
  } else {
    const ci = childIndex(p.sslCertificates, (listener.sslCertificate as { id?: unknown } | undefined)?.id);
    const certPath = ['properties', 'sslCertificates', ci, 'properties', 'keyVaultSecretId'];
    const uri = ci < 0 ? undefined : ctx.arm.resolve(g, certPath);
    const hostEv = ctx.arm.evidence(g, [...lp, host === listener.hostName ? 'hostName' : 'hostNames']);
    const value = valueOf(uri);
    const named = value === undefined ? undefined : ctx.certs.byKeyVaultUri(value);
    if (ci < 0 || !uri) {
      checks.push(check('entry.certificate', 'Listener certificate covers the host name', 'fail', 'The HTTPS listener has no certificate from Key Vault.', [listenerEv], { fix: 'Set the certificate of the applicationGateway node.' }));
    } else if (!host) {
      checks.push(check('entry.certificate', 'Listener certificate covers the host name', 'fail', 'The HTTPS listener has no host name: it answers any name, and no certificate can be checked against one.', [listenerEv, uri.evidence], { fix: 'Set hostName on the applicationGateway node.' }));
    } else if (!named) {
      checks.push(
        check('entry.certificate', 'Listener certificate covers the host name', 'unknown-until-deployed', `The listener for ${host} presents the certificate in ${describeResolved(uri)}, which names no certificate of the design.`, [hostEv, uri.evidence], {
          dependsOn: `the Key Vault certificate behind ${describeResolved(uri)} having ${host} among its names`,
        }),
      );
    } else if (!named.certificate) {
      checks.push(
        check('entry.certificate', 'Listener certificate covers the host name', 'unknown-until-deployed', `The listener for ${host} presents Key Vault certificate "${named.name}", which is not a certificate of the design.`, [hostEv, uri.evidence], {
          dependsOn: `Key Vault certificate "${named.name}" having ${host} among its names`,
        }),
      );
    } else if (!ctx.certs.covers(named.certificate, host)) {
      checks.push(
        check('entry.certificate', 'Listener certificate covers the host name', 'fail', `The listener for ${host} presents certificate "${named.certificate.id}" (${named.certificate.dnsNames.join(', ') || 'no DNS names'}): browsers and clients refuse it for ${host}.`, [hostEv, uri.evidence], {
          fix: `Add ${host} to dnsNames of certificate "${named.certificate.id}", or give the applicationGateway node a certificate for ${host}.`,
        }),
      );
    } else {
      checks.push(check('entry.certificate', 'Listener certificate covers the host name', 'pass', `The listener for ${host} presents certificate "${named.certificate.id}" (${named.certificate.dnsNames.join(', ')}).`, [hostEv, uri.evidence]));
    }
  }

  // WAF policy.
  const wafId = (p.firewallPolicy as { id?: unknown } | undefined)?.id;
  const waf = findById(ctx.arm, wafId);
  const tier = String(getIn(p, ['sku', 'tier']) ?? '');
  if (!waf) {
    checks.push(
      check('entry.waf', 'WAF policy attached, in Prevention mode', 'fail', `Application Gateway (tier ${tier || 'unknown'}) has no WAF policy attached: requests reach API Management unfiltered.`, [ctx.arm.evidence(g, wafId === undefined ? ['properties', 'sku'] : ['properties', 'firewallPolicy', 'id'])], {
        fix: 'Use sku WAF_v2 on the applicationGateway node.',
      }),
    );
  } else {
    const mode = getIn(waf.body, ['properties', 'policySettings', 'mode']);
    const state = getIn(waf.body, ['properties', 'policySettings', 'state']);
    const evs = [ctx.arm.evidence(g, ['properties', 'firewallPolicy', 'id']), ctx.arm.evidence(waf, ['properties', 'policySettings', 'mode']), ctx.arm.evidence(waf, ['properties', 'policySettings', 'state'])];
    if (state !== 'Enabled') {
      checks.push(check('entry.waf', 'WAF policy attached, in Prevention mode', 'fail', `The WAF policy is ${String(state ?? 'without a state')}: it inspects nothing.`, evs, { fix: 'The WAF policy must be enabled; generate again from the design.' }));
    } else if (mode !== 'Prevention') {
      checks.push(check('entry.waf', 'WAF policy attached, in Prevention mode', 'fail', `The WAF policy is in ${String(mode ?? 'no')} mode: it logs attacks but lets them through.`, evs, { fix: 'Set wafMode: Prevention on the applicationGateway node.' }));
    } else {
      checks.push(check('entry.waf', 'WAF policy attached, in Prevention mode', 'pass', 'The WAF policy is attached, enabled and in Prevention mode.', evs));
    }
  }
  return { checks, host };
}
