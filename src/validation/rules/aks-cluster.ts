/** The AKS cluster: control-plane exposure and authorized ranges, identity, add-ons, upgrades, the node VM size. */
import type { EditOperation } from '../../schemas/operations.js';
import { defineRule, type Rule } from '../rule.js';
import { connectOp, fixOf } from './data.js';
import {
  psrule,
  setOn,
  isOpenRange,
  AUTHORIZED_IP_RANGES,
  authorizedRangeViolations,
  VM_NAMING,
  VM_SIZE_NAME,
  vmSizeSuggestion,
  keyVaultReason,
} from './aks-support.js';

export const AKS_CLUSTER_RULES: Rule[] = [
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
];
