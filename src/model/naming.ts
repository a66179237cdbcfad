/**
 * Azure resource names: a node's `name`, or one derived from metadata.name and the node id. Shared by the
 * validator (which checks them against Azure's naming rules) and the generators (which deploy them).
 */
import type { DesignNode, NodeType } from '../schemas/design.js';
import { uniqueString } from './unique-string.js';

/** Azure naming rules for the resources the node types generate (resource-name-rules; ARM schema patterns). */
export interface NameRule {
  readonly resource: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly chars: string;
  /** Extra restriction beyond the pattern, as a message when broken. */
  readonly extra?: (name: string) => string | undefined;
  /** Whether the name must be unique in all of Azure (its DNS name derives from it). */
  readonly global: boolean;
  /** Whether only lower-case letters are allowed. */
  readonly lowerCase?: boolean;
}

export const NAME_RULES: Partial<Record<NodeType, NameRule>> = {
  keyVault: {
    resource: 'Key Vault',
    min: 3,
    max: 24,
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    chars: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
    extra: (n) => (n.includes('--') ? 'it has consecutive hyphens' : undefined),
    global: true,
  },
  containerRegistry: {
    resource: 'Container Registry',
    min: 5,
    max: 50,
    pattern: /^[a-zA-Z0-9]+$/,
    chars: 'letters and digits only',
    global: true,
  },
  apiManagement: {
    resource: 'API Management',
    min: 1,
    max: 50,
    pattern: /^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    chars: 'letters, digits and hyphens, starting with a letter and ending with a letter or digit',
    global: true,
  },
  aksCluster: {
    resource: 'AKS cluster',
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](?:[-_a-zA-Z0-9]*[a-zA-Z0-9])?$/,
    chars: 'letters, digits, hyphens and underscores, starting and ending with a letter or digit',
    global: false,
  },
  applicationGateway: {
    resource: 'Application Gateway',
    min: 1,
    max: 80,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/,
    chars: 'letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore',
    global: false,
  },
  sqlDatabase: {
    resource: 'SQL logical server',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    chars: 'lower-case letters, digits and hyphens, not starting or ending with a hyphen',
    global: true,
    lowerCase: true,
  },
  cosmosDb: {
    resource: 'Cosmos DB account',
    min: 3,
    max: 44,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    chars: 'lower-case letters, digits and hyphens, starting and ending with a letter or digit',
    global: true,
    lowerCase: true,
  },
  logAnalytics: {
    resource: 'Log Analytics workspace',
    min: 4,
    max: 63,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    chars: 'letters, digits and hyphens, starting and ending with a letter or digit',
    global: false,
  },
  applicationInsights: {
    resource: 'Application Insights',
    min: 1,
    max: 260,
    pattern: /^[^%&\\?/]*[^%&\\?/ .]$/,
    chars: 'any characters but % & \\ ? /, not ending with a space or a period',
    global: false,
  },
  managedIdentity: {
    resource: 'managed identity',
    min: 3,
    max: 128,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    chars: 'letters, digits, hyphens and underscores, starting with a letter or digit',
    global: false,
  },
  virtualNetwork: {
    resource: 'virtual network',
    min: 2,
    max: 64,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/,
    chars: 'letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore',
    global: false,
  },
  bastion: {
    resource: 'Bastion host',
    min: 1,
    max: 80,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/,
    chars: 'letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore',
    global: false,
  },
};

/**
 * The Azure name a node's resource gets when it has no `name`: `<metadata.name>-<id>`; for a Container
 * Registry, whose names are alphanumeric only, the same with the hyphens removed. For a resource whose name must be
 * unique in all of Azure this is only the readable part: see uniqueNamePrefix.
 */
export function derivedResourceName(designName: string, node: Pick<DesignNode, 'id' | 'type'>): string {
  const name = `${designName}-${node.id}`;
  return node.type === 'containerRegistry' ? name.replace(/-/g, '') : name;
}

/** Length of uniqueString(resourceGroup().id), the suffix of derived globally unique names. */
export const UNIQUE_SUFFIX_LENGTH = 13;
/** How derived globally unique names show the suffix in messages and the README (Azure computes it per resource group). */
export const UNIQUE_SUFFIX_SHOWN = '<suffix>';

/**
 * The readable prefix of the derived name of a resource whose name must be unique in all of Azure (Key Vault,
 * Container Registry, API Management, SQL server, Cosmos DB account): the name is this prefix followed by
 * uniqueString(resourceGroup().id), 13 lower-case letters and digits that are stable for the resource group and
 * differ between resource groups and subscriptions, so a second user of the same design (or a redeployment after a
 * teardown while purge protection keeps the old vault name) gets other names. The prefix is `<metadata.name>-<id>`
 * with a hyphen before the suffix (none for a Container Registry), lower case where the rule wants it, and cut
 * (the design name's hyphens dropped first, then its end; the id is kept) so that prefix and suffix fit the type's
 * maximum length. Undefined for other types.
 */
export function uniqueNamePrefix(designName: string, node: Pick<DesignNode, 'id' | 'type'>): string | undefined {
  const rule = NAME_RULES[node.type];
  if (!rule?.global) return undefined;
  const separator = node.type === 'containerRegistry' ? '' : '-';
  const room = rule.max - UNIQUE_SUFFIX_LENGTH - separator.length;
  const clean = (s: string) => (rule.lowerCase ? s.toLowerCase() : s).replace(node.type === 'containerRegistry' ? /[^a-zA-Z0-9]+/g : /[^a-zA-Z0-9-]+/g, '').replace(/-{2,}/g, '-');
  let base = clean(derivedResourceName(designName, node));
  if (base.length > room) {
    // The design name's hyphens go first, then its end: the id is kept whole (hyphens too, so that kv-1 and kv1
    // stay apart), so that two nodes of one design keep distinct names.
    const id = clean(node.id);
    const design = clean(designName).replace(/-/g, '');
    base = id.length >= room - 1 ? `${design.slice(0, 1)}${id}`.slice(0, room) : `${design.slice(0, room - id.length)}${id}`;
  }
  base = base.replace(/-+$/, '');
  return `${base}${separator}`;
}

/**
 * The readable name of a node's resource: its `name`, or `<metadata.name>-<id>` without any unique suffix. Names of
 * the resources that belong to it (its private endpoint `pe-<name>`, its public IP) are made from this one: they are
 * unique in the resource group already.
 */
export function readableName(designName: string, node: Pick<DesignNode, 'id' | 'type' | 'name'>): string {
  return node.name ?? derivedResourceName(designName, node);
}

/** The Azure name of a node: its `name` (kept as it is), or the derived one. */
export interface NodeName {
  /**
   * The name; for a derived globally unique name, the prefix followed by UNIQUE_SUFFIX_SHOWN (use resolvedName
   * for the name in a resource group).
   */
  readonly name: string;
  readonly derived: boolean;
  /** Set for a derived globally unique name: the name is this prefix followed by uniqueString(resourceGroup().id). */
  readonly uniquePrefix?: string;
}

/** The Azure name a node's resource gets: its `name`, or the derived one. */
export function resourceName(designName: string, node: DesignNode): NodeName {
  if (node.name !== undefined) return { name: node.name, derived: false };
  const uniquePrefix = uniqueNamePrefix(designName, node);
  if (uniquePrefix !== undefined) return { name: `${uniquePrefix}${UNIQUE_SUFFIX_SHOWN}`, derived: true, uniquePrefix };
  return { name: derivedResourceName(designName, node), derived: true };
}

/**
 * The name as it is in one resource group: for a derived globally unique name, the prefix followed by the
 * uniqueString of the resource group's id, computed exactly as Resource Manager does (unique-string.ts).
 */
export function resolvedName(name: NodeName, resourceGroupId: string): string {
  return name.uniquePrefix === undefined ? name.name : `${name.uniquePrefix}${uniqueString(resourceGroupId)}`;
}

/**
 * The name a rule is checked against: a derived globally unique name with a suffix of the length and alphabet
 * uniqueString gives (lower-case letters and digits), which every rule of these types accepts at the end of a name.
 */
export function checkableName(name: NodeName): string {
  return name.uniquePrefix === undefined ? name.name : `${name.uniquePrefix}${'a'.repeat(UNIQUE_SUFFIX_LENGTH)}`;
}

/** Why a name breaks the rule, or undefined when it is valid. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  if (name.length < rule.min || name.length > rule.max) return `it has ${name.length} characters; ${rule.min}-${rule.max} are allowed`;
  if (!rule.pattern.test(name)) return `it must be ${rule.chars}`;
  return rule.extra?.(name);
}
