/**
 * Fixtures of the rules for mistakes Azure or Kubernetes refuse, or that deploy and break the request path
 * (GW400-GW449: regions, limits, Kubernetes validation, reachability): the reference design, and one realistic
 * mistake in it for each.
 */
import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';
import { setNode } from './graph.cases.js';

/** Sixteen tags: more than a Private DNS zone takes. */
export const SIXTEEN_TAGS = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`tag${i + 1}`, `value${i + 1}`]));

export const PLATFORM_CASES: RuleCase[] = [
  {
    rule: 'GW400',
    title: 'the region name is misspelt',
    pass: REFERENCE,
    fail: mutateReference((d) => d.setIn(['metadata', 'location'], 'westeurop')),
    target: { kind: 'document' },
    message: 'metadata.location "westeurop" is not an Azure region; did you mean "westeurope"?',
  },
  {
    rule: 'GW401',
    title: 'the zone-redundant gateway is placed in a region without availability zones',
    pass: REFERENCE,
    fail: mutateReference((d) => d.setIn(['metadata', 'location'], 'westcentralus')),
    target: { kind: 'node', id: 'appgw' },
    message: 'but westcentralus (West Central US) has no availability zones',
  },
  {
    rule: 'GW405',
    title: 'a WAF rule id with a digit too many is turned off',
    pass: REFERENCE,
    fail: mutateReference((d) => setNode(d, ['nodes', 'appgw', 'properties', 'disabledRules'], ['9422000'])),
    target: { kind: 'node', id: 'appgw' },
    message: 'turns off "9422000", which DRS 2.1 does not have',
  },
  {
    rule: 'GW410',
    title: 'sixteen tags, which the Private DNS zones refuse',
    pass: REFERENCE,
    fail: mutateReference((d) => d.setIn(['metadata', 'tags'], d.createNode(SIXTEEN_TAGS))),
    target: { kind: 'document' },
    message: 'metadata.tags has 16 tags',
  },
  {
    rule: 'GW411',
    title: 'two tag names differ only in case',
    pass: REFERENCE,
    fail: mutateReference((d) => d.setIn(['metadata', 'tags', 'Workload'], 'orders')),
    target: { kind: 'document' },
    message: 'tags "workload" and "Workload" are one tag in Azure',
  },
  {
    rule: 'GW420',
    title: 'a service path with a doubled slash',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'services', 0, 'path'], '/orders//v1')),
    target: { kind: 'node', id: 'aks' },
    message: 'the path "/orders//v1" of service "orders/orders" on AKS cluster "aks" contains "//"',
  },
  {
    rule: 'GW421',
    title: 'a service path with a dot behind the NGINX ingress',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'services', 0, 'path'], '/v1.0/orders')),
    target: { kind: 'node', id: 'aks' },
    message: 'has ".", which the NGINX ingress refuses',
  },
  {
    rule: 'GW422',
    title: 'a second service on the same host and path',
    pass: REFERENCE,
    fail: mutateReference((d) => setNode(d, ['nodes', 'aks', 'properties', 'services'], [
      { name: 'orders', namespace: 'orders', port: 443, path: '/' },
      { name: 'payments', namespace: 'payments', port: 443, path: '/' },
    ])),
    target: { kind: 'node', id: 'aks' },
    message: 'services "orders/orders" and "payments/payments" of AKS cluster "aks" are both routed on orders.internal.contoso.com with path /',
  },
  {
    rule: 'GW423',
    title: 'API Management and the ingress it calls share a host name',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'hostName'], 'orders.internal.contoso.com')),
    target: { kind: 'node', id: 'aks' },
    message: 'API Management "apim" and the ingress of AKS cluster "aks" use the same host name orders.internal.contoso.com',
  },
  {
    rule: 'GW424',
    // A key that is not a qualified name is refused by the schema already (GW002); what is left is the total size.
    title: 'ingress annotations over the 256 KiB the API server takes on one object',
    pass: REFERENCE,
    fail: mutateReference((d) =>
      setNode(d, ['nodes', 'aks', 'properties', 'ingress', 'annotations'], { 'example.com/a': 'x'.repeat(140_000), 'example.com/b': 'y'.repeat(140_000) }),
    ),
    target: { kind: 'node', id: 'aks' },
    message: 'more than the 262144',
  },
  {
    rule: 'GW440',
    title: 'the closed Key Vault loses its private endpoint',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-kv-link'])),
    target: { kind: 'node', id: 'kv' },
    message: 'Key Vault "kv" is closed to public access and no private endpoint reaches it, but AKS cluster "aks" loads',
  },
  {
    rule: 'GW441',
    title: 'the closed registry loses its private endpoint',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-acr-link'])),
    target: { kind: 'node', id: 'acr' },
    message: 'but AKS cluster "aks" pulls images from it: every pull fails',
  },
  {
    rule: 'GW442',
    title: 'the vault everything reads uses access policies',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'kv', 'properties', 'rbacAuthorization'], false)),
    target: { kind: 'node', id: 'kv' },
    message: 'so "aks", "apim", "appgw" cannot read',
  },
  {
    rule: 'GW443',
    title: 'API Management behind the gateway has no API',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'apim', 'properties', 'apis'])),
    target: { kind: 'node', id: 'apim' },
    message: 'API Management "apim" publishes no API, but Application Gateway "appgw" forwards every request to it',
  },
];
