import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const prop = (id: string, path: string[], value: unknown) => mutateReference((d) => setAt(d, ['nodes', id, 'properties', ...path], value));

export const MONITORING_CASES: RuleCase[] = [
  {
    rule: 'GW180',
    title: 'Key Vault sends no diagnostics',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'kv-logs'])),
    target: { kind: 'node', id: 'kv' },
    message: 'AuditEvent logs',
  },
  {
    rule: 'GW181',
    title: 'the workspace has no Sentinel',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'sentinel-logs'])),
    target: { kind: 'node', id: 'logs' },
    message: 'Microsoft Sentinel does not analyse it',
  },
  {
    rule: 'GW182',
    title: 'no Log Analytics workspace',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'logs'])),
    target: { kind: 'document' },
    message: 'no Log Analytics workspace',
  },
  {
    rule: 'GW183',
    title: 'classic Application Insights',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'appinsights-logs'])),
    target: { kind: 'node', id: 'appinsights' },
    message: 'is not workspace-based',
  },
  {
    rule: 'GW184',
    title: 'Application Insights with local authentication',
    pass: REFERENCE,
    fail: mutateReference((d) => setAt(d, ['nodes', 'appinsights', 'properties'], { localAuth: true })),
    target: { kind: 'node', id: 'appinsights' },
    message: 'localAuth: true',
  },
  {
    rule: 'GW185',
    title: 'API Management sends no traces',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'apim-traces'])),
    target: { kind: 'node', id: 'apim' },
    message: 'sends no traces to Application Insights',
  },
  {
    rule: 'GW186',
    title: 'Defender protects Key Vault without the KeyVaults plan',
    pass: REFERENCE,
    fail: prop('defender', ['plans'], ['Containers', 'Api', 'SqlServers', 'CosmosDbs']),
    target: { kind: 'node', id: 'defender' },
    message: 'KeyVaults (for "kv")',
  },
  {
    rule: 'GW187',
    title: 'a cluster and no Defender for Cloud',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['nodes', 'defender'])),
    target: { kind: 'document' },
    message: 'no Defender for Cloud node',
  },
  {
    rule: 'GW188',
    title: 'Key Vault not protected by Defender',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'defender-kv'])),
    target: { kind: 'node', id: 'kv' },
    message: 'enable its KeyVaults plan',
  },
  {
    rule: 'GW189',
    title: 'a Sentinel workspace keeping 30 days',
    pass: REFERENCE,
    fail: prop('logs', ['retentionDays'], 30),
    target: { kind: 'node', id: 'logs' },
    message: 'keeps data for 30 days',
  },
  {
    rule: 'GW190',
    title: 'a cluster and API Management with no virtual network',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      for (const edge of ['vnet-logs', 'aks-acr-link', 'aks-sql', 'aks-cosmos', 'aks-kv-link']) deleteAt(d, ['edges', edge]);
      deleteAt(d, ['nodes', 'vnet']);
    }),
    target: { kind: 'document' },
    message: 'the design has no virtualNetwork node',
  },
  {
    rule: 'GW191',
    title: 'an address space with host bits set',
    pass: REFERENCE,
    fail: prop('vnet', ['addressSpace'], '10.0.1.0/16'),
    target: { kind: 'node', id: 'vnet' },
    message: 'the network is 10.0.0.0/16',
  },
  {
    rule: 'GW192',
    title: 'a public address space',
    pass: prop('vnet', ['addressSpace'], '172.16.0.0/16'),
    fail: prop('vnet', ['addressSpace'], '20.1.0.0/16'),
    target: { kind: 'node', id: 'vnet' },
    message: 'outside the private ranges of RFC 1918',
  },
  {
    rule: 'GW193',
    title: 'an address space too small for the subnets',
    pass: prop('vnet', ['addressSpace'], '10.0.0.0/22'),
    fail: prop('vnet', ['addressSpace'], '10.0.0.0/24'),
    target: { kind: 'node', id: 'vnet' },
    message: 'use a /22 or larger, such as 10.0.0.0/16',
  },
];
