/**
 * The ingress of the AKS cluster as the manifests declare it for one host name: an Ingress (NGINX, through the
 * application routing add-on or ingress-nginx, https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/)
 * or a Gateway API Gateway with its HTTPRoutes and BackendTLSPolicies (https://gateway-api.sigs.k8s.io/reference/spec/).
 */
import type { TraceContext } from '../context.js';
import { annotations, type K8sObject } from '../kubernetes.js';
import { getIn } from '../locate.js';
import type { Evidence } from '../types.js';

export const NGINX = 'nginx.ingress.kubernetes.io';
export const LB_IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

export type IngressFront =
  | { readonly kind: 'ingress'; readonly object: K8sObject; readonly ruleIndex: number }
  | { readonly kind: 'gateway'; readonly object: K8sObject; readonly listenerIndex: number; readonly routes: readonly K8sObject[] };

export function ingressFor(ctx: TraceContext, host: string | undefined): IngressFront | undefined {
  if (!host) return undefined;
  const h = host.toLowerCase();
  for (const o of ctx.k8s.ofKind('Ingress')) {
    const rules = (getIn(o.data, ['spec', 'rules']) as unknown[] | undefined) ?? [];
    const ruleIndex = rules.findIndex((r) => String((r as { host?: unknown }).host ?? '').toLowerCase() === h);
    if (ruleIndex >= 0) return { kind: 'ingress', object: o, ruleIndex };
  }
  for (const o of ctx.k8s.ofKind('Gateway')) {
    const listeners = (getIn(o.data, ['spec', 'listeners']) as unknown[] | undefined) ?? [];
    const listenerIndex = listeners.findIndex((l) => String((l as { hostname?: unknown }).hostname ?? '').toLowerCase() === h);
    if (listenerIndex < 0) continue;
    const routes = ctx.k8s.ofKind('HTTPRoute').filter((r) => {
      const parents = (getIn(r.data, ['spec', 'parentRefs']) as unknown[] | undefined) ?? [];
      const hostnames = ((getIn(r.data, ['spec', 'hostnames']) as unknown[] | undefined) ?? []).map((x) => String(x).toLowerCase());
      return parents.some((p) => (p as { name?: unknown }).name === o.name && ((p as { namespace?: unknown }).namespace ?? r.namespace) === o.namespace) && (hostnames.length === 0 || hostnames.includes(h));
    });
    return { kind: 'gateway', object: o, listenerIndex, routes };
  }
  return undefined;
}

/** The private address the manifests pin the ingress's internal load balancer to, if they do. */
export function pinnedAddress(ctx: TraceContext, front: IngressFront): { address: string; evidence: Evidence } | undefined {
  if (front.kind === 'gateway') {
    const o = front.object;
    const addresses = (getIn(o.data, ['spec', 'addresses']) as unknown[] | undefined) ?? [];
    const i = addresses.findIndex((a) => typeof (a as { value?: unknown }).value === 'string');
    if (i >= 0) return { address: String((addresses[i] as { value: string }).value), evidence: ctx.k8s.evidence(o, ['spec', 'addresses', i, 'value']) };
    const ann = getIn(o.data, ['spec', 'infrastructure', 'annotations', LB_IPV4]);
    if (typeof ann === 'string') return { address: ann, evidence: ctx.k8s.evidence(o, ['spec', 'infrastructure', 'annotations', LB_IPV4]) };
    return undefined;
  }
  // The application routing add-on's NginxIngressController, or the controller's own Service.
  const className = getIn(front.object.data, ['spec', 'ingressClassName']);
  for (const c of ctx.k8s.ofKind('NginxIngressController')) {
    if (getIn(c.data, ['spec', 'ingressClassName']) !== className) continue;
    const ann = getIn(c.data, ['spec', 'loadBalancerAnnotations', LB_IPV4]);
    if (typeof ann === 'string') return { address: ann, evidence: ctx.k8s.evidence(c, ['spec', 'loadBalancerAnnotations', LB_IPV4]) };
  }
  for (const s of ctx.k8s.ofKind('Service')) {
    if (getIn(s.data, ['spec', 'type']) !== 'LoadBalancer') continue;
    const ann = annotations(s)[LB_IPV4];
    if (ann) return { address: ann, evidence: ctx.k8s.evidence(s, ['metadata', 'annotations', LB_IPV4]) };
    const ip = getIn(s.data, ['spec', 'loadBalancerIP']);
    if (typeof ip === 'string') return { address: ip, evidence: ctx.k8s.evidence(s, ['spec', 'loadBalancerIP']) };
  }
  return undefined;
}
