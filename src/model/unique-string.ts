/**
 * ARM's uniqueString(): the deterministic 13-character suffix the generated templates append to names that must be
 * unique in all of Azure (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#uniquestring).
 * Computed here too, so that `gatewright deploy` and the README show the names Azure will see before anything is
 * deployed, and the Key Vault import finds the vault the template creates.
 *
 * The function, as published descriptions of it give it (for example https://github.com/JasonWhall/go-azure-uniquestring
 * and the DSC reference https://learn.microsoft.com/powershell/dsc/reference/schemas/config/functions/uniquestring):
 * the arguments joined with "-", hashed as UTF-8 with a 64-bit MurmurHash (two 32-bit lanes with the
 * MurmurHash3 x86_128 constants, seed 0), and the 64 bits written high bits first as 13 characters of the
 * lower-case RFC 4648 base32 alphabet (the last character holds the 4 remaining bits). This implementation is our
 * own; test/model/unique-string.test.ts checks it against values the real Bicep compiler evaluates.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a: number, b: number): number => Math.imul(a, b) >>> 0;
const add = (a: number, b: number): number => (a + b) >>> 0;

function fmix(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = mul(h, 0x85ebca6b);
  h = (h ^ (h >>> 13)) >>> 0;
  h = mul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Little-endian 32-bit word of up to 4 bytes from `at` (missing bytes are 0). */
function word(data: Uint8Array, at: number, count: number): number {
  let w = 0;
  for (let i = count - 1; i >= 0; i--) w = ((w << 8) | data[at + i]!) >>> 0;
  return w;
}

/** The 64-bit hash as [high, low] 32-bit halves. */
export function murmurHash64(data: Uint8Array): [number, number] {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const length = data.length;
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    const k1 = mul(rotl(mul(word(data, i, 4), c1), 15), c2);
    h1 = (h1 ^ k1) >>> 0;
    h1 = add(mul(add(rotl(h1, 19), h2), 5), 0x561ccd1b);
    const k2 = mul(rotl(mul(word(data, i + 4, 4), c2), 17), c1);
    h2 = (h2 ^ k2) >>> 0;
    h2 = add(mul(add(rotl(h2, 13), h1), 5), 0x0bcaa747);
  }
  const tail = length - i;
  if (tail > 0) {
    const k1 = mul(rotl(mul(word(data, i, Math.min(tail, 4)), c1), 15), c2);
    h1 = (h1 ^ k1) >>> 0;
    if (tail > 4) {
      const k2 = mul(rotl(mul(word(data, i + 4, tail - 4), c2), 17), c1);
      h2 = (h2 ^ k2) >>> 0;
    }
  }
  h1 = (h1 ^ length) >>> 0;
  h2 = (h2 ^ length) >>> 0;
  h1 = add(h1, h2);
  h2 = add(h2, h1);
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = add(h1, h2);
  h2 = add(h2, h1);
  return [h2, h1];
}

/** uniqueString(a, b, ...) as Resource Manager evaluates it. */
export function uniqueString(...values: readonly string[]): string {
  if (values.length === 0) throw new Error('uniqueString needs at least one value');
  const [high, low] = murmurHash64(new TextEncoder().encode(values.join('-')));
  let n = (BigInt(high) << 32n) | BigInt(low);
  let out = '';
  for (let k = 0; k < 13; k++) {
    out += ALPHABET[Number(n >> 59n)];
    n = (n << 5n) & 0xffffffffffffffffn;
  }
  return out;
}
