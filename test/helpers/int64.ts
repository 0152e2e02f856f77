/** 8-byte bit patterns for the tests of the int64 number mode (struct and views alike). */

/** 2**53 − 1: the largest integer a number holds exactly. */
export const SAFE = 2n ** 53n - 1n;

/** The OverflowError message of number mode for an 8-byte value beyond ±SAFE. */
export function overflowMessage(value: bigint): string {
  return `int too large to convert to number: ${value} (int64: 'number' holds integers up to ±2**53 - 1)`;
}

/** The 8-byte patterns around every boundary of the number reader (unsigned bit patterns). */
const EDGES: readonly bigint[] = [
  0n,
  1n,
  2n ** 31n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 32n + 1n,
  SAFE - 1n,
  SAFE,
  SAFE + 1n,
  SAFE + 2n,
  SAFE + 3n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n - SAFE,
  2n ** 64n - SAFE - 1n,
  2n ** 64n - 2n ** 32n,
];

/**
 * The edges, then `count` deterministic pseudo-random 64-bit patterns from `seed`, half of
 * them near the safe boundary.
 */
export function int64Patterns(count: number, seed: number): bigint[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return BigInt(state);
  };
  const out = [...EDGES];
  for (let k = 0; k < count; k++) {
    const bits = (next() << 32n) | next();
    out.push(k % 2 === 0 ? bits : BigInt.asUintN(64, (SAFE ^ (bits & 0xffn)) - (bits & 0x7n)));
  }
  return out;
}
