/**
 * `numeric/dec_round`: a Dec to a whole number.
 *
 * Values come from Harmony's TestBankerRoundChop (`RoundInt64`, each value and its negation),
 * TestTruncate (`TruncateInt64`, likewise) and TestDecCeil, plus the `int64` bounds and values
 * past the arithmetic limit (rounding has none).
 *
 * @module
 */
import { type Case, type Fields, type Handler, suite } from "../../harness.ts";
import type { DecodedFields } from "../../harness.ts";
import {
  decCeil,
  decRoundInt,
  decRoundInt64,
  decTruncateDec,
  decTruncateInt,
  decTruncateInt64,
} from "../../../spec/numeric/decimal.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import { dec, int, readDec, readText, writeDec } from "./common.ts";

function run(inputs: DecodedFields): Fields {
  const op = readText(inputs, "op");
  const a = readDec(inputs, "a");
  switch (op) {
    case "round_int":
      return { result: int(decRoundInt(a)) };
    case "round_int64":
      return { result: int(decRoundInt64(a)) };
    case "truncate_int":
      return { result: int(decTruncateInt(a)) };
    case "truncate_int64":
      return { result: int(decTruncateInt64(a)) };
    case "truncate_dec":
      return { result: writeDec(decTruncateDec(a)) };
    case "ceil":
      return { result: writeDec(decCeil(a)) };
  }
  throw new Error(`unknown dec_round op ${op}`);
}

/** Applies the rounding `op` to `a`. */
export const decRoundHandler: Handler = {
  runner: "numeric",
  handler: "dec_round",
  preset: "general",
  config: {},
  covers: [
    "decRoundInt",
    "decRoundInt64",
    "decTruncateInt",
    "decTruncateInt64",
    "decTruncateDec",
    "decCeil",
  ],
  run,
};

function rounds(
  name: string,
  op: string,
  a: Uint8Array,
  expected: Uint8Array | SpecErrorCode,
  description: string,
): Case {
  return {
    name,
    description,
    inputs: { op, a },
    expect: typeof expected === "string" ? { error: expected } : { result: expected },
  };
}

/** TestBankerRoundChop: text, RoundInt64. */
const GO_ROUND: [string, bigint][] = [
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

/** TestTruncate: text, TruncateInt64. */
const GO_TRUNCATE: [string, bigint][] = [
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

/** TestDecCeil: value, Ceil. */
const GO_CEIL: [string, string][] = [
  ["0.001", "1"],
  ["-0.001", "0"],
  ["0", "0"],
  ["0.9", "1"],
  ["4.001", "5"],
  ["-4.001", "-4"],
  ["4.7", "5"],
  ["-4.7", "-4"],
];

function slug(text: string): string {
  return text.replace("-", "minus_").replace(".", "_");
}

function goCases(): Case[] {
  const cases: Case[] = [];
  const tables: [string, string, [string, bigint][]][] = [
    ["round_int64", "TestBankerRoundChop", GO_ROUND],
    ["truncate_int64", "TestTruncate", GO_TRUNCATE],
  ];
  for (const [op, source, table] of tables) {
    for (const [text, expected] of table) {
      for (const negated of [false, true]) {
        const input = negated && text !== "0" ? "-" + text : text;
        const value = negated ? -expected : expected;
        const name = `go_${op}_${slug(input)}${negated && text === "0" ? "_negated" : ""}`;
        const description = `${op}(${input}) = ${value} (Harmony ${source})`;
        cases.push(rounds(name, op, dec(input), int(value), description));
      }
    }
  }
  for (const [text, expected] of GO_CEIL) {
    const description = `ceil(${text}) = ${expected} (Harmony TestDecCeil)`;
    cases.push(rounds(`go_ceil_${slug(text)}`, "ceil", dec(text), dec(expected), description));
  }
  return cases;
}

const INT64_MAX = (1n << 63n) - 1n;

const EDGE_CASES: Case[] = [
  rounds("round_int_tie_even", "round_int", dec("2.5"), int(2n), "ties go to even"),
  rounds("round_int_tie_odd", "round_int", dec("-3.5"), int(-4n), "ties go to even"),
  rounds("round_int_above_half", "round_int", dec("0.500000000000000001"), int(1n), "above half"),
  rounds(
    "round_int_no_limit",
    "round_int",
    int((1n << 400n) * 10n ** 18n + 1n),
    int(1n << 400n),
    "no size limit",
  ),
  rounds(
    "round_int64_tie_past_max",
    "round_int64",
    dec(`${INT64_MAX}.5`),
    "numeric/int64-out-of-range",
    "the odd 2^63 - 1 plus a half rounds to the even 2^63, past int64",
  ),
  rounds(
    "round_int64_min",
    "round_int64",
    dec(`-${1n << 63n}.4`),
    int(-(1n << 63n)),
    "-2^63 is the smallest int64",
  ),
  rounds(
    "truncate_int64_max",
    "truncate_int64",
    dec(`${INT64_MAX}.999999999999999999`),
    int(INT64_MAX),
    "the decimals are dropped before the range check",
  ),
  rounds(
    "truncate_int64_past_min",
    "truncate_int64",
    dec(`-${(1n << 63n) + 1n}`),
    "numeric/int64-out-of-range",
    "-2^63 - 1 is past int64",
  ),
  rounds("truncate_int_negative", "truncate_int", dec("-7.9"), int(-7n), "toward zero"),
  rounds("truncate_dec", "truncate_dec", dec("4.7"), dec("4"), "drops the decimals"),
  rounds("truncate_dec_negative", "truncate_dec", dec("-4.7"), dec("-4"), "toward zero"),
  rounds("ceil_whole", "ceil", dec("-3"), dec("-3"), "a whole number is its own ceiling"),
  rounds("ceil_smallest", "ceil", int(1n), dec("1"), "any positive fraction goes up"),
];

/** Every dec_round case. */
export const decRoundSuite = suite(decRoundHandler, [...goCases(), ...EDGE_CASES]);
