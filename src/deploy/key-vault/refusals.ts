/**
 * Why Key Vault's data plane refused a request, read from its 403 answer (error code Forbidden, the reason in
 * innererror.code): ForbiddenByConnection (public network access is disabled), ForbiddenByFirewall (this address is
 * not allowed; the message says "Client address: a.b.c.d", which is how this machine learns its public address as
 * Key Vault sees it), ForbiddenByRbac (no role that allows the action), or an access policy that lacks the permission.
 * And Key Vault's errors as DeployErrors that say they come from the vault, not from Resource Manager.
 */
import { armErrorOf, DeployError, isAbort, toDeployError, type ArmError } from '../errors.js';

export type Refusal =
  | { readonly kind: 'connection'; readonly message: string }
  | { readonly kind: 'firewall'; readonly message: string; readonly clientAddress?: string }
  | { readonly kind: 'rbac'; readonly message: string }
  | { readonly kind: 'accessPolicy'; readonly message: string };

/** The refusal in an error the Key Vault SDK threw, or undefined when it is not a 403 of one of these kinds. */
export function refusalOf(e: unknown): Refusal | undefined {
  if (!isObject(e) || e.statusCode !== 403) return undefined;
  const error = vaultError(e);
  const message = error?.message ?? (typeof e.message === 'string' ? e.message : '');
  const inner = innerCodes(e);
  if (inner.includes('ForbiddenByConnection') || /public network access is disabled/i.test(message)) return { kind: 'connection', message };
  if (inner.includes('ForbiddenByFirewall') || /client address is not authorized/i.test(message)) {
    const address = /Client address:\s*([0-9A-Fa-f:.]+)/.exec(message)?.[1];
    return { kind: 'firewall', message, ...(address ? { clientAddress: address } : {}) };
  }
  if (inner.includes('ForbiddenByRbac') || /not authorized to perform action/i.test(message)) return { kind: 'rbac', message };
  if (inner.includes('AccessDenied') || /does not have .* permission/i.test(message)) return { kind: 'accessPolicy', message };
  return undefined;
}

/** A DeployError for a failed data-plane call: "`doing`: Key Vault answered 403 Forbidden: ..." with the vault's error. */
export function vaultDeployError(e: unknown, doing: string): DeployError {
  if (e instanceof DeployError) return e;
  if (isAbort(e)) return new DeployError(`${doing}: canceled`, 'canceled');
  if (!isObject(e) || typeof e.statusCode !== 'number') {
    // Never reached: name the vault's data plane, and the usual causes, rather than Resource Manager.
    const base = toDeployError(e, doing, 'Key Vault');
    return base.kind === 'network' && !/TLS certificate/.test(base.message)
      ? new DeployError(`${base.message}. The vault's host must resolve and be reachable from this machine: check DNS (a private DNS zone answers only inside its network), the proxy, or use a machine in the virtual network.`, 'network')
      : base;
  }
  const error = vaultError(e);
  const status = e.statusCode;
  const code = error?.code ?? (typeof e.code === 'string' ? e.code : 'Error');
  const message = (error?.message ?? (typeof e.message === 'string' ? e.message : '')).replace(/\s*\r?\n\s*/g, ' ').trim();
  const kind = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'notFound' : status === 409 ? 'conflict' : status === 429 ? 'throttled' : status === 400 ? 'badRequest' : 'other';
  return new DeployError(`${doing}: Key Vault answered ${status} ${code}: ${message}`, kind, error, status);
}

/** A DeployError for a failed Resource Manager call of the newer SDK clients, which keep ARM's error in `details`. */
export function armDeployError(e: unknown, doing: string): DeployError {
  const base = toDeployError(e, doing);
  if (base.arm || !isObject(e)) return base;
  const arm = armErrorOf(e.details);
  return arm ? new DeployError(base.message, base.kind, arm, base.statusCode) : base;
}

function vaultError(e: Record<string, unknown>): ArmError | undefined {
  return armErrorOf(e.details) ?? (isObject(e.response) && typeof e.response.bodyAsText === 'string' ? armErrorOf(e.response.bodyAsText) : undefined);
}

/** innererror codes at any depth (the SDK names them innerError; the wire, innererror). */
function innerCodes(e: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (!isObject(v) || depth > 8) return;
    for (const key of ['innerError', 'innererror']) {
      const inner = v[key];
      if (isObject(inner)) {
        if (typeof inner.code === 'string') out.push(inner.code);
        walk(inner, depth + 1);
      }
    }
    if (isObject(v.error)) walk(v.error, depth + 1);
  };
  walk(e.details, 0);
  if (isObject(e.response) && typeof e.response.bodyAsText === 'string') {
    try {
      walk(JSON.parse(e.response.bodyAsText), 0);
    } catch {
      // not JSON: the message is read instead
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
