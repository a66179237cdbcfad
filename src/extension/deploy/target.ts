/**
 * Where a design is deployed: the subscription, the resource group (an existing one, or a new one in a region the
 * user picks) and its region. The choice is remembered per design file in the workspace state, so that the next
 * deployment goes to the same place; the confirmation names it every time and offers to change it, and
 * "Gatewright: Forget Deployment Target" clears it.
 */
import * as vscode from 'vscode';
import type { ArmConnection } from '../../deploy/connection.js';
import { listLocations } from '../../deploy/locations.js';
import { listResourceGroups } from '../../deploy/resource-groups.js';
import { listSubscriptions, type SubscriptionInfo } from '../../deploy/subscriptions.js';
import type { Design } from '../../schemas/design.js';

export interface DeployTarget {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly resourceGroup: string;
  /** The resource group's region (for a new group: where it is created). */
  readonly location: string;
  /** The group does not exist yet: it is created once the user confirms. */
  readonly createGroup: boolean;
}

const KEY_PREFIX = 'gatewright.deployTarget:';

/** The remembered target of a design, if any (a remembered target never says createGroup). */
export function rememberedTarget(state: vscode.Memento, uri: vscode.Uri): DeployTarget | undefined {
  const raw = state.get<unknown>(KEY_PREFIX + uri.toString());
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as Record<string, unknown>;
  const fields = ['subscriptionId', 'subscriptionName', 'resourceGroup', 'location'] as const;
  if (!fields.every((f) => typeof t[f] === 'string' && t[f] !== '')) return undefined;
  return { subscriptionId: t.subscriptionId as string, subscriptionName: t.subscriptionName as string, resourceGroup: t.resourceGroup as string, location: t.location as string, createGroup: false };
}

export function rememberTarget(state: vscode.Memento, uri: vscode.Uri, target: DeployTarget | undefined): Thenable<void> {
  const value = target ? { subscriptionId: target.subscriptionId, subscriptionName: target.subscriptionName, resourceGroup: target.resourceGroup, location: target.location } : undefined;
  return state.update(KEY_PREFIX + uri.toString(), value);
}

/** "subscription "Contoso Dev" (0000...), resource group rg-payments (westeurope)". */
export function describeTarget(t: DeployTarget): string {
  const sub = t.subscriptionName && t.subscriptionName !== t.subscriptionId ? `"${t.subscriptionName}" (${t.subscriptionId})` : t.subscriptionId;
  return `subscription ${sub}, resource group ${t.resourceGroup}${t.createGroup ? ` (new, in ${t.location})` : ` (${t.location})`}`;
}

const GROUP_NAME = /^[-\w.()]{1,90}$/u;

/** Asks for the subscription, then the resource group (and the region of a new one). Undefined when cancelled. */
export async function pickTarget(connection: ArmConnection, design: Design, previous: DeployTarget | undefined, title = `Deploy ${design.metadata.name}`): Promise<DeployTarget | undefined> {
  const subscriptions = listSubscriptions(connection);
  const sub = await vscode.window.showQuickPick<vscode.QuickPickItem & { subscription: SubscriptionInfo }>(
    subscriptions.then((list) => {
      if (list.length === 0) throw new Error('the signed-in account sees no subscription');
      const items = list.map((s) => ({
        label: s.displayName,
        description: s.subscriptionId,
        ...(s.state !== 'Enabled' ? { detail: `${s.state}: cannot be deployed to` } : s.subscriptionId === previous?.subscriptionId ? { detail: 'last used for this design' } : {}),
        subscription: s,
      }));
      // The one used last first.
      return items.sort((a, b) => Number(b.subscription.subscriptionId === previous?.subscriptionId) - Number(a.subscription.subscriptionId === previous?.subscriptionId));
    }),
    { title: `${title}: subscription (1/2)`, placeHolder: 'Pick the subscription to deploy to', matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!sub) return undefined;
  if (sub.subscription.state !== 'Enabled') throw new Error(`subscription "${sub.subscription.displayName}" is ${sub.subscription.state}; pick an enabled one`);
  const subscriptionId = sub.subscription.subscriptionId;

  const NEW = '$(add) Create new resource group…';
  const groups = await vscode.window.showQuickPick<vscode.QuickPickItem & { group: { name: string; location: string } | undefined }>(
    listResourceGroups(connection, subscriptionId).then((list) => [
      { label: NEW, description: '', group: undefined },
      ...list
        .sort((a, b) => Number(b.name === previous?.resourceGroup) - Number(a.name === previous?.resourceGroup) || a.name.localeCompare(b.name))
        .map((g) => ({ label: g.name, description: g.location, ...(g.name === previous?.resourceGroup ? { detail: 'last used for this design' } : {}), group: g })),
    ]),
    { title: `${title}: resource group (2/2)`, placeHolder: `Pick a resource group of "${sub.subscription.displayName}", or create one`, matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!groups) return undefined;
  if (groups.group) {
    return { subscriptionId, subscriptionName: sub.subscription.displayName, resourceGroup: groups.group.name, location: groups.group.location, createGroup: false };
  }

  const name = await vscode.window.showInputBox({
    title: `${title}: new resource group`,
    prompt: 'Name of the new resource group (created when you confirm the deployment)',
    value: `rg-${design.metadata.name}`,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const s = v.trim();
      if (!GROUP_NAME.test(s) || s.endsWith('.')) return 'A resource group name has 1-90 letters, digits, - _ . ( ) and does not end with a period.';
      return undefined;
    },
  });
  if (name === undefined) return undefined;
  const location = await pickLocation(connection, subscriptionId, design.metadata.location, title);
  if (!location) return undefined;
  return { subscriptionId, subscriptionName: sub.subscription.displayName, resourceGroup: name.trim(), location, createGroup: true };
}

async function pickLocation(connection: ArmConnection, subscriptionId: string, designLocation: string, title: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { name: string }>(
    listLocations(connection, subscriptionId).then((list) =>
      list
        .map((l) => ({ label: l.displayName, description: l.name, ...(l.name === designLocation ? { detail: "the design's region (metadata.location)" } : {}), name: l.name }))
        .sort((a, b) => Number(b.name === designLocation) - Number(a.name === designLocation)),
    ),
    { title: `${title}: region of the new resource group`, placeHolder: 'Pick the region', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked?.name;
}
