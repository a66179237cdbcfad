/**
 * Development certificates for a design (`gatewright certs dev`): a private CA and every certificate the design
 * declares, made as the design says.
 *
 * - role ca with issuer self is a root; with issuer <ca id>, an intermediate signed by that CA;
 * - server certificates carry the design's dnsNames as subject alternative names and serverAuth; client
 *   certificates clientAuth; keys are of the design's keyAlgorithm / keySize (RSA 2048 by default);
 * - `issuer: external` certificates (issued by a public CA in production) are issued by a stand-in CA of their own,
 *   STAND_IN_CA_ID, which nothing trusts but the rehearsal;
 * - validity: `days` from now, never past the issuer's own expiry.
 *
 * Nothing here touches the file system: the caller hands in what already exists (the materials of an earlier run)
 * and writes what comes back. An existing key is kept (unless `force`); an existing certificate is kept while it
 * still matches the design, and otherwise issued again for the same key.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Certificate, Design } from '../schemas/design.js';
import { issuedBy, isoDay, OID_CLIENT_AUTH, OID_SERVER_AUTH, parseCertificate, type ParsedCertificate } from '../x509/certificate.js';
import { splitPem } from '../x509/pem.js';
import { issueCertificate, parseX509, type Profile, type Signer } from './issue.js';
import { describeKeySpec, generateKey, importKey, keySpecOf, RSA_2048, type KeyMaterial, type KeySpec } from './keys.js';
import { writePfx } from './pfx.js';

/** The id of the stand-in CA of `issuer: external` certificates. Never a design id: those have no dots. */
export const STAND_IN_CA_ID = 'external.stand-in-ca';
/** The organization of every development certificate's subject. */
export const DEV_ORGANIZATION = 'Gatewright development';
export const DEFAULT_DAYS = 90;
export const MAX_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back notBefore goes, for clocks that run a little behind. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** A kept certificate is issued again when it has less than this left (the validator warns at 30 days). */
const RENEW_WITHIN_DAYS = 30;

/** What an earlier run left for one certificate (by id): the public PEM, the private key PEM, whether a PFX is there. */
export interface ExistingMaterial {
  readonly certificatePem?: string;
  readonly keyPem?: string;
  readonly hasPfx?: boolean;
}

export interface DevCertificatesOptions {
  /** The moment validity starts from. */
  readonly now: Date;
  /** Validity in days (1 to MAX_DAYS). */
  readonly days: number;
  /** New keys and certificates for everything, whatever exists. */
  readonly force: boolean;
}

export type DevAction = 'created' | 'reissued' | 'reused';

/** One certificate of the run: what was done, and the files to write (undefined: leave the file as it is). */
export interface DevCertificate {
  /** The design certificate id, or STAND_IN_CA_ID. */
  readonly id: string;
  /** The design's certificate; undefined for the stand-in CA. */
  readonly design: Certificate | undefined;
  readonly role: Certificate['role'];
  /** 'self', the id of the issuing CA, or STAND_IN_CA_ID. */
  readonly issuer: string;
  readonly action: DevAction;
  /** Why it was created or issued again, in words ("dnsNames changed: ..."); empty when reused. */
  readonly why: string;
  readonly keyAction: 'created' | 'reused';
  readonly key: KeySpec;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The public file: the certificate, then each CA above it up to the root. Public: safe to commit. */
  readonly publicPem: string;
  /** The private key PEM to write, when the key is new. PRIVATE: only for the git-ignored folder. */
  readonly keyPem: string | undefined;
  /** The PFX (key + certificate + chain, no password) to write, when it is new or changed. PRIVATE. */
  readonly pfx: Uint8Array | undefined;
}

export type DevCertificatesResult =
  | { readonly ok: true; readonly certificates: readonly DevCertificate[]; readonly notes: readonly string[] }
  /** Nothing can be made: the design is inconsistent, or an existing key is unusable without `force`. */
  | { readonly ok: false; readonly problems: readonly string[] };

/** Subject of a development certificate: O=Gatewright development, OU=<design name>, CN=<name>. */
export function devSubject(designName: string, commonName: string): string {
  return `O=${DEV_ORGANIZATION}, OU=${designName}, CN=${commonName}`;
}

interface Entry {
  readonly id: string;
  readonly design: Certificate | undefined;
  readonly role: Certificate['role'];
  readonly issuer: string;
  readonly spec: KeySpec;
  readonly subject: string;
  readonly dnsNames: readonly string[];
}

/** The certificates to make, issuers before what they issue, or the problems that prevent it. */
export function devCertificateOrder(design: Design): { entries: Entry[]; problems: string[] } {
  const byId = new Map<string, Certificate>();
  for (const cert of design.certificates) if (!byId.has(cert.id)) byId.set(cert.id, cert);
  const problems: string[] = [];
  const entries: Entry[] = [];
  const state = new Map<string, 'visiting' | 'done' | 'broken'>();
  const name = design.metadata.name;
  let standIn = false;

  const visit = (cert: Certificate, path: string[]): boolean => {
    const s = state.get(cert.id);
    if (s === 'done') return true;
    if (s === 'broken') return false;
    if (s === 'visiting') {
      problems.push(`the issuers of certificate "${cert.id}" loop (${[...path, cert.id].map((id) => `"${id}"`).join(' → ')}); give the top CA issuer: self`);
      return false;
    }
    state.set(cert.id, 'visiting');
    let ok = true;
    if (cert.issuer === 'external') {
      standIn = true;
    } else if (cert.issuer !== 'self') {
      const ca = byId.get(cert.issuer);
      if (!ca) {
        problems.push(`certificate "${cert.id}" names "${cert.issuer}" as its issuer, which is no certificate of the design; give it the id of a ca certificate, self or external`);
        ok = false;
      } else if (ca.role !== 'ca') {
        problems.push(`certificate "${cert.id}" names "${ca.id}" as its issuer, but "${ca.id}" has role ${ca.role}: only a ca certificate can issue others`);
        ok = false;
      } else {
        ok = visit(ca, [...path, cert.id]);
      }
    }
    const spec = keySpecOf(cert);
    if ('problem' in spec) {
      problems.push(spec.problem);
      ok = false;
    }
    if (!ok || 'problem' in spec) {
      state.set(cert.id, 'broken');
      return false;
    }
    const commonName = cert.role === 'server' ? (cert.dnsNames[0] ?? cert.id) : cert.id;
    entries.push({ id: cert.id, design: cert, role: cert.role, issuer: cert.issuer === 'external' ? STAND_IN_CA_ID : cert.issuer, spec, subject: devSubject(name, commonName), dnsNames: cert.dnsNames });
    state.set(cert.id, 'done');
    return true;
  };
  for (const cert of byId.values()) visit(cert, []);
  if (standIn) {
    entries.unshift({ id: STAND_IN_CA_ID, design: undefined, role: 'ca', issuer: 'self', spec: RSA_2048, subject: devSubject(name, 'Gatewright stand-in public CA'), dnsNames: [] });
  }
  return { entries, problems };
}

interface Made {
  readonly entry: Entry;
  readonly key: KeyMaterial;
  readonly pem: string;
  readonly parsed: ParsedCertificate;
  readonly signer: Signer;
}

/** Makes (or keeps) every certificate of the design. Never touches a file; see the module comment. */
export async function makeDevCertificates(
  design: Design,
  existing: ReadonlyMap<string, ExistingMaterial>,
  options: DevCertificatesOptions,
): Promise<DevCertificatesResult> {
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_DAYS) {
    return { ok: false, problems: [`the validity must be a whole number of days from 1 to ${MAX_DAYS}, not ${options.days}`] };
  }
  const { entries, problems } = devCertificateOrder(design);
  if (problems.length > 0) return { ok: false, problems };

  // Keys first: an existing key that cannot be used stops everything before anything is made (unless force).
  const keys = new Map<string, { key: KeyMaterial; reused: boolean; object?: KeyObject }>();
  for (const entry of entries) {
    const keyPem = options.force ? undefined : existing.get(entry.id)?.keyPem;
    if (keyPem === undefined) continue;
    const imported = await importKey(keyPem, entry.spec);
    if ('problem' in imported) {
      problems.push(`the existing private key of "${entry.id}" cannot be kept: ${imported.problem}; run again with --force to replace it (and issue its certificate again)`);
      continue;
    }
    keys.set(entry.id, { key: imported, reused: true, object: createPrivateKey(keyPem) });
  }
  if (problems.length > 0) return { ok: false, problems };

  // New keys are made all at once (RSA key generation takes a while, and runs on Node's thread pool).
  const fresh = await Promise.all(entries.filter((e) => !keys.has(e.id)).map(async (e) => [e.id, await generateKey(e.spec)] as const));
  for (const [id, key] of fresh) keys.set(id, { key, reused: false });

  const made = new Map<string, Made>();
  const out: DevCertificate[] = [];
  const notes: string[] = [];
  const now = options.now;
  // Whole seconds: X.509 times have no fractions, and an issuer made a moment earlier must not look shorter-lived.
  const wanted = new Date(Math.floor((now.getTime() + options.days * DAY_MS) / 1000) * 1000);

  for (const entry of entries) {
    const issuer = entry.issuer === 'self' ? undefined : made.get(entry.issuer);
    const held = keys.get(entry.id)!;
    const known = held.reused ? held : undefined;
    const key = held.key;
    const limit = issuer?.parsed.notAfter;
    const notAfter = limit && limit < wanted ? limit : wanted;

    const prior = existing.get(entry.id);
    const previous = options.force ? undefined : prior;
    let pem: string | undefined;
    let action: DevAction;
    let why: string;
    if (options.force) {
      action = prior?.certificatePem !== undefined || prior?.keyPem !== undefined ? 'reissued' : 'created';
      why = 'new key and certificate (--force)';
    } else if (!known) {
      action = 'created';
      why = previous?.certificatePem !== undefined ? 'no private key was found for the existing certificate: new key' : 'new';
    } else {
      const verdict = reuseVerdict(entry, previous?.certificatePem, known.object!, issuer, now, options.days);
      if (verdict === undefined) {
        pem = firstCertificate(previous!.certificatePem!);
        action = 'reused';
        why = '';
      } else {
        action = previous?.certificatePem === undefined ? 'created' : 'reissued';
        why = verdict;
      }
    }
    if (pem === undefined) {
      const certificate = await issueCertificate({
        profile: entry.role as Profile,
        subject: entry.subject,
        key,
        ...(issuer ? { issuer: issuer.signer } : {}),
        dnsNames: entry.dnsNames,
        notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
        notAfter,
      });
      pem = certificate.toString('pem');
      if (!pem.endsWith('\n')) pem += '\n';
    }
    const parsed = parseCertificate(pem);
    const signer: Signer = { certificate: await parseX509(pem), key };
    made.set(entry.id, { entry, key, pem, parsed, signer });

    const chain: string[] = [pem];
    for (let up = issuer; up; up = up.entry.issuer === 'self' ? undefined : made.get(up.entry.issuer)) chain.push(up.pem);
    const publicPem = chain.join('');
    const keyChanged = !known;
    const pfx =
      action !== 'reused' || keyChanged || !previous?.hasPfx || publicPem !== previous.certificatePem
        ? await writePfx({ keyPem: key.pem, certificatesPem: publicPem, friendlyName: entry.design?.secretName ?? entry.id })
        : undefined;
    out.push({
      id: entry.id,
      design: entry.design,
      role: entry.role,
      issuer: entry.issuer,
      action,
      why,
      keyAction: known ? 'reused' : 'created',
      key: entry.spec,
      subject: entry.subject,
      dnsNames: entry.dnsNames,
      notBefore: parsed.notBefore ?? now,
      notAfter: parsed.notAfter ?? notAfter,
      publicPem,
      keyPem: known ? undefined : key.pem,
      pfx,
    });
    if (entry.design?.role === 'server' && entry.dnsNames.length === 0) {
      notes.push(`server certificate "${entry.id}" lists no dnsNames, so its certificate has no subject alternative name and no client will accept it for any host: add the host names it serves to dnsNames`);
    }
    if (action !== 'reused' && limit && wanted.getTime() - limit.getTime() >= DAY_MS) {
      notes.push(`"${entry.id}" is valid until ${isoDay(limit)} only, when its issuer "${entry.issuer}" expires (not ${options.days} days)`);
    }
  }
  return { ok: true, certificates: out, notes };
}

/** The first certificate block of a PEM text. */
function firstCertificate(pem: string): string {
  const block = splitPem(pem).certificates[0]!;
  return block.endsWith('\n') ? block : `${block}\n`;
}

/**
 * Why an existing certificate cannot be kept for the design (undefined when it can): it must be of the kept key,
 * have the expected subject, be issued by the current issuer, have the role's usages and the design's names, and
 * be valid for a while yet, never past its issuer.
 */
function reuseVerdict(entry: Entry, pem: string | undefined, key: KeyObject, issuer: Made | undefined, now: Date, days: number): string | undefined {
  if (pem === undefined) return 'no certificate yet for the kept key';
  const block = splitPem(pem).certificates[0];
  if (!block) return 'the existing certificate file holds no certificate';
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(block);
  } catch {
    return 'the existing certificate cannot be read';
  }
  if (!safe(() => cert.x509.checkPrivateKey(key))) return 'the existing certificate is not of the kept key';
  if (cert.subject !== entry.subject) return `its subject changed (was "${cert.subject}")`;
  if (issuer) {
    if (issuedBy(cert, issuer.parsed) !== 'yes') return `it was not issued by the current "${issuer.entry.id}"`;
  } else if (!cert.selfSigned) {
    return 'it is not self-signed (issuer: self)';
  }
  if (entry.role === 'ca') {
    if (!cert.ca) return 'it is not a CA certificate';
  } else {
    const usage = entry.role === 'server' ? OID_SERVER_AUTH : OID_CLIENT_AUTH;
    if (cert.ca || cert.extendedKeyUsages?.length !== 1 || cert.extendedKeyUsages[0] !== usage) return `its usages are not those of a ${entry.role} certificate`;
  }
  const have = [...new Set(cert.dnsNames.map((n) => n.toLowerCase()))].sort();
  const want = [...new Set(entry.dnsNames.map((n) => n.toLowerCase()))].sort();
  if (have.join(',') !== want.join(',')) return `dnsNames changed (the certificate has ${have.join(', ') || 'none'}, the design lists ${want.join(', ') || 'none'})`;
  if (!cert.notBefore || !cert.notAfter) return 'its validity dates cannot be read';
  if (cert.notBefore > now) return `it is not valid before ${isoDay(cert.notBefore)}`;
  if (cert.notAfter <= now) return `it expired on ${isoDay(cert.notAfter)}`;
  const margin = Math.min(RENEW_WITHIN_DAYS, days / 2) * DAY_MS;
  if (cert.notAfter.getTime() - now.getTime() < margin) return `it expires on ${isoDay(cert.notAfter)}`;
  if (issuer?.parsed.notAfter && cert.notAfter > issuer.parsed.notAfter) return `it outlives its issuer "${issuer.entry.id}"`;
  return undefined;
}

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

/** Whether a PEM text's first certificate is the one of this key (for callers that check a pair). */
export function certificateMatchesKey(certificatePem: string, keyPem: string): boolean {
  try {
    const block = splitPem(certificatePem).certificates[0];
    return block !== undefined && new X509Certificate(block).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

export { describeKeySpec };
