/**
 * What `kubectl apply -k .` prints for a zip of manifests, as the test Resource Manager's AKS run command answers:
 * it reads kustomization.yaml, follows `resources` (files and folders with their own kustomization), checks every
 * file the kustomization names exists (resources, secretGenerator / configMapGenerator files), and lists each object
 * as `<kind>[.<group>]/<name> created`. A missing file fails as kubectl does (exit code 1).
 */
import { unzipSync, strFromU8 } from 'fflate';
import { parseAllDocuments, parse } from 'yaml';

export interface KubectlResult {
  readonly exitCode: number;
  readonly logs: string;
  readonly files: ReadonlyMap<string, string>;
}

export function applyKustomization(contextBase64: string): KubectlResult {
  const entries = unzipSync(Buffer.from(contextBase64, 'base64'));
  const files = new Map<string, string>();
  for (const [path, bytes] of Object.entries(entries)) if (!path.endsWith('/')) files.set(path, strFromU8(bytes));
  const lines: string[] = [];
  try {
    build('', files, lines, 0);
  } catch (e) {
    return { exitCode: 1, logs: `error: ${e instanceof Error ? e.message : String(e)}\n`, files };
  }
  return { exitCode: 0, logs: lines.map((l) => `${l}\n`).join(''), files };
}

function build(dir: string, files: ReadonlyMap<string, string>, lines: string[], depth: number): void {
  if (depth > 8) throw new Error('kustomization nesting too deep');
  const at = (p: string) => (dir ? `${dir}/${p}` : p);
  const kustomizationPath = at('kustomization.yaml');
  const text = files.get(kustomizationPath);
  if (text === undefined) throw new Error(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/command-files/${dir}'`);
  const k = (parse(text) ?? {}) as { resources?: string[]; secretGenerator?: Generator[]; configMapGenerator?: Generator[]; namespace?: string };
  for (const r of k.resources ?? []) {
    const path = at(r);
    if (files.has(path)) {
      for (const doc of parseAllDocuments(files.get(path)!)) {
        const o = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
        if (!o?.kind) continue;
        const group = o.apiVersion?.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
        lines.push(`${o.kind.toLowerCase()}${group}/${o.metadata?.name ?? ''} created`);
      }
    } else if ([...files.keys()].some((f) => f.startsWith(`${path}/`))) {
      build(path, files, lines, depth + 1);
    } else {
      throw new Error(`accumulating resources: accumulation err='accumulating resources from '${r}': open /command-files/${path}: no such file or directory'`);
    }
  }
  for (const [generators, kind] of [
    [k.secretGenerator, 'secret'],
    [k.configMapGenerator, 'configmap'],
  ] as const) {
    for (const g of generators ?? []) {
      for (const f of g.files ?? []) {
        const file = f.includes('=') ? f.slice(f.indexOf('=') + 1) : f;
        if (!files.has(at(file))) throw new Error(`loading KV pairs: file sources: [${f}]: evalsymlink failure on '/command-files/${at(file)}' : lstat /command-files/${at(file)}: no such file or directory`);
      }
      lines.push(`${kind}/${g.name} created`);
    }
  }
}

interface Generator {
  name: string;
  files?: string[];
}
