/**
 * Double-sign slashing: the evidence record, its verification, and the penalty.
 *
 * **The offence.** A validator's key that signs COMMIT votes for two different blocks at the same
 * height and view has double-signed. Anyone who holds both votes can report them as a
 * {@link SlashRecord}: the *evidence* (when: epoch, shard, height and view; the two conflicting
 * votes, each with its signer keys, block hash and aggregate BLS signature; the offending
 * validator's address) and the *reporter*'s address. Records wait in the beacon chain's pool; the
 * beacon leader puts the ones that verify into its block header (`Slashes`, the RLP list of
 * records, see {@link encodeSlashRecords}), and every node applies them when it finalises that
 * block (see `finalize.ts`). Slashes are allowed only in beacon blocks of the staking era.
 *
 * **Verification** ({@link verifySlashRecord}, Go `slash.Verify`), in Go's order (steps 4 to 11,
 * which need only the committee, are {@link verifySlashEvidence}):
 * 1. the offender is a validator (its wrapper is in the state);
 * 2. the evidence's epoch is a `Staking` epoch;
 * 3. the offender is not already Banned;
 * 4. the reporter is not the offender;
 * 5. every signer key of both votes is 48 bytes;
 * 6. the two votes are for different block hashes;
 * 7. the *double-signed keys*, the keys of the first vote found in the second (a key listed twice
 *    in the first vote counts twice), are not none;
 * 8. the evidence's epoch is not after the beacon chain's current epoch;
 * 9. the shard state of that epoch exists and has a committee for the evidence's shard;
 * 10. each double-signed key has a slot in that committee (its first slot gives its account);
 *     there is exactly one such key, and its account is the offender;
 * 11. each vote's signature is at least 96 bytes (the first 96 are read, as mcl does) and
 *     decodes, each signer key decodes, and the signature verifies under the sum of the vote's
 *     keys over the commit payload `uint64LE(height) ‖ blockHash ‖ uint64LE(viewID)` (the view ID
 *     only in a staking epoch; see the consensus payloads).
 * Go also compares the SHA3-256 hashes of the two votes' RLP before step 11; with different block
 * hashes (step 6) the encodings differ, so equal hashes would need a hash collision, and the spec
 * does not restate that check.
 *
 * **Observation.** Only the proposer runs this verification (when it collects pending records);
 * nodes that import a block apply its records without verifying them again.
 *
 * **The penalty** ({@link slashValidator}, Go `delegatorSlashApply`; the rule of Harmony's "slash
 * fix" of 2023, not gated by a feature). With `snapshot` the offender's snapshot at the evidence's
 * epoch and `current` its wrapper now:
 * - the validator's debt is half its snapshot self-delegation (`⌊amount/2⌋`);
 * - each debt is *paid down* from one delegation ({@link slashDelegation}): from its amount, then
 *   from its undelegations of the evidence's epoch or later, in order (older ones are safe), then
 *   from its uncollected reward; each step takes what it can; unpaid debt is forgiven;
 * - the external debt is `TruncateInt(0.8 · slashed)`, with `slashed` what the validator's own
 *   delegation actually paid; each external delegation present in both snapshot and current
 *   (matched by address, in current order; the first match, the validator's own, is skipped)
 *   owes `amount_snapshot · externalDebt / (Σ snapshot amounts − current self amount)`, the
 *   current self amount read *before* the validator's own pay-down;
 * - the validator becomes Banned for good and must pass its sanity check;
 * - half of everything taken (`⌊total/2⌋`) is credited to the block's coinbase, the leader (not
 *   the reporter); the rest is burnt.
 * Go divides with `big.Int.Div`, which is Euclidean: when the validator added self-delegation
 * since the snapshot, the denominator can be negative, the external debts negative, and paying
 * down a negative debt *adds* to the delegation. The spec reproduces this (a later upstream change
 * uses the snapshot's self amount instead). A zero denominator with external delegations to
 * slash makes Go panic; the spec rejects with `slash/zero-external-stake`.
 *
 * **Several records in a block** ({@link applySlashes}, Go `applySlashes`): records are grouped by
 * (height, view, shard, epoch) and the groups applied in order, each group's records in block
 * order, on the wrappers as the previous records left them. **Deviation:** Go collects the groups
 * from a map (random order) and sorts them with a comparator that is not an order ("shard less,
 * or height less, or view less"); where it yields one answer (every two groups ordered the same
 * way on all three fields) that is the lexicographic order on (shard, height, view), which the
 * spec uses, with the epoch as last key; elsewhere Go's order is left to chance, and the spec's is
 * that lexicographic order. It matters only when one offender is slashed twice in one block.
 *
 * @see github.com/harmony-one/harmony staking/slash/double-sign.go (`Record`, `Evidence`,
 *   `Moment`, `ConflictingVotes`, `Vote`, `Verify`, `Apply`, `delegatorSlashApply`,
 *   `delegatorSlashApplyDebt`, `applySlashingToDelegation`, `payDown`, `makeSlashList`)
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`applySlashes`, `Finalize`)
 * @see github.com/harmony-one/harmony consensus/signature/signature.go (`ConstructCommitPayload`)
 * @see github.com/harmony-one/harmony node/harmony/worker/worker.go (`verifySlashes`)
 * @module
 */
import {
  BLS_PUBLIC_KEY_BYTES,
  blsDecodePublicKey,
  type BlsG1Point,
  type BlsG2Point,
  blsVerifyHashPoints,
} from "../crypto/bls.ts";
import { readSignatureField } from "../consensus/messages.ts";
import { commitPayload } from "../consensus/payloads.ts";
import { bigintToBytes, bytesEqual, bytesKey } from "../encoding/bytes.ts";
import {
  decodeRlp,
  encodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import { rejectAs, require } from "../errors.ts";
import { type Dec, decFromInt, decFromString, decMul, decTruncateInt } from "../numeric/decimal.ts";
import { type HasFeatures, isActive } from "../params/features.ts";
import { type ShardState } from "../sharding/shard-state.ts";
import { EPOS_STATUS_BANNED } from "./availability.ts";
import type { BalanceCredit, Delegation } from "./delegation.ts";
import type { ValidatorSnapshot } from "./rewards.ts";
import { sanityCheckWrapper, type ValidatorWrapper } from "./validator.ts";

/** One of the two conflicting votes (Go `slash.Vote`). */
export interface SlashVote {
  /** The keys that signed it (48 bytes each). */
  signerPubKeys: Uint8Array[];
  /** The hash of the block voted for (32 bytes). */
  blockHeaderHash: Uint8Array;
  /** The aggregate BLS signature (96 bytes from an honest reporter; any length on the wire). */
  signature: Uint8Array;
}

/** When the double sign happened (Go `slash.Moment`). */
export interface SlashMoment {
  /** The epoch of the blocks. */
  epoch: bigint;
  /** The shard (uint32). */
  shardId: bigint;
  /** The block height (uint64). */
  height: bigint;
  /** The view ID (uint64). */
  viewId: bigint;
}

/** The evidence of a double sign (Go `slash.Evidence`). */
export interface SlashEvidence {
  /** When. */
  moment: SlashMoment;
  /** The first vote. */
  firstVote: SlashVote;
  /** The conflicting second vote. */
  secondVote: SlashVote;
  /** The offending validator's address (20 bytes). */
  offender: Uint8Array;
}

/** A slashing record (Go `slash.Record`). */
export interface SlashRecord {
  /** The evidence. */
  evidence: SlashEvidence;
  /** The reporter's address (20 bytes). */
  reporter: Uint8Array;
}

/** Share of the validator's slashed self-stake that its external delegators owe together. */
export const EXTERNAL_SLASH_RATE: Dec = decFromString("0.8");

// ---------------------------------------------------------------------------------------------
// Encoding

function voteItem(v: SlashVote): RlpItem {
  return [v.signerPubKeys, v.blockHeaderHash, v.signature];
}

function recordItem(r: SlashRecord): RlpItem {
  const e = r.evidence;
  const m = e.moment;
  const moment = [m.epoch, m.shardId, m.height, m.viewId].map(bigintToBytes);
  return [[moment, [voteItem(e.firstVote), voteItem(e.secondVote)], e.offender], r.reporter];
}

/**
 * The RLP of a record, as go-ethereum encodes the Go structs (embedded structs are nested lists):
 * `[[[epoch, shardID, height, viewID], [vote1, vote2], offender], reporter]` with
 * `vote = [[key…], blockHeaderHash, signature]`.
 *
 * @param r the record
 * @returns its encoding
 * @throws {SpecError} `encoding/negative-integer` for a negative moment field
 */
export function encodeSlashRecord(r: SlashRecord): Uint8Array {
  return encodeRlp(recordItem(r));
}

/**
 * The RLP of a list of records: the beacon header's `Slashes` field (empty bytes when a block has
 * no record).
 *
 * @param records the records, in block order
 * @returns their encoding as one list
 * @throws {SpecError} as {@link encodeSlashRecord}
 */
export function encodeSlashRecords(records: SlashRecord[]): Uint8Array {
  return encodeRlp(records.map(recordItem));
}

function readVote(item: RlpItem): SlashVote {
  const [keys, hash, signature] = readListOf(item, 3);
  return {
    signerPubKeys: readList(keys).map((k) => readFixedBytes(k, BLS_PUBLIC_KEY_BYTES)),
    blockHeaderHash: readFixedBytes(hash, 32),
    signature: readBytes(signature),
  };
}

function readRecord(item: RlpItem): SlashRecord {
  const [evidence, reporter] = readListOf(item, 2);
  const [moment, votes, offender] = readListOf(evidence, 3);
  const [epoch, shardId, height, viewId] = readListOf(moment, 4);
  const [first, second] = readListOf(votes, 2);
  return {
    evidence: {
      moment: {
        epoch: readBigUint(epoch),
        shardId: readUint(shardId, 32),
        height: readUint(height, 64),
        viewId: readUint(viewId, 64),
      },
      firstVote: readVote(first),
      secondVote: readVote(second),
      offender: readFixedBytes(offender, 20),
    },
    reporter: readFixedBytes(reporter, 20),
  };
}

/**
 * Decodes one record with go-ethereum's strict rules (canonical integers, exact array sizes,
 * exact field counts, no trailing bytes).
 *
 * @param bytes the encoding
 * @returns the record
 * @throws {SpecError} the `encoding/rlp-*` code of the first violation
 */
export function decodeSlashRecord(bytes: Uint8Array): SlashRecord {
  return readRecord(decodeRlp(bytes));
}

/**
 * Decodes a header's `Slashes` field; empty bytes are no records (Go decodes only a non-empty
 * field).
 *
 * @param bytes the field
 * @returns the records, in block order
 * @throws {SpecError} the `encoding/rlp-*` code of the first violation
 */
export function decodeSlashRecords(bytes: Uint8Array): SlashRecord[] {
  if (bytes.length === 0) return [];
  return readList(decodeRlp(bytes)).map(readRecord);
}

// ---------------------------------------------------------------------------------------------
// Verification

/** What {@link verifySlashEvidence} reads besides the record. */
export interface SlashEvidenceInput {
  /** The network's feature schedule (the commit payload depends on it). */
  config: HasFeatures;
  /** The record. */
  record: SlashRecord;
  /** The epoch of the beacon chain's current block. */
  currentEpoch: bigint;
  /** The shard state of the evidence's epoch; null when the chain has none. */
  shardState: ShardState | null;
}

/** What {@link verifySlashRecord} reads: the evidence's inputs and the offender's wrapper. */
export interface SlashVerifyInput extends SlashEvidenceInput {
  /** The offender's current wrapper; null when its address is not a validator. */
  offender: ValidatorWrapper | null;
}

/**
 * The double-signed keys of two votes (step 7): the keys of the first that the second also has.
 *
 * @param first the first vote's signer keys
 * @param second the second vote's signer keys
 * @returns those keys in the first vote's order, one entry per occurrence in the first vote
 */
export function doubleSignedKeys(first: Uint8Array[], second: Uint8Array[]): Uint8Array[] {
  const inSecond = new Set(second.map(bytesKey));
  return first.filter((k) => inSecond.has(bytesKey(k)));
}

/** The account of each double-signed key in the committee (its first slot); steps 9 and 10. */
function committeeAccounts(input: SlashEvidenceInput, keys: Uint8Array[]): Uint8Array[] {
  const m = input.record.evidence.moment;
  require(input.shardState !== null, "slash/shard-state-not-found", `epoch ${m.epoch}`);
  const committee = input.shardState.shards.find((c) => c.shardId === m.shardId);
  require(committee !== undefined, "slash/shard-not-found", `shard ${m.shardId}`);
  return keys.map((key) => {
    const slot = committee.slots.find((s) => bytesEqual(s.blsPublicKey, key));
    require(slot !== undefined, "slash/key-not-in-committee");
    return slot.ecdsaAddress;
  });
}

/** Step 11 for one vote: decode the signature, then the keys, then verify. */
function checkVoteSignature(config: HasFeatures, m: SlashMoment, vote: SlashVote): void {
  const signature = rejectAs<BlsG2Point>(
    () => readSignatureField(vote.signature),
    "slash/malformed-signature",
  );
  let key: BlsG1Point | null = null;
  for (const k of vote.signerPubKeys) {
    const point = rejectAs<BlsG1Point>(() => blsDecodePublicKey(k), "slash/malformed-signer-key");
    key = key === null ? point : key.add(point);
  }
  const payload = commitPayload(config, m.epoch, vote.blockHeaderHash, m.height, m.viewId);
  // Two votes always share a key (step 7), so a vote has at least one key here.
  const ok = key !== null && blsVerifyHashPoints(key, payload, signature);
  require(ok, "slash/bad-signature");
}

/**
 * Verifies a slashing record (Go `slash.Verify`), in Go's order (see the module notes).
 *
 * @param input the record, the offender's wrapper, the current epoch and the evidence's shard
 *   state
 * @throws {SpecError} `slash/offender-not-validator`, `slash/before-staking-epoch`,
 *   `slash/offender-banned`, then the codes of {@link verifySlashEvidence}
 */
export function verifySlashRecord(input: SlashVerifyInput): void {
  require(input.offender !== null, "slash/offender-not-validator");
  require(
    isActive(input.config, "Staking", input.record.evidence.moment.epoch),
    "slash/before-staking-epoch",
  );
  require(input.offender.validator.status !== EPOS_STATUS_BANNED, "slash/offender-banned");
  verifySlashEvidence(input);
}

/**
 * Steps 4 to 11 of Go's `slash.Verify`: the checks on the evidence itself, which need the
 * committee of the evidence's epoch and shard but no validator state. {@link verifySlashRecord}
 * runs them after its checks on the offender; a consensus observer with only the committee (the
 * simulator's accountability check) runs them alone.
 *
 * @param input the record, the current epoch and the evidence's shard state
 * @throws {SpecError} `slash/reporter-is-offender`, `slash/signer-key-wrong-size`,
 *   `slash/votes-not-conflicting`, `slash/no-double-signed-key`, `slash/future-epoch`,
 *   `slash/shard-state-not-found`, `slash/shard-not-found`, `slash/key-not-in-committee`,
 *   `slash/multiple-offenders`, `slash/offender-mismatch`, `slash/malformed-signature`,
 *   `slash/malformed-signer-key`, `slash/bad-signature`
 */
export function verifySlashEvidence(input: SlashEvidenceInput): void {
  const { config, record } = input;
  const e = record.evidence;
  require(!bytesEqual(e.offender, record.reporter), "slash/reporter-is-offender");
  for (const k of [...e.firstVote.signerPubKeys, ...e.secondVote.signerPubKeys]) {
    require(k.length === BLS_PUBLIC_KEY_BYTES, "slash/signer-key-wrong-size");
  }
  const sameBlock = bytesEqual(e.firstVote.blockHeaderHash, e.secondVote.blockHeaderHash);
  require(!sameBlock, "slash/votes-not-conflicting");
  const keys = doubleSignedKeys(e.firstVote.signerPubKeys, e.secondVote.signerPubKeys);
  require(keys.length > 0, "slash/no-double-signed-key");
  require(e.moment.epoch <= input.currentEpoch, "slash/future-epoch");
  const accounts = committeeAccounts(input, keys);
  // Go collects every key's account first, then asks for exactly one (even if all are equal).
  require(accounts.length === 1, "slash/multiple-offenders");
  require(bytesEqual(accounts[0], e.offender), "slash/offender-mismatch");
  checkVoteSignature(config, e.moment, e.firstVote);
  checkVoteSignature(config, e.moment, e.secondVote);
}

// ---------------------------------------------------------------------------------------------
// Application

/** Go's `big.Int.Div`: Euclidean division (the remainder is never negative). */
function euclidDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (a % b >= 0n) return q;
  return b > 0n ? q - 1n : q + 1n;
}

/** The result of paying a debt from one balance (Go `payDown`). */
export interface PayDown {
  /** The balance after. */
  balance: bigint;
  /** The debt left. */
  debt: bigint;
  /** The amount taken. */
  taken: bigint;
}

/**
 * Pays a debt from a balance (Go `payDown`): takes the debt, or the whole balance when it is
 * smaller. A negative debt is "taken" as it is, which adds to the balance (see the module notes).
 *
 * @param balance the balance
 * @param debt the debt
 * @returns the balance and debt after, and the amount taken
 */
export function payDown(balance: bigint, debt: bigint): PayDown {
  const taken = balance < debt ? balance : debt;
  return { balance: balance - taken, debt: debt - taken, taken };
}

/** What slashing one delegation did. */
export interface DelegationSlash {
  /** The delegation after. */
  delegation: Delegation;
  /** The amount taken from it. */
  slashed: bigint;
}

/**
 * Slashes one delegation (Go `applySlashingToDelegation`): the debt is paid from the amount, then
 * from each undelegation of the double-sign epoch or later while debt remains, then (if debt is
 * still positive) from the reward.
 *
 * @param delegation the current delegation
 * @param debt the debt
 * @param doubleSignEpoch the evidence's epoch
 * @returns the delegation after and the amount taken
 */
export function slashDelegation(
  delegation: Delegation,
  debt: bigint,
  doubleSignEpoch: bigint,
): DelegationSlash {
  const staked = payDown(delegation.amount, debt);
  let left = staked.debt;
  let slashed = staked.taken;
  const undelegations = delegation.undelegations.map((u) => ({ ...u }));
  for (const u of undelegations) {
    if (left === 0n) break;
    if (u.epoch < doubleSignEpoch) continue; // undelegated before the offence: safe
    const step = payDown(u.amount, left);
    u.amount = step.balance;
    left = step.debt;
    slashed += step.taken;
  }
  let reward = delegation.reward;
  if (left > 0n) {
    const step = payDown(reward, left);
    reward = step.balance;
    slashed += step.taken;
  }
  return { delegation: { ...delegation, amount: staked.balance, reward, undelegations }, slashed };
}

/** What slashing one validator did. */
export interface ValidatorSlash {
  /** The validator's wrapper after: slashed and Banned. */
  wrapper: ValidatorWrapper;
  /** Everything taken from its delegations. */
  totalSlashed: bigint;
  /** The beneficiary's half, `⌊totalSlashed/2⌋` (Euclidean). */
  beneficiaryReward: bigint;
}

/** Pairs (snapshot index, current index) of delegators in both lists, in current order. */
function slashPairs(snapshot: ValidatorWrapper, current: ValidatorWrapper): [number, number][] {
  const inSnapshot = new Map<string, number>();
  snapshot.delegations.forEach((d, i) => inSnapshot.set(bytesKey(d.delegatorAddress), i));
  const pairs: [number, number][] = [];
  current.delegations.forEach((d, i) => {
    const old = inSnapshot.get(bytesKey(d.delegatorAddress));
    if (old !== undefined) pairs.push([old, i]);
  });
  return pairs;
}

/**
 * Slashes a validator with a given self debt (Go `delegatorSlashApplyDebt`): see the module notes.
 *
 * @param snapshot the validator's snapshot wrapper at the evidence's epoch
 * @param current its current wrapper
 * @param validatorDebt the debt of its own delegation
 * @param doubleSignEpoch the evidence's epoch
 * @returns the wrapper after, the total taken and the beneficiary's half
 * @throws {SpecError} `slash/no-matching-delegations` when no delegator of the current wrapper is
 *   in the snapshot (Go panics); `slash/zero-external-stake` (Go panics); the codes of
 *   `sanityCheckWrapper` when the Banned wrapper fails it
 */
export function slashValidatorWithDebt(
  snapshot: ValidatorWrapper,
  current: ValidatorWrapper,
  validatorDebt: bigint,
  doubleSignEpoch: bigint,
): ValidatorSlash {
  const pairs = slashPairs(snapshot, current);
  require(pairs.length > 0 && current.delegations.length > 0, "slash/no-matching-delegations");
  let totalStake = 0n;
  for (const d of snapshot.delegations) totalStake += d.amount;
  const delegations = current.delegations.slice();
  const externalStake = totalStake - delegations[0].amount;
  const own = slashDelegation(delegations[0], validatorDebt, doubleSignEpoch);
  delegations[0] = own.delegation;
  let total = own.slashed;
  const externalDebt = decTruncateInt(decMul(decFromInt(own.slashed), EXTERNAL_SLASH_RATE));
  for (const [snapshotIndex, currentIndex] of pairs.slice(1)) {
    require(externalStake !== 0n, "slash/zero-external-stake");
    const debt = euclidDiv(
      snapshot.delegations[snapshotIndex].amount * externalDebt,
      externalStake,
    );
    const result = slashDelegation(delegations[currentIndex], debt, doubleSignEpoch);
    delegations[currentIndex] = result.delegation;
    total += result.slashed;
  }
  const validator = { ...current.validator, status: EPOS_STATUS_BANNED as number };
  const wrapper = { ...current, validator, delegations };
  sanityCheckWrapper(wrapper);
  return { wrapper, totalSlashed: total, beneficiaryReward: euclidDiv(total, 2n) };
}

/**
 * Slashes a validator (Go `delegatorSlashApply`): its own debt is half its snapshot
 * self-delegation.
 *
 * @param snapshot the validator's snapshot wrapper at the evidence's epoch
 * @param current its current wrapper
 * @param doubleSignEpoch the evidence's epoch
 * @returns as {@link slashValidatorWithDebt}
 * @throws {SpecError} as {@link slashValidatorWithDebt}
 */
export function slashValidator(
  snapshot: ValidatorWrapper,
  current: ValidatorWrapper,
  doubleSignEpoch: bigint,
): ValidatorSlash {
  require(snapshot.delegations.length > 0, "slash/no-matching-delegations");
  const debt = euclidDiv(snapshot.delegations[0].amount, 2n);
  return slashValidatorWithDebt(snapshot, current, debt, doubleSignEpoch);
}

/** What a block's slashes read. */
export interface SlashApplyInput {
  /** The header's records, in block order. */
  records: SlashRecord[];
  /** The validators' current wrappers (any order; the output keeps it). */
  validators: ValidatorWrapper[];
  /** Snapshots of the offenders at the evidences' epochs. */
  snapshots: ValidatorSnapshot[];
  /** Who receives half of what is slashed: the block's coinbase (the leader). */
  beneficiary: Uint8Array;
}

/** What a block's slashes did. */
export interface SlashOutcome {
  /** The validators after, in the input order. */
  validators: ValidatorWrapper[];
  /** The beneficiary's credits, one per record, in application order. */
  credits: BalanceCredit[];
  /** Everything taken from stakes. */
  totalSlashed: bigint;
  /** What the beneficiary received in all. */
  beneficiaryReward: bigint;
  /** What was destroyed: `totalSlashed − beneficiaryReward`. */
  burnt: bigint;
}

/**
 * The records in application order (Go `applySlashes`' grouping): groups of equal (height, view,
 * shard, epoch) in lexicographic order of (shard, height, view, epoch) (see the deviation note),
 * block order within a group.
 *
 * @param records the header's records, in block order
 * @returns the same records, in application order
 */
export function slashApplicationOrder(records: SlashRecord[]): SlashRecord[] {
  const key = (r: SlashRecord) => {
    const m = r.evidence.moment;
    return [m.shardId, m.height, m.viewId, m.epoch];
  };
  const order = (a: SlashRecord, b: SlashRecord) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  };
  return records.slice().sort(order); // a stable sort: block order within a group
}

/**
 * Applies a block's slashing records (Go `applySlashes` and `slash.Apply`).
 *
 * @param input the records, the validators, the offenders' snapshots and the beneficiary
 * @returns the validators after, the beneficiary's credits and the amounts slashed and burnt
 * @throws {SpecError} `slash/snapshot-not-found`, `slash/validator-not-found`, and the codes of
 *   {@link slashValidator}
 */
export function applySlashes(input: SlashApplyInput): SlashOutcome {
  const wrappers = new Map<string, ValidatorWrapper>();
  for (const w of input.validators) wrappers.set(bytesKey(w.validator.address), w);
  const credits: BalanceCredit[] = [];
  let totalSlashed = 0n;
  let beneficiaryReward = 0n;
  for (const r of slashApplicationOrder(input.records)) {
    const { offender, moment } = r.evidence;
    const snapshot = input.snapshots.find((s) =>
      s.epoch === moment.epoch && bytesEqual(s.wrapper.validator.address, offender)
    );
    require(snapshot !== undefined, "slash/snapshot-not-found", `epoch ${moment.epoch}`);
    const current = wrappers.get(bytesKey(offender));
    require(current !== undefined, "slash/validator-not-found");
    const result = slashValidator(snapshot.wrapper, current, moment.epoch);
    wrappers.set(bytesKey(offender), result.wrapper);
    credits.push({ address: input.beneficiary, amount: result.beneficiaryReward });
    totalSlashed += result.totalSlashed;
    beneficiaryReward += result.beneficiaryReward;
  }
  const validators = input.validators.map((w) => wrappers.get(bytesKey(w.validator.address))!);
  const burnt = totalSlashed - beneficiaryReward;
  return { validators, credits, totalSlashed, beneficiaryReward, burnt };
}
