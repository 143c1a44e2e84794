/**
 * Conformance cases for block headers (`header_encoding`): a header record to its encoding and
 * block hash, and an encoding to its header record (or to the error code of its rejection).
 *
 * Expectations: the empty v0, v1 and v2 headers are the bytes of Harmony's
 * `block/header_test.go`; other encodings are written here field by field, in the order of the Go
 * `headerFields` structs of block/v0 … block/v3, with the RLP package alone; the hash is
 * Keccak-256 of those bytes.
 *
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  absentFieldValue,
  decodeHeader,
  encodeHeader,
  type Header,
  HEADER_FIELD_TYPES,
  HEADER_LAYOUTS,
  type HeaderFieldName,
  headerHash,
  headerVersion,
} from "../../../spec/chain/header.ts";
import { bytesToBigint, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import type { Case, DecodedFields, Fields, Handler } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { goEmptyHeader } from "../encoding/tagged_rlp.ts";

/** `parentHash` → `parent_hash`: header fields are snake_case in vectors. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** A header as vector data: `version`, then the fields of its version (snake_case). */
export function headerToData(header: Header): Fields {
  const out: Fields = { version: header.version };
  const record = header as unknown as Record<HeaderFieldName, Uint8Array | bigint>;
  for (const name of HEADER_LAYOUTS[header.version]) out[snake(name)] = record[name];
  return out;
}

/**
 * Reads a header record from vector data. Fields of the version are required; a field outside the
 * version may be given (an encoder must then refuse it unless it holds the absent value).
 */
export function headerFromData(data: DecodedFields): Header {
  const version = headerVersion(data.version as number);
  const header = { version } as Header;
  const record = header as unknown as Record<HeaderFieldName, Uint8Array | bigint>;
  for (const name of Object.keys(HEADER_FIELD_TYPES) as HeaderFieldName[]) {
    const value = data[snake(name)];
    if (value === undefined) {
      if (HEADER_LAYOUTS[version].includes(name)) throw new Error(`header field ${name} missing`);
      record[name] = absentFieldValue(version, name);
      continue;
    }
    if (!(value instanceof Uint8Array)) throw new Error(`header field ${name} must be bytes`);
    const kind = HEADER_FIELD_TYPES[name].kind;
    record[name] = kind === "uint" || kind === "big" ? bytesToBigint(value) : value;
  }
  return header;
}

const handler: Handler = {
  runner: "chain",
  handler: "header_encoding",
  preset: "general",
  config: {},
  covers: ["encodeHeader", "decodeHeader", "headerHash"],
  run: (inputs): Fields => {
    if (inputs.header !== undefined) {
      const header = headerFromData(inputs.header as DecodedFields);
      return { encoding: encodeHeader(header), hash: headerHash(header) };
    }
    const header = decodeHeader(inputs.encoding as Uint8Array);
    return { header: headerToData(header), hash: headerHash(header) };
  },
};

// --- expectations written from the Go structs ----------------------------------------------------

const text = (s: string) => new TextEncoder().encode(s);

/** The Go field order of each version (block/vN/header.go `headerFields`), snake_case. */
const GO_FIELDS: Record<number, string[]> = {
  0: [
    "parent_hash",
    "coinbase",
    "root",
    "tx_hash",
    "receipt_hash",
    "bloom",
    "number",
    "gas_limit",
    "gas_used",
    "time",
    "extra",
    "mix_digest",
    "view_id",
    "epoch",
    "shard_id",
    "last_commit_signature",
    "last_commit_bitmap",
    "shard_state_hash",
    "shard_state",
  ],
};
GO_FIELDS[1] = [
  ...GO_FIELDS[0].slice(0, 5),
  "outgoing_receipt_hash",
  "incoming_receipt_hash",
  ...GO_FIELDS[0].slice(5, 18),
  "vrf",
  "vdf",
  "shard_state",
];
GO_FIELDS[2] = [...GO_FIELDS[1], "cross_links"];
GO_FIELDS[3] = [...GO_FIELDS[2].filter((f) => f !== "shard_state_hash"), "slashes"];

/** Minimal big-endian bytes of an integer (zero is empty), as go-ethereum writes integers. */
function intBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const hex = value.toString(16);
  return fromHex(hex.length % 2 ? "0" + hex : hex);
}

/** The Go encoding of a header given as vector data: RLP of the fields, then the envelope. */
export function goEncoding(version: number, data: Fields): Uint8Array {
  const items = GO_FIELDS[version].map((f) => {
    const v = data[f];
    return typeof v === "bigint" ? intBytes(v) : v as Uint8Array;
  });
  if (version === 0) return RLP.encode(items);
  return RLP.encode([text("HmnyTgd"), text(`v${version}`), items]);
}

const pattern = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (seed + i * 31) & 0xff);

/** A populated header of a version, as vector data (fields of the version only). */
export function sampleHeader(version: number): Fields {
  const all: Fields = {
    parent_hash: pattern(32, 1),
    coinbase: pattern(20, 2),
    root: pattern(32, 3),
    tx_hash: pattern(32, 4),
    receipt_hash: pattern(32, 5),
    outgoing_receipt_hash: pattern(32, 6),
    incoming_receipt_hash: pattern(32, 7),
    bloom: pattern(256, 8),
    number: 0x1_2345_6789n,
    gas_limit: 80_000_000n,
    gas_used: 21_000n,
    time: 1_700_000_000n,
    extra: text("harmony"),
    mix_digest: new Uint8Array(32),
    view_id: 0x1_0000_0000n,
    epoch: 2000n,
    shard_id: 3n,
    last_commit_signature: pattern(96, 9),
    last_commit_bitmap: Uint8Array.of(0xff, 0x7f),
    shard_state_hash: pattern(32, 10),
    vrf: pattern(128, 11),
    vdf: new Uint8Array(0),
    shard_state: RLP.encode([[1, 2], [3]]),
    cross_links: RLP.encode([[4]]),
    slashes: RLP.encode([]),
  };
  const out: Fields = { version };
  for (const f of GO_FIELDS[version]) out[f] = all[f];
  return out;
}

/** A new, empty header as vector data: every field of the version zero or empty. */
export function zeroHeader(version: number): Fields {
  const fixed: Record<string, number> = {
    parent_hash: 32,
    coinbase: 20,
    root: 32,
    tx_hash: 32,
    receipt_hash: 32,
    outgoing_receipt_hash: 32,
    incoming_receipt_hash: 32,
    bloom: 256,
    mix_digest: 32,
    last_commit_signature: 96,
    shard_state_hash: 32,
  };
  const ints = ["number", "gas_limit", "gas_used", "time", "view_id", "epoch", "shard_id"];
  const out: Fields = { version };
  for (const f of GO_FIELDS[version]) {
    out[f] = ints.includes(f) ? 0n : new Uint8Array(fixed[f] ?? 0);
  }
  return out;
}

/** The v1 empty header's field items, with some replaced, enveloped with `tag`. */
function v1With(replace: Record<number, Uint8Array | Uint8Array[]>, tag = "v1"): Uint8Array {
  const items = RLP.decode(goEmptyHeader(1).payload) as (Uint8Array | Uint8Array[])[];
  for (const [i, v] of Object.entries(replace)) items[Number(i)] = v;
  return RLP.encode([text("HmnyTgd"), text(tag), items]);
}

/** The empty v3 header written from the v3 field list. */
const EMPTY_V3 = goEncoding(3, zeroHeader(3));

const encodeCases: Case[] = [
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `empty_v${v}`,
    description: `block/header_test.go TestHeader_EncodeRLP: a new, empty v${v} header.`,
    inputs: { header: zeroHeader(v) },
    expect: { encoding: goEmptyHeader(v).encoding, hash: keccak_256(goEmptyHeader(v).encoding) },
  })),
  {
    name: "empty_v3",
    description: "A new, empty v3 header: the v2 list without ShardStateHash, plus Slashes.",
    inputs: { header: zeroHeader(3) },
    expect: { encoding: EMPTY_V3, hash: keccak_256(EMPTY_V3) },
  },
  ...[0, 1, 2, 3].map((v): Case => ({
    name: `populated_v${v}`,
    description: `A v${v} header with every field set, written field by field in Go order.`,
    inputs: { header: sampleHeader(v) },
    expect: {
      encoding: goEncoding(v, sampleHeader(v)),
      hash: keccak_256(goEncoding(v, sampleHeader(v))),
    },
  })),
  {
    name: "v0_with_vrf",
    description: "A v0 header has no Vrf field: a non-empty one cannot be encoded.",
    inputs: { header: { ...zeroHeader(0), vrf: Uint8Array.of(1) } },
    expect: { error: "header/field-not-in-version" },
  },
  {
    name: "v3_with_shard_state_hash",
    description: "A v3 header has no ShardStateHash field: a non-zero one cannot be encoded.",
    inputs: { header: { ...zeroHeader(3), shard_state_hash: pattern(32, 1) } },
    expect: { error: "header/field-not-in-version" },
  },
  {
    name: "coinbase_19_bytes",
    description: "Coinbase is a 20-byte address.",
    inputs: { header: { ...zeroHeader(3), coinbase: new Uint8Array(19) } },
    expect: { error: "header/field-wrong-length" },
  },
  {
    name: "gas_limit_2_pow_64",
    description: "GasLimit is a uint64: 2^64 does not fit.",
    inputs: { header: { ...zeroHeader(3), gas_limit: 1n << 64n } },
    expect: { error: "header/integer-out-of-range" },
  },
  {
    name: "shard_id_2_pow_32",
    description: "ShardID is a uint32: 2^32 does not fit.",
    inputs: { header: { ...zeroHeader(1), shard_id: 1n << 32n } },
    expect: { error: "header/integer-out-of-range" },
  },
  {
    name: "unknown_version",
    description: "There is no header version 4.",
    inputs: { header: { ...zeroHeader(3), version: 4 } },
    expect: { error: "header/unknown-version" },
  },
];

const decodeCases: Case[] = [
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `decode_empty_v${v}`,
    description: `block/header_test.go TestHeader_DecodeRLP: the empty v${v} header's bytes.`,
    inputs: { encoding: goEmptyHeader(v).encoding },
    expect: { header: zeroHeader(v), hash: keccak_256(goEmptyHeader(v).encoding) },
  })),
  ...[1, 3].map((v): Case => ({
    name: `decode_populated_v${v}`,
    description: `A populated v${v} header, written field by field, reads back.`,
    inputs: { encoding: goEncoding(v, sampleHeader(v)) },
    expect: { header: sampleHeader(v), hash: keccak_256(goEncoding(v, sampleHeader(v))) },
  })),
  {
    name: "unknown_tag",
    description: "The envelope's tag v4 is not a header version.",
    inputs: { encoding: v1With({}, "v4") },
    expect: { error: "encoding/tagged-rlp-unsupported-tag" },
  },
  {
    name: "v1_payload_without_envelope",
    description: "A bare list is a v0 header: 23 items where v0 has 19.",
    inputs: { encoding: goEmptyHeader(1).payload },
    expect: { error: "encoding/rlp-wrong-item-count" },
  },
  {
    name: "v0_payload_in_v2_envelope",
    description: "A v2 envelope around a v0 list: 19 items where v2 has 24.",
    inputs: {
      encoding: RLP.encode([text("HmnyTgd"), text("v2"), RLP.decode(goEmptyHeader(0).payload)]),
    },
    expect: { error: "encoding/rlp-wrong-item-count" },
  },
  {
    name: "parent_hash_31_bytes",
    description: "ParentHash (field 0) is a 32-byte hash.",
    inputs: { encoding: v1With({ 0: new Uint8Array(31) }) },
    expect: { error: "encoding/rlp-wrong-length" },
  },
  {
    name: "bloom_257_bytes",
    description: "Bloom (field 7 of v1) is 256 bytes.",
    inputs: { encoding: v1With({ 7: new Uint8Array(257) }) },
    expect: { error: "encoding/rlp-wrong-length" },
  },
  {
    name: "signature_95_bytes",
    description: "LastCommitSignature (field 17 of v1) is 96 bytes.",
    inputs: { encoding: v1With({ 17: new Uint8Array(95) }) },
    expect: { error: "encoding/rlp-wrong-length" },
  },
  {
    name: "gas_used_9_bytes",
    description: "GasUsed (field 10 of v1) is a uint64: at most 8 bytes.",
    inputs: { encoding: v1With({ 10: new Uint8Array(9).fill(1) }) },
    expect: { error: "encoding/rlp-uint-overflow" },
  },
  {
    name: "shard_id_5_bytes",
    description: "ShardID (field 16 of v1) is a uint32: at most 4 bytes.",
    inputs: { encoding: v1With({ 16: new Uint8Array(5).fill(1) }) },
    expect: { error: "encoding/rlp-uint-overflow" },
  },
  {
    name: "number_leading_zero",
    description: "Number (field 8 of v1) written with a leading zero byte.",
    inputs: { encoding: v1With({ 8: Uint8Array.of(0, 1) }) },
    expect: { error: "encoding/rlp-leading-zero" },
  },
  {
    name: "extra_is_a_list",
    description: "Extra (field 12 of v1) is a byte string, not a list.",
    inputs: { encoding: v1With({ 12: [] }) },
    expect: { error: "encoding/rlp-expected-string" },
  },
  {
    name: "trailing_byte",
    description: "A byte after the header.",
    inputs: { encoding: fromHex(toHex(goEmptyHeader(2).encoding) + "80") },
    expect: { error: "encoding/rlp-trailing-bytes" },
  },
  {
    name: "empty_input",
    description: "No bytes at all.",
    inputs: { encoding: new Uint8Array(0) },
    expect: { error: "encoding/rlp-truncated" },
  },
];

/** The header_encoding suite: encoding, then decoding, cases. */
export const HEADER_SUITE = suite(handler, [...encodeCases, ...decodeCases]);
