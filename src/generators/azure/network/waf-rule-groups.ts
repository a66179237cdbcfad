/**
 * Managed WAF rule sets of Application Gateway and the rule group each rule id belongs to: a WAF policy turns a
 * managed rule off through a ruleGroupOverrides entry that names the rule's group.
 *
 * Sources: learn.microsoft.com/azure/web-application-firewall/ag/application-gateway-crs-rulegroups-rules (azure-docs
 * articles/web-application-firewall/ag/application-gateway-crs-rulegroups-rules.md): DRS 2.1 groups General,
 * METHOD-ENFORCEMENT, PROTOCOL-ENFORCEMENT, PROTOCOL-ATTACK, LFI, RFI, RCE, PHP, NODEJS, XSS, SQLI, FIX, JAVA and the
 * MS-ThreatIntel-* groups; OWASP CRS 3.x groups General, KNOWN-CVES and REQUEST-9xx-*. Group names as the API spells
 * them (the ones the Azure CLI and Terraform's azurerm provider accept).
 */
import type { NodeOf } from '../../../schemas/design.js';

export interface ManagedRuleSet {
  readonly ruleSetType: 'Microsoft_DefaultRuleSet' | 'OWASP';
  readonly ruleSetVersion: string;
}

/** The managed rule set of a design's ruleSetVersion. */
export function managedRuleSet(version: NodeOf<'applicationGateway'>['properties']['ruleSetVersion']): ManagedRuleSet {
  switch (version) {
    case 'DRS 2.1':
      return { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' };
    case 'OWASP 3.2':
      return { ruleSetType: 'OWASP', ruleSetVersion: '3.2' };
    case 'OWASP 3.1':
      return { ruleSetType: 'OWASP', ruleSetVersion: '3.1' };
    case 'OWASP 3.0':
      return { ruleSetType: 'OWASP', ruleSetVersion: '3.0' };
  }
}

/** The bot protection rule set (Bot Manager 1.1, the current version). */
export const BOT_MANAGER_RULE_SET = { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.1' } as const;

/** Rule id prefix (first three digits; five for the Microsoft Threat Intelligence rules) -> group, for DRS 2.1. */
const DRS_GROUPS: Readonly<Record<string, string>> = {
  '200': 'General',
  '911': 'METHOD-ENFORCEMENT',
  '920': 'PROTOCOL-ENFORCEMENT',
  '921': 'PROTOCOL-ATTACK',
  '930': 'LFI',
  '931': 'RFI',
  '932': 'RCE',
  '933': 'PHP',
  '934': 'NODEJS',
  '941': 'XSS',
  '942': 'SQLI',
  '943': 'FIX',
  '944': 'JAVA',
  '99001': 'MS-ThreatIntel-CVEs',
  '99005': 'MS-ThreatIntel-WebShells',
  '99030': 'MS-ThreatIntel-AppSec',
  '99031': 'MS-ThreatIntel-SQLI',
};

/** The same for OWASP CRS 3.x (944 exists from 3.1 on). */
const OWASP_GROUPS: Readonly<Record<string, string>> = {
  '200': 'General',
  '800': 'KNOWN-CVES',
  '911': 'REQUEST-911-METHOD-ENFORCEMENT',
  '913': 'REQUEST-913-SCANNER-DETECTION',
  '920': 'REQUEST-920-PROTOCOL-ENFORCEMENT',
  '921': 'REQUEST-921-PROTOCOL-ATTACK',
  '930': 'REQUEST-930-APPLICATION-ATTACK-LFI',
  '931': 'REQUEST-931-APPLICATION-ATTACK-RFI',
  '932': 'REQUEST-932-APPLICATION-ATTACK-RCE',
  '933': 'REQUEST-933-APPLICATION-ATTACK-PHP',
  '941': 'REQUEST-941-APPLICATION-ATTACK-XSS',
  '942': 'REQUEST-942-APPLICATION-ATTACK-SQLI',
  '943': 'REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION',
  '944': 'REQUEST-944-APPLICATION-ATTACK-JAVA',
};

/** The group of a managed rule in a rule set, or undefined for an id the rule set does not have. */
export function ruleGroupOf(set: ManagedRuleSet, ruleId: string): string | undefined {
  if (!/^\d{6}$|^\d{8}$/.test(ruleId)) return undefined;
  if (set.ruleSetType === 'Microsoft_DefaultRuleSet') return DRS_GROUPS[ruleId.length === 8 ? ruleId.slice(0, 5) : ruleId.slice(0, 3)];
  if (ruleId.length !== 6) return undefined;
  const prefix = ruleId.slice(0, 3);
  if (prefix === '944' && set.ruleSetVersion === '3.0') return undefined;
  return OWASP_GROUPS[prefix];
}

/** ruleGroupOverrides that turn the given rules off, grouped and sorted; ids the rule set does not know are returned apart. */
export function disabledRuleOverrides(set: ManagedRuleSet, ruleIds: readonly string[]): { overrides: { ruleGroupName: string; rules: { ruleId: string; state: 'Disabled' }[] }[]; unknown: string[] } {
  const groups = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const id of ruleIds) {
    const group = ruleGroupOf(set, id.trim());
    if (!group) {
      if (!unknown.includes(id)) unknown.push(id);
      continue;
    }
    const rules = groups.get(group) ?? new Set<string>();
    rules.add(id.trim());
    groups.set(group, rules);
  }
  const overrides = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ruleGroupName, rules]) => ({ ruleGroupName, rules: [...rules].sort().map((ruleId) => ({ ruleId, state: 'Disabled' as const })) }));
  return { overrides, unknown };
}
