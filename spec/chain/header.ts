/**
 * The block header: its four versions, which version a block of a given epoch uses, the encoding
 * of each version, strict decoding, and the block hash.
 *
 * **Fields.** A header is Ethereum's header without the proof-of-work fields (no uncle hash,
 * difficulty or nonce), plus Harmony's own fields. In RLP order, with the Go type that fixes each
 * field's encoding (see {@link HEADER_FIELD_TYPES}, {@link HEADER_LAYOUTS}):
 *
 * | field                 | Go type             | meaning                                                  |
 * | --------------------- | ------------------- | -------------------------------------------------------- |
 * | `parentHash`          | `common.Hash` (32)  | hash of the parent header; zero for a genesis block      |
 * | `coinbase`            | `common.Address`    | the proposer: before staking, the leader's account; from staking on, the first 20 bytes of `sha256` of the leader's BLS key |
 * | `root`                | `common.Hash`       | state trie root after the block                          |
 * | `txHash`              | `common.Hash`       | `deriveSha(transactions ++ staking transactions)`        |
 * | `receiptHash`         | `common.Hash`       | `deriveSha` of the receipts                              |
 * | `outgoingReceiptHash` | `common.Hash`       | v1+: commitment to the outgoing cross-shard receipts     |
 * | `incomingReceiptHash` | `common.Hash`       | v1+: `deriveSha` of the incoming receipt proofs          |
 * | `bloom`               | `Bloom` (256)       | log bloom of the receipts                                |
 * | `number`              | `*big.Int`          | block height                                             |
 * | `gasLimit`            | `uint64`            | gas limit of the block                                   |
 * | `gasUsed`             | `uint64`            | gas used by the block                                    |
 * | `time`                | `*big.Int`          | Unix time in seconds                                     |
 * | `extra`               | `[]byte`            | free bytes                                               |
 * | `mixDigest`           | `common.Hash`       | unused, zero                                             |
 * | `viewId`              | `*big.Int`          | consensus view in which the block was proposed           |
 * | `epoch`               | `*big.Int`          | epoch of the block                                       |
 * | `shardId`             | `uint32`            | shard of the block                                       |
 * | `lastCommitSignature` | `[96]byte`          | aggregate BLS commit signature on the parent             |
 * | `lastCommitBitmap`    | `[]byte`            | which committee members signed the parent                |
 * | `shardStateHash`      | `common.Hash`       | v0–v2 only: hash of the shard state                      |
 * | `vrf`                 | `[]byte`            | v1+: the leader's VRF output and proof                   |
 * | `vdf`                 | `[]byte`            | v1+: VDF output (empty in practice)                      |
 * | `shardState`          | `[]byte`            | RLP of the next epoch's committees, on an epoch's last block only |
 * | `crossLinks`          | `[]byte`            | v2+: RLP of the crosslinks (beacon chain)                |
 * | `slashes`             | `[]byte`            | v3: RLP of slashing records (beacon chain)               |
 *
 * The contents of `shardState`, `crossLinks`, `slashes`, `vrf` and `vdf` are specified by the
 * modules that read them; here they are opaque bytes.
 *
 * **Versions.** v0 has no cross-shard receipt hashes, VRF, VDF, crosslinks or slashes. v1 adds the
 * two receipt hashes after `receiptHash` and `vrf`, `vdf` after `shardStateHash`. v2 appends
 * `crossLinks`. v3 drops `shardStateHash` and appends `slashes`. A header record here always has
 * every field; a field its version lacks holds the value Go's getter returns for it
 * ({@link absentFieldValue}): the empty trie root for v0's receipt hashes, zero for v3's
 * `shardStateHash`, empty bytes otherwise. **Deviation:** encoding refuses any other value there
 * (`header/field-not-in-version`). Go's setters of such a field log a warning and drop the value,
 * so a Go header can never hold one; the encodings of the headers both can hold are identical.
 *
 * **Which version.** A block of epoch `e` uses ({@link headerVersionAt}, Go
 * `blockfactory.NewHeader`): v3 when `PreStaking` or `Staking` is active at `e`; else v2 when
 * `CrossLink` is; else v1 when `CrossTx` is; else v0.
 *
 * **Encoding.** The fields in order form an RLP list, each written per its Go type: hashes and
 * other `[N]byte` as N-byte strings, integers as minimal big-endian strings (zero is empty), byte
 * slices as they are. v0 is that list bare; v1, v2 and v3 wrap it in the tagged-RLP envelope
 * `["HmnyTgd", "vN", list]`. The block hash is Keccak-256 of the encoding.
 *
 * **Decoding** reads the envelope (tags `""`, `"v1"`, `"v2"`, `"v3"`, else
 * `encoding/tagged-rlp-unsupported-tag`), then the list with go-ethereum's rules: exactly as many
 * items as the version has fields (`encoding/rlp-wrong-item-count`, checked before any field),
 * `[N]byte` fields of exactly N bytes (`encoding/rlp-wrong-length`), `uint64`/`uint32` fields of at
 * most 8/4 bytes (`encoding/rlp-uint-overflow`), no integer with a leading zero byte
 * (`encoding/rlp-leading-zero`), no list where a string is expected
 * (`encoding/rlp-expected-string`), and every rule of canonical RLP. (Go reads the fields in
 * order and notices a wrong count when it runs out of items or fields; the spec counts first, so
 * an input with two faults reports the count. Both reject the same inputs.)
 *
 * @see github.com/harmony-one/harmony block/header.go (`Header.EncodeRLP`, `DecodeRLP`, `Hash`,
 *   `HeaderRegistry`), block/v0/header.go … block/v3/header.go (`headerFields`, getters of absent
 *   fields), block/factory/factory.go (`factory.NewHeader`), block/interface/header.go
 * @module
 */
import { bigintToBytes, bytesEqual } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { decodeTaggedRlp, encodeTaggedRlp } from "../encoding/tagged-rlp.ts";
import { require } from "../errors.ts";
import { type HasFeatures, isActive } from "../params/features.ts";
import { EMPTY_TRIE_ROOT } from "./trie.ts";

/** A header version: 0, 1, 2 or 3. */
export type HeaderVersion = 0 | 1 | 2 | 3;

/** A block header, every field of every version (see the module documentation). */
export interface Header {
  /** Which of the four layouts the header is encoded with. */
  version: HeaderVersion;
  /** Hash of the parent header (32 bytes); zero for a genesis block. */
  parentHash: Uint8Array;
  /** The proposer's 20-byte address (leader account, or BLS-key derived from staking on). */
  coinbase: Uint8Array;
  /** State trie root after the block (32 bytes). */
  root: Uint8Array;
  /** Root of the block's transactions then staking transactions (32 bytes). */
  txHash: Uint8Array;
  /** Root of the block's receipts (32 bytes). */
  receiptHash: Uint8Array;
  /** Commitment to the outgoing cross-shard receipts (32 bytes); v1+. */
  outgoingReceiptHash: Uint8Array;
  /** Root of the incoming cross-shard receipt proofs (32 bytes); v1+. */
  incomingReceiptHash: Uint8Array;
  /** Log bloom of the receipts (256 bytes). */
  bloom: Uint8Array;
  /** Block height. */
  number: bigint;
  /** Gas limit (uint64). */
  gasLimit: bigint;
  /** Gas used (uint64). */
  gasUsed: bigint;
  /** Unix time in seconds. */
  time: bigint;
  /** Free bytes. */
  extra: Uint8Array;
  /** Unused Ethereum field, zero (32 bytes). */
  mixDigest: Uint8Array;
  /** Consensus view in which the block was proposed. */
  viewId: bigint;
  /** Epoch of the block. */
  epoch: bigint;
  /** Shard of the block (uint32). */
  shardId: bigint;
  /** Aggregate BLS commit signature on the parent block (96 bytes). */
  lastCommitSignature: Uint8Array;
  /** Bitmap of the committee members whose signatures are aggregated. */
  lastCommitBitmap: Uint8Array;
  /** Hash of the shard state (32 bytes); v0–v2. */
  shardStateHash: Uint8Array;
  /** The leader's VRF output and proof; v1+. */
  vrf: Uint8Array;
  /** VDF output; v1+. */
  vdf: Uint8Array;
  /** RLP of the next epoch's shard state, on an epoch's last block only. */
  shardState: Uint8Array;
  /** RLP of the crosslinks; v2+. */
  crossLinks: Uint8Array;
  /** RLP of the slashing records; v3. */
  slashes: Uint8Array;
}

/** The name of a header field. */
export type HeaderFieldName = Exclude<keyof Header, "version">;

/** How a field is encoded, after its Go type. */
export type HeaderFieldType =
  | {
    /** A Go `[N]byte` array: a string of exactly `length` bytes. */
    kind: "fixed";
    /** The array's size N. */
    length: number;
  }
  | {
    /** A Go `uint32` or `uint64`: a minimal big-endian string of at most `bits / 8` bytes. */
    kind: "uint";
    /** 32 or 64. */
    bits: 32 | 64;
  }
  | {
    /** A Go `*big.Int`: a minimal big-endian string of any length. */
    kind: "big";
  }
  | {
    /** A Go `[]byte`: the bytes as they are. */
    kind: "bytes";
  };

const HASH: HeaderFieldType = { kind: "fixed", length: 32 };
const BYTES: HeaderFieldType = { kind: "bytes" };
const BIG: HeaderFieldType = { kind: "big" };

/**
 * The encoding of every field: `fixed` (a Go `[N]byte`, `common.Hash`, `common.Address`, `Bloom`),
 * `uint` (a Go `uint32`/`uint64`), `big` (a Go `*big.Int`, unbounded) or `bytes` (a Go `[]byte`).
 */
export const HEADER_FIELD_TYPES: Record<HeaderFieldName, HeaderFieldType> = {
  parentHash: HASH,
  coinbase: { kind: "fixed", length: 20 },
  root: HASH,
  txHash: HASH,
  receiptHash: HASH,
  outgoingReceiptHash: HASH,
  incomingReceiptHash: HASH,
  bloom: { kind: "fixed", length: 256 },
  number: BIG,
  gasLimit: { kind: "uint", bits: 64 },
  gasUsed: { kind: "uint", bits: 64 },
  time: BIG,
  extra: BYTES,
  mixDigest: HASH,
  viewId: BIG,
  epoch: BIG,
  shardId: { kind: "uint", bits: 32 },
  lastCommitSignature: { kind: "fixed", length: 96 },
  lastCommitBitmap: BYTES,
  shardStateHash: HASH,
  vrf: BYTES,
  vdf: BYTES,
  shardState: BYTES,
  crossLinks: BYTES,
  slashes: BYTES,
};

/** The fields every version starts with, through `mixDigest`, minus the v1 receipt hashes. */
const ETHEREUM_PART: HeaderFieldName[] = ["parentHash", "coinbase", "root", "txHash"];
const CONSENSUS_PART: HeaderFieldName[] = [
  "bloom",
  "number",
  "gasLimit",
  "gasUsed",
  "time",
  "extra",
  "mixDigest",
  "viewId",
  "epoch",
  "shardId",
  "lastCommitSignature",
  "lastCommitBitmap",
];
const RECEIPTS_V1: HeaderFieldName[] = [
  "receiptHash",
  "outgoingReceiptHash",
  "incomingReceiptHash",
];
const V1_TAIL: HeaderFieldName[] = ["shardStateHash", "vrf", "vdf", "shardState"];

/** The fields of each version, in RLP order (Go `headerFields` of block/v0 … block/v3). */
export const HEADER_LAYOUTS: Record<HeaderVersion, readonly HeaderFieldName[]> = {
  0: [...ETHEREUM_PART, "receiptHash", ...CONSENSUS_PART, "shardStateHash", "shardState"],
  // [New in CrossTx] the cross-shard receipt hashes, VRF and VDF.
  1: [...ETHEREUM_PART, ...RECEIPTS_V1, ...CONSENSUS_PART, ...V1_TAIL],
  // [New in CrossLink] crosslinks.
  2: [...ETHEREUM_PART, ...RECEIPTS_V1, ...CONSENSUS_PART, ...V1_TAIL, "crossLinks"],
  // [New in PreStaking] slashes; [Modified in PreStaking] no shard state hash.
  3: [
    ...ETHEREUM_PART,
    ...RECEIPTS_V1,
    ...CONSENSUS_PART,
    "vrf",
    "vdf",
    "shardState",
    "crossLinks",
    "slashes",
  ],
};

/** The tagged-RLP tag of each version: v0 is the legacy (bare) form. */
export const HEADER_TAGS: readonly string[] = ["", "v1", "v2", "v3"];

/** Reads a version number, as found in a vector. */
export function headerVersion(value: number): HeaderVersion {
  require(value === 0 || value === 1 || value === 2 || value === 3, "header/unknown-version");
  return value;
}

/** The zero value of a field's Go type: zero bytes, empty bytes or `0n`. */
function zeroValue(name: HeaderFieldName): Uint8Array | bigint {
  const type = HEADER_FIELD_TYPES[name];
  if (type.kind === "fixed") return new Uint8Array(type.length);
  if (type.kind === "bytes") return new Uint8Array(0);
  return 0n;
}

/**
 * The value a field holds in a version that lacks it: what Go's getter returns there.
 *
 * @param version the header version
 * @param name a field not in `HEADER_LAYOUTS[version]`
 * @returns the empty trie root for v0's cross-shard receipt hashes, else the zero value of the
 *   field's type (zero bytes, empty bytes, `0n`)
 */
export function absentFieldValue(
  version: HeaderVersion,
  name: HeaderFieldName,
): Uint8Array | bigint {
  if (version === 0 && (name === "outgoingReceiptHash" || name === "incomingReceiptHash")) {
    return EMPTY_TRIE_ROOT.slice();
  }
  return zeroValue(name);
}

/**
 * A new, empty header of a version (Go `vN.NewHeader()`): the version's fields zero or empty,
 * the fields it lacks at their {@link absentFieldValue}.
 */
export function emptyHeader(version: HeaderVersion): Header {
  const header = { version } as Header;
  const record = header as unknown as Record<HeaderFieldName, Uint8Array | bigint>;
  for (const name of Object.keys(HEADER_FIELD_TYPES) as HeaderFieldName[]) {
    const present = HEADER_LAYOUTS[version].includes(name);
    record[name] = present ? zeroValue(name) : absentFieldValue(version, name);
  }
  return header;
}

/**
 * The header version of a block of epoch `epoch` (Go `factory.NewHeader`).
 *
 * @param config the network's feature schedule
 * @param epoch the block's epoch
 * @returns 3 from `PreStaking` or `Staking`, else 2 from `CrossLink`, else 1 from `CrossTx`, else 0
 */
export function headerVersionAt(config: HasFeatures, epoch: bigint): HeaderVersion {
  if (isActive(config, "PreStaking", epoch) || isActive(config, "Staking", epoch)) return 3;
  if (isActive(config, "CrossLink", epoch)) return 2;
  if (isActive(config, "CrossTx", epoch)) return 1;
  return 0;
}

/**
 * A new, empty header for a block of epoch `epoch`, in the version that epoch uses, with its
 * epoch set (Go `factory.NewHeader`).
 */
export function newHeaderAt(config: HasFeatures, epoch: bigint): Header {
  return { ...emptyHeader(headerVersionAt(config, epoch)), epoch };
}

/** Checks one field's value against its Go type and returns its RLP item. */
function fieldItem(name: HeaderFieldName, value: Uint8Array | bigint): Uint8Array {
  const type = HEADER_FIELD_TYPES[name];
  if (type.kind === "fixed" || type.kind === "bytes") {
    require(value instanceof Uint8Array, "header/field-wrong-length", name);
    if (type.kind === "fixed") {
      require(value.length === type.length, "header/field-wrong-length", name);
    }
    return value;
  }
  require(typeof value === "bigint" && value >= 0n, "header/integer-out-of-range", name);
  if (type.kind === "uint") {
    require(value < 1n << BigInt(type.bits), "header/integer-out-of-range", name);
  }
  return bigintToBytes(value);
}

/** Whether two field values are equal. */
function sameValue(a: Uint8Array | bigint, b: Uint8Array | bigint): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return a === b;
  return bytesEqual(a, b);
}

/**
 * The RLP list of a header's fields in its version's order, without the envelope.
 *
 * @throws {SpecError} `header/unknown-version`, `header/field-wrong-length`,
 *   `header/integer-out-of-range` (negative, or beyond a `uint32`/`uint64`),
 *   `header/field-not-in-version` (a field the version lacks holds another value than
 *   {@link absentFieldValue})
 */
export function encodeHeaderFields(header: Header): Uint8Array {
  const version = headerVersion(header.version);
  const record = header as unknown as Record<HeaderFieldName, Uint8Array | bigint>;
  const layout = HEADER_LAYOUTS[version];
  for (const name of Object.keys(HEADER_FIELD_TYPES) as HeaderFieldName[]) {
    if (layout.includes(name)) continue;
    const ok = sameValue(record[name], absentFieldValue(version, name));
    require(ok, "header/field-not-in-version", `${name} in v${version}`);
  }
  return encodeRlp(layout.map((name) => fieldItem(name, record[name])));
}

/**
 * Encodes a header: the field list, bare for v0 and in the tagged-RLP envelope for v1+.
 *
 * @param header the header
 * @returns its encoding, the bytes the block hash is taken over
 * @throws {SpecError} the codes of {@link encodeHeaderFields}
 */
export function encodeHeader(header: Header): Uint8Array {
  const fields = encodeHeaderFields(header);
  return encodeTaggedRlp(HEADER_TAGS[header.version], fields);
}

/** Reads one field's value from its RLP item, with go-ethereum's rules for its Go type. */
function readField(name: HeaderFieldName, item: RlpItem): Uint8Array | bigint {
  const type = HEADER_FIELD_TYPES[name];
  if (type.kind === "fixed") return readFixedBytes(item, type.length);
  if (type.kind === "bytes") return readBytes(item);
  if (type.kind === "uint") return readUint(item, type.bits);
  return readBigUint(item);
}

/**
 * Decodes a header of any version.
 *
 * @param encoding exactly one header encoding
 * @returns the header; fields its version lacks hold their {@link absentFieldValue}
 * @throws {SpecError} every code of `decodeRlp`; `encoding/tagged-rlp-unsupported-tag`,
 *   `encoding/rlp-expected-list`, `encoding/rlp-wrong-item-count`, `encoding/rlp-expected-string`,
 *   `encoding/rlp-wrong-length`, `encoding/rlp-uint-overflow`, `encoding/rlp-leading-zero`
 */
export function decodeHeader(encoding: Uint8Array): Header {
  const { tag, payload } = decodeTaggedRlp(encoding, HEADER_TAGS);
  const version = HEADER_TAGS.indexOf(tag) as HeaderVersion;
  const layout = HEADER_LAYOUTS[version];
  const items = readListOf(decodeRlp(payload), layout.length);
  const header = emptyHeader(version);
  const record = header as unknown as Record<HeaderFieldName, Uint8Array | bigint>;
  layout.forEach((name, i) => {
    record[name] = readField(name, items[i]);
  });
  return header;
}

/**
 * The block hash: Keccak-256 of the header's encoding (Go `Header.Hash`).
 *
 * @throws {SpecError} the codes of {@link encodeHeader}
 */
export function headerHash(header: Header): Uint8Array {
  return keccak256(encodeHeader(header));
}
