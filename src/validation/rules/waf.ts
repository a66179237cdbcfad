/** The managed WAF rule sets of Application Gateway (GW405-GW409), as src/model/azure-facts.ts lists them. */
import { disabledRuleOverrides, managedRuleSet } from '../../generators/azure/network/waf-rule-groups.js';
import { WAF_RULE_SETS } from '../../model/azure-facts.js';
import { defineRule, type Rule } from '../rule.js';
import { fixWith, setOp } from './graph.js';

export const WAF_RULES: Rule[] = [
  defineRule({
    id: 'GW405',
    name: 'waf-disabled-rule-exists',
    category: 'architecture',
    severity: 'warning',
    title: 'Each WAF rule turned off exists in the chosen rule set',
    rationale:
      'A WAF policy turns a managed rule off by naming it in its rule group; Azure refuses an override of a rule the set does not have ("The override Rule is unknown for RuleGroup"), so the generator leaves such ids out and the rule the user meant to turn off keeps blocking requests.',
    source: { tool: 'Microsoft Learn', ref: 'Upgrade CRS or DRS ruleset version', url: WAF_RULE_SETS.source },
    fixable: true,
    *check(ctx) {
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        if (gw.properties.sku !== 'WAF_v2') continue;
        const set = managedRuleSet(gw.properties.ruleSetVersion);
        const { unknown } = disabledRuleOverrides(set, gw.properties.disabledRules);
        if (!unknown.length) continue;
        const keep = gw.properties.disabledRules.filter((id) => !unknown.includes(id));
        const i = gw.properties.disabledRules.indexOf(unknown[0]!);
        yield ctx.atNode(
          gw,
          `the WAF of Application Gateway "${gw.id}" turns off ${unknown.map((id) => `"${id}"`).join(', ')}, which ${gw.properties.ruleSetVersion} does not have: the generated policy leaves ${unknown.length === 1 ? 'it' : 'them'} out, so whatever rule you meant stays on; use the rule id the WAF log shows (ruleId_s)`,
          ['properties', 'disabledRules', i],
          fixWith(`Remove ${unknown.join(', ')}`, setOp({ kind: 'node', id: gw.id }, ['properties', 'disabledRules'], keep)),
        );
      }
    },
  }),
];
