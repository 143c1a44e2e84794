/**
 * A small two-shard localnet run in process, for the chain tests and vectors: deterministic BLS
 * keys (Harmony-operated, foundational-node and validator keys), genesis allocations, and a driver
 * that proposes each block with `proposeBlock`, signs its commit certificate with herumi's mcl (the
 * oracle, not the spec), and processes it with `processBlock`.
 *
 * Commit payloads are written out byte by byte here (`uint64_LE(number) ‖ hash ‖
 * uint64_LE(viewID)` from `Staking`, without the view ID before), every committee key the world
 * knows signs, and the certificate is `aggregate(96) ‖ bitmap`.
 *
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import type { Block } from "../../spec/chain/body.ts";
import { beaconLookups, ownLookups, type ShardLookups } from "../../spec/chain/context.ts";
import { genesisChain } from "../../spec/chain/genesis.ts";
import { headerHash } from "../../spec/chain/header.ts";
import { processBlock, type ProcessedBlock } from "../../spec/chain/process.ts";
import { type Proposal, type ProposalInput, proposeBlock } from "../../spec/chain/propose.ts";
import type { ChainConfig, ChainState } from "../../spec/chain/state.ts";
import { withCommitSig } from "../../spec/chain/view.ts";
import { addressFromPrivateKey } from "../../spec/crypto/secp256k1.ts";
import {
  bigintToFixedBytes,
  bigintToFixedBytesLE,
  concatBytes,
  toHex,
} from "../../spec/encoding/bytes.ts";
import type { AccountInit } from "../../spec/execution/state.ts";
import { stateRoot } from "../../spec/execution/state-root.ts";
import {
  blockSigner,
  encodeTransaction,
  signTransaction,
  type UnsignedTransaction,
} from "../../spec/execution/transaction.ts";
import { decFromString } from "../../spec/numeric/decimal.ts";
import { isActive, LOCALNET } from "../../spec/params/mod.ts";
import type { VrfEvaluation } from "../../spec/randomness/vrf.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import { nextBlockEpoch } from "../../spec/sharding/transition.ts";
import { type Committee, findCommittee, type ShardState } from "../../spec/sharding/shard-state.ts";
import { type GenesisAccount, preStakingShardState } from "../../spec/staking/election.ts";
import { encodeStakeMessage, type StakeMessage } from "../../spec/staking/messages.ts";
import {
  encodeStakingTransaction,
  signStakingTransaction,
  unsignedStakingTransaction,
} from "../../spec/staking/transactions.ts";
import { BLS_VERIFICATION_MESSAGE, descriptionFromText } from "../../spec/staking/validator.ts";
import { mclAggregateSignatures, mclPublicKey, mclSignHash } from "../support/mcl-oracle.ts";

/** The network: the localnet preset (epoch 0 of 5 blocks, then 16; Staking from epoch 2). */
export const NET = LOCALNET;
import { ONE } from "../../spec/staking/validator.ts";
export { ONE };
/** The pool's minimum gas price. */
export const GAS_PRICE = 100_000_000_000n;
/** The genesis time. */
export const GENESIS_TIME = 1_700_000_000n;

/** A BLS key of the world: its secret (32 bytes, little-endian) and public key. */
export interface BlsKey {
  /** The secret key. */
  secret: Uint8Array;
  /** The 48-byte public key (by mcl). */
  pub: Uint8Array;
}

/** The BLS key with secret `n`. */
export function blsKey(n: number): BlsKey {
  const secret = bigintToFixedBytesLE(BigInt(n), 32);
  return { secret, pub: mclPublicKey(secret)! };
}

/** A 20-byte account from a small integer. */
export function account(n: number): Uint8Array {
  return bigintToFixedBytes(BigInt(0xacc0000 + n), 20);
}

/** A secp256k1 key of the world and its address. */
export interface EcdsaKey {
  /** The private key. */
  secret: Uint8Array;
  /** The address. */
  address: Uint8Array;
}

/** The secp256k1 key with secret `0x5000 + n`. */
export function ecdsaKey(n: number): EcdsaKey {
  const secret = bigintToFixedBytes(BigInt(0x5000 + n), 32);
  return { secret, address: addressFromPrivateKey(secret) };
}

/** Harmony-operated keys: 6 per shard, 2 shards (localnet's instance). */
export const HARMONY_KEYS: BlsKey[] = Array.from({ length: 12 }, (_, i) => blsKey(1000 + i));
/** Foundational-node keys: 3 per shard before `Staking`. */
export const FN_KEYS: BlsKey[] = Array.from({ length: 6 }, (_, i) => blsKey(2000 + i));
/** Validator V1's key. */
export const V1_KEYS: BlsKey[] = [blsKey(3000)];
/** Validator V2's two keys. */
export const V2_KEYS: BlsKey[] = [blsKey(3001), blsKey(3002)];

/** Users: alice and carol on the beacon chain, bob on shard 1, and the validators' operators. */
export const ALICE = ecdsaKey(1);
/** Bob, on shard 1. */
export const BOB = ecdsaKey(2);
/** Carol, a delegator. */
export const CAROL = ecdsaKey(3);
/** Dave, who receives. */
export const DAVE = ecdsaKey(4);
/** Validator V1's operator (its address is the validator's). */
export const V1 = ecdsaKey(11);
/** Validator V2's operator. */
export const V2 = ecdsaKey(12);

const harmonyAccounts: GenesisAccount[] = HARMONY_KEYS.map((k, i) => ({
  address: account(i),
  blsPublicKey: k.pub,
}));
const fnAccounts: GenesisAccount[] = FN_KEYS.map((k, i) => ({
  address: account(100 + i),
  blsPublicKey: k.pub,
}));

/** The chain configuration: localnet with the world's genesis account lists. */
export const CONFIG: ChainConfig = {
  network: NET,
  accounts: { LocalHarmonyAccountsV2: harmonyAccounts, LocalFnAccountsV2: fnAccounts },
};

/** The genesis committees: the fixed pre-staking committees of the world's keys. */
export const GENESIS_COMMITTEE: ShardState = preStakingShardState(
  instanceForEpoch(NET, 0n),
  harmonyAccounts,
  fnAccounts,
);

/** Every BLS key the world holds, by public key (hex). */
const SECRETS = new Map<string, Uint8Array>(
  [...HARMONY_KEYS, ...FN_KEYS, ...V1_KEYS, ...V2_KEYS].map((k) => [toHex(k.pub), k.secret]),
);

/** The secret of a public key the world knows. */
export function secretOf(pub: Uint8Array): Uint8Array {
  const s = SECRETS.get(toHex(pub));
  if (s === undefined) throw new Error(`unknown key ${toHex(pub)}`);
  return s;
}

/** Genesis allocations of a shard. */
export function allocations(shardId: bigint): AccountInit[] {
  if (shardId === 0n) {
    return [
      { address: ALICE.address, balance: 1_000_000n * ONE },
      { address: CAROL.address, balance: 100_000n * ONE },
      { address: V1.address, balance: 100_000n * ONE },
      { address: V2.address, balance: 100_000n * ONE },
    ];
  }
  return [{ address: BOB.address, balance: 1_000_000n * ONE }];
}

/** A shard's genesis. */
export function genesisOf(shardId: bigint): { state: ChainState; block: Block } {
  return genesisChain(CONFIG, shardId, {
    allocations: allocations(shardId),
    committee: GENESIS_COMMITTEE,
    timestamp: GENESIS_TIME,
    extra: new TextEncoder().encode("harmony-spec chain tests"),
  });
}

/** `uint64` little-endian. */
function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, true);
  return out;
}

/** The commit payload of a block, written out here. */
export function commitPayloadOf(hash: Uint8Array, number: bigint, viewId: bigint, epoch: bigint) {
  const base = concatBytes(u64le(number), hash);
  return isActive(NET, "Staking", epoch) ? concatBytes(base, u64le(viewId)) : base;
}

/** A bitmap of the given slots. */
export function bitmapOf(size: number, slots: readonly number[]): Uint8Array {
  const out = new Uint8Array((size + 7) >> 3);
  for (const i of slots) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/** The commit certificate of a block by some slots of its committee (all by default), by mcl. */
export function certify(
  committee: Committee,
  header: { number: bigint; viewId: bigint; epoch: bigint },
  hash: Uint8Array,
  slots?: number[],
): Uint8Array {
  const signers = slots ?? committee.slots.map((_, i) => i);
  const payload = commitPayloadOf(hash, header.number, header.viewId, header.epoch);
  const sigs = signers.map((i) => mclSignHash(secretOf(committee.slots[i].blsPublicKey), payload)!);
  return concatBytes(mclAggregateSignatures(sigs)!, bitmapOf(committee.slots.length, signers));
}

/** The VRF signer of a key, by mcl: `proof = SignHash(sk, SHA-256(alpha))`, output its SHA-256. */
export function vrfSignerOf(secret: Uint8Array): (alpha: Uint8Array) => VrfEvaluation {
  return (alpha) => {
    const proof = mclSignHash(secret, sha256(alpha))!;
    return { proof, output: sha256(proof) };
  };
}

/** A signed native transfer. */
export function transfer(
  from: EcdsaKey,
  fields: Partial<UnsignedTransaction> & { nonce: bigint },
): Uint8Array {
  const tx: UnsignedTransaction = {
    gasPrice: GAS_PRICE,
    gasLimit: 21_000n,
    shardId: 0n,
    toShardId: 0n,
    to: DAVE.address,
    value: ONE,
    data: new Uint8Array(0),
    ...fields,
  };
  const signer = blockSigner(NET, tx.shardId, 1n, { v: 27n });
  return encodeTransaction(signTransaction(signer, tx, from.secret));
}

/** A signed staking transaction. */
export function stakingTx(from: EcdsaKey, msg: StakeMessage, nonce: bigint): Uint8Array {
  const unsigned = unsignedStakingTransaction(msg, encodeStakeMessage(msg), {
    nonce,
    gasPrice: GAS_PRICE,
    gasLimit: 6_000_000n,
  });
  return encodeStakingTransaction(signStakingTransaction(unsigned, NET.chainId, from.secret));
}

/** A CreateValidator message for an operator and its keys, self-stake `amount` ONE. */
export function createValidator(op: EcdsaKey, keys: BlsKey[], amount: bigint): StakeMessage {
  return {
    directive: 0,
    body: {
      validatorAddress: op.address,
      description: descriptionFromText({
        name: `validator ${toHex(op.address).slice(0, 6)}`,
        identity: toHex(op.address),
        website: "",
        securityContact: "",
        details: "",
      }),
      commissionRates: {
        rate: decFromString("0.1"),
        maxRate: decFromString("0.9"),
        maxChangeRate: decFromString("0.05"),
      },
      minSelfDelegation: 10_000n * ONE,
      maxTotalDelegation: 1_000_000n * ONE,
      slotPubKeys: keys.map((k) => k.pub),
      slotKeySigs: keys.map((k) => mclSignHash(k.secret, BLS_VERIFICATION_MESSAGE)!),
      amount: amount * ONE,
    },
  };
}

/** One shard's chain as the driver runs it. */
export interface ShardRun {
  /** The chain state after the last committed block. */
  state: ChainState;
  /** The blocks, with their commit certificates, from block 1. */
  blocks: { block: Block; commitSig: Uint8Array; proposed: Proposal; processed: ProcessedBlock }[];
}

/** A shard at genesis. */
export function startShard(shardId: bigint): ShardRun {
  return { state: genesisOf(shardId).state, blocks: [] };
}

/** The committee of a chain's next block's epoch, from its own shard states. */
export function committeeAt(state: ChainState, epoch: bigint): Committee {
  return findCommittee(state.shardStates.get(epoch)!, state.shardId);
}

/** What a test adds to a block; the rest of the proposal input is filled in. */
export type BlockItems = Partial<
  Pick<
    ProposalInput,
    "transactions" | "stakingTransactions" | "incomingReceipts" | "crossLinks" | "slashes" | "vdf"
  >
>;

/** The input of the next block: leader = slot 0 of the committee, view = number, time by number. */
export function proposalInput(run: ShardRun, epoch: bigint, items: BlockItems): ProposalInput {
  const leader = committeeAt(run.state, epoch).slots[0].blsPublicKey;
  const number = run.state.head.number + 1n;
  return {
    transactions: [],
    stakingTransactions: [],
    incomingReceipts: [],
    crossLinks: [],
    slashes: [],
    ...items,
    viewId: number,
    timestamp: GENESIS_TIME + 2n * number,
    leaderKey: leader,
    vrfSigner: vrfSignerOf(secretOf(leader)),
    lastCommitSig: run.state.headCommitSig,
  };
}

/** Lookups of a shard: its own on the beacon chain, the beacon's elsewhere. */
export function lookupsFor(run: ShardRun, beacon: ShardRun): ShardLookups {
  return run.state.shardId === 0n ? ownLookups(run.state) : beaconLookups(beacon.state);
}

/**
 * Proposes, certifies and processes the next block of a shard; checks nothing itself (the tests
 * compare the proposer's state with the processed one).
 */
export async function nextBlock(
  run: ShardRun,
  lookups: ShardLookups,
  items: BlockItems = {},
): Promise<{ proposed: Proposal; processed: ProcessedBlock }> {
  const epoch = nextBlockEpoch(NET, run.state.head);
  const proposed = await proposeBlock(run.state, lookups, proposalInput(run, epoch, items));
  const header = proposed.block.header;
  const commitSig = certify(committeeAt(run.state, header.epoch), header, headerHash(header));
  const processed = await processBlock(run.state, proposed.block, lookups, commitSig);
  run.state = withCommitSig(processed.state, commitSig);
  run.blocks.push({ block: proposed.block, commitSig, proposed, processed });
  return { proposed, processed };
}

/** A canonical text of a value with bigints, byte arrays, maps and sets. */
function canonical(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `0x${toHex(value)}`;
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([k, v]) => `${canonical(k)}=>${canonical(v)}`);
    return `{${entries.sort().join(",")}}`;
  }
  if (value instanceof Set) return `set(${[...value].map(canonical).sort().join(",")})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${
      keys.map((k) => `${k}:${canonical((value as Record<string, unknown>)[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(value);
}

/**
 * A digest of everything a chain state holds: the world state by its root, every other field in
 * full (the head's commit certificate aside: consensus adds it after the block).
 */
export function chainDigest(state: ChainState): string {
  const { world: _world, config: _config, headCommitSig: _sig, ...rest } = state;
  return `${toHex(stateRoot(state.world))}|${canonical(rest)}`;
}
