import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const prop = (id: string, path: string[], value: unknown) => mutateReference((d) => setAt(d, ['nodes', id, 'properties', ...path], value));

export const DATA_CASES: RuleCase[] = [
  {
    rule: 'GW160',
    title: 'Cosmos DB reached by no private endpoint',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-cosmos'])),
    target: { kind: 'node', id: 'cosmos' },
    message: 'Cosmos DB account "cosmos" has no private endpoint',
  },
  {
    rule: 'GW161',
    title: 'SQL Database open to the internet',
    pass: REFERENCE,
    fail: prop('sql', ['publicNetworkAccess'], 'Enabled'),
    target: { kind: 'node', id: 'sql' },
    message: 'SQL Database "sql" accepts traffic from the internet',
  },
  {
    rule: 'GW162',
    title: 'Cosmos DB open to the internet',
    pass: REFERENCE,
    fail: prop('cosmos', ['publicNetworkAccess'], 'Enabled'),
    target: { kind: 'node', id: 'cosmos' },
    message: 'publicNetworkAccess: Enabled',
  },
  {
    rule: 'GW163',
    title: 'Key Vault open to the internet',
    pass: REFERENCE,
    fail: prop('kv', ['publicNetworkAccess'], 'Enabled'),
    target: { kind: 'node', id: 'kv' },
    message: 'Key Vault "kv" accepts traffic from the internet',
  },
  {
    rule: 'GW164',
    title: 'Container Registry open to the internet',
    pass: REFERENCE,
    fail: prop('acr', ['publicNetworkAccess'], 'Enabled'),
    target: { kind: 'node', id: 'acr' },
    message: 'Container Registry "acr" accepts traffic from the internet',
  },
  {
    rule: 'GW165',
    title: 'Key Vault without purge protection',
    pass: REFERENCE,
    fail: prop('kv', ['purgeProtection'], false),
    target: { kind: 'node', id: 'kv' },
    message: 'purgeProtection: false',
  },
  {
    rule: 'GW166',
    title: 'Key Vault with access policies',
    pass: REFERENCE,
    fail: prop('kv', ['rbacAuthorization'], false),
    target: { kind: 'node', id: 'kv' },
    message: 'rbacAuthorization: false',
  },
  {
    rule: 'GW167',
    title: 'Key Vault keeps deleted items for 7 days',
    pass: REFERENCE,
    fail: prop('kv', ['softDeleteRetentionDays'], 7),
    target: { kind: 'node', id: 'kv' },
    message: 'only 7 days',
  },
  {
    rule: 'GW168',
    title: 'a Standard registry behind a private endpoint',
    pass: REFERENCE,
    fail: prop('acr', ['sku'], 'Standard'),
    target: { kind: 'node', id: 'acr' },
    message: 'uses sku Standard but privateLink edge "aks-acr-link"',
  },
  {
    rule: 'GW169',
    title: 'registry admin user on',
    pass: REFERENCE,
    fail: prop('acr', ['adminUser'], true),
    target: { kind: 'node', id: 'acr' },
    message: 'enables the admin user',
  },
  {
    rule: 'GW170',
    title: 'anonymous pull on',
    pass: REFERENCE,
    fail: prop('acr', ['anonymousPull'], true),
    target: { kind: 'node', id: 'acr' },
    message: 'allows anonymous pull',
  },
  {
    rule: 'GW176',
    title: 'anonymous pull on a Basic registry',
    pass: mutateReference((d) => {
      setAt(d, ['nodes', 'acr', 'properties', 'sku'], 'Standard');
      setAt(d, ['nodes', 'acr', 'properties', 'anonymousPull'], true);
    }),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'acr', 'properties', 'sku'], 'Basic');
      setAt(d, ['nodes', 'acr', 'properties', 'anonymousPull'], true);
    }),
    target: { kind: 'node', id: 'acr' },
    message: 'allows anonymous pull on sku Basic',
  },
  {
    rule: 'GW171',
    title: 'SQL logins with passwords allowed',
    pass: REFERENCE,
    fail: prop('sql', ['entraOnlyAuthentication'], false),
    target: { kind: 'node', id: 'sql' },
    message: 'entraOnlyAuthentication: false',
  },
  {
    rule: 'GW172',
    title: 'SQL auditing off',
    pass: REFERENCE,
    fail: prop('sql', ['auditing'], false),
    target: { kind: 'node', id: 'sql' },
    message: 'auditing: false',
  },
  {
    rule: 'GW173',
    title: 'Cosmos DB account keys on',
    pass: REFERENCE,
    fail: prop('cosmos', ['localAuth'], true),
    target: { kind: 'node', id: 'cosmos' },
    message: 'localAuth: true',
  },
  {
    rule: 'GW174',
    title: 'a privateLink edge to SQL with no identity',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-sql', 'properties'])),
    target: { kind: 'edge', id: 'aks-sql' },
    message: 'no credential to sign in with',
  },
  {
    rule: 'GW175',
    title: 'private endpoints with no virtual network',
    pass: REFERENCE,
    fail: mutateReference((d) => {
      deleteAt(d, ['nodes', 'vnet']);
      deleteAt(d, ['edges', 'vnet-logs']);
    }),
    target: { kind: 'edge', id: 'aks-acr-link' },
    message: 'privatelink.azurecr.io',
  },
];
