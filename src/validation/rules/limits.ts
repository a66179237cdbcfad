/**
 * Resource limits (GW410-GW419): what the generated template puts on every resource must fit every resource type
 * it is put on. The limits come from src/model/azure-facts.ts.
 */
import { PRIVATE_LINK_TARGETS } from '../../schemas/connections.js';
import type { RuleContext } from '../context.js';
import { TAG_LIMITS } from '../../model/azure-facts.js';
import { defineRule, type Rule, type RuleSource } from '../rule.js';
import { fixWith, setOp } from './graph.js';

const TAGS_SOURCE: RuleSource = { tool: 'Microsoft Learn', ref: 'Use tags to organize your Azure resources: limitations', url: TAG_LIMITS.source };

const LINKED = new Set<string>(PRIVATE_LINK_TARGETS);

/**
 * The Private DNS zones the generator makes for this design, described: a privatelink.* zone per service reached over
 * Private Link, and zones for the host names API Management serves and calls inside the virtual network.
 */
export function privateDnsZoneReasons(ctx: RuleContext): string[] {
  const reasons: string[] = [];
  const linked = ctx.edgesOfType('privateLink').find((e) => e.to !== undefined && LINKED.has(e.to.type));
  if (linked) reasons.push(`the private endpoint of "${linked.edge.to}"`);
  for (const apim of ctx.nodesOfType('apiManagement')) {
    const p = apim.properties;
    if (p.virtualNetworkType === 'None') continue;
    if (p.virtualNetworkType === 'Internal' && p.hostName) reasons.push(`the host name ${p.hostName} of API Management "${apim.id}"`);
    for (const e of ctx.outgoing(apim.id)) {
      if ((e.edge.type === 'mtls' || e.edge.type === 'https') && e.to?.type === 'aksCluster' && e.to.properties.ingress.hostName) {
        reasons.push(`the ingress host name ${e.to.properties.ingress.hostName} of "${e.to.id}"`);
      }
    }
  }
  return reasons;
}

export const LIMIT_RULES: Rule[] = [
  defineRule({
    id: 'GW410',
    name: 'tag-count',
    category: 'architecture',
    severity: 'error',
    title: 'The design has no more tags than every generated resource type accepts',
    rationale:
      'The generator puts metadata.tags on every resource. A resource takes at most 50 tags, and Private DNS zones, their records and their virtual network links only 15: with more, Resource Manager refuses those resources mid-deployment.',
    source: TAGS_SOURCE,
    fixable: true,
    *check(ctx) {
      const tags = ctx.design.metadata.tags;
      if (!tags) return;
      const names = Object.keys(tags);
      const { perResource, fewer } = TAG_LIMITS.data;
      const dnsLimit = Math.min(...Object.values(fewer));
      const dns = privateDnsZoneReasons(ctx);
      const limit = dns.length ? Math.min(perResource, dnsLimit) : perResource;
      if (names.length <= limit) return;
      const why =
        limit < perResource
          ? `the generated Private DNS zones (for ${dns[0]}${dns.length > 1 ? ` and ${dns.length - 1} more` : ''}), their records and virtual network links accept at most ${limit}`
          : `an Azure resource accepts at most ${limit}`;
      const kept = Object.fromEntries(names.slice(0, limit).map((n) => [n, tags[n]]));
      yield ctx.atDocument(
        `metadata.tags has ${names.length} tags, and every generated resource gets them all, but ${why}: keep at most ${limit} (or join several into one tag whose value is JSON)`,
        ['metadata', 'tags'],
        fixWith(`Keep the first ${limit} tags`, setOp({ kind: 'metadata' }, ['tags'], kept)),
      );
    },
  }),
  defineRule({
    id: 'GW411',
    name: 'tag-names-case',
    category: 'architecture',
    severity: 'error',
    title: 'Tag names differ in more than letter case',
    rationale:
      'Tag names are case-insensitive in Azure: two names that differ only in case are one tag, and one of the two values is lost on every resource.',
    source: TAGS_SOURCE,
    fixable: true,
    *check(ctx) {
      const tags = ctx.design.metadata.tags;
      if (!tags) return;
      const first = new Map<string, string>();
      for (const name of Object.keys(tags)) {
        const key = name.toLowerCase();
        const earlier = first.get(key);
        if (earlier === undefined) {
          first.set(key, name);
          continue;
        }
        const without = Object.fromEntries(Object.entries(tags).filter(([n]) => n !== name));
        yield ctx.atDocument(
          `tags "${earlier}" and "${name}" are one tag in Azure (tag names ignore case), so one of their values ("${tags[earlier]}", "${tags[name]}") is lost: rename or remove "${name}"`,
          ['metadata', 'tags', name],
          fixWith(`Remove the tag "${name}"`, setOp({ kind: 'metadata' }, ['tags'], without)),
        );
      }
    },
  }),
];
