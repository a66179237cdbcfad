import type { RuleCase } from './case.js';
import { REFERENCE, deleteAt, mutateReference, setAt } from '../helpers/reference.js';

const AKS = { kind: 'node', id: 'aks' } as const;
const aksProp = (path: string[], value: unknown) => mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', ...path], value));

export const AKS_CASES: RuleCase[] = [
  {
    rule: 'GW140',
    title: 'a public API server with no authorized IP ranges',
    pass: REFERENCE,
    fail: aksProp(['privateCluster'], false),
    target: AKS,
    message: 'public API server (privateCluster: false) and no authorizedIpRanges',
  },
  {
    rule: 'GW158',
    title: 'an authorized IP range with an octet above 255',
    pass: mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'privateCluster'], false);
      setAt(d, ['nodes', 'aks', 'properties', 'authorizedIpRanges'], ['203.0.113.0/24', '198.51.100.7', '192.0.2.8/29']);
    }),
    fail: mutateReference((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'privateCluster'], false);
      setAt(d, ['nodes', 'aks', 'properties', 'authorizedIpRanges'], ['203.0.113.0/24', '300.1.1.1']);
    }),
    target: AKS,
    message: 'entry "300.1.1.1", which has the octet 300, above 255; AKS refuses it',
  },
  {
    rule: 'GW141',
    title: 'no network policy engine',
    pass: REFERENCE,
    fail: aksProp(['networkPolicy'], 'none'),
    target: AKS,
    message: 'networkPolicy: none',
  },
  {
    rule: 'GW142',
    title: 'local accounts allowed',
    pass: REFERENCE,
    fail: aksProp(['localAccounts'], true),
    target: AKS,
    message: 'localAccounts: true',
  },
  {
    rule: 'GW143',
    title: 'Azure RBAC turned off',
    pass: REFERENCE,
    fail: aksProp(['azureRbac'], false),
    target: AKS,
    message: 'azureRbac: false',
  },
  {
    rule: 'GW144',
    title: 'Defender for Cloud does not protect the cluster',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'defender-aks'])),
    target: AKS,
    message: 'not protected by Defender for Containers',
  },
  {
    rule: 'GW145',
    title: 'Azure Policy add-on off',
    pass: REFERENCE,
    fail: aksProp(['azurePolicy'], false),
    target: AKS,
    message: 'azurePolicy: false',
  },
  {
    rule: 'GW146',
    title: 'the cluster reads Key Vault without the secrets provider',
    pass: REFERENCE,
    fail: aksProp(['keyVaultSecretsProvider'], false),
    target: AKS,
    message: 'reads Key Vault "kv"',
  },
  {
    rule: 'GW147',
    title: 'secrets provider without rotation',
    pass: REFERENCE,
    fail: aksProp(['secretRotation'], false),
    target: AKS,
    message: 'ingress certificate "ingress-tls" is renewed automatically',
  },
  {
    rule: 'GW148',
    title: 'no auto-upgrade channel',
    pass: REFERENCE,
    fail: aksProp(['autoUpgrade'], 'none'),
    target: AKS,
    message: 'autoUpgrade: none',
  },
  {
    rule: 'GW149',
    title: 'encryption at host off',
    pass: REFERENCE,
    fail: aksProp(['encryptionAtHost'], false),
    target: AKS,
    message: 'encryptionAtHost: false',
  },
  {
    rule: 'GW159',
    title: 'a node VM size that is not a VM size name',
    pass: aksProp(['nodeVmSize'], 'Standard_E64-32ads_v5'),
    fail: aksProp(['nodeVmSize'], 'Standard D4ds v5'),
    target: AKS,
    message: 'nodeVmSize "Standard D4ds v5", which is not an Azure VM size name; use a name such as Standard_D4ds_v5',
  },
  {
    rule: 'GW150',
    title: 'the retired community ingress-nginx controller',
    pass: REFERENCE,
    fail: aksProp(['ingress', 'controller'], 'ingressNginx'),
    target: AKS,
    message: 'retired in March 2026',
  },
  {
    rule: 'GW157',
    title: 'the app routing NGINX whose patch support ends in November 2026',
    pass: aksProp(['ingress', 'controller'], 'gatewayApi'),
    fail: REFERENCE,
    target: AKS,
    message: 'only until November 2026',
  },
  {
    rule: 'GW151',
    title: 'a configuration-snippet annotation',
    pass: aksProp(['ingress', 'annotations'], { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' }),
    fail: aksProp(['ingress', 'annotations'], { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X-Frame-Options: DENY";' }),
    target: AKS,
    message: 'snippet annotation "nginx.ingress.kubernetes.io/configuration-snippet"',
  },
  {
    rule: 'GW152',
    title: 'plain HTTP from the ingress to the pods',
    pass: REFERENCE,
    fail: aksProp(['ingress', 'backendProtocol'], 'http'),
    target: AKS,
    message: 'backendProtocol: http',
  },
  {
    rule: 'GW153',
    title: 'TLS passthrough behind an mTLS edge',
    pass: REFERENCE,
    fail: aksProp(['ingress', 'backendProtocol'], 'passthrough'),
    target: AKS,
    message: 'passes TLS through to the pods',
  },
  {
    rule: 'GW154',
    title: 'the cluster pulls from no registry',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'aks-acr'])),
    target: AKS,
    message: 'pulls images from no container registry',
  },
  {
    rule: 'GW155',
    title: 'workload identity off while a privateLink edge uses an identity',
    pass: REFERENCE,
    fail: aksProp(['workloadIdentity'], false),
    target: AKS,
    message: 'managed identity "workload-identity"',
  },
  {
    rule: 'GW156',
    title: 'a private cluster with no Bastion path',
    pass: REFERENCE,
    fail: mutateReference((d) => deleteAt(d, ['edges', 'bastion-aks'])),
    target: AKS,
    message: 'no operator access path',
  },
];
