/**
 * The conformance runner: replays vector files against the spec and reports per runner.
 *
 * For each file it decodes the vector, finds the handler named by its preset, runner and handler,
 * runs it on the recorded inputs, and compares the outcome byte for byte (canonical CBOR) with
 * the recorded expectation. Outside implementers do the same with their own client; the format
 * of each runner is in `conformance/formats/<runner>.md`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesEqual } from "../spec/encoding/bytes.ts";
import { decodeCanonical } from "./cbor.ts";
import {
  type DecodedFields,
  describe,
  execute,
  type Handler,
  handlerPath,
  type Outcome,
  outcomeBytes,
} from "./harness.ts";
import { listVectorFiles } from "./store.ts";
import type { Suite } from "./harness.ts";

/** The result of replaying one vector file. */
export interface ReplayResult {
  path: string;
  runner: string;
  passed: boolean;
  detail?: string;
}

/** Which vectors to replay: the published ones, or only the canaries. */
export type ReplaySelection = "published" | "canary";

/** Replays every selected vector under `dir` with the handlers of `suites`. */
export function replayAll(
  dir: string,
  suites: Suite[],
  selection: ReplaySelection,
): ReplayResult[] {
  const handlers = new Map<string, Handler>();
  for (const s of suites) handlers.set(handlerPath(s.handler), s.handler);
  const results: ReplayResult[] = [];
  for (const path of listVectorFiles(dir)) {
    const isCanary = path.startsWith("canary/");
    if (isCanary !== (selection === "canary")) continue;
    results.push(replayOne(dir, path, handlers));
  }
  return results;
}

function replayOne(dir: string, path: string, handlers: Map<string, Handler>): ReplayResult {
  let runner = path.split("/")[path.startsWith("canary/") ? 2 : 1] ?? "?";
  try {
    const vector = decodeCanonical(new Uint8Array(readFileSync(join(dir, path)))) as DecodedFields;
    runner = String(vector.runner);
    const key = `${vector.preset}/${vector.runner}/${vector.handler}`;
    const handler = handlers.get(key);
    if (handler === undefined) return { path, runner, passed: false, detail: `no handler ${key}` };
    const outcome = execute(handler, vector.inputs as DecodedFields);
    const expected = vector.expect as unknown as Outcome;
    if (bytesEqual(outcomeBytes(outcome), outcomeBytes(expected))) {
      return { path, runner, passed: true };
    }
    return {
      path,
      runner,
      passed: false,
      detail: `expected ${describe(expected)}, got ${describe(outcome)}`,
    };
  } catch (e) {
    return {
      path,
      runner,
      passed: false,
      detail: `crashed: ${e instanceof Error ? e.message : e}`,
    };
  }
}

/** Per-runner counts of passed and failed vectors, sorted by runner. */
export function summarize(
  results: ReplayResult[],
): Map<string, { passed: number; failed: number }> {
  const byRunner = new Map<string, { passed: number; failed: number }>();
  for (const r of results) {
    const counts = byRunner.get(r.runner) ?? { passed: 0, failed: 0 };
    if (r.passed) counts.passed++;
    else counts.failed++;
    byRunner.set(r.runner, counts);
  }
  return new Map([...byRunner].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
