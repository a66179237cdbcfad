import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

export const APIM_CASES: RuleCase[] = [
  {
    rule: 'GW120',
    title: 'the Basic tier in internal virtual network mode',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'Basic')),
    target: { kind: 'node', id: 'apim' },
    message: 'uses sku Basic; internal virtual network mode needs Developer or Premium',
  },
  {
    rule: 'GW121',
    title: 'API Management behind the gateway is in external mode',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'External')),
    target: { kind: 'node', id: 'apim' },
    message: 'is in external mode',
  },
  {
    rule: 'GW122',
    title: 'two units of the Developer tier',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'capacity'], 2)),
    target: { kind: 'node', id: 'apim' },
    message: 'asks for 2 units of the Developer tier',
  },
  {
    rule: 'GW123',
    title: 'API Management called by the gateway has no custom domain',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'apim', 'properties', 'hostName'])),
    target: { kind: 'node', id: 'apim' },
    message: 'has no hostName for its gateway custom domain',
  },
  {
    rule: 'GW124',
    title: 'the custom-domain certificate names no Key Vault',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['certificates', 'apim-tls', 'keyVault'])),
    target: { kind: 'certificate', id: 'apim-tls' },
    message: 'custom-domain certificate "apim-tls" of API Management "apim" names no keyVault',
  },
  {
    rule: 'GW125',
    title: 'API Management has no secrets edge to the vault of its certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'apim-kv'])),
    target: { kind: 'node', id: 'apim' },
    message: 'has no secrets edge to "kv"',
  },
  {
    rule: 'GW126',
    title: 'no publisher e-mail',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'apim', 'properties', 'publisherEmail'])),
    target: { kind: 'node', id: 'apim' },
    message: 'has no publisherEmail',
  },
  {
    rule: 'GW127',
    title: 'API Management with an API calls no cluster',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'apim-aks'])),
    target: { kind: 'node', id: 'apim' },
    message: 'publishes 1 API but calls no cluster',
  },
  {
    rule: 'GW128',
    title: 'API Management does not validate the chain of the ingress certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['edges', 'apim-aks', 'properties', 'validateCertificateChain'], false)),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'with validateCertificateChain false',
  },
  {
    rule: 'GW129',
    title: 'the Consumption tier calls an ingress certified by the private CA',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'Consumption');
      setAt(d, ['nodes', 'apim', 'properties', 'virtualNetworkType'], 'None');
    }),
    target: { kind: 'node', id: 'apim' },
    message: 'chains to the private CA "internal-ca"',
  },
];
