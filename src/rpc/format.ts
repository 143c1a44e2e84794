/**
 * The JSON shapes of Ethereum's JSON-RPC: reading request parameters (quantities, data, addresses,
 * block tags) with clear errors, and writing blocks, transactions, receipts and logs as wallets
 * and tools expect them. Harmony's one-block finality means every committed block is final, so
 * `safe` and `finalized` name the latest block.
 *
 * @module
 */
import { formatHexAddress, parseAddress } from "../../spec/encoding/address.ts";
import { bytesToBigint, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import { isEthCompatible } from "../../spec/execution/transaction.ts";
import { ethChainId } from "../../spec/params/config.ts";
import type { CallRequest, ChainBlock, LocatedLog, ShardApi } from "./api.ts";
import { RPC_ERRORS, RpcError } from "./jsonrpc.ts";

/** A quantity: `0x` and the shortest hex digits (`0x0` for zero). */
export function quantity(value: bigint | number): string {
  return "0x" + BigInt(value).toString(16);
}

/** Data: `0x` and two hex digits a byte. */
export function data(bytes: Uint8Array): string {
  return "0x" + toHex(bytes);
}

/** An address in EIP-55 form. */
export function address(bytes: Uint8Array): string {
  return formatHexAddress(bytes);
}

function invalid(message: string): RpcError {
  return new RpcError(RPC_ERRORS.invalidParams, `invalid params: ${message}`);
}

/** Reads a quantity parameter (hex, with `0x`). */
export function readQuantity(value: unknown, name: string): bigint {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
    throw invalid(`${name} must be a hex quantity like "0x1a"`);
  }
  return BigInt(value);
}

/** Reads a data parameter (hex bytes, with `0x`), optionally of an exact length. */
export function readData(value: unknown, name: string, length?: number): Uint8Array {
  if (typeof value !== "string" || !value.startsWith("0x")) {
    throw invalid(`${name} must be 0x-prefixed hex`);
  }
  let bytes: Uint8Array;
  try {
    bytes = fromHex(value);
  } catch {
    throw invalid(`${name} is not valid hex`);
  }
  if (length !== undefined && bytes.length !== length) {
    throw invalid(`${name} must be ${length} bytes`);
  }
  return bytes;
}

/** Reads an address parameter: `0x` hex (EIP-55 checked when mixed case) or Harmony's `one1…`. */
export function readAddress(value: unknown, name: string): Uint8Array {
  if (typeof value !== "string") throw invalid(`${name} must be an address`);
  try {
    return parseAddress(value);
  } catch (e) {
    throw invalid(`${name}: ${isSpecError(e) ? e.code : "not an address"}`);
  }
}

/** Reads a block tag or number and returns the block number it names (`pending` = latest). */
export function readBlockNumber(value: unknown, api: ShardApi): bigint {
  const head = api.head().header.number;
  if (value === undefined || value === null) return head;
  if (value === "latest" || value === "pending" || value === "safe" || value === "finalized") {
    return head;
  }
  if (value === "earliest") return 0n;
  if (typeof value === "object" && value !== null && "blockNumber" in value) {
    return readBlockNumber((value as { blockNumber: unknown }).blockNumber, api);
  }
  return readQuantity(value, "block");
}

/** Requires that a state query names the latest block: the node keeps only the latest state. */
export function requireLatest(value: unknown, api: ShardApi): void {
  const number = readBlockNumber(value, api);
  if (number !== api.head().header.number) {
    throw new RpcError(
      RPC_ERRORS.rejected,
      `state of block ${number} is not kept; only the latest block's state is available`,
    );
  }
}

/** Reads a call object (`eth_call`, `eth_estimateGas`). */
export function readCall(value: unknown): CallRequest {
  if (typeof value !== "object" || value === null) throw invalid("the call must be an object");
  const o = value as Record<string, unknown>;
  const opt = <T>(key: string, read: (v: unknown, n: string) => T): T | null =>
    o[key] === undefined || o[key] === null ? null : read(o[key], key);
  return {
    from: opt("from", readAddress),
    to: opt("to", readAddress),
    gas: opt("gas", readQuantity),
    gasPrice: opt("gasPrice", readQuantity),
    value: opt("value", readQuantity) ?? 0n,
    data: opt("data", readData) ?? opt("input", readData) ?? new Uint8Array(0),
  };
}

/** The JSON of a transaction of a committed block. */
export function transactionJson(
  api: ShardApi,
  block: ChainBlock,
  index: number,
): Record<string, unknown> {
  const { tx, sender, hash } = block.transactions[index];
  const ethCompatible = isEthCompatible(tx);
  return {
    hash: data(hash),
    nonce: quantity(tx.nonce),
    blockHash: data(block.hash),
    blockNumber: quantity(block.header.number),
    transactionIndex: quantity(index),
    from: address(sender),
    to: tx.to === null ? null : address(tx.to),
    value: quantity(tx.value),
    gas: quantity(tx.gasLimit),
    gasPrice: quantity(tx.gasPrice),
    input: data(tx.data),
    v: quantity(tx.v),
    r: quantity(tx.r),
    s: quantity(tx.s),
    type: "0x0",
    chainId: quantity(ethCompatible ? ethChainId(api.config, api.shardId) : api.config.chainId),
    shardID: Number(tx.shardId),
    toShardID: Number(tx.toShardId),
  };
}

/** The JSON of a log. */
export function logJson(l: LocatedLog): Record<string, unknown> {
  return {
    address: address(l.log.address),
    topics: l.log.topics.map(data),
    data: data(l.log.data),
    blockNumber: quantity(l.block.header.number),
    blockHash: data(l.block.hash),
    transactionHash: data(l.block.transactions[l.transactionIndex].hash),
    transactionIndex: quantity(l.transactionIndex),
    logIndex: quantity(l.logIndex),
    removed: false,
  };
}

/** The logs of a block, each with its position. */
export function blockLogs(block: ChainBlock): LocatedLog[] {
  const out: LocatedLog[] = [];
  block.receipts.forEach((r, transactionIndex) => {
    for (const log of r.logs) out.push({ log, block, transactionIndex, logIndex: out.length });
  });
  return out;
}

/** The JSON of a receipt. */
export function receiptJson(block: ChainBlock, index: number): Record<string, unknown> {
  const receipt = block.receipts[index];
  const { tx, sender, hash } = block.transactions[index];
  return {
    transactionHash: data(hash),
    transactionIndex: quantity(index),
    blockHash: data(block.hash),
    blockNumber: quantity(block.header.number),
    from: address(sender),
    to: tx.to === null ? null : address(tx.to),
    cumulativeGasUsed: quantity(receipt.cumulativeGasUsed),
    gasUsed: quantity(receipt.gasUsed),
    effectiveGasPrice: quantity(receipt.effectiveGasPrice),
    contractAddress: receipt.contractAddress === null ? null : address(receipt.contractAddress),
    logs: blockLogs(block).filter((l) => l.transactionIndex === index).map(logJson),
    logsBloom: data(receipt.bloom),
    status: quantity(receipt.status),
    type: "0x0",
    root: receipt.postState === null ? undefined : data(receipt.postState),
  };
}

/** Keccak-256 of the RLP of an empty list: the uncle hash of a block without uncles. */
const EMPTY_UNCLE_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/** The JSON of a block, with transaction hashes or full transactions. */
export function blockJson(
  api: ShardApi,
  block: ChainBlock,
  full: boolean,
): Record<string, unknown> {
  const h = block.header;
  return {
    number: quantity(h.number),
    hash: data(block.hash),
    parentHash: data(h.parentHash),
    nonce: "0x0000000000000000",
    mixHash: data(h.mixDigest),
    sha3Uncles: EMPTY_UNCLE_HASH,
    logsBloom: data(h.bloom),
    transactionsRoot: data(h.txHash),
    stateRoot: data(h.root),
    receiptsRoot: data(h.receiptHash),
    miner: address(h.coinbase),
    difficulty: "0x0",
    totalDifficulty: "0x0",
    extraData: data(h.extra),
    size: quantity(block.size),
    gasLimit: quantity(h.gasLimit),
    gasUsed: quantity(h.gasUsed),
    timestamp: quantity(h.time),
    transactions: block.transactions.map((t, i) =>
      full ? transactionJson(api, block, i) : data(t.hash)
    ),
    uncles: [],
    epoch: quantity(h.epoch),
    shardID: Number(h.shardId),
    viewID: quantity(h.viewId),
  };
}

/** A 32-byte hash parameter as a bigint-free key. */
export function readHash(value: unknown, name: string): Uint8Array {
  return readData(value, name, 32);
}

/** Reads a storage slot parameter (a quantity or 32-byte data) as a number. */
export function readSlot(value: unknown): bigint {
  if (typeof value === "string" && value.length === 66) {
    return bytesToBigint(readData(value, "slot", 32));
  }
  return readQuantity(value, "slot");
}
