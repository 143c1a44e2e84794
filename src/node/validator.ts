/**
 * One in-process validator: the spec's FBFT state machine (`spec/consensus/fbft.ts` `step`)
 * driven by real timers, a transport and the shard's chain. The runner makes no protocol decision:
 * it feeds events to `step` one at a time and carries out the effects it returns.
 *
 * Block validity is asynchronous here (the EVM is), while consensus asks for it synchronously. So
 * before a message that carries a block reaches `step`, the runner awaits the shard's validation
 * of that block; the shard remembers the verdict, and the chain adapter's `verifyBlock` reads it.
 * Messages are handled strictly in arrival order.
 *
 * @module
 */
import { initialState, step } from "../../spec/consensus/fbft.ts";
import { decodeHarmonyMessage, decodeP2pFrame } from "../../spec/consensus/messages.ts";
import type {
  Block,
  ChainView,
  FbftConfig,
  FbftEffect,
  FbftEvent,
  FbftState,
  TimerKind,
} from "../../spec/consensus/state.ts";
import type { Transport } from "./transport.ts";

/** What a validator needs of its shard. */
export interface ShardForConsensus {
  /** The topic of the shard's consensus messages. */
  topic: string;
  /** The shard's chain as consensus sees it now. */
  view(): ChainView;
  /** Validates a block (RLP) on top of the chain; memoised, so the adapter can answer synchronously. */
  validate(block: Uint8Array): Promise<boolean>;
  /**
   * Starts building the block a leader will announce next, before its `propose` effect (which
   * takes it if it still fits); returns at once.
   */
  prepare(blockNum: bigint): void;
  /** Builds the block a leader announces. */
  propose(effect: Extract<FbftEffect, { kind: "propose" }>): Promise<Uint8Array | null>;
  /** Inserts a committed block (a no-op when another validator already did). */
  commit(block: Block, commitSig: Uint8Array): Promise<void>;
  /** Reports what happened, for the node's log. */
  report(event: ValidatorReport): void;
}

/** Things worth a log line. */
export type ValidatorReport =
  | { kind: "viewChange"; validator: string; viewId: bigint }
  | { kind: "newView"; validator: string; viewId: bigint }
  | { kind: "evidence"; validator: string };

/** A running validator. */
export interface Validator {
  readonly name: string;
  /** Whether it takes part (a stopped validator neither hears nor speaks). */
  running(): boolean;
  /** Starts (or restarts) from the shard's current chain. */
  start(): void;
  /** Stops: timers cleared, messages ignored. */
  stop(): void;
  /** The consensus state, for inspection. */
  state(): FbftState;
}

/** The messages whose handling needs the block's verdict first. */
function blockCarried(frame: Uint8Array): Uint8Array | null {
  try {
    const m = decodeHarmonyMessage(decodeP2pFrame(frame).slice(1));
    if (m.request.kind === "consensus" && m.request.consensus.block.length > 0) {
      return m.request.consensus.block;
    }
    if (m.request.kind === "viewchange" && m.request.viewchange.preparedBlock.length > 0) {
      return m.request.viewchange.preparedBlock;
    }
  } catch {
    // Malformed frames go to `step`, which rejects them with a reason.
  }
  return null;
}

/**
 * Creates a validator on a shard.
 *
 * @param name a name for logs
 * @param config its FBFT configuration (keys, network, the chain adapter)
 * @param shard its shard
 * @param transport its endpoint
 */
export function createValidator(
  name: string,
  config: FbftConfig,
  shard: ShardForConsensus,
  transport: Transport,
): Validator {
  let state = initialState(config, shard.view());
  let alive = false;
  let epoch = 0; // bumps on every start/stop, so stale timers and queued work are dropped
  let queue: Promise<void> = Promise.resolve();
  const timers = new Map<TimerKind, ReturnType<typeof setTimeout>>();

  const clearTimers = () => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  };

  /** Queues work behind everything queued before, for the current life only. */
  const enqueue = (work: () => Promise<void> | void) => {
    const life = epoch;
    queue = queue.then(async () => {
      if (alive && life === epoch) await work();
    }).catch((e) => console.error(`${name}: ${e instanceof Error ? e.stack : e}`));
  };

  const run = (event: FbftEvent) => {
    const result = step(state, event);
    state = result.state;
    for (const effect of result.effects) perform(effect);
  };

  const now = () => BigInt(Date.now());

  function perform(effect: FbftEffect): void {
    switch (effect.kind) {
      case "send":
        transport.publish(shard.topic, effect.frame);
        break;
      case "committed":
        enqueue(() => shard.commit(effect.block, effect.commitSig));
        break;
      case "startTimer": {
        clearTimeout(timers.get(effect.timer));
        const life = epoch;
        timers.set(
          effect.timer,
          setTimeout(() => {
            timers.delete(effect.timer);
            if (life === epoch) {
              enqueue(() => run({ kind: "timeout", timer: effect.timer, now: now() }));
            }
          }, Number(effect.durationMs)),
        );
        break;
      }
      case "stopTimer":
        clearTimeout(timers.get(effect.timer));
        timers.delete(effect.timer);
        break;
      case "propose": {
        const life = epoch;
        setTimeout(() => {
          if (life !== epoch) return;
          enqueue(async () => {
            if (state.chain.head.number + 1n !== effect.blockNum) return;
            const block = await shard.propose(effect);
            if (block !== null) run({ kind: "proposal", block, now: now() });
          });
        }, Number(effect.delayMs));
        break;
      }
      case "prepare":
        // Queued behind the commit of the block before it, which it builds on.
        enqueue(() => shard.prepare(effect.blockNum));
        break;
      case "sync":
        enqueue(() => {
          const view = shard.view();
          if (view.head.number > state.chain.head.number) {
            run({ kind: "synced", chain: view, now: now() });
          }
        });
        break;
      case "viewChange":
        shard.report({ kind: "viewChange", validator: name, viewId: effect.viewId });
        break;
      case "newView":
        shard.report({ kind: "newView", validator: name, viewId: effect.viewId });
        break;
      case "evidence":
        shard.report({ kind: "evidence", validator: name });
        break;
      case "commitSig":
        break;
    }
  }

  transport.subscribe(shard.topic, (frame) => {
    if (!alive) return;
    enqueue(async () => {
      const block = blockCarried(frame);
      if (block !== null) await shard.validate(block);
      run({ kind: "message", frame, now: now() });
    });
  });

  return {
    name,
    running: () => alive,
    start() {
      epoch++;
      clearTimers();
      alive = true;
      state = initialState(config, shard.view());
      enqueue(() => run({ kind: "start", now: now() }));
    },
    stop() {
      epoch++;
      alive = false;
      clearTimers();
    },
    state: () => state,
  };
}
