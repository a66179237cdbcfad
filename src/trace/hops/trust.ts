/**
 * Whether a TLS client trusts a server's certificate: it validates the chain, and one of the CA certificates it
 * holds anchors the chain of the certificate the server presents. A CA certificate the template takes as a parameter
 * is matched to the design's CAs by its value (base64 DER) when the parameters file gives one.
 */
import type { Resolved } from '../arm.js';
import { check, type TraceContext } from '../context.js';
import { valueOf } from '../model.js';
import type { Certificate } from '../../schemas/design.js';
import type { Check, Evidence } from '../types.js';

export interface TrustQuestion {
  readonly id: string;
  readonly title: string;
  /** The client: "Application Gateway", "API Management". */
  readonly who: string;
  readonly server: Certificate | undefined;
  readonly serverWhat: string;
  readonly serverEvidence: Evidence;
  readonly anchors: readonly { readonly data: Resolved | undefined; readonly evidence: Evidence }[];
  readonly validates: boolean;
  readonly validatesEvidence: Evidence;
  readonly fix: (ca: string) => string;
}

export function trustChecks(ctx: TraceContext, q: TrustQuestion): Check[] {
  const base = [q.serverEvidence, ...q.anchors.map((a) => a.evidence)];
  if (!q.validates) {
    return [check(q.id, q.title, 'fail', `${q.who} does not validate the certificate chain: any certificate would be accepted, so the hop is not authenticated.`, [q.validatesEvidence, ...base], { fix: 'Generate again from the design: certificate validation must stay on.' })];
  }
  if (!q.server) {
    return [check(q.id, q.title, 'unknown-until-deployed', `${q.serverWhat} is not a certificate of the design, so its issuer is not known before deployment.`, base, { dependsOn: `${q.serverWhat} being issued by a CA ${q.who} trusts` })];
  }
  const server = q.server;
  const issuer = ctx.certs.issuerOf(server.id) ?? server.issuer;
  if (server.issuer === 'external') {
    return [check(q.id, q.title, 'pass', `Certificate "${server.id}" comes from a public CA, which ${q.who} trusts as well-known.`, base)];
  }
  if (q.anchors.length === 0) {
    return [check(q.id, q.title, 'fail', `${q.who} trusts no private CA, but certificate "${server.id}" is issued by "${issuer}": the handshake fails.`, base, { fix: q.fix(`"${issuer}"`) })];
  }
  const outcomes = q.anchors.map((a) => {
    const value = valueOf(a.data);
    if (value === undefined) {
      const what = a.data?.kind === 'parameter' ? `parameter ${a.data.name}` : 'a value set at deployment';
      return { verdict: 'unknown-until-deployed' as const, text: `${what}, which has no value in the generated files`, depends: `${what} being the certificate of CA "${issuer}" (the issuer of "${server.id}")` };
    }
    const ids = ctx.certs.caOfDer(value);
    if (ids.some((id) => ctx.certs.anchors(id, server.id))) return { verdict: 'pass' as const, text: `the trusted certificate is CA "${ids.join('", "')}"` };
    if (ids.length > 0) return { verdict: 'fail' as const, text: `the trusted certificate is CA "${ids.join('", "')}", which did not issue "${server.id}" (issued by "${issuer}")` };
    if (ctx.certs.hasPemFor(issuer)) return { verdict: 'fail' as const, text: `the trusted certificate is not CA "${issuer}", which issued "${server.id}"` };
    return { verdict: 'unknown-until-deployed' as const, text: 'the trusted certificate matches no CA whose certificate is known', depends: `that certificate being CA "${issuer}"` };
  });
  const pass = outcomes.find((o) => o.verdict === 'pass');
  if (pass) return [check(q.id, q.title, 'pass', `${q.who} validates ${q.serverWhat}, certificate "${server.id}" issued by "${issuer}": ${pass.text}.`, base)];
  const fail = outcomes.find((o) => o.verdict === 'fail');
  if (fail) return [check(q.id, q.title, 'fail', `${q.who} cannot validate certificate "${server.id}": ${fail.text}; the handshake fails.`, base, { fix: q.fix(`"${issuer}"`) })];
  const unknown = outcomes[0]!;
  return [check(q.id, q.title, 'unknown-until-deployed', `${q.who} validates certificate "${server.id}" (issued by "${issuer}") against ${unknown.text}.`, base, { dependsOn: 'depends' in unknown ? unknown.depends : undefined })];
}
