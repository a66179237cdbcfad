/**
 * A local HTTPS server that speaks enough of the Azure Resource Manager protocol for src/deploy's SDK clients:
 * subscriptions, resource groups, deployments (what-if and create as long-running operations, operations, cancel,
 * get, list), and the AKS run command. It keeps state (resource groups, deployed resources, deployments), advances
 * deployments one step per status poll, and CHECKS what it receives: the bearer token is the one the test
 * credential issued, every request carries api-version, and (when a test sets `expected`) the template, parameters
 * and run-command files are exactly the generated ones. Whatever does not match goes to `problems` (tests assert it
 * stays empty) and is answered with an error. Key Vault (vaults, role assignments on them, and the vaults' data plane
 * at https://<vault>.vault.localhost:<port>/) is emulated by ./key-vault.ts, which checks what it receives too.
 *
 * Listens on 127.0.0.1 only, with a CA made at test time (./tls.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { callerOid, KeyVaultEmulator, VAULT_TYPE } from './key-vault.js';
import { applyKustomization } from './kustomize.js';
import { planTemplate, isObject, type ArmErrorBody, type Plan, type PlannedResource } from './template.js';
import { makeServerTls, type ServerTls } from './tls.js';
import { whatIfChanges, type StoredResource, type WireChange } from './what-if.js';

export interface SubscriptionEntry {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly state?: string;
  /** The subscription's tenant (the server's own tenant when absent): a token of another tenant is refused with 401 InvalidAuthenticationTokenTenant. */
  readonly tenantId?: string;
}

/** The application id of the AKS Microsoft Entra server application: a run command's clusterToken is issued for it. */
export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Resource types whose names are globally unique, with the provider operation that says whether a name is free. */
export const GLOBAL_NAME_TYPES = [
  'Microsoft.KeyVault/vaults',
  'Microsoft.ContainerRegistry/registries',
  'Microsoft.Sql/servers',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.ApiManagement/service',
  'Microsoft.Storage/storageAccounts',
] as const;

export interface RecordedRequest {
  readonly method: string;
  /** For a vault's data plane: its host (<vault>.vault.localhost); absent for Resource Manager. */
  readonly host?: string;
  readonly path: string;
  readonly apiVersion?: string;
  readonly status: number;
  readonly at: number;
  readonly body?: unknown;
}

/** A canned answer for matching requests (throttling, conflicts, expired tokens...), used `times` times. */
export interface Fault {
  readonly method?: string;
  readonly path: RegExp;
  /** Let this many matching requests through first (to fail, say, the restoring PATCH rather than the opening one). */
  after?: number;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  times?: number;
}

export interface Scenario {
  /** How many polls a deployment takes once running (its operations are split into this many batches). */
  steps: number;
  /** This resource's operation fails with `error`. */
  failResource?: { type: string; name: string; statusCode?: string; error: ArmErrorBody };
  /** Deployments stay Running after this many status polls (for cancellation and conflict tests). */
  holdAfterPolls?: number;
  /** The Retry-After (seconds) of long-running-operation responses; 0 by default (real ARM asks for 10 to 15). */
  retryAfterSeconds?: number;
  /** How many data-plane requests still see a vault's old network settings, or miss a new role assignment (propagation). */
  keyVault?: { network?: number; rbac?: number };
  /**
   * The what-if cannot predict the changes: its result is answered with HTTP 200, status Failed and this error, as
   * Resource Manager does (the Azure CLI raises that error: https://learn.microsoft.com/cli/azure/deployment/group#az-deployment-group-what-if).
   */
  whatIfError?: ArmErrorBody;
  /** Deployments, their operations and their status polls spell states in lower case ("running", "succeeded"). */
  lowerCaseStates?: boolean;
}

export interface Expected {
  readonly template?: unknown;
  readonly parameters?: unknown;
  /** Run command: the command and, per cluster name, the files of the context zip. */
  readonly command?: string;
  readonly clusterFiles?: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Key Vault imports: per certificate name, the PFX bytes that must arrive. */
  readonly pfx?: ReadonlyMap<string, Uint8Array>;
}

type OpState = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled';

interface ServerOperation {
  readonly operationId: string;
  readonly resource: PlannedResource;
  state: OpState;
  startedAt?: Date;
  finishedAt?: Date;
  error?: ArmErrorBody;
  statusCode?: string;
}

interface ServerDeployment {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  state: 'Accepted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled';
  readonly template: unknown;
  readonly parameters: Record<string, unknown>;
  readonly plan?: Plan;
  readonly operations: ServerOperation[];
  polls: number;
  readonly createdAt: Date;
  finishedAt?: Date;
  readonly correlationId: string;
  error?: ArmErrorBody;
  outputs?: Record<string, unknown>;
}

interface PendingResult {
  polls: number;
  readonly body: unknown;
  readonly runningBody?: unknown;
}

export interface ArmServerOptions {
  /** The bearer token the test credential issues; anything else gets 401. */
  readonly token: string;
  readonly tenantId?: string;
  readonly subscriptions?: readonly SubscriptionEntry[];
  /** The tokens the test credential issues for other tenants (tenant id -> token), for subscriptions of those tenants. */
  readonly tenantTokens?: Readonly<Record<string, string>>;
  /** The token the test credential issues for the AKS server application (AKS_SERVER_APP), a run command's clusterToken. */
  readonly clusterToken?: string;
}

export class ArmServer {
  readonly requests: RecordedRequest[] = [];
  readonly problems: string[] = [];
  readonly faults: Fault[] = [];
  scenario: Scenario = { steps: 3 };
  expected: Expected = {};
  readonly resourceGroups = new Map<string, { name: string; location: string; tags?: Record<string, string> }>();
  readonly resources = new Map<string, StoredResource>();
  readonly deployments = new Map<string, ServerDeployment>();
  private readonly pending = new Map<string, PendingResult>();
  private readonly whatIfs = new Map<string, PendingResult>();
  readonly tenantId: string;
  readonly subscriptions: readonly SubscriptionEntry[];
  token: string;
  readonly tenantTokens: Readonly<Record<string, string>>;
  /** The clusterToken a run command on a cluster with managed Entra ID integration must carry. */
  clusterToken: string;
  /** The run command cannot run: its result says provisioningState "failed" with this reason. */
  runCommandFailure: string | undefined;
  /** Globally unique names taken elsewhere (by another customer), per resource type (lower case): checkNameAvailability says so. */
  readonly takenNames = new Map<string, Set<string>>();
  /**
   * Provisioning states other than Succeeded, by resource id (lower case): a GET of the resource reports this state
   * (say API Management left Failed by a first deployment that broke). Set with provisioningState().
   */
  readonly provisioningStates = new Map<string, string>();
  readonly keyVault: KeyVaultEmulator;

  private constructor(
    private readonly server: Server,
    readonly tls: ServerTls,
    options: ArmServerOptions,
  ) {
    this.token = options.token;
    this.tenantTokens = options.tenantTokens ?? {};
    this.clusterToken = options.clusterToken ?? `aks-${randomBytes(12).toString('hex')}`;
    this.tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
    this.subscriptions = options.subscriptions ?? [{ subscriptionId: '00000000-1111-2222-3333-444444444444', displayName: 'Contoso Test' }];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.keyVault = new KeyVaultEmulator({
      get url() {
        return self.url;
      },
      get token() {
        return self.token;
      },
      tenantId: this.tenantId,
      problems: this.problems,
      resources: this.resources,
      get expectedPfx() {
        return self.expected.pfx;
      },
      get lag() {
        return self.scenario.keyVault ?? {};
      },
    });
  }

  static async start(options: ArmServerOptions): Promise<ArmServer> {
    const tls = await makeServerTls();
    const holder: { self?: ArmServer } = {};
    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      void holder.self!.handle(req, res);
    });
    const self = new ArmServer(server, tls, options);
    holder.self = self;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get caPem(): string {
    return this.tls.caPem;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  fault(f: Fault): void {
    this.faults.push({ times: 1, ...f });
  }

  /**
   * The next `times` requests matching `path` are refused as Resource Manager refuses a token whose session Continuous
   * Access Evaluation revoked: 401 with a claims challenge in WWW-Authenticate
   * (https://learn.microsoft.com/entra/identity-platform/claims-challenge).
   */
  claimsChallenge(path: RegExp, times = 1): string {
    const claims = Buffer.from(JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(Date.now() / 1000)) } } })).toString('base64');
    this.fault({
      path,
      times,
      status: 401,
      headers: { 'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"` },
      body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token has been revoked: the session needs fresh claims.' } },
    });
    return claims;
  }

  /** Marks a globally unique name as taken by someone else (checkNameAvailability answers it is not available). */
  takeName(type: string, name: string): void {
    const key = type.toLowerCase();
    this.takenNames.set(key, new Set([...(this.takenNames.get(key) ?? []), name.toLowerCase()]));
  }

  addResourceGroup(subscriptionId: string, name: string, location: string): void {
    this.resourceGroups.set(rgKey(subscriptionId, name), { name, location });
  }

  /** A stored resource's provisioning state as a GET of it reports it from now on (Succeeded unless told). */
  provisioningState(type: string, name: string, state: string): void {
    const stored = this.resource(type, name);
    if (!stored) throw new Error(`provisioningState: no ${type} ${name} stored`);
    this.provisioningStates.set(stored.id.toLowerCase(), state);
  }

  /** Stores a template's resources as deployed (as if an earlier deployment had succeeded). */
  seed(subscriptionId: string, resourceGroup: string, template: unknown, parameters: unknown): void {
    const rg = this.resourceGroups.get(rgKey(subscriptionId, resourceGroup));
    if (!rg) throw new Error(`seed: no resource group ${resourceGroup}`);
    const result = planTemplate(template, parameters, this.scope(subscriptionId, rg.name, rg.location));
    if ('errors' in result) throw new Error(`seed: ${result.errors.map((e) => e.message).join('; ')}`);
    this.store(result.plan.resources);
  }

  /** The stored resource whose id ends with `/<type path>/<name>` (case-insensitive). */
  resource(type: string, name: string): StoredResource | undefined {
    for (const r of this.resources.values()) if (r.type.toLowerCase() === type.toLowerCase() && r.name.toLowerCase() === name.toLowerCase()) return r;
    return undefined;
  }

  /** Requests whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  // ---------------------------------------------------------------- dispatch

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const vaultHost = /^([a-z0-9-]+)\.vault\.localhost(?::\d+)?$/i.exec(req.headers.host ?? '');
    if (vaultHost) return this.handleVault(req, res, url, vaultHost[1]!, raw);
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return this.send(res, req, url, undefined, 400, { error: { code: 'InvalidRequestContent', message: 'The request content is not valid JSON.' } });
      }
    }
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => this.send(res, req, url, body, status, payload, headers, apiVersion);

    const fault = this.takeFault(method, url.pathname);
    if (fault) return send(fault.status, fault.body, { ...fault.headers });
    if (!apiVersion) {
      this.problems.push(`${method} ${url.pathname} came without api-version`);
      return send(400, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
    }
    const auth = req.headers.authorization;
    // A subscription of another tenant takes that tenant's token. Resource Manager refuses a token of the wrong tenant
    // with 401 InvalidAuthenticationTokenTenant and names the subscription's tenant in WWW-Authenticate's
    // authorization_uri (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant).
    const subTenant = this.tenantOf(url.pathname);
    const known = [this.token, ...Object.values(this.tenantTokens)].map((t) => `Bearer ${t}`);
    // A tenant-level request (/providers/...) takes a token of any tenant: it is answered in the token's tenant.
    const tenantLevel = !/^\/subscriptions\/[^/]+/i.test(url.pathname);
    const wanted = tenantLevel && auth !== undefined && known.includes(auth) ? auth.slice(7) : subTenant === this.tenantId ? this.token : this.tenantTokens[subTenant];
    if (auth !== `Bearer ${wanted}` && auth !== undefined && known.includes(auth)) {
      return send(
        401,
        {
          error: {
            code: 'InvalidAuthenticationTokenTenant',
            message: `The access token is from the wrong issuer 'https://sts.windows.net/${this.tenantOfToken(auth.slice(7))}/'. It must match the tenant 'https://sts.windows.net/${subTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
          },
        },
        { 'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${subTenant}", error="invalid_token", error_description="The access token is from the wrong issuer. It must match the tenant associated with this subscription. Please use correct authority to get the token."` },
      );
    }
    if (auth !== `Bearer ${wanted}`) {
      this.problems.push(`${method} ${url.pathname} came with ${auth ? 'another bearer token' : 'no Authorization header'}`);
      return send(
        401,
        { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
        { 'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${this.tenantId}", error="invalid_token", error_description="The access token is invalid."` },
      );
    }
    try {
      const [status, payload, headers] = this.route(method, url, body);
      return send(status, payload, headers);
    } catch (e) {
      this.problems.push(`${method} ${url.pathname}: server error ${e instanceof Error ? e.stack : String(e)}`);
      return send(500, { error: { code: 'InternalServerError', message: e instanceof Error ? e.message : String(e) } });
    }
  }

  /** The tenant of the subscription a path is under (the server's own tenant for tenant-level paths). */
  private tenantOf(path: string): string {
    const id = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
    const sub = id ? this.subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase()) : undefined;
    return sub?.tenantId ?? this.tenantId;
  }

  private tenantOfToken(token: string): string {
    if (token === this.token) return this.tenantId;
    return Object.entries(this.tenantTokens).find(([, t]) => t === token)?.[0] ?? this.tenantId;
  }

  private takeFault(method: string, path: string): Fault | undefined {
    for (const f of this.faults) {
      if ((f.times ?? 1) <= 0 || (f.method && f.method !== method) || !f.path.test(path)) continue;
      if ((f.after ?? 0) > 0) {
        f.after = f.after! - 1;
        continue;
      }
      f.times = (f.times ?? 1) - 1;
      return f;
    }
    return undefined;
  }

  /** A request to a vault's data plane: faults (once authenticated), then the emulator; recorded with its host. */
  private async handleVault(req: IncomingMessage, res: ServerResponse, url: URL, vault: string, raw: string): Promise<void> {
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record = (status: number) =>
      this.requests.push({ method, host: `${vault}.vault.localhost`, path: url.pathname, ...(url.searchParams.get('api-version') ? { apiVersion: url.searchParams.get('api-version')! } : {}), status, at: Date.now(), ...(body !== undefined ? { body } : {}) });
    const fault = req.headers.authorization ? this.takeFault(method, url.pathname) : undefined;
    if (fault) {
      const text = fault.body === undefined ? '' : JSON.stringify(fault.body);
      res.writeHead(fault.status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...fault.headers });
      res.end(text);
      return void record(fault.status);
    }
    try {
      const { status } = await this.keyVault.dataPlane(req, res, vault, url, raw);
      record(status);
    } catch (e) {
      this.problems.push(`${method} ${vault}.vault.localhost${url.pathname}: server error ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'InternalServerError', message: e instanceof Error ? e.message : String(e) } }));
      record(500);
    }
  }

  private send(
    res: ServerResponse,
    req: IncomingMessage,
    url: URL,
    body: unknown,
    status: number,
    payload?: unknown,
    headers: Record<string, string> = {},
    apiVersion?: string,
  ): void {
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(apiVersion ? { apiVersion } : {}), status, at: Date.now(), ...(body !== undefined ? { body } : {}) });
    const text = payload === undefined ? '' : JSON.stringify(payload);
    res.writeHead(status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': randomUUID(),
      ...headers,
    });
    res.end(text);
  }

  private route(method: string, url: URL, body: unknown): [number, unknown?, Record<string, string>?] {
    const path = url.pathname.replace(/\/+$/, '');
    const m = (re: RegExp) => re.exec(path);
    let r: RegExpExecArray | null;
    if (method === 'GET' && /^\/subscriptions$/i.test(path)) {
      return [200, { value: this.subscriptions.filter((s) => (s.tenantId ?? this.tenantId) === this.tenantId).map((s) => this.subscriptionJson(s)) }];
    }
    // Cosmos DB's name check is tenant-level: HEAD answers 200 when an account has the name, 404 when it is free
    // (https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/check-name-exists).
    if ((r = m(/^\/providers\/microsoft\.documentdb\/databaseaccountnames\/([^/]+)$/i)) && method === 'HEAD') {
      return [this.nameTaken('Microsoft.DocumentDB/databaseAccounts', r[1]!) ? 200 : 404];
    }
    if ((r = m(/^\/subscriptions\/([^/]+)(.*)$/i))) {
      const sub = this.subscriptions.find((s) => s.subscriptionId.toLowerCase() === r![1]!.toLowerCase());
      if (!sub) return [404, { error: { code: 'SubscriptionNotFound', message: `The subscription '${r[1]}' could not be found.` } }];
      return this.routeSubscription(method, sub.subscriptionId, r[2]!, url, body);
    }
    this.problems.push(`unexpected request ${method} ${path}`);
    return [404, { error: { code: 'NotFound', message: `The test Resource Manager does not serve ${method} ${path}.` } }];
  }

  private routeSubscription(method: string, sub: string, rest: string, url: URL, body: unknown): [number, unknown?, Record<string, string>?] {
    let r: RegExpExecArray | null;
    if (rest === '' && method === 'GET') return [200, this.subscriptionJson(this.subscriptions.find((s) => s.subscriptionId === sub)!)];
    if (/^\/resourcegroups$/i.test(rest) && method === 'GET') {
      const value = [...this.resourceGroups.entries()].filter(([k]) => k.startsWith(`${sub.toLowerCase()}|`)).map(([, g]) => this.groupJson(sub, g));
      return [200, { value }];
    }
    if (/^\/locations$/i.test(rest) && method === 'GET') {
      // A few physical regions and one logical one (which the region picker must leave out), as ARM lists them.
      const region = (name: string, displayName: string, geographyGroup: string, regionType = 'Physical') => ({
        id: `/subscriptions/${sub}/locations/${name}`,
        name,
        displayName,
        regionalDisplayName: `(${geographyGroup}) ${displayName}`,
        metadata: { regionType, regionCategory: 'Recommended', geographyGroup },
      });
      return [200, { value: [region('westeurope', 'West Europe', 'Europe'), region('northeurope', 'North Europe', 'Europe'), region('eastus2', 'East US 2', 'US'), region('europe', 'Europe', 'Europe', 'Logical')] }];
    }
    if ((r = /^\/providers\/microsoft\.resources\/locations\/([^/]+)\/operation(statuses|results)\/([^/]+)$/i.exec(rest)) && method === 'GET') {
      return this.whatIfPoll(r[2]!.toLowerCase() === 'statuses', r[3]!);
    }
    if ((r = /^\/providers\/microsoft\.resources\/deployments\/([^/]+)\/whatif$/i.exec(rest)) && method === 'POST') {
      return this.startSubscriptionWhatIf(sub, r[1]!, body, url.searchParams.get('api-version')!);
    }
    if ((r = /^\/providers\/(microsoft\.[a-z]+)\/checknameavailability$/i.exec(rest)) && method === 'POST') {
      return this.checkNameAvailability(r[1]!, body);
    }
    if ((r = /^\/resourcegroups\/([^/]+)(.*)$/i.exec(rest))) return this.routeGroup(method, sub, r[1]!, r[2]!, url, body);
    this.problems.push(`unexpected request ${method} /subscriptions/${sub}${rest}`);
    return [404, { error: { code: 'NotFound', message: `The test Resource Manager does not serve ${method} ${rest}.` } }];
  }

  private routeGroup(method: string, sub: string, rgName: string, rest: string, url: URL, body: unknown): [number, unknown?, Record<string, string>?] {
    const key = rgKey(sub, rgName);
    const group = this.resourceGroups.get(key);
    if (rest === '') {
      if (method === 'HEAD') return [group ? 204 : 404];
      if (method === 'GET') return group ? [200, this.groupJson(sub, group)] : [404, notFoundGroup(rgName)];
      if (method === 'PUT') {
        if (!isObject(body) || typeof body.location !== 'string') return [400, { error: { code: 'LocationRequired', message: 'The location property is required for this definition.' } }];
        const created = !group;
        const next = { name: group?.name ?? rgName, location: group?.location ?? body.location, ...(isObject(body.tags) ? { tags: body.tags as Record<string, string> } : {}) };
        this.resourceGroups.set(key, next);
        return [created ? 201 : 200, this.groupJson(sub, next)];
      }
    }
    if (!group) return [404, notFoundGroup(rgName)];
    let r: RegExpExecArray | null;
    // The SDK lists deployment operations under …/resourcegroups/{rg}/deployments/{name}/operations (no provider segment).
    const deployments = /^(?:\/providers\/microsoft\.resources)?\/deployments/i;
    if (deployments.test(rest)) {
      const tail = rest.replace(deployments, '');
      if (tail === '' && method === 'GET') {
        const value = [...this.deployments.values()].filter((d) => d.resourceGroup.toLowerCase() === group.name.toLowerCase()).map((d) => this.deploymentJson(d));
        return [200, { value }];
      }
      if ((r = /^\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(tail))) {
        const [, name, action, id] = r;
        return this.routeDeployment(method, sub, group, name!, action?.toLowerCase(), id, url, body);
      }
    }
    if ((r = /^\/providers\/microsoft\.keyvault\/vaults\/([^/]+)$/i.exec(rest))) {
      return this.keyVault.routeVault(method, sub, group, r[1]!, body, url.searchParams.get('api-version')!);
    }
    if ((r = /^(\/providers\/microsoft\.keyvault\/vaults\/[^/]+)\/providers\/microsoft\.authorization\/roleassignments\/([^/]+)$/i.exec(rest))) {
      const vault = this.resources.get(`/subscriptions/${sub}/resourcegroups/${group.name}${r[1]}`.toLowerCase());
      if (!vault) return [404, { error: { code: 'ResourceNotFound', message: `The scope of the role assignment does not exist.` } }];
      return this.keyVault.routeRoleAssignment(method, vault.id, r[2]!, body, callerOid(this.token));
    }
    if ((r = /^\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i.exec(rest)) && method === 'GET') {
      const cluster = this.resources.get(`/subscriptions/${sub}/resourcegroups/${group.name}/providers/microsoft.containerservice/managedclusters/${r[1]!}`.toLowerCase());
      if (!cluster) return [404, { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.ContainerService/managedClusters/${r[1]}' under resource group '${group.name}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` } }];
      return [200, { id: cluster.id, name: cluster.name, type: cluster.type, ...cluster.body, properties: { ...(isObject(cluster.body.properties) ? cluster.body.properties : {}), provisioningState: 'Succeeded' } }];
    }
    if ((r = /^\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)\/(runcommand|commandresults)(?:\/([^/]+))?$/i.exec(rest))) {
      return this.routeRunCommand(method, sub, group, r[1]!, r[2]!.toLowerCase(), r[3], url, body);
    }
    // API Management read by id (deploy asks whether the service exists: https://learn.microsoft.com/rest/api/resources/resources/get-by-id):
    // the service as the last deployment left it, or 404 ResourceNotFound as Resource Manager answers for a missing one.
    if ((r = /^\/providers\/microsoft\.apimanagement\/service\/([^/]+)$/i.exec(rest)) && method === 'GET') {
      const service = this.resources.get(`/subscriptions/${sub}/resourcegroups/${group.name}/providers/microsoft.apimanagement/service/${r[1]!}`.toLowerCase());
      if (!service) return [404, { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.ApiManagement/service/${r[1]}' under resource group '${group.name}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` } }];
      const provisioningState = this.provisioningStates.get(service.id.toLowerCase()) ?? 'Succeeded';
      return [200, { id: service.id, name: service.name, type: service.type, ...service.body, properties: { ...(isObject(service.body.properties) ? service.body.properties : {}), provisioningState } }];
    }
    this.problems.push(`unexpected request ${method} ${rest} in resource group ${rgName}`);
    return [404, { error: { code: 'NotFound', message: `The test Resource Manager does not serve ${method} ${rest}.` } }];
  }

  // ---------------------------------------------------------------- deployments

  private routeDeployment(
    method: string,
    sub: string,
    group: { name: string; location: string },
    name: string,
    action: string | undefined,
    id: string | undefined,
    url: URL,
    body: unknown,
  ): [number, unknown?, Record<string, string>?] {
    const deploymentId = `/subscriptions/${sub}/resourceGroups/${group.name}/providers/Microsoft.Resources/deployments/${name}`;
    const d = this.deployments.get(deploymentId.toLowerCase());
    const apiVersion = url.searchParams.get('api-version')!;
    if (action === undefined) {
      if (method === 'GET') return d ? [200, this.deploymentJson(d)] : [404, notFoundDeployment(name)];
      if (method === 'PUT') return this.createDeployment(sub, group, name, deploymentId, d, body, apiVersion);
    }
    if (action === 'whatif' && method === 'POST') return this.startWhatIf(sub, group, name, deploymentId, body, apiVersion);
    if (!d) return [404, notFoundDeployment(name)];
    if (action === 'cancel' && method === 'POST') {
      if (d.state !== 'Accepted' && d.state !== 'Running') {
        return [409, { error: { code: 'DeploymentCannotBeCancelled', message: `The deployment '${name}' cannot be cancelled because its provisioning state is '${d.state}'.` } }];
      }
      d.state = 'Canceled';
      d.finishedAt = new Date();
      for (const op of d.operations) if (op.state === 'Running') Object.assign(op, { state: 'Canceled', finishedAt: new Date() });
      return [204];
    }
    if (action === 'operations' && method === 'GET' && id === undefined) {
      const value = d.operations.filter((o) => o.state !== 'Pending').map((o) => this.operationJson(d, o));
      return [200, { value }];
    }
    if (action === 'operationstatuses' && method === 'GET' && id !== undefined) {
      this.advance(d);
      const status = d.state === 'Accepted' ? 'Running' : d.state;
      return [200, { status: this.spell(status), ...(d.error ? { error: d.error } : {}) }, this.retryAfter()];
    }
    this.problems.push(`unexpected deployment request ${method} ${name}/${action ?? ''}`);
    return [404, { error: { code: 'NotFound', message: `The test Resource Manager does not serve ${method} ${action}.` } }];
  }

  private checkExpected(what: string, template: unknown, parameters: unknown): void {
    if (this.expected.template !== undefined && !isDeepStrictEqual(template, this.expected.template)) {
      this.problems.push(`${what}: the template is not the generated one (${firstDifference(this.expected.template, template)})`);
    }
    if (this.expected.parameters !== undefined && !isDeepStrictEqual(parameters, this.expected.parameters)) {
      this.problems.push(`${what}: the parameters are not the expected ones (${firstDifference(this.expected.parameters, parameters)})`);
    }
  }

  /**
   * A deployment of vaults alone (made before importing certificates into a vault that does not exist yet): each vault
   * must be the generated template's, as it declares it but for dependsOn, and the parameters the generated ones.
   */
  private checkVaultOnly(what: string, template: unknown, parameters: unknown): void {
    const expected = this.expected.template;
    if (expected === undefined || !isObject(expected) || !isObject(template)) return;
    const declared = Array.isArray(expected.resources) ? (expected.resources as unknown[]).filter(isObject) : [];
    for (const r of (template.resources as unknown[]).filter(isObject)) {
      const original = declared.find((d) => String(d.type).toLowerCase() === VAULT_TYPE.toLowerCase() && d.name === r.name);
      if (!original) {
        this.problems.push(`${what}: vault ${String(r.name)} is not one of the generated template's`);
        continue;
      }
      const { dependsOn: _d, ...withoutDependencies } = original;
      if (!isDeepStrictEqual(r, withoutDependencies)) this.problems.push(`${what}: vault ${String(r.name)} is not as the generated template declares it (${firstDifference(withoutDependencies, r)})`);
    }
    const given = isObject(parameters) ? parameters : {};
    if (isObject(this.expected.parameters)) {
      for (const [k, v] of Object.entries(given)) {
        if (!isDeepStrictEqual(v, this.expected.parameters[k])) this.problems.push(`${what}: parameter ${k} is not the expected one (${firstDifference(this.expected.parameters[k], v)})`);
      }
    }
  }

  private validate(sub: string, group: { name: string; location: string }, deploymentId: string, body: unknown): { plan: Plan; props: Record<string, unknown> } | ArmErrorBody {
    const props = isObject(body) && isObject(body.properties) ? body.properties : undefined;
    if (!props) return { code: 'InvalidRequestContent', message: "The request content was invalid and could not be deserialized: 'Required property 'properties' not found in JSON.'" };
    if (props.mode !== 'Incremental' && props.mode !== 'Complete') return { code: 'InvalidDeploymentMode', message: `The deployment mode '${String(props.mode)}' is not valid.` };
    const result = planTemplate(props.template, props.parameters, this.scope(sub, group.name, group.location));
    if ('errors' in result) {
      return {
        code: 'InvalidTemplateDeployment',
        message: `The template deployment '${deploymentId.split('/').pop()}' is not valid according to the validation procedure. The tracking id is '${randomUUID()}'. See inner errors for details.`,
        details: result.errors.map((e) => ({ ...e, target: deploymentId })),
      };
    }
    return { plan: result.plan, props };
  }

  private createDeployment(
    sub: string,
    group: { name: string; location: string },
    name: string,
    id: string,
    existing: ServerDeployment | undefined,
    body: unknown,
    apiVersion: string,
  ): [number, unknown?, Record<string, string>?] {
    if (existing && (existing.state === 'Accepted' || existing.state === 'Running')) {
      return [
        409,
        {
          error: {
            code: 'DeploymentActive',
            message: `Unable to edit or replace deployment '${name}': previous deployment from '${existing.createdAt.toISOString()}' is still active (expiration time is '${new Date(existing.createdAt.getTime() + 14 * 86400_000).toISOString()}'). Please see https://aka.ms/arm-deploy for usage details.`,
          },
        },
      ];
    }
    const checked = this.validate(sub, group, id, body);
    if (!('plan' in checked)) return [400, { error: checked }];
    if (isVaultOnly(checked.props.template)) {
      this.checkVaultOnly(`deployment ${name}`, checked.props.template, checked.props.parameters);
    } else {
      this.checkExpected(`deployment ${name}`, checked.props.template, checked.props.parameters);
      this.keyVault.checkRestored(`deployment ${name}`);
    }
    const d: ServerDeployment = {
      id,
      name,
      resourceGroup: group.name,
      state: 'Accepted',
      template: checked.props.template,
      parameters: (checked.props.parameters ?? {}) as Record<string, unknown>,
      plan: checked.plan,
      operations: checked.plan.operations.map((resource) => ({ operationId: randomBytes(8).toString('hex').toUpperCase(), resource, state: 'Pending' })),
      polls: 0,
      createdAt: new Date(),
      correlationId: randomUUID(),
    };
    this.deployments.set(id.toLowerCase(), d);
    const status = `${this.url}${id}/operationStatuses/${randomBytes(8).toString('hex').toUpperCase()}?api-version=${apiVersion}`;
    return [201, this.deploymentJson(d), { 'azure-asyncoperation': status, ...this.retryAfter() }];
  }

  /** One status poll: the deployment moves one batch of operations forward. */
  private advance(d: ServerDeployment): void {
    if (d.state !== 'Accepted' && d.state !== 'Running') return;
    d.polls++;
    if (d.state === 'Accepted') d.state = 'Running';
    if (this.scenario.holdAfterPolls !== undefined && d.polls > this.scenario.holdAfterPolls) return;
    const now = new Date();
    const batch = Math.max(1, Math.ceil(d.operations.length / Math.max(1, this.scenario.steps)));
    for (const op of d.operations) {
      if (op.state !== 'Running') continue;
      const fail = this.scenario.failResource;
      if (fail && fail.type.toLowerCase() === op.resource.type.toLowerCase() && fail.name.toLowerCase() === op.resource.name.toLowerCase()) {
        Object.assign(op, { state: 'Failed', finishedAt: now, error: fail.error, statusCode: fail.statusCode ?? 'BadRequest' });
      } else {
        Object.assign(op, { state: 'Succeeded', finishedAt: now, statusCode: 'Created' });
      }
    }
    const next = d.operations.filter((o) => o.state === 'Pending').slice(0, batch);
    for (const op of next) Object.assign(op, { state: 'Running', startedAt: now });
    if (next.length > 0) return;
    d.finishedAt = now;
    const failed = d.operations.filter((o) => o.state === 'Failed');
    if (failed.length) {
      d.state = 'Failed';
      d.error = {
        code: 'DeploymentFailed',
        target: d.id,
        message: 'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.',
        details: failed.map((o) => o.error!),
      };
      return;
    }
    d.state = 'Succeeded';
    this.store(d.plan!.resources);
    d.outputs = d.plan!.outputs;
    // Nested deployments show in the group's deployment list too.
    for (const op of d.operations) {
      if (op.resource.type.toLowerCase() !== 'microsoft.resources/deployments' || !op.resource.id.toLowerCase().includes('/resourcegroups/')) continue;
      this.deployments.set(op.resource.id.toLowerCase(), {
        id: op.resource.id,
        name: op.resource.name,
        resourceGroup: d.resourceGroup,
        state: 'Succeeded',
        template: {},
        parameters: {},
        operations: [],
        polls: 0,
        createdAt: now,
        finishedAt: now,
        correlationId: d.correlationId,
        outputs: {},
      });
    }
  }

  private store(resources: readonly PlannedResource[]): void {
    for (const r of resources) {
      this.resources.set(r.id.toLowerCase(), { id: r.id, type: r.type, name: r.name, apiVersion: r.apiVersion, body: structuredClone(r.body) });
      // Deployed again successfully: Succeeded again.
      this.provisioningStates.delete(r.id.toLowerCase());
    }
  }

  // ---------------------------------------------------------------- what-if

  private startWhatIf(sub: string, group: { name: string; location: string }, name: string, deploymentId: string, body: unknown, apiVersion: string): [number, unknown?, Record<string, string>?] {
    const checked = this.validate(sub, group, deploymentId, body);
    if (!('plan' in checked)) return [400, { error: checked }];
    this.checkExpected(`what-if ${name}`, checked.props.template, checked.props.parameters);
    this.keyVault.checkRestored(`what-if ${name}`);
    const rgId = `/subscriptions/${sub}/resourceGroups/${group.name}`;
    const changes: WireChange[] = whatIfChanges(checked.plan.resources, this.resources, rgId, checked.props.mode as 'Incremental' | 'Complete');
    return this.acceptWhatIf(sub, group.location, changes, apiVersion);
  }

  /**
   * A what-if at subscription scope of the one shape Gatewright sends for a resource group that does not exist yet: the
   * group (Microsoft.Resources/resourceGroups) and a nested deployment into it (inner expression scope) holding the
   * design's template and parameters. Nothing is created: every resource of a group that does not exist is a Create.
   */
  private startSubscriptionWhatIf(sub: string, name: string, body: unknown, apiVersion: string): [number, unknown?, Record<string, string>?] {
    const invalid = (message: string): [number, unknown] => [400, { error: { code: 'InvalidTemplate', message } }];
    if (!isObject(body) || typeof body.location !== 'string' || !body.location) {
      return [400, { error: { code: 'LocationRequired', message: 'The location property is required for this definition.' } }];
    }
    const props = isObject(body.properties) ? body.properties : undefined;
    const template = props && isObject(props.template) ? props.template : undefined;
    const resources = template && Array.isArray(template.resources) ? (template.resources as unknown[]).filter(isObject) : [];
    const group = resources.find((x) => String(x.type).toLowerCase() === 'microsoft.resources/resourcegroups');
    const nested = resources.find((x) => String(x.type).toLowerCase() === 'microsoft.resources/deployments');
    if (!group || !nested || resources.length !== 2 || typeof group.name !== 'string' || typeof group.location !== 'string') {
      this.problems.push(`subscription what-if ${name}: not a resource group and a nested deployment into it`);
      return invalid('The test Resource Manager previews a new resource group and a nested deployment into it, nothing else.');
    }
    const inner = isObject(nested.properties) ? nested.properties : {};
    if (nested.resourceGroup !== group.name) this.problems.push(`subscription what-if ${name}: the nested deployment goes to ${String(nested.resourceGroup)}, not to ${group.name}`);
    if (!isObject(inner.expressionEvaluationOptions) || inner.expressionEvaluationOptions.scope !== 'inner') this.problems.push(`subscription what-if ${name}: the nested deployment does not evaluate its expressions in its own scope`);
    if (this.resourceGroups.has(rgKey(sub, group.name))) this.problems.push(`subscription what-if ${name}: resource group ${group.name} exists; a resource-group what-if was due`);
    const scope = { name: group.name, location: group.location };
    const rgId = `/subscriptions/${sub}/resourceGroups/${group.name}`;
    const checked = this.validate(sub, scope, `${rgId}/providers/Microsoft.Resources/deployments/${String(nested.name)}`, { properties: inner });
    if (!('plan' in checked)) return [400, { error: checked }];
    this.checkExpected(`what-if ${name}`, checked.props.template, checked.props.parameters);
    const changes: WireChange[] = [
      { resourceId: rgId, changeType: 'Create', after: { id: rgId, name: group.name, type: 'Microsoft.Resources/resourceGroups', location: group.location } },
      ...whatIfChanges(checked.plan.resources, new Map(), rgId, 'Incremental'),
    ];
    return this.acceptWhatIf(sub, body.location, changes, apiVersion);
  }

  /**
   * A what-if operation accepted (202) with its changes, or the scenario's failure (200 with status Failed, as Resource
   * Manager answers), polled at the location of the region it runs in.
   */
  private acceptWhatIf(sub: string, location: string, changes: WireChange[], apiVersion: string): [number, unknown?, Record<string, string>?] {
    const id = randomBytes(8).toString('hex').toUpperCase();
    const error = this.scenario.whatIfError;
    this.whatIfs.set(id, { polls: 0, body: error ? { status: 'Failed', error } : { status: 'Succeeded', properties: { changes } } });
    const base = `${this.url}/subscriptions/${sub}/providers/Microsoft.Resources/locations/${location}`;
    return [
      202,
      undefined,
      {
        location: `${base}/operationResults/${id}?api-version=${apiVersion}`,
        'azure-asyncoperation': `${base}/operationStatuses/${id}?api-version=${apiVersion}`,
        ...this.retryAfter(),
      },
    ];
  }

  private nameTaken(type: string, name: string): boolean {
    if (this.takenNames.get(type.toLowerCase())?.has(name.toLowerCase())) return true;
    for (const r of this.resources.values()) if (r.type.toLowerCase() === type.toLowerCase() && r.name.toLowerCase() === name.toLowerCase()) return true;
    return false;
  }

  /**
   * checkNameAvailability of each provider, with the request and answer each one documents:
   * Key Vault https://learn.microsoft.com/rest/api/keyvault/keyvault/vaults/check-name-availability,
   * Container Registry https://learn.microsoft.com/rest/api/containerregistry/registries/check-name-availability,
   * SQL https://learn.microsoft.com/rest/api/sql/servers/check-name-availability (answers `available`, not `nameAvailable`),
   * API Management https://learn.microsoft.com/rest/api/apimanagement/api-management-service/check-name-availability (no type),
   * Storage https://learn.microsoft.com/rest/api/storagerp/storage-accounts/check-name-availability.
   */
  private checkNameAvailability(namespace: string, body: unknown): [number, unknown?] {
    const ns = namespace.toLowerCase();
    const types: Record<string, string> = {
      'microsoft.keyvault': 'Microsoft.KeyVault/vaults',
      'microsoft.containerregistry': 'Microsoft.ContainerRegistry/registries',
      'microsoft.sql': 'Microsoft.Sql/servers',
      'microsoft.apimanagement': 'Microsoft.ApiManagement/service',
      'microsoft.storage': 'Microsoft.Storage/storageAccounts',
    };
    const type = types[ns];
    if (!type || !isObject(body) || typeof body.name !== 'string' || !body.name) {
      this.problems.push(`checkNameAvailability of ${namespace}: ${JSON.stringify(body)}`);
      return [400, { error: { code: 'InvalidRequestContent', message: 'The request content was invalid: name is required.' } }];
    }
    if (ns !== 'microsoft.apimanagement' && String(body.type).toLowerCase() !== type.toLowerCase()) {
      this.problems.push(`checkNameAvailability of ${namespace}: type "${String(body.type)}" instead of "${type}"`);
    }
    const name = body.name;
    const taken = this.nameTaken(type, name);
    switch (ns) {
      case 'microsoft.sql':
        return [200, { name, available: !taken, ...(taken ? { reason: 'AlreadyExists', message: `Specified server name is already used.` } : {}) }];
      case 'microsoft.keyvault':
        return [200, { nameAvailable: !taken, ...(taken ? { reason: 'AlreadyExists', message: `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.` } : {}) }];
      case 'microsoft.containerregistry':
        return [200, { nameAvailable: !taken, ...(taken ? { reason: 'AlreadyExists', message: `The registry ${name} is already in use.` } : {}) }];
      case 'microsoft.apimanagement':
        return [200, { nameAvailable: !taken, reason: taken ? 'AlreadyExists' : 'Valid', message: taken ? `${name} is already in use. Please select a different name.` : '' }];
      default:
        return [200, { nameAvailable: !taken, ...(taken ? { reason: 'AlreadyExists', message: `The storage account named ${name} is already taken.` } : {}) }];
    }
  }

  private whatIfPoll(status: boolean, id: string): [number, unknown?, Record<string, string>?] {
    const op = this.whatIfs.get(id);
    if (!op) return [404, { error: { code: 'NotFound', message: `No operation ${id}.` } }];
    if (status) {
      op.polls++;
      return [200, { status: op.polls >= 2 ? 'Succeeded' : 'Running' }, this.retryAfter()];
    }
    return op.polls >= 2 ? [200, op.body] : [202, undefined, this.retryAfter()];
  }

  // ---------------------------------------------------------------- AKS run command

  private routeRunCommand(
    method: string,
    sub: string,
    group: { name: string; location: string },
    cluster: string,
    action: string,
    commandId: string | undefined,
    url: URL,
    body: unknown,
  ): [number, unknown?, Record<string, string>?] {
    const clusterId = `/subscriptions/${sub}/resourceGroups/${group.name}/providers/Microsoft.ContainerService/managedClusters/${cluster}`;
    const stored = this.resources.get(clusterId.toLowerCase());
    if (!stored) {
      return [404, { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.ContainerService/managedClusters/${cluster}' under resource group '${group.name}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` } }];
    }
    if (action === 'runcommand' && method === 'POST' && commandId === undefined) {
      if (!isObject(body) || typeof body.command !== 'string' || !body.command) return [400, { error: { code: 'BadRequest', message: 'command is required' } }];
      if (this.expected.command !== undefined && body.command !== this.expected.command) this.problems.push(`run command: "${body.command}" instead of "${this.expected.command}"`);
      // A cluster with managed Entra ID integration runs the command as the caller, who must send a token for the AKS
      // server application (az aks command invoke does: https://learn.microsoft.com/azure/aks/access-private-cluster).
      const properties = isObject(stored.body.properties) ? stored.body.properties : {};
      if (isObject(properties.aadProfile) && properties.aadProfile.managed === true) {
        if (typeof body.clusterToken !== 'string' || !body.clusterToken) {
          return [400, { error: { code: 'MissingAADClusterToken', message: 'This cluster have Azure Active Directory enabled, .clusterToken is required.' } }];
        }
        if (body.clusterToken !== this.clusterToken) {
          this.problems.push(`run command on ${cluster}: the clusterToken is not the token issued for the AKS server application`);
          return [400, { error: { code: 'InvalidAADClusterToken', message: 'The clusterToken is not valid for this cluster.' } }];
        }
      }
      const startedAt = new Date().toISOString();
      let exitCode = 0;
      let logs = '';
      if (typeof body.context === 'string' && body.context) {
        const result = applyKustomization(body.context);
        exitCode = result.exitCode;
        logs = result.logs;
        const expectedFiles = this.expected.clusterFiles?.get(cluster);
        if (expectedFiles && !isDeepStrictEqual(new Map([...result.files].sort()), new Map([...expectedFiles].sort()))) {
          this.problems.push(`run command on ${cluster}: the context files are not the generated manifests (${[...result.files.keys()].sort().join(', ')})`);
        }
      } else if (/^kubectl apply -k/.test(body.command)) {
        exitCode = 1;
        logs = "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/command-files'\n";
      }
      const id = randomBytes(16).toString('hex');
      // Lower case, as the REST reference's examples spell the run command's states
      // (https://learn.microsoft.com/rest/api/aks/managed-clusters/get-command-result).
      const failure = this.runCommandFailure;
      const result = failure
        ? { id, properties: { provisioningState: 'failed', startedAt, finishedAt: new Date().toISOString(), reason: failure } }
        : { id, properties: { provisioningState: 'succeeded', exitCode, startedAt, finishedAt: new Date().toISOString(), logs } };
      this.pending.set(id, { polls: 0, body: result, runningBody: { id, properties: { provisioningState: 'running', startedAt } } });
      return [202, undefined, { location: `${this.url}${clusterId}/commandResults/${id}?api-version=${url.searchParams.get('api-version')}`, ...this.retryAfter() }];
    }
    if (action === 'commandresults' && method === 'GET' && commandId !== undefined) {
      const p = this.pending.get(commandId);
      if (!p) return [404, { error: { code: 'NotFound', message: `No command ${commandId}.` } }];
      p.polls++;
      return p.polls >= 2 ? [200, p.body] : [202, p.runningBody, this.retryAfter()];
    }
    this.problems.push(`unexpected run command request ${method} ${action}`);
    return [404, { error: { code: 'NotFound', message: 'not served' } }];
  }

  /** A state as this scenario spells it. */
  private spell(state: string): string {
    return this.scenario.lowerCaseStates ? state.toLowerCase() : state;
  }

  /** Real ARM asks for 10 to 15 s; the tests poll at once unless the scenario says otherwise. */
  private retryAfter(): Record<string, string> {
    return { 'retry-after': String(this.scenario.retryAfterSeconds ?? 0) };
  }

  // ---------------------------------------------------------------- JSON

  private scope(subscriptionId: string, resourceGroup: string, location: string) {
    return { subscriptionId, tenantId: this.tenantId, resourceGroup, location };
  }

  private subscriptionJson(s: SubscriptionEntry) {
    return {
      id: `/subscriptions/${s.subscriptionId}`,
      subscriptionId: s.subscriptionId,
      tenantId: s.tenantId ?? this.tenantId,
      displayName: s.displayName,
      state: s.state ?? 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
      authorizationSource: 'RoleBased',
    };
  }

  private groupJson(sub: string, g: { name: string; location: string; tags?: Record<string, string> }) {
    return {
      id: `/subscriptions/${sub}/resourceGroups/${g.name}`,
      name: g.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: g.location,
      ...(g.tags ? { tags: g.tags } : {}),
      properties: { provisioningState: 'Succeeded' },
    };
  }

  private deploymentJson(d: ServerDeployment) {
    const end = d.finishedAt ?? new Date();
    const declared = isObject(d.template) && isObject(d.template.parameters) ? d.template.parameters : {};
    const parameters = Object.fromEntries(
      Object.entries(d.parameters).map(([k, v]) => {
        const decl = declared[k];
        const type = isObject(decl) && typeof decl.type === 'string' ? decl.type : 'string';
        return [k, { type: type.charAt(0).toUpperCase() + type.slice(1), value: isObject(v) ? v.value : v }];
      }),
    );
    return {
      id: d.id,
      name: d.name,
      type: 'Microsoft.Resources/deployments',
      properties: {
        templateHash: '1234567890123456789',
        parameters,
        mode: 'Incremental',
        provisioningState: this.spell(d.state),
        timestamp: (d.finishedAt ?? d.createdAt).toISOString(),
        duration: isoDuration(end.getTime() - d.createdAt.getTime()),
        correlationId: d.correlationId,
        providers: [],
        dependencies: [],
        ...(d.state === 'Succeeded' && d.outputs ? { outputs: d.outputs, outputResources: (d.plan?.resources ?? []).map((r) => ({ id: r.id })) } : {}),
        ...(d.error ? { error: d.error } : {}),
      },
    };
  }

  private operationJson(d: ServerDeployment, o: ServerOperation) {
    const start = o.startedAt ?? d.createdAt;
    const end = o.finishedAt ?? new Date();
    return {
      id: `${d.id}/operations/${o.operationId}`,
      operationId: o.operationId,
      properties: {
        provisioningOperation: 'Create',
        provisioningState: this.spell(o.state),
        timestamp: end.toISOString(),
        duration: isoDuration(end.getTime() - start.getTime()),
        trackingId: randomUUID(),
        serviceRequestId: randomUUID(),
        ...(o.statusCode ? { statusCode: o.statusCode } : {}),
        ...(o.error ? { statusMessage: { status: 'Failed', error: o.error } } : {}),
        targetResource: { id: o.resource.id, resourceType: o.resource.type, resourceName: o.resource.name },
      },
    };
  }
}

/** Whether a template deploys Key Vault vaults and nothing else. */
function isVaultOnly(template: unknown): boolean {
  const resources = isObject(template) && Array.isArray(template.resources) ? (template.resources as unknown[]) : [];
  return resources.length > 0 && resources.every((r) => isObject(r) && String(r.type).toLowerCase() === VAULT_TYPE.toLowerCase());
}

function rgKey(sub: string, rg: string): string {
  return `${sub.toLowerCase()}|${rg.toLowerCase()}`;
}

function notFoundGroup(name: string) {
  return { error: { code: 'ResourceGroupNotFound', message: `Resource group '${name}' could not be found.` } };
}

function notFoundDeployment(name: string) {
  return { error: { code: 'DeploymentNotFound', message: `Deployment '${name}' could not be found.` } };
}



function isoDuration(ms: number): string {
  return `PT${(Math.max(0, ms) / 1000).toFixed(3)}S`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Where two JSON values first differ, as a path. */
function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (isDeepStrictEqual(a, b)) return 'equal';
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!isDeepStrictEqual(a[k], b[k])) return firstDifference(a[k], b[k], `${path}.${k}`);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items instead of ${b.length}`;
    for (let i = 0; i < a.length; i++) if (!isDeepStrictEqual(a[i], b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
  }
  return `${path}: ${JSON.stringify(b)?.slice(0, 80)} instead of ${JSON.stringify(a)?.slice(0, 80)}`;
}
