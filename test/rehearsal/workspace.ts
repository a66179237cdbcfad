/**
 * Folders with a design and its development certificates, for the rehearsal tests. The reference design's
 * certificates are made once per test process and copied into each new folder, where `certs dev` keeps what still
 * matches the design (so each broken variant costs only the certificates it changes).
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevCertificates } from '../../src/workspace/dev-certificates.js';
import { rehearseDesign, type RehearseOutcome } from '../../src/workspace/rehearsal.js';
import { importKey } from '../../src/pki/keys.js';
import type { CaseResult } from '../../src/rehearsal/run.js';
import { issue, type CertificateSpec, type Issued, type KeyPair } from '../helpers/pki.js';
import { REFERENCE } from '../helpers/reference.js';

export const DESIGN_FILE = 'payments.gatewright.yaml';

export interface Workspace {
  readonly dir: string;
  readonly designPath: string;
  readonly certs: string;
  readonly privateDir: string;
  design(): string;
  rehearse(): Promise<RehearseOutcome>;
  /** A development CA of the folder (its certificate and key), to issue test certificates with the library. */
  ca(id: string): Promise<Issued>;
  /** Replaces a certificate of the folder (public PEM with `chain` after it, and key) by one made with the library. */
  replace(id: string, spec: Omit<CertificateSpec, 'issuer'> & { issuer: Issued }, chain?: readonly string[]): Promise<Issued>;
}

let base: Promise<string> | undefined;

/** A folder with the reference design and its certificates, made once. */
function referenceFolder(): Promise<string> {
  base ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewright-rehearsal-base-'));
    await certsDev(dir, REFERENCE);
    return dir;
  })();
  return base;
}

async function certsDev(dir: string, text: string): Promise<void> {
  const designPath = join(dir, DESIGN_FILE);
  writeFileSync(designPath, text);
  const outcome = await createDevCertificates({ designPath, designText: text });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.problems.join('\n'));
  writeFileSync(designPath, outcome.designText);
}

/** A new folder with `text` as the design and its development certificates. */
export async function workspace(text: string = REFERENCE): Promise<Workspace> {
  const from = await referenceFolder();
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-rehearsal-'));
  cpSync(join(from, 'certs'), join(dir, 'certs'), { recursive: true });
  await certsDev(dir, text);
  const designPath = join(dir, DESIGN_FILE);
  const certs = join(dir, 'certs');
  const privateDir = join(certs, 'private');
  const self: Workspace = {
    dir,
    designPath,
    certs,
    privateDir,
    design: () => readFileSync(designPath, 'utf8'),
    rehearse: () => rehearseDesign({ designPath, designText: self.design() }),
    async ca(id) {
      const pem = readFileSync(join(certs, `${id}.pem`), 'utf8');
      const first = pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length) + '\n';
      const material = await importKey(readFileSync(join(privateDir, `${id}.key.pem`), 'utf8'));
      assert.ok(!('problem' in material));
      const { x509 } = await import('../helpers/pki.js');
      const lib = await x509();
      const certificate = new lib.X509Certificate(first);
      const key: KeyPair = {
        spec: { kind: 'RSA', bits: 2048 },
        keys: material.keys,
        algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
        signing: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      };
      return { pem: first, name: certificate.subject, key, certificate };
    },
    async replace(id, spec, chain = [spec.issuer.pem]) {
      const made = await issue(spec);
      writeFileSync(join(certs, `${id}.pem`), [made.pem, ...chain].map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join(''));
      const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', made.key.keys.privateKey));
      const pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
      writeFileSync(join(privateDir, `${id}.key.pem`), pem, { mode: 0o600 });
      return made;
    },
  };
  return self;
}

/** The results of a rehearsal that ran. */
export function resultsOf(outcome: RehearseOutcome): readonly CaseResult[] {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.problems.join('\n'));
  return outcome.report.results;
}

/** `edge/case` of every case that failed. */
export function failures(results: readonly CaseResult[]): string[] {
  return results.filter((r) => !r.pass).map((r) => `${r.edge}/${r.kind}`);
}

export function find(results: readonly CaseResult[], edge: string, kind: CaseResult['kind']): CaseResult {
  const r = results.find((x) => x.edge === edge && x.kind === kind);
  assert.ok(r, `no case ${edge}/${kind} in ${results.map((x) => `${x.edge}/${x.kind}`).join(', ')}`);
  return r;
}
