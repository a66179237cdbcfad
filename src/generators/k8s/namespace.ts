/** The Namespace of each service (and of the Gateway), so that applying a cluster folder needs nothing created first. */
import type { ClusterOutput } from './cluster.js';

export function addNamespace(out: ClusterOutput, namespace: string): void {
  out.add(`${namespace}/namespace.yaml`, { apiVersion: 'v1', kind: 'Namespace', metadata: out.meta(namespace) });
}
