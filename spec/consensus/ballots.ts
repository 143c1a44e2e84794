/**
 * The leader's ballot boxes: collecting votes, refusing bad ones, and aggregating them.
 *
 * For each phase (prepare, commit) the leader keeps a ballot box. A vote is one signature by one
 * or several keys (a multi-key validator aggregates its keys' signatures and names them with a
 * bitmap). The vote is stored as one *ballot*
 * `{signerKeys, blockHash, signature, height, viewID}`, filed under **every** key that signed it,
 * so that "has this key voted?" is one lookup.
 *
 * A vote is refused (Go `submitVote`, `AddNewVote`), in this order:
 * 1. staked policy only: a signer key is not in the roster (`votepower/signer-not-in-committee`);
 * 2. staked policy only, several keys: a key after the first belongs to another earning account
 *    than the first, and is not a Harmony-operated key (`votepower/multiple-signer-accounts`).
 *    This stops a node from folding other validators' signatures into its own vote. Steps 1 and 2
 *    are the roster's rule, `ballotVotingPower` of `staking/voting-power.ts`;
 * 3. key by key: the same key appears earlier in the vote (`fbft/duplicate-key-in-vote`), or the
 *    key has already voted in this phase (`fbft/already-voted`).
 * A refused vote changes nothing.
 *
 * Quorum of a ballot box (Go `IsQuorumAchieved`): uniform policy, at least `⌊2n/3⌋ + 1` keys have
 * voted; staked policy, the running tally of voting power has at some point exceeded `2/3` (Go
 * latches the flag the first time and never clears it within the round).
 *
 * Aggregation (Go `AggregateVotes`): the sum of the signatures of the distinct ballots. A ballot
 * is skipped when one of its keys was already covered by an earlier one; since a key can only
 * vote once, that never happens to a box built with {@link addNewVote}, and the order of the sum
 * does not matter.
 *
 * @see github.com/harmony-one/harmony consensus/quorum/quorum.go `submitVote`, `AggregateVotes`,
 *   `ReadBallot`, `GetBallotsCount`, `SignersCount`
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-staked-vote.go `AddNewVote`,
 *   `IsQuorumAchieved`
 * @see github.com/harmony-one/harmony consensus/quorum/one-node-one-vote.go `IsQuorumAchieved`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { blsEncodeSignature, type BlsG2Point } from "../crypto/bls.ts";
import { require } from "../errors.ts";
import { type Dec, DEC_ZERO, decAdd } from "../numeric/decimal.ts";
import { ballotVotingPower, isStakedQuorum, isUniformQuorum } from "../staking/voting-power.ts";
import { keyHex, type QuorumPolicy } from "./quorum.ts";

/** One vote as the leader stores it (Go `votepower.Ballot`). */
export interface Ballot {
  /** The keys that signed, in the order the vote named them. */
  signerKeys: Uint8Array[];
  /** The block hash the vote's message named. */
  blockHash: Uint8Array;
  /** The 96-byte signature. */
  signature: Uint8Array;
  /** The same signature, decoded. */
  signaturePoint: BlsG2Point;
  /** The block number of the vote. */
  height: bigint;
  /** The view ID of the vote. */
  viewId: bigint;
}

/** A phase's ballot box. */
export interface BallotBox {
  /** Ballot by signer key (hex); one ballot is filed under each of its keys. */
  byKey: Map<string, Ballot>;
  /** Staked policy: the sum of the voting power of all accepted keys. */
  tally: Dec;
  /** Staked policy: whether the tally has exceeded 2/3 (latched). */
  quorumReached: boolean;
}

/** A box with no votes. */
export const EMPTY_BALLOT_BOX: BallotBox = {
  byKey: new Map(),
  tally: DEC_ZERO,
  quorumReached: false,
};

/**
 * Adds a vote to a ballot box (Go `AddNewVote`).
 *
 * @param policy the committee's quorum policy
 * @param box the phase's box
 * @param vote the vote: signer keys, the 96-byte signature and its decoded point, the block hash,
 *   height and view ID
 * @returns the new box (the input is not modified)
 * @throws {SpecError} `votepower/signer-not-in-committee`, `votepower/multiple-signer-accounts`,
 *   `fbft/duplicate-key-in-vote`, `fbft/already-voted`
 */
export function addNewVote(policy: QuorumPolicy, box: BallotBox, vote: Ballot): BallotBox {
  const keysHex = vote.signerKeys.map(keyHex);
  const power = policy.kind === "staked"
    ? ballotVotingPower(policy.roster, vote.signerKeys)
    : DEC_ZERO;
  const seen = new Set<string>();
  for (const k of keysHex) {
    require(!seen.has(k), "fbft/duplicate-key-in-vote", k);
    seen.add(k);
    require(!box.byKey.has(k), "fbft/already-voted", k);
  }
  const byKey = new Map(box.byKey);
  for (const k of keysHex) byKey.set(k, vote);
  const tally = decAdd(box.tally, power);
  const quorumReached = box.quorumReached || isStakedQuorum(tally);
  return { byKey, tally, quorumReached };
}

/**
 * How many keys have voted (Go `SignersCount`).
 *
 * @param box the box
 * @returns the number of keys with a ballot
 */
export function signersCount(box: BallotBox): number {
  return box.byKey.size;
}

/**
 * How many of some keys have voted (Go `GetBallotsCount`).
 *
 * @param box the box
 * @param keysHex keys as hex
 * @returns the number of them with a ballot
 */
export function ballotsCountOf(box: BallotBox, keysHex: string[]): number {
  let count = 0;
  for (const k of keysHex) if (box.byKey.has(k)) count++;
  return count;
}

/**
 * Whether the box holds a quorum (Go `IsQuorumAchieved`).
 *
 * @param policy the committee's quorum policy
 * @param committeeSize the number of committee keys
 * @param box the box
 * @returns uniform: at least `⌊2n/3⌋ + 1` voters; staked: the latched tally flag
 */
export function isQuorumAchieved(
  policy: QuorumPolicy,
  committeeSize: number,
  box: BallotBox,
): boolean {
  if (policy.kind === "uniform") {
    return isUniformQuorum(BigInt(box.byKey.size), BigInt(committeeSize));
  }
  return box.quorumReached;
}

/**
 * The distinct ballots of a box, each once, skipping a ballot whose keys were already covered.
 *
 * @param box the box
 * @returns the ballots, in the order their first key voted
 */
export function distinctBallots(box: BallotBox): Ballot[] {
  const covered = new Set<string>();
  const out: Ballot[] = [];
  for (const ballot of box.byKey.values()) {
    const keys = ballot.signerKeys.map(keyHex);
    if (keys.some((k) => covered.has(k))) continue;
    for (const k of keys) covered.add(k);
    out.push(ballot);
  }
  return out;
}

/**
 * The aggregate signature of a box (Go `AggregateVotes`): the sum of its distinct ballots'
 * signatures; the point at infinity for an empty box.
 *
 * @param box the box
 * @returns the 96-byte aggregate
 */
export function aggregateVotes(box: BallotBox): Uint8Array {
  let sum = bls12_381.G2.Point.ZERO;
  for (const ballot of distinctBallots(box)) sum = sum.add(ballot.signaturePoint);
  return blsEncodeSignature(sum);
}
