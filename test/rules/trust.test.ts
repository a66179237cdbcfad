/**
 * The trust-chain rules (GW200-GW222) and the derived-trust helpers they share with the generators:
 * derived trust against explicit overrides, intermediates and verify depth, wildcards, several mTLS callers.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'yaml';
import {
  anchors,
  caBundle,
  callerTrust,
  certificateUses,
  describeChain,
  dnsNameCovers,
  ingressClientTrust,
  issuerChain,
  requiredVerifyDepth,
  rootOf,
} from '../../src/model/trust.js';
import { parseDesign } from '../../src/document/parse.js';
import type { Finding } from '../../src/schemas/finding.js';
import { analyze } from '../../src/validation/analyze.js';
import { RuleContext } from '../../src/validation/context.js';
import { validateDesign } from '../../src/validation/engine.js';
import { TRUST_RULES } from '../../src/validation/rules/trust.js';
import { REFERENCE, append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';
import { ISSUING_CA, OTHER_CA, withIntermediate, withTwoIntermediates } from './trust.cases.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, rule?: string, now = NOW): Finding[] {
  const a = analyze(text, { now });
  assert.equal(a.parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.deepEqual(
    a.findings.filter((f) => f.ruleId === 'GW000'),
    [],
    'a rule crashed',
  );
  return a.findings.filter((f) => (rule ? f.ruleId === rule : f.ruleId >= 'GW200' && f.ruleId <= 'GW249'));
}

function ctxOf(text: string): RuleContext {
  const parsed = parseDesign(text);
  assert.ok(parsed.design);
  return new RuleContext(parsed.design, { now: NOW });
}

/** A second API Management presenting a client certificate from its own private CA to the same ingress. */
function withPartner(d: Document): void {
  append(d, 'certificates', { id: 'partner-ca', role: 'ca', issuer: 'self', keyVault: 'kv', notAfter: '2035-12-31' });
  append(d, 'certificates', { id: 'partner-client', role: 'client', issuer: 'partner-ca', keyVault: 'kv', autoRenew: true });
  append(d, 'nodes', { id: 'apim-partner', type: 'apiManagement', properties: { sku: 'Developer', virtualNetworkType: 'Internal' } });
  append(d, 'edges', { from: 'apim-partner', to: 'aks', type: 'mtls', properties: { clientCertificate: 'partner-client' } });
  append(d, 'edges', { from: 'apim-partner', to: 'kv', type: 'secrets' });
}

const PUBLIC_CA = { id: 'public-ca', role: 'ca', issuer: 'external', keyVault: 'kv' };

describe('the trust rules on the reference design', () => {
  test('report nothing', () => {
    assert.deepEqual(findings(REFERENCE), []);
  });
  test('there are at least 14, all with ids in GW200-GW249 and category trust', () => {
    assert.ok(TRUST_RULES.length >= 14);
    for (const r of TRUST_RULES) {
      assert.match(r.id, /^GW2[0-4]\d$/);
      assert.equal(r.category, 'trust');
    }
  });
});

describe('derived-trust helpers', () => {
  test('dnsNameCovers matches exact names and one-label wildcards, case-insensitively', () => {
    assert.equal(dnsNameCovers('api.contoso.com', 'API.contoso.com'), true);
    assert.equal(dnsNameCovers('*.contoso.com', 'api.contoso.com'), true);
    assert.equal(dnsNameCovers('*.contoso.com', 'orders.internal.contoso.com'), false);
    assert.equal(dnsNameCovers('*.contoso.com', 'contoso.com'), false);
    assert.equal(dnsNameCovers('*.internal.contoso.com', 'orders.internal.contoso.com'), true);
    assert.equal(dnsNameCovers('api.contoso.com', 'www.contoso.com'), false);
  });

  test('issuer chains, roots and anchors follow intermediates', () => {
    const ctx = ctxOf(mutateReference(withIntermediate));
    assert.deepEqual(
      issuerChain(ctx, 'apim-client').chain.map((c) => c.id),
      ['issuing-ca', 'internal-ca'],
    );
    assert.equal(issuerChain(ctx, 'apim-client').ended, 'root');
    assert.equal(rootOf(ctx, 'apim-client'), 'internal-ca');
    assert.equal(rootOf(ctx, 'gateway-tls'), 'external');
    assert.equal(rootOf(ctx, 'internal-ca'), 'internal-ca');
    assert.equal(anchors(ctx, 'internal-ca', 'apim-client'), true);
    assert.equal(anchors(ctx, 'issuing-ca', 'apim-client'), true);
    assert.equal(anchors(ctx, 'issuing-ca', 'ingress-tls'), false);
    assert.equal(anchors(ctx, 'external', 'gateway-tls'), true);
    assert.equal(requiredVerifyDepth(ctx, 'apim-client'), 1, 'one intermediate: depth 1 (real NGINX agrees, test/rehearsal/nginx.test.ts)');
    assert.equal(requiredVerifyDepth(ctx, 'ingress-tls'), 1);
    assert.equal(describeChain(ctx, 'apim-client'), '"apim-client" → "issuing-ca" → "internal-ca" (root)');
    assert.deepEqual(
      caBundle(ctx, 'issuing-ca').certificates.map((c) => c.id),
      ['issuing-ca', 'internal-ca'],
    );
    assert.equal(caBundle(ctx, 'issuing-ca').complete, true);
  });

  test('issuer chains stop at loops and unknown ids', () => {
    const ctx = ctxOf(
      mutateReference((d) => {
        append(d, 'certificates', { id: 'loop-a', role: 'ca', issuer: 'loop-b' });
        append(d, 'certificates', { id: 'loop-b', role: 'ca', issuer: 'loop-a' });
        append(d, 'certificates', { id: 'orphan', role: 'client', issuer: 'nowhere' });
      }),
    );
    assert.equal(issuerChain(ctx, 'loop-a').ended, 'cycle');
    assert.equal(issuerChain(ctx, 'orphan').ended, 'missing');
    assert.equal(rootOf(ctx, 'loop-a'), undefined);
    assert.equal(caBundle(ctx, 'loop-a').complete, false);
    assert.match(describeChain(ctx, 'loop-a'), /loop/);
  });

  test('callerTrust derives the issuer of the callee certificate unless trustedCa overrides it', () => {
    const ctx = ctxOf(mutateReference((d) => setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' })));
    const byId = (id: string) => ctx.edges.find((e) => e.id === id)!.edge;
    const appgwApim = byId('appgw-apim');
    const internetAppgw = byId('internet-appgw');
    assert.ok(appgwApim.type === 'https' && internetAppgw.type === 'https');
    assert.deepEqual(callerTrust(ctx, appgwApim), { caIds: ['internal-ca'], derived: false });
    assert.deepEqual(callerTrust(ctx, internetAppgw), { caIds: ['external'], derived: true });
  });

  test('an ingress derives every issuer of the client certificates reaching it, sorted', () => {
    const ctx = ctxOf(mutateReference(withPartner));
    const aks = ctx.nodesOfType('aksCluster')[0]!;
    assert.deepEqual(ingressClientTrust(ctx, aks), { caIds: ['internal-ca', 'partner-ca'], derived: true });
  });

  test('certificateUses lists every reference with its path', () => {
    const ctx = ctxOf(REFERENCE);
    const uses = certificateUses(ctx.design.nodes, ctx.design.edges).map((u) => `${u.kind}:${u.certificate}:${u.path.join('.')}`);
    assert.deepEqual(uses, [
      'server:gateway-tls:properties.certificate',
      'server:apim-tls:properties.certificate',
      'server:ingress-tls:properties.ingress.serverCertificate',
      'client:apim-client:properties.clientCertificate',
    ]);
  });
});

describe('GW200: client certificates against derived trust and the clientCa override', () => {
  test('derived trust and an agreeing override pass', () => {
    assert.deepEqual(findings(REFERENCE, 'GW200'), []);
    assert.deepEqual(findings(mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca')), 'GW200'), []);
  });

  test('an override naming the root or the intermediate above an intermediate-issued client certificate passes', () => {
    for (const ca of ['internal-ca', 'issuing-ca']) {
      const text = mutateReference((d) => {
        withIntermediate(d);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], ca);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], 2);
      });
      assert.deepEqual(findings(text), [], `clientCa ${ca}`);
    }
  });

  test('a disagreeing override with one mTLS caller is the culprit: error on the node, fix removes it', () => {
    const text = mutateReference((d) => {
      append(d, 'certificates', OTHER_CA);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'other-ca');
    });
    const [f, ...rest] = findings(text, 'GW200');
    assert.equal(rest.length, 0);
    assert.deepEqual(f!.target, { kind: 'node', id: 'aks' });
    assert.deepEqual(f!.path!.slice(-3), ['properties', 'ingress', 'clientCa']);
    assert.match(f!.message, /"apim-client" → "internal-ca" \(root\)/);
    assert.deepEqual(f!.fix!.operations, [{ op: 'unsetProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'clientCa'] }]);
  });

  test('two mTLS callers with different CAs: derived trust holds both', () => {
    const text = mutateReference(withPartner);
    assert.deepEqual(findings(text, 'GW200'), []);
    assert.deepEqual(findings(text, 'GW201'), []);
    assert.deepEqual(findings(text, 'GW202'), []);
  });

  test('two mTLS callers with different CAs: an override that fits one flags the other edge', () => {
    const partnerOut = findings(
      mutateReference((d) => {
        withPartner(d);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca');
      }),
      'GW200',
    );
    assert.deepEqual(
      partnerOut.map((f) => f.target),
      [{ kind: 'edge', id: 'apim-partner-aks' }],
    );
    assert.match(partnerOut[0]!.message, /"partner-client" \("partner-client" → "partner-ca" \(root\)\)/);
    assert.deepEqual(partnerOut[0]!.path!.slice(-2), ['properties', 'clientCertificate']);

    const referenceOut = findings(
      mutateReference((d) => {
        withPartner(d);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'partner-ca');
      }),
      'GW200',
    );
    assert.deepEqual(
      referenceOut.map((f) => f.target),
      [{ kind: 'edge', id: 'apim-aks' }],
    );
  });

  test('an override that fits neither caller is flagged once, on the node', () => {
    const out = findings(
      mutateReference((d) => {
        withPartner(d);
        append(d, 'certificates', OTHER_CA);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'other-ca');
      }),
      'GW200',
    );
    assert.deepEqual(
      out.map((f) => f.target),
      [{ kind: 'node', id: 'aks' }],
    );
    assert.match(out[0]!.message, /apim-client/);
    assert.match(out[0]!.message, /partner-client/);
  });
});

describe('GW201: verify depth with intermediates', () => {
  test('one intermediate passes at depth 1 (as real NGINX accepts it); two need depth 2: 1 fails with a fix, 2 passes', () => {
    assert.deepEqual(findings(mutateReference(withIntermediate), 'GW201'), []);
    const [f, ...rest] = findings(mutateReference(withTwoIntermediates), 'GW201');
    assert.equal(rest.length, 0);
    assert.deepEqual(f!.target, { kind: 'node', id: 'aks' });
    assert.match(f!.message, /depth 1/);
    assert.match(f!.message, /"apim-client" → "team-ca" → "issuing-ca" → "internal-ca"/);
    assert.deepEqual(f!.fix!.operations, [
      { op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['properties', 'ingress', 'verifyDepth'], value: 2 },
    ]);
    const fixed = mutateReference((d) => {
      withTwoIntermediates(d);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], 2);
    });
    assert.deepEqual(findings(fixed, 'GW201'), []);
  });

  test('the deepest of several callers sets the depth', () => {
    const text = mutateReference((d) => {
      withPartner(d);
      withTwoIntermediates(d);
    });
    const out = findings(text, 'GW201');
    assert.equal(out.length, 1);
    assert.match(out[0]!.message, /"apim-client" needs 2/);
  });

  test('verifyClient off asks for no depth', () => {
    const text = mutateReference((d) => {
      withIntermediate(d);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off');
    });
    assert.deepEqual(findings(text, 'GW201'), []);
    assert.equal(findings(text, 'GW203').length, 1);
  });
});

describe('GW205: host names and wildcards', () => {
  test('a one-label wildcard covers the ingress host; a wildcard one level up does not', () => {
    assert.deepEqual(findings(mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['*.internal.contoso.com'])), 'GW205'), []);
    const out = findings(mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['*.contoso.com'])), 'GW205');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.target, { kind: 'edge', id: 'apim-aks' });
    assert.match(out[0]!.message, /"orders.internal.contoso.com".*"ingress-tls".*"\*\.contoso\.com"/);
    assert.deepEqual(out[0]!.fix!.operations, [
      { op: 'setProperty', target: { kind: 'certificate', id: 'ingress-tls' }, path: ['dnsNames'], value: ['*.contoso.com', 'orders.internal.contoso.com'] },
    ]);
  });

  test('each https edge is checked: the gateway listener and the API Management domain too', () => {
    const out = findings(
      mutateReference((d) => {
        setAt(d, ['certificates', 'gateway-tls', 'dnsNames'], ['www.contoso.com']);
        setAt(d, ['certificates', 'apim-tls', 'dnsNames'], ['portal.internal.contoso.com']);
      }),
      'GW205',
    );
    assert.deepEqual(
      out.map((f) => f.target.id),
      ['internet-appgw', 'appgw-apim'],
    );
  });

  test('a certificate with no names is GW206 only, with the host names as fix', () => {
    const text = mutateReference((d) => deleteAt(d, ['certificates', 'apim-tls', 'dnsNames']));
    assert.deepEqual(findings(text, 'GW205'), []);
    const [f] = findings(text, 'GW206');
    assert.deepEqual(f!.fix!.operations, [
      { op: 'setProperty', target: { kind: 'certificate', id: 'apim-tls' }, path: ['dnsNames'], value: ['gateway.internal.contoso.com'] },
    ]);
  });
});

describe('GW207: the trustedCa override', () => {
  test('an override naming the issuer or the root above an intermediate passes', () => {
    assert.deepEqual(findings(mutateReference((d) => setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' }))), []);
    const viaIntermediate = mutateReference((d) => {
      append(d, 'certificates', ISSUING_CA);
      setAt(d, ['certificates', 'apim-tls', 'issuer'], 'issuing-ca');
      setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' });
    });
    assert.deepEqual(findings(viaIntermediate, 'GW207'), []);
    assert.deepEqual(findings(viaIntermediate, 'GW211'), []);
  });

  test('a disagreeing override errors on that edge, with a fix that derives trust again', () => {
    const out = findings(
      mutateReference((d) => {
        append(d, 'certificates', OTHER_CA);
        setAt(d, ['edges', 'apim-aks', 'properties', 'trustedCa'], 'other-ca');
      }),
      'GW207',
    );
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.target, { kind: 'edge', id: 'apim-aks' });
    assert.deepEqual(out[0]!.path!.slice(-2), ['properties', 'trustedCa']);
    assert.match(out[0]!.message, /"ingress-tls" \("ingress-tls" → "internal-ca" \(root\)\)/);
    assert.deepEqual(out[0]!.fix!.operations, [{ op: 'unsetProperty', target: { kind: 'edge', id: 'apim-aks' }, path: ['properties', 'trustedCa'] }]);
  });

  test('a public CA trusted for a privately issued certificate, and the other way round', () => {
    const publicForPrivate = findings(
      mutateReference((d) => {
        append(d, 'certificates', PUBLIC_CA);
        setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'public-ca' });
      }),
      'GW207',
    );
    assert.match(publicForPrivate[0]!.message, /"public-ca" is a public CA but "apim-tls" is privately issued/);
    const privateForPublic = findings(mutateReference((d) => setAt(d, ['edges', 'internet-appgw', 'properties'], { trustedCa: 'internal-ca' })), 'GW207');
    assert.deepEqual(privateForPublic[0]!.target, { kind: 'edge', id: 'internet-appgw' });
    assert.match(privateForPublic[0]!.message, /"internal-ca" is a private CA but "gateway-tls" is issued by a public CA/);
  });

  test('an override towards a callee that presents no certificate of the design is GW208', () => {
    const text = mutateReference((d) => {
      deleteAt(d, ['nodes', 'apim', 'properties', 'hostName']);
      deleteAt(d, ['nodes', 'apim', 'properties', 'certificate']);
      setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' });
    });
    assert.deepEqual(findings(text, 'GW207'), []);
    const out = findings(text, 'GW208');
    assert.equal(out.length, 1);
    assert.match(out[0]!.message, /Microsoft-managed certificate/);
  });

  test('an override on the internet edge says what consumers trust, so a private listener is accepted', () => {
    const privateListener = mutateReference((d) => setAt(d, ['certificates', 'gateway-tls', 'issuer'], 'internal-ca'));
    assert.equal(findings(privateListener, 'GW209').length, 1);
    const declared = mutateReference((d) => {
      setAt(d, ['certificates', 'gateway-tls', 'issuer'], 'internal-ca');
      setAt(d, ['edges', 'internet-appgw', 'properties'], { trustedCa: 'internal-ca' });
    });
    assert.deepEqual(findings(declared, 'GW209'), []);
    assert.deepEqual(findings(declared, 'GW207'), []);
  });
});

describe('CA material for the callers', () => {
  test('API Management needs every CA of the ingress chain, Application Gateway only the root', () => {
    const text = mutateReference((d) => {
      append(d, 'certificates', { ...ISSUING_CA, keyVault: undefined });
      setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'issuing-ca');
      setAt(d, ['certificates', 'apim-tls', 'issuer'], 'issuing-ca');
    });
    const apim = findings(text, 'GW210');
    assert.deepEqual(
      apim.map((f) => f.target),
      [{ kind: 'certificate', id: 'issuing-ca' }],
    );
    assert.deepEqual(findings(text, 'GW211'), []);
  });

  test('a self-signed ingress certificate gives API Management no CA to upload', () => {
    const out = findings(mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'self')), 'GW210');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.target, { kind: 'edge', id: 'apim-aks' });
    assert.match(out[0]!.message, /"ingress-tls" is self-signed/);
  });

  test('a missing secrets edge comes with a connect fix', () => {
    const out = findings(mutateReference((d) => deleteAt(d, ['edges', 'apim-kv'])), 'GW210');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.fix!.operations, [{ op: 'connect', edge: { from: 'apim', to: 'kv', type: 'secrets' } }]);
  });
});

describe('GW213: one TLS minimum', () => {
  test('every hop below the highest minimum is flagged with a fix to raise it', () => {
    const out = findings(mutateReference((d) => setAt(d, ['nodes', 'sql', 'properties', 'minTlsVersion'], '1.3')), 'GW213');
    assert.deepEqual(
      out.map((f) => f.target.id).sort(),
      ['aks', 'apim', 'appgw', 'cosmos'],
    );
    for (const f of out) {
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /"sql" requires TLS 1.3/);
      const op = f.fix!.operations[0]!;
      assert.ok(op.op === 'setProperty' && op.value === '1.3');
    }
    const aks = out.find((f) => f.target.id === 'aks')!;
    assert.deepEqual(aks.path!.slice(-3), ['properties', 'ingress', 'minTlsVersion']);
  });
});

describe('GW214: expiry judged at the validation time', () => {
  test('expired is an error, under 30 days a warning, later nothing', () => {
    const at = (date: string) => findings(mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'notAfter'], date)), 'GW214');
    assert.equal(at('2026-11-26')[0]!.severity, 'error');
    const soon = at('2026-12-10');
    assert.equal(soon[0]!.severity, 'warning');
    assert.match(soon[0]!.message, /in 13 days/);
    assert.deepEqual(at('2027-06-30'), []);
    assert.equal(findings(mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'notAfter'], '2027-06-30')), 'GW214', new Date('2027-07-01T00:00:00Z')).length, 1);
  });
});

describe('GW222: token validation', () => {
  test('no tokenValidation edge: error with a fix connecting the only Entra ID node', () => {
    const out = findings(mutateReference((d) => deleteAt(d, ['edges', 'apim-entra'])), 'GW222');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.fix!.operations, [{ op: 'connect', edge: { from: 'apim', to: 'entra', type: 'tokenValidation' } }]);
  });
});

describe('robustness', () => {
  test('dangling references, loops and odd chains make no rule throw', () => {
    const text = mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'nope');
      setAt(d, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'missing');
      setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'ghost' });
      setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'unknown-ca');
      setAt(d, ['certificates', 'internal-ca', 'issuer'], 'apim-tls');
      append(d, 'certificates', { id: 'self-loop', role: 'ca', issuer: 'self-loop' });
    });
    const parsed = parseDesign(text);
    assert.ok(parsed.design);
    const out = validateDesign(parsed.design, { now: NOW }, TRUST_RULES);
    assert.deepEqual(
      out.filter((f) => f.ruleId === 'GW000'),
      [],
    );
  });
});
