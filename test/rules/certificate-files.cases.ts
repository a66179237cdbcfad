/**
 * Fixtures of the certificate-file rules (GW250-GW263). The certificates are real, made at test time (test/helpers/pki.ts),
 * which is asynchronous; this project's tests run as CommonJS under tsx, where top-level await is not available, so the
 * cases come from `loadCertificateFileCases()` (made once per process) instead of a constant.
 *
 * The passing fixture is the reference design with a `file` on each of its five certificates and matching PEMs:
 * a private root CA (internal-ca), a public listener certificate with its issuing CA as chain (gateway-tls), two
 * internal server certificates (apim-tls, ingress-tls) and the mTLS client certificate (apim-client). Each failing
 * fixture breaks one thing.
 */
import type { Document } from 'yaml';
import type { CertificateFile } from '../../src/model/design-index.js';
import type { RuleCase } from './case.js';
import { mutate, mutateReference, setAt } from '../helpers/reference.js';
import {
  bundle,
  clientCertificate,
  EC_P256,
  filesOf,
  generateKeys,
  intermediateCa,
  issue,
  privateKeyPem,
  rootCa,
  RSA_2048,
  serverCertificate,
  type Issued,
  type KeyPair,
} from '../helpers/pki.js';

/** The ids of the reference design's certificates, with the file each gets in the passing fixture. */
export const FILE_PATHS = {
  'internal-ca': 'certs/internal-ca.pem',
  'gateway-tls': 'certs/gateway-tls.pem',
  'apim-tls': 'certs/apim-tls.pem',
  'ingress-tls': 'certs/ingress-tls.pem',
  'apim-client': 'certs/apim-client.pem',
} as const;
export type CertId = keyof typeof FILE_PATHS;

/** The validator's clock in the shared fixtures (test/rules/case.ts). */
export const NOW = new Date('2026-11-27T12:00:00Z');
/** internal-ca's expiry, the reference design's notAfter: "2035-12-31". */
export const ROOT_NOT_AFTER = new Date('2035-12-31T23:59:59Z');

export interface Pki {
  readonly keys: { readonly root: KeyPair; readonly publicRoot: KeyPair; readonly publicIssuing: KeyPair; readonly leaf: KeyPair; readonly other: KeyPair; readonly ec: KeyPair };
  /** internal-ca: self-signed, CA:TRUE, RSA 2048, until 2035-12-31. */
  readonly internalCa: Issued;
  /** A public root and the issuing CA under it that issued gateway-tls. */
  readonly publicRoot: Issued;
  readonly publicIssuing: Issued;
  readonly gateway: Issued;
  readonly apimTls: Issued;
  readonly ingressTls: Issued;
  readonly apimClient: Issued;
  /** The PEM of each certificate's file in the passing fixture. */
  readonly pems: Record<CertId, string>;
}

let pkiPromise: Promise<Pki> | undefined;

/** The test PKI, made once per process. */
export function loadPki(): Promise<Pki> {
  pkiPromise ??= (async () => {
    const [root, publicRoot, publicIssuing, leaf, other, ec] = await Promise.all([
      generateKeys(RSA_2048),
      generateKeys(RSA_2048),
      generateKeys(RSA_2048),
      generateKeys(RSA_2048),
      generateKeys(RSA_2048),
      generateKeys(EC_P256),
    ]);
    const internalCa = await rootCa('Contoso Internal CA', { key: root, notAfter: ROOT_NOT_AFTER });
    const publicRootCa = await rootCa('Public Test Root', { key: publicRoot, notAfter: new Date('2040-01-01T00:00:00Z') });
    const publicIssuingCa = await intermediateCa('Public Test Issuing CA', publicRootCa, { key: publicIssuing, notAfter: new Date('2030-01-01T00:00:00Z') });
    const gateway = await serverCertificate(publicIssuingCa, ['api.contoso.com'], { key: leaf });
    const apimTls = await serverCertificate(internalCa, ['gateway.internal.contoso.com'], { key: leaf });
    const ingressTls = await serverCertificate(internalCa, ['orders.internal.contoso.com'], { key: leaf });
    const apimClient = await clientCertificate(internalCa, 'apim-client', { key: leaf });
    return {
      keys: { root, publicRoot, publicIssuing, leaf, other, ec },
      internalCa,
      publicRoot: publicRootCa,
      publicIssuing: publicIssuingCa,
      gateway,
      apimTls,
      ingressTls,
      apimClient,
      pems: {
        'internal-ca': internalCa.pem,
        'gateway-tls': bundle(gateway.pem, publicIssuingCa.pem),
        'apim-tls': apimTls.pem,
        'ingress-tls': ingressTls.pem,
        'apim-client': apimClient.pem,
      },
    };
  })();
  return pkiPromise;
}

/** Sets `file` on each of the reference design's certificates. */
export function withFiles(doc: Document): void {
  for (const [id, path] of Object.entries(FILE_PATHS)) setAt(doc, ['certificates', id, 'file'], path);
}

/** The reference design with files: the passing fixture of every certificate-file rule. */
export const REFERENCE_WITH_FILES = mutateReference(withFiles);

/** REFERENCE_WITH_FILES changed further. */
export function mutateWithFiles(change: (doc: Document) => void): string {
  return mutate(REFERENCE_WITH_FILES, change);
}

/** The files of the passing fixture, with some replaced (by certificate id). */
export function passFiles(pki: Pki, replace: Partial<Record<CertId, string | CertificateFile>> = {}): Map<string, CertificateFile> {
  const entries: Record<string, string | CertificateFile> = {};
  for (const [id, path] of Object.entries(FILE_PATHS) as [CertId, string][]) entries[path] = replace[id] ?? pki.pems[id];
  return filesOf(entries);
}

let casesPromise: Promise<RuleCase[]> | undefined;

/** The RuleCases of GW250-GW263, made once per process. */
export function loadCertificateFileCases(): Promise<RuleCase[]> {
  casesPromise ??= makeCases();
  return casesPromise;
}


async function makeCases(): Promise<RuleCase[]> {
  const pki = await loadPki();
  const { internalCa, keys } = pki;
  const good = passFiles(pki);
  const cert = (id: CertId) => ({ kind: 'certificate' as const, id });

  const expiredIngress = await serverCertificate(internalCa, ['orders.internal.contoso.com'], {
    key: keys.leaf,
    notBefore: new Date('2025-10-01T00:00:00Z'),
    notAfter: new Date('2026-10-01T00:00:00Z'),
  });
  const internalCaUnderPublicRoot = await intermediateCa('Contoso Internal CA', pki.publicRoot, { key: keys.root, notAfter: ROOT_NOT_AFTER });
  const otherCa = await rootCa('Other CA', { key: keys.other });
  const apimTlsFromOtherCa = await serverCertificate(otherCa, ['gateway.internal.contoso.com'], { key: keys.leaf });
  const ingressWrongName = await serverCertificate(internalCa, ['other.internal.contoso.com'], { key: keys.leaf });
  const clientWithServerAuth = await clientCertificate(internalCa, 'apim-client', { key: keys.leaf, usages: ['serverAuth'] });
  const selfSignedLeafAsCa = await issue({ cn: 'Contoso Internal CA', key: keys.root, ca: false, notAfter: ROOT_NOT_AFTER });
  const apimTlsEc = await serverCertificate(internalCa, ['gateway.internal.contoso.com'], { key: keys.ec });
  const ingressOutlivingCa = await serverCertificate(internalCa, ['orders.internal.contoso.com'], {
    key: keys.leaf,
    notAfter: new Date('2036-06-30T00:00:00Z'),
  });

  return [
    {
      rule: 'GW250',
      title: 'a certificate file path climbs out of the workspace',
      pass: REFERENCE_WITH_FILES,
      fail: mutateWithFiles((d) => setAt(d, ['certificates', 'internal-ca', 'file'], '../secrets/internal-ca.pem')),
      files: good,
      target: cert('internal-ca'),
      message: 'leaves the workspace',
    },
    {
      rule: 'GW251',
      title: 'the client certificate file also holds its private key',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'apim-client': bundle(pki.apimClient.pem, privateKeyPem(keys.leaf)) }),
      target: cert('apim-client'),
      message: 'holds a private key',
    },
    {
      rule: 'GW252',
      title: 'the ingress certificate file cannot be read',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'ingress-tls': { status: 'unreadable', reason: 'no such file (looked for /work/certs/ingress-tls.pem)' } }),
      target: cert('ingress-tls'),
      message: 'cannot be read: no such file',
    },
    {
      rule: 'GW253',
      title: 'the ingress certificate file expired',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'ingress-tls': expiredIngress.pem }),
      target: cert('ingress-tls'),
      message: 'expired on 2026-10-01',
    },
    {
      rule: 'GW254',
      title: 'internal-ca is declared self-signed but its file was issued by another CA',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'internal-ca': internalCaUnderPublicRoot.pem }),
      target: cert('internal-ca'),
      message: 'is declared self-signed (issuer: self), but the certificate in file "certs/internal-ca.pem" was issued by "CN=Public Test Root',
    },
    {
      rule: 'GW255',
      title: "the API Management certificate file was issued by a CA other than internal-ca's file",
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'apim-tls': apimTlsFromOtherCa.pem }),
      target: cert('apim-tls'),
      message: 'was issued by "CN=Other CA, O=Gatewright Tests", not by "internal-ca"',
    },
    {
      rule: 'GW256',
      title: 'the chain in the gateway certificate file skips the issuing CA',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'gateway-tls': bundle(pki.gateway.pem, pki.publicRoot.pem) }),
      target: cert('gateway-tls'),
      message: 'did not issue certificate 1',
    },
    {
      rule: 'GW257',
      title: 'the ingress certificate file is for another host name',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'ingress-tls': ingressWrongName.pem }),
      target: cert('ingress-tls'),
      message: 'does not cover orders.internal.contoso.com (listed in dnsNames); its names are other.internal.contoso.com',
    },
    {
      rule: 'GW258',
      title: 'the client certificate file allows serverAuth only',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'apim-client': clientWithServerAuth.pem }),
      target: cert('apim-client'),
      message: 'allows only serverAuth, not clientAuth',
    },
    {
      rule: 'GW259',
      title: 'the internal CA file is not a CA certificate',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'internal-ca': selfSignedLeafAsCa.pem }),
      target: cert('internal-ca'),
      message: 'is not a CA certificate',
    },
    {
      rule: 'GW260',
      title: 'the API Management certificate file has an EC key where the design says RSA 2048',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'apim-tls': apimTlsEc.pem }),
      target: cert('apim-tls'),
      message: 'has an EC P-256 key; set keyAlgorithm: EC and keySize: 256',
    },
    {
      rule: 'GW261',
      title: "internal-ca's notAfter disagrees with its file",
      pass: REFERENCE_WITH_FILES,
      fail: mutateWithFiles((d) => setAt(d, ['certificates', 'internal-ca', 'notAfter'], '2034-12-31')),
      files: good,
      target: cert('internal-ca'),
      message: 'gives notAfter 2034-12-31, but the certificate in file "certs/internal-ca.pem" expires on 2035-12-31',
    },
    {
      rule: 'GW262',
      title: 'the ingress certificate file outlives internal-ca',
      pass: REFERENCE_WITH_FILES,
      fail: REFERENCE_WITH_FILES,
      passFiles: good,
      failFiles: passFiles(pki, { 'ingress-tls': ingressOutlivingCa.pem }),
      target: cert('ingress-tls'),
      message: 'expires on 2036-06-30, after its issuer "internal-ca" (2035-12-31)',
    },
    {
      rule: 'GW263',
      title: 'two certificates name the same file',
      pass: REFERENCE_WITH_FILES,
      fail: mutateWithFiles((d) => setAt(d, ['certificates', 'apim-tls', 'file'], 'certs/ingress-tls.pem')),
      files: good,
      target: cert('ingress-tls'),
      message: 'certificates "apim-tls" and "ingress-tls" both name file "certs/ingress-tls.pem"',
    },
  ];
}
