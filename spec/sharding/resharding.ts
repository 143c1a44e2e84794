/**
 * Resharding: which shard each elected key sits in for the next epoch.
 *
 * **Production rule (the Go node, every network).** The EPoS election appends each winning key
 * to shard `key mod shardCount`, the 48 key bytes read as one unsigned big-endian integer
 * (`shardOfKey` in `staking/election.ts`, Go `eposStakedCommittee`). No randomness takes part: a
 * key's shard is fixed the moment the key is generated, so a validator can grind keys until one
 * lands in the shard it wants, and shards receive unequal numbers of external slots. Before the
 * `Staking` feature the committees are a fixed table (`preStakingShardState`).
 *
 * **Random resharding (`RandomResharding`, beyond the Go node).** The whitepaper assigns
 * validators to shards with the epoch's unbiasable randomness. When the feature is active at the
 * elected epoch (off on mainnet and testnet, on in localnet), the election runs unchanged (who
 * wins, with which effective stake, and the Harmony slots) and only the shard of each winning key
 * changes:
 * 1. every winning key gets a *rank* `Keccak-256(seed ‖ key)`; the keys sorted by rank (bytes
 *    compared in order, ties, which distinct keys cannot produce, broken by winning order) form a
 *    permutation that nobody can steer without steering the seed;
 * 2. the key at sorted position `p` goes to shard `p mod shardCount` (dealt like cards), so every
 *    shard receives `⌊W/n⌋` or `⌈W/n⌉` of the `W` winners; since the election never elects more
 *    than the instance's `(numNodesPerShard − numHarmonyOperatedNodesPerShard) · numShards`
 *    external slots, no committee exceeds the preset's `numNodesPerShard`, and a full election
 *    fills every committee exactly;
 * 3. within a shard, its Harmony slots come first (as in Go), then its external keys in winning
 *    order (descending raw stake, as in Go): the bitmap and roster order keep Go's meaning.
 *
 * The state the election reuses when nobody wins, and pre-staking committees, are left as they
 * are. The election's HIP-16 filter (`slotsLimit`, at most so many keys of one validator per
 * shard) still counts shards by `key mod shardCount`, as Go does when it builds the bids: the
 * spec does not re-apply it after the shuffle, so under random resharding the limit bounds keys
 * per *key class*, not per actual shard. Localnet, the only preset with the feature on, has no
 * slot limit.
 *
 * **The seed** ({@link reshardingSeed}) is the epoch's randomness from the DRG (`Rnd`, 32 bytes,
 * `epochRandomness` in the randomness module). When the DRG did not produce one for the epoch, the
 * fallback is the hash of the beacon block the election reads its state from (the parent of the
 * epoch's last block). That value is known to everyone and cannot be withheld, so the chain never
 * stalls; but its proposer can influence it by choosing the block's contents, which is exactly
 * the bias the DRG exists to remove. The fallback keeps the chain live; it is not unbiasable.
 *
 * Deviation: the whole feature is beyond the Go node; see `docs/deviations.md`.
 *
 * @see github.com/harmony-one/harmony shard/committee/assignment.go (`eposStakedCommittee`: the
 *   production rule this module leaves in force when the feature is off)
 * @module
 */
import { compareBytes, concatBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { require } from "../errors.ts";
import type { NetworkConfig } from "../params/config.ts";
import { isActive } from "../params/features.ts";
import {
  computeShardState,
  type ElectionInput,
  type ElectionResult,
  harmonyCommittees,
} from "../staking/election.ts";
import { instanceForEpoch } from "./schedule.ts";

/** Length of a resharding seed: one Keccak-256 or DRG output. */
export const RESHARDING_SEED_BYTES = 32;

/**
 * The seed of an epoch's random resharding: the DRG's randomness, or the fallback.
 *
 * @param rnd the epoch's DRG randomness (32 bytes), or `null` when the DRG produced none
 * @param electionBlockHash the hash of the beacon block the election reads (the parent of the
 *   epoch's last block)
 * @returns `rnd` when present, else `electionBlockHash`
 * @throws {SpecError} `resharding/bad-seed-length` unless the value used has 32 bytes
 */
export function reshardingSeed(rnd: Uint8Array | null, electionBlockHash: Uint8Array): Uint8Array {
  const seed = rnd ?? electionBlockHash;
  require(seed.length === RESHARDING_SEED_BYTES, "resharding/bad-seed-length");
  return seed.slice();
}

/**
 * A key's rank in the shuffle: `Keccak-256(seed ‖ key)`.
 *
 * @param seed the 32-byte seed
 * @param key a serialized BLS key
 * @returns 32 bytes; lower ranks are dealt first
 */
export function shuffleRank(seed: Uint8Array, key: Uint8Array): Uint8Array {
  return keccak256(concatBytes(seed, key));
}

/**
 * The shard of each key under random resharding: keys sorted by {@link shuffleRank}, then dealt
 * round-robin over the shards.
 *
 * @param seed the 32-byte seed
 * @param keys the winning keys, in winning order
 * @param shardCount the number of shards (at least 1)
 * @returns the shard of `keys[i]` at index `i`
 * @throws {SpecError} `resharding/bad-seed-length`
 */
export function randomShardAssignment(
  seed: Uint8Array,
  keys: readonly Uint8Array[],
  shardCount: bigint,
): bigint[] {
  require(seed.length === RESHARDING_SEED_BYTES, "resharding/bad-seed-length");
  const ranked = keys.map((key, index) => ({ index, rank: shuffleRank(seed, key) }));
  ranked.sort((a, b) => compareBytes(a.rank, b.rank) || a.index - b.index);
  const shards = new Array<bigint>(keys.length);
  ranked.forEach((entry, position) => {
    shards[entry.index] = BigInt(position) % shardCount;
  });
  return shards;
}

/**
 * The next epoch's shard state with the assignment rule in force: the election of
 * `staking/election.ts` (Go `Compute`), and, when `RandomResharding` is active at the elected
 * epoch in the staking era, its winners re-dealt with {@link randomShardAssignment}.
 *
 * [New in RandomResharding] the shard of a winning key comes from the seed.
 *
 * @param config the network configuration
 * @param input the election's inputs (`input.epoch` is the elected epoch)
 * @param seed the 32-byte seed ({@link reshardingSeed}); read only when the feature applies
 * @returns the election result, its shard state reassigned when the feature applies
 * @throws {SpecError} the codes of `computeShardState`; `resharding/bad-seed-length`
 */
export function electShardState(
  config: NetworkConfig,
  input: ElectionInput,
  seed: Uint8Array,
): ElectionResult {
  const result = computeShardState(config, input);
  const random = isActive(config, "RandomResharding", input.epoch) &&
    isActive(config, "Staking", input.epoch);
  if (!random || result.reusedPrevious) return result;
  const instance = instanceForEpoch(config, input.epoch);
  const shards = harmonyCommittees(instance, input.harmonyAccounts);
  const assigned = randomShardAssignment(
    seed,
    result.winners.map((w) => w.key),
    instance.numShards,
  );
  result.winners.forEach((w, i) => {
    const slot = { ecdsaAddress: w.address, blsPublicKey: w.key, effectiveStake: w.eposStake };
    shards[Number(assigned[i])].slots.push(slot);
  });
  return { ...result, shardState: { epoch: input.epoch, shards } };
}
