/**
 * Staking transactions in a block: the staking verifier (`staking/verify.ts`) composed with the
 * world state, the block's gas pool and the fee rule of plain transactions.
 *
 * A block's staking transactions run after its plain transactions, in body order (Go `Process`),
 * each as Go's `ApplyStakingTransaction` and `StakingTransitionDb` do:
 *
 * 1. the sender, recovered from the signature (`staking/transactions.ts`); the directive must be
 *    one of the five kinds (`staking/invalid-directive`);
 * 2. the nonce and the gas purchase of plain transactions (`checkNonceAndGas`): nonce, balance for
 *    `gasLimit × gasPrice`, the block's gas pool; the gas is bought;
 * 3. the intrinsic gas (`stakingIntrinsicGas`: 21,000, or 5,300,000 for CreateValidator, plus the
 *    message's bytes) must fit in the gas limit (`execution/intrinsic-gas-too-low`);
 * 4. the sender's nonce goes up by one;
 * 5. the message is decoded for the directive and its signer must be the sender
 *    (`staking/invalid-signer`);
 * 6. the verifier checks the message against what it reads (balances and wrappers from the world
 *    state; the validator list, the delegator's indexes and the validator's snapshot rate from the
 *    chain's records of the *parent* block, as Go reads its database) and the results are written:
 *    new or updated wrappers as account code (the validator flag set for a new validator), the
 *    balance debit (the stake) or credit (collected rewards), and logs;
 * 7. the gas left (everything but the intrinsic gas: a staking transaction runs no code and earns
 *    no refund) goes back to the sender and the pool, the fee goes where the era says
 *    (`refundAndCollect`), and the transaction ends (`finaliseTransaction`).
 *
 * The receipt always has status 1 (a staking transaction that fails makes its block invalid), the
 * cumulative gas, the logs from `ReceiptLog` on, and the transaction's hash. A rejected
 * transaction leaves the state and the gas pool as they were.
 *
 * @see github.com/harmony-one/harmony core/state_processor.go (`ApplyStakingTransaction`,
 *   `StakingToMessage`), core/state_transition.go (`StakingTransitionDb`), core/evm.go
 *   (`CreateValidatorFn`, `EditValidatorFn`, `DelegateFn`, `UndelegateFn`, `CollectRewardsFn`)
 * @module
 */
import { logsBloom } from "../chain/bloom.ts";
import { require } from "../errors.ts";
import type { Dec } from "../numeric/decimal.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import {
  type BlockEnv,
  checkNonceAndGas,
  type GasPool,
  refundAndCollect,
} from "../execution/apply.ts";
import type { FeeSplit } from "../execution/fees.ts";
import type { Log, Receipt } from "../execution/receipt.ts";
import {
  addBalance,
  addressKey,
  balanceOf,
  finaliseTransaction,
  isValidatorAccount,
  nonceOf,
  revertToSnapshot,
  setNonce,
  snapshot,
  subBalance,
  type WorldState,
} from "../execution/state.ts";
import type { DelegationIndex } from "../staking/delegation.ts";
import { decodeStakeMessage, Directive, type StakeMessage } from "../staking/messages.ts";
import {
  requireStakingSigner,
  stakingIntrinsicGas,
  type StakingTransaction,
  stakingTransactionHash,
  stakingTransactionSender,
} from "../staking/transactions.ts";
import { registryEntryOf, type ValidatorWrapper } from "../staking/validator.ts";
import {
  type StakingBlock,
  type StakingLog,
  verifyAndCollectRewards,
  verifyAndCreateValidator,
  verifyAndDelegate,
  verifyAndEditValidator,
  verifyAndUndelegate,
} from "../staking/verify.ts";
import {
  firstElectionEpochOf,
  setValidatorFlag,
  validatorWrapperOf,
  writeValidatorWrapper,
} from "./state.ts";

/** What the staking rules read from the chain's records (as of the block's parent). */
export interface StakingRecords {
  /** The validator list. */
  validators: readonly Uint8Array[];
  /** A delegator's delegation indexes. */
  delegationIndexes: (delegator: Uint8Array) => DelegationIndex[];
  /** The commission rate in a validator's snapshot of the parent's epoch, or null. */
  snapshotRate: (validator: Uint8Array) => Dec | null;
  /** Harmony's own BLS keys for the block's epoch. */
  harmonyKeys: Uint8Array[];
}

/** Records for a chain without validators (no list, no indexes, no snapshots). */
export const NO_STAKING_RECORDS: StakingRecords = {
  validators: [],
  delegationIndexes: () => [],
  snapshotRate: () => null,
  harmonyKeys: [],
};

/** What one staking transaction did. */
export interface AppliedStakingTransaction {
  /** The sender. */
  sender: Uint8Array;
  /** The decoded message. */
  message: StakeMessage;
  /** The receipt (before `S3` the caller fills in the post-state root). */
  receipt: Receipt;
  /** Where the fee went. */
  fee: FeeSplit;
}

/** What a verifier asks to write: wrappers, one balance change, logs. */
interface StakingWrites {
  wrappers: ValidatorWrapper[];
  created: boolean;
  debit: bigint;
  credit: bigint;
  logs: StakingLog[];
}

/** The wrappers of the listed validators in the current state, as a registry. */
function registryOf(state: WorldState, records: StakingRecords) {
  const entries = [];
  for (const address of records.validators) {
    const w = validatorWrapperOf(state, address);
    require(w !== null, "chain/validator-record-missing");
    entries.push(registryEntryOf(w));
  }
  return entries;
}

/** The wrappers a delegator's indexes name, and the target's, as the state holds them. */
function wrappersFor(state: WorldState, addresses: Uint8Array[]): ValidatorWrapper[] {
  const out: ValidatorWrapper[] = [];
  for (const a of addresses) {
    const w = validatorWrapperOf(state, a);
    if (w !== null) out.push(w);
  }
  return out;
}

/** Runs the verifier of the message's kind on what it reads; nothing is written here. */
function verify(
  block: StakingBlock,
  records: StakingRecords,
  state: WorldState,
  msg: StakeMessage,
): StakingWrites {
  const none = { created: false, debit: 0n, credit: 0n, logs: [] };
  switch (msg.directive) {
    case Directive.CreateValidator: {
      const address = msg.body.validatorAddress;
      const r = verifyAndCreateValidator(block, {
        message: msg.body,
        balance: balanceOf(state, addressKey(address)),
        isValidator: isValidatorAccount(state, addressKey(address)),
        registry: registryOf(state, records),
        harmonyKeys: records.harmonyKeys,
      });
      return { ...none, wrappers: [r.wrapper], created: true, debit: r.balanceDebit };
    }
    case Directive.EditValidator: {
      const address = msg.body.validatorAddress;
      const r = verifyAndEditValidator(block, {
        message: msg.body,
        wrapper: validatorWrapperOf(state, address),
        registry: registryOf(state, records),
        harmonyKeys: records.harmonyKeys,
        firstElectionEpoch: firstElectionEpochOf(state, address),
        snapshotRate: records.snapshotRate(address),
      });
      return { ...none, wrappers: [r.wrapper] };
    }
    case Directive.Delegate:
      return delegateWrites(block, records, state, msg.body);
    case Directive.Undelegate: {
      const wrapper = validatorWrapperOf(state, msg.body.validatorAddress);
      const r = verifyAndUndelegate(block, { message: msg.body, wrapper });
      return { ...none, wrappers: [r.wrapper] };
    }
    default:
      return collectWrites(records, state, msg.body);
  }
}

/** Delegate: the target's and the indexed validators' wrappers, the delegator's balance. */
function delegateWrites(
  block: StakingBlock,
  records: StakingRecords,
  state: WorldState,
  body: Extract<StakeMessage, { directive: 2 }>["body"],
): StakingWrites {
  const indexes = records.delegationIndexes(body.delegatorAddress);
  const addresses = [body.validatorAddress, ...indexes.map((i) => i.validatorAddress)];
  const r = verifyAndDelegate(block, {
    message: body,
    balance: balanceOf(state, addressKey(body.delegatorAddress)),
    wrappers: wrappersFor(state, addresses),
    delegationIndexes: indexes,
  });
  return { wrappers: r.wrappers, created: false, debit: r.balanceDebit, credit: 0n, logs: r.logs };
}

/** CollectRewards: the indexed validators' wrappers. */
function collectWrites(
  records: StakingRecords,
  state: WorldState,
  body: Extract<StakeMessage, { directive: 4 }>["body"],
): StakingWrites {
  const indexes = records.delegationIndexes(body.delegatorAddress);
  const r = verifyAndCollectRewards({
    message: body,
    wrappers: wrappersFor(state, indexes.map((i) => i.validatorAddress)),
    delegationIndexes: indexes,
  });
  return {
    wrappers: r.wrappers,
    created: false,
    debit: 0n,
    credit: r.balanceCredit,
    logs: r.logs,
  };
}

/** Writes what a verifier returned (Go's `...Fn` functions of core/evm.go). */
function write(state: WorldState, account: string, msg: StakeMessage, w: StakingWrites): void {
  for (const wrapper of w.wrappers) writeValidatorWrapper(state, wrapper);
  if (w.created) setValidatorFlag(state, w.wrappers[0].validator.address);
  if (w.debit > 0n) subBalance(state, account, w.debit);
  if (msg.directive === Directive.CollectRewards) addBalance(state, account, w.credit);
}

/** Step 1: the sender and a known directive. */
function senderOf(tx: StakingTransaction): Uint8Array {
  const sender = stakingTransactionSender(tx);
  const known = tx.directive >= Directive.CreateValidator &&
    tx.directive <= Directive.CollectRewards;
  require(known, "staking/invalid-directive", `${tx.directive}`);
  return sender;
}

/** Steps 4–6: nonce, message, signer, verification and writes; returns the message and logs. */
function execute(
  config: NetworkConfig,
  env: BlockEnv,
  records: StakingRecords,
  state: WorldState,
  tx: StakingTransaction,
  sender: Uint8Array,
): { message: StakeMessage; logs: Log[] } {
  const key = addressKey(sender);
  setNonce(state, key, nonceOf(state, key) + 1n);
  const message = decodeStakeMessage(tx.directive, tx.message);
  requireStakingSigner(message, sender);
  const block = { config, epoch: env.epoch, blockNumber: env.blockNumber };
  const writes = verify(block, records, state, message);
  // The verifier checked the balance; the debit comes from the message's account (the sender).
  write(state, key, message, writes);
  return { message, logs: writes.logs };
}

/**
 * Applies one staking transaction of a block (Go `ApplyStakingTransaction`; see the module notes).
 *
 * @param config the network
 * @param env the block
 * @param records the chain's staking records as of the parent block
 * @param state the state (written; restored on rejection)
 * @param pool the block's gas pool (updated; restored on rejection)
 * @param tx the transaction
 * @param cumulativeGasUsed gas used by the block's earlier transactions
 * @returns the sender, message, receipt and fee split
 * @throws {SpecError} the codes of `stakingTransactionSender`, `staking/invalid-directive`, the
 *   codes of `checkNonceAndGas`, `execution/intrinsic-gas-too-low`, the codes of
 *   `decodeStakeMessage`, `staking/invalid-signer`, and the verifiers' codes
 */
export function applyStakingTransaction(
  config: NetworkConfig,
  env: BlockEnv,
  records: StakingRecords,
  state: WorldState,
  pool: GasPool,
  tx: StakingTransaction,
  cumulativeGasUsed: bigint,
): AppliedStakingTransaction {
  const sender = senderOf(tx);
  const key = addressKey(sender);
  checkNonceAndGas(state, pool, key, tx);
  const mark = snapshot(state);
  subBalance(state, key, tx.gasLimit * tx.gasPrice);
  pool.remaining -= tx.gasLimit;
  try {
    const intrinsic = stakingIntrinsicGas(config, env.epoch, tx.directive, tx.message);
    require(tx.gasLimit >= intrinsic, "execution/intrinsic-gas-too-low", `${intrinsic}`);
    const { message, logs } = execute(config, env, records, state, tx, sender);
    const settled = refundAndCollect(config, env, state, pool, key, tx, tx.gasLimit - intrinsic);
    finaliseTransaction(state, isActive(config, "S3", env.epoch));
    const kept = isActive(config, "ReceiptLog", env.epoch) ? logs : [];
    const receipt: Receipt = {
      postState: null,
      status: 1,
      cumulativeGasUsed: cumulativeGasUsed + settled.gasUsed,
      bloom: logsBloom(kept),
      logs: kept,
      txHash: stakingTransactionHash(tx),
      contractAddress: null,
      gasUsed: settled.gasUsed,
      effectiveGasPrice: tx.gasPrice,
    };
    return { sender, message, receipt, fee: settled.fee };
  } catch (e) {
    revertToSnapshot(state, mark);
    pool.remaining += tx.gasLimit;
    throw e;
  }
}

/**
 * `applyStakingTransaction` for a chain without validators ({@link NO_STAKING_RECORDS}), in the
 * shape of `BlockContext.applyStaking`: for executing blocks outside a chain (tests, vectors of
 * the execution rules).
 *
 * @param config the network
 * @param state the state
 * @param env the block
 * @param pool the block's gas pool
 * @param tx the transaction
 * @param cumulativeGasUsed gas used by the block's earlier transactions
 * @returns as {@link applyStakingTransaction}
 * @throws {SpecError} as {@link applyStakingTransaction}
 */
export function applyStakingWithoutRecords(
  config: NetworkConfig,
  state: WorldState,
  env: BlockEnv,
  pool: GasPool,
  tx: StakingTransaction,
  cumulativeGasUsed: bigint,
): AppliedStakingTransaction {
  return applyStakingTransaction(
    config,
    env,
    NO_STAKING_RECORDS,
    state,
    pool,
    tx,
    cumulativeGasUsed,
  );
}
