import type { Document } from 'yaml';
import type { RuleCase } from './case.js';
import { REFERENCE, append, deleteAt, indexOf, mutateReference, setAt } from '../helpers/reference.js';

/** Sets a plain JS value (object or list) at a path whose first segments name an entry by id. */
export function setNode(doc: Document, [section, id, ...rest]: [string, string, ...(string | number)[]], value: unknown): void {
  const i = indexOf(doc, section as 'nodes' | 'certificates' | 'edges', id);
  doc.setIn([section, i, ...rest], doc.createNode(value));
}

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
  {
    rule: 'GW013',
    title: 'a new edge reuses the explicit id of another edge',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'edges', { id: 'aks-traces', from: 'bastion', to: 'vnet', type: 'remoteAccess' })),
    target: { kind: 'edge', id: 'aks-traces' },
    message: 'is already used by edge',
  },
  {
    rule: 'GW014',
    title: 'the secrets edge from API Management to Key Vault is drawn twice',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'edges', { from: 'apim', to: 'kv', type: 'secrets' })),
    target: { kind: 'edge', id: 'apim-kv' },
    message: 'is drawn twice',
  },
  {
    rule: 'GW015',
    title: 'two certificates share an id',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'certificates', { id: 'apim-client', role: 'client', issuer: 'internal-ca', keyVault: 'kv' })),
    target: { kind: 'certificate', id: 'apim-client' },
  },
  {
    rule: 'GW016',
    title: 'the listener certificate id has a typo',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'certificate'], 'gateway-tsl')),
    target: { kind: 'node', id: 'appgw' },
    message: '"gateway-tsl" is not a certificate id',
  },
  {
    rule: 'GW017',
    title: 'the mTLS client certificate is the ingress server certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['edges', 'apim-aks', 'properties', 'clientCertificate'], 'ingress-tls')),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'has role server; it must be a client certificate',
  },
  {
    rule: 'GW018',
    title: 'the issuer id has a typo',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-tls', 'issuer'], 'internal-ca2')),
    target: { kind: 'certificate', id: 'apim-tls' },
    message: 'names issuer "internal-ca2", which is not a certificate id',
  },
  {
    rule: 'GW019',
    title: 'the CA is said to be held in the Log Analytics workspace',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'internal-ca', 'keyVault'], 'logs')),
    target: { kind: 'certificate', id: 'internal-ca' },
    message: 'which is not a keyVault',
  },
  {
    rule: 'GW020',
    title: 'a Private Link identity names the cluster',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['edges', 'aks-sql', 'properties', 'identity'], 'aks')),
    target: { kind: 'edge', id: 'aks-sql' },
    message: 'which is not a managedIdentity',
  },
  {
    rule: 'GW021',
    title: 'Application Gateway forwards to itself',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'edges', { from: 'appgw', to: 'appgw', type: 'https' })),
    target: { kind: 'edge', id: 'appgw-appgw' },
    message: 'to itself',
  },
  {
    rule: 'GW022',
    title: 'the layout places a node that no longer exists',
    pass: REFERENCE,
    fail: mutateReference((d) => d.setIn(['layout', 'old-gateway'], d.createNode({ x: 10, y: 20 }))),
    target: { kind: 'document' },
    message: '"old-gateway", which is not a node id',
  },
  {
    rule: 'GW023',
    title: 'an API forwards to a service the cluster does not define',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'service'], 'payments')),
    target: { kind: 'node', id: 'apim' },
    message: 'forwards to service "payments", which no cluster it calls (aks) defines',
  },
  {
    rule: 'GW024',
    title: 'two APIs are named orders',
    pass: REFERENCE,
    fail: mutateReference((d) => setNode(d, ['nodes', 'apim', 'properties', 'apis', 1], { name: 'Orders', path: 'orders-v2', service: 'orders' })),
    target: { kind: 'node', id: 'apim' },
    message: 'has two APIs named "Orders"',
  },
  {
    rule: 'GW025',
    title: 'two APIs use the path orders',
    pass: REFERENCE,
    fail: mutateReference((d) => setNode(d, ['nodes', 'apim', 'properties', 'apis', 1], { name: 'orders-v2', path: '/orders/', service: 'orders' })),
    target: { kind: 'node', id: 'apim' },
    message: 'both use path "orders"',
  },
  {
    rule: 'GW026',
    title: 'the cluster defines service orders/orders twice',
    pass: REFERENCE,
    fail: mutateReference((d) => setNode(d, ['nodes', 'aks', 'properties', 'services', 1], { name: 'orders', namespace: 'orders', port: 8443 })),
    target: { kind: 'node', id: 'aks' },
    message: 'defines service "orders/orders" twice',
  },
  {
    rule: 'GW027',
    title: 'a second virtual network',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'nodes', { id: 'vnet2', type: 'virtualNetwork', properties: { addressSpace: '10.1.0.0/16' } })),
    target: { kind: 'node', id: 'vnet2' },
    message: 'already has virtual network "vnet"',
  },
  {
    rule: 'GW028',
    title: 'a second Defender for Cloud node',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'nodes', { id: 'defender2', type: 'defenderForCloud', properties: { plans: ['Dns'] } })),
    target: { kind: 'node', id: 'defender2' },
    message: 'already has Defender for Cloud node "defender"',
  },
  {
    rule: 'GW029',
    title: 'a Key Vault given a name longer than 24 characters (a derived one is cut to fit its unique suffix)',
    pass: mutateReference((d) => append(d, 'nodes', { id: 'secrets-for-the-orders-team', type: 'keyVault' })),
    fail: mutateReference((d) => append(d, 'nodes', { id: 'secrets-for-the-orders-team', type: 'keyVault', name: 'payments-secrets-for-the-orders-team' })),
    target: { kind: 'node', id: 'secrets-for-the-orders-team' },
    message: 'Key Vault name "payments-secrets-for-the-orders-team" of "secrets-for-the-orders-team" is invalid',
  },
  {
    rule: 'GW030',
    title: 'a second Key Vault is given the name of the first',
    pass: mutateReference((d) => append(d, 'nodes', { id: 'kv2', type: 'keyVault' })),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'kv', 'name'], 'contoso-payments-kv');
      append(d, 'nodes', { id: 'kv2', type: 'keyVault', name: 'Contoso-Payments-KV' });
    }),
    target: { kind: 'node', id: 'kv2' },
    message: 'would both be deployed as Key Vault "Contoso-Payments-KV"',
  },
  {
    rule: 'GW034',
    title: 'a Key Vault given the fixed name every copy of the reference design would ask for',
    pass: mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'contoso-payments-prod-kv')),
    fail: mutateReference((d) => setAt(d, ['nodes', 'kv', 'name'], 'payments-kv')),
    target: { kind: 'node', id: 'kv' },
    message: 'Key Vault name "payments-kv" of "kv" is likely taken already',
  },
  {
    rule: 'GW031',
    title: 'the client certificate is stored under the name of the ingress certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'secretName'], 'Ingress-TLS')),
    target: { kind: 'certificate', id: 'apim-client' },
    message: 'are both stored as "Ingress-TLS" in Key Vault "kv"',
  },
  {
    rule: 'GW032',
    title: 'a managed identity nothing uses',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'nodes', { id: 'spare-identity', type: 'managedIdentity' })),
    target: { kind: 'node', id: 'spare-identity' },
    message: 'is not connected to anything',
  },
  {
    rule: 'GW033',
    title: 'a certificate nothing uses',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'certificates', { id: 'old-cert', role: 'server', issuer: 'internal-ca', keyVault: 'kv', dnsNames: ['old.contoso.com'] })),
    target: { kind: 'certificate', id: 'old-cert' },
    message: 'is not used by any node, edge or certificate',
  },
];

/** Removes an edge of the reference design, by id. */
export function removeEdge(doc: Document, id: string): void {
  deleteAt(doc, ['edges', id]);
}
