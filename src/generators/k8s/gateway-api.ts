/**
 * Gateway API resources (gateway.networking.k8s.io/v1) for the `gatewayApi` controller, as served by the AKS
 * application routing Gateway API implementation (GatewayClass `approuting-istio`).
 *
 * Client certificates are verified with frontend TLS validation, `spec.tls.frontend.default.validation`
 * (GEP-91): experimental as `listeners[].tls.frontendValidation` in Gateway API v1.3.0, moved to
 * `spec.tls.frontend` (experimental) in v1.4.0, and in the Standard channel since v1.5.0. Its Core form is
 * one ConfigMap reference with the bundle under `ca.crt`; the verify depth is implementation-specific.
 * BackendTLSPolicy is in the Standard channel since v1.4.0; TLSRoute since v1.5.0.
 */
import type { z } from 'zod';
import type { IngressSchema, ServiceSchema } from '../../schemas/design.js';
import type { ClusterOutput } from './cluster.js';
import { BACKEND_CA_NAME, CLIENT_CA_NAME, GATEWAY_LISTENER, GATEWAY_NAME, GATEWAY_NAMESPACE } from './names.js';
import { internalLoadBalancerAnnotations } from './app-routing.js';

type Ingress = z.infer<typeof IngressSchema>;
type Service = z.infer<typeof ServiceSchema>;

export const GATEWAY_CLASS = 'approuting-istio';
const GROUP = 'gateway.networking.k8s.io';

export interface GatewayPlan {
  readonly ingress: Ingress;
  readonly host: string | undefined;
  /** Namespaces whose routes may attach. */
  readonly routeNamespaces: readonly string[];
  /** The server certificate Secret in the Gateway namespace (terminate mode). */
  readonly tlsSecretName: string;
  /** Whether the client CA ConfigMap exists (client certificates are verified). */
  readonly verifyClients: boolean;
  /** The private address the Gateway's internal load balancer is pinned to (../azure/network/ingress-address.ts). */
  readonly address: string | undefined;
  readonly comment: readonly string[];
}

/** Frontend validation mode for the design's verifyClient ("off" never gets here). */
function validationMode(verifyClient: Ingress['verifyClient']): string {
  return verifyClient === 'on' ? 'AllowValidOnly' : 'AllowInsecureFallback';
}

export function addGateway(out: ClusterOutput, plan: GatewayPlan): void {
  const passthrough = plan.ingress.backendProtocol === 'passthrough';
  const listener: Record<string, unknown> = {
    name: GATEWAY_LISTENER,
    ...(plan.host ? { hostname: plan.host } : {}),
    port: 443,
    protocol: passthrough ? 'TLS' : 'HTTPS',
    tls: passthrough
      ? { mode: 'Passthrough' }
      : { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: plan.tlsSecretName }] },
    allowedRoutes: {
      namespaces: {
        from: 'Selector',
        selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...plan.routeNamespaces] }] },
      },
      kinds: [{ group: GROUP, kind: passthrough ? 'TLSRoute' : 'HTTPRoute' }],
    },
  };
  const spec: Record<string, unknown> = {
    gatewayClassName: GATEWAY_CLASS,
    infrastructure: { annotations: internalLoadBalancerAnnotations(plan.address) },
    listeners: [listener],
  };
  if (!passthrough && plan.verifyClients) {
    spec.tls = {
      frontend: {
        default: {
          validation: {
            caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: CLIENT_CA_NAME }],
            mode: validationMode(plan.ingress.verifyClient),
          },
        },
      },
    };
  }
  out.add(
    `${GATEWAY_NAMESPACE}/gateway.yaml`,
    { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: out.meta(GATEWAY_NAME, GATEWAY_NAMESPACE), spec },
    plan.comment,
  );
}

function parentRef(): Record<string, unknown> {
  return { group: GROUP, kind: 'Gateway', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, sectionName: GATEWAY_LISTENER };
}

export function addRoute(out: ClusterOutput, name: string, namespace: string, service: Service, plan: GatewayPlan): void {
  const backendRefs = [{ group: '', kind: 'Service', name: service.name, port: service.port }];
  const hostnames = plan.host ? { hostnames: [plan.host] } : {};
  if (plan.ingress.backendProtocol === 'passthrough') {
    out.add(
      `${namespace}/${name}-tlsroute.yaml`,
      {
        apiVersion: `${GROUP}/v1`,
        kind: 'TLSRoute',
        metadata: out.meta(name, namespace),
        spec: { parentRefs: [parentRef()], ...hostnames, rules: [{ backendRefs }] },
      },
      [`TLS passthrough (by SNI) to service "${service.name}": the pods terminate TLS and must verify client certificates themselves.`],
    );
    return;
  }
  out.add(
    `${namespace}/${name}-httproute.yaml`,
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'HTTPRoute',
      metadata: out.meta(name, namespace),
      spec: {
        parentRefs: [parentRef()],
        ...hostnames,
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: service.path } }], backendRefs }],
      },
    },
    [`Route from Gateway ${GATEWAY_NAMESPACE}/${GATEWAY_NAME} to service "${service.name}".`],
  );
}

/** The name the Gateway verifies on a pod's certificate (and sends as SNI): the service's cluster DNS name. */
export function backendHostname(service: Service, namespace: string): string {
  return `${service.name}.${namespace}.svc`;
}

/** TLS from the Gateway to the pods, verifying their certificates (without it the Gateway speaks plain HTTP to them). */
export function addBackendTlsPolicy(
  out: ClusterOutput,
  name: string,
  namespace: string,
  service: Service,
  trust: 'bundle' | 'system',
): void {
  const validation =
    trust === 'bundle'
      ? { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: BACKEND_CA_NAME }], hostname: backendHostname(service, namespace) }
      : { wellKnownCACertificates: 'System', hostname: backendHostname(service, namespace) };
  out.add(
    `${namespace}/${name}-backendtlspolicy.yaml`,
    {
      apiVersion: `${GROUP}/v1`,
      kind: 'BackendTLSPolicy',
      metadata: out.meta(name, namespace),
      spec: { targetRefs: [{ group: '', kind: 'Service', name: service.name }], validation },
    },
    [
      `HTTPS from the Gateway to service "${service.name}" (backendProtocol https, Gateway API v1.4.0+ Standard channel).`,
      `The pods must serve a certificate for ${backendHostname(service, namespace)} that ${trust === 'bundle' ? `ConfigMap ${namespace}/${BACKEND_CA_NAME} (ca.crt) anchors` : 'a public CA issued'}.`,
    ],
  );
}
