/**
 * Shared fixtures for the consensus tests: a committee, node states at genesis, and builders for
 * every consensus message, all made with fixed keys.
 */
import {
  aggregateSignHash,
  constructConsensusMessage,
  constructViewChangeMessage,
  frameHarmonyMessage,
  type HarmonyMessage,
  MSG,
  type Signer,
  viewChangeRequest,
} from "../../spec/consensus/messages.ts";
import { initialState, step } from "../../spec/consensus/fbft.ts";
import { commitPayload, NIL_PAYLOAD, viewIdPayload } from "../../spec/consensus/payloads.ts";
import type { FbftEffect, FbftEvent, FbftState, StepResult } from "../../spec/consensus/state.ts";
import { blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { concatBytes, toHex } from "../../spec/encoding/bytes.ts";
import {
  decodeSimBlock,
  simAccount,
  simChainAdapter,
  type SimChainSpec,
  simGenesisView,
  simNetwork,
  simProposal,
  simSigner,
} from "../../src/sim/chain.ts";

/** A committee of single-key validators, keys from seeds 1..n. */
export function committeeSpec(
  n: number,
  staking: bigint | null = null,
  stakes?: bigint[],
): SimChainSpec {
  return {
    network: simNetwork(staking, null),
    shardId: 0n,
    epochLength: 1000n,
    validators: Array.from({ length: n }, (_, i) => ({
      account: simAccount(i),
      keys: [simSigner(BigInt(i + 1))],
      stake: stakes?.[i] ?? 100n,
    })),
  };
}

/** The node state of validator `i` at genesis. */
export function nodeAt(spec: SimChainSpec, i: number, detectDoubleSign = false): FbftState {
  return initialState({
    network: spec.network,
    shardId: spec.shardId,
    keys: spec.validators[i].keys,
    aggregateSig: true,
    chain: simChainAdapter(spec),
    detectDoubleSign,
  }, simGenesisView(spec));
}

/** The i-th key of the committee (slot order). */
export function keyOf(spec: SimChainSpec, i: number): Signer {
  return spec.validators.flatMap((v) => v.keys)[i];
}

/** The committee of a state. */
export function committeeOf(s: FbftState) {
  return s.ctx.committee;
}

/** A valid block 1 proposed by `leader` at view 1 on the genesis chain. */
export function block1(spec: SimChainSpec, leader: Signer, body = "", viewId = 1n): Uint8Array {
  return simProposal(
    spec,
    simGenesisView(spec),
    leader.publicKey,
    viewId,
    new Uint8Array(0),
    100n,
    true,
    new TextEncoder().encode(body),
  );
}

/** The hash of a simulated block. */
export function hashOf(block: Uint8Array): Uint8Array {
  return decodeSimBlock(block).header.hash;
}

/** Round fields for a message. */
export function round(viewId: bigint, blockNum: bigint, blockHash: Uint8Array, shardId = 0n) {
  return { viewId, blockNum, shardId, blockHash };
}

/** Frames a message. */
export function frame(m: HarmonyMessage): Uint8Array {
  return frameHarmonyMessage(m);
}

/** Delivers a frame to a node at time `now`. */
export function deliver(
  s: FbftState,
  m: HarmonyMessage | Uint8Array,
  now = 1_000_000n,
): StepResult {
  const bytes = m instanceof Uint8Array ? m : frame(m);
  return step(s, { kind: "message", frame: bytes, now });
}

/** Runs an event. */
export function run(s: FbftState, e: FbftEvent): StepResult {
  return step(s, e);
}

/** The frames of the `send` effects of one type. */
export function sent(effects: FbftEffect[], type: number): Uint8Array[] {
  return effects.flatMap((e) => (e.kind === "send" && e.type === type ? [e.frame] : []));
}

/** An ANNOUNCE. */
export function announceMsg(
  s: SimChainSpec,
  leader: Signer,
  block: Uint8Array,
  viewId = 1n,
  blockNum = 1n,
) {
  const committee = nodeAt(s, 0).ctx.committee;
  const hash = hashOf(block);
  return constructConsensusMessage(
    MSG.ANNOUNCE,
    round(viewId, blockNum, hash),
    [leader],
    committee,
    {
      block,
      payload: hash,
    },
  );
}

/** A prepare certificate over a block hash by some committee slots. */
export function prepareCert(
  spec: SimChainSpec,
  slots: number[],
  blockHash: Uint8Array,
): Uint8Array {
  const n = spec.validators.flatMap((v) => v.keys).length;
  const sig = aggregateSignHash(slots.map((i) => keyOf(spec, i)), blockHash);
  return concatBytes(sig, blsMaskFromIndices(n, slots));
}

/** A commit certificate over a block by some committee slots. */
export function commitCert(spec: SimChainSpec, slots: number[], block: Uint8Array): Uint8Array {
  const h = decodeSimBlock(block).header;
  const n = spec.validators.flatMap((v) => v.keys).length;
  const payload = commitPayload(spec.network, h.epoch, h.hash, h.number, h.viewId);
  const sig = aggregateSignHash(slots.map((i) => keyOf(spec, i)), payload);
  return concatBytes(sig, blsMaskFromIndices(n, slots));
}

/** A PREPARED from the leader with a certificate by `slots`. */
export function preparedMsg(
  spec: SimChainSpec,
  leader: Signer,
  block: Uint8Array,
  slots: number[],
  viewId = 1n,
) {
  const committee = nodeAt(spec, 0).ctx.committee;
  const hash = hashOf(block);
  return constructConsensusMessage(MSG.PREPARED, round(viewId, 1n, hash), [leader], committee, {
    block,
    payload: prepareCert(spec, slots, hash),
  });
}

/** A COMMITTED from the leader with a certificate by `slots`. */
export function committedMsg(
  spec: SimChainSpec,
  leader: Signer,
  block: Uint8Array,
  slots: number[],
  viewId = 1n,
) {
  const committee = nodeAt(spec, 0).ctx.committee;
  const hash = hashOf(block);
  return constructConsensusMessage(MSG.COMMITTED, round(viewId, 1n, hash), [leader], committee, {
    payload: commitCert(spec, slots, block),
  });
}

/** A PREPARE by some keys. */
export function prepareMsg(
  spec: SimChainSpec,
  signers: Signer[],
  blockHash: Uint8Array,
  viewId = 1n,
) {
  const committee = nodeAt(spec, 0).ctx.committee;
  return constructConsensusMessage(MSG.PREPARE, round(viewId, 1n, blockHash), signers, committee, {
    payload: aggregateSignHash(signers, blockHash),
  });
}

/** A COMMIT by some keys for a block. */
export function commitMsg(spec: SimChainSpec, signers: Signer[], block: Uint8Array, viewId = 1n) {
  const committee = nodeAt(spec, 0).ctx.committee;
  const h = decodeSimBlock(block).header;
  const payload = commitPayload(spec.network, h.epoch, h.hash, h.number, h.viewId);
  return constructConsensusMessage(MSG.COMMIT, round(viewId, 1n, h.hash), signers, committee, {
    payload: aggregateSignHash(signers, payload),
  });
}

/** An M2 VIEWCHANGE. */
export function viewChangeMsg(sender: Signer, leader: Signer, viewId: bigint, blockNum = 1n) {
  return constructViewChangeMessage(
    MSG.VIEWCHANGE,
    viewChangeRequest({
      viewId,
      blockNum,
      shardId: 0n,
      senderPubkey: sender.publicKey,
      leaderPubkey: leader.publicKey,
      viewchangeSig: aggregateSignHash([sender], NIL_PAYLOAD),
      viewidSig: aggregateSignHash([sender], viewIdPayload(viewId)),
    }),
    sender,
  );
}

/** The lowercase hex of bytes (re-exported for brevity). */
export const hex = toHex;

/** A NEWVIEW by `leader` with M3 (and M2) aggregates of the given slots, and an optional M1. */
export function newViewMsg(
  spec: SimChainSpec,
  leader: Signer,
  viewId: bigint,
  m3Slots: number[],
  m2Slots: number[],
  m1?: { payload: Uint8Array; block: Uint8Array },
  m3Message: Uint8Array = viewIdPayload(viewId),
) {
  const n = spec.validators.flatMap((v) => v.keys).length;
  const keys = (slots: number[]) => slots.map((i) => keyOf(spec, i));
  return constructViewChangeMessage(
    MSG.NEWVIEW,
    viewChangeRequest({
      viewId,
      blockNum: 1n,
      shardId: 0n,
      senderPubkey: leader.publicKey,
      payload: m1?.payload ?? new Uint8Array(0),
      preparedBlock: m1?.block ?? new Uint8Array(0),
      m2Aggsigs: m2Slots.length > 0
        ? aggregateSignHash(keys(m2Slots), NIL_PAYLOAD)
        : new Uint8Array(0),
      m2Bitmap: m2Slots.length > 0 ? blsMaskFromIndices(n, m2Slots) : new Uint8Array(0),
      m3Aggsigs: aggregateSignHash(keys(m3Slots), m3Message),
      m3Bitmap: blsMaskFromIndices(n, m3Slots),
    }),
    leader,
  );
}

/** An M1 VIEWCHANGE carrying a prepared block and its prepare certificate by `slots`. */
export function viewChangeM1Msg(
  spec: SimChainSpec,
  sender: Signer,
  leader: Signer,
  viewId: bigint,
  block: Uint8Array,
  slots: number[],
) {
  const payload = concatBytes(hashOf(block), prepareCert(spec, slots, hashOf(block)));
  return constructViewChangeMessage(
    MSG.VIEWCHANGE,
    viewChangeRequest({
      viewId,
      blockNum: 1n,
      shardId: 0n,
      senderPubkey: sender.publicKey,
      leaderPubkey: leader.publicKey,
      payload,
      preparedBlock: block,
      viewchangeSig: aggregateSignHash([sender], payload),
      viewidSig: aggregateSignHash([sender], viewIdPayload(viewId)),
    }),
    sender,
  );
}
