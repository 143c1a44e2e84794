/**
 * Conformance cases for the trie roots: `trie_root` (the Merkle–Patricia root of a set of
 * entries, plain or secure) and `derive_sha` (DeriveSha of a list, and the commitments to
 * outgoing cross-shard receipts).
 *
 * Expectations: `trie_root` restates ethereum/tests TrieTests (trieanyorder, trieanyorder_secureTrie,
 * trietest, hex_encoded_securetrie_test); `derive_sha` expectations are computed when this module
 * loads by an independent trie, @ethereumjs/mpt, keyed with RLP(index) as go-ethereum does, and for
 * the cross-shard commitments by Harmony's `ComputeMerkleRoot` / `DeriveMultipleShardsSha`
 * restated over that trie.
 *
 * @module
 */
import { createMPT } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  cxReceiptsMerkleRoot,
  deriveMultipleShardsSha,
  deriveOneShardSha,
  deriveSha,
  type RoutedItem,
} from "../../../spec/chain/derive-sha.ts";
import { secureTrieRoot, type TrieEntry, trieRoot } from "../../../spec/chain/trie.ts";
import { bytesToBigint, fromHex } from "../../../spec/encoding/bytes.ts";
import type { Case, DecodedFields, Fields, Handler } from "../../harness.ts";
import { suite } from "../../harness.ts";

const trieHandler: Handler = {
  runner: "chain",
  handler: "trie_root",
  preset: "general",
  config: {},
  covers: ["trieRoot", "secureTrieRoot"],
  run: (inputs): Fields => {
    const entries = (inputs.entries as Uint8Array[][]).map(([k, v]): TrieEntry => [k, v]);
    return { root: inputs.secure === true ? secureTrieRoot(entries) : trieRoot(entries) };
  },
};

/** Reads the routed receipts of a derive_sha vector. */
function routed(inputs: DecodedFields): RoutedItem[] {
  return (inputs.receipts as DecodedFields[]).map((r) => ({
    toShardId: bytesToBigint(r.to_shard_id as Uint8Array),
    encoding: r.encoding as Uint8Array,
  }));
}

const deriveHandler: Handler = {
  runner: "chain",
  handler: "derive_sha",
  preset: "general",
  config: {},
  covers: ["deriveSha", "cxReceiptsMerkleRoot", "deriveMultipleShardsSha", "deriveOneShardSha"],
  run: (inputs): Fields => {
    switch (inputs.function) {
      case "derive_sha":
        return { root: deriveSha(inputs.items as Uint8Array[]) };
      case "cx_receipts_merkle_root":
        return { root: cxReceiptsMerkleRoot(routed(inputs)) };
      case "derive_multiple_shards_sha":
        return { root: deriveMultipleShardsSha(routed(inputs)) };
      case "derive_one_shard_sha":
        return {
          root: deriveOneShardSha(routed(inputs), bytesToBigint(inputs.shard_id as Uint8Array)),
        };
      default:
        throw new Error(`unknown function ${inputs.function}`);
    }
  },
};

// --- trie_root: ethereum/tests TrieTests ---------------------------------------------------------

const text = (s: string) => new TextEncoder().encode(s);
const value = (s: string) => (s.startsWith("0x") ? fromHex(s) : text(s));
const pairs = (list: [string, string | null][]) =>
  list.map(([k, v]) => [value(k), v === null ? new Uint8Array(0) : value(v)]);

/** trieanyorder.json: name, entries, raw root, secure root (trieanyorder_secureTrie.json). */
const ANY_ORDER: [string, [string, string][], string, string][] = [
  [
    "single_item",
    [["A", "a".repeat(50)]],
    "d23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab",
    "e9e2935138352776cad724d31c9fa5266a5c593bb97726dd2a908fe6d53284df",
  ],
  [
    "dogs",
    [["doe", "reindeer"], ["dog", "puppy"], ["dogglesworth", "cat"]],
    "8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3",
    "d4cd937e4a4368d7931a9cf51686b7e10abb3dce38a39000fd7902a092b64585",
  ],
  [
    "puppy",
    [["do", "verb"], ["horse", "stallion"], ["doge", "coin"], ["dog", "puppy"]],
    "5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84",
    "29b235a58c3c25ab83010c327d5932bcf05324b7d6b1185e650798034783ca9d",
  ],
  [
    "foo",
    [["foo", "bar"], ["food", "bass"]],
    "17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3",
    "1385f23a33021025d9e87cca5c66c00de06178807b96a9acc92b7d651ccde842",
  ],
  [
    "small_values",
    [["be", "e"], ["dog", "puppy"], ["bed", "d"]],
    "3f67c7a47520f79faa29255d2d3c084a7a6df0453116ed7232ff10277a8be68b",
    "826a4f9f9054a3e980e54b20da992c24fa20467f1ca635115ef4917be66e746f",
  ],
  [
    "testy",
    [["test", "test"], ["te", "testy"]],
    "8452568af70d8d140f58d941338542f645fcca50094b20f3c3d8c3df49337928",
    "aea54fb6c80499674248a462864c420c9d9f3b3d38c879c12425bade1ad76552",
  ],
  [
    "hex",
    [["0x0045", "0x0123456789"], ["0x4500", "0x9876543210"]],
    "285505fcabe84badc8aa310e2aae17eddc7d120aabec8a476902c8184b3a3503",
    "bc11c02c8ab456db0c4d2728b6a2a6210d06f26a2ace4f7d8bdfc72ddf2630ab",
  ],
];

const SECURE_TEST1: [string, string][] = [
  [
    "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b",
    "0xf848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x095e7baea6a6c7c4c2dfeb977efac326af552d87",
    "0xf8440101a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a004bccc5d94f4d1f99aab44369a910179931772f2a5c001c3229f57831c102769",
  ],
  [
    "0xd2571607e241ecf590ed94b12d87c94babe36db6",
    "0xf8440180a0ba4b47865c55a341a4a78759bb913cd15c3ee8eaf30a62fa8d1c8863113d84e8a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x62c01474f089b07dae603491675dc5b5748f7049",
    "0xf8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
    "0xf8478083019a59a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
];

const trieCases: Case[] = [
  {
    name: "empty",
    description: "No entries: the empty trie's root, keccak256(0x80).",
    inputs: { entries: [], secure: false },
    expect: { root: fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421") },
  },
  ...ANY_ORDER.flatMap(([name, list, raw, secure]): Case[] => [
    {
      name: `any_order_${name}`,
      description: `ethereum/tests trieanyorder.json ${name}.`,
      inputs: { entries: pairs(list), secure: false },
      expect: { root: fromHex(raw) },
    },
    {
      name: `any_order_${name}_reversed`,
      description: `ethereum/tests trieanyorder.json ${name}, entries in reverse order.`,
      inputs: { entries: pairs([...list].reverse()), secure: false },
      expect: { root: fromHex(raw) },
    },
    {
      name: `secure_any_order_${name}`,
      description: `ethereum/tests trieanyorder_secureTrie.json ${name}: keys hashed.`,
      inputs: { entries: pairs(list), secure: true },
      expect: { root: fromHex(secure) },
    },
  ]),
  {
    name: "empty_values_delete",
    description: "ethereum/tests trietest.json emptyValues: an empty value deletes its key.",
    inputs: {
      entries: pairs([
        ["do", "verb"],
        ["ether", "wookiedoo"],
        ["horse", "stallion"],
        ["shaman", "horse"],
        ["doge", "coin"],
        ["ether", null],
        ["dog", "puppy"],
        ["shaman", null],
      ]),
      secure: false,
    },
    expect: { root: fromHex("5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84") },
  },
  {
    name: "insert_middle_leaf",
    description: "ethereum/tests trietest.json insert-middle-leaf: keys that prefix others.",
    inputs: {
      entries: pairs([
        ["key1aa", "0123456789012345678901234567890123456789xxx"],
        ["key1", "0123456789012345678901234567890123456789Very_Long"],
        ["key2bb", "aval3"],
        ["key2", "short"],
        ["key3cc", "aval3"],
        ["key3", "1234567890123456789012345678901"],
      ]),
      secure: false,
    },
    expect: { root: fromHex("cb65032e2f76c48b82b5c24b3db8f670ce73982869d38cd39a624f23d62a9e89") },
  },
  {
    name: "branch_value_update",
    description: "ethereum/tests trietest.json branch-value-update: a later entry replaces one.",
    inputs: { entries: pairs([["abc", "123"], ["abcd", "abcd"], ["abc", "abc"]]), secure: false },
    expect: { root: fromHex("7a320748f780ad9ad5b0837302075ce0eeba6c26e3d8562c67ccc0f1b273298a") },
  },
  {
    name: "secure_five_accounts",
    description: "ethereum/tests hex_encoded_securetrie_test.json test1: five accounts.",
    inputs: { entries: pairs(SECURE_TEST1), secure: true },
    expect: { root: fromHex("730a444e08ab4b8dee147c9b232fc52d34a223d600031c1e9d25bfc985cbd797") },
  },
];

// --- derive_sha: expectations from @ethereumjs/mpt -----------------------------------------------

/** The trie of RLP(position) -> item, built by the oracle. */
async function oracleDeriveSha(items: Uint8Array[], positions?: number[]): Promise<Uint8Array> {
  const trie = await createMPT();
  for (let i = 0; i < items.length; i++) await trie.put(RLP.encode(positions?.[i] ?? i), items[i]);
  return trie.root();
}

/** Harmony's outgoing-receipt commitments over the oracle: shard (4 bytes BE) ‖ root per shard. */
async function oracleCx(list: [number, Uint8Array][], renumber: boolean): Promise<Uint8Array> {
  const shards = [...new Set(list.map(([s]) => s))].sort((a, b) => a - b);
  const parts: number[] = [];
  for (const shard of shards) {
    const positions = list.flatMap(([s], i) => (s === shard ? [i] : []));
    const items = positions.map((i) => list[i][1]);
    const root = await oracleDeriveSha(items, renumber ? undefined : positions);
    parts.push(0, 0, (shard >> 8) & 255, shard & 255, ...root);
  }
  return keccak_256(Uint8Array.from(parts));
}

const items = (n: number) => Array.from({ length: n }, (_, i) => RLP.encode([i, text("tx")]));
const RECEIPTS: [number, Uint8Array][] = [0, 2, 1, 2, 2, 0].map((s, i) => [
  s,
  RLP.encode([text("cx"), i, s]),
]);
const receiptData = (list: [number, Uint8Array][]) =>
  list.map(([s, encoding]) => ({ to_shard_id: BigInt(s), encoding }));
const SHARD_2 = RECEIPTS.flatMap(([s], i) => (s === 2 ? [i] : []));

const deriveCases: Case[] = [
  {
    name: "empty_list",
    description: "The empty list: EmptyRootHash.",
    inputs: { function: "derive_sha", items: [] },
    expect: { root: fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421") },
  },
  ...(await Promise.all([1, 3, 128, 130].map(async (n): Promise<Case> => ({
    name: `items_${n}`,
    description: `${n} items keyed RLP(0) … RLP(${n - 1}).`,
    inputs: { function: "derive_sha", items: items(n) },
    expect: { root: await oracleDeriveSha(items(n)) },
  })))),
  {
    name: "cx_merkle_root",
    description: "ComputeMerkleRoot: receipts to shards 0, 1, 2, each shard's list re-numbered.",
    inputs: { function: "cx_receipts_merkle_root", receipts: receiptData(RECEIPTS) },
    expect: { root: await oracleCx(RECEIPTS, true) },
  },
  {
    name: "cx_legacy_multiple_shards",
    description:
      "DeriveMultipleShardsSha: as ComputeMerkleRoot, keyed by position in the whole list.",
    inputs: { function: "derive_multiple_shards_sha", receipts: receiptData(RECEIPTS) },
    expect: { root: await oracleCx(RECEIPTS, false) },
  },
  {
    name: "cx_legacy_one_shard",
    description: "DeriveOneShardSha for shard 2: positions 1, 3, 4 of the whole list.",
    inputs: { function: "derive_one_shard_sha", receipts: receiptData(RECEIPTS), shard_id: 2n },
    expect: {
      root: await oracleDeriveSha(SHARD_2.map((i) => RECEIPTS[i][1]), SHARD_2),
    },
  },
  {
    name: "cx_no_receipts",
    description: "No outgoing receipts: EmptyRootHash.",
    inputs: { function: "cx_receipts_merkle_root", receipts: [] },
    expect: { root: fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421") },
  },
];

/** The trie_root suite. */
export const TRIE_ROOT_SUITE = suite(trieHandler, trieCases);

/** The derive_sha suite. */
export const DERIVE_SHA_SUITE = suite(deriveHandler, deriveCases);
