/**
 * Properties of Dec, each checked against rounding computed independently with plain bigint
 * arithmetic in this file (floor division and doubled remainders, not the spec's chopping), and
 * each shown to catch a deliberately broken rule.
 *
 * The generators lean on the hard cases: exact ties at the 18th decimal (x.5 ulp), values next to
 * the 315-bit overflow limit, negative operands, tiny mantissas and huge ones.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import {
  type Dec,
  decAdd,
  decCeil,
  decCmp,
  decFromString,
  decGTE,
  decLTE,
  decMax,
  decMin,
  decMul,
  decMulIntRoundInt,
  decMulTruncate,
  decQuo,
  decQuoRoundUp,
  decQuoTruncate,
  decRoundInt,
  decSub,
  decToString,
  decTruncateInt,
} from "../../spec/numeric/decimal.ts";
import { isSpecError, SpecError } from "../../spec/errors.ts";

const S = 10n ** 18n;
const LIMIT = 1n << 315n;

// ---------------------------------------------------------------------------------------------
// Independent arithmetic

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** ⌊n / d⌋ for d > 0. */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** n / d (d > 0) rounded to nearest, ties to even, via the floor and a doubled remainder. */
function halfEvenDiv(n: bigint, d: bigint): bigint {
  const q = floorDiv(n, d);
  const twice = 2n * (n - q * d);
  if (twice < d) return q;
  if (twice > d) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** The sign of x: -1n, 0n or 1n. */
function sign(x: bigint): bigint {
  return x < 0n ? -1n : x > 0n ? 1n : 0n;
}

/** Runs `f`, giving `"overflow"` for a numeric/overflow rejection. */
function orOverflow(f: () => Dec): Dec | "overflow" {
  try {
    return f();
  } catch (e) {
    if (isSpecError(e, "numeric/overflow")) return "overflow";
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Mantissas: small, ordinary, exact halves and near-halves, huge, and next to the limit. */
const mantissa: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -4n, max: 4n }),
  fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
  fc.tuple(
    fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
    fc.constantFrom(S / 2n, S / 2n - 1n, S / 2n + 1n, 0n, 1n, S - 1n),
  ).map(([k, r]) => k * S + (k < 0n ? -r : r)),
  fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }),
  fc.tuple(fc.bigInt({ min: 0n, max: 1000n }), fc.boolean())
    .map(([k, neg]) => (neg ? -(LIMIT - k) : LIMIT - k)),
);
const dec: fc.Arbitrary<Dec> = mantissa.map((m) => ({ mantissa: m }));
const nonZeroDec: fc.Arbitrary<Dec> = dec.filter((d) => d.mantissa !== 0n);

/** Pairs whose exact product hits a tie at the 18th decimal: (k + 1/2)·10^-18 · 1. */
const mulTiePair: fc.Arbitrary<[Dec, Dec]> = fc.tuple(
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  fc.constantFrom(1n, -1n),
).map(([k, b]) => [{ mantissa: k * S + S / 2n }, { mantissa: b }]);
const mulPair = fc.oneof(fc.tuple(dec, dec), mulTiePair);

/** Pairs whose exact quotient is a tie: (2j+1)·c / (2·10^18·c) = j + 1/2 ulp. */
const quoTiePair: fc.Arbitrary<[Dec, Dec]> = fc.tuple(
  fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
  fc.bigInt({ min: 1n, max: 10n ** 9n }),
  fc.boolean(),
).map(([j, c, neg]) => [{ mantissa: (2n * j + 1n) * c }, {
  mantissa: (neg ? -2n : 2n) * S * c,
}]);
const quoPair = fc.oneof(fc.tuple(dec, nonZeroDec), quoTiePair);

// ---------------------------------------------------------------------------------------------
// Text

type Format = (d: Dec) => string;

const roundTrip = (format: Format) =>
  fc.property(dec, (d) => decFromString(format(d)).mantissa === d.mantissa);

/** Broken: forgets to pad the decimals to 18 places, so 0.05 prints as 0.5. */
const formatUnpadded: Format = (d) => {
  const m = abs(d.mantissa);
  const frac = m % S;
  const text = (m / S).toString() + (frac === 0n ? "" : "." + frac.toString());
  return (d.mantissa < 0n ? "-" : "") + text;
};

test("property: decFromString(decToString(d)) = d", () => {
  holds(roundTrip(decToString));
  catches(roundTrip(formatUnpadded));
});

const CANONICAL = /^-?(0|[1-9][0-9]*)(\.[0-9]{0,17}[1-9])?$/;
const canonicalText = (format: Format) =>
  fc.property(dec, (d) => {
    const text = format(d);
    return CANONICAL.test(text) && text !== "-0";
  });

/** Broken: prints all 18 decimals, as cosmos-sdk does, instead of Harmony's shortest form. */
const formatFull: Format = (d) => {
  const m = abs(d.mantissa);
  const text = `${m / S}.${(m % S).toString().padStart(18, "0")}`;
  return (d.mantissa < 0n ? "-" : "") + text;
};

test("property: decToString gives the shortest form (no trailing zeros, no '-0')", () => {
  holds(canonicalText(decToString));
  catches(canonicalText(formatFull));
});

/** Decimal text generators: the strict grammar, and anything at all. */
const cleanText: fc.Arbitrary<string> = fc.tuple(
  fc.boolean(),
  fc.stringMatching(/^[0-9]{1,40}$/),
  fc.option(fc.stringMatching(/^[0-9]{1,18}$/), { nil: undefined }),
).map(([neg, int, frac]) => `${neg ? "-" : ""}${int}${frac === undefined ? "" : "." + frac}`);

type Parse = (text: string) => Dec;

const parsesCleanText = (parse: Parse) =>
  fc.property(cleanText, (text) => {
    const negative = text.startsWith("-");
    const [int, frac = ""] = (negative ? text.slice(1) : text).split(".");
    let m = BigInt(int);
    for (let i = 0; i < 18; i++) m = m * 10n + BigInt(i < frac.length ? Number(frac[i]) : 0);
    return parse(text).mantissa === (negative ? -m : m);
  });

/** Broken: reads the decimals as a number of their own, so 1.05 becomes 1.5. */
const parseDropsZeros: Parse = (text) => {
  const negative = text.startsWith("-");
  const [int, frac = "0"] = (negative ? text.slice(1) : text).split(".");
  const m = BigInt(int) * S + BigInt(BigInt(frac).toString().padEnd(18, "0").slice(0, 18));
  return { mantissa: negative ? -m : m };
};

test("property: decFromString reads [-]digits[.digits] exactly", () => {
  holds(parsesCleanText(decFromString));
  catches(parsesCleanText(parseDropsZeros));
});

const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom("0", "1", "9", ".", "-", "+", " ", "e", "x", "_", "é", "٣", "\u0000"),
    maxLength: 30,
  }),
  cleanText.map((t) => t + "0".repeat(3)),
);

const valueOrSpecError = (parse: Parse) =>
  fc.property(anyText, (text) => {
    try {
      const d = parse(text);
      // A value must read back the same through the text Harmony would print.
      return typeof d.mantissa === "bigint" &&
        decFromString(decToString(d)).mantissa === d.mantissa;
    } catch (e) {
      return isSpecError(e) && e.code.startsWith("numeric/");
    }
  });

/** Broken: hands the digits straight to BigInt, which throws SyntaxError on junk. */
const parseUnchecked: Parse = (text) => {
  const negative = text.startsWith("-");
  const [int, frac = ""] = (negative ? text.slice(1) : text).split(".");
  const m = BigInt(int + frac.padEnd(18, "0"));
  return { mantissa: negative ? -m : m };
};

test("fuzz: decFromString on arbitrary text gives a value or a numeric SpecError", () => {
  holds(valueOrSpecError(decFromString), 1000);
  catches(valueOrSpecError(parseUnchecked), 1000);
});

// ---------------------------------------------------------------------------------------------
// Multiplication

type Binary = (a: Dec, b: Dec) => Dec;

/** Expected rounded product, or "overflow" when it does not fit in 315 bits. */
function expectedMul(a: Dec, b: Dec, round: (n: bigint) => bigint): Dec | "overflow" {
  const m = round(a.mantissa * b.mantissa);
  return abs(m) >= LIMIT ? "overflow" : { mantissa: m };
}

const mulRoundsHalfEven = (mul: Binary) =>
  fc.property(mulPair, ([a, b]) => {
    assert.deepEqual(orOverflow(() => mul(a, b)), expectedMul(a, b, (n) => halfEvenDiv(n, S)));
  });

/** Broken: rounds ties away from zero instead of to even. */
const mulHalfAway: Binary = (a, b) => {
  const p = a.mantissa * b.mantissa;
  const q = (abs(p) + S / 2n) / S;
  return { mantissa: p < 0n ? -q : q };
};

test("property: decMul = exact product rounded half to even, or overflow past 315 bits", () => {
  holds(mulRoundsHalfEven(decMul), 300);
  catches(mulRoundsHalfEven(mulHalfAway), 300);
});

const mulTruncates = (mulTruncate: Binary) =>
  fc.property(mulPair, ([a, b]) => {
    const p = a.mantissa * b.mantissa;
    const expected = expectedMul(a, b, (n) => sign(n) * floorDiv(abs(n), S));
    const got = orOverflow(() => mulTruncate(a, b));
    assert.deepEqual(got, expected);
    if (got === "overflow") return;
    // Never beyond the exact product, and within one ulp of it.
    assert.ok(abs(got.mantissa * S) <= abs(p) && abs(p) - abs(got.mantissa * S) < S);
  });

/** Broken: floors (toward minus infinity) instead of truncating toward zero. */
const mulFloor: Binary = (a, b) => ({ mantissa: floorDiv(a.mantissa * b.mantissa, S) });

test("property: decMulTruncate never exceeds the exact product and is within one ulp", () => {
  holds(mulTruncates(decMulTruncate), 300);
  catches(mulTruncates(mulFloor), 300);
});

// ---------------------------------------------------------------------------------------------
// Division

const quoWithinHalfUlp = (quo: Binary) =>
  fc.property(quoPair, ([a, b]) => {
    const got = orOverflow(() => quo(a, b));
    if (got === "overflow") {
      // The result must really be past the limit (allowing the one ulp of rounding).
      assert.ok(abs(a.mantissa * S) >= (LIMIT - 1n) * abs(b.mantissa));
      return;
    }
    // |r - a/b| <= 1/2 ulp + 10^-18 ulp (the 36-decimal truncation), scaled to integers.
    const err = abs(got.mantissa * b.mantissa - a.mantissa * S);
    assert.ok(2n * S * err <= abs(b.mantissa) * (S + 2n), `error ${err} for ${a}/${b}`);
  });

/** Broken: truncates instead of rounding. */
const quoTruncating: Binary = (a, b) => ({ mantissa: (a.mantissa * S) / b.mantissa });

test("property: decQuo is within half an ulp (plus the 36-decimal truncation) of a/b", () => {
  holds(quoWithinHalfUlp(decQuo), 300);
  catches(quoWithinHalfUlp(quoTruncating), 300);
});

const quoTiesToEven = (quo: Binary) =>
  fc.property(quoTiePair, ([a, b]) => {
    // The quotient is exactly j + 1/2 ulp: its 36 decimals are exact, so Go's double rounding
    // is a single half-to-even rounding of the exact value here.
    const got = quo(a, b);
    assert.equal(got.mantissa, halfEvenDiv(a.mantissa * S * sign(b.mantissa), abs(b.mantissa)));
  });

/** Broken: rounds ties of the quotient up (toward plus infinity). */
const quoHalfUp: Binary = (a, b) => {
  const n = a.mantissa * S * sign(b.mantissa);
  return { mantissa: floorDiv(2n * n + abs(b.mantissa), 2n * abs(b.mantissa)) };
};

test("property: decQuo rounds exact ties to even", () => {
  holds(quoTiesToEven(decQuo), 300);
  catches(quoTiesToEven(quoHalfUp), 300);
});

const quoTruncates = (quoTruncate: Binary) =>
  fc.property(quoPair, ([a, b]) => {
    const got = orOverflow(() => quoTruncate(a, b));
    const n = a.mantissa * S * sign(b.mantissa);
    const t = sign(n) * floorDiv(abs(n), abs(b.mantissa));
    assert.deepEqual(got, abs(t) >= LIMIT ? "overflow" : { mantissa: t });
    if (got === "overflow") return;
    // Never beyond the exact quotient in magnitude, and within one ulp of it.
    const exact = abs(a.mantissa * S);
    const reached = abs(got.mantissa * b.mantissa);
    assert.ok(reached <= exact && exact - reached < abs(b.mantissa));
  });

/** Broken: floors instead of truncating toward zero. */
const quoFloor: Binary = (a, b) => ({
  mantissa: floorDiv(a.mantissa * S * sign(b.mantissa), abs(b.mantissa)),
});

test("property: decQuoTruncate is the exact quotient truncated toward zero", () => {
  holds(quoTruncates(decQuoTruncate), 300);
  catches(quoTruncates(quoFloor), 300);
});

const quoRoundUpBounds = (quoRoundUp: Binary) =>
  fc.property(quoPair, ([a, b]) => {
    const up = orOverflow(() => quoRoundUp(a, b));
    const down = orOverflow(() => decQuoTruncate(a, b));
    if (up === "overflow" || down === "overflow") return;
    // Rounding up moves a positive quotient at most one ulp up and leaves a negative one as
    // truncated (toward zero is up for it).
    const step = up.mantissa - down.mantissa;
    assert.ok(step === 0n || step === 1n, `step ${step}`);
    if (sign(a.mantissa) * sign(b.mantissa) < 0n) assert.equal(step, 0n);
    // A positive quotient whose 36-decimal truncation has a fraction is rounded up.
    const t36 = abs(a.mantissa * S * S) / abs(b.mantissa);
    if (sign(a.mantissa) * sign(b.mantissa) > 0n && t36 % S !== 0n) assert.equal(step, 1n);
  });

/** Broken: rounds a negative quotient away from zero too (down, not up). */
const quoUpAwayFromZero: Binary = (a, b) => {
  const t = decQuoTruncate(a, b);
  const exact = t.mantissa * b.mantissa === a.mantissa * S;
  return { mantissa: exact ? t.mantissa : t.mantissa + (t.mantissa < 0n ? -1n : 1n) };
};

test("property: decQuoRoundUp lies between the truncation and one ulp above it", () => {
  holds(quoRoundUpBounds(decQuoRoundUp), 300);
  catches(quoRoundUpBounds(quoUpAwayFromZero), 300);
});

const mulThenQuo = (quo: Binary) =>
  fc.property(dec, dec, (a, b) => {
    fc.pre(abs(b.mantissa) >= S && abs(a.mantissa) < 1n << 150n && abs(b.mantissa) < 1n << 150n);
    // mul is off by at most 1/2 ulp, dividing by |b| >= 1 keeps that, quo adds 1/2 ulp more.
    const back = quo(decMul(a, b), b);
    assert.ok(abs(back.mantissa - a.mantissa) <= 1n, `${a.mantissa} came back ${back.mantissa}`);
  });

/** Broken: divides by the divisor's mantissa as if it were an integer. */
const quoByMantissa: Binary = (a, b) => ({ mantissa: a.mantissa / b.mantissa });

test("property: decQuo(decMul(a, b), b) is within one ulp of a when |b| >= 1", () => {
  holds(mulThenQuo(decQuo), 300);
  catches(mulThenQuo(quoByMantissa), 300);
});

// ---------------------------------------------------------------------------------------------
// Addition and the overflow limit

/** Pairs whose sum lands within a few ulps of ±2^315, on either side of the limit. */
const nearLimitPair: fc.Arbitrary<[Dec, Dec]> = fc.tuple(
  fc.bigInt({ min: 0n, max: 3n }),
  fc.bigInt({ min: -3n, max: 3n }),
  fc.boolean(),
).map(([k, j, neg]) => {
  const a = LIMIT - k;
  return neg ? [{ mantissa: -a }, { mantissa: -j }] : [{ mantissa: a }, { mantissa: j }];
});

const addExactOrOverflow = (add: Binary) =>
  fc.property(fc.oneof(fc.tuple(dec, dec), nearLimitPair), ([a, b]) => {
    const sum = a.mantissa + b.mantissa;
    // Go's rule is BitLen() > 315; BitLen counts the binary digits of the magnitude.
    const tooLong = abs(sum).toString(2).length > 315;
    assert.deepEqual(orOverflow(() => add(a, b)), tooLong ? "overflow" : { mantissa: sum });
    // Subtracting b again gives a back, when a itself is within the limit.
    if (!tooLong && abs(a.mantissa) < LIMIT) {
      assert.equal(decSub({ mantissa: sum }, b).mantissa, a.mantissa);
    }
  });

/** Broken: lets a sum of exactly 2^315 through (an off-by-one in the limit). */
const addOffByOne: Binary = (a, b) => {
  const sum = a.mantissa + b.mantissa;
  if (abs(sum) > LIMIT) throw new SpecError("numeric/overflow");
  return { mantissa: sum };
};

test("property: decAdd is exact below 2^315 and overflows from 2^315 on", () => {
  holds(addExactOrOverflow(decAdd), 500);
  catches(addExactOrOverflow(addOffByOne), 500);
});

// ---------------------------------------------------------------------------------------------
// To integers

type ToInt = (d: Dec) => bigint;

const roundsToNearestEven = (round: ToInt) =>
  fc.property(dec, (d) => round(d) === halfEvenDiv(d.mantissa, S));

/** Broken: rounds half up (toward plus infinity), as Math.round does. */
const roundHalfUp: ToInt = (d) => floorDiv(d.mantissa + S / 2n, S);

test("property: decRoundInt rounds half to even", () => {
  holds(roundsToNearestEven(decRoundInt), 300);
  catches(roundsToNearestEven(roundHalfUp), 300);
});

/** Expected `d · i` rounded to an integer, or "overflow" when the product exceeds 315 bits. */
function expectedMulIntRounded(d: Dec, i: bigint): bigint | "overflow" {
  const product = d.mantissa * i;
  return abs(product) >= LIMIT ? "overflow" : halfEvenDiv(product, S);
}

const mulIntRoundsToNearestEven = (mulRound: (d: Dec, i: bigint) => bigint) =>
  fc.property(dec, mantissa, (d, i) => {
    let got: bigint | "overflow";
    try {
      got = mulRound(d, i);
    } catch (e) {
      if (!isSpecError(e, "numeric/overflow")) throw e;
      got = "overflow";
    }
    return got === expectedMulIntRounded(d, i);
  });

test("property: decMulIntRoundInt is the product rounded half to even, or overflow", () => {
  holds(mulIntRoundsToNearestEven(decMulIntRoundInt), 300);
  // Broken: rounds the product half up, as Math.round does.
  catches(mulIntRoundsToNearestEven((d, i) => roundHalfUp({ mantissa: d.mantissa * i })), 300);
});

const truncatesTowardZero = (truncate: ToInt) =>
  fc.property(dec, (d) => truncate(d) === sign(d.mantissa) * floorDiv(abs(d.mantissa), S));

test("property: decTruncateInt truncates toward zero", () => {
  holds(truncatesTowardZero(decTruncateInt), 300);
  catches(truncatesTowardZero((d) => floorDiv(d.mantissa, S)), 300);
});

const ceilIsSmallestWholeAbove = (ceil: (d: Dec) => Dec) =>
  fc.property(dec, (d) => ceil(d).mantissa === -floorDiv(-d.mantissa, S) * S);

/** Broken: truncates instead of rounding a positive fraction up. */
const ceilTruncating = (d: Dec): Dec => ({ mantissa: (d.mantissa / S) * S });

test("property: decCeil is the smallest whole number not below d", () => {
  holds(ceilIsSmallestWholeAbove(decCeil), 300);
  catches(ceilIsSmallestWholeAbove(ceilTruncating), 300);
});

// ---------------------------------------------------------------------------------------------
// Comparisons

const comparisonsAgree = (lte: (a: Dec, b: Dec) => boolean) =>
  fc.property(fc.oneof(fc.tuple(dec, dec), dec.map((d) => [d, { ...d }] as [Dec, Dec])), (
    [a, b],
  ) => {
    const c = decCmp(a, b);
    const order = a.mantissa < b.mantissa ? -1 : a.mantissa > b.mantissa ? 1 : 0;
    assert.equal(c, order);
    assert.equal(lte(a, b), order <= 0);
    assert.equal(decGTE(a, b), order >= 0);
    assert.equal(decMin(a, b).mantissa, order <= 0 ? a.mantissa : b.mantissa);
    assert.equal(decMax(a, b).mantissa, order >= 0 ? a.mantissa : b.mantissa);
  });

test("property: comparisons, min and max follow the order of the mantissas", () => {
  holds(comparisonsAgree(decLTE), 300);
  catches(comparisonsAgree((a, b) => a.mantissa < b.mantissa), 300);
});
