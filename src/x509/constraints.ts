/**
 * The two constraints a CA certificate puts on the certificates below it, read from its DER (RFC 5280 §4.2.1.9
 * basic constraints, §4.2.1.10 name constraints): the path length, and the DNS name subtrees it permits or
 * excludes. Node's X509Certificate does not expose either, so the extensions are read with a small DER walker.
 */

export interface CaConstraints {
  /** basicConstraints pathLenConstraint: how many non-self-issued intermediate CAs may follow; undefined: no limit. */
  readonly pathLength: number | undefined;
  /** dNSName subtrees of nameConstraints; undefined when the certificate has no such extension. */
  readonly names: { readonly permitted: readonly string[]; readonly excluded: readonly string[]; readonly otherPermitted: boolean } | undefined;
}

interface Tlv {
  readonly tag: number;
  /** Start of the content. */
  readonly start: number;
  /** End of the content (exclusive). */
  readonly end: number;
}

function tlv(der: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new Error('truncated DER');
  const tag = der[pos]!;
  let len = der[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < bytes; i++) len = len * 256 + der[start + i]!;
    start += bytes;
  }
  if (start + len > limit) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.start; pos < parent.end; ) {
    const t = tlv(der, pos, parent.end);
    out.push(t);
    pos = t.end;
  }
  return out;
}

const OID_BASIC_CONSTRAINTS = [0x55, 0x1d, 0x13];
const OID_NAME_CONSTRAINTS = [0x55, 0x1d, 0x1e];

function isOid(der: Uint8Array, t: Tlv, oid: readonly number[]): boolean {
  return t.tag === 0x06 && t.end - t.start === oid.length && oid.every((b, i) => der[t.start + i] === b);
}

function integer(der: Uint8Array, t: Tlv): number {
  let n = 0;
  for (let i = t.start; i < t.end; i++) n = n * 256 + der[i]!;
  return n;
}

function ascii(der: Uint8Array, t: Tlv): string {
  let s = '';
  for (let i = t.start; i < t.end; i++) s += String.fromCharCode(der[i]!);
  return s;
}

/** The extension values of a certificate, by the extension's OID bytes. */
function extensions(der: Uint8Array): { oid: Tlv; value: Tlv }[] {
  const cert = tlv(der, 0, der.length);
  const tbs = children(der, cert)[0];
  if (!tbs) return [];
  const wrapper = children(der, tbs).find((t) => t.tag === 0xa3);
  if (!wrapper) return [];
  const list = children(der, wrapper)[0];
  if (!list) return [];
  return children(der, list).flatMap((ext) => {
    const parts = children(der, ext);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    return oid && value && value.tag === 0x04 ? [{ oid, value }] : [];
  });
}

/** The dNSName bases of a GeneralSubtrees list, and whether other name forms are there too. */
function dnsSubtrees(der: Uint8Array, list: Tlv): { dns: string[]; other: boolean } {
  const dns: string[] = [];
  let other = false;
  for (const subtree of children(der, list)) {
    const base = children(der, subtree)[0];
    if (base?.tag === 0x82) dns.push(ascii(der, base));
    else other = true;
  }
  return { dns, other };
}

/** Reads the path length and name constraints of a DER certificate; throws on DER it cannot walk. */
export function caConstraints(der: Uint8Array): CaConstraints {
  let pathLength: number | undefined;
  let names: CaConstraints['names'];
  for (const { oid, value } of extensions(der)) {
    if (isOid(der, oid, OID_BASIC_CONSTRAINTS)) {
      const seq = tlv(der, value.start, value.end);
      const len = children(der, seq).find((t) => t.tag === 0x02);
      if (len) pathLength = integer(der, len);
    } else if (isOid(der, oid, OID_NAME_CONSTRAINTS)) {
      const seq = tlv(der, value.start, value.end);
      let permitted: string[] = [];
      let excluded: string[] = [];
      let otherPermitted = false;
      for (const part of children(der, seq)) {
        if (part.tag === 0xa0) {
          const p = dnsSubtrees(der, part);
          permitted = p.dns;
          otherPermitted = p.other;
        } else if (part.tag === 0xa1) {
          excluded = dnsSubtrees(der, part).dns;
        }
      }
      names = { permitted, excluded, otherPermitted };
    }
  }
  return { pathLength, names };
}

/**
 * Whether a DNS name is within a dNSName constraint (RFC 5280 §4.2.1.10: "host.example.com" is within
 * "example.com"; OpenSSL also reads a leading "." as "subdomains only"). Case-insensitive; a wildcard name is
 * compared as written, as OpenSSL does.
 */
export function withinDnsSubtree(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}
