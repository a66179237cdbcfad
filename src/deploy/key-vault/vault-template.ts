/**
 * A template that creates only the design's vault(s), cut from the generated template: the Microsoft.KeyVault/vaults
 * resources as the template declares them (without dependsOn, which names resources this template does not hold),
 * with the parameters and variables they reference, directly or through other variables and parameter defaults.
 * Deployed in Incremental mode before the certificates are imported when a vault does not exist yet, so that the main
 * deployment later finds the certificates in place and deploys the same vault again without a change. Pure.
 */
import type { DeploymentInput } from '../target.js';
import { templateNameIn } from '../unique-names.js';

/** A generated name as it is in the resource group (see templateNameIn); without a resource group, or for another form, as written. */
function nameIn(name: string, resourceGroupId: string | undefined): string {
  return (resourceGroupId === undefined ? undefined : templateNameIn(name, resourceGroupId)) ?? name;
}

export const VAULT_TYPE = 'Microsoft.KeyVault/vaults';

/**
 * The vault-only deployment for the vaults named `vaultNames` (case-insensitive), with the main deployment's values of
 * the parameters it keeps. Throws an Error naming a vault the template does not declare by that literal name.
 */
export function vaultOnlyDeployment(main: DeploymentInput, vaultNames: readonly string[], resourceGroupId?: string): DeploymentInput {
  const template = main.template;
  const all = Array.isArray(template.resources) ? (template.resources as unknown[]) : [];
  const resources: Record<string, unknown>[] = [];
  for (const name of vaultNames) {
    const found = all.find((r): r is Record<string, unknown> => isObject(r) && String(r.type).toLowerCase() === VAULT_TYPE.toLowerCase() && nameIn(String(r.name), resourceGroupId).toLowerCase() === name.toLowerCase());
    if (!found) throw new Error(`the template declares no ${VAULT_TYPE} resource named "${name}"`);
    const { dependsOn: _dependsOn, ...rest } = found;
    resources.push(rest);
  }

  const declaredParameters = isObject(template.parameters) ? template.parameters : {};
  const declaredVariables = isObject(template.variables) ? template.variables : {};
  const parameters = new Set<string>();
  const variables = new Set<string>();
  const queue: unknown[] = [...resources];
  while (queue.length) {
    const value = queue.pop();
    for (const text of strings(value)) {
      for (const m of text.matchAll(/\bparameters\(\s*'([^']+)'\s*\)/gi)) {
        const p = m[1]!;
        if (parameters.has(p) || !(p in declaredParameters)) continue;
        parameters.add(p);
        queue.push(declaredParameters[p]);
      }
      for (const m of text.matchAll(/\bvariables\(\s*'([^']+)'\s*\)/gi)) {
        const v = m[1]!;
        if (variables.has(v) || !(v in declaredVariables)) continue;
        variables.add(v);
        queue.push(declaredVariables[v]);
      }
    }
  }

  const pick = (from: Record<string, unknown>, names: Set<string>) => Object.fromEntries(Object.entries(from).filter(([k]) => names.has(k)));
  const out: Record<string, unknown> = {
    $schema: template.$schema ?? 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: template.contentVersion ?? '1.0.0.0',
    ...(isObject(template.metadata) ? { metadata: template.metadata } : {}),
    ...(Array.isArray(template.functions) && template.functions.length ? { functions: template.functions } : {}),
    parameters: pick(declaredParameters, parameters),
    ...(variables.size ? { variables: pick(declaredVariables, variables) } : {}),
    resources,
  };
  const values = Object.fromEntries(Object.entries(main.parameters).filter(([k]) => parameters.has(k)));
  return { template: out, parameters: values };
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) {
    yield k;
    yield* strings(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
