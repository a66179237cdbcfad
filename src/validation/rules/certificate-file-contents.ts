/** What a certificate file says against the design: names, key usages, CA flag, key, expiry, issuer lifetime, one file per certificate. */
import type { Certificate } from '../../schemas/design.js';
import { dnsNameCovers } from '../../model/trust.js';
import { defineRule, type Rule } from '../rule.js';
import { issuedBy, isoDay, OID_ANY_EXTENDED_KEY_USAGE, OID_CLIENT_AUTH, OID_SERVER_AUTH, type ParsedCertificate } from '../../x509/certificate.js';
import { describeFile, normalizeWorkspacePath, workspacePathProblem } from '../../x509/files.js';
import { SPEC, RFC5280, parsedCertificates, issuerFileOf, hostsUsing, USAGE_NAMES, describeKey } from './certificate-files-support.js';

export const CERTIFICATE_FILE_CONTENT_RULES: Rule[] = [
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
