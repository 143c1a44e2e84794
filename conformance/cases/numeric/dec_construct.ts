/**
 * `numeric/dec_construct`: an integer with a given number of implied decimals as a Dec (Go's
 * `NewDecWithPrec`, `NewDecFromBigIntWithPrec`; `prec` 0 is `NewDec`). Values are those Harmony's
 * tests build their expectations with, and TestPrecisionMultiplier (10^13 for 5 decimals).
 *
 * @module
 */
import { type Case, type Handler, suite } from "../../harness.ts";
import { decFromIntWithPrec } from "../../../spec/numeric/decimal.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import { dec, int, readInt, readNumber, writeDec } from "./common.ts";

/** Builds `value / 10^prec`. */
export const decConstructHandler: Handler = {
  runner: "numeric",
  handler: "dec_construct",
  preset: "general",
  config: {},
  covers: ["decFromIntWithPrec", "decPrecisionMultiplier"],
  run: (inputs) => ({
    mantissa: writeDec(decFromIntWithPrec(readInt(inputs, "value"), readNumber(inputs, "prec"))),
  }),
};

function construct(
  name: string,
  value: bigint,
  prec: number,
  expected: Uint8Array | SpecErrorCode,
  description: string,
): Case {
  return {
    name,
    description,
    inputs: { value: int(value), prec },
    expect: typeof expected === "string" ? { error: expected } : { mantissa: expected },
  };
}

/** Every dec_construct case. */
export const decConstructSuite = suite(decConstructHandler, [
  construct("whole", 12340n, 0, dec("12340"), "NewDec(12340)"),
  construct("negative_whole", -100n, 0, dec("-100"), "NewDec(-100)"),
  construct("one_decimal", 11n, 1, dec("1.1"), "NewDecWithPrec(11, 1) = 1.1"),
  construct("four_decimals", 12340n, 4, dec("1.234"), "NewDecWithPrec(12340, 4) = 1.234"),
  construct("negative_tenth", -1n, 1, dec("-0.1"), "NewDecWithPrec(-1, 1) = -0.1"),
  construct(
    "seventeen_decimals",
    1009009009009009009n,
    17,
    dec("10.09009009009009009"),
    "NewDecWithPrec(1009009009009009009, 17)",
  ),
  construct("eighteen_decimals", 1n, 18, int(1n), "the smallest Dec"),
  construct(
    "precision_multiplier_5",
    1n,
    5,
    int(10n ** 13n),
    "TestPrecisionMultiplier: 5 decimals scale by 10^13",
  ),
  construct(
    "big_int_four_decimals",
    3144605511029693144278234343371835n,
    4,
    dec("314460551102969314427823434337.1835"),
    "NewDecFromBigIntWithPrec(3144605511029693144278234343371835, 4)",
  ),
  construct(
    "nineteen_decimals",
    1n,
    19,
    "numeric/precision-out-of-range",
    "more than 18 decimals: Go panics",
  ),
  construct(
    "negative_precision",
    1n,
    -1,
    "numeric/precision-out-of-range",
    "a negative precision indexes outside Go's table and panics",
  ),
]);
