/**
 * The globally unique names a design's resources get in one resource group: a derived name of a Key Vault, Container
 * Registry, SQL server, Cosmos DB account or API Management ends with uniqueString(resourceGroup().id), which
 * src/model/unique-string.ts computes exactly as Resource Manager does. Deploy shows them before deploying, imports
 * certificates into the vault under its real name, and puts the real names where the generated Kubernetes
 * manifests show `<prefix><suffix>`. Pure.
 */
import { evaluateTemplateString } from '../model/arm-expression.js';
import { resolvedName, resourceName, UNIQUE_SUFFIX_SHOWN } from '../model/naming.js';
import { uniqueString } from '../model/unique-string.js';
import type { Design } from '../schemas/design.js';

export interface UniqueName {
  readonly nodeId: string;
  /** As the generated files show it: `<prefix><suffix>`. */
  readonly shown: string;
  /** As Azure names it in the resource group. */
  readonly name: string;
}

/** The id of a resource group, as resourceGroup().id gives it. */
export function resourceGroupIdOf(target: { readonly subscriptionId: string; readonly resourceGroup: string }): string {
  return `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}`;
}

/** Every node whose derived name ends with the unique suffix, with its name in the resource group. */
export function uniqueNames(design: Design, resourceGroupId: string): UniqueName[] {
  const out: UniqueName[] = [];
  for (const node of design.nodes) {
    const n = resourceName(design.metadata.name, node);
    if (n.uniquePrefix !== undefined) out.push({ nodeId: node.id, shown: n.name, name: resolvedName(n, resourceGroupId) });
  }
  return out;
}

/** A text with every `<prefix><suffix>` of the design replaced by the name in the resource group. */
export function withUniqueNames(text: string, names: readonly UniqueName[]): string {
  if (!text.includes(UNIQUE_SUFFIX_SHOWN)) return text;
  let out = text;
  for (const n of names) out = out.split(n.shown).join(n.name);
  return out;
}

/**
 * A template's resource name as Resource Manager evaluates it in one resource group, for the forms the generators
 * write: a literal, or an expression of string literals, format() (with {n} and {{ }}), concat() and
 * uniqueString(resourceGroup().id), nested in any way (`[format('{0}', format('kv-{0}', uniqueString(resourceGroup().id)))]`),
 * read by src/model/arm-expression.ts. Undefined for anything else (a parameter, another function, environment()):
 * such a name is not known before deploying.
 */
export function templateNameIn(name: string, resourceGroupId: string): string | undefined {
  return evaluateTemplateString(name, { resourceGroupUniqueString: uniqueString(resourceGroupId) });
}
