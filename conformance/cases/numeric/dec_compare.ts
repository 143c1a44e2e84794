/**
 * `numeric/dec_compare`: ordering two Decs.
 *
 * The rows are Harmony's TestEqualities (its GT, LT and Equal columns); the other outputs follow
 * from those three: `cmp` is 1, -1 or 0, `gte` is GT or Equal, `lte` is LT or Equal, `min` is `a`
 * when LT (else `b`) and `max` is `b` when LT (else `a`), as Go's MinDec and MaxDec choose.
 *
 * @module
 */
import { type Case, type Handler, suite } from "../../harness.ts";
import {
  decCmp,
  decEqual,
  decGT,
  decGTE,
  decLT,
  decLTE,
  decMax,
  decMin,
} from "../../../spec/numeric/decimal.ts";
import { dec, readDec, writeDec } from "./common.ts";

/** Compares `a` with `b` every way Harmony does. */
export const decCompareHandler: Handler = {
  runner: "numeric",
  handler: "dec_compare",
  preset: "general",
  config: {},
  covers: ["decCmp", "decEqual", "decGT", "decGTE", "decLT", "decLTE", "decMin", "decMax"],
  run: (inputs) => {
    const a = readDec(inputs, "a");
    const b = readDec(inputs, "b");
    return {
      cmp: decCmp(a, b),
      equal: decEqual(a, b),
      gt: decGT(a, b),
      gte: decGTE(a, b),
      lt: decLT(a, b),
      lte: decLTE(a, b),
      min: writeDec(decMin(a, b)),
      max: writeDec(decMax(a, b)),
    };
  },
};

/** TestEqualities: a, b, GT, LT, Equal. */
const GO_TABLE: [string, string, boolean, boolean, boolean][] = [
  ["0", "0", false, false, true],
  ["0.00", "0.0000", false, false, true],
  ["100", "100", false, false, true],
  ["-100", "-100", false, false, true],
  ["-0.1", "-0.1", false, false, true],
  ["3.333", "3.333", false, false, true],
  ["0", "3.333", false, true, false],
  ["0", "100", false, true, false],
  ["-1", "3.333", false, true, false],
  ["-1", "100", false, true, false],
  ["1.111", "100", false, true, false],
  ["1.111", "3.333", false, true, false],
  ["-3.333", "-1.111", false, true, false],
  ["3.333", "0", true, false, false],
  ["100", "0", true, false, false],
  ["3.333", "-1", true, false, false],
  ["100", "-1", true, false, false],
  ["100", "1.111", true, false, false],
  ["3.333", "1.111", true, false, false],
  ["-1.111", "-3.333", true, false, false],
];

function goCases(): Case[] {
  return GO_TABLE.map(([a, b, gt, lt, eq], i) => ({
    name: `go_row${i}`,
    description: `compare ${a} with ${b} (Harmony TestEqualities row ${i})`,
    inputs: { a: dec(a), b: dec(b) },
    expect: {
      cmp: gt ? 1 : lt ? -1 : 0,
      equal: eq,
      gt,
      gte: gt || eq,
      lt,
      lte: lt || eq,
      min: dec(lt ? a : b),
      max: dec(lt ? b : a),
    },
  }));
}

/** Every dec_compare case. */
export const decCompareSuite = suite(decCompareHandler, [
  ...goCases(),
  {
    name: "smallest_step",
    description: "one ulp apart: -0.000000000000000001 < 0",
    inputs: { a: dec("-0.000000000000000001"), b: dec("0") },
    expect: {
      cmp: -1,
      equal: false,
      gt: false,
      gte: false,
      lt: true,
      lte: true,
      min: dec("-0.000000000000000001"),
      max: dec("0"),
    },
  },
]);
