/**
 * GW034: a name given to a resource whose name must be unique in all of Azure (Key Vault, Container Registry, API
 * Management, SQL server, Cosmos DB account) that someone else has most likely taken already. Derived names carry
 * uniqueString(resourceGroup().id) and are unique per resource group; a given name is used as it is, so a short one,
 * one made only of words everybody uses (kv, prod, demo, a region, a sample company), or the design's own default
 * (<metadata.name>-<id>, which every copy of the design would pick) fails the deployment with "name already taken".
 */
import type { DesignNode, NodeType } from '../../schemas/design.js';
import { defineRule, type Rule } from '../rule.js';
import { AZURE_REGIONS } from '../../model/azure-facts.js';
import { NAME_RULES, checkableName, derivedResourceName, nameProblem, resourceName, uniqueNamePrefix } from '../../model/naming.js';
import { fixWith, list } from './graph-support.js';

/** Fewer letters and digits than this, and a globally unique name is as good as taken (every short name is). */
export const SHORT_NAME = 7;

/**
 * Words that tell nobody's resource apart: resource types and their abbreviations, environments, filler, Azure
 * regions and their usual short forms, and the fictitious companies of Microsoft's samples (contoso, fabrikam, ...).
 */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  // what the resource is
  ...['kv', 'keyvault', 'keyvaults', 'vault', 'vaults', 'key', 'keys', 'secret', 'secrets', 'cert', 'certs', 'certificates'],
  ...['acr', 'cr', 'registry', 'registries', 'containerregistry', 'container', 'containers', 'image', 'images', 'docker'],
  ...['apim', 'api', 'apis', 'apimanagement', 'management', 'gateway', 'gw'],
  ...['sql', 'sqlserver', 'sqlsrv', 'server', 'srv', 'sqldb', 'db', 'database', 'databases', 'cosmos', 'cosmosdb', 'cdb', 'nosql', 'mongo', 'data'],
  // environments
  ...['prod', 'production', 'prd', 'dev', 'develop', 'development', 'test', 'testing', 'tst', 'qa', 'uat', 'stage', 'staging', 'stg'],
  ...['preprod', 'nonprod', 'sandbox', 'sbx', 'demo', 'sample', 'samples', 'example', 'poc', 'lab', 'trial', 'temp', 'tmp', 'playground', 'live'],
  // filler
  ...['my', 'the', 'our', 'app', 'apps', 'application', 'web', 'site', 'service', 'services', 'svc', 'backend', 'frontend', 'platform'],
  ...['main', 'primary', 'secondary', 'shared', 'common', 'core', 'default', 'new', 'old', 'hub', 'spoke', 'internal', 'private', 'public'],
  ...['global', 'team', 'project', 'company', 'org', 'corp', 'azure', 'az', 'cloud', 'rg', 'resource', 'group', 'microsoft'],
  ...['hello', 'world', 'foo', 'bar', 'first', 'second', 'one', 'two'],
  // the fictitious companies of Microsoft's documentation and samples
  ...['contoso', 'fabrikam', 'adventureworks', 'northwind', 'woodgrove', 'tailspin', 'tailspintoys', 'wingtip', 'wingtiptoys', 'litware'],
  ...['proseware', 'lamna', 'relecloud', 'alpineskihouse', 'fourthcoffee', 'wideworldimporters'],
  // regions, and the short forms naming conventions use for the common ones
  ...Object.keys(AZURE_REGIONS.data),
  ...['weu', 'neu', 'eus', 'eus2', 'wus', 'wus2', 'wus3', 'cus', 'scus', 'ncus', 'wcus', 'uks', 'ukw', 'gwc', 'frc', 'sea', 'aue', 'cac', 'jpe'],
]);

/** A version or instance number: 01, 2, v1. */
const NUMBER = /^v?\d+$/;

/**
 * The words of `part` when it is made only of common words and numbers (split at hyphens, and within a part
 * wherever a common word ends: "myappkv" is my + app + kv), or undefined when some part is not.
 */
export function commonWords(name: string): string[] | undefined {
  const words: string[] = [];
  for (const part of name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
    // best[i]: the words of part[0, i), when it splits into common words and numbers.
    const best: (string[] | undefined)[] = [[]];
    for (let end = 1; end <= part.length; end++) {
      for (let start = 0; start < end && best[end] === undefined; start++) {
        const before = best[start];
        const piece = part.slice(start, end);
        if (before !== undefined && (COMMON_WORDS.has(piece) || NUMBER.test(piece))) best[end] = [...before, piece];
      }
    }
    const split = best[part.length];
    if (split === undefined) return undefined;
    words.push(...split);
  }
  return words;
}

const alphanumeric = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A name of each type that is specific enough: an organization, a workload and an environment. */
const SPECIFIC_EXAMPLE: Partial<Record<NodeType, string>> = {
  keyVault: 'contoso-payments-prod-kv',
  containerRegistry: 'contosopaymentsprodacr',
  apiManagement: 'contoso-payments-prod-apim',
  sqlDatabase: 'contoso-payments-prod-sql',
  cosmosDb: 'contoso-payments-prod-cosmos',
};

/** Why a name given to a globally unique resource is likely taken in all of Azure, or undefined when it is specific enough. */
export function likelyTaken(designName: string, node: Pick<DesignNode, 'id' | 'type'>, name: string): string | undefined {
  const letters = alphanumeric(name);
  const defaults = new Set([alphanumeric(derivedResourceName(designName, node)), alphanumeric(uniqueNamePrefix(designName, node) ?? ''), alphanumeric(designName)]);
  if (defaults.has(letters)) {
    return `it is this design's default for "${node.id}" (metadata.name "${designName}" and the id), the name every copy of the design asks for`;
  }
  if (letters.length < SHORT_NAME) return `it is short (${letters.length} letters and digits), and short names were taken long ago`;
  const words = commonWords(name);
  if (words === undefined) return undefined;
  const plain = words.filter((w) => !NUMBER.test(w));
  if (plain.length === 0) return 'it is only a number';
  return `it is made only of words everyone uses (${list(plain.map((w) => `"${w}"`))}${plain.length < words.length ? ' and numbers' : ''})`;
}

export const GLOBAL_NAME_RULES: Rule[] = [
  defineRule({
    id: 'GW034',
    name: 'global-name-likely-taken',
    category: 'graph',
    severity: 'warning',
    title: 'A name given to a resource that is unique in all of Azure is specific enough not to be taken',
    rationale:
      'Key Vault, Container Registry, API Management, SQL server and Cosmos DB names are DNS names unique across all of Azure (a deleted Key Vault with purge protection keeps its name for up to 90 days). A derived name ends with uniqueString(resourceGroup().id) and is unique per resource group; a name given in the design is used as it is, and a short or generic one, or the design\'s own default, is most likely somebody else\'s already: the deployment fails with the name taken.',
    source: { tool: 'Microsoft Learn', ref: 'Naming rules and restrictions for Azure resources (global uniqueness)', url: 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules' },
    fixable: true,
    *check(ctx) {
      const designName = ctx.design.metadata.name;
      for (const node of ctx.design.nodes) {
        const rule = NAME_RULES[node.type];
        if (!rule?.global || node.name === undefined) continue;
        if (nameProblem(rule, node.name) !== undefined) continue; // GW029 reports an invalid name.
        const why = likelyTaken(designName, node, node.name);
        if (why === undefined) continue;
        const derived = resourceName(designName, { ...node, name: undefined } as DesignNode);
        const derivedValid = nameProblem(rule, checkableName(derived)) === undefined;
        const example = SPECIFIC_EXAMPLE[node.type];
        yield ctx.atNode(
          node,
          `${rule.resource} name "${node.name}" of "${node.id}" is likely taken already: ${why}. ${rule.resource} names are unique across all of Azure, so the deployment would fail. ` +
            `${derivedValid ? `Remove "name" to get the derived name "${derived.name}" (the suffix is uniqueString(resourceGroup().id), unique per resource group), or` : 'Add'}` +
            `${derivedValid ? ' add' : ''} a part only your organization uses${example ? `, as in "${example}"` : ''}`,
          ['name'],
          derivedValid ? fixWith(`Remove "name": use the derived name "${derived.name}"`, { op: 'unsetProperty', target: { kind: 'node', id: node.id }, path: ['name'] }) : {},
        );
      }
    },
  }),
];
