/**
 * A deterministic simulation of a shard's consensus: validator nodes running the spec's `step`
 * over a seeded virtual network and a virtual clock.
 *
 * Everything that happens is an entry of one event queue ordered by (virtual time, sequence
 * number): message deliveries, timer expiries, proposals being ready, crashes and restarts,
 * state-sync completions. A seeded generator decides delays, drops, duplicates and Byzantine
 * choices, so a seed replays a run exactly.
 *
 * The world is a plain mutable record (a simulator is a program, not a rule); every protocol
 * decision is the spec's.
 *
 * **Re-sending.** Nodes send leader messages and VIEWCHANGE the way Harmony's consensus message
 * sender does (Go `MessageSender`, consensus_msg_sender.go), since the spec's `send` effect is one
 * broadcast: ANNOUNCE, PREPARED, COMMITTED, VIEWCHANGE and NEWVIEW are sent again every 7 s, three
 * times (the 27 s phase over 7 s), while their retry is live. A new message of the same type
 * replaces the retry (so of a multi-key node's VIEWCHANGEs only the last key's is re-sent, as in
 * Go); PREPARED ends the retries of ANNOUNCE and COMMITTED; COMMITTED ends that of PREPARED (Go
 * ends it at the commit quorum, which is when the spec's leader sends COMMITTED); entering a new
 * view ends that of VIEWCHANGE; handing a new block to a leader (Go `Reset`) ends all but
 * COMMITTED and makes retries of lower block numbers lapse. Votes are never re-sent. Not
 * modelled: after the grace period a leader that keeps the lead queues the full COMMITTED for
 * re-sending in place of the quorum one (the spec sends no message there), so the quorum one is
 * re-sent.
 *
 * @module
 */
import { initialState, step } from "../../spec/consensus/fbft.ts";
import {
  type ChainAdapter,
  type ChainView,
  type FbftConfig,
  type FbftEffect,
  type FbftEvent,
  type FbftState,
  type Outcome,
  TIMEOUTS,
  type TimerKind,
} from "../../spec/consensus/state.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { decodeHarmonyMessage, MSG } from "../../spec/consensus/messages.ts";
import { simChainAdapter, type SimChainSpec, simGenesisView, simProposal } from "./chain.ts";

/** A seeded pseudo-random generator (SplitMix32-style; deterministic across runtimes). */
export interface Rng {
  /** The generator's state. */
  state: number;
}

/** A number in `[0, 1)`. */
export function rngNext(rng: Rng): number {
  rng.state = (rng.state + 0x9e3779b9) | 0;
  let z = rng.state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return (z >>> 0) / 4294967296;
}

/** An integer in `[lo, hi]`. */
export function rngInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rngNext(rng) * (hi - lo + 1));
}

/** What a Byzantine node does. */
export type Byzantine =
  | "equivocating-leader"
  | "double-signer"
  | "silent-leader"
  | "invalid-signatures"
  | "wrong-view";

/** One simulated node. */
export interface SimNode {
  /** Index in the world. */
  id: number;
  /** The node's consensus state. */
  state: FbftState;
  /** Whether it is running (not crashed). */
  alive: boolean;
  /** Its Byzantine behaviour, if any. */
  byzantine: Byzantine | null;
  /** Active timers: kind → token of the scheduled expiry. */
  timers: Map<TimerKind, number>;
  /** Live re-sends: message type → token of its scheduled re-send. */
  resends: Map<number, number>;
  /** Re-sends of messages for lower block numbers lapse (Go `MessageSender.blockNum`). */
  resendFloor: bigint;
  /** Hashes (hex) of the blocks it committed, by height. */
  committed: Map<bigint, string>;
  /** The last `propose` effect not yet turned into a block. */
  pendingProposal?: Extract<FbftEffect, { kind: "propose" }>;
}

/**
 * How often a node behind the best honest chain catches up by state sync (Harmony's downloader
 * runs beside consensus), virtual ms.
 */
export const SYNC_INTERVAL_MS = 20_000n;

/** A queued happening. */
interface Entry {
  at: bigint;
  seq: number;
  node: number;
  event: FbftEvent | { kind: "crash" } | { kind: "restart" } | { kind: "syncRound" } | Resend;
  token?: number;
}

/** A queued re-send of a message the node sent. */
interface Resend {
  kind: "resend";
  /** The message type. */
  type: number;
  /** The frame, as first sent. */
  frame: Uint8Array;
  /** The node's block number when it first sent it. */
  blockNum: bigint;
  /** Re-sends left, this one included. */
  left: number;
}

/** How often a message is re-sent (Go `RetryIntervalInSec`). */
const RESEND_INTERVAL_MS = 7_000n;
/** How many times (Go: the phase duration over the interval). */
const RESENDS = Number(TIMEOUTS.phaseMs / RESEND_INTERVAL_MS);
/** The message types sent with re-sending (Go `SendWithRetry`). */
const RESENT_TYPES: readonly number[] = [
  MSG.ANNOUNCE,
  MSG.PREPARED,
  MSG.COMMITTED,
  MSG.VIEWCHANGE,
  MSG.NEWVIEW,
];

/** Network conditions. */
export interface NetworkFaults {
  /** Smallest and largest delivery delay, ms. */
  minDelayMs: number;
  /** Largest delivery delay, ms. */
  maxDelayMs: number;
  /** Probability a delivery is dropped. */
  dropRate: number;
  /** Probability a delivery is duplicated. */
  duplicateRate: number;
  /** Partition: nodes in different groups cannot talk while `partitionUntilMs` has not passed. */
  partition: number[] | null;
  /** When the partition heals (virtual ms). */
  partitionUntilMs: bigint;
  /** No drops, duplicates or partitions after this time (virtual ms). */
  faultsUntilMs: bigint;
}

/** The world. */
export interface World {
  /** The simulated chain. */
  spec: SimChainSpec;
  /** The nodes. */
  nodes: SimNode[];
  /** Virtual time, unix ms. */
  now: bigint;
  /** The generator. */
  rng: Rng;
  /** Network conditions. */
  net: NetworkFaults;
  /** The event queue (a binary heap). */
  queue: Entry[];
  /** Next sequence number. */
  seq: number;
  /** Observers called after each node step. */
  observers: ((w: World, node: SimNode, effects: FbftEffect[], outcome: Outcome) => void)[];
  /** Observers called for every message sent (before delivery). */
  sendObservers: ((w: World, from: SimNode, frame: Uint8Array, type: number) => void)[];
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function push(w: World, e: Omit<Entry, "seq">): void {
  const q = w.queue;
  q.push({ ...e, seq: w.seq++ });
  let i = q.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(q[i], q[p])) break;
    [q[i], q[p]] = [q[p], q[i]];
    i = p;
  }
}

function pop(w: World): Entry | undefined {
  const q = w.queue;
  if (q.length === 0) return undefined;
  const top = q[0];
  const last = q.pop()!;
  if (q.length > 0) {
    q[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < q.length && less(q[l], q[m])) m = l;
      if (r < q.length && less(q[r], q[m])) m = r;
      if (m === i) break;
      [q[i], q[m]] = [q[m], q[i]];
      i = m;
    }
  }
  return top;
}

/** Options of a world. */
export interface WorldOptions {
  /** The chain (committee, network). */
  spec: SimChainSpec;
  /** The seed. */
  seed: number;
  /** Network conditions. */
  net: NetworkFaults;
  /** Byzantine behaviour per validator index (validators map to nodes one to one). */
  byzantine: (Byzantine | null)[];
  /** Whether nodes aggregate their keys' votes. */
  aggregateSig: boolean;
  /** Whether leaders report double signs. */
  detectDoubleSign: boolean;
  /** Virtual start time (unix ms). */
  startMs: bigint;
}

/** The configuration of one node. */
function nodeConfig(opts: WorldOptions, i: number, chain: ChainAdapter): FbftConfig {
  return {
    network: opts.spec.network,
    shardId: opts.spec.shardId,
    keys: opts.spec.validators[i].keys,
    aggregateSig: opts.aggregateSig,
    chain,
    detectDoubleSign: opts.detectDoubleSign,
  };
}

/**
 * Creates a world with every node at genesis and `start` queued for each.
 *
 * @param opts the options
 * @returns the world
 */
export function createWorld(opts: WorldOptions): World {
  const view: ChainView = simGenesisView(opts.spec);
  const adapter = simChainAdapter(opts.spec);
  const nodes: SimNode[] = opts.spec.validators.map((_, i) => ({
    id: i,
    state: initialState(nodeConfig(opts, i, adapter), view),
    alive: true,
    byzantine: opts.byzantine[i] ?? null,
    timers: new Map(),
    resends: new Map(),
    resendFloor: 0n,
    committed: new Map(),
  }));
  const w: World = {
    spec: opts.spec,
    nodes,
    now: opts.startMs,
    rng: { state: opts.seed | 0 },
    net: opts.net,
    queue: [],
    seq: 0,
    observers: [],
    sendObservers: [],
  };
  for (const n of nodes) push(w, { at: w.now, node: n.id, event: { kind: "start", now: w.now } });
  push(w, { at: w.now + SYNC_INTERVAL_MS, node: 0, event: { kind: "syncRound" } });
  return w;
}

/** The message type of a frame (0 when it does not decode). */
function frameType(frame: Uint8Array): number {
  try {
    return decodeHarmonyMessage(frame.subarray(6)).type;
  } catch {
    return 0;
  }
}

/** Whether two nodes can talk now. */
function connected(w: World, a: number, b: number): boolean {
  const p = w.net.partition;
  if (p === null || w.now >= w.net.partitionUntilMs) return true;
  return p[a] === p[b];
}

/**
 * Broadcasts a frame from a node to every other node, through the network's faults.
 *
 * @param w the world
 * @param from the sender
 * @param frame the bytes
 * @param to the receivers (default: everyone else)
 */
export function broadcast(w: World, from: SimNode, frame: Uint8Array, to?: number[]): void {
  const type = frame.length > 8 ? frameType(frame) : -1;
  for (const o of w.sendObservers) o(w, from, frame, type);
  const faulty = w.now < w.net.faultsUntilMs;
  for (const n of w.nodes) {
    if (n.id === from.id || (to !== undefined && !to.includes(n.id))) continue;
    if (!connected(w, from.id, n.id)) continue;
    if (faulty && rngNext(w.rng) < w.net.dropRate) continue;
    const copies = faulty && rngNext(w.rng) < w.net.duplicateRate ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const at = w.now + BigInt(rngInt(w.rng, w.net.minDelayMs, w.net.maxDelayMs));
      push(w, { at, node: n.id, event: { kind: "message", frame, now: at } });
    }
  }
}

/** Schedules a proposal for a leader node, built from its chain view when it fires. */
function scheduleProposal(
  w: World,
  node: SimNode,
  effect: Extract<FbftEffect, { kind: "propose" }>,
) {
  const due = node.state.nextBlockDueMs;
  let at = w.now + effect.delayMs;
  if (due > at) at = due;
  push(w, {
    at,
    node: node.id,
    event: { kind: "proposal", block: new Uint8Array(0), now: at },
    token: -1,
  });
  node.pendingProposal = effect;
}

/** Queues the next re-send of a message. */
function queueResend(w: World, node: SimNode, resend: Resend, token: number): void {
  push(w, { at: w.now + RESEND_INTERVAL_MS, node: node.id, event: resend, token });
}

/** Starts the re-sending of a message just sent, and ends the retries it makes moot. */
function noteSent(w: World, node: SimNode, frame: Uint8Array, type: number): void {
  if (type === MSG.PREPARED) {
    node.resends.delete(MSG.ANNOUNCE);
    node.resends.delete(MSG.COMMITTED);
  }
  if (type === MSG.COMMITTED) node.resends.delete(MSG.PREPARED);
  if (!RESENT_TYPES.includes(type)) return;
  const token = w.seq;
  node.resends.set(type, token);
  queueResend(w, node, {
    kind: "resend",
    type,
    frame,
    blockNum: node.state.blockNum,
    left: RESENDS,
  }, token);
}

/** A leader is handed a new block (Go `MessageSender.Reset`). */
function resetResends(node: SimNode, blockNum: bigint): void {
  node.resendFloor = blockNum;
  for (const type of [...node.resends.keys()]) {
    if (type !== MSG.COMMITTED) node.resends.delete(type);
  }
}

/** Re-sends a message if its retry is still live. */
function resend(w: World, node: SimNode, r: Resend, token: number, hooks: EffectHooks): void {
  if (node.resends.get(r.type) !== token) return;
  if (r.type !== MSG.COMMITTED && r.blockNum < node.resendFloor) return;
  hooks.send(w, node, r.frame, r.type);
  if (r.left > 1) queueResend(w, node, { ...r, left: r.left - 1 }, token);
  else node.resends.delete(r.type);
}

/** Carries out a node's effects. */
function applyEffects(w: World, node: SimNode, effects: FbftEffect[], hooks: EffectHooks): void {
  for (const e of effects) {
    switch (e.kind) {
      case "send":
        hooks.send(w, node, e.frame, e.type);
        noteSent(w, node, e.frame, e.type);
        break;
      case "newView":
        node.resends.delete(MSG.VIEWCHANGE);
        break;
      case "committed":
        node.committed.set(e.block.header.number, toHex(e.block.header.hash));
        break;
      case "startTimer": {
        const token = w.seq;
        node.timers.set(e.timer, token);
        push(w, {
          at: w.now + e.durationMs,
          node: node.id,
          event: { kind: "timeout", timer: e.timer, now: 0n },
          token,
        });
        break;
      }
      case "stopTimer":
        node.timers.delete(e.timer);
        break;
      case "propose":
        scheduleProposal(w, node, e);
        break;
      case "sync":
        scheduleSync(w, node);
        break;
      default:
        break;
    }
  }
}

/** The best chain view among running honest nodes, if ahead of `node`. */
function scheduleSync(w: World, node: SimNode): void {
  let best: ChainView | null = null;
  for (const n of w.nodes) {
    if (!n.alive || n.byzantine !== null || n.id === node.id || !connected(w, n.id, node.id)) {
      continue;
    }
    if (best === null || n.state.chain.head.number > best.head.number) best = n.state.chain;
  }
  if (best === null || best.head.number < node.state.blockNum) return;
  const at = w.now + 1000n;
  push(w, { at, node: node.id, event: { kind: "synced", chain: best, now: at } });
}

/** How effects reach the network; Byzantine behaviours replace `send`. */
export interface EffectHooks {
  /** Sends a frame produced by a node. */
  send: (w: World, node: SimNode, frame: Uint8Array, type: number) => void;
  /** Builds the block for a proposal (default: a valid block on the node's chain). */
  propose: (
    w: World,
    node: SimNode,
    effect: Extract<FbftEffect, { kind: "propose" }>,
  ) => Uint8Array[];
}

/** Honest behaviour. */
export const HONEST: EffectHooks = {
  send: (w, node, frame) => broadcast(w, node, frame),
  propose: (w, node, effect) => [
    simProposal(
      w.spec,
      node.state.chain,
      node.state.leaderKey,
      effect.viewId,
      effect.lastCommitSig,
      w.now / 1000n,
    ),
  ],
};

/** Runs one node step and its effects. */
export function runStep(w: World, node: SimNode, event: FbftEvent, hooks: EffectHooks): void {
  const result = step(node.state, event);
  node.state = result.state;
  applyEffects(w, node, result.effects, hooks);
  for (const o of w.observers) o(w, node, result.effects, result.outcome);
}

/** Processes one queued entry; returns false when the queue is empty. */
export function tick(w: World, hooksOf: (n: SimNode) => EffectHooks): boolean {
  const e = pop(w);
  if (e === undefined) return false;
  w.now = e.at > w.now ? e.at : w.now;
  const node = w.nodes[e.node];
  if (e.event.kind === "syncRound") {
    for (const n of w.nodes) if (n.alive && n.byzantine === null) scheduleSync(w, n);
    push(w, { at: w.now + SYNC_INTERVAL_MS, node: 0, event: { kind: "syncRound" } });
    return true;
  }
  if (e.event.kind === "crash") {
    node.alive = false;
    node.timers.clear();
    return true;
  }
  if (e.event.kind === "restart") {
    restart(w, node, hooksOf(node));
    return true;
  }
  if (!node.alive) return true;
  const event = e.event;
  if (event.kind === "resend") {
    resend(w, node, event, e.token!, hooksOf(node));
    return true;
  }
  if (event.kind === "timeout") {
    if (node.timers.get(event.timer) !== e.token) return true; // stopped or restarted since
    node.timers.delete(event.timer);
    runStep(w, node, { ...event, now: w.now }, hooksOf(node));
    return true;
  }
  if (event.kind === "proposal") {
    const effect = node.pendingProposal;
    node.pendingProposal = undefined;
    if (effect === undefined || node.state.chain.head.number + 1n !== effect.blockNum) return true;
    resetResends(node, effect.blockNum);
    for (const block of hooksOf(node).propose(w, node, effect)) {
      runStep(w, node, { kind: "proposal", block, now: w.now }, hooksOf(node));
    }
    return true;
  }
  runStep(w, node, { ...event, now: w.now } as FbftEvent, hooksOf(node));
  return true;
}

/** A crashed node comes back: its chain survives, its consensus state restarts from it. */
function restart(w: World, node: SimNode, hooks: EffectHooks): void {
  node.alive = true;
  node.timers.clear();
  // A new process, so a new message sender: nothing sent before the crash is re-sent.
  node.resends.clear();
  node.resendFloor = 0n;
  node.state = initialState(node.state.config, node.state.chain);
  runStep(w, node, { kind: "start", now: w.now }, hooks);
  scheduleSync(w, node);
}

/**
 * Queues a crash and a restart.
 *
 * @param w the world
 * @param node the node index
 * @param atMs when it crashes
 * @param restartMs when it restarts
 */
export function scheduleCrash(w: World, node: number, atMs: bigint, restartMs: bigint): void {
  push(w, { at: atMs, node, event: { kind: "crash" } });
  push(w, { at: restartMs, node, event: { kind: "restart" } });
}
