/**
 * The independent side of the contract and block cases: `@ethereumjs/vm` (an Ethereum
 * implementation the spec does not use for state, roots or fees) runs the same transactions
 * from the same accounts, and `@ethereumjs/statemanager` computes state roots.
 *
 * The Ethereum package pays each transaction's whole fee to the block's coinbase; Harmony pays
 * it by era (to the leader, to nobody, or to fee collectors). The oracle takes the fees back from
 * the coinbase after the transactions and credits them as the case says, so the roots compare
 * the whole state. Harmony's own rules (validator code, cross-shard value) are not known to the
 * package; cases for them state their expectations by hand instead.
 *
 * @module
 */
import { createCustomCommon, Mainnet } from "@ethereumjs/common";
import { MerkleStateManager } from "@ethereumjs/statemanager";
import { createLegacyTx } from "@ethereumjs/tx";
import { Account, Address } from "@ethereumjs/util";
import { createVM, runTx } from "@ethereumjs/vm";
import { bigintToBytes, bigintToFixedBytes } from "../../../spec/encoding/bytes.ts";
import type { AccountInit } from "../../../spec/execution/state.ts";

/** A transaction for the oracle: its fields and the signing key. */
export interface OracleTx {
  /** The sender's private key. */
  key: Uint8Array;
  /** Nonce. */
  nonce: bigint;
  /** Gas price. */
  gasPrice: bigint;
  /** Gas limit. */
  gasLimit: bigint;
  /** Recipient, `null` to create. */
  to: Uint8Array | null;
  /** Value. */
  value: bigint;
  /** Data. */
  data: Uint8Array;
  /** A cross-shard transfer: the value leaves the shard. */
  crossShard?: boolean;
}

/** What the oracle saw of one transaction. */
export interface OracleOutcome {
  /** Gas used, refund included. */
  gasUsed: bigint;
  /** 1 for success, 0 for failure. */
  status: number;
  /** The logs: address, topics, data. */
  logs: [Uint8Array, Uint8Array[], Uint8Array][];
}

/** Where a fee goes: the credits of one transaction's fee. */
export type FeeRule = (fee: bigint) => [Uint8Array, bigint][];

/** Writes accounts into a state manager. */
async function putAccounts(sm: MerkleStateManager, accounts: AccountInit[]): Promise<void> {
  for (const a of accounts) {
    const address = new Address(a.address);
    await sm.putAccount(address, new Account(a.nonce ?? 0n, a.balance));
    if ((a.code ?? new Uint8Array(0)).length > 0) await sm.putCode(address, a.code!);
    for (const [slot, value] of a.storage ?? []) {
      await sm.putStorage(address, bigintToFixedBytes(slot, 32), bigintToBytes(value));
    }
  }
}

/**
 * The state root of the given accounts, by `@ethereumjs/statemanager`.
 *
 * @param accounts the accounts
 * @returns the root
 */
export async function oracleRoot(accounts: AccountInit[]): Promise<Uint8Array> {
  const sm = new MerkleStateManager();
  await putAccounts(sm, accounts);
  return await sm.getStateRoot();
}

/** Where the oracle sends a cross-shard transfer, then drops it: nobody on the shard keeps it. */
const SINK = new Address(new Uint8Array(20).fill(0xee));

/**
 * Runs transactions in order with `@ethereumjs/vm` at a hardfork. After each, its fee is taken
 * from the coinbase (the zero address) and credited where `feeTo` says, and a transfer marked
 * cross-shard (sent to a sink address in the package) is taken out of the shard. Then `credits`
 * are added (incoming cross-shard receipts).
 *
 * @param hardfork the package hardfork with the rules of the epoch
 * @param chainId the chain ID `CHAINID` returns
 * @param pre the accounts before
 * @param txs the transactions
 * @param feeTo where each transaction's fee goes
 * @param credits balances to add at the end
 * @returns each transaction's outcome, the state root after each, and the final state root
 */
export async function oracleRun(
  hardfork: string,
  chainId: bigint,
  pre: AccountInit[],
  txs: OracleTx[],
  feeTo: FeeRule,
  credits: [Uint8Array, bigint][] = [],
): Promise<{ outcomes: OracleOutcome[]; roots: Uint8Array[]; root: Uint8Array }> {
  const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork });
  const stateManager = new MerkleStateManager({ common });
  const vm = await createVM({ common, stateManager });
  await putAccounts(stateManager, pre);
  const credit = async (address: Uint8Array, amount: bigint) => {
    const a = new Address(address);
    const account = (await stateManager.getAccount(a)) ?? new Account();
    account.balance += amount;
    await stateManager.putAccount(a, account);
  };
  const outcomes: OracleOutcome[] = [];
  const roots: Uint8Array[] = [];
  for (const t of txs) {
    const { nonce, gasPrice, gasLimit, value, data } = t;
    const to = t.crossShard ? SINK : t.to === null ? undefined : new Address(t.to);
    const tx = createLegacyTx({ nonce, gasPrice, gasLimit, to, value, data }, { common })
      .sign(t.key);
    const r = await runTx(vm, {
      tx,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
    });
    outcomes.push({
      gasUsed: r.totalGasSpent,
      status: r.execResult.exceptionError === undefined ? 1 : 0,
      logs: r.execResult.logs ?? [],
    });
    await stateManager.deleteAccount(new Address(new Uint8Array(20)));
    if (t.crossShard) await stateManager.deleteAccount(SINK);
    for (const [address, amount] of feeTo(r.totalGasSpent * gasPrice)) {
      await credit(address, amount);
    }
    roots.push(await stateManager.getStateRoot());
  }
  for (const [address, amount] of credits) await credit(address, amount);
  return { outcomes, roots, root: await stateManager.getStateRoot() };
}
