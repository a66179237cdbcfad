/**
 * The generated platform works (issue 10): the checks of ./checks.ts, which read only the generated files, hold for
 * the reference design, for each of the three ingress controllers (and TLS passthrough), and for random valid
 * designs; and each check fails on output that has the defect it guards against.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDesign } from '../../../src/document/parse.js';
import { generate, type GeneratedFile } from '../../../src/generators/generate.js';
import type { Design } from '../../../src/schemas/design.js';
import { mutateReference, REFERENCE, setAt } from '../../helpers/reference.js';
import { sampleDesigns } from '../../helpers/random-design.js';
import { apimDeclaredOnce, backendRecordResolves, onlyApimReachesIngress, onlyGatewayReachesApim, parametersCovered, problemsOf } from './checks.js';
import { Platform, props } from './platform.js';

/** Random designs per run; the seed is fixed, so every run checks the same designs. */
const RANDOM_DESIGNS = Number(process.env.GATEWRIGHT_WORKS_DESIGNS ?? 40);

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.design && parsed.complete, parsed.findings.map((f) => f.message).join('\n'));
  return parsed.design;
}

function platform(text: string): Platform {
  return new Platform(generate(designOf(text)).files);
}

/** The same files with main.json changed by `change` (to show a check fails on a defect). */
function withTemplate(files: readonly GeneratedFile[], change: (t: { resources: Record<string, unknown>[] }) => void): Platform {
  return new Platform(
    files.map((f) => {
      if (f.path !== 'infra/main.json') return f;
      const t = JSON.parse(f.content) as { resources: Record<string, unknown>[] };
      change(t);
      return { path: f.path, content: JSON.stringify(t) };
    }),
  );
}

test('the reference design works: every check holds on its generated files', () => {
  assert.deepEqual(problemsOf(platform(REFERENCE)), []);
});

for (const controller of ['appRouting', 'ingressNginx', 'gatewayApi'] as const) {
  for (const backendProtocol of ['https', 'passthrough'] as const) {
    test(`ingress controller ${controller}, backend ${backendProtocol}: every check holds`, () => {
      const text = mutateReference((d) => {
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller);
        setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], backendProtocol);
      });
      const p = platform(text);
      assert.deepEqual(problemsOf(p), []);
      // The pinned address is really written (not just absent on both sides).
      assert.ok(p.manifests.some((m) => JSON.stringify(m).includes('service.beta.kubernetes.io/azure-load-balancer-ipv4')), 'an address is pinned');
    });
  }
}

test(`random valid designs work (${RANDOM_DESIGNS} designs, fixed seed)`, () => {
  for (const d of sampleDesigns(RANDOM_DESIGNS, 1010)) {
    const problems = problemsOf(platform(d.text));
    assert.deepEqual(problems, [], `design:\n${d.text}`);
  }
});

// ---------------------------------------------------------------- each check fails on the defect it guards against

test('a parameter without default, value or README mention is reported', () => {
  const files = generate(designOf(REFERENCE)).files;
  const p = withTemplate(files, () => undefined);
  (p.template.parameters as Record<string, unknown>).unheardOfParameter = { type: 'string' };
  assert.match(parametersCovered.check(p).join('\n'), /parameter unheardOfParameter has no default/);
});


test('a backend record empty until a second deployment, or another address than the pinned one, is reported', () => {
  const files = generate(designOf(REFERENCE)).files;
  const record = (t: { resources: Record<string, unknown>[] }) => t.resources.find((r) => r.type === 'Microsoft.Network/privateDnsZones/A' && String(r.name).endsWith('/orders'))!;
  const empty = withTemplate(files, (t) => {
    (record(t).properties as Record<string, unknown>).aRecords = "[take(createArray(createObject('ipv4Address', parameters('aksIngressIp'))), min(length(parameters('aksIngressIp')), 1))]";
  });
  assert.match(backendRecordResolves.check(empty).join('\n'), /orders\.internal\.contoso\.com has no private A record with an address on the first deployment/);
  const elsewhere = withTemplate(files, (t) => {
    (record(t).properties as Record<string, unknown>).aRecords = [{ ipv4Address: '10.0.15.200' }];
  });
  assert.match(backendRecordResolves.check(elsewhere).join('\n'), /pins the ingress of orders\.internal\.contoso\.com to 10\.0\.15\.254, but its private A record says 10\.0\.15\.200/);
});

test('without the explicit deny, the AKS subnet reaches API Management around the WAF, and that is reported', () => {
  const files = generate(designOf(REFERENCE)).files;
  const open = withTemplate(files, (t) => {
    for (const nsg of t.resources.filter((r) => r.type === 'Microsoft.Network/networkSecurityGroups')) {
      const p = nsg.properties as { securityRules: { name: string }[] };
      p.securityRules = p.securityRules.filter((r) => r.name !== 'DenyOtherInbound');
    }
  });
  const problems = onlyGatewayReachesApim.check(open).join('\n');
  assert.match(problems, /snet-aks \(10\.0\.0\.4\) -> API Management payments-apim-[a-z2-7]{13} \(10\.0\.18\.68\):443 is allowed by AllowVNetInBound \(65000\): the WAF can be bypassed/);
  assert.doesNotMatch(problems, /snet-agw/, 'Application Gateway is allowed either way');
});

test('a redeployment that declares API Management twice (the old two-step on every run), or without its domain, is reported', () => {
  const files = generate(designOf(REFERENCE)).files;
  const p = new Platform(files);
  const service = p.resources('Microsoft.ApiManagement/service')[0]!;
  assert.match(String(props(service).hostnameConfigurations), /^\[if\(parameters\('apimExists'\), createArray\(/, 'the service itself holds the domain when it exists');
  const module = p.resources('Microsoft.Resources/deployments').find((d) => String(d.name).endsWith('custom-domain'))!;
  assert.equal(module.condition, "[not(parameters('apimExists'))]", 'the second declaration only on the first deployment');
  const twice = withTemplate(files, (t) => {
    const m = t.resources.find((r) => String(r.name).endsWith('custom-domain'))!;
    delete m.condition;
    const s = t.resources.find((r) => r.type === 'Microsoft.ApiManagement/service')!;
    (s.properties as Record<string, unknown>).hostnameConfigurations = [];
  });
  assert.match(apimDeclaredOnce.check(twice).join('\n'), /payments-apim-[a-z2-7]{13} is declared 2 times on a redeployment \(main: no custom domain; nested deployment .*: gateway\.internal\.contoso\.com\)/);
  const bare = withTemplate(files, (t) => {
    const s = t.resources.find((r) => r.type === 'Microsoft.ApiManagement/service')!;
    (s.properties as Record<string, unknown>).hostnameConfigurations = [];
  });
  assert.match(apimDeclaredOnce.check(bare).join('\n'), /declared on a redeployment with no custom domain, but its first deployment ends with gateway\.internal\.contoso\.com/);
});

test('without the deny in the cluster\'s NSG, other subnets reach the ingress around API Management; without the allow, API Management cannot: both are reported', () => {
  const files = generate(designOf(REFERENCE)).files;
  assert.deepEqual(onlyApimReachesIngress.check(new Platform(files)), []);
  const drop = (name: string) =>
    withTemplate(files, (t) => {
      for (const nsg of t.resources.filter((r) => r.type === 'Microsoft.Network/networkSecurityGroups')) {
        const p = nsg.properties as { securityRules: { name: string }[] };
        p.securityRules = p.securityRules.filter((r) => r.name !== name);
      }
    });
  const open = onlyApimReachesIngress.check(drop('DenyVirtualNetworkToIngress')).join('\n');
  assert.match(open, /snet-pep \(10\.0\.\d+\.\d+\) -> ingress 10\.0\.15\.254:443 is allowed by AllowVNetInBound \(65000\): API Management can be bypassed/);
  assert.match(open, /AzureBastionSubnet .* -> ingress 10\.0\.15\.254:443 is allowed/);
  assert.doesNotMatch(open, /snet-apim|snet-aks /, 'API Management and the cluster itself are allowed either way');
  const closed = onlyApimReachesIngress.check(drop('AllowApiManagementToIngress')).join('\n');
  assert.match(closed, /snet-apim \(10\.0\.18\.68\) -> ingress 10\.0\.15\.254:443 is denied by DenyVirtualNetworkToIngress \(4000\): API Management cannot reach its backend/);
});
