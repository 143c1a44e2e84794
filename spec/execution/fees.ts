/**
 * Where transaction fees go, by era, and the supply accounting that follows.
 *
 * A transaction pays `fee = gasUsed × gasPrice` (Harmony has no base fee: the effective gas price
 * is the transaction's own). The sender has already paid it (it prepaid its gas limit and got the
 * unused part back). Who receives it depends on the epoch of the block (Go `collectGas`):
 *
 * 1. **Before `Staking`**: the block's coinbase (the leader) receives the whole fee.
 * 2. **From `Staking`**, when the sharding instance of the epoch has no fee collectors: nobody.
 *    The fee is *burnt*: it leaves the supply.
 * 3. **When the instance has fee collectors** (mainnet from `FeeCollect`, via the instance's
 *    collector list): each collector receives `TruncateInt(share × fee)`, its Dec share of the
 *    fee truncated to an integer. Shares sum to one, but each is truncated on its own, so up to
 *    one atto per collector is still burnt (an odd fee split 50/50 burns one atto).
 *
 * The product is computed with Harmony's Dec (`numeric/decimal.ts`): `Dec(fee)` is `fee × 10^18`,
 * so the product's rounding never applies and a collector receives `⌊fee × share⌋` exactly.
 *
 * **Supply accounting.** Total supply changes only by issuance (block rewards, elsewhere) minus
 * what is burnt. {@link FeeSplit} reports the burnt amount of each transaction, so a block's
 * effect on the sum of all balances is exactly `−Σ burnt` plus incoming cross-shard credits minus
 * outgoing cross-shard debits (those move supply between shards).
 *
 * @see github.com/harmony-one/harmony core/state_transition.go (collectGas)
 * @see github.com/harmony-one/harmony internal/configs/sharding/instance.go (FeeCollectors)
 * @module
 */
import { isActive, type NetworkConfig } from "../params/mod.ts";
import { decFromInt, decFromMantissa, decMul, decTruncateInt } from "../numeric/decimal.ts";
import { instanceForEpoch } from "../sharding/schedule.ts";

/** One recipient of a fee and its amount. */
export interface FeeCredit {
  /** The recipient's address. */
  address: Uint8Array;
  /** The amount credited, in atto. */
  amount: bigint;
}

/** How one transaction's fee is distributed. */
export interface FeeSplit {
  /** Recipients and amounts, in the order they are credited (none when all is burnt). */
  credits: FeeCredit[];
  /** The part of the fee credited to nobody. */
  burnt: bigint;
}

/**
 * Distributes a fee under the rule of the epoch (Go `collectGas`).
 *
 * @param config the network
 * @param epoch the epoch of the block
 * @param coinbase the block's coinbase (the leader's account)
 * @param fee gas used × gas price
 * @returns the credits and the burnt remainder
 * @throws {SpecError} `numeric/overflow` for a fee beyond Dec's range (more than 2^255 atto)
 */
export function feeShares(
  config: NetworkConfig,
  epoch: bigint,
  coinbase: Uint8Array,
  fee: bigint,
): FeeSplit {
  if (!isActive(config, "Staking", epoch)) {
    return { credits: [{ address: coinbase, amount: fee }], burnt: 0n };
  }
  // [New in Staking] fees are burnt, unless [New in FeeCollect] the instance names collectors.
  const collectors = instanceForEpoch(config, epoch).feeCollectors;
  const credits: FeeCredit[] = [];
  let paid = 0n;
  for (const c of collectors) {
    const amount = decTruncateInt(decMul(decFromMantissa(c.share), decFromInt(fee)));
    credits.push({ address: c.address, amount });
    paid += amount;
  }
  return { credits, burnt: fee - paid };
}
