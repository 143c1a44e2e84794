/**
 * DeriveSha: how a header commits to an ordered list (transactions, receipts, incoming
 * cross-shard receipt proofs), and the commitment to a block's outgoing cross-shard receipts.
 *
 * **DeriveSha.** The list's items, each given as its RLP encoding, are stored in a Merkle–Patricia
 * trie (the trie module) under keys that are the RLP encodings of their positions `0, 1, 2, …`
 * (`0x80`, `0x01`, …, `0x7f`, `0x8180`, …); the commitment is the trie's root. The empty list
 * gives {@link EMPTY_ROOT_HASH}. Go's `DeriveSha` accepts several lists and numbers their items
 * consecutively across them, which is `deriveSha` of their concatenation: the header's `TxHash`
 * is `deriveSha(transactions ++ stakingTransactions)`. An empty item would be dropped by the trie
 * (an empty value deletes a key); items are RLP encodings, which are never empty.
 *
 * **Outgoing cross-shard receipts.** A block's `OutgoingReceiptHash` commits to its
 * cross-shard receipts grouped by destination shard, so that each destination can check its own
 * group with a short proof. Two rules exist; a block is valid when its hash matches either:
 *
 * - {@link cxReceiptsMerkleRoot} (Go `CXReceipts.ComputeMerkleRoot`, the one Harmony writes):
 *   for each destination shard in increasing order that has receipts, append the shard ID as 4
 *   big-endian bytes and then `deriveSha` of that shard's receipts, re-numbered from 0 in their
 *   original order; the result is Keccak-256 of the concatenation, or {@link EMPTY_ROOT_HASH}
 *   when there are no receipts.
 * - {@link deriveMultipleShardsSha} (Go's legacy rule, still accepted by the validator): the same,
 *   except that each shard's trie keys are the receipts' positions in the whole list
 *   ({@link deriveOneShardSha}), not re-numbered.
 *
 * Go walks every shard ID from 0 to the largest destination, including those without receipts,
 * which contribute nothing; the spec walks only the destinations present, in increasing order,
 * which gives the same bytes.
 *
 * @see github.com/harmony-one/harmony core/types/derive_sha.go (`DeriveSha`, `DeriveOneShardSha`,
 *   `DeriveMultipleShardsSha`), core/types/cx_receipt.go (`CXReceipts.ComputeMerkleRoot`),
 *   core/block_validator.go (`ValidateState` accepts both outgoing-receipt rules)
 * @module
 */
import { bigintToBytes, bigintToFixedBytes, bytesEqual, concatBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { encodeRlp } from "../encoding/rlp.ts";
import { EMPTY_TRIE_ROOT, type TrieEntry, trieRoot } from "./trie.ts";

/** The commitment to an empty list: the empty trie's root (Go `types.EmptyRootHash`). */
export const EMPTY_ROOT_HASH: Uint8Array = EMPTY_TRIE_ROOT;

/** A cross-shard receipt as the outgoing-receipt commitment sees it. */
export interface RoutedItem {
  /** The destination shard (Go `CXReceipt.ToShardID`, a uint32). */
  toShardId: bigint;
  /** The receipt's RLP encoding. */
  encoding: Uint8Array;
}

/**
 * The trie key of position `index`: its RLP as an unsigned integer.
 *
 * @param index a position, 0 or more
 * @returns `0x80` for 0, the byte itself below 128, else a length prefix and the big-endian bytes
 */
export function indexKey(index: bigint): Uint8Array {
  return encodeRlp(bigintToBytes(index));
}

/**
 * Harmony's DeriveSha: the root of the trie mapping each position's {@link indexKey} to the item.
 *
 * @param items the items' RLP encodings, in list order
 * @returns the 32-byte root; {@link EMPTY_ROOT_HASH} for an empty list
 */
export function deriveSha(items: readonly Uint8Array[]): Uint8Array {
  return trieRoot(items.map((item, i): TrieEntry => [indexKey(BigInt(i)), item]));
}

/** The destination shards present, in increasing order. */
function destinations(receipts: readonly RoutedItem[]): bigint[] {
  const shards = new Set<bigint>();
  for (const r of receipts) shards.add(r.toShardId);
  return [...shards].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Keccak-256 of the concatenated `uint32_BE(shard) ‖ root` pairs: the step shared by both
 * outgoing commitments and by a receipt proof's check against the commitment it lists.
 *
 * @param pairs destination shards with their roots, in the order they are hashed
 * @returns the 32-byte hash; {@link EMPTY_ROOT_HASH} when there are no pairs
 * @throws {SpecError} `encoding/integer-too-large` or `encoding/negative-integer` for a shard
 *   outside uint32
 */
export function hashShardRoots(pairs: [shard: bigint, root: Uint8Array][]): Uint8Array {
  if (pairs.length === 0) return EMPTY_ROOT_HASH.slice();
  const parts: Uint8Array[] = [];
  for (const [shard, root] of pairs) parts.push(bigintToFixedBytes(shard, 4), root);
  return keccak256(concatBytes(...parts));
}

/**
 * The outgoing cross-shard receipts commitment Harmony writes (Go
 * `CXReceipts.ComputeMerkleRoot`): per destination shard, `deriveSha` of its receipts numbered
 * from 0.
 *
 * @param receipts the block's outgoing receipts, in block order
 * @returns the 32-byte commitment; {@link EMPTY_ROOT_HASH} when there are none
 * @throws {SpecError} `encoding/integer-too-large` or `encoding/negative-integer` for a
 *   destination outside uint32
 */
export function cxReceiptsMerkleRoot(receipts: readonly RoutedItem[]): Uint8Array {
  return hashShardRoots(cxShardRoots(receipts));
}

/**
 * The per-destination roots of a block's outgoing receipts, as {@link cxReceiptsMerkleRoot}
 * hashes them and a receipt proof lists them: for each destination shard present, in increasing
 * order, `deriveSha` of its receipts numbered from 0 in block order.
 *
 * @param receipts the block's outgoing receipts, in block order
 * @returns `(shard, root)` pairs, one per destination present
 */
export function cxShardRoots(receipts: readonly RoutedItem[]): [bigint, Uint8Array][] {
  const pairs: [bigint, Uint8Array][] = [];
  for (const shard of destinations(receipts)) {
    const group = receipts.filter((r) => r.toShardId === shard).map((r) => r.encoding);
    pairs.push([shard, deriveSha(group)]);
  }
  return pairs;
}

/**
 * The legacy per-shard root (Go `DeriveOneShardSha`): the trie of the receipts bound for `shardId`,
 * each keyed by its position in the *whole* list.
 *
 * @param receipts the block's outgoing receipts, in block order
 * @param shardId the destination shard
 * @returns the 32-byte root; {@link EMPTY_ROOT_HASH} when no receipt goes to `shardId`
 */
export function deriveOneShardSha(receipts: readonly RoutedItem[], shardId: bigint): Uint8Array {
  const entries: TrieEntry[] = [];
  receipts.forEach((r, i) => {
    if (r.toShardId === shardId) entries.push([indexKey(BigInt(i)), r.encoding]);
  });
  return trieRoot(entries);
}

/**
 * The legacy outgoing receipts commitment (Go `DeriveMultipleShardsSha`), still accepted in place
 * of {@link cxReceiptsMerkleRoot}.
 *
 * @param receipts the block's outgoing receipts, in block order
 * @returns the 32-byte commitment; {@link EMPTY_ROOT_HASH} when there are none
 * @throws {SpecError} `encoding/integer-too-large` or `encoding/negative-integer` for a
 *   destination outside uint32
 */
export function deriveMultipleShardsSha(receipts: readonly RoutedItem[]): Uint8Array {
  const pairs: [bigint, Uint8Array][] = [];
  for (const shard of destinations(receipts)) {
    const root = deriveOneShardSha(receipts, shard);
    // Go skips a shard whose trie is empty; only empty encodings could make it so.
    if (!bytesEqual(root, EMPTY_ROOT_HASH)) pairs.push([shard, root]);
  }
  return hashShardRoots(pairs);
}
