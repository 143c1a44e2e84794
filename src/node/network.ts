/**
 * The local network: the shards, the in-process hub they and their validators talk over, and a
 * JSON-RPC server per shard. The beacon chain (shard 0) starts first, because the other shards
 * read its committees.
 *
 * @module
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { genesisChain } from "../../spec/chain/genesis.ts";
import type { ChainConfig, ChainState } from "../../spec/chain/state.ts";
import { bytesEqual, bytesToBigintLE, toHex, uint64LE } from "../../spec/encoding/bytes.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import { ethMethods, prepareSubmissions, withHarmonyNames } from "../rpc/eth.ts";
import { RPC_ERRORS, RpcError, type RpcMethods } from "../rpc/jsonrpc.ts";
import { DEFAULT_LIMITS, rpcApp } from "../rpc/server.ts";
import { openStore } from "../store/store.ts";
import type { NodeOptions } from "./cli.ts";
import {
  allocations,
  genesisCommittee,
  harmonyAccounts,
  localNetwork,
  validatorKeys,
} from "./genesis.ts";
import { createShard, type Log, type Shard } from "./shard.ts";
import { inProcessHub } from "./transport.ts";
import { createRecoverer } from "./recovery.ts";
import { stakingMethods } from "../rpc/staking.ts";

/** A running network. */
export interface Network {
  shards: Shard[];
  /** The RPC URL of each shard. */
  urls: string[];
  /** Stops everything. */
  stop(): Promise<void>;
}

/** A server handle of either runtime. */
interface Server {
  stop(): Promise<void> | void;
}

function serve(
  host: string,
  port: number,
  fetch: (r: Request) => Response | Promise<Response>,
): Server {
  const g = globalThis as unknown as {
    Deno?: { serve(o: object, h: typeof fetch): { shutdown(): Promise<void> } };
    Bun?: { serve(o: object): { stop(): void } };
  };
  if (g.Deno) {
    const s = g.Deno.serve({ hostname: host, port, onListen: () => {} }, fetch);
    return { stop: () => s.shutdown() };
  }
  if (g.Bun) {
    const s = g.Bun.serve({ hostname: host, port, fetch });
    return { stop: () => s.stop() };
  }
  throw new Error("the node runs under Deno or Bun");
}

/** Admin methods for fault drills: stop and restart one of the shard's validators. */
function adminMethods(shard: Shard): RpcMethods {
  const validator = (params: unknown[]) => {
    const i = params[0];
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= shard.validators.length) {
      throw new RpcError(
        RPC_ERRORS.invalidParams,
        `invalid params: a validator index from 0 to ${shard.validators.length - 1}`,
      );
    }
    return shard.validators[i];
  };
  return {
    admin_validators: () =>
      shard.validators.map((v, index) => {
        const state = v.state();
        return {
          index,
          name: v.name,
          running: v.running(),
          head: Number(state.chain.head.number),
          viewId: Number(state.blockViewId),
          mode: state.mode,
          leader: toHex(state.leaderKey) === toHex(shard.validatorKeys[index]),
        };
      }),
    admin_stopValidator: (p) => {
      validator(p).stop();
      return true;
    },
    admin_startValidator: (p) => {
      validator(p).start();
      return true;
    },
  };
}

/** The genesis time of a data directory: kept in the beacon store's metadata. */
function genesisTime(dir: string, fileTime: bigint | null): bigint {
  const store = openStore(join(dir, "shard-0.sqlite"));
  try {
    const kept = store.getMeta("genesis_time");
    if (kept !== null) return bytesToBigintLE(kept);
    const time = fileTime ?? BigInt(Math.floor(Date.now() / 1000));
    store.setMeta("genesis_time", uint64LE(time));
    return time;
  } finally {
    store.close();
  }
}

/**
 * Starts a network as the options say.
 *
 * @throws {Error} with a message for the user (a data directory of another genesis, a busy port)
 */
export async function startNetwork(options: NodeOptions, log: Log): Promise<Network> {
  if (options.reset && existsSync(options.dataDir)) rmSync(options.dataDir, { recursive: true });
  mkdirSync(options.dataDir, { recursive: true });
  const network = localNetwork(options.shards, options.keys);
  const keys = Array.from(
    { length: options.shards },
    (_, s) => validatorKeys(BigInt(s), options.keys),
  );
  const instance = instanceForEpoch(network, 0n);
  const chainConfig: ChainConfig = {
    network,
    accounts: {
      [instance.accounts.harmony]: harmonyAccounts(keys),
      [instance.accounts.foundational]: [],
    },
  };
  const { alloc, timestamp } = allocations(options.genesis);
  const time = genesisTime(options.dataDir, timestamp);
  const committee = genesisCommittee(keys);
  const hub = inProcessHub();
  // Sender recovery on the other cores (at least one worker).
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency ?? 2;
  const recoverer = createRecoverer(Math.max(1, cores - 1));
  const shards: Shard[] = [];
  for (let s = 0; s < options.shards; s++) {
    const genesis = genesisChain(chainConfig, BigInt(s), {
      allocations: alloc,
      committee,
      timestamp: time,
      extra: new Uint8Array(0),
    });
    const store = openStore(join(options.dataDir, `shard-${s}.sqlite`));
    const known = store.getMeta("genesis_hash");
    if (known === null) store.setMeta("genesis_hash", genesis.state.headHash);
    else if (!bytesEqual(known, genesis.state.headHash)) {
      store.close();
      throw new Error(
        `${options.dataDir} holds a chain of another genesis (other --shards, --keys or --genesis); start with --reset to replace it`,
      );
    }
    const beacon = shards[0];
    shards.push(createShard({
      genesis,
      keys: keys[s],
      store,
      hub,
      beacon: s === 0 ? null : (): ChainState => beacon.chain(),
      log,
      recoverer,
    }));
  }
  const stopped = new Map<number, Set<number>>();
  for (const spec of options.stopped) {
    const [s, i] = spec.split(":").map(Number);
    stopped.set(s, (stopped.get(s) ?? new Set()).add(i));
  }
  for (const [s, shard] of shards.entries()) await shard.start(stopped.get(s) ?? new Set());
  const servers: Server[] = [];
  const urls: string[] = [];
  for (const [s, shard] of shards.entries()) {
    const methods = {
      ...withHarmonyNames(ethMethods(shard)),
      ...stakingMethods(shard, shards, options),
      ...adminMethods(shard),
    };
    const port = options.port + s;
    try {
      servers.push(
        serve(options.host, port, rpcApp(methods, DEFAULT_LIMITS, prepareSubmissions(shard)).fetch),
      );
    } catch (e) {
      throw new Error(
        `cannot listen on ${options.host}:${port}: ${e instanceof Error ? e.message : e}`,
      );
    }
    urls.push(`http://${options.host}:${port}`);
  }
  return {
    shards,
    urls,
    async stop() {
      for (const server of servers) await server.stop();
      for (const shard of shards) shard.stop();
      recoverer.close();
    },
  };
}

/** Exits cleanly on Ctrl-C and on termination. */
export function stopOnSignals(network: Network, log: Log): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping: validators halted, stores closed");
    await network.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
