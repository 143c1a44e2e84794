import { test } from "node:test";
import assert from "node:assert/strict";
import { fromHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../spec/params/mod.ts";
import { type Header, headerHash, newHeaderAt } from "../../spec/chain/header.ts";
import { type Block, emptyBody } from "../../spec/chain/body.ts";
import { EMPTY_ROOT_HASH } from "../../spec/chain/derive-sha.ts";
import { applyBlock, type BlockContext, buildBlock } from "../../spec/execution/block.ts";
import { applyStakingWithoutRecords } from "../../spec/chain/staking-tx.ts";
import {
  buildCxReceiptsProof,
  decodeCxReceiptsProof,
  encodeCxReceiptsProof,
} from "../../spec/sharding/cx-proof.ts";
import { stateRoot } from "../../spec/execution/state-root.ts";
import {
  addressKey,
  balanceOf,
  stateFromAccounts,
  totalBalance,
  type WorldState,
} from "../../spec/execution/state.ts";
import { encodeTransaction } from "../../spec/execution/transaction.ts";
import { envAt, signFor, testAddress } from "./support.ts";
import { ONE } from "../../spec/staking/validator.ts";

function genesis(): WorldState {
  const state = stateFromAccounts(
    [1, 2, 3].map((i) => ({ address: testAddress(i), balance: ONE })),
  );
  stateRoot(state);
  return state;
}

function parentOf(config: NetworkConfig, epoch: bigint, shardId: bigint, root: Uint8Array): Header {
  return { ...newHeaderAt(config, epoch), number: 99n, shardId, root, gasLimit: 30_000_000n };
}

function contextFor(parent: Header, spent: Set<string> = new Set()): BlockContext {
  return {
    parent,
    beneficiary: fromHex("00000000000000000000000000000000000c0b1e"),
    spent,
    blockHash: () => new Uint8Array(32),
    vrfOfBlock: () => new Uint8Array(32),
    checkCommit: () => {},
    verifyHeader: () => {},
    applyStaking: applyStakingWithoutRecords,
    finalize: () => {},
  };
}

/** A block template on `parent` with the given transactions. */
function template(
  config: NetworkConfig,
  parent: Header,
  txs: Uint8Array[],
  incoming: Uint8Array[] = [],
): Block {
  const header = {
    ...newHeaderAt(config, parent.epoch),
    parentHash: headerHash(parent),
    number: parent.number + 1n,
    shardId: parent.shardId,
    gasLimit: 30_000_000n,
    time: 1_700_000_000n,
  };
  return { header, body: { ...emptyBody(), transactions: txs, incomingReceipts: incoming } };
}

async function validBlock(config: NetworkConfig, epoch: bigint) {
  const base = genesis();
  const parent = parentOf(config, epoch, 0n, stateRoot(base));
  const env = envAt(epoch);
  const txs = [
    signFor(config, env, 1, { value: 5n }),
    signFor(config, env, 2, { value: 7n, to: testAddress(1) }),
    signFor(config, env, 1, { nonce: 1n, value: 9n, toShardId: 1n }),
  ].map(encodeTransaction);
  const ctx = contextFor(parent);
  const { block, result } = await buildBlock(config, base, template(config, parent, txs), ctx);
  return { base, parent, ctx, block, built: result };
}

test("a built block applies, and the state moves by exactly its transactions", async () => {
  const { base, ctx, block, built } = await validBlock(LOCALNET, 3n);
  const result = await applyBlock(LOCALNET, base, block, ctx);
  assert.deepEqual(stateRoot(result.state), block.header.root);
  assert.equal(result.receipts.length, 3);
  assert.equal(result.cxReceipts.length, 1);
  assert.equal(result.gasUsed, 63_000n);
  assert.equal(built.gasUsed, 63_000n);
  assert.equal(balanceOf(result.state, addressKey(testAddress(99))), 5n);
  // The input state is untouched; the supply moved by the burnt fees and the cross-shard value.
  assert.equal(totalBalance(base), 3n * ONE);
  assert.equal(totalBalance(result.state), 3n * ONE - result.burnt - 9n);
});

test("before S3 each receipt records the intermediate state root", async () => {
  const { base, ctx, block } = await validBlock(MAINNET, 10n);
  const result = await applyBlock(MAINNET, base, block, ctx);
  assert.ok(result.receipts.every((r) => r.postState !== null && r.postState.length === 32));
  assert.deepEqual(result.receipts.at(-1)!.postState, block.header.root);
});

test("every mismatch between the header and the execution has its code", async () => {
  const { base, ctx, block } = await validBlock(LOCALNET, 3n);
  const h = block.header;
  const bump = (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 0 ? x ^ 1 : x));
  const cases: [SpecErrorCode, Partial<Header>][] = [
    ["execution/block-parent-mismatch", { parentHash: bump(h.parentHash) }],
    ["execution/block-number-mismatch", { number: h.number + 1n }],
    ["execution/block-wrong-shard", { shardId: 1n }],
    ["execution/tx-root-mismatch", { txHash: bump(h.txHash) }],
    ["cxproof/incoming-root-mismatch", { incomingReceiptHash: bump(h.incomingReceiptHash) }],
    ["execution/gas-used-mismatch", { gasUsed: h.gasUsed + 1n }],
    ["execution/bloom-mismatch", { bloom: bump(h.bloom) }],
    ["execution/receipt-root-mismatch", { receiptHash: bump(h.receiptHash) }],
    ["execution/outgoing-root-mismatch", { outgoingReceiptHash: EMPTY_ROOT_HASH }],
    ["execution/state-root-mismatch", { root: bump(h.root) }],
    ["execution/block-gas-exhausted", { gasLimit: 40_000n }],
  ];
  for (const [code, change] of cases) {
    await assert.rejects(
      applyBlock(LOCALNET, base, { ...block, header: { ...h, ...change } }, ctx),
      (e) => isSpecError(e, code),
      code,
    );
  }
  const withStaking = {
    ...block,
    body: { ...block.body, stakingTransactions: [Uint8Array.of(0xc0)] },
  };
  await assert.rejects(
    applyBlock(LOCALNET, base, withStaking, ctx),
    (e) => isSpecError(e, "execution/tx-root-mismatch"),
  );
});

test("a cross-shard transfer arrives on the destination shard through a verified proof, once", async () => {
  const source = await validBlock(LOCALNET, 3n);
  const cx = source.built.cxReceipts;
  const proof = buildCxReceiptsProof(
    LOCALNET,
    source.block.header,
    cx,
    1n,
    new Uint8Array(96),
    Uint8Array.of(1),
  )!;
  const encoded = encodeCxReceiptsProof(proof);
  assert.deepEqual(encodeCxReceiptsProof(decodeCxReceiptsProof(encoded)), encoded);
  const destBase = genesis();
  const destParent = parentOf(LOCALNET, 3n, 1n, stateRoot(destBase));
  const ctx = contextFor(destParent);
  const { block } = await buildBlock(
    LOCALNET,
    destBase,
    template(LOCALNET, destParent, [], [encoded]),
    ctx,
  );
  const result = await applyBlock(LOCALNET, destBase, block, ctx);
  assert.equal(balanceOf(result.state, addressKey(testAddress(99))), 9n);
  assert.deepEqual([...result.spent], ["0:100"]);
  // Replaying the same proof in a later block is refused.
  const next = contextFor({ ...block.header }, result.spent);
  const again = template(LOCALNET, block.header, [], [encoded]);
  await assert.rejects(
    buildBlock(LOCALNET, result.state, again, next),
    (e) => isSpecError(e, "cxproof/already-spent"),
  );
  // A forged amount breaks the proof.
  const forged = { ...proof, receipts: [{ ...proof.receipts[0], amount: 10n ** 20n }] };
  await assert.rejects(
    buildBlock(
      LOCALNET,
      destBase,
      template(LOCALNET, destParent, [], [encodeCxReceiptsProof(forged)]),
      ctx,
    ),
    (e) => isSpecError(e, "cxproof/receipts-root-mismatch"),
  );
  // A proof whose header is not the block it names is refused.
  const otherHeader = { ...proof, header: { ...proof.header, time: 5n } };
  await assert.rejects(
    buildBlock(
      LOCALNET,
      destBase,
      template(LOCALNET, destParent, [], [encodeCxReceiptsProof(otherHeader)]),
      ctx,
    ),
    (e) => isSpecError(e, "cxproof/header-mismatch"),
  );
  // The commit-signature hook is consulted.
  const refuse = {
    ...ctx,
    checkCommit: () => {
      throw new Error("hook called");
    },
  };
  await assert.rejects(
    buildBlock(LOCALNET, destBase, template(LOCALNET, destParent, [], [encoded]), refuse),
    /hook called/,
  );
});
