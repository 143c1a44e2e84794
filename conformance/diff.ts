/**
 * Where two outcomes first differ, for failure messages.
 *
 * The runner decides pass or fail on canonical CBOR bytes; this module only explains a failure.
 * It walks the expected and the actual outcome side by side (record keys in sorted order, array
 * items in order) and names the first place they differ with a path such as
 * `outputs.validators[3].amount`, so that an implementer sees which field to look at rather than
 * two large values.
 *
 * @module
 */
import { toHex } from "../spec/encoding/bytes.ts";
import type { Decoded } from "./cbor.ts";

/** The first difference between two values: where, and what each side has there. */
export interface Divergence {
  /** The path of the differing value, e.g. `outputs.validators[3].amount`. */
  path: string;
  /** The expected value there, rendered for people. */
  expected: string;
  /** The actual value there, rendered for people. */
  actual: string;
  /** More about the difference, e.g. the first differing byte of long byte strings. */
  note?: string;
}

/** The longest byte string shown in full; longer ones are cut around the first difference. */
const SHOWN_BYTES = 48;

/** The first place where `actual` differs from `expected`, or `null` when they are equal. */
export function firstDivergence(
  expected: Decoded,
  actual: Decoded,
  path: string,
): Divergence | null {
  const kind = kindOf(expected);
  if (kind !== kindOf(actual)) {
    return { path, expected: render(expected), actual: render(actual) };
  }
  if (expected instanceof Uint8Array) return bytesDivergence(expected, actual as Uint8Array, path);
  if (Array.isArray(expected)) return arrayDivergence(expected, actual as Decoded[], path);
  if (kind === "record") {
    return recordDivergence(
      expected as { [key: string]: Decoded },
      actual as { [key: string]: Decoded },
      path,
    );
  }
  if (expected === actual) return null;
  return { path, expected: render(expected), actual: render(actual) };
}

function arrayDivergence(expected: Decoded[], actual: Decoded[], path: string) {
  const shared = Math.min(expected.length, actual.length);
  for (let i = 0; i < shared; i++) {
    const d = firstDivergence(expected[i], actual[i], `${path}[${i}]`);
    if (d !== null) return d;
  }
  if (expected.length === actual.length) return null;
  return {
    path: `${path}[${shared}]`,
    expected: shared < expected.length ? render(expected[shared]) : "nothing (end of the list)",
    actual: shared < actual.length ? render(actual[shared]) : "nothing (end of the list)",
  };
}

function recordDivergence(
  expected: { [key: string]: Decoded },
  actual: { [key: string]: Decoded },
  path: string,
): Divergence | null {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const key of keys) {
    const at = `${path}${keySegment(key)}`;
    const has = Object.hasOwn(expected, key);
    const got = Object.hasOwn(actual, key);
    if (!got) return { path: at, expected: render(expected[key]), actual: "nothing (missing)" };
    if (!has) return { path: at, expected: "nothing (no such field)", actual: render(actual[key]) };
    const d = firstDivergence(expected[key], actual[key], at);
    if (d !== null) return d;
  }
  return null;
}

function bytesDivergence(expected: Uint8Array, actual: Uint8Array, path: string) {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  if (at === expected.length && at === actual.length) return null;
  const out: Divergence = {
    path,
    expected: renderBytes(expected, at),
    actual: renderBytes(actual, at),
  };
  if (Math.max(expected.length, actual.length) > 8) out.note = `first difference at byte ${at}`;
  return out;
}

/** `.name` for identifier-like keys, `["odd key"]` otherwise. */
function keySegment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function kindOf(value: Decoded): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "record";
  return typeof value;
}

/** A value in one line: bytes as hex, text quoted, containers by size and keys. */
export function render(value: Decoded): string {
  if (value instanceof Uint8Array) return renderBytes(value, 0);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `a record {${keys.join(", ")}}`;
  }
  if (typeof value === "number") return `integer ${value}`;
  return JSON.stringify(value);
}

function renderBytes(bytes: Uint8Array, around: number): string {
  if (bytes.length === 0) return "bytes 0x (empty)";
  if (bytes.length <= SHOWN_BYTES) return `bytes 0x${toHex(bytes)}`;
  const start = Math.max(0, Math.min(around - 8, bytes.length - SHOWN_BYTES));
  const shown = toHex(bytes.subarray(start, start + SHOWN_BYTES));
  const before = start > 0 ? `…(${start} bytes)` : "";
  const after = start + SHOWN_BYTES < bytes.length ? "…" : "";
  return `bytes 0x${before}${shown}${after} (${bytes.length} bytes)`;
}
