/**
 * Quorum: when enough of the committee has signed.
 *
 * Harmony decides quorum with one of two policies, chosen by the `Staking` feature at the epoch
 * of the committee:
 *
 * - **Uniform ("one node, one vote", before Staking).** Every key of the committee counts once.
 *   With `n` keys the threshold is `T(n) = ⌊2n/3⌋ + 1` in integer arithmetic (n = 4 → 3,
 *   n = 7 → 5, n = 250 → 167), and a set of signers is a quorum when it has at least `T(n)` keys.
 * - **Staked (from Staking on).** Every key has a voting power, a `Dec` share of the committee's
 *   total, computed by the EPoS roster (`votepower.Compute`). A set of signers is a quorum when the
 *   sum of its keys' powers is **strictly greater** than `2/3`, where
 *   `2/3 = Dec(2).Quo(Dec(3)) = 0.666666666666666667` (rounded half to even, so slightly above
 *   two thirds). Keys absent from the roster add nothing.
 *
 * Two ways of asking:
 * - *by mask*: a committee bitmap, as in a PREPARED or COMMITTED certificate or a NEWVIEW
 *   (`IsQuorumAchievedByMask`). Uniform counts the enabled bits; staked sums the power of the keys
 *   whose bit is set, taking each distinct key once at its last slot (as Go's key-to-index map
 *   does).
 * - *by tally*: the leader's running ballot box (`IsQuorumAchieved`); see `ballots.ts`.
 *
 * **The header verifier differs.** When a block header's last-commit signature (or a COMMITTED
 * message) is checked by the chain engine, the pre-staking rule is not the decider's: Go's
 * `uniformVerifier` compares the number of *committee* keys, not of signers, with `⌊2n/3⌋ + 1`,
 * using `>`. For n ≥ 4 that holds whatever the bitmap, so before Staking the seal check only
 * requires that the aggregate signature match the bitmap's keys; for n ≤ 3 it never holds. The
 * spec reproduces this in {@link verifierQuorumByMask}. From Staking on both agree.
 *
 * **Roster interface.** The voting power of each key comes from the staking rules (EPoS roster),
 * which live with staking. This module needs only a map from key to power, earning account and
 * "Harmony-operated" flag: {@link VotingRoster}. Whatever computes the roster fills it.
 *
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-one-vote.go
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-staked-vote.go
 * @see github.com/harmony-one/harmony consensus/quorum/verifier.go
 * @see github.com/harmony-one/harmony consensus/votepower/roster.go (`Roster.Voters`)
 * @module
 */
import {
  type BlsCommittee,
  blsMaskCountEnabled,
  blsMaskEnabledIndices,
} from "../crypto/bls-mask.ts";
import { toHex } from "../encoding/bytes.ts";
import { type Dec, DEC_ZERO, decAdd, decFromInt, decGT, decQuo } from "../numeric/decimal.ts";

/** One voter of a staked committee, as the roster gives it. */
export interface Voter {
  /** The key's share of the committee's voting power. */
  votingPower: Dec;
  /** The validator account that earns for this key (20 bytes). */
  earningAccount: Uint8Array;
  /** Whether the slot is operated by Harmony (no effective stake). */
  isHarmonyNode: boolean;
}

/** The voting power of a staked committee: serialized key (hex) → voter. */
export interface VotingRoster {
  /** Voters by the lowercase hex of their 48-byte key; the first slot of a repeated key wins. */
  voters: Map<string, Voter>;
}

/** How quorum is decided for a committee. */
export type QuorumPolicy =
  | { kind: "uniform" }
  | { kind: "staked"; roster: VotingRoster };

/** Two thirds as Harmony computes it: `Dec(2).Quo(Dec(3))` = 0.666666666666666667. */
export const TWO_THIRDS: Dec = decQuo(decFromInt(2n), decFromInt(3n));

/**
 * The uniform threshold `⌊2n/3⌋ + 1` (Go `TwoThirdsSignersCount`).
 *
 * @param n the number of committee keys
 * @returns the smallest number of signers that is a quorum
 */
export function uniformThreshold(n: number): number {
  return Math.floor((n * 2) / 3) + 1;
}

/**
 * The total voting power of some keys (keys not in the roster add nothing).
 *
 * @param roster the roster
 * @param keysHex the keys, as lowercase hex
 * @returns the sum of their powers
 */
export function votingPowerOfKeys(roster: VotingRoster, keysHex: Iterable<string>): Dec {
  let total = DEC_ZERO;
  for (const k of keysHex) {
    const voter = roster.voters.get(k);
    if (voter !== undefined) total = decAdd(total, voter.votingPower);
  }
  return total;
}

/**
 * The voting power a bitmap enables (Go `ComputeTotalPowerByMask`, staked): each distinct key of
 * the committee is counted once, at its last slot, when that slot's bit is set.
 *
 * @param roster the roster
 * @param committee the committee the bitmap is over
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns the enabled power
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function votingPowerByMask(
  roster: VotingRoster,
  committee: BlsCommittee,
  bitmap: Uint8Array,
): Dec {
  const enabled = new Set(blsMaskEnabledIndices(committee.points.length, bitmap));
  const keys: string[] = [];
  for (const [hex, slot] of committee.index) if (enabled.has(slot)) keys.push(hex);
  return votingPowerOfKeys(roster, keys);
}

/**
 * Whether a bitmap of signers is a quorum, as the consensus decider judges it
 * (Go `IsQuorumAchievedByMask`).
 *
 * @param policy the committee's quorum policy
 * @param committee the committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns uniform: at least `⌊2n/3⌋ + 1` bits set; staked: enabled power `> 2/3`
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function isQuorumByMask(
  policy: QuorumPolicy,
  committee: BlsCommittee,
  bitmap: Uint8Array,
): boolean {
  const n = committee.points.length;
  if (policy.kind === "uniform") return blsMaskCountEnabled(n, bitmap) >= uniformThreshold(n);
  return decGT(votingPowerByMask(policy.roster, committee, bitmap), TWO_THIRDS);
}

/**
 * Whether a set of signing keys is a quorum (the decider's rule on a set rather than a bitmap).
 *
 * @param policy the committee's quorum policy
 * @param committeeSize the number of committee keys `n`
 * @param signersHex the distinct signing keys, as lowercase hex
 * @returns uniform: at least `⌊2n/3⌋ + 1` signers; staked: their power `> 2/3`
 */
export function isQuorumByKeys(
  policy: QuorumPolicy,
  committeeSize: number,
  signersHex: Set<string>,
): boolean {
  if (policy.kind === "uniform") return signersHex.size >= uniformThreshold(committeeSize);
  return decGT(votingPowerOfKeys(policy.roster, signersHex), TWO_THIRDS);
}

/**
 * Whether a bitmap passes the chain engine's quorum check (Go `quorum.NewVerifier`, used for
 * header seals and COMMITTED messages).
 *
 * [Modified in Staking] before Staking the uniform verifier compares the committee size, not the
 * number of signers, with `⌊2n/3⌋ + 1` using `>` (see the module notes); from Staking on it is the
 * staked rule.
 *
 * @param policy the committee's quorum policy (uniform before Staking, staked from it on)
 * @param committee the committee
 * @param bitmap exactly `⌈n/8⌉` bytes
 * @returns whether the verifier accepts the bitmap
 * @throws {SpecError} `bls/bitmap-length-mismatch`
 */
export function verifierQuorumByMask(
  policy: QuorumPolicy,
  committee: BlsCommittee,
  bitmap: Uint8Array,
): boolean {
  const n = committee.points.length;
  if (policy.kind === "uniform") {
    blsMaskCountEnabled(n, bitmap); // the bitmap must still have the right length
    return n > uniformThreshold(n);
  }
  return decGT(votingPowerByMask(policy.roster, committee, bitmap), TWO_THIRDS);
}

/**
 * The lowercase hex of a key, the form rosters and ballot boxes are indexed by.
 *
 * @param publicKey48 a serialized key
 * @returns its hex
 */
export function keyHex(publicKey48: Uint8Array): string {
  return toHex(publicKey48);
}
