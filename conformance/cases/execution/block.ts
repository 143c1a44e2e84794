/**
 * Conformance cases for `execution/apply_block`: valid blocks of several transactions (transfers,
 * a contract call, a cross-shard send, and the receiving block with its proof) in three eras, and
 * blocks refused with each of `applyBlock`'s codes, including Go's order of the checks (the
 * header's results before the incoming receipts).
 *
 * The valid blocks are completed by `buildBlock` when this module loads; what the vectors expect
 * of them comes from `@ethereumjs/vm` (`oracle.ts`): the same transactions from the same
 * accounts give the same gas, statuses, logs and state root (and, before `S3`, the same
 * intermediate roots in the receipts). Refused blocks are valid ones with one thing changed, so
 * the expected code is known by construction; where a fault must be reached after the results
 * are checked, the header's state root is the oracle's.
 *
 * @module
 */
import { Hardfork } from "@ethereumjs/common";
import { encodeFunctionData } from "viem";
import { fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { encodeRlp } from "../../../spec/encoding/rlp.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  decodeHeader,
  encodeHeader,
  type Header,
  headerHash,
  newHeaderAt,
} from "../../../spec/chain/header.ts";
import { type Block, decodeBlock, emptyBody, encodeBlock } from "../../../spec/chain/body.ts";
import { deriveSha, EMPTY_ROOT_HASH } from "../../../spec/chain/derive-sha.ts";
import { type AccountInit, stateFromAccounts } from "../../../spec/execution/state.ts";
import { stateRoot } from "../../../spec/execution/state-root.ts";
import { applyBlock, type BlockContext, buildBlock } from "../../../spec/execution/block.ts";
import { applyStakingWithoutRecords } from "../../../spec/chain/staking-tx.ts";
import { decodeReceipt, encodeReceipt } from "../../../spec/execution/receipt.ts";
import { type CXReceipt, encodeCxReceipt } from "../../../spec/execution/cx-receipt.ts";
import { buildCxReceiptsProof, encodeCxReceiptsProof } from "../../../spec/sharding/cx-proof.ts";
import {
  decodeTransaction,
  transactionHash,
  type UnsignedTransaction,
} from "../../../spec/execution/transaction.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  address,
  big,
  bytes,
  COINBASE,
  GWEI_100,
  key,
  nativeSigned,
  ONE,
  readAccounts,
  writeAccounts,
} from "./common.ts";
import { type FeeRule, oracleRoot, oracleRun, type OracleTx } from "./oracle.ts";
import compiled from "./contracts/compiled.json" with { type: "json" };

// --- the handler ---------------------------------------------------------------------------------

/** The spent set of a vector. */
const readSpent = (value: unknown) =>
  new Set((value as DecodedFields[]).map((s) => `${big(s.shard_id)}:${big(s.number)}`));

function applyBlockHandler(config: NetworkConfig): Handler {
  return {
    runner: "execution",
    handler: "apply_block",
    preset: config.network,
    config: {},
    covers: ["applyBlock", "decodeBlock", "decodeHeader", "stateRoot", "encodeReceipt"],
    run: async (inputs) => {
      const ctx: BlockContext = {
        parent: decodeHeader(bytes(inputs.parent)),
        beneficiary: bytes(inputs.beneficiary),
        spent: readSpent(inputs.spent),
        blockHash: () => new Uint8Array(32),
        vrfOfBlock: () => new Uint8Array(32),
        checkCommit: () => {},
        verifyHeader: () => {},
        applyStaking: applyStakingWithoutRecords,
        finalize: () => {},
      };
      const state = stateFromAccounts(readAccounts(inputs.pre));
      const r = await applyBlock(config, state, decodeBlock(bytes(inputs.block)), ctx);
      const spent = [...r.spent].sort().map((k) => {
        const [s, n] = k.split(":");
        return { shard_id: BigInt(s), number: BigInt(n) };
      });
      return {
        root: stateRoot(r.state),
        post: writeAccounts(r.state),
        receipts: r.receipts.map(encodeReceipt),
        cx_receipts: r.cxReceipts.map(encodeCxReceipt),
        gas_used: r.gasUsed,
        burnt: r.burnt,
        spent,
      };
    },
  };
}

// --- building blocks -----------------------------------------------------------------------------

const COUNTER = compiled.contracts.Counter;
const COUNTER_AT = fromHex("000000000000000000000000000000000000c047");
const TO_A = fromHex("0000000000000000000000000000000000007e57");
const TO_B = fromHex("000000000000000000000000000000000000b0b0");
const increment = fromHex(
  encodeFunctionData({ abi: COUNTER.abi as never, functionName: "increment" } as never),
);

/** A network era with the oracle's settings. */
interface Era {
  config: NetworkConfig;
  epoch: bigint;
  hardfork: string;
  feeTo: FeeRule;
}

const halves = (collectors: { address: Uint8Array }[]): FeeRule => (fee) =>
  collectors.map((c) => [c.address, fee / 2n]);

const LOCAL: Era = {
  config: LOCALNET,
  epoch: 3n,
  hardfork: Hardfork.Istanbul,
  feeTo: halves(LOCALNET.sharding.instances[1].instance.feeCollectors),
};
const MAINNET_LATE: Era = {
  config: MAINNET,
  epoch: 1600n,
  hardfork: Hardfork.Istanbul,
  feeTo: halves(MAINNET.sharding.instances.at(-1)!.instance.feeCollectors),
};
const MAINNET_EARLY: Era = {
  config: MAINNET,
  epoch: 10n,
  hardfork: Hardfork.Chainstart,
  // Before Staking the leader (the block's beneficiary) receives the fee.
  feeTo: (fee) => [[COINBASE, fee]],
};

/** A transaction of a block: who signs it and its fields. */
interface TxSpec {
  signer: number;
  fields: Partial<UnsignedTransaction>;
}

/** The parent of the blocks of a shard: number 99, the state root of `pre`. */
async function parentFor(era: Era, shardId: bigint, pre: AccountInit[]): Promise<Header> {
  return {
    ...newHeaderAt(era.config, era.epoch),
    number: 99n,
    shardId,
    root: await oracleRoot(pre),
    gasLimit: 30_000_000n,
  };
}

const contextFor = (parent: Header, spent: Set<string> = new Set()): BlockContext => ({
  parent,
  beneficiary: COINBASE,
  spent,
  blockHash: () => new Uint8Array(32),
  vrfOfBlock: () => new Uint8Array(32),
  checkCommit: () => {},
  verifyHeader: () => {},
  applyStaking: applyStakingWithoutRecords,
  finalize: () => {},
});

/** Completes a block on `parent` with `buildBlock`. */
async function build(
  era: Era,
  parent: Header,
  pre: AccountInit[],
  transactions: Uint8Array[],
  incomingReceipts: Uint8Array[] = [],
): Promise<Block> {
  const header = {
    ...newHeaderAt(era.config, era.epoch),
    parentHash: headerHash(parent),
    number: parent.number + 1n,
    shardId: parent.shardId,
    coinbase: COINBASE,
    gasLimit: 30_000_000n,
    time: 1_700_000_000n,
  };
  const body = { ...emptyBody(), transactions, incomingReceipts };
  const ctx = contextFor(parent);
  return (await buildBlock(era.config, stateFromAccounts(pre), { header, body }, ctx)).block;
}

/** The signed native transactions of a block, with the oracle's view of each. */
function sign(era: Era, shardId: bigint, txs: TxSpec[]) {
  const encoded = txs.map((t) =>
    nativeSigned(era.config, era.epoch, t.signer, {
      shardId,
      toShardId: shardId,
      gasPrice: GWEI_100,
      ...t.fields,
    })
  );
  const oracle: OracleTx[] = encoded.map((b, i) => ({
    ...decodeTransaction(b),
    key: key(txs[i].signer),
    crossShard: (txs[i].fields.toShardId ?? shardId) !== shardId,
  }));
  return { encoded, oracle };
}

/** The vector fields of an account. */
const accountFields = (a: AccountInit): Fields => ({
  address: a.address,
  balance: a.balance,
  nonce: a.nonce ?? 0n,
  code: a.code ?? new Uint8Array(0),
  storage: (a.storage ?? []).map(([k, v]) => [k, v]),
});

/** The inputs of a block vector. */
const inputsOf = (pre: AccountInit[], parent: Header, block: Block, spent: Fields[] = []) => ({
  pre: pre.map(accountFields),
  spent,
  parent: encodeHeader(parent),
  block: encodeBlock(block),
  beneficiary: COINBASE,
});

/** Expects the outputs of a valid block to be the oracle's. */
function matchesOracle(o: Awaited<ReturnType<typeof oracleRun>>, preS3 = false) {
  return (out: DecodedFields) => {
    if (toHex(bytes(out.root)) !== toHex(o.root)) throw new Error("state root");
    const receipts = (out.receipts as Uint8Array[]).map(decodeReceipt);
    if (receipts.length !== o.outcomes.length) throw new Error("receipt count");
    let cumulative = 0n;
    for (const [i, r] of receipts.entries()) {
      cumulative += o.outcomes[i].gasUsed;
      if (r.cumulativeGasUsed !== cumulative) throw new Error(`receipt ${i} gas`);
      if (preS3 && toHex(r.postState!) !== toHex(o.roots[i])) throw new Error(`receipt ${i} root`);
      if (!preS3 && r.status !== o.outcomes[i].status) throw new Error(`receipt ${i} status`);
      if (r.logs.length !== o.outcomes[i].logs.length) throw new Error(`receipt ${i} logs`);
    }
    if (big(out.gas_used) !== cumulative) throw new Error("gas used");
  };
}

/** Expects the outgoing receipts. */
const cxOut = (want: CXReceipt[]) => (out: DecodedFields) => {
  const got = (out.cx_receipts as Uint8Array[]).map(toHex);
  if (JSON.stringify(got) !== JSON.stringify(want.map((cx) => toHex(encodeCxReceipt(cx))))) {
    throw new Error("outgoing receipts");
  }
};

const both = (...checks: ((out: DecodedFields) => void)[]) => (out: DecodedFields) =>
  checks.forEach((c) => c(out));

// --- the localnet source block (shard 0) and destination block (shard 1) -----------------------

const preSource: AccountInit[] = [
  { address: address(1), balance: ONE },
  { address: address(2), balance: ONE },
  { address: address(3), balance: ONE },
  { address: COUNTER_AT, balance: 0n, nonce: 1n, code: fromHex(COUNTER.deployedBytecode) },
];
const sourceTxs = sign(LOCAL, 0n, [
  { signer: 1, fields: { to: TO_A, value: 5n } },
  { signer: 2, fields: { to: address(1), value: 7n } },
  { signer: 1, fields: { nonce: 1n, to: TO_B, value: 9n, toShardId: 1n } },
  { signer: 3, fields: { to: COUNTER_AT, value: 0n, data: increment, gasLimit: 200_000n } },
]);
const sourceParent = await parentFor(LOCAL, 0n, preSource);
const sourceBlock = await build(LOCAL, sourceParent, preSource, sourceTxs.encoded);
const sourceOracle = await oracleRun(
  LOCAL.hardfork,
  1n,
  preSource,
  sourceTxs.oracle,
  LOCAL.feeTo,
);
const sentCx: CXReceipt = {
  txHash: transactionHash(decodeTransaction(sourceTxs.encoded[2])),
  from: address(1),
  to: TO_B,
  shardId: 0n,
  toShardId: 1n,
  amount: 9n,
};

/** The proof shard 1 receives of the source block (its commit signature is not checked here). */
const proof = buildCxReceiptsProof(
  LOCAL.config,
  sourceBlock.header,
  [sentCx],
  1n,
  new Uint8Array(96),
  Uint8Array.of(1),
)!;
const proofBytes = encodeCxReceiptsProof(proof);
const SPENT_SOURCE = { shard_id: 0n, number: sourceBlock.header.number };

const preDest: AccountInit[] = [{ address: address(4), balance: ONE }];
const destTxs = sign(LOCAL, 1n, [{ signer: 4, fields: { to: TO_A, value: 11n } }]);
const destParent = await parentFor(LOCAL, 1n, preDest);
const destBlock = await build(LOCAL, destParent, preDest, destTxs.encoded, [proofBytes]);
const destOracle = await oracleRun(LOCAL.hardfork, 1n, preDest, destTxs.oracle, LOCAL.feeTo, [
  [TO_B, 9n],
]);

// --- mainnet blocks ------------------------------------------------------------------------------

async function mainnetCase(era: Era, name: string, description: string, txs: TxSpec[]) {
  const pre = preSource;
  const signed = sign(era, 0n, txs);
  const parent = await parentFor(era, 0n, pre);
  const block = await build(era, parent, pre, signed.encoded);
  const oracle = await oracleRun(era.hardfork, 1n, pre, signed.oracle, era.feeTo);
  const preS3 = era.epoch < 28n;
  return {
    name,
    description,
    inputs: inputsOf(pre, parent, block),
    check: matchesOracle(oracle, preS3),
  };
}

const mainnetValid: Case[] = [
  await mainnetCase(
    MAINNET_EARLY,
    "frontier_era_receipts_carry_roots",
    "Before S3 (mainnet epoch 28) each receipt records the state root after its transaction; " +
      "the fees go to the leader. Three transfers, one to a new account.",
    [
      { signer: 1, fields: { to: TO_A, value: 5n } },
      { signer: 2, fields: { to: address(1), value: 7n } },
      { signer: 1, fields: { nonce: 1n, to: TO_B, value: 9n } },
    ],
  ),
  await mainnetCase(
    MAINNET_LATE,
    "collector_era_transfers_and_call",
    "At mainnet epoch 1600: two transfers and Counter.increment(), fees to the two collectors.",
    [
      { signer: 1, fields: { to: TO_A, value: 5n } },
      { signer: 3, fields: { to: COUNTER_AT, value: 0n, data: increment, gasLimit: 200_000n } },
      { signer: 2, fields: { to: address(1), value: 7n } },
    ],
  ),
];

/** A block on shard 2 one epoch before HIP30, when shard 2 is about to be removed. */
async function migrationCase(): Promise<Case> {
  const era = { ...MAINNET_LATE, epoch: 1672n };
  const parent = await parentFor(era, 2n, []);
  const header = {
    ...newHeaderAt(MAINNET, era.epoch),
    parentHash: headerHash(parent),
    number: 100n,
    shardId: 2n,
    txHash: EMPTY_ROOT_HASH,
  };
  return {
    name: "balance_migration_not_specified",
    description: "A block of shard 2 at mainnet epoch 1672, one epoch before HIP30 removes the " +
      "shard, must migrate the balances (Go MayBalanceMigration), which the spec does not state.",
    inputs: inputsOf([], parent, { header, body: emptyBody() }),
    expect: { error: "execution/balance-migration-not-specified" },
  };
}

// --- refused blocks ------------------------------------------------------------------------------

const bump = (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 0 ? x ^ 1 : x));

/** The source block with header fields changed. */
const sourceWith = (change: Partial<Header>, body = sourceBlock.body): Block => ({
  header: { ...sourceBlock.header, ...change },
  body,
});

/** A refused variant of the source block. */
function refusedSource(name: string, description: string, block: Block, code: string): Case {
  return {
    name,
    description,
    inputs: inputsOf(preSource, sourceParent, block),
    expect: { error: code as never },
  };
}

/** The source block with other transactions (and the matching transaction root). */
const withTxs = (txs: Uint8Array[]) =>
  sourceWith({ txHash: deriveSha(txs) }, { ...sourceBlock.body, transactions: txs });

const h = sourceBlock.header;
const sourceRefusals: Case[] = [
  refusedSource(
    "parent_hash_mismatch",
    "The parent hash is not the parent header's hash.",
    sourceWith({ parentHash: bump(h.parentHash) }),
    "execution/block-parent-mismatch",
  ),
  refusedSource(
    "number_mismatch",
    "The number is not the parent's plus one.",
    sourceWith({ number: h.number + 1n }),
    "execution/block-number-mismatch",
  ),
  refusedSource(
    "wrong_shard",
    "The shard differs from the parent's.",
    sourceWith({ shardId: 1n }),
    "execution/block-wrong-shard",
  ),
  refusedSource(
    "tx_root_mismatch",
    "The transaction root does not commit to the transactions.",
    sourceWith({ txHash: bump(h.txHash) }),
    "execution/tx-root-mismatch",
  ),
  refusedSource(
    "staking_transactions",
    "A block whose staking transaction (its root covering it) is not a staking transaction's " +
      "RLP (a one-item list) is refused when the body is decoded.",
    (() => {
      const staking = [encodeRlp([new Uint8Array(0)])];
      const txHash = deriveSha([...sourceBlock.body.transactions, ...staking]);
      return sourceWith({ txHash }, { ...sourceBlock.body, stakingTransactions: staking });
    })(),
    "encoding/rlp-wrong-item-count",
  ),
  refusedSource(
    "undecodable_transaction",
    "A transaction that is not a native transaction's RLP.",
    withTxs([encodeRlp([new Uint8Array(0)])]),
    "encoding/rlp-wrong-item-count",
  ),
  refusedSource(
    "nonce_too_low",
    "The same transaction twice: the second has a spent nonce.",
    withTxs([sourceTxs.encoded[0], sourceTxs.encoded[0]]),
    "execution/nonce-too-low",
  ),
  refusedSource(
    "block_gas_exhausted",
    "A gas limit of 40000 leaves too little gas for the second transfer.",
    sourceWith({ gasLimit: 40_000n }),
    "execution/block-gas-exhausted",
  ),
  refusedSource(
    "gas_used_mismatch",
    "The gas used is one more than the transactions used.",
    sourceWith({ gasUsed: h.gasUsed + 1n }),
    "execution/gas-used-mismatch",
  ),
  refusedSource(
    "bloom_mismatch",
    "The bloom differs from the logs' bloom.",
    sourceWith({ bloom: bump(h.bloom) }),
    "execution/bloom-mismatch",
  ),
  refusedSource(
    "receipt_root_mismatch",
    "The receipt root does not commit to the receipts.",
    sourceWith({ receiptHash: bump(h.receiptHash) }),
    "execution/receipt-root-mismatch",
  ),
  refusedSource(
    "outgoing_root_mismatch",
    "The outgoing receipt root omits the cross-shard receipt.",
    sourceWith({ outgoingReceiptHash: EMPTY_ROOT_HASH }),
    "execution/outgoing-root-mismatch",
  ),
  refusedSource(
    "state_root_mismatch",
    "The state root differs from the state after the block.",
    sourceWith({ root: bump(h.root) }),
    "execution/state-root-mismatch",
  ),
];

/** The destination block with its proofs replaced, the header committing to them. */
function destWith(proofs: Uint8Array[], root: Uint8Array, change: Partial<Header> = {}): Block {
  return {
    header: { ...destBlock.header, incomingReceiptHash: deriveSha(proofs), root, ...change },
    body: { ...destBlock.body, incomingReceipts: proofs },
  };
}

/** The oracle's state root of the destination block crediting `credits`. */
const destRootWith = async (credits: [Uint8Array, bigint][]) =>
  (await oracleRun(LOCAL.hardfork, 1n, preDest, destTxs.oracle, LOCAL.feeTo, credits)).root;

function refusedDest(
  name: string,
  description: string,
  block: Block,
  code: string,
  spent: Fields[] = [],
): Case {
  return {
    name,
    description,
    inputs: inputsOf(preDest, destParent, block, spent),
    expect: { error: code as never },
  };
}

const forged = encodeCxReceiptsProof({ ...proof, receipts: [{ ...sentCx, amount: 10n }] });
const otherHeader = encodeCxReceiptsProof({ ...proof, header: { ...proof.header, time: 5n } });

/** The proof to shard 1 included in a block of shard 0 (no transactions). */
async function misdelivered(): Promise<Case> {
  const txs: Uint8Array[] = [];
  const header = {
    ...sourceBlock.header,
    txHash: deriveSha(txs),
    incomingReceiptHash: deriveSha([proofBytes]),
    gasUsed: 0n,
    bloom: new Uint8Array(256),
    receiptHash: EMPTY_ROOT_HASH,
    outgoingReceiptHash: destBlock.header.outgoingReceiptHash,
    root: await oracleRoot([...preSource, { address: TO_B, balance: 9n }]),
  };
  return refusedSource(
    "cx_receipt_for_other_shard",
    "Shard 0 includes the proof of receipts for shard 1: refused after the results match " +
      "(Go VerifyIncomingReceipts checks each receipt's destination).",
    { header, body: { ...emptyBody(), incomingReceipts: [proofBytes] } },
    "cxproof/wrong-destination",
  );
}

const destRefusals: Case[] = [
  refusedDest(
    "incoming_root_mismatch",
    "The incoming receipt root does not commit to the proofs.",
    {
      ...destBlock,
      header: {
        ...destBlock.header,
        incomingReceiptHash: bump(destBlock.header.incomingReceiptHash),
      },
    },
    "cxproof/incoming-root-mismatch",
  ),
  refusedDest(
    "proof_already_spent",
    "The source block's receipts were credited before on this shard.",
    destBlock,
    "cxproof/already-spent",
    [SPENT_SOURCE],
  ),
  refusedDest(
    "state_root_checked_before_spent_proof",
    "A block with a wrong state root and an already spent proof is refused for its state root: " +
      "Go validates the results (ValidateState) before the incoming receipts.",
    { ...destBlock, header: { ...destBlock.header, root: bump(destBlock.header.root) } },
    "execution/state-root-mismatch",
    [SPENT_SOURCE],
  ),
  refusedDest(
    "proof_twice",
    "The same proof twice in one block, the header committing to both credits.",
    destWith([proofBytes, proofBytes], await destRootWith([[TO_B, 9n], [TO_B, 9n]])),
    "cxproof/duplicate-in-block",
  ),
  refusedDest(
    "proof_forged_amount",
    "A receipt's amount changed: the receipts no longer match the source block's root.",
    destWith([forged], await destRootWith([[TO_B, 10n]])),
    "cxproof/receipts-root-mismatch",
  ),
  refusedDest(
    "proof_other_header",
    "The proof's header is not the block its Merkle proof names.",
    destWith([otherHeader], destBlock.header.root),
    "cxproof/header-mismatch",
  ),
];

// --- the suites ----------------------------------------------------------------------------------

const localValid: Case[] = [
  {
    name: "source_block_with_cross_shard_send",
    description: "Localnet shard 0, epoch 3: two transfers, a cross-shard send of 9 atto to " +
      "shard 1 and Counter.increment(); the state root is the oracle's, the cross-shard " +
      "transfer leaving the shard, and the block emits one CXReceipt.",
    inputs: inputsOf(preSource, sourceParent, sourceBlock),
    check: both(matchesOracle(sourceOracle), cxOut([sentCx])),
  },
  {
    name: "destination_block_with_proof",
    description: "Localnet shard 1: a transfer and the proof of the source block, which " +
      "credits 9 atto to the recipient and marks the source block spent.",
    inputs: inputsOf(preDest, destParent, destBlock),
    check: both(matchesOracle(destOracle), cxOut([]), (out) => {
      const s = out.spent as DecodedFields[];
      if (s.length !== 1 || big(s[0].number) !== sourceBlock.header.number) {
        throw new Error("spent");
      }
    }),
  },
];

/** Every suite of `apply_block`. */
export const BLOCK_SUITES: Suite[] = [
  suite(applyBlockHandler(LOCALNET), [
    ...localValid,
    ...sourceRefusals,
    ...destRefusals,
    await misdelivered(),
  ]),
  suite(applyBlockHandler(MAINNET), [...mainnetValid, await migrationCase()]),
];
