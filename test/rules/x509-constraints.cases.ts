/**
 * Fixtures of the CA constraint rules (GW430-GW431), with real certificates made at test time: the reference design
 * with files (certificate-files.cases.ts), its root CA reissued with a path length or name constraints.
 */
import type { RuleCase } from './case.js';
import { append, setAt } from '../helpers/reference.js';
import { filesOf, intermediateCa, rootCa, x509, type Issued } from '../helpers/pki.js';
import { loadPki, mutateWithFiles, passFiles, REFERENCE_WITH_FILES, ROOT_NOT_AFTER, type Pki } from './certificate-files.cases.js';

/** DER of one element: tag, definite length, content. */
function der(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  return Uint8Array.from([...head, ...content]);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** The value of a nameConstraints extension with dNSName subtrees (RFC 5280 §4.2.1.10). */
export function nameConstraintsValue(permitted: readonly string[], excluded: readonly string[] = []): Uint8Array {
  const subtrees = (names: readonly string[]) => concat(...names.map((n) => der(0x30, der(0x82, new TextEncoder().encode(n)))));
  const parts: Uint8Array[] = [];
  if (permitted.length) parts.push(der(0xa0, subtrees(permitted)));
  if (excluded.length) parts.push(der(0xa1, subtrees(excluded)));
  return der(0x30, concat(...parts));
}

/** internal-ca reissued with the same key and name, and name constraints. */
export async function constrainedRoot(pki: Pki, permitted: readonly string[], excluded: readonly string[] = []): Promise<Issued> {
  const lib = await x509();
  const ext = new lib.Extension('2.5.29.30', true, new Uint8Array(nameConstraintsValue(permitted, excluded)));
  return rootCa('Contoso Internal CA', { key: pki.keys.root, notAfter: ROOT_NOT_AFTER, extensions: [ext] });
}

const ISSUING_CA = { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv', file: 'certs/issuing-ca.pem', notAfter: '2030-01-01' };

let casesPromise: Promise<RuleCase[]> | undefined;

export function loadX509ConstraintCases(): Promise<RuleCase[]> {
  casesPromise ??= makeCases();
  return casesPromise;
}

async function makeCases(): Promise<RuleCase[]> {
  const pki = await loadPki();
  const rootPathLen0 = await rootCa('Contoso Internal CA', { key: pki.keys.root, notAfter: ROOT_NOT_AFTER, pathLength: 0 });
  const issuingUnderLimit = await intermediateCa('Contoso Issuing CA', rootPathLen0, { key: pki.keys.other, notAfter: new Date('2030-01-01T00:00:00Z') });
  const withIssuing = mutateWithFiles((d) => append(d, 'certificates', ISSUING_CA));
  const internalRoot = await constrainedRoot(pki, ['internal.contoso.com']);
  const clientOnlyRoot = await rootCa('Contoso Internal CA', { key: pki.keys.root, notAfter: ROOT_NOT_AFTER, usages: ['clientAuth'] });
  const bothRoot = await rootCa('Contoso Internal CA', { key: pki.keys.root, notAfter: ROOT_NOT_AFTER, usages: ['serverAuth', 'clientAuth'] });
  const paymentsRoot = await constrainedRoot(pki, ['payments.contoso.com']);

  return [
    {
      rule: 'GW430',
      title: 'an intermediate CA under a root that allows none (pathlen:0)',
      pass: REFERENCE_WITH_FILES,
      passFiles: passFiles(pki),
      fail: withIssuing,
      failFiles: filesOf({ ...Object.fromEntries(passFiles(pki, { 'internal-ca': rootPathLen0.pem })), 'certs/issuing-ca.pem': issuingUnderLimit.pem }),
      target: { kind: 'certificate', id: 'issuing-ca' },
      message: 'CA "issuing-ca" is issued by CA "internal-ca", whose file "certs/internal-ca.pem" allows no intermediate CA below it (pathlen:0)',
    },
    {
      rule: 'GW431',
      title: 'the root CA permits only names the internal certificates do not have',
      pass: REFERENCE_WITH_FILES,
      passFiles: passFiles(pki, { 'internal-ca': internalRoot.pem }),
      fail: REFERENCE_WITH_FILES,
      failFiles: passFiles(pki, { 'internal-ca': paymentsRoot.pem }),
      target: { kind: 'certificate', id: 'apim-tls' },
      message: 'the file of "apim-tls" names gateway.internal.contoso.com, outside the names it permits (payments.contoso.com) by the name constraints of CA "internal-ca"',
    },
    {
      rule: 'GW432',
      title: 'the root CA file allows clientAuth only, and issues server certificates',
      pass: REFERENCE_WITH_FILES,
      passFiles: passFiles(pki, { 'internal-ca': bothRoot.pem }),
      fail: REFERENCE_WITH_FILES,
      failFiles: passFiles(pki, { 'internal-ca': clientOnlyRoot.pem }),
      target: { kind: 'certificate', id: 'apim-tls' },
      message: 'server certificate "apim-tls" is issued under CA "internal-ca", whose file "certs/internal-ca.pem" limits its extended key usage to clientAuth without serverAuth',
    },
    {
      rule: 'GW433',
      title: 'a 1024-bit RSA key',
      pass: REFERENCE_WITH_FILES,
      fail: mutateWithFiles((d) => setAt(d, ['certificates', 'apim-client', 'keySize'], 1024)),
      target: { kind: 'certificate', id: 'apim-client' },
      message: 'certificate "apim-client" has keySize 1024 for RSA, which Key Vault does not accept (RSA 2048, 3072, 4096); use 2048',
    },
  ];
}


