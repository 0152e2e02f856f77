/**
 * IEEE 754 binary16 (`e`), converted straight from and to the double, as CPython's
 * `PyFloat_Pack2`/`PyFloat_Unpack2` do: rounding is half-to-even from the double itself,
 * never through float32, so no value is rounded twice.
 */

import { NATIVE_LITTLE_ENDIAN } from '../format/codes.js';

const scratchBuffer = /* @__PURE__ */ new ArrayBuffer(8);
const scratch = /* @__PURE__ */ new Float64Array(scratchBuffer);
const scratchWords = /* @__PURE__ */ new Uint32Array(scratchBuffer);
const HIGH = NATIVE_LITTLE_ENDIAN ? 1 : 0;

/** Whether the sign bit of `x` is set (true for -0 and for NaNs with the sign bit). */
export function signBit(x: number): boolean {
  scratch[0] = x;
  return scratchWords[HIGH] >>> 31 === 1;
}

/** The binary16 bits nearest to `x`, or -1 when it rounds beyond the largest half. */
export function toHalfBits(x: number): number {
  let sign = 0;
  let e: number;
  let bits: number;
  if (x === 0) {
    sign = signBit(x) ? 1 : 0;
    e = 0;
    bits = 0;
  } else if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
    sign = x < 0 ? 1 : 0;
    e = 0x1f;
    bits = 0;
  } else if (Number.isNaN(x)) {
    sign = signBit(x) ? 1 : 0;
    e = 0x1f;
    bits = 0x200;
  } else {
    if (x < 0) {
      sign = 1;
      x = -x;
    }
    // x = f * 2**e with f in [1, 2); division by a power of two is exact.
    scratch[0] = x;
    const biased = (scratchWords[HIGH] >>> 20) & 0x7ff;
    if (biased === 0) {
      // A subnormal double is far below half the smallest half subnormal.
      e = 0;
      bits = 0;
      return (sign << 15) | (e << 10) | bits;
    }
    e = biased - 1023;
    let f = x / 2 ** e;
    if (e >= 16) return -1;
    if (e < -25) {
      f = 0;
      e = 0;
    } else if (e < -14) {
      f = f * 2 ** (14 + e);
      e = 0;
    } else {
      e += 15;
      f -= 1;
    }
    f *= 1024;
    bits = Math.trunc(f);
    const rest = f - bits;
    if (rest > 0.5 || (rest === 0.5 && bits % 2 === 1)) {
      bits++;
      if (bits === 1024) {
        bits = 0;
        e++;
        if (e === 31) return -1;
      }
    }
  }
  return (sign << 15) | (e << 10) | bits;
}

/** The double a binary16 bit pattern stands for (exact: every half is a double). */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 0x1f) return f === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + f) * 2 ** (e - 25);
}
