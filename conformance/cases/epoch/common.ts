/**
 * Reading and writing the records of the `epoch` runner: wrappers, snapshots, signed blocks,
 * credits. The format is in `conformance/formats/epoch.md`; shard states, committees and genesis
 * accounts use the `epos` runner's records.
 *
 * @module
 */
import type { NetworkConfig } from "../../../spec/params/mod.ts";
import { findCommittee, type ShardState } from "../../../spec/sharding/shard-state.ts";
import type { BalanceCredit } from "../../../spec/staking/delegation.ts";
import type {
  BeaconBlockSignatures,
  Payout,
  SignedBlock,
  ValidatorSnapshot,
} from "../../../spec/staking/rewards.ts";
import type { ValidatorWrapper } from "../../../spec/staking/validator.ts";
import {
  decodeValidatorWrapper,
  encodeValidatorWrapper,
} from "../../../spec/staking/wrapper-rlp.ts";
import { bytesToSigned, type Decoded, signedToBytes } from "../../cbor.ts";
import type { Fields } from "../../harness.ts";
import { bytes, list, readShardState, rec, uint, writeShardState } from "../staking/codec.ts";
import { ONE } from "../../../spec/staking/validator.ts";

export { bytes, list, readShardState, rec, uint, writeShardState };

export { ONE };

/** The common base of every handler of the runner under a preset. */
export function base(config: NetworkConfig): { runner: string; preset: string; config: Fields } {
  return { runner: "epoch", preset: config.network, config: config as unknown as Fields };
}

/** Reads a list of wrappers (their stored RLP). */
export function readWrappers(value: Decoded | undefined, what: string): ValidatorWrapper[] {
  return list(value, what).map((w) => decodeValidatorWrapper(bytes(w, what)));
}

/** Writes wrappers as their RLP. */
export function writeWrappers(ws: ValidatorWrapper[]): Uint8Array[] {
  return ws.map(encodeValidatorWrapper);
}

/** Reads snapshots `{epoch, wrapper}`. */
export function readSnapshots(value: Decoded | undefined, what: string): ValidatorSnapshot[] {
  return list(value, what).map((s) => {
    const r = rec(s, what);
    return {
      epoch: uint(r.epoch, "epoch"),
      wrapper: decodeValidatorWrapper(bytes(r.wrapper, "wrapper")),
    };
  });
}

/** Writes snapshots. */
export function writeSnapshots(ss: ValidatorSnapshot[]): Fields[] {
  return ss.map((s) => ({ epoch: s.epoch, wrapper: encodeValidatorWrapper(s.wrapper) }));
}

/** Resolves committees of signed blocks: the shard states by epoch, one committee object each. */
function committeeLookup(states: ShardState[]) {
  const cache = new Map<string, ReturnType<typeof findCommittee>>();
  return (epoch: bigint, shardId: bigint) => {
    const key = `${epoch}/${shardId}`;
    let found = cache.get(key);
    if (found === undefined) {
      const state = states.find((s) => s.epoch === epoch);
      if (state === undefined) throw new Error(`no shard state for epoch ${epoch} in the vector`);
      found = findCommittee(state, shardId);
      cache.set(key, found);
    }
    return found;
  };
}

/** Reads `signatures`: `[{parent, cross_links}]` of signed blocks, committees from `states`. */
export function readSignatures(
  value: Decoded | undefined,
  states: ShardState[],
): BeaconBlockSignatures[] {
  const lookup = committeeLookup(states);
  const signed = (v: Decoded): SignedBlock => {
    const r = rec(v, "signed block");
    const epoch = uint(r.epoch, "epoch");
    const shardId = uint(r.shard_id, "shard_id");
    return {
      shardId,
      epoch,
      blockNumber: uint(r.block_number, "block_number"),
      bitmap: bytes(r.bitmap, "bitmap"),
      committee: lookup(epoch, shardId),
    };
  };
  return list(value, "signatures").map((b) => {
    const r = rec(b, "beacon block");
    return { parent: signed(r.parent), crossLinks: list(r.cross_links, "cross_links").map(signed) };
  });
}

/** A signed block as vector data (its committee comes from the shard states). */
export function signedField(b: SignedBlock): Fields {
  return { shard_id: b.shardId, epoch: b.epoch, block_number: b.blockNumber, bitmap: b.bitmap };
}

/** `signatures` as vector data. */
export function signaturesField(blocks: BeaconBlockSignatures[]): Fields[] {
  return blocks.map((b) => ({
    parent: signedField(b.parent),
    cross_links: b.crossLinks.map(signedField),
  }));
}

/** Credits as vector data: address and a signed amount. */
export function creditsField(credits: BalanceCredit[]): Fields[] {
  return credits.map((c) => ({ address: c.address, amount: signedToBytes(c.amount) }));
}

/** Payouts as vector data. */
export function payoutsField(payouts: Payout[]): Fields[] {
  return payouts.map((p) => ({ address: p.address, key: p.key, amount: p.amount }));
}

/** Reads a signed integer output. */
export function signed(value: Decoded | undefined, what: string): bigint {
  return bytesToSigned(bytes(value, what));
}
