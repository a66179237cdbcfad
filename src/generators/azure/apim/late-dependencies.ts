/**
 * Dependencies on role assignments that a later builder creates.
 *
 * A resource that reads Key Vault with a managed identity (Application Gateway's listener certificate, API
 * Management's custom domain and client certificates) must be deployed after the identity is granted access, or
 * the deployment fails (API Management: "Failed to access KeyVault Secret ... using Managed Service Identity").
 * The role assignments are made by buildRoleAssignments, which runs after the gateway and API Management builders,
 * so the dependency is resolved once every builder has run (AzureBuild.afterAll): the resource's `dependsOn` gets
 * every role assignment whose principalId refers to the identity (a propOf(<identity owner>, ..., 'principalId')
 * expression), scoped to a Key Vault. A role assignment written in any other form is not found and the resource
 * simply does not wait for it.
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

const grantIndexes = new WeakMap<AzureBuild, Map<Resource, Resource[]>>();

/**
 * Role assignments of the finished template that grant `owner`'s identity a role on a Key Vault. Call it only once
 * every builder has run (from an afterAll callback): the template is indexed once, on the first call.
 */
export function keyVaultGrantsTo(b: AzureBuild, owner: Resource): Resource[] {
  let index = grantIndexes.get(b);
  if (!index) {
    index = new Map();
    for (const r of b.t.build().resources) {
      if (r.type !== ROLE_ASSIGNMENT_TYPE || !(r.scope?.type ?? '').toLowerCase().startsWith('microsoft.keyvault/vaults')) continue;
      const o = principalOwner(r);
      if (!o) continue;
      const list = index.get(o);
      if (list) list.push(r);
      else index.set(o, [r]);
    }
    grantIndexes.set(b, index);
  }
  return index.get(owner) ?? [];
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
 * Gives `target` a `dependsOn` computed once every builder has run: `fixed` plus whatever `late` returns then,
 * leaving out what its expressions already depend on (Bicep's no-unnecessary-dependson). Call it on the object the
 * template keeps (what b.resource / b.t.module returned), never on one copied afterwards.
 */
export function dependOnLater<T extends Resource | NestedDeployment>(b: AzureBuild, target: T, fixed: readonly Resource[], late: () => readonly Resource[]): T {
  b.afterAll(() => {
    const implied = impliedDependencies(target);
    const all: Resource[] = [];
    for (const r of [...fixed, ...late()]) if (!implied.has(r) && !all.includes(r) && r !== (target as unknown)) all.push(r);
    Object.defineProperty(target, 'dependsOn', { value: all, enumerable: true, configurable: true, writable: false });
  });
  return target;
}
