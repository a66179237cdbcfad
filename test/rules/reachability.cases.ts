import type { RuleCase } from './case.js';
import { REFERENCE, mutateReference, setAt } from '../helpers/reference.js';

export const REACHABILITY_CASES: RuleCase[] = [
  {
    rule: 'GW470',
    title: 'API Management outside the virtual network calls the private ingress',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'None')),
    target: { kind: 'node', id: 'apim' },
    message: 'is not in a virtual network but calls the private ingress of AKS cluster "aks"',
  },
];
