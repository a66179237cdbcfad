/**
 * Each check of the trace (src/trace) on the reference design's generated files: it passes on them as generated
 * (with the CA certificates known), and fails when exactly one generated value is broken, naming that hop and the
 * file and line of the broken value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APIM_STATUS_PATH } from '../../src/trace/hops/gateway-apim.js';
import { assertFailsAt, assertPasses, checkOf, generated, one, OTHER_CA_DER, trace, withController, withJson, withText, without } from './helpers.js';

const MAIN = 'infra/main.json';
const PARAMS = 'infra/main.parameters.json';
const INGRESS = 'k8s/aks/orders/orders-ingress.yaml';
const POLICY = 'apim/policies/apim-orders.xml';

const ref = generated();
const gatewayApi = generated(withController('gatewayApi'));

function appgw(t: Record<string, unknown>) {
  return one(t, 'Microsoft.Network/applicationGateways');
}

function nsg(t: Record<string, unknown>, suffix: string) {
  return one(t, 'Microsoft.Network/networkSecurityGroups', (r) => r.name.endsWith(suffix));
}

// ---------------------------------------------------------------- entry

test('entry.certificate: the listener certificate names its host; a listener for another host fails there', () => {
  assertPasses(ref, 'entry.certificate');
  const g = withJson(ref, MAIN, (t) => {
    appgw(t).properties.httpListeners.find((l: { name: string }) => l.name === 'https').properties.hostName = 'shop.contoso.com';
  });
  const c = assertFailsAt(g, 'entry.certificate', MAIN, '"shop.contoso.com"');
  assert.match(c.message, /gateway-tls.*api\.contoso\.com/);
});

test('entry.waf: the WAF policy blocks; Detection mode fails at the policy mode', () => {
  assertPasses(ref, 'entry.waf');
  const g = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies').properties.policySettings.mode = 'Detection';
  });
  assertFailsAt(g, 'entry.waf', MAIN, '"Detection"');
  const detached = withJson(ref, MAIN, (t) => {
    delete appgw(t).properties.firewallPolicy;
  });
  assert.equal(checkOf(trace(detached), 'entry.waf').verdict, 'fail');
});

// ---------------------------------------------------------------- Application Gateway -> API Management

test('gateway-apim.backend-host: the host sent is the gateway\'s custom domain; another host fails there', () => {
  assertPasses(ref, 'gateway-apim.backend-host');
  const g = withJson(ref, MAIN, (t) => {
    appgw(t).properties.backendHttpSettingsCollection[0].properties.hostName = 'portal.internal.contoso.com';
  });
  assertFailsAt(g, 'gateway-apim.backend-host', MAIN, '"portal.internal.contoso.com"');
});

test('gateway-apim.probe: the probe asks the status endpoint; another path fails there', () => {
  const c = assertPasses(ref, 'gateway-apim.probe');
  assert.ok(c.message.includes(APIM_STATUS_PATH));
  const g = withJson(ref, MAIN, (t) => {
    appgw(t).properties.probes[0].properties.path = '/healthz';
  });
  assertFailsAt(g, 'gateway-apim.probe', MAIN, '"/healthz"');
  const codes = withJson(ref, MAIN, (t) => {
    appgw(t).properties.probes[0].properties.match.statusCodes = ['300-399'];
  });
  assertFailsAt(codes, 'gateway-apim.probe', MAIN, '"statusCodes"');
});

test('gateway-apim.trusted-root: the trusted root is the CA of API Management\'s certificate; another CA fails at its value', () => {
  assertPasses(ref, 'gateway-apim.trusted-root');
  const g = withJson(ref, PARAMS, (p) => {
    (p.parameters as Record<string, { value: string }>).internalCaCertificate!.value = OTHER_CA_DER;
  });
  const c = assertFailsAt(g, 'gateway-apim.trusted-root', PARAMS, OTHER_CA_DER);
  assert.match(c.message, /other-ca.*apim-tls/);
});

test('gateway-apim.trusted-root without the CA\'s certificate: unknown until deployed, depending on the parameter', () => {
  const g = generated(undefined, new Map());
  const c = checkOf(trace(g), 'gateway-apim.trusted-root');
  assert.equal(c.verdict, 'unknown-until-deployed');
  assert.match(c.dependsOn ?? '', /parameter internalCaCertificate.*internal-ca/);
});

test('gateway-apim.dns: the zone holding API Management\'s record is linked to App Gateway\'s network; no link fails at the zone', () => {
  assertPasses(ref, 'gateway-apim.dns');
  const g = withJson(ref, MAIN, (t) => {
    t.resources = (t.resources as { type: string; name: string }[]).filter((r) => !(r.type === 'Microsoft.Network/privateDnsZones/virtualNetworkLinks' && r.name.startsWith('internal.contoso.com/')));
  });
  const c = assertFailsAt(g, 'gateway-apim.dns', MAIN, '"name": "internal.contoso.com"');
  assert.match(c.message, /not linked/);
});

test('gateway-apim.nsg: the API Management subnet lets App Gateway in on 443; a deny there fails at that rule', () => {
  const c = assertPasses(ref, 'gateway-apim.nsg');
  assert.match(c.message, /AllowApplicationGateway/);
  const g = withJson(ref, MAIN, (t) => {
    nsg(t, '-nsg-apim').properties.securityRules.find((r: { name: string }) => r.name === 'AllowApplicationGateway').properties.access = 'Deny';
  });
  assertFailsAt(g, 'gateway-apim.nsg', MAIN, '"name": "AllowApplicationGateway"');
});

// ---------------------------------------------------------------- API Management

test('apim.api: the API answers https; an http-only API fails at its protocols', () => {
  const c = assertPasses(ref, 'apim.api');
  assert.match(c.message, /https:\/\/api\.contoso\.com\/orders/);
  const g = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.ApiManagement/service/apis').properties.protocols = ['http'];
  });
  assertFailsAt(g, 'apim.api', MAIN, '"protocols"');
});

test('apim.caller: says what a caller must present; a policy without token validation fails at the policy file', () => {
  const c = assertPasses(ref, 'apim.caller');
  assert.match(c.message, /Ocp-Apim-Subscription-Key/);
  assert.match(c.message, /Bearer.*api:\/\/payments-orders/);
  const strip = (xml: string): string => xml.replace(/<validate-jwt[\s\S]*?<\/validate-jwt>\n\s*/, '');
  let g = withText(ref, POLICY, strip);
  g = withJson(g, MAIN, (t) => {
    const p = one(t, 'Microsoft.ApiManagement/service/apis/policies');
    p.properties.value = strip(p.properties.value);
  });
  assertFailsAt(g, 'apim.caller', POLICY, '<inbound>');
});

test('apim.backend: the backend URL is a host the ingress serves; another host fails at the backend URL', () => {
  assertPasses(ref, 'apim.backend');
  const g = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.ApiManagement/service/backends').properties.url = 'https://billing.internal.contoso.com';
  });
  assertFailsAt(g, 'apim.backend', MAIN, '"https://billing.internal.contoso.com"');
});

// ---------------------------------------------------------------- API Management -> ingress

test('apim-ingress.dns: the record holds the address the ingress is pinned to; another address fails at the record', () => {
  const c = assertPasses(ref, 'apim-ingress.dns');
  assert.match(c.message, /10\.0\.15\.254/);
  const g = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.Network/privateDnsZones/A', (r) => JSON.stringify(r.name).includes('orders')).properties.aRecords = [{ ipv4Address: '10.0.15.200' }];
  });
  assertFailsAt(g, 'apim-ingress.dns', MAIN, '"10.0.15.200"');
});

test('apim-ingress.client-certificate: the ingress verifies against the CA that issued API Management\'s client certificate', () => {
  const c = assertPasses(ref, 'apim-ingress.client-certificate');
  assert.match(c.message, /apim-client.*internal-ca/);
  const g = withText(ref, 'k8s/aks/orders/mtls-client-ca.yaml', (y) => y.replace(/SU5U\S+/, OTHER_CA_DER));
  const c2 = assertFailsAt(g, 'apim-ingress.client-certificate', 'k8s/aks/orders/mtls-client-ca.yaml', 'ca.crt: |');
  assert.match(c2.message, /other-ca/);
  const optional = withText(ref, INGRESS, (y) => y.replace('auth-tls-verify-client: "on"', 'auth-tls-verify-client: "optional"'));
  assertFailsAt(optional, 'apim-ingress.client-certificate', INGRESS, 'auth-tls-verify-client');
});

test('apim-ingress.client-certificate without the CA bundle file: unknown until it is filled', () => {
  const c = checkOf(trace(generated(undefined, new Map())), 'apim-ingress.client-certificate');
  assert.equal(c.verdict, 'unknown-until-deployed');
  assert.match(c.dependsOn ?? '', /k8s\/aks\/certs\/client-ca\.crt.*internal-ca/);
});

test('apim-ingress.client-certificate on Gateway API: the Gateway\'s frontend validation reads the bundle', () => {
  const c = assertPasses(gatewayApi, 'apim-ingress.client-certificate');
  assert.match(c.message, /ConfigMap api-gateway\/mtls-client-ca/);
});

test('apim-ingress.verify-depth: depth covers the client chain; a depth of 0 fails at the annotation', () => {
  assertPasses(ref, 'apim-ingress.verify-depth');
  const g = withText(ref, INGRESS, (y) => y.replace('auth-tls-verify-depth: "1"', 'auth-tls-verify-depth: "0"'));
  assertFailsAt(g, 'apim-ingress.verify-depth', INGRESS, 'auth-tls-verify-depth');
});

test('apim-ingress.server-certificate: API Management validates the ingress certificate; a certificate for another name fails', () => {
  const c = assertPasses(ref, 'apim-ingress.server-certificate');
  assert.match(c.message, /ingress-tls.*internal-ca/);
  const g = withText(ref, INGRESS, (y) => y.replace('certificates/ingress-tls', 'certificates/gateway-tls'));
  assertFailsAt(g, 'apim-ingress.server-certificate', INGRESS, 'tls-cert-keyvault-uri');
  const noValidation = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.ApiManagement/service/backends').properties.tls.validateCertificateChain = false;
  });
  assert.equal(checkOf(trace(noValidation), 'apim-ingress.server-certificate').verdict, 'fail');
});

test('apim-ingress.nsg: API Management reaches the ingress on 443; a deny in the cluster\'s NSG fails at that rule', () => {
  assertPasses(ref, 'apim-ingress.nsg');
  const g = withJson(ref, MAIN, (t) => {
    nsg(t, '-nsg-aks').properties.securityRules.push({
      name: 'DenyApimToIngress',
      // Before the generated AllowApiManagementToIngress (100).
      properties: { priority: 90, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourceAddressPrefix: '10.0.18.64/27', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '443' },
    });
  });
  assertFailsAt(g, 'apim-ingress.nsg', MAIN, '"name": "DenyApimToIngress"');
});

// ---------------------------------------------------------------- ingress -> service

test('ingress-service.route: the rule routes the host to the service; a rule without a service backend fails there', () => {
  const c = assertPasses(ref, 'ingress-service.route');
  assert.match(c.message, /orders\/orders:443/);
  const g = withText(ref, INGRESS, (y) => y.replace(/ {14}service:\n {16}name: orders\n {16}port:\n {18}number: 443\n/, '              resource:\n                kind: Bucket\n                name: orders\n'));
  assertFailsAt(g, 'ingress-service.route', INGRESS, 'host: orders.internal.contoso.com');
});

test('ingress-service.route: a manifest no kustomization lists is never applied; the route fails at the Ingress', () => {
  const g = withText(ref, 'k8s/aks/kustomization.yaml', (y) => y.replace('  - orders/orders-ingress.yaml\n', ''));
  const c = assertFailsAt(g, 'ingress-service.route', INGRESS, 'name: orders');
  assert.match(c.message, /no kustomization lists/);
  const bundle = withText(ref, 'k8s/aks/kustomization.yaml', (y) => y.replace('  - orders/mtls-client-ca.yaml\n', ''));
  assertFailsAt(bundle, 'apim-ingress.client-certificate', 'k8s/aks/orders/mtls-client-ca.yaml', 'name: mtls-client-ca');
});

test('ingress-service.protocol: HTTPS to the pods as the design says; a missing backend-protocol fails at the annotations', () => {
  assertPasses(ref, 'ingress-service.protocol');
  const g = withText(ref, INGRESS, (y) => y.replace(/ {4}nginx\.ingress\.kubernetes\.io\/backend-protocol: "HTTPS"\n/, ''));
  assertFailsAt(g, 'ingress-service.protocol', INGRESS, 'kubernetes.azure.com/tls-cert-keyvault-uri');
});

test('ingress-service.pod-certificate on Gateway API: the BackendTLSPolicy\'s CA bundle must exist', () => {
  assertPasses(gatewayApi, 'ingress-service.protocol');
  const c = checkOf(trace(gatewayApi), 'ingress-service.pod-certificate');
  assert.notEqual(c.verdict, 'fail', c.message);
  const g = without(withText(gatewayApi, 'k8s/aks/kustomization.yaml', (y) => y.replace('  - orders/backend-ca.yaml\n', '')), 'k8s/aks/orders/backend-ca.yaml');
  assertFailsAt(g, 'ingress-service.pod-certificate', 'k8s/aks/orders/orders-backendtlspolicy.yaml', 'name: backend-ca');
});

// ---------------------------------------------------------------- no bypass

const denyVnet = (name: string, priority: number) => ({
  name,
  properties: { priority, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '443' },
});

test('no-bypass.apim: other subnets reach API Management through the default AllowVnetInBound; a deny rule closes them', () => {
  const c = checkOf(trace(ref), 'no-bypass.apim');
  if (c.verdict === 'fail') assert.match(c.message, /AllowVnetInBound.*bypass Application Gateway/);
  const g = withJson(ref, MAIN, (t) => {
    nsg(t, '-nsg-apim').properties.securityRules.push(denyVnet('DenyVnetToGateway', 4000));
  });
  assertPasses(g, 'no-bypass.apim');
  assertPasses(g, 'gateway-apim.nsg');
  const open = withJson(g, MAIN, (t) => {
    nsg(t, '-nsg-apim').properties.securityRules.push({ name: 'AllowPepToGateway', properties: { ...denyVnet('x', 300).properties, access: 'Allow', sourceAddressPrefix: '10.0.17.0/24' } });
  });
  const failed = assertFailsAt(open, 'no-bypass.apim', MAIN, '"name": "AllowPepToGateway"');
  assert.match(failed.message, /snet-pep/);
});

test('no-bypass.ingress: the generated NSG of the cluster lets only API Management reach the ingress; without its deny the rest of the network gets in', () => {
  assertPasses(ref, 'no-bypass.ingress');
  assertPasses(ref, 'apim-ingress.nsg');
  const removed = withJson(ref, MAIN, (t) => {
    const rules = nsg(t, '-nsg-aks').properties.securityRules as { name: string }[];
    rules.splice(rules.findIndex((r) => r.name === 'DenyVirtualNetworkToIngress'), 1);
  });
  const c = checkOf(trace(removed), 'no-bypass.ingress');
  assert.equal(c.verdict, 'fail');
  assert.match(c.message, /snet-pep \(10\.0\.\d+\.\d+\/\d+\) reaches 10\.0\.15\.254\/32:443, allowed in by AllowVnetInBound/);
  // Removing the allow for API Management instead breaks the hop itself.
  const closed = withJson(ref, MAIN, (t) => {
    const rules = nsg(t, '-nsg-aks').properties.securityRules as { name: string }[];
    rules.splice(rules.findIndex((r) => r.name === 'AllowApiManagementToIngress'), 1);
  });
  assert.equal(checkOf(trace(closed), 'apim-ingress.nsg').verdict, 'fail');
});

test('no-bypass.data: data services only through private endpoints; public access fails at that service', () => {
  assertPasses(ref, 'no-bypass.data');
  const g = withJson(ref, MAIN, (t) => {
    one(t, 'Microsoft.DocumentDB/databaseAccounts').properties.publicNetworkAccess = 'Enabled';
  });
  const c = assertFailsAt(g, 'no-bypass.data', MAIN, '"publicNetworkAccess": "Enabled"');
  assert.match(c.message, /cosmos/);
});
