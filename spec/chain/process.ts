/**
 * Processing a block: the single entry point that checks a block against a shard's chain state
 * and gives the state after it.
 *
 * {@link processBlock} composes the rules of the other parts of the spec in the order of Go's
 * `ValidateNewBlock` followed by the insertion (`writeBlockWithState`):
 *
 * 1. the block's shard is the chain's (`chain/wrong-shard`);
 * 2. **[Deviation]** the header's epoch is the one its parent gives (`nextBlockEpoch`, Go
 *    `GetNewEpoch`; `chain/epoch-mismatch`) and its version the one of that epoch
 *    (`headerVersionAt`; `chain/header-version-mismatch`). Go's validators check neither: a
 *    future epoch fails later for want of a committee, a past one would pass. Honest proposers
 *    always satisfy both. Not specified: Go's `MayShardReduction` (the mainnet and testnet beacon
 *    block that ends the last epoch before the number of shards changes); such a block is refused
 *    (`chain/shard-reduction-not-specified`);
 * 3. `applyBlock` (`execution/block.ts`), whose hooks this module supplies:
 *    - after the parent checks, the header rules (Go `VerifyHeader`, `VerifyVRF`,
 *      `VerifyShardState`): the seal, i.e. the parent's commit certificate in this header
 *      (`checkLastCommit` of `consensus/certificate.ts`, over the committee of the parent's
 *      epoch, skipped while the chain's head is block 0 or 1); the VRF (`vrfVerifyHeader`, the
 *      leader's key found from the coinbase in the committee of the block's epoch); the shard
 *      state (`verifyShardState`, with the election of `chain/transition.ts` when the block ends
 *      an epoch, and the beacon chain's view from the lookups on other shards); on the beacon
 *      chain while `DRG` is active, the `Vdf` field as a DRG record (spec-only feature);
 *    - the staking transactions (`chain/staking-tx.ts`) with the chain's staking records;
 *    - the finalisation (`chain/finalize.ts`);
 *    - on the beacon chain, after the results and before the incoming receipts, the crosslinks
 *      (`verifyBlockCrossLinks`, Go `VerifyBlockCrossLinks`);
 *    - the commit certificate of each incoming receipt proof's source header, with the engine's
 *      rule (`checkCommitCertificate`, against the source committee, skipped while the chain's
 *      head is block 0 or 1);
 * 4. when the block's own commit certificate is given (a block received with its proof of
 *    finality), it must be a valid commit certificate of the block (Go `VerifyHeaderSignature`:
 *    `checkCommitCertificate` over the committee of the block's epoch, skipped while the chain's
 *    head is block 0 or 1), checked last so that a faulty block reports its own fault;
 * 5. the insertion (`chain/insert.ts`).
 *
 * A block from the node's own store ({@link ProcessOptions.stored}) skips the header rules and
 * crosslink rules of step 3 and every signature check (steps 3 and 4): it passed them when it was
 * stored.
 *
 * Everything the block needs from other shards comes through {@link ShardLookups}.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (`ValidateNewBlock`,
 *   `validateNewBlock`, `InsertChain`, `writeBlockWithState`), internal/chain/engine.go
 *   (`VerifyHeader`, `VerifySeal`, `VerifyVRF`, `VerifyShardState`, `VerifyHeaderSignature`),
 *   core/state_processor.go (`Process`)
 * @module
 */
import { checkCommitCertificate, checkLastCommit } from "../consensus/certificate.ts";
import { proposerKey } from "../consensus/rotation.ts";
import { BLS_PUBLIC_KEY_BYTES } from "../crypto/bls.ts";
import { invariant, require, type SpecError } from "../errors.ts";
import { applyBlock, type BlockContext } from "../execution/block.ts";
import type { CXReceipt } from "../execution/cx-receipt.ts";
import {
  type CommitSignatureCheck,
  type CxReceiptsProof,
  decodeCxReceiptsProof,
  sourceCommitCheck,
} from "../sharding/cx-proof.ts";
import type { Receipt } from "../execution/receipt.ts";
import { isActive } from "../params/features.ts";
import type { DrgEpoch } from "../randomness/drg.ts";
import { VRF_FIELD_BYTES, vrfVerifyHeader } from "../randomness/vrf.ts";
import { type CrossLink, decodeCrossLinks, verifyBlockCrossLinks } from "../sharding/crosslink.ts";
import {
  BEACON_CHAIN_SHARD_ID,
  instanceForEpoch,
  isLastBlockOfEpoch,
} from "../sharding/schedule.ts";
import { decodeShardState, type ShardState } from "../sharding/shard-state.ts";
import {
  nextBlockEpoch,
  type TransitionSources,
  verifyShardState,
} from "../sharding/transition.ts";
import type { FinalizeResult } from "../staking/finalize.ts";
import { Directive, type StakeMessage } from "../staking/messages.ts";
import { decodeSlashRecords, type SlashRecord } from "../staking/slashing.ts";
import { toHex } from "../encoding/bytes.ts";
import type { Block } from "./body.ts";
import {
  beneficiaryOf,
  committeeLookupOf,
  committeeOf,
  consensusHeader,
  ownLookups,
  recentBlockHash,
  recentVrf,
  type ShardLookups,
} from "./context.ts";
import { finalizeOnChain } from "./finalize.ts";
import { type Header, headerHash, headerVersionAt } from "./header.ts";
import { type BlockOutcome, insertBlock } from "./insert.ts";
import { applyStakingTransaction, type StakingRecords } from "./staking-tx.ts";
import { type ChainState, harmonyAccountsAt } from "./state.ts";
import { drgAfterBlock, electionSource } from "./transition.ts";

/** What a processed block changed besides the state, for the node and its users. */
export interface ChainEvents {
  /** The shard state the block carries (the committees of the next epoch), or null. */
  committee: ShardState | null;
  /** The crosslinks the block processed (beacon chain), in header order. */
  crossLinks: CrossLink[];
  /** The slashing records the block applied, in header order. */
  slashes: SlashRecord[];
  /** Validators the block created, in body order. */
  newValidators: Uint8Array[];
  /** What the block's finalisation did: rewards, payouts, election upkeep, slashes. */
  finalize: FinalizeResult;
  /** The epoch randomness of the beacon chain's DRG, once the block committed it; else null. */
  randomness: DrgEpoch["rnd"];
}

/** A processed block: the chain state after it and what it did. */
export interface ProcessedBlock {
  /** The chain state after the block. */
  state: ChainState;
  /** The block's receipts, plain transactions first, then staking transactions. */
  receipts: Receipt[];
  /** The cross-shard receipts it sent. */
  cxReceipts: CXReceipt[];
  /** Its events. */
  events: ChainEvents;
}

/** What the hooks of a block's context gathered while the block ran. */
export interface Collected {
  /** The staking messages applied, in body order. */
  stakingMessages: StakeMessage[];
  /** The finalisation's result, once it ran. */
  finalize: FinalizeResult | null;
  /** The block's crosslinks (beacon chain). */
  crossLinks: CrossLink[];
  /** The DRG record after the block. */
  drg: DrgEpoch | null;
}

/**
 * The staking records a block of the chain reads: the validator list, the delegation indexes
 * and the snapshots as of the parent, Harmony's keys of the block's epoch.
 *
 * @param state the chain state of the block's parent
 * @param epoch the block's epoch
 * @returns the records
 */
export function stakingRecordsOf(state: ChainState, epoch: bigint): StakingRecords {
  const { offChain, head } = state;
  return {
    validators: offChain.validators,
    // Go reads the indexes written up to the parent block (`ReadDelegationsByDelegatorAt`).
    delegationIndexes: (delegator) =>
      (offChain.delegations.get(toHex(delegator)) ?? [])
        .filter((i) => i.blockNumber <= head.number)
        .map((i) => ({ validatorAddress: i.validatorAddress, index: i.index })),
    snapshotRate: (validator) =>
      offChain.snapshots.get(head.epoch)?.get(toHex(validator))?.validator.commission.rates.rate ??
        null,
    harmonyKeys: harmonyKeysAt(state, epoch),
  };
}

/** Harmony's own keys at an epoch (the instance's Harmony account list). */
function harmonyKeysAt(state: ChainState, epoch: bigint): Uint8Array[] {
  return harmonyAccountsAt(state.config, epoch).map((a) => a.blsPublicKey);
}

/** The beacon chain's view and the election, for the shard-state rule of a header. */
function transitionSources(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
): TransitionSources {
  const beacon = state.shardId === BEACON_CHAIN_SHARD_ID
    ? ownLookups(state).beacon
    : lookups.beacon;
  const ends = isLastBlockOfEpoch(state.config.network, header.number);
  return { beacon, election: ends ? electionSource(state, header) : null };
}

/** Go `VerifyVRF`: the leader's key is looked up only once the field has the VRF's length. */
function checkVrf(state: ChainState, lookups: ShardLookups, header: Header): void {
  const config = state.config.network;
  let leader: Uint8Array = new Uint8Array(BLS_PUBLIC_KEY_BYTES); // read only with a 128-byte field
  if (isActive(config, "VRF", header.epoch) && header.vrf.length === VRF_FIELD_BYTES) {
    const ctx = committeeLookupOf(state, lookups)(header.shardId, header.epoch);
    const found = proposerKey(config, ctx, consensusHeader(header));
    require(found !== undefined, "chain/unknown-coinbase");
    leader = found;
  }
  vrfVerifyHeader(config, header.epoch, header.vrf, leader, header.parentHash);
}

/** The header rules run after the parent checks: seal, VRF, shard state, DRG record. */
function verifyHeader(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
  collected: Collected,
): void {
  const config = state.config.network;
  const parent = consensusHeader(state.head, state.headHash);
  const parentCtx = committeeLookupOf(state, lookups)(state.shardId, state.head.epoch);
  checkLastCommit(config, parentCtx, parent, consensusHeader(header), state.head.number);
  checkVrf(state, lookups, header);
  verifyShardState(config, state.shardId, header, transitionSources(state, lookups, header));
  collected.drg = drgAfterBlock(state, header);
}

/** The beacon chain's crosslink check, run after the results (Go `VerifyBlockCrossLinks`). */
function crossLinkCheck(
  state: ChainState,
  lookups: ShardLookups,
  collected: Collected,
  verify: boolean,
): ((header: Header) => void) | undefined {
  if (state.shardId !== BEACON_CHAIN_SHARD_ID) return undefined;
  const config = state.config.network;
  return (header) => {
    if (!verify) {
      collected.crossLinks = header.crossLinks.length === 0
        ? []
        : decodeCrossLinks(header.crossLinks);
      return;
    }
    const lookup = committeeLookupOf(state, lookups);
    const store = state.offChain.crossLinks;
    collected.crossLinks = verifyBlockCrossLinks(config, lookup, store, header.crossLinks);
  };
}

/**
 * Which rules a block's context runs:
 * - `"process"`: every rule (a block the node receives);
 * - `"propose"`: the proposer's own block, whose header rules and crosslinks its own choices
 *   satisfy; the source certificates of incoming receipts are still checked;
 * - `"stored"`: a block from the node's own store, which passed every rule when it was stored
 *   (see {@link ProcessOptions.stored}): no header rule, crosslink rule or signature is checked
 *   again.
 */
export type ContextMode = "process" | "propose" | "stored";

/** The source-certificate check of a stored block's incoming receipts: passed when stored. */
const checkedWhenStored: CommitSignatureCheck = () => {};

/** A block's execution context on the chain and what its hooks gather. */
export interface ChainBlockContext {
  /** The context `applyBlock` and `buildBlock` take. */
  ctx: BlockContext;
  /** What the hooks gathered, filled while the block runs. */
  collected: Collected;
}

/**
 * The execution context of a block on the chain: the hooks of `applyBlock` composed from the
 * chain's rules, and the record they fill while the block runs.
 *
 * @param state the chain state of the block's parent
 * @param lookups what the chain learns from outside
 * @param header the block's header (the template, when proposing)
 * @param mode which rules run (see {@link ContextMode})
 * @returns the context and the record
 * @throws {SpecError} `chain/unknown-coinbase`, `transition/committee-unknown`,
 *   `epos/shard-not-in-state`, `chain/account-list-unknown`
 */
export function blockContextOf(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
  mode: ContextMode,
): ChainBlockContext {
  const collected: Collected = { stakingMessages: [], finalize: null, crossLinks: [], drg: null };
  const verify = mode === "process";
  // Without the header rules, the block's own DRG record is taken as given.
  if (!verify) collected.drg = drgAfterBlock(state, header);
  const records = stakingRecordsOf(state, header.epoch);
  const committee = committeeOf(state, state.shardId, header.epoch);
  const ctx: BlockContext = {
    parent: state.head,
    beneficiary: beneficiaryOf(state.config, committee, header),
    spent: state.spent,
    blockHash: (n) => recentBlockHash(state, n),
    vrfOfBlock: (n) => recentVrf(state, n),
    checkCommit: mode === "stored" ? checkedWhenStored : sourceCommitCheck(
      state.config.network,
      committeeLookupOf(state, lookups),
      state.head.number,
    ),
    verifyHeader: verify ? (h) => verifyHeader(state, lookups, h, collected) : () => {},
    finalize: (world, h) => void (collected.finalize = finalizeOnChain(state, world, h)),
    applyStaking: (network, world, env, pool, tx, gas) => {
      const r = applyStakingTransaction(network, env, records, world, pool, tx, gas);
      collected.stakingMessages.push(r.message);
      return r;
    },
    checkAfterResults: crossLinkCheck(state, lookups, collected, verify),
  };
  return { ctx, collected };
}

/**
 * Steps 1 and 2: the block's shard, epoch and header version against the chain, and the refusal
 * of what is not specified.
 *
 * @param state the chain state
 * @param header the block's header
 * @throws {SpecError} `chain/wrong-shard`, `chain/epoch-mismatch`,
 *   `chain/header-version-mismatch`, `chain/shard-reduction-not-specified`
 */
export function checkBlockPlace(state: ChainState, header: Header): void {
  const config = state.config.network;
  require(header.shardId === state.shardId, "chain/wrong-shard", `${header.shardId}`);
  const epoch = nextBlockEpoch(config, state.head);
  require(header.epoch === epoch, "chain/epoch-mismatch", `${header.epoch} != ${epoch}`);
  require(header.version === headerVersionAt(config, epoch), "chain/header-version-mismatch");
  require(!reducesShards(state, header), "chain/shard-reduction-not-specified");
}

/**
 * Whether Go's `MayShardReduction` would act on the block: a mainnet or testnet beacon block that
 * ends an epoch after which the number of shards changes. Its rule (validators whose keys move
 * shard become inactive) is not specified; such a block is refused.
 */
function reducesShards(state: ChainState, header: Header): boolean {
  const config = state.config.network;
  const reducing = config.network === "mainnet" || config.network === "testnet";
  if (!reducing || header.shardId !== BEACON_CHAIN_SHARD_ID) return false;
  if (!isLastBlockOfEpoch(config, header.number)) return false;
  const now = instanceForEpoch(config, header.epoch).numShards;
  return now !== instanceForEpoch(config, header.epoch + 1n).numShards;
}

/**
 * What a block did, from its execution and the record its hooks filled.
 *
 * @param block the block
 * @param hash its hash
 * @param result its execution result
 * @param collected what the hooks gathered
 * @returns the outcome the insertion reads
 */
export function outcomeOf(
  block: Block,
  hash: Uint8Array,
  result: BlockOutcome["result"],
  collected: Collected,
): BlockOutcome {
  invariant(collected.finalize !== null, "applyBlock runs the finalisation of every block");
  const incoming: CxReceiptsProof[] = block.body.incomingReceipts.map(decodeCxReceiptsProof);
  return {
    block,
    hash,
    result,
    stakingMessages: collected.stakingMessages,
    incoming,
    finalize: collected.finalize,
    crossLinks: collected.crossLinks,
    drg: collected.drg,
  };
}

/**
 * The events of an inserted block.
 *
 * @param outcome what the block did
 * @returns its events
 */
export function eventsOf(outcome: BlockOutcome): ChainEvents {
  const header = outcome.block.header;
  const newValidators: Uint8Array[] = [];
  for (const m of outcome.stakingMessages) {
    if (m.directive === Directive.CreateValidator) newValidators.push(m.body.validatorAddress);
  }
  return {
    committee: header.shardState.length === 0 ? null : decodeShardState(header.shardState),
    crossLinks: outcome.crossLinks,
    slashes: header.slashes.length === 0 ? [] : decodeSlashRecords(header.slashes),
    newValidators,
    finalize: outcome.finalize,
    randomness: outcome.drg?.rnd ?? null,
  };
}

/** Step 4: the block's own commit certificate (Go `VerifyHeaderSignature`). */
function checkOwnCommit(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
  hash: Uint8Array,
  commitSig: Uint8Array,
): void {
  if (state.head.number <= 1n) return;
  const ctx = committeeLookupOf(state, lookups)(header.shardId, header.epoch);
  checkCommitCertificate(state.config.network, ctx, consensusHeader(header, hash), commitSig);
}

/** Options of {@link processBlock}. */
export interface ProcessOptions {
  /**
   * The senders of the block's transactions, when the node already recovered them with the
   * block's signer (Go caches a transaction's sender when its pool admits it); recovered from the
   * signatures otherwise. Recovery is most of the cost of a block of plain transfers.
   */
  senders?: (Uint8Array | SpecError)[];
  /**
   * The block comes from the node's own store, where it was put after passing every rule (the
   * store's checksums and parent links keep it whole). Its header rules and signatures are then
   * not checked again: the parent's certificate in the header, the VRF, the shard state, the
   * crosslink rules, the incoming receipts' source certificates and the block's own certificate
   * (the crosslinks are decoded). Everything else runs: the block is executed and its header's
   * commitments (state, transaction and receipt roots, bloom, gas) are checked. Go likewise
   * inserts blocks it has verified with `InsertChain(…, verifyHeaders = false)`, and keeps its
   * state across restarts.
   */
  stored?: boolean;
}

/**
 * Processes a block on a shard's chain (see the module notes).
 *
 * @param state the chain state the block builds on (its head is the block's parent)
 * @param block the block
 * @param lookups what the chain learns of other shards (the beacon chain's view and committees);
 *   the beacon chain can pass `ownLookups(state)`
 * @param commitSig the block's own commit certificate (`signature ‖ bitmap`), when known
 * @param options the senders of the block's transactions, when already recovered
 * @returns the chain state after the block, its receipts, outgoing receipts and events
 * @throws {SpecError} `chain/wrong-shard`, `chain/epoch-mismatch`,
 *   `chain/header-version-mismatch`, `chain/unknown-coinbase`, and the codes of `applyBlock`,
 *   `checkLastCommit`, `vrfVerifyHeader`, `verifyShardState`, `drgApplyBlock`,
 *   `applyStakingTransaction`, `finalizeOnChain`, `verifyBlockCrossLinks`,
 *   `checkCommitCertificate` and `insertBlock`
 */
export async function processBlock(
  state: ChainState,
  block: Block,
  lookups: ShardLookups,
  commitSig?: Uint8Array,
  options: ProcessOptions = {},
): Promise<ProcessedBlock> {
  const header = block.header;
  checkBlockPlace(state, header);
  const stored = options.stored === true;
  const { ctx, collected } = blockContextOf(state, lookups, header, stored ? "stored" : "process");
  ctx.senders = options.senders;
  const result = await applyBlock(state.config.network, state.world, block, ctx);
  const hash = headerHash(header);
  if (commitSig !== undefined && !stored) checkOwnCommit(state, lookups, header, hash, commitSig);
  const outcome = outcomeOf(block, hash, result, collected);
  return {
    state: insertBlock(state, lookups, outcome, commitSig ?? new Uint8Array(0)),
    receipts: result.receipts,
    cxReceipts: result.cxReceipts,
    events: eventsOf(outcome),
  };
}
