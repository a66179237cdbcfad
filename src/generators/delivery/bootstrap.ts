/**
 * The bootstrap template, delivery/bootstrap.bicep and delivery/bootstrap.json: what an owner of an environment's
 * resource group deploys once (by `gatewright ci bootstrap`, or by hand) so that the pipelines can deploy the design
 * without any stored secret. Deployed once per environment, into that environment's resource group; the parameter
 * environmentName picks the environment.
 *
 * - A user-assigned managed identity, the one the pipelines sign in as
 *   (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity).
 * - Its federated identity credentials (./federation.ts): the pipeline's tokens it accepts. Azure refuses concurrent
 *   writes of federated credentials on one identity, so they are chained with dependsOn.
 * - Its role assignments on the resource group, each with why: Contributor (the deployment creates and changes the
 *   resources), Role Based Access Control Administrator limited by a condition to the roles the generated template
 *   assigns, to service principals only
 *   (https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles),
 *   and, when the design has an AKS cluster with Azure RBAC, Azure Kubernetes Service RBAC Cluster Admin (the manifests
 *   are applied through the AKS run command as the identity).
 * Pure: built on the deployment IR and rendered as Bicep and as ARM JSON like infra/main.
 */
import type { Design } from '../../schemas/design.js';
import { Call, call, interp, param, propOf, resourceGroupId, roleDefinitionId, tenantId, subscriptionId, type Expr } from '../ir/expr.js';
import { TemplateBuilder, type Resource, type Template } from '../ir/template.js';
import { FEDERATED_CREDENTIAL_TYPE, IDENTITY_API, IDENTITY_TYPE } from '../azure/identity.js';
import { ROLE_ASSIGNMENT_API, ROLE_ASSIGNMENT_TYPE, ROLES } from '../azure/roles.js';
import type { DeliveryContext } from './context.js';
import { FEDERATION_AUDIENCE, federatedSubjects } from './federation.js';

export const BOOTSTRAP_BICEP = 'delivery/bootstrap.bicep';
export const BOOTSTRAP_JSON = 'delivery/bootstrap.json';
export const ENVIRONMENT_PARAMETER = 'environmentName';
/** Azure Pipelines only: the service connection of the environment. */
export const SERVICE_CONNECTION_PARAMETER = 'serviceConnectionName';

/** Roles the bootstrap itself assigns (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const BOOTSTRAP_ROLES = {
  contributor: { name: 'Contributor', guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c' },
  rbacAdministrator: { name: 'Role Based Access Control Administrator', guid: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168' },
  aksRbacClusterAdmin: { name: 'Azure Kubernetes Service RBAC Cluster Admin', guid: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b' },
} as const;

const KNOWN_ROLES: ReadonlyMap<string, string> = new Map(Object.values(ROLES).map((r) => [r.guid, r.name]));

/** The built-in roles (GUIDs, sorted) the generated template assigns anywhere, its nested deployments included. */
export function assignedRoles(template: Template): string[] {
  const found = new Set<string>();
  const visit = (t: Template) => {
    for (const r of t.resources) {
      if (r.type !== ROLE_ASSIGNMENT_TYPE) continue;
      const id = (r.body.properties as { roleDefinitionId?: Expr } | undefined)?.roleDefinitionId;
      const guid = id instanceof Call && id.fn === 'subscriptionResourceId' ? id.args[1] : undefined;
      if (typeof guid !== 'string') throw new Error(`bootstrap: a role assignment of the template ("${r.symbol}") names its role in a way the bootstrap cannot read`);
      found.add(guid.toLowerCase());
    }
    for (const m of t.modules ?? []) visit(m.template);
  };
  visit(template);
  return [...found].sort();
}

/** A readable name for a role GUID the template assigns. */
export function roleName(guid: string): string {
  return KNOWN_ROLES.get(guid) ?? guid;
}

/**
 * The ABAC condition of the Role Based Access Control Administrator assignment: role assignments may be written only
 * for the given roles and for service principals (the template's managed identities), and deleted only for those
 * roles (https://learn.microsoft.com/azure/role-based-access-control/conditions-authorization-actions-attributes).
 */
export function delegationCondition(roleGuids: readonly string[]): string {
  const roles = `{${roleGuids.join(', ')}}`;
  return [
    "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))",
    `OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${roles}`,
    "AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))",
    "AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}))",
    `OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${roles}))`,
  ].join(' ');
}

/** Whether the deployment applies manifests to a cluster whose Kubernetes authorization is Azure RBAC. */
function appliesManifestsWithAzureRbac(design: Design): boolean {
  return design.nodes.some((n) => n.type === 'aksCluster' && n.properties.azureRbac);
}

export function bootstrapTemplate(ctx: DeliveryContext, mainTemplate: Template): Template {
  const { design, delivery } = ctx;
  const t = new TemplateBuilder(`${design.metadata.name}: the identity the ${delivery.provider === 'github' ? 'GitHub Actions workflows' : 'Azure Pipelines'} deploy as, in one environment's resource group`);
  t.parameter({
    name: ENVIRONMENT_PARAMETER,
    type: 'string',
    description: 'The delivery environment this resource group belongs to (delivery.environments in the design).',
    allowed: ctx.environments.map((e) => e.name),
  });
  if (delivery.provider === 'azurePipelines') {
    t.parameter({
      name: SERVICE_CONNECTION_PARAMETER,
      type: 'string',
      description: 'The Azure Pipelines service connection of the environment (its serviceConnection in the design).',
      allowed: [...new Set(ctx.environments.map((e) => e.serviceConnection ?? ''))],
    });
  }
  const location = t.parameter({
    name: 'location',
    type: 'string',
    description: 'Azure region of the identity; the resource group\'s by default.',
    defaultValue: call('resourceGroup', [], ['location']),
  });
  const environment = param(ENVIRONMENT_PARAMETER);
  const identity = t.resource({
    symbol: 'deploymentIdentity',
    type: IDENTITY_TYPE,
    apiVersion: IDENTITY_API,
    name: interp(`id-${design.metadata.name}-cd-`, environment),
    description: 'The identity the pipelines sign in as: a user-assigned managed identity, so there is no secret to store or rotate.',
    body: { location: param(location.name), tags: { ...design.metadata.tags }, properties: {} },
  });

  let previous: Resource | undefined;
  for (const s of subjectsOf(ctx)) {
    const credential: Resource = t.resource({
      symbol: s.name,
      type: FEDERATED_CREDENTIAL_TYPE,
      apiVersion: IDENTITY_API,
      parent: identity,
      name: s.name,
      description: `Accepts the token of ${s.why}.`,
      body: { properties: { issuer: s.issuer, subject: s.subject, audiences: [FEDERATION_AUDIENCE] } },
      // One federated credential of an identity at a time: Azure refuses concurrent writes.
      ...(previous ? { dependsOn: [previous] } : {}),
    });
    previous = credential;
  }

  const principalId = propOf(identity, 'properties', 'principalId');
  const grant = (role: { name: string; guid: string }, why: string, extra: Record<string, Expr> = {}) =>
    t.resource({
      symbol: `${role.name} assignment`,
      type: ROLE_ASSIGNMENT_TYPE,
      apiVersion: ROLE_ASSIGNMENT_API,
      name: call('guid', [resourceGroupId(), interp('gatewright-cd-', environment), role.guid]),
      description: `${role.name} on the resource group: ${why}`,
      body: {
        properties: {
          roleDefinitionId: roleDefinitionId(role.guid),
          principalId,
          principalType: 'ServicePrincipal',
          description: `Gatewright continuous deployment of ${design.metadata.name}: ${role.name}`,
          ...extra,
        },
      },
    });
  grant(BOOTSTRAP_ROLES.contributor, 'the deployment creates and updates every resource of the design in this resource group, and runs what-if (which needs the same permissions as deploying).');
  const delegated = assignedRoles(mainTemplate);
  if (delegated.length) {
    grant(
      BOOTSTRAP_ROLES.rbacAdministrator,
      `the template assigns roles to the design's managed identities (${delegated.map(roleName).join(', ')}); Contributor cannot assign roles, and the condition allows these roles only, to service principals only, so the identity cannot grant itself or anyone else more.`,
      { condition: delegationCondition(delegated), conditionVersion: '2.0' },
    );
  }
  if (appliesManifestsWithAzureRbac(design)) {
    grant(
      BOOTSTRAP_ROLES.aksRbacClusterAdmin,
      'the deployment applies the Kubernetes manifests through the AKS run command as this identity, and the clusters authorize Kubernetes requests with Azure RBAC (the manifests create namespaces and cluster-wide objects).',
    );
  }

  t.output({ name: 'clientId', type: 'string', value: propOf(identity, 'properties', 'clientId'), description: 'AZURE_CLIENT_ID of the pipelines: the identity\'s client id.' });
  t.output({ name: 'tenantId', type: 'string', value: tenantId(), description: 'AZURE_TENANT_ID of the pipelines.' });
  t.output({ name: 'subscriptionId', type: 'string', value: subscriptionId(), description: 'AZURE_SUBSCRIPTION_ID of the pipelines.' });
  t.output({ name: 'principalId', type: 'string', value: principalId, description: 'The identity\'s object (principal) id, holder of the role assignments.' });
  return t.build();
}

/**
 * The federated credentials as template values: the environment's own subject is built from the environmentName
 * parameter (one template serves every environment); the others are the same in every environment.
 */
function subjectsOf(ctx: DeliveryContext): { name: string; issuer: string; subject: Expr; why: string }[] {
  const { delivery } = ctx;
  if (delivery.provider === 'github') {
    // federatedSubjects() of a placeholder environment, its name replaced by the parameter.
    const marker = 'ENVIRONMENT';
    return federatedSubjects(delivery, { ...ctx.environments[0]!, name: marker }).map((s) => ({
      ...s,
      subject: s.subject.endsWith(`:environment:${marker}`) ? interp(s.subject.slice(0, -marker.length), param(ENVIRONMENT_PARAMETER)) : s.subject,
      why: s.why.replace(`"${marker}"`, 'environmentName'),
    }));
  }
  // Azure Pipelines: the environment's service connection, a parameter (SERVICE_CONNECTION_PARAMETER).
  const [organization, project] = delivery.repository.split('/');
  const s = federatedSubjects(delivery, ctx.environments[0]!)[0]!;
  return [
    {
      name: s.name,
      issuer: s.issuer,
      subject: interp(`sc://${organization}/${project}/`, param(SERVICE_CONNECTION_PARAMETER)),
      why: 'the Azure Pipelines service connection of the environment (serviceConnectionName), used by every job of that environment',
    },
  ];
}

/** The parameter values that deploy the bootstrap into one environment's resource group. */
export function bootstrapParameters(ctx: DeliveryContext, environmentName: string): Record<string, string> {
  const env = ctx.environments.find((e) => e.name === environmentName);
  if (!env) throw new Error(`bootstrap: the design has no delivery environment "${environmentName}"`);
  return {
    [ENVIRONMENT_PARAMETER]: env.name,
    ...(ctx.delivery.provider === 'azurePipelines' ? { [SERVICE_CONNECTION_PARAMETER]: env.serviceConnection ?? '' } : {}),
  };
}
