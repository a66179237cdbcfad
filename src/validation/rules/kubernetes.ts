/**
 * What the Kubernetes API server and the ingress controllers accept, checked as they check it (GW420-GW429):
 * ingress paths, and the routes and DNS records the generated manifests and template give each host and path.
 */
import type { DesignNode, NodeOf } from '../../schemas/design.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule } from '../rule.js';

type Aks = NodeOf<'aksCluster'>;

/**
 * Sequences the API server refuses in an Ingress path of pathType Exact or Prefix, and suffixes it refuses
 * (kubernetes/kubernetes pkg/apis/networking/validation: invalidPathSequences, invalidPathSuffixes). Gateway API
 * refuses the same in an HTTPRoute PathPrefix match.
 */
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

/** Why Kubernetes refuses a Prefix path, or undefined when it accepts it. */
export function kubernetesPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'does not start with "/"';
  const seq = INVALID_SEQUENCES.find((s) => path.includes(s));
  if (seq) return `contains "${seq}"`;
  const suffix = INVALID_SUFFIXES.find((s) => path.endsWith(s));
  if (suffix) return `ends with "${suffix}"`;
  return undefined;
}

/**
 * ingress-nginx (and the application routing add-on's NGINX, built from it) validates Exact and Prefix paths strictly
 * by default since controller v1.12 (strict-validate-path-type): letters, digits, "_", "-" and "/" only.
 */
const NGINX_STRICT_PATH = /^\/[A-Za-z0-9_\-/]*$/;

function usesNginx(aks: Aks): boolean {
  return aks.properties.ingress.controller !== 'gatewayApi';
}

/** The path as a Prefix match sees it: "/orders/" and "/orders" match the same requests. */
function prefixKey(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

interface HostOwner {
  readonly label: string;
  readonly node: DesignNode;
  readonly path: (string | number)[];
}

/** The host names that get an A record in the design's private DNS, with who needs each. */
function privateRecordHosts(ctx: RuleContext): Map<string, HostOwner[]> {
  const hosts = new Map<string, HostOwner[]>();
  const add = (host: string, owner: HostOwner) => {
    const key = host.toLowerCase();
    const list = hosts.get(key) ?? [];
    if (!list.some((o) => o.node.id === owner.node.id)) list.push(owner);
    hosts.set(key, list);
  };
  for (const apim of ctx.nodesOfType('apiManagement')) {
    const p = apim.properties;
    if (p.virtualNetworkType === 'None') continue;
    if (p.virtualNetworkType === 'Internal' && p.hostName) add(p.hostName, { label: `API Management "${apim.id}"`, node: apim, path: ['properties', 'hostName'] });
    for (const e of ctx.outgoing(apim.id)) {
      if ((e.edge.type === 'mtls' || e.edge.type === 'https') && e.to?.type === 'aksCluster' && e.to.properties.ingress.hostName) {
        add(e.to.properties.ingress.hostName, { label: `the ingress of AKS cluster "${e.to.id}"`, node: e.to, path: ['properties', 'ingress', 'hostName'] });
      }
    }
  }
  return hosts;
}

export const KUBERNETES_RULES: Rule[] = [
  defineRule({
    id: 'GW420',
    name: 'ingress-path-valid',
    category: 'architecture',
    severity: 'error',
    title: 'Service paths are paths the Kubernetes API server accepts',
    rationale:
      'Each service becomes an Ingress (or HTTPRoute) rule with pathType Prefix; the API server refuses a Prefix path that contains "//", "/./", "/../" or an encoded slash, or ends with "/." or "/..", so applying the manifests fails.',
    source: { tool: 'Kubernetes', ref: 'Ingress path validation (pkg/apis/networking/validation)', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go' },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        for (let i = 0; i < aks.properties.services.length; i++) {
          const s = aks.properties.services[i]!;
          const problem = kubernetesPathProblem(s.path);
          if (!problem) continue;
          const fixed = normalizePath(s.path);
          yield ctx.atNode(
            aks,
            `the path "${s.path}" of service "${s.namespace}/${s.name}" on AKS cluster "${aks.id}" ${problem}: the API server refuses the generated route (pathType Prefix)${fixed !== s.path ? `; use "${fixed}"` : ''}`,
            ['properties', 'services', i, 'path'],
            fixed !== s.path && kubernetesPathProblem(fixed) === undefined
              ? { fix: { title: `Use ${fixed}`, operations: [{ op: 'setProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'services', i, 'path'], value: fixed }] } }
              : {},
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW421',
    name: 'ingress-nginx-path-characters',
    category: 'architecture',
    severity: 'error',
    title: 'Paths behind an NGINX ingress use only the characters its strict path validation allows',
    rationale:
      'ingress-nginx, which the application routing add-on runs, validates Prefix and Exact paths strictly by default (strict-validate-path-type, since controller v1.12): only letters, digits, "_", "-" and "/". Its admission webhook refuses any other path, such as "/v1.0/orders".',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx ConfigMap: strict-validate-path-type', url: 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#strict-validate-path-type' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (!usesNginx(aks) || aks.properties.ingress.backendProtocol === 'passthrough') continue;
        for (let i = 0; i < aks.properties.services.length; i++) {
          const s = aks.properties.services[i]!;
          if (kubernetesPathProblem(s.path) !== undefined || NGINX_STRICT_PATH.test(s.path)) continue;
          const bad = [...new Set([...s.path].filter((c) => !/[A-Za-z0-9_\-/]/.test(c)))].map((c) => `"${c}"`).join(' ');
          yield ctx.atNode(
            aks,
            `the path "${s.path}" of service "${s.namespace}/${s.name}" on AKS cluster "${aks.id}" has ${bad}, which the NGINX ingress refuses in a Prefix path (strict-validate-path-type): use only letters, digits, "_", "-" and "/", or the Gateway API controller`,
            ['properties', 'services', i, 'path'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW422',
    name: 'ingress-route-unique',
    category: 'architecture',
    severity: 'error',
    title: 'No two services of a cluster share the ingress host and path',
    rationale:
      'Every service of a cluster is routed on the one ingress host name. When two Ingresses give the same host and path, ingress-nginx serves only the oldest and the other service never gets a request; with TLS passthrough the route is chosen by host name alone, so only one service can be reached.',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx: how it works (building the NGINX model)', url: 'https://kubernetes.github.io/ingress-nginx/how-it-works/' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const services = aks.properties.services;
        const host = aks.properties.ingress.hostName ?? 'any host';
        if (aks.properties.ingress.backendProtocol === 'passthrough') {
          if (services.length < 2) continue;
          yield ctx.atNode(
            aks,
            `AKS cluster "${aks.id}" passes TLS through for ${services.length} services on ${host}: a passthrough route is chosen by host name only, so only one of ${services.map((s) => `"${s.name}"`).join(', ')} can be reached; keep one service or terminate TLS at the ingress`,
            ['properties', 'services', 1],
          );
          continue;
        }
        const byPath = new Map<string, number>();
        for (let i = 0; i < services.length; i++) {
          const s = services[i]!;
          const key = prefixKey(s.path);
          const first = byPath.get(key);
          if (first === undefined) {
            byPath.set(key, i);
            continue;
          }
          const other = services[first]!;
          if (other.namespace === s.namespace && other.name === s.name) continue;
          yield ctx.atNode(
            aks,
            `services "${other.namespace}/${other.name}" and "${s.namespace}/${s.name}" of AKS cluster "${aks.id}" are both routed on ${host} with path ${key}: only one of them gets the requests; give "${s.name}" its own path`,
            ['properties', 'services', i, 'path'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW423',
    name: 'private-host-unique',
    category: 'architecture',
    severity: 'error',
    title: 'Each host name in the private DNS belongs to one endpoint',
    rationale:
      'API Management\'s host name and the ingress host names it calls get one A record each in the private DNS of the virtual network. Two endpoints with one host name would need two records of one name: one of them is left out, and calls for it reach the other endpoint (or none).',
    source: { tool: 'Microsoft Learn', ref: 'Azure DNS: records and record sets', url: 'https://learn.microsoft.com/azure/dns/dns-zones-records' },
    *check(ctx) {
      for (const [host, owners] of privateRecordHosts(ctx)) {
        if (owners.length < 2) continue;
        const second = owners[1]!;
        yield ctx.atNode(
          second.node,
          `${owners.map((o) => o.label).join(' and ')} use the same host name ${host}: the private DNS can point it at only one of them, so calls meant for the other go astray; give each its own host name`,
          second.path,
        );
      }
    },
  }),
  defineRule({
    id: 'GW424',
    name: 'ingress-annotations-valid',
    category: 'architecture',
    severity: 'error',
    title: 'Ingress annotation keys are names the Kubernetes API server accepts',
    rationale:
      'The design\'s extra annotations go onto every generated Ingress. The API server refuses an object whose annotation key is not a qualified name (an optional lower-case DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".") or whose annotations exceed 256 KiB together, so applying the manifests fails.',
    source: { tool: 'Kubernetes', ref: 'Annotations: syntax and character set', url: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set' },
    fixable: true,
    *check(ctx) {
      const utf8 = new TextEncoder();
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const annotations = aks.properties.ingress.annotations;
        let bytes = 0;
        for (const [key, value] of Object.entries(annotations)) {
          bytes += utf8.encode(key).length + utf8.encode(value).length;
          const problem = annotationKeyProblem(key);
          if (!problem) continue;
          yield ctx.atNode(
            aks,
            `the ingress annotation "${key}" of AKS cluster "${aks.id}" ${problem}: the API server refuses every generated Ingress with it`,
            ['properties', 'ingress', 'annotations', key],
            { fix: { title: `Remove the annotation ${key}`, operations: [{ op: 'unsetProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'annotations', key] }] } },
          );
        }
        if (bytes > ANNOTATIONS_MAX_BYTES) {
          yield ctx.atNode(
            aks,
            `the ingress annotations of AKS cluster "${aks.id}" hold ${bytes} bytes, more than the ${ANNOTATIONS_MAX_BYTES} the API server takes on one object: shorten them`,
            ['properties', 'ingress', 'annotations'],
          );
        }
      }
    },
  }),
];

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** The API server's limit on all annotations of one object together (apimachinery TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Why the API server refuses an annotation key (apimachinery IsQualifiedName), or undefined when it takes it. */
export function annotationKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'has an empty prefix before "/"';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `has the prefix "${prefix}", which is not a lower-case DNS subdomain`;
  }
  if (name.length === 0) return 'has no name after its prefix';
  if (name.length > 63) return 'has a name longer than 63 characters';
  if (!QUALIFIED_NAME.test(name)) return `has the name "${name}", which must be letters, digits, "-", "_" or "." and start and end with a letter or digit`;
  return undefined;
}

/** A Prefix path with repeated slashes, dot segments and encoded slashes taken out. */
export function normalizePath(path: string): string {
  const segments: string[] = [];
  for (const seg of path.replace(/%2f/gi, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  return `/${segments.join('/')}`;
}
