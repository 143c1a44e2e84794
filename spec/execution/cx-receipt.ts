/**
 * Cross-shard transfers: the receipt a source shard emits and the credit a destination applies.
 *
 * A transaction whose destination shard differs from its shard (from `CrossTx`, accepted from the
 * epoch after it) is executed on the source shard as a *subtraction only*: the sender pays the gas
 * and the value, nobody on the source shard receives the value. The source block then carries a
 * **CXReceipt** (Go `CXReceipt`): `RLP([txHash, from, to, shardId, toShardId, amount])`, with `to`
 * as 20 bytes (or the empty string when absent, which only a cross-shard contract creation
 * produces and no destination can apply).
 *
 * The destination shard receives the receipts of one source block, for it, together with a proof
 * (Go `CXReceiptsProof`), and credits each `to` with `amount`, creating the account if needed
 * (Go `ApplyIncomingReceipt`).
 *
 * **Exactly once.** Go marks a source block's receipts as spent for this destination when the
 * destination block that included them is committed, keyed by (source shard, source block number)
 * (`WriteCXReceiptsProofSpent`), and rejects a block that includes a spent one or the same source
 * block twice (`IsSpent`, `VerifyIncomingReceipts`). The flag lives in the node's database, not in
 * the state trie, so it is not part of the state root. The spec follows that design: the spent
 * set is an explicit value, {@link SpentReceipts}, passed in and returned by
 * {@link applyIncomingReceipts}, beside the state rather than inside it.
 *
 * @see github.com/harmony-one/harmony core/types/cx_receipt.go (CXReceipt, CXReceiptsProof)
 * @see github.com/harmony-one/harmony core/state_processor.go (ApplyIncomingReceipt)
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (IsSpent, WriteCXReceiptsProofSpent)
 * @module
 */
import { cxReceiptsMerkleRoot, type RoutedItem } from "../chain/derive-sha.ts";
import { bigintToBytes } from "../encoding/bytes.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readFixedBytes,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import {
  accountExists,
  addBalance,
  addressKey,
  createAccount,
  finaliseTransaction,
} from "./state.ts";
import type { WorldState } from "./state.ts";

/** A cross-shard receipt (Go `CXReceipt`). */
export interface CXReceipt {
  /** Hash of the transaction on the source shard. */
  txHash: Uint8Array;
  /** The sender on the source shard. */
  from: Uint8Array;
  /** The recipient on the destination shard (`null` only for a cross-shard contract creation). */
  to: Uint8Array | null;
  /** The source shard. */
  shardId: bigint;
  /** The destination shard. */
  toShardId: bigint;
  /** Amount to credit, in atto. */
  amount: bigint;
}

/** The receipts of one source block for this shard, as a block includes them. */
export interface IncomingReceipts {
  /** The source shard. */
  sourceShardId: bigint;
  /** The source block's number. */
  sourceBlockNumber: bigint;
  /** The receipts, all to this shard. */
  receipts: CXReceipt[];
}

/** The spent flags: `"<source shard>:<source block number>"` per credited source block. */
export type SpentReceipts = ReadonlySet<string>;

/**
 * Encodes a cross-shard receipt (Go `rlp.EncodeToBytes(cx)`).
 *
 * @param cx the receipt
 * @returns its RLP encoding
 */
export function encodeCxReceipt(cx: CXReceipt): Uint8Array {
  return encodeRlp([
    cx.txHash,
    cx.from,
    cx.to ?? new Uint8Array(0),
    bigintToBytes(cx.shardId),
    bigintToBytes(cx.toShardId),
    bigintToBytes(cx.amount),
  ]);
}

/**
 * Decodes a cross-shard receipt. As in Go, `to` must be 20 bytes: a receipt without a recipient
 * encodes but never decodes.
 *
 * @param bytes the encoding
 * @returns the receipt
 * @throws {SpecError} `encoding/rlp-*` for malformed input
 */
export function decodeCxReceipt(bytes: Uint8Array): CXReceipt {
  return readCxReceipt(decodeRlp(bytes));
}

/**
 * Reads a cross-shard receipt from a decoded RLP item (for structures that embed receipts).
 *
 * @param item the decoded item
 * @returns the receipt
 * @throws {SpecError} `encoding/rlp-*` for a malformed item
 */
export function readCxReceipt(item: RlpItem): CXReceipt {
  const f = readListOf(item, 6);
  return {
    txHash: readFixedBytes(f[0], 32),
    from: readFixedBytes(f[1], 20),
    to: readFixedBytes(f[2], 20),
    shardId: readUint(f[3], 32),
    toShardId: readUint(f[4], 32),
    amount: readBigUint(f[5]),
  };
}

/**
 * A block's outgoing receipts as the outgoing commitments and receipt proofs see them: each with
 * its destination and its encoding.
 *
 * @param receipts the receipts, in block order
 * @returns the same receipts, routed, in the same order
 */
export function routeCxReceipts(receipts: readonly CXReceipt[]): RoutedItem[] {
  return receipts.map((cx) => ({ toShardId: cx.toShardId, encoding: encodeCxReceipt(cx) }));
}

/**
 * The `OutgoingReceiptHash` a block's header carries for its cross-shard receipts (Go
 * `CXReceipts.ComputeMerkleRoot`; the rule is `cxReceiptsMerkleRoot` of `chain/derive-sha.ts`).
 *
 * @param receipts the block's outgoing receipts, in block order
 * @returns the 32-byte commitment
 */
export function outgoingReceiptsRoot(receipts: readonly CXReceipt[]): Uint8Array {
  return cxReceiptsMerkleRoot(routeCxReceipts(receipts));
}

/** The spent-set key of a source block. */
function spentKey(shardId: bigint, blockNumber: bigint): string {
  return `${shardId}:${blockNumber}`;
}

/**
 * Whether a source block's receipts were already credited on this shard (Go `IsSpent`).
 *
 * @param spent the spent set
 * @param shardId the source shard
 * @param blockNumber the source block number
 * @returns whether they were
 */
export function isSpent(spent: SpentReceipts, shardId: bigint, blockNumber: bigint): boolean {
  return spent.has(spentKey(shardId, blockNumber));
}

/** Checks one batch of incoming receipts before any credit. */
function checkBatch(
  shardId: bigint,
  spent: SpentReceipts,
  seen: Set<string>,
  batch: IncomingReceipts,
): void {
  const key = spentKey(batch.sourceShardId, batch.sourceBlockNumber);
  require(batch.sourceShardId !== shardId, "execution/cx-proof-from-own-shard");
  require(batch.receipts.length > 0, "execution/cx-proof-empty");
  require(!spent.has(key), "execution/cx-proof-already-spent", key);
  require(!seen.has(key), "execution/cx-proof-duplicate", key);
  seen.add(key);
  for (const cx of batch.receipts) {
    require(cx.toShardId === shardId, "execution/cx-receipt-wrong-shard");
    require(cx.shardId === batch.sourceShardId, "execution/cx-receipt-wrong-shard", "source");
    require(cx.to !== null, "execution/cx-receipt-missing-recipient");
  }
}

/**
 * Checks the incoming receipts of a block without crediting them: each source block neither
 * spent nor repeated, not from this shard and not empty, each receipt from that source shard to
 * this one, with a recipient.
 *
 * @param spent the source blocks already credited on this shard
 * @param shardId this shard
 * @param batches the receipts, one batch per source block
 * @returns the spent set including these source blocks
 * @throws {SpecError} `execution/cx-proof-already-spent`, `execution/cx-proof-duplicate`,
 *   `execution/cx-proof-from-own-shard`, `execution/cx-proof-empty`,
 *   `execution/cx-receipt-wrong-shard`, `execution/cx-receipt-missing-recipient`
 */
export function checkIncomingReceipts(
  spent: SpentReceipts,
  shardId: bigint,
  batches: IncomingReceipts[],
): Set<string> {
  const seen = new Set<string>();
  for (const batch of batches) checkBatch(shardId, spent, seen, batch);
  return new Set([...spent, ...seen]);
}

/**
 * Credits incoming receipts in order (Go `ApplyIncomingReceipt`): each recipient is created if
 * absent and credited, and the state is finalised after each receipt as Go does
 * (`IntermediateRoot`). Only a missing recipient is refused here, before any credit; the other
 * checks are {@link checkIncomingReceipts}.
 *
 * @param config the network
 * @param state the state (written)
 * @param epoch the epoch of the including block
 * @param receipts the receipts
 * @throws {SpecError} `execution/cx-receipt-missing-recipient`
 */
export function creditIncomingReceipts(
  config: NetworkConfig,
  state: WorldState,
  epoch: bigint,
  receipts: CXReceipt[],
): void {
  for (const cx of receipts) require(cx.to !== null, "execution/cx-receipt-missing-recipient");
  const deleteEmpty = isActive(config, "S3", epoch);
  for (const cx of receipts) {
    const key = addressKey(cx.to!);
    if (!accountExists(state, key)) createAccount(state, key);
    addBalance(state, key, cx.amount);
    finaliseTransaction(state, deleteEmpty);
  }
}

/**
 * Credits the incoming receipts of a block, each source block at most once: the checks of
 * {@link checkIncomingReceipts}, all before the first credit (so a rejection leaves `state`
 * untouched), then {@link creditIncomingReceipts}.
 *
 * @param config the network
 * @param state the state (written)
 * @param spent the source blocks already credited on this shard
 * @param shardId this shard
 * @param epoch the epoch of the including block
 * @param batches the receipts, one batch per source block
 * @returns the spent set including these source blocks
 * @throws {SpecError} the codes of {@link checkIncomingReceipts}
 */
export function applyIncomingReceipts(
  config: NetworkConfig,
  state: WorldState,
  spent: SpentReceipts,
  shardId: bigint,
  epoch: bigint,
  batches: IncomingReceipts[],
): Set<string> {
  const after = checkIncomingReceipts(spent, shardId, batches);
  creditIncomingReceipts(config, state, epoch, batches.flatMap((b) => b.receipts));
  return after;
}
