/**
 * The `numeric` runner's suites, in reading order.
 *
 * @module
 */
import type { Suite } from "../../harness.ts";
import { decParseSuite } from "./dec_parse.ts";
import { decFormatSuite } from "./dec_format.ts";
import { decConstructSuite } from "./dec_construct.ts";
import { decArithSuite } from "./dec_arith.ts";
import { decRoundSuite } from "./dec_round.ts";
import { decCompareSuite } from "./dec_compare.ts";
import { decSignSuite } from "./dec_sign.ts";

/** Every suite of the `numeric` runner. */
export const NUMERIC_SUITES: Suite[] = [
  decParseSuite,
  decFormatSuite,
  decConstructSuite,
  decArithSuite,
  decRoundSuite,
  decCompareSuite,
  decSignSuite,
];
