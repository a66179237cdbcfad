/**
 * The AKS application routing add-on (managed NGINX). Which controller serves the Ingresses:
 *
 * - The add-on's default controller (class `webapprouting.kubernetes.azure.com`) stays internal through the
 *   cluster's Bicep (`ingressProfile.webAppRouting.nginx.defaultIngressControllerType: 'Internal'`), but its load
 *   balancer takes whatever address it gets, so the Ingresses do not use it.
 * - The Ingresses are served by a dedicated NginxIngressController (approuting.kubernetes.azure.com/v1alpha1,
 *   cluster-scoped) whose internal load balancer is pinned to the ingress address of the subnet plan
 *   (../azure/network/ingress-address.ts), HTTP disabled; with TLS passthrough it also runs with
 *   `enableSSLPassthrough: true` (the default controller does not).
 */
import type { ClusterOutput } from './cluster.js';
import { INTERNAL_CONTROLLER, PASSTHROUGH_CONTROLLER } from './names.js';

export const APP_ROUTING_CLASS = 'webapprouting.kubernetes.azure.com';
export const INTERNAL_LB_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

/** Azure's annotation that pins a LoadBalancer Service to a private address (learn.microsoft.com/azure/aks/internal-lb#specify-an-ip-address). */
export const LB_IPV4_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

/** The annotations of an internal load balancer, pinned to `address` when there is one. */
export function internalLoadBalancerAnnotations(address: string | undefined): Record<string, string> {
  return { [INTERNAL_LB_ANNOTATION]: 'true', ...(address ? { [LB_IPV4_ANNOTATION]: address } : {}) };
}

/**
 * The dedicated internal controller the Ingresses use: its load balancer is pinned to the address the private DNS
 * record of the ingress host points at (NginxIngressController spec.loadBalancerAnnotations,
 * learn.microsoft.com/azure/aks/app-routing-nginx-configuration), which the add-on's default controller cannot be.
 * With TLS passthrough it also runs with --enable-ssl-passthrough.
 */
export function addInternalController(out: ClusterOutput, passthrough: boolean, address: string | undefined): string {
  const name = passthrough ? PASSTHROUGH_CONTROLLER : INTERNAL_CONTROLLER;
  out.add(
    `${name}.yaml`,
    {
      apiVersion: 'approuting.kubernetes.azure.com/v1alpha1',
      kind: 'NginxIngressController',
      metadata: out.meta(name),
      spec: {
        ingressClassName: name,
        controllerNamePrefix: name,
        ...(passthrough ? { enableSSLPassthrough: true } : {}),
        httpDisabled: true,
        loadBalancerAnnotations: internalLoadBalancerAnnotations(address),
      },
    },
    [
      `Dedicated internal NGINX controller of the AKS application routing add-on for AKS cluster "${out.aksId}",`,
      address
        ? `behind an internal load balancer pinned to ${address}, the address the private DNS record of the ingress host points at.`
        : 'behind an internal load balancer.',
      ...(passthrough ? ['It passes TLS through to the pods, which the add-on default controller cannot do.'] : []),
    ],
  );
  return name;
}
