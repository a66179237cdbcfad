/**
 * Azure facts that change over time, in one place: the regions of the public cloud and whether each has
 * availability zones, the managed WAF rule sets Application Gateway offers, and the tag limits of the resource
 * types Gatewright generates. Rules read them from here, so bringing them up to date is one edit of this file:
 * check each source again, change the data, and set `checked` to the day you did.
 */

export interface Sourced<T> {
  readonly data: T;
  /** The public page the data was taken from. */
  readonly source: string;
  /** The day the data was last compared with the source (YYYY-MM-DD). */
  readonly checked: string;
}

export interface RegionFacts {
  /** The region's display name, as the Azure portal shows it. */
  readonly displayName: string;
  /** Whether the region has availability zones (zonal and zone-redundant resources can be placed there). */
  readonly zones: boolean;
  /** The cloud the region belongs to, when it is not the Azure public cloud. */
  readonly cloud?: 'AzureUSGovernment' | 'AzureChinaCloud';
}

/**
 * The regions of the Azure public cloud by their programmatic name (the `location` of a resource), with
 * availability zone support. Regions that are announced but not open, and restricted regions that take an access
 * request, are listed as the source lists them: a design may name them, the subscription decides. The regions of
 * Azure Government (https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure) and of
 * Azure operated by 21Vianet (https://learn.microsoft.com/azure/china/resources-developer-guide) follow, for designs
 * deployed to those clouds.
 */
export const AZURE_REGIONS: Sourced<Readonly<Record<string, RegionFacts>>> = {
  source: 'https://learn.microsoft.com/azure/reliability/regions-list',
  checked: '2026-12-07',
  data: {
    australiacentral: { displayName: 'Australia Central', zones: false },
    australiacentral2: { displayName: 'Australia Central 2', zones: false },
    australiaeast: { displayName: 'Australia East', zones: true },
    australiasoutheast: { displayName: 'Australia Southeast', zones: false },
    austriaeast: { displayName: 'Austria East', zones: true },
    belgiumcentral: { displayName: 'Belgium Central', zones: true },
    brazilsouth: { displayName: 'Brazil South', zones: true },
    brazilsoutheast: { displayName: 'Brazil Southeast', zones: false },
    canadacentral: { displayName: 'Canada Central', zones: true },
    canadaeast: { displayName: 'Canada East', zones: false },
    centralindia: { displayName: 'Central India', zones: true },
    centralus: { displayName: 'Central US', zones: true },
    chilecentral: { displayName: 'Chile Central', zones: true },
    denmarkeast: { displayName: 'Denmark East', zones: true },
    eastasia: { displayName: 'East Asia', zones: true },
    eastus: { displayName: 'East US', zones: true },
    eastus2: { displayName: 'East US 2', zones: true },
    francecentral: { displayName: 'France Central', zones: true },
    francesouth: { displayName: 'France South', zones: false },
    germanynorth: { displayName: 'Germany North', zones: false },
    germanywestcentral: { displayName: 'Germany West Central', zones: true },
    indonesiacentral: { displayName: 'Indonesia Central', zones: true },
    israelcentral: { displayName: 'Israel Central', zones: true },
    italynorth: { displayName: 'Italy North', zones: true },
    japaneast: { displayName: 'Japan East', zones: true },
    japanwest: { displayName: 'Japan West', zones: true },
    jioindiacentral: { displayName: 'Jio India Central', zones: false },
    jioindiawest: { displayName: 'Jio India West', zones: false },
    koreacentral: { displayName: 'Korea Central', zones: true },
    koreasouth: { displayName: 'Korea South', zones: false },
    malaysiawest: { displayName: 'Malaysia West', zones: true },
    mexicocentral: { displayName: 'Mexico Central', zones: true },
    newzealandnorth: { displayName: 'New Zealand North', zones: true },
    northcentralus: { displayName: 'North Central US', zones: false },
    northeurope: { displayName: 'North Europe', zones: true },
    norwayeast: { displayName: 'Norway East', zones: true },
    norwaywest: { displayName: 'Norway West', zones: false },
    polandcentral: { displayName: 'Poland Central', zones: true },
    qatarcentral: { displayName: 'Qatar Central', zones: true },
    southafricanorth: { displayName: 'South Africa North', zones: true },
    southafricawest: { displayName: 'South Africa West', zones: false },
    southcentralus: { displayName: 'South Central US', zones: true },
    southeastasia: { displayName: 'Southeast Asia', zones: true },
    southindia: { displayName: 'South India', zones: false },
    spaincentral: { displayName: 'Spain Central', zones: true },
    swedencentral: { displayName: 'Sweden Central', zones: true },
    swedensouth: { displayName: 'Sweden South', zones: false },
    switzerlandnorth: { displayName: 'Switzerland North', zones: true },
    switzerlandwest: { displayName: 'Switzerland West', zones: false },
    uaecentral: { displayName: 'UAE Central', zones: false },
    uaenorth: { displayName: 'UAE North', zones: true },
    uksouth: { displayName: 'UK South', zones: true },
    ukwest: { displayName: 'UK West', zones: false },
    westcentralus: { displayName: 'West Central US', zones: false },
    westeurope: { displayName: 'West Europe', zones: true },
    westindia: { displayName: 'West India', zones: false },
    westus: { displayName: 'West US', zones: false },
    westus2: { displayName: 'West US 2', zones: true },
    westus3: { displayName: 'West US 3', zones: true },
    usgovarizona: { displayName: 'US Gov Arizona', zones: false, cloud: 'AzureUSGovernment' },
    usgovtexas: { displayName: 'US Gov Texas', zones: false, cloud: 'AzureUSGovernment' },
    usgovvirginia: { displayName: 'US Gov Virginia', zones: true, cloud: 'AzureUSGovernment' },
    usdodcentral: { displayName: 'US DoD Central', zones: false, cloud: 'AzureUSGovernment' },
    usdodeast: { displayName: 'US DoD East', zones: false, cloud: 'AzureUSGovernment' },
    chinaeast: { displayName: 'China East', zones: false, cloud: 'AzureChinaCloud' },
    chinaeast2: { displayName: 'China East 2', zones: false, cloud: 'AzureChinaCloud' },
    chinaeast3: { displayName: 'China East 3', zones: false, cloud: 'AzureChinaCloud' },
    chinanorth: { displayName: 'China North', zones: false, cloud: 'AzureChinaCloud' },
    chinanorth2: { displayName: 'China North 2', zones: false, cloud: 'AzureChinaCloud' },
    chinanorth3: { displayName: 'China North 3', zones: true, cloud: 'AzureChinaCloud' },
  },
};

/** The facts of a region, or undefined when the public cloud has no region of that name. */
export function regionFacts(name: string): RegionFacts | undefined {
  return Object.hasOwn(AZURE_REGIONS.data, name) ? AZURE_REGIONS.data[name] : undefined;
}

/** Whether resources can be placed in availability zones of a region (false for an unknown region). */
export function regionHasZones(name: string): boolean {
  return regionFacts(name)?.zones === true;
}

export interface TagLimits {
  /** Tag name-value pairs per resource for types not listed in `fewer`. */
  readonly perResource: number;
  /** Resource types (as the template names them) that accept fewer tags, with their limit. */
  readonly fewer: Readonly<Record<string, number>>;
}

/**
 * Tag limits (Azure Resource Manager, "Use tags to organize your Azure resources", Limitations): 50 name-value
 * pairs per resource; Azure Private DNS zones, their A records and their virtual network links only 15.
 */
export const TAG_LIMITS: Sourced<TagLimits> = {
  source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations',
  checked: '2026-12-07',
  data: {
    perResource: 50,
    fewer: {
      'Microsoft.Network/privateDnsZones': 15,
      'Microsoft.Network/privateDnsZones/A': 15,
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks': 15,
    },
  },
};

export type WafRuleSetName = 'DRS 2.1' | 'OWASP 3.2' | 'OWASP 3.1' | 'OWASP 3.0';

export interface WafRuleSetFacts {
  /** Microsoft's current recommendation: the Default Rule Set replaces every Core Rule Set version. */
  readonly recommended: boolean;
}

/**
 * The managed rule sets a design may choose for Application Gateway's WAF ("Upgrade CRS or DRS ruleset version":
 * the Azure-managed Default Rule Set is the latest generation and replaces all previous Core Rule Set versions).
 */
export const WAF_RULE_SETS: Sourced<Readonly<Record<WafRuleSetName, WafRuleSetFacts>>> = {
  source: 'https://learn.microsoft.com/azure/web-application-firewall/ag/upgrade-ruleset-version',
  checked: '2026-12-07',
  data: {
    'DRS 2.1': { recommended: true },
    'OWASP 3.2': { recommended: false },
    'OWASP 3.1': { recommended: false },
    'OWASP 3.0': { recommended: false },
  },
};
