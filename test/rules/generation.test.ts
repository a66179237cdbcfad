/**
 * The "cannot be generated" rules (GW300-GW305) beyond their fixtures: what generation does without them (the
 * reason each exists), their fixes giving designs that generate, and where they stay quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import { applyOperations } from '../../src/document/edits/apply.js';
import { generate } from '../../src/generators/generate.js';
import type { Finding } from '../../src/schemas/finding.js';
import { append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, rule: string): Finding[] {
  const a = analyze(text, { now: NOW });
  assert.equal(a.parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(a.parsed.findings)}`);
  return a.findings.filter((f) => f.ruleId === rule);
}

/** Applies the fix of the only finding of `rule`; the result has no finding of it and no error at all, and generates. */
function fixAndGenerate(text: string, rule: string): string {
  const [finding, ...more] = findings(text, rule);
  assert.ok(finding, `${rule} did not report`);
  assert.deepEqual(more, []);
  assert.ok(finding.fix, `${rule} offers no fix`);
  const applied = applyOperations(text, finding.fix.operations);
  assert.ok(applied.ok, `the fix does not apply: ${applied.ok ? '' : applied.error}`);
  const a = analyze(applied.text, { now: NOW });
  assert.deepEqual(
    a.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.message}`),
    [],
  );
  assert.doesNotThrow(() => generate(a.design!));
  return applied.text;
}

test('GW300: without the rule, generation throws on PremiumV2; the fix (Premium) generates', () => {
  const text = mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'PremiumV2'));
  const design = analyze(text, { now: NOW }).design!;
  assert.throws(() => generate(design), /PremiumV2/);
  assert.match(fixAndGenerate(text, 'GW300'), /sku: Premium\n/);
});

test('GW301: a TLSRoute without host names is what the generator would write; the fix takes the certificate name', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], 'gatewayApi');
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough');
    deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName']);
    // Nobody calls it over mTLS (a passthrough ingress cannot verify client certificates: GW153).
    deleteAt(d, ['edges', 'apim-aks']);
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off');
    setAt(d, ['nodes', 'apim', 'properties', 'apis'], []);
  });
  const route = generate(analyze(text, { now: NOW }).design!).files.find((f) => f.path.endsWith('-tlsroute.yaml'));
  assert.ok(route && !route.content.includes('hostnames'), 'the generator writes a TLSRoute without hostnames');
  assert.match(fixAndGenerate(text, 'GW301'), /hostName: orders\.internal\.contoso\.com/);
});

test('GW301: quiet for a passthrough Gateway API ingress without services (no route is generated) and for other controllers', () => {
  const base = (controller: string, services: unknown[]) =>
    mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough');
      deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName']);
      setAt(d, ['nodes', 'aks', 'properties', 'services'], services);
    });
  assert.deepEqual(findings(base('gatewayApi', []), 'GW301'), []);
  assert.deepEqual(findings(base('appRouting', [{ name: 'orders', namespace: 'orders' }]), 'GW301'), []);
});

test('GW302: the fix sets a concrete name of the certificate; quiet for a wildcard ingress nobody calls', () => {
  const wildcard = (d: Parameters<Parameters<typeof mutateReference>[0]>[0]) => {
    setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName'], '*.internal.contoso.com');
    setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['*.internal.contoso.com', 'orders.internal.contoso.com']);
  };
  assert.match(fixAndGenerate(mutateReference(wildcard), 'GW302'), /hostName: "?orders\.internal\.contoso\.com"?\n/);
  const idle = mutateReference((d) => {
    wildcard(d);
    append(d, 'nodes', { id: 'aks-idle', type: 'aksCluster', properties: { ingress: { hostName: '*.idle.contoso.com', verifyClient: 'off' } } });
  });
  assert.deepEqual(
    findings(idle, 'GW302').map((f) => f.target),
    [{ kind: 'node', id: 'aks' }],
  );
});

test('GW303: quiet for a wildcard custom domain that no Application Gateway forwards to', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'hostName'], '*.internal.contoso.com');
    setAt(d, ['certificates', 'apim-tls', 'dnsNames'], ['*.internal.contoso.com']);
  });
  assert.equal(findings(text, 'GW303').length, 1);
  const alone = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'hostName'], '*.internal.contoso.com');
    setAt(d, ['certificates', 'apim-tls', 'dnsNames'], ['*.internal.contoso.com']);
    deleteAt(d, ['edges', 'appgw-apim']);
  });
  assert.deepEqual(findings(alone, 'GW303'), []);
});

test('GW304: the publisher e-mail too; exactly 100 characters is fine', () => {
  const email = `${'a'.repeat(90)}@contoso.com`;
  const [f] = findings(mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'publisherEmail'], email)), 'GW304');
  assert.match(f!.message, /publisherEmail of 102 characters/);
  assert.deepEqual(findings(mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'publisherName'], 'p'.repeat(100))), 'GW304'), []);
});

test('GW305: an empty display name is fixed by removing it; a path over 400 characters is reported on the path', () => {
  const empty = mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'displayName'], ''));
  assert.doesNotMatch(fixAndGenerate(empty, 'GW305'), /displayName/);
  const long = findings(mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'path'], 'a/'.repeat(201))), 'GW305');
  assert.equal(long.length, 1);
  assert.match(long[0]!.message, /path of 402 characters/);
  assert.deepEqual(long[0]!.path, ['nodes', 2, 'properties', 'apis', 0, 'path']);
});
