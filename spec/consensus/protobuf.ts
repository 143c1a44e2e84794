/**
 * The protobuf wire format, as far as Harmony's consensus messages need it.
 *
 * Harmony sends consensus messages as protocol buffers (proto3, Go's `google.golang.org/protobuf`).
 * A message is a sequence of *fields*; each field starts with a *tag*, the varint
 * `fieldNumber << 3 | wireType`, followed by a value whose shape the wire type gives:
 *
 * | wire type | value                                                             |
 * | --------- | ----------------------------------------------------------------- |
 * | 0         | a varint (integers and enums)                                     |
 * | 1         | 8 bytes (fixed64)                                                 |
 * | 2         | a varint length, then that many bytes (bytes, strings, messages)  |
 * | 3, 4      | start and end of a group (a legacy nesting of fields)             |
 * | 5         | 4 bytes (fixed32)                                                 |
 *
 * A varint is little-endian base 128: seven bits per byte, the top bit set on every byte but the
 * last. This module reads and writes exactly these pieces; `messages.ts` gives them meaning.
 *
 * What the reader accepts follows Go's decoder (`protowire.ConsumeVarint`, `ConsumeTag`,
 * `ConsumeFieldValue`), because a message Go accepts is a message the network accepts:
 * - a varint may be written with more bytes than needed (Go does not insist on the shortest
 *   form), but at most 10 bytes, and the tenth byte may only carry the 64th bit;
 * - a field number must lie in `[1, 2^29 − 1]` (inside a skipped group Go's looser
 *   `protowire.ConsumeTag` applies, which allows up to `2^31 − 1`);
 * - wire types 6 and 7 do not exist;
 * - a group is skipped up to its matching end tag; an end tag without a start is an error.
 * Each failure has its own code, so a decoder given arbitrary bytes returns a value or a
 * `SpecError`, never anything else.
 *
 * Writing always uses the shortest varints, as Go's encoder does.
 *
 * @see github.com/harmony-one/harmony api/proto/message/harmonymessage.proto
 * @see google.golang.org/protobuf encoding/protowire/wire.go (`ConsumeVarint`, `ConsumeTag`,
 *   `ConsumeFieldValue`, `AppendVarint`)
 * @module
 */
import { concatBytes, MAX_UINT64 } from "../encoding/bytes.ts";
import { require } from "../errors.ts";

/** Wire type of varint values. */
export const WIRE_VARINT = 0;
/** Wire type of 8-byte values. */
export const WIRE_FIXED64 = 1;
/** Wire type of length-delimited values (bytes and embedded messages). */
export const WIRE_BYTES = 2;
/** Wire type that opens a group. */
export const WIRE_START_GROUP = 3;
/** Wire type that closes a group. */
export const WIRE_END_GROUP = 4;
/** Wire type of 4-byte values. */
export const WIRE_FIXED32 = 5;

/** The largest field number of a message field (Go `protowire.MaxValidNumber`). */
export const MAX_FIELD_NUMBER = 2 ** 29 - 1;
/** The largest field number inside a skipped group (Go reads the number as an `int32`). */
export const MAX_GROUP_FIELD_NUMBER = 2 ** 31 - 1;
/** How deeply groups may nest before the reader gives up (Go's default recursion limit). */
export const MAX_GROUP_DEPTH = 10_000;

/** One field as read from the wire, with its own bytes kept for re-emission. */
export interface WireField {
  /** The field number. */
  number: number;
  /** The wire type (0, 1, 2, 3 or 5; a group arrives as one field of type 3). */
  wireType: number;
  /** For wire type 0: the value; otherwise 0. */
  varint: bigint;
  /** For wire type 2: the content (without its length); otherwise empty. */
  bytes: Uint8Array;
  /** The whole field as it appeared: tag, length and value. */
  raw: Uint8Array;
}

/** A varint read from a buffer. */
export interface VarintRead {
  /** The value. */
  value: bigint;
  /** The index after the varint. */
  next: number;
}

/**
 * Reads a varint (Go `protowire.ConsumeVarint`).
 *
 * @param input the buffer
 * @param at where the varint starts
 * @returns the value (below 2^64) and the index after it
 * @throws {SpecError} `fbft/proto-truncated` when the input ends inside the varint;
 *   `fbft/proto-varint-overflow` for more than 10 bytes, or a tenth byte above 1
 */
export function readVarint(input: Uint8Array, at: number): VarintRead {
  let value = 0n;
  // At most ten rounds: the tenth byte is either rejected or ends the varint.
  for (let i = 0;; i++) {
    require(at + i < input.length, "fbft/proto-truncated", "varint");
    const b = input[at + i];
    // The tenth byte holds bit 63 only; anything more does not fit in 64 bits.
    require(i < 9 || b <= 1, "fbft/proto-varint-overflow");
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
}

/**
 * Writes a varint in its shortest form (Go `protowire.AppendVarint`).
 *
 * @param value an integer in `[0, 2^64)`
 * @returns its encoding, 1 to 10 bytes
 * @throws {SpecError} `encoding/integer-too-large` outside that range
 */
export function encodeVarint(value: bigint): Uint8Array {
  require(value >= 0n && value <= MAX_UINT64, "encoding/integer-too-large", `${value} as varint`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/**
 * Reads a tag (Go's message decoder; `protowire.ConsumeTag` inside groups).
 *
 * @returns the field number, the wire type and the index after the tag
 * @throws {SpecError} the codes of {@link readVarint}; `fbft/proto-bad-field-number` for a number
 *   outside `[1, maxNumber]`
 */
function readTag(
  input: Uint8Array,
  at: number,
  maxNumber: number,
): { number: number; wireType: number; next: number } {
  const { value, next } = readVarint(input, at);
  const number = value >> 3n;
  require(number >= 1n && number <= BigInt(maxNumber), "fbft/proto-bad-field-number");
  return { number: Number(number), wireType: Number(value & 7n), next };
}

/** Reads a length prefix and checks the content fits in the input. */
function readLength(input: Uint8Array, at: number): { start: number; end: number } {
  const { value, next } = readVarint(input, at);
  require(value <= BigInt(input.length - next), "fbft/proto-truncated", "length-delimited value");
  return { start: next, end: next + Number(value) };
}

/** Skips the rest of a group whose start tag has been read, returning the index after its end. */
function skipGroup(input: Uint8Array, at: number, number: number): number {
  const open = [number];
  let i = at;
  while (open.length > 0) {
    const tag = readTag(input, i, MAX_GROUP_FIELD_NUMBER);
    i = tag.next;
    if (tag.wireType === WIRE_END_GROUP) {
      require(tag.number === open[open.length - 1], "fbft/proto-group-mismatch");
      open.pop();
    } else if (tag.wireType === WIRE_START_GROUP) {
      require(open.length < MAX_GROUP_DEPTH, "fbft/proto-group-too-deep");
      open.push(tag.number);
    } else {
      i = skipValue(input, i, tag.wireType);
    }
  }
  return i;
}

/** Skips one non-group value of the given wire type. */
function skipValue(input: Uint8Array, at: number, wireType: number): number {
  if (wireType === WIRE_VARINT) return readVarint(input, at).next;
  if (wireType === WIRE_BYTES) return readLength(input, at).end;
  const size = wireType === WIRE_FIXED64 ? 8 : wireType === WIRE_FIXED32 ? 4 : -1;
  require(
    size > 0,
    wireType === WIRE_END_GROUP ? "fbft/proto-group-mismatch" : "fbft/proto-bad-wire-type",
  );
  require(at + size <= input.length, "fbft/proto-truncated", `fixed${size * 8}`);
  return at + size;
}

/**
 * Splits a message into its fields, in wire order (Go's `proto.Unmarshal` reading loop).
 *
 * @param input the message bytes
 * @returns the fields; a repeated field number appears once per occurrence
 * @throws {SpecError} `fbft/proto-truncated`, `fbft/proto-varint-overflow`,
 *   `fbft/proto-bad-field-number` (outside `[1, 2^29 − 1]`), `fbft/proto-bad-wire-type` (6 or 7),
 *   `fbft/proto-group-mismatch` (an end tag that closes nothing or the wrong group),
 *   `fbft/proto-group-too-deep`
 */
export function readFields(input: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < input.length) {
    const tag = readTag(input, at, MAX_FIELD_NUMBER);
    let varint = 0n;
    let bytes = new Uint8Array(0);
    let end: number;
    if (tag.wireType === WIRE_VARINT) {
      ({ value: varint, next: end } = readVarint(input, tag.next));
    } else if (tag.wireType === WIRE_BYTES) {
      const { start, end: stop } = readLength(input, tag.next);
      bytes = input.slice(start, stop);
      end = stop;
    } else if (tag.wireType === WIRE_START_GROUP) {
      end = skipGroup(input, tag.next, tag.number);
    } else {
      end = skipValue(input, tag.next, tag.wireType);
    }
    fields.push({ ...tag, varint, bytes, raw: input.slice(at, end) });
    at = end;
  }
  return fields;
}

/** The tag of a field. */
function encodeTag(number: number, wireType: number): Uint8Array {
  return encodeVarint((BigInt(number) << 3n) | BigInt(wireType));
}

/**
 * Writes a varint field, or nothing when the value is zero (proto3 leaves zero scalars out).
 *
 * @param number the field number
 * @param value the value, in `[0, 2^64)`
 * @returns the field's bytes (empty for zero)
 */
export function varintField(number: number, value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  return concatBytes(encodeTag(number, WIRE_VARINT), encodeVarint(value));
}

/**
 * Writes a bytes field, or nothing when the value is empty (proto3 leaves empty bytes out).
 *
 * @param number the field number
 * @param value the content
 * @returns the field's bytes (empty for an empty value)
 */
export function bytesField(number: number, value: Uint8Array): Uint8Array {
  if (value.length === 0) return new Uint8Array(0);
  return messageField(number, value);
}

/**
 * Writes an embedded-message field; unlike a bytes field it is written even when empty, because a
 * set `oneof` member is present on the wire whatever its content.
 *
 * @param number the field number
 * @param encoded the embedded message's encoding
 * @returns the field's bytes
 */
export function messageField(number: number, encoded: Uint8Array): Uint8Array {
  return concatBytes(encodeTag(number, WIRE_BYTES), encodeVarint(BigInt(encoded.length)), encoded);
}

/**
 * A proto3 `int32` or enum read from a varint: Go keeps the low 32 bits, as a signed number.
 *
 * @param value the varint
 * @returns the signed 32-bit value
 */
export function int32FromVarint(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/**
 * The varint of an `int32` or enum: a negative value is sign-extended to 64 bits (10 bytes).
 *
 * @param value a signed 32-bit integer
 * @returns the unsigned 64-bit value the wire carries
 */
export function int32ToVarint(value: number): bigint {
  return BigInt.asUintN(64, BigInt(value));
}
