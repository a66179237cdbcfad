/**
 * From generated files to what is deployed: the ARM template (infra/main.json), its parameters (the generated
 * parameters file merged with the saved answers), what is still missing, and each cluster's manifests. Pure.
 */
import type { GeneratedFile } from '../generators/generate.js';
import type { Design } from '../schemas/design.js';
import { clusterManifests, type ClusterManifests } from './manifests.js';
import { mergeParameters, type MergedParameters, type ParameterValues } from './parameters.js';
import type { DeploymentInput } from './target.js';
import { uniqueNames, withUniqueNames, type UniqueName } from './unique-names.js';

export const TEMPLATE_FILE = 'infra/main.json';
export const PARAMETERS_FILE = 'infra/main.parameters.json';

export interface PreparedDeployment {
  readonly template: Readonly<Record<string, unknown>>;
  readonly merged: MergedParameters;
  /** What to deploy, once no parameter is missing. */
  readonly input?: DeploymentInput;
  readonly clusters: readonly ClusterManifests[];
}

/**
 * `resourceGroupId`, when known, fills the computed globally unique names into the cluster manifests (where the
 * generated files show `<prefix><suffix>`).
 */
export function prepareDeployment(design: Design, generated: readonly GeneratedFile[], saved: ParameterValues = {}, resourceGroupId?: string): PreparedDeployment {
  const templateFile = generated.find((f) => f.path === TEMPLATE_FILE);
  if (!templateFile) throw new Error(`the generated files have no ${TEMPLATE_FILE}`);
  const template = JSON.parse(templateFile.content) as Record<string, unknown>;
  const merged = mergeParameters(template, generated.find((f) => f.path === PARAMETERS_FILE)?.content, saved);
  return {
    template,
    merged,
    ...(merged.missing.length === 0 ? { input: { template, parameters: merged.parameters } } : {}),
    clusters: resourceGroupId === undefined ? clusterManifests(design, generated) : withNames(clusterManifests(design, generated), uniqueNames(design, resourceGroupId)),
  };
}

function withNames(clusters: readonly ClusterManifests[], names: readonly UniqueName[]): ClusterManifests[] {
  return clusters.map((c) => ({ ...c, files: c.files.map((f) => ({ ...f, content: withUniqueNames(f.content, names) })) }));
}
