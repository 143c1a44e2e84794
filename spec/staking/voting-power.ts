/**
 * Voting power and quorum.
 *
 * **Roster** (`votepower.Compute`). From the staking epoch on, a committee's keys do not vote
 * equally. Harmony-operated slots (no effective stake) share Harmony's part of the vote equally;
 * staked slots share the rest in proportion to their effective stakes. For a committee and the
 * instance of its epoch:
 * - `harmonyPercent` is the instance's Harmony vote share (0.68, 0.60, 0.49, 0.01 on mainnet
 *   over time) and `externalPercent = 1 − harmonyPercent`;
 * - `totalEffectiveStake` is the sum of the staked slots' stakes, `hmySlotCount` the number of
 *   Harmony slots;
 * - a staked slot gets `groupPercent = stake / totalEffectiveStake` and
 *   `overallPercent = groupPercent · externalPercent`;
 * - a Harmony slot gets `overallPercent = harmonyPercent / hmySlotCount` and
 *   `groupPercent = overallPercent / harmonyPercent`;
 * all with Dec's half-to-even rounding. Because of rounding the shares may not add up to one; the
 * difference `1 − Σ` (positive or negative) is added to the *last staked slot* in slot order, so
 * the total is then exactly one. With no staked slot nothing is fixed (Harmony slots alone sum to
 * about `harmonyPercent`).
 *
 * A key that occurs twice in a committee keeps the entry of its first slot; every occurrence still
 * counts in the totals. When the last staked slot is such a repeated key, the fix-up lands on an
 * entry that is not kept, so the kept entries then do not add up to one: the spec reproduces this.
 * Go checks after the fix-up that the total is one and returns an error otherwise; the fix-up
 * makes that check unreachable, so the spec states it as an invariant.
 *
 * **Quorum.**
 * - Staking era (`SuperMajorityStake`): the voting power of a set of keys is the sum of their
 *   `overallPercent`; quorum needs strictly more than `2/3 = 0.666666666666666667` (a Dec
 *   quotient). All signatures are collected when the commit tally equals exactly one.
 * - Before staking (`SuperMajorityVote`): one key, one vote; quorum needs at least
 *   `⌊2n/3⌋ + 1` of the `n` keys, and all are collected when every key signed.
 * - By bitmap: the voting power of a bitmap sums, for each distinct key of the committee, the
 *   power of its entry if the bit of the key's *last* slot is set (Go walks a key-to-index map in
 *   which a repeated key keeps its last index).
 * - Header and crosslink verifier (`quorum.NewVerifier`): in the staking era the same bitmap
 *   rule. Before staking Go compares the number of *committee keys* (not signers) with
 *   `⌊2n/3⌋ + 1` using `>`. **Observation:** for `n ≥ 4` that holds whatever the bitmap, so
 *   pre-staking header signatures were only checked against the keys their bitmap names; for
 *   `n ≤ 3` it never holds. The spec reproduces this; note also `>` here against `≥` in consensus.
 * - A vote signed with several keys (an aggregated vote) must name keys of the committee, all of
 *   one earning account, except that Harmony keys may join any vote ({@link ballotVotingPower}).
 *   That no key appears twice, and that no key has voted before in the phase, is the ballot box's
 *   rule (`consensus/ballots.ts`, Go `submitVote`).
 *
 * These rules read only a {@link VotingRoster} (each key's power, earning account and Harmony
 * flag) and the committee's slots, so consensus applies the same functions to its quorum policy
 * (`consensus/quorum.ts`) and to the ballot box.
 *
 * @see github.com/harmony-one/harmony consensus/votepower/roster.go (Compute, VotePowerByMask)
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-staked-vote.go,
 *   one-node-one-vote.go, quorum.go (TwoThirdsSignersCount, submitVote), verifier.go
 * @module
 */
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decEqual,
  decFromInt,
  decGT,
  decIsZero,
  decMul,
  decQuo,
  decSub,
} from "../numeric/decimal.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { blsMaskCountEnabled, blsMaskEnabledIndices } from "../crypto/bls-mask.ts";
import { type NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { instanceForEpoch } from "../sharding/schedule.ts";
import { type Committee } from "../sharding/shard-state.ts";
import { invariant, require } from "../errors.ts";

/** Quorum threshold of the staked policy: Dec 2/3 = 0.666666666666666667. */
export const TWO_THIRDS: Dec = decQuo(decFromInt(2n), decFromInt(3n));

/** What the quorum and vote rules read of one key. */
export interface VoteWeight {
  /** The slot's earning account. */
  earningAccount: Uint8Array;
  /** Whether it is a Harmony-operated slot. */
  isHarmonyNode: boolean;
  /** Share of the whole vote. */
  overallPercent: Dec;
}

/** What the quorum and vote rules read of a committee: each distinct key's weight. */
export interface VotingRoster {
  /** One entry per distinct key, keyed by the key's lowercase hex. */
  voters: ReadonlyMap<string, VoteWeight>;
}

/** One key's vote (Go `AccommodateHarmonyVote`). */
export interface Voter extends VoteWeight {
  /** The key. */
  identity: Uint8Array;
  /** Share within its group (Harmony's or the stakers'). */
  groupPercent: Dec;
  /** The slot's effective stake (zero for a Harmony slot). */
  effectiveStake: Dec;
}

/** A committee's voting power (Go `votepower.Roster`). */
export interface Roster extends VotingRoster {
  /** The committee's shard. */
  shardId: bigint;
  /** One entry per distinct key, the first slot's; keyed by the key's hex. */
  voters: Map<string, Voter>;
  /** The keys in slot order, repeats included: the bitmap's participants. */
  orderedSlots: Uint8Array[];
  /** Sum of the Harmony slots' overall shares. */
  ourVotingPowerTotalPercentage: Dec;
  /** Sum of the staked slots' overall shares, fix-up included. */
  theirVotingPowerTotalPercentage: Dec;
  /** Sum of the staked slots' effective stakes. */
  totalEffectiveStake: Dec;
  /** Number of Harmony slots. */
  hmySlotCount: bigint;
}

function newVoter(earningAccount: Uint8Array, identity: Uint8Array): Voter {
  return {
    earningAccount,
    identity,
    isHarmonyNode: false,
    groupPercent: DEC_ZERO,
    overallPercent: DEC_ZERO,
    effectiveStake: DEC_ZERO,
  };
}

/**
 * Computes a committee's roster with a given Harmony share (the core of Go `votepower.Compute`).
 *
 * @param committee the committee, slots in order
 * @param harmonyPercent Harmony's share of the vote
 * @returns the roster
 * @throws {SpecError} `numeric/division-by-zero` when staked slots have zero total stake, or
 *   Harmony slots exist while Harmony's share is zero (Go panics); `numeric/overflow`
 */
export function computeRosterWithShare(committee: Committee, harmonyPercent: Dec): Roster {
  let total = DEC_ZERO;
  let hmyCount = 0n;
  for (const s of committee.slots) {
    if (s.effectiveStake === null) hmyCount++;
    else total = decAdd(total, s.effectiveStake);
  }
  const externalPercent = decSub(DEC_ONE, harmonyPercent);
  let ours = DEC_ZERO;
  let theirs = DEC_ZERO;
  let lastStaked: Voter | null = null;
  const voters = new Map<string, Voter>();
  for (const slot of committee.slots) {
    const v = newVoter(slot.ecdsaAddress, slot.blsPublicKey);
    if (slot.effectiveStake !== null) {
      v.effectiveStake = slot.effectiveStake;
      v.groupPercent = decQuo(slot.effectiveStake, total);
      v.overallPercent = decMul(v.groupPercent, externalPercent);
      theirs = decAdd(theirs, v.overallPercent);
      lastStaked = v;
    } else {
      v.isHarmonyNode = true;
      v.overallPercent = decQuo(harmonyPercent, decFromInt(hmyCount));
      v.groupPercent = decQuo(v.overallPercent, harmonyPercent);
      ours = decAdd(ours, v.overallPercent);
    }
    // The first occurrence of a key wins; later ones still counted in the totals above.
    const hex = toHex(slot.blsPublicKey);
    if (!voters.has(hex)) voters.set(hex, v);
  }
  const diff = decSub(DEC_ONE, decAdd(ours, theirs));
  if (!decIsZero(diff) && lastStaked !== null) {
    lastStaked.overallPercent = decAdd(lastStaked.overallPercent, diff);
    theirs = decAdd(theirs, diff);
  }
  invariant(lastStaked === null || decEqual(decAdd(ours, theirs), DEC_ONE), "voting power is 1");
  return {
    shardId: committee.shardId,
    voters,
    orderedSlots: committee.slots.map((s) => s.blsPublicKey),
    ourVotingPowerTotalPercentage: ours,
    theirVotingPowerTotalPercentage: theirs,
    totalEffectiveStake: total,
    hmySlotCount: hmyCount,
  };
}

/**
 * Computes a committee's roster for an epoch (Go `votepower.Compute`): Harmony's share is that
 * of the instance of `epoch`.
 *
 * @param config the network configuration
 * @param committee the committee
 * @param epoch the committee's epoch
 * @returns the roster
 * @throws {SpecError} as {@link computeRosterWithShare}; `sharding/epoch-out-of-range`
 */
export function computeRoster(config: NetworkConfig, committee: Committee, epoch: bigint): Roster {
  const share = { mantissa: instanceForEpoch(config, epoch).harmonyVotePercent };
  return computeRosterWithShare(committee, share);
}

/**
 * Where each distinct key of a committee last sits: the key-to-index map Go builds for bitmaps.
 *
 * @param slotKeys the committee's keys in slot order, repeats included
 * @returns hex of each distinct key → its last slot, in order of first appearance
 */
export function lastSlotsOf(slotKeys: readonly Uint8Array[]): Map<string, number> {
  const lastSlots = new Map<string, number>();
  slotKeys.forEach((key, i) => lastSlots.set(toHex(key), i));
  return lastSlots;
}

/**
 * The voting power a bitmap enables (Go `VotePowerByMask`, `ComputeTotalPowerByMask`): each
 * distinct key counted once, when the bit of its last slot is set; keys not in the roster add
 * nothing.
 *
 * @param roster the committee's voting roster
 * @param lastSlots each distinct key's last slot ({@link lastSlotsOf})
 * @param slotCount the number of slots (the bitmap's participants)
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns the sum of the enabled keys' overall shares
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function votePowerBySlots(
  roster: VotingRoster,
  lastSlots: ReadonlyMap<string, number>,
  slotCount: number,
  bitmap: Uint8Array,
): Dec {
  const enabled = new Set(blsMaskEnabledIndices(slotCount, bitmap));
  let power = DEC_ZERO;
  for (const [hex, index] of lastSlots) {
    const voter = roster.voters.get(hex);
    if (enabled.has(index) && voter !== undefined) power = decAdd(power, voter.overallPercent);
  }
  return power;
}

/**
 * The voting power of the keys a bitmap enables (Go `Roster.VotePowerByMask`).
 *
 * @param roster the committee's roster; its slots are the bitmap's participants
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns the sum of the enabled distinct keys' overall shares
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function votePowerByMask(roster: Roster, bitmap: Uint8Array): Dec {
  const slots = roster.orderedSlots;
  return votePowerBySlots(roster, lastSlotsOf(slots), slots.length, bitmap);
}

/**
 * Whether a voting power reaches the staked quorum.
 *
 * @param power the tallied voting power
 * @returns true iff `power > 2/3` (Dec)
 */
export function isStakedQuorum(power: Dec): boolean {
  return decGT(power, TWO_THIRDS);
}

/**
 * Whether every vote of a committee is in, under the staked policy (Go `IsAllSigsCollected`).
 *
 * @param commitTally the commit phase's tallied voting power
 * @returns true iff it equals exactly one
 */
export function isAllStakedSigsCollected(commitTally: Dec): boolean {
  return decEqual(commitTally, DEC_ONE);
}

/**
 * The number of signers the one-key-one-vote policy needs (Go `TwoThirdsSignersCount`).
 *
 * @param participants the number of committee keys `n`
 * @returns `⌊2n/3⌋ + 1`
 */
export function uniformQuorumThreshold(participants: bigint): bigint {
  return (participants * 2n) / 3n + 1n;
}

/**
 * Whether enough keys signed under the one-key-one-vote policy (Go `uniformVoteWeight`).
 *
 * @param signers the number of keys that signed
 * @param participants the number of committee keys
 * @returns true iff `signers >= ⌊2n/3⌋ + 1`
 */
export function isUniformQuorum(signers: bigint, participants: bigint): boolean {
  return signers >= uniformQuorumThreshold(participants);
}

/**
 * The consensus decider's quorum test on a bitmap (Go `IsQuorumAchievedByMask`): with a roster
 * (staked policy) the enabled power `> 2/3`, without one (one key, one vote) at least
 * `⌊2n/3⌋ + 1` bits set.
 *
 * @param roster the committee's voting roster; `null` for the one-key-one-vote policy
 * @param lastSlots each distinct key's last slot ({@link lastSlotsOf})
 * @param slotCount the number of slots `n`
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns whether the bitmap carries a quorum
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function deciderQuorumBySlots(
  roster: VotingRoster | null,
  lastSlots: ReadonlyMap<string, number>,
  slotCount: number,
  bitmap: Uint8Array,
): boolean {
  if (roster === null) {
    return isUniformQuorum(BigInt(blsMaskCountEnabled(slotCount, bitmap)), BigInt(slotCount));
  }
  return isStakedQuorum(votePowerBySlots(roster, lastSlots, slotCount, bitmap));
}

/**
 * The header and crosslink verifier's quorum test (Go `quorum.NewVerifier(...)
 * .IsQuorumAchievedByMask`): with a roster the staked rule; without one Go's `uniformVerifier`,
 * which compares the committee size `n` with `⌊2n/3⌋ + 1` using `>`, whatever the bitmap (see the
 * module's observation). The bitmap's length is checked in both cases, as Go's `SetMask` does
 * when the caller builds the mask.
 *
 * @param roster the committee's voting roster; `null` before the staking era
 * @param lastSlots each distinct key's last slot ({@link lastSlotsOf})
 * @param slotCount the number of slots `n`
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns whether the verifier accepts the bitmap's quorum
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function verifierQuorumBySlots(
  roster: VotingRoster | null,
  lastSlots: ReadonlyMap<string, number>,
  slotCount: number,
  bitmap: Uint8Array,
): boolean {
  blsMaskCountEnabled(slotCount, bitmap);
  const n = BigInt(slotCount);
  if (roster === null) return n > uniformQuorumThreshold(n);
  return isStakedQuorum(votePowerBySlots(roster, lastSlots, slotCount, bitmap));
}

/**
 * The consensus decider's quorum test on a shard-state committee at an epoch: the policy in force
 * (the EPoS roster from `Staking` on, one key one vote before), then
 * {@link deciderQuorumBySlots}.
 *
 * @param config the network configuration
 * @param committee the committee
 * @param epoch its epoch
 * @param bitmap the signers' bitmap
 * @returns whether the bitmap carries a quorum
 * @throws {SpecError} `bls/bitmap-length-mismatch`; the codes of {@link computeRoster}
 */
export function isQuorumAchievedByMask(
  config: NetworkConfig,
  committee: Committee,
  epoch: bigint,
  bitmap: Uint8Array,
): boolean {
  const staked = isActive(config, "Staking", epoch);
  const roster = staked ? computeRoster(config, committee, epoch) : null;
  const keys = committee.slots.map((s) => s.blsPublicKey);
  return deciderQuorumBySlots(roster, lastSlotsOf(keys), keys.length, bitmap);
}

/**
 * The header and crosslink verifier's quorum test on a shard-state committee
 * ({@link verifierQuorumBySlots}, with the EPoS roster of the epoch in the staking era).
 *
 * @param config the network configuration
 * @param committee the committee
 * @param epoch its epoch
 * @param isStaking whether the caller is in the staking era (Go passes `IsStaking(epoch)`)
 * @param bitmap the signers' bitmap
 * @returns whether the verifier accepts the bitmap's quorum
 * @throws {SpecError} `bls/bitmap-length-mismatch`; the codes of {@link computeRoster}
 */
export function verifierQuorumByMask(
  config: NetworkConfig,
  committee: Committee,
  epoch: bigint,
  isStaking: boolean,
  bitmap: Uint8Array,
): boolean {
  const keys = committee.slots.map((s) => s.blsPublicKey);
  blsMaskCountEnabled(keys.length, bitmap); // before the roster, as Go's SetMask
  const roster = isStaking ? computeRoster(config, committee, epoch) : null;
  return verifierQuorumBySlots(roster, lastSlotsOf(keys), keys.length, bitmap);
}

/**
 * Checks the keys of one vote against the roster and returns their voting power (Go
 * `stakedVoteWeight.AddNewVote`): every key in the roster and, after the first, of the first
 * key's earning account unless it is a Harmony key. Repeated keys are the ballot box's concern
 * (`consensus/ballots.ts`).
 *
 * @param roster the committee's voting roster
 * @param keys the vote's signer keys
 * @returns the sum of the keys' overall shares
 * @throws {SpecError} `votepower/signer-not-in-committee`, `votepower/multiple-signer-accounts`
 */
export function ballotVotingPower(roster: VotingRoster, keys: Uint8Array[]): Dec {
  let account: Uint8Array | null = null;
  let power = DEC_ZERO;
  for (const key of keys) {
    const voter = roster.voters.get(toHex(key));
    require(voter !== undefined, "votepower/signer-not-in-committee", toHex(key));
    if (account === null) account = voter.earningAccount;
    const sameAccount = bytesEqual(account, voter.earningAccount) || voter.isHarmonyNode;
    require(sameAccount, "votepower/multiple-signer-accounts", toHex(key));
    power = decAdd(power, voter.overallPercent);
  }
  return power;
}
