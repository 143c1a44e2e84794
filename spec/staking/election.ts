/**
 * The EPoS election: the committees of the next epoch.
 *
 * **When.** The beacon chain computes the shard state of epoch `E + 1` when it proposes or
 * verifies the last block of epoch `E`, from the state of its current block (the parent of that
 * last block); the other shards copy it. Before the `Staking` feature is active at `E + 1`, the
 * committees are fixed by the configuration instead.
 *
 * **Pre-staking** (`preStakingEnabledCommittee`). With `n` shards, `h` Harmony slots and `s` slots
 * per shard (instance of `E + 1`), slot `j` of shard `i` is Harmony account `i + j·n` for `j < h`
 * and foundational-node account `i + (j − h)·n` for the others. No stakes, no epoch.
 *
 * **Staking** (`eposStakedCommittee`):
 * 1. Every shard `i` starts with its `h` Harmony slots, account `i + j·n` of the Harmony list,
 *    with no effective stake.
 * 2. *Orders* (`prepareOrders`): the candidates are walked in the order of the chain's validator
 *    list. A set of taken keys starts with the BLS keys of the Harmony accounts of the instance of
 *    the *current* epoch `E`. For each eligible candidate (see {@link isEligibleForEposAuction}),
 *    its keys are walked in order: a key already taken marks the whole validator as skipped (its
 *    other new keys stay taken, so they can knock out later validators; a key listed twice by the
 *    same validator also skips it); a new key is taken and, under HIP-16 (`slotsLimit > 0`), kept
 *    only while the validator has fewer than `slotsLimit` keys counted for that key's shard
 *    (counting continues for dropped keys). A kept validator bids with the sum of all its
 *    delegations (self-delegation included).
 * 3. The auction and effective stake of `effective-stake.ts` run with
 *    `pull = (s − h)·n` of the instance of `E + 1` and the bound `c` of `E + 1`.
 * 4. Each winner, in winning order, is appended to shard `key mod n`, the 48 key bytes read as
 *    one unsigned big-endian integer, with its effective stake. Only the total number of external
 *    slots is fixed; shards may get different numbers of them.
 * 5. If nobody wins, the previous epoch's shard state is reused, except on testnet when the
 *    number of shards changes, where the Harmony-only committees are used.
 * 6. The state's epoch is set to `E + 1`.
 *
 * **Eligibility** (`IsEligibleForEPoSAuction`): a validator that is in the current committee
 * (`lastEpochInCommittee` equals its snapshot's epoch) must not be below the signing threshold of
 * the current epoch (see `availability.ts`); and its status must be active. Inactive and banned
 * validators never bid.
 *
 * **Inputs.** The spec takes the facts it needs as plain records ({@link EposCandidate}); the
 * Harmony and foundational account lists of the instances are inputs too, because the genesis key
 * lists are not part of the presets. Go's display-only outputs (each candidate's share of the
 * total stake, the per-key stake of losing candidates) are not computed.
 *
 * **Not here.** The spec-only `RandomResharding` feature (assignment driven by the DRG's
 * randomness) is not implemented by this module: it assigns shards from the key bytes, as Go does.
 *
 * @see github.com/harmony-one/harmony shard/committee/assignment.go (Compute, eposStakedCommittee,
 *   preStakingEnabledCommittee, NewEPoSRound, prepareOrders, IsEligibleForEPoSAuction)
 * @see github.com/harmony-one/harmony shard/values.go (ExternalSlotsAvailableForEpoch)
 * @module
 */
import { type Dec, DEC_ZERO } from "../numeric/decimal.ts";
import { type BytesIndex, bytesIndexAdd, newBytesIndex } from "../encoding/bytes.ts";
import { type Instance, type NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import { externalSlotsAvailable, instanceForEpoch } from "../sharding/schedule.ts";
import {
  type Committee,
  type ShardState,
  SLOT_ADDRESS_BYTES,
  SLOT_KEY_BYTES,
} from "../sharding/shard-state.ts";
import { require } from "../errors.ts";
import { currentSigning, EPOS_STATUS_ACTIVE, type ValidatorAvailability } from "./availability.ts";
import {
  applyEffectiveStake,
  eposBound,
  type SlotOrder,
  type SlotPurchase,
} from "./effective-stake.ts";

/** A genesis account: an address and its BLS key (Go `genesis.DeployAccount`, decoded). */
export interface GenesisAccount {
  /** The account address (20 bytes). */
  address: Uint8Array;
  /** The serialized BLS public key (48 bytes). */
  blsPublicKey: Uint8Array;
}

/** What the election needs to know of one validator. */
export interface EposCandidate extends ValidatorAvailability {
  /** Its BLS keys, in the order it registered them. */
  slotPubKeys: Uint8Array[];
  /** The last epoch it sat in a committee (0 for never). */
  lastEpochInCommittee: bigint;
  /** The amounts of its delegations, self-delegation first (undelegations excluded). */
  delegations: bigint[];
}

/** Everything the election of epoch `epoch` reads. */
export interface ElectionInput {
  /** The epoch being elected, `E + 1`. */
  epoch: bigint;
  /** The epoch of the beacon chain's current block, `E`. */
  currentEpoch: bigint;
  /** The validators, in the order of the chain's validator list. */
  candidates: EposCandidate[];
  /** Harmony accounts of the instance of `epoch` (enough for `h` slots in every shard). */
  harmonyAccounts: GenesisAccount[];
  /** BLS keys of the Harmony accounts of the instance of `currentEpoch`: never electable. */
  reservedKeys: Uint8Array[];
  /** Foundational-node accounts of the instance of `epoch`; read only before staking. */
  foundationalAccounts: GenesisAccount[];
  /** The shard state of `epoch − 1`, reused when nobody wins; `null` when unknown. */
  previous: ShardState | null;
}

/** The outcome of an election. */
export interface ElectionResult {
  /** The shard state of the elected epoch. */
  shardState: ShardState;
  /** The winners' median raw stake (zero before staking or without winners). */
  median: Dec;
  /** The winning bids with their effective stakes, in winning order. */
  winners: SlotPurchase[];
  /** Whether the previous shard state was reused because nobody won. */
  reusedPrevious: boolean;
}

/**
 * The shard a key is assigned to: the 48 key bytes as an unsigned big-endian integer, modulo
 * the number of shards (Go `key.Big() mod shardCount`).
 *
 * @param key the serialized BLS key
 * @param shardCount the number of shards
 * @returns the shard ID
 */
export function shardOfKey(key: Uint8Array, shardCount: bigint): bigint {
  return BigInt(shardIndexOfKey(key, Number(shardCount)));
}

/** {@link shardOfKey} as a plain number, for counting keys per shard. */
function shardIndexOfKey(key: Uint8Array, shardCount: number): number {
  // A power of two divides 256^j once j bytes hold its bits: the remainder is in the last bytes.
  if (shardCount > 0 && shardCount <= 1 << 30 && (shardCount & (shardCount - 1)) === 0) {
    let low = 0;
    for (let i = Math.max(0, key.length - 4); i < key.length; i++) low = (low << 8) | key[i];
    return low & (shardCount - 1);
  }
  // Otherwise Horner's rule, reducing as it goes: the remainder of the big-endian integer,
  // without building the 384-bit number (the election does this for every key of every
  // candidate). Below 2^15 shards, two bytes a step in 32-bit integers (remainder · 2^16 + two
  // bytes < 2^31); else, shard counts being 32-bit, one byte a step (values below 2^41, exact as
  // doubles).
  let remainder = 0;
  let i = 0;
  if (shardCount <= 1 << 15) {
    for (; i + 2 <= key.length; i += 2) {
      remainder = ((remainder << 16) | (key[i] << 8) | key[i + 1]) % shardCount;
    }
  }
  for (; i < key.length; i++) remainder = (remainder * 256 + key[i]) % shardCount;
  return remainder;
}

/**
 * Whether a validator may bid in the auction (Go `IsEligibleForEPoSAuction`).
 *
 * @param config the network configuration (for `HIP32` at the snapshot's epoch)
 * @param candidate the validator
 * @returns true iff it signed enough (when it is in the current committee) and is active
 */
export function isEligibleForEposAuction(config: NetworkConfig, candidate: EposCandidate): boolean {
  if (candidate.lastEpochInCommittee === candidate.snapshot.epoch) {
    if (currentSigning(config, candidate).isBelowThreshold) return false;
  }
  return candidate.status === EPOS_STATUS_ACTIVE;
}

function requireAccount(address: Uint8Array, key?: Uint8Array): void {
  // No detail text: this runs for every key of every candidate.
  require(address.length === SLOT_ADDRESS_BYTES, "epos/invalid-address");
  if (key !== undefined) require(key.length === SLOT_KEY_BYTES, "epos/invalid-bls-key");
}

/**
 * One validator's keys after conflicts and the HIP-16 limit, or `null` if it is skipped.
 * Every new key is added to `taken`, whether or not the validator ends up skipped.
 */
function keptKeys(
  candidate: EposCandidate,
  taken: BytesIndex,
  slotsLimit: bigint,
  shardCount: bigint,
): Uint8Array[] | null {
  const kept: Uint8Array[] = [];
  const perShard = new Map<number, number>();
  const limit = Number(slotsLimit);
  const shards = Number(shardCount);
  let conflict = false;
  for (const key of candidate.slotPubKeys) {
    requireAccount(candidate.address, key);
    if (bytesIndexAdd(taken, key) !== -1) {
      conflict = true;
      continue;
    }
    const shard = shardIndexOfKey(key, shards);
    const counted = perShard.get(shard) ?? 0;
    // [New in SlotsLimited] at most slotsLimit keys per validator per shard (0 = no limit).
    if (limit === 0 || counted < limit) kept.push(key);
    perShard.set(shard, counted + 1);
  }
  return conflict ? null : kept;
}

/**
 * The auction's bids (Go `prepareOrders`), in candidate order.
 *
 * @param config the network configuration
 * @param candidates the validators, in the chain's validator-list order
 * @param reservedKeys keys that are taken from the start (Harmony's)
 * @param slotsLimit HIP-16's per-shard limit of the target epoch's instance (0 = none)
 * @param shardCount the number of shards of the target epoch
 * @returns one order per eligible, conflict-free validator
 * @throws {SpecError} `epos/invalid-address`, `epos/invalid-bls-key`
 */
export function prepareOrders(
  config: NetworkConfig,
  candidates: EposCandidate[],
  reservedKeys: Uint8Array[],
  slotsLimit: bigint,
  shardCount: bigint,
): SlotOrder[] {
  // Room for every key there is, so that the table of taken keys is sized once.
  let keyCount = reservedKeys.length;
  for (const candidate of candidates) keyCount += candidate.slotPubKeys.length;
  const taken = newBytesIndex(keyCount);
  for (const key of reservedKeys) bytesIndexAdd(taken, key);
  const orders: SlotOrder[] = [];
  for (const candidate of candidates) {
    if (!isEligibleForEposAuction(config, candidate)) continue;
    const keys = keptKeys(candidate, taken, slotsLimit, shardCount);
    if (keys === null) continue;
    let stake = 0n;
    for (const amount of candidate.delegations) stake += amount;
    orders.push({ address: candidate.address, stake, keys });
  }
  return orders;
}

/** Genesis account `index` of a list, refusing a list too short for the instance. */
function account(list: GenesisAccount[], index: bigint, code: "harmony" | "foundational") {
  const found = list[Number(index)];
  require(
    index < BigInt(list.length),
    code === "harmony" ? "epos/too-few-harmony-accounts" : "epos/too-few-foundational-accounts",
    `account ${index} of ${list.length}`,
  );
  requireAccount(found.address, found.blsPublicKey);
  return { ecdsaAddress: found.address, blsPublicKey: found.blsPublicKey, effectiveStake: null };
}

/**
 * The Harmony slots of every shard: slot `j` of shard `i` is account `i + j·n`.
 *
 * @param instance the instance of the elected epoch
 * @param harmonyAccounts its Harmony accounts
 * @returns one committee per shard holding only its Harmony slots
 * @throws {SpecError} `epos/too-few-harmony-accounts`, `epos/invalid-address`, `epos/invalid-bls-key`
 */
export function harmonyCommittees(
  instance: Instance,
  harmonyAccounts: GenesisAccount[],
): Committee[] {
  const n = instance.numShards;
  const committees: Committee[] = [];
  for (let i = 0n; i < n; i++) {
    const slots = [];
    for (let j = 0n; j < instance.numHarmonyOperatedNodesPerShard; j++) {
      slots.push(account(harmonyAccounts, i + j * n, "harmony"));
    }
    committees.push({ shardId: i, slots });
  }
  return committees;
}

/**
 * The fixed committees before staking (Go `preStakingEnabledCommittee`).
 *
 * @param instance the instance of the elected epoch
 * @param harmonyAccounts its Harmony accounts
 * @param foundationalAccounts its foundational-node accounts
 * @returns the shard state, with no epoch
 * @throws {SpecError} `epos/too-few-harmony-accounts`, `epos/too-few-foundational-accounts`
 */
export function preStakingShardState(
  instance: Instance,
  harmonyAccounts: GenesisAccount[],
  foundationalAccounts: GenesisAccount[],
): ShardState {
  const n = instance.numShards;
  const h = instance.numHarmonyOperatedNodesPerShard;
  const shards = harmonyCommittees(instance, harmonyAccounts);
  for (const committee of shards) {
    for (let j = h; j < instance.numNodesPerShard; j++) {
      const index = committee.shardId + (j - h) * n;
      committee.slots.push(account(foundationalAccounts, index, "foundational"));
    }
  }
  return { epoch: null, shards };
}

/**
 * The staked committees (Go `eposStakedCommittee`, with the epoch set as `Compute` does).
 *
 * @param config the network configuration
 * @param input the election's inputs
 * @returns the shard state of `input.epoch`, the median and the winners
 * @throws {SpecError} `epos/no-previous-shard-state` when nobody wins and there is nothing to
 *   reuse; the codes of {@link prepareOrders} and {@link harmonyCommittees}
 */
export function eposShardState(config: NetworkConfig, input: ElectionInput): ElectionResult {
  const instance = instanceForEpoch(config, input.epoch);
  const n = instance.numShards;
  const shards = harmonyCommittees(instance, input.harmonyAccounts);
  const orders = prepareOrders(
    config,
    input.candidates,
    input.reservedKeys,
    instance.slotsLimit,
    n,
  );
  const pull = externalSlotsAvailable(instance);
  const { median, winners } = applyEffectiveStake(orders, pull, eposBound(config, input.epoch));
  for (const w of winners) {
    const shard = shards[Number(shardOfKey(w.key, n))];
    shard.slots.push({ ecdsaAddress: w.address, blsPublicKey: w.key, effectiveStake: w.eposStake });
  }
  if (winners.length > 0 || isTestnetShardChange(config, input.epoch)) {
    return { shardState: { epoch: input.epoch, shards }, median, winners, reusedPrevious: false };
  }
  require(input.previous !== null, "epos/no-previous-shard-state", `epoch ${input.epoch - 1n}`);
  const reused = { epoch: input.epoch, shards: input.previous.shards };
  return { shardState: reused, median, winners, reusedPrevious: true };
}

/** Testnet's exception: with no winners and a change of shard count, keep the new committees. */
function isTestnetShardChange(config: NetworkConfig, epoch: bigint): boolean {
  if (config.network !== "testnet" || epoch === 0n) return false;
  return instanceForEpoch(config, epoch - 1n).numShards !==
    instanceForEpoch(config, epoch).numShards;
}

/**
 * The shard state of an epoch (Go `partialStakingEnabled.Compute`): fixed committees before
 * `Staking`, the EPoS election from then on.
 *
 * @param config the network configuration
 * @param input the election's inputs
 * @returns the elected shard state with its median and winners
 * @throws {SpecError} `epos/epoch-in-past` when electing an epoch before the current one in the
 *   staking era; the codes of {@link eposShardState} and {@link preStakingShardState}
 */
export function computeShardState(config: NetworkConfig, input: ElectionInput): ElectionResult {
  const instance = instanceForEpoch(config, input.epoch);
  if (!isActive(config, "Staking", input.epoch)) {
    const shardState = preStakingShardState(
      instance,
      input.harmonyAccounts,
      input.foundationalAccounts,
    );
    return { shardState, median: DEC_ZERO, winners: [], reusedPrevious: false };
  }
  require(input.epoch >= input.currentEpoch, "epos/epoch-in-past", `${input.epoch}`);
  return eposShardState(config, input);
}
