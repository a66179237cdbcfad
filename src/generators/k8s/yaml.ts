/**
 * Kubernetes manifests as YAML text, the same bytes for the same object. Strings are quoted wherever a
 * YAML 1.1 reader (kubectl, kustomize: sigs.k8s.io/yaml) could take them for another type ("on", "1.2",
 * "0777"), annotation and label values are always double-quoted (they must be strings), and multi-line
 * strings (PEM bundles) are block literals.
 */
import { Document, isMap, isPair, isScalar, Scalar, visit } from 'yaml';

/** Keys whose map values are always written double-quoted. */
const QUOTED_MAPS = new Set(['annotations', 'labels', 'loadBalancerAnnotations', 'matchLabels']);

/** One YAML document; `comment` lines go on top (each prefixed with `# `). */
export function toYaml(value: unknown, comment: readonly string[] = []): string {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Pair(_key, pair) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'string' && QUOTED_MAPS.has(key) && isMap(pair.value)) {
        for (const item of pair.value.items) {
          if (isPair(item) && isScalar(item.value) && typeof item.value.value === 'string') {
            item.value.type = Scalar.QUOTE_DOUBLE;
          }
        }
      }
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  const header = comment
    .map((line) => line.replace(/[\r\n\u2028\u2029]+/g, ' '))
    .map((line) => (line ? `# ${line}` : '#'))
    .join('\n');
  const body = doc.toString({ lineWidth: 0, indentSeq: true });
  return header ? `${header}\n${body}` : body;
}
