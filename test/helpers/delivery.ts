/** The reference design with a delivery section, for the pipeline and bootstrap tests. */
import { parseDesign } from '../../src/document/parse.js';
import type { Design } from '../../src/schemas/design.js';
import { mutateReference } from './reference.js';

export const SUBSCRIPTION_STAGING = '11111111-2222-3333-4444-555555555555';
export const SUBSCRIPTION_PROD = '00000000-1111-2222-3333-444444444444';

export const STAGING = { name: 'staging', subscriptionId: SUBSCRIPTION_STAGING, resourceGroup: 'rg-payments-staging', location: 'westeurope' };
export const PROD = { name: 'prod', subscriptionId: SUBSCRIPTION_PROD, resourceGroup: 'rg-payments', location: 'northeurope' };

export function githubDelivery(environments: readonly object[] = [STAGING, PROD], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { provider: 'github', repository: 'contoso/payments', designFile: 'infra/payments.gatewright.yaml', environments, ...extra };
}

export function azurePipelinesDelivery(environments: readonly object[] = [
  { ...STAGING, serviceConnection: 'payments-staging' },
  { ...PROD, serviceConnection: 'payments prod' },
], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'azurePipelines',
    repository: 'contoso/Payments Platform/payments-infra',
    organizationId: '3f1c6b2e-9d47-4a8b-b0e5-7c2d9a6f1e34',
    environments,
    ...extra,
  };
}

/** The reference design's text with `delivery` set. */
export function withDelivery(delivery: Record<string, unknown>): string {
  return mutateReference((doc) => doc.set('delivery', doc.createNode(delivery)));
}

export function designWith(delivery: Record<string, unknown>): Design {
  const parsed = parseDesign(withDelivery(delivery));
  if (!parsed.design) throw new Error(`the design with this delivery section does not parse: ${JSON.stringify(parsed)}`.slice(0, 2000));
  return parsed.design;
}
