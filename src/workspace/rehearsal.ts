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
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseDesign } from '../document/parse.js';
import { STAND_IN_CA_ID } from '../pki/dev.js';
import { planRehearsal, type RehearsalPlan } from '../rehearsal/plan.js';
import { RehearsalSetupError, runRehearsal, type CaseResult, type RehearsalMaterial, type RehearsalReport } from '../rehearsal/run.js';
import type { Certificate, Design } from '../schemas/design.js';
import { workspacePathProblem } from '../validation/x509/files.js';
import { devFolders, keyFileName, publicFileName } from '../pki/layout.js';

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
    let certificatePath: string;
    if (file !== undefined && id !== STAND_IN_CA_ID) {
      const problem = workspacePathProblem(file);
      if (problem) {
        problems.push(`the file of certificate "${id}" ("${file}") ${problem}`);
        continue;
      }
      certificatePath = resolve(root, file);
    } else {
      certificatePath = join(publicDir, publicFileName(id));
    }
    const certificatePem = await readOptional(certificatePath);
    if (certificatePem === undefined) {
      problems.push(`no certificate for "${id}" (looked for ${certificatePath})`);
      continue;
    }
    let keyPem: string | undefined;
    if (keys.has(id)) {
      const keyPath = join(privateDir, keyFileName(id));
      keyPem = await readOptional(keyPath);
      if (keyPem === undefined) {
        problems.push(`no private key for "${id}" (looked for ${keyPath})`);
        continue;
      }
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

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw e;
  }
}
