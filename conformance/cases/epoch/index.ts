/**
 * The `epoch` runner: block rewards, double-sign slashing and beacon-chain finalisation. The
 * format is in `conformance/formats/epoch.md`.
 *
 * @module
 */
import type { Suite } from "../../harness.ts";
import { FINALIZE_SUITES } from "./finalize.ts";
import { REWARD_SUITES } from "./rewards.ts";
import { SLASH_SUITES } from "./slashing.ts";

/** Every suite of the `epoch` runner, in reading order. */
export const EPOCH_SUITES: Suite[] = [...REWARD_SUITES, ...SLASH_SUITES, ...FINALIZE_SUITES];
