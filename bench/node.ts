/**
 * The live node under load: signed transfers submitted over JSON-RPC to one shard while both
 * shards run, against the ceiling of the spec's `processBlock` alone in one process.
 *
 * - **node**: `deno task node` (the same command, its own process) with a genesis file funding
 *   `SENDERS` accounts on every shard. Once the shard has reached the 1-second block time of the
 *   localnet preset, the benchmark submits pre-signed Ethereum-format transfers to shard 1 with
 *   `eth_sendRawTransaction` in JSON-RPC batches, at `RATE` per second (every 100 ms a batch),
 *   for `SECONDS` seconds, each sender's nonces in order. It polls the shard's head every 50 ms
 *   and reads each new block's transaction hashes: a transaction's finality is the time from the
 *   sending of its batch to the first poll that sees the block holding it (the node indexes the
 *   receipts with the block, so the receipt is available from then on). The committed rate is
 *   the number of transfers in the blocks seen between the end of a 3-second ramp and the end of
 *   the submission, over that time.
 * - **baseline**: the same transfers, `BLOCK` to a block, built by `proposeBlock` beforehand and
 *   then checked and applied by `processBlock` in this process: with sender recovery (what a node
 *   that never saw the transactions must do), and with the senders given (what a node whose pool
 *   recovered them does). The second is the ceiling the node can approach: it does that work and
 *   more (admission, consensus of both shards, storage, the RPC).
 *
 * Targets: at least 1,000 transfers per second committed on one shard (Harmony's per-shard
 * figure) and a median finality within two block times, the preset's 1-second period. The median
 * is also given in the block intervals measured (Go's leader proposes at least a second after
 * commit quorum, so an interval is a round longer than the period), and the ratio of the node's
 * rate to the ceiling, both without a target. The node, the baseline and this client share the
 * machine; the load average is printed with the figures.
 *
 * Environment: `NODE_BENCH_RATE` (offered transfers per second, default 1100),
 * `NODE_BENCH_SECONDS` (default 20), `NODE_BENCH_SENDERS` (default 1000); for quicker runs while
 * profiling, `NODE_BENCH_FROM_BLOCK` (start before the 1-second blocks), `NODE_BENCH_BASELINE=0`
 * (skip the baseline), `NODE_BENCH_NODE_FLAGS` (runtime flags for the node)
 * and `NODE_BENCH_LOG` (a file for the node's full log).
 *
 * @module
 */
import { type ChildProcess, spawn, type StdioOptions } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { beaconLookups } from "../spec/chain/context.ts";
import { genesisChain } from "../spec/chain/genesis.ts";
import { processBlock } from "../spec/chain/process.ts";
import { proposeBlock } from "../spec/chain/propose.ts";
import type { ChainConfig } from "../spec/chain/state.ts";
import { addressFromPrivateKey } from "../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes, toHex } from "../spec/encoding/bytes.ts";
import { recoverSenders } from "../spec/execution/apply.ts";
import {
  decodeEthTransaction,
  decodeTransaction,
  encodeEthTransaction,
  encodeTransaction,
  ethToHarmony,
  signTransaction,
} from "../spec/execution/transaction.ts";
import { ethChainId } from "../spec/params/config.ts";
import { vrfEvaluate } from "../spec/randomness/vrf.ts";
import { firstBlockOfEpoch, instanceForEpoch } from "../spec/sharding/schedule.ts";
import { ONE } from "../spec/staking/validator.ts";
import {
  genesisCommittee,
  harmonyAccounts,
  localNetwork,
  validatorKeys,
} from "../src/node/genesis.ts";
import { report } from "./harness.ts";
import type { Bench } from "./main.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE = env("NODE_BENCH_RATE", 1100);
const SECONDS = env("NODE_BENCH_SECONDS", 20);
const SENDERS = env("NODE_BENCH_SENDERS", 1000);
const TOTAL = RATE * SECONDS;
const BLOCK = 1000;
const SHARD = 1n;
const SLICE_MS = 100;
const RAMP_MS = 3000;
const PORT = 20500 + (process.pid % 200) * 2;
const URL_OF = `http://127.0.0.1:${PORT + Number(SHARD)}`;
const TARGET_RATE = 1000;

const network = localNetwork(2, 4);
const keys = Array.from({ length: SENDERS }, (_, i) => bigintToFixedBytes(BigInt(i) + 0x7000n, 32));
const addresses = keys.map(addressFromPrivateKey);
const recipient = new Uint8Array(20).fill(0x42);

/** Every transfer, nonce-major: all senders' nonce 0, then nonce 1, ... (Ethereum format). */
function signAll(): Uint8Array[] {
  const chainId = ethChainId(network, SHARD);
  const signer = { kind: "eip155" as const, chainId, nodeEthChainId: chainId };
  const out: Uint8Array[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const tx = signTransaction(signer, {
      nonce: BigInt(Math.floor(i / SENDERS)),
      gasPrice: 100_000_000_000n,
      gasLimit: 21_000n,
      shardId: SHARD,
      toShardId: SHARD,
      to: recipient,
      value: 1n + BigInt(i),
      data: new Uint8Array(0),
    }, keys[i % SENDERS]);
    out.push(encodeEthTransaction(tx));
  }
  return out;
}

// ---- baseline -----------------------------------------------------------------------------------

/** The shard's genesis as the node makes it from the same genesis file. */
function genesisOf(shardId: bigint, time: bigint) {
  const validators = [0n, 1n].map((s) => validatorKeys(s, 4));
  const instance = instanceForEpoch(network, 0n);
  const config: ChainConfig = {
    network,
    accounts: {
      [instance.accounts.harmony]: harmonyAccounts(validators),
      [instance.accounts.foundational]: [],
    },
  };
  return {
    genesis: genesisChain(config, shardId, {
      allocations: addresses.map((address) => ({ address, balance: 1_000_000n * ONE })),
      committee: genesisCommittee(validators),
      timestamp: time,
      extra: new Uint8Array(0),
    }),
    leader: validators[Number(shardId)][0],
  };
}

/** Median wall time of an asynchronous call, in milliseconds, after one warm-up call. */
async function medianMs(fn: () => Promise<unknown>, samples = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** `processBlock` on a block of `BLOCK` of the transfers: transfers per second. */
async function baseline(signed: Uint8Array[]): Promise<{ recovering: number; known: number }> {
  const time = 1_700_000_000n;
  const beacon = genesisOf(0n, time).genesis.state;
  const { genesis, leader } = genesisOf(SHARD, time);
  const lookups = beaconLookups(beacon);
  const native = signed.slice(0, BLOCK).map((b) =>
    encodeTransaction(ethToHarmony(network, decodeEthTransaction(b)))
  );
  const { block } = await proposeBlock(genesis.state, lookups, {
    transactions: native,
    stakingTransactions: [],
    incomingReceipts: [],
    crossLinks: [],
    slashes: [],
    viewId: 1n,
    timestamp: time + 2n,
    leaderKey: leader.publicKey,
    vrfSigner: (input) => vrfEvaluate(leader.secretKey, input),
    lastCommitSig: new Uint8Array(0),
  });
  if (block.body.transactions.length !== BLOCK) throw new Error("the baseline block is short");
  const h = block.header;
  const txs = block.body.transactions.map(decodeTransaction);
  const senders = recoverSenders(network, h.shardId, h.epoch, txs);
  const out = { recovering: 0, known: 0 };
  for (const known of [false, true]) {
    const ms = await medianMs(() =>
      processBlock(genesis.state, block, lookups, undefined, known ? { senders } : {})
    );
    const name = `processBlock, ${BLOCK} transfers, senders ${known ? "known" : "recovered"}`;
    report({ name, msPerOp: ms, opsPerSec: 1000 / ms, samples: 5 });
    out[known ? "known" : "recovering"] = (BLOCK * 1000) / ms;
  }
  return out;
}

// ---- the node -----------------------------------------------------------------------------------

function startNode(dataDir: string, genesisFile: string): ChildProcess {
  const main = new URL("../src/node/main.ts", import.meta.url).pathname;
  const args = ["--reset", "--data-dir", dataDir, "--port", String(PORT), "--quiet"];
  args.push("--genesis", genesisFile);
  const extra = (process.env.NODE_BENCH_NODE_FLAGS ?? "").split(" ").filter((a) => a !== "");
  const logFile = process.env.NODE_BENCH_LOG;
  if (logFile !== undefined) args.splice(args.indexOf("--quiet"), 1);
  const stdout = logFile === undefined ? "ignore" : openSync(logFile, "w");
  const stdio: StdioOptions = ["ignore", stdout, "pipe"];
  const child = process.versions.bun
    ? spawn(process.execPath, [...extra, main, ...args], { stdio })
    : spawn(process.execPath, ["run", "-A", ...extra, main, ...args], { stdio });
  child.stderr!.on("data", (d) => process.stderr.write(`node: ${d}`));
  return child;
}

async function rpc(body: unknown): Promise<any> {
  const response = await fetch(URL_OF, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await response.json();
}

async function call(method: string, params: unknown[] = []): Promise<any> {
  const answer = await rpc({ jsonrpc: "2.0", id: 1, method, params });
  if (answer.error) throw new Error(answer.error.message);
  return answer.result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CPU seconds a process has used (Linux), or null. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A block as the poller saw it. */
interface Seen {
  number: number;
  at: number;
  hashes: string[];
}

/** Polls the shard's head every 50 ms, reading each new block's transaction hashes. */
function poller() {
  const seen: Seen[] = [];
  let next = -1;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const head = Number(await call("eth_blockNumber"));
        if (next < 0) next = head + 1;
        for (; next <= head; next++) {
          const b = await call("eth_getBlockByNumber", [`0x${next.toString(16)}`, false]);
          seen.push({ number: next, at: performance.now(), hashes: b.transactions });
        }
      } catch {
        // the node is busy or not up yet
      }
      await sleep(50);
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Submits the transfers at `RATE`, a batch every `SLICE_MS`; returns each hash's sending time. */
async function submit(signed: Uint8Array[]) {
  const sentAt = new Map<string, number>();
  const refused = new Map<string, number>();
  const perSlice = Math.round((RATE * SLICE_MS) / 1000);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0, slice = 0; i < signed.length; i += perSlice, slice++) {
    const due = start + slice * SLICE_MS;
    if (due > performance.now()) await sleep(due - performance.now());
    const batch = signed.slice(i, i + perSlice).map((raw, k) => ({
      jsonrpc: "2.0",
      id: i + k,
      method: "eth_sendRawTransaction",
      params: [`0x${toHex(raw)}`],
    }));
    const at = performance.now();
    inFlight.push(
      rpc(batch).then((answers: any[]) => {
        for (const a of answers) {
          if (a.result) sentAt.set(a.result, at);
          else refused.set(a.error.message, (refused.get(a.error.message) ?? 0) + 1);
        }
      }),
    );
  }
  await Promise.all(inFlight);
  return { sentAt, refused, start, end: performance.now() };
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function runNode(signed: Uint8Array[]) {
  const dir = mkdtempSync(join(tmpdir(), "harmony-spec-bench-"));
  const genesisFile = join(dir, "genesis.json");
  const alloc: Record<string, string> = {};
  for (const a of addresses) alloc[`0x${toHex(a)}`] = (1_000_000n * ONE).toString();
  writeFileSync(genesisFile, JSON.stringify({ alloc }));
  const node = startNode(join(dir, "data"), genesisFile);
  const exited = new Promise((resolve) => node.on("exit", resolve));
  try {
    const oneSecond = Number(firstBlockOfEpoch(network, network.features.OneSecond!));
    const from = env("NODE_BENCH_FROM_BLOCK", oneSecond);
    console.log(
      `  waiting for shard ${SHARD} to reach block ${from} (from ${oneSecond}: 1-second blocks)`,
    );
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error("the node did not reach 1-second blocks");
      try {
        if (Number(await call("eth_blockNumber")) >= from) break;
      } catch {
        // not up yet
      }
      await sleep(500);
    }
    const poll = poller();
    await sleep(1000);
    const cpu0 = cpuSeconds(node.pid);
    const sent = await submit(signed);
    const cpu1 = cpuSeconds(node.pid);
    const submitted = sent.sentAt.size;
    const committedAt = new Map<string, number>();
    const drain = performance.now() + 60_000;
    while (performance.now() < drain) {
      for (const b of poll.seen) for (const h of b.hashes) committedAt.set(h, b.at);
      if ([...sent.sentAt.keys()].every((h) => committedAt.has(h))) break;
      await sleep(200);
    }
    await poll.stop();
    for (const b of poll.seen) for (const h of b.hashes) committedAt.set(h, b.at);
    return {
      sent,
      submitted,
      committedAt,
      seen: poll.seen,
      cpu: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    };
  } finally {
    node.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  name: "node",
  async run() {
    console.log(
      `  ${SENDERS} senders, ${TOTAL} transfers offered at ${RATE}/s for ${SECONDS} s to shard ${SHARD}`,
    );
    const signStart = performance.now();
    const signed = signAll();
    console.log(`  signed in ${((performance.now() - signStart) / 1000).toFixed(1)} s`);
    const ceiling = process.env.NODE_BENCH_BASELINE === "0"
      ? { known: NaN, recovering: NaN }
      : await baseline(signed);
    const r = await runNode(signed);
    const { sent, seen } = r;
    const from = sent.start + RAMP_MS;
    const window = seen.filter((b) => b.at >= from && b.at <= sent.end);
    let rate = 0;
    if (window.length >= 2) {
      const txs = window.slice(1).reduce((n, b) => n + b.hashes.length, 0);
      rate = (txs * 1000) / (window[window.length - 1].at - window[0].at);
    }
    const finality: number[] = [];
    for (const [h, at] of sent.sentAt) {
      const c = r.committedAt.get(h);
      if (c !== undefined) finality.push(c - at);
    }
    finality.sort((a, b) => a - b);
    const blockMs = window.length >= 2
      ? (window[window.length - 1].at - window[0].at) / (window.length - 1)
      : NaN;
    const sizes = window.map((b) => b.hashes.length);
    const refused = [...sent.refused].map(([m, n]) => `${n}× ${m}`).join("; ");
    console.log(`  accepted ${r.submitted} of ${TOTAL}${refused ? `; refused: ${refused}` : ""}`);
    console.log(
      `  committed ${finality.length} of ${r.submitted}; blocks in the window: ${window.length}, ` +
        `every ${blockMs.toFixed(0)} ms, ${Math.min(...sizes)}–${Math.max(...sizes)} transfers`,
    );
    const median = quantile(finality, 0.5);
    const p90 = quantile(finality, 0.9);
    console.log(`  node: committed ${rate.toFixed(0)} transfers/s (target ≥ ${TARGET_RATE})`);
    console.log(
      `  node: finality median ${median.toFixed(0)} ms, p90 ${
        p90.toFixed(0)
      } ms (target: median ≤ 2 blocks = 2000 ms)`,
    );
    // Go's leader waits at least a second after commit quorum before it proposes again, so a
    // block comes a round after the 1-second period at the soonest: the same median counted in
    // the blocks as they came.
    const inBlocks = (median / blockMs).toFixed(2);
    console.log(`  node: finality median in measured block intervals (information) ${inBlocks}`);
    if (r.cpu !== null) {
      const wall = (sent.end - sent.start) / 1000;
      console.log(`  node process CPU during submission: ${(r.cpu / wall).toFixed(2)} cores`);
    }
    console.log(
      `  load average ${
        loadavg().map((l) => l.toFixed(2)).join(" ")
      } on ${navigator.hardwareConcurrency} cores`,
    );
    for (const [label, base] of [["known", ceiling.known], ["recovering", ceiling.recovering]]) {
      const name = `node rate / processBlock, senders ${label} (information)`;
      console.log(`  ${name.padEnd(56)} ${(rate / Number(base)).toFixed(2).padStart(10)}×`);
    }
    const rateMet = rate >= TARGET_RATE;
    const finalityMet = finality.length > 0 && median <= 2000;
    console.log(
      `  rate target ${rateMet ? "met" : "NOT met"}; finality target ${
        finalityMet ? "met" : "NOT met"
      }`,
    );
    return rateMet && finalityMet;
  },
};
