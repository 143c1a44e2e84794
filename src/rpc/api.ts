/**
 * What the RPC layer needs of a shard: the interface the node's shard implements. Keeping it
 * small keeps the RPC code free of any protocol rule: it formats what the chain holds and hands
 * requests to the node.
 *
 * @module
 */
import type { Block } from "../../spec/chain/body.ts";
import type { Header } from "../../spec/chain/header.ts";
import type { Log, Receipt } from "../../spec/execution/receipt.ts";
import type { Transaction } from "../../spec/execution/transaction.ts";
import type { WorldState } from "../../spec/execution/state.ts";
import type { NetworkConfig } from "../../spec/params/mod.ts";

/** A transaction as the chain indexed it. */
export interface IndexedTransaction {
  /** The transaction. */
  tx: Transaction;
  /** Its sender. */
  sender: Uint8Array;
  /** The hash clients know it by: the Ethereum hash for an Ethereum-compatible transaction. */
  hash: Uint8Array;
}

/** A committed block with what the node derived from it. */
export interface ChainBlock {
  /** The block hash. */
  hash: Uint8Array;
  /** The header. */
  header: Header;
  /** The block. */
  block: Block;
  /** Its encoded size in bytes. */
  size: number;
  /** Its transactions, in order. */
  transactions: IndexedTransaction[];
  /** Their receipts, in order. */
  receipts: Receipt[];
}

/** A call or gas estimate request, decoded. */
export interface CallRequest {
  from: Uint8Array | null;
  to: Uint8Array | null;
  gas: bigint | null;
  gasPrice: bigint | null;
  value: bigint;
  data: Uint8Array;
}

/** The result of running a call on the latest state without committing it. */
export interface CallResult {
  /** Whether execution failed (reverted or ran out of gas). */
  failed: boolean;
  /** Returned data, or revert data when it failed. */
  returnData: Uint8Array;
  /** Gas used including intrinsic gas, before refunds. */
  gasUsed: bigint;
}

/** A log with where it was emitted. */
export interface LocatedLog {
  log: Log;
  block: ChainBlock;
  transactionIndex: number;
  logIndex: number;
}

/** The chain of one shard as the RPC layer sees it. */
export interface ShardApi {
  /** The network. */
  readonly config: NetworkConfig;
  /** The shard. */
  readonly shardId: bigint;
  /** The latest committed block. */
  head(): ChainBlock;
  /** A committed block by number, or `null`. */
  blockByNumber(number: bigint): ChainBlock | null;
  /** A committed block by hash, or `null`. */
  blockByHash(hash: Uint8Array): ChainBlock | null;
  /** Where a transaction was committed, by the hash clients know it by, or `null`. */
  transactionByHash(hash: Uint8Array): { block: ChainBlock; index: number } | null;
  /** The state after the latest block. */
  latestState(): WorldState;
  /** The next nonce of an account, counting its transactions waiting in the pool. */
  pendingNonce(address: Uint8Array): bigint;
  /** Admits a raw signed transaction to the pool; returns its hash. Throws a SpecError. */
  submitTransaction(raw: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * Optional: starts work on raw transactions about to be submitted (a batch's), so that it runs
   * ahead of their admission in order (the node recovers their senders on other threads).
   */
  prepareTransactions?(raws: Uint8Array[]): void;
  /** Admits a raw signed staking transaction to the pool; returns its hash. Throws a SpecError. */
  submitStakingTransaction(raw: Uint8Array): Uint8Array;
  /** Runs a call on the latest state, as if in the next block, and discards its effects. */
  call(request: CallRequest): Promise<CallResult>;
  /** The gas price the node asks of transactions. */
  gasPrice(): bigint;
  /** Logs of committed blocks in a range, optionally filtered by address and topics. */
  logs(
    from: bigint,
    to: bigint,
    addresses: Uint8Array[],
    topics: (Uint8Array[] | null)[],
  ): LocatedLog[];
}
