/**
 * `gatewright generate FILE --out DIR`: writes the artifacts of a valid design. Writes nothing when validation
 * has an error. Like the editor's Generate, it keeps `.gatewright-generated.json` in DIR and will not overwrite a
 * file that was edited by hand since Gatewright wrote it (or that Gatewright never wrote) unless --force is given.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { generate, type GeneratedFile } from '../generators/generate.js';
import { caPemsOf } from '../generators/ca-pems.js';
import { MANIFEST_FILE, needsConsent, nextManifest, parseManifest, planGeneration, serializeManifest } from '../generators/manifest.js';
import type { Design } from '../schemas/design.js';
import type { CertificateFile } from '../validation/context.js';

export interface GenerateOutcome {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Files that were edited by hand (or not written by Gatewright) and were left alone: nothing was written. */
  readonly refused: readonly string[];
  readonly warnings: readonly string[];
}

/** Generates into `outDir` (absolute). Throws what the generators throw (a design they cannot express). */
export async function writeGenerated(
  design: Design,
  files: ReadonlyMap<string, CertificateFile>,
  outDir: string,
  options: { force: boolean; designPath: string },
): Promise<GenerateOutcome> {
  const generated = generate(design, { caPems: caPemsOf(design, files) });
  for (const f of generated.files) target(outDir, f.path);

  const manifestText = await readText(resolve(outDir, MANIFEST_FILE));
  const { manifest } = parseManifest(manifestText);
  const onDisk = new Map<string, string>();
  for (const path of new Set([...generated.files.map((f) => f.path), ...Object.keys(manifest.files)])) {
    const content = await readBytes(target(outDir, path));
    if (content !== undefined) onDisk.set(path, createHash('sha256').update(content).digest('hex'));
  }
  const plan = planGeneration(generated.files, onDisk, manifest);
  const consent = needsConsent(plan);
  if (consent.length > 0 && !options.force) {
    return { written: [], unchanged: [], refused: consent.map((f) => f.path), warnings: generated.warnings };
  }
  const written = new Set<string>();
  for (const f of plan.files) {
    if (f.action === 'unchanged') continue;
    await writeOne(outDir, f);
    written.add(f.path);
  }
  const design_ = relative(outDir, options.designPath).split(sep).join('/');
  await writeFile(resolve(outDir, MANIFEST_FILE), serializeManifest(nextManifest(manifest, plan, written, design_)), 'utf8');
  return {
    written: [...written],
    unchanged: plan.files.filter((f) => f.action === 'unchanged').map((f) => f.path),
    refused: [],
    warnings: generated.warnings,
  };
}

async function writeOne(outDir: string, f: GeneratedFile): Promise<void> {
  const path = target(outDir, f.path);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, f.content, 'utf8');
}

/** The absolute path of a generated file, refusing anything that would leave the output folder. */
function target(outDir: string, path: string): string {
  const full = resolve(outDir, path);
  if (full !== outDir && !full.startsWith(outDir + sep)) throw new Error(`generated path "${path}" leaves the output folder`);
  return full;
}

async function readBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function readText(path: string): Promise<string | undefined> {
  const bytes = await readBytes(path);
  return bytes?.toString('utf8');
}
