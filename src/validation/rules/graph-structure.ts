/** The design as a graph: unique ids, edges between existing nodes of fitting types, references to certificates and identities, layout entries. */
import { allowedEdgeTypes, edgeFits } from '../../schemas/connections.js';
import type { EdgeEntry } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import {
  setOp,
  fixWith,
  certificateReferences,
  list,
  GATEWRIGHT,
  onlyNodeOfType,
  certIdsByRole,
  lazy,
  idIsShared,
  edgeIdCounts,
} from './graph-support.js';

export const GRAPH_STRUCTURE_RULES: Rule[] = [
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
      // One finding per unknown id, in linear time (a lookup per entry); the engine lists the first
      // MAX_FINDINGS_PER_RULE and counts the rest, so 40,000 stale entries do not become 40,000 lines of warnings.
      for (const id of Object.keys(layout)) {
        if (ctx.nodes.has(id) || ctx.invalidNodeIds.has(id)) continue;
        yield ctx.atDocument(`layout has a position for "${id}", which is not a node id; delete it or correct the id`, ['layout', id]);
      }
    },
  }),
];
