/**
 * RLP, the Recursive Length Prefix encoding, and its strict canonical decoding.
 *
 * Almost everything Harmony hashes, signs or sends is RLP: block headers and bodies,
 * transactions, staking transactions, receipts, cross links, shard states. An RLP *item* is either
 * a byte string or a list of items. Its encoding is a prefix followed by the payload:
 *
 * | first byte    | item                                                                       |
 * | ------------- | -------------------------------------------------------------------------- |
 * | `0x00`–`0x7f` | the single byte itself (a one-byte string whose byte is below `0x80`)      |
 * | `0x80`–`0xb7` | a string of 0–55 bytes; the length is `first - 0x80`                       |
 * | `0xb8`–`0xbf` | a longer string; `first - 0xb7` bytes of big-endian length follow          |
 * | `0xc0`–`0xf7` | a list whose items' encodings total 0–55 bytes; the length is `first - 0xc0` |
 * | `0xf8`–`0xff` | a longer list; `first - 0xf7` bytes of big-endian length follow            |
 *
 * **Canonical form.** Every item has exactly one encoding, and Harmony's decoder (go-ethereum's
 * `rlp` package) refuses every other one. Because block hashes and signatures are taken over these
 * bytes, a client that accepted a second encoding of the same value would disagree with the
 * network about what was signed. {@link decodeRlp} therefore rejects, each with its own code:
 *
 * - a one-byte string below `0x80` written with a prefix (`0x81 0x05` instead of `0x05`):
 *   `encoding/rlp-non-canonical-byte`;
 * - a length written in long form although it is below 56, or with leading zero bytes:
 *   `encoding/rlp-non-canonical-size`;
 * - an item that runs past the end of the input: `encoding/rlp-truncated`; past the end of the
 *   list that contains it: `encoding/rlp-element-too-large`;
 * - bytes after the one top-level item: `encoding/rlp-trailing-bytes`.
 *
 * **Typed readers.** RLP itself has no integers, hashes or records; a structure's decoder reads
 * its fields from the decoded item with {@link readUint}, {@link readBigUint}, {@link readBytes},
 * {@link readFixedBytes}, {@link readList} and {@link readListOf}. They apply go-ethereum's rules
 * for Go types: an integer has no leading zero byte (zero is the empty string), a `uint64` has at
 * most 8 bytes, a `[N]byte` has exactly N bytes, a struct has exactly as many items as fields.
 *
 * Both directions are restated here. Decoding, because the canonical rules and their error codes
 * are the contract that conformance vectors check; encoding, because it runs for every node of
 * every trie and must write each item once, into one buffer. `@ethereumjs/rlp` serves as an
 * independent oracle for both in the tests.
 *
 * @see github.com/ethereum/go-ethereum rlp/decode.go (`Stream.readKind`, `Stream.uint`,
 *   `decodeBigInt`, `decodeByteArray`, `makeStructDecoder`), the version Harmony pins in go.mod
 * @module
 */
import { bytesToBigint } from "./bytes.ts";
import { require, type SpecErrorCode } from "../errors.ts";
import { keptFor } from "../memo.ts";

/** A decoded RLP item: a byte string, or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

/** Where one item sits in the input: list or string, and the bounds of its payload. */
interface ItemHeader {
  isList: boolean;
  /** Index of the first payload byte. */
  start: number;
  /** Index one past the last payload byte. */
  end: number;
}

/**
 * Encodes an item.
 *
 * @param item a byte string or a (nested) list of byte strings
 * @returns the item's one canonical encoding
 */
export function encodeRlp(item: RlpItem): Uint8Array {
  const out = new Uint8Array(encodedLength(item));
  writeItem(item, out, 0);
  return out;
}

/** Whether a string is its own encoding: one byte below `0x80`. */
function isBareByte(bytes: Uint8Array): boolean {
  return bytes.length === 1 && bytes[0] < 0x80;
}

/** The number of bytes an item's encoding takes. */
function encodedLength(item: RlpItem): number {
  if (item instanceof Uint8Array) {
    return isBareByte(item) ? 1 : headerLength(item.length) + item.length;
  }
  const payload = listPayloadLength(item);
  return headerLength(payload) + payload;
}

function listPayloadLength(items: RlpItem[]): number {
  let length = 0;
  for (const item of items) length += encodedLength(item);
  return length;
}

/** The length of the prefix of a payload of `length` bytes. */
function headerLength(length: number): number {
  return length < 56 ? 1 : 1 + lengthBytes(length);
}

/** How many big-endian bytes `length` takes (at least one). */
function lengthBytes(length: number): number {
  let n = 1;
  while (length >= 256 ** n) n++;
  return n;
}

/** Writes an item's encoding at `at`; returns where it ends. */
function writeItem(item: RlpItem, out: Uint8Array, at: number): number {
  if (item instanceof Uint8Array) {
    if (isBareByte(item)) {
      out[at] = item[0];
      return at + 1;
    }
    at = writeHeader(out, at, item.length, 0x80);
    out.set(item, at);
    return at + item.length;
  }
  at = writeHeader(out, at, listPayloadLength(item), 0xc0);
  for (const child of item) at = writeItem(child, out, at);
  return at;
}

/** Writes the prefix of a payload (`offset` 0x80 for strings, 0xc0 for lists); returns its end. */
function writeHeader(out: Uint8Array, at: number, length: number, offset: number): number {
  if (length < 56) {
    out[at] = offset + length;
    return at + 1;
  }
  const n = lengthBytes(length);
  out[at] = offset + 55 + n;
  for (let i = n; i >= 1; i--, length = Math.floor(length / 256)) out[at + i] = length % 256;
  return at + n + 1;
}

/**
 * A record's encoding, kept by record in `kept` (records are never changed in place, so a record
 * is encoded at most once however often it is hashed, measured or stored), or encoded from
 * `fields` and kept. A copy is returned either way, so that a caller writing over it cannot
 * change what is kept.
 *
 * @param kept the encodings kept, by record
 * @param record the record
 * @param fields the record's items, read only when its encoding is not kept yet
 * @returns a copy of the record's encoding
 */
export function encodedOnce(
  kept: WeakMap<object, Uint8Array>,
  record: object,
  fields: () => RlpItem[],
): Uint8Array {
  return keptFor(kept, record, () => encodeRlp(fields())).slice();
}

/**
 * Encodes a list whose items are already encoded, embedding each verbatim. This is how a raw,
 * previously encoded value (go-ethereum's `rlp.RawValue`) becomes part of a larger structure.
 *
 * @param encodedItems the encodings of the list's items, in order
 * @returns the encoding of the list
 */
export function encodeRlpList(encodedItems: Uint8Array[]): Uint8Array {
  let payload = 0;
  for (const encoded of encodedItems) payload += encoded.length;
  const out = new Uint8Array(headerLength(payload) + payload);
  let at = writeHeader(out, 0, payload, 0xc0);
  for (const encoded of encodedItems) {
    out.set(encoded, at);
    at += encoded.length;
  }
  return out;
}

/**
 * Reads the header of the item starting at `at`, which must end by `limit`.
 *
 * @param overflow the code for an item that runs past `limit`: the end of the input, or of the
 *   enclosing list
 */
function readHeader(
  input: Uint8Array,
  at: number,
  limit: number,
  overflow: SpecErrorCode,
): ItemHeader {
  require(at < limit, overflow, "no item where one is expected");
  const first = input[at];
  if (first < 0x80) return { isList: false, start: at, end: at + 1 };
  const isList = first >= 0xc0;
  const short = first - (isList ? 0xc0 : 0x80);
  let start = at + 1;
  let length: number;
  if (short <= 55) {
    length = short;
  } else {
    const lengthOfLength = short - 55;
    require(start + lengthOfLength <= limit, overflow, "length bytes run past the end");
    require(input[start] !== 0, "encoding/rlp-non-canonical-size", "length has a leading zero");
    const declared = bytesToBigint(input.subarray(start, start + lengthOfLength));
    require(declared >= 56n, "encoding/rlp-non-canonical-size", "long form for a short length");
    start += lengthOfLength;
    require(declared <= BigInt(limit - start), overflow, `payload of ${declared} bytes`);
    length = Number(declared);
  }
  require(start + length <= limit, overflow, `payload of ${length} bytes`);
  if (!isList && length === 1) {
    require(input[start] >= 0x80, "encoding/rlp-non-canonical-byte", "single byte below 0x80");
  }
  return { isList, start, end: start + length };
}

/**
 * Decodes the item whose header is given, walking nested lists with an explicit stack so that
 * deeply nested input cannot exhaust the call stack. With `build` false it only checks (every
 * rejection is the same) and returns an empty list: a caller that needs the items' encodings,
 * not the items, need not copy every byte string of a large structure.
 */
function decodeItem(input: Uint8Array, header: ItemHeader, build = true): RlpItem {
  if (!header.isList) return build ? input.slice(header.start, header.end) : [];
  const root: RlpItem[] = [];
  const stack: { items: RlpItem[]; end: number }[] = [{ items: root, end: header.end }];
  let at = header.start;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (at === frame.end) {
      stack.pop();
      continue;
    }
    const h = readHeader(input, at, frame.end, "encoding/rlp-element-too-large");
    if (h.isList) {
      const items: RlpItem[] = [];
      if (build) frame.items.push(items);
      stack.push({ items, end: h.end });
      at = h.start;
    } else {
      if (build) frame.items.push(input.slice(h.start, h.end));
      at = h.end;
    }
  }
  return root;
}

/**
 * Decodes exactly one canonical item that spans the whole input.
 *
 * @param input the encoding
 * @returns the item; byte strings are copies, not views of `input`
 * @throws {SpecError} `encoding/rlp-truncated` (empty input, or an item running past its end),
 *   `encoding/rlp-element-too-large`, `encoding/rlp-non-canonical-size`,
 *   `encoding/rlp-non-canonical-byte`, `encoding/rlp-trailing-bytes`
 */
export function decodeRlp(input: Uint8Array): RlpItem {
  return decodeWhole(input, true);
}

/**
 * Checks that the input is exactly one canonical item, as {@link decodeRlp} does, without
 * building it.
 *
 * @param input the encoding
 * @throws {SpecError} the codes of {@link decodeRlp}
 */
export function requireCanonicalRlp(input: Uint8Array): void {
  decodeWhole(input, false);
}

function decodeWhole(input: Uint8Array, build: boolean): RlpItem {
  const header = readHeader(input, 0, input.length, "encoding/rlp-truncated");
  const item = decodeItem(input, header, build);
  require(header.end === input.length, "encoding/rlp-trailing-bytes");
  return item;
}

/**
 * Splits the encoding of a list into the encodings of its items (go-ethereum's `rlp.Split` applied
 * item by item). The whole input is first checked with {@link requireCanonicalRlp}, so every
 * rejection of {@link decodeRlp} applies.
 *
 * @param input the encoding of one list
 * @returns each item's own encoding, in order
 * @throws {SpecError} the codes of {@link decodeRlp}; `encoding/rlp-expected-list` when the input
 *   is a string
 */
export function splitRlpList(input: Uint8Array): Uint8Array[] {
  requireCanonicalRlp(input);
  const header = readHeader(input, 0, input.length, "encoding/rlp-truncated");
  require(header.isList, "encoding/rlp-expected-list");
  const out: Uint8Array[] = [];
  for (let at = header.start; at < header.end;) {
    const h = readHeader(input, at, header.end, "encoding/rlp-element-too-large");
    out.push(input.slice(at, h.end));
    at = h.end;
  }
  return out;
}

/**
 * Reads a byte string.
 *
 * @throws {SpecError} `encoding/rlp-expected-string` when the item is a list
 */
export function readBytes(item: RlpItem): Uint8Array {
  require(item instanceof Uint8Array, "encoding/rlp-expected-string");
  return item;
}

/**
 * Reads a byte string of exactly `length` bytes (a Go `[N]byte`: hashes, addresses, keys).
 *
 * @throws {SpecError} `encoding/rlp-expected-string`, `encoding/rlp-wrong-length`
 */
export function readFixedBytes(item: RlpItem, length: number): Uint8Array {
  const bytes = readBytes(item);
  require(bytes.length === length, "encoding/rlp-wrong-length", `${bytes.length} != ${length}`);
  return bytes;
}

/**
 * Reads an unsigned integer of any size (a Go `*big.Int`): big-endian, no leading zero byte, zero
 * as the empty string.
 *
 * @throws {SpecError} `encoding/rlp-expected-string`, `encoding/rlp-leading-zero`
 */
export function readBigUint(item: RlpItem): bigint {
  const bytes = readBytes(item);
  require(bytes.length === 0 || bytes[0] !== 0, "encoding/rlp-leading-zero");
  return bytesToBigint(bytes);
}

/**
 * Reads an unsigned integer of at most `bits` bits (a Go `uint8` … `uint64`), as go-ethereum
 * does: the byte string may be at most `bits / 8` bytes long.
 *
 * @param bits 8, 16, 32 or 64
 * @throws {SpecError} `encoding/rlp-expected-string`, `encoding/rlp-leading-zero`,
 *   `encoding/rlp-uint-overflow`
 */
export function readUint(item: RlpItem, bits: 8 | 16 | 32 | 64): bigint {
  const bytes = readBytes(item);
  // go-ethereum checks the width before the leading zero: a too-long string is an overflow.
  require(bytes.length <= bits / 8, "encoding/rlp-uint-overflow", `${bytes.length} bytes`);
  return readBigUint(bytes);
}

/**
 * Reads a list of any length.
 *
 * @throws {SpecError} `encoding/rlp-expected-list` when the item is a string
 */
export function readList(item: RlpItem): RlpItem[] {
  require(Array.isArray(item), "encoding/rlp-expected-list");
  return item;
}

/**
 * Reads a list of exactly `count` items (a Go struct with `count` fields).
 *
 * @throws {SpecError} `encoding/rlp-expected-list`, `encoding/rlp-wrong-item-count`
 */
export function readListOf(item: RlpItem, count: number): RlpItem[] {
  const items = readList(item);
  require(items.length === count, "encoding/rlp-wrong-item-count", `${items.length} != ${count}`);
  return items;
}
