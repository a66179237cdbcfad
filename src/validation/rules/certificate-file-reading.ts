/** Reading certificate files: paths, no private key, a PEM certificate, valid now, self-signed and issued as the design says, chain order. */
import { defineRule, type Rule } from '../rule.js';
import { issuedBy, isoDay, type ParsedCertificate } from '../../x509/certificate.js';
import { describeFile, fileReadingOf, workspacePathProblem } from '../../x509/files.js';
import { describePrivateKey } from '../../x509/pem.js';
import {
  EXPIRY_WARNING_DAYS,
  SPEC,
  RFC5280,
  DAY_MS,
  parsedCertificates,
  issuerFileOf,
  realIssuerId,
  daysBetween,
} from './certificate-files-support.js';

export const CERTIFICATE_FILE_READING_RULES: Rule[] = [
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

];
