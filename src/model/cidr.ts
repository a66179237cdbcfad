/**
 * IPv4 CIDR arithmetic and the subnet allocator of the network builder. Pure: no Azure, no design.
 *
 * Allocation: every request gets its minimum size first; while the address space has room, the requests that
 * may grow (AKS nodes, private endpoints) grow one prefix step at a time, in turn, up to their preferred size.
 * Blocks are then placed largest first from the start of the address space: each block is a power of two and
 * every block before it is at least as large, so each one starts on a multiple of its own size (aligned) and
 * the blocks never overlap. The placement fits whenever the sizes add up to no more than the address space.
 */

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly start: number;
  /** The prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Parses "10.0.0.0/16"; throws on anything that is not an IPv4 network prefix with no host bits set. */
export function parseCidr(text: string): Cidr {
  const m = CIDR.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new Error(`"${text}" has an octet above 255`);
  const prefix = Number(m[5]);
  if (prefix > 32) throw new Error(`"${text}" has a prefix length above 32`);
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (start % blockSize(prefix) !== 0) {
    throw new Error(`"${text}" has bits set after /${prefix}; the network is ${formatCidr({ start: start - (start % blockSize(prefix)), prefix })}`);
  }
  return { start, prefix };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.start)}/${c.prefix}`;
}

/** Whether a block lies inside another. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.start >= outer.start && inner.start + blockSize(inner.prefix) <= outer.start + blockSize(outer.prefix);
}

/** Whether two blocks share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.start < b.start + blockSize(b.prefix) && b.start < a.start + blockSize(a.prefix);
}

export interface SubnetRequest {
  /** Identifies the request in the result. */
  readonly key: string;
  /** What the subnet is for, in error messages ("Application Gateway"). */
  readonly what: string;
  /** The smallest block the subnet may have (the largest prefix length), e.g. 27. */
  readonly minPrefix: number;
  /** The block it gets when the address space has room (a prefix length <= minPrefix), e.g. 20. */
  readonly preferredPrefix: number;
}

export interface SubnetAllocation {
  readonly key: string;
  readonly cidr: Cidr;
  /** "10.0.16.0/24". */
  readonly prefix: string;
}

/**
 * Carves the address space into one block per request; the result is in request order. Deterministic.
 * Throws, naming every subnet and the size needed, when the minimum sizes do not fit.
 */
export function allocateSubnets(addressSpace: string, requests: readonly SubnetRequest[]): SubnetAllocation[] {
  const space = parseCidr(addressSpace);
  const capacity = blockSize(space.prefix);
  const keys = new Set<string>();
  for (const r of requests) {
    if (keys.has(r.key)) throw new Error(`two subnet requests share the key "${r.key}"`);
    keys.add(r.key);
    if (!Number.isInteger(r.minPrefix) || r.minPrefix < 0 || r.minPrefix > 32) throw new Error(`subnet "${r.key}": invalid minimum prefix /${r.minPrefix}`);
    if (!Number.isInteger(r.preferredPrefix) || r.preferredPrefix > r.minPrefix || r.preferredPrefix < 0) {
      throw new Error(`subnet "${r.key}": preferred prefix /${r.preferredPrefix} must be a block at least as large as its minimum /${r.minPrefix}`);
    }
  }
  const prefixes = requests.map((r) => r.minPrefix);
  let total = prefixes.reduce((sum, p) => sum + blockSize(p), 0);
  if (total > capacity) {
    const needed = 32 - Math.ceil(Math.log2(total));
    throw new Error(
      `the address space ${addressSpace} (${capacity.toLocaleString('en-US')} addresses) is too small for the subnets the design needs ` +
        `(${requests.map((r) => `${r.what} /${r.minPrefix}`).join(', ')}: ${total.toLocaleString('en-US')} addresses); use a /${needed} or larger`,
    );
  }
  // Grow, one step per request per round, while the whole still fits.
  for (let grew = true; grew; ) {
    grew = false;
    requests.forEach((r, i) => {
      const p = prefixes[i]!;
      if (p <= r.preferredPrefix) return;
      const extra = blockSize(p - 1) - blockSize(p);
      if (total + extra > capacity) return;
      prefixes[i] = p - 1;
      total += extra;
      grew = true;
    });
  }
  // Place largest first (stable: request order among equal sizes).
  const order = requests.map((_, i) => i).sort((a, b) => prefixes[a]! - prefixes[b]! || a - b);
  const starts = new Array<number>(requests.length);
  let next = space.start;
  for (const i of order) {
    starts[i] = next;
    next += blockSize(prefixes[i]!);
  }
  return requests.map((r, i) => {
    const cidr = { start: starts[i]!, prefix: prefixes[i]! };
    return { key: r.key, cidr, prefix: formatCidr(cidr) };
  });
}
