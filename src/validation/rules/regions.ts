/**
 * Regions and availability zones (GW400-GW409): the design's region exists, and what the design places in zones
 * is in a region that has them. The facts come from src/model/azure-facts.ts.
 */
import type { RuleContext } from '../context.js';
import { AZURE_REGIONS, regionFacts, regionHasZones } from '../../model/azure-facts.js';
import { defineRule, type Rule, type RuleSource } from '../rule.js';
import { fixWith, setOp } from './graph.js';

const REGIONS_SOURCE: RuleSource = { tool: 'Microsoft Learn', ref: 'Azure regions list', url: AZURE_REGIONS.source };

/** The known region names closest to a misspelt one (edit distance at most 2), best first. */
export function nearRegions(name: string): string[] {
  const scored = Object.keys(AZURE_REGIONS.data)
    .map((r) => [r, distance(name, r)] as const)
    .filter(([, d]) => d <= 2)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  return scored.map(([r]) => r);
}

/** Levenshtein distance, with an early cap (names are short). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The design's region when the public cloud knows it and it has no availability zones. */
function zonelessRegion(ctx: RuleContext): string | undefined {
  const location = ctx.design.metadata.location;
  return regionFacts(location) && !regionHasZones(location) ? location : undefined;
}

export const REGION_RULES: Rule[] = [
  defineRule({
    id: 'GW400',
    name: 'region-exists',
    category: 'architecture',
    severity: 'error',
    title: 'The design names an Azure region that exists',
    rationale:
      'Every generated resource is placed in metadata.location; Resource Manager refuses a deployment to a location it does not know (LocationNotAvailableForResourceType / InvalidLocation), after the resource group was chosen.',
    source: REGIONS_SOURCE,
    fixable: true,
    *check(ctx) {
      const location = ctx.design.metadata.location;
      if (regionFacts(location)) return;
      const near = nearRegions(location);
      const hint = near.length ? `; did you mean ${near.map((r) => `"${r}"`).join(' or ')}?` : ': use a programmatic region name such as westeurope (az account list-locations -o table)';
      yield ctx.atDocument(
        `metadata.location "${location}" is not an Azure region${hint}`,
        ['metadata', 'location'],
        near.length === 1 ? fixWith(`Use ${near[0]}`, setOp({ kind: 'metadata' }, ['location'], near[0])) : {},
      );
    },
  }),
  defineRule({
    id: 'GW401',
    name: 'zones-in-zoneless-region',
    category: 'architecture',
    severity: 'error',
    title: 'Application Gateway is placed in availability zones only in a region that has them',
    rationale:
      'Application Gateway and its public IP are created in the zones the design lists; in a region without availability zones Resource Manager refuses both. The gateway must then be regional (no zones).',
    source: { tool: 'Microsoft Learn', ref: 'Autoscaling and zone-redundant Application Gateway v2', url: 'https://learn.microsoft.com/azure/application-gateway/application-gateway-autoscaling-zone-redundant' },
    fixable: true,
    *check(ctx) {
      const region = zonelessRegion(ctx);
      if (!region) return;
      for (const gw of ctx.nodesOfType('applicationGateway')) {
        if (gw.properties.zones.length === 0) continue;
        yield ctx.atNode(
          gw,
          `Application Gateway "${gw.id}" is placed in zones ${gw.properties.zones.join(', ')}, but ${region} (${regionFacts(region)!.displayName}) has no availability zones: Azure refuses the gateway and its public IP; set zones to [] or choose a region with zones`,
          ['properties', 'zones'],
          fixWith('Place it without zones', setOp({ kind: 'node', id: gw.id }, ['properties', 'zones'], [])),
        );
      }
    },
  }),
];
