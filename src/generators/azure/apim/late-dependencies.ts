/**
 * Dependencies on role assignments that a later builder creates.
 *
 * A resource that reads Key Vault with a managed identity (Application Gateway's listener certificate, API
 * Management's custom domain and client certificates) must be deployed after the identity is granted access, or
 * the deployment fails (API Management: "Failed to access KeyVault Secret ... using Managed Service Identity").
 * The role assignments are made by buildRoleAssignments, which runs after the gateway and API Management builders,
 * so the dependency is resolved when the template is rendered: the resource's `dependsOn` is a getter that finds,
 * in the finished template, every role assignment whose principalId refers to the identity (a
 * propOf(<identity owner>, ..., 'principalId') expression), scoped to a Key Vault. A role assignment written in any
 * other form is not found and the resource simply does not wait for it.
 */
import { referencedResources, ResourcePropRef, type Expr } from '../../ir/expr.js';
import type { NestedDeployment, Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';

/** The resource whose identity a role assignment grants, when its principalId is read from a resource of the template. */
function principalOwner(r: Resource): Resource | undefined {
  const props = r.body.properties;
  if (!props || typeof props !== 'object' || Array.isArray(props) || props instanceof ResourcePropRef) return undefined;
  const principal = (props as Record<string, unknown>).principalId;
  if (principal instanceof ResourcePropRef && principal.path[principal.path.length - 1] === 'principalId') return principal.resource;
  return undefined;
}

/** Role assignments of the finished template that grant `owner`'s identity a role on a Key Vault. */
export function keyVaultGrantsTo(b: AzureBuild, owner: Resource): Resource[] {
  return b.t
    .build()
    .resources.filter((r) => r.type === ROLE_ASSIGNMENT_TYPE && principalOwner(r) === owner && (r.scope?.type ?? '').toLowerCase().startsWith('microsoft.keyvault/vaults'));
}

/** The resources a resource or module already depends on through its expressions, parent or scope. */
export function impliedDependencies(target: Resource | NestedDeployment): Set<Resource> {
  const out = new Set<Resource>();
  if ('body' in target) {
    for (const v of Object.values(target.body)) referencedResources(v, out);
    referencedResources(target.name, out);
    if (target.parent) out.add(target.parent);
    if (target.scope) out.add(target.scope);
  } else {
    for (const v of Object.values(target.params ?? {})) referencedResources(v as Expr | undefined, out);
  }
  return out;
}

/**
 * Gives `target` a `dependsOn` computed when it is read (at render time): `fixed` plus whatever `late` returns then,
 * leaving out what its expressions already depend on (Bicep's no-unnecessary-dependson). Call it on the object the
 * template keeps (what b.resource / b.t.module returned), never on one copied afterwards.
 */
export function dependOnLater<T extends Resource | NestedDeployment>(target: T, fixed: readonly Resource[], late: () => readonly Resource[]): T {
  const implied = impliedDependencies(target);
  Object.defineProperty(target, 'dependsOn', {
    enumerable: true,
    configurable: true,
    get: (): readonly Resource[] => {
      const all: Resource[] = [];
      for (const r of [...fixed, ...late()]) if (!implied.has(r) && !all.includes(r) && r !== (target as unknown)) all.push(r);
      return all;
    },
  });
  return target;
}
