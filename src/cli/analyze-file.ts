/** Reading a design file and the certificate files it names, and analyzing it: what validate, generate and trace share. */
import { resolve } from 'node:path';
import { parseDesign } from '../document/parse.js';
import { analyze, type Analysis } from '../validation/analyze.js';
import type { CertificateFile } from '../model/design-index.js';
import { readCertificateFiles } from '../workspace/certificate-files.js';
import { readDesign } from '../workspace/design-file.js';

/** A failure that is the user's to fix (unreadable file, file exists): one line, exit 2. */
export class CliFailure extends Error {}

export interface FileAnalysis {
  readonly analysis: Analysis;
  readonly files: ReadonlyMap<string, CertificateFile>;
}

/**
 * Reads a design file and the certificate files it names, and analyzes it. Throws CliFailure when unreadable.
 * Certificate `file` paths are relative to `root` when given, else to the design file's folder.
 */
export async function analyzeFile(file: string, cwd: string, options: { now?: Date; root?: string } = {}): Promise<FileAnalysis> {
  const path = resolve(cwd, file);
  const read = await readDesign(path);
  if (!read.ok) throw new CliFailure(`cannot read ${file}: ${read.reason}`);
  const text = read.text;
  // The certificate files the design names are read here, so that the validator stays pure.
  const pre = parseDesign(text);
  const root = options.root === undefined ? undefined : resolve(cwd, options.root);
  const files: ReadonlyMap<string, CertificateFile> = pre.design ? await readCertificateFiles(path, pre.design, root) : new Map();
  const analysis = analyze(text, options.now ? { files, now: options.now } : { files });
  return { analysis, files };
}
