/**
 * `numeric/dec_format`: the text Harmony prints for a Dec (Go's `Dec.String`, also its JSON).
 *
 * Values come from Harmony's TestDecString, TestDecMarshalJSON and TestStringOverflow, plus
 * negative values and values past the arithmetic limit (printing has none).
 *
 * @module
 */
import { type Case, type Handler, suite } from "../../harness.ts";
import { decToString } from "../../../spec/numeric/decimal.ts";
import { int, readDec } from "./common.ts";

/** Formats the Dec `a`. */
export const decFormatHandler: Handler = {
  runner: "numeric",
  handler: "dec_format",
  preset: "general",
  config: {},
  covers: ["decToString"],
  run: (inputs) => ({ text: decToString(readDec(inputs, "a")) }),
};

function formats(name: string, mantissa: bigint, text: string, source: string): Case {
  return {
    name,
    description: `the Dec with mantissa ${mantissa} prints as ${JSON.stringify(text)} (${source})`,
    inputs: { a: int(mantissa) },
    expect: { text },
  };
}

const E18 = 10n ** 18n;
const GO = "Harmony TestDecString";
const JSON_TEST = "Harmony TestDecMarshalJSON";

/** Every dec_format case. */
export const decFormatSuite = suite(decFormatHandler, [
  formats("go_zero", 0n, "0", GO),
  formats("go_one", E18, "1", GO),
  formats("go_ten", 10n * E18, "10", GO),
  formats("go_12340", 12340n * E18, "12340", GO),
  formats("go_1_234", 12340n * 10n ** 14n, "1.234", GO),
  formats("go_0_1234", 12340n * 10n ** 13n, "0.1234", GO),
  formats("go_0_0001234", 12340n * 10n ** 10n, "0.0001234", GO),
  formats("go_10_09009", 1009009009009009009n * 10n, "10.09009009009009009", GO),
  formats("json_smallest", 1n, "0.000000000000000001", JSON_TEST),
  formats("json_ten_ulps", 10n, "0.00000000000000001", JSON_TEST),
  formats("json_12340_ulps", 12340n, "0.00000000000001234", JSON_TEST),
  formats(
    "string_overflow_sum",
    19844653375691057515930281852116324640n * E18,
    "19844653375691057515930281852116324640",
    "Harmony TestStringOverflow",
  ),
  formats("negative_smallest", -1n, "-0.000000000000000001", "a minus before the magnitude"),
  formats("negative_fraction", -4700000000000000000n, "-4.7", "a minus before the magnitude"),
  formats("negative_whole", -3n * E18, "-3", "a minus before the magnitude"),
  formats("all_decimals", 1999999999999999999n, "1.999999999999999999", "18 decimals kept"),
  formats(
    "beyond_limit",
    (1n << 320n) * E18,
    (1n << 320n).toString(),
    "printing has no size limit",
  ),
]);
