/**
 * A vault's network settings (publicNetworkAccess and the firewall, networkAcls) and the smallest change that lets
 * this machine reach its data plane: public network access Enabled with the firewall's default action Deny and one IP
 * rule for this machine's public address (/32, or /128 for IPv6), every existing rule kept. The text of each change,
 * and of what to restore by hand when restoring fails. Pure.
 */
import { isIP } from 'node:net';

export interface IpRuleSetting {
  readonly value: string;
}

export interface VirtualNetworkRuleSetting {
  readonly id: string;
  readonly ignoreMissingVnetServiceEndpoint?: boolean;
}

/** Key Vault's NetworkRuleSet. */
export interface NetworkAclsSetting {
  readonly bypass?: string;
  readonly defaultAction?: string;
  readonly ipRules?: readonly IpRuleSetting[];
  readonly virtualNetworkRules?: readonly VirtualNetworkRuleSetting[];
}

export interface NetworkSettings {
  /** Enabled or Disabled; absent means Enabled. */
  readonly publicNetworkAccess?: string;
  /** Absent means no firewall: every network is allowed (when public access is enabled). */
  readonly networkAcls?: NetworkAclsSetting;
}

/** Whether the settings may keep a machine on the internet out (it depends on its address when only a rule lets it in). */
export function mayRefuse(settings: NetworkSettings): boolean {
  return isDisabled(settings) || settings.networkAcls?.defaultAction?.toLowerCase() === 'deny';
}

export function isDisabled(settings: NetworkSettings): boolean {
  return settings.publicNetworkAccess?.toLowerCase() === 'disabled';
}

/** The IP rule of one address: a.b.c.d/32, or /128 for IPv6. Throws a RangeError for anything that is not an address. */
export function ipRuleFor(address: string): string {
  const version = isIP(address);
  if (version === 0) throw new RangeError(`"${address}" is not an IP address`);
  return `${address}/${version === 4 ? 32 : 128}`;
}

/** Public network access enabled, the firewall denying by default, every existing rule kept, and extra IP rules. */
export function openedSettings(original: NetworkSettings, extraRules: readonly string[] = []): Required<NetworkSettings> & { networkAcls: Required<NetworkAclsSetting> } {
  const acls = original.networkAcls;
  const ipRules = [...(acls?.ipRules ?? [])];
  for (const rule of extraRules) if (!ipRules.some((r) => sameRule(r.value, rule))) ipRules.push({ value: rule });
  return {
    publicNetworkAccess: 'Enabled',
    networkAcls: {
      bypass: acls?.bypass ?? 'AzureServices',
      defaultAction: 'Deny',
      ipRules,
      virtualNetworkRules: [...(acls?.virtualNetworkRules ?? [])],
    },
  };
}

/**
 * The settings to send back when restoring: the original ones, with an explicit "no firewall" (default action Allow,
 * no rules) for a vault that had none, since leaving the firewall out of an update would keep the one set meanwhile.
 */
export function restoringSettings(original: NetworkSettings): Required<NetworkSettings> {
  return {
    publicNetworkAccess: original.publicNetworkAccess ?? 'Enabled',
    networkAcls: original.networkAcls ?? { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
  };
}

/** Whether two settings mean the same (no firewall equals a firewall allowing everything with no rule; case and /32 aside). */
export function sameNetwork(a: NetworkSettings, b: NetworkSettings): boolean {
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}

/** Whether an address's rule is among the settings' IP rules. */
export function hasRule(settings: NetworkSettings, rule: string): boolean {
  return (settings.networkAcls?.ipRules ?? []).some((r) => sameRule(r.value, rule));
}

/** "public network access Disabled -> Enabled for 203.0.113.7/32 only" and the like. */
export function describeOpening(original: NetworkSettings, rule: string | undefined): string {
  const before = accessText(original);
  if (!rule) return `public network access ${before} -> Enabled with the firewall denying by default and no new rule (nobody new gets in), to learn this machine's public address from Key Vault's answer`;
  const others = (original.networkAcls?.ipRules?.length ?? 0) + (original.networkAcls?.virtualNetworkRules?.length ?? 0);
  const only = others ? ` (besides the ${others} rule${others === 1 ? '' : 's'} it had)` : ' only';
  return `public network access ${before} -> Enabled for ${rule}${only}`;
}

/** The settings in words: "Disabled", "Enabled (firewall: deny by default, 2 IP rules)", "Enabled (no firewall)". */
export function describeSettings(settings: NetworkSettings): string {
  if (isDisabled(settings)) return 'Disabled';
  const acls = settings.networkAcls;
  if (!acls || acls.defaultAction?.toLowerCase() !== 'deny') return 'Enabled from all networks';
  const rules = acls.ipRules?.map((r) => r.value) ?? [];
  const vnets = acls.virtualNetworkRules?.length ?? 0;
  return `Enabled, firewall denying by default (IP rules: ${rules.length ? rules.join(', ') : 'none'}${vnets ? `; ${vnets} virtual network rule${vnets === 1 ? '' : 's'}` : ''})`;
}

/** The Azure CLI commands that put the original settings back, for the message of a failed restore. */
export function restoreCommands(vaultName: string, resourceGroup: string, original: NetworkSettings, added: readonly string[]): string[] {
  const target = restoringSettings(original);
  const acls = target.networkAcls;
  const commands = [
    `az keyvault update --resource-group ${resourceGroup} --name ${vaultName} --public-network-access ${target.publicNetworkAccess} --default-action ${acls.defaultAction ?? 'Allow'}${acls.bypass ? ` --bypass ${acls.bypass}` : ''}`,
  ];
  for (const rule of added) commands.push(`az keyvault network-rule remove --resource-group ${resourceGroup} --name ${vaultName} --ip-address ${rule}`);
  return commands;
}

function accessText(settings: NetworkSettings): string {
  if (isDisabled(settings)) return 'Disabled';
  return settings.networkAcls?.defaultAction?.toLowerCase() === 'deny' ? 'Enabled (firewall denying by default)' : 'Enabled';
}

function sameRule(a: string, b: string): boolean {
  const bare = (s: string) => s.trim().toLowerCase().replace(/\/(32|128)$/, '');
  return bare(a) === bare(b);
}

function normal(s: NetworkSettings) {
  const acls = s.networkAcls;
  const deny = acls?.defaultAction?.toLowerCase() === 'deny';
  return {
    access: (s.publicNetworkAccess ?? 'Enabled').toLowerCase(),
    defaultAction: deny ? 'deny' : 'allow',
    bypass: (acls?.bypass ?? 'AzureServices').toLowerCase(),
    ipRules: (acls?.ipRules ?? []).map((r) => r.value.trim().toLowerCase().replace(/\/(32|128)$/, '')).sort(),
    virtualNetworkRules: (acls?.virtualNetworkRules ?? []).map((r) => r.id.toLowerCase()).sort(),
  };
}
