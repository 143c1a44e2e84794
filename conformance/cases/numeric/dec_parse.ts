/**
 * `numeric/dec_parse`: decimal text to a Dec, or the reason it is refused.
 *
 * Values and rejections come from Harmony's TestNewDecFromStr (each string and its negation),
 * plus the corners of Harmony's parser read from `NewDecFromStr` and Go's `big.Int.SetString`:
 * a `+` sign reaching the integer parser, a doubled minus, bytes counted as decimals, no size
 * limit.
 *
 * @module
 */
import { type Case, type Handler, suite } from "../../harness.ts";
import { decFromString } from "../../../spec/numeric/decimal.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import { dec, int, readText, writeDec } from "./common.ts";

/** Parses `text` and returns the mantissa. */
export const decParseHandler: Handler = {
  runner: "numeric",
  handler: "dec_parse",
  preset: "general",
  config: {},
  covers: ["decFromString"],
  run: (inputs) => ({ mantissa: writeDec(decFromString(readText(inputs, "text"))) }),
};

function parses(name: string, text: string, mantissa: Uint8Array, why: string): Case {
  return {
    name,
    description: `${JSON.stringify(text)} parses: ${why}`,
    inputs: { text },
    expect: { mantissa },
  };
}

function refused(name: string, text: string, error: SpecErrorCode, why: string): Case {
  return {
    name,
    description: `${JSON.stringify(text)} is refused: ${why}`,
    inputs: { text },
    expect: { error },
  };
}

/** TestNewDecFromStr: [name, text, decimal value or error code]. Each also runs negated. */
const GO_TABLE: [string, string, string | SpecErrorCode][] = [
  ["empty", "", "numeric/empty-string"],
  ["minus_in_decimals", "0.-75", "numeric/malformed-number"],
  ["zero", "0", "0"],
  ["one", "1", "1"],
  ["one_point_one", "1.1", "1.1"],
  ["point_75", "0.75", "0.75"],
  ["point_8", "0.8", "0.8"],
  ["point_11111", "0.11111", "0.11111"],
  ["nineteen_decimals", "314460551102969.3144278234343371835", "numeric/too-much-precision"],
  [
    "large_nineteen_decimals",
    "314460551102969314427823434337.1835718092488231350",
    "numeric/too-much-precision",
  ],
  [
    "large_four_decimals",
    "314460551102969314427823434337.1835",
    "314460551102969314427823434337.1835",
  ],
  ["point_alone", ".", "numeric/bad-decimal-length"],
  ["no_integer_part", ".0", "numeric/bad-decimal-length"],
  ["no_decimals", "1.", "numeric/bad-decimal-length"],
  ["letters", "foobar", "numeric/malformed-number"],
  ["letter_decimals", "0.foobar", "numeric/malformed-number"],
  ["letter_decimals_two_points", "0.foobar.", "numeric/too-many-periods"],
];

function goCases(): Case[] {
  const cases: Case[] = [];
  for (const [name, text, expected] of GO_TABLE) {
    for (const negated of [false, true]) {
      const input = (negated ? "-" : "") + text;
      const caseName = `go_${name}${negated ? "_negated" : ""}`;
      const why = "Harmony TestNewDecFromStr";
      if (expected.startsWith("numeric/")) {
        cases.push(refused(caseName, input, expected as SpecErrorCode, why));
      } else {
        const value = negated && expected !== "0" ? "-" + expected : expected;
        cases.push(parses(caseName, input, dec(value), why));
      }
    }
  }
  return cases;
}

const EDGE_CASES: Case[] = [
  parses("eighteen_decimals", "0.000000000000000001", dec("0.000000000000000001"), "18 decimals"),
  refused(
    "nineteen_zero_decimals",
    "1.0000000000000000000",
    "numeric/too-much-precision",
    "19 decimals, even zeros",
  ),
  parses("leading_and_trailing_zeros", "007.50", dec("7.5"), "zeros are digits like any other"),
  parses("negative_zero", "-0.0", dec("0"), "minus zero is zero"),
  refused("minus_alone", "-", "numeric/empty-string", "nothing after the minus sign"),
  refused("two_points", "..", "numeric/too-many-periods", "three parts around two points"),
  refused("three_parts", "1.2.3", "numeric/too-many-periods", "three parts around two points"),
  refused("minus_point", "-.5", "numeric/bad-decimal-length", "empty integer part"),
  parses(
    "plus_sign",
    "+1.5",
    dec("1.5"),
    "the digits go to Go's big.Int parser, which takes a leading +",
  ),
  parses("plus_alone", "+", dec("0"), "'+' padded with 18 zeros is the integer +0"),
  parses(
    "double_minus",
    "--5",
    dec("5"),
    "the first minus is stripped, the integer parser reads -5",
  ),
  parses("minus_plus", "-+5", dec("-5"), "the integer parser reads +5, then it is negated"),
  parses(
    "double_minus_point",
    "--.5",
    dec("0.5"),
    "after the first minus the integer part is '-', which is not empty",
  ),
  refused("plus_minus", "+-5", "numeric/malformed-number", "only one sign for the integer parser"),
  refused("plus_in_decimals", "1.+5", "numeric/malformed-number", "a sign inside the digits"),
  refused("leading_space", " 1", "numeric/malformed-number", "no whitespace"),
  refused("trailing_space", "1 ", "numeric/malformed-number", "no whitespace"),
  refused("exponent", "1e5", "numeric/malformed-number", "no exponent"),
  refused("hex_prefix", "0x10", "numeric/malformed-number", "base 10 only, no prefix"),
  refused("underscore", "1_000", "numeric/malformed-number", "no digit separators in base 10"),
  refused("arabic_indic_digit", "\u0663", "numeric/malformed-number", "ASCII digits only"),
  refused(
    "multibyte_decimals_18_bytes",
    "0." + "\u00e9".repeat(9),
    "numeric/malformed-number",
    "nine two-byte characters are 18 decimals to Go, then not digits",
  ),
  refused(
    "multibyte_decimals_20_bytes",
    "0." + "\u00e9".repeat(10),
    "numeric/too-much-precision",
    "ten two-byte characters count as 20 decimals",
  ),
  parses(
    "no_size_limit",
    (1n << 400n).toString() + ".5",
    int((1n << 400n) * 10n ** 18n + 5n * 10n ** 17n),
    "parsing has no overflow check",
  ),
];

/** Every dec_parse case. */
export const decParseSuite = suite(decParseHandler, [...goCases(), ...EDGE_CASES]);
