/**
 * Receipts: what a transaction did, as the block's receipt trie commits to it.
 *
 * A receipt records the outcome (status 1 for success, 0 for a failed execution whose fee was
 * still paid), the gas used by the block so far, the logs the transaction emitted and their bloom
 * filter. Before `S3`, instead of a status, it records the state root after the transaction (Go
 * `NewReceipt` with the intermediate root); from `S3` on the status. Logs are recorded only from
 * `ReceiptLog` (before it, receipts have no logs and an all-zero bloom).
 *
 * **Consensus encoding** (Go `Receipt.EncodeRLP`, what `ReceiptHash` covers):
 * `RLP([postStateOrStatus, cumulativeGasUsed, bloom, logs])` where `postStateOrStatus` is the
 * 32-byte root, or `0x01` for success and the empty string for failure; `bloom` is 256 bytes;
 * each log is `[address, [topics...], data]`.
 *
 * The other fields (transaction hash, contract address, gas used, gas price) are derived data the
 * node stores beside the receipt; they are part of {@link Receipt} for the RPC but not of the
 * consensus encoding.
 *
 * The bloom filter of the logs is the chain module's (Go `LogsBloom`, `CreateBloom`).
 *
 * @see github.com/harmony-one/harmony core/types/receipt.go (Receipt, receiptRLP, setStatus)
 * @see github.com/harmony-one/harmony core/types/log.go (rlpLog)
 * @module
 */
import { bigintToBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import {
  decodeRlp,
  encodedOnce,
  encodeRlp,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { require } from "../errors.ts";
import { BLOOM_BYTE_LENGTH } from "../chain/bloom.ts";
import type { Log } from "./evm.ts";

export type { Log } from "./evm.ts";

/** A transaction receipt. */
export interface Receipt {
  /** State root after the transaction (before `S3`), else `null`. */
  postState: Uint8Array | null;
  /** 1 when execution succeeded, 0 when it failed (meaningful when `postState` is `null`). */
  status: 0 | 1;
  /** Gas used by the block up to and including this transaction. */
  cumulativeGasUsed: bigint;
  /** Bloom filter of the logs. */
  bloom: Uint8Array;
  /** Logs emitted. */
  logs: Log[];
  /** The transaction's hash (Go `tx.Hash()`, the native hash). Not in the consensus encoding. */
  txHash: Uint8Array;
  /** Address of the created contract, or `null`. Not in the consensus encoding. */
  contractAddress: Uint8Array | null;
  /** Gas used by this transaction. Not in the consensus encoding. */
  gasUsed: bigint;
  /** The gas price paid per unit. Not in the consensus encoding. */
  effectiveGasPrice: bigint;
}

/** The RLP item of a log. */
function logItem(log: Log): RlpItem {
  return [log.address, log.topics, log.data];
}

/**
 * The consensus encoding of a receipt (Go `Receipt.EncodeRLP`).
 *
 * @param receipt the receipt
 * @returns `RLP([postStateOrStatus, cumulativeGasUsed, bloom, logs])`
 */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  return encodedOnce(encodings, receipt, () => [
    receipt.postState ?? (receipt.status === 1 ? Uint8Array.of(1) : new Uint8Array(0)),
    bigintToBytes(receipt.cumulativeGasUsed),
    receipt.bloom,
    receipt.logs.map(logItem),
  ]);
}

/**
 * The encodings of receipt records, kept by record: a block's receipts are encoded for its
 * receipt root and again to be stored, and a record is never changed in place.
 */
const encodings = new WeakMap<Receipt, Uint8Array>();

/** Reads a log item. */
function readLog(item: RlpItem): Log {
  const [address, topics, data] = readListOf(item, 3);
  return {
    address: readFixedBytes(address, 20),
    topics: readList(topics).map((t) => readFixedBytes(t, 32)),
    data: readBytes(data),
  };
}

/** The consensus fields of a receipt, as decoded. */
export type ConsensusReceipt = Pick<
  Receipt,
  "postState" | "status" | "cumulativeGasUsed" | "bloom" | "logs"
>;

/**
 * Decodes the consensus encoding of a receipt (Go `Receipt.DecodeRLP`).
 *
 * @param bytes the encoding
 * @returns the consensus fields (`status` is 1 when a post-state root is present)
 * @throws {SpecError} `encoding/rlp-*` for malformed input; `encoding/rlp-wrong-length` for a
 *   status that is neither empty, `0x01`, nor a 32-byte root
 */
export function decodeReceipt(bytes: Uint8Array): ConsensusReceipt {
  const [status, cumulative, bloom, logs] = readListOf(decodeRlp(bytes), 4);
  const s = readBytes(status);
  const isRoot = s.length === 32;
  require(
    isRoot || s.length === 0 || (s.length === 1 && s[0] === 1),
    "encoding/rlp-wrong-length",
    "receipt status",
  );
  return {
    postState: isRoot ? s : null,
    status: isRoot || s.length === 1 ? 1 : 0,
    cumulativeGasUsed: readUint(cumulative, 64),
    bloom: readFixedBytes(bloom, BLOOM_BYTE_LENGTH),
    logs: readList(logs).map(readLog),
  };
}

/**
 * The address of a contract created by `sender` with `nonce` (Go `crypto.CreateAddress`): the last
 * 20 bytes of Keccak-256 of `RLP([sender, nonce])`.
 *
 * @param sender the creator
 * @param nonce the creator's nonce at creation
 * @returns the 20-byte address
 */
export function contractAddress(sender: Uint8Array, nonce: bigint): Uint8Array {
  return keccak256(encodeRlp([sender, bigintToBytes(nonce)])).slice(12);
}
