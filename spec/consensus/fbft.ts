/**
 * One validator's FBFT as a pure function: `step(state, event) → { state, effects, outcome }`.
 *
 * Harmony's Fast Byzantine Fault Tolerance runs one round per block. In a round the leader
 * ANNOUNCEs a block; every validator key PREPAREs (signs the block hash); with a quorum of prepare
 * signatures the leader sends PREPARED; validators COMMIT (sign the commit payload); with a quorum
 * of commit signatures the leader sends COMMITTED, and the block is final. A quorum is `⌊2n/3⌋+1`
 * keys before Staking and more than 2/3 of the voting power from it on. When a round stalls the
 * validators change view and a new leader takes over, carrying a prepared block over if one may
 * have been committed.
 *
 * This module routes events to the rules:
 * - `start`: the bootstrap timer starts; a leader asks for its first proposal;
 * - `proposal`: the leader announces its block (`leader.ts`);
 * - `message`: every check before a handler (`validate.ts`), then ANNOUNCE, PREPARED and COMMITTED
 *   to a validator (`validator.ts`), PREPARE and COMMIT to the leader (`leader.ts`), VIEWCHANGE and
 *   NEWVIEW to the view-change rules (`view-change.ts`);
 * - `timeout`: the commit-grace timer finishes the leader's commit; any other timer starts a view
 *   change;
 * - `synced`: the chain advanced under the node (state sync); the node restarts from the new head.
 *
 * Nothing inside reads a clock, a socket or a random source: time arrives with each event, the
 * network is the `send` effects, and the block's validity is the chain adapter's predicate.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `HandleMessageUpdate`, `Start`,
 *   `StartChannel`, `tick`, `syncReadyChan`
 * @module
 */
import { toHex } from "../encoding/bytes.ts";
import { proposerKey } from "./rotation.ts";
import { EMPTY_BALLOT_BOX } from "./ballots.ts";
import { blockPeriodMs, proposeEffect } from "./commit.ts";
import { EMPTY_LOG } from "./fbft-log.ts";
import { announce, finalCommit, onCommit, onPrepare } from "./leader.ts";
import { MSG } from "./messages.ts";
import {
  attempt,
  emptyBitmap,
  finish,
  ignored,
  leaderSigner,
  rejected,
  startTimer,
  toLogged,
} from "./round.ts";
import {
  type ChainView,
  type FbftConfig,
  type FbftEvent,
  type FbftState,
  type StepResult,
  TIMEOUTS,
} from "./state.ts";
import { admitMessage, type FbftMessage, isLeader } from "./validate.ts";
import { onAnnounce, onCommitted, onPrepared } from "./validator.ts";
import { onNewView, onViewChange, startViewChange } from "./view-change.ts";
import { EMPTY_VIEW_CHANGE } from "./view-change-state.ts";

/**
 * The state of a node whose chain ends at `chain.head` (Go `syncReadyChan` and
 * `updateConsensusInformation`): height `head + 1`, view `head.viewID + 1`, the committee of the
 * next block's epoch, and as leader participant 0 after an epoch's last block (or at genesis),
 * otherwise the head's proposer. The genesis block carries the shard state of epoch 0 and so looks
 * like an epoch's last block; Go skips it (`isNotGenesisBlock`), and so does this: at genesis the
 * committee is epoch 0's.
 *
 * @param config the node's configuration
 * @param chain the node's chain view
 * @returns the state, in normal mode and phase Announce
 */
export function initialState(config: FbftConfig, chain: ChainView): FbftState {
  const head = chain.head;
  const endsEpoch = head.isLastInEpoch && head.number !== 0n;
  const epoch = endsEpoch ? head.epoch + 1n : head.epoch;
  const ctx = config.chain.epochContext(epoch);
  let leaderKey = ctx.committee.publicKeys[0];
  if (!head.isLastInEpoch && head.number !== 0n) {
    leaderKey = proposerKey(config.network, config.chain.epochContext(head.epoch), head) ??
      leaderKey;
  }
  const partial = { config, ctx, chain } as FbftState;
  return {
    config,
    ctx,
    chain,
    mode: "normal",
    phase: "announce",
    blockNum: head.number + 1n,
    blockViewId: head.viewId + 1n,
    viewChangingId: head.viewId + 1n,
    leaderKey,
    blockHash: new Uint8Array(32),
    block: new Uint8Array(0),
    log: EMPTY_LOG,
    prepare: EMPTY_BALLOT_BOX,
    commit: EMPTY_BALLOT_BOX,
    prepareBitmap: emptyBitmap(partial),
    commitBitmap: emptyBitmap(partial),
    vc: EMPTY_VIEW_CHANGE,
    finalCommit: null,
    nextBlockDueMs: 0n,
  };
}

/** Routes an admitted message (Go `HandleMessageUpdate`'s switch). */
function route(state: FbftState, msg: FbftMessage, nowMs: bigint): StepResult {
  const leader = isLeader(state);
  switch (msg.type) {
    case MSG.ANNOUNCE:
      if (!leader) return onAnnounce(state, msg, nowMs);
      break;
    case MSG.PREPARED:
      if (!leader) return onPrepared(state, msg, nowMs);
      break;
    case MSG.COMMITTED:
      if (!leader) return onCommitted(state, toLogged(msg, false), nowMs);
      break;
    case MSG.PREPARE:
      if (leader) return onPrepare(state, msg);
      break;
    case MSG.COMMIT:
      if (leader) return onCommit(state, msg, nowMs);
      break;
    case MSG.VIEWCHANGE:
      return onViewChange(state, msg);
    case MSG.NEWVIEW:
      return onNewView(state, msg);
  }
  return finish(state, [], ignored("fbft/unhandled-type"));
}

/** Go `Start` and `StartChannel`. */
function start(state: FbftState, nowMs: bigint): StepResult {
  const s = { ...state, nextBlockDueMs: nowMs + blockPeriodMs(state, state.ctx.epoch) };
  const effects = [startTimer("bootstrap", TIMEOUTS.bootstrapMs)];
  if (leaderSigner(s) !== undefined) effects.push(proposeEffect(s, 0n));
  return finish(s, effects);
}

/** Go `syncReadyChan`: restart from a new head when it is ahead of the node. */
function synced(state: FbftState, chain: ChainView): StepResult {
  if (chain.head.number + 1n <= state.blockNum) return finish(state, [], ignored("fbft/old-block"));
  const oldLeader = toHex(state.leaderKey);
  const s = { ...initialState(state.config, chain), log: state.log };
  const effects = [startTimer("consensus", TIMEOUTS.phaseMs)];
  if (toHex(s.leaderKey) !== oldLeader && leaderSigner(s) !== undefined) {
    effects.push(proposeEffect(s, 0n));
  }
  return finish(s, effects);
}

/** Any expired timer but the commit grace starts a view change (Go `tick`). */
function timeout(state: FbftState, timer: string, nowMs: bigint): StepResult {
  if (timer === "commitGrace") return finalCommit(state);
  const started = attempt(() => startViewChange(state, nowMs));
  if (!started.ok) return finish(state, [], rejected(started.code));
  return finish(started.value.state, started.value.effects);
}

/**
 * One step of a validator's consensus.
 *
 * @param state the node's state
 * @param event what happened
 * @returns the new state, the effects to carry out in order, and how the event was handled
 */
export function step(state: FbftState, event: FbftEvent): StepResult {
  switch (event.kind) {
    case "start":
      return start(state, event.now);
    case "proposal":
      return announce(state, event.block, event.now);
    case "message": {
      const admitted = admitMessage(state, event.frame);
      if (!admitted.ok) return finish(state, [], admitted.outcome);
      return route(state, admitted.msg, event.now);
    }
    case "timeout":
      return timeout(state, event.timer, event.now);
    case "synced":
      return synced(state, event.chain);
  }
}
