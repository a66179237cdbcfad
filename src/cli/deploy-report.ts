/**
 * `gatewright deploy --format json`: the one JSON document the command prints on stdout, for pipelines. The shape is
 * version 1 and documented in the README ("deploy --format json"); fields are added, never renamed or removed, within a
 * version. Values of properties and of secure outputs are never in it (the what-if lists the changed property paths
 * only), so that a log or an artifact of it holds no secret.
 */
import type { DeployResult, OperationState } from '../deploy/deploy.js';
import { DeployError, type ArmError } from '../deploy/errors.js';
import type { RunCommandOutcome } from '../deploy/run-command.js';
import { driftCount } from '../deploy/what-if-markdown.js';
import { CHANGE_KINDS, whatIfFailed, type ChangeKind, type WhatIfSummary } from '../deploy/what-if-summary.js';

/** What went wrong, machine-readably: a Gatewright code (below), the message, Resource Manager's error when it gave one. */
export interface ReportError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Resource Manager's error in full (code, message, target, details), when the failure is Azure's answer. */
  readonly arm?: ArmErrorJson;
  /** For a failed resource of a deployment: its id and design node. */
  readonly resourceId?: string;
  readonly nodeId?: string;
}

/** The codes of ReportError, documented in the README. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'CONFIRMATION_REQUIRED',
  'NOT_CONFIRMED',
  'PARAMETERS_MISSING',
  'FILE_PROBLEM',
  'CREDENTIALS',
  'TARGET',
  'WHAT_IF_FAILED',
  'NAME_TAKEN',
  'AZURE_REQUEST_FAILED',
  'CERTIFICATE_IMPORT_FAILED',
  'DEPLOYMENT_FAILED',
  'DEPLOYMENT_CANCELED',
  'RUN_COMMAND_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ArmErrorJson {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
  readonly details: readonly ArmErrorJson[];
}

export interface DeployReport {
  readonly version: 1;
  /** what-if: --what-if (nothing changed in Azure); deploy: a deployment was asked for. */
  readonly mode: 'what-if' | 'deploy';
  /** succeeded (deployed, or previewed with no drift or without --fail-on-changes); drift (--fail-on-changes found changes); failed. */
  status: 'succeeded' | 'drift' | 'failed';
  exitCode: number;
  readonly target: {
    readonly file: string;
    /** The design's metadata.name, once the design is read. */
    design: string | null;
    readonly subscriptionId: string;
    subscriptionName: string | null;
    /** The tenant the subscription was reached in, when it is not the signed-in account's home tenant. */
    tenantId: string | null;
    readonly resourceGroup: string;
    /** Whether the resource group existed before the run (null: not known, the run stopped before). */
    resourceGroupExists: boolean | null;
    /** The resource group's region, or the region it is created in. */
    location: string | null;
    readonly endpoint: string;
  };
  whatIf: WhatIfJson | null;
  deployment: DeploymentJson | null;
  manifests: ManifestJson[];
  errors: ReportError[];
}

export interface WhatIfJson {
  /** Resource Manager's status of the what-if (Succeeded, Failed). */
  readonly status: string;
  /** Whether the what-if reports any create, modify or delete. */
  readonly drift: boolean;
  /** Resources per change: create, modify, delete, deploy, noChange, ignore, unsupported (every key present). */
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly changes: readonly {
    readonly resourceId: string;
    readonly type: string;
    readonly name: string;
    readonly scopeName: string | null;
    readonly change: ChangeKind;
    readonly nodeId: string | null;
    /** For a modify: the changed properties' paths and how each changes (create, delete, modify); never their values. */
    readonly properties: readonly { readonly path: string; readonly kind: 'create' | 'delete' | 'modify' }[];
  }[];
  /** Per design node: its overall change and its resources' ids. */
  readonly nodes: readonly { readonly nodeId: string; readonly change: ChangeKind; readonly resources: readonly string[] }[];
}

export interface DeploymentJson {
  readonly name: string;
  /** Succeeded, Failed or Canceled, as Resource Manager reports it. */
  readonly state: string;
  readonly id: string | null;
  /** ISO 8601 duration, as Resource Manager reports it. */
  readonly duration: string | null;
  readonly correlationId: string | null;
  /** Per design node: Failed when one of its resources failed, else Canceled, Running, or Succeeded. */
  readonly nodes: readonly { readonly nodeId: string; readonly state: string }[];
  readonly resources: readonly {
    readonly resourceId: string | null;
    readonly type: string | null;
    readonly name: string | null;
    readonly nodeId: string | null;
    readonly state: string;
    readonly statusCode: string | null;
  }[];
  /** The template's outputs; a secure output's value is null. */
  readonly outputs: readonly { readonly name: string; readonly type: string; readonly value: unknown }[];
}

export interface ManifestJson {
  readonly cluster: string;
  /** The run command's state (Succeeded, Failed...). */
  readonly state: string;
  readonly exitCode: number | null;
}

export function newReport(init: { mode: DeployReport['mode']; file: string; subscriptionId: string; resourceGroup: string; endpoint: string }): DeployReport {
  return {
    version: 1,
    mode: init.mode,
    status: 'failed',
    exitCode: 2,
    target: {
      file: init.file,
      design: null,
      subscriptionId: init.subscriptionId,
      subscriptionName: null,
      tenantId: null,
      resourceGroup: init.resourceGroup,
      resourceGroupExists: null,
      location: null,
      endpoint: init.endpoint,
    },
    whatIf: null,
    deployment: null,
    manifests: [],
    errors: [],
  };
}

export function whatIfJson(summary: WhatIfSummary): WhatIfJson {
  return {
    status: summary.status,
    drift: !whatIfFailed(summary) && driftCount(summary) > 0,
    counts: Object.fromEntries(CHANGE_KINDS.map((k) => [k, summary.counts[k]])) as Record<ChangeKind, number>,
    changes: summary.changes.map((c) => ({
      resourceId: c.resourceId,
      type: c.type,
      name: c.name,
      scopeName: c.scopeName ?? null,
      change: c.change,
      nodeId: c.nodeId ?? null,
      properties: c.properties.filter((p) => p.kind !== 'noEffect').map((p) => ({ path: p.path, kind: p.kind as 'create' | 'delete' | 'modify' })),
    })),
    nodes: summary.nodes.map((n) => ({ nodeId: n.nodeId, change: n.change, resources: n.resources.map((r) => r.resourceId) })),
  };
}

export function deploymentJson(result: DeployResult): DeploymentJson {
  const shown = result.operations.filter((o) => o.resourceId || o.resourceType);
  return {
    name: result.deploymentName,
    state: result.state,
    id: result.id ?? null,
    duration: result.duration ?? null,
    correlationId: result.correlationId ?? null,
    nodes: nodeStates(shown),
    resources: shown.map((o) => ({
      resourceId: o.resourceId ?? null,
      type: o.resourceType ?? null,
      name: o.resourceName ?? null,
      nodeId: o.nodeId ?? null,
      state: o.state,
      statusCode: o.statusCode ?? null,
    })),
    outputs: result.outputs.map((o) => ({ name: o.name, type: o.type, value: /^secure/i.test(o.type) ? null : o.value })),
  };
}

/** Each node's state from its resources' operations: Failed, else Canceled, else Running (one not finished), else Succeeded. */
export function nodeStates(operations: readonly OperationState[]): { nodeId: string; state: string }[] {
  const byNode = new Map<string, string[]>();
  for (const o of operations) if (o.nodeId) byNode.set(o.nodeId, [...(byNode.get(o.nodeId) ?? []), o.state]);
  return [...byNode].map(([nodeId, states]) => ({
    nodeId,
    state: states.includes('Failed') ? 'Failed' : states.includes('Canceled') ? 'Canceled' : states.every((s) => s === 'Succeeded') ? 'Succeeded' : 'Running',
  }));
}

export function manifestJson(cluster: string, outcome: RunCommandOutcome): ManifestJson {
  return { cluster, state: outcome.state, exitCode: outcome.exitCode >= 0 ? outcome.exitCode : null };
}

export function armJson(error: ArmError): ArmErrorJson {
  return { code: error.code, message: error.message, ...(error.target ? { target: error.target } : {}), details: error.details.map(armJson) };
}

/** A ReportError for a DeployError (its ARM error kept whole). */
export function deployErrorJson(code: ErrorCode, e: DeployError): ReportError {
  return { code, message: e.message, ...(e.arm ? { arm: armJson(e.arm) } : {}) };
}

/** The errors of a deployment that did not succeed: its own, then each failed resource's. */
export function deploymentErrors(result: DeployResult): ReportError[] {
  const code: ErrorCode = result.state === 'Canceled' ? 'DEPLOYMENT_CANCELED' : 'DEPLOYMENT_FAILED';
  const errors: ReportError[] = [
    { code, message: `Deployment ${result.deploymentName} ${result.state === 'Canceled' ? 'was canceled' : 'failed'}.`, ...(result.error ? { arm: armJson(result.error) } : {}) },
  ];
  for (const f of result.failures) {
    errors.push({
      code,
      message: `Resource ${f.resourceType ?? '(unknown type)'} ${f.resourceName ?? f.resourceId ?? f.operationId} failed${f.statusCode ? ` with ${f.statusCode}` : ''}.`,
      ...(f.error ? { arm: armJson(f.error) } : {}),
      ...(f.resourceId ? { resourceId: f.resourceId } : {}),
      ...(f.nodeId ? { nodeId: f.nodeId } : {}),
    });
  }
  return errors;
}
