/**
 * Admission of a transaction to the pool: the checks a node makes before it gossips or proposes
 * a transaction.
 *
 * These are node policy, not consensus: a block is judged by `applyTransaction` alone. They are
 * specified because clients should refuse the same transactions for the same reasons, and
 * because some of them (size, minimum gas price) exist only here. In Go's order
 * (`TxPool.validateTx`):
 *
 * 1. the transaction is for this node's shard (`execution/wrong-shard`);
 * 2. its encoding is smaller than 128 KiB (`execution/oversized-data`);
 * 3. its value is not negative (`execution/negative-value`: impossible for a decoded transaction,
 *    possible for one built by an RPC caller);
 * 4. its gas limit is at most the current block gas limit (`execution/gas-limit-exceeds-block`);
 * 5. its signature recovers a sender under the chain ID it claims (`execution/invalid-signature`;
 *    the chain ID itself is checked when the transaction is applied);
 * 6. its gas price is at least the node's minimum (`execution/gas-price-too-low`; 100 gwei by
 *    default), unless the sender is local;
 * 7. its nonce is not below the sender's (`execution/nonce-too-low`; a higher nonce waits in the
 *    queue);
 * 8. the sender can pay `value + gasLimit × gasPrice` (`execution/insufficient-funds`);
 * 9. its gas limit covers the intrinsic gas (`execution/intrinsic-gas-too-low`).
 *
 * The allow list and block list of Go's pool are operator configuration and are left out.
 *
 * @see github.com/harmony-one/harmony core/tx_pool.go (validateTx, ErrOversizedData, ...)
 * @see github.com/harmony-one/harmony core/types/tx_pool.go (MaxPoolTransactionDataSize)
 * @module
 */
import { require, type SpecError } from "../errors.ts";
import type { NetworkConfig } from "../params/mod.ts";
import { intrinsicGas } from "./gas.ts";
import { addressKey, balanceOf, nonceOf, type WorldState } from "./state.ts";
import { encodeTransaction, ownSigner, recoverSender, type Transaction } from "./transaction.ts";

/** Largest encoded transaction the pool accepts, exclusive, in bytes (Go 128 × 1024). */
export const MAX_POOL_TRANSACTION_SIZE = 128n * 1024n;

/** Default minimum gas price of the pool: 100 gwei (Go `PriceLimit` default). */
export const DEFAULT_MIN_GAS_PRICE = 100_000_000_000n;

/** The node's view when admitting a transaction. */
export interface PoolView {
  /** This node's shard. */
  shardId: bigint;
  /** Epoch of the current block (for the intrinsic-gas rules). */
  epoch: bigint;
  /** Gas limit of the current block. */
  blockGasLimit: bigint;
  /** Minimum gas price for transactions from non-local senders. */
  minGasPrice: bigint;
  /** Whether the transaction comes from a local sender (exempt from the minimum price). */
  local: boolean;
  /** The state at the current block. */
  state: WorldState;
}

/**
 * Checks a transaction for admission to the pool (Go `validateTx` for plain transactions).
 *
 * @param config the network
 * @param view the node's current view
 * @param tx the transaction
 * @param recovered the outcome of `recoverSender(ownSigner(tx), tx)` when the node already has
 *   it (a sender, or the error it raised), so that recovery can run ahead of admission, e.g. on
 *   another thread; recovered here otherwise. The checks and their order are the same.
 * @returns the sender
 * @throws {SpecError} the codes listed in the module documentation, in that order
 */
export function validatePoolTransaction(
  config: NetworkConfig,
  view: PoolView,
  tx: Transaction,
  recovered?: Uint8Array | SpecError,
): Uint8Array {
  require(tx.shardId === view.shardId, "execution/wrong-shard");
  // A negative value has no encoding: it is measured as zero here and refused just below.
  const measured = tx.value < 0n ? { ...tx, value: 0n } : tx;
  const size = BigInt(encodeTransaction(measured).length);
  require(size < MAX_POOL_TRANSACTION_SIZE, "execution/oversized-data", `${size} bytes`);
  require(tx.value >= 0n, "execution/negative-value");
  require(tx.gasLimit <= view.blockGasLimit, "execution/gas-limit-exceeds-block");
  if (recovered instanceof Error) throw recovered;
  const sender = recovered ?? recoverSender(ownSigner(tx), tx);
  require(view.local || tx.gasPrice >= view.minGasPrice, "execution/gas-price-too-low");
  const key = addressKey(sender);
  require(nonceOf(view.state, key) <= tx.nonce, "execution/nonce-too-low");
  const cost = tx.value + tx.gasLimit * tx.gasPrice;
  require(balanceOf(view.state, key) >= cost, "execution/insufficient-funds");
  const kind = tx.to === null ? "create" : "call";
  require(
    tx.gasLimit >= intrinsicGas(config, view.epoch, tx.data, kind),
    "execution/intrinsic-gas-too-low",
  );
  return sender;
}
