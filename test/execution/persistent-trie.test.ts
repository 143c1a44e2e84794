import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { EMPTY_TRIE_ROOT, type TrieEntry, trieRoot } from "../../spec/chain/trie.ts";
import {
  type PersistentTrie,
  persistentTrieRoot,
  trieSet,
} from "../../spec/execution/persistent-trie.ts";

/** A change: set a key (an empty value deletes it). */
type Change = [key: Uint8Array, value: Uint8Array];

/**
 * Keys from a small alphabet so that changes hit the same keys, share prefixes and end inside
 * other keys (branch values); values of 0 to 40 bytes, so that nodes are inlined or hashed and
 * some changes are deletions.
 */
const arbKey = fc.uint8Array({ minLength: 0, maxLength: 4 }).map((k) => k.map((b) => b & 0x13));
const arbChange: fc.Arbitrary<Change> = fc.tuple(
  arbKey,
  fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 40 })),
);
/** Fixed-length keys, as in the secure tries of the state. */
const arbSecureChange: fc.Arbitrary<Change> = fc.tuple(
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((k) =>
    k.map((b, i) => (i < 30 ? b & 0x11 : b))
  ),
  fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 70 })),
);

type SetFn = (trie: PersistentTrie, key: Uint8Array, value: Uint8Array) => PersistentTrie;

/**
 * After every change, the persistent trie's root is `trieRoot` of all the changes so far; and
 * the trie before the change still has its own root (changes never disturb an older trie).
 */
const property = (arb: fc.Arbitrary<Change>, set: SetFn) =>
  fc.property(fc.array(arb, { maxLength: 40 }), (changes) => {
    let trie: PersistentTrie = null;
    const applied: TrieEntry[] = [];
    for (const [key, value] of changes) {
      const before: PersistentTrie = trie;
      const rootBefore = toHex(persistentTrieRoot(before));
      trie = set(trie, key, value);
      applied.push([key, value]);
      assert.equal(toHex(persistentTrieRoot(trie)), toHex(trieRoot(applied)));
      assert.equal(toHex(persistentTrieRoot(before)), rootBefore);
    }
  });

test("property: the persistent trie's root equals trieRoot after every change", () => {
  holds(property(arbChange, trieSet), 300);
  holds(property(arbSecureChange, trieSet), 100);
});

test("property: the persistent-trie property catches broken rules", () => {
  // Deletions ignored.
  catches(property(arbChange, (t, k, v) => (v.length === 0 ? t : trieSet(t, k, v))));
  // The new trie reusing the old root's cached reference (a stale cache).
  catches(property(arbChange, (t, k, v) => {
    const next = trieSet(t, k, v);
    if (t !== null && next !== null) next.ref = t.ref;
    return next;
  }));
});

test("known answers: the empty trie, and Ethereum's doe/dog/dogglesworth trie", () => {
  assert.deepEqual(persistentTrieRoot(null), EMPTY_TRIE_ROOT);
  const enc = (s: string) => new TextEncoder().encode(s);
  let trie: PersistentTrie = null;
  for (const [k, v] of [["doe", "reindeer"], ["dog", "puppy"], ["dogglesworth", "cat"]]) {
    trie = trieSet(trie, enc(k), enc(v));
  }
  // Ethereum's trie test vector (ethereum/tests TrieTests trietest.json "puppy").
  assert.equal(
    toHex(persistentTrieRoot(trie)),
    "8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3",
  );
});
