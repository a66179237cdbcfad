/**
 * The Application Gateway builder: identity, public IP, WAF policy and the gateway itself for the reference design
 * and variations (TLS 1.3, Detection mode with disabled rules, OWASP, no bot protection, Standard_v2, an API
 * Management certificate from a public CA or an intermediate CA, no certificate), the WAF rule groups, and a Bicep
 * build with no warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Design } from '../../src/schemas/design.js';
import { AzureBuild } from '../../src/generators/azure/build.js';
import { buildApiManagement } from '../../src/generators/azure/apim/service.js';
import { buildGateway, userAssignedIdentities, APIM_STATUS_PATH, GATEWAY_TYPE, IDENTITY_TYPE, WAF_POLICY_TYPE } from '../../src/generators/azure/gateway.js';
import { buildWorkspaces } from '../../src/generators/azure/monitoring.js';
import { buildNetwork } from '../../src/generators/azure/network/resources.js';
import { disabledRuleOverrides, managedRuleSet, ruleGroupOf } from '../../src/generators/azure/network/waf-rule-groups.js';
import { Call, Interp, ParamRef, ResourceIdRef, ResourcePropRef } from '../../src/generators/ir/expr.js';
import { renderArm } from '../../src/generators/ir/arm.js';
import { renderBicepFiles, value } from '../../src/generators/ir/bicep.js';
import type { Resource, Template } from '../../src/generators/ir/template.js';
import { generatePolicies } from '../../src/generators/policies/index.js';
import { ArmSchemaValidator, formatIssues } from '../helpers/arm-schema.js';
import { compileBicepFiles, formatDiagnostics } from '../helpers/bicep.js';
import { BicepTypes } from '../helpers/bicep-types.js';
import { append, indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { designOf, stubRoles, stubVaults } from './builders.helpers.js';

// ---------------------------------------------------------------- harness

function build(text: string): { b: AzureBuild; design: Design; t: Template } {
  const design = designOf(text);
  const b = new AzureBuild(design);
  for (const step of [buildNetwork, buildWorkspaces, stubVaults, buildApiManagement, buildGateway, stubRoles]) step(b);
  b.finish();
  return { b, design, t: b.t.build() };
}

function one(t: Template, type: string): Resource {
  const found = t.resources.filter((r) => r.type === type);
  assert.equal(found.length, 1, `one ${type}, found ${found.length}`);
  return found[0]!;
}

function props(r: Resource): Record<string, unknown> {
  return r.body.properties as Record<string, unknown>;
}

type Part = { name: string; properties: Record<string, unknown> };

function parts(gateway: Resource, key: string): Part[] {
  return (props(gateway)[key] as Part[] | undefined) ?? [];
}

function partOf(gateway: Resource, key: string, name: string): Part {
  const found = parts(gateway, key).find((p) => p.name === name);
  assert.ok(found, `${key} ${name}`);
  return found;
}

/** The sub-resource a reference `{ id: resourceId('…/<kind>', <gateway>, <name>) }` names, checked against the gateway. */
function target(gateway: Resource, ref: unknown): { kind: string; name: string } {
  const id = (ref as { id: unknown }).id;
  assert.ok(id instanceof Call && id.fn === 'resourceId', 'a resourceId() reference');
  const [type, gw, name] = id.args as string[];
  assert.equal(gw, gateway.name);
  assert.ok(type!.startsWith(`${GATEWAY_TYPE}/`));
  const kind = type!.slice(GATEWAY_TYPE.length + 1);
  assert.ok(parts(gateway, kind).some((p) => p.name === name), `${kind} ${name!} exists in the gateway`);
  return { kind, name: name! };
}

function paramName(e: unknown): string {
  assert.ok(e instanceof ParamRef, `a parameter, got ${String(e)}`);
  return e.name;
}

// ---------------------------------------------------------------- the reference design

test('reference: a user-assigned identity the roles builder can grant, and the gateway waits for the grant', () => {
  const { b, t } = build(REFERENCE);
  const identity = one(t, IDENTITY_TYPE);
  assert.equal(b.ownIdentities.get('appgw'), identity);
  const gateway = one(t, GATEWAY_TYPE);
  assert.equal(b.nodeResources.get('appgw'), gateway);
  assert.equal((gateway.body.identity as { type: string }).type, 'UserAssigned');
  const grant = t.resources.find((r) => {
    const principal = r.type === 'Microsoft.Authorization/roleAssignments' ? props(r).principalId : undefined;
    return principal instanceof ResourcePropRef && principal.resource === identity;
  });
  assert.ok(grant);
  assert.deepEqual(gateway.dependsOn, [grant]);
});

test('userAssignedIdentities: an object keyed by the identity id, in both renderings', () => {
  const { t } = build(REFERENCE);
  const e = userAssignedIdentities(one(t, IDENTITY_TYPE));
  assert.ok(e instanceof Call && e.fn === 'json' && e.args[0] instanceof Interp);
  const armText = renderArm(t, { name: 'g', version: '1' });
  assert.ok(armText.includes(`json(format('{{\\"{0}\\": {{}}}}', resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'payments-appgw-id')))`));
});

test('reference: a Standard, static, zone-redundant public IP with a DNS label', () => {
  const { t } = build(REFERENCE);
  const gateway = one(t, GATEWAY_TYPE);
  const ref = (partOf(gateway, 'frontendIPConfigurations', 'public').properties.publicIPAddress as { id: unknown }).id;
  assert.ok(ref instanceof ResourceIdRef);
  const pip = ref.resource;
  assert.deepEqual(pip.body.sku, { name: 'Standard', tier: 'Regional' });
  assert.deepEqual(pip.body.zones, ['1', '2', '3']);
  assert.equal(props(pip).publicIPAllocationMethod, 'Static');
  const label = (props(pip).dnsSettings as { domainNameLabel: unknown }).domainNameLabel;
  assert.ok(label instanceof Interp && label.parts[0] === 'payments-appgw-', 'the name and a resource-group suffix');
});

test('reference: the WAF policy (Prevention, DRS 2.1, Bot Manager) is attached to the gateway', () => {
  const { t } = build(REFERENCE);
  const waf = one(t, WAF_POLICY_TYPE);
  const p = props(waf);
  assert.deepEqual(p.policySettings, { state: 'Enabled', mode: 'Prevention', requestBodyCheck: true, maxRequestBodySizeInKb: 128, fileUploadLimitInMb: 100 });
  assert.deepEqual(p.managedRules, {
    managedRuleSets: [
      { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' },
      { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.1' },
    ],
  });
  const ref = (props(one(t, GATEWAY_TYPE)).firewallPolicy as { id: unknown }).id;
  assert.ok(ref instanceof ResourceIdRef && ref.resource === waf);
});

test('reference: WAF_v2 autoscaling across zones, TLS 1.2 policy', () => {
  const { b, t } = build(REFERENCE);
  const gateway = one(t, GATEWAY_TYPE);
  const p = props(gateway);
  assert.deepEqual(p.sku, { name: 'WAF_v2', tier: 'WAF_v2' });
  assert.deepEqual(p.autoscaleConfiguration, { minCapacity: 2, maxCapacity: 10 });
  assert.deepEqual(gateway.body.zones, ['1', '2', '3']);
  assert.deepEqual(p.sslPolicy, { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' });
  const subnet = ((p.gatewayIPConfigurations as Part[])[0]!.properties.subnet as { id: unknown }).id;
  assert.ok(subnet instanceof ResourceIdRef && subnet.resource === b.subnet('appgw'));
});

test('reference: HTTPS listener with the Key Vault certificate, HTTP redirected to it', () => {
  const { t } = build(REFERENCE);
  const gateway = one(t, GATEWAY_TYPE);
  const https = partOf(gateway, 'httpListeners', 'https').properties;
  assert.equal(https.protocol, 'Https');
  assert.equal(https.hostName, 'api.contoso.com');
  assert.equal(https.requireServerNameIndication, true);
  assert.deepEqual(target(gateway, https.frontendPort), { kind: 'frontendPorts', name: 'port-443' });
  assert.equal(partOf(gateway, 'frontendPorts', 'port-443').properties.port, 443);
  const cert = target(gateway, https.sslCertificate);
  assert.equal(paramName(partOf(gateway, 'sslCertificates', cert.name).properties.keyVaultSecretId), 'gatewayTlsSecretUri');
  assert.equal(value(t.parameters.find((p) => p.name === 'gatewayTlsSecretUri')!.defaultValue!, 0), "'https://paymentskv-${uniqueString(resourceGroup().id)}${environment().suffixes.keyvaultDns}/secrets/gateway-tls'");

  const http = partOf(gateway, 'httpListeners', 'http').properties;
  assert.equal(http.protocol, 'Http');
  assert.equal(partOf(gateway, 'frontendPorts', 'port-80').properties.port, 80);
  const redirectRule = parts(gateway, 'requestRoutingRules').find((r) => target(gateway, r.properties.httpListener).name === 'http')!;
  const redirect = partOf(gateway, 'redirectConfigurations', target(gateway, redirectRule.properties.redirectConfiguration).name).properties;
  assert.equal(redirect.redirectType, 'Permanent');
  assert.deepEqual(target(gateway, redirect.targetListener), { kind: 'httpListeners', name: 'https' });
  assert.equal(redirectRule.properties.backendAddressPool, undefined, 'HTTP never reaches the backend');
});

test('reference: backend = API Management custom domain over HTTPS, trusting the internal root, probing its status', () => {
  const { t } = build(REFERENCE);
  const gateway = one(t, GATEWAY_TYPE);
  const rule = parts(gateway, 'requestRoutingRules').find((r) => target(gateway, r.properties.httpListener).name === 'https')!;
  const pool = partOf(gateway, 'backendAddressPools', target(gateway, rule.properties.backendAddressPool).name);
  assert.deepEqual(pool.properties.backendAddresses, [{ fqdn: 'gateway.internal.contoso.com' }]);
  const settings = partOf(gateway, 'backendHttpSettingsCollection', target(gateway, rule.properties.backendHttpSettings).name).properties;
  assert.equal(settings.protocol, 'Https');
  assert.equal(settings.port, 443);
  assert.equal(settings.hostName, 'gateway.internal.contoso.com');
  assert.equal(settings.pickHostNameFromBackendAddress, false);
  assert.equal(settings.validateCertChainAndExpiry, true);
  assert.equal(settings.validateSNI, true);
  const [root] = settings.trustedRootCertificates as unknown[];
  const trusted = partOf(gateway, 'trustedRootCertificates', target(gateway, root).name);
  assert.equal(trusted.name, 'internal-ca');
  assert.equal(paramName(trusted.properties.data), 'internalCaCertificate');
  const probe = partOf(gateway, 'probes', target(gateway, settings.probe).name).properties;
  assert.equal(probe.protocol, 'Https');
  assert.equal(probe.path, APIM_STATUS_PATH);
  assert.equal(probe.host, 'gateway.internal.contoso.com');
  const priorities = parts(gateway, 'requestRoutingRules').map((r) => r.properties.priority);
  assert.ok(priorities.every((p) => typeof p === 'number'), 'every rule has a priority');
  assert.equal(new Set(priorities).size, priorities.length);
});

test('reference: the gateway, API Management and network compile with no warning and validate', () => {
  const { design, t } = build(REFERENCE);
  const files = [...renderBicepFiles(t).map((f) => ({ path: `infra/${f.path}`, content: f.content })), ...generatePolicies(design)];
  const built = compileBicepFiles(files, 'infra/main.bicep');
  assert.deepEqual(built.diagnostics, [], formatDiagnostics(built.diagnostics));
  const ours = JSON.parse(renderArm(t, { name: 'g', version: '1' })) as { resources: unknown[] };
  const schema = new ArmSchemaValidator().validateTemplate(ours);
  assert.deepEqual(schema.issues, [], formatIssues(schema.issues));
  const typed = new BicepTypes().checkTemplate(ours);
  assert.deepEqual(typed.issues, [], formatIssues(typed.issues));
});

// ---------------------------------------------------------------- variations

test('TLS 1.3: a CustomV2 policy with a TLS 1.3 minimum', () => {
  const { t } = build(mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'minTlsVersion'], '1.3')));
  assert.deepEqual(props(one(t, GATEWAY_TYPE)).sslPolicy, { policyType: 'CustomV2', minProtocolVersion: 'TLSv1_3' });
});

test('Detection mode and disabled rules: rule group overrides', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection');
    setAt(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['942200', '920300', '942110', '99031001', '123']);
  });
  const { b, t } = build(text);
  const p = props(one(t, WAF_POLICY_TYPE));
  assert.equal((p.policySettings as { mode: string }).mode, 'Detection');
  const [drs] = (p.managedRules as { managedRuleSets: Record<string, unknown>[] }).managedRuleSets;
  assert.deepEqual(drs!.ruleGroupOverrides, [
    { ruleGroupName: 'MS-ThreatIntel-SQLI', rules: [{ ruleId: '99031001', state: 'Disabled' }] },
    { ruleGroupName: 'PROTOCOL-ENFORCEMENT', rules: [{ ruleId: '920300', state: 'Disabled' }] },
    {
      ruleGroupName: 'SQLI',
      rules: [
        { ruleId: '942110', state: 'Disabled' },
        { ruleId: '942200', state: 'Disabled' },
      ],
    },
  ]);
  assert.ok(b.notes.some((n) => n.includes('"123"') && n.includes('they stay on')));
});

test('OWASP 3.2 and no bot protection', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'appgw', 'properties', 'ruleSetVersion'], 'OWASP 3.2');
    setAt(d, ['nodes', 'appgw', 'properties', 'botProtection'], false);
    setAt(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['942200']);
  });
  const { t } = build(text);
  const sets = (props(one(t, WAF_POLICY_TYPE)).managedRules as { managedRuleSets: Record<string, unknown>[] }).managedRuleSets;
  assert.deepEqual(sets, [
    { ruleSetType: 'OWASP', ruleSetVersion: '3.2', ruleGroupOverrides: [{ ruleGroupName: 'REQUEST-942-APPLICATION-ATTACK-SQLI', rules: [{ ruleId: '942200', state: 'Disabled' }] }] },
  ]);
});

test('Standard_v2: no WAF policy, and a note', () => {
  const { b, t } = build(mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'sku'], 'Standard_v2')));
  assert.equal(t.resources.filter((r) => r.type === WAF_POLICY_TYPE).length, 0);
  assert.equal(props(one(t, GATEWAY_TYPE)).firewallPolicy, undefined);
  assert.deepEqual(props(one(t, GATEWAY_TYPE)).sku, { name: 'Standard_v2', tier: 'Standard_v2' });
  assert.ok(b.notes.some((n) => n.includes('no web application firewall')));
});

test('API Management certificate from a public CA: no trusted root to install', () => {
  const { t } = build(mutateReference((d) => setAt(d, ['certificates', 'apim-tls', 'issuer'], 'external')));
  const gateway = one(t, GATEWAY_TYPE);
  assert.equal(props(gateway).trustedRootCertificates, undefined);
  assert.equal(partOf(gateway, 'backendHttpSettingsCollection', 'apim-apim').properties.trustedRootCertificates, undefined);
});

test('API Management certificate from an intermediate CA: the root is trusted, and a note about the chain', () => {
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv' });
    setAt(d, ['certificates', 'apim-tls', 'issuer'], 'issuing-ca');
  });
  const { b, t } = build(text);
  assert.deepEqual(
    parts(one(t, GATEWAY_TYPE), 'trustedRootCertificates').map((r) => r.name),
    ['internal-ca'],
  );
  assert.ok(b.notes.some((n) => n.includes('trusts the root "internal-ca"') && n.includes('full chain')));
});

test('no listener certificate: HTTP only, and a note', () => {
  const { b, t } = build(mutateReference((d) => d.deleteIn(['nodes', indexOf(d, 'nodes', 'appgw'), 'properties', 'certificate'])));
  const gateway = one(t, GATEWAY_TYPE);
  assert.deepEqual(
    parts(gateway, 'httpListeners').map((l) => l.properties.protocol),
    ['Http'],
  );
  assert.equal(props(gateway).sslCertificates, undefined);
  assert.ok(b.notes.some((n) => n.includes('no listener certificate')));
});

test('WAF rule groups by rule set', () => {
  const drs = managedRuleSet('DRS 2.1');
  assert.deepEqual(drs, { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' });
  assert.equal(ruleGroupOf(drs, '944240'), 'JAVA');
  assert.equal(ruleGroupOf(drs, '943100'), 'FIX');
  assert.equal(ruleGroupOf(drs, '934100'), 'NODEJS');
  assert.equal(ruleGroupOf(drs, '99005002'), 'MS-ThreatIntel-WebShells');
  assert.equal(ruleGroupOf(drs, '913100'), undefined, 'scanner detection is OWASP only');
  const owasp30 = managedRuleSet('OWASP 3.0');
  assert.equal(ruleGroupOf(owasp30, '913100'), 'REQUEST-913-SCANNER-DETECTION');
  assert.equal(ruleGroupOf(owasp30, '944240'), undefined, 'no Java group in 3.0');
  assert.equal(ruleGroupOf(managedRuleSet('OWASP 3.1'), '944240'), 'REQUEST-944-APPLICATION-ATTACK-JAVA');
  assert.equal(ruleGroupOf(owasp30, '99031001'), undefined);
  assert.deepEqual(disabledRuleOverrides(drs, ['942200', '942200']).overrides, [{ ruleGroupName: 'SQLI', rules: [{ ruleId: '942200', state: 'Disabled' }] }]);
});
