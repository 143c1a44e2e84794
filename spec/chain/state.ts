/**
 * The state of one shard's chain: everything a node needs to check the next block, as one plain
 * record.
 *
 * A Harmony node keeps two kinds of data. The **world state** (accounts, contracts and, on the
 * beacon chain, the validators) is committed to by every header's state root. Beside it, Go keeps
 * in its database **off-chain records** that are not hashed into any header but are consensus
 * data all the same, because the rules read them: the last headers (for `BLOCKHASH`, the VRF
 * precompile and leader rotation), the shard states by epoch (who signs what), the spent set of
 * incoming receipts, the leader-rotation counter, and on the beacon chain the validator list, the
 * delegation indexes by delegator, the validator snapshots by epoch, the crosslinks stored, the
 * block-reward accumulator and the DRG's progress ({@link OffChainRecords}). {@link ChainState}
 * gathers both.
 *
 * **Validators live in the world state** exactly as Go stores them: the RLP of the
 * `ValidatorWrapper` (`staking/wrapper-rlp.ts`) is the *code* of the validator's account, and the
 * account's storage slot `keccak256("Harmony/IsValidator/Key/v1")` holds
 * `keccak256("Harmony/IsValidator/Value/v1")`; its first election epoch is the storage slot
 * `keccak256("Harmony/FirstElectionEpoch/Key/v1")` (Go `UpdateValidatorWrapper`,
 * `SetValidatorFlag`, `SetValidatorFirstElectionEpoch`). {@link validatorWrapperOf} and
 * {@link writeValidatorWrapper} read and write them.
 *
 * **Immutability.** A `ChainState` is never changed: each block gives a new record. The world
 * state is not copied for that: a block's state is a child layer of its parent's
 * (`execution/state.ts`), so a record costs what the block wrote. Maps and lists of the record
 * are replaced, not mutated, when a block changes them. Each block adds a layer, and a read walks
 * the layers down to the account it looks for; a node bounds that depth by replacing a state with
 * {@link compactChainState} now and then (the contents, and so the state root, are unchanged).
 *
 * **Supply** ({@link SupplyAccounting}). Tokens are created by rewards (`issued`) and destroyed
 * by burnt fees, the burnt half of slashes and undelegations dropped unpaid (`burnt`); value
 * leaves a shard in outgoing cross-shard transfers and arrives with incoming receipts. For one
 * shard, `genesis + issued − burnt − sent + received` equals the sum of every balance plus, for
 * every delegation of every validator, its amount, its undelegations and its uncollected reward
 * ({@link heldSupply}); over all shards the difference of `sent` and `received` is the value in
 * flight.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`ReadValidatorList`,
 *   `ReadDelegationsByDelegatorAt`, `ReadValidatorSnapshot`, `ReadShardState`, `IsSpent`,
 *   `LeaderRotationMeta`), core/offchain.go (`CommitOffChainData`), core/state/statedb.go
 *   (`ValidatorWrapper`, `UpdateValidatorWrapper`, `SetValidatorFlag`,
 *   `SetValidatorFirstElectionEpoch`)
 * @module
 */
import { bytesToBigint, toHex } from "../encoding/bytes.ts";
import { isSpecError, require } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import type { RotationMeta } from "../consensus/state.ts";
import type { SpentReceipts } from "../execution/cx-receipt.ts";
import {
  addressKey,
  allAccounts,
  codeOf,
  flattenState,
  isValidatorAccount,
  setCode,
  setStorage,
  storageOf,
  type WorldState,
} from "../execution/state.ts";
import type { DrgEpoch } from "../randomness/drg.ts";
import type { CrossLinkStore } from "../sharding/crosslink.ts";
import { instanceForEpoch } from "../sharding/schedule.ts";
import type { ShardState } from "../sharding/shard-state.ts";
import type { ShardStateHistory } from "../sharding/transition.ts";
import type { GenesisAccount } from "../staking/election.ts";
import { totalInUndelegation } from "../staking/delegation.ts";
import {
  FIRST_ELECTION_EPOCH_SLOT,
  VALIDATOR_FLAG_SLOT,
  VALIDATOR_FLAG_VALUE,
  type ValidatorWrapper,
} from "../staking/validator.ts";
import { decodeValidatorWrapper, encodeValidatorWrapper } from "../staking/wrapper-rlp.ts";
import type { Header } from "./header.ts";

/**
 * How many headers a chain state keeps, newest first: the 256 that `BLOCKHASH` and the VRF
 * precompile may ask for (the current block's parent and 255 before it) and the window of the
 * aggregated reward (64 blocks on mainnet and testnet, 16 on localnet).
 */
export const RECENT_HEADERS = 256;

/** A network and the genesis account lists its instances name (Go `genesis.*Accounts`). */
export interface ChainConfig {
  /** The network's configuration (features, sharding schedule). */
  network: NetworkConfig;
  /**
   * Genesis account lists by the name an instance gives them (`Instance.accounts.harmony` and
   * `.foundational`): the Harmony-operated and foundational-node keys. The presets name the lists
   * but do not hold them; a network's genesis supplies them.
   */
  accounts: Readonly<Record<string, readonly GenesisAccount[]>>;
}

/** Where a shard's tokens came from and went (see the module notes). */
export interface SupplyAccounting {
  /** The sum of the genesis allocations. */
  genesis: bigint;
  /** Tokens created since: rewards credited, the `HIP30` recovery credit. */
  issued: bigint;
  /** Tokens destroyed: burnt fees, the burnt half of slashes, undelegations dropped unpaid. */
  burnt: bigint;
  /** Value debited by outgoing cross-shard transfers. */
  sent: bigint;
  /** Value credited from incoming cross-shard receipts. */
  received: bigint;
}

/** A delegation index as Go stores it: the validator, the index, and the block that added it. */
export interface StoredDelegationIndex {
  /** The validator delegated to. */
  validatorAddress: Uint8Array;
  /** The index of the delegation in that validator's list. */
  index: bigint;
  /** The block that added the index (Go `BlockNum`). */
  blockNumber: bigint;
}

/**
 * The off-chain records the staking rules read (Go keeps them in its database). Every shard keeps
 * the validator list and the delegation indexes (Go records them for any block with staking
 * transactions; only the beacon chain's blocks have any); the snapshots, crosslinks, reward
 * accumulator and DRG are the beacon chain's and stay empty elsewhere.
 */
export interface OffChainRecords {
  /** The validator list, in creation order (Go `ReadValidatorList`). */
  validators: readonly Uint8Array[];
  /** Each delegator's delegation indexes, keyed by `toHex(delegator)`. */
  delegations: ReadonlyMap<string, readonly StoredDelegationIndex[]>;
  /**
   * Validator snapshots by epoch, each keyed by `toHex(validator)` (Go `WriteValidatorSnapshot`):
   * a validator's wrapper as it was when the epoch's snapshot was taken (at the epoch's
   * second-to-last beacon block, or when the validator was created).
   */
  snapshots: ReadonlyMap<bigint, ReadonlyMap<string, ValidatorWrapper>>;
  /** The crosslinks stored and the last continuous one per shard. */
  crossLinks: CrossLinkStore;
  /** The block-reward accumulator after the head (Go `ReadBlockRewardAccumulator`). */
  rewardAccumulator: bigint;
  /** The DRG of the head's epoch, while the `DRG` feature is active; else null. */
  drg: DrgEpoch | null;
}

/** Everything one shard needs to validate its next block (see the module notes). */
export interface ChainState {
  /** The network and its genesis account lists. */
  config: ChainConfig;
  /** This chain's shard. */
  shardId: bigint;
  /** The head block's header. */
  head: Header;
  /** The head's hash. */
  headHash: Uint8Array;
  /** The head's commit certificate (`signature ‖ bitmap`) once known; empty until then. */
  headCommitSig: Uint8Array;
  /** The world state after the head. */
  world: WorldState;
  /** The last headers, newest first, the head included (at most {@link RECENT_HEADERS}). */
  recent: readonly Header[];
  /** Shard states by the epoch they govern, as this chain stored them (all of them). */
  shardStates: ShardStateHistory;
  /** The leader-rotation counter after the head. */
  rotation: RotationMeta;
  /** Source blocks whose receipts this shard credited (`"<shard>:<number>"`). */
  spent: SpentReceipts;
  /** Supply accounting since genesis. */
  supply: SupplyAccounting;
  /** The off-chain records of the staking rules. */
  offChain: OffChainRecords;
}

/** Off-chain records before anything happened. */
export const EMPTY_OFF_CHAIN_RECORDS: OffChainRecords = {
  validators: [],
  delegations: new Map(),
  snapshots: new Map(),
  crossLinks: { processed: new Map(), lastContinuous: new Map() },
  rewardAccumulator: 0n,
  drg: null,
};

/**
 * A genesis account list the configuration must hold.
 *
 * @param config the chain configuration
 * @param name the list's name
 * @returns the accounts
 * @throws {SpecError} `chain/account-list-unknown` when the configuration lacks the list
 */
export function accountList(config: ChainConfig, name: string): readonly GenesisAccount[] {
  const list = config.accounts[name];
  require(list !== undefined, "chain/account-list-unknown", name);
  return list;
}

/**
 * The Harmony-operated accounts of the instance of an epoch.
 *
 * @param config the chain configuration
 * @param epoch the epoch
 * @returns the accounts of the instance's Harmony list
 * @throws {SpecError} `chain/account-list-unknown`
 */
export function harmonyAccountsAt(config: ChainConfig, epoch: bigint): GenesisAccount[] {
  return accountList(config, instanceForEpoch(config.network, epoch).accounts.harmony).slice();
}

/**
 * The foundational-node accounts of the instance of an epoch.
 *
 * @param config the chain configuration
 * @param epoch the epoch
 * @returns the accounts of the instance's foundational list
 * @throws {SpecError} `chain/account-list-unknown`
 */
export function foundationalAccountsAt(config: ChainConfig, epoch: bigint): GenesisAccount[] {
  const name = instanceForEpoch(config.network, epoch).accounts.foundational;
  return accountList(config, name).slice();
}

/**
 * Reads a validator's wrapper from the world state (Go `IsValidator`, then `ValidatorWrapper`).
 *
 * @param world the world state
 * @param address the validator's address
 * @returns the wrapper, or null when the account is not a validator
 * @throws {SpecError} `chain/validator-record-malformed` when the stored bytes do not decode
 */
export function validatorWrapperOf(
  world: WorldState,
  address: Uint8Array,
): ValidatorWrapper | null {
  const key = addressKey(address);
  if (!isValidatorAccount(world, key)) return null;
  try {
    return decodeValidatorWrapper(codeOf(world, key));
  } catch (e) {
    if (isSpecError(e)) require(false, "chain/validator-record-malformed", e.code);
    throw e;
  }
}

/**
 * Reads the wrapper of a validator the chain lists; a listed validator always has one.
 *
 * @param world the world state
 * @param address the validator's address
 * @returns the wrapper
 * @throws {SpecError} `chain/validator-record-missing`, `chain/validator-record-malformed`
 */
export function listedWrapper(world: WorldState, address: Uint8Array): ValidatorWrapper {
  const wrapper = validatorWrapperOf(world, address);
  require(wrapper !== null, "chain/validator-record-missing", toHex(address));
  return wrapper;
}

/**
 * Writes a validator's wrapper as its account's code (Go `UpdateValidatorWrapper`; the caller has
 * run the sanity check).
 *
 * @param world the world state (written)
 * @param wrapper the wrapper
 */
export function writeValidatorWrapper(world: WorldState, wrapper: ValidatorWrapper): void {
  setCode(world, addressKey(wrapper.validator.address), encodeValidatorWrapper(wrapper));
}

/**
 * Sets the validator flag of an account (Go `SetValidatorFlag`).
 *
 * @param world the world state (written)
 * @param address the validator's address
 */
export function setValidatorFlag(world: WorldState, address: Uint8Array): void {
  setStorage(
    world,
    addressKey(address),
    toHex(VALIDATOR_FLAG_SLOT),
    bytesToBigint(VALIDATOR_FLAG_VALUE),
  );
}

/**
 * A validator's first election epoch (Go `GetValidatorFirstElectionEpoch`), 0 when never elected.
 *
 * @param world the world state
 * @param address the validator's address
 * @returns the epoch
 */
export function firstElectionEpochOf(world: WorldState, address: Uint8Array): bigint {
  return storageOf(world, addressKey(address), toHex(FIRST_ELECTION_EPOCH_SLOT));
}

/**
 * Writes a validator's first election epoch (the storage slot of Go
 * `SetValidatorFirstElectionEpoch`).
 *
 * @param world the world state (written)
 * @param address the validator's address
 * @param epoch the epoch
 */
export function setFirstElectionEpoch(world: WorldState, address: Uint8Array, epoch: bigint): void {
  setStorage(world, addressKey(address), toHex(FIRST_ELECTION_EPOCH_SLOT), epoch);
}

/**
 * The wrappers of the listed validators, in list order.
 *
 * @param world the world state
 * @param validators the validator list
 * @returns one wrapper per listed validator
 * @throws {SpecError} the codes of {@link listedWrapper}
 */
export function listedWrappers(
  world: WorldState,
  validators: readonly Uint8Array[],
): ValidatorWrapper[] {
  return validators.map((address) => listedWrapper(world, address));
}

/**
 * The tokens a shard holds: every balance plus, for every delegation of every listed validator,
 * its amount, its undelegations and its uncollected reward.
 *
 * @param state the chain state
 * @returns atto held
 * @throws {SpecError} the codes of {@link listedWrapper}
 */
export function heldSupply(state: ChainState): bigint {
  let total = 0n;
  for (const record of allAccounts(state.world).values()) total += record.balance;
  for (const address of state.offChain.validators) {
    for (const d of listedWrapper(state.world, address).delegations) {
      total += d.amount + d.reward + totalInUndelegation(d);
    }
  }
  return total;
}

/**
 * What the accounting says a shard holds: `genesis + issued − burnt − sent + received`.
 *
 * @param supply the accounting
 * @returns atto
 */
export function accountedSupply(supply: SupplyAccounting): bigint {
  return supply.genesis + supply.issued - supply.burnt - supply.sent + supply.received;
}

/**
 * The shard state of an epoch as this chain stored it.
 *
 * @param state the chain state
 * @param epoch the epoch
 * @returns the shard state
 * @throws {SpecError} `transition/committee-unknown` when the chain has none for the epoch
 */
export function shardStateAt(state: ChainState, epoch: bigint): ShardState {
  const found = state.shardStates.get(epoch);
  require(found !== undefined, "transition/committee-unknown", `epoch ${epoch}`);
  return found;
}

/**
 * The same chain state with its world state merged into one layer (`flattenState`): reads no
 * longer walk the layers of past blocks. The contents, and so the state root, do not change.
 *
 * @param state the chain state
 * @returns the chain state over one world-state layer
 */
export function compactChainState(state: ChainState): ChainState {
  return { ...state, world: flattenState(state.world) };
}
