/**
 * Applying a block: its transactions and incoming cross-shard receipts, checked against what the
 * header commits to.
 *
 * {@link applyBlock} restates the execution side of Go's block insertion (`ValidateNewBlock`:
 * `VerifyHeader`, `ValidateBody`, `Process`, `ValidateState`, `VerifyIncomingReceipts`):
 *
 * 1. **Header against its parent**: the parent hash is the parent header's hash, the number is
 *    one more, the shard is the same (`execution/block-parent-mismatch`,
 *    `execution/block-number-mismatch`, `execution/block-wrong-shard`). Then the header rules of
 *    other parts, passed in as {@link BlockContext.verifyHeader}: the seal (the parent's commit
 *    signature carried in this header), the VRF, the shard state.
 * 2. **Body**: the transaction root is `DeriveSha` of the transactions followed by the staking
 *    transactions (`execution/tx-root-mismatch`); both kinds are decoded (a staking transaction's
 *    envelope with `staking/transactions.ts`).
 * 3. **Execution** (Go `Process`) on a child layer of the state: the transactions in order, each
 *    sender recovered once; then the staking transactions in order, through
 *    {@link BlockContext.applyStaking} (the chain part of the spec composes the staking verifier
 *    with the state); before `S3` each receipt records the state root after its transaction. Then
 *    the receipts of the incoming proofs are credited (only a receipt without a recipient is
 *    refused here, `execution/cx-receipt-missing-recipient`). Then the block's finalisation
 *    (rewards, staking, slashing) runs through {@link BlockContext.finalize}, supplied by the
 *    parts of the spec that define it.
 * 4. **Results** (Go `ValidateState`), in order: gas used (`execution/gas-used-mismatch`), bloom
 *    (`execution/bloom-mismatch`), receipt root (`execution/receipt-root-mismatch`), outgoing
 *    receipt root once cross-shard transactions are accepted, in the current or the legacy form
 *    (`execution/outgoing-root-mismatch`), state root (`execution/state-root-mismatch`). Then
 *    the checks Go runs between the results and the incoming receipts, supplied by other parts
 *    ({@link BlockContext.checkAfterResults}: the beacon chain's crosslinks).
 * 5. **Incoming receipts** (Go `VerifyIncomingReceipts`, which Go runs after `ValidateState`):
 *    `verifyIncomingReceiptsWith` of `sharding/cx-proof.ts`, proof by proof: the source block
 *    not credited before (`cxproof/already-spent`), not twice in this block by block hash
 *    (`cxproof/duplicate-in-block`), every receipt for this shard (`cxproof/wrong-destination`),
 *    the proof valid (`cxproof/*`, its source header's commit signature checked by
 *    {@link BlockContext.checkCommit}); then the header's `IncomingReceiptHash` is `DeriveSha`
 *    of the proofs, or the empty root (`cxproof/incoming-root-mismatch`). Last, the spec's own
 *    consistency checks of `checkIncomingReceipts` (which valid proofs always pass) give the new
 *    spent set.
 *
 * Not specified yet (refused with `execution/balance-migration-not-specified`): the HIP-30
 * balance migration that a shard being removed performs in the epoch before HIP-30 (Go
 * `MayBalanceMigration`), which replaces the block's transactions by one migration receipt.
 *
 * {@link buildBlock} is the proposer's side: it runs the same steps on a header template and fills
 * in the roots, the bloom and the gas used. A proposer executes each transaction as it chooses
 * it ({@link startBlockRun}, {@link runTransaction}, {@link runStakingTransaction}), and
 * `buildBlock` goes on from that run instead of executing the transactions again.
 *
 * @see github.com/harmony-one/harmony core/blockchain_impl.go (ValidateNewBlock,
 *   VerifyIncomingReceipts), core/block_validator.go (ValidateBody, ValidateState),
 *   core/state_processor.go (Process), internal/chain/engine.go (VerifyHeader)
 * @module
 */
import { bytesEqual } from "../encoding/bytes.ts";
import { invariant, require, type SpecError } from "../errors.ts";
import {
  acceptsCrossTx,
  isActive,
  isOneEpochBeforeHIP30,
  type NetworkConfig,
} from "../params/mod.ts";
import { vrfOutputOfField } from "../randomness/vrf.ts";
import { instanceForEpoch } from "../sharding/schedule.ts";
import { createBloom } from "../chain/bloom.ts";
import { deriveMultipleShardsSha, deriveSha, EMPTY_ROOT_HASH } from "../chain/derive-sha.ts";
import { type Header, headerHash } from "../chain/header.ts";
import type { Block, BlockBody } from "../chain/body.ts";
import { applyTransaction, type BlockEnv, type GasPool, recoverSenders } from "./apply.ts";
import type { FeeSplit } from "./fees.ts";
import { decodeStakingTransaction, type StakingTransaction } from "../staking/transactions.ts";
import {
  type CommitSignatureCheck,
  type CxReceiptsProof,
  decodeCxReceiptsProof,
  verifyIncomingReceiptsWith,
} from "../sharding/cx-proof.ts";
import {
  checkIncomingReceipts,
  creditIncomingReceipts,
  type CXReceipt,
  type IncomingReceipts,
  isSpent,
  outgoingReceiptsRoot,
  routeCxReceipts,
  type SpentReceipts,
} from "./cx-receipt.ts";
import { encodeReceipt, type Receipt } from "./receipt.ts";
import { stateRoot } from "./state-root.ts";
import { childState, type WorldState } from "./state.ts";
import { decodeTransaction, type Transaction } from "./transaction.ts";

/** What applying one staking transaction gave the block. */
export interface StakingApplied {
  /** Its receipt. */
  receipt: Receipt;
  /** Where its fee went. */
  fee: FeeSplit;
}

/** What applying a block needs beyond the block and the state. */
export interface BlockContext {
  /** The parent block's header. */
  parent: Header;
  /**
   * The account that receives fees before `Staking` and that `COINBASE` returns (Go
   * `GetECDSAFromCoinbase`: the header's coinbase, or from staking the leader's account looked
   * up in the committee).
   */
  beneficiary: Uint8Array;
  /** Source blocks whose receipts this shard already credited. */
  spent: SpentReceipts;
  /** Hash of an earlier block on this shard (`BLOCKHASH`). */
  blockHash: (blockNumber: bigint) => Uint8Array;
  /** VRF output of an earlier block on this shard (VRF precompile). */
  vrfOfBlock: (blockNumber: bigint) => Uint8Array;
  /** Checks the commit signature carried by a cross-shard proof's source header. */
  checkCommit: CommitSignatureCheck;
  /**
   * The header rules of other parts of the spec, run after the parent checks and before the body
   * (Go `VerifyHeader` with its seal, the parent's commit signature; `VerifyVRF`;
   * `VerifyShardState`).
   */
  verifyHeader: (header: Header) => void;
  /** The block's finalisation (rewards, staking, slashing), run after execution. */
  finalize: (state: WorldState, header: Header) => void;
  /**
   * Applies one staking transaction, after the plain ones (Go `ApplyStakingTransaction`; the
   * chain part of the spec supplies it). Like `applyTransaction`, it leaves the state and the
   * pool as they were when it rejects.
   */
  applyStaking: (
    config: NetworkConfig,
    state: WorldState,
    env: BlockEnv,
    pool: GasPool,
    tx: StakingTransaction,
    cumulativeGasUsed: bigint,
  ) => StakingApplied;
  /**
   * Checks of other parts of the spec that Go runs after the header's results and before the
   * incoming receipts (the beacon chain's crosslinks); nothing when absent.
   */
  checkAfterResults?: (header: Header) => void;
  /**
   * The senders of the block's transactions if already recovered with the block's signer (Go
   * caches each transaction's sender when the pool admits it); recovered here otherwise.
   */
  senders?: (Uint8Array | SpecError)[];
}

/** What a valid block did. */
export interface BlockResult {
  /** The state after the block: layered over the input state, which stays as it was. */
  state: WorldState;
  /** The receipts, in transaction order. */
  receipts: Receipt[];
  /** The outgoing cross-shard receipts. */
  cxReceipts: CXReceipt[];
  /** The spent set including the source blocks credited by this block. */
  spent: Set<string>;
  /** Total gas used. */
  gasUsed: bigint;
  /** Fees burnt by the block's transactions. */
  burnt: bigint;
}

/** A block completed by {@link buildBlock}, with what applying it did. */
export interface BuiltBlock {
  /** The block with its commitments filled in. */
  block: Block;
  /** The result of applying it. */
  result: BlockResult;
}

/** Step 1: the header follows its parent. */
function checkParent(header: Header, parent: Header): void {
  require(bytesEqual(header.parentHash, headerHash(parent)), "execution/block-parent-mismatch");
  require(header.number === parent.number + 1n, "execution/block-number-mismatch");
  require(header.shardId === parent.shardId, "execution/block-wrong-shard");
}

/** The receipts of the proofs, one batch per source block. */
function batchesOf(proofs: CxReceiptsProof[]): IncomingReceipts[] {
  return proofs.map((p) => ({
    sourceShardId: p.merkleProof.shardId,
    sourceBlockNumber: p.merkleProof.blockNum,
    receipts: p.receipts,
  }));
}

/** Step 5: verifies the incoming receipt proofs in Go's order; returns the new spent set. */
function checkIncoming(
  config: NetworkConfig,
  block: Block,
  proofs: CxReceiptsProof[],
  ctx: BlockContext,
): Set<string> {
  const { header, body } = block;
  verifyIncomingReceiptsWith(
    config,
    header.shardId,
    body.incomingReceipts,
    header.incomingReceiptHash,
    (shard, number) => isSpent(ctx.spent, shard, number),
    ctx.checkCommit,
  );
  return checkIncomingReceipts(ctx.spent, header.shardId, batchesOf(proofs));
}

/**
 * The environment a block's transactions run in: the header's shard, epoch, number, gas limit,
 * time and VRF output, the beneficiary as `COINBASE`, and the history hooks of the context.
 *
 * @param header the block's header
 * @param ctx the block's context
 * @returns the environment
 */
export function blockEnv(header: Header, ctx: BlockContext): BlockEnv {
  return {
    shardId: header.shardId,
    epoch: header.epoch,
    blockNumber: header.number,
    coinbase: ctx.beneficiary,
    gasLimit: header.gasLimit,
    timestamp: header.time,
    vrf: vrfOutputOfField(header.vrf),
    vrfOfBlock: ctx.vrfOfBlock,
    blockHash: ctx.blockHash,
  };
}

/** What executing a block gives, before its incoming receipts are verified. */
type Executed = Omit<BlockResult, "spent">;

/** The decoded transactions of a body. */
interface DecodedBody {
  txs: Transaction[];
  staking: StakingTransaction[];
}

/**
 * A block's transactions being executed in order on a layer over the parent's state (step 3
 * before the incoming receipts and the finalisation). `applyBlock` runs a body's transactions
 * all at once; a proposer runs each pending transaction as it chooses it (Go's worker commits
 * them to its state as it goes), and hands the run to {@link buildBlock} rather than executing
 * the chosen ones again.
 */
export interface BlockRun {
  /** The state after the transactions so far: a child layer of the parent's (not modified). */
  state: WorldState;
  /** The block's environment. */
  env: BlockEnv;
  /** The block's gas pool. */
  pool: GasPool;
  /** Receipts of the transactions so far, plain ones first, then staking ones. */
  receipts: Receipt[];
  /** Outgoing cross-shard receipts so far. */
  cxReceipts: CXReceipt[];
  /** Gas used so far. */
  gasUsed: bigint;
  /** Fees burnt so far. */
  burnt: bigint;
  /** How many plain transactions applied. */
  plain: number;
  /** How many staking transactions applied (the run takes no plain one after the first). */
  staking: number;
  /** What the run's body commits to, once the body is final (see {@link sealRun}). */
  seal?: RunSeal;
}

/**
 * The commitments a block's body and transactions fix, before the block is finished: finishing
 * (incoming receipts, rewards) adds no receipt, so these do not depend on the view or the
 * parent's certificate.
 */
export interface RunSeal {
  /** The root of the body's transactions, plain then staking (`txHash`). */
  txHash: Uint8Array;
  /** The bloom of the receipts' logs. */
  bloom: Uint8Array;
  /** The root of the receipts. */
  receiptHash: Uint8Array;
  /** The root of the outgoing cross-shard receipts. */
  outgoingReceiptHash: Uint8Array;
}

/**
 * A run whose transactions are final, with its {@link RunSeal} computed: a proposer seals its
 * run while it waits for the parent's certificate, so that finishing the block is left with the
 * rewards and the hashing of what they write.
 *
 * @param run the run of exactly `body`'s transactions (not modified, but for its state's caches)
 * @param body the block's body
 * @returns the run with its seal
 */
export function sealRun(run: BlockRun, body: BlockBody): BlockRun {
  checkRunOf(run, body);
  // The root of the run's state is worked out now for its caches: the layer keeps its hashed
  // state trie, so the completed block's root hashes only what completion writes (rewards,
  // incoming receipts) on top of it.
  stateRoot(run.state);
  return {
    ...run,
    seal: { txHash: txRootOf(body), ...receiptCommitments(run) },
  };
}

/** The root of a body's transactions, plain then staking (the header's `txHash`). */
function txRootOf(body: BlockBody): Uint8Array {
  return deriveSha([...body.transactions, ...body.stakingTransactions]);
}

/** The commitments of a run's receipts. */
function receiptCommitments(result: { receipts: Receipt[]; cxReceipts: CXReceipt[] }) {
  return {
    bloom: createBloom(result.receipts.map((r) => r.logs)),
    receiptHash: deriveSha(result.receipts.map(encodeReceipt)),
    outgoingReceiptHash: outgoingReceiptsRoot(result.cxReceipts),
  };
}

/**
 * Starts executing a block on a child layer of the parent's state.
 *
 * @param base the state after the parent block (not modified)
 * @param header the block's header (its environment and gas limit)
 * @param ctx the block's context
 * @returns a run with no transaction yet
 */
export function startBlockRun(base: WorldState, header: Header, ctx: BlockContext): BlockRun {
  return {
    state: childState(base),
    env: blockEnv(header, ctx),
    pool: { remaining: header.gasLimit },
    receipts: [],
    cxReceipts: [],
    gasUsed: 0n,
    burnt: 0n,
    plain: 0,
    staking: 0,
  };
}

/**
 * Applies the next plain transaction of a run (Go `ApplyTransaction` in `Process`). Before `S3`
 * the receipt records the state root after the transaction.
 *
 * @param config the network
 * @param run the run (extended when the transaction applies)
 * @param tx the transaction
 * @param sender its sender recovered with the block's signer, or the error recovery gave
 * @throws {SpecError} the codes of `applyTransaction`; the run is then as it was
 */
export async function runTransaction(
  config: NetworkConfig,
  run: BlockRun,
  tx: Transaction,
  sender: Uint8Array | SpecError,
): Promise<void> {
  invariant(run.staking === 0, "plain transactions come before staking ones");
  const { env, state, pool } = run;
  const r = await applyTransaction(config, env, state, pool, tx, sender, run.gasUsed);
  if (r.cxReceipt !== null) run.cxReceipts.push(r.cxReceipt);
  recordApplied(config, run, r);
  run.plain++;
}

/**
 * Applies the next staking transaction of a run, through {@link BlockContext.applyStaking}.
 *
 * @param config the network
 * @param run the run (extended when the transaction applies)
 * @param tx the staking transaction
 * @param ctx the block's context
 * @throws {SpecError} the codes of `applyStaking`; the run is then as it was
 */
export function runStakingTransaction(
  config: NetworkConfig,
  run: BlockRun,
  tx: StakingTransaction,
  ctx: BlockContext,
): void {
  const { env, state, pool } = run;
  recordApplied(config, run, ctx.applyStaking(config, state, env, pool, tx, run.gasUsed));
  run.staking++;
}

/**
 * Adds an applied transaction's receipt, gas and burnt fee to its run. Before `S3` the receipt
 * records the state root after the transaction.
 */
function recordApplied(
  config: NetworkConfig,
  run: BlockRun,
  applied: { receipt: Receipt; fee: FeeSplit },
): void {
  if (!isActive(config, "S3", run.env.epoch)) applied.receipt.postState = stateRoot(run.state);
  run.receipts.push(applied.receipt);
  run.gasUsed = applied.receipt.cumulativeGasUsed;
  run.burnt += applied.fee.burnt;
}

/** The rest of step 3 after a run's transactions: the incoming receipts, the finalisation. */
function finishRun(
  config: NetworkConfig,
  run: BlockRun,
  header: Header,
  proofs: CxReceiptsProof[],
  ctx: BlockContext,
): Executed {
  const { state, receipts, cxReceipts, gasUsed, burnt } = run;
  creditIncomingReceipts(config, state, header.epoch, proofs.flatMap((p) => p.receipts));
  ctx.finalize(state, header);
  return { state, receipts, cxReceipts, gasUsed, burnt };
}

/**
 * A copy of a run that can be finished without changing the original: its state a new layer
 * over the run's, its lists copied.
 */
function forkRun(run: BlockRun): BlockRun {
  return {
    ...run,
    state: childState(run.state),
    pool: { ...run.pool },
    receipts: run.receipts.slice(),
    cxReceipts: run.cxReceipts.slice(),
  };
}

/** Step 3: executes the transactions, credits the incoming receipts and finalises. */
async function execute(
  config: NetworkConfig,
  base: WorldState,
  header: Header,
  body: DecodedBody,
  proofs: CxReceiptsProof[],
  ctx: BlockContext,
): Promise<Executed> {
  const { txs } = body;
  const run = startBlockRun(base, header, ctx);
  const senders = ctx.senders ?? recoverSenders(config, header.shardId, header.epoch, txs);
  invariant(senders.length === txs.length, "one sender per transaction");
  for (let i = 0; i < txs.length; i++) await runTransaction(config, run, txs[i], senders[i]);
  for (const tx of body.staking) runStakingTransaction(config, run, tx, ctx);
  return finishRun(config, run, header, proofs, ctx);
}

/** What the header should commit to after execution. */
interface Commitments {
  gasUsed: bigint;
  bloom: Uint8Array;
  receiptHash: Uint8Array;
  outgoingReceiptHash: Uint8Array;
  root: Uint8Array;
}

function commitmentsOf(result: Executed, seal?: RunSeal): Commitments {
  const { bloom, receiptHash, outgoingReceiptHash } = seal ?? receiptCommitments(result);
  return {
    gasUsed: result.gasUsed,
    bloom,
    receiptHash,
    outgoingReceiptHash,
    root: stateRoot(result.state),
  };
}

/** Step 4: the header's commitments match the execution. */
function checkResults(config: NetworkConfig, header: Header, result: Executed): void {
  const c = commitmentsOf(result);
  require(header.gasUsed === c.gasUsed, "execution/gas-used-mismatch");
  require(bytesEqual(header.bloom, c.bloom), "execution/bloom-mismatch");
  require(bytesEqual(header.receiptHash, c.receiptHash), "execution/receipt-root-mismatch");
  if (acceptsCrossTx(config, header.epoch)) {
    const legacy = deriveMultipleShardsSha(routeCxReceipts(result.cxReceipts));
    const ok = bytesEqual(header.outgoingReceiptHash, c.outgoingReceiptHash) ||
      bytesEqual(header.outgoingReceiptHash, legacy);
    require(ok, "execution/outgoing-root-mismatch");
  }
  require(bytesEqual(header.root, c.root), "execution/state-root-mismatch");
}

/** The migration gate: the HIP-30 balance migration is not specified. */
function refuseMigration(config: NetworkConfig, header: Header): void {
  const next = instanceForEpoch(config, header.epoch + 1n).numShards;
  const migrating = isOneEpochBeforeHIP30(config, header.epoch) && header.shardId >= next;
  require(!migrating, "execution/balance-migration-not-specified");
}

/** Steps 2 and the migration gate: the body's transactions, decoded. */
function checkBody(config: NetworkConfig, block: Block): DecodedBody {
  const { header, body } = block;
  require(bytesEqual(txRootOf(body), header.txHash), "execution/tx-root-mismatch");
  refuseMigration(config, header);
  return {
    txs: body.transactions.map(decodeTransaction),
    staking: body.stakingTransactions.map(decodeStakingTransaction),
  };
}

/**
 * Applies a block to a state and checks it against its header.
 *
 * @param config the network
 * @param state the state after the parent block (not modified)
 * @param block the block
 * @param ctx the parent header, history and the hooks of other parts of the spec
 * @returns the new state (a child layer of `state`), receipts, outgoing receipts, spent set
 * @throws {SpecError} the codes of steps 1–5 above, of `decodeTransaction`,
 *   `decodeStakingTransaction`, `decodeCxReceiptsProof`, `applyTransaction`,
 *   `verifyIncomingReceiptsWith` and
 *   `checkIncomingReceipts`, and whatever the hooks raise
 */
export async function applyBlock(
  config: NetworkConfig,
  state: WorldState,
  block: Block,
  ctx: BlockContext,
): Promise<BlockResult> {
  checkParent(block.header, ctx.parent);
  ctx.verifyHeader(block.header);
  const body = checkBody(config, block);
  const proofs = block.body.incomingReceipts.map(decodeCxReceiptsProof);
  const executed = await execute(config, state, block.header, body, proofs, ctx);
  checkResults(config, block.header, executed);
  ctx.checkAfterResults?.(block.header);
  const spent = checkIncoming(config, block, proofs, ctx);
  return { ...executed, spent };
}

/**
 * Builds a block on a header template (the proposer's side): applies the body and returns the
 * header with `txHash`, `incomingReceiptHash`, `gasUsed`, `bloom`, `receiptHash`,
 * `outgoingReceiptHash` and `root` filled in. A transaction that is refused makes the whole
 * build fail (a proposer leaves such transactions out beforehand).
 *
 * A proposer that executed the body's transactions while choosing them passes that `run`: they
 * are not executed again, and the run stays as it was. It must be a run of exactly the body's
 * transactions, in order, on `state`, in the environment of this header; if it is sealed
 * ({@link sealRun}, with this body), its seal gives the transaction and receipt commitments.
 *
 * @param config the network
 * @param state the state after the parent block (not modified)
 * @param block a block whose header has every other field set
 * @param ctx as for {@link applyBlock}
 * @param run the body's transactions already executed on `state`, if they were
 * @returns the completed block and its result
 * @throws {SpecError} as {@link applyBlock}, less the commitment mismatches
 */
export async function buildBlock(
  config: NetworkConfig,
  state: WorldState,
  block: Block,
  ctx: BlockContext,
  run?: BlockRun,
): Promise<BuiltBlock> {
  const incomingReceiptHash = block.body.incomingReceipts.length > 0
    ? deriveSha(block.body.incomingReceipts)
    : EMPTY_ROOT_HASH.slice();
  const txHash = run?.seal?.txHash ?? txRootOf(block.body);
  const header = { ...block.header, txHash, incomingReceiptHash };
  const filled: Block = { header, body: block.body };
  const body = run === undefined ? checkBody(config, filled) : null;
  if (run !== undefined) checkRun(config, filled, state, run);
  const proofs = block.body.incomingReceipts.map(decodeCxReceiptsProof);
  const executed = run === undefined
    ? await execute(config, state, header, body!, proofs, ctx)
    : finishRun(config, forkRun(run), header, proofs, ctx);
  const c = commitmentsOf(executed, run?.seal);
  const built: Block = { header: { ...header, ...c }, body: block.body };
  ctx.checkAfterResults?.(built.header);
  const spent = checkIncoming(config, built, proofs, ctx);
  return { block: built, result: { ...executed, spent } };
}

/** For a body already executed: the migration gate, and that the run is of this body. */
function checkRun(config: NetworkConfig, block: Block, state: WorldState, run: BlockRun): void {
  refuseMigration(config, block.header);
  invariant(run.state.parent === state, "a run on the block's parent state");
  checkRunOf(run, block.body);
}

/** That a run executed as many plain and staking transactions as the body holds. */
function checkRunOf(run: BlockRun, body: BlockBody): void {
  invariant(run.plain === body.transactions.length, "a run of the body's transactions");
  invariant(run.staking === body.stakingTransactions.length, "and of its staking ones");
}
