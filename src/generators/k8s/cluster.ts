/** What the generator collects for one cluster folder: its manifests, kustomize generators and README steps. */
import type { Design } from '../../schemas/design.js';
import { describeBundle, type CaBundle } from './ca-bundle.js';
import { toYaml } from './yaml.js';

export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

/** A kustomize secretGenerator / configMapGenerator entry that reads `ca.crt` from a file next to the kustomization. */
export interface CaGenerator {
  readonly name: string;
  readonly namespace: string;
  /** Path of the PEM file, relative to the cluster folder. */
  readonly file: string;
}

export type Manifest = { readonly apiVersion: string; readonly kind: string } & Record<string, unknown>;

export class ClusterOutput {
  /** Manifests by path relative to the cluster folder. */
  readonly manifests = new Map<string, string>();
  readonly secretGenerators: CaGenerator[] = [];
  readonly configMapGenerators: CaGenerator[] = [];
  /** What to do before applying the folder, for the README, in order, without repeats. */
  readonly steps: string[] = [];
  /** Notes on choices the manifests make, for the README. */
  readonly notes: string[] = [];

  constructor(
    readonly design: Design,
    /** The cluster's node id. */
    readonly aksId: string,
    /** Folder name under k8s/. */
    readonly folder: string,
    /** Warnings shared by the whole generation. */
    readonly warnings: string[],
  ) {}

  /** Labels every generated object carries. */
  labels(): Record<string, string> {
    return { 'app.kubernetes.io/managed-by': 'gatewright', 'app.kubernetes.io/part-of': this.design.metadata.name };
  }

  /** Adds a manifest file; the first one written at a path wins. */
  add(path: string, manifest: Manifest, comment: readonly string[] = []): void {
    if (!this.manifests.has(path)) this.manifests.set(path, toYaml(manifest, comment));
  }

  step(text: string): void {
    if (!this.steps.includes(text)) this.steps.push(text);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /**
   * Puts a `ca.crt` bundle into a namespace as a Secret (ingress-nginx reads `auth-tls-secret` from Secrets
   * only) or a ConfigMap (the Core kind for Gateway API CA references). With the PEM text known, the object
   * is written as a plain manifest, self-contained and reviewable (a CA certificate is public). Without it,
   * a kustomize generator reads the bundle from `file`, so that no YAML value is a placeholder and
   * `kubectl apply -k` fails loudly until the file is in place; the README says what goes in it.
   */
  placeCa(kind: 'Secret' | 'ConfigMap', name: string, namespace: string, bundle: CaBundle, file: string, purpose: string): void {
    if (bundle.pem !== undefined) {
      const manifest: Manifest =
        kind === 'Secret'
          ? { apiVersion: 'v1', kind, metadata: this.meta(name, namespace), type: 'Opaque', stringData: { 'ca.crt': bundle.pem } }
          : { apiVersion: 'v1', kind, metadata: this.meta(name, namespace), data: { 'ca.crt': bundle.pem } };
      this.add(`${namespace}/${name}.yaml`, manifest, [`${purpose}: public CA certificates only.`]);
      return;
    }
    const list = kind === 'Secret' ? this.secretGenerators : this.configMapGenerators;
    if (!list.some((g) => g.name === name && g.namespace === namespace)) list.push({ name, namespace, file });
    const what = describeBundle(bundle) || 'the CA certificates';
    this.step(`Put the public PEM certificates of ${what} (${purpose}), concatenated, in k8s/${this.folder}/${file}.`);
  }

  meta(name: string, namespace?: string, annotations?: Record<string, string>): Record<string, unknown> {
    return {
      name,
      ...(namespace ? { namespace } : {}),
      labels: this.labels(),
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: sortedRecord(annotations) } : {}),
    };
  }
}

/** A copy with keys in code-point order, so that maps print the same whatever order built them. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort(compare)) out[key] = record[key] as string;
  return out;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
