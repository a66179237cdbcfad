/**
 * Azure resource names: a node's `name`, or one derived from metadata.name and the node id. Shared by the
 * validator (which checks them against Azure's naming rules) and the generators (which deploy them).
 */
import type { DesignNode, NodeType } from '../schemas/design.js';

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
 * Registry, whose names are alphanumeric only, the same with the hyphens removed.
 */
export function derivedResourceName(designName: string, node: Pick<DesignNode, 'id' | 'type'>): string {
  const name = `${designName}-${node.id}`;
  return node.type === 'containerRegistry' ? name.replace(/-/g, '') : name;
}

/** The Azure name a node's resource gets: its `name`, or the derived one. */
export function resourceName(designName: string, node: DesignNode): { name: string; derived: boolean } {
  return node.name !== undefined ? { name: node.name, derived: false } : { name: derivedResourceName(designName, node), derived: true };
}

/** Why a name breaks the rule, or undefined when it is valid. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  if (name.length < rule.min || name.length > rule.max) return `it has ${name.length} characters; ${rule.min}-${rule.max} are allowed`;
  if (!rule.pattern.test(name)) return `it must be ${rule.chars}`;
  return rule.extra?.(name);
}

