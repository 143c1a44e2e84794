/**
 * The expectations of Harmony's own Dec tests, restated.
 *
 * Every table of github.com/harmony-one/harmony numeric/decimal_test.go that concerns a rule is
 * here with its values. Expected values are written as literal mantissas or built with the local
 * {@link withPrec} helper (`i * 10^(18 - prec)`), never with the functions under test. Where the
 * Go test only says "an error", the code asserted is the one matching Go's error message.
 *
 * Not restated, because the spec has nothing they test: TestDec_Copy (a bigint is immutable, so a
 * copy is the value itself), TestIsZeroes (a byte-string helper inside Go's `String`; its effect
 * is covered by TestDecString and TestDecMarshalJSON), the `nil` Dec row of TestDecString (a Dec
 * always has a value here).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Dec,
  DEC_ONE,
  DEC_PRECISION,
  DEC_SCALE,
  DEC_SMALLEST,
  DEC_ZERO,
  decAdd,
  decCeil,
  decEqual,
  decFromInt,
  decFromIntWithPrec,
  decFromMantissa,
  decFromString,
  decGT,
  decLT,
  decMul,
  decMulTruncate,
  decNeg,
  decPrecisionMultiplier,
  decQuo,
  decQuoRoundUp,
  decQuoTruncate,
  decRoundInt64,
  decsEqual,
  decSub,
  decToString,
  decTruncateInt64,
} from "../../spec/numeric/decimal.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";

/** Go's `NewDecWithPrec(i, prec)`, computed independently: `i * 10^(18 - prec)`. */
function withPrec(i: bigint, prec: number): Dec {
  let m = i;
  for (let k = prec; k < 18; k++) m *= 10n;
  return { mantissa: m };
}

/** The mantissa of plain decimal text such as `0.25` or `-3`, computed independently. */
function literal(text: string): Dec {
  const negative = text.startsWith("-");
  const [int, frac = ""] = (negative ? text.slice(1) : text).split(".");
  const m = BigInt(int + frac.padEnd(18, "0"));
  return { mantissa: negative ? -m : m };
}

/** Go's `NewDec(i)`. */
function whole(i: bigint): Dec {
  return withPrec(i, 0);
}

function assertRejects(f: () => unknown, code: SpecErrorCode, what: string): void {
  assert.throws(f, (e: unknown) => isSpecError(e, code), `${what} should be rejected with ${code}`);
}

test("constants: precision 18, one is 10^18 (Go Precision, OneDec, ZeroDec, SmallestDec)", () => {
  assert.equal(DEC_PRECISION, 18);
  assert.equal(DEC_SCALE, 1_000_000_000_000_000_000n);
  assert.equal(DEC_ONE.mantissa, 1_000_000_000_000_000_000n);
  assert.equal(DEC_ZERO.mantissa, 0n);
  assert.equal(DEC_SMALLEST.mantissa, 1n);
});

test("TestPrecisionMultiplier: the multiplier for 5 decimals is 10^13", () => {
  assert.equal(decPrecisionMultiplier(5), 10_000_000_000_000n);
});

test("NewDecWithPrec panics past 18 decimals (precisionMultiplier)", () => {
  assertRejects(() => decFromIntWithPrec(1n, 19), "numeric/precision-out-of-range", "prec 19");
  assertRejects(() => decFromIntWithPrec(1n, -1), "numeric/precision-out-of-range", "prec -1");
  assert.equal(decFromIntWithPrec(1n, 18).mantissa, 1n);
});

// TestNewDecFromStr: each string, and "-" + string, must parse to the value (negated) or fail.
const LARGE = 3144605511029693144278234343371835n;
const PARSE_TABLE: { text: string; expect: Dec | SpecErrorCode }[] = [
  { text: "", expect: "numeric/empty-string" },
  { text: "0.-75", expect: "numeric/malformed-number" },
  { text: "0", expect: whole(0n) },
  { text: "1", expect: whole(1n) },
  { text: "1.1", expect: withPrec(11n, 1) },
  { text: "0.75", expect: withPrec(75n, 2) },
  { text: "0.8", expect: withPrec(8n, 1) },
  { text: "0.11111", expect: withPrec(11111n, 5) },
  { text: "314460551102969.3144278234343371835", expect: "numeric/too-much-precision" },
  {
    text: "314460551102969314427823434337.1835718092488231350",
    expect: "numeric/too-much-precision",
  },
  { text: "314460551102969314427823434337.1835", expect: withPrec(LARGE, 4) },
  { text: ".", expect: "numeric/bad-decimal-length" },
  { text: ".0", expect: "numeric/bad-decimal-length" },
  { text: "1.", expect: "numeric/bad-decimal-length" },
  { text: "foobar", expect: "numeric/malformed-number" },
  { text: "0.foobar", expect: "numeric/malformed-number" },
  { text: "0.foobar.", expect: "numeric/too-many-periods" },
];

test("TestNewDecFromStr: values and rejections, positive and negated", () => {
  for (const { text, expect } of PARSE_TABLE) {
    for (const sign of ["", "-"]) {
      const input = sign + text;
      if (typeof expect === "string") {
        assertRejects(() => decFromString(input), expect, JSON.stringify(input));
      } else {
        const wanted = sign === "-" ? -expect.mantissa : expect.mantissa;
        assert.equal(decFromString(input).mantissa, wanted, JSON.stringify(input));
      }
    }
  }
});

test("TestDecString: shortest text without trailing zeros", () => {
  const table: [Dec, string][] = [
    [whole(0n), "0"],
    [whole(1n), "1"],
    [whole(10n), "10"],
    [whole(12340n), "12340"],
    [withPrec(12340n, 4), "1.234"],
    [withPrec(12340n, 5), "0.1234"],
    [withPrec(12340n, 8), "0.0001234"],
    [withPrec(1009009009009009009n, 17), "10.09009009009009009"],
  ];
  for (const [d, text] of table) assert.equal(decToString(d), text);
});

test("TestEqualities: GT, LT and Equal", () => {
  const table: [Dec, Dec, boolean, boolean, boolean][] = [
    [whole(0n), whole(0n), false, false, true],
    [withPrec(0n, 2), withPrec(0n, 4), false, false, true],
    [withPrec(100n, 0), withPrec(100n, 0), false, false, true],
    [withPrec(-100n, 0), withPrec(-100n, 0), false, false, true],
    [withPrec(-1n, 1), withPrec(-1n, 1), false, false, true],
    [withPrec(3333n, 3), withPrec(3333n, 3), false, false, true],
    [withPrec(0n, 0), withPrec(3333n, 3), false, true, false],
    [withPrec(0n, 0), withPrec(100n, 0), false, true, false],
    [withPrec(-1n, 0), withPrec(3333n, 3), false, true, false],
    [withPrec(-1n, 0), withPrec(100n, 0), false, true, false],
    [withPrec(1111n, 3), withPrec(100n, 0), false, true, false],
    [withPrec(1111n, 3), withPrec(3333n, 3), false, true, false],
    [withPrec(-3333n, 3), withPrec(-1111n, 3), false, true, false],
    [withPrec(3333n, 3), withPrec(0n, 0), true, false, false],
    [withPrec(100n, 0), withPrec(0n, 0), true, false, false],
    [withPrec(3333n, 3), withPrec(-1n, 0), true, false, false],
    [withPrec(100n, 0), withPrec(-1n, 0), true, false, false],
    [withPrec(100n, 0), withPrec(1111n, 3), true, false, false],
    [withPrec(3333n, 3), withPrec(1111n, 3), true, false, false],
    [withPrec(-1111n, 3), withPrec(-3333n, 3), true, false, false],
  ];
  table.forEach(([a, b, gt, lt, eq], i) => {
    assert.equal(decGT(a, b), gt, `GT row ${i}`);
    assert.equal(decLT(a, b), lt, `LT row ${i}`);
    assert.equal(decEqual(a, b), eq, `Equal row ${i}`);
  });
});

test("TestDecsEqual: element-wise list equality, both ways round", () => {
  const w = (...xs: bigint[]) => xs.map(whole);
  const table: [Dec[], Dec[], boolean][] = [
    [w(0n), w(0n), true],
    [w(0n), w(1n), false],
    [w(0n), w(), false],
    [w(0n, 1n), w(0n, 1n), true],
    [w(1n, 0n), w(1n, 0n), true],
    [w(1n, 0n), w(0n, 1n), false],
    [w(1n, 0n), w(1n), false],
    [w(1n, 2n), w(2n, 4n), false],
    [w(3n, 18n), w(1n, 6n), false],
  ];
  for (const [a, b, eq] of table) {
    assert.equal(decsEqual(a, b), eq);
    assert.equal(decsEqual(b, a), eq);
  }
});

// TestArithmetic: d1, d2, Mul, MulTruncate, Quo, QuoRoundUp, QuoTruncate, Add, Sub.
type ArithRow = [Dec, Dec, Dec, Dec, Dec, Dec, Dec, Dec, Dec];
const w = whole;
const ARITH_TABLE: ArithRow[] = [
  [w(0n), w(0n), w(0n), w(0n), w(0n), w(0n), w(0n), w(0n), w(0n)],
  [w(1n), w(0n), w(0n), w(0n), w(0n), w(0n), w(0n), w(1n), w(1n)],
  [w(0n), w(1n), w(0n), w(0n), w(0n), w(0n), w(0n), w(1n), w(-1n)],
  [w(0n), w(-1n), w(0n), w(0n), w(0n), w(0n), w(0n), w(-1n), w(1n)],
  [w(-1n), w(0n), w(0n), w(0n), w(0n), w(0n), w(0n), w(-1n), w(-1n)],
  [w(1n), w(1n), w(1n), w(1n), w(1n), w(1n), w(1n), w(2n), w(0n)],
  [w(-1n), w(-1n), w(1n), w(1n), w(1n), w(1n), w(1n), w(-2n), w(0n)],
  [w(1n), w(-1n), w(-1n), w(-1n), w(-1n), w(-1n), w(-1n), w(0n), w(2n)],
  [w(-1n), w(1n), w(-1n), w(-1n), w(-1n), w(-1n), w(-1n), w(0n), w(-2n)],
  [
    w(3n),
    w(7n),
    w(21n),
    w(21n),
    withPrec(428571428571428571n, 18),
    withPrec(428571428571428572n, 18),
    withPrec(428571428571428571n, 18),
    w(10n),
    w(-4n),
  ],
  [
    w(2n),
    w(4n),
    w(8n),
    w(8n),
    withPrec(5n, 1),
    withPrec(5n, 1),
    withPrec(5n, 1),
    w(6n),
    w(-2n),
  ],
  [w(100n), w(100n), w(10000n), w(10000n), w(1n), w(1n), w(1n), w(200n), w(0n)],
  [
    withPrec(15n, 1),
    withPrec(15n, 1),
    withPrec(225n, 2),
    withPrec(225n, 2),
    w(1n),
    w(1n),
    w(1n),
    w(3n),
    w(0n),
  ],
  [
    withPrec(3333n, 4),
    withPrec(333n, 4),
    withPrec(1109889n, 8),
    withPrec(1109889n, 8),
    { mantissa: 10_009009009009009009n },
    { mantissa: 10_009009009009009010n },
    { mantissa: 10_009009009009009009n },
    withPrec(3666n, 4),
    withPrec(3n, 1),
  ],
];

test("TestArithmetic: add, sub, mul, mul-truncate, and the quotients (zero divisor panics)", () => {
  ARITH_TABLE.forEach(([a, b, mul, mulTrunc, quo, quoUp, quoTrunc, add, sub], i) => {
    assert.equal(decAdd(a, b).mantissa, add.mantissa, `add row ${i}`);
    assert.equal(decSub(a, b).mantissa, sub.mantissa, `sub row ${i}`);
    assert.equal(decMul(a, b).mantissa, mul.mantissa, `mul row ${i}`);
    assert.equal(decMulTruncate(a, b).mantissa, mulTrunc.mantissa, `mul-truncate row ${i}`);
    if (b.mantissa === 0n) {
      assertRejects(() => decQuo(a, b), "numeric/division-by-zero", `quo row ${i}`);
      assertRejects(() => decQuoRoundUp(a, b), "numeric/division-by-zero", `quo-up row ${i}`);
      assertRejects(() => decQuoTruncate(a, b), "numeric/division-by-zero", `quo-trunc row ${i}`);
      return;
    }
    assert.equal(decQuo(a, b).mantissa, quo.mantissa, `quo row ${i}`);
    assert.equal(decQuoRoundUp(a, b).mantissa, quoUp.mantissa, `quo-round-up row ${i}`);
    assert.equal(decQuoTruncate(a, b).mantissa, quoTrunc.mantissa, `quo-truncate row ${i}`);
  });
});

test("TestBankerRoundChop: RoundInt64 rounds half to even, symmetrically", () => {
  const table: [string, bigint][] = [
    ["0.25", 0n],
    ["0", 0n],
    ["1", 1n],
    ["0.75", 1n],
    ["0.5", 0n],
    ["7.5", 8n],
    ["1.5", 2n],
    ["2.5", 2n],
    ["0.545", 1n],
    ["1.545", 2n],
  ];
  for (const [text, expected] of table) {
    const d = decFromString(text);
    assert.equal(decRoundInt64(decNeg(d)), -expected, `-${text}`);
    assert.equal(decRoundInt64(d), expected, text);
  }
});

test("TestTruncate: TruncateInt64 drops the decimals toward zero", () => {
  const table: [string, bigint][] = [
    ["0", 0n],
    ["0.25", 0n],
    ["0.75", 0n],
    ["1", 1n],
    ["1.5", 1n],
    ["7.5", 7n],
    ["7.6", 7n],
    ["7.4", 7n],
    ["100.1", 100n],
    ["1000.1", 1000n],
  ];
  for (const [text, expected] of table) {
    const d = decFromString(text);
    assert.equal(decTruncateInt64(decNeg(d)), -expected, `-${text}`);
    assert.equal(decTruncateInt64(d), expected, text);
  }
});

test("TestDecMarshalJSON: the text of raw mantissas, and back", () => {
  const table: [Dec, string][] = [
    [decFromMantissa(0n), "0"],
    [decFromMantissa(1n), "0.000000000000000001"],
    [decFromMantissa(10n), "0.00000000000000001"],
    [decFromMantissa(12340n), "0.00000000000001234"],
    [decFromInt(0n), "0"],
    [decFromInt(1n), "1"],
    [decFromInt(10n), "10"],
    [decFromInt(12340n), "12340"],
  ];
  for (const [d, text] of table) {
    assert.equal(decToString(d), text);
    assert.equal(decFromString(text).mantissa, d.mantissa);
    assert.equal(literal(text).mantissa, d.mantissa);
  }
});

test("TestSerializationText: the bare integer text of 0.333 is its mantissa", () => {
  const d = decFromString("0.333");
  assert.equal(d.mantissa.toString(), "333000000000000000");
  assert.ok(decEqual(decFromMantissa(BigInt("333000000000000000")), d));
});

test("TestStringOverflow: adding two 38-digit integers and printing the sum", () => {
  const a = decFromString("51643150036226787134389711697696177267");
  const b = decFromString("-31798496660535729618459429845579852627");
  assert.equal(decToString(decAdd(a, b)), "19844653375691057515930281852116324640");
});

test("TestDecCeil: the smallest whole number not below", () => {
  const table: [Dec, Dec][] = [
    [withPrec(1000000000000000n, 18), w(1n)],
    [withPrec(-1000000000000000n, 18), w(0n)],
    [w(0n), w(0n)],
    [withPrec(900000000000000000n, 18), w(1n)],
    [withPrec(4001000000000000000n, 18), w(5n)],
    [withPrec(-4001000000000000000n, 18), w(-4n)],
    [withPrec(4700000000000000000n, 18), w(5n)],
    [withPrec(-4700000000000000000n, 18), w(-4n)],
  ];
  for (const [d, ceil] of table) assert.equal(decCeil(d).mantissa, ceil.mantissa);
});

test("TestDiv: Quo of small integers", () => {
  const table: [string, string, string][] = [
    ["0", "1", "0"],
    ["1", "1", "1"],
    ["1", "2", "0.5"],
    ["2", "1", "2"],
    ["2", "3", "0.666666666666666667"],
    ["2", "4", "0.5"],
    ["2", "5", "0.4"],
    ["2", "6", "0.333333333333333333"],
    ["2", "7", "0.285714285714285714"],
    ["2", "8", "0.25"],
    ["2", "9", "0.222222222222222222"],
    ["2", "10", "0.2"],
  ];
  for (const [a, b, q] of table) {
    const got = decQuo(literal(a), literal(b));
    assert.equal(got.mantissa, literal(q).mantissa, `${a} / ${b}`);
  }
});
