/**
 * Hop 5, the ingress to the workload's Service: the rule for the host and path, the protocol to the pods (HTTPS when
 * the design says the backend speaks it) and, where the manifests ask for it, verification of the pods' certificate.
 * https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
 * https://gateway-api.sigs.k8s.io/api-types/backendtlspolicy/
 */
import { check, type TraceContext } from '../context.js';
import { annotations } from '../kubernetes.js';
import { caBundleOf } from './apim-ingress.js';
import { getIn } from '../locate.js';
import type { Check } from '../types.js';
import { NGINX, type IngressFront } from './ingress.js';

export function ingressServiceChecks(ctx: TraceContext, front: IngressFront, host: string): { checks: Check[]; services: string[] } {
  const checks: Check[] = [];
  const services: string[] = [];
  const aks = ctx.node('aksCluster', (n) => n.properties.ingress.hostName === host);
  const intended = aks?.properties.ingress.backendProtocol ?? 'https';
  const unlisted = [front.object, ...(front.kind === 'gateway' ? front.routes : [])].find((o) => !ctx.k8s.applied(o.file.path));
  if (unlisted) {
    checks.push(
      check('ingress-service.route', 'A rule routes the host to the service', 'fail', `${unlisted.kind} ${unlisted.namespace ?? 'default'}/${unlisted.name} is in ${unlisted.file.path}, which no kustomization lists: kubectl apply -k never creates it, and ${host} gets no route.`, [ctx.k8s.evidence(unlisted, ['metadata', 'name'])], {
        fix: 'Generate again: every manifest must be listed in its cluster folder\'s kustomization.yaml.',
      }),
    );
    return { checks, services };
  }
  if (front.kind === 'ingress') {
    const o = front.object;
    const base = ['spec', 'rules', front.ruleIndex, 'http', 'paths'];
    const paths = (getIn(o.data, base) as unknown[] | undefined) ?? [];
    const i = paths.findIndex((p) => String((p as { path?: unknown }).path ?? '/') === '/' || (p as { pathType?: unknown }).pathType === 'Prefix');
    const svc = i >= 0 ? (getIn(paths[i], ['backend', 'service']) as { name?: unknown; port?: { number?: unknown; name?: unknown } } | undefined) : undefined;
    if (!svc || typeof svc.name !== 'string') {
      checks.push(check('ingress-service.route', 'A rule routes the host to the service', 'fail', `The Ingress ${o.namespace}/${o.name} has no path for ${host} with a service backend: NGINX answers 404.`, [ctx.k8s.evidence(o, ['spec', 'rules', front.ruleIndex])], { fix: 'Add a service to the aksCluster node.' }));
    } else {
      const where = `${o.namespace ?? 'default'}/${svc.name}:${String(svc.port?.number ?? svc.port?.name ?? '')}`;
      services.push(where);
      const pathText = String((paths[i] as { path?: unknown }).path ?? '/');
      checks.push(check('ingress-service.route', 'A rule routes the host to the service', 'pass', `Ingress ${o.namespace}/${o.name} routes https://${host}${pathText} (${String((paths[i] as { pathType?: unknown }).pathType ?? 'ImplementationSpecific')}) to service ${where}.`, [ctx.k8s.evidence(o, ['spec', 'rules', front.ruleIndex, 'host']), ctx.k8s.evidence(o, [...base, i, 'backend', 'service', 'name'])]));
    }
    const a = annotations(o);
    const proto = (a[`${NGINX}/backend-protocol`] ?? 'HTTP').toUpperCase();
    const protoEv = ctx.k8s.evidence(o, ['metadata', 'annotations', `${NGINX}/backend-protocol`], a[`${NGINX}/backend-protocol`] ?? '(absent: HTTP)');
    const want = intended === 'https' ? 'HTTPS' : intended === 'http' ? 'HTTP' : undefined;
    if (want && proto !== want) {
      checks.push(check('ingress-service.protocol', 'Protocol to the pods', 'fail', `NGINX speaks ${proto} to the pods, but the design says they serve ${want}: requests fail with 502 (or go unencrypted).`, [protoEv], { fix: `Set backendProtocol on the aksCluster ingress to what the pods serve.` }));
    } else {
      checks.push(check('ingress-service.protocol', 'Protocol to the pods', 'pass', `NGINX speaks ${proto} to the pods, as the design says they serve.`, [protoEv]));
    }
    const verify = a[`${NGINX}/proxy-ssl-verify`];
    if (proto === 'HTTPS') {
      if (verify === 'on') {
        const secret = a[`${NGINX}/proxy-ssl-secret`];
        checks.push(caDataCheck(ctx, 'Secret', secret, o.namespace, ctx.k8s.evidence(o, ['metadata', 'annotations', `${NGINX}/proxy-ssl-secret`])));
      } else {
        checks.push(check('ingress-service.pod-certificate', 'The pods\' certificate', 'pass', 'Traffic to the pods is encrypted; the design does not ask NGINX to verify their certificate (proxy-ssl-verify is off).', [ctx.k8s.evidence(o, ['metadata', 'annotations', `${NGINX}/proxy-ssl-verify`], verify ?? '(absent: off)')]));
      }
    }
    return { checks, services };
  }

  // Gateway API.
  const g = front.object;
  const route = front.routes[0];
  if (!route) {
    checks.push(check('ingress-service.route', 'A rule routes the host to the service', 'fail', `No HTTPRoute attaches to Gateway ${g.namespace}/${g.name} for ${host}: the Gateway answers 404.`, [ctx.k8s.evidence(g, ['spec', 'listeners', front.listenerIndex, 'hostname'])], { fix: 'Add a service to the aksCluster node.' }));
    return { checks, services };
  }
  const ref = getIn(route.data, ['spec', 'rules', 0, 'backendRefs', 0]) as { name?: unknown; port?: unknown; namespace?: unknown } | undefined;
  const ns = typeof ref?.namespace === 'string' ? ref.namespace : route.namespace;
  if (!ref || typeof ref.name !== 'string') {
    checks.push(check('ingress-service.route', 'A rule routes the host to the service', 'fail', `HTTPRoute ${route.namespace}/${route.name} has no backend: the Gateway answers 500.`, [ctx.k8s.evidence(route, ['spec', 'rules'])], { fix: 'Add a service to the aksCluster node.' }));
    return { checks, services };
  }
  const where = `${ns ?? 'default'}/${ref.name}:${String(ref.port ?? '')}`;
  services.push(where);
  checks.push(check('ingress-service.route', 'A rule routes the host to the service', 'pass', `HTTPRoute ${route.namespace}/${route.name} attaches to Gateway ${g.namespace}/${g.name} for ${host} and routes to service ${where}.`, [ctx.k8s.evidence(route, ['spec', 'hostnames']), ctx.k8s.evidence(route, ['spec', 'rules', 0, 'backendRefs', 0, 'name'])]));
  const policy = ctx.k8s.ofKind('BackendTLSPolicy').find((p) => p.namespace === ns && ((getIn(p.data, ['spec', 'targetRefs']) as unknown[] | undefined) ?? []).some((t) => (t as { name?: unknown; kind?: unknown }).name === ref.name && (t as { kind?: unknown }).kind === 'Service'));
  const proto = policy ? 'HTTPS' : 'HTTP';
  const want = intended === 'https' ? 'HTTPS' : intended === 'http' ? 'HTTP' : undefined;
  const protoEv = policy ? ctx.k8s.evidence(policy, ['spec', 'targetRefs']) : ctx.k8s.evidence(route, ['spec', 'rules', 0, 'backendRefs', 0], 'no BackendTLSPolicy: HTTP');
  checks.push(
    want && proto !== want
      ? check('ingress-service.protocol', 'Protocol to the pods', 'fail', `The Gateway speaks ${proto} to service ${where}, but the design says the pods serve ${want}.`, [protoEv], { fix: 'Set backendProtocol on the aksCluster ingress to what the pods serve.' })
      : check('ingress-service.protocol', 'Protocol to the pods', 'pass', `The Gateway speaks ${proto} to service ${where}${policy ? ` (BackendTLSPolicy ${policy.namespace}/${policy.name})` : ''}.`, [protoEv]),
  );
  if (policy) {
    const caRef = getIn(policy.data, ['spec', 'validation', 'caCertificateRefs', 0]) as { kind?: unknown; name?: unknown } | undefined;
    const wellKnown = getIn(policy.data, ['spec', 'validation', 'wellKnownCACertificates']);
    const hostname = getIn(policy.data, ['spec', 'validation', 'hostname']);
    if (wellKnown === 'System') {
      checks.push(check('ingress-service.pod-certificate', 'The pods\' certificate', 'pass', `The Gateway verifies the pods' certificate for ${String(hostname)} against the system's public CAs.`, [ctx.k8s.evidence(policy, ['spec', 'validation'])]));
    } else {
      checks.push(caDataCheck(ctx, caRef?.kind === 'Secret' ? 'Secret' : 'ConfigMap', typeof caRef?.name === 'string' ? caRef.name : undefined, policy.namespace, ctx.k8s.evidence(policy, ['spec', 'validation', 'caCertificateRefs', 0, 'name']), hostname));
    }
  }
  return { checks, services };
}

/** The CA bundle that verifies the pods' certificates exists, and its file is filled. */
function caDataCheck(ctx: TraceContext, kind: 'Secret' | 'ConfigMap', ref: string | undefined, namespace: string | undefined, ev: ReturnType<TraceContext['k8s']['evidence']>, hostname?: unknown): Check {
  const [ns, name] = ref?.includes('/') ? ref.split('/', 2) : [namespace, ref];
  const title = 'The pods\' certificate';
  const data = name ? ctx.k8s.findData(kind, ns, name) : undefined;
  if (!name || !data) return check('ingress-service.pod-certificate', title, 'fail', `The pods' certificate is verified against ${kind} ${ns}/${name ?? '(none)'}, which no manifest or kustomization creates.`, [ev], { fix: 'Generate again: the bundle is generated with the ingress.' });
  const bundle = caBundleOf(ctx, data);
  const what = hostname ? ` for ${String(hostname)}` : '';
  if (bundle.kind === 'missing-key') {
    return check('ingress-service.pod-certificate', title, 'fail', `${kind} ${ns}/${name} has no key ca.crt: the pods' certificate cannot be verified.`, [ev, bundle.evidence], { fix: 'Generate again: the bundle must be under the key ca.crt.' });
  }
  if (bundle.kind === 'file-to-fill') {
    return check('ingress-service.pod-certificate', title, 'unknown-until-deployed', `The pods' certificate${what} is verified against ca.crt of ${kind} ${ns}/${name}, read from ${bundle.file}, which the generated files do not hold.`, [ev, bundle.evidence], { dependsOn: `${bundle.file} holding the CA that issues the pods' certificates` });
  }
  const { ids } = ctx.certs.casOfPem(bundle.pem);
  return check('ingress-service.pod-certificate', title, 'pass', `The pods' certificate${what} is verified against ca.crt of ${kind} ${ns}/${name}${ids.length ? ` (CA "${ids.join('", "')}")` : ''}.`, [ev, bundle.evidence]);
}
