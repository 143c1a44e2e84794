/**
 * The adapter protocol, shared by the runner and by adapters written in TypeScript.
 *
 * The runner and an implementer's adapter exchange newline-delimited JSON: one JSON object per
 * line, UTF-8, on the adapter's stdin and stdout. `conformance/formats/adapter.md` is the
 * normative description; this module holds its constants, the message shapes, the checks the
 * runner applies to every line it reads, and the JSON mapping of the vector data model.
 *
 * The JSON mapping is the one place where JSON and CBOR meet. It is lossless and unambiguous:
 *
 * | vector data (CBOR)          | JSON                                  |
 * | --------------------------- | ------------------------------------- |
 * | byte string                 | `{"$bytes": "0x…"}` (hex, even length) |
 * | text string                 | string                                |
 * | integer (safe range)        | number without fraction or exponent   |
 * | boolean, null               | `true`/`false`, `null`                |
 * | array                       | array                                 |
 * | map with text keys (record) | object                                |
 *
 * Object keys starting with `$` are reserved by the mapping: a vector never uses one, and an
 * adapter's object is either exactly `{"$bytes": …}` or has no `$` key at all.
 *
 * @module
 */
import { toHex } from "../spec/encoding/bytes.ts";
import type { Decoded } from "./cbor.ts";

/** The protocol version this runner speaks; an incompatible change increments it. */
export const PROTOCOL_VERSION = 1;

/** The vector format the runner reads, announced in its `hello`. */
export const VECTOR_FORMAT = "harmony-spec/vector/1";

/** Every way a run can end, as the adapter reports it. */
export type RunStatus = "ok" | "rejected" | "unsupported" | "error";

/** The runner's greeting, the first line it writes. */
export interface RunnerHello {
  /** Always `hello`. */
  type: "hello";
  /** The protocol version the runner speaks. */
  protocol: number;
  /** The vector format the runs come from. */
  format: string;
}

/** The adapter's answer to the greeting: who it is and what it can run. */
export interface AdapterHello {
  /** The implementation's name, for reports. */
  name: string;
  /** Its version, for reports (empty when not given). */
  version: string;
  /** The protocol version the adapter speaks (must equal {@link PROTOCOL_VERSION}). */
  protocol: number;
  /** Runner name to the handler names it runs; a `*` entry means every handler of the runner. */
  supports: Map<string, Set<string>>;
  /** The presets it runs; `null` when it did not restrict them. */
  presets: Set<string> | null;
}

/** One case for the adapter to run: a vector without its expectation. */
export interface RunRequest {
  /** Always `run`. */
  type: "run";
  /** The vector's id, echoed in the result. */
  id: string;
  /** The vector's network preset (`general` when the rule does not depend on one). */
  preset: string;
  /** The vector's runner. */
  runner: string;
  /** The vector's handler. */
  handler: string;
  /** The configuration the vector ran under, in the JSON mapping. */
  config: unknown;
  /** The handler's inputs, in the JSON mapping. */
  inputs: unknown;
}

/** What the adapter answered for one run, checked and mapped back to vector data. */
export type RunAnswer =
  | { status: "ok"; outputs: { [name: string]: Decoded } }
  | { status: "rejected"; error: string }
  | { status: "unsupported"; reason: string }
  | { status: "error"; message: string };

/** The adapter broke the protocol: its output can no longer be trusted. */
export class ProtocolError extends Error {
  /** @param message what the adapter did wrong */
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

/** Vector data in the JSON mapping of the protocol. */
export function toJson(value: Decoded, path = "$"): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return value;
  if (value instanceof Uint8Array) return { $bytes: `0x${toHex(value)}` };
  if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${path}[${i}]`));
  const out: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith("$")) throw new Error(`${path}: key ${key} is reserved by the JSON mapping`);
    define(out, key, toJson(item, `${path}.${key}`));
  }
  return out;
}

/**
 * JSON in the protocol's mapping back to vector data.
 *
 * @throws {ProtocolError} when the value is not in the mapping (a float, a malformed `$bytes`,
 * a reserved key, an unpaired surrogate)
 */
export function fromJson(value: unknown, path = "$"): Decoded {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (!value.isWellFormed()) throw new ProtocolError(`${path}: string is not valid Unicode`);
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new ProtocolError(`${path}: ${value} is not an integer in the safe range`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => fromJson(v, `${path}[${i}]`));
  if (typeof value !== "object") throw new ProtocolError(`${path}: not JSON data`);
  const record = value as { [key: string]: unknown };
  const keys = Object.keys(record);
  if (keys.includes("$bytes")) return bytesFromJson(record, keys, path);
  const out: { [key: string]: Decoded } = {};
  for (const key of keys) {
    if (key.startsWith("$")) throw new ProtocolError(`${path}: key ${key} is reserved`);
    define(out, key, fromJson(record[key], `${path}.${key}`));
  }
  return out;
}

function bytesFromJson(record: { [key: string]: unknown }, keys: string[], path: string) {
  const hex = record.$bytes;
  if (keys.length !== 1) throw new ProtocolError(`${path}: $bytes must be the only key`);
  if (typeof hex !== "string" || !HEX_BYTES.test(hex)) {
    throw new ProtocolError(`${path}: $bytes must be 0x followed by an even number of hex digits`);
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Sets a key as an own property, so that a key such as `__proto__` stays plain data. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Parses one line from the adapter into a JSON object with a string `type`. */
export function parseLine(line: string): { [key: string]: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ProtocolError(`not a JSON line: ${preview(line)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`not a JSON object: ${preview(line)}`);
  }
  const message = value as { [key: string]: unknown };
  if (typeof message.type !== "string") {
    throw new ProtocolError(`no message type: ${preview(line)}`);
  }
  return message;
}

/** A line cut to a readable length for error messages. */
export function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}

/**
 * Checks the adapter's `hello`.
 *
 * @throws {ProtocolError} when the message is not a well-formed `hello` or speaks another version
 */
export function checkHello(message: { [key: string]: unknown }): AdapterHello {
  if (message.type !== "hello") {
    throw new ProtocolError(`expected hello, got ${JSON.stringify(message.type)}`);
  }
  if (message.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      `adapter speaks protocol ${JSON.stringify(message.protocol)}, runner ${PROTOCOL_VERSION}`,
    );
  }
  if (typeof message.name !== "string" || message.name === "") {
    throw new ProtocolError("hello.name must be a non-empty string");
  }
  if (message.version !== undefined && typeof message.version !== "string") {
    throw new ProtocolError("hello.version must be a string");
  }
  return {
    name: message.name,
    version: message.version ?? "",
    protocol: PROTOCOL_VERSION,
    supports: checkSupports(message.supports),
    presets: message.presets === undefined ? null : new Set(stringList(message.presets, "presets")),
  };
}

function checkSupports(value: unknown): Map<string, Set<string>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("hello.supports must be an object of runner to handler names");
  }
  const out = new Map<string, Set<string>>();
  for (const [runner, handlers] of Object.entries(value)) {
    out.set(runner, new Set(stringList(handlers, `supports.${runner}`)));
  }
  return out;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new ProtocolError(`hello.${what} must be an array of strings`);
  }
  return value;
}

/** Whether the adapter declared a vector's preset, runner and handler. */
export function declares(hello: AdapterHello, preset: string, runner: string, handler: string) {
  if (hello.presets !== null && !hello.presets.has(preset)) return false;
  const handlers = hello.supports.get(runner);
  return handlers !== undefined && (handlers.has("*") || handlers.has(handler));
}

/**
 * Checks a `result` line for the run with the given id and maps its outputs back to vector data.
 *
 * @throws {ProtocolError} when the message is not a well-formed result for that run
 */
export function checkResult(message: { [key: string]: unknown }, id: string): RunAnswer {
  if (message.type !== "result") {
    throw new ProtocolError(`expected result, got ${JSON.stringify(message.type)}`);
  }
  if (message.id !== id) {
    throw new ProtocolError(`result for ${JSON.stringify(message.id)}, expected ${id}`);
  }
  switch (message.status) {
    case "ok": {
      const outputs = fromJson(message.outputs, "outputs");
      if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
        throw new ProtocolError(`result ${id}: outputs must be an object`);
      }
      if (outputs instanceof Uint8Array) throw new ProtocolError(`result ${id}: outputs is bytes`);
      return { status: "ok", outputs };
    }
    case "rejected":
      if (typeof message.error !== "string" || message.error === "") {
        throw new ProtocolError(`result ${id}: a rejection needs an error code`);
      }
      return { status: "rejected", error: message.error };
    case "unsupported":
      return { status: "unsupported", reason: optionalText(message.reason) };
    case "error":
      return { status: "error", message: optionalText(message.message) };
    default:
      throw new ProtocolError(`result ${id}: unknown status ${JSON.stringify(message.status)}`);
  }
}

function optionalText(value: unknown): string {
  return typeof value === "string" ? value : "";
}
