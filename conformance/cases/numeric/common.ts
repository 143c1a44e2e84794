/**
 * Shared pieces of the `numeric` runner: reading a vector's inputs, writing outputs, and writing
 * case values. A Dec travels as its mantissa (value × 10^18) in two's-complement big-endian bytes
 * (see `signedToBytes`); a plain integer travels the same way.
 *
 * @module
 */
import { bytesToSigned, signedToBytes } from "../../cbor.ts";
import type { DecodedFields } from "../../harness.ts";
import { type Dec, decFromMantissa } from "../../../spec/numeric/decimal.ts";

/** A byte-string input; anything else is a malformed vector, not a spec rejection. */
function readBytes(inputs: DecodedFields, name: string): Uint8Array {
  const value = inputs[name];
  if (!(value instanceof Uint8Array)) throw new Error(`input ${name} must be a byte string`);
  return value;
}

/** A Dec input: its mantissa as signed bytes. */
export function readDec(inputs: DecodedFields, name: string): Dec {
  return decFromMantissa(bytesToSigned(readBytes(inputs, name)));
}

/** A plain signed integer input. */
export function readInt(inputs: DecodedFields, name: string): bigint {
  return bytesToSigned(readBytes(inputs, name));
}

/** A text input. */
export function readText(inputs: DecodedFields, name: string): string {
  const value = inputs[name];
  if (typeof value !== "string") throw new Error(`input ${name} must be text`);
  return value;
}

/** A number input (a safe integer). */
export function readNumber(inputs: DecodedFields, name: string): number {
  const value = inputs[name];
  if (typeof value !== "number") throw new Error(`input ${name} must be an integer`);
  return value;
}

/** A Dec output: its mantissa as signed bytes. */
export function writeDec(d: Dec): Uint8Array {
  return signedToBytes(d.mantissa);
}

/**
 * The signed bytes of the mantissa of plain decimal text (`-12.5`, `0.000000000000000001`),
 * computed here without the spec's parser, so that case values are written independently of it.
 */
export function dec(text: string): Uint8Array {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(text);
  if (match === null) throw new Error(`case value ${text} is not plain decimal text`);
  const magnitude = BigInt(match[2] + (match[3] ?? "").padEnd(18, "0"));
  return signedToBytes(match[1] === "-" ? -magnitude : magnitude);
}

/** The signed bytes of a mantissa or of a plain integer. */
export function int(value: bigint): Uint8Array {
  return signedToBytes(value);
}
