/**
 * Deterministic CBOR for conformance vectors.
 *
 * Vectors are written in RFC 8949 §4.2.1 "core deterministic encoding" with no tags, so that the
 * same content always gives the same bytes under every runtime. cbor-x writes the bytes; this
 * module first turns a value into a canonical shape that cbor-x encodes deterministically:
 *
 * - a record becomes a `Map` whose keys are sorted by their encoded bytes (shorter keys first,
 *   then bytewise), which is the deterministic key order of the RFC;
 * - a `bigint` becomes a byte string: unsigned, big-endian, minimal (zero is the empty string).
 *   Negative bigints are refused: a signed quantity must pick its encoding explicitly
 *   (see {@link signedToBytes});
 * - a `number` must be a safe integer and is written in its shortest integer form;
 * - byte strings, text, booleans, null and arrays are written as they are.
 *
 * Anything else (floats, undefined, class instances, Maps, typed arrays other than Uint8Array) is
 * a bug in the case that produced it and throws.
 *
 * @module
 */
import { Decoder, Encoder } from "cbor-x";
import {
  bigintToBytes,
  bytesEqual,
  fixedBytesToSigned,
  signedToFixedBytes,
} from "../spec/encoding/bytes.ts";

/** A value of the vector data model, as written by cases. */
export type Data =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Data[]
  | { [key: string]: Data };

/** A value of the vector data model as read back from CBOR: bigints have become byte strings. */
export type Decoded =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | Decoded[]
  | { [key: string]: Decoded };

const encoder = new Encoder(
  {
    useRecords: false,
    mapsAsObjects: true,
    tagUint8Array: false,
    useTag259ForMaps: false,
    pack: false,
  } as ConstructorParameters<typeof Encoder>[0],
);

const decoder = new Decoder(
  { useRecords: false, mapsAsObjects: true } as ConstructorParameters<
    typeof Decoder
  >[0],
);

const textEncoder = new TextEncoder();

/**
 * Two's-complement big-endian minimal bytes of a signed bigint: the shortest string whose top
 * bit is the sign. Zero is the empty byte string.
 */
export function signedToBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length++;
  return signedToFixedBytes(value, length);
}

/** Reads a two's-complement big-endian byte string back into a signed bigint. */
export function bytesToSigned(bytes: Uint8Array): bigint {
  return fixedBytesToSigned(bytes);
}

function compareKeys(a: string, b: string): number {
  const x = textEncoder.encode(a);
  const y = textEncoder.encode(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function canonical(value: Data, path: string): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`${path}: ${value} is not a safe integer`);
    // cbor-x writes numbers beyond 32 bits as floats; as a bigint it writes the 9-byte integer,
    // which is the shortest integer form for that range.
    return value >= 2 ** 32 || value < -(2 ** 32) ? BigInt(value) : value;
  }
  if (typeof value === "bigint") {
    if (value < 0n) throw new Error(`${path}: negative bigint needs an explicit signed encoding`);
    return bigintToBytes(value);
  }
  if (value instanceof Uint8Array) {
    if (value.constructor !== Uint8Array) return new Uint8Array(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonical(v, `${path}[${i}]`));
  if (isRecord(value)) {
    const keys = Object.keys(value).sort(compareKeys);
    const map = new Map<string, unknown>();
    for (const key of keys) {
      const item = value[key];
      if (item === undefined) throw new Error(`${path}.${key} is undefined`);
      map.set(key, canonical(item, `${path}.${key}`));
    }
    return map;
  }
  throw new Error(`${path}: ${Object.prototype.toString.call(value)} is not vector data`);
}

function isRecord(value: unknown): value is { [key: string]: Data } {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Encodes vector data as deterministic CBOR. */
export function encodeCanonical(value: Data): Uint8Array {
  return new Uint8Array(encoder.encode(canonical(value, "$")));
}

function plain(value: unknown, path: string): Decoded {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`${path}: integer ${value} is outside the vector integer range`);
    }
    return Number(value);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const out: { [key: string]: Decoded } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = plain(v, `${path}.${k}`);
    }
    return out;
  }
  throw new Error(`${path}: unexpected CBOR value ${String(value)}`);
}

/**
 * Decodes deterministic CBOR into vector data, refusing bytes that are not in canonical form
 * (re-encoding the result must give the same bytes).
 */
export function decodeCanonical(bytes: Uint8Array): Decoded {
  // The decoder caches a DataView on the buffer it reads: give it a copy, not the caller's bytes.
  const value = plain(decoder.decode(bytes.slice()), "$");
  const again = encodeCanonical(value as Data);
  if (!bytesEqual(again, bytes)) throw new Error("CBOR is not in deterministic form");
  return value;
}
