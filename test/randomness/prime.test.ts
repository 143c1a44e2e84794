import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  isExtraStrongLucasProbablePrime,
  isProbablePrime,
  isStrongProbablePrimeBase2,
  jacobiSmall,
  primesBelow,
} from "../../spec/randomness/prime.ts";
import { catches, holds } from "../support/property.ts";
import { isPrimeOracle } from "./support.ts";

test("primesBelow counts the primes: π(100) = 25, π(2^16) = 6542 (known values)", () => {
  assert.equal(primesBelow(100).length, 25);
  assert.equal(primesBelow(65536).length, 6542);
  assert.deepEqual(primesBelow(30), [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
  assert.deepEqual(primesBelow(2), []);
  assert.equal(primesBelow(65536).at(-1), 65521);
});

test("isProbablePrime agrees with trial division for every n < 20000", () => {
  const sieve = new Set(primesBelow(20000));
  for (let n = -5; n < 20000; n++) {
    assert.equal(isProbablePrime(BigInt(n)), sieve.has(n), `n = ${n}`);
  }
});

test("known primes pass and known pseudoprimes fail", () => {
  // Mersenne primes and the largest primes below powers of two (published values).
  for (
    const p of [2n ** 61n - 1n, 2n ** 89n - 1n, 2n ** 127n - 1n, 2n ** 521n - 1n, 2n ** 64n - 59n]
  ) {
    assert.ok(isProbablePrime(p), `${p}`);
  }
  // Strong pseudoprimes to base 2 (OEIS A001262): the Lucas test must reject them.
  for (const n of [2047n, 3277n, 4033n, 4681n, 8321n, 15841n, 29341n, 3215031751n]) {
    assert.ok(isStrongProbablePrimeBase2(n), `${n} is a base-2 strong pseudoprime`);
    assert.ok(!isProbablePrime(n), `${n}`);
  }
  // Extra strong Lucas pseudoprimes for Baillie's parameters (OEIS A217719): Miller–Rabin rejects.
  for (const n of [989n, 3239n, 5777n, 10877n, 27971n, 29681n, 30739n, 31631n]) {
    assert.ok(isExtraStrongLucasProbablePrime(n), `${n} is an extra strong Lucas pseudoprime`);
    assert.ok(!isProbablePrime(n), `${n}`);
  }
  // Carmichael numbers, a square of a prime, 2^64 + 1 and a product of two large primes.
  for (const n of [561n, 41041n, 825265n, 1000003n * 1000003n, 2n ** 64n + 1n]) {
    assert.ok(!isProbablePrime(n), `${n}`);
  }
  assert.ok(!isProbablePrime((2n ** 127n - 1n) * (2n ** 61n - 1n)));
});

test("the Lucas parameter search handles squares and a shared factor P + 2", () => {
  // n = P + 2 for a P whose Jacobi symbol is 0 first: 5 = 3 + 2 (P = 3: Jacobi(5 | 5) = 0).
  assert.ok(isExtraStrongLucasProbablePrime(5n));
  // 35 = 5·7: P = 3 gives Jacobi(5 | 35) = 0 and 35 ≠ 5, so composite.
  assert.ok(!isExtraStrongLucasProbablePrime(35n));
  // Squares of primes never find Jacobi −1; the check at P = 40 decides.
  for (const p of [1000003n, 2n ** 61n - 1n]) assert.ok(!isExtraStrongLucasProbablePrime(p * p));
});

test("jacobiSmall agrees with Euler's criterion modulo primes", () => {
  const prop = (jacobi: typeof jacobiSmall) =>
    fc.property(fc.nat(5000), fc.constantFrom(...primesBelow(3000).slice(1)), (a, p) => {
      const e = (BigInt(a) ** BigInt((p - 1) / 2)) % BigInt(p);
      const euler = e === 0n ? 0 : e === 1n ? 1 : -1;
      return jacobi(a, BigInt(p)) === euler;
    });
  holds(prop(jacobiSmall));
  catches(prop((a, n) => jacobiSmall(a, n) * (a % 4 === 3 ? -1 : 1))); // a wrong reciprocity sign
});

test("isProbablePrime agrees with an independent exact test below 3.3·10^24", () => {
  // Three kinds of input: any number, a product m·(m + 2) of two numbers near each other (the
  // hard composites), and the next prime after a number (found with the oracle), so that primes,
  // which a broken test most often gets wrong, are a third of the runs.
  const inputs = fc.tuple(
    fc.bigInt({ min: 0n, max: 2n ** 80n }),
    fc.constantFrom("any", "near-square", "prime"),
  )
    .map(([n, kind]) => {
      if (kind === "any") return n;
      if (kind === "near-square") {
        const m = (n >> 40n) | 1n;
        return m * (m + 2n);
      }
      let p = n | 1n;
      while (!isPrimeOracle(p)) p += 2n;
      return p;
    });
  const prop = (isPrime: (n: bigint) => boolean) =>
    fc.property(inputs, (candidate) => isPrime(candidate) === isPrimeOracle(candidate));
  holds(prop(isProbablePrime), 300);
  // Broken rule: Miller–Rabin that stops one squaring early (misses 2^(2^(s−1)·d) ≡ −1).
  catches(prop((n) => n === 2n || (n > 2n && (n & 1n) === 1n && earlyStopMillerRabin(n))), 300);
});

function earlyStopMillerRabin(n: bigint): boolean {
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) d >>= 1n, s++;
  let x = 1n;
  for (let e = d, b = 2n; e > 0n; e >>= 1n, b = (b * b) % n) if (e & 1n) x = (x * b) % n;
  if (x === 1n || x === n - 1n) return true;
  for (let r = 1; r < s - 1; r++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
  }
  return false;
}
