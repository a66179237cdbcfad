/**
 * The data services: Key Vault, Container Registry, SQL Database and Cosmos DB, one resource (or server and
 * database) per node, each registered as the node's main resource. The details of each are in ./data/.
 * Private endpoints come later (./private-link.ts), role assignments last (./roles.ts).
 */
import type { AzureBuild } from '../build.js';
import { buildCosmos } from './cosmos.js';
import { buildKeyVault } from './keyvault.js';
import { buildRegistry } from './registry.js';
import { buildSql } from './sql.js';
import { uniqueNodes } from '../../../model/subnet-plan.js';

export function buildDataServices(b: AzureBuild): void {
  for (const kv of uniqueNodes(b.nodes('keyVault'))) b.setNodeResource(kv, buildKeyVault(b, kv));
  for (const acr of uniqueNodes(b.nodes('containerRegistry'))) b.setNodeResource(acr, buildRegistry(b, acr));
  for (const sql of uniqueNodes(b.nodes('sqlDatabase'))) b.setNodeResource(sql, buildSql(b, sql));
  for (const cosmos of uniqueNodes(b.nodes('cosmosDb'))) b.setNodeResource(cosmos, buildCosmos(b, cosmos));
}
