/**
 * Runs a rehearsal plan: for each case, a real TLS server configured as the callee is (node:tls, on 127.0.0.1 and
 * an ephemeral port) and a real client configured as the caller is, one handshake, then the verdict of both sides.
 * Nothing leaves the loopback interface, every handshake has a timeout, and nothing is read from or written to disk
 * here: the caller hands in the certificates and keys (src/workspace/rehearsal.ts reads them from the development PKI).
 *
 * How the two sides decide, and why it is done in the callbacks:
 * - The callee requests a client certificate (requestCert) and trusts only the CAs the design says it trusts (`ca`).
 *   Node verifies the client certificate after the handshake either way; with `rejectUnauthorized` it then drops the
 *   connection without saying why. So the server is created with rejectUnauthorized off and the secureConnection
 *   callback applies it, recording OpenSSL's verification error (socket.authorizationError) as the reason: a
 *   connection whose certificate is missing or does not verify is closed before the callee answers, exactly when
 *   rejectUnauthorized would have closed it. verifyClient optional accepts a connection without a certificate;
 *   optional_no_ca accepts any.
 * - Node's TLS has no verify depth option (OpenSSL's SSL_CTX_set_verify_depth is not exposed): the callback emulates
 *   nginx's ssl_verify_depth by counting the certificates of the verified client chain (getPeerCertificate(true),
 *   which Node completes from the trusted CAs): with depth N, at most N intermediate CA certificates may sit between
 *   the client certificate and the self-signed root (OpenSSL's rule, which nginx applies; checked against real nginx
 *   in test/rehearsal/nginx.test.ts). A longer chain is refused as CERT_CHAIN_TOO_LONG.
 * - The caller trusts only the CAs the design derives for it (`ca`), sends SNI, and checks the chain
 *   (validateCertificateChain) and the host name (validateCertificateName) in its secureConnect callback with
 *   tls.checkServerIdentity, so that each failure keeps its own reason.
 * - A connection counts as accepted when the caller receives the callee's answer after the handshake.
 * - Each case judges one party (PlannedCase.judge): the designed case needs both to accept; the wrong host name and
 *   the expired server certificate are about the caller's verdict (whatever the callee thinks of the client
 *   certificate); the client certificate cases are about the callee's, and there the caller still checks the server
 *   certificate but does not hang up over it, so that a broken server certificate cannot hide the callee's verdict.
 */
import { checkServerIdentity, connect, createServer, rootCertificates, type ConnectionOptions, type PeerCertificate, type TLSSocket, type TlsOptions } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { certificateMatchesKey, devSubject } from '../pki/dev.js';
import { copyWithValidity, issueCertificate, parseX509, type Signer } from '../pki/issue.js';
import { generateKey, importKey, RSA_2048, type KeyMaterial } from '../pki/keys.js';
import { parseCertificate } from '../x509/certificate.js';
import { splitPem } from '../x509/pem.js';
import { wrongHostFor, type CaseKind, type Judge, type Outcome, type PlannedCase, type PlannedEdge, type RehearsalPlan, type TrustStore, type UnplannedEdge } from './plan.js';
import { REASON_TEXT, reasonOfClientCertificateError, reasonOfServerCertificateError, reasonOfTransportError, type Reason } from './reasons.js';

/** A certificate of the development PKI: its public PEM (the certificate, then its chain) and, where needed, its private key. */
export interface RehearsalMaterial {
  readonly certificatePem: string;
  readonly keyPem?: string;
}

export type RehearsalMaterials = ReadonlyMap<string, RehearsalMaterial>;

export interface RehearsalOptions {
  /** Milliseconds one handshake may take, connection to answer (default 5000). */
  readonly timeoutMs?: number;
  /** Called as each case finishes (progress). */
  readonly onResult?: (result: CaseResult) => void;
}

export interface CaseResult {
  readonly edge: string;
  readonly type: 'https' | 'mtls';
  readonly from: string;
  readonly to: string;
  /** 'setup' for an edge that cannot be rehearsed. */
  readonly kind: CaseKind | 'setup';
  readonly title: string;
  readonly expected: Outcome;
  readonly got: Outcome | 'not run';
  readonly pass: boolean;
  readonly reason: Reason | 'not-rehearsable';
  /** Node's or OpenSSL's code for the refusal (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ...). */
  readonly code?: string;
  /** Who refused: the caller (judging the server certificate) or the callee (judging the client certificate). */
  readonly by?: 'caller' | 'callee';
  /** The reason in words, with what to change when the case failed. */
  readonly detail: string;
}

export interface RehearsalReport {
  readonly results: readonly CaseResult[];
  readonly summary: { readonly cases: number; readonly passed: number; readonly failed: number };
}

/** A problem with the materials that stops the rehearsal before any handshake (missing or mismatched keys). */
export class RehearsalSetupError extends Error {}

export const DEFAULT_TIMEOUT_MS = 5000;
const ANSWER = 'GATEWRIGHT-REHEARSAL-OK\n';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Ids of certificates the plan needs that the materials lack: a public PEM, or a private key. */
export function missingMaterials(plan: RehearsalPlan, materials: RehearsalMaterials): { certificates: string[]; keys: string[] } {
  return {
    certificates: plan.certificates.filter((id) => !materials.get(id)?.certificatePem),
    keys: plan.keys.filter((id) => !materials.get(id)?.keyPem),
  };
}

/** What the cases are made of, prepared once per run: the other CA's client certificate and the expired copies. */
export class RehearsalKit {
  private otherClient: Promise<{ certificatePem: string; keyPem: string }> | undefined;
  private readonly expired = new Map<string, Promise<string>>();
  private readonly signers = new Map<string, Promise<Signer>>();

  constructor(readonly materials: RehearsalMaterials) {}

  /** Checks that every key of the plan belongs to its certificate. Throws RehearsalSetupError. */
  check(plan: RehearsalPlan): void {
    const missing = missingMaterials(plan, this.materials);
    if (missing.certificates.length > 0 || missing.keys.length > 0) {
      const what = [...missing.certificates.map((id) => `the certificate of "${id}"`), ...missing.keys.map((id) => `the private key of "${id}"`)];
      throw new RehearsalSetupError(`missing ${what.join(', ')}`);
    }
    for (const id of plan.keys) {
      const m = this.materials.get(id)!;
      if (!certificateMatchesKey(m.certificatePem, m.keyPem!)) {
        throw new RehearsalSetupError(`the private key of "${id}" does not belong to its certificate`);
      }
    }
  }

  private material(id: string): RehearsalMaterial {
    const m = this.materials.get(id);
    if (!m) throw new RehearsalSetupError(`missing the certificate of "${id}"`);
    return m;
  }

  private key(id: string): string {
    const key = this.material(id).keyPem;
    if (key === undefined) throw new RehearsalSetupError(`missing the private key of "${id}"`);
    return key;
  }

  /** The PEM blocks of a trust store, and the system's public roots when it has them. */
  ca(trust: TrustStore): string[] {
    const blocks = trust.certificates.map((id) => firstBlock(this.material(id).certificatePem));
    return trust.publicRoots ? [...blocks, ...rootCertificates] : blocks;
  }

  private signer(id: string): Promise<Signer> {
    let signer = this.signers.get(id);
    if (!signer) {
      signer = (async () => {
        const key = await importKey(this.key(id));
        if ('problem' in key) throw new RehearsalSetupError(`the private key of "${id}" cannot be used: ${key.problem}`);
        return { certificate: await parseX509(firstBlock(this.material(id).certificatePem)), key };
      })();
      this.signers.set(id, signer);
    }
    return signer;
  }

  /** The certificate's PEM with its first certificate replaced by a copy that expired yesterday, signed by `signer`. */
  expiredCopy(id: string, signerId: string): Promise<string> {
    const cacheKey = `${id}\n${signerId}`;
    let copy = this.expired.get(cacheKey);
    if (!copy) {
      copy = (async () => {
        const blocks = splitPem(this.material(id).certificatePem).certificates;
        const now = Date.now();
        const signer = await this.signer(signerId);
        const copied = await copyWithValidity(blocks[0]!, signer, new Date(now - 31 * DAY_MS), new Date(now - DAY_MS));
        return [copied.toString('pem'), ...blocks.slice(1)].map(withNewline).join('');
      })();
      this.expired.set(cacheKey, copy);
    }
    return copy;
  }

  /** A client certificate (clientAuth) issued by a CA made for this run, which no design trusts. */
  otherCaClient(): Promise<{ certificatePem: string; keyPem: string }> {
    this.otherClient ??= (async () => {
      const now = Date.now();
      const validity = { notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + DAY_MS) };
      const caKey: KeyMaterial = await generateKey(RSA_2048);
      const ca = await issueCertificate({ profile: 'ca', subject: devSubject('rehearsal', 'Another CA'), key: caKey, ...validity });
      const key = await generateKey(RSA_2048);
      const leaf = await issueCertificate({ profile: 'client', subject: devSubject('rehearsal', 'client of another CA'), key, issuer: { certificate: ca, key: caKey }, ...validity });
      return { certificatePem: withNewline(leaf.toString('pem')) + withNewline(ca.toString('pem')), keyPem: key.pem };
    })();
    return this.otherClient;
  }

  /** The callee's TLS server options for a case. */
  async serverOptions(edge: PlannedEdge, kind: CaseKind): Promise<TlsOptions> {
    const { server } = edge;
    const cert = kind === 'expired-server-certificate' ? await this.expiredCopy(server.certificate, server.certificateSigner) : this.material(server.certificate).certificatePem;
    const verification = server.clientVerification;
    return {
      key: this.key(server.certificate),
      cert,
      minVersion: server.minVersion,
      requestCert: verification !== undefined,
      rejectUnauthorized: false, // applied in the secureConnection callback, with the reason (see the module comment)
      ...(verification && verification.mode !== 'optional_no_ca' ? { ca: this.ca(verification.trust) } : {}),
    };
  }

  /** The caller's TLS client options for a case (without host and port). */
  async clientOptions(edge: PlannedEdge, kind: CaseKind): Promise<ConnectionOptions & { servername: string }> {
    const { client } = edge;
    let servername = client.servername;
    if (kind === 'wrong-host') {
      const sans = parseCertificate(firstBlock(this.material(edge.server.certificate).certificatePem)).dnsNames;
      servername = wrongHostFor(sans);
    }
    let identity: { cert: string; key: string } | undefined;
    if (kind === 'other-ca-client-certificate') {
      const other = await this.otherCaClient();
      identity = { cert: other.certificatePem, key: other.keyPem };
    } else if (kind !== 'no-client-certificate' && client.clientCertificate) {
      const cert =
        kind === 'expired-client-certificate'
          ? await this.expiredCopy(client.clientCertificate, client.clientCertificateSigner!)
          : this.material(client.clientCertificate).certificatePem;
      identity = { cert, key: this.key(client.clientCertificate) };
    }
    return {
      ca: this.ca(client.trust),
      servername,
      minVersion: client.minVersion,
      ...(identity ?? {}),
      // Both checks are made in the secureConnect callback, each with its own reason (see the module comment).
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    };
  }
}

/** Runs every case of the plan, one handshake at a time. */
export async function runRehearsal(plan: RehearsalPlan, materials: RehearsalMaterials, options: RehearsalOptions = {}): Promise<RehearsalReport> {
  const kit = new RehearsalKit(materials);
  kit.check(plan);
  const results: CaseResult[] = [];
  const add = (r: CaseResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  for (const edge of plan.edges) {
    for (const planned of edge.cases) {
      const [server, client] = await Promise.all([kit.serverOptions(edge, planned.kind), kit.clientOptions(edge, planned.kind)]);
      const focus = planned.kind === 'wrong-host' ? 'name' : 'chain';
      const outcome = await handshake(server, client, edge, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, planned.judge, focus);
      add(judge(edge, planned, outcome));
    }
  }
  for (const u of plan.unplanned) add(unplannedResult(u));
  const passed = results.filter((r) => r.pass).length;
  return { results, summary: { cases: results.length, passed, failed: results.length - passed } };
}

export function unplannedResult(u: UnplannedEdge): CaseResult {
  return {
    edge: u.id,
    type: u.type,
    from: u.from,
    to: u.to,
    kind: 'setup',
    title: 'rehearsable',
    expected: 'accepted',
    got: 'not run',
    pass: false,
    reason: 'not-rehearsable',
    detail: u.problem,
  };
}

// ---------------------------------------------------------------- one handshake

export interface HandshakeOutcome {
  readonly accepted: boolean;
  readonly reason: Reason;
  readonly code?: string;
  readonly by?: 'caller' | 'callee';
}

/**
 * One connection between a server and a client configured as given, on 127.0.0.1 and an ephemeral port.
 * `edge` says how the two sides judge certificates (client verification mode and depth; chain and name checks).
 */
export function handshake(
  serverOptions: TlsOptions,
  clientOptions: ConnectionOptions & { servername: string },
  edge: Pick<PlannedEdge, 'server' | 'client'>,
  timeoutMs: number,
  judge: Judge = 'both',
  focus: 'chain' | 'name' = 'chain',
): Promise<HandshakeOutcome> {
  return new Promise((resolvePromise) => {
    const verification = edge.server.clientVerification;
    let calleeRefusal: { code: string; reason: Reason } | undefined;
    let callerRefusal: { code: string; reason: Reason } | undefined;
    let callerAccepted = false;
    let serverError: string | undefined;
    let clientError: string | undefined;
    let received = '';
    let settled = false;
    const sockets = new Set<Socket>();
    let timer: NodeJS.Timeout | undefined;
    let client: TLSSocket | undefined;

    const server = createServer(serverOptions, (socket) => {
      const refusal = verification ? judgeClientCertificate(socket, verification.mode, verification.verifyDepth) : undefined;
      if (refusal) {
        calleeRefusal = refusal;
        socket.destroy();
        return;
      }
      socket.on('error', () => undefined);
      socket.end(ANSWER);
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('tlsClientError', (e: NodeJS.ErrnoException) => {
      serverError ??= e.code ?? e.message;
    });

    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      client?.destroy();
      for (const s of sockets) s.destroy();
      server.close();
      let outcome: HandshakeOutcome;
      if (callerRefusal) outcome = { accepted: false, ...callerRefusal, by: 'caller' };
      else if (judge === 'caller' && callerAccepted) outcome = { accepted: true, reason: 'accepted' };
      else if (received.includes(ANSWER.trim())) outcome = { accepted: true, reason: 'accepted' };
      else if (calleeRefusal) outcome = { accepted: false, ...calleeRefusal, by: 'callee' };
      else if (timedOut) outcome = { accepted: false, reason: 'timeout', code: 'ETIMEDOUT' };
      else if (clientError) outcome = { accepted: false, reason: reasonOfTransportError(clientError), code: clientError, by: 'callee' };
      else if (serverError) outcome = { accepted: false, reason: reasonOfTransportError(serverError), code: serverError, by: 'caller' };
      else outcome = { accepted: false, reason: 'connection-closed' };
      resolvePromise(outcome);
    };

    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      timer = setTimeout(() => finish(true), timeoutMs);
      const socket = connect({ ...clientOptions, host: '127.0.0.1', port });
      client = socket;
      socket.setEncoding('utf8');
      socket.on('secureConnect', () => {
        let chain: { code: string; reason: Reason } | undefined;
        let name: { code: string; reason: Reason } | undefined;
        const chainError = socket.authorized ? undefined : socket.authorizationError;
        if (edge.client.verifyChain && chainError) {
          const code = String(chainError);
          chain = { code, reason: reasonOfServerCertificateError(code) };
        }
        if (edge.client.verifyName) {
          const error = checkServerIdentity(clientOptions.servername, socket.getPeerCertificate()) as (Error & { code?: string }) | undefined;
          if (error) {
            const code = error.code ?? 'ERR_TLS_CERT_ALTNAME_INVALID';
            name = { code, reason: reasonOfServerCertificateError(code) };
          }
        }
        // Node reports the chain before the name; the wrong-host case is about the name, whatever the chain.
        const refusal = focus === 'name' ? (name ?? chain) : (chain ?? name);
        if (!refusal) {
          callerAccepted = true;
        } else if (judge !== 'callee') {
          callerRefusal = refusal;
          socket.destroy();
        }
      });
      socket.on('data', (chunk: string) => {
        received += chunk;
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        clientError ??= e.code ?? e.message;
      });
      socket.on('close', () => {
        // Let the server's callbacks for this connection run first: they hold the callee's reason.
        setImmediate(() => finish(false));
      });
    });
    server.on('error', (e: NodeJS.ErrnoException) => {
      serverError ??= e.code ?? e.message;
      finish(false);
    });
  });
}

/** The callee's verdict on the client certificate of a connection, or undefined to accept it. */
function judgeClientCertificate(socket: TLSSocket, mode: 'on' | 'optional' | 'optional_no_ca', verifyDepth: number): { code: string; reason: Reason } | undefined {
  if (mode === 'optional_no_ca') return undefined;
  const peer = socket.getPeerCertificate(true);
  const sent = peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
  if (!sent) return mode === 'on' ? { code: 'NO_CLIENT_CERTIFICATE', reason: 'client-certificate-required' } : undefined;
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    return { code, reason: reasonOfClientCertificateError(code) };
  }
  if (intermediatesOf(peer as PeerCertificate & { issuerCertificate?: PeerCertificate }) > verifyDepth) {
    return { code: 'CERT_CHAIN_TOO_LONG', reason: 'client-chain-too-long' };
  }
  return undefined;
}

/** How many CA certificates sit between a verified peer certificate and its self-signed root (Node links them through issuerCertificate). */
function intermediatesOf(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): number {
  const seen = new Set<string>();
  let count = 0;
  let cert: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  let selfSignedTop = false;
  while (cert && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    count++;
    const up: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = cert.issuerCertificate;
    if (!up || up.fingerprint256 === cert.fingerprint256) {
      selfSignedTop = up?.fingerprint256 === cert.fingerprint256;
      break;
    }
    cert = up;
  }
  // count = leaf + intermediates (+ root when it closes the chain).
  return Math.max(0, count - 1 - (selfSignedTop && count > 1 ? 1 : 0));
}

// ---------------------------------------------------------------- verdicts

function judge(edge: PlannedEdge, planned: PlannedCase, outcome: HandshakeOutcome): CaseResult {
  const got: Outcome = outcome.accepted ? 'accepted' : 'refused';
  const pass = planned.expect === 'accepted' ? outcome.accepted : !outcome.accepted && planned.reasons.includes(outcome.reason);
  const base = {
    edge: edge.id,
    type: edge.type,
    from: edge.from,
    to: edge.to,
    kind: planned.kind,
    title: planned.title,
    expected: planned.expect,
    got,
    pass,
    reason: outcome.reason,
    ...(outcome.code ? { code: outcome.code } : {}),
    ...(outcome.by ? { by: outcome.by } : {}),
  };
  return { ...base, detail: describe(edge, planned, outcome, pass) };
}

function describe(edge: PlannedEdge, planned: PlannedCase, outcome: HandshakeOutcome, pass: boolean): string {
  const caller = `"${edge.from}"`;
  const callee = `"${edge.to}"`;
  if (outcome.accepted) {
    if (pass) {
      const client = edge.client.clientCertificate && edge.server.clientVerification ? `; client certificate "${edge.client.clientCertificate}" verified` : '';
      return `${REASON_TEXT.accepted}${client}`;
    }
    return `accepted, but must be refused: ${whyAccepted(edge, planned.kind)}`;
  }
  const who = outcome.by === 'caller' ? `refused by the caller ${caller}` : outcome.by === 'callee' ? `refused by the callee ${callee}` : 'refused';
  const code = outcome.code ? ` (${outcome.code})` : '';
  const text = `${who}: ${REASON_TEXT[outcome.reason]}${code}`;
  if (pass) return text;
  if (planned.expect === 'refused') return `${text}; it must be refused because ${REASON_TEXT[planned.reasons[0] ?? 'error']}`;
  const hint = hintFor(edge, outcome.reason);
  return hint ? `${text}: ${hint}` : text;
}

function whyAccepted(edge: PlannedEdge, kind: CaseKind): string {
  const verification = edge.server.clientVerification;
  switch (kind) {
    case 'wrong-host':
      return edge.client.verifyName
        ? 'the server certificate covers any host name'
        : `the caller does not check the host name (validateCertificateName: false on edge "${edge.id}")`;
    case 'expired-server-certificate':
      return edge.client.verifyChain ? 'the expired certificate was accepted' : `the caller does not validate the certificate chain (validateCertificateChain: false on edge "${edge.id}")`;
    case 'no-client-certificate':
    case 'other-ca-client-certificate':
    case 'expired-client-certificate':
      if (!verification) return `${edge.server.noClientVerification ?? 'the callee does not ask for client certificates'}`;
      if (verification.mode === 'optional_no_ca') return `the ingress of "${edge.to}" has verifyClient optional_no_ca: it accepts any client certificate without verifying it`;
      if (verification.mode === 'optional' && kind === 'no-client-certificate') return `the ingress of "${edge.to}" has verifyClient optional: a caller without a client certificate gets through`;
      return 'the callee accepted it';
    case 'expected':
      return '';
  }
}

function hintFor(edge: PlannedEdge, reason: Reason): string | undefined {
  switch (reason) {
    case 'client-certificate-required':
      return edge.client.clientCertificate
        ? undefined
        : `edge "${edge.id}" is ${edge.type}, so ${JSON.stringify(edge.from)} sends no client certificate, but ${edge.server.clientVerification ? `the ingress of "${edge.to}" requires one` : 'the callee requires one'}: make it an mtls edge with a clientCertificate`;
    case 'client-certificate-untrusted':
      return edge.server.clientVerification
        ? `the ingress trusts ${edge.server.clientVerification.trust.caIds.map((id) => `"${id}"`).join(', ')}${edge.server.clientVerification.trust.derived ? ' (derived)' : ' (clientCa)'}; issue "${edge.client.clientCertificate ?? 'the client certificate'}" from one of them, or change the ingress's clientCa`
        : undefined;
    case 'server-certificate-untrusted':
      return `the caller trusts ${edge.client.trust.caIds.map((id) => `"${id}"`).join(', ')}${edge.client.trust.derived ? ' (derived from the server certificate)' : ' (trustedCa)'}; the server certificate "${edge.server.certificate}" must be issued under it`;
    case 'server-name-mismatch':
      return `the caller calls ${edge.client.servername}; add it to the dnsNames of "${edge.server.certificate}" and issue it again`;
    case 'server-certificate-purpose':
      return `issue "${edge.server.certificate}" again with the serverAuth extended key usage`;
    case 'client-certificate-purpose':
      return `issue "${edge.client.clientCertificate ?? 'the client certificate'}" again with the clientAuth extended key usage`;
    case 'client-chain-too-long':
      return `raise verifyDepth of the ingress of "${edge.to}" (${edge.server.clientVerification?.verifyDepth ?? 1}) to the number of intermediate CAs of the client certificate`;
    case 'server-certificate-expired':
    case 'client-certificate-expired':
      return 'renew it (gatewright certs dev issues expired development certificates again)';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- helpers

function firstBlock(pem: string): string {
  const block = splitPem(pem).certificates[0];
  if (!block) throw new RehearsalSetupError('a certificate file holds no certificate');
  return withNewline(block);
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
