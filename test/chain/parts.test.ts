/**
 * The chain's parts one by one: the genesis block, staking transactions in a block, the
 * proposer's gas limit and transaction selection, the consensus view, and the state roots of the
 * run against `@ethereumjs/statemanager`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeBlock } from "../../spec/chain/body.ts";
import { ownLookups } from "../../spec/chain/context.ts";
import { genesisChain } from "../../spec/chain/genesis.ts";
import { type Header, headerHash, newHeaderAt } from "../../spec/chain/header.ts";
import { calcGasLimit, proposeBlock } from "../../spec/chain/propose.ts";
import { applyStakingTransaction, NO_STAKING_RECORDS } from "../../spec/chain/staking-tx.ts";
import { compactChainState, validatorWrapperOf } from "../../spec/chain/state.ts";
import { processBlock } from "../../spec/chain/process.ts";
import {
  chainAdapter,
  chainView,
  decodeConsensusBlock,
  verifyForConsensus,
  withCommitSig,
} from "../../spec/chain/view.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import type { BlockEnv } from "../../spec/execution/apply.ts";
import {
  addressKey,
  allAccounts,
  allStorage,
  balanceOf,
  childState,
  nonceOf,
  stateFromAccounts,
  type WorldState,
} from "../../spec/execution/state.ts";
import { stateRoot } from "../../spec/execution/state-root.ts";
import { MAINNET } from "../../spec/params/mod.ts";
import { decodeShardState } from "../../spec/sharding/shard-state.ts";
import { encodeStakeMessage } from "../../spec/staking/messages.ts";
import { decodeStakingTransaction } from "../../spec/staking/transactions.ts";
import { oracleRoot } from "../../conformance/cases/execution/oracle.ts";
import { catches, holds } from "../support/property.ts";
import { scenario } from "./scenario.ts";
import {
  ALICE,
  allocations,
  CONFIG,
  createValidator,
  GAS_PRICE,
  GENESIS_COMMITTEE,
  genesisOf,
  NET,
  ONE,
  proposalInput,
  stakingTx,
  transfer,
  V1,
  V1_KEYS,
} from "./world.ts";

const EMPTY_ROOT = fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

test("genesis: an empty epoch-0 block over the allocations, the shard state in legacy form", async () => {
  const { block, state } = genesisOf(0n);
  const h = block.header;
  assert.equal(h.version, 3); // localnet: PreStaking from epoch 0
  assert.equal(h.number, 0n);
  assert.equal(h.gasLimit, 80_000_000n); // Go TestGenesisGasLimit
  for (const root of [h.txHash, h.receiptHash, h.outgoingReceiptHash, h.incomingReceiptHash]) {
    assert.deepEqual(root, EMPTY_ROOT);
  }
  assert.deepEqual(h.root, await oracleRoot(allocations(0n)));
  assert.equal(decodeShardState(h.shardState).epoch, null); // the legacy form has no epoch
  assert.deepEqual(decodeShardState(h.shardState).shards, GENESIS_COMMITTEE.shards);
  assert.equal(state.supply.genesis, 1_300_000n * ONE);
  // Mainnet's genesis is a v0 header with Go's GenesisGasLimit.
  const mainnet = genesisChain({ network: MAINNET, accounts: {} }, 0n, {
    allocations: [],
    committee: GENESIS_COMMITTEE,
    timestamp: 0n,
    extra: new Uint8Array(0),
  });
  assert.equal(mainnet.block.header.version, 0);
  assert.equal(mainnet.block.header.gasLimit, 4_712_388n);
  assert.throws(
    () => genesisChain(CONFIG, 5n, { ...specOf(), committee: GENESIS_COMMITTEE }),
    (e) => isSpecError(e, "chain/genesis-shard-missing"),
  );
});

function specOf() {
  return { allocations: [], committee: GENESIS_COMMITTEE, timestamp: 0n, extra: new Uint8Array(0) };
}

/** The accounts of a world state, for the oracle. */
function accountsOf(world: WorldState) {
  return [...allAccounts(world)].map(([key, r]) => ({
    address: fromHex(key),
    balance: r.balance,
    nonce: r.nonce,
    code: r.code,
    storage: [...allStorage(r)].map(([slot, v]) => [BigInt("0x" + slot), v] as [bigint, bigint]),
  }));
}

test("the run's state roots are @ethereumjs/statemanager's roots of the same accounts", async () => {
  const s = await scenario(47n);
  for (const n of [7, 9, 20, 30, 47]) {
    const entry = s.beacon.blocks[n - 1];
    assert.deepEqual(
      entry.block.header.root,
      await oracleRoot(accountsOf(entry.processed.state.world)),
      `${n}`,
    );
  }
});

test("compacting a chain state keeps its state root and lets the chain go on", async () => {
  const s = await scenario(47n);
  const entry = s.beacon.blocks[45]; // block 46
  const state = withCommitSig(entry.processed.state, entry.commitSig);
  const compact = compactChainState(state);
  assert.equal(compact.world.parent, null);
  assert.deepEqual(stateRoot(compact.world), entry.block.header.root);
  const next = s.beacon.blocks[46];
  const a = await processBlock(compact, next.block, ownLookups(compact), next.commitSig);
  assert.deepEqual(a.state.head.root, next.block.header.root);
});

test("calcGasLimit: Go's CalcGasLimit, worked by hand", () => {
  const parent = (gasLimit: bigint, gasUsed: bigint): Header => ({
    ...newHeaderAt(NET, 0n),
    gasLimit,
    gasUsed,
  });
  // decay = 80,000,000/1024 − 1 = 78,124; no contribution.
  assert.equal(calcGasLimit(parent(80_000_000n, 0n), 30_000_000n, 120_000_000n), 79_921_876n);
  // Below the floor it climbs by the decay, capped at the floor.
  assert.equal(calcGasLimit(parent(30_000_000n, 0n), 30_000_000n, 120_000_000n), 30_000_000n);
  // A full block adds 1.5·100,000,000/1024 = 146,484 and loses 97,655.
  assert.equal(
    calcGasLimit(parent(100_000_000n, 100_000_000n), 80_000_000n, 120_000_000n),
    100_048_829n,
  );
  // Above the ceiling it falls by the decay.
  assert.equal(calcGasLimit(parent(130_000_000n, 0n), 80_000_000n, 120_000_000n), 129_873_048n);
  // Never below 5,000, then toward the floor.
  assert.equal(calcGasLimit(parent(5_000n, 0n), 30_000_000n, 120_000_000n), 5_003n);
});

test("the proposer keeps what applies, in order, and drops the rest", async () => {
  const { state } = genesisOf(0n);
  const input = proposalInput({ state, blocks: [] }, 0n, {
    transactions: [
      transfer(ALICE, { nonce: 0n }),
      transfer(ALICE, { nonce: 5n }), // nonce too high
      transfer(ALICE, { nonce: 1n }),
      transfer(ALICE, { nonce: 2n, shardId: 1n, toShardId: 1n }), // another shard
      transfer(ALICE, { nonce: 2n, value: 10n ** 30n }), // more than alice has
      transfer(ALICE, { nonce: 2n, gasLimit: 90_000_000n }), // more gas than the block
      transfer(ALICE, { nonce: 2n }),
    ],
  });
  const p = await proposeBlock(state, ownLookups(state), input);
  const kept = [0, 2, 6].map((i) => toHex(input.transactions[i]));
  assert.deepEqual(p.block.body.transactions.map(toHex), kept);
  assert.equal(nonceOf(p.state.world, addressKey(ALICE.address)), 3n);
});

test("the beacon chain's last block of an epoch carries no transactions", async () => {
  const s = await scenario(47n);
  const before = s.beacon.blocks[2].processed.state; // after block 3; block 4 ends epoch 0
  const withSig = withCommitSig(before, s.beacon.blocks[2].commitSig);
  const input = proposalInput({ state: withSig, blocks: [] }, 0n, {
    transactions: [transfer(ALICE, { nonce: 2n })],
  });
  const p = await proposeBlock(withSig, ownLookups(withSig), input);
  assert.equal(p.block.header.number, 4n);
  assert.equal(p.block.body.transactions.length, 0);
  assert.ok(p.block.header.shardState.length > 0);
});

/** A block environment of the beacon chain at an epoch. */
function envAt(epoch: bigint): BlockEnv {
  return {
    shardId: 0n,
    epoch,
    blockNumber: 7n,
    coinbase: fromHex("00000000000000000000000000000000000c0b1e"),
    gasLimit: 80_000_000n,
    timestamp: 0n,
    vrf: new Uint8Array(32),
    vrfOfBlock: () => new Uint8Array(32),
    blockHash: () => new Uint8Array(32),
  };
}

/** Intrinsic gas of a staking message, counted here: base + 4 per zero byte + 16 per other. */
function intrinsicByHand(base: bigint, message: Uint8Array): bigint {
  let gas = base;
  for (const b of message) gas += b === 0 ? 4n : 16n;
  return gas;
}

test("a CreateValidator costs its intrinsic gas, stakes its amount, and sets the flag", () => {
  const world = childState(stateFromAccounts(allocations(0n)));
  const msg = createValidator(V1, V1_KEYS, 20_000n);
  const tx = decodeStakingTransaction(stakingTx(V1, msg, 0n));
  const pool = { remaining: 80_000_000n };
  const before = balanceOf(world, addressKey(V1.address));
  const r = applyStakingTransaction(NET, envAt(1n), NO_STAKING_RECORDS, world, pool, tx, 0n);
  const gas = intrinsicByHand(5_300_000n, encodeStakeMessage(msg));
  assert.equal(r.receipt.gasUsed, gas);
  assert.equal(r.receipt.status, 1);
  assert.equal(pool.remaining, 80_000_000n - gas);
  assert.equal(before - balanceOf(world, addressKey(V1.address)), 20_000n * ONE + gas * GAS_PRICE);
  // Before Staking the fee goes to the block's coinbase.
  assert.deepEqual(r.fee.credits, [{ address: envAt(1n).coinbase, amount: gas * GAS_PRICE }]);
  const wrapper = validatorWrapperOf(world, V1.address)!;
  assert.equal(wrapper.delegations[0].amount, 20_000n * ONE);
  assert.equal(nonceOf(world, addressKey(V1.address)), 1n);
});

test("a refused staking transaction changes nothing", () => {
  const refusals: [Uint8Array, string][] = [
    [stakingTx(ALICE, createValidator(V1, V1_KEYS, 20_000n), 0n), "staking/invalid-signer"],
    [stakingTx(V1, createValidator(V1, V1_KEYS, 20_000n), 3n), "execution/nonce-too-high"],
    [stakingTx(V1, createValidator(V1, V1_KEYS, 200_000n), 0n), "staking/insufficient-balance"],
    [stakingTx(V1, createValidator(V1, V1_KEYS, 5_000n), 0n), "staking/self-delegation-too-small"],
  ];
  for (const [bytes, code] of refusals) {
    const world = childState(stateFromAccounts(allocations(0n)));
    const root = stateRoot(world);
    const pool = { remaining: 80_000_000n };
    const tx = decodeStakingTransaction(bytes);
    assert.throws(
      () => applyStakingTransaction(NET, envAt(1n), NO_STAKING_RECORDS, world, pool, tx, 0n),
      (e) => isSpecError(e) && e.code === code,
      code,
    );
    assert.deepEqual(stateRoot(world), root, code);
    assert.equal(pool.remaining, 80_000_000n, code);
  }
});

/** Balances plus stakes of the world's accounts and validators. */
function held(world: WorldState): bigint {
  let total = 0n;
  for (const r of allAccounts(world).values()) total += r.balance;
  const w = validatorWrapperOf(world, V1.address);
  for (const d of w?.delegations ?? []) total += d.amount;
  return total;
}

test("property: a CreateValidator moves tokens into stake and burns nothing before Staking", () => {
  const amounts = fc.bigInt({ min: 10_000n, max: 99_000n });
  const conserved = (apply: typeof applyStakingTransaction) =>
    fc.property(amounts, (amount) => {
      const world = childState(stateFromAccounts(allocations(0n)));
      const tx = decodeStakingTransaction(stakingTx(V1, createValidator(V1, V1_KEYS, amount), 0n));
      const before = held(world);
      const r = apply(
        NET,
        envAt(1n),
        NO_STAKING_RECORDS,
        world,
        { remaining: 80_000_000n },
        tx,
        0n,
      );
      return held(world) === before - r.fee.burnt && r.fee.burnt === 0n;
    });
  holds(conserved(applyStakingTransaction), 10);
  // A broken rule: the unused gas is not refunded to the sender (destroying it).
  const noRefund: typeof applyStakingTransaction = (c, env, rec, world, pool, tx, g) => {
    const r = applyStakingTransaction(c, env, rec, world, pool, tx, g);
    const key = addressKey(V1.address);
    const refund = (tx.gasLimit - r.receipt.gasUsed) * tx.gasPrice;
    world.accounts.get(key)!.balance -= refund;
    return r;
  };
  catches(conserved(noRefund), 10);
});

test("the consensus view: decoding, head, rotation counter, committees, verdicts", async () => {
  const s = await scenario(47n);
  const entry = s.beacon.blocks[9]; // block 10, epoch 1
  const state = withCommitSig(entry.processed.state, entry.commitSig);
  const decoded = decodeConsensusBlock(encodeBlock(entry.block));
  assert.deepEqual(decoded.header.hash, headerHash(entry.block.header));
  const view = chainView(state);
  assert.equal(view.head.number, 10n);
  assert.deepEqual(view.recent.map((h) => h.number), [10n, 9n, 8n, 7n]);
  assert.deepEqual(view.headCommitSig, entry.commitSig);
  // Slot 0 proposed every block: blocks 5–10 of epoch 1 count six.
  assert.equal(view.rotation.count, 6n);
  assert.equal(view.rotation.epoch, 1n);
  const lookups = ownLookups(state);
  const next = s.beacon.blocks[10].block; // block 11
  const verdicts = new Map<string, boolean>();
  const adapter = chainAdapter(state, lookups, (h) => verdicts.get(toHex(h)));
  const consensusBlock = decodeConsensusBlock(encodeBlock(next));
  assert.equal(adapter.verifyBlock(consensusBlock, view), false); // not verified yet
  const verdict = await verifyForConsensus(state, lookups, encodeBlock(next));
  assert.ok(verdict.valid);
  verdicts.set(toHex(verdict.hash!), verdict.valid);
  assert.equal(adapter.verifyBlock(consensusBlock, view), true);
  assert.equal(adapter.epochContext(1n).slots.length, 9);
  const bad = await verifyForConsensus(state, lookups, encodeBlock(s.beacon.blocks[11].block));
  assert.deepEqual(bad.valid ? null : bad.error, "execution/block-parent-mismatch");
});
