/**
 * The AKS application routing add-on (managed NGINX). Which controller serves the Ingresses:
 *
 * - TLS terminated at the ingress (backendProtocol https or http): the add-on's default controller, class
 *   `webapprouting.kubernetes.azure.com`. It is made internal by the cluster's Bicep
 *   (`ingressProfile.webAppRouting.nginx.defaultIngressControllerType: 'Internal'`); AKS then overrides any
 *   annotation that would make its load balancer public, a stronger guarantee than an annotation here.
 * - TLS passthrough: the default controller does not run with --enable-ssl-passthrough, so a dedicated
 *   NginxIngressController (approuting.kubernetes.azure.com/v1alpha1, cluster-scoped) with
 *   `enableSSLPassthrough: true` and an internal load balancer serves them, HTTP disabled.
 */
import type { ClusterOutput } from './cluster.js';
import { PASSTHROUGH_CONTROLLER } from './names.js';

export const APP_ROUTING_CLASS = 'webapprouting.kubernetes.azure.com';
export const INTERNAL_LB_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

export function addPassthroughController(out: ClusterOutput): string {
  out.add(
    `${PASSTHROUGH_CONTROLLER}.yaml`,
    {
      apiVersion: 'approuting.kubernetes.azure.com/v1alpha1',
      kind: 'NginxIngressController',
      metadata: out.meta(PASSTHROUGH_CONTROLLER),
      spec: {
        ingressClassName: PASSTHROUGH_CONTROLLER,
        controllerNamePrefix: PASSTHROUGH_CONTROLLER,
        enableSSLPassthrough: true,
        httpDisabled: true,
        loadBalancerAnnotations: { [INTERNAL_LB_ANNOTATION]: 'true' },
      },
    },
    [
      `Dedicated internal NGINX controller of the AKS application routing add-on for AKS cluster "${out.aksId}".`,
      'The add-on default controller (class webapprouting.kubernetes.azure.com, made internal by the Bicep with',
      "defaultIngressControllerType: 'Internal') cannot pass TLS through; this one can, behind an internal load balancer.",
    ],
  );
  return PASSTHROUGH_CONTROLLER;
}
