/** Helpers of the trust rules: TLS edges, the Key Vault a reader uses, and the trust material a caller must hold. */
import { callerTrust, describeChain, isTlsEdge, issuerChain, rootOf, tlsEndpointOf } from '../../model/trust.js';
import type { Certificate, DesignNode, EdgeOf } from '../../schemas/design.js';
import type { Fix } from '../../schemas/finding.js';
import type { Path } from '../../schemas/operations.js';
import type { EdgeEntry, RuleContext } from '../context.js';
import type { RuleViolation } from '../rule.js';

export const LEARN = 'https://learn.microsoft.com/azure';
export const ANCHORS = 'validation anchors: what none of the tools checks';
export const NGINX_CLIENT_CERTS = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#client-certificate-authentication';

export const q = (s: string): string => `"${s}"`;
export const DAY_MS = 86_400_000;

export type TlsEdge = EdgeOf<'https'> | EdgeOf<'mtls'>;

/** https and mtls edges, in document order. */
export function tlsEdges(ctx: RuleContext): EdgeEntry<TlsEdge>[] {
  return ctx.edges.filter((e): e is EdgeEntry<TlsEdge> => isTlsEdge(e.edge));
}

/** The certificate with this id, when it exists and its issuer chain is whole (no unknown id, no loop). */
export function wholeCert(ctx: RuleContext, id: string | undefined): Certificate | undefined {
  if (!id) return undefined;
  const cert = ctx.certificates.get(id);
  if (!cert) return undefined;
  const { ended } = issuerChain(ctx, id);
  return ended === 'missing' || ended === 'cycle' ? undefined : cert;
}

export function isPublic(ctx: RuleContext, certId: string): boolean {
  return rootOf(ctx, certId) === 'external';
}

/** What a node is called in messages about the certificate it presents. */
export function serverRole(node: DesignNode): string {
  switch (node.type) {
    case 'applicationGateway':
      return 'listener certificate';
    case 'apiManagement':
      return 'custom-domain certificate';
    case 'aksCluster':
      return 'ingress server certificate';
    default:
      return 'server certificate';
  }
}

export function keyVaultIds(ctx: RuleContext): string[] {
  return ctx.nodesOfType('keyVault').map((n) => n.id);
}

/** A Key Vault a reader already reads over a `secrets` edge, else the only Key Vault of the design. */
export function vaultFor(ctx: RuleContext, reader: DesignNode): string | undefined {
  const read = ctx.outgoing(reader.id, 'secrets').find((e) => e.to?.type === 'keyVault');
  if (read) return read.edge.to;
  const all = keyVaultIds(ctx);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * The certificate is held in a Key Vault and the reader reads that vault over a `secrets` edge.
 * `seen` dedupes within one rule run: one finding per certificate and one per missing edge.
 */
export function* keyVaultAccess(
  ctx: RuleContext,
  reader: DesignNode,
  cert: Certificate,
  what: string,
  readerPath: Path,
  seen: Set<string>,
): Generator<RuleViolation> {
  if (!cert.keyVault) {
    if (seen.has(`cert|${cert.id}`)) return;
    seen.add(`cert|${cert.id}`);
    const kv = vaultFor(ctx, reader);
    const fix: Fix | undefined = kv
      ? {
          title: `Hold "${cert.id}" in Key Vault "${kv}"`,
          operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['keyVault'], value: kv }],
        }
      : undefined;
    yield ctx.atCertificate(
      cert,
      `certificate ${q(cert.id)} (${what} of ${ctx.describe(reader)}) is in no Key Vault: ${reader.id} can only load it from Key Vault with its managed identity; set keyVault${kv ? ` (for example ${q(kv)})` : ''}`,
      ['keyVault'],
      fix ? { fix } : {},
    );
    return;
  }
  const kv = ctx.nodes.get(cert.keyVault);
  if (kv?.type !== 'keyVault') return; // a dangling reference is the graph rules' finding
  if (ctx.hasEdge(reader.id, kv.id, 'secrets')) return;
  if (seen.has(`edge|${reader.id}|${kv.id}`)) return;
  seen.add(`edge|${reader.id}|${kv.id}`);
  yield ctx.atNode(
    reader,
    `${ctx.describe(reader)} does not read Key Vault ${q(kv.id)}, which holds its ${what} ${q(cert.id)}: add a secrets edge from ${reader.id} to ${kv.id} (its identity needs Key Vault Secrets User there)`,
    readerPath,
    {
      fix: {
        title: `Connect ${reader.id} to ${kv.id} (secrets)`,
        operations: [{ op: 'connect', edge: { from: reader.id, to: kv.id, type: 'secrets' } }],
      },
    },
  );
}

/**
 * The CA material a caller must upload to validate a callee: the trust anchor of the edge and the CAs
 * above it must be `ca` certificates held in a Key Vault the caller reads.
 */
export function* trustMaterial(
  ctx: RuleContext,
  e: EdgeEntry<TlsEdge>,
  caller: DesignNode,
  what: string,
  rootOnly: boolean,
  seen: Set<string>,
): Generator<RuleViolation> {
  if (e.edge.properties.validateCertificateChain === false) return; // turning validation off is flagged elsewhere
  const callee = e.to;
  if (!callee) return;
  const trust = callerTrust(ctx, e.edge);
  const anchorId = trust.caIds[0];
  if (!anchorId || anchorId === 'external') return; // publicly trusted: nothing to upload
  const anchor = ctx.certificates.get(anchorId);
  if (!anchor) return;
  const { chain, ended } = issuerChain(ctx, anchorId);
  if (ended === 'missing' || ended === 'cycle') return;
  if (ended === 'external') return; // a public intermediate: chains to a publicly trusted root
  const server = tlsEndpointOf(callee)?.certificate;
  const path: Path = trust.derived ? ['to'] : ['properties', 'trustedCa'];
  const needed = [anchor, ...chain];
  for (const ca of rootOnly ? needed.slice(-1) : needed) {
    if (ca.role !== 'ca') {
      const key = `role|${caller.id}|${ca.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const why = ca.id === server ? `${q(ca.id)} is self-signed` : `${q(ca.id)} has role ${ca.role}`;
      yield ctx.atEdge(
        e,
        `${caller.id} needs ${q(ca.id)} as ${what} to validate ${ctx.describe(callee)}, but ${why}, not a CA (${describeChain(ctx, server ?? ca.id)}): issue ${server ? q(server) : 'the server certificate'} from a private CA (role ca) so ${caller.id} can upload that CA`,
        path,
      );
      continue;
    }
    yield* keyVaultAccess(ctx, caller, ca, `${what} for ${callee.id}`, [], seen);
  }
}

