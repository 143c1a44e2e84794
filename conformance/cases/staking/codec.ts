/**
 * Reading and writing the EPoS records in vectors: slots, committees, shard states, candidates.
 * The field names and encodings are those of `conformance/formats/epos.md`.
 *
 * @module
 */
import { bytesToBigint } from "../../../spec/encoding/bytes.ts";
import { decFromMantissa } from "../../../spec/numeric/decimal.ts";
import type { Committee, ShardState, Slot } from "../../../spec/sharding/shard-state.ts";
import type { EposStatus } from "../../../spec/staking/availability.ts";
import type { EposCandidate, GenesisAccount } from "../../../spec/staking/election.ts";
import type { Decoded } from "../../cbor.ts";
import type { DecodedFields, Fields } from "../../harness.ts";

/** A record field of a decoded input. */
export function rec(value: Decoded | undefined, what: string): DecodedFields {
  if (
    value === null || value === undefined || typeof value !== "object" || Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    throw new Error(`${what} must be a map`);
  }
  return value as DecodedFields;
}

/** A list field. */
export function list(value: Decoded | undefined, what: string): Decoded[] {
  if (!Array.isArray(value)) throw new Error(`${what} must be a list`);
  return value;
}

/** A byte-string field. */
export function bytes(value: Decoded | undefined, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error(`${what} must be a byte string`);
  return value;
}

/** An unsigned integer field (a byte string). */
export function uint(value: Decoded | undefined, what: string): bigint {
  return bytesToBigint(bytes(value, what));
}

/** A boolean field. */
export function bool(value: Decoded | undefined, what: string): boolean {
  if (typeof value !== "boolean") throw new Error(`${what} must be a boolean`);
  return value;
}

/** Reads a slot `{address, bls_key, effective_stake}`. */
export function readSlot(value: Decoded): Slot {
  const r = rec(value, "slot");
  const stake = r.effective_stake;
  return {
    ecdsaAddress: bytes(r.address, "address"),
    blsPublicKey: bytes(r.bls_key, "bls_key"),
    effectiveStake: stake === null ? null : decFromMantissa(uint(stake, "effective_stake")),
  };
}

/** Reads a committee `{shard_id, slots}`. */
export function readCommittee(value: Decoded): Committee {
  const r = rec(value, "committee");
  return { shardId: uint(r.shard_id, "shard_id"), slots: list(r.slots, "slots").map(readSlot) };
}

/** Reads a shard state `{epoch, shards}`. */
export function readShardState(value: Decoded): ShardState {
  const r = rec(value, "shard state");
  return {
    epoch: r.epoch === null ? null : uint(r.epoch, "epoch"),
    shards: list(r.shards, "shards").map(readCommittee),
  };
}

/** Writes a slot. */
export function writeSlot(s: Slot): Fields {
  return {
    address: s.ecdsaAddress,
    bls_key: s.blsPublicKey,
    effective_stake: s.effectiveStake === null ? null : s.effectiveStake.mantissa,
  };
}

/** Writes a committee. */
export function writeCommittee(c: Committee): Fields {
  return { shard_id: c.shardId, slots: c.slots.map(writeSlot) };
}

/** Writes a shard state. */
export function writeShardState(s: ShardState): Fields {
  return { epoch: s.epoch, shards: s.shards.map(writeCommittee) };
}

/** Reads a genesis account `{address, bls_key}`. */
export function readAccount(value: Decoded): GenesisAccount {
  const r = rec(value, "account");
  return { address: bytes(r.address, "address"), blsPublicKey: bytes(r.bls_key, "bls_key") };
}

/** Reads a candidate (see the format). */
export function readCandidate(value: Decoded): EposCandidate {
  const r = rec(value, "candidate");
  const status = r.status;
  if (typeof status !== "number" || ![0, 1, 2, 3].includes(status)) throw new Error("status");
  return {
    address: bytes(r.address, "address"),
    status: status as EposStatus,
    slotPubKeys: list(r.bls_keys, "bls_keys").map((k) => bytes(k, "bls key")),
    lastEpochInCommittee: uint(r.last_epoch_in_committee, "last_epoch_in_committee"),
    delegations: list(r.delegations, "delegations").map((d) => uint(d, "delegation")),
    counters: {
      numBlocksSigned: uint(r.signed, "signed"),
      numBlocksToSign: uint(r.to_sign, "to_sign"),
    },
    snapshot: {
      epoch: uint(r.snapshot_epoch, "snapshot_epoch"),
      counters: {
        numBlocksSigned: uint(r.snapshot_signed, "snapshot_signed"),
        numBlocksToSign: uint(r.snapshot_to_sign, "snapshot_to_sign"),
      },
    },
  };
}

/** Writes a candidate. */
export function writeCandidate(c: EposCandidate): Fields {
  return {
    address: c.address,
    status: c.status,
    bls_keys: c.slotPubKeys,
    last_epoch_in_committee: c.lastEpochInCommittee,
    delegations: c.delegations,
    signed: c.counters.numBlocksSigned,
    to_sign: c.counters.numBlocksToSign,
    snapshot_epoch: c.snapshot.epoch,
    snapshot_signed: c.snapshot.counters.numBlocksSigned,
    snapshot_to_sign: c.snapshot.counters.numBlocksToSign,
  };
}
