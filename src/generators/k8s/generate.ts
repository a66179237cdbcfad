/**
 * Turns a design into the Kubernetes manifests of each AKS cluster's ingress: a folder per cluster under
 * k8s/ with a kustomization.yaml, a Namespace per service namespace, the CA bundle that verifies client
 * certificates, and the Ingress (appRouting, ingressNginx) or Gateway API resources (gatewayApi) of each
 * service. Pure: the caller hands in the public PEMs it could read and writes the files.
 */
import type { Design, NodeOf } from '../../schemas/design.js';
import { ingressClientTrust } from '../../model/trust.js';
import { DesignIndex } from '../../model/design-index.js';
import { ingressAddresses } from '../azure/network/ingress-address.js';
import { addInternalController, APP_ROUTING_CLASS, INTERNAL_LB_ANNOTATION, LB_IPV4_ANNOTATION } from './app-routing.js';
import { addIngressNginxService } from './ingress-nginx-service.js';
import { buildCaBundle, type CaBundle } from './ca-bundle.js';
import { ClusterOutput, compare, type GeneratedFile } from './cluster.js';
import { addBackendTlsPolicy, addGateway, addRoute, backendHostname, GATEWAY_CLASS, type GatewayPlan } from './gateway-api.js';
import { addIngress } from './ingress.js';
import { keyVaultCertificateUri } from './keyvault.js';
import { clusterKustomization, rootKustomization } from './kustomization.js';
import {
  BACKEND_CA_NAME,
  CLIENT_CA_NAME,
  clusterFolder,
  GATEWAY_NAME,
  GATEWAY_NAMESPACE,
  keyVaultTlsSecretName,
  kubernetesName,
  serverTlsSecretName,
} from './names.js';
import { addNamespace } from './namespace.js';
import { kubernetesReadme } from './readme.js';

export interface KubernetesInputs {
  /** Public PEM text of certificates by certificate id, for the ones whose file the caller could read. */
  readonly caPems?: ReadonlyMap<string, string>;
}

export interface KubernetesOutput {
  /** Paths relative to the output directory (`k8s/...`), sorted. */
  readonly files: GeneratedFile[];
  /** What the user must know or do (also in k8s/README.md where it is a step). */
  readonly warnings: string[];
}

type Aks = NodeOf<'aksCluster'>;

interface PlannedService {
  readonly service: Aks['properties']['services'][number];
  /** Object name (DNS-1123 label) of the Ingress / routes. */
  readonly name: string;
  readonly namespace: string;
}

const CLIENT_CA_FILE = 'certs/client-ca.crt';
const BACKEND_CA_FILE = 'certs/backend-ca.crt';

export function generateKubernetes(design: Design, inputs: KubernetesInputs = {}): KubernetesOutput {
  const ctx = new DesignIndex(design);
  const caPems = inputs.caPems ?? new Map<string, string>();
  const warnings: string[] = [];
  const clusters: ClusterOutput[] = [];
  const folders = new Set<string>();
  const addresses = ingressAddresses(ctx);

  for (const aks of ctx.nodesOfType('aksCluster')) {
    if (ctx.nodes.get(aks.id) !== aks) continue; // a repeated id: the first node with it is the one
    let folder = clusterFolder(aks.id);
    for (let i = 2; folders.has(folder); i++) folder = `${clusterFolder(aks.id)}-${i}`;
    const out = new ClusterOutput(design, aks.id, folder, warnings);
    if (generateCluster(ctx, aks, out, caPems, addresses.get(aks.id))) {
      folders.add(folder);
      clusters.push(out);
    }
  }
  if (clusters.length === 0) return { files: [], warnings };

  const files: GeneratedFile[] = [];
  for (const out of clusters) {
    for (const [path, content] of out.manifests) files.push({ path: `k8s/${out.folder}/${path}`, content });
    files.push({ path: `k8s/${out.folder}/kustomization.yaml`, content: clusterKustomization(out) });
  }
  files.push({ path: 'k8s/kustomization.yaml', content: rootKustomization([...folders], design.metadata.name) });
  files.push({ path: 'k8s/README.md', content: kubernetesReadme(design, clusters) });
  files.sort((a, b) => compare(a.path, b.path));
  return { files, warnings };
}

/** The services of a cluster with their object names; a repeated namespace/name is left out with a warning. */
function planServices(aks: Aks, warnings: string[]): PlannedService[] {
  const planned: PlannedService[] = [];
  const seen = new Set<string>();
  for (const service of aks.properties.services) {
    const namespace = kubernetesName(service.namespace);
    const name = kubernetesName(service.name);
    const key = `${namespace}/${name}`;
    if (seen.has(key)) {
      warnings.push(`AKS cluster "${aks.id}" lists service "${service.name}" in namespace "${service.namespace}" twice; only the first one is generated.`);
      continue;
    }
    seen.add(key);
    planned.push({ service, name, namespace });
  }
  return planned;
}

/** Fills one cluster folder; false when the cluster has nothing to route. */
function generateCluster(ctx: DesignIndex, aks: Aks, out: ClusterOutput, caPems: ReadonlyMap<string, string>, address: string | undefined): boolean {
  const { design } = ctx;
  const ingress = aks.properties.ingress;
  const services = planServices(aks, out.warnings);
  const where = `AKS cluster "${aks.id}"`;
  if (services.length === 0) {
    out.warnings.push(`${where} lists no services, so no ingress is generated for it.`);
    return false;
  }
  // Kubernetes accepts only lower-case host names (RFC 1123 subdomains, Gateway API hostnames); DNS ignores case.
  const host = ingress.hostName?.toLowerCase();
  if (!host) {
    out.warnings.push(`${where} has no ingress hostName: the generated routes match any host, and API Management cannot verify the ingress certificate's name.`);
  }

  // Client certificates: derived trust (issuers of the client certificates of the mtls edges) or the clientCa override.
  const passthrough = ingress.backendProtocol === 'passthrough';
  let clientBundle: CaBundle | undefined;
  if (passthrough) {
    out.warnings.push(
      `${where} passes TLS through to the pods (backendProtocol passthrough): the ingress cannot verify client certificates, so mutual TLS must end in the pods, which must verify API Management's client certificate themselves.`,
    );
    out.note("TLS passthrough: the pods terminate TLS, so they must verify API Management's client certificate themselves (mutual TLS ends in the pods).");
  } else if (ingress.verifyClient === 'off') {
    out.warnings.push(`${where} has verifyClient "off": its ingress accepts requests without a client certificate.`);
  } else {
    const trust = ingressClientTrust(ctx, aks);
    if (trust.caIds.length === 0) {
      out.warnings.push(`${where} has no CA to verify client certificates with (no mtls edge reaches it and no ingress clientCa): client certificates are not verified.`);
    } else {
      clientBundle = buildCaBundle(ctx, trust.caIds, caPems);
      if (clientBundle.pem === undefined) {
        out.warnings.push(`${where}: put the client CA bundle in k8s/${out.folder}/${CLIENT_CA_FILE} before applying (see k8s/README.md).`);
      }
      if (ingress.verifyClient !== 'on') {
        out.warnings.push(`${where} has verifyClient "${ingress.verifyClient}": requests without a valid client certificate still reach the services.`);
      }
    }
  }

  const namespaces = [...new Set(services.map((s) => s.namespace))].sort(compare);
  const serverCert = ingress.serverCertificate ? ctx.certificates.get(ingress.serverCertificate) : undefined;
  const caPurpose = `the CAs whose client certificates the ingress of AKS cluster "${aks.id}" accepts`;
  const header = (s: PlannedService) => `Ingress of service "${s.service.name}" (namespace "${s.namespace}") on AKS cluster "${aks.id}", generated by Gatewright from design "${design.metadata.name}".`;
  const clientCaLine = clientBundle
    ? [`Client certificates: verified against ca.crt of ${CLIENT_CA_NAME} (${clientBundle.certificates.map((c) => c.id).join(', ') || 'see k8s/README.md'}), depth ${ingress.verifyDepth}.`]
    : [];

  // HTTPS to the pods through NGINX: verify their certificates against the CA bundle (proxy-ssl-*).
  const nginxBackend = ingress.controller !== 'gatewayApi' && ingress.backendProtocol === 'https' ? nginxBackendTrust(ctx, out, where, serverCert?.id, caPems) : undefined;
  const placeNginxBackendCa = (ns: string) => {
    if (nginxBackend) out.placeCa('Secret', BACKEND_CA_NAME, ns, nginxBackend, BACKEND_CA_FILE, `the CAs that issue the certificates of the pods behind AKS cluster "${aks.id}"`);
  };
  const backendVerification = (s: PlannedService) =>
    nginxBackend ? { secret: `${s.namespace}/${BACKEND_CA_NAME}`, name: backendHostname(s.service, s.namespace), depth: Math.max(1, nginxBackend.certificates.length) } : undefined;
  const backendLine = (s: PlannedService) =>
    nginxBackend ? [`Backend: HTTPS to the pods, whose certificate for ${backendHostname(s.service, s.namespace)} is verified against ca.crt of ${BACKEND_CA_NAME}.`] : [];

  switch (ingress.controller) {
    case 'appRouting': {
      const className = addInternalController(out, passthrough, address);
      const keyVaultUri = !passthrough && serverCert ? keyVaultCertificateUri(design, serverCert) : undefined;
      out.note(
        `Ingress controller: a dedicated internal controller of the application routing add-on (NginxIngressController ${className})${passthrough ? ' with SSL passthrough' : ''}${address ? `, its load balancer pinned to ${address}, where the private DNS record of the ingress host points` : ''}; the add-on's default controller (class ${APP_ROUTING_CLASS}) stays internal and unused.`,
      );
      out.note('Microsoft supports the application routing add-on NGINX until November 2026; its Gateway API implementation (controller gatewayApi) is the successor.');
      if (!passthrough && !keyVaultUri) missingServerCertificate(out, where, namespaces, 'the Ingresses');
      if (keyVaultUri) out.note(`Server certificate: synced by the add-on from Key Vault (${keyVaultUri}, versionless so renewals are picked up) into Secret keyvault-<ingress name>.`);
      for (const ns of namespaces) {
        addNamespace(out, ns);
        if (clientBundle) out.placeCa('Secret', CLIENT_CA_NAME, ns, clientBundle, CLIENT_CA_FILE, caPurpose);
        placeNginxBackendCa(ns);
      }
      for (const s of services) {
        addIngress(out, {
          ...s,
          ingress,
          ingressClassName: className,
          host,
          clientCaSecret: clientBundle ? `${s.namespace}/${CLIENT_CA_NAME}` : undefined,
          tlsSecretName: passthrough ? undefined : keyVaultUri ? keyVaultTlsSecretName(s.name) : serverTlsSecretName('ingress'),
          keyVaultUri,
          backendVerification: backendVerification(s),
          comment: [
            header(s),
            `Controller: the dedicated internal NginxIngressController ${className}${passthrough ? ' (TLS passthrough)' : ''}${address ? `, load balancer ${address}` : ''}.`,
            ...(keyVaultUri ? [`Server certificate: from Key Vault through the add-on, into Secret ${keyVaultTlsSecretName(s.name)}.`] : []),
            ...clientCaLine,
            ...backendLine(s),
          ],
        });
      }
      return true;
    }
    case 'ingressNginx': {
      out.warnings.push(
        `${where} uses the community ingress-nginx controller, which reached end of life in March 2026 (no more releases or security fixes); prefer appRouting or gatewayApi.`,
      );
      out.note(
        `Ingress controller: community ingress-nginx (class nginx), not installed by these manifests: install it first (Helm release ingress-nginx in namespace ingress-nginx${passthrough ? ', with the flag --enable-ssl-passthrough' : ''}). The manifests set its controller Service ingress-nginx/ingress-nginx-controller internal (${INTERNAL_LB_ANNOTATION}: "true")${address ? ` and pinned to ${address} (${LB_IPV4_ANNOTATION}), where the private DNS record of the ingress host points` : ''}.`,
      );
      addIngressNginxService(out, address);
      if (passthrough) out.warnings.push(`${where}: start the ingress-nginx controller with --enable-ssl-passthrough, or the ssl-passthrough annotation has no effect.`);
      else missingServerCertificate(out, where, namespaces, 'the Ingresses');
      for (const ns of namespaces) {
        addNamespace(out, ns);
        if (clientBundle) out.placeCa('Secret', CLIENT_CA_NAME, ns, clientBundle, CLIENT_CA_FILE, caPurpose);
        placeNginxBackendCa(ns);
      }
      for (const s of services) {
        addIngress(out, {
          ...s,
          ingress,
          ingressClassName: 'nginx',
          host,
          clientCaSecret: clientBundle ? `${s.namespace}/${CLIENT_CA_NAME}` : undefined,
          tlsSecretName: passthrough ? undefined : serverTlsSecretName('ingress'),
          keyVaultUri: undefined,
          backendVerification: backendVerification(s),
          comment: [
            header(s),
            'Controller: community ingress-nginx (class nginx), end of life since March 2026.',
            `Its controller Service (ingress-nginx/ingress-nginx-controller, in this folder) is internal${address ? ` and pinned to ${address}` : ''}.`,
            ...(passthrough ? ['The controller must run with --enable-ssl-passthrough.'] : [`Server certificate: Secret ${serverTlsSecretName('ingress')} (kubernetes.io/tls), created by you: see k8s/README.md.`]),
            ...clientCaLine,
            ...backendLine(s),
          ],
        });
      }
      return true;
    }
    case 'gatewayApi': {
      const tlsSecretName = serverTlsSecretName(GATEWAY_NAME);
      const plan: GatewayPlan = {
        ingress,
        host,
        routeNamespaces: namespaces,
        tlsSecretName,
        verifyClients: clientBundle !== undefined,
        address,
        comment: [
          `Gateway of AKS cluster "${aks.id}", generated by Gatewright from design "${design.metadata.name}".`,
          `Class ${GATEWAY_CLASS}: the AKS application routing Gateway API implementation; internal load balancer${address ? ` pinned to ${address}` : ''} through spec.infrastructure.annotations.`,
          ...(passthrough
            ? ['TLS passthrough: the pods terminate TLS and verify client certificates.']
            : [
                `Server certificate: Secret ${GATEWAY_NAMESPACE}/${tlsSecretName} (kubernetes.io/tls), created by you: see k8s/README.md.`,
                'Client certificates: spec.tls.frontend.default.validation (GEP-91), Standard channel since Gateway API v1.5.0',
                '(experimental in v1.3.0 as listeners[].tls.frontendValidation, and in v1.4.0 as spec.tls.frontend).',
              ]),
        ],
      };
      out.note(`Gateway API: Gateway ${GATEWAY_NAMESPACE}/${GATEWAY_NAME} of class ${GATEWAY_CLASS} (enable the application routing Gateway API implementation and the managed Gateway API CRDs, v1.5.0 or later).`);
      if (passthrough) {
        out.warnings.push(`${where}: the AKS application routing Gateway API implementation does not support TLSRoute yet (it needs Istio 1.30); TLS passthrough needs another implementation until then.`);
        if (services.length > 1) {
          out.warnings.push(`${where} passes TLS through for ${services.length} services on one host name: a TLSRoute routes by host name only, so only one of them can be reached.`);
        }
      } else {
        missingServerCertificate(out, where, [GATEWAY_NAMESPACE], 'the Gateway', tlsSecretName);
      }
      if (clientBundle && ingress.verifyDepth > 1) {
        out.note(`verifyDepth ${ingress.verifyDepth}: Gateway API leaves the accepted chain depth to the implementation; the CA bundle holds every CA up to the root.`);
      }
      addNamespace(out, GATEWAY_NAMESPACE);
      if (clientBundle) out.placeCa('ConfigMap', CLIENT_CA_NAME, GATEWAY_NAMESPACE, clientBundle, CLIENT_CA_FILE, caPurpose);
      addGateway(out, plan);
      const backendTrust = ingress.backendProtocol === 'https' ? backendCa(ctx, serverCert?.id, caPems) : undefined;
      if (backendTrust && backendTrust !== 'system' && backendTrust.pem === undefined) {
        out.warnings.push(`${where}: put the CA bundle that verifies the pods' certificates in k8s/${out.folder}/${BACKEND_CA_FILE} before applying (see k8s/README.md).`);
      }
      for (const ns of namespaces) {
        addNamespace(out, ns);
        if (backendTrust && backendTrust !== 'system') {
          out.placeCa('ConfigMap', BACKEND_CA_NAME, ns, backendTrust, BACKEND_CA_FILE, `the CAs that issue the certificates of the pods behind AKS cluster "${aks.id}"`);
        }
      }
      for (const s of services) {
        addRoute(out, s.name, s.namespace, s.service, plan);
        if (backendTrust) addBackendTlsPolicy(out, s.name, s.namespace, s.service, backendTrust === 'system' ? 'system' : 'bundle');
      }
      return true;
    }
  }
}

/**
 * The CAs the Gateway trusts for the pods: the CA that issued the ingress server certificate (the platform's
 * private CA), or the public roots when a public CA issued it. A self-signed or missing server certificate
 * names no CA: the bundle is then empty and the README asks for the CA that issues the pods' certificates.
 */
function backendCa(ctx: DesignIndex, serverCertId: string | undefined, caPems: ReadonlyMap<string, string>): CaBundle | 'system' {
  const cert = serverCertId ? ctx.certificates.get(serverCertId) : undefined;
  if (cert?.issuer === 'external') return 'system';
  if (!cert || cert.issuer === 'self') return { certificates: [], unresolved: [], pem: undefined };
  return buildCaBundle(ctx, [cert.issuer], caPems);
}

/**
 * The CAs NGINX verifies the pods' certificates against, as the Gateway's backendCa: the issuer of the ingress server
 * certificate (the platform's private CA). NGINX has no "system roots" switch for proxy_ssl_trusted_certificate, so a
 * public or unknown issuer leaves the pods unverified, and a warning says so.
 */
function nginxBackendTrust(ctx: DesignIndex, out: ClusterOutput, where: string, serverCertId: string | undefined, caPems: ReadonlyMap<string, string>): CaBundle | undefined {
  const trust = backendCa(ctx, serverCertId, caPems);
  if (trust === 'system' || trust.certificates.length === 0) {
    out.warnings.push(
      `${where} sends HTTPS to its pods (backendProtocol https) without verifying their certificates: the ingress server certificate names no private CA to verify them against; issue it from a ca certificate of the design (the pods' certificates from the same CA).`,
    );
    return undefined;
  }
  if (trust.pem === undefined) {
    out.warnings.push(`${where}: put the CA bundle that verifies the pods' certificates in k8s/${out.folder}/${BACKEND_CA_FILE} before applying (see k8s/README.md).`);
  }
  return trust;
}

/** The server certificate Secret is never generated (it holds a key): say which one to create, and from what. */
function missingServerCertificate(out: ClusterOutput, where: string, namespaces: readonly string[], users: string, secretName = serverTlsSecretName('ingress')): void {
  const aks = out.design.nodes.find((n) => n.id === out.aksId);
  const certId = aks?.type === 'aksCluster' ? aks.properties.ingress.serverCertificate : undefined;
  const cert = certId ? out.design.certificates.find((c) => c.id === certId) : undefined;
  const source = cert
    ? `the server certificate "${cert.id}"${cert.keyVault ? ` (Key Vault "${cert.keyVault}", certificate "${cert.secretName ?? cert.id}")` : ''}`
    : 'the ingress server certificate (the design names none)';
  const secrets = namespaces.map((ns) => `${ns}/${secretName}`).join(', ');
  const ns = namespaces.length === 1 ? namespaces[0] : '<namespace>';
  out.warnings.push(`${where}: create the kubernetes.io/tls Secret ${secrets} from ${source}; Gatewright never writes private keys.`);
  out.step(
    `Create the kubernetes.io/tls Secret ${secrets} (server certificate of ${users}) from ${source}: sync it from Key Vault with a SecretProviderClass of the Secrets Store CSI driver (secretObjects of type kubernetes.io/tls), or run \`kubectl create secret tls ${secretName} -n ${ns} --cert=<file> --key=<file>\`.`,
  );
}
