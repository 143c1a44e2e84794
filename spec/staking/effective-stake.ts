/**
 * The EPoS slot auction and effective stake.
 *
 * **Why.** Harmony's Effective Proof-of-Stake elects a fixed number of keys (slots) per epoch and
 * gives each elected key a voting weight close to the median, so that a very large validator
 * cannot buy an outsized share of the vote with one key, and the stake of a key cannot be
 * arbitrarily small either. A validator bids with its total stake spread evenly over its keys.
 *
 * **The auction** (`effective.Compute`). Each candidate is a {@link SlotOrder}: an account, its
 * total stake in atto, and the keys it bids with.
 * 1. Candidates are sorted by account bytes, ascending.
 * 2. Each candidate with `n ≥ 1` keys becomes `n` bids, one per key in key order, each of
 *    `RawStake = Dec(stake) / n` where the division truncates the Dec mantissa (Go `QuoInt64`):
 *    10 atto over 3 keys is 3.333333333333333333 atto per key. Candidates with no key are dropped.
 * 3. All bids are sorted by `RawStake`, descending, with a *stable* sort: equal bids keep the order
 *    of step 2 (lower account first, then key order).
 * 4. The first `min(pull, #bids)` bids win, `pull` being the number of external slots of the
 *    target epoch.
 * 5. The median of the winners' raw stakes: the middle one for an odd count, the Dec mean
 *    `(a + b) / 2` (Dec quotient, half to even) of the two middle ones for an even count, zero for
 *    none.
 *
 * **How the spec runs it.** All the bids of one candidate are equal and, after step 2, adjacent
 * and in key order; a stable sort keeps them so. Sorting the *candidates* instead, by raw stake
 * per key, descending, equal stakes in account order (the order step 2 leaves them in), and
 * expanding them in that order gives exactly the bids of step 3 in their sorted order. So the
 * spec ranks the candidates ({@link rankBidders}) and expands them only until `pull` bids are
 * taken: a sort of the validators rather than of all their keys, and no bid built for a key that
 * cannot win.
 *
 * **Effective stake** (`effective.Apply`). With `c = 0.15`, or `c = 0.35` once `EPoSBound35` is
 * active at the target epoch, each winner's effective stake is its raw stake clamped into
 * `[(1 − c)·median, (1 + c)·median]`, both bounds being Dec products (half to even). Effective
 * stake is per key, not per validator.
 *
 * @see github.com/harmony-one/harmony staking/effective/calculate.go (Compute, Median, Apply,
 *   effectiveStake)
 * @module
 */
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decAdd,
  decCmp,
  decFromInt,
  decFromString,
  decMax,
  decMin,
  decMul,
  decQuo,
  decQuoInt,
  decSub,
} from "../numeric/decimal.ts";
import { bytesIndexAdd, compareBytes, newBytesIndex, toHex } from "../encoding/bytes.ts";
import { type HasFeatures, isActive } from "../params/features.ts";
import { require } from "../errors.ts";

/** The EPoS bound before `EPoSBound35`: 0.15. */
export const EPOS_BOUND_C: Dec = decFromString("0.15");
/** The EPoS bound from `EPoSBound35` on: 0.35. */
export const EPOS_BOUND_C_V2: Dec = decFromString("0.35");

/** One candidate's bid (Go `effective.SlotOrder`, without its display-only percentage). */
export interface SlotOrder {
  /** The validator's account (20 bytes). */
  address: Uint8Array;
  /** Its total stake in atto: the sum of its delegations. */
  stake: bigint;
  /** The keys it bids with, in order (after conflicts and the HIP-16 limit). */
  keys: Uint8Array[];
}

/** One key's bid and, for a winner, its effective stake (Go `effective.SlotPurchase`). */
export interface SlotPurchase {
  /** The bidding validator's account. */
  address: Uint8Array;
  /** The key. */
  key: Uint8Array;
  /** The validator's stake divided among its keys (Dec, atto). */
  rawStake: Dec;
  /** The raw stake clamped around the median (Dec, atto); equal to `rawStake` before `apply`. */
  eposStake: Dec;
}

/** The result of an auction: the winners' median and the winners in order. */
export interface AuctionResult {
  /** The median raw stake of the winners (zero when there are none). */
  median: Dec;
  /** The winning bids, by raw stake descending (ties as described in the module). */
  winners: SlotPurchase[];
}

/**
 * The bound `c` in force at an epoch.
 *
 * @param config the feature schedule
 * @param epoch the epoch being elected
 * @returns 0.35 once `EPoSBound35` is active at `epoch`, else 0.15
 */
export function eposBound(config: HasFeatures, epoch: bigint): Dec {
  return isActive(config, "EPoSBound35", epoch) ? EPOS_BOUND_C_V2 : EPOS_BOUND_C;
}

/** A candidate that bids (it has at least one key) and the raw stake of each of its bids. */
export interface Bidder {
  /** The candidate. */
  order: SlotOrder;
  /** Its stake divided among its keys (Dec, atto; step 2). */
  rawStake: Dec;
}

/**
 * The candidates in the order their bids win (steps 1 to 3, on candidates rather than on bids):
 * by raw stake per key, descending, equal stakes in account order; candidates with no key are
 * dropped. Their keys, in this order and each candidate's in key order, are the bids of step 3 in
 * sorted order.
 *
 * @param orders the candidates, in any order
 * @returns the bidders, best first
 * @throws {SpecError} `epos/duplicate-candidate` when an account bids twice (Go keys its bids by
 *   account, so it cannot)
 */
export function rankBidders(orders: SlotOrder[]): Bidder[] {
  const seen = newBytesIndex(orders.length);
  for (const o of orders) {
    const fresh = bytesIndexAdd(seen, o.address) === -1;
    require(fresh, "epos/duplicate-candidate", () => toHex(o.address));
  }
  const bidders: Bidder[] = [];
  for (const order of orders) {
    if (order.keys.length === 0) continue;
    const rawStake = decQuoInt(decFromInt(order.stake), BigInt(order.keys.length));
    bidders.push({ order, rawStake });
  }
  // Go sorts by account, then stably by raw stake (descending); the accounts being distinct, that
  // is one sort by raw stake, descending, equal stakes in account order.
  return bidders.sort((a, b) =>
    decCmp(b.rawStake, a.rawStake) || compareBytes(a.order.address, b.order.address)
  );
}

/** Sorts bids by raw stake, descending; `Array.prototype.sort` is stable, as Go's `SliceStable`. */
function byRawStakeDescending(bids: SlotPurchase[]): SlotPurchase[] {
  return bids.slice().sort((a, b) => decCmp(b.rawStake, a.rawStake));
}

/**
 * The median raw stake (Go `effective.Median`), after a stable sort by raw stake descending.
 *
 * @param bids the winning bids
 * @returns the middle raw stake, the Dec mean of the two middle ones, or zero for none
 */
export function medianStake(bids: SlotPurchase[]): Dec {
  if (bids.length === 0) return DEC_ZERO;
  const sorted = byRawStakeDescending(bids);
  const half = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[half].rawStake;
  return decQuo(decAdd(sorted[half - 1].rawStake, sorted[half].rawStake), decFromInt(2n));
}

/**
 * Runs the auction (Go `effective.Compute`): the first `pull` bids in winning order, and their
 * median.
 *
 * @param orders the candidates
 * @param pull the number of slots on offer (non-negative)
 * @returns the median and the winners, whose `eposStake` still equals `rawStake`
 * @throws {SpecError} `epos/duplicate-candidate`
 */
export function runAuction(orders: SlotOrder[], pull: bigint): AuctionResult {
  const seats = Number(pull);
  const winners: SlotPurchase[] = [];
  for (const { order, rawStake } of rankBidders(orders)) {
    for (const key of order.keys) {
      if (winners.length === seats) return { median: medianStake(winners), winners };
      winners.push({ address: order.address, key, rawStake, eposStake: rawStake });
    }
  }
  return { median: medianStake(winners), winners };
}

/**
 * Clamps a raw stake into `[min, max]` (Go `effectiveStake`).
 *
 * @param min the lower bound
 * @param max the upper bound
 * @param raw the raw stake
 * @returns `max(min(max, raw), min)`
 */
export function clampStake(min: Dec, max: Dec, raw: Dec): Dec {
  return decMax(decMin(max, raw), min);
}

/**
 * Runs the auction and sets every winner's effective stake (Go `effective.Apply`).
 *
 * @param orders the candidates
 * @param pull the number of slots on offer
 * @param c the bound, {@link eposBound} of the target epoch
 * @returns the median and the winners with their effective stakes
 * @throws {SpecError} `epos/duplicate-candidate`; `numeric/overflow` for stakes beyond Dec's range
 */
export function applyEffectiveStake(orders: SlotOrder[], pull: bigint, c: Dec): AuctionResult {
  const { median, winners } = runAuction(orders, pull);
  const max = decMul(decAdd(DEC_ONE, c), median);
  const min = decMul(decSub(DEC_ONE, c), median);
  return {
    median,
    winners: winners.map((w) => ({ ...w, eposStake: clampStake(min, max, w.rawStake) })),
  };
}
