/**
 * Small builders shared by the EPoS tests (election, voting power, availability): accounts, keys, slots, candidates.
 *
 * @module
 */
import { type Dec, decFromString } from "../../spec/numeric/decimal.ts";
import { fromHex } from "../../spec/encoding/bytes.ts";
import type { Committee, Slot } from "../../spec/sharding/shard-state.ts";
import { EPOS_STATUS_ACTIVE, type EposStatus } from "../../spec/staking/availability.ts";
import type { EposCandidate } from "../../spec/staking/election.ts";
import { ONE } from "../../spec/staking/validator.ts";

/** The 20-byte account whose last byte is `b` (Go `common.Address{..., b}` right-aligned). */
export function account(b: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = b;
  return a;
}

/** A 48-byte key starting with bytes `a, i` (zeros after). */
export function key(a: number, i: number): Uint8Array {
  const k = new Uint8Array(48);
  k[0] = a;
  k[1] = i;
  return k;
}

/** The first two bytes of a key as hex, as the Go-computed tables name keys. */
export function keyTag(k: Uint8Array): string {
  return ((k[0] << 8) | k[1]).toString(16).padStart(4, "0");
}

/** A Dec from decimal text. */
export function dec(text: string): Dec {
  return decFromString(text);
}

/** A slot. */
export function slot(addr: Uint8Array, k: Uint8Array, stake: Dec | null): Slot {
  return { ecdsaAddress: addr, blsPublicKey: k, effectiveStake: stake };
}

/** A committee of shard 0. */
export function committee(slots: Slot[]): Committee {
  return { shardId: 0n, slots };
}

/** An account from hex. */
export function hexAccount(hex: string): Uint8Array {
  return fromHex(hex);
}

/** An active candidate that has never been in a committee, with the given stake and keys. */
export function candidate(
  addr: Uint8Array,
  keys: Uint8Array[],
  delegations: bigint[],
  status: EposStatus = EPOS_STATUS_ACTIVE,
): EposCandidate {
  const zero = { numBlocksToSign: 0n, numBlocksSigned: 0n };
  return {
    address: addr,
    status,
    counters: zero,
    snapshot: { epoch: 5n, counters: zero },
    slotPubKeys: keys,
    lastEpochInCommittee: 0n,
    delegations,
  };
}

export { ONE };
