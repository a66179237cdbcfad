/**
 * Errors from Resource Manager, kept whole: code, message, target and details (recursively), as ARM gives them,
 * so that a failure can name the resource and show everything ARM said.
 */
import { errorMessage } from '../model/error-message.js';

/** An ARM error (ErrorResponse / CloudError body), normalised: details always an array. */
export interface ArmError {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
  readonly details: readonly ArmError[];
  /** additionalInfo entries as ARM sent them (policy violations, for example). */
  readonly additionalInfo?: readonly unknown[];
}

/** What kind of failure a DeployError is, for callers that react differently (sign in again, retry later...). */
export type DeployFailureKind =
  | 'invalidTemplate'
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'throttled'
  | 'failed'
  | 'canceled'
  | 'network'
  | 'other';

/** A request Resource Manager refused, or that never reached it. The message is one paragraph; `arm` is ARM's error in full. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(
    message: string,
    readonly kind: DeployFailureKind,
    readonly arm?: ArmError,
    readonly statusCode?: number,
    /** For a token of the wrong tenant (401 InvalidAuthenticationTokenTenant): the tenant Resource Manager names as the subscription's. */
    readonly tenantId?: string,
  ) {
    super(message);
  }

  /** The message and ARM's error in full, as indented lines. */
  describe(): string {
    return this.arm ? `${this.message}\n${formatArmError(this.arm, '  ')}` : this.message;
  }
}

/** An ARM error from any of the shapes ARM uses: `{ error: {...} }`, `{ code, message, details }`, or a JSON text of either. */
export function armErrorOf(value: unknown, depth = 0): ArmError | undefined {
  if (depth > 32) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) return undefined;
    try {
      return armErrorOf(JSON.parse(text), depth + 1);
    } catch {
      return undefined;
    }
  }
  if (!isObject(value)) return undefined;
  if (isObject(value.error) && !('code' in value && 'message' in value)) return armErrorOf(value.error, depth + 1);
  const code = typeof value.code === 'string' ? value.code : undefined;
  const message = typeof value.message === 'string' ? value.message : undefined;
  if (code === undefined && message === undefined) return undefined;
  const details = Array.isArray(value.details)
    ? value.details.map((d) => armErrorOf(d, depth + 1)).filter((d): d is ArmError => d !== undefined)
    : [];
  // Some resource providers put their own error, as JSON, in the message of an ARM detail: unwrap it.
  const inner = message !== undefined && details.length === 0 ? armErrorOf(message, depth + 1) : undefined;
  const target = typeof value.target === 'string' && value.target ? value.target : inner?.target;
  const info = Array.isArray(value.additionalInfo) && value.additionalInfo.length ? (value.additionalInfo as unknown[]) : inner?.additionalInfo;
  return {
    code: code ?? inner?.code ?? 'Unknown',
    message: inner ? (code !== undefined && inner.code !== code ? `${inner.code}: ${inner.message}` : inner.message) : (message ?? ''),
    ...(target ? { target } : {}),
    details: inner ? inner.details : details,
    ...(info ? { additionalInfo: info } : {}),
  };
}

/** ARM's error as indented lines: `CODE: message (target)`, then its details one level deeper, recursively. */
export function formatArmError(error: ArmError, indent = ''): string {
  const lines: string[] = [];
  const walk = (e: ArmError, pad: string) => {
    const message = e.message.replace(/\s*\n\s*/g, ' ').trim();
    lines.push(`${pad}${e.code}: ${message}${e.target ? ` (target: ${e.target})` : ''}`);
    for (const info of e.additionalInfo ?? []) lines.push(`${pad}  additional info: ${JSON.stringify(info)}`);
    for (const d of e.details) walk(d, `${pad}  `);
  };
  walk(error, indent);
  return lines.join('\n');
}

/** Every code in the error tree, depth first. */
export function armErrorCodes(error: ArmError): string[] {
  return [error.code, ...error.details.flatMap(armErrorCodes)];
}

/** A DeployError from whatever an SDK call threw (a RestError with ARM's body, a network error...). `doing` says what was being done. */
/**
 * A DeployError for any failure of a call. `service` names who was called, for the network and TLS messages
 * ("Resource Manager" by default; "Key Vault payments-kv" for the data plane).
 */
export function toDeployError(e: unknown, doing: string, service = 'Resource Manager'): DeployError {
  if (e instanceof DeployError) return e;
  if (isAbort(e)) return new DeployError(`${doing}: canceled`, 'canceled');
  const rest = restErrorParts(e);
  if (rest) {
    const arm = armErrorOf(rest.body) ?? (rest.code ? { code: rest.code, message: rest.message, details: [] } : undefined);
    const kind = kindOf(rest.status, arm);
    const what = arm ? `${arm.code}: ${arm.message}` : rest.message;
    const tenantId = rest.status === 401 && arm?.code === 'InvalidAuthenticationTokenTenant' ? challengeTenant(rest.wwwAuthenticate) : undefined;
    const hint = tenantId
      ? `(the subscription belongs to tenant ${tenantId}, and the token is of another). Sign in to that tenant: az login --tenant ${tenantId}`
      : hintFor(kind, rest.wwwAuthenticate);
    return new DeployError(`${doing}: Resource Manager answered ${rest.status} ${what}${hint ? ` ${hint}` : ''}`, kind, arm, rest.status, tenantId);
  }
  const message = errorMessage(e);
  const name = e instanceof Error ? e.name : '';
  if (CREDENTIAL_ERRORS.has(name)) return credentialError(e as Error, doing);
  const code = isObject(e) && typeof e.code === 'string' ? e.code : undefined;
  if (code && /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT)/.test(code)) {
    return new DeployError(
      `${doing}: cannot reach ${service} (${code}): its TLS certificate is not trusted (${firstLine(message)}). For a private cloud, trust its CA with NODE_EXTRA_CA_CERTS.`,
      'network',
    );
  }
  if (code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)/.test(code)) {
    return new DeployError(`${doing}: cannot reach ${service} (${code}): ${firstLine(message)}`, 'network');
  }
  return new DeployError(`${doing}: ${firstLine(message)}`, 'other');
}

/** The names @azure/identity gives its errors (and SignInError, of the extension's sign-in). */
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError', 'SignInError']);

/**
 * An error a credential threw while a token was asked for, with every reason it gives (a chained credential gives one
 * per credential it tried) and, last, the command or setting that fixes it: the Azure CLI's own advice when it gives
 * one (`az login`, or `az login --claims-challenge ... --scope ...` for a Continuous Access Evaluation challenge,
 * https://learn.microsoft.com/entra/identity/conditional-access/concept-continuous-access-evaluation), the remedy of a
 * SignInError, or how to sign in otherwise.
 */
function credentialError(e: Error, doing: string): DeployError {
  const inner: unknown = (e as { errors?: unknown }).errors;
  const errors: Error[] = Array.isArray(inner) ? inner.filter((x): x is Error => x instanceof Error) : [e];
  const reasons: string[] = [];
  for (const err of errors.length ? errors : [e]) {
    for (const line of err.message.split('\n')) {
      const text = line.trim().replace(/^(CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError):\s*/, '');
      // The chain's own header and the pointers to troubleshooting pages say nothing the user can act on.
      if (!text || /authentication failed\.$/i.test(text) || /^To troubleshoot, visit/i.test(text)) continue;
      if (!reasons.includes(text)) reasons.push(text);
    }
  }
  const all = [e.message, ...errors.map((x) => x.message)].join('\n');
  const claims = /az login --claims-challenge \S+ --scope \S+(?: --tenant \S+)?/.exec(all)?.[0];
  const tenant = /az login --tenant \S+/.exec(all)?.[0]?.replace(/[.'"]+$/, '');
  const remedy = errors.map((x) => (x as { remedy?: unknown }).remedy).find((r): r is string => typeof r === 'string' && r !== '') ?? ((e as { remedy?: unknown }).remedy as string | undefined);
  const fix = claims
    ? `Resource Manager asks for a fresh sign-in (a Continuous Access Evaluation claims challenge). Run: ${claims}`
    : tenant
      ? `Run: ${tenant}`
      : remedy
        ? remedy
        : /az login|Azure CLI/i.test(all)
          ? 'Run: az login'
          : 'Run: az login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal)';
  return new DeployError(`${doing}: could not get an access token: ${reasons.join(' ') || firstLine(e.message)} ${fix}`, 'unauthorized');
}

/** The tenant named by a 401's WWW-Authenticate (authorization_uri="https://login.windows.net/<tenant>"); not common/organizations. */
export function challengeTenant(wwwAuthenticate: string | undefined): string | undefined {
  const uri = wwwAuthenticate ? /authorization_uri="([^"]+)"/i.exec(wwwAuthenticate)?.[1] : undefined;
  if (!uri) return undefined;
  let segment: string | undefined;
  try {
    segment = new URL(uri).pathname.split('/').filter(Boolean)[0];
  } catch {
    return undefined;
  }
  if (!segment || /^(common|organizations|consumers)$/i.test(segment)) return undefined;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(segment) ? segment : undefined;
}

function kindOf(status: number, arm: ArmError | undefined): DeployFailureKind {
  const codes = arm ? armErrorCodes(arm) : [];
  if (codes.some((c) => /^Invalid(Template|TemplateDeployment|DeploymentParameter)/i.test(c))) return 'invalidTemplate';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 400) return 'badRequest';
  return 'other';
}

function hintFor(kind: DeployFailureKind, wwwAuthenticate: string | undefined): string {
  switch (kind) {
    case 'unauthorized': {
      const reason = wwwAuthenticate ? /error_description="([^"]*)"/.exec(wwwAuthenticate)?.[1] : undefined;
      return `(the access token was refused${reason ? `: ${reason}` : ''}). Sign in again (az login, or the Azure account in VS Code) and retry.`;
    }
    case 'forbidden':
      return '(the signed-in account lacks a role on this scope: a deployment needs Contributor and, for role assignments, Role Based Access Control Administrator or Owner).';
    case 'throttled':
      return '(Resource Manager is throttling requests and the retries ran out; wait a minute and retry).';
    default:
      return '';
  }
}

interface RestParts {
  readonly status: number;
  readonly code?: string;
  readonly message: string;
  readonly body?: string;
  readonly wwwAuthenticate?: string;
}

/** The parts of an Azure SDK RestError (duck-typed: src/deploy does not depend on core-rest-pipeline directly). */
function restErrorParts(e: unknown): RestParts | undefined {
  if (!isObject(e) || typeof e.statusCode !== 'number') return undefined;
  const response = isObject(e.response) ? e.response : undefined;
  const headers = response && isObject(response.headers) ? response.headers : undefined;
  const get = headers && typeof headers.get === 'function' ? (headers.get as (name: string) => string | undefined).bind(headers) : undefined;
  const body = response && typeof response.bodyAsText === 'string' ? response.bodyAsText : undefined;
  return {
    status: e.statusCode,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    message: typeof e.message === 'string' ? firstLine(e.message) : 'error',
    ...(body !== undefined ? { body } : {}),
    ...(get?.('www-authenticate') ? { wwwAuthenticate: get('www-authenticate') } : {}),
  };
}

export function isAbort(e: unknown): boolean {
  return isObject(e) && (e.name === 'AbortError' || e.code === 'ABORT_ERR');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() || 'error';
}
