/**
 * The controller Service of the community ingress-nginx, made internal and pinned to the ingress address of the
 * subnet plan (learn.microsoft.com/azure/aks/internal-lb: service.beta.kubernetes.io/azure-load-balancer-internal and
 * service.beta.kubernetes.io/azure-load-balancer-ipv4). The controller itself is installed by the user (Helm release
 * `ingress-nginx` in namespace `ingress-nginx`, the names of its installation guide,
 * kubernetes.github.io/ingress-nginx/deploy/); this Service has the chart's name, selector and ports, so applying it
 * sets the annotations and the type of the Service the chart made (kubectl apply merges into the live object).
 */
import { internalLoadBalancerAnnotations } from './app-routing.js';
import type { ClusterOutput } from './cluster.js';
import { addNamespace } from './namespace.js';

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_SERVICE = 'ingress-nginx-controller';

export function addIngressNginxService(out: ClusterOutput, address: string | undefined): void {
  addNamespace(out, INGRESS_NGINX_NAMESPACE);
  out.add(
    `${INGRESS_NGINX_NAMESPACE}/${INGRESS_NGINX_SERVICE}.yaml`,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: out.meta(INGRESS_NGINX_SERVICE, INGRESS_NGINX_NAMESPACE, internalLoadBalancerAnnotations(address)),
      spec: {
        type: 'LoadBalancer',
        selector: {
          'app.kubernetes.io/component': 'controller',
          'app.kubernetes.io/instance': 'ingress-nginx',
          'app.kubernetes.io/name': 'ingress-nginx',
        },
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
        ],
      },
    },
    [
      `Controller Service of the community ingress-nginx on AKS cluster "${out.aksId}" (install the controller first: Helm release`,
      'ingress-nginx in namespace ingress-nginx). Internal load balancer'
        + (address ? `, pinned to ${address}: the address the private DNS record of the ingress host points at.` : '.'),
    ],
  );
}
