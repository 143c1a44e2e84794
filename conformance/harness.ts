/**
 * The conformance case harness.
 *
 * A *handler* is the contract an outside implementer follows: the spec function(s) it calls, how
 * it reads a vector's inputs and what outputs it produces. A *case* is one input for a handler,
 * written once, with the expectation its author knows independently of the spec (a value from
 * Harmony's Go tests, a known answer, an error code).
 *
 * The same case is used three ways, always through {@link runCase}:
 * - `deno task test` runs it as a test: the handler's outcome must equal the stated expectation
 *   and pass the case's own checks;
 * - `deno task vectors` writes it as a vector: the inputs and the outcome, in deterministic CBOR;
 * - `deno task conformance` replays the vector: the inputs read back from CBOR must give the
 *   recorded outcome again.
 *
 * Inputs always pass through the CBOR encoding before the handler sees them, so a test exercises
 * exactly the bytes an implementer will read.
 *
 * @module
 */
import { bytesEqual, bytesToBigint, toHex } from "../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../spec/errors.ts";
import { type Data, decodeCanonical, type Decoded, encodeCanonical } from "./cbor.ts";

/** A record of named vector values. */
export type Fields = { [name: string]: Data };
/** A record of named vector values as read back from CBOR. */
export type DecodedFields = { [name: string]: Decoded };

/**
 * Reads a byte-string input of a vector.
 *
 * @throws Error when the input is missing or not a byte string (a malformed vector)
 */
export function inputBytes(inputs: DecodedFields, name: string): Uint8Array {
  const value = inputs[name];
  if (!(value instanceof Uint8Array)) throw new Error(`input ${name} must be a byte string`);
  return value;
}

/**
 * Reads an unsigned integer input of a vector (big-endian, minimal, zero = empty).
 *
 * @throws Error as {@link inputBytes}
 */
export function inputUint(inputs: DecodedFields, name: string): bigint {
  return bytesToBigint(inputBytes(inputs, name));
}

/** How a handler's run ended: outputs, or a rejection with a spec error code. */
export type Outcome =
  | { result: "valid"; outputs: Fields }
  | { result: "invalid"; error: SpecErrorCode };

/** The contract for one kind of vector. */
export interface Handler {
  /** The area of the spec, e.g. `numeric`; the first level of the vector path after the preset. */
  runner: string;
  /** The operation within the runner, e.g. `dec_arith`. */
  handler: string;
  /** The network preset the cases run under; `general` when the rule does not depend on one. */
  preset: string;
  /** The configuration the handler runs under, recorded in every vector (empty for `general`). */
  config: Fields;
  /** The spec functions the handler calls, by exported name. */
  covers: string[];
  /**
   * Runs the spec on a vector's inputs. Throws a `SpecError` to reject; any other exception is a
   * bug and fails the case. May return a promise (the EVM runs asynchronously).
   */
  run(inputs: DecodedFields): Fields | Promise<Fields>;
}

/** One input of a handler with its author's expectation. */
export interface Case {
  /** The file name of the vector (snake_case, unique within the handler). */
  name: string;
  /** What the case shows, in one or two sentences. */
  description: string;
  /** The handler's inputs. */
  inputs: Fields;
  /** The outputs, or the error code, the author expects (known independently of the spec). */
  expect?: Fields | { error: SpecErrorCode };
  /** Further assertions on the outputs, for expectations that are not a single value. */
  check?: (outputs: DecodedFields) => void;
  /** A deliberately wrong expectation, used to prove that the runner catches failures. */
  canary?: boolean;
}

/** A handler with its cases. */
export interface Suite {
  handler: Handler;
  cases: Case[];
}

/** Builds a suite, refusing cases that assert nothing or share a name. */
export function suite(handler: Handler, cases: Case[]): Suite {
  const seen = new Set<string>();
  for (const c of cases) {
    if (!/^[a-z0-9_]+$/.test(c.name)) throw new Error(`case name ${c.name} is not snake_case`);
    if (seen.has(c.name)) throw new Error(`duplicate case ${handlerPath(handler)}/${c.name}`);
    if (c.expect === undefined && c.check === undefined) {
      throw new Error(`case ${c.name} states no expectation`);
    }
    seen.add(c.name);
  }
  return { handler, cases };
}

/** `preset/runner/handler`: where a handler's vectors live under `vectors/`. */
export function handlerPath(handler: Handler): string {
  return `${handler.preset}/${handler.runner}/${handler.handler}`;
}

/** Runs a handler on decoded inputs and captures a rejection as an outcome. */
export async function execute(handler: Handler, inputs: DecodedFields): Promise<Outcome> {
  try {
    return { result: "valid", outputs: await handler.run(inputs) };
  } catch (e) {
    if (isSpecError(e)) return { result: "invalid", error: e.code };
    throw e;
  }
}

function expectedOutcome(expect: NonNullable<Case["expect"]>): Outcome {
  if ("error" in expect && typeof expect.error === "string" && Object.keys(expect).length === 1) {
    return { result: "invalid", error: expect.error as SpecErrorCode };
  }
  return { result: "valid", outputs: expect as Fields };
}

/** Canonical bytes of an outcome, the unit of comparison everywhere. */
export function outcomeBytes(outcome: Outcome): Uint8Array {
  return encodeCanonical(outcome as unknown as Data);
}

/** A vector: everything an implementer needs to replay one case. */
export interface Vector {
  format: "harmony-spec/vector/1";
  id: string;
  preset: string;
  runner: string;
  handler: string;
  case: string;
  description: string;
  covers: string[];
  config: Fields;
  inputs: Fields;
  expect: Outcome;
}

/** What running a case produced: the vector, and whether it met its author's expectation. */
export interface CaseResult {
  vector: Vector;
  /** Empty when the case passed; otherwise why it failed. */
  failures: string[];
}

/**
 * Runs one case as test and generator at once. The vector records the spec's outcome, except for
 * a canary, whose vector records the (wrong) stated expectation.
 */
export async function runCase(handler: Handler, c: Case): Promise<CaseResult> {
  const inputs = decodeCanonical(encodeCanonical(c.inputs)) as DecodedFields;
  const outcome = await execute(handler, inputs);
  const failures: string[] = [];
  let recorded = outcome;
  if (c.expect !== undefined) {
    const wanted = expectedOutcome(c.expect);
    if (!bytesEqual(outcomeBytes(outcome), outcomeBytes(wanted))) {
      failures.push(`expected ${describe(wanted)}, got ${describe(outcome)}`);
    }
    if (c.canary) recorded = wanted;
  }
  if (c.check !== undefined) {
    if (outcome.result !== "valid") failures.push(`expected outputs, got ${outcome.error}`);
    else {
      try {
        c.check(decodeCanonical(encodeCanonical(outcome.outputs)) as DecodedFields);
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
  }
  const vector: Vector = {
    format: "harmony-spec/vector/1",
    id: `${handlerPath(handler)}/${c.name}`,
    preset: handler.preset,
    runner: handler.runner,
    handler: handler.handler,
    case: c.name,
    description: c.description,
    covers: handler.covers,
    config: handler.config,
    inputs: c.inputs,
    expect: recorded,
  };
  return { vector, failures };
}

/** A short human-readable rendering of an outcome, for failure messages. */
export function describe(outcome: Outcome): string {
  if (outcome.result === "invalid") return `error ${outcome.error}`;
  return `outputs ${render(outcome.outputs)}`;
}

function render(value: Data | Decoded): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return `${v}n`;
    if (v instanceof Uint8Array) return `0x${toHex(v)}`;
    return v;
  });
}
