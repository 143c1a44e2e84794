/**
 * Byte strings and the integers they carry.
 *
 * Every wire format in Harmony is bytes, and most integers in those formats are big-endian and
 * unsigned. These helpers are the only place the spec converts between `bigint` and bytes, and
 * between bytes and hex text, so that every rule reads the same way.
 *
 * @module
 */
import { require } from "../errors.ts";

/**
 * Bytes as lowercase hex, with no `0x` prefix. The built-in `Uint8Array.prototype.toHex` (the
 * standard's hex and base64 methods, which Deno and Bun both have) writes the text in one
 * allocation, where joining two-digit pieces builds a chain of partial strings: keys of every
 * roster and signer lookup are hexed, so it matters.
 */
export function toHex(bytes: Uint8Array): string {
  return bytes.toHex();
}

/**
 * A text standing for a byte string, for use as a key of a `Map` or `Set`: its hex. (One
 * character per byte would be half as long, but building it costs more than the built-in hex.)
 * Keys of equal-length byte strings order as the bytes do.
 */
export function bytesKey(bytes: Uint8Array): string {
  return toHex(bytes);
}

/**
 * Parses hex text (an optional `0x` prefix, an even number of hex digits, either case).
 *
 * @throws {SpecError} `encoding/invalid-hex` for an odd length or a non-hex character
 */
export function fromHex(text: string): Uint8Array {
  const start = text.startsWith("0x") || text.startsWith("0X") ? 2 : 0;
  const length = text.length - start;
  require(length % 2 === 0, "encoding/invalid-hex", "odd number of hex digits");
  const out = new Uint8Array(length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(text.charCodeAt(start + 2 * i));
    const lo = hexValue(text.charCodeAt(start + 2 * i + 1));
    require(hi >= 0 && lo >= 0, "encoding/invalid-hex", "non-hex character");
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** The value of a hex digit's character code, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Concatenates byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Byte-wise order (shorter first when one is a prefix of the other): negative, 0 or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * A set of byte strings that remembers the order they were added in, for rules that walk many
 * keys or addresses and ask "seen before?" of each: an open-addressing table of positions in
 * `entries` (MurmurHash3 of the bytes, linear probing). Each slot keeps its entry's hash too, so a
 * probe compares bytes only when the hashes agree: a collision does not read the other entry,
 * which may lie anywhere in memory (with tens of thousands of keys, those reads were most of the
 * time). No text key is built per byte string, and the tables are typed arrays the collector
 * does not walk. Not a wire format; create one with {@link newBytesIndex}.
 */
export interface BytesIndex {
  /** Position in `entries` + 1 per table slot; 0 for an empty slot. */
  slots: Int32Array;
  /** The hash of the entry in each occupied slot. */
  hashes: Int32Array;
  /** The byte strings added, in order (the caller's arrays, not copies). */
  entries: Uint8Array[];
}

/**
 * An empty {@link BytesIndex} with room for `capacity` entries (it grows beyond that if needed).
 *
 * @param capacity how many entries are expected
 * @returns the empty index
 */
export function newBytesIndex(capacity: number): BytesIndex {
  let size = 16;
  while (size < 2 * capacity) size *= 2;
  return { slots: new Int32Array(size), hashes: new Int32Array(size), entries: [] };
}

/**
 * Looks `bytes` up and adds it if it is new.
 *
 * @param index the index (changed: `bytes` is appended to its entries when new)
 * @param bytes the byte string
 * @returns the position among the entries of an equal byte string added before, or -1 if there
 *   was none (`bytes` is then the last entry)
 */
export function bytesIndexAdd(index: BytesIndex, bytes: Uint8Array): number {
  const { slots, hashes } = index;
  const mask = slots.length - 1;
  const hash = hashBytes(bytes);
  let slot = hash & mask;
  for (let at = slots[slot]; at !== 0; at = slots[slot]) {
    if (hashes[slot] === hash && bytesEqual(index.entries[at - 1], bytes)) return at - 1;
    slot = (slot + 1) & mask;
  }
  index.entries.push(bytes);
  slots[slot] = index.entries.length;
  hashes[slot] = hash;
  // At most half full, so that probes stay short.
  if (2 * index.entries.length > slots.length) rehash(index);
  return -1;
}

/** Doubles the tables and places every entry again, by the hash its slot kept. */
function rehash(index: BytesIndex): void {
  const slots = new Int32Array(2 * index.slots.length);
  const hashes = new Int32Array(slots.length);
  const mask = slots.length - 1;
  for (let old = 0; old < index.slots.length; old++) {
    if (index.slots[old] === 0) continue;
    const hash = index.hashes[old];
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = index.slots[old];
    hashes[slot] = hash;
  }
  index.slots = slots;
  index.hashes = hashes;
}

/**
 * MurmurHash3 (32-bit, seed 0) of a byte string, as a signed 32-bit integer (what an Int32Array
 * holds). It takes four bytes a step, so hashing a key is a short chain of multiplications and the
 * processor can already fetch the next key from memory (a byte-a-step hash kept it waiting on each
 * key in turn).
 */
function hashBytes(bytes: Uint8Array): number {
  const length = bytes.length;
  let h = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    h ^= murmurScramble(
      bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24),
    );
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < length) {
    let tail = 0;
    for (let shift = 0; i < length; i++, shift += 8) tail |= bytes[i] << shift;
    h ^= murmurScramble(tail);
  }
  h ^= length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function murmurScramble(word: number): number {
  const k = Math.imul(word, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

/** The shortest big-endian bytes of a non-negative integer; zero is the empty string. */
export function bigintToBytes(value: bigint): Uint8Array {
  require(value >= 0n, "encoding/negative-integer");
  if (value === 0n) return new Uint8Array(0);
  // Nonces, gas and most amounts fit a double exactly: no string round trip for them.
  if (value <= MAX_SAFE) return safeIntegerToBytes(Number(value));
  const hex = value.toString(16);
  return fromHex(hex.length % 2 === 1 ? "0" + hex : hex);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function safeIntegerToBytes(n: number): Uint8Array {
  let length = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) length++;
  const out = new Uint8Array(length);
  for (let i = length - 1, rest = n; i >= 0; i--, rest = Math.floor(rest / 256)) {
    out[i] = rest % 256;
  }
  return out;
}

/**
 * A non-negative integer as exactly `length` big-endian bytes.
 *
 * @throws {SpecError} `encoding/integer-too-large` when it does not fit
 */
export function bigintToFixedBytes(value: bigint, length: number): Uint8Array {
  const short = bigintToBytes(value);
  require(short.length <= length, "encoding/integer-too-large", `${value} in ${length} bytes`);
  const out = new Uint8Array(length);
  out.set(short, length - short.length);
  return out;
}

/** Reads big-endian bytes as a non-negative integer. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt("0x" + toHex(bytes));
}

/** Reads little-endian bytes as a non-negative integer. */
export function bytesToBigintLE(bytes: Uint8Array): bigint {
  return bytesToBigint(bytes.slice().reverse());
}

/** A non-negative integer as exactly `length` little-endian bytes. */
export function bigintToFixedBytesLE(value: bigint, length: number): Uint8Array {
  return bigintToFixedBytes(value, length).reverse();
}

/** The largest 64-bit unsigned integer (Go `math.MaxUint64`): heights, view IDs, gas, nonces. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/** A 64-bit unsigned integer as 8 little-endian bytes, as Harmony writes heights and view IDs. */
export function uint64LE(value: bigint): Uint8Array {
  require(value >= 0n && value <= MAX_UINT64, "encoding/integer-too-large", `${value} as uint64`);
  return bigintToFixedBytesLE(value, 8);
}

/**
 * The UTF-8 bytes of a text (a lone surrogate becomes U+FFFD, as in every UTF-8 encoder). Written
 * out rather than taken from the host, so the spec depends on no host API.
 */
export function utf8ToBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let c = char.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else {
      out.push(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 0x3f),
        0x80 | ((c >> 6) & 0x3f),
        0x80 | (c & 0x3f),
      );
    }
  }
  return new Uint8Array(out);
}

/**
 * A signed integer as exactly `length` big-endian two's-complement bytes: the non-negative
 * value below 2^(8·length) congruent to it, so negative numbers are sign-extended with 0xff.
 *
 * @throws {SpecError} `encoding/integer-too-large` when it does not fit in [−2^(8·length−1),
 *   2^(8·length−1))
 */
export function signedToFixedBytes(value: bigint, length: number): Uint8Array {
  require(Number.isSafeInteger(length) && length > 0, "encoding/integer-too-large", `${length}`);
  const half = 1n << BigInt(8 * length - 1);
  require(value >= -half && value < half, "encoding/integer-too-large", `${value} in ${length}`);
  return bigintToFixedBytes(value < 0n ? value + 2n * half : value, length);
}

/** Reads big-endian two's-complement bytes as a signed integer (the empty string is 0). */
export function fixedBytesToSigned(bytes: Uint8Array): bigint {
  const unsigned = bytesToBigint(bytes);
  if (bytes.length === 0 || bytes[0] < 0x80) return unsigned;
  return unsigned - (1n << BigInt(8 * bytes.length));
}
