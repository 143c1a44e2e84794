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
 * **Where the rules live.** The thresholds, the voting power of a bitmap and the verifier's rule
 * are the staking rules' (`staking/voting-power.ts`: `deciderQuorumBySlots`,
 * `verifierQuorumBySlots`, over a `VotingRoster`); this module applies them to a consensus
 * committee (its decoded keys, `BlsCommittee`, whose key-to-slot index is Go's) under the
 * {@link QuorumPolicy} of its epoch, which {@link epochQuorumPolicy} chooses.
 *
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-one-vote.go
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-staked-vote.go
 * @see github.com/harmony-one/harmony consensus/quorum/verifier.go
 * @see github.com/harmony-one/harmony consensus/votepower/roster.go (`Roster.Voters`)
 * @module
 */
import type { BlsCommittee } from "../crypto/bls-mask.ts";
import { toHex } from "../encoding/bytes.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import type { Committee } from "../sharding/shard-state.ts";
import {
  computeRoster,
  deciderQuorumBySlots,
  verifierQuorumBySlots,
  type VotingRoster,
} from "../staking/voting-power.ts";

/** How quorum is decided for a committee. */
export type QuorumPolicy =
  | {
    /** One key, one vote (before Staking). */
    kind: "uniform";
  }
  | {
    /** Voting power (from Staking on). */
    kind: "staked";
    /** The powers. */
    roster: VotingRoster;
  };

/** The roster a policy weighs votes with; `null` for one key, one vote. */
function rosterOf(policy: QuorumPolicy): VotingRoster | null {
  return policy.kind === "staked" ? policy.roster : null;
}

/**
 * Whether a bitmap of signers is a quorum, as the consensus decider judges it
 * (Go `IsQuorumAchievedByMask`; the rule is `deciderQuorumBySlots`).
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
  return deciderQuorumBySlots(rosterOf(policy), committee.index, n, bitmap);
}

/**
 * Whether a bitmap passes the chain engine's quorum check (Go `quorum.NewVerifier`, used for
 * header seals and COMMITTED messages; the rule is `verifierQuorumBySlots`).
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
  return verifierQuorumBySlots(rosterOf(policy), committee.index, n, bitmap);
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

/**
 * The quorum policy of a committee at an epoch (Go's decider choice in
 * `updateConsensusInformation`): uniform before Staking, the EPoS roster's voting power from it on.
 *
 * [Modified in Staking] quorum by voting power.
 *
 * @param config the network
 * @param committee the shard's committee
 * @param epoch the epoch
 * @returns the policy
 * @throws {SpecError} the codes of `computeRoster`
 */
export function epochQuorumPolicy(
  config: NetworkConfig,
  committee: Committee,
  epoch: bigint,
): QuorumPolicy {
  if (!isActive(config, "Staking", epoch)) return { kind: "uniform" };
  return { kind: "staked", roster: computeRoster(config, committee, epoch) };
}
