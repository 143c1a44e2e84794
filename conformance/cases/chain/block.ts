/**
 * Conformance cases for full blocks (`block_encoding`) and block bodies (`body_encoding`).
 *
 * Expectations: the empty v0, v1 and v2 blocks and the empty v0 and v1 bodies are the bytes of
 * Harmony's `core/types/block_test.go`; other encodings are written here with the RLP package
 * alone, in the order of the Go `extblock`/`extblockV1`/`extblockV2` and `bodyFieldsV0` …
 * `bodyFieldsV2` structs.
 *
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  type Block,
  type BlockBody,
  blockHash,
  bodyVersion,
  decodeBlock,
  decodeBody,
  encodeBlock,
  encodeBody,
} from "../../../spec/chain/body.ts";
import { fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import type { Case, DecodedFields, Fields, Handler } from "../../harness.ts";
import { suite } from "../../harness.ts";
import { goEmptyHeader } from "../encoding/tagged_rlp.ts";
import { goEncoding, headerFromData, headerToData, sampleHeader, zeroHeader } from "./header.ts";

/** A body as vector data: the four lists (snake_case), uncles as header records. */
function bodyToData(body: BlockBody): Fields {
  return {
    transactions: body.transactions,
    staking_transactions: body.stakingTransactions,
    uncles: body.uncles.map(headerToData),
    incoming_receipts: body.incomingReceipts,
  };
}

/** Reads a list of byte strings from vector data. */
function byteList(value: unknown): Uint8Array[] {
  if (!Array.isArray(value) || !value.every((v) => v instanceof Uint8Array)) {
    throw new Error("expected a list of byte strings");
  }
  return value;
}

/** Reads a body from vector data. */
function bodyFromData(data: DecodedFields): BlockBody {
  return {
    transactions: byteList(data.transactions),
    stakingTransactions: byteList(data.staking_transactions),
    uncles: (data.uncles as DecodedFields[]).map(headerFromData),
    incomingReceipts: byteList(data.incoming_receipts),
  };
}

function blockToData(block: Block): Fields {
  return { header: headerToData(block.header), ...bodyToData(block.body) };
}

function blockFromData(data: DecodedFields): Block {
  return { header: headerFromData(data.header as DecodedFields), body: bodyFromData(data) };
}

const blockHandler: Handler = {
  runner: "chain",
  handler: "block_encoding",
  preset: "general",
  config: {},
  covers: ["encodeBlock", "decodeBlock", "blockHash"],
  run: (inputs): Fields => {
    if (inputs.block !== undefined) {
      const block = blockFromData(inputs.block as DecodedFields);
      return { encoding: encodeBlock(block), hash: blockHash(block) };
    }
    const block = decodeBlock(inputs.encoding as Uint8Array);
    return { block: blockToData(block), hash: blockHash(block) };
  },
};

const bodyHandler: Handler = {
  runner: "chain",
  handler: "body_encoding",
  preset: "general",
  config: {},
  covers: ["encodeBody", "decodeBody"],
  run: (inputs): Fields => {
    if (inputs.body !== undefined) {
      const version = bodyVersion(inputs.version as number);
      return { encoding: encodeBody(bodyFromData(inputs.body as DecodedFields), version) };
    }
    const { version, body } = decodeBody(inputs.encoding as Uint8Array);
    return { version, body: bodyToData(body) };
  },
};

// --- expectations written from the Go structs ----------------------------------------------------

const text = (s: string) => new TextEncoder().encode(s);
const item = (bytes: Uint8Array) => RLP.decode(bytes) as unknown;
const envelope = (tag: string, items: unknown[]) =>
  RLP.encode([text("HmnyTgd"), text(tag), items] as never);
const TAG = (tag: string) => "87" + toHex(text("HmnyTgd")) + "82" + toHex(text(tag));

/** core/types/block_test.go: the empty v0, v1 and v2 blocks, prefix by prefix. */
const GO_EMPTY_BLOCKS: Uint8Array[] = [
  fromHex("f9024f" + toHex(goEmptyHeader(0).encoding) + "c0c0"),
  fromHex("f902b0" + TAG("v1") + "f902a2" + toHex(goEmptyHeader(1).encoding) + "c0c0c0"),
  fromHex("f902b1" + TAG("v1") + "f902a3" + toHex(goEmptyHeader(2).encoding) + "c0c0c0"),
];

/** Opaque transactions, staking transactions and receipt proofs: RLP lists. */
const TXS = [RLP.encode([1, 2, text("to")]), RLP.encode([[3], text("data")])];
const STKS = [RLP.encode([0, [text("validator")]])];
const CXS = [RLP.encode([[], [1], text("proof")])];

const emptyLists = {
  transactions: [],
  staking_transactions: [],
  uncles: [],
  incoming_receipts: [],
};

/** A block as vector data. */
function blockData(header: Fields, lists: Partial<Record<string, unknown>> = {}): Fields {
  return { header, ...emptyLists, ...lists } as Fields;
}

const V3_BLOCK = blockData(sampleHeader(3), {
  transactions: TXS,
  staking_transactions: STKS,
  incoming_receipts: CXS,
});
const V3_BLOCK_BYTES = envelope("v2", [
  item(goEncoding(3, sampleHeader(3))),
  TXS.map(item),
  STKS.map(item),
  [],
  CXS.map(item),
]);
const V1_BLOCK = blockData(sampleHeader(1), {
  transactions: TXS,
  uncles: [zeroHeader(0)],
  incoming_receipts: CXS,
});
const V1_BLOCK_BYTES = envelope("v1", [
  item(goEncoding(1, sampleHeader(1))),
  TXS.map(item),
  [item(goEmptyHeader(0).encoding)],
  CXS.map(item),
]);
/** A legacy (v0) block carrying a v3 header: Go reads it. */
const MIXED_BYTES = RLP.encode([item(goEncoding(3, zeroHeader(3))), TXS.map(item), []] as never);

const blockCases: Case[] = [
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `empty_v${v}_header`,
    description:
      `core/types/block_test.go TestBlock_EncodeRLP: a block with an empty v${v} header.`,
    inputs: { block: blockData(zeroHeader(v)) },
    expect: { encoding: GO_EMPTY_BLOCKS[v], hash: keccak_256(goEmptyHeader(v).encoding) },
  })),
  ...([0, 1, 2] as const).map((v): Case => ({
    name: `decode_empty_v${v}_header`,
    description:
      `core/types/block_test.go TestBlock_DecodeRLP: the empty block with a v${v} header.`,
    inputs: { encoding: GO_EMPTY_BLOCKS[v] },
    expect: { block: blockData(zeroHeader(v)), hash: keccak_256(goEmptyHeader(v).encoding) },
  })),
  {
    name: "v3_header_with_lists",
    description: "A v3 header takes the v2 layout: transactions, staking transactions, uncles, " +
      "incoming receipts.",
    inputs: { block: V3_BLOCK },
    expect: { encoding: V3_BLOCK_BYTES, hash: keccak_256(goEncoding(3, sampleHeader(3))) },
  },
  {
    name: "decode_v3_header_with_lists",
    description: "The same block read back.",
    inputs: { encoding: V3_BLOCK_BYTES },
    expect: { block: V3_BLOCK, hash: keccak_256(goEncoding(3, sampleHeader(3))) },
  },
  {
    name: "v1_header_with_uncle",
    description: "A v1 header takes the v1 layout; an uncle is a header with its own encoding.",
    inputs: { block: V1_BLOCK },
    expect: { encoding: V1_BLOCK_BYTES, hash: keccak_256(goEncoding(1, sampleHeader(1))) },
  },
  {
    name: "decode_v3_header_in_legacy_block",
    description: "Go does not match the layout to the header version: a v3 header in a legacy " +
      "block reads, with no staking transactions or incoming receipts.",
    inputs: { encoding: MIXED_BYTES },
    expect: {
      block: blockData(zeroHeader(3), { transactions: TXS }),
      hash: keccak_256(goEncoding(3, zeroHeader(3))),
    },
  },
  {
    name: "incoming_receipts_in_v0",
    description: "Go: incomingReceipts unsupported in v0 block.",
    inputs: { block: blockData(zeroHeader(0), { incoming_receipts: CXS }) },
    expect: { error: "block/field-not-in-version" },
  },
  {
    name: "staking_transactions_under_v2_header",
    description: "Only the v2 layout (v3 headers) carries staking transactions.",
    inputs: { block: blockData(zeroHeader(2), { staking_transactions: STKS }) },
    expect: { error: "block/field-not-in-version" },
  },
  {
    name: "transaction_not_a_list",
    description: "Each transaction is an RLP list (a Go struct).",
    inputs: { block: blockData(zeroHeader(3), { transactions: [Uint8Array.of(0x01)] }) },
    expect: { error: "encoding/rlp-expected-list" },
  },
  {
    name: "decode_unknown_tag",
    description: 'Blocks have the tags "", v1 and v2 only.',
    inputs: { encoding: envelope("v3", [item(goEmptyHeader(0).encoding), [], []]) },
    expect: { error: "encoding/tagged-rlp-unsupported-tag" },
  },
  {
    name: "decode_v1_block_with_three_items",
    description: "The v1 layout has four items: header, transactions, uncles, incoming receipts.",
    inputs: { encoding: envelope("v1", [item(goEmptyHeader(1).encoding), [], []]) },
    expect: { error: "encoding/rlp-wrong-item-count" },
  },
  {
    name: "decode_transaction_not_a_list",
    description: "A transaction written as a byte string.",
    inputs: { encoding: RLP.encode([item(goEmptyHeader(0).encoding), [text("tx")], []] as never) },
    expect: { error: "encoding/rlp-expected-list" },
  },
  {
    name: "decode_bad_header",
    description: "The block's header has a 31-byte ParentHash.",
    inputs: {
      encoding: RLP.encode(
        [
          [new Uint8Array(31), ...(item(goEmptyHeader(0).encoding) as unknown[]).slice(1)],
          [],
          [],
        ] as never,
      ),
    },
    expect: { error: "encoding/rlp-wrong-length" },
  },
];

const GO_EMPTY_BODY_V1 = fromHex("cf" + TAG("v1") + "c3c0c0c0");

const bodyCases: Case[] = [
  {
    name: "empty_v0",
    description: "core/types/block_test.go TestBody_EncodeRLP: an empty BodyV0.",
    inputs: { body: emptyLists, version: 0 },
    expect: { encoding: fromHex("c2c0c0") },
  },
  {
    name: "empty_v1",
    description: "core/types/block_test.go TestBody_EncodeRLP: an empty BodyV1.",
    inputs: { body: emptyLists, version: 1 },
    expect: { encoding: GO_EMPTY_BODY_V1 },
  },
  {
    name: "v2_with_lists",
    description: "BodyV2: transactions, staking transactions, uncles, incoming receipts.",
    inputs: {
      body: {
        ...emptyLists,
        transactions: TXS,
        staking_transactions: STKS,
        incoming_receipts: CXS,
      },
      version: 2,
    },
    expect: { encoding: envelope("v2", [TXS.map(item), STKS.map(item), [], CXS.map(item)]) },
  },
  {
    name: "decode_empty_v0",
    description: "core/types/block_test.go TestBody_DecodeRLP: BodyV0.",
    inputs: { encoding: fromHex("c2c0c0") },
    expect: { version: 0, body: emptyLists },
  },
  {
    name: "decode_empty_v1",
    description: "core/types/block_test.go TestBody_DecodeRLP: BodyV1.",
    inputs: { encoding: GO_EMPTY_BODY_V1 },
    expect: { version: 1, body: emptyLists },
  },
  {
    name: "staking_transactions_in_v1",
    description: "BodyV1 has no staking transactions.",
    inputs: { body: { ...emptyLists, staking_transactions: STKS }, version: 1 },
    expect: { error: "block/field-not-in-version" },
  },
  {
    name: "unknown_version",
    description: "There is no body version 3.",
    inputs: { body: emptyLists, version: 3 },
    expect: { error: "block/unknown-version" },
  },
  {
    name: "decode_v0_with_three_lists",
    description: "BodyV0 has two lists.",
    inputs: { encoding: fromHex("c3c0c0c0") },
    expect: { error: "encoding/rlp-wrong-item-count" },
  },
];

/** The block_encoding suite. */
export const BLOCK_SUITE = suite(blockHandler, blockCases);

/** The body_encoding suite. */
export const BODY_SUITE = suite(bodyHandler, bodyCases);
