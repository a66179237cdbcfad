/**
 * Credentials. src/deploy takes any Azure SDK TokenCredential. The command line uses workload identity federation when
 * the environment configures it, then the Azure CLI's sign-in, then the default chain (environment, workload identity,
 * managed identity...: see cliCredential); the extension wraps VS Code's Microsoft
 * authentication with tokenCredential(), which needs only a function that returns an access token.
 */
import { AzureCliCredential, ChainedTokenCredential, DefaultAzureCredential, WorkloadIdentityCredential, type AccessToken, type TokenCredential } from '@azure/identity';

export type { AccessToken, TokenCredential };

/** An access token as a sign-in provider gives it: the token alone (its expiry is read from it) or with its expiry. */
export type TokenResult = string | { readonly token: string; readonly expiresOn?: Date };

/** What a token is asked for beyond its scopes: the tenant (a subscription of another tenant) and a claims challenge. */
export interface TokenRequest {
  /** The tenant to issue the token in, when it is not the signed-in account's home tenant. */
  readonly tenantId?: string;
  /** The claims a Continuous Access Evaluation challenge asks for (JSON), to be satisfied by signing in again. */
  readonly claims?: string;
}

/** Returns an access token for the scopes, or throws when the user cannot or will not sign in. */
export type GetAccessToken = (scopes: readonly string[], signal?: AbortSignalLike, request?: TokenRequest) => Promise<TokenResult>;

/** What the SDK passes as an abort signal: `aborted` and the abort event. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** How long a token whose expiry is unknown is taken to live (the SDK asks again after that). */
const UNKNOWN_EXPIRY_MS = 5 * 60 * 1000;

/** A sign-in that failed, with the one thing that fixes it (a command, a setting, a menu): errors end with `remedy`. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    message: string,
    readonly remedy: string,
  ) {
    super(message);
  }
}

/** A TokenCredential from a function that returns access tokens (VS Code's authentication sessions, for example). */
export function tokenCredential(getAccessToken: GetAccessToken): TokenCredential {
  return {
    async getToken(scopes, options): Promise<AccessToken> {
      const list = typeof scopes === 'string' ? [scopes] : [...scopes];
      const request: TokenRequest = { ...(options?.tenantId ? { tenantId: options.tenantId } : {}), ...(options?.claims ? { claims: options.claims } : {}) };
      const result = await getAccessToken(list, options?.abortSignal, request);
      const token = typeof result === 'string' ? result : result.token;
      if (!token) throw new Error('the sign-in gave no access token');
      const expiresOn = typeof result === 'string' ? undefined : result.expiresOn;
      const expiresOnTimestamp = expiresOn?.getTime() ?? jwtExpiry(token) ?? Date.now() + UNKNOWN_EXPIRY_MS;
      return { token, expiresOnTimestamp, tokenType: 'Bearer' };
    },
  };
}

/** The `exp` claim of a JWT, in milliseconds; undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The environment variables of workload identity federation, as Azure Kubernetes Service's webhook and pipelines set them. */
export const WORKLOAD_IDENTITY_VARIABLES = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE'] as const;

/** Whether the environment configures workload identity federation (all three variables set). */
export function workloadIdentityConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return WORKLOAD_IDENTITY_VARIABLES.every((name) => (env[name] ?? '').trim() !== '');
}

/**
 * The command line's credential, tried in this order:
 * 1. workload identity federation, when the environment configures it (AZURE_CLIENT_ID, AZURE_TENANT_ID and
 *    AZURE_FEDERATED_TOKEN_FILE, the file holding the identity provider's token: an AKS pod with workload identity,
 *    or a pipeline that writes its OIDC token there): a configuration made for this process wins over whatever
 *    account the Azure CLI on the machine is signed in to
 *    (https://learn.microsoft.com/javascript/api/@azure/identity/workloadidentitycredential);
 * 2. the Azure CLI's sign-in (`az login`; in GitHub Actions, azure/login with OIDC signs the CLI in:
 *    https://learn.microsoft.com/azure/developer/github/connect-from-azure-openid-connect);
 * 3. the default chain (https://learn.microsoft.com/javascript/api/overview/azure/identity-readme#defaultazurecredential):
 *    a service principal from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH),
 *    workload identity, managed identity (AZURE_CLIENT_ID picks a user-assigned one), then developer tools;
 *    AZURE_TOKEN_CREDENTIALS narrows it, AZURE_AUTHORITY_HOST names another cloud's Microsoft Entra ID.
 * Tokens of other tenants may be asked for (tenantCredential), but only for the tenant Resource Manager names as a
 * subscription's. Step 1 is taken only when `env` is given (the command line gives the process's environment): the
 * extension's "Azure CLI" sign-in setting means the Azure CLI. The SDK reads the rest of the environment itself.
 */
export function cliCredential(options: { tenantId?: string; env?: Readonly<Record<string, string | undefined>> } = {}): TokenCredential {
  const tenant = { ...(options.tenantId ? { tenantId: options.tenantId } : {}), additionallyAllowedTenants: ['*'] };
  const env = options.env;
  const sources: TokenCredential[] = [];
  if (env && workloadIdentityConfigured(env)) {
    sources.push(
      new WorkloadIdentityCredential({
        tenantId: options.tenantId ?? env.AZURE_TENANT_ID!.trim(),
        clientId: env.AZURE_CLIENT_ID!.trim(),
        tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE!.trim(),
        additionallyAllowedTenants: ['*'],
      }),
    );
  }
  sources.push(new AzureCliCredential(tenant), new DefaultAzureCredential(tenant));
  return new ChainedTokenCredential(...sources);
}

/**
 * A credential that asks `credential` for tokens of `tenantId`: for a subscription whose tenant is not the signed-in
 * account's home tenant (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant).
 */
export function tenantCredential(credential: TokenCredential, tenantId: string): TokenCredential {
  return {
    getToken: (scopes, options) => credential.getToken(scopes, { ...options, tenantId }),
  };
}
