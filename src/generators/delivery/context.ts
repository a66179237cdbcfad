/**
 * What every delivery generator reads from a design's `delivery` section, resolved once: the design file and the
 * output folder from the repository root, and each environment with the identifier its jobs, stages and variables
 * are named with. Pure.
 */
import { environmentKey, type Delivery, type DeliveryEnvironment } from '../../schemas/delivery.js';
import type { Design } from '../../schemas/design.js';

/** A generated file (generate.ts's GeneratedFile, declared here so that generate.ts can import this folder). */
export interface DeliveryFile {
  readonly path: string;
  readonly content: string;
}

export interface EnvironmentContext extends DeliveryEnvironment {
  /** PROD, STAGING_EU: the suffix of repository variables and Azure Pipelines stage names. */
  readonly key: string;
  /** prod, staging-eu: the GitHub job id suffix (lower case, hyphens). */
  readonly jobId: string;
}

export interface DeliveryContext {
  readonly design: Design;
  readonly delivery: Delivery;
  /** The design file from the repository root (forward slashes). */
  readonly designFile: string;
  /** The output folder from the repository root, without a trailing slash. */
  readonly outputFolder: string;
  readonly environments: readonly EnvironmentContext[];
}

export function deliveryContext(design: Design): DeliveryContext | undefined {
  const delivery = design.delivery;
  if (!delivery) return undefined;
  return {
    design,
    delivery,
    designFile: delivery.designFile ?? `${design.metadata.name}.gatewright.yaml`,
    outputFolder: delivery.outputFolder.replace(/\/+$/, ''),
    environments: delivery.environments.map((e) => ({ ...e, key: environmentKey(e.name), jobId: e.name.toLowerCase() })),
  };
}

/** A word for the POSIX shell, single-quoted when it holds anything but safe characters. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._/:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
export function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** The `gatewright deploy` command line of an environment, without the mode options. */
export function deployCommand(ctx: DeliveryContext, env: DeliveryEnvironment): string {
  return [
    'npx gatewright deploy',
    shellWord(ctx.designFile),
    `--subscription ${env.subscriptionId}`,
    `--resource-group ${shellWord(env.resourceGroup)}`,
    `--location ${env.location}`,
    // Development certificates (certs/private, git-ignored) never reach CI: the vault's certificates are used as they are.
    '--no-import-certificates',
  ].join(' ');
}
