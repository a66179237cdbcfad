/**
 * SQL Database: a logical server (Microsoft.Sql/servers@2025-01-01, AVM-tested) and one database named after the
 * node, with server auditing to Log Analytics.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.sql/servers; bicep-types sql 2025-01-01; AVM avm/res/sql/server and its database
 * module; Azure/azure-quickstart-templates sql-auditing-server-policy-to-oms):
 * - Microsoft Entra-only authentication: administrators { administratorType ActiveDirectory, principalType Group,
 *   login, sid, tenantId, azureADOnlyAuthentication true }. The administrator is an Entra group whose display name
 *   and object id are parameters (neither is a secret; both without defaults: the README notes say what to put).
 *   With Entra-only authentication no SQL login or password exists anywhere. A design that asks for SQL
 *   authentication (entraOnlyAuthentication: false) still gets an Entra-only server: a SQL administrator needs a
 *   password, which a generated template never holds; a note says how to turn SQL authentication on afterwards.
 * - minimalTlsVersion '1.2' or '1.3' as the design says; publicNetworkAccess as the design says; version 12.0.
 * - The database: General Purpose Gen5, 2 vCores (the AVM database default), collation SQL_Latin1_General_CP1_CI_AS.
 * - Auditing (design `auditing`, on by default) needs a destination: with a diagnostics edge to a Log Analytics
 *   workspace, the server's auditingSettings send to Azure Monitor (isAzureMonitorTargetEnabled) with the default
 *   action groups, and the server's audit events are emitted by its `master` database: the template declares
 *   `master` (as the quickstart does; Azure creates it with the server, and declaring it only lets resources be
 *   scoped to it) so that the diagnostics builder's setting on every database of the server (allLogs, which holds
 *   SQLSecurityAuditEvents) covers it. Without such an edge auditing is left off and a note says why.
 */
import type { NodeOf } from '../../../schemas/design.js';
import { param, tenantId } from '../../ir/expr.js';
import { toIdentifier, type Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

export const SQL_SERVER_TYPE = 'Microsoft.Sql/servers';
export const SQL_DATABASE_TYPE = 'Microsoft.Sql/servers/databases';
export const SQL_AUDITING_TYPE = 'Microsoft.Sql/servers/auditingSettings';
export const SQL_API = '2025-01-01';
/** The audit action groups AVM's audit settings default to: batches run and every sign-in, successful or not. */
export const AUDIT_ACTION_GROUPS = ['BATCH_COMPLETED_GROUP', 'SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP', 'FAILED_DATABASE_AUTHENTICATION_GROUP'] as const;

/** The names of the two parameters that name a server's Entra ID administrator group. */
export function sqlAdminParameters(sqlId: string): { login: string; sid: string } {
  return { login: toIdentifier(`${sqlId}-admin-group-name`), sid: toIdentifier(`${sqlId}-admin-group-object-id`) };
}

export function buildSql(b: AzureBuild, sql: NodeOf<'sqlDatabase'>): Resource {
  const p = sql.properties;
  const name = b.name(sql);
  const derived = sqlAdminParameters(sql.id);
  const names = { login: b.parameterName(derived.login, `sql:${sql.id}`), sid: b.parameterName(derived.sid, `sql:${sql.id}`) };
  b.parameter({
    name: names.login,
    type: 'string',
    minLength: 1,
    description: `Display name of the Microsoft Entra group that administers SQL server "${name}" (node "${sql.id}").`,
  });
  b.parameter({
    name: names.sid,
    type: 'string',
    minLength: 36,
    description: `Object id of that Microsoft Entra group (a GUID).`,
  });
  b.notes.push(
    `SQL server "${name}" accepts Microsoft Entra ID sign-ins only; its administrator is an Entra group: set the parameters ${names.login} (the group's display name) and ${names.sid} (its object id, e.g. az ad group show --group "<name>" --query id -o tsv). Only members of that group can create the database users.`,
  );
  if (!p.entraOnlyAuthentication) {
    b.notes.push(
      `SQL Database "${sql.id}" asks for SQL authentication (entraOnlyAuthentication: false), but a SQL administrator needs a password and the template holds none: the server is created Entra-only. To allow SQL logins, set an administrator password yourself (az sql server update --admin-password) and run az sql server ad-only-auth disable.`,
    );
  }
  const server = b.resource({
    symbol: sql.id,
    type: SQL_SERVER_TYPE,
    apiVersion: SQL_API,
    name: b.azureName(sql),
    description: `SQL logical server of "${sql.id}": Microsoft Entra-only authentication, TLS ${p.minTlsVersion} minimum, public network access ${p.publicNetworkAccess.toLowerCase()}.`,
    body: {
      ...b.placed(),
      properties: {
        version: '12.0',
        minimalTlsVersion: p.minTlsVersion,
        publicNetworkAccess: p.publicNetworkAccess,
        administrators: {
          administratorType: 'ActiveDirectory',
          principalType: 'Group',
          login: param(names.login),
          sid: param(names.sid),
          tenantId: tenantId(),
          azureADOnlyAuthentication: true,
        },
      },
    },
  });
  b.resource({
    symbol: `${sql.id}-database`,
    type: SQL_DATABASE_TYPE,
    apiVersion: SQL_API,
    parent: server,
    name: sql.id,
    description: `Database "${sql.id}" of SQL server "${name}": General Purpose, Gen5, 2 vCores.`,
    body: {
      ...b.placed(),
      sku: { name: 'GP_Gen5_2', tier: 'GeneralPurpose' },
      properties: { collation: 'SQL_Latin1_General_CP1_CI_AS' },
    },
  });
  auditing(b, sql, server);
  return server;
}

function auditing(b: AzureBuild, sql: NodeOf<'sqlDatabase'>, server: Resource): void {
  if (!sql.properties.auditing) {
    b.notes.push(`SQL Database "${sql.id}" has auditing off (auditing: false): sign-ins and queries leave no audit trail.`);
    return;
  }
  const workspaces = b.index.outgoing(sql.id, 'diagnostics').filter((e) => e.to?.type === 'logAnalytics');
  if (!workspaces.length) {
    b.notes.push(
      `SQL Database "${sql.id}" asks for auditing but has no diagnostics edge to a Log Analytics workspace, the audit destination this template uses: auditing is left off. Add a diagnostics edge from "${sql.id}" to a logAnalytics node.`,
    );
    return;
  }
  // The server's audit events come out of master: the diagnostic setting on it (diagnostics builder) sends them.
  b.resource({
    symbol: `${sql.id}-master`,
    type: SQL_DATABASE_TYPE,
    apiVersion: SQL_API,
    parent: server,
    name: 'master',
    description: `The master database of SQL server "${b.name(sql)}" (Azure creates it): server audit events are read from it.`,
    body: { location: b.location(), properties: {} },
  });
  b.resource({
    symbol: `${sql.id}-auditing`,
    type: SQL_AUDITING_TYPE,
    apiVersion: SQL_API,
    parent: server,
    name: 'default',
    description: `Server auditing of "${sql.id}" to Azure Monitor (workspace ${workspaces.map((e) => `"${e.to!.id}"`).join(', ')} through the diagnostic setting on master).`,
    body: {
      properties: {
        state: 'Enabled',
        isAzureMonitorTargetEnabled: true,
        auditActionsAndGroups: [...AUDIT_ACTION_GROUPS],
      },
    },
  });
}
