/**
 * Block rewards: how many tokens a block creates, who gets them, and how a validator's share is
 * split between its commission and its delegators.
 *
 * **How much** ({@link stakingBlockReward}, {@link blockReward}). Every block of every shard earns
 * a flat amount, set by era:
 *
 * | era (feature active at the block's epoch) | reward per block | block time |
 * | ----------------------------------------- | ---------------- | ---------- |
 * | before `Staking`                          | 24 ONE           | (8 s)      |
 * | `Staking`                                 | 28 ONE           | 8 s        |
 * | `FiveSeconds`                             | 17.5 ONE         | 5 s        |
 * | `TwoSeconds`                              | 7 ONE            | 2 s        |
 * | `HIP30` (shards 4 → 2)                    | 14 ONE           | 2 s        |
 * | `OneSecond`                               | 7 ONE            | 1 s        |
 *
 * The later row wins (`OneSecond` over `HIP30` over `TwoSeconds` over `FiveSeconds`). Each change
 * keeps the network's emission at 3.5 ONE per second per shard of the 4-shard network, or
 * 14 ONE/s in all: 441,806,400 ONE in a 31,557,600-second year ({@link networkIssuancePerYear}).
 * There is no cap: emission is a flat amount per block. From `HIP30` on, a fraction of every
 * rewarded block (the instance's `hip30EmissionFraction`, 25 % on mainnet) goes to the instance's
 * recovery address instead of the validators ({@link emissionSplit}).
 *
 * A legacy branch of Go keeps testnet's history of 2020 (chain ID 2 with `FiveSeconds` at epoch
 * 16500): 28 ONE, then 17.5 after block 634644, 28 after 636507, 17.5 after 639341, and 7 from
 * `TwoSeconds` or `OneSecond`. No shipped preset triggers it; it is restated for configurations
 * that do.
 *
 * **Before `Staking`** ({@link preStakingPayouts}), on every shard, the 24 ONE of a block go to
 * the keys that signed its parent (the committee of the parent's epoch, the header's
 * `LastCommitBitmap`): with `n` signers in slot order, signer `i` (1-based) gets
 * `⌊24e18·i/n⌋ − ⌊24e18·(i−1)/n⌋` atto, straight into its account's balance. The parts add up to
 * exactly 24 ONE; a block whose parent nobody signed is invalid. Block 0 and block 1 (whose parent
 * is the genesis block, not signed) pay nothing.
 *
 * **From `Staking` on**, only the beacon chain pays. The signers of every *signed block* earn: the
 * beacon chain's own blocks (each header's `LastCommitBitmap` over its parent's committee, as a
 * "pseudo-crosslink") and every other shard's blocks, when their crosslinks reach the beacon
 * chain. A {@link SignedBlock} carries those facts with the committee of its shard and epoch. A
 * signed block of a pre-staking epoch pays nothing and counts no signatures. For one signed
 * block, with `R` the block reward of the *beacon* block's epoch (as a Dec of atto, times
 * `1 − fraction` under `HIP30`) and the roster of the committee's epoch (see `voting-power.ts`):
 * - the signers are the slots whose bit is set; `S` is the sum of the `overallPercent` of the
 *   signers that are not Harmony nodes;
 * - each such signer with a non-zero share earns `TruncateInt(R · Quo(overallPercent, S))`
 *   ({@link signerDues}); Harmony's nodes earn nothing, so the external signers share all of `R`;
 *   non-signers earn nothing;
 * - a repeated key is looked up by key, so every slot of it earns with its first slot's share; the
 *   due is credited to the slot's own account.
 * Dec rounding makes the dues of one block add up to `R` plus or minus a few atto, and Go does not
 * correct it: the difference is reported as `undistributed` (negative when more was paid).
 *
 * **Before `AggregatedReward`** (mainnet epochs 186–688) every beacon block pays its crosslinks
 * (the rule above, in crosslink order) and then its own parent's signers, with two differences
 * for the latter ({@link beaconSignerDues}): `RoundInt` instead of `TruncateInt`, no skip of zero
 * shares, and the due goes to the earning account of the key's first slot. Each due is paid
 * through {@link addReward} at once, per key.
 *
 * **From `AggregatedReward` on** only beacon blocks whose number is `f − 1` modulo the reward
 * frequency `f` (64; 16 on localnet) pay, for the window of the last `f` beacon blocks: for each of
 * them in order, its pseudo-crosslink then the crosslinks it carries ({@link rewardWindow}). The
 * dues of every signed block of the window are summed per account, and the accounts are paid in
 * ascending byte order of address, one {@link addReward} each. Signatures are counted only then.
 * Under `HIP30`, `R·fraction` for *every* signed block of the window, pre-staking ones included,
 * goes to the recovery address, as an integer number of atto ({@link hip30RecoveryCredit}).
 *
 * **Signing counters.** Every signed block of a staking epoch that is processed also counts its
 * signatures (`availability.ts`, `incrementSigningCounts`) on the validators' lifetime counters.
 *
 * **A validator's due** ({@link addReward}, Go `AddReward`) uses the validator's *snapshot* of the
 * current epoch (its state at the start of the epoch) for the commission rate and the delegation
 * shares, and credits the *current* wrapper:
 * 1. nothing for a zero due or a Banned validator;
 * 2. `blockReward += due` (lifetime gross);
 * 3. if the snapshot's rate is positive, `commission = RoundInt(rate · due)` (exact product,
 *    half-to-even), credited to the self-delegation's reward; the pool is `due − commission`;
 * 4. for each delegation `i` of the snapshot, in order, `RoundInt(share_i · pool)` is credited to
 *    delegation `i` of the current wrapper, where `share_i = Quo(amount_i, total)` over the
 *    snapshot's delegations (a delegator listed twice gets the share of its last entry);
 * 5. what is left of the pool, if positive, goes to the self-delegation; an over-allocation by
 *    rounding (negative left-over) is not taken back.
 * When the snapshot's delegations sum to zero Go's share table is empty, and the lookup of the
 * first delegation ends the payment silently after steps 2 and 3: the rest of the due is credited
 * to nobody. Rewards never compound: they accumulate in the delegations' `reward` fields, which
 * CollectRewards (`verify.ts`) moves to the delegator's balance.
 *
 * **Issuance accounting.** The outcome of a block ({@link RewardOutcome}) separates what Go
 * reports (`total`, the dues summed, which the beacon chain adds to its block-reward accumulator;
 * a Banned validator's due is in it although nobody receives it) from what the block actually
 * creates (`issued`: the balances credited before staking and the amounts credited to delegation
 * rewards), and reports the rounding difference between the nominal reward of the signed blocks
 * and the dues (`undistributed`). The recovery credit of `HIP30` comes on top
 * ({@link issuedInBlock}). What the pre-staking era created in all is
 * {@link preStakingIssuance} (Go's figure for the circulating supply).
 *
 * **Inputs.** The rules take explicit records: the validators' current wrappers, their snapshots,
 * and for each rewarded beacon block its signatures ({@link BeaconBlockSignatures}). Wrappers are
 * returned as new records; inputs are never changed.
 *
 * @see github.com/harmony-one/harmony staking/reward/values.go (block reward constants)
 * @see github.com/harmony-one/harmony internal/chain/reward.go (`AccumulateRewardsAndCountSigs`,
 *   `accumulateRewardsAndCountSigsBeforeStaking`, `getDefaultStakingReward`,
 *   `distributeRewardBeforeAggregateEpoch`, `distributeRewardAfterAggregateEpoch`,
 *   `processOneCrossLink`, `lookupDelegatorShares`)
 * @see github.com/harmony-one/harmony core/state/statedb.go (`AddReward`)
 * @see github.com/harmony-one/harmony internal/chain/engine.go (`Finalize`: the recovery credit)
 * @see github.com/harmony-one/harmony core/offchain.go (the block-reward accumulator)
 * @module
 */
import { bytesIndexAdd, bytesKey, compareBytes, newBytesIndex, toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { keptFor } from "../memo.ts";
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decFromInt,
  decFromMantissa,
  decIsPositive,
  decIsZero,
  decMul,
  decMulInt,
  decMulIntRoundInt,
  decQuo,
  decRoundInt,
  decSub,
  decTruncateInt,
} from "../numeric/decimal.ts";
import { blockPeriodSeconds, type NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { BEACON_CHAIN_SHARD_ID, instanceForEpoch, lastBlockOfEpoch } from "../sharding/schedule.ts";
import type { Committee, Slot } from "../sharding/shard-state.ts";
import {
  blockSigners,
  countBlockSignatures,
  EPOS_STATUS_BANNED,
  type SigningCounters,
} from "./availability.ts";
import type { BalanceCredit, Delegation } from "./delegation.ts";
import { ONE, type ValidatorWrapper } from "./validator.ts";
import { computeRoster, type Roster, type Voter } from "./voting-power.ts";

/** 24 ONE: the block reward before `Staking`, split evenly among the signers. */
export const PRE_STAKED_BLOCK_REWARD = 24n * ONE;
/** 28 ONE: the block reward at the staking launch (8-second blocks). */
export const STAKED_BLOCK_REWARD = 28n * ONE;
/** 17.5 ONE: the block reward from `FiveSeconds`. */
export const FIVE_SECONDS_BLOCK_REWARD = (35n * ONE) / 2n;
/** 7 ONE: the block reward from `TwoSeconds`. */
export const TWO_SECONDS_BLOCK_REWARD = 7n * ONE;
/** 14 ONE: the block reward from `HIP30` (half the shards, twice the reward). */
export const HIP30_BLOCK_REWARD = 14n * ONE;
/** 7 ONE: the block reward from `OneSecond` (twice the blocks, half the reward). */
export const ONE_SECOND_BLOCK_REWARD = 7n * ONE;
/** Seconds in a Julian year (365.25 days), as Go's APR computation counts a year. */
export const SECONDS_PER_YEAR = 31_557_600n;

/** A validator's state at the start of an epoch (Go `ValidatorSnapshot`). */
export interface ValidatorSnapshot {
  /** The epoch the snapshot is for. */
  epoch: bigint;
  /** The wrapper as it was then. */
  wrapper: ValidatorWrapper;
}

/**
 * One block whose signers earn: a processed crosslink, or a beacon block's pseudo-crosslink (its
 * header's `LastCommitBitmap` over its parent's committee).
 */
export interface SignedBlock {
  /** The shard of the signed block. */
  shardId: bigint;
  /** The signed block's epoch: the committee's epoch. */
  epoch: bigint;
  /** The signed block's number. */
  blockNumber: bigint;
  /** Which slots of the committee signed (bit `i` is slot `i`). */
  bitmap: Uint8Array;
  /** The committee of `shardId` in `epoch` (from the shard state of that epoch). */
  committee: Committee;
}

/** What one beacon block brings to the rewards: its parent's signatures and its crosslinks. */
export interface BeaconBlockSignatures {
  /** The beacon block's pseudo-crosslink (shard 0, the parent's epoch and number). */
  parent: SignedBlock;
  /** The crosslinks its header carries, in header order. */
  crossLinks: SignedBlock[];
}

/** What one key of a signed block earned (Go `reward.Payout`, off consensus). */
export interface Payout {
  /** The account credited. */
  address: Uint8Array;
  /** The key that earned it. */
  key: Uint8Array;
  /** The amount, in atto. */
  amount: bigint;
}

/** One signer's due in one signed block. */
export interface SlotDue {
  /** The account the due goes to. */
  address: Uint8Array;
  /** The key that signed. */
  key: Uint8Array;
  /** The due, in atto. */
  due: bigint;
}

/** A signed block's reward split between the validators and the `HIP30` recovery address. */
export interface EmissionSplit {
  /** The validators' part, a Dec of atto. */
  validators: Dec;
  /** The recovery address's part, a Dec of atto (zero before `HIP30`). */
  recovery: Dec;
}

/** What {@link addReward} did. */
export interface AddRewardResult {
  /** The validator's wrapper after the payment (the input one when nothing changed). */
  wrapper: ValidatorWrapper;
  /** The amount credited to its delegations' rewards, in atto. */
  credited: bigint;
}

/** Everything the reward rules of one block read. */
export interface BlockRewardInput {
  /** The network configuration. */
  config: NetworkConfig;
  /** The block's shard. */
  shardId: bigint;
  /** The block's number. */
  blockNumber: bigint;
  /** The block's epoch. */
  epoch: bigint;
  /**
   * The signatures the block pays for: before `Staking`, and before `AggregatedReward`, one entry
   * (this block's); on an aggregated reward block, one entry per block of the window, oldest first
   * (see {@link rewardWindow}); otherwise ignored.
   */
  signatures: BeaconBlockSignatures[];
  /** The validators' current wrappers (any order; the output keeps it). */
  validators: ValidatorWrapper[];
  /** The validators' snapshots for the current epoch (Go `ReadValidatorSnapshot`). */
  snapshots: ValidatorSnapshot[];
}

/** What the reward rules of one block produce. */
export interface RewardOutcome {
  /** The validators' wrappers after counting and payment, in the input order. */
  validators: ValidatorWrapper[];
  /** Balances credited directly (before `Staking`), in payment order. */
  balanceCredits: BalanceCredit[];
  /** Per-key payouts, in Go's order (for statistics; off consensus). */
  payouts: Payout[];
  /** The sum of the dues (Go's round total; the accumulator's increment in the staking era). */
  total: bigint;
  /** The tokens the block created in balances and delegation rewards, in atto. */
  issued: bigint;
  /**
   * `R` minus the dues, summed over the signed blocks processed, as a Dec of atto: Dec rounding,
   * and the whole of `R` for a block no external validator signed. Nominal = `total` + this.
   */
  undistributed: Dec;
  /** Under `HIP30`: the recovery share of every signed block of the window, as a Dec of atto. */
  recoveryRemainder: Dec;
}

/**
 * The block reward of a staking-era block on one shard (Go `getDefaultStakingReward`).
 *
 * @param config the network configuration
 * @param epoch the block's epoch
 * @param blockNumber the block's number (read only by testnet's legacy branch)
 * @returns the reward in atto, before the `HIP30` split
 */
export function stakingBlockReward(
  config: NetworkConfig,
  epoch: bigint,
  blockNumber: bigint,
): bigint {
  if (config.chainId === 2n && config.features.FiveSeconds === 16500n) {
    return legacyTestnetReward(config, epoch, blockNumber);
  }
  // [Modified in OneSecond], [Modified in HIP30], [Modified in TwoSeconds], [Modified in
  // FiveSeconds]: the latest era wins.
  if (isActive(config, "OneSecond", epoch)) return ONE_SECOND_BLOCK_REWARD;
  if (isActive(config, "HIP30", epoch)) return HIP30_BLOCK_REWARD;
  if (isActive(config, "TwoSeconds", epoch)) return TWO_SECONDS_BLOCK_REWARD;
  if (isActive(config, "FiveSeconds", epoch)) return FIVE_SECONDS_BLOCK_REWARD;
  return STAKED_BLOCK_REWARD;
}

/** Testnet's branch of 2020, chosen by block number (no `HIP30` row). */
function legacyTestnetReward(config: NetworkConfig, epoch: bigint, blockNumber: bigint): bigint {
  let reward = STAKED_BLOCK_REWARD;
  if (blockNumber > 634644n) {
    reward = FIVE_SECONDS_BLOCK_REWARD;
    if (blockNumber > 636507n) {
      reward = STAKED_BLOCK_REWARD;
      if (blockNumber > 639341n) reward = FIVE_SECONDS_BLOCK_REWARD;
    }
  }
  if (isActive(config, "TwoSeconds", epoch)) reward = TWO_SECONDS_BLOCK_REWARD;
  if (isActive(config, "OneSecond", epoch)) reward = ONE_SECOND_BLOCK_REWARD;
  return reward;
}

/**
 * The nominal reward of one block on one shard: 24 ONE before `Staking`, else
 * {@link stakingBlockReward}.
 *
 * @param config the network configuration
 * @param epoch the block's epoch
 * @param blockNumber the block's number
 * @returns the reward in atto
 */
export function blockReward(config: NetworkConfig, epoch: bigint, blockNumber: bigint): bigint {
  if (!isActive(config, "Staking", epoch)) return PRE_STAKED_BLOCK_REWARD;
  return stakingBlockReward(config, epoch, blockNumber);
}

/**
 * The tokens the pre-staking era created (Go `getTotalPreStakingNetworkRewards`): on each shard,
 * 24 ONE for every block from block 2 to its last pre-staking block, capped at the last block of
 * the epoch before `Staking` (the shards' own last blocks differ a little from the beacon chain's).
 *
 * @param config the network configuration
 * @param lastBlocks the last pre-staking block of each shard
 * @returns atto issued before staking, on all the shards given
 */
export function preStakingIssuance(config: NetworkConfig, lastBlocks: bigint[]): bigint {
  const staking = config.features.Staking;
  const cap = staking === null || staking === 0n ? null : lastBlockOfEpoch(config, staking - 1n);
  let total = 0n;
  for (const last of lastBlocks) {
    if (last < 2n) continue; // blocks 0 and 1 pay nothing
    const block = cap !== null && last > cap ? cap : last;
    total += PRE_STAKED_BLOCK_REWARD * (block - 1n);
  }
  return total;
}

/**
 * The `HIP30` split of a signed block's reward: validators get `R·(1 − f)`, the recovery address
 * `R·f` (both Dec products, half-to-even), with `f` the instance's emission fraction. Before
 * `HIP30` the validators get all of `R`.
 *
 * @param config the network configuration
 * @param epoch the beacon block's epoch
 * @param reward the block reward `R`, in atto
 * @returns the two parts, as Decs of atto
 */
export function emissionSplit(config: NetworkConfig, epoch: bigint, reward: bigint): EmissionSplit {
  const r = decFromInt(reward);
  // [New in HIP30] a fraction of the emission goes to the recovery address.
  if (!isActive(config, "HIP30", epoch)) return { validators: r, recovery: DEC_ZERO };
  const fraction = decFromMantissa(instanceForEpoch(config, epoch).hip30EmissionFraction);
  return { validators: decMul(r, decSub(DEC_ONE, fraction)), recovery: decMul(r, fraction) };
}

/**
 * The tokens the whole network creates in a year at an epoch's rates: the block reward times the
 * number of shards times the blocks of one shard in {@link SECONDS_PER_YEAR} at the epoch's block
 * time (5 s before `TwoSeconds`, see `blockPeriodSeconds`). Valid from `FiveSeconds` on; the
 * 8-second era is not modelled by the block time.
 *
 * @param config the network configuration
 * @param epoch the epoch
 * @returns atto per year, recovery share included
 */
export function networkIssuancePerYear(config: NetworkConfig, epoch: bigint): bigint {
  const shards = instanceForEpoch(config, epoch).numShards;
  const perBlock = blockReward(config, epoch, 0n);
  return (perBlock * shards * SECONDS_PER_YEAR) / blockPeriodSeconds(config, epoch);
}

/**
 * Whether a beacon block pays rewards: every block before `AggregatedReward`, then only block
 * numbers `f − 1` modulo the reward frequency `f`.
 *
 * @param config the network configuration
 * @param epoch the block's epoch
 * @param blockNumber the block's number
 * @returns whether the block distributes
 */
export function isRewardBlock(config: NetworkConfig, epoch: bigint, blockNumber: bigint): boolean {
  if (!isActive(config, "AggregatedReward", epoch)) return true;
  const f = config.sharding.rewardFrequency;
  return blockNumber % f === f - 1n;
}

/**
 * The pre-staking split of 24 ONE among a block's signers (Go
 * `accumulateRewardsAndCountSigsBeforeStaking`): signer `i` of `n` (1-based, slot order) gets
 * `⌊24e18·i/n⌋ − ⌊24e18·(i−1)/n⌋`.
 *
 * @param committee the parent's committee on the block's shard
 * @param bitmap the header's `LastCommitBitmap`
 * @returns one credit per signing slot, in slot order; they sum to exactly 24 ONE
 * @throws {SpecError} `bls/bitmap-length-mismatch`; `reward/payout-not-equal-block-reward`
 *   when nobody signed
 */
export function preStakingPayouts(committee: Committee, bitmap: Uint8Array): BalanceCredit[] {
  const signers = blockSigners(committee, bitmap).payable;
  const count = BigInt(signers.length);
  const credits: BalanceCredit[] = [];
  let last = 0n;
  for (let i = 0; i < signers.length; i++) {
    const cur = (PRE_STAKED_BLOCK_REWARD * BigInt(i + 1)) / count;
    credits.push({ address: signers[i].ecdsaAddress, amount: cur - last });
    last = cur;
  }
  // Go checks the total and rejects the block otherwise; only zero signers can miss it.
  require(last === PRE_STAKED_BLOCK_REWARD, "reward/payout-not-equal-block-reward");
  return credits;
}

/**
 * The delegation shares of a snapshot (Go `lookupDelegatorShares`), one per delegation of the
 * snapshot, in its order: the delegator's amount over the snapshot's total, a Dec quotient. Go
 * keys the shares by delegator, so a delegator listed twice has the share of its *last* entry at
 * every one of its entries. Empty when the total is zero (Go's table is then empty).
 *
 * @param snapshot the validator's snapshot wrapper
 * @returns the share of the delegator of each of the snapshot's delegations, by index
 */
export function delegatorShares(snapshot: ValidatorWrapper): Dec[] {
  const delegations = snapshot.delegations;
  let total = 0n;
  for (const d of delegations) total += d.amount;
  if (total === 0n) return [];
  // Quo(NewDec(amount), NewDec(total)) depends only on the ratio of the two mantissas: with the
  // amounts themselves as mantissas the factor 10^18 of both is simply not there to cancel, and
  // the 36-decimal quotient, its rounding and its overflow check are the same.
  const totalDec = decFromMantissa(total);
  const shares: Dec[] = new Array(delegations.length);
  for (let i = 0; i < delegations.length; i++) {
    shares[i] = decQuo(decFromMantissa(delegations[i].amount), totalDec);
  }
  // In place: `last[i] >= i`, and the entry at `last[i]` is its own last entry, so it is read
  // before anything is written over it.
  const last = lastEntries(delegations);
  for (let i = 0; i < shares.length; i++) shares[i] = shares[last[i]];
  return shares;
}

/**
 * For each entry of a delegation list, the index of its delegator's last entry: itself, unless
 * the same address is listed again further on. The entries are read from the last one back, so
 * the first entry met for an address is its last one. (Cheaper than a text key per address.)
 */
function lastEntries(delegations: Delegation[]): Int32Array {
  const seen = newBytesIndex(delegations.length);
  // The delegation index of each entry of `seen`.
  const origin = new Int32Array(delegations.length);
  const last = new Int32Array(delegations.length);
  for (let i = delegations.length - 1; i >= 0; i--) {
    const before = bytesIndexAdd(seen, delegations[i].delegatorAddress);
    if (before === -1) origin[seen.entries.length - 1] = i;
    last[i] = before === -1 ? i : origin[before];
  }
  return last;
}

/**
 * Pays a validator's due (Go `DB.AddReward`; see the module notes for the steps).
 *
 * @param current the validator's current wrapper
 * @param snapshot its snapshot wrapper for the epoch (commission rate, delegations)
 * @param shares {@link delegatorShares} of `snapshot` (empty for a zero-total snapshot)
 * @param due the amount to pay, in atto
 * @returns the new wrapper and the amount credited to delegation rewards
 * @throws {SpecError} `reward/snapshot-delegation-missing` when the current wrapper has fewer
 *   delegations than the snapshot (Go panics)
 */
export function addReward(
  current: ValidatorWrapper,
  snapshot: ValidatorWrapper,
  shares: readonly Dec[],
  due: bigint,
): AddRewardResult {
  if (due === 0n || current.validator.status === EPOS_STATUS_BANNED) {
    return { wrapper: current, credited: 0n };
  }
  const delegations = current.delegations.slice();
  const credit = (i: number, amount: bigint) => {
    // Checked without building the message: this runs once per delegation.
    if (i >= delegations.length) {
      require(false, "reward/snapshot-delegation-missing", `index ${i}`);
    }
    const d = delegations[i];
    // Spelled out rather than spread: records built by a literal can be allocated straight into
    // V8's old generation once it sees that they outlive collections, as these do (a block keeps
    // all of them); a spread copy is always allocated young and then copied by the collector.
    delegations[i] = {
      delegatorAddress: d.delegatorAddress,
      amount: d.amount,
      reward: d.reward + amount,
      undelegations: d.undelegations,
    };
  };
  // Whatever left the pool was credited: `left` is negative after an over-allocation.
  const done = (left: bigint) => ({
    wrapper: { ...current, delegations, blockReward: current.blockReward + due },
    credited: due - left,
  });
  let pool = due;
  const rate = snapshot.validator.commission.rates.rate;
  if (decIsPositive(rate)) {
    const commission = decMulIntRoundInt(rate, due);
    credit(0, commission);
    pool -= commission;
  }
  const base = pool;
  for (let i = 0; i < snapshot.delegations.length; i++) {
    // Go finds no share in its empty table and returns a wrapped nil error: the payment stops
    // silently (zero-total snapshot).
    if (i >= shares.length) return done(pool);
    const amount = decMulIntRoundInt(shares[i], base);
    credit(i, amount);
    pool -= amount;
  }
  if (pool <= 0n) return done(pool);
  credit(0, pool);
  return done(0n);
}

/** The roster entry of each signing slot's key (a repeated key finds its first slot's entry). */
function signingVoters(roster: Roster, payable: Slot[]): Voter[] {
  return payable.map((slot) => roster.voters.get(toHex(slot.blsPublicKey))!);
}

/** `S`: the overall share of the signers that are not Harmony nodes. */
function signersShare(voters: Voter[]): Dec {
  let share = DEC_ZERO;
  for (const voter of voters) if (!voter.isHarmonyNode) share = decAdd(share, voter.overallPercent);
  return share;
}

/**
 * The dues of one signed block's signers (Go `processOneCrossLink`): `TruncateInt(R · Quo(p, S))`
 * for each signing slot that is not a Harmony node and has a non-zero share `p`, credited to the
 * slot's own account.
 *
 * @param roster the roster of the committee's epoch
 * @param payable the signing slots, in slot order
 * @param reward `R`, the validators' part of the block reward, a Dec of atto
 * @returns the dues, in slot order
 */
export function signerDues(roster: Roster, payable: Slot[], reward: Dec): SlotDue[] {
  const voters = signingVoters(roster, payable);
  const share = signersShare(voters);
  const dues: SlotDue[] = [];
  payable.forEach((slot, i) => {
    const voter = voters[i];
    if (voter.isHarmonyNode || decIsZero(voter.overallPercent)) return;
    const due = decTruncateInt(decMul(reward, decQuo(voter.overallPercent, share)));
    dues.push({ address: slot.ecdsaAddress, key: slot.blsPublicKey, due });
  });
  return dues;
}

/**
 * The dues of a beacon block's own signers before `AggregatedReward` (Go
 * `distributeRewardBeforeAggregateEpoch`): `RoundInt(R · Quo(p, S))` for every signing slot that
 * is not a Harmony node, zero shares included, credited to the earning account of the key's entry
 * in the roster.
 *
 * @param roster the roster of the parent's committee
 * @param payable the signing slots, in slot order
 * @param reward `R`, a Dec of atto
 * @returns the dues, in slot order
 * @throws {SpecError} `numeric/division-by-zero` when `S` is zero and a staked slot signed
 *   (Go panics)
 */
export function beaconSignerDues(roster: Roster, payable: Slot[], reward: Dec): SlotDue[] {
  const voters = signingVoters(roster, payable);
  const share = signersShare(voters);
  const dues: SlotDue[] = [];
  for (const voter of voters) {
    if (voter.isHarmonyNode) continue;
    const due = decRoundInt(decMul(reward, decQuo(voter.overallPercent, share)));
    dues.push({ address: voter.earningAccount, key: voter.identity, due });
  }
  return dues;
}

/**
 * The signed blocks of an aggregated reward window, in Go's order: for each beacon block of the
 * window, oldest first, its pseudo-crosslink, then its crosslinks.
 *
 * @param blocks the window's beacon blocks, oldest first
 * @returns the signed blocks
 */
export function rewardWindow(blocks: BeaconBlockSignatures[]): SignedBlock[] {
  const out: SignedBlock[] = [];
  for (const b of blocks) out.push(b.parent, ...b.crossLinks);
  return out;
}

/**
 * The recovery credit of `HIP30` (Go `Finalize`): the integer part of the remainder, to the
 * recovery address of the epoch's instance.
 *
 * @param config the network configuration
 * @param epoch the block's epoch
 * @param remainder the outcome's `recoveryRemainder`, a Dec of atto
 * @returns the credit, or null before `HIP30` or when it is zero
 */
export function hip30RecoveryCredit(
  config: NetworkConfig,
  epoch: bigint,
  remainder: Dec,
): BalanceCredit | null {
  if (!isActive(config, "HIP30", epoch)) return null;
  const amount = decTruncateInt(remainder);
  const address = instanceForEpoch(config, epoch).hip30RecoveryAddress;
  if (amount === 0n || address === null) return null;
  return { address, amount };
}

// ---------------------------------------------------------------------------------------------
// One block's distribution

/** The validators of one block's distribution, changed as the rules run (never the inputs). */
interface Ledger {
  /** Each validator's wrapper as paid so far; its counters, once counted, are in `counters`. */
  wrappers: Map<string, ValidatorWrapper>;
  /** The ledger's own copies of the signing counters of the validators counted so far. */
  counters: Map<string, SigningCounters>;
  snapshots: Map<string, ValidatorWrapper>;
  /** Worked out once per committee (a window's blocks share their committees). */
  rosters: Map<Committee, Roster>;
  outcome: RewardOutcome;
}

function newLedger(input: BlockRewardInput): Ledger {
  const wrappers = new Map<string, ValidatorWrapper>();
  for (const w of input.validators) wrappers.set(bytesKey(w.validator.address), w);
  const snapshots = new Map<string, ValidatorWrapper>();
  for (const s of input.snapshots) snapshots.set(bytesKey(s.wrapper.validator.address), s.wrapper);
  const outcome: RewardOutcome = {
    validators: input.validators,
    balanceCredits: [],
    payouts: [],
    total: 0n,
    issued: 0n,
    undistributed: DEC_ZERO,
    recoveryRemainder: DEC_ZERO,
  };
  return {
    wrappers,
    counters: new Map(),
    snapshots,
    rosters: new Map(),
    outcome,
  };
}

/** The ledger's wrappers, with their counters, in the input's order. */
function finish(ledger: Ledger, input: BlockRewardInput): RewardOutcome {
  const validators = input.validators.map((w) => {
    const key = bytesKey(w.validator.address);
    const counters = ledger.counters.get(key);
    const paid = ledger.wrappers.get(key)!;
    return counters === undefined ? paid : { ...paid, counters };
  });
  return { ...ledger.outcome, validators };
}

/**
 * Signature counting on the ledger's counters (the counting rule is availability's). A
 * validator's counters are copied from its wrapper when first counted and then incremented in
 * place, once per signed block.
 */
function countSignatures(ledger: Ledger, block: SignedBlock): void {
  countBlockSignatures((key) => countersOf(ledger, key), block.committee, block.bitmap);
}

function countersOf(ledger: Ledger, key: string): SigningCounters | undefined {
  let counters = ledger.counters.get(key);
  if (counters === undefined) {
    const w = ledger.wrappers.get(key);
    if (w === undefined) return undefined; // counting rejects the missing record
    counters = { ...w.counters };
    ledger.counters.set(key, counters);
  }
  return counters;
}

function rosterOf(ledger: Ledger, config: NetworkConfig, block: SignedBlock): Roster {
  let roster = ledger.rosters.get(block.committee);
  if (roster === undefined) {
    roster = computeRoster(config, block.committee, block.epoch);
    ledger.rosters.set(block.committee, roster);
  }
  return roster;
}

/** One crosslink's dues after counting its signatures; none for a pre-staking epoch. */
function processSignedBlock(
  ledger: Ledger,
  config: NetworkConfig,
  block: SignedBlock,
  reward: Dec,
): SlotDue[] {
  if (!isActive(config, "Staking", block.epoch)) return [];
  const payable = blockSigners(block.committee, block.bitmap).payable;
  countSignatures(ledger, block);
  const dues = signerDues(rosterOf(ledger, config, block), payable, reward);
  noteNominal(ledger, reward, dues);
  return dues;
}

/** Adds `R − Σ dues` of one processed signed block to the outcome's `undistributed`. */
function noteNominal(ledger: Ledger, reward: Dec, dues: SlotDue[]): void {
  let paid = 0n;
  for (const d of dues) paid += d.due;
  const gap = decSub(reward, decFromInt(paid));
  ledger.outcome.undistributed = decAdd(ledger.outcome.undistributed, gap);
}

/**
 * The delegation shares of each snapshot record, worked out once: Go keeps a snapshot's shares in
 * a cache for the epoch, since every block of the epoch pays by the same table (records are never
 * changed in place, so the table of a record cannot go stale).
 */
const snapshotShares = new WeakMap<ValidatorWrapper, readonly Dec[]>();

function sharesOf(snapshot: ValidatorWrapper): readonly Dec[] {
  return keptFor(snapshotShares, snapshot, delegatorShares);
}

/** Pays one account through `addReward`, with the snapshot of the current epoch. */
function pay(ledger: Ledger, address: Uint8Array, due: bigint): void {
  const key = bytesKey(address);
  const snapshot = ledger.snapshots.get(key);
  require(snapshot !== undefined, "reward/snapshot-not-found", () => toHex(address));
  ledger.outcome.total += due;
  if (due === 0n) return; // Go's AddReward returns before reading the current wrapper
  const current = ledger.wrappers.get(key);
  require(current !== undefined, "reward/validator-not-found", () => toHex(address));
  const result = addReward(current, snapshot, sharesOf(snapshot), due);
  ledger.wrappers.set(key, result.wrapper);
  ledger.outcome.issued += result.credited;
}

/** Before `Staking`: the parent's signers get 24 ONE in their balances. */
function payPreStaking(ledger: Ledger, input: BlockRewardInput): void {
  // Block 1's parent is the genesis block, which nobody signs.
  if (input.blockNumber <= 1n) return;
  const parent = input.signatures[0].parent;
  const credits = preStakingPayouts(parent.committee, parent.bitmap);
  ledger.outcome.balanceCredits = credits;
  ledger.outcome.total = PRE_STAKED_BLOCK_REWARD;
  ledger.outcome.issued = PRE_STAKED_BLOCK_REWARD;
}

/** Before `AggregatedReward`: this block's crosslinks, then its parent's signers, key by key. */
function payBeforeAggregation(ledger: Ledger, input: BlockRewardInput, reward: Dec): void {
  const { parent, crossLinks } = input.signatures[0];
  for (const cl of crossLinks) {
    for (const d of processSignedBlock(ledger, input.config, cl, reward)) {
      pay(ledger, d.address, d.due);
      ledger.outcome.payouts.push({ address: d.address, key: d.key, amount: d.due });
    }
  }
  // The beacon block's own parent is always processed, whatever its epoch.
  const payable = blockSigners(parent.committee, parent.bitmap).payable;
  countSignatures(ledger, parent);
  const dues = beaconSignerDues(rosterOf(ledger, input.config, parent), payable, reward);
  noteNominal(ledger, reward, dues);
  for (const d of dues) {
    pay(ledger, d.address, d.due);
    ledger.outcome.payouts.push({ address: d.address, key: d.key, amount: d.due });
  }
}

/** From `AggregatedReward`: the window's dues summed per account, paid in address order. */
function payAggregated(
  ledger: Ledger,
  input: BlockRewardInput,
  split: EmissionSplit,
): void {
  const window = rewardWindow(input.signatures);
  const perAccount = new Map<string, { address: Uint8Array; due: bigint }>();
  for (const block of window) {
    for (const d of processSignedBlock(ledger, input.config, block, split.validators)) {
      const key = bytesKey(d.address);
      const entry = perAccount.get(key);
      if (entry === undefined) perAccount.set(key, { address: d.address, due: d.due });
      else entry.due += d.due;
      ledger.outcome.payouts.push({ address: d.address, key: d.key, amount: d.due });
    }
  }
  const accounts = [...perAccount.values()].sort((a, b) => compareBytes(a.address, b.address));
  for (const a of accounts) pay(ledger, a.address, a.due);
  // The recovery share counts every signed block of the window, pre-staking ones included.
  ledger.outcome.recoveryRemainder = decMulInt(split.recovery, BigInt(window.length));
}

/**
 * The reward rules of one block (Go `AccumulateRewardsAndCountSigs`): nothing for block 0;
 * before `Staking` the 24 ONE split on every shard; from `Staking` on, nothing outside the beacon
 * chain; before `AggregatedReward` the block's crosslinks and own signers; from it, the window of
 * a reward block (nothing on other blocks). Signing counters are bumped for every signed block
 * processed.
 *
 * @param input the block, its signatures and the validators
 * @returns the validators after counting and payment, and the accounting
 * @throws {SpecError} `reward/wrong-signature-count` when `signatures` does not hold what the era
 *   needs; `reward/payout-not-equal-block-reward`; `reward/snapshot-not-found`;
 *   `reward/validator-not-found`; `reward/snapshot-delegation-missing`;
 *   `bls/bitmap-length-mismatch`; `epos/validator-not-found` (counting); the roster's codes
 */
export function accumulateRewardsAndCountSigs(input: BlockRewardInput): RewardOutcome {
  const { config, epoch, blockNumber } = input;
  const ledger = newLedger(input);
  if (blockNumber === 0n) return finish(ledger, input);
  const count = input.signatures.length;
  if (!isActive(config, "Staking", epoch)) {
    require(count === 1, "reward/wrong-signature-count", `${count}, want 1`);
    payPreStaking(ledger, input);
    return finish(ledger, input);
  }
  if (input.shardId !== BEACON_CHAIN_SHARD_ID) return finish(ledger, input);
  const split = emissionSplit(config, epoch, stakingBlockReward(config, epoch, blockNumber));
  if (!isActive(config, "AggregatedReward", epoch)) {
    require(count === 1, "reward/wrong-signature-count", `${count}, want 1`);
    payBeforeAggregation(ledger, input, split.validators);
    return finish(ledger, input);
  }
  // [New in AggregatedReward] only every reward-frequency-th block pays, for the whole window.
  if (!isRewardBlock(config, epoch, blockNumber)) return finish(ledger, input);
  const f = config.sharding.rewardFrequency;
  require(BigInt(count) === f, "reward/wrong-signature-count", `${count}, want ${f}`);
  payAggregated(ledger, input, split);
  return finish(ledger, input);
}

/**
 * The tokens a block creates: what its rewards issued plus the `HIP30` recovery credit.
 *
 * @param outcome the block's reward outcome
 * @param recovery the recovery credit, or null
 * @returns atto created
 */
export function issuedInBlock(outcome: RewardOutcome, recovery: BalanceCredit | null): bigint {
  return outcome.issued + (recovery === null ? 0n : recovery.amount);
}
