/**
 * `numeric/dec_arith`: the binary operations on Dec with their rounding and limits.
 *
 * Values come from Harmony's TestArithmetic (all seven operations of every row; a zero divisor
 * panics in Go, here `numeric/division-by-zero`) and TestDiv, plus ties rounded half to even in
 * both directions and signs, Harmony's double rounding in `Quo`, the 315-bit limit on each side,
 * and the limit applying to results, not to operands.
 *
 * @module
 */
import { type Case, type Fields, type Handler, suite } from "../../harness.ts";
import {
  type Dec,
  decAdd,
  decMul,
  decMulInt,
  decMulTruncate,
  decQuo,
  decQuoInt,
  decQuoRoundUp,
  decQuoTruncate,
  decSub,
} from "../../../spec/numeric/decimal.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import { dec, int, readDec, readInt, readText, writeDec } from "./common.ts";
import type { DecodedFields } from "../../harness.ts";

/** Operations whose `b` is a Dec. */
const DEC_OPS: { [op: string]: (a: Dec, b: Dec) => Dec } = {
  add: decAdd,
  sub: decSub,
  mul: decMul,
  mul_truncate: decMulTruncate,
  quo: decQuo,
  quo_truncate: decQuoTruncate,
  quo_round_up: decQuoRoundUp,
};

/** Operations whose `b` is a plain integer. */
const INT_OPS: { [op: string]: (a: Dec, b: bigint) => Dec } = {
  mul_int: decMulInt,
  quo_int: decQuoInt,
};

function run(inputs: DecodedFields): Fields {
  const op = readText(inputs, "op");
  const a = readDec(inputs, "a");
  if (op in DEC_OPS) return { result: writeDec(DEC_OPS[op](a, readDec(inputs, "b"))) };
  if (op in INT_OPS) return { result: writeDec(INT_OPS[op](a, readInt(inputs, "b"))) };
  throw new Error(`unknown dec_arith op ${op}`);
}

/** Applies `op` to `a` and `b`. */
export const decArithHandler: Handler = {
  runner: "numeric",
  handler: "dec_arith",
  preset: "general",
  config: {},
  covers: [
    "decAdd",
    "decSub",
    "decMul",
    "decMulTruncate",
    "decMulInt",
    "decQuo",
    "decQuoTruncate",
    "decQuoRoundUp",
    "decQuoInt",
  ],
  run,
};

/** A case on byte-encoded operands, expecting a result (bytes) or an error. */
function arith(
  name: string,
  op: string,
  a: Uint8Array,
  b: Uint8Array,
  expected: Uint8Array | SpecErrorCode,
  description: string,
): Case {
  return {
    name,
    description,
    inputs: { op, a, b },
    expect: typeof expected === "string" ? { error: expected } : { result: expected },
  };
}

/** TestArithmetic: a, b, then Mul, MulTruncate, Quo, QuoRoundUp, QuoTruncate, Add, Sub. */
const GO_ARITH: string[][] = [
  ["0", "0", "0", "0", "0", "0", "0", "0", "0"],
  ["1", "0", "0", "0", "0", "0", "0", "1", "1"],
  ["0", "1", "0", "0", "0", "0", "0", "1", "-1"],
  ["0", "-1", "0", "0", "0", "0", "0", "-1", "1"],
  ["-1", "0", "0", "0", "0", "0", "0", "-1", "-1"],
  ["1", "1", "1", "1", "1", "1", "1", "2", "0"],
  ["-1", "-1", "1", "1", "1", "1", "1", "-2", "0"],
  ["1", "-1", "-1", "-1", "-1", "-1", "-1", "0", "2"],
  ["-1", "1", "-1", "-1", "-1", "-1", "-1", "0", "-2"],
  [
    "3",
    "7",
    "21",
    "21",
    "0.428571428571428571",
    "0.428571428571428572",
    "0.428571428571428571",
    "10",
    "-4",
  ],
  ["2", "4", "8", "8", "0.5", "0.5", "0.5", "6", "-2"],
  ["100", "100", "10000", "10000", "1", "1", "1", "200", "0"],
  ["1.5", "1.5", "2.25", "2.25", "1", "1", "1", "3", "0"],
  [
    "0.3333",
    "0.0333",
    "0.01109889",
    "0.01109889",
    "10.009009009009009009",
    "10.00900900900900901",
    "10.009009009009009009",
    "0.3666",
    "0.3",
  ],
];
const GO_OPS = ["mul", "mul_truncate", "quo", "quo_round_up", "quo_truncate", "add", "sub"];

function goArithCases(): Case[] {
  const cases: Case[] = [];
  GO_ARITH.forEach((row, i) => {
    const [a, b] = row;
    GO_OPS.forEach((op, k) => {
      const divides = op.startsWith("quo");
      const expected = divides && b === "0" ? "numeric/division-by-zero" : dec(row[k + 2]);
      const shown = typeof expected === "string" ? expected : row[k + 2];
      const description = `${op}(${a}, ${b}) = ${shown} (Harmony TestArithmetic row ${i})`;
      cases.push(arith(`go_row${i}_${op}`, op, dec(a), dec(b), expected, description));
    });
  });
  return cases;
}

/** TestDiv: 0/1, 1/1, 1/2, 2/1, then 2/3 to 2/10. */
const GO_DIV: [string, string, string][] = [
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

function goDivCases(): Case[] {
  return GO_DIV.map(([a, b, q]) =>
    arith(`go_div_${a}_by_${b}`, "quo", dec(a), dec(b), dec(q), `${a} / ${b} = ${q} (TestDiv)`)
  );
}

const ULP = dec("0.000000000000000001");
const LIMIT = 1n << 315n;
const E18 = 10n ** 18n;

const EDGE_CASES: Case[] = [
  // Ties at the 18th decimal: x.5 ulp goes to the even neighbour.
  arith("mul_tie_to_even_zero", "mul", dec("0.5"), ULP, dec("0"), "0.5 ulp rounds to even 0"),
  arith("mul_tie_up_to_even", "mul", dec("1.5"), ULP, int(2n), "1.5 ulp rounds up to even 2"),
  arith("mul_tie_down_to_even", "mul", dec("2.5"), ULP, int(2n), "2.5 ulp rounds down to even 2"),
  arith("mul_tie_negative_odd", "mul", dec("-1.5"), ULP, int(-2n), "-1.5 ulp rounds to -2"),
  arith("mul_tie_negative_even", "mul", dec("-2.5"), ULP, int(-2n), "-2.5 ulp rounds to -2"),
  arith(
    "mul_just_above_half",
    "mul",
    dec("0.500000000000000001"),
    ULP,
    int(1n),
    "a hair above half an ulp rounds up",
  ),
  arith("mul_truncate_tie", "mul_truncate", dec("1.5"), ULP, int(1n), "1.5 ulp truncates to 1"),
  arith(
    "mul_truncate_negative",
    "mul_truncate",
    dec("-1.5"),
    ULP,
    int(-1n),
    "-1.5 ulp truncates toward zero to -1",
  ),
  // Quotient rounding.
  arith("quo_exact_tie_to_zero", "quo", ULP, dec("2"), int(0n), "1 ulp / 2 = 0.5 ulp, to even 0"),
  arith("quo_exact_tie_up", "quo", int(3n), dec("2"), int(2n), "3 ulp / 2 = 1.5 ulp, to even 2"),
  arith(
    "quo_exact_tie_negative",
    "quo",
    int(-3n),
    dec("2"),
    int(-2n),
    "-3 ulp / 2 = -1.5 ulp, to even -2",
  ),
  arith(
    "quo_double_rounding",
    "quo",
    ULP,
    dec("1.999999999999999999"),
    int(0n),
    "1 ulp / 1.999999999999999999 is just over half an ulp, but its 36-decimal truncation is " +
      "exactly half, which goes to even 0 (Harmony truncates, then rounds)",
  ),
  arith(
    "quo_negative_two_thirds",
    "quo",
    dec("-2"),
    dec("3"),
    dec("-0.666666666666666667"),
    "rounding is symmetric about zero",
  ),
  arith(
    "quo_truncate_negative_two_thirds",
    "quo_truncate",
    dec("-2"),
    dec("3"),
    dec("-0.666666666666666666"),
    "truncation is toward zero",
  ),
  arith(
    "quo_round_up_negative",
    "quo_round_up",
    dec("-2"),
    dec("3"),
    dec("-0.666666666666666666"),
    "rounding up a negative quotient truncates it",
  ),
  arith("quo_round_up_third_ulp", "quo_round_up", ULP, dec("3"), ULP, "1/3 ulp rounds up to 1"),
  arith(
    "quo_round_up_after_truncation",
    "quo_round_up",
    ULP,
    int(10n ** 36n + 1n),
    int(0n),
    "1 ulp / (10^18 + 1 ulp): the 36-decimal truncation is 0, so nothing is rounded up",
  ),
  arith(
    "quo_truncate_by_zero",
    "quo_truncate",
    dec("1"),
    dec("0"),
    "numeric/division-by-zero",
    "Go panics",
  ),
  arith(
    "quo_round_up_by_zero",
    "quo_round_up",
    dec("-1"),
    dec("0"),
    "numeric/division-by-zero",
    "Go panics",
  ),
  // Integer operands.
  arith("mul_int", "mul_int", dec("1.5"), int(3n), dec("4.5"), "1.5 * 3 = 4.5"),
  arith("mul_int_negative", "mul_int", dec("1.5"), int(-3n), dec("-4.5"), "1.5 * -3 = -4.5"),
  arith(
    "quo_int_third",
    "quo_int",
    dec("1"),
    int(3n),
    dec("0.333333333333333333"),
    "the mantissa divided by 3, truncated",
  ),
  arith(
    "quo_int_negative",
    "quo_int",
    dec("-1"),
    int(3n),
    dec("-0.333333333333333333"),
    "truncated toward zero",
  ),
  arith(
    "quo_int_by_zero",
    "quo_int",
    dec("1"),
    int(0n),
    "numeric/division-by-zero",
    "Go panics",
  ),
  arith(
    "quo_int_no_limit",
    "quo_int",
    int(LIMIT * 4n),
    int(2n),
    int(LIMIT * 2n),
    "QuoInt has no overflow check",
  ),
  // The 315-bit limit.
  arith(
    "add_largest",
    "add",
    int(LIMIT - 2n),
    int(1n),
    int(LIMIT - 1n),
    "2^315 - 1 has 315 bits: allowed",
  ),
  arith("add_overflow", "add", int(LIMIT - 1n), int(1n), "numeric/overflow", "2^315 has 316 bits"),
  arith(
    "sub_overflow_negative",
    "sub",
    int(-(LIMIT - 1n)),
    int(1n),
    "numeric/overflow",
    "-2^315 has a 316-bit magnitude",
  ),
  arith(
    "add_operands_beyond_limit",
    "add",
    int(1n << 400n),
    int(-(1n << 400n) + 1n),
    int(1n),
    "the limit applies to the result, not the operands",
  ),
  arith(
    "mul_limit_after_rounding",
    "mul",
    int((1n << 200n) * E18),
    int((1n << 50n) * E18),
    int((1n << 250n) * E18),
    "2^200 * 2^50: the unrounded product has 370 bits, the result 310, allowed",
  ),
  arith(
    "mul_overflow",
    "mul",
    int(LIMIT - 1n),
    dec("1.000000000000000001"),
    "numeric/overflow",
    "just past the limit",
  ),
  arith("mul_by_one_at_limit", "mul", int(LIMIT - 1n), dec("1"), int(LIMIT - 1n), "fits exactly"),
  arith(
    "mul_truncate_overflow",
    "mul_truncate",
    int(LIMIT - 1n),
    dec("2"),
    "numeric/overflow",
    "the truncated product is past the limit",
  ),
  arith(
    "mul_int_overflow",
    "mul_int",
    int(1n << 314n),
    int(-2n),
    "numeric/overflow",
    "-2^315 is past the limit",
  ),
  arith(
    "quo_overflow",
    "quo",
    int(1n << 300n),
    ULP,
    "numeric/overflow",
    "dividing by 1 ulp multiplies the mantissa by 10^18",
  ),
  arith(
    "quo_truncate_overflow",
    "quo_truncate",
    int(1n << 300n),
    ULP,
    "numeric/overflow",
    "dividing by 1 ulp multiplies the mantissa by 10^18",
  ),
  arith(
    "quo_round_up_overflow",
    "quo_round_up",
    int(-(1n << 300n)),
    ULP,
    "numeric/overflow",
    "dividing by 1 ulp multiplies the mantissa by 10^18",
  ),
];

/** Every dec_arith case. */
export const decArithSuite = suite(decArithHandler, [
  ...goArithCases(),
  ...goDivCases(),
  ...EDGE_CASES,
]);
