/** Shared harness of the gateway and API Management builder tests: stand-ins for the builders they depend on. */
import assert from 'node:assert/strict';
import { parseDesign } from '../../src/document/parse.js';
import type { AzureBuild } from '../../src/generators/azure/build.js';
import { call, propOf, resourceGroupId, roleDefinitionId, tenantId } from '../../src/generators/ir/expr.js';
import type { Design } from '../../src/schemas/design.js';

export function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.equal(parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(parsed.findings)}`);
  return parsed.design as Design;
}

export const KV_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

/** Stand-ins for the data and roles builders (their briefs fix these forms). */
export function stubVaults(b: AzureBuild): void {
  for (const kv of b.nodes('keyVault')) {
    b.setNodeResource(
      kv,
      b.resource({
        symbol: kv.id,
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2024-11-01',
        name: b.azureName(kv),
        body: { ...b.placed(), properties: { tenantId: tenantId(), sku: { family: 'A', name: 'standard' }, enableRbacAuthorization: true } },
      }),
    );
  }
}

export function stubRoles(b: AzureBuild): void {
  for (const e of b.index.edgesOfType('secrets')) {
    const kv = b.nodeResources.get(e.to!.id)!;
    const own = b.ownIdentities.get(e.from!.id);
    const main = b.nodeResources.get(e.from!.id);
    if (!own && e.from?.type !== 'apiManagement') continue;
    b.resource({
      symbol: `${e.from!.id}-kv-secrets-user`,
      type: 'Microsoft.Authorization/roleAssignments',
      apiVersion: '2022-04-01',
      scope: kv,
      name: call('guid', [resourceGroupId(), String(kv.name), e.from!.id, KV_SECRETS_USER]),
      body: {
        properties: {
          roleDefinitionId: roleDefinitionId(KV_SECRETS_USER),
          principalId: own ? propOf(own, 'properties', 'principalId') : propOf(main!, 'identity', 'principalId'),
          principalType: 'ServicePrincipal',
        },
      },
    });
  }
}

