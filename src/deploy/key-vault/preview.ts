/**
 * What the import will change in each vault, said before anyone confirms, from read-only calls only (reading each
 * vault through Resource Manager): whether the vault is created first, whether its network settings may be opened to
 * this machine's address while importing (and restored), and whether a temporary role assignment may be made.
 * "May": whether this machine gets through as things are is only known by trying the data plane, which happens after
 * the confirmation.
 */
import type { DeploymentInput, DeploymentTarget } from '../target.js';
import { CERTIFICATES_OFFICER_ROLE } from './access.js';
import { describeSettings, ipRuleFor, mayRefuse, type NetworkSettings } from './network.js';
import type { CertificatePlan } from './plan.js';
import { VAULT_TYPE } from './vault-template.js';
import { getVault } from './vaults.js';
import { resourceGroupIdOf, templateNameIn } from '../unique-names.js';

export interface VaultChangePreview {
  readonly name: string;
  readonly exists: boolean;
  /** Its network settings now, or as the template will create it. */
  readonly network: NetworkSettings;
  readonly rbac: boolean;
  readonly certificateIds: readonly string[];
  /** What will or may change, one line each ("Key Vault payments-kv: ..."). */
  readonly lines: readonly string[];
}

export async function previewCertificateImport(
  target: DeploymentTarget,
  plan: CertificatePlan,
  options: { readonly input: DeploymentInput; readonly clientIp?: string; readonly signal?: AbortSignal },
): Promise<VaultChangePreview[]> {
  const out: VaultChangePreview[] = [];
  const whom = options.clientIp ? ipRuleFor(options.clientIp) : "this machine's public address (as Key Vault reports it)";
  for (const vault of plan.vaults) {
    const info = await getVault(target, vault.name, options.signal);
    const declared = info ? undefined : declaredVault(options.input.template, vault.name, resourceGroupIdOf(target));
    const network = info?.network ?? declared?.network ?? {};
    const rbac = info ? info.enableRbacAuthorization : declared?.rbac ?? false;
    const say = (text: string) => `Key Vault ${vault.name}: ${text}`;
    const lines: string[] = [];
    if (!info) lines.push(say(`does not exist yet: it will be created first, alone, as the template declares it (public network access ${describeSettings(network)})`));
    lines.push(say(`${vault.certificateIds.length} certificate${vault.certificateIds.length === 1 ? '' : 's'} imported (${vault.certificateIds.join(', ')}), each unless its current version is the same`));
    if (mayRefuse(network)) {
      lines.push(say(`public network access ${describeSettings(network)}: if this machine cannot reach it, it is enabled for ${whom} only while importing, then restored`));
    }
    if (rbac) lines.push(say(`if the signed-in account may not import certificates, it gets ${CERTIFICATES_OFFICER_ROLE.name} on this vault while importing; the assignment is removed afterwards`));
    out.push({ name: vault.name, exists: info !== undefined, network, rbac, certificateIds: vault.certificateIds, lines });
  }
  return out;
}

/**
 * The network settings and permission model the template gives a vault it creates (literal values only); the vault is
 * found by its name as Resource Manager evaluates it in the resource group (a derived name ends with uniqueString()).
 */
function declaredVault(template: Readonly<Record<string, unknown>>, name: string, resourceGroupId: string): { network: NetworkSettings; rbac: boolean } | undefined {
  const resources = Array.isArray(template.resources) ? (template.resources as unknown[]) : [];
  const r = resources.find(
    (x): x is Record<string, unknown> => isObject(x) && String(x.type).toLowerCase() === VAULT_TYPE.toLowerCase() && (templateNameIn(String(x.name), resourceGroupId) ?? String(x.name)).toLowerCase() === name.toLowerCase(),
  );
  const p = r && isObject(r.properties) ? r.properties : undefined;
  if (!p) return undefined;
  const access = typeof p.publicNetworkAccess === 'string' && !p.publicNetworkAccess.startsWith('[') ? p.publicNetworkAccess : undefined;
  return {
    network: { ...(access ? { publicNetworkAccess: access } : {}), ...(isObject(p.networkAcls) ? { networkAcls: p.networkAcls as NetworkSettings['networkAcls'] } : {}) },
    rbac: p.enableRbacAuthorization === true,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
