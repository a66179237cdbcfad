/**
 * What the deploy tests share: the reference design generated as `gatewright deploy` generates it, the answers to
 * the parameters it cannot know, a credential that issues a known token, and a running test Resource Manager that
 * the SDK trusts (its CA handed to the pipeline's tlsOptions). With `keyVault: true`, the pipeline's agent also resolves
 * the test vaults' hosts (<vault>.vault.localhost) to the server, as a resolver that knows *.localhost would.
 */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import { Agent } from 'node:https';
import { parseDesign } from '../../../src/document/parse.js';
import { generate, type Generated } from '../../../src/generators/generate.js';
import type { Design } from '../../../src/schemas/design.js';
import { tokenCredential, type TokenCredential } from '../../../src/deploy/credential.js';
import { prepareDeployment, type PreparedDeployment } from '../../../src/deploy/prepare.js';
import type { DeploymentTarget } from '../../../src/deploy/target.js';
import { REFERENCE } from '../reference.js';
import { resolvedName, resourceName } from '../../../src/model/naming.js';
import { AKS_SERVER_APP, ArmServer } from './server.js';

export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
export const RESOURCE_GROUP = 'rg-payments';
/** resourceGroup().id of the test resource group: the derived globally unique names end with its uniqueString. */
export const RESOURCE_GROUP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`;

/**
 * The Azure name of a design node in a resource group, as Resource Manager evaluates the template's name: a derived
 * globally unique name is its prefix followed by uniqueString(resourceGroup().id), computed by src/model/unique-string.ts.
 */
export function nameIn(design: Design, nodeId: string, resourceGroup: string = RESOURCE_GROUP, subscriptionId: string = SUBSCRIPTION): string {
  const node = design.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`the design has no node ${nodeId}`);
  return resolvedName(resourceName(design.metadata.name, node), `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`);
}

/** Answers to what the reference design cannot know (no CA file: the CA certificate is a parameter too). */
export const ANSWERS = {
  sqlAdminGroupName: 'sql-admins',
  sqlAdminGroupObjectId: '6f1a4c52-7d1e-4f47-9a43-2c1f3b9e8d70',
  internalCaCertificate: 'MIIBszCCAVmgAwIBAgIUQ2F0ZXdyaWdodC10ZXN0LWNhMAoGCCqGSM49BAMCMA==',
} as const;

export interface Reference {
  readonly design: Design;
  readonly generated: Generated;
  readonly prepared: PreparedDeployment;
}

/** The reference design (or `text`) generated and prepared for the test resource group (its manifests with the real names). */
export function reference(text: string = REFERENCE, resourceGroupId: string = RESOURCE_GROUP_ID): Reference {
  const design = parseDesign(text).design;
  if (!design) throw new Error('the reference design does not parse');
  const generated = generate(design);
  return { design, generated, prepared: prepareDeployment(design, generated.files, ANSWERS, resourceGroupId) };
}

/** An access token shaped as Entra ID issues them (header.claims.signature), with the given claims; unsigned. */
export function testJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ aud: 'https://management.azure.com', exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.${randomBytes(16).toString('base64url')}`;
}

/** An agent that trusts the test CA and resolves *.localhost to 127.0.0.1 (the vaults' data plane); other names as usual. */
export function localhostAgent(caPem: string): Agent {
  return new Agent({
    ca: caPem,
    lookup: (hostname, options, callback) => {
      if (/\.localhost$/i.test(hostname)) {
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        return callback(null, '127.0.0.1', 4);
      }
      return lookup(hostname, options, callback);
    },
  });
}

/**
 * A credential that records its calls and issues `token` (also when asked for the home tenant, `others.home`, as Key
 * Vault's challenge asks); for the AKS server application's scope, `others.cluster` (a run command's clusterToken);
 * for another tenant, that tenant's token in `others.tenants` (a tenant it has no token for is refused as Microsoft
 * Entra ID refuses an account that is not a member of it).
 */
export function testCredential(
  token: string,
  others: { cluster?: () => string; home?: string; tenants?: Readonly<Record<string, string>> } = {},
): TokenCredential & { calls: string[][]; requests: { scopes: string[]; tenantId?: string; claims?: string }[] } {
  const calls: string[][] = [];
  const requests: { scopes: string[]; tenantId?: string; claims?: string }[] = [];
  const inner = tokenCredential(async (scopes, _signal, request = {}) => {
    calls.push([...scopes]);
    requests.push({ scopes: [...scopes], ...request });
    const expiresOn = new Date(Date.now() + 3600_000);
    if (scopes.includes(`${AKS_SERVER_APP}/.default`) && others.cluster) return { token: others.cluster(), expiresOn };
    if (request.tenantId && request.tenantId !== others.home) {
      const other = others.tenants?.[request.tenantId];
      if (!other) throw Object.assign(new Error(`AADSTS50020: User account from identity provider does not exist in tenant '${request.tenantId}'.`), { name: 'AuthenticationError' });
      return { token: other, expiresOn };
    }
    return { token, expiresOn };
  });
  return Object.assign(inner, { calls, requests });
}

export interface Harness {
  readonly server: ArmServer;
  readonly token: string;
  readonly credential: ReturnType<typeof testCredential>;
  readonly target: DeploymentTarget;
  close(): Promise<void>;
}

/**
 * A started server with the resource group (unless `group: false`) and a target pointing at it; `token` replaces the
 * random opaque token (Key Vault tests give a JWT with an oid), `keyVault` makes the vaults' hosts reachable.
 */
export async function harness(options: { group?: boolean; token?: string; keyVault?: boolean } = {}): Promise<Harness> {
  const token = options.token ?? `test-token-${randomBytes(12).toString('hex')}`;
  const server = await ArmServer.start({ token });
  if (options.group !== false) server.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, 'westeurope');
  const credential = testCredential(token, { cluster: () => server.clusterToken, home: server.tenantId });
  const target: DeploymentTarget = {
    credential,
    endpoint: server.url,
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RESOURCE_GROUP,
    pipeline: {
      tlsOptions: { ca: server.caPem },
      ...(options.keyVault ? { agent: localhostAgent(server.caPem) } : {}),
      retryOptions: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 2000 },
    },
  };
  return { server, token, credential, target, close: () => server.close() };
}
