/**
 * The DRG: Harmony's distributed randomness generation, as its design describes it, producing
 * one unbiasable random value per epoch for resharding. **Beyond the Go node**: the feature `DRG`
 * is on in the localnet preset and never on mainnet or testnet.
 *
 * **Why.** Assigning validators to shards at random stops an attacker from gathering in one
 * shard, but only if nobody can predict or steer the randomness. A single leader's VRF is
 * unpredictable yet biasable (the leader may withhold a block it dislikes). The design combines
 * many validators' VRFs, so that one honest contribution makes the result unpredictable, and then
 * runs the combination through a verifiable delay function (VDF), so that the value becomes known
 * only after the contributors are bound to it: a leader choosing which contributions to include
 * cannot tell in time which choice it would prefer.
 *
 * **Harmony's design, restated** (docs.harmony.one "Randomness"; the whitepaper's DRG):
 * 1. validators compute VRF outputs with their BLS keys;
 * 2. once more than 2/3 of the validators have contributed, the leader XORs the outputs into
 *    `pRnd` and commits it in a block by consensus;
 * 3. the leader computes `Rnd = VDF(pRnd, T)`, T chosen so that Rnd appears only k blocks later,
 *    and commits Rnd in a block by consensus;
 * 4. Rnd drives the resharding at the end of the epoch.
 *
 * **What the Go node has.** Two attempts, neither running: the `drand` package (2019, removed in
 * 2020) had the leader send the hash of the epoch's last block, each validator answer with a VRF
 * over it (on P-256, with a note to move to the consensus BLS key), and the leader XOR the first
 * ⌊n/3⌋ + 1 into pRnd with a bitmap of contributors; the VDF then was a hash chain. The later
 * integration (`consensus_v2.go` `GenerateVdfAndProof`, `ValidateVdfAndProof`, no callers left)
 * XORs the per-block leader VRFs of the first ⌊2n/3⌋ VRF blocks of the epoch into a seed, runs the
 * class-group VDF of harmony-one/vdf (`vdf.ts`) with the schedule's `VdfDifficulty`, and puts the
 * 516-byte output into the header's `Vdf` field, on the beacon chain only. Nothing in Go reads or
 * checks the `Vdf` field today.
 *
 * **The spec's choices** (where the sources differ or are silent):
 * - *Contribution.* Every key of the beacon committee evaluates the BLS-VRF (`vrf.ts`) over one
 *   input fixed before the epoch starts: the hash of the last block of the previous epoch, the
 *   input of `drand` ({@link drgContribute}). BLS as the integrated code does, not P-256. The
 *   per-block leader VRFs were not chosen: they need more than 2/3 of the keys to lead a block
 *   within one epoch, which leader rotation does not give (localnet rotates only from epoch 3).
 * - *Threshold.* More than 2/3 of the committee's keys, by count: `3·m > 2·n`
 *   ({@link drgThresholdMet}), as the design says. The whitepaper's `drand` took ⌊n/3⌋ + 1 and
 *   the integrated code ⌊2n/3⌋, both by count; voting power is not used (a contribution belongs
 *   to a key, as a vote does).
 * - *Combination.* XOR of the 32-byte outputs ({@link drgCombine}), as in every source; the order
 *   of the contributions does not matter.
 * - *Commitment.* The beacon block's header `Vdf` field, unused by Go, carries a tagged record
 *   ({@link drgEncodeCommitment}): `0x01 ‖ pRnd(32) ‖ bitmap(⌈n/8⌉) ‖ (output ‖ proof)` for each
 *   contributing slot in ascending order, so that anyone can recheck pRnd from the chain alone.
 * - *VDF.* `vdfGenerate(pRnd, T, 2048)` with T = the preset's `vdfDifficulty` (Go
 *   `VdfDifficulty`). Its output goes into a later block as `0x02 ‖ output`
 *   ({@link drgEncodeRnd}), at least {@link DRG_DELAY_BLOCKS} blocks after the commitment and
 *   before the epoch's last block, which carries the next committee.
 * - *Randomness.* `SHA-256(y)`, y the first half of the VDF output ({@link epochRandomness}); the
 *   serialized form starts with sign-extension bytes, so the bytes themselves are not uniform.
 *   An epoch without a committed Rnd has no randomness (`null`): the resharding rule decides what
 *   to do then.
 * - *Where.* The beacon chain only ({@link drgActive}), as in the integrated code: one value for
 *   all shards. On other shards, and whenever the feature is off, the `Vdf` field is not read, as
 *   in Go.
 *
 * The functions are pure: an epoch's progress is a record ({@link DrgEpoch}) that each step
 * returns anew. Validators call {@link drgContribute}; the leader {@link drgReceiveContribution},
 * {@link drgProposeCommitment} and {@link drgProposeRnd}; everybody {@link drgApplyBlock} for each
 * beacon block of the epoch, and the resharding {@link epochRandomness}.
 *
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `GenerateVdfAndProof`,
 *   `ValidateVdfAndProof`; consensus/consensus.go `VdfSeedSize`
 * @see github.com/harmony-one/harmony drand/drand_leader.go, drand/drand_validator.go (history,
 *   removed in 2020)
 * @see github.com/harmony-one/vdf src/vdf_go (the VDF, restated in `vdf.ts`)
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { blsMaskEnabledIndices, blsMaskFromIndices, blsMaskLength } from "../crypto/bls-mask.ts";
import { bytesEqual, concatBytes } from "../encoding/bytes.ts";
import { isSpecError, require, SpecError } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import {
  BEACON_CHAIN_SHARD_ID,
  firstBlockOfEpoch,
  lastBlockOfEpoch,
} from "../sharding/schedule.ts";
import { VDF_DISCRIMINANT_BITS, vdfGenerate, vdfVerify } from "./vdf.ts";
import { VRF_FIELD_BYTES, VRF_OUTPUT_BYTES, vrfCheck, vrfEvaluate } from "./vrf.ts";

/**
 * k: the fewest blocks between the block committing pRnd and the block committing Rnd. Chosen for
 * localnet, the only preset running the DRG: its T (5000 squarings of 2048-bit forms) takes about
 * two seconds here, two of its 1 s blocks, so Rnd can be ready three blocks after pRnd, well
 * inside a 16-block epoch.
 */
export const DRG_DELAY_BLOCKS = 3n;

/** Tag of a `Vdf` field that commits pRnd and its contributions. */
export const DRG_RECORD_COMMITMENT = 0x01;
/** Tag of a `Vdf` field that commits the VDF output of pRnd. */
export const DRG_RECORD_RND = 0x02;

/** The numbers that shape a DRG run. */
export interface DrgParams {
  /** k: blocks from the pRnd commitment to the earliest Rnd block ({@link DRG_DELAY_BLOCKS}). */
  delayBlocks: bigint;
  /** T: the VDF's number of squarings (the preset's `vdfDifficulty`), a number as the VDF takes. */
  iterations: number;
  /** The VDF discriminant's length in bits (Harmony: 2048). */
  discriminantBits: number;
}

/**
 * The DRG parameters of a network: k = {@link DRG_DELAY_BLOCKS}, T = the preset's
 * `vdfDifficulty`, 2048-bit discriminants.
 *
 * @param config the network configuration
 * @returns the parameters
 */
export function drgParams(config: NetworkConfig): DrgParams {
  return {
    delayBlocks: DRG_DELAY_BLOCKS,
    iterations: Number(config.sharding.vdfDifficulty),
    discriminantBits: VDF_DISCRIMINANT_BITS,
  };
}

/**
 * Whether the DRG runs in a shard at an epoch: on the beacon chain, once `DRG` is active.
 *
 * @param config the network configuration
 * @param shardId the shard
 * @param epoch the epoch
 * @returns true when the beacon chain's `Vdf` fields follow the DRG rules
 */
export function drgActive(config: NetworkConfig, shardId: bigint, epoch: bigint): boolean {
  return shardId === BEACON_CHAIN_SHARD_ID && isActive(config, "DRG", epoch);
}

/** One committee key's contribution: its VRF over the epoch's input. */
export interface DrgContribution {
  /** The key's slot in the beacon committee (its index in the committee's key list). */
  slot: number;
  /** The 32-byte VRF output. */
  output: Uint8Array;
  /** The 96-byte VRF proof. */
  proof: Uint8Array;
}

/**
 * A validator's contribution: the BLS-VRF of its key over the epoch's input, the hash of the last
 * block of the previous epoch.
 *
 * @param secretKey32LE the BLS secret key of the committee slot
 * @param slot the slot of its public key in the beacon committee
 * @param input the hash of the last block of the previous epoch
 * @returns the contribution
 * @throws {SpecError} the `bls/` codes of `vrfEvaluate` for a bad key
 */
export function drgContribute(
  secretKey32LE: Uint8Array,
  slot: number,
  input: Uint8Array,
): DrgContribution {
  return { slot, ...vrfEvaluate(secretKey32LE, input) };
}

/**
 * Checks a contribution: its slot is in the committee, its proof verifies under that slot's key
 * for the input, and its output is the proof's digest.
 *
 * @param committee the beacon committee's public keys, in slot order
 * @param input the epoch's input
 * @param contribution the contribution
 * @throws {SpecError} `drg/slot-out-of-range`; `drg/invalid-contribution` (any VRF rejection)
 */
export function drgVerifyContribution(
  committee: Uint8Array[],
  input: Uint8Array,
  contribution: DrgContribution,
): void {
  const { slot } = contribution;
  require(
    Number.isSafeInteger(slot) && slot >= 0 && slot < committee.length,
    "drg/slot-out-of-range",
    `${slot}`,
  );
  try {
    vrfCheck(committee[slot], input, contribution);
  } catch (e) {
    if (isSpecError(e)) throw new SpecError("drg/invalid-contribution", `slot ${slot}: ${e.code}`);
    throw e;
  }
}

/**
 * The fewest contributions that are more than 2/3 of a committee: ⌊2n/3⌋ + 1.
 *
 * @param committeeSize n, the number of keys
 * @returns the threshold count
 */
export function drgMinContributions(committeeSize: number): number {
  return Math.floor((2 * committeeSize) / 3) + 1;
}

/**
 * Whether `count` contributions are more than 2/3 of the committee: `3·count > 2·n`.
 *
 * @param committeeSize n, the number of keys
 * @param count the number of distinct contributing keys
 * @returns whether pRnd may be formed
 */
export function drgThresholdMet(committeeSize: number, count: number): boolean {
  return 3 * count > 2 * committeeSize;
}

/** pRnd and the bitmap of the slots it combines. */
export interface DrgCombination {
  /** The XOR of the contributions' outputs, 32 bytes. */
  pRnd: Uint8Array;
  /** The committee bitmap of the contributing slots (`crypto/bls-mask.ts` layout). */
  bitmap: Uint8Array;
}

/**
 * Combines contributions into pRnd: the byte-wise XOR of their outputs. XOR is commutative, so
 * the order does not matter. The contributions are not verified here.
 *
 * @param committeeSize n, the number of keys
 * @param contributions one per slot, more than 2/3 of the committee
 * @returns pRnd and the contributors' bitmap
 * @throws {SpecError} `drg/duplicate-contribution` (a slot twice); `drg/slot-out-of-range`;
 *   `drg/too-few-contributions` (not more than 2/3)
 */
export function drgCombine(
  committeeSize: number,
  contributions: DrgContribution[],
): DrgCombination {
  const slots = new Set<number>();
  const pRnd = new Uint8Array(VRF_OUTPUT_BYTES);
  for (const c of contributions) {
    require(!slots.has(c.slot), "drg/duplicate-contribution", `slot ${c.slot}`);
    require(
      Number.isSafeInteger(c.slot) && c.slot >= 0 && c.slot < committeeSize,
      "drg/slot-out-of-range",
      `${c.slot}`,
    );
    slots.add(c.slot);
    for (let i = 0; i < VRF_OUTPUT_BYTES; i++) pRnd[i] ^= c.output[i];
  }
  require(
    drgThresholdMet(committeeSize, slots.size),
    "drg/too-few-contributions",
    `${slots.size} of ${committeeSize}`,
  );
  return { pRnd, bitmap: blsMaskFromIndices(committeeSize, [...slots]) };
}

/** What a block commits to: pRnd, who contributed, and their contributions. */
export interface DrgCommitment {
  /** The XOR of the contributions' outputs. */
  pRnd: Uint8Array;
  /** The committee bitmap of the contributing slots. */
  bitmap: Uint8Array;
  /** The contributions, by ascending slot, one per enabled bit. */
  contributions: DrgContribution[];
}

/**
 * Writes a commitment record for the `Vdf` field:
 * `0x01 ‖ pRnd(32) ‖ bitmap ‖ output(32) ‖ proof(96) ‖ …` by ascending slot.
 *
 * @param commitment the commitment (contributions by ascending slot)
 * @returns the record bytes
 */
export function drgEncodeCommitment(commitment: DrgCommitment): Uint8Array {
  const parts = [new Uint8Array([DRG_RECORD_COMMITMENT]), commitment.pRnd, commitment.bitmap];
  for (const c of commitment.contributions) parts.push(c.output, c.proof);
  return concatBytes(...parts);
}

/**
 * Writes an Rnd record for the `Vdf` field: `0x02 ‖ VDF output`.
 *
 * @param vdfOutput the VDF output `ser(y) ‖ ser(π)`
 * @returns the record bytes
 */
export function drgEncodeRnd(vdfOutput: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([DRG_RECORD_RND]), vdfOutput);
}

/** An empty `Vdf` field: no DRG event in the block. */
export interface DrgNoRecord {
  /** The record's kind. */
  kind: "none";
}

/** A `Vdf` field committing pRnd. */
export interface DrgCommitmentRecord {
  /** The record's kind. */
  kind: "commitment";
  /** pRnd, the bitmap and the contributions. */
  commitment: DrgCommitment;
}

/** A `Vdf` field committing Rnd. */
export interface DrgRndRecord {
  /** The record's kind. */
  kind: "rnd";
  /** The claimed VDF output of pRnd. */
  vdfOutput: Uint8Array;
}

/** A decoded `Vdf` field: nothing, a commitment, or an Rnd (the VDF output). */
export type DrgRecord = DrgNoRecord | DrgCommitmentRecord | DrgRndRecord;

/**
 * Reads a `Vdf` field of a beacon block under the DRG. The commitment's length must match its
 * bitmap exactly and its padding bits must be clear, so that each commitment has one encoding.
 *
 * @param field the header's `Vdf` bytes
 * @param committeeSize n, the number of keys of the beacon committee
 * @returns the record
 * @throws {SpecError} `drg/malformed-record` (unknown tag, wrong length, padding bits set)
 */
export function drgDecodeRecord(field: Uint8Array, committeeSize: number): DrgRecord {
  if (field.length === 0) return { kind: "none" };
  if (field[0] === DRG_RECORD_RND) return { kind: "rnd", vdfOutput: field.slice(1) };
  require(field[0] === DRG_RECORD_COMMITMENT, "drg/malformed-record", `tag ${field[0]}`);
  const head = 1 + VRF_OUTPUT_BYTES + blsMaskLength(committeeSize);
  require(field.length >= head, "drg/malformed-record", "commitment too short");
  const bitmap = field.slice(1 + VRF_OUTPUT_BYTES, head);
  const slots = blsMaskEnabledIndices(committeeSize, bitmap);
  require(
    bytesEqual(bitmap, blsMaskFromIndices(committeeSize, slots)),
    "drg/malformed-record",
    "padding bits set",
  );
  require(field.length === head + VRF_FIELD_BYTES * slots.length, "drg/malformed-record");
  const contributions = slots.map((slot, i) => {
    const at = head + VRF_FIELD_BYTES * i;
    return {
      slot,
      output: field.slice(at, at + VRF_OUTPUT_BYTES),
      proof: field.slice(at + VRF_OUTPUT_BYTES, at + VRF_FIELD_BYTES),
    };
  });
  return {
    kind: "commitment",
    commitment: { pRnd: field.slice(1, 1 + VRF_OUTPUT_BYTES), bitmap, contributions },
  };
}

/**
 * Checks a commitment: more than 2/3 of the committee contributed, every contribution verifies,
 * and pRnd is the XOR of their outputs.
 *
 * @param committee the beacon committee's public keys, in slot order
 * @param input the epoch's input
 * @param commitment the decoded commitment
 * @throws {SpecError} `drg/too-few-contributions`, `drg/invalid-contribution`,
 *   `drg/prnd-mismatch`
 */
export function drgVerifyCommitment(
  committee: Uint8Array[],
  input: Uint8Array,
  commitment: DrgCommitment,
): void {
  const { pRnd } = drgCombine(committee.length, commitment.contributions);
  for (const c of commitment.contributions) drgVerifyContribution(committee, input, c);
  require(bytesEqual(pRnd, commitment.pRnd), "drg/prnd-mismatch");
}

/**
 * Checks an Rnd: the VDF output of pRnd, exactly (`vdfVerify`).
 *
 * @param pRnd the committed pRnd, the VDF's seed
 * @param vdfOutput the claimed output
 * @param params T and the discriminant size
 * @throws {SpecError} `drg/wrong-vdf-output`
 */
export function drgVerifyRnd(pRnd: Uint8Array, vdfOutput: Uint8Array, params: DrgParams): void {
  require(
    vdfVerify(pRnd, vdfOutput, params.iterations, params.discriminantBits),
    "drg/wrong-vdf-output",
  );
}

/** A block of the epoch and what it committed. */
export interface DrgCommitted<T> {
  /** The number of the block that carried the record. */
  blockNumber: bigint;
  /** The committed value. */
  value: T;
}

/** The DRG of one epoch on the beacon chain, as far as it has gone: its setup, then progress. */
export interface DrgEpoch extends DrgEpochSetup {
  /** The leader's verified contributions, by ascending slot (off-chain; empty for others). */
  pool: DrgContribution[];
  /** The committed pRnd, once a block carried it. */
  commitment: DrgCommitted<DrgCommitment> | null;
  /** The committed VDF output, once a block carried it. */
  rnd: DrgCommitted<Uint8Array> | null;
}

/** Where an epoch's DRG starts: its input, committee, bounds and parameters. */
export interface DrgEpochSetup {
  /** The epoch. */
  epoch: bigint;
  /** The VRF input of every contribution: the hash of the previous epoch's last block. */
  input: Uint8Array;
  /** The epoch's beacon committee: public keys in slot order. */
  committee: Uint8Array[];
  /** The epoch's first block. */
  firstBlock: bigint;
  /** The epoch's last block (it carries the next committee, so Rnd must come before it). */
  lastBlock: bigint;
  /** k, T and the discriminant size. */
  params: DrgParams;
}

/**
 * The setup of an epoch's DRG from the network configuration: the epoch's bounds from the
 * sharding schedule and the network's {@link drgParams}.
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @param input the hash of the last block of the previous epoch
 * @param committee the epoch's beacon committee keys, in slot order
 * @returns the setup
 * @throws {SpecError} the `sharding/` codes of the schedule for an out-of-range epoch
 */
export function drgEpochSetup(
  config: NetworkConfig,
  epoch: bigint,
  input: Uint8Array,
  committee: Uint8Array[],
): DrgEpochSetup {
  return {
    epoch,
    input,
    committee,
    firstBlock: firstBlockOfEpoch(config, epoch),
    lastBlock: lastBlockOfEpoch(config, epoch),
    params: drgParams(config),
  };
}

/**
 * An epoch's DRG before anything happened.
 *
 * @param setup the epoch's input, committee, bounds and parameters
 * @returns the initial record
 */
export function drgStartEpoch(setup: DrgEpochSetup): DrgEpoch {
  return { ...setup, pool: [], commitment: null, rnd: null };
}

/** The contributions known so far: the committed ones once there are, else the leader's pool. */
function knownContributions(state: DrgEpoch): DrgContribution[] {
  return state.commitment === null ? state.pool : state.commitment.value.contributions;
}

function sameContribution(a: DrgContribution, b: DrgContribution): boolean {
  return a.slot === b.slot && bytesEqual(a.output, b.output) && bytesEqual(a.proof, b.proof);
}

/**
 * The leader receives a contribution. A contribution is final once given: the same one again
 * changes nothing, a different one for a slot already known (in the pool or, after the
 * commitment, in the committed record) is rejected before any verification. After the
 * commitment no new slot is taken.
 *
 * @param state the epoch's DRG
 * @param contribution the received contribution
 * @returns the new record, with the contribution in the pool
 * @throws {SpecError} `drg/slot-out-of-range`, `drg/contribution-changed`,
 *   `drg/already-committed`, `drg/invalid-contribution`
 */
export function drgReceiveContribution(
  state: DrgEpoch,
  contribution: DrgContribution,
): DrgEpoch {
  const { slot } = contribution;
  const known = knownContributions(state).find((c) => c.slot === slot);
  if (known !== undefined) {
    require(sameContribution(known, contribution), "drg/contribution-changed", `slot ${slot}`);
    return state;
  }
  require(state.commitment === null, "drg/already-committed", "collection is closed");
  drgVerifyContribution(state.committee, state.input, contribution);
  const pool = [...state.pool, contribution].sort((a, b) => a.slot - b.slot);
  return { ...state, pool };
}

/**
 * The leader's commitment record for the next block: pRnd from every contribution in its pool.
 *
 * @param state the epoch's DRG
 * @returns the `Vdf` field to propose
 * @throws {SpecError} `drg/already-committed`, `drg/too-few-contributions`
 */
export function drgProposeCommitment(state: DrgEpoch): Uint8Array {
  require(state.commitment === null, "drg/already-committed");
  const { pRnd, bitmap } = drgCombine(state.committee.length, state.pool);
  return drgEncodeCommitment({ pRnd, bitmap, contributions: state.pool });
}

/**
 * The leader's Rnd record: the VDF of the committed pRnd (T squarings: slow on purpose).
 *
 * @param state the epoch's DRG
 * @returns the `Vdf` field to propose once k blocks have passed
 * @throws {SpecError} `drg/no-commitment`, `drg/already-committed`
 */
export function drgProposeRnd(state: DrgEpoch): Uint8Array {
  require(state.commitment !== null, "drg/no-commitment");
  require(state.rnd === null, "drg/already-committed");
  const { iterations, discriminantBits } = state.params;
  return drgEncodeRnd(vdfGenerate(state.commitment.value.pRnd, iterations, discriminantBits));
}

/**
 * Applies a beacon block's `Vdf` field to the epoch's DRG (while {@link drgActive}). An empty
 * field changes nothing; a commitment must be the first, complete and correct; an Rnd must follow
 * the commitment by at least k blocks, come before the epoch's last block, and be exactly the VDF
 * output of pRnd.
 *
 * @param state the epoch's DRG
 * @param blockNumber the block's number
 * @param field the block header's `Vdf` bytes
 * @returns the new record
 * @throws {SpecError} `drg/block-outside-epoch`, `drg/malformed-record`, `drg/already-committed`,
 *   the codes of {@link drgVerifyCommitment}; for an Rnd `drg/no-commitment`,
 *   `drg/rnd-too-early`, `drg/rnd-too-late`, `drg/wrong-vdf-output`
 */
export function drgApplyBlock(state: DrgEpoch, blockNumber: bigint, field: Uint8Array): DrgEpoch {
  require(
    blockNumber >= state.firstBlock && blockNumber <= state.lastBlock,
    "drg/block-outside-epoch",
    `${blockNumber}`,
  );
  const record = drgDecodeRecord(field, state.committee.length);
  if (record.kind === "none") return state;
  if (record.kind === "commitment") {
    require(state.commitment === null, "drg/already-committed");
    drgVerifyCommitment(state.committee, state.input, record.commitment);
    return { ...state, commitment: { blockNumber, value: record.commitment } };
  }
  require(state.commitment !== null, "drg/no-commitment");
  require(state.rnd === null, "drg/already-committed");
  const earliest = state.commitment.blockNumber + state.params.delayBlocks;
  require(blockNumber >= earliest, "drg/rnd-too-early", `${blockNumber} < ${earliest}`);
  require(blockNumber < state.lastBlock, "drg/rnd-too-late", `${blockNumber}`);
  drgVerifyRnd(state.commitment.value.pRnd, record.vdfOutput, state.params);
  return { ...state, rnd: { blockNumber, value: record.vdfOutput } };
}

/**
 * The randomness the epoch hands to the resharding of the next epoch: `SHA-256(y)`, y the first
 * half of the committed VDF output; `null` when no Rnd was committed.
 *
 * @param state the epoch's DRG after its blocks up to (not including) the last one
 * @returns 32 bytes, or null
 */
export function epochRandomness(state: DrgEpoch): Uint8Array | null {
  if (state.rnd === null) return null;
  const output = state.rnd.value;
  return sha256(output.subarray(0, output.length / 2));
}
