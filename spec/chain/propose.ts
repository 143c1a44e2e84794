/**
 * Proposing a block: what a leader puts in the next block of its shard, and the chain state after
 * it.
 *
 * {@link proposeBlock} restates Go's `ProposeNewBlock` (with the worker's `UpdateCurrent`,
 * `CommitTransactions`, `CommitReceipts` and `FinalizeNewBlock`), in its order:
 *
 * 1. **The header template** (`UpdateCurrent`): the epoch the parent gives (`nextBlockEpoch`), the
 *    version of that epoch, parent hash, number, shard, the given time and view ID, and the gas
 *    limit of {@link calcGasLimit} between the era's floor (80,000,000; 30,000,000 from
 *    `BlockGas30M`) and the ceiling of 120,000,000 (a proposer's choice Go's validators do not
 *    check). The parent's commit certificate goes into `LastCommitSignature` and
 *    `LastCommitBitmap` (zero and empty for the genesis block's child, which nobody signs).
 * 2. **The coinbase**: before `Staking`, the account of the leader's slot; from `Staking`, the
 *    address of the leader's BLS key (SHA-256, first 20 bytes). The leader's key must be in the
 *    committee of the block's shard and epoch (`chain/leader-not-in-committee`).
 * 3. **The VRF** from `VRF` on: the leader's evaluation over the parent hash, through the given
 *    signer (the secret key stays with the node). On the beacon chain while `DRG` is active, the
 *    `Vdf` field is the DRG record the node prepared, if any.
 * 4. **Transactions**, except in the beacon chain's last block of an epoch (which carries none),
 *    from the pending list as the pool ordered it, each executed in turn on the parent's state as
 *    it is chosen (Go `CommitSortedTransactions`; that execution is the block's): stop once the
 *    block's gas pool has less than 21,000 left; drop a replay-protected transaction before
 *    `EIP155` together with every later one of its sender; skip a transaction of another shard;
 *    skip a transaction that fails to apply (Go logs the error and moves to the sender's next
 *    transaction). Then, on the beacon chain, the pending staking transactions in order with the
 *    same gas stop, each skipped when it fails.
 * 5. **Incoming receipt proofs** (Go `proposeReceiptsProof`, from `CrossTx`), in the given order:
 *    skip a proof whose source block is spent, one whose source block hash repeats an earlier
 *    proof's, one with a receipt for another shard, and one that does not verify; stop taking
 *    proofs once more than 6,000 receipts are taken.
 * 6. **Crosslinks** (beacon chain, from `CrossLink`): `selectCrossLinksToPropose` over the
 *    pending crosslinks, sorted into the header (`crossLinksField`); Go trusts its pool, which
 *    verified them on arrival.
 * 7. **Slashes** (beacon chain, from `Staking`): the pending records sorted by reporter (stable),
 *    those passing `verifySlashRecord` against the parent's state, in that order. (Go's check for
 *    repeated evidence only removes records from its pool; a repeated record that verifies is
 *    still proposed, and so it is here.)
 * 8. **The shard state** (`superCommitteeForNextEpoch` when proposing, `shardStateFields`).
 * 9. The view ID and the parent's commit certificate (`LastCommitSignature`, `LastCommitBitmap`)
 *    go into the header; `buildBlock` credits the incoming receipts and finalises the block
 *    (rewards, which pay the parent's signers by that bitmap) on the execution of step 4, and
 *    completes the header (roots, bloom, gas used), running the same hooks as `processBlock`,
 *    without checking the leader's own header.
 *
 * Steps 1–8 need neither the view ID nor the parent's certificate, and Go does them first: when
 * the leader reaches commit quorum it inserts the block and at once starts proposing the next
 * (`AsyncProposal`); `FinalizeNewBlock` waits for the final certificate, collected during the
 * grace period, and reads the view ID then. {@link prepareProposal} is steps 1–8 and
 * {@link completeProposal} step 9; {@link proposeBlock} is both at once. Preparing also seals the
 * execution (`sealRun`): the roots of the transactions and receipts and the bloom are fixed by
 * then, so completing is left with the rewards and the state root.
 *
 * The state returned is {@link insertBlock}'s for the built block, exactly what `processBlock`
 * gives for it; only the commit certificate is unknown until consensus ends (see
 * `withCommitSig` in `view.ts`).
 *
 * @see github.com/harmony-one/harmony consensus/consensus_block_proposing.go (`ProposeNewBlock`,
 *   `proposeReceiptsProof`), consensus/proposer.go (`AsyncProposal`),
 *   node/harmony/worker/worker.go (`UpdateCurrent`, `GetNewEpoch`,
 *   `CommitSortedTransactions`, `CommitTransactions`, `CommitReceipts`, `CollectVerifiedSlashes`,
 *   `verifySlashes`, `FinalizeNewBlock`, `GasFloor`), core/block_validator.go (`CalcGasLimit`)
 * @module
 */
import { blsSeparateSigAndMask } from "../crypto/bls-mask.ts";
import { BLS_SIGNATURE_BYTES } from "../crypto/bls.ts";
import { bytesEqual, bytesKey, compareBytes, toHex } from "../encoding/bytes.ts";
import { isSpecError, require } from "../errors.ts";
import type { BlockEnv } from "../execution/apply.ts";
import {
  type BlockContext,
  type BlockRun,
  buildBlock,
  runStakingTransaction,
  runTransaction,
  sealRun,
  startBlockRun,
} from "../execution/block.ts";
import { type CXReceipt, isSpent } from "../execution/cx-receipt.ts";
import { decodeCxReceiptsProof, verifyCxReceiptsProofWith } from "../sharding/cx-proof.ts";
import { GAS } from "../execution/gas.ts";
import type { Receipt } from "../execution/receipt.ts";
import {
  blockSigner,
  decodeTransaction,
  isProtectedV,
  senderReusing,
  type Transaction,
} from "../execution/transaction.ts";
import { isActive } from "../params/features.ts";
import { drgActive } from "../randomness/drg.ts";
import { vrfEncodeField, type VrfEvaluation } from "../randomness/vrf.ts";
import {
  type CrossLink,
  crossLinksField,
  selectCrossLinksToPropose,
} from "../sharding/crosslink.ts";
import { BEACON_CHAIN_SHARD_ID, isLastBlockOfEpoch } from "../sharding/schedule.ts";
import {
  nextBlockEpoch,
  shardStateFields,
  superCommitteeForNextEpoch,
} from "../sharding/transition.ts";
import { encodeSlashRecords, type SlashRecord, verifySlashRecord } from "../staking/slashing.ts";
import type { StakeMessage } from "../staking/messages.ts";
import { decodeStakingTransaction } from "../staking/transactions.ts";
import type { Block, BlockBody } from "./body.ts";
import { blsKeyAddress, committeeOf, ownLookups, type ShardLookups } from "./context.ts";
import { type Header, headerHash, newHeaderAt } from "./header.ts";
import { insertBlock } from "./insert.ts";
import {
  blockContextOf,
  type ChainEvents,
  checkBlockPlace,
  eventsOf,
  outcomeOf,
} from "./process.ts";
import { type ChainState, validatorWrapperOf } from "./state.ts";
import { electionSource } from "./transition.ts";

/** Go `GasLimitBoundDivisor`: how fast the gas limit moves, per block, as a fraction 1/1024. */
export const GAS_LIMIT_BOUND_DIVISOR = 1024n;
/** Go `MinGasLimit`: the least gas limit a block may have. */
export const MIN_GAS_LIMIT = 5_000n;
/** The worker's gas floor before `BlockGas30M` (Go `gasFloor`). */
export const GAS_FLOOR = 80_000_000n;
/** The worker's gas floor from `BlockGas30M`. */
export const GAS_FLOOR_BLOCK_GAS_30M = 30_000_000n;
/** The worker's gas ceiling (Go `gasCeil`). */
export const GAS_CEIL = 120_000_000n;
/** Go `IncomingReceiptsLimit`: receipts after which a proposer takes no more proofs. */
export const INCOMING_RECEIPTS_LIMIT = 6_000;

/** What the leader brings to a proposal. */
export interface ProposalInput {
  /** Pending transactions (RLP), in the order the pool gives (by price, then nonce). */
  transactions: Uint8Array[];
  /**
   * The pending transactions as the pool decoded them and recovered their senders on admission
   * (one per transaction, `null` where unknown). The pool's record must be the decoding of the
   * same bytes. Its sender, recovered with `ownSigner`, is reused only where `ownSignerAgrees`
   * with the block's signer, so the block is the same as without them; the rest are recovered.
   * Recovery is most of the cost of a block of plain transfers, decoding a good part of the rest.
   */
  pooled?: (PoolRecord | null)[];
  /** Pending staking transactions (RLP), in order (beacon chain). */
  stakingTransactions: Uint8Array[];
  /** Pending incoming receipt proofs (RLP), in order. */
  incomingReceipts: Uint8Array[];
  /** Pending crosslinks, in pool order (beacon chain). */
  crossLinks: CrossLink[];
  /** Pending slashing records (beacon chain). */
  slashes: SlashRecord[];
  /** The view ID the block is proposed in. */
  viewId: bigint;
  /** The block's time, unix seconds. */
  timestamp: bigint;
  /** The leader's BLS public key (48 bytes). */
  leaderKey: Uint8Array;
  /** Evaluates the leader's VRF on an input (the node holds the secret key). */
  vrfSigner: (input: Uint8Array) => VrfEvaluation;
  /** The parent's commit certificate (`signature ‖ bitmap`); empty for block 1. */
  lastCommitSig: Uint8Array;
  /** The DRG record for the `Vdf` field (beacon chain, while `DRG` is active), if any. */
  vdf?: Uint8Array;
  /** The header's extra data (empty by default). */
  extra?: Uint8Array;
  /**
   * Awaited every {@link PAUSE_EVERY} transactions executed and before sealing, if given: a host
   * that runs other work on the same thread (a node's RPC and consensus) lets it run there. The
   * block does not depend on it.
   */
  pause?: () => Promise<void>;
}

/** How many transactions a proposer executes between two `pause`s. */
export const PAUSE_EVERY = 64;

/** A pending transaction as the pool knows it: decoded, with the sender `ownSigner` recovers. */
export interface PoolRecord {
  /** The decoded transaction. */
  tx: Transaction;
  /** Its sender, recovered with `ownSigner(tx)`. */
  sender: Uint8Array;
}

/** What preparing a proposal takes: everything but the view ID and the parent's certificate. */
export type PreparationInput = Omit<ProposalInput, "viewId" | "lastCommitSig">;

/** What completing a prepared proposal takes. */
export type ProposalCompletion = Pick<ProposalInput, "viewId" | "lastCommitSig">;

/**
 * A block whose contents are chosen and whose transactions are executed, waiting for its view ID
 * and its parent's commit certificate.
 */
export interface PreparedProposal {
  /** The chain state it builds on. */
  state: ChainState;
  /** What the chain learns of other shards. */
  lookups: ShardLookups;
  /** Its header, without the view ID, the parent's certificate and the commitments. */
  header: Header;
  /** Its body. */
  body: BlockBody;
  /** Its transactions, executed on the parent's state, sealed. */
  run: BlockRun;
  /** The staking messages of its staking transactions, in order. */
  stakingMessages: StakeMessage[];
}

/** A proposed block and the chain state after it. */
export interface Proposal {
  /** The block. */
  block: Block;
  /** The chain state after it (its commit certificate not yet known). */
  state: ChainState;
  /** Its receipts. */
  receipts: Receipt[];
  /** Its outgoing cross-shard receipts. */
  cxReceipts: CXReceipt[];
  /** Its events. */
  events: ChainEvents;
}

/**
 * The gas limit of the next block (Go `CalcGasLimit`): the parent's limit moved by
 * `parentLimit/1024 − 1` down and `1.5·parentGasUsed/1024` up, at least 5,000, and honed toward
 * `[floor, ceil]` by at most that step when outside it.
 *
 * @param parent the parent header
 * @param floor the gas floor
 * @param ceil the gas ceiling
 * @returns the gas limit
 */
export function calcGasLimit(parent: Header, floor: bigint, ceil: bigint): bigint {
  const contrib = (parent.gasUsed + parent.gasUsed / 2n) / GAS_LIMIT_BOUND_DIVISOR;
  const decay = parent.gasLimit / GAS_LIMIT_BOUND_DIVISOR - 1n;
  let limit = parent.gasLimit - decay + contrib;
  if (limit < MIN_GAS_LIMIT) limit = MIN_GAS_LIMIT;
  if (limit < floor) {
    limit = parent.gasLimit + decay;
    if (limit > floor) limit = floor;
  } else if (limit > ceil) {
    limit = parent.gasLimit - decay;
    if (limit < ceil) limit = ceil;
  }
  return limit;
}

/** The coinbase of a leader (step 2). */
function coinbaseOf(state: ChainState, epoch: bigint, leaderKey: Uint8Array): Uint8Array {
  const committee = committeeOf(state, state.shardId, epoch);
  const slot = committee.slots.find((s) => bytesEqual(s.blsPublicKey, leaderKey));
  require(slot !== undefined, "chain/leader-not-in-committee");
  if (isActive(state.config.network, "Staking", epoch)) return blsKeyAddress(leaderKey);
  return slot.ecdsaAddress;
}

/** The parent's certificate as header fields. */
function lastCommitFields(commitSig: Uint8Array) {
  if (commitSig.length < BLS_SIGNATURE_BYTES) {
    return { lastCommitSignature: new Uint8Array(96), lastCommitBitmap: new Uint8Array(0) };
  }
  const { signature, bitmap } = blsSeparateSigAndMask(commitSig);
  return { lastCommitSignature: signature, lastCommitBitmap: bitmap };
}

/**
 * Steps 1–3: the header before transactions, receipts, crosslinks, slashes and shard state, and
 * before the view ID and the parent's certificate (set when the proposal is completed).
 */
function template(state: ChainState, input: PreparationInput): Header {
  const config = state.config.network;
  const epoch = nextBlockEpoch(config, state.head);
  const floor = isActive(config, "BlockGas30M", epoch) ? GAS_FLOOR_BLOCK_GAS_30M : GAS_FLOOR;
  const beaconDrg = drgActive(config, state.shardId, epoch);
  return {
    ...newHeaderAt(config, epoch),
    parentHash: state.headHash,
    number: state.head.number + 1n,
    shardId: state.shardId,
    time: input.timestamp,
    gasLimit: calcGasLimit(state.head, floor, GAS_CEIL),
    extra: input.extra ?? new Uint8Array(0),
    coinbase: coinbaseOf(state, epoch, input.leaderKey),
    vrf: isActive(config, "VRF", epoch)
      ? vrfEncodeField(input.vrfSigner(state.headHash))
      : new Uint8Array(0),
    vdf: beaconDrg && input.vdf !== undefined ? input.vdf : new Uint8Array(0),
  };
}

/** Runs a rule, answering whether it accepted; a rejection is an answer, not an error. */
function accepts(rule: () => void): boolean {
  try {
    rule();
    return true;
  } catch (e) {
    if (isSpecError(e)) return false;
    throw e;
  }
}

/** What the transaction selection kept, and the run that executed it. */
interface Selected {
  transactions: Uint8Array[];
  staking: Uint8Array[];
  run: BlockRun;
}

/**
 * A pending transaction and its sender (the pool's when it agrees with the block's signer), or
 * null when it does not decode or recover.
 */
function pendingSender(
  state: ChainState,
  env: BlockEnv,
  bytes: Uint8Array,
  pooled: PoolRecord | null,
): PoolRecord | null {
  try {
    const tx = pooled?.tx ?? decodeTransaction(bytes);
    const signer = blockSigner(state.config.network, env.shardId, env.epoch, tx);
    return { tx, sender: senderReusing(signer, tx, pooled?.sender ?? null) };
  } catch (e) {
    if (isSpecError(e)) return null;
    throw e;
  }
}

/** Step 4, plain transactions (Go `CommitSortedTransactions`). */
async function selectPlain(
  state: ChainState,
  pending: Uint8Array[],
  pooled: (PoolRecord | null)[],
  pause: (() => Promise<void>) | undefined,
  out: Selected,
): Promise<void> {
  const config = state.config.network;
  const { run } = out;
  const eip155 = isActive(config, "EIP155", run.env.epoch);
  const dropped = new Set<string>();
  for (const [i, bytes] of pending.entries()) {
    if (run.pool.remaining < GAS.tx) break;
    if (pause !== undefined && i % PAUSE_EVERY === PAUSE_EVERY - 1) await pause();
    const found = pendingSender(state, run.env, bytes, pooled[i] ?? null);
    if (found === null || dropped.has(toHex(found.sender))) continue;
    if (isProtectedV(found.tx.v) && !eip155) {
      dropped.add(toHex(found.sender));
      continue;
    }
    if (found.tx.shardId !== run.env.shardId) continue;
    try {
      await runTransaction(config, run, found.tx, found.sender);
      out.transactions.push(bytes);
    } catch (e) {
      if (!isSpecError(e)) throw e;
    }
  }
}

/** Step 4, staking transactions (Go `CommitTransactions`' staking loop). */
function selectStaking(
  state: ChainState,
  ctx: BlockContext,
  pending: Uint8Array[],
  out: Selected,
): void {
  const config = state.config.network;
  for (const bytes of pending) {
    if (out.run.pool.remaining < GAS.tx) break;
    const apply = () =>
      runStakingTransaction(config, out.run, decodeStakingTransaction(bytes), ctx);
    if (accepts(apply)) out.staking.push(bytes);
  }
}

/** Step 4: the transactions that apply, in order, each executed as it is chosen. */
async function selectTransactions(
  state: ChainState,
  header: Header,
  ctx: BlockContext,
  input: PreparationInput,
): Promise<Selected> {
  const run = startBlockRun(state.world, header, ctx);
  const out: Selected = { transactions: [], staking: [], run };
  const beacon = state.shardId === BEACON_CHAIN_SHARD_ID;
  if (beacon && isLastBlockOfEpoch(state.config.network, header.number)) return out;
  await selectPlain(state, input.transactions, input.pooled ?? [], input.pause, out);
  if (beacon) selectStaking(state, ctx, input.stakingTransactions, out);
  return out;
}

/** Step 5: the incoming receipt proofs to include. */
function selectIncoming(
  state: ChainState,
  ctx: BlockContext,
  input: PreparationInput,
): Uint8Array[] {
  const config = state.config.network;
  if (!isActive(config, "CrossTx", nextBlockEpoch(config, state.head))) return [];
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (const bytes of input.incomingReceipts) {
    if (count > INCOMING_RECEIPTS_LIMIT) break;
    accepts(() => {
      const proof = decodeCxReceiptsProof(bytes);
      const m = proof.merkleProof;
      if (isSpent(state.spent, m.shardId, m.blockNum)) return;
      if (seen.has(bytesKey(m.blockHash))) return;
      seen.add(bytesKey(m.blockHash));
      if (proof.receipts.some((r) => r.toShardId !== state.shardId)) return;
      verifyCxReceiptsProofWith(config, proof, ctx.checkCommit);
      out.push(bytes);
      count += proof.receipts.length;
    });
  }
  return out;
}

/** Step 7: the slashing records that verify, by reporter (Go `verifySlashes`). */
function selectSlashes(state: ChainState, pending: SlashRecord[]): SlashRecord[] {
  const sorted = pending.slice().sort((a, b) => compareBytes(a.reporter, b.reporter));
  return sorted.filter((record) =>
    accepts(() =>
      verifySlashRecord({
        config: state.config.network,
        record,
        offender: validatorWrapperOf(state.world, record.evidence.offender),
        currentEpoch: state.head.epoch,
        shardState: state.shardStates.get(record.evidence.moment.epoch) ?? null,
      })
    )
  );
}

/** Steps 6–8: crosslinks, slashes and shard state on the header. */
function beaconFields(
  state: ChainState,
  lookups: ShardLookups,
  header: Header,
  input: PreparationInput,
) {
  const config = state.config.network;
  const beacon = state.shardId === BEACON_CHAIN_SHARD_ID;
  const links = beacon
    ? selectCrossLinksToPropose(config, header.epoch, state.offChain.crossLinks, input.crossLinks)
      .propose
    : [];
  const staking = isActive(config, "Staking", header.epoch);
  const slashes = beacon && staking ? selectSlashes(state, input.slashes) : [];
  const sources = {
    beacon: beacon ? ownLookups(state).beacon : lookups.beacon,
    election: isLastBlockOfEpoch(config, header.number) ? electionSource(state, header) : null,
  };
  const next = superCommitteeForNextEpoch(config, header, sources, false);
  return {
    crossLinks: crossLinksField(links),
    slashes: slashes.length === 0 ? new Uint8Array(0) : encodeSlashRecords(slashes),
    ...shardStateFields(config, header.epoch, next),
  };
}

/**
 * Prepares the next block of a shard: steps 1–8, its transactions executed as they are chosen,
 * before its view ID and its parent's commit certificate are known (see the module notes).
 *
 * @param state the chain state the block builds on
 * @param lookups what the chain learns of other shards (the beacon chain's view and committees)
 * @param input the leader's pending items, key, VRF signer and time
 * @returns the prepared proposal, for {@link completeProposal}
 * @throws {SpecError} `chain/leader-not-in-committee`, `chain/shard-reduction-not-specified`,
 *   the codes of the VRF signer, of `checkBlockPlace`, `blockContextOf`,
 *   `superCommitteeForNextEpoch` and `shardStateFields`
 */
export async function prepareProposal(
  state: ChainState,
  lookups: ShardLookups,
  input: PreparationInput,
): Promise<PreparedProposal> {
  let header = template(state, input);
  checkBlockPlace(state, header);
  const { ctx, collected } = blockContextOf(state, lookups, header, "propose");
  const selected = await selectTransactions(state, header, ctx, input);
  const incomingReceipts = selectIncoming(state, ctx, input);
  header = { ...header, ...beaconFields(state, lookups, header, input) };
  const body: BlockBody = {
    transactions: selected.transactions,
    stakingTransactions: selected.staking,
    uncles: [],
    incomingReceipts,
  };
  await input.pause?.();
  return {
    state,
    lookups,
    header,
    body,
    run: sealRun(selected.run, body),
    stakingMessages: collected.stakingMessages,
  };
}

/**
 * Completes a prepared block with its view ID and its parent's commit certificate: step 9 on
 * the prepared execution. The prepared proposal is left as it was, so it can be completed again.
 *
 * @param prepared what {@link prepareProposal} gave
 * @param completion the view ID and the parent's certificate
 * @returns the block, the chain state after it, its receipts and events
 * @throws {SpecError} the codes of `buildBlock` and `insertBlock` for what the proposer cannot
 *   leave out
 */
export async function completeProposal(
  prepared: PreparedProposal,
  completion: ProposalCompletion,
): Promise<Proposal> {
  const { state, lookups, body } = prepared;
  const header: Header = {
    ...prepared.header,
    viewId: completion.viewId,
    ...lastCommitFields(completion.lastCommitSig),
  };
  const { ctx, collected } = blockContextOf(state, lookups, header, "propose");
  collected.stakingMessages = prepared.stakingMessages.slice();
  const config = state.config.network;
  const built = await buildBlock(config, state.world, { header, body }, ctx, prepared.run);
  const hash = headerHash(built.block.header);
  const outcome = outcomeOf(built.block, hash, built.result, collected);
  return {
    block: built.block,
    state: insertBlock(state, lookups, outcome, new Uint8Array(0)),
    receipts: built.result.receipts,
    cxReceipts: built.result.cxReceipts,
    events: eventsOf(outcome),
  };
}

/**
 * Proposes the next block of a shard (see the module notes): {@link prepareProposal}, then
 * {@link completeProposal} at once.
 *
 * @param state the chain state the block builds on
 * @param lookups what the chain learns of other shards (the beacon chain's view and committees)
 * @param input the leader's pending items, key, VRF signer, view, time and parent certificate
 * @returns the block, the chain state after it, its receipts and events
 * @throws {SpecError} the codes of {@link prepareProposal} and {@link completeProposal}
 */
export async function proposeBlock(
  state: ChainState,
  lookups: ShardLookups,
  input: ProposalInput,
): Promise<Proposal> {
  return completeProposal(await prepareProposal(state, lookups, input), input);
}
