/**
 * Shared pieces of the execution cases: how accounts, block environments and transactions are
 * written in vectors, the test keys, and small expectation helpers.
 *
 * @module
 */
import { bigintToFixedBytes, bytesToBigint, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { addressFromPrivateKey } from "../../../spec/crypto/secp256k1.ts";
import type { NetworkConfig } from "../../../spec/params/mod.ts";
import {
  type AccountInit,
  allAccounts,
  allStorage,
  type WorldState,
} from "../../../spec/execution/state.ts";
import type { BlockEnv } from "../../../spec/execution/apply.ts";
import {
  blockSigner,
  decodeEthTransaction,
  decodeTransaction,
  encodeTransaction,
  ethToHarmony,
  signTransaction,
  type Transaction,
  type UnsignedTransaction,
} from "../../../spec/execution/transaction.ts";
import type { Data } from "../../cbor.ts";
import type { DecodedFields, Fields } from "../../harness.ts";
import { ONE } from "../../../spec/staking/validator.ts";

/** A vector's unsigned integer. */
export const big = (value: unknown) => bytesToBigint(value as Uint8Array);
/** A vector's byte string. */
export const bytes = (value: unknown) => value as Uint8Array;
export { ONE };
/** 100 gwei, the pool's minimum gas price. */
export const GWEI_100 = 100_000_000_000n;

// --- vector encodings of accounts, environments and transactions ---------------------------------

/** Reads a vector's account list. */
export function readAccounts(value: unknown): AccountInit[] {
  return (value as DecodedFields[]).map((a) => ({
    address: bytes(a.address),
    balance: big(a.balance),
    nonce: big(a.nonce),
    code: bytes(a.code),
    storage: (a.storage as Uint8Array[][]).map(([k, v]) => [big(k), big(v)] as [bigint, bigint]),
  }));
}

/** Writes every account of a state, sorted by address, in the vector encoding. */
export function writeAccounts(state: WorldState): Data[] {
  const rows = [...allAccounts(state)].sort(([a], [b]) => (a < b ? -1 : 1));
  return rows.map(([key, r]) => ({
    address: fromHex(key),
    balance: r.balance,
    nonce: r.nonce,
    code: r.code,
    code_hash: r.codeHash,
    storage: [...allStorage(r)].sort().map(([k, v]) => [fromHex(k), v]),
  }));
}

/** Reads a vector's block environment (no history: BLOCKHASH and past VRFs are zero). */
export function readEnv(e: DecodedFields): BlockEnv {
  return {
    shardId: big(e.shard_id),
    epoch: big(e.epoch),
    blockNumber: big(e.number),
    coinbase: bytes(e.coinbase),
    gasLimit: big(e.gas_limit),
    timestamp: big(e.timestamp),
    vrf: new Uint8Array(32),
    vrfOfBlock: () => new Uint8Array(32),
    blockHash: () => new Uint8Array(32),
  };
}

/** A transaction in a vector: native RLP, or Ethereum RLP converted for the block's network. */
export function readTx(config: NetworkConfig, t: DecodedFields): Transaction {
  return t.format === "eth"
    ? ethToHarmony(config, decodeEthTransaction(bytes(t.bytes)))
    : decodeTransaction(bytes(t.bytes));
}

/** A block environment's vector fields at an epoch and shard. */
export const ENV_FIELDS = (epoch: bigint, shard = 0n): Fields => ({
  shard_id: shard,
  epoch,
  number: 1000n,
  coinbase: fromHex("00000000000000000000000000000000000c0b1e"),
  gas_limit: 30_000_000n,
  timestamp: 1_700_000_000n,
});

/** The private key of test account `i`. */
export const key = (i: number) => bigintToFixedBytes(BigInt(i) + 0x1000n, 32);
/** The address of test account `i`. */
export const address = (i: number) => addressFromPrivateKey(key(i));

/** A recipient without code. */
export const RECIPIENT = fromHex("0000000000000000000000000000000000007e57");

/** A native transaction signed with the block signer of an environment. */
export function nativeSigned(
  config: NetworkConfig,
  epoch: bigint,
  i: number,
  fields: Partial<UnsignedTransaction>,
): Uint8Array {
  const signer = blockSigner(config, fields.shardId ?? 0n, epoch, { v: 27n });
  const tx = signTransaction(signer, {
    nonce: 0n,
    gasPrice: GWEI_100,
    gasLimit: 21_000n,
    shardId: 0n,
    toShardId: 0n,
    to: RECIPIENT,
    value: 1n,
    data: new Uint8Array(0),
    ...fields,
  }, key(i));
  return encodeTransaction(tx);
}

/** The block's coinbase in the vectors. */
export const COINBASE = fromHex("00000000000000000000000000000000000c0b1e");

/** A plain account's vector fields. */
export const account = (address: Uint8Array, balance: bigint, nonce = 0n): Fields => ({
  address,
  balance,
  nonce,
  code: new Uint8Array(0),
  storage: [],
});

/** Expects one account's balance and nonce in the post state. */
export function postHas(address: Uint8Array, balance: bigint, nonce?: bigint) {
  return (out: DecodedFields) => {
    const row = (out.post as DecodedFields[]).find((a) =>
      toHex(bytes(a.address)) === toHex(address)
    );
    const got = row === undefined ? 0n : big(row.balance);
    if (got !== balance) throw new Error(`${toHex(address)}: balance ${got} != ${balance}`);
    if (nonce !== undefined && big(row?.nonce) !== nonce) throw new Error("nonce");
  };
}

/** All of the given checks. */
export function all(...checks: ((out: DecodedFields) => void)[]) {
  return (out: DecodedFields) => checks.forEach((c) => c(out));
}
