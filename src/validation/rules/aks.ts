/**
 * The AKS cluster and its ingress: control-plane exposure and the authorized ranges AKS accepts, identity, add-ons,
 * upgrades, the node VM size, the ingress controller, its annotations and the hop to the pods, images, workload
 * identity and operator access.
 * Certificate chains and trust are checked elsewhere (trust rules).
 */
import type { DesignNode, NodeOf } from '../../schemas/design.js';
import type { EditOperation } from '../../schemas/operations.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule, type RuleViolation } from '../rule.js';
import { connectOp, fixOf, freeNodeId } from './data.js';
import { formatIp, parseCidr } from './monitoring.js';

type Aks = NodeOf<'aksCluster'>;

const psrule = (ref: string) =>
  ({ tool: 'PSRule for Azure', ref, url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${ref}/` }) as const;

const REFERENCE_ARTICLE = 'https://learn.microsoft.com/azure/architecture/solution-ideas/articles/mutual-tls-deploy-aks-api-management';
const NGINX_ANNOTATIONS = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/';

function setOn(node: DesignNode, path: (string | number)[], value: unknown): EditOperation {
  return { op: 'setProperty', target: { kind: 'node', id: node.id }, path, value };
}

/** Whether an address range authorizes every IPv4 address. */
function isOpenRange(range: string): boolean {
  return /\/0$/.test(range.trim());
}

const AUTHORIZED_IP_RANGES = 'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges';
/** The most entries AKS takes in authorizedIPRanges. */
const MAX_AUTHORIZED_RANGES = 200;
/** The entry that stands for "only the cluster's own outbound address"; AKS refuses it beside other ranges. */
const OUTBOUND_ONLY = '0.0.0.0/32';

/** What is wrong with one authorizedIpRanges entry: refused outright, or a range written from an address inside it. */
type RangeProblem =
  | { readonly kind: 'invalid'; readonly why: string; readonly fixed?: string }
  | { readonly kind: 'hostBits'; readonly network: string };

/**
 * Checks one entry: an IPv4 address (AKS stores it as /32) or an IPv4 CIDR range. The parsing is GW191's, so an
 * address space and an authorized range are read alike. Octets with a leading zero, which the Azure CLI and Go's
 * address parser refuse (they can be read as octal), are refused too.
 */
function rangeProblem(text: string): RangeProblem | undefined {
  const trimmed = text.trim();
  if (trimmed !== text) {
    return { kind: 'invalid', why: 'has spaces around it', ...(rangeProblem(trimmed) ? {} : { fixed: trimmed }) };
  }
  const c = parseCidr(text.includes('/') ? text : `${text}/32`);
  if (typeof c === 'string') {
    return { kind: 'invalid', why: c.startsWith('is not') ? 'is neither an IPv4 address nor an IPv4 CIDR range' : c };
  }
  const [address = '', length] = text.split('/');
  const zero = address.split('.').find((o) => /^0\d/.test(o));
  if (zero !== undefined) {
    const fixed = address.split('.').map((o) => String(Number(o))).join('.') + (length === undefined ? '' : `/${length}`);
    return { kind: 'invalid', why: `has the octet ${zero} with a leading zero, which Azure refuses (it can be read as octal)`, ...(rangeProblem(fixed) ? {} : { fixed }) };
  }
  if (!c.aligned) return { kind: 'hostBits', network: `${formatIp(c.start)}/${c.prefix}` };
  return undefined;
}

/** Everything GW158 reports on one cluster's authorizedIpRanges. */
function* authorizedRangeViolations(ctx: RuleContext, aks: Aks): Generator<RuleViolation> {
  const p = aks.properties;
  const ranges = p.authorizedIpRanges;
  const path = ['properties', 'authorizedIpRanges'];
  // The generator deploys no ranges for a private cluster: what is wrong with them only matters once it is public.
  const unused = p.privateCluster ? '; the cluster is private, so the ranges are not deployed until privateCluster is false' : '';
  const quiet = p.privateCluster ? ({ severity: 'warning' } as const) : {};
  const replace = (i: number, value: string) => setOn(aks, path, ranges.map((r, j) => (j === i ? value : r)));
  for (const [i, range] of ranges.entries()) {
    const problem = rangeProblem(range);
    if (!problem) continue;
    const entry = `AKS cluster "${aks.id}" has the authorizedIpRanges entry ${JSON.stringify(range)}, which`;
    if (problem.kind === 'invalid') {
      const fix = problem.fixed ? { fix: { title: `Use ${problem.fixed}`, operations: [replace(i, problem.fixed)] } } : {};
      yield ctx.atNode(aks, `${entry} ${problem.why}; AKS refuses it and accepts an IPv4 address or CIDR range such as 203.0.113.0/24${unused}`, [...path, i], { ...quiet, ...fix });
    } else {
      yield ctx.atNode(
        aks,
        `${entry} has bits set after its prefix length, so it authorizes the whole range ${problem.network}; write ${problem.network}, or ${range.split('/')[0]}/32 for that one address${unused}`,
        [...path, i],
        { severity: 'warning', fix: { title: `Use ${problem.network}`, operations: [replace(i, problem.network)] } },
      );
    }
  }
  const outbound = ranges.indexOf(OUTBOUND_ONLY);
  if (outbound >= 0 && ranges.length > 1) {
    yield ctx.atNode(
      aks,
      `AKS cluster "${aks.id}" lists ${OUTBOUND_ONLY} (only the cluster's own outbound address) together with other authorizedIpRanges, which AKS refuses; remove ${OUTBOUND_ONLY}: with other ranges listed, the outbound address is authorized anyway${unused}`,
      [...path, outbound],
      { ...quiet, fix: { title: `Remove ${OUTBOUND_ONLY}`, operations: [setOn(aks, path, ranges.filter((_, j) => j !== outbound))] } },
    );
  }
  if (ranges.length > MAX_AUTHORIZED_RANGES) {
    yield ctx.atNode(
      aks,
      `AKS cluster "${aks.id}" lists ${ranges.length} authorizedIpRanges, more than the ${MAX_AUTHORIZED_RANGES} AKS accepts; merge neighbouring ranges into larger ones${unused}`,
      path,
      quiet,
    );
  }
}

const VM_NAMING = 'https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions';

/**
 * The shape of an Azure VM size name (Microsoft Learn, "Azure VM sizes naming conventions"): the tier, then
 * family and subfamily letters, the vCPU count, an optional constrained vCPU count, the additive feature
 * letters, and underscore-separated parts for the accelerator, the variant and the version:
 * Standard_D4ds_v5, Standard_B2s, Standard_E64-32s_v5, Standard_NC24ads_A100_v4, Standard_M416s_8_v2, Basic_A1.
 * Loose on purpose: it refuses only what cannot be a size name, and does not list the sizes.
 */
const VM_SIZE_NAME = /^(Standard|Basic)_[A-Z]+\d+(-\d+)?[A-Z]*(_[A-Z0-9]+)*$/i;

/** A size name the text was probably meant to be: spaces made underscores, the Standard_ tier added. */
function vmSizeSuggestion(text: string): string | undefined {
  const joined = text.trim().replace(/\s+/g, '_');
  const named = /^(Standard|Basic)_/i.test(joined) ? joined : `Standard_${joined}`;
  return named !== text && VM_SIZE_NAME.test(named) ? named : undefined;
}

/** Why a cluster reads Key Vault, or undefined when it does not. */
function keyVaultReason(ctx: RuleContext, aks: Aks): string | undefined {
  const secrets = ctx.outgoing(aks.id, 'secrets').find((e) => e.to?.type === 'keyVault');
  if (secrets) return `it reads Key Vault "${secrets.edge.to}" (secrets edge "${secrets.id}")`;
  const ingress = aks.properties.ingress;
  for (const [field, certId] of [
    ['serverCertificate', ingress.serverCertificate],
    ['clientCa', ingress.clientCa],
  ] as const) {
    const cert = certId ? ctx.certificates.get(certId) : undefined;
    if (cert?.keyVault) return `its ingress ${field} "${cert.id}" lives in Key Vault "${cert.keyVault}"`;
  }
  return undefined;
}

const SNIPPET_RISKS: readonly { test: RegExp; what: string }[] = [
  { test: /_by_lua|lua_|\blua\b/i, what: 'its value runs Lua code in the controller (Checkov CKV_K8S_152)' },
  { test: /\balias\b/i, what: 'its value uses alias, which can read files of the controller pod (Checkov CKV_K8S_154)' },
];

export const AKS_RULES: Rule[] = [
  defineRule({
    id: 'GW140',
    name: 'aks-api-server-restricted',
    category: 'architecture',
    severity: 'error',
    title: 'The AKS API server is private or restricted to authorized IP ranges',
    rationale:
      'The API server is the control plane of the cluster. Defender for Cloud accepts either a private cluster or authorized IP ranges; PSRule Azure.AKS.AuthorizedIPs asks for ranges even on private clusters, which Gatewright exempts because a private API server has no public endpoint to restrict. A range of /0 authorizes every address and restricts nothing.',
    source: psrule('Azure.AKS.AuthorizedIPs'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const p = aks.properties;
        if (p.privateCluster) continue;
        if (p.authorizedIpRanges.length === 0) {
          yield ctx.atNode(
            aks,
            `AKS cluster "${aks.id}" has a public API server (privateCluster: false) and no authorizedIpRanges: anyone on the internet can reach its control plane; set privateCluster: true, or list the administrators' address ranges in authorizedIpRanges`,
            ['properties', 'privateCluster'],
            { fix: { title: `Make "${aks.id}" a private cluster`, operations: [setOn(aks, ['properties', 'privateCluster'], true)] } },
          );
          continue;
        }
        const i = p.authorizedIpRanges.findIndex(isOpenRange);
        if (i >= 0) {
          yield ctx.atNode(
            aks,
            `AKS cluster "${aks.id}" has a public API server and authorizedIpRanges contains ${p.authorizedIpRanges[i]}, which authorizes every address; list only the administrators' ranges, or set privateCluster: true`,
            ['properties', 'authorizedIpRanges', i],
            { fix: { title: `Make "${aks.id}" a private cluster`, operations: [setOn(aks, ['properties', 'privateCluster'], true)] } },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW158',
    name: 'aks-authorized-ip-ranges-valid',
    category: 'architecture',
    severity: 'error',
    title: 'Authorized IP ranges are IPv4 addresses or CIDR ranges AKS accepts',
    rationale:
      'AKS takes up to 200 authorized IP ranges, each an IPv4 address or an IPv4 CIDR range: four octets of 0-255 and a length of /0 to /32. Anything else fails the deployment, and so does 0.0.0.0/32 (only the cluster\'s own outbound address) next to other ranges. A range is written from its first address (137.117.106.88/29, not 137.117.106.90/29): one written from an address inside it authorizes the whole range, which is rarely what was meant, and the Azure CLI refuses it. A private cluster deploys no ranges, so there its problems are warnings.',
    source: { tool: 'Microsoft Learn', ref: 'Secure access to the API server using authorized IP address ranges in AKS', url: AUTHORIZED_IP_RANGES },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) yield* authorizedRangeViolations(ctx, aks);
    },
  }),
  defineRule({
    id: 'GW141',
    name: 'aks-network-policy',
    category: 'architecture',
    severity: 'warning',
    title: 'AKS enforces Kubernetes network policies',
    rationale:
      'Without a network policy engine every pod can reach every other pod, so one compromised workload reaches all of them. Azure, Calico and Cilium enforce NetworkPolicy objects; none does not.',
    source: psrule('Azure.AKS.NetworkPolicy'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.networkPolicy !== 'none') continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has networkPolicy: none, so NetworkPolicy objects are not enforced and every pod can reach every other; set networkPolicy to azure, calico or cilium`,
          ['properties', 'networkPolicy'],
          { fix: { title: 'Use the Azure network policy engine', operations: [setOn(aks, ['properties', 'networkPolicy'], 'azure')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW142',
    name: 'aks-local-accounts-disabled',
    category: 'architecture',
    severity: 'warning',
    title: 'AKS local accounts are disabled',
    rationale:
      'Local accounts (the static clusterAdmin credential) bypass Entra ID: they cannot be audited per person, revoked per person or protected by Conditional Access. Disabling them leaves Entra ID as the only way in.',
    source: psrule('Azure.AKS.LocalAccounts'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (!aks.properties.localAccounts) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" allows local accounts (localAccounts: true), a shared admin credential outside Entra ID; set localAccounts: false`,
          ['properties', 'localAccounts'],
          { fix: { title: 'Disable local accounts', operations: [setOn(aks, ['properties', 'localAccounts'], false)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW143',
    name: 'aks-azure-rbac',
    category: 'architecture',
    severity: 'warning',
    title: 'AKS uses Entra ID with Azure RBAC for Kubernetes authorization',
    rationale:
      'Managed Entra ID integration with Azure RBAC puts cluster access under the same identities, role assignments and audit trail as the rest of the platform (PSRule Azure.AKS.AzureRBAC and Azure.AKS.ManagedAAD).',
    source: psrule('Azure.AKS.AzureRBAC'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.azureRbac) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has azureRbac: false, so Kubernetes access is not governed by Entra ID and Azure role assignments; set azureRbac: true`,
          ['properties', 'azureRbac'],
          { fix: { title: 'Enable Entra ID with Azure RBAC', operations: [setOn(aks, ['properties', 'azureRbac'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW144',
    name: 'aks-defender-profile',
    category: 'architecture',
    severity: 'warning',
    title: 'Defender for Containers protects each AKS cluster',
    rationale:
      'Defender for Containers (the Defender profile on the cluster) detects runtime threats and scans the images the cluster runs; the reference architecture uses it for AKS and Container Registry. A design with a Defender for Cloud node should connect it to each cluster with a protects edge.',
    source: psrule('Azure.AKS.DefenderProfile'),
    fixable: true,
    *check(ctx) {
      const defenders = ctx.nodesOfType('defenderForCloud');
      // With no Defender for Cloud node at all, GW187 reports the missing plan once for the whole design.
      if (defenders.length === 0) return;
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (ctx.incoming(aks.id, 'protects').some((e) => e.from?.type === 'defenderForCloud')) continue;
        const only = defenders.length === 1 ? defenders[0] : undefined;
        const operations: EditOperation[] = [];
        if (only) {
          operations.push(...connectOp(ctx, only.id, aks.id, 'protects'));
          if (!only.properties.plans.includes('Containers')) {
            operations.push(setOn(only, ['properties', 'plans'], [...only.properties.plans, 'Containers']));
          }
        }
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" is not protected by Defender for Containers: no protects edge reaches it from ${defenders.map((d) => `"${d.id}"`).join(' or ')}; connect one whose plans include Containers`,
          [],
          fixOf(`Protect "${aks.id}" with "${only?.id}"`, operations),
        );
      }
    },
  }),
  defineRule({
    id: 'GW145',
    name: 'aks-azure-policy-add-on',
    category: 'architecture',
    severity: 'warning',
    title: 'The Azure Policy add-on is enabled on AKS',
    rationale:
      'The Azure Policy add-on (Gatekeeper) enforces and reports pod security and image policies inside the cluster, such as allowed registries and no privileged containers.',
    source: psrule('Azure.AKS.AzurePolicyAddOn'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.azurePolicy) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has azurePolicy: false, so no in-cluster policy (allowed registries, no privileged pods) is enforced; set azurePolicy: true`,
          ['properties', 'azurePolicy'],
          { fix: { title: 'Enable the Azure Policy add-on', operations: [setOn(aks, ['properties', 'azurePolicy'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW146',
    name: 'aks-secret-store',
    category: 'architecture',
    severity: 'error',
    title: 'A cluster that reads Key Vault has the Key Vault secrets provider',
    rationale:
      'The Secrets Store CSI driver add-on (azureKeyvaultSecretsProvider) is how workloads and the application routing add-on read certificates and secrets from Key Vault without copying them into Kubernetes manifests. A cluster with a secrets edge to Key Vault, or an ingress certificate kept in Key Vault, cannot read it without the add-on.',
    source: psrule('Azure.AKS.SecretStore'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.keyVaultSecretsProvider) continue;
        const reason = keyVaultReason(ctx, aks);
        if (!reason) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has keyVaultSecretsProvider: false but ${reason}; enable the Key Vault secrets provider (keyVaultSecretsProvider: true)`,
          ['properties', 'keyVaultSecretsProvider'],
          { fix: { title: 'Enable the Key Vault secrets provider', operations: [setOn(aks, ['properties', 'keyVaultSecretsProvider'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW147',
    name: 'aks-secret-rotation',
    category: 'architecture',
    severity: 'warning',
    title: 'The Key Vault secrets provider rotates secrets',
    rationale:
      'Without rotation the CSI driver mounts a secret once and never refreshes it, so a certificate renewed in Key Vault never reaches the ingress and it serves the old one until it expires.',
    source: psrule('Azure.AKS.SecretStoreRotation'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const p = aks.properties;
        if (!p.keyVaultSecretsProvider || p.secretRotation) continue;
        const renewed = [p.ingress.serverCertificate].flatMap((id) => {
          const cert = id ? ctx.certificates.get(id) : undefined;
          return cert?.autoRenew ? [cert.id] : [];
        });
        const why = renewed.length
          ? `: the ingress certificate "${renewed[0]}" is renewed automatically and the cluster would keep serving the old one`
          : ': secrets renewed in Key Vault never reach the pods';
        yield ctx.atNode(aks, `AKS cluster "${aks.id}" has secretRotation: false${why}; set secretRotation: true`, ['properties', 'secretRotation'], {
          fix: { title: 'Enable secret rotation', operations: [setOn(aks, ['properties', 'secretRotation'], true)] },
        });
      }
    },
  }),
  defineRule({
    id: 'GW148',
    name: 'aks-auto-upgrade',
    category: 'architecture',
    severity: 'warning',
    title: 'AKS has an auto-upgrade channel',
    rationale:
      'Without an auto-upgrade channel the cluster stays on its Kubernetes version until someone upgrades it by hand, and falls out of support and out of security patches.',
    source: psrule('Azure.AKS.AutoUpgrade'),
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.autoUpgrade !== 'none') continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has autoUpgrade: none, so it never receives Kubernetes patch releases by itself; choose a channel such as stable or patch`,
          ['properties', 'autoUpgrade'],
          { fix: { title: 'Use the stable upgrade channel', operations: [setOn(aks, ['properties', 'autoUpgrade'], 'stable')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW149',
    name: 'aks-encryption-at-host',
    category: 'architecture',
    severity: 'warning',
    title: 'AKS nodes encrypt at host',
    rationale:
      'Encryption at host encrypts the temporary disks, the OS and data disk caches and the data flowing between the node VMs and storage, which server-side encryption of managed disks does not cover.',
    source: { tool: 'Checkov', ref: 'CKV_AZURE_227' },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.encryptionAtHost) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has encryptionAtHost: false, so temporary disks and disk caches of its nodes are stored unencrypted; set encryptionAtHost: true`,
          ['properties', 'encryptionAtHost'],
          { fix: { title: 'Enable encryption at host', operations: [setOn(aks, ['properties', 'encryptionAtHost'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW159',
    name: 'aks-node-vm-size-name',
    category: 'architecture',
    severity: 'error',
    title: 'The node VM size is an Azure VM size name',
    rationale:
      'Azure VM size names follow one pattern: the tier (Standard, or Basic for retired sizes), an underscore, the family letters, the vCPU count, an optional constrained vCPU count, the feature letters, then the accelerator and the version (Standard_D4ds_v5, Standard_E64-32s_v5, Standard_NC24ads_A100_v4). AKS fails the deployment on any other text. Whether a size exists and is offered in the region is only known to Azure.',
    source: { tool: 'Microsoft Learn', ref: 'Azure virtual machine sizes naming conventions', url: VM_NAMING },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const size = aks.properties.nodeVmSize;
        if (VM_SIZE_NAME.test(size)) continue;
        const suggestion = vmSizeSuggestion(size);
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has nodeVmSize ${JSON.stringify(size)}, which is not an Azure VM size name; use a name such as ${suggestion ?? 'Standard_D4ds_v5'} (tier, underscore, family, vCPUs, features, version)`,
          ['properties', 'nodeVmSize'],
          suggestion ? { fix: { title: `Use ${suggestion}`, operations: [setOn(aks, ['properties', 'nodeVmSize'], suggestion)] } } : {},
        );
      }
    },
  }),
  defineRule({
    id: 'GW150',
    name: 'ingress-nginx-retired',
    category: 'architecture',
    severity: 'warning',
    title: 'The community ingress-nginx controller is not used',
    rationale:
      'Kubernetes SIG Network and the Security Response Committee retired the community ingress-nginx controller: best-effort maintenance ended in March 2026 and there are no further releases or security fixes. Its README says not to deploy it anew. Use the Gateway API, or the AKS application routing add-on, which Microsoft patches.',
    source: { tool: 'Kubernetes', ref: 'Ingress NGINX Retirement: What You Need to Know', url: 'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/' },
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.controller !== 'ingressNginx') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" uses the community ingress-nginx controller, retired in March 2026 with no further security fixes; use controller gatewayApi, or appRouting (the AKS-managed NGINX)`,
          ['properties', 'ingress', 'controller'],
        );
      }
    },
  }),
  defineRule({
    id: 'GW157',
    name: 'app-routing-nginx-support-ending',
    category: 'architecture',
    severity: 'info',
    title: 'Plan the move from the app routing add-on\'s NGINX to the Gateway API',
    rationale:
      'After the community ingress-nginx retirement, AKS gives the application routing add-on\'s NGINX critical security patches only until November 2026, and recommends the app routing Gateway API implementation (Istio-based) or Application Gateway for Containers. The design can switch with ingress controller gatewayApi; the generated manifests then use Gateway API frontend client-certificate validation.',
    source: {
      tool: 'Microsoft Learn',
      ref: 'AKS: ingress-nginx retirement and the application routing add-on',
      url: 'https://learn.microsoft.com/azure/aks/app-routing',
    },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.controller !== 'appRouting') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" uses the app routing add-on's NGINX, which gets critical security patches only until November 2026; plan the move to controller gatewayApi`,
          ['properties', 'ingress', 'controller'],
          { fix: { title: 'Use the Gateway API', operations: [setOn(aks, ['properties', 'ingress', 'controller'], 'gatewayApi')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW151',
    name: 'ingress-no-snippet-annotations',
    category: 'architecture',
    severity: 'error',
    title: 'The ingress has no NGINX snippet annotations',
    rationale:
      'Snippet annotations (configuration-snippet, server-snippet, auth-snippet, stream-snippet, ...) inject raw NGINX configuration. Whoever can write an Ingress can then read the controller service account token and every secret it can see (CVE-2021-25742), run Lua code or read files through alias. The AKS application routing add-on accepts them (its annotation risk level is Critical), so the design must not carry them.',
    source: { tool: 'Checkov', ref: 'CKV_K8S_153', url: NGINX_ANNOTATIONS },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        for (const [key, value] of Object.entries(aks.properties.ingress.annotations)) {
          if (!key.toLowerCase().includes('snippet')) continue;
          const risks = SNIPPET_RISKS.filter((r) => r.test.test(value)).map((r) => r.what);
          const detail = risks.length ? `; ${risks.join('; ')}` : '';
          yield ctx.atNode(
            aks,
            `the ingress of "${aks.id}" has the snippet annotation "${key}", which injects raw NGINX configuration (CVE-2021-25742)${detail}; remove it and use a dedicated annotation or policy instead`,
            ['properties', 'ingress', 'annotations', key],
            {
              fix: {
                title: `Remove the annotation ${key}`,
                operations: [{ op: 'unsetProperty', target: { kind: 'node', id: aks.id }, path: ['properties', 'ingress', 'annotations', key] }],
              },
            },
          );
        }
      }
    },
  }),
  defineRule({
    id: 'GW152',
    name: 'ingress-backend-encrypted',
    category: 'architecture',
    severity: 'warning',
    title: 'The ingress re-encrypts traffic to the pods',
    rationale:
      'The reference architecture is encrypted end to end: the ingress controller re-encrypts traffic and sends it over HTTPS to the pods (or passes TLS through). With backendProtocol http the last hop, inside the cluster network, carries requests and tokens in clear text.',
    source: { tool: 'Microsoft Learn', ref: 'Deploy AKS and API Management with mTLS', url: REFERENCE_ARTICLE },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.ingress.backendProtocol !== 'http') continue;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" sends traffic to the pods over plain HTTP (backendProtocol: http), so the hop from the ingress to the pods is unencrypted; set backendProtocol: https`,
          ['properties', 'ingress', 'backendProtocol'],
          { fix: { title: 'Re-encrypt to the pods', operations: [setOn(aks, ['properties', 'ingress', 'backendProtocol'], 'https')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW153',
    name: 'ingress-terminates-mtls',
    category: 'architecture',
    severity: 'error',
    title: 'An ingress reached over mTLS terminates TLS so it can verify client certificates',
    rationale:
      'With TLS passthrough the ingress cannot verify client certificates at all: every other annotation is ignored and mTLS would have to end in the pod. (Whether verification is required, verifyClient "on", is GW203.)',
    source: { tool: 'Kubernetes', ref: 'ingress-nginx annotation ssl-passthrough', url: `${NGINX_ANNOTATIONS}#ssl-passthrough` },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        const first = ctx.incoming(aks.id, 'mtls')[0];
        if (!first) continue;
        if (aks.properties.ingress.backendProtocol !== 'passthrough') continue;
        const caller = `mtls edge "${first.id}" from "${first.edge.from}"`;
        yield ctx.atNode(
          aks,
          `the ingress of "${aks.id}" passes TLS through to the pods (backendProtocol: passthrough), so it cannot verify the client certificate of ${caller}; use backendProtocol: https, or terminate mTLS in the pods`,
          ['properties', 'ingress', 'backendProtocol'],
          { fix: { title: 'Terminate TLS at the ingress and re-encrypt', operations: [setOn(aks, ['properties', 'ingress', 'backendProtocol'], 'https')] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW154',
    name: 'aks-trusted-registry',
    category: 'architecture',
    severity: 'warning',
    title: 'The cluster pulls images from a registry of the design',
    rationale:
      'Defender for Cloud recommends deploying container images from trusted registries only. In the reference architecture the cluster pulls its images from a private Container Registry (imagePull edge: AcrPull for the kubelet identity), which Defender scans; without one, workloads come from public registries nobody vets.',
    source: { tool: 'Defender for Cloud', ref: 'Container images should be deployed from trusted registries only' },
    fixable: true,
    *check(ctx) {
      const registries = ctx.nodesOfType('containerRegistry');
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (ctx.outgoing(aks.id, 'imagePull').some((e) => e.to?.type === 'containerRegistry')) continue;
        const only = registries.length === 1 ? registries[0] : undefined;
        const hint = registries.length
          ? `connect an imagePull edge to ${registries.map((r) => `"${r.id}"`).join(' or ')}`
          : 'add a containerRegistry node and connect an imagePull edge to it';
        yield ctx.atNode(aks, `AKS cluster "${aks.id}" pulls images from no container registry of the design; ${hint} so workloads come from a trusted, scanned registry`, [], only
          ? fixOf(`Pull images from "${only.id}"`, connectOp(ctx, aks.id, only.id, 'imagePull'))
          : {});
      }
    },
  }),
  defineRule({
    id: 'GW155',
    name: 'aks-workload-identity',
    category: 'architecture',
    severity: 'error',
    title: 'Workload identity is on where workloads use managed identities',
    rationale:
      'A pod signs in as a user-assigned managed identity through Microsoft Entra Workload ID: the cluster OIDC issuer and a federated credential on the identity. With workload identity off, the identity a privateLink edge names cannot be used by the workload, and it has no credential for SQL Database or Cosmos DB.',
    source: { tool: 'Microsoft Learn', ref: 'Use Microsoft Entra Workload ID with AKS', url: 'https://learn.microsoft.com/azure/aks/workload-identity-overview' },
    fixable: true,
    *check(ctx) {
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (aks.properties.workloadIdentity) continue;
        const edge = ctx.outgoing(aks.id, 'privateLink').find((e) => e.edge.properties.identity);
        if (!edge) continue;
        yield ctx.atNode(
          aks,
          `AKS cluster "${aks.id}" has workloadIdentity: false, but privateLink edge "${edge.id}" signs in as managed identity "${edge.edge.properties.identity}", which pods can only use through workload identity; set workloadIdentity: true`,
          ['properties', 'workloadIdentity'],
          { fix: { title: 'Enable workload identity', operations: [setOn(aks, ['properties', 'workloadIdentity'], true)] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW156',
    name: 'aks-private-access-path',
    category: 'architecture',
    severity: 'info',
    title: 'Operators reach a private cluster through Bastion',
    rationale:
      'A private API server is reachable only from its virtual network. The reference architecture gives operators a jump host behind Azure Bastion (a remoteAccess edge to the cluster or its virtual network); without one, only az aks command invoke remains.',
    source: { tool: 'Microsoft Learn', ref: 'Options for connecting to the private cluster', url: 'https://learn.microsoft.com/azure/aks/private-clusters#options-for-connecting-to-the-private-cluster' },
    fixable: true,
    *check(ctx) {
      const bastions = ctx.nodesOfType('bastion');
      const toNetwork = ctx.edgesOfType('remoteAccess').some((e) => e.from?.type === 'bastion' && e.to?.type === 'virtualNetwork');
      if (toNetwork) return;
      for (const aks of ctx.nodesOfType('aksCluster')) {
        if (!aks.properties.privateCluster) continue;
        if (ctx.incoming(aks.id, 'remoteAccess').some((e) => e.from?.type === 'bastion')) continue;
        let operations: EditOperation[] = [];
        if (bastions.length === 1) {
          operations = connectOp(ctx, bastions[0]!.id, aks.id, 'remoteAccess');
        } else if (bastions.length === 0) {
          const id = freeNodeId(ctx, 'bastion');
          operations = [
            { op: 'addNode', node: { id, type: 'bastion' } },
            ...connectOp(ctx, id, aks.id, 'remoteAccess'),
          ];
        }
        const hint = bastions.length
          ? `connect a remoteAccess edge from ${bastions.map((b) => `"${b.id}"`).join(' or ')}`
          : 'add a bastion node with a remoteAccess edge to it';
        yield ctx.atNode(aks, `private AKS cluster "${aks.id}" has no operator access path: no Bastion reaches it or its virtual network; ${hint}`, ['properties', 'privateCluster'], fixOf(`Reach "${aks.id}" through Bastion`, operations));
      }
    },
  }),
];
