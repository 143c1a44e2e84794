/**
 * Applying a transaction to the state: checks, gas, execution, fees, receipt.
 *
 * {@link applyTransaction} restates Go's `ApplyTransaction` and `StateTransition.TransitionDb` as
 * one sequence. Each step can reject the transaction with its own code; a rejected transaction
 * makes its block invalid, and leaves the state and the gas pool exactly as they were.
 *
 * 1. **Kind** (Go `getTransactionType`): the transaction's shard must be the block's
 *    (`execution/wrong-shard`). It is *same-shard* when its destination shard is the same, or
 *    before cross-shard transactions are accepted (`CrossTx` + 1: earlier, the destination shard
 *    is ignored). Otherwise it is a *cross-shard* transfer, whose destination must be a shard of
 *    the epoch's instance (`execution/to-shard-out-of-range`).
 * 2. **Sender** with the block's signer (`transaction.ts`, {@link blockSigner}).
 * 3. **Nonce**: equal to the sender's (`execution/nonce-too-high`, `execution/nonce-too-low`).
 * 4. **Buy gas**: the balance covers `gasLimit × gasPrice` (`execution/insufficient-balance-for-gas`)
 *    and the block's gas pool has `gasLimit` left (`execution/block-gas-exhausted`).
 * 5. **Intrinsic gas** fits in the gas limit (`execution/intrinsic-gas-too-low`).
 * 6. **Value**: what is left of the balance covers the value
 *    (`execution/insufficient-balance-for-value`; Go's `ErrInsufficientBalance` from `Call`).
 * 7. **Execution.** The sender's nonce goes up by one. A *plain transfer* (same shard, to an
 *    account without code that is not a precompile) moves the value without the EVM; it uses
 *    exactly the intrinsic gas. Anything else runs on the EVM (`evm.ts`). A cross-shard transfer
 *    only debits the value: nobody on this shard receives it, and a {@link CXReceipt} is emitted
 *    (unless execution failed). If the recipient has code on this shard, that code runs with the
 *    value as `CALLVALUE` while its balance stays as it was, and value its calls send is debited
 *    and credited to nobody too (Go's `SubtractionOnly` transfers, see `evm.ts`). A failed
 *    execution still costs gas; its state changes (except the fee payment and the nonce) are
 *    undone.
 * 8. **Refund and fee**: the unused gas plus the refund (capped at half the gas used) is returned
 *    to the sender at the gas price; the fee `gasUsed × gasPrice` goes where the era says
 *    (`fees.ts`).
 * 9. **End of transaction**: from `S3`, touched empty accounts are deleted; the receipt records
 *    status, cumulative gas, logs (from `ReceiptLog`) and their bloom.
 *
 * The plain-transfer path is a faster restatement of the EVM path for the same inputs; a property
 * test proves the two give identical states, receipts and fees.
 *
 * @see github.com/harmony-one/harmony core/state_processor.go (ApplyTransaction,
 *   getTransactionType), core/state_transition.go (TransitionDb, preCheck, buyGas, refundGas,
 *   collectGas), core/evm.go (Transfer), core/vm/evm.go (Call)
 * @module
 */
import { acceptsCrossTx, isActive, type NetworkConfig } from "../params/mod.ts";
import { instanceForEpoch } from "../sharding/schedule.ts";
import { invariant, isSpecError, require, SpecError } from "../errors.ts";
import { blockSigner, recoverSender, type Transaction, transactionHash } from "./transaction.ts";
import { cappedRefund, intrinsicGas } from "./gas.ts";
import { feeShares, type FeeSplit } from "./fees.ts";
import { callRunsCode, type EvmBlockContext, type EvmOutcome, runEvmMessage } from "./evm.ts";
import { contractAddress, type Receipt } from "./receipt.ts";
import { logsBloom } from "../chain/bloom.ts";
import type { CXReceipt } from "./cx-receipt.ts";
import {
  accountExists,
  addBalance,
  addressKey,
  balanceOf,
  finaliseTransaction,
  nonceOf,
  revertToSnapshot,
  setNonce,
  snapshot,
  subBalance,
  type WorldState,
} from "./state.ts";

/** The block a transaction runs in: what execution reads of it. */
export type BlockEnv = EvmBlockContext;

/** The gas left in a block for the transactions still to come (Go `GasPool`). Mutable. */
export interface GasPool {
  /** Gas available. */
  remaining: bigint;
}

/** How a transaction moves value (Go `TransactionType`, less the staking kinds). */
export type TransactionKind = "same-shard" | "cross-shard";

/** What applying one transaction produced. */
export interface AppliedTransaction {
  /** The sender. */
  sender: Uint8Array;
  /** The receipt. */
  receipt: Receipt;
  /** The outgoing cross-shard receipt, for a successful cross-shard transfer. */
  cxReceipt: CXReceipt | null;
  /** Where the fee went, and how much of it was burnt. */
  fee: FeeSplit;
}

/** A transaction that passed every check, ready to execute. */
interface Checked {
  kind: TransactionKind;
  sender: Uint8Array;
  senderKey: string;
  intrinsic: bigint;
}

/**
 * The kind of a transaction in a block (Go `getTransactionType`).
 *
 * @param config the network
 * @param env the block
 * @param tx the transaction
 * @returns same-shard or cross-shard
 * @throws {SpecError} `execution/wrong-shard`, `execution/to-shard-out-of-range`
 */
export function transactionKind(
  config: NetworkConfig,
  env: BlockEnv,
  tx: Transaction,
): TransactionKind {
  require(tx.shardId === env.shardId, "execution/wrong-shard", `${tx.shardId} != ${env.shardId}`);
  // [New in CrossTx] the destination shard counts from the epoch after CrossTx.
  if (!acceptsCrossTx(config, env.epoch) || tx.toShardId === tx.shardId) return "same-shard";
  const numShards = instanceForEpoch(config, env.epoch).numShards;
  require(tx.toShardId < numShards, "execution/to-shard-out-of-range", `${tx.toShardId}`);
  return "cross-shard";
}

/** Steps 1–6: every check, without writing anything. */
function check(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  tx: Transaction,
  sender: Uint8Array | SpecError | undefined,
): Checked {
  const kind = transactionKind(config, env, tx);
  const signer = blockSigner(config, env.shardId, env.epoch, tx);
  if (sender instanceof SpecError) throw sender;
  const from = sender ?? recoverSender(signer, tx);
  const senderKey = addressKey(from);
  checkNonceAndGas(state, pool, senderKey, tx);
  const intrinsic = intrinsicGas(config, env.epoch, tx.data, tx.to === null ? "create" : "call");
  require(tx.gasLimit >= intrinsic, "execution/intrinsic-gas-too-low", `${intrinsic}`);
  const gasCost = tx.gasLimit * tx.gasPrice;
  require(
    balanceOf(state, senderKey) - gasCost >= tx.value,
    "execution/insufficient-balance-for-value",
  );
  return { kind, sender: from, senderKey, intrinsic };
}

/** The fields of a transaction that buying its gas reads. */
export interface GasPurchase {
  /** The transaction's nonce. */
  nonce: bigint;
  /** Its gas limit. */
  gasLimit: bigint;
  /** Its gas price. */
  gasPrice: bigint;
}

/**
 * Steps 3 and 4 (Go `preCheck` and the checks of `buyGas`), shared by plain and staking
 * transactions: the nonce is the sender's, the balance covers `gasLimit × gasPrice`, and the
 * block's gas pool has `gasLimit` left. Nothing is written.
 *
 * @param state the state
 * @param pool the block's gas pool
 * @param senderKey the sender's address key
 * @param tx the nonce, gas limit and gas price
 * @throws {SpecError} `execution/nonce-too-high`, `execution/nonce-too-low`,
 *   `execution/insufficient-balance-for-gas`, `execution/block-gas-exhausted`
 */
export function checkNonceAndGas(
  state: WorldState,
  pool: GasPool,
  senderKey: string,
  tx: GasPurchase,
): void {
  const nonce = nonceOf(state, senderKey);
  require(nonce >= tx.nonce, "execution/nonce-too-high", `${tx.nonce} > ${nonce}`);
  require(nonce <= tx.nonce, "execution/nonce-too-low", `${tx.nonce} < ${nonce}`);
  const balance = balanceOf(state, senderKey);
  require(balance >= tx.gasLimit * tx.gasPrice, "execution/insufficient-balance-for-gas");
  require(pool.remaining >= tx.gasLimit, "execution/block-gas-exhausted");
}

/** What settling a transaction's gas gave. */
export interface Settlement {
  /** The gas the transaction used. */
  gasUsed: bigint;
  /** Where its fee went. */
  fee: FeeSplit;
}

/**
 * Step 8 without the refund counter (Go `refundGas` and `collectGas`), shared by plain and
 * staking transactions: the gas left is returned to the sender at the gas price and to the block's
 * pool, and the fee `gasUsed × gasPrice` goes where the era says.
 *
 * @param config the network
 * @param env the block
 * @param state the state (written)
 * @param pool the block's gas pool (written)
 * @param senderKey the sender's address key
 * @param tx the gas limit and gas price
 * @param gasLeft the gas left, refund included
 * @returns the gas used and the fee split
 */
export function refundAndCollect(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  senderKey: string,
  tx: GasPurchase,
  gasLeft: bigint,
): Settlement {
  addBalance(state, senderKey, gasLeft * tx.gasPrice);
  pool.remaining += gasLeft;
  const gasUsed = tx.gasLimit - gasLeft;
  const fee = feeShares(config, env.epoch, env.coinbase, gasUsed * tx.gasPrice);
  for (const credit of fee.credits) addBalance(state, addressKey(credit.address), credit.amount);
  return { gasUsed, fee };
}

/**
 * Whether a transaction that passed its checks must run on the EVM: a creation, or a call to an
 * account with code or to a precompile.
 *
 * @param config the network
 * @param env the block
 * @param state the state
 * @param tx the transaction
 * @returns `false` for a plain transfer
 */
export function needsEvm(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  tx: Transaction,
): boolean {
  return tx.to === null || callRunsCode(config, env.epoch, state, tx.to);
}

/**
 * The plain transfer (Go `Call` on an account without code): the value moves, gas used is the
 * intrinsic gas. From `S3`, a zero-value transfer to an absent account creates nothing.
 */
function plainTransfer(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  tx: Transaction,
  c: Checked,
): EvmOutcome {
  setNonce(state, c.senderKey, nonceOf(state, c.senderKey) + 1n);
  const toKey = addressKey(tx.to!);
  subBalance(state, c.senderKey, tx.value);
  if (c.kind === "same-shard") {
    const skip = !accountExists(state, toKey) && tx.value === 0n &&
      isActive(config, "S3", env.epoch);
    if (!skip) addBalance(state, toKey, tx.value);
  }
  return {
    gasUsed: 0n,
    refund: 0n,
    failed: false,
    returnData: new Uint8Array(0),
    logs: [],
    createdAddress: null,
  };
}

/** Runs the message on the EVM; in a cross-shard transaction, calls credit no value. */
function evmExecute(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  tx: Transaction,
  c: Checked,
): Promise<EvmOutcome> {
  return runEvmMessage(config, env.epoch, state, env, {
    caller: c.sender,
    to: tx.to,
    value: tx.value,
    data: tx.data,
    gas: tx.gasLimit - c.intrinsic,
    gasPrice: tx.gasPrice,
    subtractionOnly: c.kind === "cross-shard",
  });
}

/** Steps 8–9: refund, fee, end of transaction, receipt. */
function settle(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  tx: Transaction,
  c: Checked,
  outcome: EvmOutcome,
  cumulativeGasUsed: bigint,
): AppliedTransaction {
  let gasLeft = tx.gasLimit - c.intrinsic - outcome.gasUsed;
  invariant(gasLeft >= 0n, "execution uses at most the gas it was given");
  gasLeft += cappedRefund(tx.gasLimit - gasLeft, outcome.refund);
  const { gasUsed, fee } = refundAndCollect(config, env, state, pool, c.senderKey, tx, gasLeft);
  finaliseTransaction(state, isActive(config, "S3", env.epoch));
  const logs = isActive(config, "ReceiptLog", env.epoch) ? outcome.logs : [];
  const hash = transactionHash(tx);
  const receipt: Receipt = {
    postState: null,
    status: outcome.failed ? 0 : 1,
    cumulativeGasUsed: cumulativeGasUsed + gasUsed,
    bloom: logsBloom(logs),
    logs,
    txHash: hash,
    contractAddress: tx.to === null ? contractAddress(c.sender, tx.nonce) : null,
    gasUsed,
    effectiveGasPrice: tx.gasPrice,
  };
  const cxReceipt = c.kind === "cross-shard" && !outcome.failed
    ? { txHash: hash, from: c.sender, to: tx.to, ...shards(tx), amount: tx.value }
    : null;
  return { sender: c.sender, receipt, cxReceipt, fee };
}

/** The shard fields of a cross-shard receipt. */
function shards(tx: Transaction): { shardId: bigint; toShardId: bigint } {
  return { shardId: tx.shardId, toShardId: tx.toShardId };
}

/** Go `buyGas`: the sender pays for the whole gas limit up front, and the block's pool gives it. */
function buyGas(state: WorldState, pool: GasPool, tx: Transaction, c: Checked): void {
  subBalance(state, c.senderKey, tx.gasLimit * tx.gasPrice);
  pool.remaining -= tx.gasLimit;
}

/** Options of {@link applyTransaction}. */
export interface ApplyOptions {
  /**
   * Run even a plain transfer on the EVM. The result is the same; this exists so that tests can
   * prove it.
   */
  forceEvm?: boolean;
}

/**
 * Applies one transaction of a block (Go `ApplyTransaction`).
 *
 * Before `S3` the receipt's post-state root is left `null`: the block processor fills it with the
 * intermediate state root.
 *
 * @param config the network
 * @param env the block
 * @param state the state (written; restored on rejection)
 * @param pool the block's gas pool (updated; restored on rejection)
 * @param tx the transaction
 * @param sender the sender if already recovered with the block's signer (or the error recovery
 *   gave), so that a block recovers each sender once
 * @param cumulativeGasUsed gas used by the block's earlier transactions
 * @param options see {@link ApplyOptions}
 * @returns the receipt, the cross-shard receipt and the fee split
 * @throws {SpecError} the codes of the steps above, of {@link blockSigner} and
 *   {@link recoverSender}, and `execution/precompile-not-specified`
 */
export async function applyTransaction(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  tx: Transaction,
  sender: Uint8Array | SpecError | undefined,
  cumulativeGasUsed: bigint,
  options: ApplyOptions = {},
): Promise<AppliedTransaction> {
  const c = check(config, env, state, pool, tx, sender);
  const mark = snapshot(state);
  buyGas(state, pool, tx, c);
  try {
    const outcome = options.forceEvm || needsEvm(config, env, state, tx)
      ? await evmExecute(config, env, state, tx, c)
      : plainTransfer(config, env, state, tx, c);
    return settle(config, env, state, pool, tx, c, outcome, cumulativeGasUsed);
  } catch (e) {
    revertToSnapshot(state, mark);
    pool.remaining += tx.gasLimit;
    throw e;
  }
}

/**
 * {@link applyTransaction} for a transaction that needs no EVM (see {@link needsEvm}), computed
 * synchronously. Same checks, same result.
 *
 * @param config the network
 * @param env the block
 * @param state the state
 * @param pool the block's gas pool
 * @param tx the transaction, a plain transfer
 * @param sender the recovered sender, or `undefined`
 * @param cumulativeGasUsed gas used by the block's earlier transactions
 * @returns as {@link applyTransaction}
 * @throws {SpecError} as {@link applyTransaction}
 */
export function applyPlainTransaction(
  config: NetworkConfig,
  env: BlockEnv,
  state: WorldState,
  pool: GasPool,
  tx: Transaction,
  sender: Uint8Array | SpecError | undefined,
  cumulativeGasUsed: bigint,
): AppliedTransaction {
  const c = check(config, env, state, pool, tx, sender);
  invariant(!needsEvm(config, env, state, tx), "a plain transfer");
  buyGas(state, pool, tx, c);
  const outcome = plainTransfer(config, env, state, tx, c);
  return settle(config, env, state, pool, tx, c, outcome, cumulativeGasUsed);
}

/**
 * Recovers the senders of a block's transactions once, with the signer the block applies to
 * each; a failure is kept as its error, to be raised when that transaction is applied (so the
 * error codes come in Go's order).
 *
 * @param config the network
 * @param shardId the block's shard
 * @param epoch the block's epoch
 * @param txs the transactions
 * @returns per transaction, the sender or the rejection
 */
export function recoverSenders(
  config: NetworkConfig,
  shardId: bigint,
  epoch: bigint,
  txs: Transaction[],
): (Uint8Array | SpecError)[] {
  return txs.map((tx) => {
    try {
      return recoverSender(blockSigner(config, shardId, epoch, tx), tx);
    } catch (e) {
      if (isSpecError(e)) return e;
      throw e;
    }
  });
}
