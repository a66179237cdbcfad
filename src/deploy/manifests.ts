/**
 * The generated Kubernetes manifests of each AKS cluster of a design (k8s/<cluster folder>/, with its
 * kustomization.yaml), with paths relative to that folder: what the AKS run command applies with `kubectl apply -k .`.
 * Pure.
 */
import type { GeneratedFile } from '../generators/generate.js';
import { clusterFolder } from '../generators/k8s/names.js';
import { resourceName } from '../model/naming.js';
import type { Design } from '../schemas/design.js';

export interface ManifestFile {
  /** Relative to the cluster folder, forward slashes: kustomization.yaml, orders/orders-ingress.yaml. */
  readonly path: string;
  readonly content: string;
}

export interface ClusterManifests {
  /** The aksCluster node. */
  readonly nodeId: string;
  /** The cluster's Azure resource name. */
  readonly clusterName: string;
  /** Its folder among the generated files: k8s/<folder>. */
  readonly folder: string;
  readonly files: readonly ManifestFile[];
}

/** Each cluster that has generated manifests (a kustomization.yaml in its folder), in design order. */
export function clusterManifests(design: Design, generated: readonly GeneratedFile[]): ClusterManifests[] {
  const out: ClusterManifests[] = [];
  for (const node of design.nodes) {
    if (node.type !== 'aksCluster') continue;
    const folder = `k8s/${clusterFolder(node.id)}`;
    const files = generated
      .filter((f) => f.path.startsWith(`${folder}/`))
      .map((f) => ({ path: f.path.slice(folder.length + 1), content: f.content }));
    if (!files.some((f) => f.path === 'kustomization.yaml')) continue;
    out.push({ nodeId: node.id, clusterName: resourceName(design.metadata.name, node).name, folder, files });
  }
  return out;
}
