/**
 * A readable summary of a what-if result: each resource's change (create, modify with the changed property paths
 * and their before/after values, delete, ignore, no change), the node it comes from, counts, and the same per node
 * for the canvas. Pure: it takes the result as Resource Manager returns it.
 */
import type { Design } from '../schemas/design.js';
import { armErrorOf, formatArmError, type ArmError } from './errors.js';
import { nodeOfResource, parseResourceId } from './resource-map.js';
import { armState, isState } from './states.js';

export const CHANGE_KINDS = ['create', 'modify', 'delete', 'deploy', 'noChange', 'ignore', 'unsupported'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export type PropertyChangeKind = 'create' | 'delete' | 'modify' | 'noEffect';

/** One changed property, flattened to its full path (`properties.sku.capacity`, `tags.env`, `properties.rules[0].port`). */
export interface PropertyChange {
  readonly path: string;
  readonly kind: PropertyChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ResourceChange {
  readonly resourceId: string;
  readonly type: string;
  /** The name segments joined with '/' (payments-vnet/snet-aks). */
  readonly name: string;
  /** For an extension resource (role assignment, diagnostic setting): the name of the resource it applies to. */
  readonly scopeName?: string;
  readonly change: ChangeKind;
  /** The design node the resource comes from (see ./resource-map.ts). */
  readonly nodeId?: string;
  /** For modify (and deploy): what changes, leaves only. */
  readonly properties: readonly PropertyChange[];
  readonly unsupportedReason?: string;
}

/** A node's overall change: its resources' change when they agree, else modify. */
export interface NodeChange {
  readonly nodeId: string;
  readonly change: ChangeKind;
  readonly resources: readonly ResourceChange[];
}

export interface WhatIfSummary {
  /** Resource Manager's status of the what-if operation (Succeeded, Failed). */
  readonly status: string;
  readonly changes: readonly ResourceChange[];
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly nodes: readonly NodeChange[];
  /** Resources that come from no node of the design. */
  readonly unmapped: readonly ResourceChange[];
  readonly error?: ArmError;
}

/** The raw what-if result (WhatIfOperationResult), loosely typed: the SDK's model or JSON off the wire. */
export interface RawWhatIfResult {
  readonly status?: string;
  readonly changes?: readonly RawChange[];
  readonly properties?: { readonly changes?: readonly RawChange[] };
  readonly error?: unknown;
}

interface RawChange {
  readonly resourceId?: string;
  readonly changeType?: string;
  readonly unsupportedReason?: string;
  readonly delta?: readonly RawPropertyChange[];
}

interface RawPropertyChange {
  readonly path?: string;
  readonly propertyChangeType?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly children?: readonly RawPropertyChange[];
}

const CHANGE_OF: Record<string, ChangeKind> = {
  create: 'create',
  modify: 'modify',
  delete: 'delete',
  deploy: 'deploy',
  nochange: 'noChange',
  ignore: 'ignore',
  unsupported: 'unsupported',
};

/** The order changes are listed in: what matters most first. */
const ORDER: Record<ChangeKind, number> = { delete: 0, modify: 1, create: 2, deploy: 3, unsupported: 4, noChange: 5, ignore: 6 };

export function summarizeWhatIf(result: RawWhatIfResult, design?: Design): WhatIfSummary {
  const raw = result.changes ?? result.properties?.changes ?? [];
  const changes: ResourceChange[] = raw.map((c) => {
    const resourceId = c.resourceId ?? '';
    const parts = parseResourceId(resourceId);
    const nodeId = design ? nodeOfResource(design, resourceId) : undefined;
    const change = CHANGE_OF[(c.changeType ?? '').toLowerCase()] ?? 'unsupported';
    const scope = parts?.scope ? parseResourceId(parts.scope) : undefined;
    return {
      resourceId,
      type: parts?.type ?? '',
      name: parts?.names.join('/') ?? resourceId,
      ...(scope ? { scopeName: scope.names.join('/') } : {}),
      change,
      ...(nodeId ? { nodeId } : {}),
      properties: flattenDelta(c.delta ?? []),
      ...(c.unsupportedReason ? { unsupportedReason: c.unsupportedReason } : {}),
    };
  });
  changes.sort(
    (a, b) =>
      ORDER[a.change] - ORDER[b.change] ||
      compare(a.type.toLowerCase(), b.type.toLowerCase()) ||
      compare((a.scopeName ?? '').toLowerCase(), (b.scopeName ?? '').toLowerCase()) ||
      compare(a.name.toLowerCase(), b.name.toLowerCase()),
  );
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of changes) counts[c.change]++;
  const byNode = new Map<string, ResourceChange[]>();
  for (const c of changes) if (c.nodeId) byNode.set(c.nodeId, [...(byNode.get(c.nodeId) ?? []), c]);
  const nodes: NodeChange[] = [...byNode].map(([nodeId, resources]) => ({ nodeId, change: overall(resources), resources }));
  const error = result.error === undefined || result.error === null ? undefined : armErrorOf(result.error);
  return {
    status: armState(result.status, error ? 'Failed' : 'Succeeded'),
    changes,
    counts,
    nodes,
    unmapped: changes.filter((c) => !c.nodeId),
    ...(error ? { error } : {}),
  };
}

/**
 * Whether Resource Manager could not predict the changes. It may say so with HTTP 200 and a result whose status is
 * Failed and whose error says why (the Azure CLI's `az deployment group what-if` raises that error,
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-what-if): such a result lists no change,
 * which must never read as "nothing to change".
 */
export function whatIfFailed(summary: Pick<WhatIfSummary, 'status' | 'error'>): boolean {
  return summary.error !== undefined || !isState(summary.status, 'Succeeded');
}

/** A node's change: ignore-only stays ignore; otherwise the one kind its resources share, or modify when they differ. */
function overall(resources: readonly ResourceChange[]): ChangeKind {
  const kinds = new Set(resources.map((r) => r.change).filter((k) => k !== 'ignore'));
  if (kinds.size === 0) return 'ignore';
  if (kinds.size === 1) return [...kinds][0]!;
  return 'modify';
}

/** The leaves of a what-if delta, with full paths; array elements become `[i]`. */
export function flattenDelta(delta: readonly RawPropertyChange[], prefix = ''): PropertyChange[] {
  const out: PropertyChange[] = [];
  for (const d of delta) {
    const segment = d.path ?? '';
    const path = prefix === '' ? segment : /^\d+$/.test(segment) ? `${prefix}[${segment}]` : `${prefix}.${segment}`;
    if (d.children && d.children.length > 0) {
      out.push(...flattenDelta(d.children, path));
      continue;
    }
    const kind = propertyKind(d.propertyChangeType);
    out.push({ path, kind, ...('before' in d ? { before: d.before } : {}), ...('after' in d ? { after: d.after } : {}) });
  }
  return out;
}

function propertyKind(type: string | undefined): PropertyChangeKind {
  switch ((type ?? '').toLowerCase()) {
    case 'create':
      return 'create';
    case 'delete':
      return 'delete';
    case 'noeffect':
      return 'noEffect';
    default:
      return 'modify';
  }
}

// ---------------------------------------------------------------- text

const SYMBOL: Record<ChangeKind, string> = { create: '+', modify: '~', delete: '-', deploy: '!', noChange: '=', ignore: '*', unsupported: 'x' };
/** Each kind of change as people read it. */
export const CHANGE_LABEL: Readonly<Record<ChangeKind, string>> = {
  create: 'create',
  modify: 'modify',
  delete: 'delete',
  deploy: 'deploy',
  noChange: 'no change',
  ignore: 'ignore',
  unsupported: 'unsupported',
};

const TOTAL: Record<ChangeKind, string> = {
  create: 'to create',
  modify: 'to modify',
  delete: 'to delete',
  deploy: 'to deploy',
  noChange: 'unchanged',
  ignore: 'ignored',
  unsupported: 'not predictable by what-if',
};

export interface FormatOptions {
  /** List unchanged and ignored resources one by one too (default: only counted). */
  readonly all?: boolean;
  /** Longest rendering of a before/after value (default 120 characters). */
  readonly maxValue?: number;
}

/** The summary as text, one resource per line, changed properties under modified ones, then the counts. */
export function formatWhatIf(summary: WhatIfSummary, options: FormatOptions = {}): string {
  const lines: string[] = [];
  const max = options.maxValue ?? 120;
  for (const c of summary.changes) {
    if (!options.all && (c.change === 'noChange' || c.change === 'ignore')) continue;
    lines.push(`${SYMBOL[c.change]} ${CHANGE_LABEL[c.change].padEnd(11)} ${c.type} ${c.name}${c.scopeName ? ` on ${c.scopeName}` : ''}${c.nodeId ? ` [${c.nodeId}]` : ''}`);
    if (c.unsupportedReason) lines.push(`      ${c.unsupportedReason}`);
    for (const p of c.properties) {
      if (p.kind === 'noEffect') continue;
      const sym = p.kind === 'create' ? '+' : p.kind === 'delete' ? '-' : '~';
      const value =
        p.kind === 'create' ? show(p.after, max) : p.kind === 'delete' ? show(p.before, max) : `${show(p.before, max)} => ${show(p.after, max)}`;
      lines.push(`      ${sym} ${p.path}: ${value}`);
    }
  }
  if (whatIfFailed(summary)) {
    lines.push(`What-if ${isState(summary.status, 'Succeeded') ? 'failed' : summary.status.toLowerCase()}: Resource Manager could not say what the deployment would change.`);
    lines.push(summary.error ? formatArmError(summary.error, '  ') : '  (Resource Manager gave no error for it)');
    return `${lines.join('\n')}\n`;
  }
  const { counts } = summary;
  const totals = CHANGE_KINDS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${TOTAL[k]}`);
  lines.push(`What-if: ${totals.length ? totals.join(', ') : 'no resource'}.`);
  return `${lines.join('\n')}\n`;
}

function show(value: unknown, max: number): string {
  const text = value === undefined ? '(none)' : typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
