/**
 * The `eth_`, `net_` and `web3_` methods wallets and tools call, and their `hmy_` twins, over a
 * {@link ShardApi}. Formats follow Ethereum's JSON-RPC; Harmony's `hmy_` methods answer the same
 * way and its `hmyv2_` methods with plain numbers instead of hex quantities.
 *
 * @module
 */
import { isSpecError } from "../../spec/errors.ts";
import { ethChainId } from "../../spec/params/config.ts";
import {
  addressKey,
  balanceOf,
  codeOf,
  nonceOf,
  slotKey,
  storageOf,
  storageWord,
} from "../../spec/execution/state.ts";
import type { CallRequest, ShardApi } from "./api.ts";
import {
  blockJson,
  blockLogs,
  data,
  logJson,
  quantity,
  readAddress,
  readBlockNumber,
  readCall,
  readData,
  readHash,
  readSlot,
  receiptJson,
  requireLatest,
  transactionJson,
} from "./format.ts";
import { RPC_ERRORS, RpcError, type RpcMethods, type RpcPrepare } from "./jsonrpc.ts";

/** What `web3_clientVersion` answers. */
export const CLIENT_VERSION = "harmony-spec/0.1.0";

/** The most blocks one `eth_getLogs` may scan. */
const MAX_LOG_RANGE = 10_000n;

/** Gas allowed to a call that names none: the block gas limit. */
function callGas(api: ShardApi, request: CallRequest): bigint {
  return request.gas ?? api.head().header.gasLimit;
}

async function estimateGas(api: ShardApi, request: CallRequest): Promise<bigint> {
  // Binary search for the least gas with which the call succeeds, as go-ethereum does.
  let high = callGas(api, request);
  const first = await api.call({ ...request, gas: high });
  if (first.failed) {
    throw new RpcError(RPC_ERRORS.rejected, "execution reverted", data(first.returnData));
  }
  let low = first.gasUsed - 1n;
  while (low + 1n < high) {
    const mid = (low + high) / 2n;
    if ((await api.call({ ...request, gas: mid })).failed) low = mid;
    else high = mid;
  }
  return high;
}

function logsFilter(api: ShardApi, filter: unknown) {
  if (typeof filter !== "object" || filter === null) {
    throw new RpcError(RPC_ERRORS.invalidParams, "invalid params: the filter must be an object");
  }
  const f = filter as Record<string, unknown>;
  if (f.blockHash !== undefined) {
    const block = api.blockByHash(readHash(f.blockHash, "blockHash"));
    if (block === null) throw new RpcError(RPC_ERRORS.rejected, "unknown block");
    return { from: block.header.number, to: block.header.number, f };
  }
  const from = readBlockNumber(f.fromBlock ?? "latest", api);
  const to = readBlockNumber(f.toBlock ?? "latest", api);
  if (to - from > MAX_LOG_RANGE) {
    throw new RpcError(RPC_ERRORS.limitExceeded, `block range exceeds ${MAX_LOG_RANGE}`);
  }
  return { from, to, f };
}

function getLogs(api: ShardApi, filter: unknown) {
  const { from, to, f } = logsFilter(api, filter);
  const addresses = f.address === undefined || f.address === null
    ? []
    : (Array.isArray(f.address) ? f.address : [f.address]).map((a) => readAddress(a, "address"));
  const topics = Array.isArray(f.topics)
    ? f.topics.map((t) =>
      t === null ? null : (Array.isArray(t) ? t : [t]).map((x) => readData(x, "topic", 32))
    )
    : [];
  return api.logs(from, to, addresses, topics).map(logJson);
}

async function submit(api: ShardApi, raw: unknown, staking: boolean): Promise<string> {
  const bytes = readData(raw, "transaction");
  try {
    return data(
      staking ? api.submitStakingTransaction(bytes) : await api.submitTransaction(bytes),
    );
  } catch (e) {
    if (isSpecError(e)) throw new RpcError(RPC_ERRORS.rejected, e.message, { code: e.code });
    throw e;
  }
}

/** The methods that submit a plain transaction, by every name. */
const SUBMIT_METHODS = new Set([
  "eth_sendRawTransaction",
  "hmy_sendRawTransaction",
  "hmyv2_sendRawTransaction",
]);

/**
 * The batch hook of a shard's RPC: hands the shard the transactions a batch submits before the
 * batch runs, so that their senders are recovered ahead (see {@link ShardApi.prepareTransactions}).
 */
export function prepareSubmissions(api: ShardApi): RpcPrepare {
  return (requests) => {
    if (api.prepareTransactions === undefined) return;
    const raws: Uint8Array[] = [];
    for (const r of requests) {
      const { method, params } = (r ?? {}) as { method?: unknown; params?: unknown };
      if (typeof method !== "string" || !SUBMIT_METHODS.has(method)) continue;
      if (!Array.isArray(params)) continue;
      try {
        raws.push(readData(params[0], "transaction"));
      } catch {
        // refused with a reason when the request runs
      }
    }
    if (raws.length > 0) api.prepareTransactions(raws);
  };
}

/** The Ethereum-compatible methods of one shard. */
export function ethMethods(api: ShardApi): RpcMethods {
  const block = (n: bigint) => api.blockByNumber(n);
  const located = (hash: unknown) => api.transactionByHash(readHash(hash, "transaction hash"));
  return {
    web3_clientVersion: () => CLIENT_VERSION,
    net_version: () => String(ethChainId(api.config, api.shardId)),
    net_listening: () => true,
    net_peerCount: () => "0x0",
    eth_chainId: () => quantity(ethChainId(api.config, api.shardId)),
    eth_syncing: () => false,
    eth_accounts: () => [],
    eth_blockNumber: () => quantity(api.head().header.number),
    eth_gasPrice: () => quantity(api.gasPrice()),
    eth_getBalance: ([a, tag]) => {
      requireLatest(tag, api);
      return quantity(balanceOf(api.latestState(), addressKey(readAddress(a, "address"))));
    },
    eth_getTransactionCount: ([a, tag]) => {
      const who = readAddress(a, "address");
      if (tag === "pending") return quantity(api.pendingNonce(who));
      requireLatest(tag, api);
      return quantity(nonceOf(api.latestState(), addressKey(who)));
    },
    eth_getCode: ([a, tag]) => {
      requireLatest(tag, api);
      return data(codeOf(api.latestState(), addressKey(readAddress(a, "address"))));
    },
    eth_getStorageAt: ([a, slot, tag]) => {
      requireLatest(tag, api);
      const key = addressKey(readAddress(a, "address"));
      return data(storageWord(storageOf(api.latestState(), key, slotKey(readSlot(slot)))));
    },
    eth_call: async ([call, tag]) => {
      requireLatest(tag, api);
      const request = readCall(call);
      const result = await api.call({ ...request, gas: callGas(api, request) });
      if (result.failed) {
        throw new RpcError(RPC_ERRORS.rejected, "execution reverted", data(result.returnData));
      }
      return data(result.returnData);
    },
    eth_estimateGas: async ([call]) => quantity(await estimateGas(api, readCall(call))),
    eth_sendRawTransaction: ([raw]) => submit(api, raw, false),
    eth_getBlockByNumber: ([tag, full]) => {
      const b = block(readBlockNumber(tag, api));
      return b === null ? null : blockJson(api, b, full === true);
    },
    eth_getBlockByHash: ([hash, full]) => {
      const b = api.blockByHash(readHash(hash, "block hash"));
      return b === null ? null : blockJson(api, b, full === true);
    },
    eth_getBlockTransactionCountByNumber: ([tag]) => {
      const b = block(readBlockNumber(tag, api));
      return b === null ? null : quantity(b.transactions.length);
    },
    eth_getTransactionByHash: ([hash]) => {
      const at = located(hash);
      return at === null ? null : transactionJson(api, at.block, at.index);
    },
    eth_getTransactionReceipt: ([hash]) => {
      const at = located(hash);
      return at === null ? null : receiptJson(at.block, at.index);
    },
    eth_getLogs: ([filter]) => getLogs(api, filter),
    hmy_sendRawStakingTransaction: ([raw]) => submit(api, raw, true),
  };
}

/** Harmony's `hmy_` names for the Ethereum methods (same answers). */
const HMY_ALIASES: Record<string, string> = {
  hmy_blockNumber: "eth_blockNumber",
  hmy_gasPrice: "eth_gasPrice",
  hmy_getBalance: "eth_getBalance",
  hmy_getTransactionCount: "eth_getTransactionCount",
  hmy_getCode: "eth_getCode",
  hmy_getStorageAt: "eth_getStorageAt",
  hmy_call: "eth_call",
  hmy_estimateGas: "eth_estimateGas",
  hmy_sendRawTransaction: "eth_sendRawTransaction",
  hmy_getBlockByNumber: "eth_getBlockByNumber",
  hmy_getBlockByHash: "eth_getBlockByHash",
  hmy_getTransactionByHash: "eth_getTransactionByHash",
  hmy_getTransactionReceipt: "eth_getTransactionReceipt",
  hmy_getLogs: "eth_getLogs",
  hmy_chainId: "eth_chainId",
};

/** Harmony's `hmyv2_` methods: the same answers with quantities as plain numbers. */
const HMYV2_NUMERIC: Record<string, string> = {
  hmyv2_blockNumber: "eth_blockNumber",
  hmyv2_gasPrice: "eth_gasPrice",
  hmyv2_getBalance: "eth_getBalance",
  hmyv2_getTransactionCount: "eth_getTransactionCount",
};

/**
 * An integer as a JSON number with every digit kept (Go writes a big.Int this way), where a plain
 * JavaScript number would round above 2^53.
 */
function exactNumber(value: bigint): unknown {
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(value.toString());
}

/** Adds the `hmy_` and `hmyv2_` names to a method table. */
export function withHarmonyNames(methods: RpcMethods): RpcMethods {
  const out: RpcMethods = { ...methods };
  for (const [name, target] of Object.entries(HMY_ALIASES)) out[name] = methods[target];
  for (const [name, target] of Object.entries(HMYV2_NUMERIC)) {
    out[name] = async (params) => exactNumber(BigInt((await methods[target](params)) as string));
  }
  out.hmyv2_sendRawTransaction = methods.eth_sendRawTransaction;
  out.hmyv2_sendRawStakingTransaction = methods.hmy_sendRawStakingTransaction;
  return out;
}

/** Every log of the blocks in a range that matches a filter (for {@link ShardApi.logs}). */
export function matchLogs(
  blocks: Iterable<import("./api.ts").ChainBlock>,
  addresses: Uint8Array[],
  topics: (Uint8Array[] | null)[],
) {
  const hex = (b: Uint8Array) => data(b);
  const wanted = new Set(addresses.map(hex));
  return [...blocks].flatMap(blockLogs).filter(({ log }) =>
    (wanted.size === 0 || wanted.has(hex(log.address))) &&
    topics.every((alternatives, i) =>
      alternatives === null ||
      (i < log.topics.length && alternatives.some((t) => hex(t) === hex(log.topics[i])))
    )
  );
}
