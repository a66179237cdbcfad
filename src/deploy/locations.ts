/** The regions a subscription can deploy to, for the region picker. */
import { subscriptionsClient, type ArmConnection } from './connection.js';
import { toDeployError } from './errors.js';

export interface LocationInfo {
  /** The programmatic name (westeurope). */
  readonly name: string;
  /** What people call it (West Europe). */
  readonly displayName: string;
  /** Geography group, when Resource Manager gives it (Europe). */
  readonly geography?: string;
}

/** The subscription's physical regions (logical ones such as "europe" cannot hold resources), by display name. */
export async function listLocations(connection: ArmConnection, subscriptionId: string, signal?: AbortSignal): Promise<LocationInfo[]> {
  const out: LocationInfo[] = [];
  try {
    for await (const l of subscriptionsClient(connection).subscriptions.listLocations(subscriptionId, { abortSignal: signal })) {
      if (!l.name || (l.metadata?.regionType && l.metadata.regionType !== 'Physical')) continue;
      out.push({
        name: l.name,
        displayName: l.displayName ?? l.name,
        ...(l.metadata?.geographyGroup ? { geography: l.metadata.geographyGroup } : {}),
      });
    }
  } catch (e) {
    throw toDeployError(e, `Listing the regions of subscription ${subscriptionId}`);
  }
  return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
}
