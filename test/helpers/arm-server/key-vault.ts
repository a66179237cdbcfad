/**
 * The test Resource Manager's Key Vault: Microsoft.KeyVault/vaults (GET, PUT, PATCH of the network settings), role
 * assignments on a vault (PUT, GET, DELETE), and the vault's data plane (certificate get and import) at
 * https://<vault>.vault.localhost:<port>/, the vaultUri it reports. The data plane behaves as Key Vault does:
 *
 * - challenge authentication: a request without a token gets 401 with `WWW-Authenticate: Bearer
 *   authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.localhost"`; the SDK checks
 *   that the resource's host is a parent domain of the vault's host (it is), then asks the credential for a token;
 * - the network: public network access Disabled answers 403 ForbiddenByConnection; the firewall denying by default
 *   answers 403 ForbiddenByFirewall with "Client address: <clientAddress>" unless an IP rule allows that address
 *   (clientAddress stands for this machine's public address as Key Vault would see it through NAT);
 * - Azure RBAC: 403 ForbiddenByRbac unless the caller (the `oid` of its token) holds Key Vault Certificates Officer or
 *   Administrator on the vault or above; changes take `scenario.keyVault` requests to take effect, as they propagate.
 *
 * And it CHECKS what arrives, into the server's problems: a firewall opened to another address than the caller's, or
 * to every network; a role other than Certificates Officer, or for another principal than the caller; an imported PFX
 * that does not parse without password, has no key for its certificate, is not the expected one, or comes without
 * the policy (PKCS#12, exportable key); network settings not restored, or a temporary role assignment left, by the
 * time the main deployment (or its what-if) arrives.
 */
import { createHash, createPrivateKey, X509Certificate, randomBytes } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { pkijs } from '../../../src/pki/library.js';
import { isObject } from './template.js';
import type { StoredResource } from './what-if.js';

export const VAULT_TYPE = 'Microsoft.KeyVault/vaults';
export const KEY_VAULT_RESOURCE = 'https://vault.localhost';
/** Key Vault Certificates Officer and Key Vault Administrator: the roles that may import certificates. */
export const CERTIFICATES_OFFICER = 'a4417e6f-fecd-4de8-b567-7b0420556985';
const ADMINISTRATOR = '00482a5a-887f-4fb3-b363-3b7fe8e74483';

type Reply = [number, unknown?, Record<string, string>?];

/** What the emulator needs of the server. */
export interface KeyVaultHost {
  readonly url: string;
  readonly token: string;
  readonly tenantId: string;
  readonly problems: string[];
  readonly resources: Map<string, StoredResource>;
  readonly expectedPfx?: ReadonlyMap<string, Uint8Array>;
  readonly lag: { readonly network?: number; readonly rbac?: number };
}

export interface NetworkSnapshot {
  readonly publicNetworkAccess?: unknown;
  readonly networkAcls?: unknown;
}

export interface RoleAssignmentRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly roleDefinitionId: string;
  readonly principalId: string;
  readonly principalType?: string;
  /** Made through the role assignments API (not by a deployment): such an assignment is temporary. */
  readonly direct: boolean;
  /** Data-plane requests that still do not see it (propagation). */
  lag: number;
}

export interface StoredCertificateVersion {
  readonly version: string;
  readonly der: Buffer;
  readonly thumbprint: string;
  readonly created: Date;
  readonly policy: unknown;
}

export class KeyVaultEmulator {
  readonly roleAssignments = new Map<string, RoleAssignmentRecord>();
  /** Per vault id (lower case): the network settings before the first change through PATCH. */
  readonly originalNetwork = new Map<string, NetworkSnapshot>();
  /** Per vault name (lower case), per certificate name (lower case): its versions, oldest first. */
  readonly certificates = new Map<string, Map<string, StoredCertificateVersion[]>>();
  /** What was imported, in order (vault, name, the bytes as sent). */
  readonly imports: { vault: string; name: string; bytes: Buffer; thumbprint: string }[] = [];
  /** The address Key Vault sees the caller coming from (this machine's public address, behind NAT). */
  clientAddress = '203.0.113.7';
  /** Per vault id: the settings the data plane still applies while a change propagates, and for how many requests. */
  private readonly networkLag = new Map<string, { settings: NetworkSnapshot; remaining: number }>();

  constructor(private readonly host: KeyVaultHost) {}

  vaultUri(name: string): string {
    return `https://${name.toLowerCase()}.vault.localhost:${new URL(this.host.url).port}/`;
  }

  /** The stored vault named `name`, whatever its group. */
  vault(name: string): StoredResource | undefined {
    for (const r of this.host.resources.values()) if (r.type.toLowerCase() === VAULT_TYPE.toLowerCase() && r.name.toLowerCase() === name.toLowerCase()) return r;
    return undefined;
  }

  network(vault: StoredResource): NetworkSnapshot {
    const p = isObject(vault.body.properties) ? vault.body.properties : {};
    return { publicNetworkAccess: p.publicNetworkAccess, networkAcls: p.networkAcls };
  }

  /** Role assignments made through the API and not removed. */
  temporaryAssignments(): RoleAssignmentRecord[] {
    return [...this.roleAssignments.values()].filter((a) => a.direct);
  }

  /** Vaults whose network settings differ from what they were before the first change. */
  unrestored(): string[] {
    const out: string[] = [];
    for (const [id, original] of this.originalNetwork) {
      const vault = this.host.resources.get(id);
      if (vault && !sameNetwork(this.network(vault), original)) out.push(`${vault.name}: ${JSON.stringify(this.network(vault))} instead of ${JSON.stringify(original)}`);
    }
    return out;
  }

  /** Called when the main deployment or its what-if arrives: by then everything must be back as it was. */
  checkRestored(what: string): void {
    for (const u of this.unrestored()) this.host.problems.push(`${what}: the network settings of Key Vault ${u} were not restored`);
    for (const a of this.temporaryAssignments()) this.host.problems.push(`${what}: the temporary role assignment ${a.id} is still there`);
  }

  /** Stores a certificate version as if imported earlier. */
  seedCertificate(vault: string, name: string, der: Buffer): void {
    this.addVersion(vault, name, der, { key_props: { exportable: true }, secret_props: { contentType: 'application/x-pkcs12' } });
  }

  // ---------------------------------------------------------------- Resource Manager side

  routeVault(method: string, sub: string, group: { name: string; location: string }, name: string, body: unknown, apiVersion: string): Reply {
    const id = `/subscriptions/${sub}/resourceGroups/${group.name}/providers/${VAULT_TYPE}/${name}`;
    const stored = this.host.resources.get(id.toLowerCase());
    if (method === 'GET') return stored ? [200, this.vaultJson(stored, group)] : [404, notFoundVault(name, group.name)];
    if (method === 'PUT') {
      if (!isObject(body) || !isObject(body.properties) || typeof body.location !== 'string') {
        return [400, { error: { code: 'BadRequest', message: 'The location and properties of the vault are required.' } }];
      }
      const resource: StoredResource = { id, type: VAULT_TYPE, name, apiVersion, body: { location: body.location, ...(isObject(body.tags) ? { tags: body.tags } : {}), properties: body.properties } };
      this.host.resources.set(id.toLowerCase(), resource);
      return [stored ? 200 : 201, this.vaultJson(resource, group)];
    }
    if (method === 'PATCH') {
      if (!stored) return [404, notFoundVault(name, group.name)];
      const patch = isObject(body) && isObject(body.properties) ? body.properties : undefined;
      if (!patch) return [400, { error: { code: 'BadRequest', message: 'The request has no properties.' } }];
      const before = this.network(stored);
      if (!this.originalNetwork.has(id.toLowerCase())) this.originalNetwork.set(id.toLowerCase(), structuredClone(before));
      const props = { ...(stored.body.properties as Record<string, unknown>) };
      for (const [k, v] of Object.entries(patch)) props[k] = v;
      stored.body = { ...stored.body, properties: props };
      this.checkOpening(name, id, this.network(stored));
      if ((this.host.lag.network ?? 0) > 0) this.networkLag.set(id.toLowerCase(), { settings: before, remaining: this.host.lag.network! });
      return [200, this.vaultJson(stored, group)];
    }
    return [405, { error: { code: 'MethodNotAllowed', message: `${method} is not served on a vault.` } }];
  }

  routeRoleAssignment(method: string, scope: string, name: string, body: unknown, callerOid: string | undefined): Reply {
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    const key = id.toLowerCase();
    const existing = this.roleAssignments.get(key);
    if (method === 'GET') return existing ? [200, assignmentJson(existing)] : [404, { error: { code: 'RoleAssignmentNotFound', message: `The role assignment '${name}' is not found.` } }];
    if (method === 'DELETE') {
      if (!existing) return [204];
      this.roleAssignments.delete(key);
      return [200, assignmentJson(existing)];
    }
    if (method === 'PUT') {
      const p = isObject(body) && isObject(body.properties) ? body.properties : undefined;
      if (!p || typeof p.roleDefinitionId !== 'string' || typeof p.principalId !== 'string') {
        return [400, { error: { code: 'InvalidRoleAssignmentRequest', message: 'roleDefinitionId and principalId are required.' } }];
      }
      if (!/^[0-9a-f-]{36}$/i.test(name)) return [400, { error: { code: 'InvalidRoleAssignmentId', message: `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.` } }];
      if (!p.roleDefinitionId.toLowerCase().endsWith(`/roledefinitions/${CERTIFICATES_OFFICER}`)) {
        this.host.problems.push(`role assignment ${name}: role ${p.roleDefinitionId} instead of Key Vault Certificates Officer (${CERTIFICATES_OFFICER}), the least role that imports`);
      }
      if (!/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(scope)) this.host.problems.push(`role assignment ${name}: scope ${scope} is wider than the vault`);
      if (callerOid && p.principalId !== callerOid) this.host.problems.push(`role assignment ${name}: for principal ${p.principalId}, not the caller ${callerOid}`);
      if (existing) return [409, { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } }];
      const record: RoleAssignmentRecord = {
        id,
        name,
        scope,
        roleDefinitionId: p.roleDefinitionId,
        principalId: p.principalId,
        ...(typeof p.principalType === 'string' ? { principalType: p.principalType } : {}),
        direct: true,
        lag: this.host.lag.rbac ?? 0,
      };
      this.roleAssignments.set(key, record);
      return [201, assignmentJson(record)];
    }
    return [405, { error: { code: 'MethodNotAllowed', message: `${method} is not served on role assignments.` } }];
  }

  /** A role assignment that exists already (as if made earlier by someone else). */
  grant(scope: string, principalId: string, roleGuid: string = CERTIFICATES_OFFICER): void {
    const name = randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const id = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    this.roleAssignments.set(id.toLowerCase(), { id, name, scope, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`, principalId, direct: false, lag: 0 });
  }

  private checkOpening(name: string, id: string, now: NetworkSnapshot): void {
    const original = this.originalNetwork.get(id.toLowerCase())!;
    const acls = isObject(now.networkAcls) ? now.networkAcls : undefined;
    const enabled = String(now.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled';
    const restoring = sameNetwork(now, original);
    if (enabled && !restoring && String(acls?.defaultAction ?? 'Allow').toLowerCase() !== 'deny') {
      this.host.problems.push(`Key Vault ${name} was opened to every network (public network access enabled, firewall default action ${String(acls?.defaultAction ?? 'absent')})`);
    }
    const before = new Set(rulesOf(original).map(bareRule));
    for (const rule of rulesOf(now)) {
      if (before.has(bareRule(rule))) continue;
      if (bareRule(rule) !== this.clientAddress) this.host.problems.push(`Key Vault ${name}: IP rule ${rule} added, which is not the caller's address ${this.clientAddress}`);
      else if (!/\/32$/.test(rule) && rule.includes('/')) this.host.problems.push(`Key Vault ${name}: IP rule ${rule} is wider than the caller's address`);
    }
  }

  private vaultJson(r: StoredResource, group: { name: string; location: string }) {
    const props = isObject(r.body.properties) ? r.body.properties : {};
    const tenantId = typeof props.tenantId === 'string' && /^[0-9a-f-]{36}$/i.test(props.tenantId) ? props.tenantId : this.host.tenantId;
    const location = typeof r.body.location === 'string' && !r.body.location.startsWith('[') ? r.body.location : group.location;
    return {
      id: r.id,
      name: r.name,
      type: VAULT_TYPE,
      location,
      ...(isObject(r.body.tags) ? { tags: r.body.tags } : {}),
      properties: { ...props, tenantId, vaultUri: this.vaultUri(r.name), provisioningState: 'Succeeded' },
    };
  }

  // ---------------------------------------------------------------- data plane

  /** Answers a request to https://<vault>.vault.localhost; returns the status it sent, for the request log. */
  async dataPlane(req: IncomingMessage, res: ServerResponse, vaultName: string, url: URL, raw: string): Promise<{ status: number; body?: unknown }> {
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'x-ms-request-id': randomBytes(8).toString('hex'), ...headers });
      res.end(text);
      return { status };
    };
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const auth = req.headers.authorization;
    if (!auth) {
      // The challenge: where to get a token, and for which resource.
      return send(401, { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }, {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${this.host.tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
      });
    }
    if (auth !== `Bearer ${this.host.token}`) {
      this.host.problems.push(`Key Vault ${vaultName}: ${method} ${path} came with another bearer token`);
      return send(401, { error: { code: 'Unauthorized', message: 'AKV10022: Invalid audience.' } });
    }
    if (!url.searchParams.get('api-version')) {
      this.host.problems.push(`Key Vault ${vaultName}: ${method} ${path} came without api-version`);
      return send(400, { error: { code: 'BadParameter', message: 'The api-version query parameter is required.' } });
    }
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { error: { code: 'BadParameter', message: 'The request body is not JSON.' } });
      }
    }
    const vault = this.vault(vaultName);
    if (!vault) {
      this.host.problems.push(`Key Vault ${vaultName}: data-plane request ${method} ${path} to a vault that does not exist`);
      return send(404, { error: { code: 'VaultNotFound', message: `No vault ${vaultName}.` } });
    }
    const oid = oidOf(this.host.token);
    const caller = `appid=04b07795-8ddb-461a-bbee-02f9e1bf7b46;oid=${oid ?? 'unknown'};iss=https://sts.windows.net/${this.host.tenantId}/`;
    const where = `Vault: ${vault.name};location=${typeof vault.body.location === 'string' && !vault.body.location.startsWith('[') ? vault.body.location : 'westeurope'}`;

    // The network, as it applies now (a recent change may not have reached the data plane yet).
    const lag = this.networkLag.get(vault.id.toLowerCase());
    const network = lag && lag.remaining > 0 ? lag.settings : this.network(vault);
    if (lag && lag.remaining > 0) lag.remaining--;
    if (String(network.publicNetworkAccess ?? 'Enabled').toLowerCase() === 'disabled') {
      return send(403, {
        error: {
          code: 'Forbidden',
          message: `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${caller}\r\n${where}`,
          innererror: { code: 'ForbiddenByConnection' },
        },
      });
    }
    const acls = isObject(network.networkAcls) ? network.networkAcls : undefined;
    if (String(acls?.defaultAction ?? 'Allow').toLowerCase() === 'deny' && !rulesOf(network).some((r) => bareRule(r) === this.clientAddress)) {
      return send(403, {
        error: {
          code: 'Forbidden',
          message: `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${this.clientAddress}\r\nCaller: ${caller}\r\n${where}`,
          innererror: { code: 'ForbiddenByFirewall' },
        },
      });
    }

    let m: RegExpExecArray | null;
    const action = (m = /^\/certificates\/([A-Za-z0-9-]+)\/import$/.exec(path)) && method === 'POST' ? 'import' : /^\/certificates\/[A-Za-z0-9-]+(\/[0-9a-f]+)?$/.test(path) && method === 'GET' ? 'get' : undefined;
    if (!action) {
      this.host.problems.push(`Key Vault ${vaultName}: unexpected data-plane request ${method} ${path}`);
      return send(400, { error: { code: 'BadParameter', message: `${method} ${path} is not served.` } });
    }
    const props = isObject(vault.body.properties) ? vault.body.properties : {};
    if (props.enableRbacAuthorization === true) {
      if (!this.rbacAllows(vault.id, oid)) {
        return send(403, {
          error: {
            code: 'Forbidden',
            message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${caller}\r\nAction: 'Microsoft.KeyVault/vaults/certificates/${action === 'import' ? 'import/action' : 'read'}'\r\nResource: '${vault.id.toLowerCase()}/certificates/${path.split('/')[2]}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\n${where}\r\n`,
            innererror: { code: 'ForbiddenByRbac' },
          },
        });
      }
    } else if (!this.policyAllows(props.accessPolicies, oid, action)) {
      return send(403, {
        error: {
          code: 'Forbidden',
          message: `The user, group or application '${caller}' does not have certificates ${action} permission on key vault '${vault.name};location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
          innererror: { code: 'AccessDenied' },
        },
      });
    }

    const versions = this.certificates.get(vault.name.toLowerCase());
    if (action === 'get') {
      const [, , name, version] = path.split('/');
      const list = versions?.get(name!.toLowerCase()) ?? [];
      const found = version ? list.find((v) => v.version === version) : list.at(-1);
      if (!found) {
        return send(404, {
          error: {
            code: 'CertificateNotFound',
            message: `A certificate with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
          },
        });
      }
      return send(200, this.bundle(vault.name, name!, found));
    }
    const name = m![1]!;
    const checked = await this.checkImport(vault.name, name, body);
    if ('error' in checked) return send(400, { error: { code: 'BadParameter', message: checked.error } });
    const stored = this.addVersion(vault.name, name, checked.der, isObject(body) ? body.policy : undefined);
    this.imports.push({ vault: vault.name, name, bytes: checked.bytes, thumbprint: stored.thumbprint });
    return send(200, this.bundle(vault.name, name, stored));
  }

  private rbacAllows(vaultId: string, oid: string | undefined): boolean {
    if (!oid) return false;
    let allowed = false;
    for (const a of this.roleAssignments.values()) {
      if (a.principalId !== oid) continue;
      const role = a.roleDefinitionId.toLowerCase();
      if (!role.endsWith(CERTIFICATES_OFFICER) && !role.endsWith(ADMINISTRATOR)) continue;
      if (!vaultId.toLowerCase().startsWith(a.scope.toLowerCase())) continue;
      if (a.lag > 0) {
        a.lag--;
        continue;
      }
      allowed = true;
    }
    return allowed;
  }

  private policyAllows(policies: unknown, oid: string | undefined, action: 'get' | 'import'): boolean {
    if (!oid || !Array.isArray(policies)) return false;
    return policies.some((p) => {
      if (!isObject(p) || p.objectId !== oid || !isObject(p.permissions) || !Array.isArray(p.permissions.certificates)) return false;
      const granted = (p.permissions.certificates as unknown[]).map((x) => String(x).toLowerCase());
      return granted.includes('all') || granted.includes(action);
    });
  }

  /** Parses what arrives to be imported, checking what the server is told to check. */
  private async checkImport(vault: string, name: string, body: unknown): Promise<{ der: Buffer; bytes: Buffer } | { error: string }> {
    const problem = (text: string) => {
      this.host.problems.push(`Key Vault ${vault}: import of ${name}: ${text}`);
      return { error: text };
    };
    if (!isObject(body) || typeof body.value !== 'string') return problem('no base64 value');
    const bytes = Buffer.from(body.value, 'base64');
    if (body.pwd !== undefined && body.pwd !== '') return problem('a password was sent; the development PFX files have none');
    const policy = isObject(body.policy) ? body.policy : undefined;
    const secretProps = policy && isObject(policy.secret_props) ? policy.secret_props : undefined;
    const keyProps = policy && isObject(policy.key_props) ? policy.key_props : undefined;
    if (secretProps?.contentType !== 'application/x-pkcs12') problem(`the policy's content type is ${JSON.stringify(secretProps?.contentType)}, not application/x-pkcs12`);
    if (keyProps?.exportable !== true) problem(`the policy's key is not exportable (${JSON.stringify(keyProps?.exportable)})`);
    const expected = this.host.expectedPfx?.get(name);
    if (expected && !Buffer.from(expected).equals(bytes)) problem('the PFX is not the one given for it');
    try {
      // OpenSSL opens it without a password, and loads the key with its certificate (it refuses a mismatch).
      createSecureContext({ pfx: bytes });
    } catch (e) {
      return problem(`the PFX does not open without a password: ${e instanceof Error ? e.message : String(e)}`);
    }
    const leaf = await leafOf(bytes);
    if (typeof leaf === 'string') return problem(leaf);
    return { der: leaf, bytes };
  }

  private addVersion(vault: string, name: string, der: Buffer, policy: unknown): StoredCertificateVersion {
    const byName = this.certificates.get(vault.toLowerCase()) ?? new Map<string, StoredCertificateVersion[]>();
    this.certificates.set(vault.toLowerCase(), byName);
    const list = byName.get(name.toLowerCase()) ?? [];
    byName.set(name.toLowerCase(), list);
    const version: StoredCertificateVersion = { version: randomBytes(16).toString('hex'), der, thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(), created: new Date(), policy };
    list.push(version);
    return version;
  }

  private bundle(vault: string, name: string, v: StoredCertificateVersion) {
    const base = this.vaultUri(vault);
    const cert = new X509Certificate(v.der);
    const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
    return {
      id: `${base}certificates/${name}/${v.version}`,
      kid: `${base}keys/${name}/${v.version}`,
      sid: `${base}secrets/${name}/${v.version}`,
      x5t: Buffer.from(v.thumbprint, 'hex').toString('base64url'),
      cer: v.der.toString('base64'),
      attributes: { enabled: true, nbf: seconds(new Date(cert.validFrom)), exp: seconds(new Date(cert.validTo)), created: seconds(v.created), updated: seconds(v.created), recoveryLevel: 'Recoverable' },
      policy: { id: `${base}certificates/${name}/policy`, ...(isObject(v.policy) ? v.policy : {}) },
    };
  }
}

/** The certificate (DER) of a PFX's private key, or why there is none. Walks the bags with PKI.js. */
async function leafOf(bytes: Buffer): Promise<Buffer | string> {
  const { pkijs: lib, asn1js } = await pkijs();
  const pfx = new lib.PFX({ schema: asn1js.fromBER(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).result });
  await pfx.parseInternalValues({ password: new ArrayBuffer(0), checkIntegrity: true });
  const safe = pfx.parsedValue!.authenticatedSafe!;
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({})) });
  const bags = (safe.parsedValue!.safeContents as { value: { safeBags: { bagId: string; bagValue: unknown }[] } }[]).flatMap((c) => c.value.safeBags);
  const keyBag = bags.find((b) => b.bagId === '1.2.840.113549.1.12.10.1.1');
  if (!keyBag) return 'the PFX holds no (unencrypted) private key';
  const key = createPrivateKey({ key: Buffer.from((keyBag.bagValue as { toSchema(): { toBER(): ArrayBuffer } }).toSchema().toBER()), format: 'der', type: 'pkcs8' });
  const certificates = bags
    .filter((b) => b.bagId === '1.2.840.113549.1.12.10.1.3')
    .map((b) => Buffer.from((b.bagValue as { certValue: { valueBlock: { valueHexView: Uint8Array } } }).certValue.valueBlock.valueHexView));
  const leaf = certificates.find((der) => new X509Certificate(der).checkPrivateKey(key));
  return leaf ?? 'no certificate of the PFX belongs to its private key';
}

function oidOf(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown };
    return typeof claims.oid === 'string' ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}

export function callerOid(token: string): string | undefined {
  return oidOf(token);
}

function rulesOf(s: NetworkSnapshot): string[] {
  const acls = isObject(s.networkAcls) ? s.networkAcls : undefined;
  return Array.isArray(acls?.ipRules) ? (acls.ipRules as unknown[]).map((r) => (isObject(r) ? String(r.value) : String(r))) : [];
}

function bareRule(rule: string): string {
  return rule.trim().replace(/\/32$/, '');
}

/** Equal network settings: no firewall equals one allowing everything with no rule; a /32 equals its address. */
export function sameNetwork(a: NetworkSnapshot, b: NetworkSnapshot): boolean {
  const normal = (s: NetworkSnapshot) => {
    const acls = isObject(s.networkAcls) ? s.networkAcls : {};
    return {
      access: String(s.publicNetworkAccess ?? 'Enabled').toLowerCase(),
      defaultAction: String(acls.defaultAction ?? 'Allow').toLowerCase(),
      bypass: String(acls.bypass ?? 'AzureServices').toLowerCase(),
      ipRules: rulesOf(s).map(bareRule).sort(),
      vnets: Array.isArray(acls.virtualNetworkRules) ? (acls.virtualNetworkRules as unknown[]).map((r) => (isObject(r) ? String(r.id).toLowerCase() : '')).sort() : [],
    };
  };
  return isDeepStrictEqual(normal(a), normal(b));
}

function assignmentJson(a: RoleAssignmentRecord) {
  return {
    id: a.id,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, ...(a.principalType ? { principalType: a.principalType } : {}), scope: a.scope },
  };
}

function notFoundVault(name: string, group: string) {
  return { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.KeyVault/vaults/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix` } };
}
