/**
 * How src/deploy reaches Resource Manager: a credential, the Resource Manager endpoint (a setting, for sovereign and
 * custom clouds) and the SDK pipeline options. Every SDK client is made here, so that each one gets the same
 * endpoint, token audience and pipeline.
 */
import { ResourceManagementClient, type ResourceManagementClientOptionalParams } from '@azure/arm-resources';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';

/** The public cloud's Resource Manager. */
export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

/**
 * Options of the SDK pipeline, handed to every client as they are: retryOptions, tlsOptions (trusted CAs), agent,
 * proxyOptions, additionalPolicies, httpClient, userAgentOptions...
 */
export type PipelineOptions = Omit<ResourceManagementClientOptionalParams, '$host' | 'endpoint' | 'baseUri' | 'apiVersion' | 'credentialScopes'>;

export interface ArmConnection {
  /** Who calls: an Azure SDK TokenCredential (see ./credential.ts). */
  readonly credential: TokenCredential;
  /** The Resource Manager endpoint, https only; DEFAULT_ARM_ENDPOINT when absent. */
  readonly endpoint?: string;
  /** The token scopes; `<endpoint>/.default` when absent. */
  readonly scopes?: readonly string[];
  readonly pipeline?: PipelineOptions;
}

/** The Resource Manager endpoint in canonical form (https origin, no trailing slash), or throws a RangeError saying why not. */
export function armEndpoint(text: string | undefined): string {
  const raw = (text ?? '').trim() || DEFAULT_ARM_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`the Resource Manager endpoint "${raw}" is not a URL`);
  }
  // The SDK sends bearer tokens over HTTPS only; a plain-HTTP endpoint would fail on the first call.
  if (url.protocol !== 'https:') throw new RangeError(`the Resource Manager endpoint "${raw}" must use https`);
  if (url.username || url.password) throw new RangeError(`the Resource Manager endpoint "${raw}" must not hold credentials`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new RangeError(`the Resource Manager endpoint "${raw}" must be an origin such as ${DEFAULT_ARM_ENDPOINT}, without a path`);
  }
  return url.origin;
}

/** The token scopes for an endpoint: its `/.default` scope. */
export function armScopes(connection: ArmConnection): string[] {
  return connection.scopes ? [...connection.scopes] : [`${armEndpoint(connection.endpoint)}/.default`];
}

/** A policy of the SDK pipeline (core-rest-pipeline's PipelinePolicy). */
export type PipelinePolicy = NonNullable<PipelineOptions['additionalPolicies']>[number]['policy'];

function clientOptions(connection: ArmConnection, extra: readonly PipelinePolicy[] = []) {
  const endpoint = armEndpoint(connection.endpoint);
  const additionalPolicies = [...(connection.pipeline?.additionalPolicies ?? []), ...extra.map((policy) => ({ policy, position: 'perCall' as const }))];
  return { ...connection.pipeline, additionalPolicies, endpoint, $host: endpoint, credentialScopes: armScopes(connection) };
}

export function resourcesClient(connection: ArmConnection, subscriptionId: string, extra: readonly PipelinePolicy[] = []): ResourceManagementClient {
  return new ResourceManagementClient(connection.credential, subscriptionId, clientOptions(connection, extra));
}

/**
 * A policy that remembers the Retry-After of the last long-running-operation status response, so that a caller
 * polling on its own waits as long as Resource Manager asks.
 */
export function retryAfterRecorder(): { policy: PipelinePolicy; take(): number | undefined } {
  let last: number | undefined;
  return {
    policy: {
      name: 'gatewrightRetryAfterRecorder',
      async sendRequest(request, next) {
        const response = await next(request);
        const header = response.headers.get('retry-after');
        if (header !== undefined && /\/operationStatuses\//i.test(request.url)) {
          const seconds = Number(header);
          const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
          if (Number.isFinite(ms)) last = Math.min(Math.max(0, ms), 60_000);
        }
        return response;
      },
    },
    take() {
      const value = last;
      last = undefined;
      return value;
    },
  };
}

export function subscriptionsClient(connection: ArmConnection): SubscriptionClient {
  return new SubscriptionClient(connection.credential, clientOptions(connection));
}

export function containerServiceClient(connection: ArmConnection, subscriptionId: string): ContainerServiceClient {
  return new ContainerServiceClient(connection.credential, subscriptionId, clientOptions(connection));
}

/**
 * A request to a resource provider's own operation (a POST action such as checkNameAvailability) through the same
 * pipeline as every other call: credential, endpoint, TLS, retries. @azure/arm-resources serves no provider actions,
 * so its generic GET by id carries the request and a per-call policy makes it the provider's: the method and the JSON
 * body are set, and the answer is read from the response as Resource Manager sent it. Errors (4xx, 5xx) throw as the
 * SDK throws them.
 */
export async function providerRequest(
  connection: ArmConnection,
  subscriptionId: string,
  request: {
    readonly method: 'POST' | 'HEAD';
    readonly path: string;
    readonly apiVersion: string;
    readonly body?: unknown;
    /** Statuses that are an answer, not an error (a HEAD's 404). */
    readonly answers?: readonly number[];
    readonly signal?: AbortSignal;
  },
): Promise<{ status: number; body: unknown }> {
  let answer: { status: number; text: string | undefined } | undefined;
  const policy: PipelinePolicy = {
    name: 'gatewrightProviderRequest',
    async sendRequest(outgoing, next) {
      outgoing.method = request.method;
      if (request.body !== undefined) {
        outgoing.body = JSON.stringify(request.body);
        outgoing.headers.set('content-type', 'application/json; charset=utf-8');
      }
      try {
        const response = await next(outgoing);
        answer = { status: response.status, text: response.bodyAsText ?? undefined };
        return response;
      } catch (e) {
        // A status the SDK's operation does not expect throws inside the pipeline, with the response.
        const response = (e as { response?: { status?: unknown; bodyAsText?: string | null } }).response;
        if (typeof response?.status === 'number') answer = { status: response.status, text: response.bodyAsText ?? undefined };
        throw e;
      }
    },
  };
  try {
    // The SDK puts a slash before the id itself: the path goes without its own.
    await resourcesClient(connection, subscriptionId, [policy]).resources.getById(request.path.replace(/^\/+/, ''), request.apiVersion, request.signal ? { abortSignal: request.signal } : {});
  } catch (e) {
    const status: number | undefined = answer?.status;
    if (status === undefined || !request.answers?.includes(status)) throw e;
  }
  if (!answer) throw new Error(`no answer to ${request.method} ${request.path}`);
  let body: unknown;
  try {
    body = answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    throw new Error(`${request.method} ${request.path} answered ${answer.status} with a body that is not JSON`);
  }
  return { status: answer.status, body };
}
