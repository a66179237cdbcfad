/** The subscriptions the signed-in account can see. */
import { subscriptionsClient, type ArmConnection } from './connection.js';
import { tenantCredential } from './credential.js';
import { DeployError, toDeployError } from './errors.js';
import { armState } from './states.js';

export interface SubscriptionInfo {
  readonly subscriptionId: string;
  readonly displayName: string;
  /** Enabled, Warned, PastDue, Disabled, Deleted. */
  readonly state: string;
  readonly tenantId?: string;
}

/** Every subscription, enabled ones first, then by name. */
export async function listSubscriptions(connection: ArmConnection, signal?: AbortSignal): Promise<SubscriptionInfo[]> {
  const client = subscriptionsClient(connection);
  const out: SubscriptionInfo[] = [];
  try {
    for await (const s of client.subscriptions.list({ abortSignal: signal })) {
      if (!s.subscriptionId) continue;
      out.push(info(s));
    }
  } catch (e) {
    throw toDeployError(e, 'Listing subscriptions');
  }
  return out.sort((a, b) => Number(b.state === 'Enabled') - Number(a.state === 'Enabled') || a.displayName.localeCompare(b.displayName));
}

/** One subscription; a DeployError (kind notFound) when the account cannot see it. */
export async function getSubscription(connection: ArmConnection, subscriptionId: string, signal?: AbortSignal): Promise<SubscriptionInfo> {
  try {
    return info(await subscriptionsClient(connection).subscriptions.get(subscriptionId, { abortSignal: signal }));
  } catch (e) {
    throw toDeployError(e, `Reading subscription ${subscriptionId}`);
  }
}

/**
 * The subscription, and the connection to use for it. A subscription of another tenant than the signed-in account's
 * home tenant refuses the home tenant's token with 401 InvalidAuthenticationTokenTenant and names its tenant in
 * WWW-Authenticate (https://learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant):
 * the token is then asked for that tenant and the subscription read once more. When that fails too, the error says
 * which tenant to sign in to.
 */
export async function openSubscription(
  connection: ArmConnection,
  subscriptionId: string,
  signal?: AbortSignal,
): Promise<{ subscription: SubscriptionInfo; connection: ArmConnection; tenantId?: string }> {
  try {
    return { subscription: await getSubscription(connection, subscriptionId, signal), connection };
  } catch (e) {
    if (!(e instanceof DeployError) || !e.tenantId) throw e;
    const tenantId = e.tenantId;
    const inTenant: ArmConnection = { ...connection, credential: tenantCredential(connection.credential, tenantId) };
    try {
      return { subscription: await getSubscription(inTenant, subscriptionId, signal), connection: inTenant, tenantId };
    } catch (again) {
      const reason = again instanceof DeployError ? again.message.replace(/^Reading subscription \S+: /, '') : String(again);
      throw new DeployError(
        `Subscription ${subscriptionId} belongs to tenant ${tenantId}; no access token for that tenant could be had (${reason.replace(/\s*(Run|Sign in to that tenant): az login.*$/, '')}). Sign in to that tenant: az login --tenant ${tenantId}`,
        'unauthorized',
        // Resource Manager's error is in the message already: the advice stays the last line.
        undefined,
        again instanceof DeployError ? again.statusCode : undefined,
        tenantId,
      );
    }
  }
}

function info(s: { subscriptionId?: string; displayName?: string; state?: string; tenantId?: string }): SubscriptionInfo {
  return {
    subscriptionId: s.subscriptionId ?? '',
    displayName: s.displayName ?? s.subscriptionId ?? '',
    state: armState(s.state),
    ...(s.tenantId ? { tenantId: s.tenantId } : {}),
  };
}
