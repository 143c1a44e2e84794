/**
 * The block body and the full block: their versions and their encodings.
 *
 * **Body.** Besides its header, a block carries lists, each an RLP list of items:
 *
 * - `transactions`: the plain (and Ethereum-format) transactions;
 * - `stakingTransactions`: the staking transactions (body v2 only);
 * - `uncles`: headers of uncle blocks, a remnant of Ethereum, always empty on Harmony (body v0+);
 * - `incomingReceipts`: proofs of cross-shard receipts received from other shards (body v1+).
 *
 * The transactions, staking transactions and receipt proofs are opaque here: each is kept as its
 * own RLP encoding, which must be one RLP list (each is a Go struct); the modules of transactions,
 * staking and cross-shard transfers read their fields. Uncles are headers (the header module).
 *
 * **Versions.** Three layouts, each a list of the lists above, with tagged-RLP tags `""` (bare),
 * `"v1"` and `"v2"` ({@link BODY_LAYOUTS}):
 *
 * | body | items                                                            | header versions |
 * | ---- | ---------------------------------------------------------------- | --------------- |
 * | v0   | `[transactions, uncles]`                                         | v0              |
 * | v1   | `[transactions, uncles, incomingReceipts]`                       | v1, v2          |
 * | v2   | `[transactions, stakingTransactions, uncles, incomingReceipts]`  | v3              |
 *
 * A body (Go `Body`, used when bodies travel or are stored apart from headers) is that list in
 * the envelope of its tag ({@link encodeBody}).
 *
 * **Block.** A full block (Go's `extblock`) is the header's encoding followed by the body's items,
 * in one list, in the envelope of the body version's tag: `[header, transactions, uncles]` bare
 * for v0, `["HmnyTgd", "v1", [header, transactions, uncles, incomingReceipts]]`, and
 * `["HmnyTgd", "v2", [header, transactions, stakingTransactions, uncles, incomingReceipts]]`.
 * The header is embedded with its own envelope. Encoding picks the layout from the header's
 * version ({@link bodyVersionFor}); the block hash is the header's hash.
 *
 * **Decoding a block** takes the layout from the block's tag and reads a header of any version
 * in it, as Go does: Go does not check that the header's version matches the layout. A block
 * whose header version does not match its layout therefore decodes, with the lists the layout
 * lacks empty, and encodes again in the layout of its header, i.e. to other bytes. The hash
 * (the header's) is unaffected.
 *
 * **Lists a layout cannot carry.** Encoding rejects a non-empty list that the layout lacks
 * (`block/field-not-in-version`). Go does so for incoming receipts in a v0 block ("incomingReceipts
 * unsupported in v0 block"). **Deviation:** for staking transactions under a v0–v2 header, Go
 * silently leaves them out of the encoding; a node never builds such a block (staking
 * transactions exist from the v3 epochs on), and the spec rejects it rather than lose data.
 *
 * @see github.com/harmony-one/harmony core/types/block.go (`extblock`, `extblockV1`, `extblockV2`,
 *   `Block.EncodeRLP`, `Block.DecodeRLP`, `BodyRegistry`, `NewBodyForMatchingHeader`),
 *   core/types/bodyv0.go, bodyv1.go, bodyv2.go (`bodyFieldsV0` … `bodyFieldsV2`)
 * @module
 */
import { encodeRlpList, requireCanonicalRlp, splitRlpList } from "../encoding/rlp.ts";
import { decodeTaggedRlp, encodeTaggedRlp } from "../encoding/tagged-rlp.ts";
import { require } from "../errors.ts";
import {
  decodeHeader,
  encodeHeader,
  type Header,
  headerHash,
  type HeaderVersion,
} from "./header.ts";

/** A body version: 0, 1 or 2. */
export type BodyVersion = 0 | 1 | 2;

/** The lists of a block besides its header. Lists a body version lacks are empty. */
export interface BlockBody {
  /** Each transaction's RLP encoding (one RLP list each), in block order. */
  transactions: Uint8Array[];
  /** Each staking transaction's RLP encoding (one RLP list each), in block order; body v2. */
  stakingTransactions: Uint8Array[];
  /** Uncle headers (always empty on Harmony). */
  uncles: Header[];
  /** Each incoming cross-shard receipt proof's RLP encoding (one RLP list each); body v1+. */
  incomingReceipts: Uint8Array[];
}

/** A full block: a header and a body. */
export interface Block {
  /** The header; its version decides the body layout when encoding. */
  header: Header;
  /** The lists of the block. */
  body: BlockBody;
}

/** A decoded body and the version it was encoded in. */
export interface VersionedBody {
  /** The body version, from the encoding's tag. */
  version: BodyVersion;
  /** The lists; those the version lacks are empty. */
  body: BlockBody;
}

/** The name of a body list. */
export type BodyFieldName = keyof BlockBody;

/** The lists of each body version, in RLP order (Go `bodyFieldsV0` … `bodyFieldsV2`). */
export const BODY_LAYOUTS: Record<BodyVersion, readonly BodyFieldName[]> = {
  0: ["transactions", "uncles"],
  1: ["transactions", "uncles", "incomingReceipts"],
  2: ["transactions", "stakingTransactions", "uncles", "incomingReceipts"],
};

/** The tagged-RLP tag of each body (and block) version: v0 is the legacy (bare) form. */
export const BODY_TAGS: readonly string[] = ["", "v1", "v2"];

const ALL_BODY_FIELDS: BodyFieldName[] = [
  "transactions",
  "stakingTransactions",
  "uncles",
  "incomingReceipts",
];

/** Reads a body version number, as found in a vector. */
export function bodyVersion(value: number): BodyVersion {
  require(value === 0 || value === 1 || value === 2, "block/unknown-version");
  return value;
}

/**
 * The body version that goes with a header version (Go `NewBodyForMatchingHeader`,
 * `Block.EncodeRLP`): v0 → v0, v1 and v2 → v1, v3 → v2.
 */
export function bodyVersionFor(headerVersion: HeaderVersion): BodyVersion {
  if (headerVersion === 0) return 0;
  return headerVersion === 3 ? 2 : 1;
}

/** A body with every list empty. */
export function emptyBody(): BlockBody {
  return { transactions: [], stakingTransactions: [], uncles: [], incomingReceipts: [] };
}

/** Checks that `encoding` is one canonical RLP list, as an opaque struct item must be. */
function requireStructItem(encoding: Uint8Array): void {
  requireCanonicalRlp(encoding);
  require(encoding[0] >= 0xc0, "encoding/rlp-expected-list");
}

/** The encoding of one body list. */
function encodeList(body: BlockBody, name: BodyFieldName): Uint8Array {
  if (name === "uncles") return encodeRlpList(body.uncles.map(encodeHeader));
  const items = body[name];
  for (const item of items) requireStructItem(item);
  return encodeRlpList(items);
}

/**
 * The encodings of a body's lists in the order of a layout.
 *
 * @throws {SpecError} `block/field-not-in-version` for a non-empty list the layout lacks; the codes
 *   of `decodeRlp` and `encoding/rlp-expected-list` for an opaque item that is not one RLP list;
 *   the codes of `encodeHeader` for an uncle
 */
function encodeBodyLists(body: BlockBody, version: BodyVersion): Uint8Array[] {
  const layout = BODY_LAYOUTS[version];
  for (const name of ALL_BODY_FIELDS) {
    const carried = layout.includes(name) || body[name].length === 0;
    require(carried, "block/field-not-in-version", `${name} in body v${version}`);
  }
  return layout.map((name) => encodeList(body, name));
}

/** Reads one body list from its encoding. */
function decodeList(body: BlockBody, name: BodyFieldName, encoding: Uint8Array): void {
  const items = splitRlpList(encoding);
  if (name === "uncles") {
    body.uncles = items.map(decodeHeader);
    return;
  }
  for (const item of items) require(item[0] >= 0xc0, "encoding/rlp-expected-list");
  body[name] = items;
}

/** Reads the lists of a layout from their encodings (already checked to be as many). */
function decodeBodyLists(encodings: Uint8Array[], version: BodyVersion): BlockBody {
  const body = emptyBody();
  BODY_LAYOUTS[version].forEach((name, i) => decodeList(body, name, encodings[i]));
  return body;
}

/** Splits a list encoding into exactly `count` item encodings. */
function splitExactly(encoding: Uint8Array, count: number): Uint8Array[] {
  const items = splitRlpList(encoding);
  require(items.length === count, "encoding/rlp-wrong-item-count", `${items.length} != ${count}`);
  return items;
}

/**
 * Encodes a body in a given version (Go `Body.EncodeRLP`).
 *
 * @param body the lists
 * @param version the body version, normally `bodyVersionFor(header.version)`
 * @returns the list of the version's lists, bare for v0, in the envelope of its tag otherwise
 * @throws {SpecError} `block/unknown-version`; the codes of the lists' encoding (see the module:
 *   `block/field-not-in-version`, `encoding/rlp-expected-list`, header codes for uncles)
 */
export function encodeBody(body: BlockBody, version: BodyVersion): Uint8Array {
  const v = bodyVersion(version);
  return encodeTaggedRlp(BODY_TAGS[v], encodeRlpList(encodeBodyLists(body, v)));
}

/**
 * Decodes a body of any version (Go `Body.DecodeRLP`).
 *
 * @param encoding exactly one body encoding
 * @returns the body version and the lists (those the version lacks are empty)
 * @throws {SpecError} the codes of `decodeRlp`; `encoding/tagged-rlp-unsupported-tag`,
 *   `encoding/rlp-expected-list`, `encoding/rlp-wrong-item-count`; header codes for an uncle
 */
export function decodeBody(encoding: Uint8Array): VersionedBody {
  const { tag, payload } = decodeTaggedRlp(encoding, BODY_TAGS);
  const version = BODY_TAGS.indexOf(tag) as BodyVersion;
  const lists = splitExactly(payload, BODY_LAYOUTS[version].length);
  return { version, body: decodeBodyLists(lists, version) };
}

/**
 * Encodes a full block (Go `Block.EncodeRLP`): the header, then the lists of the body version
 * that goes with the header's version, in that version's envelope.
 *
 * @param block the block
 * @returns its encoding
 * @throws {SpecError} the codes of `encodeHeader` and of {@link encodeBody}
 */
export function encodeBlock(block: Block): Uint8Array {
  const header = encodeHeader(block.header);
  const version = bodyVersionFor(block.header.version);
  const items = [header, ...encodeBodyLists(block.body, version)];
  return encodeTaggedRlp(BODY_TAGS[version], encodeRlpList(items));
}

/**
 * Decodes a full block (Go `Block.DecodeRLP`). The layout comes from the block's tag; the header
 * may be of any version (see the module documentation).
 *
 * @param encoding exactly one block encoding
 * @returns the block; lists its layout lacks are empty
 * @throws {SpecError} the codes of `decodeRlp` and `decodeHeader`;
 *   `encoding/tagged-rlp-unsupported-tag`, `encoding/rlp-expected-list`,
 *   `encoding/rlp-wrong-item-count`
 */
export function decodeBlock(encoding: Uint8Array): Block {
  const { tag, payload } = decodeTaggedRlp(encoding, BODY_TAGS);
  const version = BODY_TAGS.indexOf(tag) as BodyVersion;
  const items = splitExactly(payload, 1 + BODY_LAYOUTS[version].length);
  const header = decodeHeader(items[0]);
  return { header, body: decodeBodyLists(items.slice(1), version) };
}

/** The block hash: the hash of its header (Go `Block.Hash`). */
export function blockHash(block: Block): Uint8Array {
  return headerHash(block.header);
}
