/**
 * Conformance cases for the `sharding` runner, sections Crosslinks, Receipt proofs, Epoch
 * transition and Resharding. The format is in `conformance/formats/sharding.md`.
 *
 * Independence of the expectations: crosslinks, proofs and receipts are written with
 * `@ethereumjs/rlp`; committee keys, signatures and aggregates come from herumi's mcl; receipt
 * roots from `@ethereumjs/mpt`; hashes from `@noble/hashes`; shard states are built by hand from
 * the rules (fixed committees, an EPoS election whose outcome is plain by construction, and the
 * resharding deal restated over noble's Keccak) and encoded with `@ethereumjs/rlp`. Go's sorting
 * test (`crosslink_test.go`) gives one case.
 *
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  decodeHeader,
  encodeHeader,
  type Header,
  newHeaderAt,
} from "../../../spec/chain/header.ts";
import { bigintToBytes, toHex } from "../../../spec/encoding/bytes.ts";
import { LOCALNET, MAINNET, type NetworkConfig, TESTNET } from "../../../spec/params/mod.ts";
import {
  type CrossLink,
  crossLinkFacts,
  crossLinkKey,
  crossLinksField,
  type CrossLinkStore,
  decodeCrossLink,
  selectCrossLinksToPropose,
  verifyBlockCrossLinks,
  verifyCrossLink,
} from "../../../spec/sharding/crosslink.ts";
import { verifyIncomingReceipts } from "../../../spec/sharding/cx-proof.ts";
import { electShardState, reshardingSeed } from "../../../spec/sharding/resharding.ts";
import { lastBlockOfEpoch } from "../../../spec/sharding/schedule.ts";
import { decodeShardState, type ShardState } from "../../../spec/sharding/shard-state.ts";
import {
  committeeLookup,
  type ElectionSource,
  nextBlockEpoch,
  shardStateEncoding,
  shardStateFields,
  shardStateStorageEpoch,
  superCommitteeForNextEpoch,
  type TransitionSources,
  verifyShardState,
} from "../../../spec/sharding/transition.ts";
import type {
  ElectionInput,
  EposCandidate,
  GenesisAccount,
} from "../../../spec/staking/election.ts";
import type { Decoded } from "../../cbor.ts";
import type { Case, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  bool,
  bytes,
  list,
  readAccount,
  readCandidate,
  rec,
  uint,
  writeCandidate,
} from "../staking/codec.ts";
import {
  account,
  certify,
  crossLinkRlp,
  crossLinksRlp,
  EPOCH,
  harmonyAccounts,
  hashOf,
  key48,
  oracleDeriveSha,
  proofRlp,
  receiptRlp,
  signedCrossLink,
  sourceBlock,
  WORLD_STATE,
} from "../../../test/sharding/xlink-world.ts";
import { candidate } from "../../../test/staking/epos-fixtures.ts";
import { ONE } from "../../../spec/staking/validator.ts";

function configData(config: NetworkConfig): Fields {
  return config as unknown as Fields;
}

// --- reading inputs -----------------------------------------------------------------------------

/** Reads `[{epoch, encoding}]` into a history of shard states. */
function readHistory(value: Decoded | undefined): Map<bigint, ShardState> {
  const out = new Map<bigint, ShardState>();
  for (const e of list(value, "shard_states")) {
    const r = rec(e, "shard state entry");
    out.set(uint(r.epoch, "epoch"), decodeShardState(bytes(r.encoding, "encoding")));
  }
  return out;
}

/** Reads crosslink encodings. */
function readCrossLinks(value: Decoded | undefined, what: string): CrossLink[] {
  return list(value, what).map((b) => decodeCrossLink(bytes(b, what)));
}

/** A store whose processed crosslinks and last continuous ones are given. */
function readStore(processed: CrossLink[], last: CrossLink[]): CrossLinkStore {
  return {
    processed: new Map(processed.map((c) => [crossLinkKey(c.shardId, c.blockNumber), c])),
    lastContinuous: new Map(last.map((c) => [c.shardId, c])),
  };
}

function writeFacts(list: CrossLink[], config: NetworkConfig): Fields[] {
  return crossLinkFacts(config, list).map((f) => ({
    shard_id: f.shardId,
    epoch: f.epoch,
    block_number: f.blockNumber,
    block_hash: f.blockHash,
    bitmap: f.bitmap,
  }));
}

/** The world's history as vector data: the shard state of epoch 1000, in its native RLP. */
const WORLD_HISTORY: Fields[] = [{
  epoch: EPOCH,
  encoding: shardStateEncoding(MAINNET, WORLD_STATE),
}];

// --- crosslink_verify ---------------------------------------------------------------------------

const crossLinkVerifyHandler: Handler = {
  runner: "sharding",
  handler: "crosslink_verify",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: ["decodeCrossLink", "committeeLookup", "verifyCrossLink", "crossLinkFacts"],
  run(inputs) {
    const lookup = committeeLookup(MAINNET, readHistory(inputs.shard_states));
    const cl = decodeCrossLink(bytes(inputs.crosslink, "crosslink"));
    verifyCrossLink(MAINNET, lookup, cl);
    return { facts: writeFacts([cl], MAINNET) };
  },
};

const QUORUM = [0, 1, 2, 3, 6]; // 4 × 12250 + 19125 = 68125 of 100000
const signed = signedCrossLink;
const OK = signed(1, 300n, 7n, QUORUM);

function verifyCase(
  name: string,
  description: string,
  cl: CrossLink,
  expect: Case["expect"],
): Case {
  return {
    name,
    description,
    inputs: { shard_states: WORLD_HISTORY, crosslink: crossLinkRlp(cl) },
    expect,
  };
}

function factOf(cl: CrossLink): Fields {
  return {
    shard_id: cl.shardId,
    epoch: cl.epoch,
    block_number: cl.blockNumber,
    block_hash: cl.hash,
    bitmap: cl.bitmap,
  };
}

const VERIFY_CASES: Case[] = [
  verifyCase(
    "staked_quorum",
    "Harmony slots 0-3 and staked slot 6 sign: 0.68125 of the voting power, above 2/3.",
    OK,
    { facts: [factOf(OK)] },
  ),
  verifyCase(
    "all_signers",
    "Every slot signs (voting power 1).",
    signed(2, 5000n, 0n, [0, 1, 2, 3, 4, 5, 6, 7]),
    { facts: [factOf(signed(2, 5000n, 0n, [0, 1, 2, 3, 4, 5, 6, 7]))] },
  ),
  verifyCase(
    "no_quorum_harmony_heavy",
    "Harmony slots 0-3 and staked slot 4: 0.55375, not above 2/3; five of eight keys would be a " +
      "quorum by count, not by power.",
    signed(1, 300n, 7n, [0, 1, 2, 3, 4]),
    { error: "fbft/no-quorum" },
  ),
  verifyCase(
    "no_quorum_most_power_below",
    "Slot 0 and all four staked slots: 0.6325, the most power below 2/3 in this committee.",
    signed(1, 300n, 7n, [0, 4, 5, 6, 7]),
    { error: "fbft/no-quorum" },
  ),
  verifyCase(
    "view_id_not_signed",
    "The view ID differs from the one signed: the commit payload covers it from Staking on.",
    { ...OK, viewId: 8n },
    { error: "fbft/bad-quorum-signature" },
  ),
  verifyCase(
    "hash_not_signed",
    "The block hash differs from the one signed.",
    { ...OK, hash: hashOf("another block") },
    { error: "fbft/bad-quorum-signature" },
  ),
  verifyCase(
    "other_shard_committee",
    "Signed by shard 2's committee, claimed for shard 1.",
    { ...signed(2, 300n, 7n, QUORUM), shardId: 1n },
    { error: "fbft/bad-quorum-signature" },
  ),
  verifyCase(
    "bitmap_wrong_length",
    "A two-byte bitmap for a committee of eight keys.",
    { ...OK, bitmap: new Uint8Array(2) },
    { error: "bls/bitmap-length-mismatch" },
  ),
  verifyCase(
    "signature_not_a_point",
    "A signature of 96 0xff bytes does not deserialize.",
    { ...OK, signature: new Uint8Array(96).fill(0xff) },
    { error: "bls/non-canonical-coordinate" },
  ),
  verifyCase(
    "block_number_one",
    "Block numbers 0 and 1 are never crosslinked (Go: number must exceed 1).",
    signed(1, 1n, 0n, QUORUM),
    { error: "crosslink/block-number-too-low" },
  ),
  verifyCase(
    "before_crosslink_epoch",
    "Epoch 185, before mainnet's CrossLink epoch 186.",
    { ...OK, epoch: 185n },
    { error: "crosslink/not-crosslink-epoch" },
  ),
  verifyCase(
    "epoch_without_committee",
    "No shard state is known for epoch 1001.",
    { ...OK, epoch: 1001n },
    { error: "transition/committee-unknown" },
  ),
  verifyCase(
    "shard_without_committee",
    "Shard 4 has no committee in the state.",
    { ...OK, shardId: 4n },
    { error: "transition/committee-unknown" },
  ),
  verifyCase(
    "number_beyond_uint64",
    "Deviation: a block number of 2^64 is refused (Go would read its low 64 bits).",
    { ...OK, blockNumber: 1n << 64n },
    { error: "crosslink/field-out-of-range" },
  ),
  {
    name: "signature_95_bytes",
    description: "The signature field must be exactly 96 bytes.",
    inputs: {
      shard_states: WORLD_HISTORY,
      crosslink: crossLinkRlp({ ...OK, signature: OK.signature.slice(1) }),
    },
    expect: { error: "encoding/rlp-wrong-length" },
  },
];

// --- crosslink_order ----------------------------------------------------------------------------

const crossLinkOrderHandler: Handler = {
  runner: "sharding",
  handler: "crosslink_order",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: [
    "verifyBlockCrossLinks",
    "isCrossLinkListSorted",
    "isCrossLinkProcessed",
    "crossLinkFacts",
  ],
  run(inputs) {
    const lookup = committeeLookup(MAINNET, readHistory(inputs.shard_states));
    const store = readStore(readCrossLinks(inputs.processed, "processed"), []);
    const got = verifyBlockCrossLinks(MAINNET, lookup, store, bytes(inputs.field, "field"));
    return { crosslinks: got.map(crossLinkRlp), facts: writeFacts(got, MAINNET) };
  },
};

const A = OK;
const B = signed(1, 301n, 2n, [0, 1, 2, 3, 5, 7]);
const C = signed(3, 10n, 1n, QUORUM);

function orderCase(
  name: string,
  description: string,
  field: Uint8Array,
  processed: CrossLink[],
  expect: Case["expect"],
): Case {
  return {
    name,
    description,
    inputs: { shard_states: WORLD_HISTORY, processed: processed.map(crossLinkRlp), field },
    expect,
  };
}

const ORDER_CASES: Case[] = [
  orderCase("empty_field", "No crosslinks: the empty field.", new Uint8Array(0), [], {
    crosslinks: [],
    facts: [],
  }),
  orderCase("empty_list", "The empty RLP list 0xc0 also means none.", Uint8Array.of(0xc0), [], {
    crosslinks: [],
    facts: [],
  }),
  orderCase(
    "sorted",
    "Shard 1 blocks 300 and 301, then shard 3 block 10.",
    crossLinksRlp([A, B, C]),
    [],
    { crosslinks: [A, B, C].map(crossLinkRlp), facts: [A, B, C].map(factOf) },
  ),
  orderCase(
    "unsorted_number",
    "Block 301 before block 300 of the same shard.",
    crossLinksRlp([B, A, C]),
    [],
    {
      error: "crosslink/not-sorted",
    },
  ),
  orderCase("unsorted_shard", "Shard 3 before shard 1.", crossLinksRlp([C, A]), [], {
    error: "crosslink/not-sorted",
  }),
  orderCase(
    "already_processed",
    "Shard 1 block 301 is already stored on the beacon chain.",
    crossLinksRlp([A, B, C]),
    [B],
    { error: "crosslink/already-processed" },
  ),
  orderCase(
    "processed_checked_before_signature",
    "A stored crosslink is refused as such even if its signature is bad.",
    crossLinksRlp([{ ...A, viewId: 99n }]),
    [A],
    { error: "crosslink/already-processed" },
  ),
  orderCase(
    "duplicate_in_header_go_quirk",
    "Go checks the order non-strictly and against stored crosslinks only: the same crosslink " +
      "twice is accepted, and each yields a reward fact.",
    crossLinksRlp([A, A]),
    [],
    { crosslinks: [A, A].map(crossLinkRlp), facts: [A, A].map(factOf) },
  ),
  orderCase(
    "one_invalid",
    "One crosslink without quorum fails the block.",
    crossLinksRlp([A, signed(1, 302n, 0n, [0])]),
    [],
    {
      error: "fbft/no-quorum",
    },
  ),
  orderCase("not_a_list", "The field must be an RLP list.", Uint8Array.of(0x80), [], {
    error: "encoding/rlp-expected-list",
  }),
];

// --- crosslink_propose --------------------------------------------------------------------------

const crossLinkProposeHandler: Handler = {
  runner: "sharding",
  handler: "crosslink_propose",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: ["selectCrossLinksToPropose", "crossLinksField"],
  run(inputs) {
    const store = readStore(
      readCrossLinks(inputs.processed, "processed"),
      readCrossLinks(inputs.last_continuous, "last_continuous"),
    );
    const pending = readCrossLinks(inputs.pending, "pending");
    const { propose, drop } = selectCrossLinksToPropose(
      MAINNET,
      uint(inputs.header_epoch, "header_epoch"),
      store,
      pending,
    );
    return { field: crossLinksField(propose), dropped: drop.map(crossLinkRlp) };
  },
};

/** An unsigned crosslink (selection does not verify: the pool holds verified ones). */
function bare(shard: bigint, n: bigint, v: bigint, epoch = EPOCH): CrossLink {
  return {
    hash: hashOf(`${shard}/${n}/${v}`),
    blockNumber: n,
    viewId: v,
    signature: new Uint8Array(96),
    bitmap: Uint8Array.of(0xff),
    shardId: shard,
    epoch,
  };
}

const GO_SORT = [0n, 1n, 4n, 3n, 2n].map((v) => bare(1n, 1n, v));
const MANY = Array.from({ length: 20 }, (_, i) => bare(1n, BigInt(10 + i), 0n));

const PROPOSE_CASES: Case[] = [
  {
    name: "go_sorting_test",
    description:
      "crosslink_test.go TestCrosslinks_Sorting: block 1 with view IDs 0,1,4,3,2 is written sorted 0..4.",
    inputs: {
      header_epoch: EPOCH,
      processed: [],
      last_continuous: [],
      pending: GO_SORT.map(crossLinkRlp),
    },
    expect: {
      field: crossLinksRlp(
        [0, 1, 2, 3, 4].map((v) => GO_SORT.find((c) => c.viewId === BigInt(v))!),
      ),
      dropped: [],
    },
  },
  {
    name: "sorted_by_shard_then_number",
    description: "A pool in arbitrary order is written sorted by shard, then number.",
    inputs: {
      header_epoch: EPOCH,
      processed: [],
      last_continuous: [],
      pending: [bare(3n, 5n, 0n), bare(1n, 9n, 0n), bare(2n, 1n, 0n), bare(1n, 8n, 0n)].map(
        crossLinkRlp,
      ),
    },
    expect: {
      field: crossLinksRlp([
        bare(1n, 8n, 0n),
        bare(1n, 9n, 0n),
        bare(2n, 1n, 0n),
        bare(3n, 5n, 0n),
      ]),
      dropped: [],
    },
  },
  {
    name: "stale_dropped_and_sixteen_at_most",
    description:
      "A pre-CrossLink crosslink, one not above the shard's last continuous crosslink (10) and a " +
      "stored one (12) are dropped; of the rest, the first 16 in pool order are proposed.",
    inputs: {
      header_epoch: EPOCH,
      processed: [MANY[2]].map(crossLinkRlp),
      last_continuous: [bare(1n, 10n, 0n)].map(crossLinkRlp),
      pending: [bare(2n, 50n, 0n, 185n), ...MANY].map(crossLinkRlp),
    },
    expect: {
      field: crossLinksRlp([MANY[1], ...MANY.slice(3, 18)]),
      dropped: [bare(2n, 50n, 0n, 185n), MANY[0], MANY[2]].map(crossLinkRlp),
    },
  },
  {
    name: "before_crosslink_epoch",
    description: "A beacon block before the CrossLink epoch proposes nothing.",
    inputs: {
      header_epoch: 185n,
      processed: [],
      last_continuous: [],
      pending: GO_SORT.map(crossLinkRlp),
    },
    expect: { field: new Uint8Array(0), dropped: [] },
  },
];

// --- cx_proof -----------------------------------------------------------------------------------

const cxProofHandler: Handler = {
  runner: "sharding",
  handler: "cx_proof",
  preset: "mainnet",
  config: configData(MAINNET),
  covers: ["decodeCxReceiptsProof", "verifyCxReceiptsProof", "verifyIncomingReceipts"],
  run(inputs) {
    const lookup = committeeLookup(MAINNET, readHistory(inputs.shard_states));
    const spent = new Set(
      list(inputs.spent, "spent").map((e) => {
        const r = rec(e, "spent");
        return `${uint(r.shard_id, "shard_id")}:${uint(r.block_number, "block_number")}`;
      }),
    );
    const verified = verifyIncomingReceipts(
      MAINNET,
      lookup,
      uint(inputs.shard_id, "shard_id"),
      list(inputs.proofs, "proofs").map((p) => bytes(p, "proof")),
      bytes(inputs.incoming_receipt_hash, "incoming_receipt_hash"),
      (s, n) => spent.has(`${s}:${n}`),
      uint(inputs.head_number, "head_number"),
    );
    return {
      verified: verified.map((v) => ({
        source_shard_id: v.sourceShardId,
        source_block_number: v.sourceBlockNumber,
        source_block_hash: v.sourceBlockHash,
        to_shard_id: v.toShardId,
        receipts: v.receipts,
      })),
    };
  },
};

// Shard 2 block 77: receipts to 0, 3, 0, 1, 3. Shard 3 block 12: receipts to 0, 1.
const SRC = await sourceBlock(2n, 77n, [0n, 3n, 0n, 1n, 3n]);
const SRC2 = await sourceBlock(3n, 12n, [0n, 1n]);

/** The hash of a header as it sits inside a proof: Keccak-256 of its RLP item. */
function hashInProof(proof: Uint8Array): Uint8Array {
  const parts = RLP.decode(proof) as unknown as unknown[];
  return keccak_256(RLP.encode(parts[2] as Uint8Array[]));
}

function verifiedOf(src: typeof SRC, to: bigint, proof: Uint8Array): Fields {
  return {
    source_shard_id: src.header.shardId,
    source_block_number: src.header.number,
    source_block_hash: hashInProof(proof),
    to_shard_id: to,
    receipts: src.outgoing.filter((r) => r.toShardId === to).map((r) => r.encoding),
  };
}

async function cxCase(
  name: string,
  description: string,
  proofs: Uint8Array[],
  expect: Case["expect"],
  opts: { to?: bigint; spent?: [bigint, bigint][]; root?: Uint8Array; head?: bigint } = {},
): Promise<Case> {
  return {
    name,
    description,
    inputs: {
      shard_states: WORLD_HISTORY,
      shard_id: opts.to ?? 0n,
      proofs,
      incoming_receipt_hash: opts.root ?? await oracleDeriveSha(proofs),
      spent: (opts.spent ?? []).map(([s, n]) => ({ shard_id: s, block_number: n })),
      head_number: opts.head ?? 500n,
    },
    expect,
  };
}

const P0 = proofRlp(SRC, 0n);
const P2 = proofRlp(SRC2, 0n);
const WEAK = certify(SRC.header, [0, 1, 2, 3]);
const EARLY: Header = { ...SRC.header, epoch: 28n };

const CX_CASES: Case[] = [
  await cxCase("two_sources", "Shard 0 receives from shard 2 block 77 and shard 3 block 12.", [
    P0,
    P2,
  ], {
    verified: [verifiedOf(SRC, 0n, P0), verifiedOf(SRC2, 0n, P2)],
  }),
  await cxCase("none", "No incoming receipts: the header holds the empty root.", [], {
    verified: [],
  }),
  await cxCase("to_shard_3", "Shard 3 receives the two receipts of shard 2 block 77.", [
    proofRlp(SRC, 3n),
  ], {
    verified: [verifiedOf(SRC, 3n, proofRlp(SRC, 3n))],
  }, { to: 3n }),
  await cxCase("already_spent", "Shard 3 block 12 was credited before.", [P0, P2], {
    error: "cxproof/already-spent",
  }, {
    spent: [[3n, 12n]],
  }),
  await cxCase("duplicate_in_block", "The same source block twice in one block.", [P0, P0], {
    error: "cxproof/duplicate-in-block",
  }),
  await cxCase("wrong_destination", "Receipts for shard 0 offered to shard 1.", [P0], {
    error: "cxproof/wrong-destination",
  }, { to: 1n }),
  await cxCase(
    "incoming_root_mismatch",
    "The header's IncomingReceiptHash is not the proofs' root.",
    [P0],
    {
      error: "cxproof/incoming-root-mismatch",
    },
    { root: hashOf("not the root") },
  ),
  await cxCase("no_receipts", "A proof without receipts.", [proofRlp(SRC, 0n, { receipts: [] })], {
    error: "cxproof/no-receipts",
  }),
  await cxCase("destination_not_in_proof", "The proof lists no root for shard 0.", [
    proofRlp(SRC, 0n, { shardIds: [1n, 3n], cxShardHashes: SRC.roots.slice(1) }),
  ], { error: "cxproof/destination-not-in-proof" }),
  await cxCase("shard_hashes_short", "Deviation: fewer roots than shard IDs (Go panics).", [
    proofRlp(SRC, 0n, { cxShardHashes: SRC.roots.slice(0, 2) }),
  ], { error: "cxproof/shard-hashes-length-mismatch" }),
  await cxCase("receipt_tampered", "One receipt's amount raised: its root no longer matches.", [
    proofRlp(SRC, 0n, {
      receipts: [SRC.outgoing[0].encoding, receiptRlp(999, 2n, 0n, 10n ** 30n)],
    }),
  ], { error: "cxproof/receipts-root-mismatch" }),
  await cxCase("receipts_reordered", "The shard's receipts in the wrong order.", [
    proofRlp(SRC, 0n, { receipts: [SRC.outgoing[2].encoding, SRC.outgoing[0].encoding] }),
  ], { error: "cxproof/receipts-root-mismatch" }),
  await cxCase(
    "other_root_tampered",
    "Another destination's root changed: the outgoing commitment fails.",
    [
      proofRlp(SRC, 0n, { cxShardHashes: [SRC.roots[0], SRC.roots[1], hashOf("x")] }),
    ],
    { error: "cxproof/outgoing-root-mismatch" },
  ),
  await cxCase("block_hash_mismatch", "The proof names another block hash than its header's.", [
    proofRlp(SRC, 0n, { blockHash: hashOf("x") }),
  ], { error: "cxproof/header-mismatch" }),
  await cxCase(
    "replay_other_number",
    "Deviation: a replay claiming block 78 (Go would credit it again).",
    [
      proofRlp(SRC, 0n, { blockNum: 78n }),
    ],
    { error: "cxproof/source-mismatch" },
  ),
  await cxCase(
    "before_cross_tx",
    "A source block of epoch 28: cross-shard receipts are accepted from 29.",
    [
      proofRlp(SRC, 0n, { header: EARLY, blockHash: keccak_256(encodeHeader(EARLY)) }),
    ],
    { error: "cxproof/cross-tx-not-accepted" },
  ),
  await cxCase(
    "no_quorum",
    "The source block's certificate has only the four Harmony slots (0.49).",
    [
      proofRlp(SRC, 0n, { signature: WEAK.signature, bitmap: WEAK.bitmap }),
    ],
    { error: "fbft/no-quorum" },
  ),
  await cxCase(
    "certificate_unchecked_at_head_1",
    "While the verifying chain's head is block 1, Go skips the certificate.",
    [
      proofRlp(SRC, 0n, { signature: WEAK.signature, bitmap: WEAK.bitmap }),
    ],
    { verified: [verifiedOf(SRC, 0n, P0)] },
    { head: 1n },
  ),
  await cxCase(
    "signature_of_other_block",
    "The certificate of shard 3 block 12 on shard 2 block 77.",
    [
      proofRlp(SRC, 0n, { signature: SRC2.cert.signature }),
    ],
    { error: "fbft/bad-quorum-signature" },
  ),
];

// --- shard_state_transition ---------------------------------------------------------------------

function readElection(value: Decoded | undefined): ElectionSource | null {
  if (value === null) return null;
  const r = rec(value, "election");
  const input: ElectionInput = {
    epoch: uint(r.epoch, "epoch"),
    currentEpoch: uint(r.current_epoch, "current_epoch"),
    candidates: list(r.candidates, "candidates").map(readCandidate),
    harmonyAccounts: list(r.harmony_accounts, "harmony_accounts").map(readAccount),
    reservedKeys: list(r.reserved_keys, "reserved_keys").map((k) => bytes(k, "reserved key")),
    foundationalAccounts: list(r.foundational_accounts, "foundational_accounts").map(readAccount),
    previous: r.previous === null ? null : decodeShardState(bytes(r.previous, "previous")),
  };
  return { input, seed: bytes(r.seed, "seed") };
}

function writeAccounts(accounts: GenesisAccount[]): Fields[] {
  return accounts.map((a) => ({ address: a.address, bls_key: a.blsPublicKey }));
}

function writeElection(
  epoch: bigint,
  candidates: EposCandidate[],
  hmy: GenesisAccount[],
  seed: Uint8Array,
): Fields {
  return {
    epoch,
    current_epoch: epoch - 1n,
    candidates: candidates.map(writeCandidate),
    harmony_accounts: writeAccounts(hmy),
    reserved_keys: hmy.map((a) => a.blsPublicKey),
    foundational_accounts: [],
    previous: null,
    seed,
  };
}

function transitionHandler(preset: string, config: NetworkConfig): Handler {
  return {
    runner: "sharding",
    handler: "shard_state_transition",
    preset,
    config: configData(config),
    covers: [
      "verifyShardState",
      "superCommitteeForNextEpoch",
      "shardStateFields",
      "nextBlockEpoch",
      "shardStateStorageEpoch",
      "electShardState",
    ],
    run(inputs): Fields {
      const header = decodeHeader(bytes(inputs.header, "header"));
      const b = rec(inputs.beacon, "beacon");
      const sources: TransitionSources = {
        beacon: {
          headEpoch: uint(b.head_epoch, "head_epoch"),
          headIsLastInEpoch: bool(b.head_is_last_in_epoch, "head_is_last_in_epoch"),
          shardStates: readHistory(b.shard_states),
        },
        election: readElection(inputs.election),
      };
      if (!bool(inputs.is_verify, "is_verify")) {
        const state = superCommitteeForNextEpoch(config, header, sources, false);
        const f = shardStateFields(config, header.epoch, state);
        return { shard_state: f.shardState, shard_state_hash: f.shardStateHash };
      }
      verifyShardState(config, uint(inputs.own_shard_id, "own_shard_id"), header, sources);
      return {
        next_block_epoch: nextBlockEpoch(config, header),
        storage_epoch: shardStateStorageEpoch(config, header),
      };
    },
  };
}

const SEED = keccak_256(Uint8Array.of(7));
const NO_BEACON: Fields = { head_epoch: 0n, head_is_last_in_epoch: false, shard_states: [] };

function hdr(config: NetworkConfig, fields: Partial<Header>): Uint8Array {
  return encodeHeader({ ...newHeaderAt(config, fields.epoch ?? 0n), ...fields });
}

type RawSlot = [Uint8Array, Uint8Array, bigint | null];

function legacyRlp(shards: RawSlot[][]): Uint8Array {
  return RLP.encode(
    shards.map((slots, i) => [bigintToBytes(BigInt(i)), slots.map(([a, k]) => [a, k])]),
  );
}

function stakingRlp(epoch: bigint, shards: RawSlot[][]): Uint8Array {
  return RLP.encode([
    bigintToBytes(epoch),
    shards.map((
      slots,
      i,
    ) => [
      bigintToBytes(BigInt(i)),
      slots.map(([a, k, s]) => [a, k, s === null ? [] : [bigintToBytes(s)]]),
    ]),
  ]);
}

/** Harmony slots: slot j of shard i is account i + n·j. */
function harmonySlots(hmy: GenesisAccount[], n: number, perShard: number): RawSlot[][] {
  return Array.from(
    { length: n },
    (_, i) =>
      Array.from(
        { length: perShard },
        (_, j): RawSlot => [hmy[i + n * j].address, hmy[i + n * j].blsPublicKey, null],
      ),
  );
}

// Testnet: V0 (4 shards, 8 Harmony slots) before Staking at 2; V1 (30 slots, 8 Harmony) from 2.
const TN_HMY = harmonyAccounts(32);
const TN_FIXED = legacyRlp(harmonySlots(TN_HMY, 4, 8));
const TN_KEYS = [key48(1, 6), key48(2, 1), key48(3, 6)];
const TN_CANDS = TN_KEYS.map((k, i) => candidate(account(10 + i), [k], [10_000n * ONE]));
const TN_STAKED = stakingRlp(
  2n,
  harmonySlots(TN_HMY, 4, 8).map((slots, i) => [
    ...slots,
    ...TN_KEYS.flatMap((
      k,
      c,
    ): RawSlot[] => (k[47] % 4 === i ? [[account(10 + c), k, 10_000n * ONE * ONE]] : [])),
  ]),
);

function transitionCase(
  name: string,
  description: string,
  inputs: Fields,
  expect: Case["expect"],
): Case {
  return { name, description, inputs, expect };
}

const TESTNET_TRANSITION: Case[] = [
  transitionCase(
    "beacon_pre_staking_last_block",
    "Beacon block 37, last of epoch 0: the fixed committees of epoch 1.",
    {
      own_shard_id: 0n,
      is_verify: true,
      header: hdr(TESTNET, { shardId: 0n, epoch: 0n, number: 37n, shardState: TN_FIXED }),
      beacon: NO_BEACON,
      election: writeElection(1n, [], TN_HMY, SEED),
    },
    { next_block_epoch: 1n, storage_epoch: 1n },
  ),
  transitionCase(
    "beacon_staking_election",
    "Beacon block 75, last of epoch 1: the EPoS committees of epoch 2.",
    {
      own_shard_id: 0n,
      is_verify: true,
      header: hdr(TESTNET, {
        shardId: 0n,
        epoch: 1n,
        number: lastBlockOfEpoch(TESTNET, 1n),
        shardState: TN_STAKED,
      }),
      beacon: NO_BEACON,
      election: writeElection(2n, TN_CANDS, TN_HMY, SEED),
    },
    { next_block_epoch: 2n, storage_epoch: 2n },
  ),
  transitionCase("beacon_wrong_state", "The fixed committees where the election is due.", {
    own_shard_id: 0n,
    is_verify: true,
    header: hdr(TESTNET, {
      shardId: 0n,
      epoch: 1n,
      number: lastBlockOfEpoch(TESTNET, 1n),
      shardState: TN_FIXED,
    }),
    beacon: NO_BEACON,
    election: writeElection(2n, TN_CANDS, TN_HMY, SEED),
  }, { error: "transition/shard-state-mismatch" }),
  transitionCase(
    "beacon_propose",
    "The proposer of beacon block 37 writes the fixed committees and their hash (v2 header).",
    {
      own_shard_id: 0n,
      is_verify: false,
      header: hdr(TESTNET, { shardId: 0n, epoch: 0n, number: 37n }),
      beacon: NO_BEACON,
      election: writeElection(1n, [], TN_HMY, SEED),
    },
    {
      shard_state: TN_FIXED,
      shard_state_hash: keccak_256(
        Uint8Array.from(
          harmonySlots(TN_HMY, 4, 8).flatMap((
            slots,
          ) => [...keccak_256(Uint8Array.from(slots.flatMap(([a, k]) => [...a, ...k])))]),
        ),
      ),
    },
  ),
  transitionCase(
    "beacon_empty_field_go_gap",
    "A last block without a shard state passes (Go does not detect a withheld state).",
    {
      own_shard_id: 0n,
      is_verify: true,
      header: hdr(TESTNET, { shardId: 0n, epoch: 0n, number: 37n }),
      beacon: NO_BEACON,
      election: null,
    },
    { next_block_epoch: 0n, storage_epoch: 0n },
  ),
  transitionCase(
    "beacon_not_last_0xc0_go_gap",
    'A non-last beacon block may carry 0xc0, the encoding of "no state".',
    {
      own_shard_id: 0n,
      is_verify: true,
      header: hdr(TESTNET, {
        shardId: 0n,
        epoch: 0n,
        number: 20n,
        shardState: Uint8Array.of(0xc0),
      }),
      beacon: NO_BEACON,
      election: null,
    },
    { next_block_epoch: 1n, storage_epoch: 1n },
  ),
  transitionCase("beacon_not_last_with_state", "A non-last beacon block carrying committees.", {
    own_shard_id: 0n,
    is_verify: true,
    header: hdr(TESTNET, { shardId: 0n, epoch: 0n, number: 20n, shardState: TN_FIXED }),
    beacon: NO_BEACON,
    election: null,
  }, { error: "transition/shard-state-mismatch" }),
  transitionCase("election_missing", "The last block's election inputs are not given.", {
    own_shard_id: 0n,
    is_verify: true,
    header: hdr(TESTNET, { shardId: 0n, epoch: 0n, number: 37n, shardState: TN_FIXED }),
    beacon: NO_BEACON,
    election: null,
  }, { error: "transition/election-missing" }),
  transitionCase("wrong_shard", "A header of shard 1 checked by shard 0.", {
    own_shard_id: 0n,
    is_verify: true,
    header: hdr(TESTNET, { shardId: 1n, epoch: 0n, number: 37n, shardState: TN_FIXED }),
    beacon: NO_BEACON,
    election: null,
  }, { error: "transition/wrong-shard" }),
  transitionCase(
    "shard_pre_staking_computes",
    "Shard 1's block 37 computes the fixed committees itself.",
    {
      own_shard_id: 1n,
      is_verify: true,
      header: hdr(TESTNET, { shardId: 1n, epoch: 0n, number: 37n, shardState: TN_FIXED }),
      beacon: NO_BEACON,
      election: writeElection(1n, [], TN_HMY, SEED),
    },
    { next_block_epoch: 1n, storage_epoch: 1n },
  ),
];

// Mainnet: the beacon chain stored the state of epoch 1001 (the world's committees).
const NEXT: ShardState = { ...WORLD_STATE, epoch: 1001n };
const NEXT_BYTES = stakingRlp(
  1001n,
  WORLD_STATE.shards.map((c) =>
    c.slots.map((
      s,
    ): RawSlot => [s.ecdsaAddress, s.blsPublicKey, s.effectiveStake?.mantissa ?? null])
  ),
);
const STORED: Fields = {
  head_epoch: 1001n,
  head_is_last_in_epoch: false,
  shard_states: [{ epoch: 1001n, encoding: NEXT_BYTES }],
};

const MAINNET_TRANSITION: Case[] = [
  transitionCase(
    "shard_follows_beacon",
    "Shard 2 carries the beacon's stored state of epoch 1001.",
    {
      own_shard_id: 2n,
      is_verify: true,
      header: hdr(MAINNET, {
        shardId: 2n,
        epoch: EPOCH,
        number: 99_000_000n,
        shardState: NEXT_BYTES,
      }),
      beacon: STORED,
      election: null,
    },
    { next_block_epoch: 1001n, storage_epoch: 1001n },
  ),
  transitionCase(
    "shard_claims_unknown_epoch",
    "The beacon chain has no state for the epoch claimed (1001).",
    {
      own_shard_id: 2n,
      is_verify: true,
      header: hdr(MAINNET, {
        shardId: 2n,
        epoch: EPOCH,
        number: 99_000_000n,
        shardState: NEXT_BYTES,
      }),
      beacon: { ...NO_BEACON, head_epoch: 1000n },
      election: null,
    },
    { error: "transition/beacon-state-unknown" },
  ),
  transitionCase("shard_state_differs", "Shard 2 carries committees other than the beacon's.", {
    own_shard_id: 2n,
    is_verify: true,
    header: hdr(MAINNET, {
      shardId: 2n,
      epoch: EPOCH,
      number: 99_000_000n,
      shardState: shardStateEncoding(MAINNET, { ...NEXT, shards: NEXT.shards.slice(0, 3) }),
    }),
    beacon: STORED,
    election: null,
  }, { error: "transition/shard-state-mismatch" }),
  transitionCase(
    "shard_propose_after_beacon",
    "Proposing while the beacon head is in epoch 1001: copy its state.",
    {
      own_shard_id: 2n,
      is_verify: false,
      header: hdr(MAINNET, { shardId: 2n, epoch: EPOCH, number: 99_000_000n }),
      beacon: STORED,
      election: null,
    },
    { shard_state: NEXT_BYTES, shard_state_hash: new Uint8Array(32) },
  ),
  transitionCase(
    "shard_propose_beacon_same_epoch",
    "The beacon head is still in epoch 1000: nothing to carry.",
    {
      own_shard_id: 2n,
      is_verify: false,
      header: hdr(MAINNET, { shardId: 2n, epoch: EPOCH, number: 99_000_000n }),
      beacon: { ...STORED, head_epoch: 1000n },
      election: null,
    },
    { shard_state: new Uint8Array(0), shard_state_hash: new Uint8Array(32) },
  ),
];

// --- resharding ---------------------------------------------------------------------------------

function reshardingHandler(preset: string, config: NetworkConfig): Handler {
  return {
    runner: "sharding",
    handler: "resharding",
    preset,
    config: configData(config),
    covers: ["reshardingSeed", "electShardState", "randomShardAssignment", "shardStateEncoding"],
    run(inputs) {
      const rnd = inputs.rnd === null ? null : bytes(inputs.rnd, "rnd");
      const seed = reshardingSeed(rnd, bytes(inputs.election_block_hash, "election_block_hash"));
      const election = readElection(inputs.election)!;
      const result = electShardState(config, election.input, seed);
      return { seed, shard_state: shardStateEncoding(config, result.shardState) };
    },
  };
}

/** The deal restated: rank Keccak-256(seed ‖ key), position p goes to shard p mod n. */
function dealt(seed: Uint8Array, keys: Uint8Array[], n: number): number[] {
  const ranked = keys.map((k, i) => ({ i, r: toHex(keccak_256(Uint8Array.from([...seed, ...k]))) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : a.i - b.i));
  const out = new Array<number>(keys.length);
  ranked.forEach((e, p) => (out[e.i] = p % n));
  return out;
}

// Localnet epoch 2 (V3_2: 2 shards, 9 slots, 6 Harmony): six equal bids, all keys even.
const LN_HMY = harmonyAccounts(12);
const LN_KEYS = [0, 1, 2, 3, 4, 5].map((i) => key48(i, 2 * i));
const LN_CANDS = LN_KEYS.map((k, i) => candidate(account(10 + i), [k], [1000n * ONE]));
const RND = keccak_256(Uint8Array.of(0xd1, 0x6e));
const PARENT = keccak_256(Uint8Array.of(0x9a));

function localState(seed: Uint8Array, keys: Uint8Array[]): Uint8Array {
  const to = dealt(seed, keys, 2);
  return stakingRlp(
    2n,
    harmonySlots(LN_HMY, 2, 6).map((slots, s) => [
      ...slots,
      ...keys.flatMap((
        k,
        i,
      ): RawSlot[] => (to[i] === s ? [[account(10 + i), k, 1000n * ONE * ONE]] : [])),
    ]),
  );
}

function reshardCase(
  name: string,
  description: string,
  rnd: Uint8Array | null,
  parent: Uint8Array,
  expect: Case["expect"],
  cands = LN_CANDS,
  hmy = LN_HMY,
  epoch = 2n,
): Case {
  return {
    name,
    description,
    inputs: {
      rnd,
      election_block_hash: parent,
      election: writeElection(epoch, cands, hmy, new Uint8Array(0)),
    },
    expect,
  };
}

const LOCALNET_RESHARDING: Case[] = [
  reshardCase(
    "drg_randomness",
    "Six winners dealt three per shard by the DRG's Rnd; every committee has the preset's 9 slots.",
    RND,
    PARENT,
    {
      seed: RND,
      shard_state: localState(RND, LN_KEYS),
    },
  ),
  reshardCase(
    "fallback_parent_hash",
    "No Rnd for the epoch: the seed is the election block's hash.",
    null,
    PARENT,
    {
      seed: PARENT,
      shard_state: localState(PARENT, LN_KEYS),
    },
  ),
  reshardCase("five_winners", "Five winners: shards get 3 and 2 (⌈5/2⌉ and ⌊5/2⌋).", RND, PARENT, {
    seed: RND,
    shard_state: localState(RND, LN_KEYS.slice(0, 5)),
  }, LN_CANDS.slice(0, 5)),
  reshardCase("bad_seed", "The randomness must be 32 bytes.", new Uint8Array(16), PARENT, {
    error: "resharding/bad-seed-length",
  }),
];

// Mainnet epoch 1001 (V3_3: 4 shards, 250 slots, 25 Harmony, slot limit 13): the production rule.
const MN_HMY = harmonyAccounts(100);
const MN_KEYS = [key48(1, 6), key48(2, 1), key48(3, 6), key48(4, 3)];
const MN_CANDS = MN_KEYS.map((k, i) => candidate(account(10 + i), [k], [50_000n * ONE]));

const MAINNET_RESHARDING: Case[] = [
  reshardCase(
    "production_key_mod_shards",
    "Without RandomResharding each key goes to shard (key mod 4), whatever the seed.",
    RND,
    PARENT,
    {
      seed: RND,
      shard_state: stakingRlp(
        1001n,
        harmonySlots(MN_HMY, 4, 25).map((slots, i) => [
          ...slots,
          ...MN_KEYS.flatMap((
            k,
            c,
          ): RawSlot[] => (k[47] % 4 === i ? [[account(10 + c), k, 50_000n * ONE * ONE]] : [])),
        ]),
      ),
    },
    MN_CANDS,
    MN_HMY,
    1001n,
  ),
];

/** The crosslink, receipt-proof, transition and resharding suites of the `sharding` runner. */
export const XLINK_SUITES: Suite[] = [
  suite(crossLinkVerifyHandler, VERIFY_CASES),
  suite(crossLinkOrderHandler, ORDER_CASES),
  suite(crossLinkProposeHandler, PROPOSE_CASES),
  suite(cxProofHandler, CX_CASES),
  suite(transitionHandler("testnet", TESTNET), TESTNET_TRANSITION),
  suite(transitionHandler("mainnet", MAINNET), MAINNET_TRANSITION),
  suite(reshardingHandler("localnet", LOCALNET), LOCALNET_RESHARDING),
  suite(reshardingHandler("mainnet", MAINNET), MAINNET_RESHARDING),
];
