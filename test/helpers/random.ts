/** Seeded randomness for the live differential tests, so every run makes the same cases. */

/** Draws from one seeded generator. */
export interface Random {
  /** A float in [0, 1). */
  readonly next: () => number;
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean;
  /** An integer in [0, n). */
  readonly intBelow: (n: number) => number;
  /** An integer in [lo, hi]. */
  readonly intIn: (lo: number, hi: number) => number;
  /** One of `items`. */
  readonly pick: <T>(items: readonly T[]) => T;
  /** A random unsigned integer of `bits` bits. */
  readonly bigBits: (bits: number) => bigint;
  /** `n` random bytes. */
  readonly bytes: (n: number) => Uint8Array;
}

/** A generator seeded with `seed` (mulberry32: small, fast, good enough for test cases). */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const intBelow = (n: number) => Math.floor(next() * n);
  return {
    next,
    chance: (p) => next() < p,
    intBelow,
    intIn: (lo, hi) => lo + intBelow(hi - lo + 1),
    pick: (items) => items[intBelow(items.length)],
    bigBits: (bits) => {
      let out = 0n;
      for (let i = 0; i < bits; i += 16) out = (out << 16n) | BigInt(intBelow(0x10000));
      return BigInt.asUintN(bits, out);
    },
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = intBelow(256);
      return out;
    },
  };
}

const scratch = new DataView(new ArrayBuffer(8));

/** The double whose IEEE 754 bits are `bits`. */
export function doubleFromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits, true);
  return scratch.getFloat64(0, true);
}

/** The little-endian bytes of a double, as hex. */
export function doubleHex(x: number): string {
  scratch.setFloat64(0, x, true);
  let out = '';
  for (let i = 0; i < 8; i++) out += scratch.getUint8(i).toString(16).padStart(2, '0');
  return out;
}
