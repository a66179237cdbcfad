/**
 * API Management: the service, the CA certificates it trusts, its mTLS client certificates, a backend per AKS
 * ingress it calls, the APIs with their policies, Application Insights logging, and private DNS.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service; API version 2024-05-01, the newest GA, AVM-tested):
 * - In a virtual network (classic Developer/Premium, stv2) the service needs a Standard public IP with a DNS label
 *   (management traffic only in internal mode), virtualNetworkType and the subnet.
 * - SystemAssigned identity: the only identity a Key Vault behind its firewall accepts. Its custom domain therefore
 *   comes in a second step (./apim/custom-domain.ts), and everything it reads from Key Vault (custom domain, client
 *   certificates) waits for the role assignments that let the identity read the vault (./apim/late-dependencies.ts).
 * - customProperties: TLS 1.0/1.1 and SSL 3.0 off on both sides, 3DES and the CBC/RSA-key-exchange ciphers off (PSRule
 *   Azure.APIM.Protocols, Azure.APIM.Ciphers), over-privileged managed identity access to other services off (the
 *   trusted-service retirement of March 2026). API Management has no switch for a TLS 1.3 minimum: a note says so.
 * - certificates[]: the CA chain of each backend's server certificate (derived trust: model/trust.ts callerTrust on
 *   the edge), root in Root and intermediates in CertificateAuthority; public CAs need none.
 * - service/certificates (mTLS client certificate from Key Vault, versionless secret identifier), service/backends
 *   (url https://<ingress host>, tls validation from the edge, credentials.certificateIds), service/apis with
 *   wildcard operations and their policy (format rawxml, the file src/generators/policies writes, loaded with
 *   loadTextContent), products and subscriptions that give callers keys (./apim/products.ts), named values `tenant-id` (tenant()) and `entra-login-endpoint` (environment()) when a policy
 *   uses them.
 * - Application Insights: a logger authenticated with the service's managed identity (credentials.connectionString
 *   from a named value kept in Key Vault + identityClientId SystemAssigned; Application Insights refuses key-only ingestion when
 *   local authentication is off), the `applicationinsights` diagnostic, and Monitoring Metrics Publisher on the
 *   component for the identity.
 * - Private DNS (./apim/private-dns.ts): the custom domain's A record to properties.privateIPAddresses[0]; the ingress
 *   host names to the address each cluster's ingress load balancer is pinned to (./network/ingress-address.ts), so
 *   the record is right from the first deployment.
 */
import type { Certificate, EdgeOf, NodeOf } from '../../../schemas/design.js';
import { caBundle, callerTrust } from '../../../model/trust.js';
import { call, cond, fileText, idOf, interp, not, propOf, resourceGroupId, roleDefinitionId, tenantId, type Expr, type ExprObject } from '../../ir/expr.js';
import { toIdentifier, type Resource } from '../../ir/template.js';
import { apiBackend, apimBackendName, apimCertificateName, apimEntityName, ENTRA_LOGIN_NAMED_VALUE, TENANT_ID_NAMED_VALUE } from '../../policies/index.js';
import type { AzureBuild } from '../build.js';
import { caCertificateData, certificateSecretId } from './certificate-parameters.js';
import { customDomainModule } from './custom-domain.js';
import { dependOnLater, keyVaultGrantsTo, ROLE_ASSIGNMENT_TYPE } from './late-dependencies.js';
import { policyFilesByApi, type ApiPolicyFile } from './policy-files.js';
import { PrivateDns } from './private-dns.js';
import { buildProducts } from './products.js';
import { NETWORK_API, nodeSubnet } from '../network/resources.js';
import { ingressAddresses } from '../network/ingress-address.js';
import { KEY_VAULT_API, KEY_VAULT_TYPE } from '../data/keyvault.js';
import { apimInNetwork, isV2Tier, uniqueNodes } from '../../../model/subnet-plan.js';

export const APIM_API = '2024-05-01';
export const APIM_SERVICE_TYPE = 'Microsoft.ApiManagement/service';
export const PUBLIC_IP_TYPE = 'Microsoft.Network/publicIPAddresses';
export const ROLE_ASSIGNMENT_API = '2022-04-01';
/** Monitoring Metrics Publisher (azure-facts §13): Entra ID-authenticated ingestion into Application Insights. */
export const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';
/** The methods of the wildcard operations that forward every request of an API to its backend. */
export const FORWARDED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const GATEWAY = 'Microsoft.WindowsAzure.ApiManagement.Gateway';
/** The ciphers PSRule Azure.APIM.Ciphers wants off, with 3DES (learn.microsoft.com/azure/api-management/api-management-howto-manage-protocols-ciphers). */
const WEAK_CIPHERS = [
  'TripleDes168',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
] as const;

type Apim = NodeOf<'apiManagement'>;
type Aks = NodeOf<'aksCluster'>;
type TlsEdge = EdgeOf<'https'> | EdgeOf<'mtls'>;

/**
 * The parameter that says whether an API Management instance exists already (deploy sets it): `<id>Exists` (a
 * number after it when another owner holds that name); its description starts with APIM_EXISTS_DESCRIPTION(id).
 */
export function apimExistsParameter(apimId: string): string {
  return `${toIdentifier(apimId)}Exists`;
}

/** How the description of an instance's `<id>Exists` parameter starts: deploy finds the parameter by it. */
export function apimExistsDescription(apimId: string): string {
  return `Whether API Management "${apimId}" exists already`;
}

export function customProperties(): ExprObject {
  const props: Record<string, string> = {};
  for (const side of ['', 'Backend.']) {
    for (const protocol of ['Tls10', 'Tls11', 'Ssl30']) props[`${GATEWAY}.Security.${side}Protocols.${protocol}`] = 'False';
  }
  for (const cipher of WEAK_CIPHERS) props[`${GATEWAY}.Security.Ciphers.${cipher}`] = 'False';
  props[`${GATEWAY}.ManagedIdentity.DisableOverPrivilegedAccess`] = 'True';
  return props;
}

export function buildApiManagement(b: AzureBuild): void {
  const apims = uniqueNodes(b.nodes('apiManagement'));
  if (apims.length === 0) return;
  const policies = policyFilesByApi(b.design);
  const dns = new PrivateDns(b, privateHosts(b, apims));
  for (const apim of apims) buildInstance(b, apim, policies, dns);
}

/** The clusters an instance calls, each with the edge that reaches it (an mtls edge first, as the policies choose). */
export function calledClusters(b: AzureBuild, apim: Apim): { aks: Aks; edge: TlsEdge }[] {
  const byId = new Map<string, { aks: Aks; edge: TlsEdge }>();
  for (const { edge, to } of b.index.outgoing(apim.id)) {
    if ((edge.type !== 'mtls' && edge.type !== 'https') || to?.type !== 'aksCluster') continue;
    const known = byId.get(to.id);
    if (!known || (known.edge.type !== 'mtls' && edge.type === 'mtls')) byId.set(to.id, { aks: to, edge });
  }
  return [...byId.values()];
}

/** Every host name that gets a private A record: internal custom domains and the ingress hosts they call. */
function privateHosts(b: AzureBuild, apims: readonly Apim[]): string[] {
  const hosts: string[] = [];
  for (const apim of apims) {
    if (!apimInNetwork(apim)) continue;
    if (apim.properties.virtualNetworkType === 'Internal' && apim.properties.hostName) hosts.push(apim.properties.hostName);
    for (const { aks } of calledClusters(b, apim)) if (aks.properties.ingress.hostName) hosts.push(aks.properties.ingress.hostName);
  }
  return hosts;
}

function buildInstance(b: AzureBuild, apim: Apim, policies: ReturnType<typeof policyFilesByApi>, dns: PrivateDns): void {
  const p = apim.properties;
  if (p.sku === 'PremiumV2') {
    throw new Error(
      `API Management "${apim.id}" uses sku PremiumV2, which API version ${APIM_API} (the newest GA version, the one Gatewright generates) does not accept; use Premium or Developer`,
    );
  }
  const name = b.name(apim);
  const azureName = b.azureName(apim);
  const inVnet = apimInNetwork(apim);
  const classic = !isV2Tier(p.sku);
  const subnet = inVnet ? nodeSubnet(b, apim.id) : undefined;
  if (inVnet && !subnet) throw new Error(`API Management "${apim.id}": the network builder made no subnet for it`);
  const publicIp = subnet && classic ? managementPublicIp(b, apim, b.baseName(apim)) : undefined;

  const properties: Record<string, Expr> = {
    publisherEmail: p.publisherEmail ?? publisherEmailParameter(b, apim),
    publisherName: p.publisherName ?? b.design.metadata.name,
    ...(subnet ? { virtualNetworkType: p.virtualNetworkType, virtualNetworkConfiguration: { subnetResourceId: idOf(subnet) } } : { virtualNetworkType: 'None' }),
    ...(publicIp ? { publicIpAddressId: idOf(publicIp) } : {}),
    ...caCertificates(b, apim),
    customProperties: customProperties(),
    apiVersionConstraint: { minApiVersion: '2021-08-01' },
  };
  const service = b.resource({
    symbol: `${apim.id}-service`,
    type: APIM_SERVICE_TYPE,
    apiVersion: APIM_API,
    name: azureName,
    description: `API Management "${apim.id}": ${p.sku}, ${p.virtualNetworkType === 'None' ? 'no virtual network' : `${p.virtualNetworkType.toLowerCase()} virtual network mode`}, system-assigned identity.`,
    body: {
      ...b.placed(),
      sku: { name: p.sku, capacity: p.sku === 'Consumption' ? 0 : p.capacity },
      identity: { type: 'SystemAssigned' },
      properties,
    },
  });
  b.setNodeResource(apim, service);
  const grants = () => keyVaultGrantsTo(b, service);
  const children: Resource[] = [];
  const child = (r: Resource) => {
    children.push(r);
    return r;
  };

  // mTLS client certificates, read from Key Vault once the identity may.
  const clientCertificates = new Map<string, Resource>();
  for (const { edge } of b.index.outgoing(apim.id, 'mtls')) {
    const certId = edge.properties.clientCertificate;
    if (clientCertificates.has(certId)) continue;
    const r = child(
      b.resource({
        symbol: `${apim.id}-cert-${certId}`,
        type: `${APIM_SERVICE_TYPE}/certificates`,
        apiVersion: APIM_API,
        parent: service,
        name: apimCertificateName(certId),
        description: `Client certificate "${certId}" that API Management presents for mutual TLS, from Key Vault (versionless: rotations are picked up within four hours).`,
        body: { properties: { keyVault: { secretIdentifier: certificateSecretId(b, certId) } } },
      }),
    );
    dependOnLater(b, r, [], grants);
    clientCertificates.set(certId, r);
  }

  // A backend per cluster ingress.
  const backends = new Map<string, { backend: Resource; certificate: Resource | undefined }>();
  for (const { aks, edge } of calledClusters(b, apim)) {
    const host = aks.properties.ingress.hostName;
    if (!host) {
      b.notes.push(`API Management "${apim.id}" calls AKS cluster "${aks.id}", whose ingress has no hostName: no backend is generated for it; set properties.ingress.hostName.`);
      continue;
    }
    const certificate = edge.type === 'mtls' ? clientCertificates.get(edge.properties.clientCertificate) : undefined;
    const backend = child(
      b.resource({
        symbol: `${apim.id}-backend-${aks.id}`,
        type: `${APIM_SERVICE_TYPE}/backends`,
        apiVersion: APIM_API,
        parent: service,
        name: apimBackendName(aks.id),
        description: `The ingress of AKS cluster "${aks.id}" (${edge.type === 'mtls' ? 'mutual TLS' : 'TLS'}).`,
        body: {
          properties: {
            description: `Ingress of AKS cluster ${aks.id}`,
            url: `https://${host}`,
            protocol: 'http',
            tls: { validateCertificateChain: edge.properties.validateCertificateChain, validateCertificateName: edge.properties.validateCertificateName },
            ...(certificate ? { credentials: { certificateIds: [idOf(certificate)] } } : {}),
          },
        },
      }),
    );
    backends.set(aks.id, { backend, certificate });
    const paths = [...new Set(aks.properties.services.map((s) => s.path).filter((path) => path !== '/'))];
    if (paths.length) {
      b.notes.push(
        `API Management "${apim.id}" forwards to https://${host} followed by the path after the API suffix; the ingress of "${aks.id}" routes the paths ${paths.join(', ')}, so the APIs' callers must include them (or give those services the path /).`,
      );
    }
  }

  // Named values of the tenant and of the cloud's login endpoint, when a policy validates tokens against them.
  const apiFiles = uniqueApis(apim).map((api) => ({ api, file: policies(apim.id, api.name) }));
  const namedValue = (name: string, value: Expr, description: string): Resource | undefined =>
    apiFiles.some(({ file }) => file?.content.includes(`{{${name}}}`))
      ? child(
          b.resource({
            symbol: `${apim.id}-named-value-${name}`,
            type: `${APIM_SERVICE_TYPE}/namedValues`,
            apiVersion: APIM_API,
            parent: service,
            name,
            description,
            body: { properties: { displayName: name, value, secret: false } },
          }),
        )
      : undefined;
  const namedValues = [
    namedValue(TENANT_ID_NAMED_VALUE, tenantId(), 'The Microsoft Entra tenant the token validation policies trust: the tenant of this deployment.'),
    namedValue(
      ENTRA_LOGIN_NAMED_VALUE,
      call('environment', [], ['authentication', 'loginEndpoint']),
      'The Microsoft Entra login endpoint of the cloud this deployment runs in (sovereign clouds have their own): the token validation policies read the OpenID configurations there.',
    ),
  ].filter((r): r is Resource => r !== undefined);

  const apiResources = new Map<string, Resource>();
  for (const { api, file } of apiFiles) apiResources.set(api.name, buildApi(b, apim, service, api, file, backends, namedValues, child));
  children.push(...buildProducts(b, apim, service, apiResources));

  const logging = buildLogging(b, apim, service);
  children.push(...logging);

  // Custom domain: declared once with the service when it exists already (its identity was granted Key Vault on the
  // first deployment), else added in a second step once the new identity may read the certificate.
  if (p.hostName && p.certificate) {
    const hostnames: ExprObject[] = [
      {
        type: 'Proxy',
        hostName: p.hostName,
        certificateSource: 'KeyVault',
        keyVaultId: certificateSecretId(b, p.certificate),
        defaultSslBinding: true,
        negotiateClientCertificate: false,
      },
    ];
    const existsName = b.parameterName(apimExistsParameter(apim.id), `apim-exists:${apim.id}`);
    const exists = b.parameter({
      name: existsName,
      type: 'bool',
      defaultValue: false,
      description: `${apimExistsDescription(apim.id)} (gatewright deploy sets it): then it is declared once, with its custom domain ${p.hostName}; on its first deployment the domain is added in a second step (module ${`${apim.id}-custom-domain`.toLowerCase()}).`,
    });
    properties.hostnameConfigurations = cond(exists, hostnames, []);
    const module = customDomainModule(b, apim.id, service, hostnames, not(exists));
    dependOnLater(b, module, [service, ...children], grants);
    b.notes.push(
      `API Management "${apim.id}" and its custom domain ${p.hostName}: a new service's system-assigned identity (the only identity a Key Vault behind its firewall accepts: https://learn.microsoft.com/azure/api-management/configure-custom-domain) can read the certificate only once it exists and is granted access, so on the first deployment (parameter ${existsName} false) the service is created without the domain and module ${module.file} adds it after the role assignment. When the service exists (${existsName} true; gatewright deploy checks and sets it) the service is declared once, with its domain, and the module is skipped: a redeployment never serves the gateway without its certificate.`,
    );
  } else if (p.hostName) {
    b.notes.push(`API Management "${apim.id}" has the host name ${p.hostName} but no certificate: no custom domain is configured; set properties.certificate.`);
  }

  if (p.minTlsVersion === '1.3') {
    b.notes.push(
      `API Management "${apim.id}" asks for TLS 1.3 at least, but API Management has no setting for a minimum above TLS 1.2: the template turns off SSL 3.0, TLS 1.0 and 1.1 on both sides and the weak ciphers; TLS 1.2 stays accepted. Enforce 1.3 at Application Gateway (minTlsVersion "1.3") and at the ingress.`,
    );
  }
  if (p.virtualNetworkType === 'External') {
    b.notes.push(`API Management "${apim.id}" is in external mode: its gateway is public. Publish ${p.hostName ?? `${name}.azure-api.net`} in your public DNS zone (a CNAME to ${name}.azure-api.net).`);
  }
  if (inVnet && !classic) {
    b.notes.push(`API Management "${apim.id}" (${p.sku}) integrates with subnet ${String(subnet?.name)} through a delegation; its network security group has only the default rules.`);
  }
  privateRecords(b, apim, service, dns);
}

function uniqueApis(apim: Apim): Apim['properties']['apis'] {
  const seen = new Set<string>();
  return apim.properties.apis.filter((api) => (seen.has(api.name) ? false : (seen.add(api.name), true)));
}

function buildApi(
  b: AzureBuild,
  apim: Apim,
  service: Resource,
  api: Apim['properties']['apis'][number],
  file: ApiPolicyFile | undefined,
  backends: ReadonlyMap<string, { backend: Resource; certificate: Resource | undefined }>,
  namedValues: readonly Resource[],
  child: (r: Resource) => Resource,
): Resource {
  // The cluster the policy sends the API to (the same choice as the policy generator).
  const cluster = apiBackend(b.index, apim, api)?.aks;
  const backend = cluster ? backends.get(cluster.id) : undefined;
  const svc = cluster?.properties.services.find((s) => s.name === api.service);
  const host = cluster?.properties.ingress.hostName;
  const serviceUrl = host ? `https://${host}${svc && svc.path !== '/' ? svc.path.replace(/\/+$/, '') : ''}` : undefined;
  const apiResource = child(
    b.resource({
      symbol: `${apim.id}-api-${api.name}`,
      type: `${APIM_SERVICE_TYPE}/apis`,
      apiVersion: APIM_API,
      parent: service,
      name: apimEntityName(api.name),
      description: `API "${api.name}" (/${api.path}), served by "${api.service}"${cluster ? ` on AKS cluster "${cluster.id}"` : ''}.`,
      body: {
        properties: {
          displayName: api.displayName ?? api.name,
          description: `Forwards /${api.path} to the service ${api.service}${cluster ? ` of AKS cluster ${cluster.id}` : ''}.`,
          path: api.path,
          protocols: ['https'],
          subscriptionRequired: api.subscriptionRequired,
          type: 'http',
          ...(serviceUrl ? { serviceUrl } : {}),
        },
      },
    }),
  );
  for (const method of FORWARDED_METHODS) {
    child(
      b.resource({
        symbol: `${apim.id}-api-${api.name}-${method.toLowerCase()}`,
        type: `${APIM_SERVICE_TYPE}/apis/operations`,
        apiVersion: APIM_API,
        parent: apiResource,
        name: method.toLowerCase(),
        body: { properties: { displayName: `${method} /*`, description: `Forwards every ${method} request to the backend.`, method, urlTemplate: '/*' } },
      }),
    );
  }
  if (!file) {
    b.notes.push(`API "${api.name}" of API Management "${apim.id}" has no generated policy file; it has no policy.`);
    return apiResource;
  }
  const usedValues = namedValues.filter((v) => typeof v.name === 'string' && file.content.includes(`{{${v.name}}}`));
  const waitFor = [backend?.backend, backend?.certificate, ...usedValues].filter((r): r is Resource => r !== undefined);
  child(
    b.resource({
      symbol: `${apim.id}-api-${api.name}-policy`,
      type: `${APIM_SERVICE_TYPE}/apis/policies`,
      apiVersion: APIM_API,
      parent: apiResource,
      name: 'policy',
      description: `Policy of API "${api.name}": ${file.path} (API Management checks that the backend, certificate and named values it names exist).`,
      body: { properties: { format: 'rawxml', value: fileText(file.bicepPath, file.content) } },
      ...(waitFor.length ? { dependsOn: waitFor } : {}),
    }),
  );
  return apiResource;
}

/** The Application Insights logger and diagnostic of an instance with a diagnostics edge to Application Insights. */
function buildLogging(b: AzureBuild, apim: Apim, service: Resource): Resource[] {
  const targets = b.index.outgoing(apim.id, 'diagnostics').flatMap((e) => (e.to?.type === 'applicationInsights' ? [e.to] : []));
  const appi = targets[0];
  if (!appi) return [];
  if (targets.length > 1) {
    b.notes.push(`API Management "${apim.id}" logs to Application Insights "${appi.id}" only: an instance has one "applicationinsights" diagnostic (${targets.slice(1).map((t) => `"${t.id}"`).join(', ')} not used).`);
  }
  const component = b.nodeResources.get(appi.id);
  if (!component) throw new Error(`API Management "${apim.id}": Application Insights node "${appi.id}" has no resource`);
  const valueName = apimEntityName(`${appi.id}-connection-string`);
  const namedValue = connectionStringValue(b, apim, service, appi.id, component, valueName);
  const logger = b.resource({
    symbol: `${apim.id}-logger-${appi.id}`,
    type: `${APIM_SERVICE_TYPE}/loggers`,
    apiVersion: APIM_API,
    parent: service,
    name: apimEntityName(appi.id),
    description: `Logger to Application Insights "${appi.id}", authenticated with the system-assigned identity.`,
    body: {
      properties: {
        loggerType: 'applicationInsights',
        description: `Application Insights ${appi.id}`,
        resourceId: idOf(component),
        isBuffered: true,
        credentials: { connectionString: `{{${valueName}}}`, identityClientId: 'SystemAssigned' },
      },
    },
    dependsOn: [namedValue],
  });
  const diagnostic = b.resource({
    symbol: `${apim.id}-diagnostic-${appi.id}`,
    type: `${APIM_SERVICE_TYPE}/diagnostics`,
    apiVersion: APIM_API,
    parent: service,
    name: 'applicationinsights',
    description: 'Request telemetry of every API to Application Insights (W3C trace context; no headers or bodies).',
    body: {
      properties: {
        loggerId: idOf(logger),
        alwaysLog: 'allErrors',
        httpCorrelationProtocol: 'W3C',
        verbosity: 'information',
        logClientIp: true,
        sampling: { samplingType: 'fixed', percentage: 100 },
      },
    },
  });
  const publisher = b.resource({
    symbol: `${apim.id}-${appi.id}-metrics-publisher`,
    type: ROLE_ASSIGNMENT_TYPE,
    apiVersion: ROLE_ASSIGNMENT_API,
    scope: component,
    name: call('guid', [resourceGroupId(), appi.id, apim.id, MONITORING_METRICS_PUBLISHER]),
    description: `Monitoring Metrics Publisher on Application Insights "${appi.id}" for API Management "${apim.id}": Entra ID-authenticated telemetry.`,
    body: {
      properties: {
        roleDefinitionId: roleDefinitionId(MONITORING_METRICS_PUBLISHER),
        principalId: propOf(service, 'identity', 'principalId'),
        principalType: 'ServicePrincipal',
      },
    },
  });
  return [namedValue, logger, diagnostic, publisher];
}

/**
 * The named value holding an Application Insights connection string. In the Key Vault the instance reads (its first
 * secrets edge): a vault secret the template writes from the component, and a Key Vault named value that API
 * Management reads with its identity once it may (learn.microsoft.com/azure/api-management/api-management-howto-properties,
 * "Key vault secrets"); the string is then never stored in API Management, and rotating it is a change of the secret.
 * Without such an edge, a secret named value as before, and a note says so.
 */
/** The Key Vault secret of each Application Insights connection string, by "<vault node>/<component node>", per build. */
const connectionStringSecrets = new WeakMap<AzureBuild, Map<string, Resource>>();

function connectionStringValue(b: AzureBuild, apim: Apim, service: Resource, appiId: string, component: Resource, valueName: string): Resource {
  const kvNode = b.index.outgoing(apim.id, 'secrets').find((e) => e.to?.type === 'keyVault')?.to;
  const vault = kvNode ? b.nodeResources.get(kvNode.id) : undefined;
  if (!kvNode || !vault) {
    b.notes.push(
      `API Management "${apim.id}" keeps the connection string of Application Insights "${appiId}" as a secret named value in the service: give it a secrets edge to a Key Vault and the template keeps the string in that vault instead.`,
    );
    return b.resource({
      symbol: `${apim.id}-named-value-${appiId}`,
      type: `${APIM_SERVICE_TYPE}/namedValues`,
      apiVersion: APIM_API,
      parent: service,
      name: valueName,
      description: `Connection string of Application Insights "${appiId}", read at deployment time and stored as a secret named value.`,
      body: { properties: { displayName: valueName, value: propOf(component, 'properties', 'ConnectionString'), secret: true } },
    });
  }
  const key = `${kvNode.id}/${appiId}`;
  let secrets = connectionStringSecrets.get(b);
  if (!secrets) connectionStringSecrets.set(b, (secrets = new Map()));
  // Instances that log to the same component through the same vault share its one secret.
  const secret = secrets.get(key) ?? b.resource({
    symbol: `${kvNode.id}-secret-${appiId}-connection-string`,
    type: `${KEY_VAULT_TYPE}/secrets`,
    apiVersion: KEY_VAULT_API,
    parent: vault,
    name: apimEntityName(`${appiId}-connection-string`),
    description: `Connection string of Application Insights "${appiId}" in Key Vault "${kvNode.id}", for the logger of API Management "${apim.id}".`,
    body: { properties: { value: propOf(component, 'properties', 'ConnectionString'), contentType: 'text/plain' } },
  });
  secrets.set(key, secret);
  const namedValue = b.resource({
    symbol: `${apim.id}-named-value-${appiId}`,
    type: `${APIM_SERVICE_TYPE}/namedValues`,
    apiVersion: APIM_API,
    parent: service,
    name: valueName,
    description: `Connection string of Application Insights "${appiId}": a Key Vault named value (versionless: a new version of the secret is picked up), read with the system-assigned identity once it may.`,
    body: { properties: { displayName: valueName, secret: true, keyVault: { secretIdentifier: propOf(secret, 'properties', 'secretUri') } } },
  });
  dependOnLater(b, namedValue, [], () => keyVaultGrantsTo(b, service));
  return namedValue;
}

/** Tiers that accept CA certificates on the service (learn.microsoft.com/azure/api-management/api-management-howto-ca-certificates). */
const CA_CERTIFICATE_TIERS: ReadonlySet<string> = new Set(['Developer', 'Basic', 'Standard', 'Premium']);

/** The CA certificates an instance installs to validate its backends' server certificates. */
function caCertificates(b: AzureBuild, apim: Apim): ExprObject {
  const entries: { cert: Certificate; store: 'Root' | 'CertificateAuthority' }[] = [];
  const seen = new Set<string>();
  for (const { edge, to } of b.index.outgoing(apim.id)) {
    if ((edge.type !== 'mtls' && edge.type !== 'https') || !to) continue;
    for (const caId of callerTrust(b.index, edge).caIds) {
      if (caId === 'external') continue;
      const { certificates, complete } = caBundle(b.index, caId);
      for (const cert of certificates) {
        if (seen.has(cert.id)) continue;
        seen.add(cert.id);
        entries.push({ cert, store: cert.issuer === 'self' ? 'Root' : 'CertificateAuthority' });
      }
      if (!complete) {
        b.notes.push(`API Management "${apim.id}" trusts "${caId}" for "${to.id}", but its chain does not end at a root the design holds; add the missing CA certificates to the service by hand.`);
      }
    }
  }
  if (entries.length === 0) return {};
  if (!CA_CERTIFICATE_TIERS.has(apim.properties.sku)) {
    b.notes.push(
      `API Management "${apim.id}" (${apim.properties.sku}) cannot hold CA certificates, so it cannot validate backends issued by ${entries.map((e) => `"${e.cert.id}"`).join(', ')}; use Developer or Premium, or backend certificates from a public CA.`,
    );
    return {};
  }
  return {
    certificates: entries.map(({ cert, store }) => ({ encodedCertificate: caCertificateData(b, cert.id), storeName: store })),
  };
}

function publisherEmailParameter(b: AzureBuild, apim: Apim): Expr {
  const name = b.parameterName(`${toIdentifier(apim.id)}PublisherEmail`, `apim:${apim.id}`);
  b.notes.push(`API Management "${apim.id}" has no publisherEmail: the parameter ${name} takes it (API Management sends its notifications there).`);
  return b.parameter({ name, type: 'string', description: `Publisher email of API Management "${apim.id}" (notifications are sent there).`, minLength: 3 });
}

function managementPublicIp(b: AzureBuild, apim: Apim, name: string): Resource {
  return b.resource({
    symbol: `${apim.id}-public-ip`,
    type: PUBLIC_IP_TYPE,
    apiVersion: NETWORK_API,
    name: `${name}-pip`,
    description: `Public IP of API Management "${apim.id}" in its virtual network (stv2 requires a Standard static IP with a DNS label; in internal mode it carries management traffic only).`,
    body: {
      ...b.placed(),
      sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        dnsSettings: { domainNameLabel: dnsLabel(name) },
      },
    },
  });
}

/**
 * A public IP DNS label: `<name>-<uniqueString(resourceGroup().id)>`, lower case. Labels are unique per region across
 * all of Azure, so the resource name alone (a design name such as "payments") could be taken by someone else; the
 * suffix is stable for the resource group. At most 63 characters, starting with a letter.
 */
export function dnsLabel(name: string): Expr {
  let base = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  if (base.length === 0) base = 'pip';
  return interp(`${base.slice(0, 49).replace(/-+$/, '')}-`, call('uniqueString', [resourceGroupId()]));
}

function privateRecords(b: AzureBuild, apim: Apim, service: Resource, dns: PrivateDns): void {
  const p = apim.properties;
  if (p.virtualNetworkType === 'Internal' && p.hostName) {
    dns.aRecord(
      p.hostName,
      [{ ipv4Address: propOf(service, 'properties', 'privateIPAddresses', 0) }],
      3600,
      `${p.hostName}: the private IP of API Management "${apim.id}" (internal mode registers no public DNS).`,
    );
  }
  if (!apimInNetwork(apim)) return;
  const addresses = ingressAddresses(b.index);
  for (const { aks } of calledClusters(b, apim)) {
    const host = aks.properties.ingress.hostName;
    if (!host) continue;
    const ip = addresses.get(aks.id);
    if (!ip) continue;
    dns.aRecord(
      host,
      [{ ipv4Address: ip }],
      300,
      `${host}: the internal load balancer of the ingress of AKS cluster "${aks.id}", pinned to ${ip} in its Kubernetes manifests.`,
    );
  }
}
