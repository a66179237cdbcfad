/** Everything a hop's checks read: the parsed generated files, the certificate facts, and how to state a check. */
import type { Design, DesignNode } from '../schemas/design.js';
import { edgeId } from '../schemas/design.js';
import { ArmTemplate, lastSegment, parentName, type ArmResource, type Resolved } from './arm.js';
import { CertificateFacts } from './certificates.js';
import { Manifests } from './kubernetes.js';
import { JsonFile, textEvidence } from './locate.js';
import { Network } from './network.js';
import type { Check, Evidence, Verdict } from './types.js';

export interface TraceFile {
  /** Path relative to the output folder, with forward slashes (as generate() gives them). */
  readonly path: string;
  readonly content: string;
}

export interface TraceInput {
  /** The generated files, as `generate()` returns them (or as read back from the output folder). */
  readonly files: readonly TraceFile[];
  /** The design they were generated from: what each certificate is, what the design intends, and its node ids. */
  readonly design: Design;
  /** Public PEMs of the design's CA certificates, by id, when known: trusted roots and CA bundles are matched to them. */
  readonly caPems?: ReadonlyMap<string, string>;
}

export const TEMPLATE_FILE = 'infra/main.json';
export const PARAMETERS_FILE = 'infra/main.parameters.json';

export class TraceContext {
  readonly arm: ArmTemplate;
  readonly net: Network;
  readonly k8s: Manifests;
  readonly certs: CertificateFacts;
  readonly files: ReadonlyMap<string, string>;

  constructor(readonly input: TraceInput) {
    this.files = new Map(input.files.map((f) => [f.path, f.content]));
    const main = this.files.get(TEMPLATE_FILE);
    if (main === undefined) throw new Error(`no ${TEMPLATE_FILE} among the generated files`);
    const params = this.files.get(PARAMETERS_FILE);
    this.arm = new ArmTemplate(new JsonFile(TEMPLATE_FILE, main), params === undefined ? undefined : new JsonFile(PARAMETERS_FILE, params));
    this.net = new Network(this.arm);
    this.k8s = new Manifests(input.files);
    this.certs = new CertificateFacts(input.design, input.caPems);
  }

  get design(): Design {
    return this.input.design;
  }

  /** Children of a parent resource (`service/apis` of service `x`): by type and parent name. */
  children(type: string, parent: string): ArmResource[] {
    return this.arm.ofType(type).filter((r) => parentName(r.name) === parent);
  }

  /** Evidence in the policy XML file holding `xml` (the file the Bicep loads), else in the template. */
  policyEvidence(xml: string, needle: string, fallback: Evidence, value?: string): Evidence {
    for (const [path, content] of this.files) {
      if (path.startsWith('apim/policies/') && content === xml) return textEvidence(path, content, needle, value ?? needle);
    }
    return { ...fallback, value: value ?? needle };
  }

  /** The design node of a type that best matches a predicate (the only one of its type when none matches). */
  node<T extends DesignNode['type']>(type: T, matches: (n: Extract<DesignNode, { type: T }>) => boolean): Extract<DesignNode, { type: T }> | undefined {
    const all = this.design.nodes.filter((n): n is Extract<DesignNode, { type: T }> => n.type === type);
    return all.find(matches) ?? (all.length === 1 ? all[0] : undefined);
  }

  edgeIds(from: string | undefined, to: string | undefined, types: readonly string[]): string[] {
    if (!from || !to) return [];
    return this.design.edges.filter((e) => e.from === from && e.to === to && types.includes(e.type)).map(edgeId);
  }
}

/** Builds a check; `fix` only for failures, `dependsOn` only for unknowns. */
export function check(
  id: string,
  title: string,
  verdict: Verdict,
  message: string,
  evidence: readonly (Evidence | undefined)[],
  extra: { fix?: string; dependsOn?: string } = {},
): Check {
  return {
    id,
    title,
    verdict,
    message,
    evidence: evidence.filter((e): e is Evidence => e !== undefined),
    ...(verdict === 'fail' && extra.fix ? { fix: extra.fix } : {}),
    ...(verdict === 'unknown-until-deployed' ? { dependsOn: extra.dependsOn ?? 'values Azure assigns at deployment' } : {}),
  };
}

/** How a resolved value reads in a message. */
export function describeResolved(r: Resolved): string {
  switch (r.kind) {
    case 'literal':
      return `"${r.value}"`;
    case 'parameter':
      return r.value === undefined || r.value === '' ? `parameter ${r.name} (no value in the parameters file)` : `parameter ${r.name} = "${short(r.value)}"`;
    case 'expression':
      return r.text;
  }
}

export function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 28)}...${s.slice(-28)}` : s;
}

export { lastSegment };
