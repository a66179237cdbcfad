/** Fixtures of the "cannot be generated" rules (GW300-GW319): the reference design, and a mutation of it for each. */
import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

/** The reference design with the ingress of "aks" on the Gateway API, passing TLS through. */
const GATEWAY_API_PASSTHROUGH = mutateReference((d) => {
  setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], 'gatewayApi');
  setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough');
});

export const GENERATION_CASES: RuleCase[] = [
  {
    rule: 'GW300',
    title: 'API Management asks for the Premium v2 tier, which the GA API version does not have',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'sku'], 'PremiumV2')),
    target: { kind: 'node', id: 'apim' },
    message: 'uses sku PremiumV2, which API version 2024-05-01',
  },
  {
    rule: 'GW301',
    title: 'a Gateway API ingress passes TLS through without a host name',
    pass: GATEWAY_API_PASSTHROUGH,
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'controller'], 'gatewayApi');
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough');
      deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName']);
    }),
    target: { kind: 'node', id: 'aks' },
    message: 'a TLSRoute routes by SNI host name only',
  },
  {
    rule: 'GW302',
    title: 'API Management calls the ingress at a wildcard host name',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName'], '*.internal.contoso.com');
      setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['*.internal.contoso.com']);
    }),
    target: { kind: 'node', id: 'aks' },
    message: 'at its hostName "*.internal.contoso.com", a wildcard',
  },
  {
    rule: 'GW303',
    title: 'Application Gateway forwards to a wildcard API Management custom domain',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'apim', 'properties', 'hostName'], '*.internal.contoso.com');
      setAt(d, ['certificates', 'apim-tls', 'dnsNames'], ['*.internal.contoso.com']);
    }),
    target: { kind: 'node', id: 'apim' },
    message: 'at its hostName "*.internal.contoso.com", a wildcard',
  },
  {
    rule: 'GW304',
    title: 'the API Management publisher name is longer than 100 characters',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'publisherName'], `Contoso ${'platform '.repeat(12)}team`)),
    target: { kind: 'node', id: 'apim' },
    message: 'has a publisherName of 120 characters',
  },
  {
    rule: 'GW305',
    title: 'an API display name is longer than 300 characters',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'displayName'], 'Orders '.repeat(50))),
    target: { kind: 'node', id: 'apim' },
    message: 'has a displayName of 350 characters',
  },
];
