/**
 * Hop 3, inside API Management: the API's path on the gateway, what a caller must present (a subscription key when
 * the API requires a subscription; a bearer token when a policy validates one) and the backend the request is sent
 * to. https://learn.microsoft.com/azure/api-management/api-management-subscriptions
 * https://learn.microsoft.com/azure/api-management/validate-jwt-policy
 * https://learn.microsoft.com/azure/api-management/set-backend-service-policy
 */
import { lastSegment, type ArmResource } from '../arm.js';
import { check, type TraceContext } from '../context.js';
import { getIn } from '../locate.js';
import type { ApiPath } from '../model.js';
import type { Check, Evidence } from '../types.js';

export interface Backend {
  readonly url: string | undefined;
  readonly host: string | undefined;
  readonly evidence: Evidence;
  /** The backends resource, when the policy or API names one. */
  readonly resource: ArmResource | undefined;
}

export interface Policy {
  readonly xml: string;
  readonly resource: ArmResource;
}

export function apiPolicy(ctx: TraceContext, path: ApiPath): Policy | undefined {
  const r = ctx.children('Microsoft.ApiManagement/service/apis/policies', path.api.name)[0];
  const xml = r ? getIn(r.body, ['properties', 'value']) : undefined;
  return r && typeof xml === 'string' ? { xml, resource: r } : undefined;
}

function serviceWidePolicies(ctx: TraceContext, path: ApiPath): Policy[] {
  return ctx.children('Microsoft.ApiManagement/service/policies', path.apim.name).flatMap((r) => {
    const xml = getIn(r.body, ['properties', 'value']);
    return typeof xml === 'string' ? [{ xml, resource: r }] : [];
  });
}

/** The request a caller makes and the API's resource. */
export function apimChecks(ctx: TraceContext, path: ApiPath, publicHost: string | undefined): { checks: Check[]; backend: Backend } {
  const api = path.api;
  const props = (api.body.properties ?? {}) as Record<string, unknown>;
  const checks: Check[] = [];
  const apiPath = typeof props.path === 'string' ? props.path : '';
  const protocols = Array.isArray(props.protocols) ? props.protocols.map(String) : ['https'];
  const pathEv = ctx.arm.evidence(api, ['properties', 'path']);
  const protoEv = ctx.arm.evidence(api, ['properties', 'protocols']);
  const url = `https://${publicHost ?? path.apim.proxy?.host ?? `${path.apim.name}.azure-api.net`}/${apiPath}`;
  checks.push(
    protocols.includes('https')
      ? check('apim.api', 'API path served over HTTPS', 'pass', `API "${path.name}" answers ${url} (protocols ${protocols.join(', ')}) on every host name of the gateway, ${path.apim.hosts.join(' and ')}.`, [pathEv, protoEv])
      : check('apim.api', 'API path served over HTTPS', 'fail', `API "${path.name}" accepts ${protocols.join(', ') || 'no protocol'}, not https: Application Gateway's HTTPS requests get 404.`, [pathEv, protoEv], { fix: 'Generate again: the API must accept https.' }),
  );

  // What the caller must present.
  const policy = apiPolicy(ctx, path);
  const global = serviceWidePolicies(ctx, path);
  const subscription = props.subscriptionRequired !== false;
  const header = String(getIn(props, ['subscriptionKeyParameterNames', 'header']) ?? 'Ocp-Apim-Subscription-Key');
  const subEv = ctx.arm.evidence(api, ['properties', 'subscriptionRequired'], String(subscription));
  const token = [policy, ...global].flatMap((p) => (p ? tokenValidation(ctx, p) : []))[0];
  const designApi = designApiOf(ctx, path);
  const expected = designApi?.audience;
  const needs = [subscription ? `a subscription key in header ${header}` : undefined, token ? `a bearer token in ${token.header}${token.audiences.length ? ` for audience ${token.audiences.join(' or ')}` : ''}` : undefined].filter(Boolean).join(' and ');
  if (!token) {
    checks.push(
      check('apim.caller', 'What a caller must present', 'fail', `No policy validates a token for API "${path.name}": ${subscription ? `a subscription key (header ${header}) is all a caller needs, and a key identifies a caller without authenticating it` : 'any caller gets through'}.`, [subEv, policy ? ctx.policyEvidence(policy.xml, '<inbound>', ctx.arm.evidence(policy.resource, ['properties', 'value']), 'inbound policy without validate-jwt') : ctx.arm.evidence(api, ['name'])], {
        fix: 'Connect the apiManagement node to an entraId node with a tokenValidation edge (and set the audience).',
      }),
    );
  } else if (expected && !token.audiences.includes(expected)) {
    checks.push(
      check('apim.caller', 'What a caller must present', 'fail', `The token policy accepts audience ${token.audiences.join(', ') || '(any)'}, but the design expects ${expected}: callers with the right token get 401.`, [subEv, token.evidence], {
        fix: `Set the audience of API "${path.name}" (or of the entraId node) to the one the callers' tokens carry.`,
      }),
    );
  } else {
    checks.push(check('apim.caller', 'What a caller must present', 'pass', `A caller must present ${needs}; otherwise API Management answers ${token.status}.`, [subEv, token.evidence]));
  }

  // Backend.
  const backend = backendOf(ctx, path, policy);
  const hosts = ingressHosts(ctx);
  const bad: string[] = [];
  if (!backend.url) bad.push('no backend URL is set');
  else if (!backend.url.startsWith('https://')) bad.push(`the backend URL ${backend.url} is not HTTPS`);
  if (backend.host && !hosts.has(backend.host.toLowerCase())) bad.push(`no ingress in the Kubernetes manifests serves ${backend.host} (they serve ${[...hosts].join(', ') || 'no host name'})`);
  checks.push(
    bad.length
      ? check('apim.backend', 'Backend URL is the ingress', 'fail', `${bad.join('; ')}: requests fail with 5xx at API Management.`, [backend.evidence], { fix: 'Set the ingress hostName of the aksCluster node, and connect API Management to it with an mtls edge.' })
      : check('apim.backend', 'Backend URL is the ingress', 'pass', `API Management forwards to ${backend.url}, a host the ingress serves.`, [backend.evidence]),
  );
  return { checks, backend };
}

function designApiOf(ctx: TraceContext, path: ApiPath): { audience: string | undefined } | undefined {
  const node = ctx.node('apiManagement', (n) => n.properties.hostName === path.apim.proxy?.host);
  const api = node?.properties.apis.find((a) => a.name === path.name);
  if (!node || !api) return undefined;
  const edge = ctx.design.edges.find((e) => e.from === node.id && e.type === 'tokenValidation');
  const entra = edge ? ctx.design.nodes.find((n) => n.id === edge.to) : undefined;
  const audience = api.audience ?? (entra?.type === 'entraId' ? entra.properties.audience : undefined);
  return { audience: edge ? audience : undefined };
}

interface TokenValidation {
  readonly header: string;
  readonly audiences: string[];
  readonly status: string;
  readonly evidence: Evidence;
}

function tokenValidation(ctx: TraceContext, p: Policy): TokenValidation[] {
  const m = /<(validate-jwt|validate-azure-ad-token)\b([^>]*)>/.exec(p.xml);
  if (!m) return [];
  const attrs = m[2]!;
  const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  const element = p.xml.slice(m.index, p.xml.indexOf(`</${m[1]}>`, m.index) + 1 || undefined);
  const audiences = [...element.matchAll(/<audience>([^<]*)<\/audience>/g)].map((a) => a[1]!.trim());
  const header = attr('header-name') ?? (attr('query-parameter-name') ? `query parameter ${attr('query-parameter-name')}` : 'Authorization');
  const scheme = attr('require-scheme');
  return [
    {
      header: scheme ? `${header} (${scheme})` : header,
      audiences,
      status: attr('failed-validation-httpcode') ?? '401',
      evidence: ctx.policyEvidence(p.xml, `<${m[1]}`, ctx.arm.evidence(p.resource, ['properties', 'value']), `${m[1]} ${header}${audiences.length ? `, audience ${audiences.join(', ')}` : ''}`),
    },
  ];
}

function backendOf(ctx: TraceContext, path: ApiPath, policy: Policy | undefined): Backend {
  const set = policy ? /<set-backend-service\b([^>]*)\/?>/.exec(policy.xml) : null;
  const id = set ? /\bbackend-id="([^"]*)"/.exec(set[1]!)?.[1] : undefined;
  const base = set ? /\bbase-url="([^"]*)"/.exec(set[1]!)?.[1] : undefined;
  const fallback = ctx.arm.evidence(path.api, ['properties', 'serviceUrl']);
  if (id !== undefined && policy) {
    const r = ctx.children('Microsoft.ApiManagement/service/backends', path.apim.name).find((b) => lastSegment(b.name) === id);
    if (!r) return { url: undefined, host: undefined, evidence: ctx.policyEvidence(policy.xml, `backend-id="${id}"`, fallback, `backend-id="${id}" (no such backend in the template)`), resource: undefined };
    const url = getIn(r.body, ['properties', 'url']);
    return { url: typeof url === 'string' ? url : undefined, host: hostOf(url), evidence: ctx.arm.evidence(r, ['properties', 'url']), resource: r };
  }
  if (base !== undefined && policy) return { url: base, host: hostOf(base), evidence: ctx.policyEvidence(policy.xml, `base-url="${base}"`, fallback), resource: undefined };
  const url = getIn(path.api.body, ['properties', 'serviceUrl']);
  return { url: typeof url === 'string' ? url : undefined, host: hostOf(url), evidence: fallback, resource: undefined };
}

export function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /^[a-z]+:\/\/([^/:?#]+)/i.exec(url);
  return m?.[1];
}

/** Host names the manifests' ingresses and gateways serve (lower case). */
export function ingressHosts(ctx: TraceContext): Set<string> {
  const out = new Set<string>();
  for (const i of ctx.k8s.ofKind('Ingress')) {
    for (const r of (getIn(i.data, ['spec', 'rules']) as unknown[] | undefined) ?? []) {
      const h = (r as { host?: unknown }).host;
      if (typeof h === 'string') out.add(h.toLowerCase());
    }
  }
  for (const g of ctx.k8s.ofKind('Gateway')) {
    for (const l of (getIn(g.data, ['spec', 'listeners']) as unknown[] | undefined) ?? []) {
      const h = (l as { hostname?: unknown }).hostname;
      if (typeof h === 'string') out.add(h.toLowerCase());
    }
  }
  return out;
}

