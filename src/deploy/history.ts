/** Earlier deployments of a design in a resource group, newest first. */
import { resourcesClient } from './connection.js';
import { isDesignDeployment } from './deployment-name.js';
import { armErrorOf, toDeployError, type ArmError } from './errors.js';
import { outputsOf, type DeploymentOutput } from './outputs.js';
import { armState } from './states.js';
import type { DeploymentTarget } from './target.js';

export interface DeploymentRecord {
  readonly name: string;
  readonly id?: string;
  /** Accepted, Running, Succeeded, Failed, Canceled... */
  readonly state: string;
  readonly timestamp?: Date;
  /** ISO 8601 duration as ARM gives it (PT4M12.5S). */
  readonly duration?: string;
  readonly durationMs?: number;
  readonly correlationId?: string;
  readonly error?: ArmError;
  readonly outputs: readonly DeploymentOutput[];
}

/** The design's own deployments (`<design>-<date>-<time>`; not the nested ones), newest first, at most `limit`. */
export async function deploymentHistory(
  target: DeploymentTarget,
  designName: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<DeploymentRecord[]> {
  const client = resourcesClient(target, target.subscriptionId);
  const out: DeploymentRecord[] = [];
  try {
    for await (const d of client.deployments.listByResourceGroup(target.resourceGroup, { abortSignal: options.signal })) {
      if (!d.name || !isDesignDeployment(designName, d.name)) continue;
      out.push(deploymentRecord(d));
    }
  } catch (e) {
    throw toDeployError(e, `Listing the deployments of resource group ${target.resourceGroup}`);
  }
  out.sort((a, b) => (b.timestamp?.getTime() ?? 0) - (a.timestamp?.getTime() ?? 0) || b.name.localeCompare(a.name));
  return options.limit === undefined ? out : out.slice(0, options.limit);
}

/** A record from the SDK's DeploymentExtended. */
export function deploymentRecord(d: {
  name?: string;
  id?: string;
  properties?: { provisioningState?: string; timestamp?: Date; duration?: string; correlationId?: string; error?: unknown; outputs?: Record<string, unknown> };
}): DeploymentRecord {
  const p = d.properties ?? {};
  const error = p.error ? armErrorOf(p.error) : undefined;
  const durationMs = p.duration ? parseIsoDuration(p.duration) : undefined;
  return {
    name: d.name ?? '',
    ...(d.id ? { id: d.id } : {}),
    state: armState(p.provisioningState),
    ...(p.timestamp ? { timestamp: new Date(p.timestamp) } : {}),
    ...(p.duration ? { duration: p.duration } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(p.correlationId ? { correlationId: p.correlationId } : {}),
    ...(error ? { error } : {}),
    outputs: outputsOf(p.outputs),
  };
}

/** Milliseconds of an ISO 8601 duration (P1DT2H3M4.5S); undefined when it is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000);
}

/** A duration in words: 4m 12s, 1h 03m, 850ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
