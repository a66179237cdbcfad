/**
 * The real certificate files a design names (certificate `file`), read with Node's X509Certificate and checked
 * against what the design says: issuer and signature, names, key usage, CA constraint, validity, key type,
 * declared expiry. A file that holds a private key is an error, and nothing of the file is ever echoed.
 * The caller (CLI, extension) reads the files and hands them in (RuleContext.files); a file it did not hand in is
 * not judged. Each file is parsed once per validation (src/validation/x509/files.ts).
 */
import type { Certificate, DesignNode } from '../../schemas/design.js';
import { dnsNameCovers, tlsEndpointOf } from '../../model/trust.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule, type RuleSource } from '../rule.js';
import {
  issuedBy,
  isoDay,
  OID_ANY_EXTENDED_KEY_USAGE,
  OID_CLIENT_AUTH,
  OID_SERVER_AUTH,
  type ParsedCertificate,
} from '../x509/certificate.js';
import { describeFile, fileReadingOf, normalizeWorkspacePath, parsedFileOf, workspacePathProblem, type FileReading } from '../x509/files.js';
import { describePrivateKey } from '../x509/pem.js';

const SPEC: RuleSource = { tool: 'Gatewright', ref: 'design format v1, "Certificates": file' };
const RFC5280 = (section: string, title: string): RuleSource => ({
  tool: 'Gatewright',
  ref: `RFC 5280 §${section} ${title}`,
  url: `https://www.rfc-editor.org/rfc/rfc5280#section-${section}`,
});

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days of validity left under which a certificate is reported as expiring (PSRule Azure.APIM.CertificateExpiry). */
export const EXPIRY_WARNING_DAYS = 30;

type Parsed = Extract<FileReading, { kind: 'parsed' }>;

/** Every certificate (first of each id) whose file was read and parsed, with its reading. */
function* parsedCertificates(ctx: RuleContext): Generator<[Certificate, Parsed]> {
  for (const cert of ctx.certificates.values()) {
    const reading = parsedFileOf(ctx, cert);
    if (reading) yield [cert, reading];
  }
}

/** The parsed file of the CA a certificate's design `issuer` names, when it is a certificate id with a file. */
function issuerFileOf(ctx: RuleContext, cert: Certificate): { ca: Certificate; reading: Parsed } | undefined {
  if (cert.issuer === 'self' || cert.issuer === 'external') return undefined;
  const ca = ctx.certificates.get(cert.issuer);
  const reading = ca && ca.id !== cert.id ? parsedFileOf(ctx, ca) : undefined;
  return ca && reading ? { ca, reading } : undefined;
}

const caIndexCache = new WeakMap<RuleContext, Map<string, [Certificate, Parsed][]>>();

/** The design's certificates with a parsed file, by the subject of that file's certificate: built once per validation. */
function bySubject(ctx: RuleContext): Map<string, [Certificate, Parsed][]> {
  let index = caIndexCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const entry of parsedCertificates(ctx)) {
      const list = index.get(entry[1].leaf.subject);
      if (list) list.push(entry);
      else index.set(entry[1].leaf.subject, [entry]);
    }
    caIndexCache.set(ctx, index);
  }
  return index;
}

/** The id of another design certificate whose file really issued this certificate's file, if there is one. */
function realIssuerId(ctx: RuleContext, cert: Certificate, leaf: ParsedCertificate): string | undefined {
  for (const [candidate, reading] of bySubject(ctx).get(leaf.issuer) ?? []) {
    if (candidate.id !== cert.id && issuedBy(leaf, reading.leaf) === 'yes') return candidate.id;
  }
  return undefined;
}

/** Host names of the nodes that present a certificate as their server certificate, built once per validation. */
const hostIndexCache = new WeakMap<RuleContext, Map<string, { node: DesignNode; host: string }[]>>();
function hostsUsing(ctx: RuleContext, certId: string): readonly { node: DesignNode; host: string }[] {
  let index = hostIndexCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const node of ctx.design.nodes) {
      const endpoint = tlsEndpointOf(node);
      if (!endpoint?.certificate || !endpoint.hostName) continue;
      const list = index.get(endpoint.certificate) ?? [];
      list.push({ node, host: endpoint.hostName });
      index.set(endpoint.certificate, list);
    }
    hostIndexCache.set(ctx, index);
  }
  return index.get(certId) ?? [];
}

const USAGE_NAMES: Record<string, string> = {
  [OID_SERVER_AUTH]: 'serverAuth',
  [OID_CLIENT_AUTH]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [OID_ANY_EXTENDED_KEY_USAGE]: 'anyExtendedKeyUsage',
};

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp256k1: 'P-256K', secp384r1: 'P-384', secp521r1: 'P-521' };

function describeKey(key: ParsedCertificate['key']): string {
  if (key.algorithm === 'RSA') return `a ${key.size ?? 'unknown'}-bit RSA key`;
  if (key.algorithm === 'EC') return `an EC ${key.curve ? (CURVE_NAMES[key.curve] ?? key.curve) : 'unknown-curve'} key`;
  return `a key of type ${key.type}`;
}

function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export const CERTIFICATE_FILE_RULES: Rule[] = [
  defineRule({
    id: 'GW250',
    name: 'certificate-file-path',
    category: 'certificate',
    severity: 'error',
    title: 'A certificate file path is relative to the workspace',
    rationale:
      'The design is shared with a team and a pipeline: an absolute path, or one that climbs out of the workspace with "..", points at a file the others do not have and lets a design read files outside the project.',
    source: SPEC,
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (cert.file === undefined) continue;
        const problem = workspacePathProblem(cert.file);
        if (problem) {
          yield ctx.atCertificate(cert, `certificate "${cert.id}": file "${cert.file}" ${problem}, for example "certs/${cert.id}.pem"`, ['file']);
        }
      }
    },
  }),

  defineRule({
    id: 'GW251',
    name: 'certificate-file-private-key',
    category: 'certificate',
    severity: 'error',
    title: 'A certificate file holds no private key',
    rationale:
      'A design names the PUBLIC certificate only; its private key lives in Key Vault. A key in a file of the workspace ends up in version control and every clone of it, which compromises every connection the certificate protects.',
    source: { tool: 'Checkov', ref: 'CKV_SECRET_13 (Private Key)', url: 'https://www.checkov.io/5.Policy%20Index/secrets.html' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        const reading = fileReadingOf(ctx, cert);
        if (!reading || reading.privateKeys.length === 0) continue;
        const [first, ...more] = reading.privateKeys;
        const extra = more.length ? ` and ${more.length} more private key block${more.length > 1 ? 's' : ''}` : '';
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}": file "${reading.path}" holds ${describePrivateKey(first!)}${extra}; keep only the public certificate in it (the key belongs in Key Vault${cert.keyVault ? ` "${cert.keyVault}"` : ''}), and replace the key if the file was ever committed or shared`,
          ['file'],
        );
      }
    },
  }),

  defineRule({
    id: 'GW252',
    name: 'certificate-file-readable',
    category: 'certificate',
    severity: 'error',
    title: 'A certificate file can be read and holds a PEM certificate',
    rationale:
      'A certificate file the validator cannot read or parse cannot be checked against the design: a missing file, a binary DER file or a damaged PEM block hides every other certificate problem.',
    source: SPEC,
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        const reading = fileReadingOf(ctx, cert);
        if (!reading) continue;
        if (reading.kind === 'unreadable') {
          yield ctx.atCertificate(cert, `certificate "${cert.id}": file "${reading.path}" cannot be read: ${reading.reason}`, ['file']);
        } else if (reading.kind === 'invalid') {
          yield ctx.atCertificate(cert, `certificate "${cert.id}": file "${reading.path}" ${reading.reason}`, ['file']);
        } else {
          for (const problem of reading.problems) {
            yield ctx.atCertificate(cert, `certificate "${cert.id}": in file "${reading.path}", ${problem}`, ['file']);
          }
        }
      }
    },
  }),

  defineRule({
    id: 'GW253',
    name: 'certificate-file-validity',
    category: 'certificate',
    severity: 'error',
    title: 'A certificate file is valid now and not about to expire',
    rationale:
      'An expired or not yet valid certificate breaks every TLS connection that uses it. Thirty days is the margin PSRule for Azure requires for API Management custom-domain certificates; less than that is reported as a warning.',
    source: {
      tool: 'PSRule for Azure',
      ref: 'Azure.APIM.CertificateExpiry',
      url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.APIM.CertificateExpiry/',
    },
    *check(ctx) {
      const now = ctx.now;
      const today = isoDay(now);
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const entries: [ParsedCertificate, string][] = [[reading.leaf, `the certificate in ${describeFile(reading)}`]];
        reading.chain.forEach((c, i) =>
          entries.push([c, `chain certificate ${i + 2} of ${reading.count} ("${c.subject}") in file "${reading.path}"`]),
        );
        for (const [c, what] of entries) {
          const isLeaf = c === reading.leaf;
          if (c.notBefore && now < c.notBefore) {
            yield ctx.atCertificate(cert, `certificate "${cert.id}": ${what} is not valid before ${isoDay(c.notBefore)} (today is ${today}); use a certificate that is valid now`, ['file']);
          } else if (c.notAfter && now > c.notAfter) {
            yield ctx.atCertificate(cert, `certificate "${cert.id}": ${what} expired on ${isoDay(c.notAfter)}; renew it and replace the file`, ['file']);
          } else if (c.notAfter && c.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
            const days = daysBetween(now, c.notAfter);
            const renew = isLeaf && !cert.autoRenew ? '; renew it before then, or set autoRenew: true so Key Vault renews it' : '; renew it before then';
            yield ctx.atCertificate(
              cert,
              `certificate "${cert.id}": ${what} expires on ${isoDay(c.notAfter)}, in ${days} day${days === 1 ? '' : 's'} (less than ${EXPIRY_WARNING_DAYS})${renew}`,
              ['file'],
              { severity: 'warning' },
            );
          }
        }
      }
    },
  }),

  defineRule({
    id: 'GW254',
    name: 'certificate-file-self-signed',
    category: 'certificate',
    severity: 'error',
    title: 'A certificate file is self-signed exactly when the design says issuer: self',
    rationale:
      'The design derives trust from `issuer`: a caller trusts a self-signed certificate itself, and the issuing CA otherwise. A file that disagrees makes the generated trust stores hold the wrong certificate, and the TLS handshake fails.',
    source: RFC5280('6.1', 'Basic Path Validation'),
    fixable: true,
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const leaf = reading.leaf;
        const file = describeFile(reading);
        if (cert.issuer === 'self' && !leaf.selfSigned) {
          const realIssuer = realIssuerId(ctx, cert, leaf);
          const selfNamed = leaf.issuer === leaf.subject;
          const what = selfNamed
            ? `names itself as its issuer but its signature does not verify with its own key`
            : `was issued by "${leaf.issuer}"`;
          const hint = realIssuer
            ? `set issuer to "${realIssuer}", the CA whose file issued it`
            : 'set issuer to the id of the CA certificate that issued it, or use a self-signed certificate';
          yield ctx.atCertificate(cert, `certificate "${cert.id}" is declared self-signed (issuer: self), but the certificate in ${file} ${what}; ${hint}`, ['issuer'], {
            ...(realIssuer
              ? { fix: { title: `Set issuer to "${realIssuer}"`, operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['issuer'], value: realIssuer }] } }
              : {}),
          });
        } else if (cert.issuer !== 'self' && leaf.selfSigned) {
          const declared = cert.issuer === 'external' ? 'a public CA (issuer: external)' : `"${cert.issuer}"`;
          const root = cert.role === 'ca';
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" is declared as issued by ${declared}, but the certificate in ${file} is self-signed ("${leaf.subject}"); ${root ? 'set issuer: self if it is a root CA, or ' : ''}replace the file with the certificate ${cert.issuer === 'external' ? 'the public CA' : `"${cert.issuer}"`} issued`,
            ['issuer'],
            root
              ? { fix: { title: 'Declare it a self-signed root (issuer: self)', operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['issuer'], value: 'self' }] } }
              : {},
          );
        }
      }
    },
  }),

  defineRule({
    id: 'GW255',
    name: 'certificate-file-issuer',
    category: 'certificate',
    severity: 'error',
    title: "A certificate file was issued and signed by its issuer's file",
    rationale:
      'Where the issuing CA of the design has a file too, the certificate must name that CA as issuer and its signature must verify with the CA\'s public key; otherwise every party that trusts the CA (the ingress, API Management, Application Gateway) rejects it.',
    source: RFC5280('6.1', 'Basic Path Validation'),
    fixable: true,
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        if (reading.leaf.selfSigned) continue; // GW254
        const issuer = issuerFileOf(ctx, cert);
        if (!issuer) continue;
        const result = issuedBy(reading.leaf, issuer.reading.leaf);
        if (result === 'yes') continue;
        const caFile = `"${issuer.ca.id}" (file "${issuer.reading.path}", "${issuer.reading.leaf.subject}")`;
        if (result === 'cannot-issue') {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}": the certificate in ${describeFile(reading)} is signed by the key of ${caFile}, but that CA certificate's key usage does not allow signing certificates (keyCertSign), so the chain does not verify; reissue "${issuer.ca.id}" with keyCertSign`,
            ['file'],
          );
          continue;
        }
        if (result === 'bad-signature') {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}": the certificate in ${describeFile(reading)} names "${reading.leaf.issuer}" as its issuer, but its signature does not verify with the public key of ${caFile}: another key of the same name signed it; reissue it from "${issuer.ca.id}"`,
            ['file'],
          );
          continue;
        }
        const realIssuer = realIssuerId(ctx, cert, reading.leaf);
        const hint = realIssuer ? `set issuer to "${realIssuer}", whose file issued it` : `replace the file with a certificate "${issuer.ca.id}" issued`;
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}": the certificate in ${describeFile(reading)} was issued by "${reading.leaf.issuer}", not by ${caFile}; ${hint}`,
          ['issuer'],
          realIssuer
            ? { fix: { title: `Set issuer to "${realIssuer}"`, operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['issuer'], value: realIssuer }] } }
            : {},
        );
      }
    },
  }),

  defineRule({
    id: 'GW256',
    name: 'certificate-file-chain',
    category: 'certificate',
    severity: 'error',
    title: 'The chain after a certificate in its file is in order',
    rationale:
      'In a PEM with several certificates the first is the certificate and the rest its chain, each issued by the one after it (the order TLS servers send). A certificate out of order or from another chain makes servers send a chain clients cannot build.',
    source: { tool: 'Gatewright', ref: 'RFC 8446 §4.4.2 Certificate', url: 'https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2' },
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        let child = reading.leaf;
        for (let i = 0; i < reading.chain.length; i++) {
          const parent = reading.chain[i]!;
          const result = issuedBy(child, parent);
          if (result !== 'yes') {
            const what =
              result === 'other-issuer'
                ? `did not issue certificate ${i + 1} ("${child.subject}"), whose issuer is "${child.issuer}"`
                : result === 'bad-signature'
                  ? `has the right name but does not verify the signature of certificate ${i + 1} ("${child.subject}")`
                  : `signed certificate ${i + 1} ("${child.subject}") but its key usage does not allow signing certificates (keyCertSign)`;
            yield ctx.atCertificate(
              cert,
              `certificate "${cert.id}": file "${reading.path}" holds ${reading.count} certificates, the first being the certificate and the rest its chain, but certificate ${i + 2} ("${parent.subject}") ${what}; list each certificate's issuer right after it`,
              ['file'],
            );
            break;
          }
          child = parent;
        }
      }
    },
  }),

  defineRule({
    id: 'GW257',
    name: 'certificate-file-names',
    category: 'certificate',
    severity: 'error',
    title: "A server certificate file's names cover the design's names and hosts",
    rationale:
      'TLS clients match the host they call against the subject alternative names of the server certificate and ignore the common name when SANs are present (RFC 6125); API Management and Application Gateway validate the name by default. The file must cover every name the design lists and every host that presents it.',
    source: { tool: 'Gatewright', ref: 'RFC 6125 §6.4 Matching the DNS Domain Name Portion', url: 'https://www.rfc-editor.org/rfc/rfc6125#section-6.4' },
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        if (cert.role !== 'server') continue;
        const wanted: { name: string; from: string; path: (string | number)[] }[] = [];
        const seen = new Set<string>();
        cert.dnsNames.forEach((name, i) => {
          if (seen.has(name.toLowerCase())) return;
          seen.add(name.toLowerCase());
          wanted.push({ name, from: 'listed in dnsNames', path: ['dnsNames', i] });
        });
        for (const { node, host } of hostsUsing(ctx, cert.id)) {
          if (seen.has(host.toLowerCase())) continue;
          seen.add(host.toLowerCase());
          wanted.push({ name: host, from: `the host name of ${ctx.describe(node)}`, path: ['file'] });
        }
        if (wanted.length === 0) continue;
        const sans = reading.leaf.dnsNames;
        if (sans.length === 0) {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}": the certificate in ${describeFile(reading)} has no DNS subject alternative names, so clients cannot match it to ${wanted.map((w) => w.name).join(', ')} (they ignore the common name); reissue it with those names as subject alternative names`,
            ['file'],
          );
          continue;
        }
        for (const w of wanted) {
          if (sans.some((san) => dnsNameCovers(san, w.name))) continue;
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}": the certificate in ${describeFile(reading)} does not cover ${w.name} (${w.from}); its names are ${sans.join(', ')}: reissue it with ${w.name} as a subject alternative name`,
            w.path,
          );
        }
      }
    },
  }),

  defineRule({
    id: 'GW258',
    name: 'certificate-file-key-usage',
    category: 'certificate',
    severity: 'error',
    title: 'A server certificate file allows serverAuth, a client certificate file clientAuth',
    rationale:
      'A certificate whose extended key usage excludes the purpose it serves is rejected in the handshake: NGINX refuses a client certificate without clientAuth ("unsupported certificate purpose"), TLS clients a server certificate without serverAuth. Without the extension at all it is good for any purpose, which is accepted but should be narrowed.',
    source: RFC5280('4.2.1.12', 'Extended Key Usage'),
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        if (cert.role === 'ca') continue;
        const [oid, usage, use] =
          cert.role === 'server' ? [OID_SERVER_AUTH, 'serverAuth', 'a TLS server certificate'] : [OID_CLIENT_AUTH, 'clientAuth', 'a TLS client certificate'];
        const ekus = reading.leaf.extendedKeyUsages;
        const file = describeFile(reading);
        if (ekus === undefined) {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" has role ${cert.role}, but the certificate in ${file} has no extended key usage extension, which makes it good for any purpose; reissue it with ${usage} only`,
            ['file'],
            { severity: 'warning' },
          );
        } else if (!ekus.includes(oid) && !ekus.includes(OID_ANY_EXTENDED_KEY_USAGE)) {
          const allowed = ekus.length ? ekus.map((e) => USAGE_NAMES[e] ?? e).join(', ') : 'nothing';
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" has role ${cert.role}, but the certificate in ${file} allows only ${allowed}, not ${usage}: it is rejected as ${use}; reissue it with the ${usage} extended key usage`,
            ['file'],
          );
        }
      }
    },
  }),

  defineRule({
    id: 'GW259',
    name: 'certificate-file-basic-constraints',
    category: 'certificate',
    severity: 'error',
    title: 'A CA file is a CA certificate (CA:TRUE), a leaf file is not',
    rationale:
      'Certificates issued by a certificate without basicConstraints CA:TRUE do not verify, so a design CA whose file is a leaf breaks every chain under it. A server or client certificate that is itself a CA could issue certificates every party trusting its issuer would accept.',
    source: RFC5280('4.2.1.9', 'Basic Constraints'),
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const file = describeFile(reading);
        if (cert.role === 'ca' && !reading.leaf.ca) {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" has role ca, but the certificate in ${file} ("${reading.leaf.subject}") is not a CA certificate (no basicConstraints CA:TRUE): nothing it signs verifies; use the CA's own certificate`,
            ['file'],
          );
        } else if (cert.role !== 'ca' && reading.leaf.ca) {
          yield ctx.atCertificate(
            cert,
            `certificate "${cert.id}" has role ${cert.role}, but the certificate in ${file} is a CA certificate (basicConstraints CA:TRUE) that could issue others; reissue it with CA:FALSE`,
            ['role'],
            { severity: 'warning' },
          );
        }
      }
    },
  }),

  defineRule({
    id: 'GW260',
    name: 'certificate-file-key',
    category: 'certificate',
    severity: 'warning',
    title: "A certificate file's key matches the design's keyAlgorithm and keySize",
    rationale:
      'Key Vault renews a certificate with the key type of its policy, which the design declares; a file with another key means the design describes a different certificate. Key Vault certificates use RSA 2048, 3072 or 4096 or EC P-256, P-256K, P-384 or P-521 keys; RSA keys under 2048 bits are an error.',
    source: { tool: 'Microsoft Learn', ref: 'Key Vault: key types, algorithms, and operations', url: 'https://learn.microsoft.com/azure/key-vault/keys/about-keys-details' },
    fixable: true,
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const key = reading.leaf.key;
        const file = describeFile(reading);
        const has = describeKey(key);
        if (key.algorithm === undefined || key.size === undefined) {
          yield ctx.atCertificate(cert, `certificate "${cert.id}": the certificate in ${file} has ${has}; Key Vault certificates use RSA or EC (P-256, P-256K, P-384, P-521) keys: reissue it with one of them`, ['file'], {
            severity: 'error',
          });
          continue;
        }
        if (key.algorithm === 'RSA' && key.size < 2048) {
          yield ctx.atCertificate(cert, `certificate "${cert.id}": the certificate in ${file} has ${has}; RSA keys need at least 2048 bits: reissue it`, ['file'], { severity: 'error' });
          continue;
        }
        if (key.algorithm === cert.keyAlgorithm && key.size === cert.keySize) continue;
        const path = key.algorithm !== cert.keyAlgorithm ? ['keyAlgorithm'] : ['keySize'];
        const target = { kind: 'certificate' as const, id: cert.id };
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}" declares keyAlgorithm ${cert.keyAlgorithm} with keySize ${cert.keySize}, but the certificate in ${file} has ${has}; set keyAlgorithm: ${key.algorithm} and keySize: ${key.size} to match it`,
          path,
          {
            fix: {
              title: `Set keyAlgorithm ${key.algorithm} and keySize ${key.size}, as in the file`,
              operations: [
                { op: 'setProperty', target, path: ['keyAlgorithm'], value: key.algorithm },
                { op: 'setProperty', target, path: ['keySize'], value: key.size },
              ],
            },
          },
        );
      }
    },
  }),

  defineRule({
    id: 'GW261',
    name: 'certificate-file-not-after',
    category: 'certificate',
    severity: 'warning',
    title: "The design's notAfter agrees with the file's expiry",
    rationale:
      'notAfter records when a certificate expires for the checks that run without the file; when the file is there its date is the truth, and a notAfter that disagrees makes expiry checks and reports wrong.',
    source: SPEC,
    fixable: true,
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const notAfter = reading.leaf.notAfter;
        if (!cert.notAfter || !notAfter) continue;
        const actual = isoDay(notAfter);
        if (actual === cert.notAfter) continue;
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}" gives notAfter ${cert.notAfter}, but the certificate in ${describeFile(reading)} expires on ${actual}; set notAfter to ${actual}`,
          ['notAfter'],
          {
            fix: {
              title: `Set notAfter to ${actual}, as in the file`,
              operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['notAfter'], value: actual }],
            },
          },
        );
      }
    },
  }),

  defineRule({
    id: 'GW262',
    name: 'certificate-file-outlives-issuer',
    category: 'certificate',
    severity: 'warning',
    title: 'A certificate file does not outlive its issuer',
    rationale:
      'A certificate stops verifying when the CA that issued it expires, whatever its own date says. A CA must outlive its leaves, or they fail early and unannounced.',
    source: RFC5280('6.1.3', 'Basic Certificate Processing'),
    *check(ctx) {
      for (const [cert, reading] of parsedCertificates(ctx)) {
        const leaf = reading.leaf;
        if (leaf.selfSigned || !leaf.notAfter) continue;
        const fromDesign = issuerFileOf(ctx, cert);
        let issuer: { cert: ParsedCertificate; name: string } | undefined;
        if (fromDesign && issuedBy(leaf, fromDesign.reading.leaf) === 'yes') {
          issuer = { cert: fromDesign.reading.leaf, name: `its issuer "${fromDesign.ca.id}"` };
        } else if (reading.chain[0] && issuedBy(leaf, reading.chain[0]) === 'yes') {
          issuer = { cert: reading.chain[0], name: `its issuer "${reading.chain[0].subject}" (the next certificate in the file)` };
        }
        const caEnd = issuer?.cert.notAfter;
        if (!issuer || !caEnd || leaf.notAfter <= caEnd) continue;
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}": the certificate in ${describeFile(reading)} expires on ${isoDay(leaf.notAfter)}, after ${issuer.name} (${isoDay(caEnd)}); it stops verifying on ${isoDay(caEnd)}: renew the CA before then, or reissue this certificate to end by then`,
          ['file'],
        );
      }
    },
  }),

  defineRule({
    id: 'GW263',
    name: 'certificate-file-shared',
    category: 'certificate',
    severity: 'warning',
    title: 'Each certificate names its own file',
    rationale:
      'Every design certificate is its own Key Vault certificate with its own role, issuer and names; two of them naming one file means one of them is checked against the wrong certificate, usually a copy-and-paste slip.',
    source: SPEC,
    *check(ctx) {
      const first = new Map<string, Certificate>();
      for (const cert of ctx.certificates.values()) {
        if (cert.file === undefined || workspacePathProblem(cert.file)) continue;
        const key = normalizeWorkspacePath(cert.file);
        const owner = first.get(key);
        if (!owner) {
          first.set(key, cert);
          continue;
        }
        yield ctx.atCertificate(
          cert,
          `certificates "${owner.id}" and "${cert.id}" both name file "${cert.file}"; give "${cert.id}" the file of its own certificate`,
          ['file'],
        );
      }
    },
  }),
];
