/** The subscriptions the signed-in account can see. */
import { subscriptionsClient, type ArmConnection } from './connection.js';
import { toDeployError } from './errors.js';
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

function info(s: { subscriptionId?: string; displayName?: string; state?: string; tenantId?: string }): SubscriptionInfo {
  return {
    subscriptionId: s.subscriptionId ?? '',
    displayName: s.displayName ?? s.subscriptionId ?? '',
    state: armState(s.state),
    ...(s.tenantId ? { tenantId: s.tenantId } : {}),
  };
}
