/**
 * A simulation run: a committee, faults and Byzantine behaviours chosen from a seed, the checks
 * after every step, and a summary.
 *
 * Faults (all from the seed): random delivery delays (so reordering), drops and duplicates until a
 * fault horizon, a network partition that heals, crashes and restarts of honest nodes. Byzantine
 * nodes (fewer than a third of the voting power) each play one behaviour:
 * - `equivocating-leader`: when leading, announces two different blocks to two halves;
 * - `double-signer`: with every COMMIT also sends a COMMIT for another block hash;
 * - `silent-leader`: when leading, sends nothing;
 * - `invalid-signatures`: corrupts the signatures of its votes and messages;
 * - `wrong-view`: sends its votes with a view ID one too high.
 *
 * Liveness: once the faults are over (horizon passed, partition healed, crashed nodes restarted),
 * every honest node must reach the target height within a bound of view changes
 * ({@link LIVENESS_VIEW_CHANGES} view-change slots); otherwise the run reports a liveness
 * violation.
 *
 * @module
 */
import process from "node:process";
import {
  aggregateSignHash,
  constructConsensusMessage,
  decodeHarmonyMessage,
  encodeConsensusContent,
  encodeHarmonyMessage,
  encodeP2pFrame,
  MSG,
} from "../../spec/consensus/messages.ts";
import { commitPayload } from "../../spec/consensus/payloads.ts";
import { blsCommittee } from "../../spec/crypto/bls-mask.ts";
import { bytesEqual, concatBytes, toHex } from "../../spec/encoding/bytes.ts";
import {
  decodeSimBlock,
  simAccount,
  type SimChainSpec,
  simEpochOf,
  simNetwork,
  simProposal,
  simSigner,
} from "./chain.ts";
import { checkCommits, type CheckLog, newCheckLog, watchCommit } from "./checks.ts";
import {
  broadcast,
  type Byzantine,
  createWorld,
  type EffectHooks,
  HONEST,
  type NetworkFaults,
  rngInt,
  scheduleCrash,
  type SimNode,
  tick,
  type World,
} from "./world.ts";

/** View-change slots (45 s each) allowed after the faults end before a missing block is a failure. */
export const LIVENESS_VIEW_CHANGES = 12n;

/** The options of a run. */
export interface RunOptions {
  /** The seed. */
  seed: number;
  /** Validators. */
  nodes: number;
  /** Byzantine validators (the first ones, so they lead early). */
  byzantine: number;
  /** Blocks every honest node must commit. */
  blocks: number;
  /** Whether the network is faulty (drops, duplicates, a partition, crashes) until the horizon. */
  faults: boolean;
  /** Staked quorum (Staking from epoch 0, stakes from the seed) instead of one key one vote. */
  staked: boolean;
  /** A broken quorum rule for the nodes, to show the checks catch it. */
  brokenQuorum?: boolean;
}

/** The result of a run. */
export interface RunSummary {
  /** The seed. */
  seed: number;
  /** Heights committed by every honest node. */
  minHeight: bigint;
  /** Highest view reached. */
  maxView: bigint;
  /** Steps taken. */
  steps: number;
  /** Virtual seconds elapsed. */
  seconds: bigint;
  /** Check results. */
  log: CheckLog;
  /** Byzantine behaviours in play. */
  behaviours: (Byzantine | null)[];
}

const BEHAVIOURS: Byzantine[] = [
  "equivocating-leader",
  "double-signer",
  "silent-leader",
  "invalid-signatures",
  "wrong-view",
];
const START_MS = 1_700_000_000_000n;

/** The committee of a run: some validators hold two keys; stakes from the seed when staked. */
function chainSpec(opts: RunOptions, rng: World["rng"]): SimChainSpec {
  const validators = Array.from({ length: opts.nodes }, (_, i) => {
    const twoKeys = i % 3 === 1 && i < opts.nodes - opts.byzantine; // a few multi-key validators
    const keys = [simSigner(BigInt(10 * i + 1))];
    if (twoKeys) keys.push(simSigner(BigInt(10 * i + 2)));
    const stake = opts.staked ? BigInt(100 + rngInt(rng, 0, 50)) : 100n;
    return { account: simAccount(i), keys, stake };
  });
  return {
    network: simNetwork(opts.staked ? 0n : null, null),
    shardId: 0n,
    epochLength: 1000n,
    validators,
    genesisTime: START_MS / 1000n - 10n,
  };
}

const LEADER_BEHAVIOURS: Byzantine[] = ["equivocating-leader", "silent-leader"];

/**
 * Byzantine behaviours by node: leader behaviours go to the first nodes (slot 0 leads first),
 * the others to the last nodes (so they vote as validators).
 */
function assignBehaviours(opts: RunOptions): (Byzantine | null)[] {
  const out: (Byzantine | null)[] = Array.from({ length: opts.nodes }, () => null);
  let front = 0;
  let back = opts.nodes - 1;
  for (let i = 0; i < opts.byzantine; i++) {
    const b = BEHAVIOURS[(opts.seed + i) % BEHAVIOURS.length];
    if (LEADER_BEHAVIOURS.includes(b)) out[front++] = b;
    else out[back--] = b;
  }
  return out;
}

/** Re-frames a message. */
function reframe(m: ReturnType<typeof decodeHarmonyMessage>): Uint8Array {
  return encodeP2pFrame(encodeConsensusContent(encodeHarmonyMessage(m)));
}

/** The hooks of a Byzantine node. */
function byzantineHooks(kind: Byzantine): EffectHooks {
  return {
    propose: HONEST.propose,
    send(w, node, frame, type) {
      const m = decodeHarmonyMessage(frame.subarray(6));
      const isLeaderMsg = type === MSG.ANNOUNCE || type === MSG.PREPARED ||
        type === MSG.COMMITTED || type === MSG.NEWVIEW;
      if (kind === "silent-leader" && isLeaderMsg) return;
      if (kind === "equivocating-leader" && type === MSG.ANNOUNCE) {
        return equivocate(w, node, m, frame);
      }
      if (kind === "double-signer" && type === MSG.COMMIT) return doubleSign(w, node, m, frame);
      if (kind === "invalid-signatures") return broadcast(w, node, corrupt(m, node));
      if (
        kind === "wrong-view" && (type === MSG.PREPARE || type === MSG.COMMIT) &&
        m.request.kind === "consensus"
      ) {
        const c = { ...m.request.consensus, viewId: m.request.consensus.viewId + 1n };
        return broadcast(w, node, reframe({ ...m, request: { kind: "consensus", consensus: c } }));
      }
      broadcast(w, node, frame);
    },
  };
}

/** Sends ANNOUNCE of the real block to half the nodes and of a twin block to the other half. */
function equivocate(
  w: World,
  node: SimNode,
  m: ReturnType<typeof decodeHarmonyMessage>,
  frame: Uint8Array,
) {
  if (m.request.kind !== "consensus") return broadcast(w, node, frame);
  const c = m.request.consensus;
  const real = decodeSimBlock(c.block);
  const twin = simProposal(
    w.spec,
    node.state.chain,
    node.state.leaderKey,
    real.header.viewId,
    concatBytes(real.header.lastCommitSignature, real.header.lastCommitBitmap),
    real.header.time,
    true,
    Uint8Array.of(0xee),
  );
  const me = node.state.config.keys.find((k) => bytesEqual(k.publicKey, node.state.leaderKey))!;
  const committee = node.state.ctx.committee;
  const hash = decodeSimBlock(twin).header.hash;
  const other = constructConsensusMessage(
    MSG.ANNOUNCE,
    { viewId: c.viewId, blockNum: c.blockNum, shardId: c.shardId, blockHash: hash },
    [me],
    committee,
    { block: twin, payload: hash },
  );
  const half = w.nodes.filter((n) => n.id % 2 === 0).map((n) => n.id);
  const rest = w.nodes.filter((n) => n.id % 2 === 1).map((n) => n.id);
  broadcast(w, node, frame, half);
  broadcast(w, node, reframe(other), rest);
}

/** Sends the COMMIT and a second COMMIT, by the same keys, for another block hash. */
function doubleSign(
  w: World,
  node: SimNode,
  m: ReturnType<typeof decodeHarmonyMessage>,
  frame: Uint8Array,
) {
  broadcast(w, node, frame);
  if (m.request.kind !== "consensus") return;
  const c = m.request.consensus;
  const fake = c.blockHash.map((b) => b ^ 0x5a);
  const signers = node.state.config.keys;
  const payload = commitPayload(
    w.spec.network,
    simEpochOf(w.spec, c.blockNum),
    fake,
    c.blockNum,
    c.viewId,
  );
  const second = constructConsensusMessage(
    MSG.COMMIT,
    { ...c, blockHash: fake },
    signers,
    node.state.ctx.committee,
    { payload: aggregateSignHash(signers, payload) },
  );
  broadcast(w, node, reframe(second));
}

/** Replaces vote and message signatures with signatures of something else. */
function corrupt(m: ReturnType<typeof decodeHarmonyMessage>, node: SimNode): Uint8Array {
  const other = aggregateSignHash(
    node.state.config.keys.slice(0, 1),
    new Uint8Array(32).fill(0x77),
  );
  if (m.request.kind === "consensus" && (m.type === MSG.PREPARE || m.type === MSG.COMMIT)) {
    return reframe({
      ...m,
      request: { kind: "consensus", consensus: { ...m.request.consensus, payload: other } },
    });
  }
  return reframe({ ...m, signature: other });
}

/** Sets up faults and returns the time they are over. */
function scheduleFaults(w: World, opts: RunOptions): bigint {
  if (!opts.faults) return START_MS;
  const horizon = START_MS + BigInt(rngInt(w.rng, 20, 90)) * 1000n;
  const groups = w.nodes.map(() => rngInt(w.rng, 0, 1));
  const healAt = START_MS + BigInt(rngInt(w.rng, 5, 60)) * 1000n;
  w.net = {
    ...w.net,
    dropRate: 0.05,
    duplicateRate: 0.05,
    partition: groups,
    partitionUntilMs: healAt,
    faultsUntilMs: horizon,
  };
  const honest = w.nodes.filter((n) => n.byzantine === null);
  const victim = honest[rngInt(w.rng, 0, honest.length - 1)];
  const crashAt = START_MS + BigInt(rngInt(w.rng, 1, 40)) * 1000n;
  const back = crashAt + BigInt(rngInt(w.rng, 5, 40)) * 1000n;
  scheduleCrash(w, victim.id, crashAt, back);
  return [horizon, healAt, back].reduce((a, b) => (a > b ? a : b));
}

/** Breaks the nodes' quorum rule: any single key's vote counts as a quorum. */
function breakQuorum(w: World): void {
  for (const n of w.nodes) {
    const keys = n.state.ctx.committee.publicKeys;
    const fake = blsCommittee(keys);
    const voters = new Map(keys.map((k, i) => [toHex(k), {
      overallPercent: { mantissa: i === 0 ? 10n ** 18n : 0n },
      earningAccount: new Uint8Array(20),
      isHarmonyNode: true,
    }]));
    const ctx = {
      ...n.state.ctx,
      committee: fake,
      policy: { kind: "staked" as const, roster: { voters } },
    };
    const chain = { ...n.state.config.chain, epochContext: () => ctx };
    n.state = { ...n.state, ctx, config: { ...n.state.config, chain } };
  }
}

/**
 * Runs a simulation.
 *
 * @param opts the options
 * @param maxSteps a cap on steps (a safety net for the test runner)
 * @returns the summary
 */
export function runSimulation(opts: RunOptions, maxSteps = 200_000): RunSummary {
  const rng = { state: opts.seed | 0 };
  const spec = chainSpec(opts, rng);
  const behaviours = assignBehaviours(opts);
  const net: NetworkFaults = {
    minDelayMs: 5,
    maxDelayMs: 200,
    dropRate: 0,
    duplicateRate: 0,
    partition: null,
    partitionUntilMs: 0n,
    faultsUntilMs: 0n,
  };
  const w = createWorld({
    spec,
    seed: opts.seed,
    net,
    byzantine: behaviours,
    aggregateSig: true,
    detectDoubleSign: false,
    startMs: START_MS,
  });
  w.rng = rng;
  if (opts.brokenQuorum) breakQuorum(w);
  const log = newCheckLog();
  const calm = scheduleFaults(w, opts);
  w.observers.push((world, node, effects) => checkCommits(world, log, node, effects));
  w.sendObservers.push((world, _from, frame, type) => {
    if (type === MSG.COMMIT) watchCommit(world, log, frame);
  });
  const hooks = behaviours.map((b) => (b === null ? HONEST : byzantineHooks(b)));
  const deadline = calm + LIVENESS_VIEW_CHANGES * 45_000n + BigInt(opts.blocks) * 30_000n;
  const target = BigInt(opts.blocks);
  let steps = 0;
  const honest = () => w.nodes.filter((n) => n.byzantine === null);
  const done = () => honest().every((n) => n.state.chain.head.number >= target);
  while (!done() && w.now <= deadline && steps < maxSteps && tick(w, (n) => hooks[n.id])) {
    steps++;
    if (log.violations.length > 0) break;
  }
  if (process.env.SIM_DEBUG) {
    for (const n of w.nodes) {
      console.log(
        n.id,
        n.alive,
        n.byzantine,
        n.state.mode,
        n.state.blockNum,
        n.state.blockViewId,
        n.state.viewChangingId,
        toHex(n.state.leaderKey).slice(0, 8),
        n.state.chain.head.number,
        [...n.timers.keys()].join(","),
      );
    }
    console.log(
      "keys",
      w.nodes.map((n) => toHex(n.state.config.keys[0].publicKey).slice(0, 8)).join(" "),
      "net",
      w.net.partition,
      w.net.partitionUntilMs - START_MS,
      w.net.faultsUntilMs - START_MS,
    );
  }
  if (log.violations.length === 0 && !done()) {
    log.violations.push(
      `liveness: honest nodes below height ${target} ${LIVENESS_VIEW_CHANGES} view-change slots after the faults ended`,
    );
  }
  const minHeight = honest().reduce(
    (m, n) => (n.state.chain.head.number < m ? n.state.chain.head.number : m),
    1n << 64n,
  );
  const maxView = w.nodes.reduce((m, n) => (n.state.blockViewId > m ? n.state.blockViewId : m), 0n);
  return {
    seed: opts.seed,
    minHeight,
    maxView,
    steps,
    seconds: (w.now - START_MS) / 1000n,
    log,
    behaviours,
  };
}

/** The Byzantine share of voting power must stay below a third; validators are checked here. */
export function byzantineBelowThird(nodes: number, byzantine: number): boolean {
  return 3 * byzantine < nodes;
}

/** Prints a summary. */
export function formatSummary(s: RunSummary): string {
  const lines = [
    `heights: every honest node at ≥ ${s.minHeight}; highest view ${s.maxView}`,
    `steps: ${s.steps}; virtual time ${s.seconds} s`,
    `byzantine: ${s.behaviours.filter((b) => b !== null).join(", ") || "none"}`,
    `double signs with evidence: ${s.log.evidence.length}`,
    s.log.violations.length === 0
      ? "checks: safety, validity, liveness, accountability all held"
      : `VIOLATIONS:\n  ${s.log.violations.join("\n  ")}`,
  ];
  return lines.join("\n");
}
