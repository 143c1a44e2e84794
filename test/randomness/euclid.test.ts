import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bitLength,
  floorDiv,
  floorMod,
  integerSqrt,
  leadingBitsShift,
  modPow,
} from "../../spec/randomness/arith.ts";
import {
  euclidFast,
  euclidPlain,
  type EuclidRun,
  extendedGcd,
} from "../../spec/randomness/euclid.ts";
import { catches, holds } from "../support/property.ts";
import { SLOW } from "./support.ts";

const bigIntOfBits = (maxBits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(maxBits)) - 1n });

test("floor division and remainder follow Go's floorDivision (known quotients)", () => {
  // Values worked by hand: ⌊7/2⌋ = 3, ⌊−7/2⌋ = −4, ⌊7/−2⌋ = −4, ⌊−7/−2⌋ = 3, exact cases unchanged.
  assert.deepEqual([floorDiv(7n, 2n), floorDiv(-7n, 2n), floorDiv(7n, -2n), floorDiv(-7n, -2n)], [
    3n,
    -4n,
    -4n,
    3n,
  ]);
  assert.equal(floorDiv(-8n, 2n), -4n);
  assert.equal(floorMod(-7n, 5n), 3n);
  assert.equal(floorMod(10n, 5n), 0n);
});

test("floorDiv: q·d ≤ n < (q+1)·d for d > 0 (and the mirror for d < 0)", () => {
  const prop = (div: (n: bigint, d: bigint) => bigint) =>
    fc.property(fc.bigInt(), fc.bigInt().filter((d) => d !== 0n), (n, d) => {
      const q = div(n, d);
      return d > 0n ? q * d <= n && n < (q + 1n) * d : q * d >= n && n > (q + 1n) * d;
    });
  holds(prop(floorDiv));
  catches(prop((n, d) => n / d)); // truncation is the rule Go had to correct
});

test("bitLength and leadingBitsShift against their definitions", () => {
  assert.deepEqual([0n, 1n, 2n, 255n, 256n, -256n].map(bitLength), [0, 1, 2, 8, 9, 9]);
  const prop = (length: typeof bitLength) =>
    fc.property(bigIntOfBits(3000), (n) => {
      const len = length(n);
      const shift = leadingBitsShift(n);
      const top = n >> BigInt(shift);
      return (n === 0n ? len === 0 : n >> BigInt(len - 1) === 1n) && top < 2n ** 52n &&
        (shift === 0 || top >= 2n ** 49n);
    });
  holds(prop(bitLength));
  // Broken rule: the length through a double, which rounds large numbers up to a power of two.
  catches(prop((n) => (n === 0n ? 0 : Math.floor(Math.log2(Number(n))) + 1)));
});

test("integerSqrt is ⌊√n⌋", () => {
  const prop = (sqrt: typeof integerSqrt) =>
    fc.property(bigIntOfBits(600), (n) => {
      const r = sqrt(n);
      return r * r <= n && n < (r + 1n) * (r + 1n);
    });
  holds(prop(integerSqrt));
  // Broken rule: a square root through a double.
  catches(prop((n) => BigInt(Math.floor(Math.sqrt(Number(n))))));
});

test("modPow equals repeated multiplication", () => {
  const prop = (pow: typeof modPow) =>
    fc.property(
      fc.bigInt({ min: 0n, max: 2n ** 70n }),
      fc.nat(200),
      fc.bigInt({ min: 1n, max: 2n ** 70n }),
      (b, e, m) => {
        let naive = 1n;
        for (let i = 0; i < e; i++) naive = (naive * b) % m;
        return pow(b, BigInt(e), m) === naive % m;
      },
    );
  holds(prop(modPow));
  // Broken rule: exponent bits read from the wrong end.
  catches(prop((b, e, m) => modPow(b, BigInt("0b" + ([...e.toString(2)].reverse().join(""))), m)));
});

test("extendedGcd returns a Bézout identity with the non-negative gcd", () => {
  const prop = (xgcd: typeof extendedGcd) =>
    fc.property(fc.bigInt(), fc.bigInt(), (a, b) => {
      const { gcd, x, y } = xgcd(a, b);
      const divides = (d: bigint, n: bigint) => d === 0n ? n === 0n : n % d === 0n;
      return gcd >= 0n && a * x + b * y === gcd && divides(gcd, a) && divides(gcd, b);
    });
  holds(prop(extendedGcd));
  catches(prop((a, b) => { // a broken rule: forgets to make the gcd non-negative
    const r = extendedGcd(a, b);
    return a < 0n ? { gcd: -r.gcd, x: -r.x, y: -r.y } : r;
  }));
});

/** A run from arbitrary numbers: r0 ≥ r1 ≥ 0, cofactors (0, 1), and a bound. */
const runs = fc.noShrink(
  fc.tuple(bigIntOfBits(1100), bigIntOfBits(1100), bigIntOfBits(1100), fc.boolean())
    .map(([x, y, bound, full]): [EuclidRun, bigint] => {
      const [r0, r1] = x >= y ? [x, y] : [y, x];
      return [
        { r0, r1, s0: 0n, s1: 1n, steps: 0 },
        full ? 0n : bound >> BigInt(Number(bound % 700n)),
      ];
    }),
);
// (No shrinking: shrinking 1100-bit numbers against a broken rule can take practically forever.)

test("Lehmer's Euclid (euclidFast) makes exactly the plain run's steps", SLOW, () => {
  const same = (fast: typeof euclidFast) =>
    fc.property(runs, ([run, bound]) => {
      assert.deepEqual(fast(run, bound), euclidPlain(run, bound));
    });
  holds(same(euclidFast), 300);
  // Broken rule: Lehmer trusting the quotient of the leading bits without Knuth's second check.
  catches(same(trustingLehmer), 300);
});

/** A deliberately broken copy of Lehmer's algorithm: it never checks that its quotient is exact. */
function trustingLehmer(run: EuclidRun, bound: bigint): EuclidRun {
  let { r0, r1, s0, s1, steps } = run;
  while (r1 > bound && r0 >= r1 && steps < 5000) { // the broken run may go astray: stop it then
    const shift = BigInt(leadingBitsShift(r0));
    let x = Number(r0 >> shift), y = Number(r1 >> shift);
    let a = 1, b = 0, c = 0, d = 1, k = 0;
    while (y !== 0 && k < 20) {
      const q = Math.floor(x / y);
      [a, b, c, d, x, y, k] = [c, d, a - q * c, b - q * d, y, x - q * y, k + 1];
    }
    if (k === 0 || shift === 0n) {
      const q = r0 / r1;
      [r0, r1, s0, s1, steps] = [r1, r0 - q * r1, s1, s0 - q * s1, steps + 1];
      continue;
    }
    const [A, B, C, D] = [a, b, c, d].map(BigInt);
    [r0, r1, s0, s1, steps] = [
      A * r0 + B * r1,
      C * r0 + D * r1,
      A * s0 + B * s1,
      C * s0 + D * s1,
      steps + k,
    ];
  }
  return { r0, r1, s0, s1, steps };
}

test(
  "a run keeps r ≡ s·r1₀ (mod r0₀), ends below the bound, and at bound 0 ends at the gcd",
  SLOW,
  () => {
    const invariant = (euclid: typeof euclidPlain) =>
      fc.property(runs, ([run, bound]) => {
        const m = run.r0;
        const out = euclid(run, bound);
        const congruent = m === 0n ||
          (floorMod(out.r0 - out.s0 * run.r1, m) === 0n &&
            floorMod(out.r1 - out.s1 * run.r1, m) === 0n);
        const gcdOk = bound !== 0n || out.r0 === extendedGcd(run.r0, run.r1).gcd;
        return congruent && out.r1 <= bound && gcdOk;
      });
    holds(invariant(euclidFast));
    // Broken rule: a cofactor update with the wrong sign.
    catches(invariant((run, bound) => {
      const out = euclidPlain(run, bound);
      return { ...out, s1: -out.s1 };
    }));
  },
);
