/**
 * Builders shared by the reward, slashing and finalisation tests: validators with chosen
 * delegations and commission, committees of staked and Harmony slots, bitmaps, snapshots.
 *
 * @module
 */
import { blsMaskFromIndices } from "../../spec/crypto/bls-mask.ts";
import { type Dec, decFromInt, decFromString } from "../../spec/numeric/decimal.ts";
import type { Committee, Slot } from "../../spec/sharding/shard-state.ts";
import type { Delegation } from "../../spec/staking/delegation.ts";
import type { ValidatorSnapshot } from "../../spec/staking/rewards.ts";
import { Eligibility, ONE, type ValidatorWrapper } from "../../spec/staking/validator.ts";
import { prototypeWrapper } from "./fixtures.ts";

export { ONE };

/** The 20-byte account whose first byte is `tag` and last byte `b`. */
export function addr(b: number, tag = 0xaa): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = tag;
  a[19] = b;
  return a;
}

/** A 48-byte key tagged `(a, i)` (only its bytes matter to the reward rules). */
export function keyOf(a: number, i: number): Uint8Array {
  const k = new Uint8Array(48);
  k[0] = a;
  k[1] = i;
  k[47] = 0x5a;
  return k;
}

/** A delegation with no undelegation. */
export function delegation(address: Uint8Array, amount: bigint, reward = 0n): Delegation {
  return { delegatorAddress: address, amount, reward, undelegations: [] };
}

/**
 * Validator `b`: keys `keyOf(b, 0..keys-1)`, self-delegation first, then delegators `addr(j, b)`
 * for the other amounts; commission `rate` (max rate 1, max change 1), generous limits.
 */
export function validator(
  b: number,
  amounts: bigint[],
  rate = "0",
  keys = 1,
): ValidatorWrapper {
  const address = addr(b);
  const w = prototypeWrapper(address, Array.from({ length: keys }, (_, i) => keyOf(b, i)));
  w.validator.maxTotalDelegation = 10n ** 40n;
  w.validator.minSelfDelegation = 10_000n * ONE;
  w.validator.commission.rates = {
    rate: decFromString(rate),
    maxRate: decFromString("1"),
    maxChangeRate: decFromString("1"),
  };
  w.delegations = amounts.map((a, j) => delegation(j === 0 ? address : addr(j, b), a));
  return w;
}

/** A copy of a wrapper with another status. */
export function withStatus(w: ValidatorWrapper, status: number): ValidatorWrapper {
  return { ...w, validator: { ...w.validator, status } };
}

/** Banned. */
export const BANNED = Eligibility.Banned;

/** A staked slot for key `i` of validator `w`, with an effective stake in ONE. */
export function stakedSlot(w: ValidatorWrapper, i: number, stakeOne: bigint): Slot {
  return {
    ecdsaAddress: w.validator.address,
    blsPublicKey: w.validator.slotPubKeys[i],
    effectiveStake: decFromInt(stakeOne * ONE),
  };
}

/** A Harmony slot numbered `i`. */
export function harmonySlot(i: number): Slot {
  return { ecdsaAddress: addr(i, 0x11), blsPublicKey: keyOf(0xf0, i), effectiveStake: null };
}

/** A committee of shard `shardId`. */
export function committeeOf(slots: Slot[], shardId = 0n): Committee {
  return { shardId, slots };
}

/** The bitmap of a committee with the given slots signing. */
export function bitmap(committee: Committee, signing: number[]): Uint8Array {
  return blsMaskFromIndices(committee.slots.length, signing);
}

/** Every slot of a committee signing. */
export function allSign(committee: Committee): Uint8Array {
  return bitmap(committee, committee.slots.map((_, i) => i));
}

/** Snapshots of the given wrappers for an epoch (the wrappers as they are). */
export function snapshotsOf(epoch: bigint, ws: ValidatorWrapper[]): ValidatorSnapshot[] {
  return ws.map((wrapper) => ({ epoch, wrapper }));
}

/** A Dec from text. */
export function dec(text: string): Dec {
  return decFromString(text);
}

/** Sum of the rewards of a wrapper's delegations. */
export function rewardsOf(w: ValidatorWrapper): bigint {
  let total = 0n;
  for (const d of w.delegations) total += d.reward;
  return total;
}

/** Sum of the amounts of a wrapper's delegations. */
export function stakeOf(w: ValidatorWrapper): bigint {
  let total = 0n;
  for (const d of w.delegations) total += d.amount;
  return total;
}

/** Everything a wrapper holds for its delegators: amounts, undelegations and rewards. */
export function holdingsOf(w: ValidatorWrapper): bigint {
  let total = 0n;
  for (const d of w.delegations) {
    total += d.amount + d.reward;
    for (const u of d.undelegations) total += u.amount;
  }
  return total;
}
