/**
 * Small rules shared by the leader, validator and view-change handlers: who the node is, how a
 * round is reset, how the node's own messages are built, and how step results are assembled.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_service.go `resetState`,
 *   `getPriKeysInCommittee`, `isLeader`
 * @see github.com/harmony-one/harmony consensus/validator.go `prepare`, `sendCommitMessages`,
 *   `constructP2pMessages`
 * @module
 */
import { blsMaskLength, blsMaskSetKeys } from "../crypto/bls-mask.ts";
import { blsEncodeSignature } from "../crypto/bls.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../errors.ts";
import { type Ballot, EMPTY_BALLOT_BOX } from "./ballots.ts";
import {
  aggregateSignHash,
  constructConsensusMessage,
  frameHarmonyMessage,
  type HarmonyMessage,
  type RoundFields,
  type Signer,
  signHashPoint,
} from "./messages.ts";
import { commitPayload } from "./payloads.ts";
import { type LoggedMessage, logIsVerified, logMarkVerified } from "./fbft-log.ts";
import type {
  Block,
  BlockHeader,
  FbftEffect,
  FbftState,
  Outcome,
  Phase,
  StepResult,
  TimerKind,
} from "./state.ts";
import type { FbftMessage } from "./validate.ts";

/** The outcome of a processed event. */
export const ACCEPTED: Outcome = { result: "accepted" };

/**
 * An "ignored" outcome.
 *
 * @param reason why
 * @returns the outcome
 */
export function ignored(reason: SpecErrorCode): Outcome {
  return { result: "ignored", reason };
}

/**
 * A "rejected" outcome.
 *
 * @param reason why
 * @returns the outcome
 */
export function rejected(reason: SpecErrorCode): Outcome {
  return { result: "rejected", reason };
}

/**
 * Assembles a step result.
 *
 * @param state the new state
 * @param effects the effects
 * @param outcome the outcome (accepted by default)
 * @returns the result
 */
export function finish(state: FbftState, effects: FbftEffect[], outcome = ACCEPTED): StepResult {
  return { state, effects, outcome };
}

/** The result of {@link attempt}: a value, or the code of the rejection. */
export type Attempt<T> =
  | {
    /** The rule returned. */
    ok: true;
    /** Its value. */
    value: T;
  }
  | {
    /** The rule rejected. */
    ok: false;
    /** The rejection's code. */
    code: SpecErrorCode;
  };

/**
 * Runs a rule that may reject, turning a `SpecError` into its code.
 *
 * @param f the rule
 * @returns its value, or the code it raised
 */
export function attempt<T>(f: () => T): Attempt<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (isSpecError(e)) return { ok: false, code: e.code };
    throw e;
  }
}

/**
 * Whether a key is one of the node's.
 *
 * @param state the state
 * @param key a 48-byte key
 * @returns whether the node holds it
 */
export function isMyKey(state: FbftState, key: Uint8Array): boolean {
  return state.config.keys.some((k) => bytesEqual(k.publicKey, key));
}

/**
 * The node's key that is the leader's, if any (Go `getConsensusLeaderPrivateKey`).
 *
 * @param state the state
 * @returns the signer, or undefined
 */
export function leaderSigner(state: FbftState): Signer | undefined {
  return state.config.keys.find((k) => bytesEqual(k.publicKey, state.leaderKey));
}

/**
 * The node's keys that are in the committee (Go `getPriKeysInCommittee`).
 *
 * @param state the state
 * @returns the signers, in the node's key order
 */
export function committeeSigners(state: FbftState): Signer[] {
  return state.config.keys.filter((k) => state.ctx.committee.index.has(toHex(k.publicKey)));
}

/**
 * The ballot of one of the node's own keys for a block: its signature over `signed` (the block
 * hash for PREPARE, the commit payload for COMMIT), with the block's hash, number and view ID.
 *
 * @param key the node's key
 * @param signed the bytes the vote signs
 * @param header the block's header
 * @returns the ballot
 * @throws {SpecError} the codes of `signHashPoint` for a bad secret key
 */
export function ownBallot(key: Signer, signed: Uint8Array, header: BlockHeader): Ballot {
  const point = signHashPoint([key], signed);
  return {
    signerKeys: [key.publicKey],
    blockHash: header.hash,
    signature: blsEncodeSignature(point),
    signaturePoint: point,
    height: header.number,
    viewId: header.viewId,
  };
}

/**
 * An all-zero bitmap for the current committee.
 *
 * @param state the state
 * @returns `⌈n/8⌉` zero bytes
 */
export function emptyBitmap(state: FbftState): Uint8Array {
  return new Uint8Array(blsMaskLength(state.ctx.committee.points.length));
}

/**
 * Clears the round (Go `resetState`): phase Announce, no candidate block, empty ballot boxes and
 * bitmaps.
 *
 * @param state the state
 * @returns the reset state
 */
export function resetRound(state: FbftState): FbftState {
  return {
    ...state,
    phase: "announce" as Phase,
    blockHash: new Uint8Array(32),
    block: new Uint8Array(0),
    prepare: EMPTY_BALLOT_BOX,
    commit: EMPTY_BALLOT_BOX,
    prepareBitmap: emptyBitmap(state),
    commitBitmap: emptyBitmap(state),
  };
}

/**
 * The round fields of the node's next message (Go `populateMessageFields`).
 *
 * @param state the state
 * @returns view ID, block number, shard and candidate hash
 */
export function roundFields(state: FbftState): RoundFields {
  return {
    viewId: state.blockViewId,
    blockNum: state.blockNum,
    shardId: state.config.shardId,
    blockHash: state.blockHash,
  };
}

/**
 * The effect that broadcasts a message.
 *
 * @param m the message
 * @returns a `send` effect
 */
export function send(m: HarmonyMessage): FbftEffect {
  return { kind: "send", type: m.type, frame: frameHarmonyMessage(m) };
}

/**
 * A timer effect.
 *
 * @param timer which timer
 * @param durationMs its duration
 * @returns a `startTimer` effect
 */
export function startTimer(timer: TimerKind, durationMs: bigint): FbftEffect {
  return { kind: "startTimer", timer, durationMs };
}

/**
 * A timer effect.
 *
 * @param timer which timer
 * @returns a `stopTimer` effect
 */
export function stopTimer(timer: TimerKind): FbftEffect {
  return { kind: "stopTimer", timer };
}

/**
 * The commit payload of a block header under the node's network.
 *
 * @param state the state
 * @param header the header
 * @returns the bytes a COMMIT for it signs
 */
export function commitPayloadOf(state: FbftState, header: BlockHeader): Uint8Array {
  return commitPayload(
    state.config.network,
    header.epoch,
    header.hash,
    header.number,
    header.viewId,
  );
}

/**
 * Builds the node's votes for the candidate (Go `constructP2pMessages`): with `aggregateSig` one
 * message signed by all its committee keys; otherwise one message per key.
 *
 * @param state the state
 * @param type `MSG.PREPARE` or `MSG.COMMIT`
 * @param signed the bytes the vote signs
 * @returns the send effects (none when the node has no committee key)
 */
export function voteMessages(state: FbftState, type: number, signed: Uint8Array): FbftEffect[] {
  const signers = committeeSigners(state);
  if (signers.length === 0) return [];
  const groups = state.config.aggregateSig ? [signers] : signers.map((s) => [s]);
  return groups.map((group) =>
    send(constructConsensusMessage(type, roundFields(state), group, state.ctx.committee, {
      payload: aggregateSignHash(group, signed),
    }))
  );
}

/**
 * A parsed message as the log keeps it.
 *
 * @param m the message
 * @param verified whether it was checked and accepted
 * @returns the log entry
 */
export function toLogged(m: FbftMessage, verified: boolean): LoggedMessage {
  return {
    type: m.type,
    viewId: m.viewId,
    blockNum: m.blockNum,
    blockHash: m.blockHash,
    senderKeys: m.senderKeys,
    senderBitmap: m.senderBitmap,
    payload: m.payload,
    verified,
  };
}

/** The state after asking the validity predicate, and its answer. */
export interface Verdict {
  /** The state (the block marked verified when valid). */
  state: FbftState;
  /** Whether the block is valid. */
  ok: boolean;
}

/**
 * Applies the injected validity predicate once per block (Go `verifyBlock`): a block already
 * marked verified passes; otherwise the predicate decides and a valid block is marked.
 *
 * @param state the state
 * @param block the block
 * @returns the state (with the mark) and the verdict
 */
export function verifyBlock(state: FbftState, block: Block): Verdict {
  if (logIsVerified(state.log, block.header.hash)) return { state, ok: true };
  if (!state.config.chain.verifyBlock(block, state.chain)) return { state, ok: false };
  return { state: { ...state, log: logMarkVerified(state.log, block.header.hash) }, ok: true };
}

/**
 * Sets the bits of some committee keys in a bitmap (Go `SetKey` / `SetKeysAtomic`).
 *
 * @param state the state (its committee)
 * @param bitmap a bitmap over the committee
 * @param keys committee keys
 * @returns the new bitmap
 * @throws {SpecError} `bls/mask-key-not-found` for a key outside the committee
 */
export function withKeys(state: FbftState, bitmap: Uint8Array, keys: Uint8Array[]): Uint8Array {
  return blsMaskSetKeys(state.ctx.committee, bitmap, keys, true);
}
