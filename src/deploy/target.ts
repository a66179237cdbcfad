/** Where a deployment goes, and what is deployed. */
import type { ArmConnection } from './connection.js';

/** A resource group of a subscription, reached through a connection. */
export interface DeploymentTarget extends ArmConnection {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

/** An ARM deployment: the template (infra/main.json, parsed) and its parameters (`{ name: { value } }`). */
export interface DeploymentInput {
  readonly template: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, { readonly value: unknown }>>;
}

/** Polling intervals: Resource Manager's long-running operations are polled this often (milliseconds). */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

/** Waits `ms`, or less when the signal aborts (never rejects). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
