/**
 * The conformance runner: replays vector files and reports per runner.
 *
 * For each selected file it decodes the vector, has it run, and compares the outcome byte for
 * byte (canonical CBOR) with the recorded expectation. Two things can run a vector:
 *
 * - the spec itself ({@link replayAll}, {@link replayPaths}): the handler named by the vector's
 *   preset, runner and handler, from the suites;
 * - an implementer's adapter ({@link replayWithAdapter}), a separate program that speaks the
 *   protocol of `conformance/formats/adapter.md`. Comparison stays here, in the runner.
 *
 * A mismatch names the first diverging path of the outcome (e.g. `outputs.result`). Outside
 * implementers who prefer to read the files themselves follow `conformance/formats/<runner>.md`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesEqual } from "../spec/encoding/bytes.ts";
import { type Data, decodeCanonical, type Decoded, encodeCanonical } from "./cbor.ts";
import { firstDivergence, render } from "./diff.ts";
import {
  type DecodedFields,
  execute,
  type Handler,
  handlerPath,
  outcomeBytes,
  type Suite,
} from "./harness.ts";
import { SPEC_ERROR_CODES } from "../spec/errors.ts";
import { listVectorFiles } from "./store.ts";
import {
  type AdapterOptions,
  type AdapterSession,
  describeExit,
  type SessionAnswer,
  startAdapter,
} from "./adapter-host.ts";
import {
  type AdapterHello,
  declares,
  ProtocolError,
  type RunRequest,
  toJson,
  VECTOR_FORMAT,
} from "./protocol.ts";

const KNOWN_CODES = new Set<string>(SPEC_ERROR_CODES);

/** How replaying one vector ended. */
export type ReplayStatus = "passed" | "failed" | "unsupported" | "unreadable";

/** The result of replaying one vector file. */
export interface ReplayResult {
  /** The file, relative to the vectors directory. */
  path: string;
  /** The vector's id (`preset/runner/handler/case`). */
  id: string;
  /** The vector's preset. */
  preset: string;
  /** The vector's runner. */
  runner: string;
  /** The vector's handler. */
  handler: string;
  /**
   * `passed`; `failed` (a different outcome, a crash, a timeout); `unsupported` (the adapter
   * does not run it: not a failure); `unreadable` (the vector file itself is broken).
   */
  status: ReplayStatus;
  /** Why it did not pass. */
  detail?: string;
  /** The first path where the outcome differs from the expectation, e.g. `outputs.result`. */
  diverges?: string;
}

/** Which vectors to replay: the published ones, or only the canaries. */
export type ReplaySelection = "published" | "canary";

/** Narrows the selection; an absent or empty list means no restriction. */
export interface ReplayFilters {
  /** Only these presets. */
  presets?: string[];
  /** Only these runners. */
  runners?: string[];
  /** Only these handlers (by handler name, in any runner). */
  handlers?: string[];
  /** Only these files (paths relative to the vectors directory), e.g. a re-run list. */
  only?: Set<string>;
}

/** A vector file's place: `[canary/]preset/runner/handler/case.cbor`. */
interface VectorPlace {
  path: string;
  id: string;
  preset: string;
  runner: string;
  handler: string;
  case: string;
}

/** A vector read from disk, checked against its place. */
export interface LoadedVector extends VectorPlace {
  /** The configuration the vector ran under. */
  config: Decoded;
  /** The handler's inputs. */
  inputs: DecodedFields;
  /** The recorded outcome: `{ result: "valid", outputs }` or `{ result: "invalid", error }`. */
  expect: Decoded;
}

function placeOf(path: string): VectorPlace {
  const parts = path.replace(/\.cbor$/, "").split("/");
  const [preset, runner, handler, name] = parts[0] === "canary" ? parts.slice(1) : parts;
  const id = `${preset}/${runner}/${handler}/${name}`;
  return {
    path,
    id,
    preset: preset ?? "?",
    runner: runner ?? "?",
    handler: handler ?? "?",
    case: name ?? "?",
  };
}

function matches(list: string[] | undefined, value: string): boolean {
  return list === undefined || list.length === 0 || list.includes(value);
}

/** The vector files under `dir` that the selection and filters keep, sorted by path. */
export function selectVectors(
  dir: string,
  selection: ReplaySelection,
  filters: ReplayFilters = {},
): string[] {
  const out: string[] = [];
  for (const path of listVectorFiles(dir)) {
    if (path.startsWith("canary/") !== (selection === "canary")) continue;
    const place = placeOf(path);
    if (!matches(filters.presets, place.preset)) continue;
    if (!matches(filters.runners, place.runner)) continue;
    if (!matches(filters.handlers, place.handler)) continue;
    if (filters.only !== undefined && !filters.only.has(path)) continue;
    out.push(path);
  }
  return out;
}

/**
 * Reads and checks one vector file.
 *
 * @throws {Error} when the file is not a deterministic-CBOR vector matching its path
 */
export function loadVector(dir: string, path: string): LoadedVector {
  const place = placeOf(path);
  const vector = decodeCanonical(new Uint8Array(readFileSync(join(dir, path))));
  if (!isRecord(vector)) throw new Error("not a CBOR map");
  if (vector.format !== VECTOR_FORMAT) throw new Error(`format ${String(vector.format)}`);
  for (const field of ["id", "preset", "runner", "handler", "case"] as const) {
    if (vector[field] !== place[field]) throw new Error(`${field} does not match the file's path`);
  }
  const { config, inputs, expect } = vector;
  if (!isRecord(config) || !isRecord(inputs) || !isRecord(expect)) {
    throw new Error("config, inputs and expect must be maps");
  }
  const valid = expect.result === "valid" && isRecord(expect.outputs);
  const invalid = expect.result === "invalid" && typeof expect.error === "string";
  if (!valid && !invalid) throw new Error("expect is neither valid outputs nor an error");
  return { ...place, config, inputs, expect };
}

function isRecord(value: Decoded | undefined): value is { [key: string]: Decoded } {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

function result(place: VectorPlace, status: ReplayStatus, detail?: string): ReplayResult {
  const { path, id, preset, runner, handler } = place;
  const out: ReplayResult = { path, id, preset, runner, handler, status };
  if (detail !== undefined) out.detail = detail;
  return out;
}

/** Compares an actual outcome with the vector's expectation (canonical CBOR bytes). */
export function judge(vector: LoadedVector, actual: Decoded): ReplayResult {
  const expected = vector.expect as { [key: string]: Decoded };
  if (bytesEqual(encodeCanonical(actual as Data), encodeCanonical(expected as Data))) {
    return result(vector, "passed");
  }
  const got = actual as { [key: string]: Decoded };
  if (got.result !== expected.result) {
    const out = result(
      vector,
      "failed",
      `expected ${outcomeText(expected)}, got ${outcomeText(got)}`,
    );
    out.diverges = "result";
    return out;
  }
  const d = firstDivergence(expected, got, "")!;
  const path = d.path.replace(/^\./, "");
  const note = d.note === undefined ? "" : ` (${d.note})`;
  const out = result(vector, "failed", `${path}: expected ${d.expected}, got ${d.actual}${note}`);
  out.diverges = path;
  return out;
}

function outcomeText(outcome: { [key: string]: Decoded }): string {
  if (outcome.result === "invalid") return `error ${JSON.stringify(outcome.error)}`;
  return `outputs (${render(outcome.outputs)})`;
}

/** Replays every selected vector under `dir` with the handlers of `suites`. */
export function replayAll(
  dir: string,
  suites: Suite[],
  selection: ReplaySelection,
  filters: ReplayFilters = {},
): Promise<ReplayResult[]> {
  return replayPaths(dir, selectVectors(dir, selection, filters), suites);
}

/** Replays the given vector files with the handlers of `suites`. */
export async function replayPaths(
  dir: string,
  paths: string[],
  suites: Suite[],
): Promise<ReplayResult[]> {
  const handlers = new Map<string, Handler>();
  for (const s of suites) handlers.set(handlerPath(s.handler), s.handler);
  const results: ReplayResult[] = [];
  for (const path of paths) {
    let vector: LoadedVector;
    try {
      vector = loadVector(dir, path);
    } catch (e) {
      results.push(result(placeOf(path), "unreadable", message(e)));
      continue;
    }
    const key = `${vector.preset}/${vector.runner}/${vector.handler}`;
    const handler = handlers.get(key);
    if (handler === undefined) {
      results.push(result(vector, "failed", `no handler ${key}`));
      continue;
    }
    try {
      const outcome = await execute(handler, vector.inputs);
      results.push(judge(vector, decodeCanonical(outcomeBytes(outcome))));
    } catch (e) {
      results.push(result(vector, "failed", `crashed: ${message(e)}`));
    }
  }
  return results;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What a run against an adapter produced. */
export interface AdapterReplay {
  /** The adapter's `hello` (of the first session); `null` if there was none. */
  hello: AdapterHello | null;
  /** One result per vector run before the end (all of them, unless the protocol broke). */
  results: ReplayResult[];
  /** Why the run stopped early, when the adapter broke the protocol. */
  protocolError: string | null;
}

/**
 * Replays the given vector files against an adapter. Vectors the adapter did not declare are
 * `unsupported` and never sent. A timeout or an adapter exit fails that vector and starts a new
 * session for the next. A protocol error fails the vector it happened on and stops the run.
 *
 * @throws {AdapterStartError} when the adapter program cannot be started at all
 */
export async function replayWithAdapter(
  dir: string,
  paths: string[],
  options: AdapterOptions,
): Promise<AdapterReplay> {
  const out: AdapterReplay = { hello: null, results: [], protocolError: null };
  let session: AdapterSession | null = null;
  try {
    session = await startAdapter(options);
    const hello = session.hello;
    out.hello = hello;
    for (const path of paths) {
      const vector = tryLoad(dir, path, out.results);
      if (vector === null) continue;
      if (!declares(hello, vector.preset, vector.runner, vector.handler)) {
        out.results.push(result(vector, "unsupported", "not declared by the adapter"));
        continue;
      }
      // After a timeout or an exit, a fresh adapter runs the next vector.
      session ??= await startAdapter(options);
      const answer = await runOn(session, vector, out, options.timeoutMs);
      if (answer.status === "timeout" || answer.status === "exited") session = null;
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    out.protocolError = e.message;
  } finally {
    await session?.close();
  }
  return out;
}

function tryLoad(dir: string, path: string, results: ReplayResult[]): LoadedVector | null {
  try {
    return loadVector(dir, path);
  } catch (e) {
    results.push(result(placeOf(path), "unreadable", message(e)));
    return null;
  }
}

async function runOn(
  session: AdapterSession,
  vector: LoadedVector,
  out: AdapterReplay,
  timeoutMs: number,
): Promise<SessionAnswer> {
  const request: RunRequest = {
    type: "run",
    id: vector.id,
    preset: vector.preset,
    runner: vector.runner,
    handler: vector.handler,
    config: toJson(vector.config),
    inputs: toJson(vector.inputs),
  };
  let answer: SessionAnswer;
  try {
    answer = await session.run(request);
  } catch (e) {
    if (e instanceof ProtocolError) out.results.push(result(vector, "failed", e.message));
    throw e;
  }
  out.results.push(resultOf(vector, answer, timeoutMs));
  return answer;
}

function resultOf(vector: LoadedVector, answer: SessionAnswer, timeoutMs: number): ReplayResult {
  switch (answer.status) {
    case "ok":
      return judge(vector, { result: "valid", outputs: answer.outputs });
    case "rejected": {
      const judged = judge(vector, { result: "invalid", error: answer.error });
      if (judged.status === "failed" && !KNOWN_CODES.has(answer.error)) {
        judged.detail += ` (${JSON.stringify(answer.error)} is not a code of spec/errors.ts)`;
      }
      return judged;
    }
    case "unsupported":
      return result(vector, "unsupported", answer.reason || "the adapter does not run it");
    case "error":
      return result(vector, "failed", `adapter error: ${answer.message}`);
    case "timeout":
      return result(vector, "failed", `no result within ${timeoutMs} ms`);
    case "exited":
      return result(vector, "failed", `adapter exited during the run (${describeExit(answer)})`);
  }
}

/** Per-runner counts by status, sorted by runner. */
export function summarize(results: ReplayResult[]): Map<string, Record<ReplayStatus, number>> {
  const byRunner = new Map<string, Record<ReplayStatus, number>>();
  for (const r of results) {
    const counts = byRunner.get(r.runner) ??
      { passed: 0, failed: 0, unsupported: 0, unreadable: 0 };
    counts[r.status]++;
    byRunner.set(r.runner, counts);
  }
  return new Map([...byRunner].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
