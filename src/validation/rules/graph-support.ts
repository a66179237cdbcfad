/** Helpers of the graph rules. */
import type { Certificate, DesignNode, NodeType } from '../../schemas/design.js';
import type { Fix } from '../../schemas/finding.js';
import type { EditOperation, EditTarget, Path } from '../../schemas/operations.js';
import type { EdgeEntry, Extra, RuleContext } from '../context.js';
import type { RuleViolation } from '../rule.js';
import { NAME_RULES, nameProblem, type NameRule } from '../../model/naming.js';

export const GATEWRIGHT = { tool: 'Gatewright', ref: 'design format v1' } as const;
export const NAME_RULES_URL = 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules';

// ---------------------------------------------------------------- helpers shared by the graph rules

/** A setProperty operation. */
export function setOp(target: EditTarget, path: Path, value: unknown): EditOperation {
  return { op: 'setProperty', target, path, value };
}

/** The violation extras carrying a fix made of these operations, or none when there is no operation. */
export function fixWith(title: string, ...operations: (EditOperation | undefined)[]): Extra {
  const ops = operations.filter((o): o is EditOperation => o !== undefined);
  if (ops.length === 0) return {};
  const fix: Fix = { title, operations: ops };
  return { fix };
}

/** What a certificate reference is for: the role the certificate must have and how messages name it. */
export interface CertificateReference {
  readonly certId: string;
  /** The role the referenced certificate must have. */
  readonly role: Certificate['role'];
  /** How messages name the reference: `Application Gateway "appgw" listener certificate`. */
  readonly label: string;
  /** Whether `external` (the public CAs) is an accepted value. */
  readonly allowsExternal: boolean;
  at(ctx: RuleContext, message: string): RuleViolation;
}

/** Every place a design names a certificate (spec, "Certificates"), except certificate issuers. */
export function* certificateReferences(ctx: RuleContext): Generator<CertificateReference> {
  for (const node of ctx.design.nodes) {
    const ref = (certId: string | undefined, role: Certificate['role'], label: string, path: Path): CertificateReference | undefined =>
      certId === undefined
        ? undefined
        : { certId, role, label, allowsExternal: false, at: (c, message) => c.atNode(node, message, path) };
    let refs: (CertificateReference | undefined)[] = [];
    if (node.type === 'applicationGateway') {
      refs = [ref(node.properties.certificate, 'server', `Application Gateway "${node.id}" listener certificate`, ['properties', 'certificate'])];
    } else if (node.type === 'apiManagement') {
      refs = [ref(node.properties.certificate, 'server', `API Management "${node.id}" custom-domain certificate`, ['properties', 'certificate'])];
    } else if (node.type === 'aksCluster') {
      const ingress = node.properties.ingress;
      refs = [
        ref(ingress.serverCertificate, 'server', `AKS cluster "${node.id}" ingress server certificate`, ['properties', 'ingress', 'serverCertificate']),
        ref(ingress.clientCa, 'ca', `AKS cluster "${node.id}" ingress client CA`, ['properties', 'ingress', 'clientCa']),
      ];
    }
    for (const r of refs) if (r) yield r;
  }
  for (const e of ctx.edges) {
    const edge = e.edge;
    if (edge.type !== 'https' && edge.type !== 'mtls') continue;
    if (edge.type === 'mtls') {
      yield {
        certId: edge.properties.clientCertificate,
        role: 'client',
        label: `mtls edge "${e.id}" client certificate`,
        allowsExternal: false,
        at: (c, message) => c.atEdge(e, message, ['properties', 'clientCertificate']),
      };
    }
    const trusted = edge.properties.trustedCa;
    if (trusted !== undefined) {
      yield {
        certId: trusted,
        role: 'ca',
        label: `${edge.type} edge "${e.id}" trusted CA`,
        allowsExternal: true,
        at: (c, message) => c.atEdge(e, message, ['properties', 'trustedCa']),
      };
    }
  }
}

/** The single node of a type, when the design has exactly one: the target of an unambiguous fix. */
export function onlyNodeOfType(ctx: RuleContext, type: NodeType): DesignNode | undefined {
  const nodes = ctx.nodesOfType(type);
  return nodes.length === 1 ? nodes[0] : undefined;
}

/** Ids for a message: the first few, and how many more there are. */
export function list(ids: readonly string[] | ReadonlySet<string>, max = 6): string {
  const total = Array.isArray(ids) ? ids.length : (ids as ReadonlySet<string>).size;
  if (total === 0) return 'none';
  const shown: string[] = [];
  for (const id of ids) {
    if (shown.length === max) break;
    shown.push(id);
  }
  return total > max ? `${shown.join(', ')} and ${total - max} more` : shown.join(', ');
}

/** Certificate ids by role, computed on first use: messages list the candidates without a pass per violation. */
export function certIdsByRole(ctx: RuleContext): (role: Certificate['role']) => string[] {
  let byRole: Map<Certificate['role'], string[]> | undefined;
  return (role) => {
    if (!byRole) {
      byRole = new Map();
      for (const c of ctx.design.certificates) {
        const ids = byRole.get(c.role);
        if (ids) ids.push(c.id);
        else byRole.set(c.role, [c.id]);
      }
    }
    return byRole.get(role) ?? [];
  };
}

/** A value computed on first use. */
export function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

/** Whether another edge carries the same id (explicit or derived): a fix could not name this one unambiguously. */
export function idIsShared(counts: ReadonlyMap<string, number>, e: EdgeEntry): boolean {
  return (counts.get(e.id) ?? 0) > 1;
}

export function edgeIdCounts(ctx: RuleContext): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of ctx.edges) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------- Azure resource names

/** A valid name close to a broken derived one, for a fix; undefined when none is found. */
export function repairName(rule: NameRule, name: string): string | undefined {
  let n = rule.lowerCase ? name.toLowerCase() : name;
  if (rule === NAME_RULES.containerRegistry) n = n.replace(/[^a-zA-Z0-9]/g, '');
  n = n.replace(/-{2,}/g, '-').replace(/^[-._]+/, '');
  n = n.slice(0, rule.max).replace(/[-._ ]+$/, '');
  if (n.length < rule.min) n = n.padEnd(rule.min, '0');
  return nameProblem(rule, n) === undefined ? n : undefined;
}

// ---------------------------------------------------------------- rules
