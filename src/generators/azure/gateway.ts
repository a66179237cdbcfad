/**
 * Application Gateway v2 with its WAF policy, in front of API Management.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.network/applicationgateways; API version 2025-05-01, AVM-tested):
 * - A user-assigned identity reads the listener certificate from Key Vault (Key Vault integration supports only
 *   user-assigned identities); it is registered in b.ownIdentities so that the role assignments grant it Key Vault
 *   Secrets User, and the gateway waits for that grant (./apim/late-dependencies.ts). The certificate is the
 *   versionless secret identifier (parameter `<certId>SecretId`): the gateway polls Key Vault for new versions.
 * - A Standard, static, zonal public IP (zones as the gateway's: the IP's zones must cover the gateway's) with a
 *   DNS label.
 * - The WAF as a separate policy (ApplicationGatewayWebApplicationFirewallPolicies; the inline
 *   webApplicationFirewallConfiguration retires in March 2027, PSRule Azure.AppGw.MigrateWAFPolicy): the design's
 *   mode, request body inspection, the managed rule set (DRS 2.1 or OWASP 3.x) with the design's disabled rules as
 *   rule group overrides, and Bot Manager 1.1 when bot protection is on (PSRule Azure.AppGwWAF.RuleGroups).
 * - TLS policy: Predefined AppGwSslPolicy20220101S (TLS 1.2 minimum, strong suites) or CustomV2 with a TLS 1.3
 *   minimum (PSRule Azure.AppGw.SSLPolicy).
 * - An HTTPS listener on 443 for the design's host name, and an HTTP listener on 80 that only redirects to it
 *   (PSRule Azure.AppGw.UseHTTPS).
 * - The backend is API Management's custom domain (resolved by the private DNS zone of the API Management builder),
 *   called over HTTPS with that host name as Host and SNI; the gateway trusts the root of the API Management
 *   certificate's chain (derived trust, model/trust.ts) as a trusted root certificate, or the well-known CAs when
 *   it comes from a public CA; the probe calls the gateway's built-in /status-0123456789abcdef.
 * - Request routing rules have priorities (mandatory since API version 2021-08-01).
 */
import type { EdgeOf, NodeOf } from '../../schemas/design.js';
import { callerTrust, rootOf } from '../../model/trust.js';
import { call, idOf, interp, nameOf, type Expr, type ExprObject } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import { dnsLabel, PUBLIC_IP_TYPE } from './apim/service.js';
import type { AzureBuild } from './build.js';
import { caCertificateData, certificateSecretId } from './apim/certificate-parameters.js';
import { dependOnLater, keyVaultGrantsTo } from './apim/late-dependencies.js';
import { NETWORK_API } from './network/resources.js';
import { uniqueNodes } from '../../model/subnet-plan.js';
import { BOT_MANAGER_RULE_SET, disabledRuleOverrides, managedRuleSet } from './network/waf-rule-groups.js';

export const GATEWAY_TYPE = 'Microsoft.Network/applicationGateways';
export const WAF_POLICY_TYPE = 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies';
export const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
export const IDENTITY_API = '2024-11-30';
/** API Management's built-in health endpoint. */
export const APIM_STATUS_PATH = '/status-0123456789abcdef';
/** The autoscale ceiling: room for load, a bound on what an attack can cost. */
export const MAX_INSTANCES = 10;

type Gateway = NodeOf<'applicationGateway'>;
type Apim = NodeOf<'apiManagement'>;

/** The sub-resource id of a gateway part: resourceId('Microsoft.Network/applicationGateways/<kind>', <gateway>, <part>). */
function part(gatewayName: string, kind: string, name: string): ExprObject {
  return { id: call('resourceId', [`${GATEWAY_TYPE}/${kind}`, gatewayName, name]) };
}

/**
 * identity.userAssignedIdentities of a resource: an object keyed by the identity's resource id. The IR has no computed
 * object keys, so the object is built with json(), which Bicep and ARM both evaluate.
 */
export function userAssignedIdentities(identity: Resource): Expr {
  return call('json', [interp('{"', idOf(identity), '": {}}')]);
}

export function buildGateway(b: AzureBuild): void {
  for (const gw of uniqueNodes(b.nodes('applicationGateway'))) buildOne(b, gw);
}

/** The API Management instance a gateway forwards to: the target of its first https edge to one. */
function backendOf(b: AzureBuild, gw: Gateway): { apim: Apim; edge: EdgeOf<'https'> } | undefined {
  const targets = b.index.outgoing(gw.id, 'https').flatMap((e) => (e.to?.type === 'apiManagement' ? [{ apim: e.to, edge: e.edge }] : []));
  if (targets.length > 1) {
    b.notes.push(
      `Application Gateway "${gw.id}" has one listener host name and forwards it to API Management "${targets[0]!.apim.id}"; its https edges to ${targets.slice(1).map((t) => `"${t.apim.id}"`).join(', ')} are not routed.`,
    );
  }
  return targets[0];
}

function buildOne(b: AzureBuild, gw: Gateway): void {
  const p = gw.properties;
  const name = b.name(gw);
  const subnet = b.subnet('appgw');
  const zones = [...p.zones].sort();

  const identity = b.resource({
    symbol: `${gw.id}-identity`,
    type: IDENTITY_TYPE,
    apiVersion: IDENTITY_API,
    name: `${name}-id`,
    description: `Identity of Application Gateway "${gw.id}": reads its listener certificate from Key Vault.`,
    body: { ...b.placed(), properties: {} },
  });
  b.ownIdentities.set(gw.id, identity);

  const publicIp = b.resource({
    symbol: `${gw.id}-public-ip`,
    type: PUBLIC_IP_TYPE,
    apiVersion: NETWORK_API,
    name: `${name}-pip`,
    description: `Public IP of Application Gateway "${gw.id}": Standard, static${zones.length > 1 ? ', zone-redundant' : ''}.`,
    body: {
      ...b.placed(),
      sku: { name: 'Standard', tier: 'Regional' },
      ...(zones.length ? { zones } : {}),
      properties: {
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        dnsSettings: { domainNameLabel: dnsLabel(name) },
      },
    },
  });

  const waf = p.sku === 'WAF_v2' ? wafPolicy(b, gw, name) : undefined;
  if (!waf) {
    b.notes.push(`Application Gateway "${gw.id}" uses ${p.sku}: no web application firewall inspects its traffic.`);
  }

  // Backend: API Management's custom domain.
  const target = backendOf(b, gw);
  // Without a custom domain, the service's own host name: <name>.azure-api.net, the name computed in the template.
  const apimService = target ? b.nodeResources.get(target.apim.id) : undefined;
  const apimHost: Expr | undefined = target
    ? (target.apim.properties.hostName ?? (apimService ? interp(nameOf(apimService), '.azure-api.net') : `${b.baseName(target.apim)}.azure-api.net`))
    : undefined;
  const backendName = target ? `apim-${target.apim.id}` : 'no-backend';
  const roots = target ? trustedRoots(b, gw, target.edge) : [];
  if (!target) {
    b.notes.push(`Application Gateway "${gw.id}" has no https edge to API Management: its backend pool is empty and every request gets 502; connect it to the API Management it fronts.`);
  }

  const certificate = p.certificate;
  const https = certificate !== undefined;
  // A wildcard host name goes in hostNames: hostName takes exact names only (multiple-site-overview, wildcard host names).
  const hostProps = p.hostName ? (p.hostName.startsWith('*.') ? { hostNames: [p.hostName] } : { hostName: p.hostName }) : {};
  const frontend = part(name, 'frontendIPConfigurations', 'public');
  const backendPool = part(name, 'backendAddressPools', backendName);
  const backendSettings = part(name, 'backendHttpSettingsCollection', backendName);
  const listeners: ExprObject[] = [];
  const rules: ExprObject[] = [];
  const redirects: ExprObject[] = [];
  if (https) {
    listeners.push({
      name: 'https',
      properties: {
        frontendIPConfiguration: frontend,
        frontendPort: part(name, 'frontendPorts', 'port-443'),
        protocol: 'Https',
        sslCertificate: part(name, 'sslCertificates', certificate),
        ...hostProps,
        requireServerNameIndication: p.hostName !== undefined,
      },
    });
    listeners.push({ name: 'http', properties: { frontendIPConfiguration: frontend, frontendPort: part(name, 'frontendPorts', 'port-80'), protocol: 'Http', ...hostProps } });
    redirects.push({
      name: 'http-to-https',
      properties: { redirectType: 'Permanent', targetListener: part(name, 'httpListeners', 'https'), includePath: true, includeQueryString: true },
    });
    rules.push({
      name: backendName,
      properties: { ruleType: 'Basic', priority: 100, httpListener: part(name, 'httpListeners', 'https'), backendAddressPool: backendPool, backendHttpSettings: backendSettings },
    });
    rules.push({
      name: 'http-to-https',
      properties: { ruleType: 'Basic', priority: 200, httpListener: part(name, 'httpListeners', 'http'), redirectConfiguration: part(name, 'redirectConfigurations', 'http-to-https') },
    });
  } else {
    listeners.push({ name: 'http', properties: { frontendIPConfiguration: frontend, frontendPort: part(name, 'frontendPorts', 'port-80'), protocol: 'Http', ...hostProps } });
    rules.push({
      name: backendName,
      properties: { ruleType: 'Basic', priority: 100, httpListener: part(name, 'httpListeners', 'http'), backendAddressPool: backendPool, backendHttpSettings: backendSettings },
    });
    b.notes.push(`Application Gateway "${gw.id}" has no listener certificate: it listens on HTTP (port 80) only and traffic from clients is not encrypted; set properties.certificate.`);
  }

  const gateway = b.resource({
    symbol: `${gw.id}-gateway`,
    type: GATEWAY_TYPE,
    apiVersion: NETWORK_API,
    name,
    description: `Application Gateway "${gw.id}" (${p.sku}): ${https ? `HTTPS ${p.hostName ?? ''} with TLS ${p.minTlsVersion} at least, HTTP redirected` : 'HTTP only'}${target ? `, forwards to API Management "${target.apim.id}" (${target.apim.properties.hostName ?? `${b.name(target.apim)}.azure-api.net`})` : ''}.`,
    body: {
      ...b.placed(),
      ...(zones.length ? { zones } : {}),
      identity: { type: 'UserAssigned', userAssignedIdentities: userAssignedIdentities(identity) },
      properties: {
        sku: { name: p.sku, tier: p.sku },
        autoscaleConfiguration: { minCapacity: p.minCapacity, maxCapacity: Math.max(MAX_INSTANCES, p.minCapacity) },
        enableHttp2: true,
        sslPolicy: p.minTlsVersion === '1.3' ? { policyType: 'CustomV2', minProtocolVersion: 'TLSv1_3' } : { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
        gatewayIPConfigurations: [{ name: 'gateway', properties: { subnet: { id: idOf(subnet) } } }],
        frontendIPConfigurations: [{ name: 'public', properties: { publicIPAddress: { id: idOf(publicIp) } } }],
        frontendPorts: [...(https ? [{ name: 'port-443', properties: { port: 443 } }] : []), { name: 'port-80', properties: { port: 80 } }],
        ...(https ? { sslCertificates: [{ name: certificate, properties: { keyVaultSecretId: certificateSecretId(b, certificate) } }] } : {}),
        ...(roots.length ? { trustedRootCertificates: roots.map((root) => ({ name: root, properties: { data: caCertificateData(b, root) } })) } : {}),
        backendAddressPools: [{ name: backendName, properties: { backendAddresses: apimHost ? [{ fqdn: apimHost }] : [] } }],
        backendHttpSettingsCollection: [
          {
            name: backendName,
            properties: {
              port: 443,
              protocol: 'Https',
              cookieBasedAffinity: 'Disabled',
              requestTimeout: 60,
              ...(apimHost ? { hostName: apimHost } : {}),
              pickHostNameFromBackendAddress: false,
              ...(target ? { validateCertChainAndExpiry: target.edge.properties.validateCertificateChain, validateSNI: target.edge.properties.validateCertificateName } : {}),
              probe: part(name, 'probes', backendName),
              ...(roots.length ? { trustedRootCertificates: roots.map((root) => part(name, 'trustedRootCertificates', root)) } : {}),
            },
          },
        ],
        probes: [
          {
            name: backendName,
            properties: {
              protocol: 'Https',
              ...(apimHost ? { host: apimHost } : {}),
              pickHostNameFromBackendHttpSettings: apimHost === undefined,
              path: APIM_STATUS_PATH,
              interval: 30,
              timeout: 30,
              unhealthyThreshold: 3,
              match: { statusCodes: ['200-399'] },
            },
          },
        ],
        httpListeners: listeners,
        ...(redirects.length ? { redirectConfigurations: redirects } : {}),
        requestRoutingRules: rules,
        ...(waf ? { firewallPolicy: { id: idOf(waf) } } : {}),
      },
    },
  });
  // The listener certificate is read with the identity: wait until it may read the vault.
  dependOnLater(b, gateway, [], () => keyVaultGrantsTo(b, identity));
  b.setNodeResource(gw, gateway);
  b.notes.push(
    `Application Gateway "${gw.id}" scales between ${p.minCapacity} and ${Math.max(MAX_INSTANCES, p.minCapacity)} instances (autoscaleConfiguration.maxCapacity bounds what a traffic spike can cost; raise it in the template if you need more).`,
  );
}

/** The roots the gateway installs to trust API Management's certificate: none for a public CA. */
function trustedRoots(b: AzureBuild, gw: Gateway, edge: EdgeOf<'https'>): string[] {
  const roots = new Set<string>();
  for (const caId of callerTrust(b.index, edge).caIds) {
    const root = rootOf(b.index, caId);
    if (root === 'external') continue;
    if (root === undefined) {
      b.notes.push(`Application Gateway "${gw.id}" trusts "${caId}" for "${edge.to}", but that CA's chain does not end at a root of the design: add the root as a trusted root certificate by hand.`);
      continue;
    }
    roots.add(root);
    if (root !== caId) {
      b.notes.push(`Application Gateway "${gw.id}" trusts the root "${root}"; API Management must present the intermediate CA certificates with its own (a PFX with the full chain).`);
    }
  }
  return [...roots].sort();
}

function wafPolicy(b: AzureBuild, gw: Gateway, gatewayName: string): Resource {
  const p = gw.properties;
  const set = managedRuleSet(p.ruleSetVersion);
  const { overrides, unknown } = disabledRuleOverrides(set, p.disabledRules);
  if (unknown.length) {
    b.notes.push(
      `The WAF of Application Gateway "${gw.id}" cannot turn off ${unknown.map((id) => `"${id}"`).join(', ')}: no such rule in ${set.ruleSetType} ${set.ruleSetVersion}; they stay on.`,
    );
  }
  return b.resource({
    symbol: `${gw.id}-waf-policy`,
    type: WAF_POLICY_TYPE,
    apiVersion: NETWORK_API,
    name: `${gatewayName}-waf`,
    description: `WAF policy of Application Gateway "${gw.id}": ${p.wafMode} mode, ${set.ruleSetType} ${set.ruleSetVersion}${p.botProtection ? ' and Bot Manager' : ''}${overrides.length ? `, rules off: ${p.disabledRules.join(', ')}` : ''}.`,
    body: {
      ...b.placed(),
      properties: {
        policySettings: {
          state: 'Enabled',
          mode: p.wafMode,
          requestBodyCheck: true,
          maxRequestBodySizeInKb: 128,
          fileUploadLimitInMb: 100,
        },
        managedRules: {
          managedRuleSets: [
            { ...set, ...(overrides.length ? { ruleGroupOverrides: overrides } : {}) },
            ...(p.botProtection ? [{ ...BOT_MANAGER_RULE_SET }] : []),
          ],
        },
      },
    },
  });
}
