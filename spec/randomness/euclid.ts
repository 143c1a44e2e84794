/**
 * Euclid's algorithm with cofactors, plain and accelerated.
 *
 * Composition and squaring of quadratic forms (see `classgroup.ts`) spend most of their time in
 * Euclid's algorithm: a full extended gcd to solve a congruence, then a *partial* one that stops
 * as soon as the remainder falls below a bound. This module states the algorithm once, plainly
 * ({@link euclidPlain}), and gives a faster version ({@link euclidFast}) that produces exactly the
 * same sequence of quotients, so it returns exactly the same record; a property test checks this.
 *
 * A run keeps two remainders `r0 ≥ r1 ≥ 0` and a cofactor for each, `s0` and `s1`. One step
 * divides, `q = ⌊r0 / r1⌋`, and replaces `(r0, r1)` by `(r1, r0 − q·r1)` and `(s0, s1)` by
 * `(s1, s0 − q·s1)`. Whatever linear relation the caller set up between each remainder and its
 * cofactor (for example `r ≡ s·b (mod a)`) is preserved by every step. The run stops when
 * `r1 ≤ bound` (a bound of 0 runs to the gcd, which is then `r0`).
 *
 * The fast version is Lehmer's: it reads the leading 52 bits of both remainders as exact
 * `number`s, runs Euclid on those while the quotients are provably the true ones (Knuth's
 * two-quotient test, TAOCP vol. 2 §4.5.2 Algorithm L), and applies the accumulated 2×2 matrix
 * to the big numbers once. Each round replaces about twenty single steps on big numbers by eight
 * multiplications by small ones. Near the bound it also checks, from the error bound of the
 * leading-bit approximation, that the plain run would still be going; when it cannot tell, it
 * hands back to exact single steps, so the stopping point is the same as the plain run's.
 *
 * @module
 */
import { invariant } from "../errors.ts";
import { floorDiv, leadingBitsShift } from "./arith.ts";

/** The state of a run of Euclid's algorithm. */
export interface EuclidRun {
  /** The larger remainder. */
  r0: bigint;
  /** The smaller remainder; the run stops when it is at most the bound. */
  r1: bigint;
  /** The cofactor of `r0`. */
  s0: bigint;
  /** The cofactor of `r1`. */
  s1: bigint;
  /** How many division steps have been made (its parity is the sign of the step matrix). */
  steps: number;
}

/** The greatest common divisor of a and b with Bézout coefficients: a·x + b·y = gcd. */
export interface Bezout {
  /** The greatest common divisor. */
  gcd: bigint;
  /** The coefficient of a. */
  x: bigint;
  /** The coefficient of b. */
  y: bigint;
}

/**
 * The extended gcd of two integers of any sign: g = gcd(a, b) ≥ 0 with a·x + b·y = g.
 *
 * @param a any integer
 * @param b any integer
 * @returns the gcd and a pair of Bézout coefficients
 */
export function extendedGcd(a: bigint, b: bigint): Bezout {
  let r0 = a, r1 = b, x0 = 1n, x1 = 0n, y0 = 0n, y1 = 1n;
  while (r1 !== 0n) {
    const q = floorDiv(r0, r1);
    [r0, r1] = [r1, r0 - q * r1];
    [x0, x1] = [x1, x0 - q * x1];
    [y0, y1] = [y1, y0 - q * y1];
  }
  return r0 < 0n ? { gcd: -r0, x: -x0, y: -y0 } : { gcd: r0, x: x0, y: y0 };
}

/**
 * Runs Euclid's algorithm one division at a time while `r1 > bound`.
 *
 * @param run the starting state, with r0 ≥ r1 ≥ 0
 * @param bound the remainder at or below which the run stops (≥ 0)
 * @returns the state at the first `r1 ≤ bound`
 */
export function euclidPlain(run: EuclidRun, bound: bigint): EuclidRun {
  invariant(run.r0 >= run.r1 && run.r1 >= 0n && bound >= 0n, "euclid needs r0 ≥ r1 ≥ 0");
  let { r0, r1, s0, s1, steps } = run;
  while (r1 > bound) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
    steps++;
  }
  return { r0, r1, s0, s1, steps };
}

/**
 * The same run as {@link euclidPlain}, with Lehmer's acceleration.
 *
 * @param run the starting state, with r0 ≥ r1 ≥ 0
 * @param bound the remainder at or below which the run stops (≥ 0)
 * @returns the state at the first `r1 ≤ bound`, equal to {@link euclidPlain}'s
 */
export function euclidFast(run: EuclidRun, bound: bigint): EuclidRun {
  invariant(run.r0 >= run.r1 && run.r1 >= 0n && bound >= 0n, "euclid needs r0 ≥ r1 ≥ 0");
  let { r0, r1, s0, s1, steps } = run;
  while (r1 > bound) {
    const m = lehmerMatrix(r0, r1, bound);
    if (m.steps === 0) {
      const q = r0 / r1;
      [r0, r1] = [r1, r0 - q * r1];
      [s0, s1] = [s1, s0 - q * s1];
      steps++;
      continue;
    }
    const a = BigInt(m.a), b = BigInt(m.b), c = BigInt(m.c), d = BigInt(m.d);
    [r0, r1] = [a * r0 + b * r1, c * r0 + d * r1];
    [s0, s1] = [a * s0 + b * s1, c * s0 + d * s1];
    steps += m.steps;
  }
  return { r0, r1, s0, s1, steps };
}

/** The product of a round of Lehmer steps: `(r0, r1) ← (a·r0 + b·r1, c·r0 + d·r1)`. */
interface LehmerMatrix {
  a: number;
  b: number;
  c: number;
  d: number;
  steps: number;
}

/**
 * One round of Lehmer's algorithm on the leading bits of r0 ≥ r1 > bound: the matrix of the
 * steps whose quotients are certain, stopping before any step the plain run might not take.
 */
function lehmerMatrix(r0: bigint, r1: bigint, bound: bigint): LehmerMatrix {
  const shift = leadingBitsShift(r0);
  const m: LehmerMatrix = { a: 1, b: 0, c: 0, d: 1, steps: 0 };
  if (shift === 0) return m; // small numbers: exact single steps are as cheap
  const s = BigInt(shift);
  let x = Number(r0 >> s), y = Number(r1 >> s);
  // True remainder = 2^shift·(approximation) + error, |error| < 2^shift·(|c| + |d|).
  const boundTop = Number(bound >> s) + 1;
  for (;;) {
    if (y + m.c === 0 || y + m.d === 0) break;
    const q = Math.floor((x + m.a) / (y + m.c));
    if (q !== Math.floor((x + m.b) / (y + m.d))) break;
    const c = m.a - q * m.c, d = m.b - q * m.d, t = x - q * y;
    m.a = m.c, m.b = m.d, m.c = c, m.d = d, m.steps++;
    x = y, y = t;
    // The next step is taken only if the new remainder is surely above the bound.
    if (t - Math.abs(c) - Math.abs(d) <= boundTop) break;
  }
  return m;
}
