/**
 * The protocol's invariants: what must hold of any run of the chain, whatever the transactions,
 * the elections or the faults, stated once as predicates that the property tests and the
 * simulator both call.
 *
 * The rules of the other chapters say how to compute the next state; none of them says, in one
 * place, what the computation is for. This chapter does. Each predicate restates one promise of
 * the protocol, says why it must hold and which rule guarantees it, and can be checked from the
 * outside on values the rules produce: a chain state, an election's result, a roster, a record of
 * commits, two observed votes, a block's incoming receipts.
 *
 * **The convention.** Every predicate returns a {@link Verdict}: `true` when the invariant holds,
 * otherwise a short description of the violation that opens with the invariant's name
 * (`"supply: …"`, `"safety: …"`). A predicate never throws a `SpecError`: where checking reads
 * values that a rule could reject (a malformed certificate, a missing validator record), that
 * rejection is itself reported as the violation. Any other exception is a bug of the spec and is
 * let through. A property test asserts `verdict === true`; the simulator logs the description.
 *
 * The invariants, in the order of the chapters they guard:
 * - **supply**: tokens are neither created nor destroyed except by the rules that issue and burn
 *   them ({@link supplyMatches}, {@link supplyConserved}, {@link crossShardValueConserved});
 * - **stake**: a validator's stake is the sum of its delegations ({@link stakeIsSumOfDelegations});
 * - **voting power**: a committee with staked slots holds exactly one unit of voting power
 *   ({@link votingPowerSumsToOne});
 * - **EPoS band**: every elected key's effective stake lies within `c` of the median
 *   ({@link stakesWithinBand});
 * - **placement**: every elected key sits in exactly one shard and the committees have the shape
 *   the sharding instance prescribes ({@link winnersPlacedOnce}, {@link committeeSizesMatch});
 * - **safety and validity** of FBFT: honest validators never commit different blocks at one
 *   height, and a committed block carries a quorum certificate ({@link commitsAgree},
 *   {@link commitCertified});
 * - **accountability**: a double sign yields evidence that convicts its signer, and only a
 *   dishonest one ({@link doubleSignYieldsEvidence}, {@link honestNeverDoubleSign});
 * - **exactly once**: an incoming cross-shard receipt is never credited twice
 *   ({@link receiptsCreditedOnce}).
 *
 * Liveness (honest validators keep committing blocks once the network behaves) is a statement
 * about time, not about a value; the simulator judges it at the end of a run and it has no
 * predicate here.
 *
 * @module
 */
import type { ChainState, SupplyAccounting } from "./chain/state.ts";
import { accountedSupply, heldSupply } from "./chain/state.ts";
import { certificateVerifies, readCertificate } from "./consensus/certificate.ts";
import { type CommitVote, isDoubleSign, makeSlashRecord } from "./consensus/double-sign.ts";
import { commitPayload } from "./consensus/payloads.ts";
import { isQuorumByMask } from "./consensus/quorum.ts";
import type { BlockHeader, EpochContext } from "./consensus/state.ts";
import { bytesEqual, bytesKey, toHex } from "./encoding/bytes.ts";
import { isSpecError } from "./errors.ts";
import { isSpent, type SpentReceipts } from "./execution/cx-receipt.ts";
import { type Dec, DEC_ONE, DEC_ZERO, decAdd, decMul, decSub } from "./numeric/decimal.ts";
import type { Instance } from "./params/config.ts";
import type { HasFeatures } from "./params/features.ts";
import type { ShardState } from "./sharding/shard-state.ts";
import { doubleSignedKeys, verifySlashEvidence } from "./staking/slashing.ts";
import type { ValidatorWrapper } from "./staking/validator.ts";
import type { Roster } from "./staking/voting-power.ts";

/** What a predicate says: `true` when the invariant holds, else what is wrong, as text. */
export type Verdict = true | string;

/** Runs a check that may read rejectable values; a rejection becomes the violation. */
function judged(what: string, check: () => Verdict): Verdict {
  try {
    return check();
  } catch (e) {
    if (isSpecError(e)) return `${what}: ${e.message}`;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Supply

/**
 * Supply conservation in its general form: the tokens held equal what the accounting says,
 * `genesis + issued − burnt − sent + received`.
 *
 * Why it must hold: no rule moves value without a counterpart. A transfer debits what it credits;
 * a fee is either paid to someone (the coinbase before Staking, the fee collectors from
 * FeeCollect) or burnt; rewards are the only creation (`issued`), burnt fees, the burnt half of a
 * slash and undelegations dropped unpaid the only destruction (`burnt`); a cross-shard transfer
 * debits its sender (`sent`) and is credited on the destination (`received`). Use this form for a
 * closed model (a block of transactions, one finalisation, a slash) whose held total the caller
 * adds up; {@link supplyConserved} applies it to a whole chain state.
 *
 * @param held the tokens counted in the model
 * @param supply where they came from and went
 * @returns true, or the two figures when they differ
 * @see github.com/harmony-one/harmony core/state_transition.go (`TransitionDb`: value and fees),
 *   internal/chain/reward.go (`AccumulateRewardsAndCountSigs`), staking/slash/double-sign.go
 *   (`Apply`), internal/chain/engine.go (`payoutUndelegations`), core/state_processor.go
 *   (`ApplyIncomingReceipt`)
 */
export function supplyMatches(held: bigint, supply: SupplyAccounting): Verdict {
  const accounted = accountedSupply(supply);
  if (held === accounted) return true;
  const { genesis, issued, burnt, sent, received } = supply;
  return `supply: ${held} held, but ${genesis} + ${issued} issued − ${burnt} burnt − ${sent} sent` +
    ` + ${received} received = ${accounted}`;
}

/**
 * Supply conservation of one shard's chain: every balance plus every delegation's amount,
 * undelegations and uncollected reward ({@link heldSupply}) equals the chain's own accounting
 * ({@link accountedSupply}). A listed validator whose record cannot be read is a violation too.
 *
 * @param state the chain state after some block
 * @returns true, or what differs
 */
export function supplyConserved(state: ChainState): Verdict {
  return judged(
    `supply: shard ${state.shardId} at block ${state.head.number}`,
    () => supplyMatches(heldSupply(state), state.supply),
  );
}

/**
 * Cross-shard value is conserved over the network: what all shards sent and have not yet been
 * credited is exactly the value in flight (receipts emitted whose proofs no destination block has
 * included yet). With every receipt delivered, the shards' `sent` and `received` totals are equal.
 *
 * Why it must hold: a destination credits exactly the amounts of the receipts its source block
 * committed to (the proof's roots bind them), and each source block at most once
 * ({@link receiptsCreditedOnce}).
 *
 * @param states the latest chain state of every shard
 * @param inFlight the value of the receipts emitted but not credited yet
 * @returns true, or the totals when they differ
 */
export function crossShardValueConserved(states: readonly ChainState[], inFlight: bigint): Verdict {
  let sent = 0n;
  let received = 0n;
  for (const s of states) {
    sent += s.supply.sent;
    received += s.supply.received;
  }
  if (sent - received === inFlight) return true;
  return `supply: shards sent ${sent} and received ${received}, but ${inFlight} is in flight`;
}

// ---------------------------------------------------------------------------------------------
// Stake

/**
 * A validator's stake is the sum of its delegations' amounts (its own delegation first, then its
 * delegators'). Tokens being undelegated and uncollected rewards are held by the record but are
 * not stake: they earn nothing and buy no slot (they count in the supply, see
 * {@link supplyConserved}).
 *
 * Why it must hold: Harmony stores no separate total; every reader of a stake (the election's
 * bids, the availability and reward rules, the RPC's total delegation) sums the delegations
 * (Go `ValidatorWrapper.TotalDelegation`). A stake figure reported or carried anywhere else, such
 * as a stake that a rule left unchanged, must therefore agree with that sum.
 *
 * @param wrapper the validator's record
 * @param stake the stake reported for it
 * @returns true, or both figures when they differ
 * @see github.com/harmony-one/harmony staking/types/validator.go (`TotalDelegation`),
 *   shard/committee/assignment.go (`prepareOrders`)
 */
export function stakeIsSumOfDelegations(wrapper: ValidatorWrapper, stake: bigint): Verdict {
  let sum = 0n;
  for (const d of wrapper.delegations) sum += d.amount;
  if (sum === stake) return true;
  const who = toHex(wrapper.validator.address);
  return `stake: validator ${who} has ${stake}, but its delegations sum to ${sum}`;
}

// ---------------------------------------------------------------------------------------------
// Voting power

/**
 * A committee with at least one staked slot holds exactly one unit of voting power: the
 * `overallPercent` of its voters add up to exactly 1 (Dec `1.000000000000000000`). A committee of
 * Harmony slots only is not fixed up (its shares add up to about the Harmony share) and is not
 * judged.
 *
 * Why it must hold: quorum is "more than 2/3 of the voting power", and "all signatures collected"
 * is "exactly 1"; both compare against a whole. Harmony's roster adds the rounding difference
 * `1 − Σ` to the last staked slot and refuses a roster whose total is still not one (Go
 * `votepower.Compute`, `ErrVotingPowerNotEqualOne`). A committee in which one key holds two slots
 * is the known exception (the fix-up can land on the dropped entry, see `voting-power.ts`); an
 * elected committee never has one, since every key is placed once ({@link winnersPlacedOnce}).
 *
 * @param roster the committee's roster
 * @returns true, or the sum when it is not one
 * @see github.com/harmony-one/harmony consensus/votepower/roster.go (`Compute`)
 */
export function votingPowerSumsToOne(roster: Roster): Verdict {
  let sum = DEC_ZERO;
  let staked = false;
  for (const v of roster.voters.values()) {
    sum = decAdd(sum, v.overallPercent);
    if (!v.isHarmonyNode) staked = true;
  }
  if (!staked || sum.mantissa === DEC_ONE.mantissa) return true;
  return `voting power: shard ${roster.shardId}'s voters add up to ${sum.mantissa} / 10^18, not 1`;
}

// ---------------------------------------------------------------------------------------------
// Election

/**
 * Every elected key's effective stake lies within `[(1 − c)·median, (1 + c)·median]`, `median`
 * being the median raw stake of the winners and `c` the EPoS bound (0.15, then 0.35 from
 * `EPoSBound35`).
 *
 * Why it must hold: this is what makes the election "effective proof of stake": a validator
 * with a large stake cannot buy voting power beyond `(1 + c)` times the typical slot, and a small
 * one still carries `(1 − c)` of it. Harmony clamps every winner's per-key stake into the band
 * (Go `effective.Apply`); the voting power then follows the clamped stakes.
 *
 * @param stakes the effective stakes of the elected keys (Harmony slots, which have none, left out)
 * @param median the winners' median raw stake
 * @param c the bound
 * @returns true, or the first stake outside the band
 * @see github.com/harmony-one/harmony staking/effective/calculate.go (`Apply`, `Median`)
 */
export function stakesWithinBand(stakes: readonly Dec[], median: Dec, c: Dec): Verdict {
  const lo = decMul(decSub(DEC_ONE, c), median).mantissa;
  const hi = decMul(decAdd(DEC_ONE, c), median).mantissa;
  for (const s of stakes) {
    if (s.mantissa < lo || s.mantissa > hi) {
      return `band: effective stake ${s.mantissa} outside [${lo}, ${hi}] (atto·10^18)`;
    }
  }
  return true;
}

/**
 * Every elected key lands in exactly one shard: the staked slots of the shard state (those with an
 * effective stake) hold each winner's key once and nothing else.
 *
 * Why it must hold: a key is one vote in one committee. A key in two shards would sign for both
 * with one stake, and would count twice in a committee's voting power. Harmony places each winner
 * by its key modulo the shard count (Go `eposStakedCommittee`); the spec's random resharding deals
 * the winners out instead (`sharding/resharding.ts`); both place every winner once.
 *
 * @param state the elected shard state (a staking epoch's)
 * @param winners the elected keys
 * @returns true, or the first key placed twice, missing, or not elected
 * @see github.com/harmony-one/harmony shard/committee/assignment.go (`eposStakedCommittee`)
 */
export function winnersPlacedOnce(state: ShardState, winners: readonly Uint8Array[]): Verdict {
  const count = new Map<string, number>();
  for (const w of winners) count.set(bytesKey(w), 0);
  for (const committee of state.shards) {
    for (const slot of committee.slots) {
      if (slot.effectiveStake === null) continue;
      const key = bytesKey(slot.blsPublicKey);
      const seen = count.get(key);
      if (seen === undefined) return `placement: ${toHex(slot.blsPublicKey)} was not elected`;
      if (seen > 0) return `placement: ${toHex(slot.blsPublicKey)} sits in two slots`;
      count.set(key, 1);
    }
  }
  for (const w of winners) {
    if (count.get(bytesKey(w)) === 0) return `placement: winner ${toHex(w)} has no slot`;
  }
  return true;
}

/**
 * The committees of a staking epoch have the shape the sharding instance prescribes: one
 * committee per shard, in shard order; each opens with exactly the instance's Harmony-operated
 * slots (no effective stake), followed only by elected slots; the elected slots number the
 * winners, and the winners are no more than the instance's open slots.
 *
 * Why it must hold: the instance fixes Harmony's share of every committee (its slots carry
 * Harmony's part of the voting power) and how many seats the auction sells; leader rotation,
 * bitmaps and rewards all read the committees in this order. Harmony builds them so: slot `j`
 * of shard `i` is Harmony account `i + j·n` for the first slots, then come the winners placed in
 * the shard (Go `eposStakedCommittee`).
 *
 * @param state the elected shard state (a staking epoch's)
 * @param instance the sharding instance of its epoch
 * @param winners the elected keys
 * @returns true, or the first difference
 * @see github.com/harmony-one/harmony shard/committee/assignment.go
 */
export function committeeSizesMatch(
  state: ShardState,
  instance: Instance,
  winners: readonly Uint8Array[],
): Verdict {
  const h = instance.numHarmonyOperatedNodesPerShard;
  if (BigInt(state.shards.length) !== instance.numShards) {
    return `committees: ${state.shards.length} shards, the instance has ${instance.numShards}`;
  }
  let elected = 0n;
  for (let i = 0; i < state.shards.length; i++) {
    const c = state.shards[i];
    if (c.shardId !== BigInt(i)) return `committees: shard ${c.shardId} in position ${i}`;
    for (let j = 0; j < c.slots.length; j++) {
      const harmonySlot = BigInt(j) < h;
      if ((c.slots[j].effectiveStake === null) !== harmonySlot) {
        return `committees: shard ${i} slot ${j} should ${harmonySlot ? "" : "not "}be Harmony's`;
      }
    }
    if (BigInt(c.slots.length) < h) return `committees: shard ${i} lacks Harmony slots`;
    elected += BigInt(c.slots.length) - h;
  }
  const open = (instance.numNodesPerShard - h) * instance.numShards;
  if (elected !== BigInt(winners.length)) {
    return `committees: ${elected} elected slots for ${winners.length} winners`;
  }
  return elected <= open ? true : `committees: ${elected} winners for ${open} open slots`;
}

// ---------------------------------------------------------------------------------------------
// Consensus

/** One honest validator's commit of a block, as an observer records it. */
export interface CommitRecord {
  /** Who committed (a label for the description). */
  validator: string;
  /** The height. */
  height: bigint;
  /** The committed block's hash. */
  blockHash: Uint8Array;
}

/**
 * Safety: no two honest validators commit different blocks at the same height.
 *
 * Why it must hold: an honest validator commits a block only with a commit certificate, signed by
 * more than two thirds of the voting power, and signs at most one COMMIT per height and view
 * (and after a view change only for the block prepared before it). Two certificates for different
 * blocks would need two quorums, which overlap in more than a third of the voting power: more than
 * the Byzantine validators hold, so an honest validator would have signed both. Harmony's FBFT
 * (Go `consensus/leader.go`, `validator.go`, `view_change.go`) rests on this quorum intersection.
 *
 * @param commits the commits observed (in any order; at any heights)
 * @returns true, or the first conflict
 * @see github.com/harmony-one/harmony consensus/quorum/quorum.go (`TwoThirdsSignersCount`),
 *   consensus/quorum/one-node-staked-vote.go (`IsQuorumAchieved`)
 */
export function commitsAgree(commits: readonly CommitRecord[]): Verdict {
  const first = new Map<bigint, CommitRecord>();
  for (const c of commits) {
    const earlier = first.get(c.height);
    if (earlier === undefined) first.set(c.height, c);
    else if (!bytesEqual(earlier.blockHash, c.blockHash)) {
      return `safety: height ${c.height} has ${toHex(earlier.blockHash)} (${earlier.validator})` +
        ` and ${toHex(c.blockHash)} (${c.validator})`;
    }
  }
  return true;
}

/**
 * Validity: a committed block carries a commit certificate that is a quorum of its epoch's
 * committee, by the consensus decider's rule (`⌊2n/3⌋ + 1` keys before Staking, more than 2/3 of
 * the voting power from it on), whose aggregate signature verifies under the signers' keys over
 * the block's commit payload.
 *
 * Why it must hold: the certificate is the block's finality proof; the next block's header and
 * every crosslink carry it, and safety ({@link commitsAgree}) rests on it being a quorum. The
 * leader sends COMMITTED only once its decider counts a quorum of COMMIT votes (Go `onCommit`,
 * `IsQuorumAchievedByMask`). The judge here is that decider's rule, stricter than the header
 * verifier Harmony's validators apply on COMMITTED before Staking (which accepts any bitmap of a
 * committee of four or more keys, see `consensus/certificate.ts`): under that rule a validator
 * could commit with one signature, and this predicate reports it.
 *
 * @param config the feature schedule (the commit payload depends on Staking)
 * @param ctx the committee of the block's epoch and its quorum policy
 * @param header the committed block's header
 * @param commitSig the certificate, `signature(96) ‖ bitmap`
 * @returns true, or why the certificate is not one
 * @see github.com/harmony-one/harmony consensus/leader.go (`onCommit`), consensus/validator.go
 *   (`onCommitted`)
 */
export function commitCertified(
  config: HasFeatures,
  ctx: Pick<EpochContext, "committee" | "policy">,
  header: BlockHeader,
  commitSig: Uint8Array,
): Verdict {
  const what = `validity: block ${header.number}`;
  return judged(`${what} has a malformed certificate`, () => {
    const cert = readCertificate(ctx.committee, commitSig, 0);
    if (!isQuorumByMask(ctx.policy, ctx.committee, cert.bitmap)) {
      return `${what} committed without a quorum certificate`;
    }
    const h = header;
    const payload = commitPayload(config, h.epoch, h.hash, h.number, h.viewId);
    if (!certificateVerifies(ctx.committee, cert, payload)) {
      return `${what} committed with a certificate that does not verify`;
    }
    return true;
  });
}

/** Two votes an observer saw, and where they were cast. */
export interface DoubleSignObservation {
  /** The feature schedule (the signed payload depends on Staking). */
  config: HasFeatures;
  /** The vote seen first. */
  first: CommitVote;
  /** The vote seen later. */
  second: CommitVote;
  /** The epoch of the votes' height (the current epoch of the check as well). */
  epoch: bigint;
  /** The shard they were cast in. */
  shardId: bigint;
  /** The shard state of that epoch, where the signers' accounts are looked up. */
  shardState: ShardState;
  /** The observer's account (the evidence's reporter; never the offender). */
  reporter: Uint8Array;
}

/**
 * Accountability: a double sign observed (two verified COMMIT votes at one height and view, for
 * different blocks, with a common key) yields evidence that convicts its signer: the record built
 * from the two votes (Go `checkDoubleSign`'s record) passes the checks of `slash.Verify` that
 * need only the committee. Votes that do not conflict hold vacuously.
 *
 * Why it must hold: FBFT's safety assumes fewer than a third of the voting power is Byzantine;
 * slashing is what makes breaking that costly, and it works only if every double sign can be
 * proven to the beacon chain by anyone who saw both votes. A commit vote signs
 * `height ‖ blockHash ‖ viewID`, so two of them are self-contained proof.
 *
 * @param o the two votes and their setting
 * @returns true, or the check the evidence fails
 * @see github.com/harmony-one/harmony consensus/double_sign.go (`checkDoubleSign`),
 *   staking/slash/double-sign.go (`Verify`)
 */
export function doubleSignYieldsEvidence(o: DoubleSignObservation): Verdict {
  if (!isDoubleSign(o.first, o.second)) return true;
  const key = doubleSignedKeys(o.first.signerKeys, o.second.signerKeys)[0];
  const what = `accountability: double sign by ${toHex(key)} at height ${o.first.height}` +
    ` view ${o.first.viewId} yields no evidence`;
  return judged(what, () => {
    const slot = o.shardState.shards.flatMap((c) => c.slots)
      .find((s) => bytesEqual(s.blsPublicKey, key));
    const offender = slot === undefined ? new Uint8Array(20) : slot.ecdsaAddress;
    const where = { epoch: o.epoch, shardId: o.shardId };
    const record = makeSlashRecord(o.first, o.second, where, offender, o.reporter);
    const input = { config: o.config, record, currentEpoch: o.epoch, shardState: o.shardState };
    verifySlashEvidence(input);
    return true;
  });
}

/**
 * No evidence names an honest validator: two votes that are a double sign share no key of an
 * honest validator.
 *
 * Why it must hold: an honest validator signs one COMMIT per height and view (its consensus log
 * refuses a second announce of the view), so it never gives anyone the two votes that would slash
 * it. Accountability convicts only the guilty.
 *
 * @param first a vote
 * @param second another vote
 * @param honestKeys the keys of the honest validators
 * @returns true, or the honest key that double-signed
 * @see github.com/harmony-one/harmony consensus/validator.go (`onPrepared`, one COMMIT per view)
 */
export function honestNeverDoubleSign(
  first: CommitVote,
  second: CommitVote,
  honestKeys: readonly Uint8Array[],
): Verdict {
  if (!isDoubleSign(first, second)) return true;
  for (const k of doubleSignedKeys(first.signerKeys, second.signerKeys)) {
    if (honestKeys.some((h) => bytesEqual(h, k))) {
      return `accountability: honest key ${toHex(k)} double-signed at height ${first.height}`;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Cross-shard receipts

/** The source block of credited receipts (both a batch and a verified proof name one). */
export interface SourceBlock {
  /** The source shard. */
  sourceShardId: bigint;
  /** The source block's number. */
  sourceBlockNumber: bigint;
}

/**
 * Exactly once: a block credits the receipts of a source block only if the chain has not credited
 * them before (they are not in its spent set) and only once within the block.
 *
 * Why it must hold: the source shard debited the value once; crediting it twice would create
 * tokens. Harmony marks a credited source block as spent and refuses a block that includes a
 * spent one or the same one twice (Go `IsSpent`, `VerifyIncomingReceipts`). The spent key must
 * name the *signed* source block: Go keys it by fields of the proof that nothing binds to the
 * signed header, so a replay under another number passes; the spec binds them
 * (`sharding/cx-proof.ts`). Pass the sources as the signed headers name them.
 *
 * @param spent the source blocks the chain had credited before the block
 * @param block the source blocks whose receipts the block credits, in body order
 * @returns true, or the first source block credited again
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`IsSpent`,
 *   `VerifyIncomingReceipts`, `WriteCXReceiptsProofSpent`)
 */
export function receiptsCreditedOnce(
  spent: SpentReceipts,
  block: readonly SourceBlock[],
): Verdict {
  const seen = new Set<string>();
  for (const b of block) {
    const name = `shard ${b.sourceShardId} block ${b.sourceBlockNumber}`;
    if (isSpent(spent, b.sourceShardId, b.sourceBlockNumber)) {
      return `receipts: ${name} credited again`;
    }
    const key = `${b.sourceShardId}:${b.sourceBlockNumber}`;
    if (seen.has(key)) return `receipts: ${name} credited twice in one block`;
    seen.add(key);
  }
  return true;
}
