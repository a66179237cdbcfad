import type { Document } from 'yaml';
import type { RuleCase } from './case.js';
import { REFERENCE, append, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

/** A second private root CA, held in the reference Key Vault. */
export const OTHER_CA = { id: 'other-ca', role: 'ca', issuer: 'self', keyVault: 'kv', notAfter: '2035-12-31' };
/** An intermediate CA below the reference root. */
export const ISSUING_CA = { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv', notAfter: '2034-12-31' };

/** The reference with API Management's client certificate issued by an intermediate CA. */
export function withIntermediate(d: Document): void {
  append(d, 'certificates', ISSUING_CA);
  setAt(d, ['certificates', 'apim-client', 'issuer'], 'issuing-ca');
}

/** The reference with API Management's client certificate two intermediate CAs below the root. */
export function withTwoIntermediates(d: Document): void {
  append(d, 'certificates', ISSUING_CA);
  append(d, 'certificates', { id: 'team-ca', role: 'ca', issuer: 'issuing-ca', keyVault: 'kv', notAfter: '2034-12-31' });
  setAt(d, ['certificates', 'apim-client', 'issuer'], 'team-ca');
}

export const TRUST_CASES: RuleCase[] = [
  {
    rule: 'GW200',
    title: 'the ingress clientCa override is a CA that did not issue the client certificate',
    pass: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca')),
    fail: mutateReference((d) => {
      append(d, 'certificates', OTHER_CA);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'other-ca');
    }),
    target: { kind: 'node', id: 'aks' },
    message: 'anchors no client certificate',
  },
  {
    rule: 'GW201',
    title: 'a client certificate two intermediate CAs below the root with verify depth 1',
    pass: mutateReference((d) => {
      withTwoIntermediates(d);
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], 2);
    }),
    fail: mutateReference(withTwoIntermediates),
    target: { kind: 'node', id: 'aks' },
    message: 'needs 2',
  },
  {
    rule: 'GW202',
    title: 'the mTLS client certificate comes from a public CA',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'issuer'], 'external')),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'issued by a public CA',
  },
  {
    rule: 'GW203',
    title: 'the ingress reached over mTLS verifies client certificates only optionally',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'optional')),
    target: { kind: 'node', id: 'aks' },
    message: 'verifyClient is "optional"',
  },
  {
    rule: 'GW204',
    title: 'API Management calls an ingress that requires client certificates over plain https',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      deleteAt(d, ['edges', 'apim-aks', 'properties']);
      setAt(d, ['edges', 'apim-aks', 'type'], 'https');
    }),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'without a client certificate',
  },
  {
    rule: 'GW205',
    title: 'the ingress certificate does not name the host API Management calls',
    pass: mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['*.internal.contoso.com'])),
    fail: mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'dnsNames'], ['payments.internal.contoso.com'])),
    target: { kind: 'edge', id: 'apim-aks' },
    message: '"orders.internal.contoso.com"',
  },
  {
    rule: 'GW206',
    title: 'the ingress server certificate has no dnsNames',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['certificates', 'ingress-tls', 'dnsNames'])),
    target: { kind: 'certificate', id: 'ingress-tls' },
    message: 'has no dnsNames',
  },
  {
    rule: 'GW207',
    title: 'trustedCa on the gateway-to-API Management edge is not the CA of its certificate',
    pass: mutateReference((d) => setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' })),
    fail: mutateReference((d) => {
      append(d, 'certificates', OTHER_CA);
      setAt(d, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'other-ca' });
    }),
    target: { kind: 'edge', id: 'appgw-apim' },
    message: 'trusts "other-ca"',
  },
  {
    rule: 'GW208',
    title: 'the ingress API Management calls has no server certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'serverCertificate'])),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'has no serverCertificate',
  },
  {
    rule: 'GW209',
    title: 'the internet-facing listener certificate is issued by the private CA',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'gateway-tls', 'issuer'], 'internal-ca')),
    target: { kind: 'node', id: 'appgw' },
    message: 'no public client trusts',
  },
  {
    rule: 'GW210',
    title: 'the private CA of the ingress certificate is in no Key Vault API Management can read',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['certificates', 'internal-ca', 'keyVault'])),
    target: { kind: 'certificate', id: 'internal-ca' },
    message: 'CA certificate for aks',
  },
  {
    rule: 'GW211',
    title: 'Application Gateway does not read the Key Vault that holds its trusted root',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'appgw-kv'])),
    target: { kind: 'node', id: 'appgw' },
    message: 'trusted root for apim',
  },
  {
    rule: 'GW212',
    title: 'the ingress API Management calls has no host name',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName'])),
    target: { kind: 'edge', id: 'apim-aks' },
    message: 'which has no hostName',
  },
  {
    rule: 'GW213',
    title: 'SQL Database requires TLS 1.3 while the rest of the chain accepts 1.2',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'sql', 'properties', 'minTlsVersion'], '1.3')),
    target: { kind: 'node', id: 'appgw' },
    message: 'requires TLS 1.3',
  },
  {
    rule: 'GW214',
    title: 'the client certificate expired',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'notAfter'], '2026-01-31')),
    target: { kind: 'certificate', id: 'apim-client' },
    message: 'expired on 2026-01-31',
  },
  {
    rule: 'GW215',
    title: 'the ingress certificate outlives the CA that issued it',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'ingress-tls', 'notAfter'], '2036-06-30')),
    target: { kind: 'certificate', id: 'ingress-tls' },
    message: 'its issuer "internal-ca" expires on 2035-12-31',
  },
  {
    rule: 'GW216',
    title: 'the mTLS client certificate does not renew automatically',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'autoRenew'], false)),
    target: { kind: 'certificate', id: 'apim-client' },
    message: 'renewal is not set',
  },
  {
    rule: 'GW217',
    title: 'two CAs name each other as issuer',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      append(d, 'certificates', { id: 'loop-a', role: 'ca', issuer: 'loop-b' });
      append(d, 'certificates', { id: 'loop-b', role: 'ca', issuer: 'loop-a' });
    }),
    target: { kind: 'certificate', id: 'loop-a' },
    message: '"loop-a" → "loop-b" → "loop-a"',
  },
  {
    rule: 'GW218',
    title: 'a CA certificate issued by the client certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => append(d, 'certificates', { id: 'sub-ca', role: 'ca', issuer: 'apim-client', keyVault: 'kv' })),
    target: { kind: 'certificate', id: 'sub-ca' },
    message: '"apim-client" is a client certificate',
  },
  {
    rule: 'GW219',
    title: 'the client certificate API Management presents is in no Key Vault',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['certificates', 'apim-client', 'keyVault'])),
    target: { kind: 'certificate', id: 'apim-client' },
    message: 'is in no Key Vault',
  },
  {
    rule: 'GW220',
    title: 'the cluster does not read the Key Vault that holds the app routing ingress certificate',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-kv'])),
    target: { kind: 'node', id: 'aks' },
    message: 'does not read Key Vault "kv"',
  },
  {
    rule: 'GW221',
    title: 'the client certificate API Management presents has an EC key',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['certificates', 'apim-client', 'keyAlgorithm'], 'EC')),
    target: { kind: 'certificate', id: 'apim-client' },
    message: 'has an EC key',
  },
  {
    rule: 'GW222',
    title: 'tokens are validated without an audience',
    pass: mutateReference((d) => {
      deleteAt(d, ['nodes', 'entra', 'properties', 'audience']);
      setAt(d, ['nodes', 'apim', 'properties', 'apis', 0, 'audience'], 'api://payments-orders');
    }),
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'entra', 'properties', 'audience'])),
    target: { kind: 'node', id: 'apim' },
    message: 'without an audience',
  },
];
