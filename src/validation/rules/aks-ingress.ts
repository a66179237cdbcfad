/** The AKS ingress and what is behind it: the controller, its annotations, the hop to the pods, images, workload identity and operator access. */
import type { EditOperation } from '../../schemas/operations.js';
import { defineRule, type Rule } from '../rule.js';
import { connectOp, fixOf, freeNodeId } from './data.js';
import { REFERENCE_ARTICLE, NGINX_ANNOTATIONS, setOn, SNIPPET_RISKS } from './aks-support.js';

export const AKS_INGRESS_RULES: Rule[] = [
  defineRule({
    id: 'GW150',
    name: 'ingress-nginx-retired',
    category: 'architecture',
    severity: 'warning',
    title: 'The community ingress-nginx controller is not used',
    rationale:
      'Kubernetes SIG Network and the Security Response Committee retired the community ingress-nginx controller: best-effort maintenance ended in March 2026 and there are no further releases or security fixes. Its README says not to deploy it anew. Use the Gateway API, or the AKS application routing add-on, which Microsoft patches.',
    source: { tool: 'Kubernetes', ref: 'Ingress NGINX Retirement: What You Need to Know', url: 'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.controller !== 'ingressNginx') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" uses the community ingress-nginx controller, retired in March 2026 with no further security fixes; use controller gatewayApi, or appRouting (the AKS-managed NGINX)`,
          ['properties', 'ingress', 'controller'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW151',
    name: 'ingress-no-snippet-annotations',
    category: 'architecture',
    severity: 'error',
    title: 'The ingress has no NGINX snippet annotations',
    rationale:
      'Snippet annotations (configuration-snippet, server-snippet, auth-snippet, stream-snippet, ...) inject raw NGINX configuration. Whoever can write an Ingress can then read the controller service account token and every secret it can see (CVE-2021-25742), run Lua code or read files through alias. The AKS application routing add-on accepts them (its annotation risk level is Critical), so the design must not carry them.',
    source: { tool: 'Checkov', ref: 'CKV_K8S_153', url: NGINX_ANNOTATIONS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        for (const [key, value] of Object.entries(aks.properties.ingress.annotations)) {
          if (!key.toLowerCase().includes('snippet')) continue;
          const risks = SNIPPET_RISKS.filter((r) => r.test.test(value)).map((r) => r.what);
          const detail = risks.length ? `; ${risks.join('; ')}` : '';
          yield ctx.atNode(
            aks,
            `the ingress of "${aks.id}" has the snippet annotation "${key}", which injects raw NGINX configuration (CVE-2021-25742)${detail}; remove it and use a dedicated annotation or policy instead`,
            ['properties', 'ingress', 'annotations', key],
            {
              fix: {
                title: `Remove the annotation ${key}`,
                operations: [{ op: 'unsetProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'annotations', key] }],
              },
            },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW152',
    name: 'ingress-backend-encrypted',
    category: 'architecture',
    severity: 'warning',
    title: 'The ingress re-encrypts traffic to the pods',
    rationale:
      'The reference architecture is encrypted end to end: the ingress controller re-encrypts traffic and sends it over HTTPS to the pods (or passes TLS through). With backendProtocol http the last hop, inside the cluster network, carries requests and tokens in clear text.',
    source: { tool: 'Microsoft Learn', ref: 'Deploy AKS and API Management with mTLS', url: REFERENCE_ARTICLE },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.backendProtocol !== 'http') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" sends traffic to the pods over plain HTTP (backendProtocol: http), so the hop from the ingress to the pods is unencrypted; set backendProtocol: https`,
          ['properties', 'ingress', 'backendProtocol'],
          { fix: { title: 'Re-encrypt to the pods', operations: [setOn(aks, ['properties', 'ingress', 'backendProtocol'], 'https')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW153',
    name: 'ingress-terminates-mtls',
    category: 'architecture',
    severity: 'error',
    title: 'An ingress reached over mTLS terminates TLS so it can verify client certificates',
    rationale:
      'With TLS passthrough the ingress cannot verify client certificates at all: every other annotation is ignored and mTLS would have to end in the pod. (Whether verification is required, verifyClient "on", is GW203.)',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx annotation ssl-passthrough', url: `${NGINX_ANNOTATIONS}#ssl-passthrough` },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const first = ctx.incoming(aks.id, 'mtls')[0];
        if (!first) continue;
        if (aks.properties.ingress.backendProtocol !== 'passthrough') continue;
        const caller = `mtls edge "${first.id}" from "${first.edge.from}"`;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" passes TLS through to the pods (backendProtocol: passthrough), so it cannot verify the client certificate of ${caller}; use backendProtocol: https, or terminate mTLS in the pods`,
          ['properties', 'ingress', 'backendProtocol'],
          { fix: { title: 'Terminate TLS at the ingress and re-encrypt', operations: [setOn(aks, ['properties', 'ingress', 'backendProtocol'], 'https')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW154',
    name: 'aks-trusted-registry',
    category: 'architecture',
    severity: 'warning',
    title: 'The cluster pulls images from a registry of the design',
    rationale:
      'Defender for Cloud recommends deploying container images from trusted registries only. In the reference architecture the cluster pulls its images from a private Container Registry (imagePull edge: AcrPull for the kubelet identity), which Defender scans; without one, workloads come from public registries nobody vets.',
    source: { tool: 'Defender for Cloud', ref: 'Container images should be deployed from trusted registries only' },
    fixable: true,
    *check(ctx) {
      const registries = ctx.nodesOfType('containerRegistry');
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (ctx.outgoing(aks.id, 'imagePull').some((e) => e.to?.type === 'containerRegistry')) continue;
        const only = registries.length === 1 ? registries[0] : undefined;
        const hint = registries.length
          ? `connect an imagePull edge to ${registries.map((r) => `"${r.id}"`).join(' or ')}`
          : 'add a containerRegistry node and connect an imagePull edge to it';
        yield ctx.atNode(aks, `AKS cluster "${aks.id}" pulls images from no container registry of the design; ${hint} so workloads come from a trusted, scanned registry`, [], only
          ? fixOf(`Pull images from "${only.id}"`, connectOp(ctx, aks.id, only.id, 'imagePull'))
          : {});
      }
    },
  }),
  defineRule({
    id: 'GW155',
    name: 'aks-workload-identity',
    category: 'architecture',
    severity: 'error',
    title: 'Workload identity is on where workloads use managed identities',
    rationale:
      'A pod signs in as a user-assigned managed identity through Microsoft Entra Workload ID: the cluster OIDC issuer and a federated credential on the identity. With workload identity off, the identity a privateLink edge names cannot be used by the workload, and it has no credential for SQL Database or Cosmos DB.',
    source: { tool: 'Microsoft Learn', ref: 'Use Microsoft Entra Workload ID with AKS', url: 'https://learn.microsoft.com/azure/aks/workload-identity-overview' },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.workloadIdentity) continue;
        const edge = ctx.outgoing(aks.id, 'privateLink').find((e) => e.edge.properties.identity);
        if (!edge) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has workloadIdentity: false, but privateLink edge "${edge.id}" signs in as managed identity "${edge.edge.properties.identity}", which pods can only use through workload identity; set workloadIdentity: true`,
          ['properties', 'workloadIdentity'],
          { fix: { title: 'Enable workload identity', operations: [setOn(aks, ['properties', 'workloadIdentity'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW156',
    name: 'aks-private-access-path',
    category: 'architecture',
    severity: 'info',
    title: 'Operators reach a private cluster through Bastion',
    rationale:
      'A private API server is reachable only from its virtual network. The reference architecture gives operators a jump host behind Azure Bastion (a remoteAccess edge to the cluster or its virtual network); without one, only az aks command invoke remains.',
    source: { tool: 'Microsoft Learn', ref: 'Options for connecting to the private cluster', url: 'https://learn.microsoft.com/azure/aks/private-clusters#options-for-connecting-to-the-private-cluster' },
    fixable: true,
    *check(ctx) {
      const bastions = ctx.nodesOfType('bastion');
      const toNetwork = ctx.edgesOfType('remoteAccess').some((e) => e.from?.type === 'bastion' && e.to?.type === 'virtualNetwork');
      if (toNetwork) return;
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (!aks.properties.privateCluster) continue;
        if (ctx.incoming(aks.id, 'remoteAccess').some((e) => e.from?.type === 'bastion')) continue;
        let operations: EditOperation[] = [];
        if (bastions.length === 1) {
          operations = connectOp(ctx, bastions[0]!.id, aks.id, 'remoteAccess');
        } else if (bastions.length === 0) {
          const id = freeNodeId(ctx, 'bastion');
          operations = [
            { op: 'addNode', node: { id, type: 'bastion' } },
            ...connectOp(ctx, id, aks.id, 'remoteAccess'),
          ];
        }
        const hint = bastions.length
          ? `connect a remoteAccess edge from ${bastions.map((b) => `"${b.id}"`).join(' or ')}`
          : 'add a bastion node with a remoteAccess edge to it';
        yield ctx.atNode(aks, `private AKS cluster "${aks.id}" has no operator access path: no Bastion reaches it or its virtual network; ${hint}`, ['properties', 'privateCluster'], fixOf(`Reach "${aks.id}" through Bastion`, operations));
      }
    },
  }),
  defineRule({
    id: 'GW157',
    name: 'app-routing-nginx-support-ending',
    category: 'architecture',
    severity: 'info',
    title: 'Plan the move from the app routing add-on\'s NGINX to the Gateway API',
    rationale:
      'After the community ingress-nginx retirement, AKS gives the application routing add-on\'s NGINX critical security patches only until November 2026, and recommends the app routing Gateway API implementation (Istio-based) or Application Gateway for Containers. The design can switch with ingress controller gatewayApi; the generated manifests then use Gateway API frontend client-certificate validation.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'AKS: ingress-nginx retirement and the application routing add-on',
      url: 'https://learn.microsoft.com/azure/aks/app-routing',
    },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.controller !== 'appRouting') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" uses the app routing add-on's NGINX, which gets critical security patches only until November 2026; plan the move to controller gatewayApi`,
          ['properties', 'ingress', 'controller'],
          { fix: { title: 'Use the Gateway API', operations: [setOn(aks, ['properties', 'ingress', 'controller'], 'gatewayApi')] } },
        );
      }
    },
  }),
];
