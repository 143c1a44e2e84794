/**
 * Gas: the intrinsic cost of a transaction, the refund cap, and the block's gas pool.
 *
 * **Intrinsic gas** is charged before any code runs (Go `IntrinsicGas`):
 *
 * | part                                   | gas                                        |
 * | -------------------------------------- | ------------------------------------------ |
 * | base, transaction                      | 21 000                                     |
 * | base, contract creation (from `S3`)    | 53 000 (before `S3`, 21 000 like any call) |
 * | base, create-validator staking tx      | 5 300 000 (hook for the staking part)      |
 * | each zero byte of data                 | 4                                          |
 * | each non-zero byte of data             | 68; 16 from `Istanbul` (EIP-2028)          |
 *
 * Harmony's "homestead" flag for the creation price is its `S3` feature.
 *
 * **Refund.** After execution, the sender gets back the unused gas plus a refund (storage
 * clearing, self-destruct) capped at half of the gas used (Go `refundGas`), all at the
 * transaction's gas price.
 *
 * **Gas pool.** A block offers its gas limit; each transaction takes its whole gas limit from
 * the pool before it runs and returns what it did not use (Go `GasPool`). A transaction whose gas
 * limit exceeds what is left is rejected, which makes the block invalid.
 *
 * @see github.com/harmony-one/harmony core/vm/gas.go (IntrinsicGas)
 * @see github.com/harmony-one/harmony internal/params/protocol_params.go
 * @see github.com/harmony-one/harmony core/state_transition.go (buyGas, refundGas)
 * @module
 */
import { isActive, type NetworkConfig } from "../params/mod.ts";

/** Gas constants (Go `internal/params/protocol_params.go`). */
export const GAS = {
  /** Base cost of every transaction that does not create a contract. */
  tx: 21_000n,
  /** Base cost of a contract creation, from `S3`. */
  txContractCreation: 53_000n,
  /** Base cost of a create-validator staking transaction. */
  txValidatorCreation: 5_300_000n,
  /** Per zero byte of data. */
  txDataZero: 4n,
  /** Per non-zero byte of data before `Istanbul`. */
  txDataNonZeroFrontier: 68n,
  /** Per non-zero byte of data from `Istanbul` (EIP-2028). */
  txDataNonZeroIstanbul: 16n,
  /** Largest contract code a creation may store, in bytes (EIP-170, from `EIP155`). */
  maxCodeSize: 24_576n,
  /** Divisor of the refund cap: at most gas used / 2 is refunded. */
  refundQuotient: 2n,
} as const;

/** What a transaction is, for its intrinsic gas. */
export type IntrinsicKind = "call" | "create" | "create-validator";

/**
 * The intrinsic gas of a transaction (Go `IntrinsicGas`).
 *
 * @param config the network
 * @param epoch the epoch of the block
 * @param data the transaction's data
 * @param kind `create` for a contract creation (no recipient), `create-validator` for the staking
 *   transaction of that kind, `call` otherwise
 * @returns the gas charged before execution
 */
export function intrinsicGas(
  config: NetworkConfig,
  epoch: bigint,
  data: Uint8Array,
  kind: IntrinsicKind,
): bigint {
  const homestead = isActive(config, "S3", epoch);
  let gas: bigint = GAS.tx;
  if (kind === "create" && homestead) gas = GAS.txContractCreation;
  else if (kind === "create-validator") gas = GAS.txValidatorCreation;
  let nonZero = 0n;
  for (const byte of data) if (byte !== 0) nonZero++;
  const zero = BigInt(data.length) - nonZero;
  // [Modified in Istanbul] EIP-2028 lowers the price of a non-zero byte.
  const perNonZero = isActive(config, "Istanbul", epoch)
    ? GAS.txDataNonZeroIstanbul
    : GAS.txDataNonZeroFrontier;
  return gas + nonZero * perNonZero + zero * GAS.txDataZero;
}

/**
 * The refund granted at the end of a transaction (Go `refundGas`): the refund counter, capped at
 * half of the gas used.
 *
 * @param gasUsed gas used before the refund
 * @param refundCounter the refunds accumulated during execution
 * @returns the gas given back
 */
export function cappedRefund(gasUsed: bigint, refundCounter: bigint): bigint {
  const cap = gasUsed / GAS.refundQuotient;
  return refundCounter < cap ? refundCounter : cap;
}
