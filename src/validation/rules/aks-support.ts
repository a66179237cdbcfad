/** Helpers of the AKS rules. */
import type { DesignNode, NodeOf } from '../../schemas/design.js';
import type { EditOperation } from '../../schemas/operations.js';
import type { RuleContext } from '../context.js';
import type { RuleViolation } from '../rule.js';
import { formatIp, parseCidr } from './monitoring.js';

export type Aks = NodeOf<'aksCluster'>;

export const psrule = (ref: string) =>
  ({ tool: 'PSRule for Azure', ref, url: `https://azure.github.io/PSRule.Rules.Azure/en/rules/${ref}/` }) as const;

export const REFERENCE_ARTICLE = 'https://learn.microsoft.com/azure/architecture/solution-ideas/articles/mutual-tls-deploy-aks-api-management';
export const NGINX_ANNOTATIONS = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/';

export function setOn(node: DesignNode, path: (string | number)[], value: unknown): EditOperation {
  return { op: 'setProperty', target: { kind: 'node', id: node.id }, path, value };
}

/** Whether an address range authorizes every IPv4 address. */
export function isOpenRange(range: string): boolean {
  return /\/0$/.test(range.trim());
}

export const AUTHORIZED_IP_RANGES = 'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges';
/** The most entries AKS takes in authorizedIPRanges. */
export const MAX_AUTHORIZED_RANGES = 200;
/** The entry that stands for "only the cluster's own outbound address"; AKS refuses it beside other ranges. */
export const OUTBOUND_ONLY = '0.0.0.0/32';

/** What is wrong with one authorizedIpRanges entry: refused outright, or a range written from an address inside it. */
export type RangeProblem =
  | { readonly kind: 'invalid'; readonly why: string; readonly fixed?: string }
  | { readonly kind: 'hostBits'; readonly network: string };

/**
 * Checks one entry: an IPv4 address (AKS stores it as /32) or an IPv4 CIDR range. The parsing is GW191's, so an
 * address space and an authorized range are read alike. Octets with a leading zero, which the Azure CLI and Go's
 * address parser refuse (they can be read as octal), are refused too.
 */
export function rangeProblem(text: string): RangeProblem | undefined {
  const trimmed = text.trim();
  if (trimmed !== text) {
    return { kind: 'invalid', why: 'has spaces around it', ...(rangeProblem(trimmed) ? {} : { fixed: trimmed }) };
  }
  const c = parseCidr(text.includes('/') ? text : `${text}/32`);
  if (typeof c === 'string') {
    return { kind: 'invalid', why: c.startsWith('is not') ? 'is neither an IPv4 address nor an IPv4 CIDR range' : c };
  }
  const [address = '', length] = text.split('/');
  const zero = address.split('.').find((o) => /^0\d/.test(o));
  if (zero !== undefined) {
    const fixed = address.split('.').map((o) => String(Number(o))).join('.') + (length === undefined ? '' : `/${length}`);
    return { kind: 'invalid', why: `has the octet ${zero} with a leading zero, which Azure refuses (it can be read as octal)`, ...(rangeProblem(fixed) ? {} : { fixed }) };
  }
  if (!c.aligned) return { kind: 'hostBits', network: `${formatIp(c.start)}/${c.prefix}` };
  return undefined;
}

/** Everything GW158 reports on one cluster's authorizedIpRanges. */
export function* authorizedRangeViolations(ctx: RuleContext, aks: Aks): Generator<RuleViolation> {
  const p = aks.properties;
  const ranges = p.authorizedIpRanges;
  const path = ['properties', 'authorizedIpRanges'];
  // The generator deploys no ranges for a private cluster: what is wrong with them only matters once it is public.
  const unused = p.privateCluster ? '; the cluster is private, so the ranges are not deployed until privateCluster is false' : '';
  const quiet = p.privateCluster ? ({ severity: 'warning' } as const) : {};
  const replace = (i: number, value: string) => setOn(aks, path, ranges.map((r, j) => (j === i ? value : r)));
  for (const [i, range] of ranges.entries()) {
    const problem = rangeProblem(range);
    if (!problem) continue;
    const entry = `AKS cluster "${aks.id}" has the authorizedIpRanges entry ${JSON.stringify(range)}, which`;
    if (problem.kind === 'invalid') {
      const fix = problem.fixed ? { fix: { title: `Use ${problem.fixed}`, operations: [replace(i, problem.fixed)] } } : {};
      yield ctx.atNode(aks, `${entry} ${problem.why}; AKS refuses it and accepts an IPv4 address or CIDR range such as 203.0.113.0/24${unused}`, [...path, i], { ...quiet, ...fix });
    } else {
      yield ctx.atNode(
        aks,
        `${entry} has bits set after its prefix length, so it authorizes the whole range ${problem.network}; write ${problem.network}, or ${range.split('/')[0]}/32 for that one address${unused}`,
        [...path, i],
        { severity: 'warning', fix: { title: `Use ${problem.network}`, operations: [replace(i, problem.network)] } },
      );
    }
  }
  const outbound = ranges.indexOf(OUTBOUND_ONLY);
  if (outbound >= 0 && ranges.length > 1) {
    yield ctx.atNode(
      aks,
      `AKS cluster "${aks.id}" lists ${OUTBOUND_ONLY} (only the cluster's own outbound address) together with other authorizedIpRanges, which AKS refuses; remove ${OUTBOUND_ONLY}: with other ranges listed, the outbound address is authorized anyway${unused}`,
      [...path, outbound],
      { ...quiet, fix: { title: `Remove ${OUTBOUND_ONLY}`, operations: [setOn(aks, path, ranges.filter((_, j) => j !== outbound))] } },
    );
  }
  if (ranges.length > MAX_AUTHORIZED_RANGES) {
    yield ctx.atNode(
      aks,
      `AKS cluster "${aks.id}" lists ${ranges.length} authorizedIpRanges, more than the ${MAX_AUTHORIZED_RANGES} AKS accepts; merge neighbouring ranges into larger ones${unused}`,
      path,
      quiet,
    );
  }
}

export const VM_NAMING = 'https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions';

/**
 * The shape of an Azure VM size name (Microsoft Learn, "Azure VM sizes naming conventions"): the tier, then
 * family and subfamily letters, the vCPU count, an optional constrained vCPU count, the additive feature
 * letters, and underscore-separated parts for the accelerator, the variant and the version:
 * Standard_D4ds_v5, Standard_B2s, Standard_E64-32s_v5, Standard_NC24ads_A100_v4, Standard_M416s_8_v2, Basic_A1.
 * Loose on purpose: it refuses only what cannot be a size name, and does not list the sizes.
 */
export const VM_SIZE_NAME = /^(Standard|Basic)_[A-Z]+\d+(-\d+)?[A-Z]*(_[A-Z0-9]+)*$/i;

/** A size name the text was probably meant to be: spaces made underscores, the Standard_ tier added. */
export function vmSizeSuggestion(text: string): string | undefined {
  const joined = text.trim().replace(/\s+/g, '_');
  const named = /^(Standard|Basic)_/i.test(joined) ? joined : `Standard_${joined}`;
  return named !== text && VM_SIZE_NAME.test(named) ? named : undefined;
}

/** Why a cluster reads Key Vault, or undefined when it does not. */
export function keyVaultReason(ctx: RuleContext, aks: Aks): string | undefined {
  const secrets = ctx.outgoing(aks.id, 'secrets').find((e) => e.to?.type === 'keyVault');
  if (secrets) return `it reads Key Vault "${secrets.edge.to}" (secrets edge "${secrets.id}")`;
  const ingress = aks.properties.ingress;
  for (const [field, certId] of [
    ['serverCertificate', ingress.serverCertificate],
    ['clientCa', ingress.clientCa],
  ] as const) {
    const cert = certId ? ctx.certificates.get(certId) : undefined;
    if (cert?.keyVault) return `its ingress ${field} "${cert.id}" lives in Key Vault "${cert.keyVault}"`;
  }
  return undefined;
}

export const SNIPPET_RISKS: readonly { test: RegExp; what: string }[] = [
  { test: /_by_lua|lua_|\blua\b/i, what: 'its value runs Lua code in the controller (Checkov CKV_K8S_152)' },
  { test: /\balias\b/i, what: 'its value uses alias, which can read files of the controller pod (Checkov CKV_K8S_154)' },
];
