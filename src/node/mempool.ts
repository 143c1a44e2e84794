/**
 * The transaction pool of one shard: admits signed transactions with the spec's pool checks,
 * keeps them by sender and nonce, and gives a proposing leader the executable ones in Harmony's
 * order (the best-paying sender first, each sender's transactions in nonce order). Nothing here
 * decides validity: admission is `validatePoolTransaction`, inclusion is the block rules'.
 *
 * @module
 */
import { decodeRlp, readList } from "../../spec/encoding/rlp.ts";
import { require, type SpecError } from "../../spec/errors.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { type PoolView, validatePoolTransaction } from "../../spec/execution/pool.ts";
import { addressKey, nonceOf, type WorldState } from "../../spec/execution/state.ts";
import {
  chainIdOfV,
  decodeEthTransaction,
  decodeTransaction,
  encodeTransaction,
  ethToHarmony,
  isEthCompatible,
  isProtectedV,
  type Transaction,
  transactionHashByType,
} from "../../spec/execution/transaction.ts";
import { ethChainId, type NetworkConfig } from "../../spec/params/mod.ts";
import type { PoolRecord } from "../../spec/chain/propose.ts";
import { RPC_ERRORS, RpcError } from "../rpc/jsonrpc.ts";

/** A transaction waiting in the pool: decoded, its sender recovered (`ownSigner`), named. */
export interface PooledTransaction extends PoolRecord {
  /** Its native encoding, as a block carries it. */
  raw: Uint8Array;
  /** The hash clients know it by. */
  hash: Uint8Array;
}

/** The most transactions the pool holds; beyond it new ones are refused. */
const POOL_LIMIT = 20_000;

/** A shard's pool. */
export interface Mempool {
  /**
   * Admits a submitted transaction (decoded with {@link decodeSubmitted}); returns it. `recovered`
   * is the outcome of recovering its sender with `ownSigner`, when already known.
   */
  admit(tx: Transaction, view: PoolView, recovered?: Uint8Array | SpecError): PooledTransaction;
  /** A waiting transaction by the hash clients know it by. */
  byHash(hash: Uint8Array): PooledTransaction | undefined;
  /** A waiting transaction by its native encoding. */
  byRaw(raw: Uint8Array): PooledTransaction | undefined;
  /** The executable transactions in proposal order. */
  pending(state: WorldState): PooledTransaction[];
  /** The next nonce of a sender counting its queued transactions. */
  nextNonce(sender: Uint8Array, state: WorldState): bigint;
  /** Drops what a new state made stale (nonces already used). */
  prune(state: WorldState): void;
  /** How many transactions are waiting. */
  size(): number;
}

/** Decodes what `eth_sendRawTransaction` receives: Ethereum's 9-field or Harmony's 11-field form. */
export function decodeSubmitted(config: NetworkConfig, raw: Uint8Array): Transaction {
  const fields = readList(decodeRlp(raw)).length;
  return fields === 9 ? ethToHarmony(config, decodeEthTransaction(raw)) : decodeTransaction(raw);
}

/**
 * RPC submission also checks the chain ID a protected signature names against this network's
 * (consensus accepts any: Go checks it only when a transaction is submitted).
 */
function checkSubmittedChainId(config: NetworkConfig, shardId: bigint, tx: Transaction): void {
  if (!isProtectedV(tx.v)) return;
  const expected = isEthCompatible(tx) ? ethChainId(config, shardId) : config.chainId;
  require(
    chainIdOfV(tx.v) === expected,
    "execution/invalid-chain-id",
    `chain ID ${chainIdOfV(tx.v)}, expected ${expected}`,
  );
}

/**
 * Merges the senders' lanes (each in nonce order) into one list: repeatedly the head of the lane
 * whose next transaction pays the most, the earlier lane on a tie. A heap keyed by (price, lane)
 * gives the same order as scanning every lane for each pick, in O(n log lanes).
 */
export function byPrice(lanes: PooledTransaction[][]): PooledTransaction[] {
  const heads = lanes.map(() => 0);
  const before = (a: number, b: number) => {
    const pa = lanes[a][heads[a]].tx.gasPrice;
    const pb = lanes[b][heads[b]].tx.gasPrice;
    return pa > pb || (pa === pb && a < b);
  };
  const heap = lanes.map((_, i) => i); // lane indexes in ascending order: already a heap on ties
  const sift = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let top = i;
      if (l < heap.length && before(heap[l], heap[top])) top = l;
      if (r < heap.length && before(heap[r], heap[top])) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top], heap[i]];
      i = top;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) sift(i);
  const out: PooledTransaction[] = [];
  while (heap.length > 0) {
    const lane = heap[0];
    out.push(lanes[lane][heads[lane]++]);
    if (heads[lane] === lanes[lane].length) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    sift(0);
  }
  return out;
}

/** Creates an empty pool for a shard. */
export function createMempool(config: NetworkConfig, shardId: bigint): Mempool {
  const bySender = new Map<string, Map<bigint, PooledTransaction>>();
  const hashes = new Map<string, PooledTransaction>();
  const raws = new Map<string, PooledTransaction>();
  let count = 0;
  const queueOf = (sender: Uint8Array) => bySender.get(addressKey(sender));
  const forget = (entry: PooledTransaction) => {
    hashes.delete(toHex(entry.hash));
    raws.delete(toHex(entry.raw));
  };
  return {
    admit(tx, view, recovered) {
      checkSubmittedChainId(config, shardId, tx);
      const sender = validatePoolTransaction(config, view, tx, recovered);
      if (count >= POOL_LIMIT) {
        throw new RpcError(RPC_ERRORS.limitExceeded, "the transaction pool is full");
      }
      const entry = { tx, raw: encodeTransaction(tx), sender, hash: transactionHashByType(tx) };
      const key = addressKey(sender);
      const queue = bySender.get(key) ?? new Map<bigint, PooledTransaction>();
      const replaced = queue.get(tx.nonce);
      if (replaced === undefined) count++;
      else forget(replaced);
      queue.set(tx.nonce, entry); // a same-nonce resubmission replaces the earlier one
      bySender.set(key, queue);
      hashes.set(toHex(entry.hash), entry);
      raws.set(toHex(entry.raw), entry);
      return entry;
    },
    byHash: (hash) => hashes.get(toHex(hash)),
    byRaw: (raw) => raws.get(toHex(raw)),
    pending(state) {
      const lanes: PooledTransaction[][] = [];
      for (const [key, queue] of bySender) {
        const lane: PooledTransaction[] = [];
        for (let n = nonceOf(state, key); queue.has(n); n++) lane.push(queue.get(n)!);
        if (lane.length > 0) lanes.push(lane);
      }
      return byPrice(lanes);
    },
    nextNonce(sender, state) {
      let n = nonceOf(state, addressKey(sender));
      const queue = queueOf(sender);
      while (queue?.has(n)) n++;
      return n;
    },
    prune(state) {
      for (const [key, queue] of bySender) {
        const next = nonceOf(state, key);
        for (const [nonce, entry] of queue) {
          if (nonce < next) {
            queue.delete(nonce);
            forget(entry);
            count--;
          }
        }
        if (queue.size === 0) bySender.delete(key);
      }
    },
    size: () => count,
  };
}
