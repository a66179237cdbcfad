/**
 * Constraints of CA certificate files on the chains a TLS handshake builds (GW430-GW439): the path length a CA allows
 * below it, and the DNS names its name constraints permit or exclude. `openssl verify` (and every TLS client that
 * builds the chain, API Management and NGINX included) refuses a chain that breaks either, even when the dates,
 * names and signatures are all right.
 */
import type { Certificate } from '../../schemas/design.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import { OID_ANY_EXTENDED_KEY_USAGE, OID_CLIENT_AUTH, OID_SERVER_AUTH, type ParsedCertificate } from '../../x509/certificate.js';
import { caConstraints, withinDnsSubtree, type CaConstraints } from '../../x509/constraints.js';
import { parsedFileOf } from '../../x509/files.js';

const constraintsCache = new WeakMap<ParsedCertificate, CaConstraints | undefined>();

/** The constraints of a parsed certificate, read once; undefined when its DER cannot be walked. */
function constraintsOf(cert: ParsedCertificate): CaConstraints | undefined {
  if (constraintsCache.has(cert)) return constraintsCache.get(cert);
  let c: CaConstraints | undefined;
  try {
    c = caConstraints(new Uint8Array(cert.x509.raw));
  } catch {
    c = undefined;
  }
  constraintsCache.set(cert, c);
  return c;
}

interface Ancestor {
  readonly cert: Certificate;
  /** 1 for the issuer the design names, 2 for its issuer, ... */
  readonly distance: number;
  /** The constraints of its file, when the design names a file that was read. */
  readonly constraints: CaConstraints | undefined;
  readonly file: string | undefined;
  readonly parsed: ParsedCertificate | undefined;
}

/** Key sizes Key Vault creates and imports (Microsoft Learn, "About keys": RSA 2048, 3072, 4096; EC P-256, P-384, P-521). */
export const KEY_VAULT_KEY_SIZES = { RSA: [2048, 3072, 4096], EC: [256, 384, 521] } as const;

/** The CAs above a certificate along the design's issuer ids, nearest first (stops at a root, an unknown id or a loop). */
function ancestors(ctx: RuleContext, cert: Certificate): Ancestor[] {
  const out: Ancestor[] = [];
  // A loop in the design's issuers ends the walk; GW217 reports it.
  const seen = new Set([cert.id]);
  let current = cert;
  for (let distance = 1; ; distance++) {
    if (current.issuer === 'self' || current.issuer === 'external') break;
    const parent = ctx.certificates.get(current.issuer);
    if (!parent || seen.has(parent.id)) break;
    seen.add(parent.id);
    const reading = parsedFileOf(ctx, parent);
    out.push({ cert: parent, distance, constraints: reading ? constraintsOf(reading.leaf) : undefined, file: reading?.path, parsed: reading?.leaf });
    current = parent;
  }
  return out;
}

export const X509_CONSTRAINT_RULES: Rule[] = [
  defineRule({
    id: 'GW430',
    name: 'ca-path-length',
    category: 'certificate',
    severity: 'error',
    title: 'No CA is issued deeper than the path length its issuers allow',
    rationale:
      'A CA certificate with pathLenConstraint n allows at most n intermediate CAs below it. A chain with more is refused by every verifier ("path length constraint exceeded"), so no certificate under the deeper CA can be used, however right its names and dates are.',
    source: { tool: 'Gatewright', ref: 'RFC 5280 §4.2.1.9 Basic Constraints', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (cert.role !== 'ca') continue;
        for (const a of ancestors(ctx, cert)) {
          const limit = a.constraints?.pathLength;
          // Below ancestor a there are distance - 1 CAs between it and this one, and this one: distance in all.
          if (limit === undefined || a.distance <= limit) continue;
          const between = a.distance - 1;
          yield ctx.atCertificate(
            cert,
            `CA "${cert.id}" is ${between === 0 ? 'issued by' : `${between + 1} levels below`} CA "${a.cert.id}", whose file "${a.file}" allows ${limit === 0 ? 'no intermediate CA' : `at most ${limit} intermediate CA${limit === 1 ? '' : 's'}`} below it (pathlen:${limit}): every chain through "${cert.id}" fails verification ("path length constraint exceeded"); issue "${cert.id}" from a CA that allows it, or reissue "${a.cert.id}" with a larger path length`,
            ['issuer'],
          );
          break;
        }
      }
    },
  }),
  defineRule({
    id: 'GW431',
    name: 'ca-name-constraints',
    category: 'certificate',
    severity: 'error',
    title: "A certificate's DNS names are within the name constraints of the CAs above it",
    rationale:
      'A CA certificate with name constraints limits the DNS names every certificate below it may carry: a name outside its permitted subtrees, or inside an excluded one, makes the whole chain fail verification ("permitted subtree violation" / "excluded subtree violation"), so the TLS handshake fails.',
    source: { tool: 'Gatewright', ref: 'RFC 5280 §4.2.1.10 Name Constraints', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.10' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (cert.role === 'ca') continue;
        const reading = parsedFileOf(ctx, cert);
        const fromFile = reading !== undefined && reading.leaf.dnsNames.length > 0;
        const names = fromFile ? reading.leaf.dnsNames : cert.dnsNames;
        if (!names.length) continue;
        for (const a of ancestors(ctx, cert)) {
          const nc = a.constraints?.names;
          if (!nc) continue;
          const outside = nc.permitted.length ? names.filter((n) => !nc.permitted.some((p) => withinDnsSubtree(n, p))) : [];
          const excluded = names.filter((n) => nc.excluded.some((e) => withinDnsSubtree(n, e)));
          const bad = [...new Set([...outside, ...excluded])];
          if (!bad.length) continue;
          const why = [
            outside.length ? `outside the names it permits (${nc.permitted.join(', ')})` : '',
            excluded.length ? `inside the names it excludes (${nc.excluded.join(', ')})` : '',
          ].filter(Boolean).join(' and ');
          yield ctx.atCertificate(
            cert,
            `${fromFile ? `the file of "${cert.id}" names` : `"${cert.id}" names`} ${bad.join(', ')}, ${why} by the name constraints of CA "${a.cert.id}" (file "${a.file}"): verification of the chain fails, so the TLS handshake does too; use names the CA allows, or another CA`,
            [fromFile ? 'file' : 'dnsNames'],
          );
          break;
        }
      }
    },
  }),
  defineRule({
    id: 'GW432',
    name: 'ca-extended-key-usage',
    category: 'certificate',
    severity: 'error',
    title: 'A CA whose file limits its extended key usage allows the purpose of each certificate below it',
    rationale:
      'OpenSSL checks the extended key usage of every CA in the chain for the purpose of the handshake: a CA file restricted to clientAuth cannot vouch for a server certificate ("unsuitable certificate purpose"), nor one restricted to serverAuth for a client certificate, so NGINX or API Management refuses the chain.',
    source: { tool: 'Gatewright', ref: 'RFC 5280 §4.2.1.12 Extended Key Usage; OpenSSL X509_check_purpose', url: 'https://docs.openssl.org/master/man3/X509_check_purpose/' },
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (cert.role === 'ca') continue;
        const [oid, purpose] = cert.role === 'server' ? [OID_SERVER_AUTH, 'serverAuth'] : [OID_CLIENT_AUTH, 'clientAuth'];
        for (const a of ancestors(ctx, cert)) {
          const ekus = a.parsed?.extendedKeyUsages;
          if (!ekus || ekus.includes(oid) || ekus.includes(OID_ANY_EXTENDED_KEY_USAGE)) continue;
          yield ctx.atCertificate(
            cert,
            `${cert.role} certificate "${cert.id}" is issued under CA "${a.cert.id}", whose file "${a.file}" limits its extended key usage to ${ekus.length ? ekus.map(usageName).join(', ') : 'nothing'} without ${purpose}: the chain fails verification for a ${cert.role === 'server' ? 'TLS server' : 'TLS client'} ("unsuitable certificate purpose"); issue "${cert.id}" from a CA that allows ${purpose}`,
            ['issuer'],
          );
          break;
        }
      }
    },
  }),
  defineRule({
    id: 'GW433',
    name: 'key-vault-key-size',
    category: 'certificate',
    severity: 'error',
    title: 'Certificate keys have a size Key Vault accepts',
    rationale:
      'Every certificate of the design is kept in or imported into Key Vault, which takes RSA keys of 2048, 3072 or 4096 bits and EC keys on P-256, P-384 or P-521 only; a certificate with another key size cannot be created or imported, so nothing that loads it from Key Vault starts.',
    source: { tool: 'Microsoft Learn', ref: 'About Azure Key Vault keys', url: 'https://learn.microsoft.com/azure/key-vault/keys/about-keys-details' },
    fixable: true,
    *check(ctx) {
      for (const cert of ctx.certificates.values()) {
        if (cert.keyVault === undefined) continue;
        const sizes: readonly number[] = KEY_VAULT_KEY_SIZES[cert.keyAlgorithm];
        if (sizes.includes(cert.keySize)) continue;
        const nearest = sizes.find((s) => s >= cert.keySize) ?? sizes[sizes.length - 1]!;
        yield ctx.atCertificate(
          cert,
          `certificate "${cert.id}" has keySize ${cert.keySize} for ${cert.keyAlgorithm}, which Key Vault does not accept (${cert.keyAlgorithm} ${sizes.join(', ')}); use ${nearest}`,
          ['keySize'],
          { fix: { title: `Use keySize ${nearest}`, operations: [{ op: 'setProperty', target: { kind: 'certificate', id: cert.id }, path: ['keySize'], value: nearest }] } },
        );
      }
    },
  }),
];

const USAGE_NAMES: Readonly<Record<string, string>> = { [OID_SERVER_AUTH]: 'serverAuth', [OID_CLIENT_AUTH]: 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning', '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.9': 'OCSPSigning' };

function usageName(oid: string): string {
  return USAGE_NAMES[oid] ?? oid;
}
