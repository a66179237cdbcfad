/** The graph: ids, references and connections that make sense for the node types. */
import { allowedEdgeTypes, edgeFits } from '../../schemas/connections.js';
import { defineRule, type Rule } from '../rule.js';

const GATEWRIGHT = { tool: 'Gatewright', ref: 'design format v1' } as const;

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
];
