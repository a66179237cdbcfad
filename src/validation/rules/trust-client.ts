/** Trust on the mTLS hop: the ingress trusts, requires and verifies the client certificates its callers present. */
import { anchors, describeChain, ingressClientTrust, requiredVerifyDepth } from '../../model/trust.js';
import type { EdgeOf } from '../../schemas/design.js';
import type { EdgeEntry } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import { LEARN, ANCHORS, NGINX_CLIENT_CERTS, q, wholeCert, isPublic } from './trust-support.js';

export const CLIENT_TRUST_RULES: Rule[] = [
  defineRule({
    id: 'GW200',
    name: 'client-certificate-trusted-by-ingress',
    category: 'trust',
    severity: 'error',
    title: 'The ingress trusts the CA that issued each client certificate',
    rationale:
      'An ingress verifies client certificates against the CA bundle it holds (auth-tls-secret, ca.crt). When an explicit clientCa does not anchor the chain of a client certificate that an mtls edge presents, every call on that edge fails the handshake with 400.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx client certificate authentication (auth-tls-secret)', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const trust = ingressClientTrust(ctx, aks);
        if (trust.derived) continue; // derived trust holds every issuer by construction
        const clientCa = trust.caIds[0]!;
        if (!ctx.certificates.has(clientCa)) continue; // a dangling reference is the graph rules' finding
        const checked: { e: EdgeEntry<EdgeOf<'mtls'>>; ok: boolean }[] = [];
        for (const e of ctx.incoming(aks.id, 'mtls')) {
          const client = wholeCert(ctx, e.edge.properties.clientCertificate);
          if (client) checked.push({ e, ok: anchors(ctx, clientCa, client.id) });
        }
        const bad = checked.filter((c) => !c.ok);
        if (bad.length === 0) continue;
        const chains = bad.map((b) => describeChain(ctx, b.e.edge.properties.clientCertificate)).join('; ');
        if (bad.length === checked.length) {
          yield ctx.atNode(
            aks,
            `the ingress of ${ctx.describe(aks)} trusts clientCa ${q(clientCa)} (${describeChain(ctx, clientCa)}), which anchors no client certificate that reaches it: ${chains}; set clientCa to the CA that issued them or remove it to derive trust from the mtls edges`,
            ['properties', 'ingress', 'clientCa'],
            {
              fix: {
                title: `Derive the client CA of ${aks.id} from its mtls edges`,
                operations: [{ op: 'unsetProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'clientCa'] }],
              },
            },
          );
          continue;
        }
        for (const { e } of bad) {
          const client = e.edge.properties.clientCertificate;
          yield ctx.atEdge(
            e,
            `${ctx.describe(e.from)} presents client certificate ${q(client)} (${describeChain(ctx, client)}) to ${aks.id}, whose ingress trusts only clientCa ${q(clientCa)}: the handshake fails; issue ${q(client)} from ${q(clientCa)} or a CA below it`,
            ['properties', 'clientCertificate'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW201',
    name: 'ingress-verify-depth',
    category: 'trust',
    severity: 'error',
    title: 'The ingress verify depth covers the client certificate chains',
    rationale:
      'nginx (OpenSSL) accepts at most auth-tls-verify-depth intermediate CA certificates between a client certificate and the trusted root (1 by default). A client certificate two intermediate CAs below the root needs depth 2, or the handshake fails.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-depth', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const ingress = aks.properties.ingress;
        if (ingress.verifyClient === 'off' || ingress.verifyClient === 'optional_no_ca') continue;
        let need = 0;
        let deepest: string | undefined;
        for (const e of ctx.incoming(aks.id, 'mtls')) {
          const client = wholeCert(ctx, e.edge.properties.clientCertificate);
          if (!client) continue;
          const depth = requiredVerifyDepth(ctx, client.id);
          if (depth > need) {
            need = depth;
            deepest = client.id;
          }
        }
        if (!deepest || ingress.verifyDepth >= need) continue;
        yield ctx.atNode(
          aks,
          `the ingress of ${ctx.describe(aks)} verifies client chains to depth ${ingress.verifyDepth}, but client certificate ${q(deepest)} needs ${need} (${describeChain(ctx, deepest)}); set verifyDepth to ${need}`,
          ['properties', 'ingress', 'verifyDepth'],
          {
            fix: {
              title: `Set verifyDepth of ${aks.id} to ${need}`,
              operations: [{ op: 'setProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'verifyDepth'], value: need }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW202',
    name: 'client-certificate-private-ca',
    category: 'trust',
    severity: 'error',
    title: 'Client certificates for mTLS come from a CA the design holds',
    rationale:
      'With derived trust the ingress trusts the issuer of each client certificate. When that issuer is a public CA, the ingress would have to trust the public CA itself, and would then accept any certificate that CA issued to anyone; nor is there a CA certificate in the design to put in its ca.crt.',
    source: { tool: 'Gatewright', ref: `${ANCHORS}, item 1`, url: `${LEARN}/api-management/api-management-howto-mutual-certificates` },
    *check(ctx) {
      for (const e of ctx.edgesOfType('mtls')) {
        if (e.to?.type !== 'aksCluster' || e.to.properties.ingress.clientCa) continue;
        const client = wholeCert(ctx, e.edge.properties.clientCertificate);
        if (!client || !isPublic(ctx, client.id)) continue;
        yield ctx.atEdge(
          e,
          `client certificate ${q(client.id)} (${describeChain(ctx, client.id)}) is issued by a public CA, so the ingress of ${e.to.id} would trust every certificate that CA issues; issue it from a private CA (a ca certificate in the design) or name the CA to trust with clientCa`,
          ['properties', 'clientCertificate'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW203',
    name: 'ingress-verify-client-on',
    category: 'trust',
    severity: 'error',
    title: 'An ingress reached over mTLS requires the client certificate',
    rationale:
      'With auth-tls-verify-client "optional" (or "optional_no_ca", or "off") nginx lets a caller without a valid client certificate through: mutual TLS then authenticates nothing. It must be "on" when mtls edges reach the ingress.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-client', url: NGINX_CLIENT_CERTS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const mode = aks.properties.ingress.verifyClient;
        if (mode === 'on') continue;
        const mtls = ctx.incoming(aks.id, 'mtls');
        if (mtls.length === 0) continue;
        yield ctx.atNode(
          aks,
          `the ingress of ${ctx.describe(aks)} is reached over mTLS (${mtls.map((e) => q(e.id)).join(', ')}) but verifyClient is ${q(mode)}: callers without a valid client certificate get through; set verifyClient "on"`,
          ['properties', 'ingress', 'verifyClient'],
          {
            fix: {
              title: `Set verifyClient of ${aks.id} to "on"`,
              operations: [{ op: 'setProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'verifyClient'], value: 'on' }],
            },
          },
        );
      }
    },
  }),
  defineRule({
    id: 'GW204',
    name: 'https-to-client-verifying-ingress',
    category: 'trust',
    severity: 'error',
    title: 'Callers of an ingress that requires client certificates present one',
    rationale:
      'An https edge carries no client certificate. When the ingress it reaches requires one (verifyClient "on"), nginx answers every call with 400 "No required SSL certificate was sent".',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx auth-tls-verify-client', url: NGINX_CLIENT_CERTS },
    *check(ctx) {
      for (const e of ctx.edgesOfType('https')) {
        if (e.to?.type !== 'aksCluster' || e.to.properties.ingress.verifyClient !== 'on') continue;
        yield ctx.atEdge(
          e,
          `${ctx.describe(e.from)} calls ${ctx.describe(e.to)} over https without a client certificate, but its ingress requires one (verifyClient "on"): every call fails; make the edge mtls with a clientCertificate`,
          ['type'],
        );
      }
    },
  }),
];
