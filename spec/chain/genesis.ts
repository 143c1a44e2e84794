/**
 * The genesis block of a shard and the chain state it starts.
 *
 * Go builds a shard's genesis block from a genesis specification (`Genesis.ToBlock`): the state of
 * its allocations (balances, code, nonces, storage), and a header of the epoch-0 version with
 * number 0, the shard, the timestamp, the extra data, the gas limit, the state root and the epoch-0
 * shard state encoded in the *legacy* form (`EncodeWrapper(state, false)`: the genesis committees
 * have no epoch and no stakes). The other roots are those of an empty block: the empty trie root
 * for the transactions, the receipts and both cross-shard receipt hashes, a zero bloom
 * (`types.NewBlock`). The node then stores the genesis shard state as the shard state of epoch 0.
 *
 * The gas limit is Go's `TestGenesisGasLimit` (80,000,000) on every network but mainnet, where it
 * is `GenesisGasLimit` (4,712,388), unless the caller gives one.
 *
 * Not specified here: validators created at genesis. Go's genesis specifications create none (a
 * network's first validators come with staking transactions); a genesis allocation may still hold
 * any account, code and storage.
 *
 * @see github.com/harmony-one/harmony core/genesis.go (`NewGenesisSpec`, `Genesis.ToBlock`,
 *   `Genesis.Commit`), core/types/block.go (`NewBlock`), internal/params/protocol_params.go
 * @module
 */
import { require } from "../errors.ts";
import { type AccountInit, stateFromAccounts } from "../execution/state.ts";
import { stateRoot } from "../execution/state-root.ts";
import { decodeShardState, encodeShardState, type ShardState } from "../sharding/shard-state.ts";
import { type Block, emptyBody } from "./body.ts";
import { EMPTY_ROOT_HASH } from "./derive-sha.ts";
import { headerHash, newHeaderAt } from "./header.ts";
import { type ChainConfig, type ChainState, EMPTY_OFF_CHAIN_RECORDS } from "./state.ts";

/** Go `TestGenesisGasLimit`: the genesis gas limit of every network but mainnet. */
export const TEST_GENESIS_GAS_LIMIT = 80_000_000n;

/** Go `GenesisGasLimit`: mainnet's genesis gas limit. */
export const GENESIS_GAS_LIMIT = 4_712_388n;

/** What a shard's genesis specifies. */
export interface GenesisSpec {
  /** The accounts of the genesis state. */
  allocations: AccountInit[];
  /** The shard state of epoch 0: every shard's genesis committee. */
  committee: ShardState;
  /** The block's time, unix seconds. */
  timestamp: bigint;
  /** The header's extra data. */
  extra: Uint8Array;
  /** The gas limit; by default the network's genesis gas limit (see the module notes). */
  gasLimit?: bigint;
}

/** A genesis block and the chain state whose head it is. */
export interface Genesis {
  /** The chain state after the genesis block. */
  state: ChainState;
  /** The genesis block. */
  block: Block;
}

/**
 * The genesis block of a shard and its chain state (see the module notes).
 *
 * @param config the chain configuration
 * @param shardId the shard
 * @param spec the allocations, the genesis committees, the time and the extra data
 * @returns the block and the chain state
 * @throws {SpecError} `chain/genesis-shard-missing` when the committees omit the shard; the codes
 *   of `encodeShardState` and of the header encoding
 */
export function genesisChain(config: ChainConfig, shardId: bigint, spec: GenesisSpec): Genesis {
  require(
    spec.committee.shards.some((c) => c.shardId === shardId),
    "chain/genesis-shard-missing",
    `${shardId}`,
  );
  const world = stateFromAccounts(spec.allocations);
  const gasLimit = spec.gasLimit ??
    (config.network.network === "mainnet" ? GENESIS_GAS_LIMIT : TEST_GENESIS_GAS_LIMIT);
  const shardState = encodeShardState(spec.committee, false);
  const header = {
    ...newHeaderAt(config.network, 0n),
    shardId,
    time: spec.timestamp,
    extra: spec.extra,
    gasLimit,
    root: stateRoot(world),
    txHash: EMPTY_ROOT_HASH.slice(),
    receiptHash: EMPTY_ROOT_HASH.slice(),
    outgoingReceiptHash: EMPTY_ROOT_HASH.slice(),
    incomingReceiptHash: EMPTY_ROOT_HASH.slice(),
    shardState,
  };
  let genesis = 0n;
  for (const a of spec.allocations) genesis += a.balance;
  const state: ChainState = {
    config,
    shardId,
    head: header,
    headHash: headerHash(header),
    headCommitSig: new Uint8Array(0),
    world,
    recent: [header],
    shardStates: new Map([[0n, decodeShardState(shardState)]]),
    rotation: { pub: new Uint8Array(0), epoch: 0n, count: 0n },
    spent: new Set(),
    supply: { genesis, issued: 0n, burnt: 0n, sent: 0n, received: 0n },
    offChain: EMPTY_OFF_CHAIN_RECORDS,
  };
  return { state, block: { header, body: emptyBody() } };
}
