import type { RuleCase } from './case.js';
import { REFERENCE, append, mutateReference, setAt } from '../helpers/reference.js';

export const GRAPH_CASES: RuleCase[] = [
  {
    rule: 'GW010',
    title: 'two nodes share an id',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'nodes', { id: 'kv', type: 'keyVault' })),
    target: { kind: 'node', id: 'kv' },
  },
  {
    rule: 'GW011',
    title: 'an edge points at a node that does not exist',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'edges', { from: 'aks', to: 'missing-db', type: 'privateLink' })),
    target: { kind: 'edge', id: 'aks-missing-db' },
    message: '"missing-db" is not a node id',
  },
  {
    rule: 'GW012',
    title: 'an mTLS edge from the internet straight to the cluster',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['edges', 'internet-appgw', 'to'], 'aks')),
    target: { kind: 'edge', id: 'internet-aks' },
  },
];
