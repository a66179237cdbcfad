/**
 * The API Management builder: the service, its CA certificates, the mTLS client certificate, backends, APIs and
 * their policies, Application Insights logging, private DNS and the custom domain's second step, for the reference
 * design and variations (Premium, external and no network, two APIs on two clusters, TLS 1.3, PremiumV2). The
 * output of the network, monitoring, API Management, gateway and Bastion builders, with stand-ins for the vault and
 * the role assignments other builders make, compiles with the real Bicep compiler with no warning and validates
 * against the ARM schemas and the Bicep types.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Design } from '../../src/schemas/design.js';
import { AzureBuild, type GenerateInputs } from '../../src/generators/azure/build.js';
import { buildApiManagement, APIM_SERVICE_TYPE, FORWARDED_METHODS, MONITORING_METRICS_PUBLISHER } from '../../src/generators/azure/apim/service.js';
import { buildBastion } from '../../src/generators/azure/bastion.js';
import { buildGateway } from '../../src/generators/azure/gateway.js';
import { buildWorkspaces } from '../../src/generators/azure/monitoring.js';
import { buildNetwork, nodeSubnet } from '../../src/generators/azure/network/resources.js';
import { placeHosts } from '../../src/generators/azure/apim/private-dns.js';
import { pemToBase64Der } from '../../src/generators/azure/apim/certificate-parameters.js';
import { Call, FileText, ParamRef, ResourceIdRef, ResourcePropRef, type Expr } from '../../src/generators/ir/expr.js';
import { renderArm } from '../../src/generators/ir/arm.js';
import { renderBicepFiles, value } from '../../src/generators/ir/bicep.js';
import type { NestedDeployment, Resource, Template } from '../../src/generators/ir/template.js';
import { generatePolicies } from '../../src/generators/policies/index.js';
import { ArmSchemaValidator, formatIssues } from '../helpers/arm-schema.js';
import { compileBicepFiles, formatDiagnostics } from '../helpers/bicep.js';
import { BicepTypes } from '../helpers/bicep-types.js';
import { append, indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { designOf, stubRoles, stubVaults } from './builders.helpers.js';

// ---------------------------------------------------------------- harness

function build(text: string, inputs: GenerateInputs = {}): { b: AzureBuild; design: Design; t: Template } {
  const design = designOf(text);
  const b = new AzureBuild(design, inputs);
  for (const step of [buildNetwork, buildWorkspaces, stubVaults, buildApiManagement, buildGateway, buildBastion, stubRoles]) step(b);
  b.finish();
  return { b, design, t: b.t.build() };
}

function one(t: Template, type: string, name?: string): Resource {
  const found = t.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  assert.equal(found.length, 1, `one ${type}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0]!;
}

function all(t: Template, type: string): Resource[] {
  return t.resources.filter((r) => r.type === type);
}

function props(r: Resource): Record<string, unknown> {
  return r.body.properties as Record<string, unknown>;
}

function paramName(e: unknown): string {
  assert.ok(e instanceof ParamRef, `a parameter, got ${String(e)}`);
  return e.name;
}

function moduleOf(t: Template, symbol: string): NestedDeployment {
  const m = (t.modules ?? []).find((x) => x.symbol === symbol);
  assert.ok(m, `module ${symbol}`);
  return m;
}

const arm = new ArmSchemaValidator();
const types = new BicepTypes();

/** Compiles main.bicep with its modules and policy files; checks our ARM JSON against the schemas and types. */
function checkDeployable(design: Design, t: Template): void {
  const files = [
    ...renderBicepFiles(t).map((f) => ({ path: `infra/${f.path}`, content: f.content })),
    ...generatePolicies(design),
  ];
  const built = compileBicepFiles(files, 'infra/main.bicep');
  assert.deepEqual(built.diagnostics, [], formatDiagnostics(built.diagnostics));
  assert.ok(built.json, 'compiled');
  const ours = JSON.parse(renderArm(t, { name: 'gatewright', version: 'test' })) as { resources: unknown[] };
  const schema = arm.validateTemplate(ours);
  assert.deepEqual(schema.issues, [], formatIssues(schema.issues));
  const typed = types.checkTemplate(ours);
  assert.deepEqual(typed.issues, [], formatIssues(typed.issues));
  const typedBicep = types.checkTemplate(built.json);
  assert.deepEqual(typedBicep.issues, [], formatIssues(typedBicep.issues));
}

// ---------------------------------------------------------------- the reference design

test('reference: the service in internal mode, with its subnet, public IP and system-assigned identity', () => {
  const { b, t } = build(REFERENCE);
  const service = one(t, APIM_SERVICE_TYPE);
  assert.equal(b.nodeResources.get('apim'), service);
  assert.equal(value(service.name, 0), "'payments-apim-${uniqueString(resourceGroup().id)}'", 'a globally unique name: readable prefix and the resource group\'s suffix');
  assert.deepEqual(service.body.sku, { name: 'Developer', capacity: 1 });
  assert.deepEqual(service.body.identity, { type: 'SystemAssigned' });
  const p = props(service);
  assert.equal(p.publisherEmail, 'platform-team@contoso.com');
  assert.equal(p.publisherName, 'Contoso platform team');
  assert.equal(p.virtualNetworkType, 'Internal');
  const subnet = (p.virtualNetworkConfiguration as { subnetResourceId: unknown }).subnetResourceId;
  assert.ok(subnet instanceof ResourceIdRef && subnet.resource === nodeSubnet(b, 'apim'));
  const pipRef = p.publicIpAddressId;
  assert.ok(pipRef instanceof ResourceIdRef);
  const pip = pipRef.resource;
  assert.deepEqual(pip.body.sku, { name: 'Standard', tier: 'Regional' });
  assert.equal(props(pip).publicIPAllocationMethod, 'Static');
  assert.ok((props(pip).dnsSettings as { domainNameLabel: unknown }).domainNameLabel, 'a DNS label (stv2)');
  // The custom domain is on the service when it exists already (a redeployment), else in the second step.
  assert.match(value(p.hostnameConfigurations as Expr, 0), /^\(apimExists \? \[\n\s+\{\n\s+type: 'Proxy'\n\s+hostName: 'gateway\.internal\.contoso\.com'/);
  assert.match(value(p.hostnameConfigurations as Expr, 0), /\] : \[\]\)$/);
  assert.deepEqual(p.apiVersionConstraint, { minApiVersion: '2021-08-01' });
});

test('reference: protocols and ciphers', () => {
  const { t } = build(REFERENCE);
  const custom = props(one(t, APIM_SERVICE_TYPE)).customProperties as Record<string, string>;
  const gw = 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security';
  for (const key of [
    `${gw}.Protocols.Tls10`,
    `${gw}.Protocols.Tls11`,
    `${gw}.Protocols.Ssl30`,
    `${gw}.Backend.Protocols.Tls10`,
    `${gw}.Backend.Protocols.Tls11`,
    `${gw}.Backend.Protocols.Ssl30`,
    `${gw}.Ciphers.TripleDes168`,
    `${gw}.Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA`,
  ]) {
    assert.equal(custom[key], 'False', key);
  }
  assert.equal(custom['Microsoft.WindowsAzure.ApiManagement.Gateway.ManagedIdentity.DisableOverPrivilegedAccess'], 'True');
});

test('reference: the CA that issued the ingress certificate is trusted as a root', () => {
  const { b, t } = build(REFERENCE);
  const certificates = props(one(t, APIM_SERVICE_TYPE)).certificates as { encodedCertificate: unknown; storeName: string }[];
  assert.equal(certificates.length, 1);
  assert.equal(certificates[0]!.storeName, 'Root');
  assert.equal(paramName(certificates[0]!.encodedCertificate), 'internalCaCertificate');
  assert.ok(b.notes.some((n) => n.includes('internalCaCertificate') && n.includes('base64')), 'how to fill it');
});

test('reference: the mTLS client certificate from Key Vault, after the identity may read it', () => {
  const { t } = build(REFERENCE);
  const cert = one(t, `${APIM_SERVICE_TYPE}/certificates`);
  assert.equal(cert.name, 'apim-client');
  const secret = (props(cert).keyVault as { secretIdentifier: unknown }).secretIdentifier;
  assert.equal(paramName(secret), 'apimClientSecretUri');
  const p = t.parameters.find((x) => x.name === 'apimClientSecretUri')!;
  assert.equal(p.type, 'string');
  // The vault's name ends with uniqueString(resourceGroup().id): the identifier is computed in the resource group.
  assert.equal(p.fileValue, undefined);
  assert.equal(value(p.defaultValue!, 0), "'https://paymentskv-${uniqueString(resourceGroup().id)}${environment().suffixes.keyvaultDns}/secrets/apim-client'");
});

test('reference: resources that read Key Vault wait for the role assignment of the identity', () => {
  const { t } = build(REFERENCE);
  const grants = all(t, 'Microsoft.Authorization/roleAssignments').filter((r) => r.scope?.type === 'Microsoft.KeyVault/vaults');
  const apimGrant = grants.find((r) => {
    const principal = props(r).principalId;
    return principal instanceof ResourcePropRef && principal.resource.type === APIM_SERVICE_TYPE;
  });
  assert.ok(apimGrant);
  assert.ok(one(t, `${APIM_SERVICE_TYPE}/certificates`).dependsOn?.includes(apimGrant), 'client certificate');
  const module = moduleOf(t, 'apimCustomDomain');
  assert.ok(module.dependsOn?.includes(apimGrant), 'custom domain');
  assert.ok(!one(t, APIM_SERVICE_TYPE).dependsOn?.length, 'the service itself waits for nothing');
});

test('reference: the custom domain module deploys the same service with its Key Vault host name', () => {
  const { t } = build(REFERENCE);
  const service = one(t, APIM_SERVICE_TYPE);
  const m = moduleOf(t, 'apimCustomDomain');
  assert.equal(m.file, 'apim-custom-domain');
  const [inner, ...rest] = m.template.resources;
  assert.equal(rest.length, 0);
  assert.equal(inner!.type, APIM_SERVICE_TYPE);
  assert.equal(inner!.name, service.name);
  assert.equal(inner!.apiVersion, service.apiVersion);
  assert.deepEqual(inner!.body.sku, service.body.sku);
  assert.deepEqual(inner!.body.identity, service.body.identity);
  const p = props(inner!);
  assert.deepEqual(p.customProperties, props(service).customProperties);
  const [hostname] = p.hostnameConfigurations as Record<string, unknown>[];
  assert.equal(hostname!.type, 'Proxy');
  assert.equal(hostname!.hostName, 'gateway.internal.contoso.com');
  assert.equal(hostname!.certificateSource, 'KeyVault');
  assert.equal(hostname!.defaultSslBinding, true);
  assert.equal(paramName(hostname!.keyVaultId), 'apimTlsSecretUri');
  // Every expression of the body comes in as a module parameter.
  assert.deepEqual(Object.keys(m.params ?? {}).sort(), ['apimTlsSecretUri', 'internalCaCertificate', 'location', 'publicIpAddressId', 'subnetResourceId']);
  assert.ok(m.params?.subnetResourceId instanceof ResourceIdRef);
  // It runs last: after the service's children.
  for (const type of ['backends', 'apis', 'apis/policies', 'loggers', 'diagnostics']) {
    for (const r of all(t, `${APIM_SERVICE_TYPE}/${type}`)) assert.ok(m.dependsOn?.includes(r), `after ${type} ${String(r.name)}`);
  }
});

test('reference: a backend for the ingress, validating its certificate, presenting the client certificate', () => {
  const { t } = build(REFERENCE);
  const backend = one(t, `${APIM_SERVICE_TYPE}/backends`);
  assert.equal(backend.name, 'aks-ingress');
  const p = props(backend);
  assert.equal(p.url, 'https://orders.internal.contoso.com');
  assert.equal(p.protocol, 'http');
  assert.deepEqual(p.tls, { validateCertificateChain: true, validateCertificateName: true });
  const [certRef] = (p.credentials as { certificateIds: unknown[] }).certificateIds;
  assert.ok(certRef instanceof ResourceIdRef && certRef.resource === one(t, `${APIM_SERVICE_TYPE}/certificates`));
});

test('reference: the API, its wildcard operations and its policy file', () => {
  const { t, design } = build(REFERENCE);
  const api = one(t, `${APIM_SERVICE_TYPE}/apis`);
  assert.equal(api.name, 'orders');
  const p = props(api);
  assert.equal(p.path, 'orders');
  assert.deepEqual(p.protocols, ['https']);
  assert.equal(p.subscriptionRequired, true);
  assert.equal(p.serviceUrl, 'https://orders.internal.contoso.com');
  const operations = all(t, `${APIM_SERVICE_TYPE}/apis/operations`);
  assert.deepEqual(
    operations.map((o) => [props(o).method, props(o).urlTemplate]),
    FORWARDED_METHODS.map((m) => [m, '/*']),
  );
  assert.ok(operations.every((o) => o.parent === api));
  const policy = one(t, `${APIM_SERVICE_TYPE}/apis/policies`);
  assert.equal(policy.name, 'policy');
  assert.equal(props(policy).format, 'rawxml');
  const value = props(policy).value;
  assert.ok(value instanceof FileText);
  const [file] = generatePolicies(design);
  assert.equal(value.bicepPath, `../${file!.path}`);
  assert.equal(value.content, file!.content);
  const waits = policy.dependsOn ?? [];
  for (const type of ['backends', 'certificates', 'namedValues']) assert.ok(waits.some((r) => r.type === `${APIM_SERVICE_TYPE}/${type}`), `policy waits for ${type}`);
});

test('reference: tenant-id named value, since the Entra ID node gives no tenant', () => {
  const { t } = build(REFERENCE);
  const nv = one(t, `${APIM_SERVICE_TYPE}/namedValues`, 'tenant-id');
  assert.ok(props(nv).value instanceof Call);
  assert.equal(props(nv).secret, false);
  const withTenant = build(mutateReference((d) => setAt(d, ['nodes', 'entra', 'properties', 'tenantId'], '11111111-2222-3333-4444-555555555555')));
  assert.equal(all(withTenant.t, `${APIM_SERVICE_TYPE}/namedValues`).filter((r) => r.name === 'tenant-id').length, 0);
});

test('reference: the login endpoint named value comes from the cloud the deployment runs in', () => {
  const { t } = build(REFERENCE);
  const nv = one(t, `${APIM_SERVICE_TYPE}/namedValues`, 'entra-login-endpoint');
  const value = props(nv).value;
  assert.ok(value instanceof Call && value.fn === 'environment' && value.access.join('.') === 'authentication.loginEndpoint', 'environment().authentication.loginEndpoint');
  assert.equal(props(nv).secret, false);
  const policy = one(t, `${APIM_SERVICE_TYPE}/apis/policies`);
  assert.ok(policy.dependsOn?.includes(nv), 'the policy that uses it waits for it');
  const bicep = renderBicepFiles(t).map((f) => f.content).join('\n');
  assert.doesNotMatch(bicep, /login\.microsoftonline|sts\.windows\.net/, 'no login host written out in the Bicep');
  assert.doesNotMatch(renderArm(t, { name: 'gatewright', version: 'test' }), /login\.microsoftonline|sts\.windows\.net/, 'nor in the ARM JSON');
  // With client application ids, validate-azure-ad-token finds the endpoints itself: no login named value.
  const clients = build(mutateReference((d) => setAt(d, ['nodes', 'entra', 'properties', 'clientApplicationIds'], ['11111111-1111-1111-1111-111111111111'])));
  assert.equal(all(clients.t, `${APIM_SERVICE_TYPE}/namedValues`).filter((r) => r.name === 'entra-login-endpoint').length, 0);
});

test('reference: the subscription-required API gets a product of its own and a subscription, so a caller can get a key', () => {
  const { t, b } = build(REFERENCE);
  const service = b.nodeResources.get('apim')!;
  const api = one(t, `${APIM_SERVICE_TYPE}/apis`, 'orders');
  assert.equal(props(api).subscriptionRequired, true, 'the API requires a key');
  const product = one(t, `${APIM_SERVICE_TYPE}/products`, 'orders');
  assert.equal(product.parent, service);
  assert.deepEqual(
    { ...props(product), description: undefined },
    { displayName: 'orders', description: undefined, subscriptionRequired: true, approvalRequired: true, state: 'published' },
  );
  const link = one(t, `${APIM_SERVICE_TYPE}/products/apis`, 'orders');
  assert.equal(link.parent, product, 'the product holds the API');
  assert.ok(link.dependsOn?.includes(api), 'linked once the API exists');
  const subscription = one(t, `${APIM_SERVICE_TYPE}/subscriptions`, 'orders');
  assert.equal(subscription.parent, service);
  assert.deepEqual(props(subscription), { displayName: 'orders', scope: '/products/orders', state: 'active', allowTracing: false });
  assert.ok(subscription.dependsOn?.includes(product));
  assert.ok(!JSON.stringify(props(subscription)).includes('Key'), 'no key in the template: API Management generates them');
});

test('products of the design: their APIs, subscriptions and settings; open products give no key and make a product of their own', () => {
  const text = mutateReference((d) => {
    const apis = d.getIn(['nodes', indexOf(d, 'nodes', 'apim'), 'properties', 'apis']) as { add(v: unknown): void };
    apis.add(d.createNode({ name: 'public-status', path: 'status', service: 'orders', subscriptionRequired: false }));
    apis.add(d.createNode({ name: 'invoices', path: 'invoices', service: 'orders' }));
    setAt(d, ['nodes', 'apim', 'properties', 'products'], [
      { name: 'partners', displayName: 'Partner APIs', apis: ['orders'], approvalRequired: false, subscriptions: ['contoso', 'fabrikam'] },
      { name: 'open', apis: ['public-status', 'invoices'], subscriptionRequired: false },
    ]);
  });
  const { t } = build(text);
  const products = all(t, `${APIM_SERVICE_TYPE}/products`);
  assert.deepEqual(
    products.map((p) => [p.name, props(p).subscriptionRequired, props(p).approvalRequired]),
    [
      ['partners', true, false],
      ['open', false, undefined],
      // invoices requires a key and its only product is open: it gets a product of its own.
      ['invoices', true, true],
    ],
  );
  assert.equal(props(products[0]!).displayName, 'Partner APIs');
  assert.deepEqual(
    all(t, `${APIM_SERVICE_TYPE}/products/apis`).map((l) => `${String(l.parent?.name)}/${String(l.name)}`),
    ['partners/orders', 'open/public-status', 'open/invoices', 'invoices/invoices'],
  );
  assert.deepEqual(
    all(t, `${APIM_SERVICE_TYPE}/subscriptions`).map((s) => [s.name, props(s).scope]),
    [
      ['contoso', '/products/partners'],
      ['fabrikam', '/products/partners'],
      ['invoices', '/products/invoices'],
    ],
  );
  // No API is left without a product, and the whole still compiles and validates.
  const design = designOf(text);
  checkDeployable(design, t);
});

test('reference: Application Insights logger with managed identity, diagnostic and metrics publisher role', () => {
  const { b, t } = build(REFERENCE);
  const component = b.nodeResources.get('appinsights')!;
  const nv = one(t, `${APIM_SERVICE_TYPE}/namedValues`, 'appinsights-connection-string');
  assert.equal(props(nv).secret, true);
  // The connection string is kept in the Key Vault API Management reads, not inline in the service.
  assert.equal(props(nv).value, undefined, 'no inline value');
  const secret = one(t, 'Microsoft.KeyVault/vaults/secrets', 'appinsights-connection-string');
  assert.equal(secret.parent, b.nodeResources.get('kv'), 'in the vault of the secrets edge');
  const value = props(secret).value;
  assert.ok(value instanceof ResourcePropRef && value.resource === component && value.path.join('.') === 'properties.ConnectionString');
  const id = (props(nv).keyVault as { secretIdentifier: unknown }).secretIdentifier;
  assert.ok(id instanceof ResourcePropRef && id.resource === secret && id.path.join('.') === 'properties.secretUri', 'versionless secret identifier');
  assert.ok(
    (nv.dependsOn ?? []).some((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.scope === b.nodeResources.get('kv')),
    'read once the identity may read the vault',
  );
  const logger = one(t, `${APIM_SERVICE_TYPE}/loggers`);
  assert.equal(props(logger).loggerType, 'applicationInsights');
  assert.deepEqual(props(logger).credentials, { connectionString: '{{appinsights-connection-string}}', identityClientId: 'SystemAssigned' });
  assert.ok(logger.dependsOn?.includes(nv));
  const diag = one(t, `${APIM_SERVICE_TYPE}/diagnostics`);
  assert.equal(diag.name, 'applicationinsights');
  const loggerId = props(diag).loggerId;
  assert.ok(loggerId instanceof ResourceIdRef && loggerId.resource === logger);
  const role = all(t, 'Microsoft.Authorization/roleAssignments').find((r) => r.scope === component)!;
  assert.ok(role);
  assert.ok(JSON.stringify(props(role).roleDefinitionId).includes(MONITORING_METRICS_PUBLISHER));
  const name = role.name;
  assert.ok(name instanceof Call && name.fn === 'guid' && name.args.slice(1).every((a) => typeof a === 'string'), 'guid of literals');
});

test('reference: private DNS for the custom domain and the ingress host', () => {
  const { b, t } = build(REFERENCE);
  const zone = one(t, 'Microsoft.Network/privateDnsZones');
  assert.equal(zone.name, 'internal.contoso.com');
  assert.equal(zone.body.location, 'global');
  const link = one(t, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks');
  assert.equal(link.parent, zone);
  const vnetRef = (props(link).virtualNetwork as { id: unknown }).id;
  assert.ok(vnetRef instanceof ResourceIdRef && vnetRef.resource === b.vnet);
  assert.equal(props(link).registrationEnabled, false);
  const gateway = one(t, 'Microsoft.Network/privateDnsZones/A', 'gateway');
  const [rec] = props(gateway).aRecords as { ipv4Address: unknown }[];
  const ip = rec!.ipv4Address;
  assert.ok(ip instanceof ResourcePropRef && ip.resource === one(t, APIM_SERVICE_TYPE) && ip.path.join('.') === 'properties.privateIPAddresses.0');
  const orders = one(t, 'Microsoft.Network/privateDnsZones/A', 'orders');
  // The address the ingress load balancer is pinned to (the last usable one of the AKS subnet 10.0.0.0/20), on the
  // first deployment: no parameter and no second run.
  assert.deepEqual(props(orders).aRecords, [{ ipv4Address: '10.0.15.254' }]);
  assert.ok(!t.parameters.some((p) => /IngressIp/.test(p.name)), 'no ingress address parameter');
  assert.ok(!b.notes.some((n) => n.includes('deploy again')), 'no second deployment asked for');
});

test('private DNS placement: each host in the most specific zone', () => {
  const placed = placeHosts(['gateway.internal.contoso.com', 'orders.internal.contoso.com', 'contoso.com', 'a.b.contoso.com', 'b.contoso.com']);
  assert.deepEqual(Object.fromEntries(placed), {
    'gateway.internal.contoso.com': { zone: 'internal.contoso.com', record: 'gateway' },
    'orders.internal.contoso.com': { zone: 'internal.contoso.com', record: 'orders' },
    'contoso.com': { zone: 'contoso.com', record: '@' },
    'a.b.contoso.com': { zone: 'b.contoso.com', record: 'a' },
    'b.contoso.com': { zone: 'b.contoso.com', record: '@' },
  });
});

test('reference: notes name the manual steps, and the output is deployable', () => {
  const { b, t, design } = build(REFERENCE);
  for (const id of ['apim-client', 'apim-tls', 'gateway-tls']) assert.ok(b.notes.some((n) => n.startsWith(`Certificate "${id}"`) && n.includes('az keyvault certificate import')), id);
  assert.ok(b.notes.some((n) => n.includes('the service is declared once, with its domain, and the module is skipped')));
  checkDeployable(design, t);
});

test('CA PEM given: the parameters file carries its base64 DER', () => {
  const der = 'MIIBszCCAVmgAwIBAgIUQ0FUZXN0';
  const pem = `-----BEGIN CERTIFICATE-----\n${der.slice(0, 10)}\n${der.slice(10)}\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`;
  assert.equal(pemToBase64Der(pem), der);
  const { b, t } = build(REFERENCE, { caPems: new Map([['internal-ca', pem]]) });
  assert.equal(t.parameters.find((p) => p.name === 'internalCaCertificate')?.fileValue, der);
  assert.ok(!b.notes.some((n) => n.includes('Parameter internalCaCertificate')), 'no manual step left');
});

test('deterministic: the same design gives the same Bicep and ARM', () => {
  const a = build(REFERENCE).t;
  const c = build(REFERENCE).t;
  assert.deepEqual(renderBicepFiles(a), renderBicepFiles(c));
  assert.equal(renderArm(a, { name: 'g', version: '1' }), renderArm(c, { name: 'g', version: '1' }));
});

// ---------------------------------------------------------------- variations

test('Premium with two units', () => {
  const text = mutateReference((d) => {
    setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'Premium');
    setAt(d, ['nodes', 'apim', 'properties', 'capacity'], 2);
  });
  const { t, design } = build(text);
  assert.deepEqual(one(t, APIM_SERVICE_TYPE).body.sku, { name: 'Premium', capacity: 2 });
  checkDeployable(design, t);
});

test('external mode: public gateway, no private zone for it, a note about public DNS', () => {
  const text = mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'External'));
  const { b, t, design } = build(text);
  assert.equal(props(one(t, APIM_SERVICE_TYPE)).virtualNetworkType, 'External');
  assert.deepEqual(
    all(t, 'Microsoft.Network/privateDnsZones/A').map((r) => r.name),
    ['orders'],
  );
  assert.ok(b.notes.some((n) => n.includes('external mode') && n.includes('public DNS')));
  checkDeployable(design, t);
});

test('no virtual network mode: no subnet, no public IP', () => {
  const text = mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'None'));
  const { t } = build(text);
  const p = props(one(t, APIM_SERVICE_TYPE));
  assert.equal(p.virtualNetworkType, 'None');
  assert.equal(p.virtualNetworkConfiguration, undefined);
  assert.equal(p.publicIpAddressId, undefined);
  assert.equal(all(t, 'Microsoft.Network/privateDnsZones/A').length, 0);
});

test('two APIs on two clusters: a backend, records and a policy each', () => {
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'payments-tls', role: 'server', issuer: 'internal-ca', keyVault: 'kv', dnsNames: ['payments.internal.contoso.com'] });
    append(d, 'nodes', {
      id: 'aks2',
      type: 'aksCluster',
      properties: { ingress: { hostName: 'payments.internal.contoso.com', serverCertificate: 'payments-tls' }, services: [{ name: 'payments', namespace: 'payments' }] },
    });
    append(d, 'edges', { from: 'apim', to: 'aks2', type: 'mtls', properties: { clientCertificate: 'apim-client' } });
    d.addIn(['nodes', indexOf(d, 'nodes', 'apim'), 'properties', 'apis'], d.createNode({ name: 'payments', path: 'payments', service: 'payments' }));
  });
  const { t, design } = build(text);
  assert.deepEqual(
    all(t, `${APIM_SERVICE_TYPE}/backends`).map((r) => [r.name, props(r).url]),
    [
      ['aks-ingress', 'https://orders.internal.contoso.com'],
      ['aks2-ingress', 'https://payments.internal.contoso.com'],
    ],
  );
  assert.equal(all(t, `${APIM_SERVICE_TYPE}/certificates`).length, 1, 'one client certificate entity, shared');
  assert.deepEqual(
    all(t, `${APIM_SERVICE_TYPE}/apis`).map((r) => r.name),
    ['orders', 'payments'],
  );
  const policies = all(t, `${APIM_SERVICE_TYPE}/apis/policies`);
  assert.equal(policies.length, 2);
  const paymentsPolicy = policies.find((p) => p.parent?.name === 'payments')!;
  assert.ok(paymentsPolicy.dependsOn?.some((r) => r.name === 'aks2-ingress'));
  assert.ok((props(paymentsPolicy).value as FileText).content.includes('backend-id="aks2-ingress"'));
  assert.deepEqual(
    all(t, 'Microsoft.Network/privateDnsZones/A').map((r) => r.name),
    ['gateway', 'orders', 'payments'],
  );
  const addresses = all(t, 'Microsoft.Network/privateDnsZones/A').map((r) => (props(r).aRecords as { ipv4Address: unknown }[])[0]!.ipv4Address);
  assert.ok(typeof addresses[1] === 'string' && typeof addresses[2] === 'string' && addresses[1] !== addresses[2], 'each cluster its own pinned address');
  assert.equal(all(t, 'Microsoft.Network/privateDnsZones').length, 1, 'one zone for the three hosts');
  const cas = props(one(t, APIM_SERVICE_TYPE)).certificates as unknown[];
  assert.equal(cas.length, 1, 'the shared CA once');
  checkDeployable(design, t);
});

test('an intermediate CA: root in Root, intermediate in CertificateAuthority', () => {
  const text = mutateReference((d) => {
    append(d, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv' });
    setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'issuing-ca');
  });
  const { t } = build(text);
  const cas = props(one(t, APIM_SERVICE_TYPE)).certificates as { encodedCertificate: Expr; storeName: string }[];
  assert.deepEqual(
    cas.map((c) => [paramName(c.encodedCertificate), c.storeName]),
    [
      ['issuingCaCertificate', 'CertificateAuthority'],
      ['internalCaCertificate', 'Root'],
    ],
  );
});

test('TLS 1.3 asked: a note says API Management cannot enforce it', () => {
  const { b } = build(mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'minTlsVersion'], '1.3')));
  assert.ok(b.notes.some((n) => n.includes('no setting for a minimum above TLS 1.2')));
});

test('no publisher email: a parameter takes it', () => {
  const { t } = build(mutateReference((d) => d.deleteIn(['nodes', indexOf(d, 'nodes', 'apim'), 'properties', 'publisherEmail'])));
  assert.equal(paramName(props(one(t, APIM_SERVICE_TYPE)).publisherEmail), 'apimPublisherEmail');
});

test('PremiumV2 is refused with a clear error (no GA API version accepts it)', () => {
  assert.throws(() => build(mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'PremiumV2'))), /sku PremiumV2.*2024-05-01/);
});
