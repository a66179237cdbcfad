/**
 * The graph (GW010-GW039): ids, references between nodes, edges and certificates, connections that make sense
 * for the node types, and the Azure resource names the nodes get.
 */
import { allowedEdgeTypes, edgeFits } from '../../schemas/connections.js';
import type { Certificate, DesignNode, NodeType } from '../../schemas/design.js';
import type { Fix } from '../../schemas/finding.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import type { EdgeEntry, Extra, RuleContext } from '../context.js';
import { defineRule, type Rule, type RuleViolation } from '../rule.js';

/** GW022 reports at most this many unknown layout ids one by one, then how many more there are. */
export const MAX_LAYOUT_FINDINGS = 100;
import { NAME_RULES, derivedResourceName, nameProblem, resourceName, type NameRule } from '../../model/naming.js';

const GATEWRIGHT = { tool: 'Gatewright', ref: 'design format v1' } as const;
const NAME_RULES_URL = 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules';

// ---------------------------------------------------------------- helpers shared by the rules below

/** A setProperty operation. */
export function setOp(target: EditTarget, path: Path, value: unknown): EditOperation {
  return { op: 'setProperty', target, path, value };
}

/** The violation extras carrying a fix made of these operations, or none when there is no operation. */
export function fixWith(title: string, ...operations: (EditOperation | undefined)[]): Extra {
  const ops = operations.filter((o): o is EditOperation => o !== undefined);
  if (ops.length === 0) return {};
  const fix: Fix = { title, operations: ops };
  return { fix };
}

/** What a certificate reference is for: the role the certificate must have and how messages name it. */
export interface CertificateReference {
  readonly certId: string;
  /** The role the referenced certificate must have. */
  readonly role: Certificate['role'];
  /** How messages name the reference: `Application Gateway "appgw" listener certificate`. */
  readonly label: string;
  /** Whether `external` (the public CAs) is an accepted value. */
  readonly allowsExternal: boolean;
  at(ctx: RuleContext, message: string): RuleViolation;
}

/** Every place a design names a certificate (spec, "Certificates"), except certificate issuers. */
export function* certificateReferences(ctx: RuleContext): Generator<CertificateReference> {
  for (const node of ctx.design.nodes) {
    const ref = (certId: string | undefined, role: Certificate['role'], label: string, path: Path): CertificateReference | undefined =>
      certId === undefined
        ? undefined
        : { certId, role, label, allowsExternal: false, at: (c, message) => c.atNode(node, message, path) };
    let refs: (CertificateReference | undefined)[] = [];
    if (node.type === 'applicationGateway') {
      refs = [ref(node.properties.certificate, 'server', `Application Gateway "${node.id}" listener certificate`, ['properties', 'certificate'])];
    } else if (node.type === 'apiManagement') {
      refs = [ref(node.properties.certificate, 'server', `API Management "${node.id}" custom-domain certificate`, ['properties', 'certificate'])];
    } else if (node.type === 'aksCluster') {
      const ingress = node.properties.ingress;
      refs = [
        ref(ingress.serverCertificate, 'server', `AKS cluster "${node.id}" ingress server certificate`, ['properties', 'ingress', 'serverCertificate']),
        ref(ingress.clientCa, 'ca', `AKS cluster "${node.id}" ingress client CA`, ['properties', 'ingress', 'clientCa']),
      ];
    }
    for (const r of refs) if (r) yield r;
  }
  for (const e of ctx.edges) {
    const edge = e.edge;
    if (edge.type !== 'https' && edge.type !== 'mtls') continue;
    if (edge.type === 'mtls') {
      yield {
        certId: edge.properties.clientCertificate,
        role: 'client',
        label: `mtls edge "${e.id}" client certificate`,
        allowsExternal: false,
        at: (c, message) => c.atEdge(e, message, ['properties', 'clientCertificate']),
      };
    }
    const trusted = edge.properties.trustedCa;
    if (trusted !== undefined) {
      yield {
        certId: trusted,
        role: 'ca',
        label: `${edge.type} edge "${e.id}" trusted CA`,
        allowsExternal: true,
        at: (c, message) => c.atEdge(e, message, ['properties', 'trustedCa']),
      };
    }
  }
}

/** The single node of a type, when the design has exactly one: the target of an unambiguous fix. */
function onlyNodeOfType(ctx: RuleContext, type: NodeType): DesignNode | undefined {
  const nodes = ctx.nodesOfType(type);
  return nodes.length === 1 ? nodes[0] : undefined;
}

/** Ids for a message: the first few, and how many more there are. */
export function list(ids: readonly string[] | ReadonlySet<string>, max = 6): string {
  const total = Array.isArray(ids) ? ids.length : (ids as ReadonlySet<string>).size;
  if (total === 0) return 'none';
  const shown: string[] = [];
  for (const id of ids) {
    if (shown.length === max) break;
    shown.push(id);
  }
  return total > max ? `${shown.join(', ')} and ${total - max} more` : shown.join(', ');
}

/** Certificate ids by role, computed on first use: messages list the candidates without a pass per violation. */
function certIdsByRole(ctx: RuleContext): (role: Certificate['role']) => string[] {
  let byRole: Map<Certificate['role'], string[]> | undefined;
  return (role) => {
    if (!byRole) {
      byRole = new Map();
      for (const c of ctx.design.certificates) {
        const ids = byRole.get(c.role);
        if (ids) ids.push(c.id);
        else byRole.set(c.role, [c.id]);
      }
    }
    return byRole.get(role) ?? [];
  };
}

/** A value computed on first use. */
function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

/** Whether another edge carries the same id (explicit or derived): a fix could not name this one unambiguously. */
function idIsShared(counts: ReadonlyMap<string, number>, e: EdgeEntry): boolean {
  return (counts.get(e.id) ?? 0) > 1;
}

function edgeIdCounts(ctx: RuleContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of ctx.edges) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------- Azure resource names

/** A valid name close to a broken derived one, for a fix; undefined when none is found. */
function repairName(rule: NameRule, name: string): string | undefined {
  let n = rule.lowerCase ? name.toLowerCase() : name;
  if (rule === NAME_RULES.containerRegistry) n = n.replace(/[^a-zA-Z0-9]/g, '');
  n = n.replace(/-{2,}/g, '-').replace(/^[-._]+/, '');
  n = n.slice(0, rule.max).replace(/[-._ ]+$/, '');
  if (n.length < rule.min) n = n.padEnd(rule.min, '0');
  return nameProblem(rule, n) === undefined ? n : undefined;
}

// ---------------------------------------------------------------- rules

export const GRAPH_RULES: Rule[] = [
  defineRule({
    id: 'GW010',
    name: 'duplicate-node-id',
    category: 'graph',
    severity: 'error',
    title: 'Node ids are unique',
    rationale: 'Edges, layout and derived resource names refer to nodes by id; two nodes with one id make every reference ambiguous.',
    source: GATEWRIGHT,
    *check(ctx) {
      const first = new Set<string>();
      for (let i = 0; i < ctx.design.nodes.length; i++) {
        const node = ctx.design.nodes[i]!;
        if (first.has(node.id)) {
          yield { message: `node id "${node.id}" is used more than once`, target: { kind: 'node', id: node.id }, path: ['nodes', i, 'id'] };
        }
        first.add(node.id);
      }
    },
  }),
  defineRule({
    id: 'GW011',
    name: 'dangling-edge',
    category: 'graph',
    severity: 'error',
    title: 'Edges join existing nodes',
    rationale: 'An edge whose end does not exist generates nothing and hides a typo in an id.',
    source: GATEWRIGHT,
    *check(ctx) {
      for (const e of ctx.edges) {
        for (const end of ['from', 'to'] as const) {
          const id = e.edge[end];
          if (!ctx.nodes.has(id) && !ctx.invalidNodeIds.has(id)) {
            yield ctx.atEdge(e, `edge "${e.id}": ${end} "${id}" is not a node id`, [end]);
          }
        }
      }
    },
  }),
  defineRule({
    id: 'GW012',
    name: 'edge-type-fits',
    category: 'graph',
    severity: 'error',
    title: 'An edge type fits the node types it joins',
    rationale: 'Each edge type means something only between certain components (spec, "Edges"): mTLS from API Management to a cluster, Private Link to a platform service, and so on.',
    source: GATEWRIGHT,
    *check(ctx) {
      for (const e of ctx.edges) {
        if (!e.from || !e.to) continue;
        if (edgeFits(e.edge.type, e.from.type, e.to.type)) continue;
        const fits = allowedEdgeTypes(e.from.type, e.to.type);
        const hint = fits.length ? `; between these types use ${fits.join(' or ')}` : '; no edge type joins these node types';
        yield ctx.atEdge(e, `a ${e.edge.type} edge cannot go from ${ctx.describe(e.from)} to ${ctx.describe(e.to)}${hint}`, ['type']);
      }
    },
  }),
  defineRule({
    id: 'GW013',
    name: 'duplicate-edge-id',
    category: 'graph',
    severity: 'error',
    title: 'Edge ids are unique',
    rationale:
      'An edge without an id is known as "<from>-<to>" (spec, "Edges"); two edges with one id, explicit or derived, cannot be told apart by findings, fixes, the canvas or the names of the resources they generate.',
    source: GATEWRIGHT,
    *check(ctx) {
      const first = new Map<string, EdgeEntry>();
      for (const e of ctx.edges) {
        const earlier = first.get(e.id);
        if (!earlier) {
          first.set(e.id, e);
          continue;
        }
        // Two edges with the same ends and type are one edge drawn twice: GW014 reports those.
        if (earlier.edge.from === e.edge.from && earlier.edge.to === e.edge.to && earlier.edge.type === e.edge.type) continue;
        if (e.edge.id !== undefined) {
          yield ctx.atEdge(e, `edge id "${e.id}" is already used by edge ${earlier.index + 1} (${earlier.edge.type} ${earlier.edge.from} -> ${earlier.edge.to}); give this ${e.edge.type} edge another id`, ['id']);
        } else {
          yield ctx.atEdge(
            e,
            `this ${e.edge.type} edge and the ${earlier.edge.type} edge ${earlier.index + 1} are both known as "${e.id}"; give one of them an explicit id such as "${e.id}-${e.edge.type.toLowerCase()}"`,
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW014',
    name: 'duplicate-edge',
    category: 'graph',
    severity: 'error',
    title: 'No connection is drawn twice',
    rationale:
      'Two edges of one type between the same nodes generate the same private endpoint, role assignment or diagnostic setting twice, with the same name: the deployment fails or one silently overwrites the other.',
    source: GATEWRIGHT,
    fixable: true,
    *check(ctx) {
      const seen = new Map<string, EdgeEntry>();
      const counts = edgeIdCounts(ctx);
      for (const e of ctx.edges) {
        const key = `${e.edge.from}\u0000${e.edge.to}\u0000${e.edge.type}`;
        const earlier = seen.get(key);
        if (!earlier) {
          seen.set(key, e);
          continue;
        }
        const message = `${e.edge.type} edge from "${e.edge.from}" to "${e.edge.to}" is drawn twice (edges ${earlier.index + 1} and ${e.index + 1}); delete one`;
        yield ctx.atEdge(e, message, [], idIsShared(counts, e) ? {} : fixWith(`Delete the duplicate edge "${e.id}"`, { op: 'disconnect', id: e.id }));
      }
    },
  }),
  defineRule({
    id: 'GW015',
    name: 'duplicate-certificate-id',
    category: 'graph',
    severity: 'error',
    title: 'Certificate ids are unique',
    rationale: 'Gateways, ingresses and edges name certificates by id, and the id is the Key Vault certificate name by default: two certificates with one id make every reference ambiguous.',
    source: GATEWRIGHT,
    *check(ctx) {
      for (let i = 0; i < ctx.design.certificates.length; i++) {
        const cert = ctx.design.certificates[i]!;
        if (ctx.certificates.get(cert.id) !== cert) {
          yield { message: `certificate id "${cert.id}" is used more than once; rename one of them`, target: { kind: 'certificate', id: cert.id }, path: ['certificates', i, 'id'] };
        }
      }
    },
  }),
  defineRule({
    id: 'GW016',
    name: 'unknown-certificate',
    category: 'graph',
    severity: 'error',
    title: 'Certificate references name certificates of the design',
    rationale: 'A listener, custom domain, ingress, client certificate or trusted CA that names no certificate cannot be generated; it is usually a typo in the id.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    *check(ctx) {
      const certIdsOfRole = certIdsByRole(ctx);
      for (const ref of certificateReferences(ctx)) {
        if (ctx.certificates.has(ref.certId) || ctx.invalidCertificateIds.has(ref.certId)) continue;
        if (ref.allowsExternal && ref.certId === 'external') continue;
        const candidates = certIdsOfRole(ref.role);
        yield ref.at(ctx, `${ref.label} "${ref.certId}" is not a certificate id; ${ref.role} certificates of the design: ${list(candidates)}`);
      }
    },
  }),
  defineRule({
    id: 'GW017',
    name: 'certificate-role',
    category: 'graph',
    severity: 'error',
    title: 'Each certificate reference names a certificate of the right role',
    rationale:
      'A listener, custom domain or ingress presents a server certificate; API Management presents a client certificate over mTLS; trusted CAs and the ingress client CA are CA certificates. A certificate of another role fails the TLS handshake (wrong extended key usage) or trusts the wrong party.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    *check(ctx) {
      const certIdsOfRole = certIdsByRole(ctx);
      for (const ref of certificateReferences(ctx)) {
        const cert = ctx.certificates.get(ref.certId);
        if (!cert || cert.role === ref.role) continue;
        const candidates = certIdsOfRole(ref.role);
        yield ref.at(ctx, `${ref.label} "${cert.id}" has role ${cert.role}; it must be a ${ref.role} certificate (${ref.role} certificates of the design: ${list(candidates)})`);
      }
    },
  }),
  defineRule({
    id: 'GW018',
    name: 'certificate-issuer',
    category: 'graph',
    severity: 'error',
    title: 'A certificate issuer is self, external or a certificate of the design',
    rationale: 'Trust is derived from issuers (spec, "Trust"): an issuer id that names no certificate (usually a typo) breaks every trust decision about the certificates it is said to sign, and a certificate naming itself is a self-signed one written the wrong way.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    fixable: true,
    *check(ctx) {
      const cas = lazy(() => certIdsByRole(ctx)('ca'));
      for (const cert of ctx.design.certificates) {
        const issuer = cert.issuer;
        if (issuer === 'self' || issuer === 'external') continue;
        if (issuer === cert.id) {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" names itself as its issuer; write issuer: self for a self-signed certificate`,
            ['issuer'],
            fixWith('Mark it self-signed', setOp({ kind: 'certificate', id: cert.id }, ['issuer'], 'self')),
          );
          continue;
        }
        // An issuer of the wrong role (GW218) and issuer loops (GW217) are the trust rules' findings.
        if (ctx.certificates.has(issuer) || ctx.invalidCertificateIds.has(issuer)) continue;
        yield ctx.atCertificate(cert, `certificate "${cert.id}" names issuer "${issuer}", which is not a certificate id; use self, external or a CA certificate of the design (${list(cas())})`, ['issuer']);
      }
    },
  }),
  defineRule({
    id: 'GW019',
    name: 'certificate-key-vault',
    category: 'graph',
    severity: 'error',
    title: 'A certificate is held in a keyVault node',
    rationale: 'Gateways and the ingress load certificates from the Key Vault the certificate names; a name that is not a keyVault node leaves them nothing to load.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Certificates"' },
    fixable: true,
    *check(ctx) {
      const only = onlyNodeOfType(ctx, 'keyVault');
      const vaults = lazy(() => list(ctx.nodesOfType('keyVault').map((n) => n.id)));
      for (const cert of ctx.design.certificates) {
        const kv = cert.keyVault;
        if (kv === undefined || ctx.invalidNodeIds.has(kv)) continue;
        const node = ctx.nodes.get(kv);
        if (node?.type === 'keyVault') continue;
        const what = node ? `${ctx.describe(node)}, which is not a keyVault` : `"${kv}", which is not a node id`;
        const fix = only ? fixWith(`Keep it in "${only.id}"`, setOp({ kind: 'certificate', id: cert.id }, ['keyVault'], only.id)) : {};
        yield ctx.atCertificate(cert, `certificate "${cert.id}" is said to be held in ${what}; name a keyVault node (${vaults()})`, ['keyVault'], fix);
      }
    },
  }),
  defineRule({
    id: 'GW020',
    name: 'private-link-identity',
    category: 'graph',
    severity: 'error',
    title: 'A Private Link identity is a managedIdentity node',
    rationale: 'The identity of a privateLink edge is the user-assigned managed identity that gets the data-plane role on the service; any other node has no identity to grant.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Edges"' },
    fixable: true,
    *check(ctx) {
      const only = onlyNodeOfType(ctx, 'managedIdentity');
      const identities = lazy(() => list(ctx.nodesOfType('managedIdentity').map((n) => n.id)));
      for (const e of ctx.edgesOfType('privateLink')) {
        const id = e.edge.properties.identity;
        if (id === undefined || ctx.invalidNodeIds.has(id)) continue;
        const node = ctx.nodes.get(id);
        if (node?.type === 'managedIdentity') continue;
        const what = node ? `${ctx.describe(node)}, which is not a managedIdentity` : `"${id}", which is not a node id`;
        const fix = only ? fixWith(`Use identity "${only.id}"`, setOp({ kind: 'edge', id: e.id }, ['properties', 'identity'], only.id)) : {};
        yield ctx.atEdge(e, `privateLink edge "${e.id}" uses identity ${what}; name a managedIdentity node (${identities()})`, ['properties', 'identity'], fix);
      }
    },
  }),
  defineRule({
    id: 'GW021',
    name: 'self-edge',
    category: 'graph',
    severity: 'error',
    title: 'No edge joins a node to itself',
    rationale: 'A component calling, protecting or reading from itself means nothing in the architecture and generates a resource that points at its own parent.',
    source: GATEWRIGHT,
    fixable: true,
    *check(ctx) {
      const counts = edgeIdCounts(ctx);
      for (const e of ctx.edges) {
        if (e.edge.from !== e.edge.to) continue;
        const fix = idIsShared(counts, e) ? {} : fixWith(`Delete edge "${e.id}"`, { op: 'disconnect', id: e.id });
        yield ctx.atEdge(e, `${e.edge.type} edge "${e.id}" goes from "${e.edge.from}" to itself; point "to" at another node`, ['to'], fix);
      }
    },
  }),
  defineRule({
    id: 'GW022',
    name: 'layout-unknown-node',
    category: 'graph',
    severity: 'warning',
    title: 'Layout positions belong to nodes of the design',
    rationale: 'A position for a node that does not exist is left over from a rename or deletion, or is a typo that leaves the real node unplaced on the canvas.',
    source: GATEWRIGHT,
    *check(ctx) {
      const layout = ctx.design.layout;
      if (!layout) return;
      // One finding per unknown id up to a cap, then one that counts the rest: 40,000 stale entries must not
      // become 40,000 lines of warnings.
      const unknown = Object.keys(layout).filter((id) => !ctx.nodes.has(id) && !ctx.invalidNodeIds.has(id));
      for (const id of unknown.slice(0, MAX_LAYOUT_FINDINGS)) {
        yield ctx.atDocument(`layout has a position for "${id}", which is not a node id; delete it or correct the id`, ['layout', id]);
      }
      if (unknown.length > MAX_LAYOUT_FINDINGS) {
        const rest = unknown.length - MAX_LAYOUT_FINDINGS;
        yield ctx.atDocument(`layout has positions for ${rest} more ids that are not node ids (${unknown.length} in all); delete them`, ['layout', unknown[MAX_LAYOUT_FINDINGS]!]);
      }
    },
  }),
  defineRule({
    id: 'GW023',
    name: 'api-service',
    category: 'graph',
    severity: 'error',
    title: 'Every API names a service of a cluster its API Management calls',
    rationale: 'API Management forwards an API to an AKS service through the ingress it calls over mTLS or HTTPS; a service that no called cluster defines has no route, and the API answers 404 or 500.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Nodes" (apiManagement apis, aksCluster services)' },
    *check(ctx) {
      const servicesOf = new Map<string, Set<string>>();
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const names = servicesOf.get(aks.id) ?? new Set<string>();
        for (const s of aks.properties.services) names.add(s.name);
        servicesOf.set(aks.id, names);
      }
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const clusters = new Set<string>();
        for (const e of ctx.outgoing(apim.id)) {
          if ((e.edge.type === 'mtls' || e.edge.type === 'https') && e.to?.type === 'aksCluster') clusters.add(e.to.id);
        }
        if (clusters.size === 0) continue; // GW127 reports an API Management with APIs and no backend.
        const available = new Set<string>();
        for (const c of clusters) for (const s of servicesOf.get(c) ?? []) available.add(s);
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          if (available.has(api.service)) continue;
          yield ctx.atNode(
            apim,
            `API "${api.name}" of API Management "${apim.id}" forwards to service "${api.service}", which no cluster it calls (${list(clusters)}) defines; services there: ${list(available)}`,
            ['properties', 'apis', i, 'service'],
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW024',
    name: 'duplicate-api-name',
    category: 'graph',
    severity: 'error',
    title: 'API names are unique within an API Management',
    rationale: 'An API name is the name of the API resource under the service (case-insensitive): two APIs with one name overwrite each other when deployed.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules: Microsoft.ApiManagement service/apis', url: NAME_RULES_URL },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const seen = new Map<string, number>();
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const key = apis[i]!.name.toLowerCase();
          const first = seen.get(key);
          if (first === undefined) seen.set(key, i);
          else yield ctx.atNode(apim, `API Management "${apim.id}" has two APIs named "${apis[i]!.name}" (APIs ${first + 1} and ${i + 1}); rename one`, ['properties', 'apis', i, 'name']);
        }
      }
    },
  }),
  defineRule({
    id: 'GW025',
    name: 'duplicate-api-path',
    category: 'graph',
    severity: 'error',
    title: 'API paths are unique within an API Management',
    rationale: 'The path (URL suffix) identifies an API and all its operations within the service; two APIs with one path cannot both be deployed, and requests could not be routed between them.',
    source: { tool: 'Microsoft Learn', ref: 'API Management apis: path', url: 'https://learn.microsoft.com/azure/templates/microsoft.apimanagement/service/apis' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        const seen = new Map<string, number>();
        const apis = apim.properties.apis;
        for (let i = 0; i < apis.length; i++) {
          const api = apis[i]!;
          const key = api.path.replace(/^\/+|\/+$/g, '').toLowerCase();
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, i);
            continue;
          }
          const shown = key === '' ? 'the root path' : `path "${key}"`;
          yield ctx.atNode(apim, `APIs "${apis[first]!.name}" and "${api.name}" of API Management "${apim.id}" both use ${shown}; give each API its own path`, ['properties', 'apis', i, 'path']);
        }
      }
    },
  }),
  defineRule({
    id: 'GW026',
    name: 'duplicate-service',
    category: 'graph',
    severity: 'error',
    title: 'Service names are unique within a cluster',
    rationale:
      'Kubernetes service names are unique within a namespace, and APIs name their service by name alone: the same name twice in a namespace cannot be deployed, and in two namespaces it makes the API route ambiguous.',
    source: { tool: 'Kubernetes', ref: 'Object names and IDs', url: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const byName = new Map<string, { index: number; namespace: string }>();
        const services = aks.properties.services;
        for (let i = 0; i < services.length; i++) {
          const s = services[i]!;
          const first = byName.get(s.name);
          if (!first) {
            byName.set(s.name, { index: i, namespace: s.namespace });
            continue;
          }
          const path = ['properties', 'services', i, 'name'];
          if (first.namespace === s.namespace) {
            yield ctx.atNode(aks, `AKS cluster "${aks.id}" defines service "${s.namespace}/${s.name}" twice (services ${first.index + 1} and ${i + 1}); rename or delete one`, path);
          } else {
            yield ctx.atNode(
              aks,
              `AKS cluster "${aks.id}" has a service "${s.name}" in namespaces "${first.namespace}" and "${s.namespace}"; APIs name services by name only, so the route is ambiguous: rename one`,
              path,
              { severity: 'warning' },
            );
          }
        }
      }
    },
  }),
  defineRule({
    id: 'GW027',
    name: 'single-virtual-network',
    category: 'graph',
    severity: 'error',
    title: 'The design has at most one virtual network',
    rationale:
      'The virtualNetwork node is the private network every private part lives in (spec, "Nodes"): the subnets of Application Gateway, API Management, AKS, Bastion and the private endpoints. With two, where each part goes is ambiguous.',
    source: { tool: 'Gatewright', ref: 'design format v1, "Nodes" (virtualNetwork)' },
    *check(ctx) {
      const nets = ctx.nodesOfType('virtualNetwork');
      const first = nets[0];
      for (const net of nets.slice(1)) {
        if (net.id === first!.id) continue; // GW010 reports a repeated id.
        yield ctx.atNode(
          net,
          `the design already has virtual network "${first!.id}"; every private part lives in that one network, so delete "${net.id}"`,
          ['type'],
          fixWith(`Delete "${net.id}"`, { op: 'deleteNode', id: net.id }),
        );
      }
    },
    fixable: true,
  }),
  defineRule({
    id: 'GW028',
    name: 'single-defender',
    category: 'graph',
    severity: 'error',
    title: 'The design has at most one Defender for Cloud node',
    rationale:
      'Defender plans are subscription-wide pricings (Microsoft.Security/pricings named after the plan): two Defender nodes declare the same pricing resources twice, possibly with different settings, and the last deployed wins.',
    source: { tool: 'Microsoft Learn', ref: 'Microsoft.Security pricings', url: 'https://learn.microsoft.com/azure/templates/microsoft.security/pricings' },
    *check(ctx) {
      const all = ctx.nodesOfType('defenderForCloud');
      const first = all[0];
      for (const node of all.slice(1)) {
        if (node.id === first!.id) continue;
        yield ctx.atNode(node, `the design already has Defender for Cloud node "${first!.id}"; plans apply to the whole subscription, so put every plan in "${first!.id}" and connect its protects edges from there`, ['type']);
      }
    },
  }),
  defineRule({
    id: 'GW029',
    name: 'resource-name',
    category: 'graph',
    severity: 'error',
    title: 'Azure resource names, given or derived, follow the Azure naming rules',
    rationale:
      'A resource name is derived as <metadata.name>-<id> (Container Registry: without hyphens) unless the node gives one; a name that breaks the length or character rules of its resource type (Key Vault 3-24, Container Registry 5-50 alphanumerics, ...) fails the deployment.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules and restrictions for Azure resources', url: NAME_RULES_URL },
    fixable: true,
    *check(ctx) {
      const designName = ctx.design.metadata.name;
      for (const node of ctx.design.nodes) {
        const rule = NAME_RULES[node.type];
        if (!rule) continue;
        const { name, derived } = resourceName(designName, node);
        const problem = nameProblem(rule, name);
        if (!problem) continue;
        const target: EditTarget = { kind: 'node', id: node.id };
        if (derived) {
          const repaired = repairName(rule, name);
          yield ctx.atNode(
            node,
            `${rule.resource} "${node.id}" gets the derived name "${name}" (metadata.name + id), and ${problem}; set "name" to a valid ${rule.resource} name or shorten the id`,
            ['id'],
            repaired ? fixWith(`Name it "${repaired}"`, setOp(target, ['name'], repaired)) : {},
          );
        } else {
          const fallback = derivedResourceName(designName, node);
          const repaired = repairName(rule, name);
          const fix =
            nameProblem(rule, fallback) === undefined
              ? fixWith(`Use the derived name "${fallback}"`, { op: 'unsetProperty', target, path: ['name'] })
              : repaired
                ? fixWith(`Name it "${repaired}"`, setOp(target, ['name'], repaired))
                : {};
          yield ctx.atNode(node, `${rule.resource} name "${name}" of "${node.id}" is invalid: ${problem}`, ['name'], fix);
        }
      }
    },
  }),
  defineRule({
    id: 'GW030',
    name: 'duplicate-resource-name',
    category: 'graph',
    severity: 'error',
    title: 'Two resources of one type do not get the same Azure name',
    rationale:
      'Azure names are case-insensitive and unique per type within a resource group (Key Vault, Container Registry, API Management, SQL and Cosmos DB across all of Azure): two nodes that resolve to one name deploy as one resource, the second overwriting the first.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules and restrictions for Azure resources', url: NAME_RULES_URL },
    *check(ctx) {
      const designName = ctx.design.metadata.name;
      const seen = new Map<string, DesignNode>();
      for (const node of ctx.design.nodes) {
        if (!NAME_RULES[node.type]) continue;
        const { name, derived } = resourceName(designName, node);
        const key = `${node.type}\u0000${name.toLowerCase()}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, node);
          continue;
        }
        if (first.id === node.id) continue; // GW010 reports a repeated id.
        yield ctx.atNode(
          node,
          `"${node.id}" and "${first.id}" would both be deployed as ${NAME_RULES[node.type]!.resource} "${name}"${derived ? ' (derived name)' : ''}; give one of them another name${NAME_RULES[node.type]!.global ? ` (${NAME_RULES[node.type]!.resource} names are unique across all of Azure)` : ''}`,
          derived ? ['id'] : ['name'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW031',
    name: 'duplicate-key-vault-name',
    category: 'graph',
    severity: 'error',
    title: 'Certificates kept in one Key Vault have distinct names there',
    rationale:
      'A certificate is stored in its Key Vault under secretName, or its id when absent; Key Vault object names are case-insensitive, so two certificates with one name in one vault are one certificate, and one of the parties gets the wrong one.',
    source: { tool: 'Microsoft Learn', ref: 'Key Vault object names', url: 'https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates' },
    *check(ctx) {
      const seen = new Map<string, Certificate>();
      for (const cert of ctx.design.certificates) {
        if (cert.keyVault === undefined) continue;
        const name = cert.secretName ?? cert.id;
        const key = `${cert.keyVault}\u0000${name.toLowerCase()}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, cert);
          continue;
        }
        if (first.id === cert.id) continue; // GW015 reports a repeated id.
        yield ctx.atCertificate(
          cert,
          `certificates "${first.id}" and "${cert.id}" are both stored as "${name}" in Key Vault "${cert.keyVault}"; set a distinct secretName`,
          cert.secretName !== undefined ? ['secretName'] : ['id'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW032',
    name: 'unconnected-node',
    category: 'graph',
    severity: 'info',
    title: 'Every component is connected',
    rationale: 'A component that nothing connects to and that connects to nothing is deployed and paid for but takes no part in the architecture; it is usually a connection not yet drawn.',
    source: GATEWRIGHT,
    *check(ctx) {
      const used = new Set<string>();
      for (const e of ctx.edges) {
        used.add(e.edge.from);
        used.add(e.edge.to);
        if (e.edge.type === 'privateLink' && e.edge.properties.identity !== undefined) used.add(e.edge.properties.identity);
      }
      for (const cert of ctx.design.certificates) if (cert.keyVault !== undefined) used.add(cert.keyVault);
      for (const node of ctx.design.nodes) {
        // The virtual network holds every private part implicitly: it needs no edge.
        if (node.type === 'virtualNetwork' || used.has(node.id)) continue;
        yield ctx.atNode(node, `${ctx.describe(node)} is not connected to anything; connect it or delete it`, ['id']);
      }
    },
  }),
  defineRule({
    id: 'GW033',
    name: 'unused-certificate',
    category: 'graph',
    severity: 'info',
    title: 'Every certificate is used',
    rationale: 'A certificate that no listener, domain, ingress, edge or other certificate uses is kept and renewed for nothing, and is often a sign that a reference names the wrong one.',
    source: GATEWRIGHT,
    *check(ctx) {
      const used = new Set<string>();
      for (const ref of certificateReferences(ctx)) used.add(ref.certId);
      for (const cert of ctx.design.certificates) if (cert.issuer !== cert.id) used.add(cert.issuer);
      for (const cert of ctx.design.certificates) {
        if (used.has(cert.id)) continue;
        yield ctx.atCertificate(cert, `certificate "${cert.id}" (${cert.role}) is not used by any node, edge or certificate; reference it or delete it`, ['id']);
      }
    },
  }),
];
