/**
 * The genesis of a local network: the localnet preset sized to the command line, deterministic
 * validator keys for every shard, and the development accounts funded on every shard.
 *
 * The validators are Harmony-operated slots: Harmony's pre-staking committee rule gives account
 * `i + j·shards` of the Harmony list to seat `j` of shard `i`, so the list is laid out that way and
 * the election keeps each key in its shard. From the staking epoch on, every instance keeps two
 * external slots per shard, so a validator created by a staking transaction can be elected next
 * to them; before it, committees hold only these keys (no foundational nodes).
 *
 * A genesis file (JSON) can replace the development allocations:
 * `{ "alloc": { "0x…" | "one1…": "<balance in atto, decimal>" }, "timestamp": <unix s> }`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { blsPublicKey } from "../../spec/crypto/bls.ts";
import { addressFromPrivateKey, SECP256K1_N } from "../../spec/crypto/secp256k1.ts";
import { parseAddress } from "../../spec/encoding/address.ts";
import {
  bigintToFixedBytes,
  bigintToFixedBytesLE,
  bytesToBigint,
  concatBytes,
  uint64LE,
  utf8ToBytes,
} from "../../spec/encoding/bytes.ts";
import { keccak256 } from "../../spec/encoding/hash.ts";
import type { AccountInit } from "../../spec/execution/state.ts";
import { isActive, LOCALNET, type NetworkConfig, validateConfig } from "../../spec/params/mod.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import type { GenesisAccount } from "../../spec/staking/election.ts";
import { ONE } from "../../spec/staking/validator.ts";
import { devAccounts } from "./dev-accounts.ts";

/** The order of BLS12-381's scalar field: secret keys are below it. */
const BLS_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** External slots per shard next to the in-process validators. */
const EXTERNAL_SLOTS = 2n;

/** What each development account holds on each shard at genesis. */
export const DEV_BALANCE = 1_000_000n * ONE;

/** One in-process validator key. */
export interface ValidatorKey {
  shardId: bigint;
  index: number;
  /** BLS secret key, 32 bytes little-endian. */
  secretKey: Uint8Array;
  /** BLS public key, 48 bytes. */
  publicKey: Uint8Array;
  /** The account its rewards go to. */
  address: Uint8Array;
}

/** A deterministic, nonzero key below `order` from a label. */
function derive(label: string, shardId: bigint, index: number, order: bigint): bigint {
  const seed = keccak256(
    concatBytes(utf8ToBytes(label), uint64LE(shardId), uint64LE(BigInt(index))),
  );
  return (bytesToBigint(seed) % (order - 1n)) + 1n;
}

/** The validator keys of a shard. */
export function validatorKeys(shardId: bigint, count: number): ValidatorKey[] {
  const keys: ValidatorKey[] = [];
  for (let index = 0; index < count; index++) {
    const secretKey = bigintToFixedBytesLE(
      derive("harmony-spec localnet bls", shardId, index, BLS_ORDER),
      32,
    );
    const ecdsa = derive(
      "harmony-spec localnet ecdsa",
      shardId,
      index,
      SECP256K1_N,
    );
    keys.push({
      shardId,
      index,
      secretKey,
      publicKey: blsPublicKey(secretKey),
      address: addressFromPrivateKey(bigintToFixedBytes(ecdsa, 32)),
    });
  }
  return keys;
}

/** The localnet network sized to `shards` shards of `keys` in-process validators each. */
export function localNetwork(shards: number, keys: number): NetworkConfig {
  const network: NetworkConfig = {
    ...LOCALNET,
    sharding: {
      ...LOCALNET.sharding,
      instances: LOCALNET.sharding.instances.map((entry) => ({
        fromEpoch: entry.fromEpoch,
        instance: {
          ...entry.instance,
          numShards: BigInt(shards),
          numHarmonyOperatedNodesPerShard: BigInt(keys),
          // Before staking a committee is Harmony's and foundational nodes': only ours here.
          numNodesPerShard: BigInt(keys) +
            (isActive(LOCALNET, "Staking", entry.fromEpoch) ? EXTERNAL_SLOTS : 0n),
        },
      })),
    },
  };
  validateConfig(network);
  return network;
}

/** The Harmony account list in the order the pre-staking committee rule reads it. */
export function harmonyAccounts(keysByShard: ValidatorKey[][]): GenesisAccount[] {
  const shards = keysByShard.length;
  const list: GenesisAccount[] = [];
  for (let j = 0; j < keysByShard[0].length; j++) {
    for (let i = 0; i < shards; i++) {
      const k = keysByShard[i][j];
      list[i + j * shards] = { address: k.address, blsPublicKey: k.publicKey };
    }
  }
  return list;
}

/** The shard state of epoch 0: every shard's in-process validators as Harmony slots. */
export function genesisCommittee(keysByShard: ValidatorKey[][]): ShardState {
  return {
    epoch: 0n,
    shards: keysByShard.map((keys, shardId) => ({
      shardId: BigInt(shardId),
      slots: keys.map((k) => ({
        ecdsaAddress: k.address,
        blsPublicKey: k.publicKey,
        effectiveStake: null,
      })),
    })),
  };
}

/** The allocations of every shard: the development accounts, or those of a genesis file. */
export function allocations(
  genesisFile: string | null,
): { alloc: AccountInit[]; timestamp: bigint | null } {
  if (genesisFile === null) {
    return {
      alloc: devAccounts(10).map((a) => ({ address: a.address, balance: DEV_BALANCE })),
      timestamp: null,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(genesisFile, "utf8"));
  } catch (e) {
    throw new Error(
      `cannot read the genesis file ${genesisFile}: ${e instanceof Error ? e.message : e}`,
    );
  }
  const g = parsed as { alloc?: Record<string, unknown>; timestamp?: unknown };
  if (typeof g !== "object" || g === null || typeof g.alloc !== "object" || g.alloc === null) {
    throw new Error(`genesis file ${genesisFile}: expected { "alloc": { address: balance } }`);
  }
  const alloc: AccountInit[] = [];
  for (const [address, balance] of Object.entries(g.alloc)) {
    if (typeof balance !== "string" || !/^\d+$/.test(balance)) {
      throw new Error(`genesis file: the balance of ${address} must be a decimal string of atto`);
    }
    try {
      alloc.push({ address: parseAddress(address), balance: BigInt(balance) });
    } catch {
      throw new Error(`genesis file: ${address} is not an address`);
    }
  }
  const timestamp = typeof g.timestamp === "number" ? BigInt(g.timestamp) : null;
  return { alloc, timestamp };
}
