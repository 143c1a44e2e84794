/**
 * `numeric/dec_sign`: the sign predicates of one Dec, whether it is whole, its negation and its
 * magnitude. Values are chosen so the answer is plain from the decimal text.
 *
 * @module
 */
import { type Case, type Handler, suite } from "../../harness.ts";
import {
  decAbs,
  decIsInteger,
  decIsNegative,
  decIsPositive,
  decIsZero,
  decNeg,
} from "../../../spec/numeric/decimal.ts";
import { dec, int, readDec, writeDec } from "./common.ts";

/** Inspects `a`. */
export const decSignHandler: Handler = {
  runner: "numeric",
  handler: "dec_sign",
  preset: "general",
  config: {},
  covers: ["decIsZero", "decIsNegative", "decIsPositive", "decIsInteger", "decNeg", "decAbs"],
  run: (inputs) => {
    const a = readDec(inputs, "a");
    return {
      is_zero: decIsZero(a),
      is_negative: decIsNegative(a),
      is_positive: decIsPositive(a),
      is_integer: decIsInteger(a),
      neg: writeDec(decNeg(a)),
      abs: writeDec(decAbs(a)),
    };
  },
};

function sign(name: string, text: string, integer: boolean): Case {
  const negative = text.startsWith("-");
  const zero = /^-?0(\.0+)?$/.test(text);
  const magnitude = negative ? text.slice(1) : text;
  return {
    name,
    description: `predicates, negation and magnitude of ${text}`,
    inputs: { a: dec(text) },
    expect: {
      is_zero: zero,
      is_negative: negative && !zero,
      is_positive: !negative && !zero,
      is_integer: integer,
      neg: dec(zero ? "0" : negative ? magnitude : "-" + text),
      abs: dec(magnitude),
    },
  };
}

/** Every dec_sign case. */
export const decSignSuite = suite(decSignHandler, [
  sign("zero", "0", true),
  sign("one", "1", true),
  sign("minus_three", "-3", true),
  sign("smallest", "0.000000000000000001", false),
  sign("minus_smallest", "-0.000000000000000001", false),
  sign("minus_one_and_a_half", "-1.5", false),
  {
    name: "beyond_limit",
    description: "negation and magnitude have no size limit",
    inputs: { a: int(-(1n << 400n)) },
    expect: {
      is_zero: false,
      is_negative: true,
      is_positive: false,
      is_integer: false,
      neg: int(1n << 400n),
      abs: int(1n << 400n),
    },
  },
]);
