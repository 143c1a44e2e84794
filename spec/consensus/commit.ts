/**
 * Finality and the start of the next round.
 *
 * **One-block finality.** A block is final once a COMMITTED quorum certificate for it exists:
 * Harmony never forks and never reorganizes. The node then inserts the block with its
 * certificate (the `committed` effect), and the certificate becomes the next block's
 * `LastCommitSignature` / `LastCommitBitmap`.
 *
 * **Setting up the next round** (Go `setupForNewConsensus`), after block `N` committed in a
 * COMMITTED message of view `v`:
 * 1. the block number becomes `N + 1` and the view ID `v + 1` (the view-changing ID is left as it
 *    was);
 * 2. with `LeaderRotationInternalValidators` active at the next block's epoch, the leader is
 *    rotated (`rotateLeader`, defaulting to the COMMITTED's sender); a node that newly becomes
 *    leader proposes after one block period;
 * 3. after the last block of an epoch, the committee of the next epoch takes over (Go
 *    `updateConsensusInformation`): the leader becomes participant 0, the bitmaps are rebuilt, and
 *    a node that newly leads proposes at once;
 * 4. the log is pruned and the round reset.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `commitBlock`,
 *   `setupForNewConsensus`, `tryCatchup`, `postCatchup`
 * @see github.com/harmony-one/harmony consensus/consensus_service.go `updateConsensusInformation`
 * @module
 */
import { bytesEqual } from "../encoding/bytes.ts";
import { isActive } from "../params/features.ts";
import { blockPeriodSeconds } from "../params/config.ts";
import { logPrune } from "./fbft-log.ts";
import { isMyKey, leaderSigner, resetRound } from "./round.ts";
import { chainViewAfter, rotateLeader } from "./rotation.ts";
import type { Block, FbftEffect, FbftState } from "./state.ts";
import { EMPTY_VIEW_CHANGE } from "./view-change-state.ts";

/**
 * Inserts a committed block into the node's chain view (when it is not there yet).
 *
 * @param state the state
 * @param block the block
 * @param commitSig its commit certificate
 * @returns the state and the `committed` effect (none when the block was already inserted)
 */
export function insertBlock(
  state: FbftState,
  block: Block,
  commitSig: Uint8Array,
): { state: FbftState; effects: FbftEffect[] } {
  if (state.chain.head.number >= block.header.number) return { state, effects: [] };
  const ctx = state.config.chain.epochContext(block.header.epoch);
  const chain = chainViewAfter(state.config.network, state.chain, block.header, ctx, commitSig);
  return { state: { ...state, chain }, effects: [{ kind: "committed", block, commitSig }] };
}

/**
 * The block period in milliseconds for blocks of an epoch.
 *
 * @param state the state
 * @param epoch the epoch
 * @returns milliseconds
 */
export function blockPeriodMs(state: FbftState, epoch: bigint): bigint {
  return blockPeriodSeconds(state.config.network, epoch) * 1000n;
}

/** The `propose` effect for the next block, with a delay. */
export function proposeEffect(state: FbftState, delayMs: bigint): FbftEffect {
  return {
    kind: "propose",
    blockNum: state.blockNum,
    viewId: state.blockViewId,
    lastCommitSig: state.chain.headCommitSig,
    delayMs,
  };
}

/** Step 3: the next epoch's committee after its last block (Go `updateConsensusInformation`). */
function enterNextEpoch(state: FbftState, epoch: bigint): { state: FbftState; propose: boolean } {
  const ctx = state.config.chain.epochContext(epoch);
  const oldLeader = state.leaderKey;
  const s: FbftState = { ...state, ctx, leaderKey: ctx.committee.publicKeys[0] };
  const vc = s.mode === "viewChanging" ? s.vc : EMPTY_VIEW_CHANGE;
  const changed = !bytesEqual(oldLeader, s.leaderKey);
  return { state: { ...s, vc }, propose: changed && leaderSigner(s) !== undefined };
}

/**
 * Prepares the next round after a block committed (Go `setupForNewConsensus`).
 *
 * @param state the state (the block already inserted)
 * @param block the committed block
 * @param committedViewId the view ID of the COMMITTED message
 * @param committedSender the COMMITTED message's sender key
 * @returns the state for block `N + 1` and a delay when the node must propose it
 * @throws {SpecError} the codes of `rotateLeader`
 */
export function setupForNewConsensus(
  state: FbftState,
  block: Block,
  committedViewId: bigint,
  committedSender: Uint8Array,
): { state: FbftState; proposeDelayMs: bigint | null } {
  const header = block.header;
  let s: FbftState = { ...state, blockNum: header.number + 1n, blockViewId: committedViewId + 1n };
  const epoch = header.isLastInEpoch ? header.epoch + 1n : header.epoch;
  let proposeDelayMs: bigint | null = null;
  if (isActive(s.config.network, "LeaderRotationInternalValidators", epoch)) {
    const prev = s.leaderKey;
    s = { ...s, leaderKey: rotateLeader(s, epoch, committedSender) };
    const newLeader = !bytesEqual(prev, s.leaderKey);
    if (leaderSigner(s) !== undefined && newLeader && !isMyKey(s, prev)) {
      proposeDelayMs = blockPeriodMs(s, epoch); // [New in LeaderRotationInternalValidators]
    }
  }
  if (header.isLastInEpoch) {
    const next = enterNextEpoch(s, epoch);
    s = next.state;
    if (next.propose && proposeDelayMs === null) proposeDelayMs = 0n;
  }
  s = resetRound({ ...s, log: logPrune(s.log, header.number) });
  return { state: s, proposeDelayMs };
}
