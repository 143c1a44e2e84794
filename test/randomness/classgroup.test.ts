import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fixedBytesToSigned,
  fromHex,
  signedToFixedBytes,
  toHex,
} from "../../spec/encoding/bytes.ts";
import { bitLength, floorDiv, floorMod } from "../../spec/randomness/arith.ts";
import { extendedGcd } from "../../spec/randomness/euclid.ts";
import {
  type ClassGroup,
  classGroup,
  composeForms,
  deserializeForm,
  type Form,
  formDiscriminant,
  formFromAB,
  formsEqual,
  generatorForm,
  identityForm,
  isReducedForm,
  multiplyForms,
  normalizeForm,
  powForm,
  reduceForm,
  serializeForm,
  squareForm,
} from "../../spec/randomness/classgroup.ts";
import { createDiscriminant } from "../../spec/randomness/discriminant.ts";
import { isSpecError } from "../../spec/errors.ts";
import { isProbablePrime } from "../../spec/randomness/prime.ts";
import { catches, holds } from "../support/property.ts";
import { FULL, SLOW } from "./support.ts";

const form = (a: bigint, b: bigint, c: bigint): Form => ({ a, b, c });

test("Go TestClassDiscriminant: discriminants, identity and (2, 1, c)", () => {
  assert.equal(formDiscriminant(form(12n, 11n, 3n)), -23n);
  assert.equal(formDiscriminant(form(93n, 109n, 32n)), -23n);
  assert.deepEqual(identityForm(-103n), form(1n, 1n, 26n));
  assert.deepEqual(formFromAB(2n, 1n, -103n), form(2n, 1n, 13n));
  assert.deepEqual(generatorForm(-103n), form(2n, 1n, 13n));
});

test("Go TestNormalized and TestReduced", () => {
  const f = form(195751n, 1212121n, 1876411n);
  assert.deepEqual(normalizeForm(f), form(195751n, 37615n, 1807n));
  assert.deepEqual(reduceForm(f), form(1n, 1n, 1n));
});

test("Go TestMultiplication1–3 and TestSquare1–2 (discriminant −23)", () => {
  const g = classGroup(-23n);
  const f = form(12n, 11n, 3n), h = form(93n, 109n, 32n);
  for (const mul of [composeForms, (x: Form, y: Form) => multiplyForms(g, x, y)]) {
    assert.deepEqual(mul(f, h), form(1n, 1n, 6n));
    assert.deepEqual(mul(f, f), form(2n, 1n, 3n));
    assert.deepEqual(mul(h, h), form(2n, -1n, 3n));
  }
  assert.deepEqual(squareForm(g, f), form(2n, 1n, 3n));
  assert.deepEqual(squareForm(g, h), form(2n, -1n, 3n));
  // Go's TestMultiplication4 composes forms with a < 0 of a positive discriminant: indefinite
  // forms, outside the VDF's positive definite group, so the spec does not define it.
});

test("Go TestSerialize, TestSerialize1, TestDeSerialize1, TestBigNumEncoding (two's complement)", () => {
  // Go serializes (a, b) in (bitlen(D) + 16) >> 4 bytes each: 5 bytes for D ≈ 1.0·10^19, 4 for
  // D = 4486780496111111. The forms there are indefinite, so the integer encoding is what carries.
  const d1 = 740n * 740n + 4n * 565721958n * 4486780496n;
  const s1 = (bitLength(d1) + 16) >> 4;
  assert.equal(
    toHex(signedToFixedBytes(-565721958n, s1)) + toHex(signedToFixedBytes(-740n, s1)),
    "ffde47c49afffffffd1c",
  );
  const d2 = 740n * 740n + 4n * 0x10000n * 4486780496n;
  const s2 = (bitLength(d2) + 16) >> 4;
  assert.equal(
    toHex(signedToFixedBytes(-0x10000n, s2)) + toHex(signedToFixedBytes(-740n, s2)),
    "ffff0000fffffd1c",
  );
  const buf = fromHex("ff100000ffffffff");
  const s3 = (bitLength(4486780496111111n) + 16) >> 4;
  const a = fixedBytesToSigned(buf.subarray(0, s3)), b = fixedBytesToSigned(buf.subarray(s3));
  assert.deepEqual([a, b], [-0xf00000n, -1n]);
  assert.equal(
    toHex(signedToFixedBytes(a, s3)) + toHex(signedToFixedBytes(b, s3)),
    "ff100000ffffffff",
  );
  const n = -565721958565721958n;
  assert.equal(toHex(signedToFixedBytes(n, (bitLength(n) + 16) >> 3)), "fff82626e0420d489a");
});

test(
  "a 2048-bit form serializes in 258 bytes; the generator of abcd's group round-trips",
  SLOW,
  () => {
    const d = createDiscriminant(new Uint8Array([0xab, 0xcd]), 2048);
    const g = classGroup(d);
    assert.equal(g.byteSize, 129);
    const x = generatorForm(d);
    const bytes = serializeForm(x);
    assert.equal(toHex(bytes), "00".repeat(128) + "02" + "00".repeat(128) + "01");
    assert.deepEqual(deserializeForm(bytes, d), x);
    assert.equal(
      toHex(serializeForm(identityForm(d))),
      "00".repeat(128) + "01" + "00".repeat(128) + "01",
    );
  },
);

// ---------------------------------------------------------------------------------------------
// Properties, in groups of 128- to 512-bit discriminants.

const groups = [64, 128, 256, 512].map((bits) =>
  classGroup(createDiscriminant(new Uint8Array([bits >> 8, bits & 255]), bits))
);

/** x^e by plain composition only (no NUDUPL/NUCOMP), so inputs do not depend on what is tested. */
function plainPow(f: Form, e: bigint): Form {
  let result = identityForm(formDiscriminant(f)), base = reduceForm(f);
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) result = composeForms(result, base);
    base = composeForms(base, base);
  }
  return result;
}

const groupArb = fc.noShrink(fc.constantFrom(...groups));
const elementOf = (g: ClassGroup) =>
  fc.noShrink(fc.bigInt({ min: 1n, max: 2n ** 40n })).map((e) =>
    plainPow(generatorForm(g.discriminant), e)
  );
// Arbitraries here do not shrink: each try costs group operations, and shrinking against a
// deliberately broken rule would try thousands. A failure still replays with SEED.
const withForms = (count: number) =>
  fc.noShrink(groupArb.chain((g) =>
    fc.tuple(
      fc.constant(g),
      fc.noShrink(fc.array(elementOf(g), { minLength: count, maxLength: count })),
    )
  ));

test("NUDUPL and NUCOMP equal plain composition", SLOW, () => {
  const squares = (square: typeof squareForm) =>
    fc.property(withForms(1), ([g, [f]]) => {
      assert.deepEqual(square(g, f), composeForms(f, f));
    });
  holds(squares(squareForm), 60);
  // Broken rule: NUDUPL without the sign correction gives the inverse of the square.
  catches(
    squares((g, f) => {
      const s = squareForm(g, f);
      return reduceForm({ a: s.a, b: -s.b, c: s.c });
    }),
    60,
  );
  const products = (multiply: typeof multiplyForms) =>
    fc.property(withForms(2), ([g, [f, h]]) => {
      assert.deepEqual(multiply(g, f, h), composeForms(f, h));
      // f·f: gcd(a1, a2) = a, NUCOMP's branch with a common divisor.
      assert.deepEqual(multiply(g, f, f), composeForms(f, f));
    });
  holds(products(multiplyForms), 60);
  catches(products((g, f, h) => multiplyForms(g, f, reduceForm({ a: h.a, b: -h.b, c: h.c }))), 60);
});

/**
 * Composite discriminants D = −p·q (p small, q a prime) have *ambiguous* forms (p, p, (p + q)/4)
 * with gcd(a, b) = p > 1, the case where NUDUPL and NUCOMP divide by a common factor d1. The
 * VDF's prime discriminants never reach it, but the algorithms must still be right there.
 */
const compositeCase = fc.noShrink(
  fc.tuple(
    fc.noShrink(fc.constantFrom(3n, 5n, 7n, 11n, 13n)),
    fc.noShrink(fc.bigInt({ min: 2n ** 40n, max: 2n ** 90n })),
  )
    .map(([p, start]) => {
      let q = start * 4n + ((4n - (p % 4n)) % 4n); // p + q ≡ 0 (mod 4)
      while (!isProbablePrime(q)) q += 4n;
      const d = -p * q;
      return { g: classGroup(d), ambiguous: reduceForm({ a: p, b: p, c: (p + q) / 4n }) };
    }),
);

test(
  "NUDUPL and NUCOMP equal plain composition where forms share a factor (composite D)",
  SLOW,
  () => {
    const agree = (square: typeof squareForm) =>
      fc.property(
        compositeCase,
        fc.noShrink(fc.bigInt({ min: 0n, max: 2n ** 30n })),
        ({ g, ambiguous }, e) => {
          const other = plainPow(generatorOrIdentity(g.discriminant), e);
          const mixed = composeForms(ambiguous, other);
          for (const f of [ambiguous, other, mixed]) {
            assert.deepEqual(square(g, f), composeForms(f, f));
            for (const h of [ambiguous, other, mixed]) {
              assert.deepEqual(multiplyForms(g, f, h), composeForms(f, h));
            }
          }
        },
      );
    holds(agree(squareForm), 40);
    catches(agree(nudUplIgnoringCommonFactor), 40);
  },
);

/**
 * A deliberately broken NUDUPL (Cohen 5.4.8 with partial reduction skipped, which is allowed)
 * that forgets the common factor d1 = gcd(a, b): right whenever d1 = 1, wrong otherwise.
 */
function nudUplIgnoringCommonFactor(_group: ClassGroup, f: Form): Form {
  const { a, b, c } = reduceForm(f);
  const { y } = extendedGcd(a, b); // y·b ≡ gcd(a, b) (mod a)
  const k = floorMod(-c * y, a); // the right rule divides a, b by the gcd first
  return reduceForm({ a: a * a, b: b + 2n * a * k, c: k * k + (b * k + c) / a });
}

test("results are reduced and unique: commutative, associative, identity, inverse", SLOW, () => {
  const laws = (mul: typeof multiplyForms) =>
    fc.property(withForms(3), ([g, [f, h, k]]) => {
      const e = identityForm(g.discriminant);
      const fh = mul(g, f, h);
      assert.ok(isReducedForm(fh));
      assert.equal(formDiscriminant(fh), g.discriminant);
      assert.deepEqual(fh, mul(g, h, f));
      assert.deepEqual(mul(g, fh, k), mul(g, f, mul(g, h, k)));
      assert.deepEqual(mul(g, f, e), f);
      assert.deepEqual(mul(g, f, { a: f.a, b: -f.b, c: f.c }), e);
    });
  holds(laws(multiplyForms), 40);
  // Broken rule: a "product" that squares its second factor is neither commutative nor unital.
  catches(laws((g, f, h) => multiplyForms(g, f, squareForm(g, h))), 40);
});

test("powForm: f^(m+n) = f^m·f^n and f^0 = 1; matches plain exponentiation", SLOW, () => {
  const prop = (pow: typeof powForm) =>
    fc.property(
      withForms(1),
      fc.noShrink(fc.bigInt({ min: 0n, max: 2n ** 70n })),
      fc.noShrink(fc.bigInt({ min: 0n, max: 2n ** 70n })),
      ([g, [f]], m, n) => {
        assert.deepEqual(pow(g, f, m + n), multiplyForms(g, pow(g, f, m), pow(g, f, n)));
        assert.deepEqual(pow(g, f, m), plainPow(f, m));
      },
    );
  holds(prop(powForm), 25);
  // Broken rule: square-and-multiply that drops the last bit of the exponent.
  catches(prop((g, f, e) => powForm(g, f, (e >> 1n) << 1n)), 25);
});

/** A random change of variables of determinant 1: a product of the moves (x ± y, y) and (y, −x). */
function transform(f: Form, moves: number[]): Form {
  let { a, b, c } = f;
  for (const m of moves) {
    if (m === 0) [b, c] = [b + 2n * a, a + b + c]; // x → x + y
    else if (m === 1) [b, c] = [b - 2n * a, a - b + c]; // x → x − y
    else [a, b, c] = [c, -b, a]; // (x, y) → (y, −x)
  }
  return { a, b, c };
}

test("reduction: every equivalent form reduces to the same reduced form", SLOW, () => {
  // Small discriminants too: there the boundary cases a = c and |b| = a occur often.
  const small = [-3n, -7n, -15n, -23n, -35n, -39n, -47n, -55n, -71n, -95n, -143n];
  const discs = fc.noShrink(fc.oneof(
    fc.noShrink(fc.constantFrom(...small)),
    groupArb.map((g) => g.discriminant),
  ));
  const unique = (reduce: typeof reduceForm) =>
    fc.property(
      discs,
      fc.noShrink(fc.bigInt({ min: 0n, max: 2n ** 30n })),
      fc.noShrink(fc.array(fc.nat(2), { maxLength: 60 })),
      (d, e, moves) => {
        const f = plainPow(generatorOrIdentity(d), e);
        const r = reduce(transform(f, moves));
        assert.ok(isReducedForm(r), `${r.a} ${r.b} ${r.c}`);
        assert.deepEqual(r, f);
      },
    );
  holds(unique(reduceForm), 300);
  // Broken rule: a reduction that forgets "b ≥ 0 when a = c".
  catches(
    unique((f) => {
      let { a, b, c } = normalizeForm(f);
      while (a > c) {
        const s = floorDiv(c + b, 2n * c);
        [a, b, c] = [c, -b + 2n * s * c, c * s * s - b * s + a];
      }
      return normalizeForm({ a, b, c });
    }),
    300,
  );
});

/** (2, 1, …) where D ≡ 1 mod 8, else the form (1, 1, …) times a small form of D. */
function generatorOrIdentity(d: bigint): Form {
  if (((d % 8n) + 8n) % 8n === 1n) return generatorForm(d);
  // For D ≡ 5 mod 8 take a form (p, b, …) with a small odd prime p; search is tiny.
  for (let p = 3n;; p += 2n) {
    for (let b = 1n; b < 2n * p; b += 2n) {
      if ((b * b - d) % (4n * p) === 0n) return reduceForm(formFromAB(p, b, d));
    }
  }
}

test(
  "serialization round-trips and deserialization accepts exactly what serialization writes",
  SLOW,
  () => {
    const roundTrip = (serialize: typeof serializeForm) =>
      fc.property(withForms(1), ([g, [f]]) => {
        const bytes = serialize(f);
        assert.equal(bytes.length, 2 * g.byteSize);
        assert.deepEqual(deserializeForm(bytes, g.discriminant), f);
      });
    holds(roundTrip(serializeForm), 50);
    // Broken rule: b written as its magnitude (an unsigned encoding).
    catches(roundTrip((f) => serializeForm({ a: f.a, b: f.b < 0n ? -f.b : f.b, c: f.c })), 50);
    const strict = (read: typeof deserializeForm) =>
      fc.property(
        groupArb,
        fc.noShrink(fc.uint8Array({ maxLength: 140 })),
        fc.noShrink(fc.boolean()),
        (g, raw, fit) => {
          // Half of the inputs get the right length, with a small a so that some lie on the group.
          const bytes = fit ? fitted(raw, g) : raw;
          try {
            const f = read(bytes, g.discriminant);
            assert.ok(isReducedForm(f) && formDiscriminant(f) === g.discriminant);
            assert.equal(toHex(serializeForm(f)), toHex(bytes));
          } catch (e) {
            if (!isSpecError(e)) throw e;
          }
        },
      );
    holds(strict(deserializeForm), 500);
    // Broken rule: Go's lenient reading (length check only, c by floor division).
    catches(
      strict((bytes, d) => {
        const size = g0Size(d);
        if (bytes.length !== 2 * size) throw new Error("not a SpecError: Go panics");
        const a = fixedBytesToSigned(bytes.subarray(0, size)),
          b = fixedBytesToSigned(bytes.subarray(size));
        return { a, b, c: floorDiv(b * b - d, 4n * a) };
      }),
      500,
    );
  },
);

function g0Size(d: bigint): number {
  return (bitLength(d) + 16) >> 4;
}

/** Raw bytes shaped to the serialization length of g, with a small positive a and odd b. */
function fitted(raw: Uint8Array, g: ClassGroup): Uint8Array {
  const out = new Uint8Array(2 * g.byteSize);
  const a = BigInt(1 + (raw[0] ?? 0) % 8);
  const b = BigInt(((raw[1] ?? 0) % 17) - 8) | 1n;
  out.set(signedToFixedBytes(a, g.byteSize), 0);
  out.set(signedToFixedBytes(b, g.byteSize), g.byteSize);
  if (raw.length > 2 && raw[2] < 64) out.set(raw.subarray(3, 3 + g.byteSize), 0); // sometimes noise
  return out;
}

test(
  "Go TestTwoSquarePerformance: repeated NUDUPL equals repeated plain squaring (2048 bits)",
  SLOW,
  () => {
    const seeds = FULL ? 10 : 1, rounds = FULL ? 5000 : 40;
    for (let s = 0; s < seeds; s++) {
      const d = createDiscriminant(new Uint8Array([0xab, 0xcd, s]), 2048);
      const g = classGroup(d);
      let fast = generatorForm(d), slow = fast;
      for (let i = 0; i < rounds; i++) {
        fast = squareForm(g, fast);
        slow = composeForms(slow, slow);
      }
      assert.ok(formsEqual(fast, slow));
    }
  },
);
