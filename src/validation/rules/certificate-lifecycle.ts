/** Certificates over time and in their chains: validity, expiry before the issuer, renewal, chains that end at a root, only CAs issue. */
import { tlsEndpointOf } from '../../model/trust.js';
import type { Certificate } from '../../schemas/design.js';
import { defineRule, type Rule } from '../rule.js';
import { LEARN, ANCHORS, q, DAY_MS, serverRole } from './trust-support.js';

export const CERTIFICATE_LIFECYCLE_RULES: Rule[] = [
  defineRule({
    id: 'GW214',
    name: 'certificate-expiry',
    category: 'trust',
    severity: 'error',
    title: 'Certificates are valid and not about to expire',
    rationale:
      'An expired certificate anywhere in the chain stops every call through it; one expiring within 30 days needs renewing now (PSRule Azure.APIM.CertificateExpiry applies the same 30 days to API Management custom domains).',
    source: {
      tool: 'PSRule for Azure',
      ref: 'Azure.APIM.CertificateExpiry',
      url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.APIM.CertificateExpiry/',
    },
    *check(ctx) {
      const now = ctx.now.getTime();
      for (const cert of ctx.certificates.values()) {
        // With a file, the real expiry is judged from the file (GW253) and compared with notAfter (GW261).
        if (!cert.notAfter || cert.file) continue;
        const end = Date.parse(`${cert.notAfter}T00:00:00Z`) + DAY_MS; // valid through that day
        if (Number.isNaN(end)) continue;
        const kind = cert.role === 'ca' ? 'CA certificate' : `${cert.role} certificate`;
        if (end <= now) {
          yield ctx.atCertificate(cert, `${kind} ${q(cert.id)} expired on ${cert.notAfter}: every chain through it fails; renew it`, ['notAfter']);
          continue;
        }
        const days = Math.floor((end - now) / DAY_MS);
        if (days < 30) {
          yield ctx.atCertificate(
            cert,
            `${kind} ${q(cert.id)} expires on ${cert.notAfter}, in ${days} day${days === 1 ? '' : 's'}; renew it${cert.role !== 'ca' && !cert.autoRenew ? ' and set autoRenew' : ''}`,
            ['notAfter'],
            { severity: 'warning' },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW215',
    name: 'ca-outlives-certificates',
    category: 'trust',
    severity: 'warning',
    title: 'A CA does not expire before the certificates it issued',
    rationale:
      'A chain is valid only while every certificate in it is: once the CA expires, the certificates it issued stop validating, whatever their own expiry date says.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 6` },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (!cert.notAfter) continue;
        const ca = ctx.certificates.get(cert.issuer);
        if (!ca?.notAfter || ca.id === cert.id || ca.notAfter >= cert.notAfter) continue;
        if (cert.file && ca.file) continue; // both real certificates: their files are compared (GW262)
        yield ctx.atCertificate(
          cert,
          `${q(cert.id)} is valid until ${cert.notAfter}, but its issuer ${q(ca.id)} expires on ${ca.notAfter}: from then on ${q(cert.id)} fails validation; renew ${q(ca.id)} first or shorten ${q(cert.id)}`,
          ['notAfter'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW216',
    name: 'certificate-auto-renew',
    category: 'trust',
    severity: 'warning',
    title: 'Certificates in use renew automatically',
    rationale:
      'Key Vault renews a certificate before it expires when its lifetime action is auto-renew; Application Gateway, API Management and the app routing add-on pick up the new version from the versionless secret. Without it, a certificate on the request path expires silently.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'Renew your Azure Key Vault certificates',
      url: `${LEARN}/key-vault/certificates/overview-renew-certificate`,
    },
    fixable: true,
    *check(ctx) {
      const used = new Map<string, string>();
      for (const node of ctx.design.nodes) {
        const endpoint = tlsEndpointOf(node);
        if (endpoint?.certificate && !used.has(endpoint.certificate)) {
          used.set(endpoint.certificate, `${serverRole(node)} of ${q(node.id)}`);
        }
      }
      for (const e of ctx.edgesOfType('mtls')) {
        const id = e.edge.properties.clientCertificate;
        if (!used.has(id)) used.set(id, `client certificate on ${q(e.id)}`);
      }
      for (const [id, where] of used) {
        const cert = ctx.certificates.get(id);
        if (!cert || cert.role === 'ca' || cert.autoRenew) continue;
        yield ctx.atCertificate(cert, `${q(cert.id)} (${where}) does not renew itself: renewal is not set; set autoRenew: true`, ['autoRenew'], {
          fix: {
            title: `Renew ${cert.id} automatically`,
            operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['autoRenew'], value: true }],
          },
        });
      }
    },
  }),
  defineRule({
    id: 'GW217',
    name: 'issuer-cycle',
    category: 'trust',
    severity: 'error',
    title: 'Issuer chains end at a root',
    rationale:
      'Every chain must end at a self-signed root (issuer: self) or a public CA (issuer: external). Issuers that loop describe no chain at all: no party can be given a root to trust.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    *check(ctx) {
      // Each certificate has one issuer: walk the issuer graph once, colouring visited certificates.
      const state = new Map<string, 'walking' | 'done'>();
      for (const start of ctx.certificates.values()) {
        if (state.has(start.id)) continue;
        const path: Certificate[] = [];
        let cur: Certificate | undefined = start;
        while (cur && !state.has(cur.id)) {
          state.set(cur.id, 'walking');
          path.push(cur);
          // A certificate naming itself is a reference slip with a fix (issuer: self): the graph rules' finding.
          cur = cur.issuer === cur.id ? undefined : ctx.certificates.get(cur.issuer);
        }
        if (cur && state.get(cur.id) === 'walking') {
          const loop = path.slice(path.findIndex((c) => c.id === cur!.id));
          const first = loop.reduce((a, b) => (ctx.certPath(a.id)[1]! <= ctx.certPath(b.id)[1]! ? a : b));
          const ids = [...loop, loop[0]!].map((c) => q(c.id)).join(' → ');
          yield ctx.atCertificate(
            first,
            `the issuers of ${loop.map((c) => q(c.id)).join(', ')} loop (${ids}): no chain reaches a root, so nothing can be trusted for them; make one of them a root (issuer: self) or name a public CA (issuer: external)`,
            ['issuer'],
          );
        }
        for (const c of path) state.set(c.id, 'done');
      }
    },
  }),
  defineRule({
    id: 'GW218',
    name: 'issuer-is-ca',
    category: 'trust',
    severity: 'error',
    title: 'Only CA certificates issue certificates',
    rationale:
      'A server or client certificate has no CA basic constraint and no keyCertSign usage (RFC 5280): TLS clients reject any certificate it signs. An intermediate must have role ca.',
    source: { tool: 'Gatewright', ref: 'RFC 5280, basic constraints', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        const issuer = ctx.certificates.get(cert.issuer);
        if (!issuer || issuer.id === cert.id || issuer.role === 'ca') continue;
        yield ctx.atCertificate(
          cert,
          `${q(cert.id)} names ${q(issuer.id)} as its issuer, but ${q(issuer.id)} is a ${issuer.role} certificate, which cannot sign certificates; issue ${q(cert.id)} from a ca certificate`,
          ['issuer'],
        );
      }
    },
  }),
];
