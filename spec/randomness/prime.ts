/**
 * Primality, as the class-group VDF needs it.
 *
 * The VDF asks "is this number prime?" in two places: to pick the discriminant (a 2048-bit
 * prime, see `discriminant.ts`) and to hash two forms to a 128-bit prime (`vdf.ts`). harmony-one/vdf
 * answers with Go's `big.Int.ProbablyPrime(1)`. That test is:
 *
 * 1. exact for n < 64, and "composite" for even n and for multiples of the primes 3 … 53;
 * 2. Miller–Rabin with one pseudo-random base (drawn from a generator seeded by n's low word)
 *    and then with base 2;
 * 3. an extra strong Lucas test with parameters chosen by Baillie's "method C" (Q = 1, P the
 *    first of 3, 4, 5, … with Jacobi(P² − 4 | n) = −1).
 *
 * Steps 2 (base 2) and 3 together are a Baillie–PSW test.
 *
 * **Note (determinism).** The spec drops the pseudo-random base of step 2 and keeps everything
 * else, restated exactly: small-number rules, strong base-2 Miller–Rabin, and Go's Lucas test
 * with Go's parameter choice. A prime passes both versions. A composite that the spec accepts
 * would be a Baillie–PSW pseudoprime, and none is known: Go documents this test as exact below
 * 2^64, and no counterexample above has ever been published. So for every input anyone can write
 * down, the spec answers exactly as Go does, and the spec needs no random source. The extra
 * Miller–Rabin round of Go could only ever reject such an unknown pseudoprime.
 *
 * Cost: one modular exponentiation for a composite (Miller–Rabin base 2 rejects almost all of
 * them), about three for a prime (Miller–Rabin, then a Lucas chain with two products per bit).
 *
 * @see github.com/harmony-one/vdf src/vdf_go/discriminant.go `CreateDiscriminant`,
 *   src/vdf_go/proof_wesolowski.go `hashPrime` (both call `ProbablyPrime(1)`)
 * @see Go's math/big prime.go `ProbablyPrime`, `probablyPrimeMillerRabin`, `probablyPrimeLucas`
 * @module
 */
import { invariant } from "../errors.ts";
import { integerSqrt } from "./arith.ts";

/** Primes that a small-number screen divides by (Go screens with 3 … 53). */
const SCREEN_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n];

/** The primes below 64, which Go decides by table. */
const PRIMES_BELOW_64 = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61];

/** Tries of P in the Lucas parameter search after which n is checked for being a square. */
const LUCAS_SQUARE_CHECK = 40;

/**
 * The primes below `limit`, in order, by the sieve of Eratosthenes.
 *
 * @param limit an exclusive upper bound (a safe integer)
 * @returns every prime p with 2 ≤ p < limit
 */
export function primesBelow(limit: number): number[] {
  const composite = new Uint8Array(Math.max(limit, 0));
  const primes: number[] = [];
  for (let i = 2; i < limit; i++) {
    if (composite[i] === 1) continue;
    primes.push(i);
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return primes;
}

/**
 * Whether n is prime, answered as Go's `ProbablyPrime(1)` answers (see the module note).
 *
 * @param n any integer; negative numbers, 0 and 1 are not prime
 * @returns true when n is prime (for every n anyone knows how to write down)
 */
export function isProbablePrime(n: bigint): boolean {
  if (n < 64n) return PRIMES_BELOW_64.includes(Number(n));
  if ((n & 1n) === 0n) return false;
  for (const p of SCREEN_PRIMES) if (n % p === 0n) return false;
  return isStrongProbablePrimeBase2(n) && isExtraStrongLucasProbablePrime(n);
}

/**
 * The strong (Miller–Rabin) probable-prime test to base 2: writing n − 1 = 2^s·d with d odd,
 * n passes when 2^d ≡ 1 or 2^(2^r·d) ≡ −1 (mod n) for some 0 ≤ r < s.
 *
 * @param n an odd integer greater than 2
 * @returns whether n is a strong probable prime to base 2
 */
export function isStrongProbablePrimeBase2(n: bigint): boolean {
  invariant(n > 2n && (n & 1n) === 1n, "Miller–Rabin needs an odd n > 2");
  const nMinus1 = n - 1n;
  let d = nMinus1, s = 0;
  while ((d & 1n) === 0n) d >>= 1n, s++;
  let x = powerOfTwoMod(d, n);
  if (x === 1n || x === nMinus1) return true;
  for (let r = 1; r < s; r++) {
    x = (x * x) % n;
    if (x === nMinus1) return true;
    if (x === 1n) return false;
  }
  return false;
}

/** 2^e mod n: square-and-multiply where multiplying by 2 is a shift. */
function powerOfTwoMod(e: bigint, n: bigint): bigint {
  let x = 1n;
  for (const bit of e.toString(2)) {
    x = (x * x) % n;
    if (bit === "1") {
      x <<= 1n;
      if (x >= n) x -= n;
    }
  }
  return x;
}

/**
 * The extra strong Lucas probable-prime test with Baillie's parameters, as Go states it.
 *
 * Parameters: Q = 1 and P the first of 3, 4, 5, … with Jacobi(P² − 4 | n) = −1. If a Jacobi
 * symbol is 0 first, P² − 4 = (P − 2)(P + 2) shares the factor P + 2 with n, so n is prime only
 * if n = P + 2. A square n never finds −1, so after 40 tries n is checked for being a square.
 *
 * Test: write n + 1 = 2^r·s with s odd. n passes when V_s ≡ ±2 and U_s ≡ 0 (mod n), or
 * V_(2^t·s) ≡ 0 (mod n) for some 0 ≤ t < r − 1, where U, V are the Lucas sequences of (P, 1).
 * U_s ≡ 0 is checked without computing U, through 2·V_(s+1) ≡ P·V_s (mod n).
 *
 * @param n an odd integer greater than 2
 * @returns whether n is an extra strong Lucas probable prime for Baillie's parameter
 */
export function isExtraStrongLucasProbablePrime(n: bigint): boolean {
  invariant(n > 2n && (n & 1n) === 1n, "the Lucas test needs an odd n > 2");
  const p = lucasParameter(n);
  if (p === "prime" || p === "composite") return p === "prime";
  let s = n + 1n, r = 0;
  while ((s & 1n) === 0n) s >>= 1n, r++;
  const P = BigInt(p);
  const [vs, vNext] = lucasV(s, P, n);
  if ((vs === 2n || vs === n - 2n) && (P * vs - 2n * vNext) % n === 0n) return true;
  let v = vs;
  for (let t = 0; t < r - 1; t++) {
    if (v === 0n) return true;
    if (v === 2n) return false; // 2 is a fixed point of V ← V² − 2: no 0 can follow
    v = (v * v + n - 2n) % n;
  }
  return false;
}

/**
 * Baillie's parameter P for n (see {@link isExtraStrongLucasProbablePrime}), or the verdict when
 * the search itself decides: a factor P + 2 found, or n a perfect square.
 */
function lucasParameter(n: bigint): number | "prime" | "composite" {
  for (let p = 3;; p++) {
    const j = jacobiSmall(p * p - 4, n);
    if (j === -1) return p;
    if (j === 0) return n === BigInt(p + 2) ? "prime" : "composite";
    if (p === LUCAS_SQUARE_CHECK) {
      const root = integerSqrt(n);
      if (root * root === n) return "composite";
    }
  }
}

/**
 * The Jacobi symbol (a | n) for a small non-negative a and a big odd positive n.
 *
 * @param a a non-negative safe integer
 * @param n an odd positive integer
 * @returns −1, 0 or 1
 */
export function jacobiSmall(a: number, n: bigint): number {
  invariant(n > 0n && (n & 1n) === 1n, "Jacobi needs an odd positive n");
  // Reciprocity turns (a | n) into a symbol of small numbers after one reduction of n mod a.
  let top = a, bottom = n, sign = 1;
  while (top !== 0) {
    let t = top;
    const b8 = Number(bottom & 7n);
    while ((t & 1) === 0) {
      t >>= 1;
      if (b8 === 3 || b8 === 5) sign = -sign;
    }
    if ((t & 3) === 3 && b8 % 4 === 3) sign = -sign;
    const next = Number(bottom % BigInt(t));
    bottom = BigInt(t);
    top = next;
  }
  return bottom === 1n ? sign : 0;
}

/**
 * The Lucas values V_k and V_(k+1) of (P, Q = 1) modulo n, by the doubling rules
 * V_2k = V_k² − 2 and V_(2k+1) = V_k·V_(k+1) − P.
 */
function lucasV(k: bigint, P: bigint, n: bigint): [bigint, bigint] {
  let v = 2n, vNext = P % n;
  for (const bit of k.toString(2)) {
    if (bit === "1") {
      v = (v * vNext - P + n) % n;
      vNext = (vNext * vNext - 2n + n) % n;
    } else {
      vNext = (v * vNext - P + n) % n;
      v = (v * v - 2n + n) % n;
    }
  }
  return [v, vNext];
}
