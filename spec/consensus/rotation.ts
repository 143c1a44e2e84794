/**
 * Leader selection: who leads the next block or the next view.
 *
 * **Stepping through the committee.** Three functions pick "the n-th next" leader after a base
 * key, in the participant list (the committee keys in slot order); which one applies depends on
 * features active at the epoch:
 * - {@link nthNextHmy} (no rotation, or `LeaderRotationInternalValidators` alone): step `n` places
 *   among the first `m` keys, `m` = the instance's Harmony-operated slots (or all keys when that
 *   number is not in `(0, len]`). Go uses `%` with the sign of the dividend, so a base key not in
 *   the list with `n = 0` gives index −1, where Go panics.
 * - {@link nthNextValidator} (`LeaderRotationExternalValidators`): step `n` places, then keep
 *   stepping `n` places again, one past, while the key belongs to the same validator account as
 *   the base. It skips the whole run of the base validator's keys and can skip one more validator
 *   (Harmony's own test records this). It never ends when every key has one account.
 * - {@link nthNextValidatorV2} (`LeaderRotationV2`): the first key at offset `n, n+1, …` whose
 *   account differs from the base's, giving up after `len + 1` tries.
 * Accounts come from the committee slots; a key not in the slots has the zero account.
 *
 * **Normal rotation** (Go `rotateLeader`, with `LeaderRotationInternalValidators`): after each
 * committed block a leader keeps leading until it has proposed
 * `max(blocksPerEpoch / slots, 4)` consecutive blocks of the epoch (the chain counts them in the
 * *rotation meta*); then the next validator leads, skipping any candidate whose key signed none of
 * the last four blocks of the epoch (per their `LastCommitBitmap`). The first block of a new epoch
 * keeps the default leader.
 *
 * **The proposer of a block** is read from its coinbase (Go `GetLeaderPubKeyFromCoinbase`): from
 * Staking on, the coinbase is the first 20 bytes of SHA-256 of the leader's BLS key; before, it is
 * the leader slot's account.
 *
 * **Deviations.** Where Go panics (a negative or out-of-range index, an empty list) the spec raises
 * `viewchange/leader-index-out-of-range`; where Go's `NthNextValidator` loops forever the spec
 * raises `viewchange/leader-search-loops`. The rotation meta is updated for every inserted block
 * of an epoch above 0; a block whose proposer cannot be found leaves it unchanged (Go fails the
 * insertion).
 *
 * @see github.com/harmony-one/harmony consensus/quorum/quorum.go `NthNextHmy`,
 *   `NthNextValidator`, `NthNextValidatorV2`
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `rotateLeader`
 * @see github.com/harmony-one/harmony core/blockchain_leader_rotation.go `processRotationMeta`
 * @see github.com/harmony-one/harmony internal/chain/engine.go `GetLeaderPubKeyFromCoinbase`
 * @module
 */
import { blsMaskIndexEnabled, blsMaskLength } from "../crypto/bls-mask.ts";
import { bytesEqual, toHex } from "../encoding/bytes.ts";
import { sha256 } from "../encoding/hash.ts";
import { require } from "../errors.ts";
import { type HasFeatures, isActive } from "../params/features.ts";
import type {
  BlockHeader,
  ChainView,
  CommitteeSlot,
  EpochContext,
  FbftState,
  RotationMeta,
} from "./state.ts";

/** The result of a leader search: whether the base key was usable, and the key chosen. */
export interface NextLeader {
  /** Go's `wasFound`. */
  found: boolean;
  /** The chosen key (48 bytes). */
  key: Uint8Array;
}

const ZERO_ACCOUNT = new Uint8Array(20);

function indexOf(keys: Uint8Array[], key: Uint8Array): number {
  // Go's participant index map keeps the last slot of a repeated key.
  for (let i = keys.length - 1; i >= 0; i--) if (bytesEqual(keys[i], key)) return i;
  return -1;
}

function accountOf(slots: CommitteeSlot[], key: Uint8Array): Uint8Array {
  const hex = toHex(key);
  let found: Uint8Array = ZERO_ACCOUNT;
  for (const s of slots) if (toHex(s.publicKey) === hex) found = s.ecdsaAddress; // last wins (Go map)
  return found;
}

/** Go's `a % b` for ints: the sign of the dividend. */
function goMod(a: number, b: number): number {
  require(b > 0, "viewchange/leader-index-out-of-range", "empty key list");
  return a % b;
}

function at(keys: Uint8Array[], i: number): Uint8Array {
  require(i >= 0 && i < keys.length, "viewchange/leader-index-out-of-range", `${i}`);
  return keys[i];
}

/**
 * Go `NthNextHmy`: `n` places on among the Harmony-operated keys.
 *
 * @param keys the participant list
 * @param numHarmonyNodes the instance's Harmony-operated slots per shard
 * @param base the base key
 * @param next how many places (may be negative)
 * @returns whether the base was found, and the chosen key
 * @throws {SpecError} `viewchange/leader-index-out-of-range` where Go panics
 */
export function nthNextHmy(
  keys: Uint8Array[],
  numHarmonyNodes: bigint,
  base: Uint8Array,
  next: number,
): NextLeader {
  const idx = indexOf(keys, base);
  let m = Number(numHarmonyNodes);
  if (m <= 0 || m > keys.length) m = keys.length;
  return { found: idx !== -1, key: at(keys, goMod(idx + next, m)) };
}

/**
 * Go `NthNextValidator`: `n` places on, then again while the account is the base's.
 *
 * @param keys the participant list
 * @param slots the committee slots (for accounts)
 * @param base the base key
 * @param next how many places
 * @returns whether the base was found, and the chosen key; `(false, base)` for `next < 0` or no keys
 * @throws {SpecError} `viewchange/leader-index-out-of-range` (Go panics),
 *   `viewchange/leader-search-loops` (Go never returns)
 */
export function nthNextValidator(
  keys: Uint8Array[],
  slots: CommitteeSlot[],
  base: Uint8Array,
  next: number,
): NextLeader {
  if (keys.length === 0 || next < 0) return { found: false, key: base };
  const baseAccount = accountOf(slots, base);
  let idx = indexOf(keys, base);
  const found = idx !== -1;
  const seen = new Set<number>();
  for (;;) {
    require(!seen.has(idx), "viewchange/leader-search-loops");
    seen.add(idx);
    idx = goMod(idx + next, keys.length);
    const key = at(keys, idx);
    if (!bytesEqual(accountOf(slots, key), baseAccount)) return { found, key };
    idx++;
  }
}

/**
 * Go `NthNextValidatorV2`: the first key at offset `n, n+1, …` with another account than the base.
 *
 * @param keys the participant list
 * @param slots the committee slots (for accounts)
 * @param base the base key
 * @param next the first offset
 * @returns whether a key was found, and the chosen key (the base when none)
 */
export function nthNextValidatorV2(
  keys: Uint8Array[],
  slots: CommitteeSlot[],
  base: Uint8Array,
  next: number,
): NextLeader {
  if (keys.length === 0 || next < 0) return { found: false, key: base };
  const pIdx = indexOf(keys, base);
  if (pIdx === -1 && next === 0) return { found: true, key: keys[0] };
  const baseAccount = accountOf(slots, base);
  for (let attempts = 0; attempts <= keys.length; attempts++) {
    const key = keys[(pIdx + attempts + next) % keys.length];
    if (!bytesEqual(accountOf(slots, key), baseAccount)) return { found: true, key };
  }
  return { found: false, key: base };
}

/**
 * Picks the selector the features of an epoch call for (the branch in Go's `getNextLeaderKey` and
 * `rotateLeader`).
 *
 * @param config the feature schedule
 * @param epoch the epoch whose features decide
 * @param keys the participant list
 * @param ctx the committee of the epoch (slots, Harmony-operated count)
 * @param base the base key
 * @param next how many places
 * @returns the selector's result
 */
export function nthNextLeader(
  config: HasFeatures,
  epoch: bigint,
  keys: Uint8Array[],
  ctx: EpochContext,
  base: Uint8Array,
  next: number,
): NextLeader {
  if (isActive(config, "LeaderRotationInternalValidators", epoch)) {
    if (isActive(config, "LeaderRotationV2", epoch)) {
      return nthNextValidatorV2(keys, ctx.slots, base, next); // [New in LeaderRotationV2]
    }
    if (isActive(config, "LeaderRotationExternalValidators", epoch)) {
      return nthNextValidator(keys, ctx.slots, base, next); // [New in LeaderRotationExternalValidators]
    }
  }
  return nthNextHmy(keys, ctx.numHarmonyOperatedNodes, base, next);
}

/**
 * The proposer of a block, from its coinbase (Go `GetLeaderPubKeyFromCoinbase`).
 *
 * [Modified in Staking] the coinbase is derived from the BLS key instead of being the account.
 *
 * @param config the feature schedule
 * @param ctx the committee of the header's epoch
 * @param header the header
 * @returns the proposer's key, or undefined when no slot matches
 */
export function proposerKey(
  config: HasFeatures,
  ctx: EpochContext,
  header: BlockHeader,
): Uint8Array | undefined {
  const staking = isActive(config, "Staking", header.epoch);
  for (const slot of ctx.slots) {
    const address = staking ? sha256(slot.publicKey).slice(0, 20) : slot.ecdsaAddress;
    if (bytesEqual(address, header.coinbase)) return slot.publicKey;
  }
  return undefined;
}

/**
 * Updates the rotation counter for an inserted block (Go `processRotationMeta`): one more block
 * for the same key in the same epoch, otherwise a fresh count of one.
 *
 * @param meta the counter
 * @param epoch the block's epoch
 * @param proposer the block's proposer key
 * @returns the new counter
 */
export function processRotationMeta(
  meta: RotationMeta,
  epoch: bigint,
  proposer: Uint8Array,
): RotationMeta {
  const same = bytesEqual(meta.pub, proposer) && meta.epoch === epoch;
  return { pub: proposer, epoch, count: same ? meta.count + 1n : 1n };
}

/**
 * The chain view after inserting a block with its commit certificate.
 *
 * @param config the feature schedule
 * @param view the view before
 * @param header the inserted block's header
 * @param ctx the committee of the block's epoch
 * @param commitSig its commit certificate
 * @returns the view after
 */
export function chainViewAfter(
  config: HasFeatures,
  view: ChainView,
  header: BlockHeader,
  ctx: EpochContext,
  commitSig: Uint8Array,
): ChainView {
  let rotation = view.rotation;
  const proposer = proposerKey(config, ctx, header);
  if (header.epoch > 0n && proposer !== undefined) {
    rotation = processRotationMeta(rotation, header.epoch, proposer);
  }
  return {
    head: header,
    headCommitSig: commitSig,
    recent: [header, ...view.recent].slice(0, 4),
    rotation,
  };
}

/** Whether `key` signed none of the last four blocks of the head's epoch; undefined = give up. */
function silentForFourBlocks(state: FbftState, key: Uint8Array): boolean | undefined {
  const n = state.ctx.committee.points.length;
  const i = state.ctx.committee.index.get(toHex(key));
  let skipped = 0;
  for (let j = 0; j < 4; j++) {
    const header = state.chain.recent[j];
    if (header === undefined || header.number !== state.chain.head.number - BigInt(j)) {
      return undefined;
    }
    if (header.epoch !== state.chain.head.epoch) break;
    if (header.lastCommitBitmap.length !== blsMaskLength(n) || i === undefined) return undefined;
    if (!blsMaskIndexEnabled(n, header.lastCommitBitmap, i)) skipped++;
  }
  return skipped >= 4;
}

/**
 * The leader of the next block under normal rotation (Go `rotateLeader`).
 *
 * @param state the state (its leader, chain view and committee)
 * @param epoch the epoch of the next block
 * @param defaultKey the key kept when no rotation happens
 * @returns the next leader's key
 * @throws {SpecError} the codes of the selectors
 */
export function rotateLeader(state: FbftState, epoch: bigint, defaultKey: Uint8Array): Uint8Array {
  const { head, rotation } = state.chain;
  if (epoch !== head.epoch) return defaultKey;
  const ctx = state.config.chain.epochContext(epoch);
  const slots = BigInt(ctx.slots.length);
  if (ctx.blocksPerEpoch === 0n || slots === 0n) return defaultKey;
  const perLeader = ctx.blocksPerEpoch / slots < 4n ? 4n : ctx.blocksPerEpoch / slots;
  if (!bytesEqual(state.leaderKey, rotation.pub) || rotation.count < perLeader) return defaultKey;
  const keys = state.ctx.committee.publicKeys;
  for (let offset = 1; offset <= ctx.slots.length; offset++) {
    const next = nthNextLeader(state.config.network, epoch, keys, ctx, state.leaderKey, offset);
    if (!next.found) return defaultKey;
    const silent = silentForFourBlocks(state, next.key);
    if (silent === undefined) return defaultKey;
    if (!silent) return next.key;
  }
  return defaultKey;
}
