/**
 * The policy document of each API, as src/generators/policies writes it to apim/policies/<file>.xml. The Bicep loads
 * that file (loadTextContent, relative to infra/main.bicep) and the ARM JSON inlines the same text, so both must name
 * the file generatePolicies gives the API: the same instances and APIs in the same order, the same de-duplication
 * (first node per id, first API per name) and the same fallback name when two APIs would share a file.
 */
import type { Design } from '../../../schemas/design.js';
import { DesignIndex } from '../../../model/design-index.js';
import { apimEntityName, generatePolicies, policyFileName, type PolicyFile } from '../../policies/index.js';
import { shortHash } from '../../policies/names.js';

export interface ApiPolicyFile extends PolicyFile {
  /** Path relative to infra/main.bicep. */
  readonly bicepPath: string;
}

function key(apimId: string, apiName: string): string {
  return `${apimId}\u0000${apiName}`;
}

/** The policy file of every API, by API Management node id and API name. */
export function policyFilesByApi(design: Design): (apimId: string, apiName: string) => ApiPolicyFile | undefined {
  const contents = new Map(generatePolicies(design).map((f) => [f.path, f.content]));
  const ctx = new DesignIndex(design);
  const byApi = new Map<string, ApiPolicyFile>();
  const paths = new Set<string>();
  for (const apim of ctx.nodesOfType('apiManagement')) {
    if (ctx.nodes.get(apim.id) !== apim) continue;
    const names = new Set<string>();
    for (const api of apim.properties.apis) {
      if (names.has(api.name)) continue;
      names.add(api.name);
      let path = policyFileName(apim.id, api.name);
      if (paths.has(path)) path = `apim/policies/${apimEntityName(`${apim.id}-${api.name}-${shortHash(`${apim.id}/${api.name}`)}`)}.xml`;
      paths.add(path);
      const content = contents.get(path);
      if (content !== undefined) byApi.set(key(apim.id, api.name), { path, content, bicepPath: `../${path}` });
    }
  }
  return (apimId, apiName) => byApi.get(key(apimId, apiName));
}
