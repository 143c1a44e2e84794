/**
 * The canary: a case whose expectation is deliberately wrong (1 + 1 = 3), replayed with the real
 * `numeric/dec_arith` handler. Every runner must report it as failed; a runner that passes it
 * compares nothing.
 *
 * @module
 */
import { suite } from "../harness.ts";
import { decArithHandler } from "./numeric/dec_arith.ts";
import { dec } from "./numeric/common.ts";

/** The canary suite. */
export const canarySuite = suite(decArithHandler, [
  {
    name: "one_plus_one_is_three",
    description: "deliberately wrong: 1 + 1 is 2, not 3",
    inputs: { op: "add", a: dec("1"), b: dec("1") },
    expect: { result: dec("3") },
    canary: true,
  },
]);
