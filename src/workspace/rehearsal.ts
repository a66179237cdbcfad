/**
 * The local mTLS rehearsal of a design, with its files: src/rehearsal plans and runs it; this module reads the
 * development certificates and keys `gatewright certs dev` wrote. `gatewright rehearse` and the extension's Rehearse
 * both call rehearseDesign.
 *
 * Certificates: a design certificate's public PEM is its `file` (relative to the root, as the validator reads it),
 * else <public folder>/<id>.pem; its private key is <private folder>/<id>.key.pem; the stand-in CA of
 * `issuer: external` certificates is external.stand-in-ca.pem / .key.pem there. Keys are read into memory for the
 * handshakes and never printed or written anywhere.
 */
import { dirname, join, resolve } from 'node:path';
import { parseDesign } from '../document/parse.js';
import { STAND_IN_CA_ID } from '../pki/dev.js';
import { planRehearsal, type RehearsalPlan } from '../rehearsal/plan.js';
import { RehearsalSetupError, runRehearsal, type CaseResult, type RehearsalMaterial, type RehearsalReport } from '../rehearsal/run.js';
import type { Certificate, Design } from '../schemas/design.js';
import { workspacePathProblem } from '../x509/files.js';
import { devFolders, keyFileName, publicFileName } from '../pki/layout.js';
import { MAX_CERTIFICATE_FILE_BYTES, readCertificateFile } from './certificate-files.js';
import { readRegularFile } from './fs.js';

export interface RehearseRequest {
  /** Absolute path of the design file. */
  readonly designPath: string;
  readonly designText: string;
  /** The folder certificate `file` paths are relative to (absolute); the design's folder by default. */
  readonly root?: string;
  /** The public certificate folder (absolute); `certs/` next to the design by default. */
  readonly publicDir?: string;
  /** The private folder (absolute); `private/` inside the public folder by default. */
  readonly privateDir?: string;
  /** Milliseconds one handshake may take. */
  readonly timeoutMs?: number;
  readonly onResult?: (result: CaseResult) => void;
}

export type RehearseOutcome =
  | { readonly ok: true; readonly plan: RehearsalPlan; readonly report: RehearsalReport }
  /** The rehearsal cannot run: the design is invalid ('design'), or certificates or keys are missing or do not match ('materials'). */
  | { readonly ok: false; readonly cause: 'design' | 'materials'; readonly problems: readonly string[] };

/**
 * Reads the certificates and keys a rehearsal plan needs (see the module comment for where each is). `problems`
 * lists what is missing or cannot be read as a path: nothing is thrown for a missing file.
 */
export async function loadRehearsalMaterials(
  plan: RehearsalPlan,
  design: Design,
  request: Pick<RehearseRequest, 'designPath' | 'root' | 'publicDir' | 'privateDir'>,
): Promise<{ materials: Map<string, RehearsalMaterial>; problems: string[] }> {
  const root = request.root ?? dirname(request.designPath);
  const { publicDir, privateDir } = devFolders(request);
  const byId = new Map<string, Certificate>();
  for (const c of design.certificates) if (!byId.has(c.id)) byId.set(c.id, c);
  const materials = new Map<string, RehearsalMaterial>();
  const problems: string[] = [];
  const keys = new Set(plan.keys);
  for (const id of plan.certificates) {
    const file = byId.get(id)?.file;
    let certificatePem: string;
    if (file !== undefined && id !== STAND_IN_CA_ID) {
      const problem = workspacePathProblem(file);
      if (problem) {
        problems.push(`the file of certificate "${id}" ("${file}") ${problem}`);
        continue;
      }
      // The same reader as validate's: what validate refuses to read, the rehearsal does not read either.
      const read = await readCertificateFile(root, file);
      if (read.status !== 'read') {
        problems.push(
          /^no such file/.test(read.reason) ? `no certificate for "${id}" (looked for ${resolve(root, file)})` : `the file of certificate "${id}" ("${file}") cannot be read: ${read.reason}`,
        );
        continue;
      }
      certificatePem = read.content;
    } else {
      const certificatePath = join(publicDir, publicFileName(id));
      const read = await readDevFile(certificatePath);
      if (typeof read !== 'string') {
        problems.push(read.missing ? `no certificate for "${id}" (looked for ${certificatePath})` : `the certificate of "${id}" cannot be read: ${read.reason}`);
        continue;
      }
      certificatePem = read;
    }
    let keyPem: string | undefined;
    if (keys.has(id)) {
      const keyPath = join(privateDir, keyFileName(id));
      const read = await readDevFile(keyPath);
      if (typeof read !== 'string') {
        problems.push(read.missing ? `no private key for "${id}" (looked for ${keyPath})` : `the private key of "${id}" cannot be read: ${read.reason}`);
        continue;
      }
      keyPem = read;
    }
    materials.set(id, keyPem === undefined ? { certificatePem } : { certificatePem, keyPem });
  }
  return { materials, problems };
}

/** Plans the rehearsal of a design, reads its certificates and keys, and runs every handshake. */
export async function rehearseDesign(request: RehearseRequest): Promise<RehearseOutcome> {
  const parsed = parseDesign(request.designText);
  if (!parsed.design || !parsed.complete) {
    return { ok: false, cause: 'design', problems: ['the design does not satisfy the schema; run gatewright validate on it and fix its errors first'] };
  }
  const plan = planRehearsal(parsed.design);
  const { materials, problems } = await loadRehearsalMaterials(plan, parsed.design, request);
  if (problems.length > 0) return { ok: false, cause: 'materials', problems };
  try {
    const report = await runRehearsal(plan, materials, {
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ...(request.onResult ? { onResult: request.onResult } : {}),
    });
    return { ok: true, plan, report };
  } catch (e) {
    if (e instanceof RehearsalSetupError) return { ok: false, cause: 'materials', problems: [e.message] };
    throw e;
  }
}

/** A development PEM: opened once, never through a link, a regular file of at most a certificate file's size. */
async function readDevFile(path: string): Promise<string | { missing: boolean; reason: string }> {
  const read = await readRegularFile(path, { maxBytes: MAX_CERTIFICATE_FILE_BYTES });
  if (read.ok) return read.bytes.toString('utf8');
  return { missing: read.kind === 'missing', reason: read.reason };
}
