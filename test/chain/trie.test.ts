import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createMPT } from "@ethereumjs/mpt";
import { keccak_256, sha3_256 } from "@noble/hashes/sha3.js";
import {
  EMPTY_TRIE_ROOT,
  hexPrefix,
  secureTrieRoot,
  type TrieEntry,
  trieRoot,
} from "../../spec/chain/trie.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { catches, catchesAsync, holds, holdsAsync } from "../support/property.ts";

const text = (s: string) => new TextEncoder().encode(s);
/** ethereum/tests writes keys and values as text, or as hex when they start with 0x. */
const value = (s: string) => (s.startsWith("0x") ? fromHex(s) : text(s));
const entries = (pairs: [string, string | null][]): TrieEntry[] =>
  pairs.map(([k, v]) => [value(k), v === null ? new Uint8Array(0) : value(v)]);

/** The oracle: @ethereumjs/mpt, inserting the entries in order (empty values delete). */
async function oracleRoot(list: TrieEntry[], secure: boolean): Promise<Uint8Array> {
  const trie = await createMPT({ useKeyHashing: secure });
  for (const [k, v] of list) {
    if (v.length === 0) await trie.del(k);
    else await trie.put(k, v);
  }
  return trie.root();
}

// --- known answers -------------------------------------------------------------------------------

test('trie: the empty root is keccak256(rlp("")) = 56e81f…b421', () => {
  assert.equal(
    toHex(EMPTY_TRIE_ROOT),
    "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
  );
  assert.deepEqual(trieRoot([]), EMPTY_TRIE_ROOT);
  assert.deepEqual(secureTrieRoot([]), EMPTY_TRIE_ROOT);
});

test("trie: hex-prefix encoding, the examples of the Ethereum patricia-tree specification", () => {
  const cases: [number[], boolean, string][] = [
    [[1, 2, 3, 4, 5], false, "112345"],
    [[0, 1, 2, 3, 4, 5], false, "00012345"],
    [[0, 15, 1, 12, 11, 8], true, "200f1cb8"],
    [[15, 1, 12, 11, 8], true, "3f1cb8"],
    [[], false, "00"],
    [[], true, "20"],
  ];
  for (const [nibbles, leaf, hex] of cases) {
    assert.equal(toHex(hexPrefix(Uint8Array.from(nibbles), leaf)), hex);
  }
});

/** ethereum/tests TrieTests/trieanyorder.json: name, entries, root (raw keys). */
const ANY_ORDER: [string, [string, string][], string][] = [
  [
    "singleItem",
    [["A", "a".repeat(50)]],
    "d23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab",
  ],
  [
    "dogs",
    [["doe", "reindeer"], ["dog", "puppy"], ["dogglesworth", "cat"]],
    "8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3",
  ],
  [
    "puppy",
    [["do", "verb"], ["horse", "stallion"], ["doge", "coin"], ["dog", "puppy"]],
    "5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84",
  ],
  [
    "foo",
    [["foo", "bar"], ["food", "bass"]],
    "17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3",
  ],
  [
    "smallValues",
    [["be", "e"], ["dog", "puppy"], ["bed", "d"]],
    "3f67c7a47520f79faa29255d2d3c084a7a6df0453116ed7232ff10277a8be68b",
  ],
  [
    "testy",
    [["test", "test"], ["te", "testy"]],
    "8452568af70d8d140f58d941338542f645fcca50094b20f3c3d8c3df49337928",
  ],
  [
    "hex",
    [["0x0045", "0x0123456789"], ["0x4500", "0x9876543210"]],
    "285505fcabe84badc8aa310e2aae17eddc7d120aabec8a476902c8184b3a3503",
  ],
];

/** ethereum/tests TrieTests/trieanyorder_secureTrie.json: the same inputs, keys hashed. */
const ANY_ORDER_SECURE: Record<string, string> = {
  singleItem: "e9e2935138352776cad724d31c9fa5266a5c593bb97726dd2a908fe6d53284df",
  dogs: "d4cd937e4a4368d7931a9cf51686b7e10abb3dce38a39000fd7902a092b64585",
  puppy: "29b235a58c3c25ab83010c327d5932bcf05324b7d6b1185e650798034783ca9d",
  foo: "1385f23a33021025d9e87cca5c66c00de06178807b96a9acc92b7d651ccde842",
  smallValues: "826a4f9f9054a3e980e54b20da992c24fa20467f1ca635115ef4917be66e746f",
  testy: "aea54fb6c80499674248a462864c420c9d9f3b3d38c879c12425bade1ad76552",
  hex: "bc11c02c8ab456db0c4d2728b6a2a6210d06f26a2ace4f7d8bdfc72ddf2630ab",
};

test("trie: ethereum/tests trieanyorder and trieanyorder_secureTrie, in every rotation", () => {
  for (const [name, pairs, root] of ANY_ORDER) {
    const list = entries(pairs);
    for (let r = 0; r < list.length; r++) {
      const rotated = [...list.slice(r), ...list.slice(0, r)];
      assert.equal(toHex(trieRoot(rotated)), root, name);
      assert.equal(toHex(secureTrieRoot(rotated)), ANY_ORDER_SECURE[name], `${name} (secure)`);
    }
  }
});

test("trie: ethereum/tests trietest.json (ordered updates, null deletes)", () => {
  const emptyValues = entries([
    ["do", "verb"],
    ["ether", "wookiedoo"],
    ["horse", "stallion"],
    ["shaman", "horse"],
    ["doge", "coin"],
    ["ether", null],
    ["dog", "puppy"],
    ["shaman", null],
  ]);
  assert.equal(
    toHex(trieRoot(emptyValues)),
    "5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84",
  );
  const insertMiddleLeaf = entries([
    ["key1aa", "0123456789012345678901234567890123456789xxx"],
    ["key1", "0123456789012345678901234567890123456789Very_Long"],
    ["key2bb", "aval3"],
    ["key2", "short"],
    ["key3cc", "aval3"],
    ["key3", "1234567890123456789012345678901"],
  ]);
  assert.equal(
    toHex(trieRoot(insertMiddleLeaf)),
    "cb65032e2f76c48b82b5c24b3db8f670ce73982869d38cd39a624f23d62a9e89",
  );
  const branchValueUpdate = entries([["abc", "123"], ["abcd", "abcd"], ["abc", "abc"]]);
  assert.equal(
    toHex(trieRoot(branchValueUpdate)),
    "7a320748f780ad9ad5b0837302075ce0eeba6c26e3d8562c67ccc0f1b273298a",
  );
  // branchingTests: 25 addresses inserted, then all deleted: the empty trie.
  const addresses = [
    "04110d816c380812a427968ece99b1c963dfbce6",
    "095e7baea6a6c7c4c2dfeb977efac326af552d87",
    "0a517d755cebbf66312b30fff713666a9cb917e0",
    "24dd378f51adc67a50e339e8031fe9bd4aafab36",
    "293f982d000532a7861ab122bdc4bbfd26bf9030",
  ];
  const added: [string, string | null][] = addresses.map((a) => ["0x" + a, "something"]);
  const removed: [string, string | null][] = addresses.map((a) => ["0x" + a, null]);
  assert.deepEqual(trieRoot(entries([...added, ...removed])), EMPTY_TRIE_ROOT);
});

test("trie: ethereum/tests hex_encoded_securetrie_test.json test1 (five accounts)", () => {
  const accounts: [string, string][] = [
    [
      "a94f5374fce5edbc8e2a8697c15331677e6ebf0b",
      "f848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    ],
    [
      "095e7baea6a6c7c4c2dfeb977efac326af552d87",
      "f8440101a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a004bccc5d94f4d1f99aab44369a910179931772f2a5c001c3229f57831c102769",
    ],
    [
      "d2571607e241ecf590ed94b12d87c94babe36db6",
      "f8440180a0ba4b47865c55a341a4a78759bb913cd15c3ee8eaf30a62fa8d1c8863113d84e8a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    ],
    [
      "62c01474f089b07dae603491675dc5b5748f7049",
      "f8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    ],
    [
      "2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
      "f8478083019a59a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    ],
  ];
  const list = accounts.map(([k, v]): TrieEntry => [fromHex(k), fromHex(v)]);
  assert.equal(
    toHex(secureTrieRoot(list)),
    "730a444e08ab4b8dee147c9b232fc52d34a223d600031c1e9d25bfc985cbd797",
  );
});

// --- properties ----------------------------------------------------------------------------------

/** Short keys over a small alphabet, so that shared prefixes and prefix keys are frequent. */
const shortKey = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((k) => k.map((b) => b & 0x13));
const anyValue = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 4 }),
  fc.uint8Array({ minLength: 25, maxLength: 40 }),
  fc.uint8Array({ maxLength: 2 }),
);
const rawEntries = fc.array(
  fc.tuple(fc.oneof(shortKey, fc.uint8Array({ minLength: 1, maxLength: 33 })), anyValue),
  { maxLength: 40 },
);
const secureEntries = fc.array(fc.tuple(fc.uint8Array({ maxLength: 20 }), anyValue), {
  maxLength: 40,
});

/** The root equals the oracle's (async: the oracle's trie is async). */
function agreesWithOracle(root: (list: TrieEntry[]) => Uint8Array, secure: boolean) {
  return fc.asyncProperty(secure ? secureEntries : rawEntries, async (list) => {
    assert.equal(toHex(root(list)), toHex(await oracleRoot(list, secure)));
  });
}

test("trie: raw-key roots equal @ethereumjs/mpt's (prefix keys, updates, deletions)", async () => {
  await holdsAsync(agreesWithOracle(trieRoot, false), 300);
});

test("trie: secure roots equal @ethereumjs/mpt's with key hashing", async () => {
  await holdsAsync(agreesWithOracle(secureTrieRoot, true), 200);
});

test("trie: the oracle property catches broken rules", async () => {
  // A later entry for a key must win: reading the entries backwards breaks that.
  const firstWins = (list: TrieEntry[]) => trieRoot([...list].reverse());
  // An empty value must delete its key, not store it.
  const emptyStored = (list: TrieEntry[]) =>
    trieRoot(list.map(([k, v]): TrieEntry => [k, v.length === 0 ? Uint8Array.of(0) : v]));
  // The secure trie hashes keys with Keccak-256, not FIPS SHA3-256.
  const wrongHash = (list: TrieEntry[]) =>
    trieRoot(list.map(([k, v]): TrieEntry => [sha3_256(k), v]));
  for (
    const [broken, secure] of [[firstWins, false], [emptyStored, false], [wrongHash, true]] as const
  ) {
    await catchesAsync(agreesWithOracle(broken, secure), 200);
  }
});

/** Distinct keys in two orders give one root. */
function orderIndependent(root: (list: TrieEntry[]) => Uint8Array) {
  return fc.property(
    fc.uniqueArray(fc.tuple(shortKey, fc.uint8Array({ minLength: 1, maxLength: 40 })), {
      selector: ([k]) => toHex(k),
      maxLength: 30,
    }),
    fc.nat(),
    (list, seed) => {
      const shuffled = [...list];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = (seed + i * 7919) % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      assert.deepEqual(root(shuffled), root(list));
    },
  );
}

test("trie: the root does not depend on the order of distinct keys", () => {
  holds(orderIndependent(trieRoot));
  holds(orderIndependent(secureTrieRoot));
  // Broken: the first given entry is lost, so the order matters.
  catches(orderIndependent((list) => trieRoot(list.slice(1))));
});

test("trie: a thousand accounts (a state root) agree with the oracle", async () => {
  const list: TrieEntry[] = [];
  let seed = keccak_256(text("state"));
  for (let i = 0; i < 1000; i++) {
    seed = keccak_256(seed);
    list.push([seed.slice(0, 20), seed.slice(0, 1 + (seed[31] % 70))]);
  }
  assert.equal(toHex(secureTrieRoot(list)), toHex(await oracleRoot(list, true)));
});
