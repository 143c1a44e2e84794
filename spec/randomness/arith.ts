/**
 * Integer helpers for the class-group VDF.
 *
 * The VDF works with signed integers of a few thousand bits. JavaScript's `bigint` division
 * truncates toward zero, while the rules of the VDF (as written in harmony-one/vdf, which follows
 * the Python reference it was ported from) divide with *floor* semantics. These helpers give the
 * rules the operations they are stated in: floor division, a non-negative remainder, the bit
 * length, integer roots and modular exponentiation.
 *
 * @see github.com/harmony-one/vdf src/vdf_go/division.go `floorDivision`
 * @module
 */
import { invariant } from "../errors.ts";

/** 2^52: below it a `number` holds every integer exactly, with one bit to spare for sums. */
const EXACT_NUMBER_LIMIT = 2 ** 52;

/**
 * Floor division: the greatest integer q with q·d ≤ n (for d > 0), rounding toward −∞.
 *
 * @param n the dividend
 * @param d the divisor, not zero
 * @returns ⌊n / d⌋
 */
export function floorDiv(n: bigint, d: bigint): bigint {
  invariant(d !== 0n, "floorDiv by zero");
  const q = n / d;
  // Truncation rounded toward zero; when the exact quotient is negative and not whole, step down.
  return (n % d !== 0n) && ((n < 0n) !== (d < 0n)) ? q - 1n : q;
}

/**
 * The remainder of n modulo m in [0, m).
 *
 * @param n any integer
 * @param m the modulus, positive
 * @returns n mod m, never negative
 */
export function floorMod(n: bigint, m: bigint): bigint {
  invariant(m > 0n, "floorMod needs a positive modulus");
  const r = n % m;
  return r < 0n ? r + m : r;
}

/**
 * The number of bits of |n| (0 for 0), as Go's `big.Int.BitLen`.
 *
 * @param n any integer
 * @returns the position of the highest set bit of |n|, plus one
 */
export function bitLength(n: bigint): number {
  const m = n < 0n ? -n : n;
  if (m === 0n) return 0;
  const hex = m.toString(16);
  return 4 * (hex.length - 1) + Number.parseInt(hex[0], 16).toString(2).length;
}

/**
 * A shift s ≥ 0 such that `n >> s` is below 2^52 and, when n is large, at least 2^49: how far to
 * shift n to read its leading bits as an exact `number` (used by Lehmer's gcd).
 *
 * @param n a non-negative integer
 * @returns the shift
 */
export function leadingBitsShift(n: bigint): number {
  const approx = Number(n);
  if (approx < EXACT_NUMBER_LIMIT) return 0;
  // `Number` rounds, so the logarithm may be one too high; 50 bits of margin keep the result
  // below 2^52 either way. Beyond the range of doubles, count hex digits instead.
  if (approx !== Infinity) return Math.floor(Math.log2(approx)) - 50;
  return bitLength(n) - 51;
}

/**
 * The integer square root ⌊√n⌋ (Newton's method from an over-estimate).
 *
 * @param n a non-negative integer
 * @returns the greatest r with r² ≤ n
 */
export function integerSqrt(n: bigint): bigint {
  invariant(n >= 0n, "integerSqrt of a negative number");
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * b^e mod m by left-to-right square-and-multiply.
 *
 * @param base any integer
 * @param exponent a non-negative integer
 * @param modulus a positive integer
 * @returns base^exponent mod m, in [0, m)
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  invariant(exponent >= 0n && modulus > 0n, "modPow needs e ≥ 0 and m > 0");
  if (modulus === 1n) return 0n;
  const b = floorMod(base, modulus);
  let result = 1n;
  for (const bit of exponent.toString(2)) {
    result = (result * result) % modulus;
    if (bit === "1") result = (result * b) % modulus;
  }
  return result;
}
