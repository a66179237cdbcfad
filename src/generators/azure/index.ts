/** Turns a design into one resource-group deployment template. Builders run in dependency order. */
import type { Design } from '../../schemas/design.js';
import type { Template } from '../ir/template.js';
import { buildApiManagement } from './apim/service.js';
import { buildClusters } from './aks.js';
import { buildBastion } from './bastion.js';
import { AzureBuild, type GenerateInputs } from './build.js';
import { nameOf } from '../ir/expr.js';
import { uniqueNameOutputs } from '../naming.js';
import { buildDataServices } from './data/services.js';
import { buildDiagnostics } from './diagnostics.js';
import { buildGateway } from './gateway.js';
import { buildIdentities } from './identity.js';
import { buildWorkspaces } from './monitoring.js';
import { buildNetwork } from './network/resources.js';
import { buildPrivateLinks } from './private-link.js';
import { buildRoleAssignments } from './roles.js';
import { buildSecurity } from './security.js';

/** Each builder reads what the ones before it registered on the AzureBuild. */
const BUILDERS: readonly ((b: AzureBuild) => void)[] = [
  buildNetwork, // virtual network, subnets, NSGs
  buildIdentities, // user-assigned identities of managedIdentity nodes
  buildWorkspaces, // Log Analytics, Application Insights
  buildDataServices, // Key Vault, Container Registry, SQL, Cosmos DB
  buildClusters, // AKS
  buildApiManagement, // API Management, its certificates, backends, APIs, policies, private DNS
  buildGateway, // WAF policy, Application Gateway
  buildPrivateLinks, // private endpoints, privatelink zones, links, zone groups
  buildBastion, // Bastion and its subnet's public IP (before diagnostics: Bastion hosts have diagnostics edges)
  buildRoleAssignments, // the roles each edge implies
  buildDiagnostics, // a diagnostic setting on every resource with a diagnostics edge
  buildSecurity, // Defender plans, Sentinel
];

export interface AzureDeployment {
  readonly template: Template;
  /** What the generated README must tell (manual steps, why). */
  readonly notes: readonly string[];
}

export function buildAzureDeployment(design: Design, inputs: GenerateInputs = {}): AzureDeployment {
  const b = new AzureBuild(design, inputs);
  for (const build of BUILDERS) build(b);
  addUniqueNameOutputs(b);
  b.finish();
  return { template: b.t.build(), notes: b.notes };
}

/** An output with the name of each resource whose derived name ends with uniqueString(resourceGroup().id). */
function addUniqueNameOutputs(b: AzureBuild): void {
  const outputs = new Map(uniqueNameOutputs(b.design));
  for (const node of b.design.nodes) {
    const resource = b.nodeResources.get(node.id);
    const name = outputs.get(node.id);
    if (!resource || typeof resource.name === 'string' || name === undefined) continue;
    outputs.delete(node.id); // once per id
    b.t.output({
      name,
      type: 'string',
      value: nameOf(resource),
      description: `Name of ${b.name(node)} ("${node.id}"): its readable prefix and this resource group's uniqueString.`,
    });
  }
}
