import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createMPT } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  cxReceiptsMerkleRoot,
  deriveMultipleShardsSha,
  deriveOneShardSha,
  deriveSha,
  EMPTY_ROOT_HASH,
  indexKey,
  type RoutedItem,
} from "../../spec/chain/derive-sha.ts";
import { trieRoot } from "../../spec/chain/trie.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { catchesAsync, holdsAsync } from "../support/property.ts";
import { structItem } from "./arbitraries.ts";

/** The oracle: @ethereumjs/mpt with keys RLP(i) for each item, as go-ethereum's DeriveSha. */
async function oracleDeriveSha(items: Uint8Array[], keys?: number[]): Promise<Uint8Array> {
  const trie = await createMPT();
  for (let i = 0; i < items.length; i++) await trie.put(RLP.encode(keys?.[i] ?? i), items[i]);
  return trie.root();
}

/** ComputeMerkleRoot restated over the oracle: shard (4 bytes BE) ‖ root, per shard present. */
async function oracleCxRoot(receipts: RoutedItem[], renumber: boolean): Promise<Uint8Array> {
  const shards = [...new Set(receipts.map((r) => Number(r.toShardId)))].sort((a, b) => a - b);
  if (shards.length === 0) return EMPTY_ROOT_HASH;
  const parts: number[] = [];
  for (const shard of shards) {
    const positions = receipts.flatMap((r, i) => (Number(r.toShardId) === shard ? [i] : []));
    const items = positions.map((i) => receipts[i].encoding);
    const root = await oracleDeriveSha(items, renumber ? undefined : positions);
    parts.push(shard >>> 24, (shard >>> 16) & 255, (shard >>> 8) & 255, shard & 255, ...root);
  }
  return keccak_256(Uint8Array.from(parts));
}

test("derive sha: index keys are RLP integers", () => {
  assert.equal(toHex(indexKey(0n)), "80");
  assert.equal(toHex(indexKey(1n)), "01");
  assert.equal(toHex(indexKey(127n)), "7f");
  assert.equal(toHex(indexKey(128n)), "8180");
  assert.equal(toHex(indexKey(256n)), "820100");
});

test("derive sha: the empty list gives EmptyRootHash 56e81f…b421", () => {
  assert.equal(
    toHex(deriveSha([])),
    "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
  );
  assert.deepEqual(cxReceiptsMerkleRoot([]), EMPTY_ROOT_HASH);
  assert.deepEqual(deriveMultipleShardsSha([]), EMPTY_ROOT_HASH);
});

/** deriveSha equals the oracle. */
function deriveShaAgrees(derive: (items: Uint8Array[]) => Uint8Array) {
  return fc.asyncProperty(fc.array(structItem, { maxLength: 20 }), async (items) => {
    assert.equal(toHex(derive(items)), toHex(await oracleDeriveSha(items)));
  });
}

test("derive sha: equals the trie of RLP(index) -> item built by @ethereumjs/mpt", async () => {
  await holdsAsync(deriveShaAgrees(deriveSha), 60);
});

test("derive sha: across the one-byte/two-byte key boundary (200 items)", async () => {
  const items: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) items.push(RLP.encode([i, "x".repeat(i % 50)]));
  assert.equal(toHex(deriveSha(items)), toHex(await oracleDeriveSha(items)));
});

test("derive sha: the oracle property catches broken rules", async () => {
  // Keys as 8-byte big-endian integers instead of RLP.
  const fixedKeys = (items: Uint8Array[]) =>
    trieRoot(items.map((item, i): [Uint8Array, Uint8Array] => {
      const key = new Uint8Array(8);
      new DataView(key.buffer).setBigUint64(0, BigInt(i));
      return [key, item];
    }));
  // Numbering from 1.
  const offByOne = (items: Uint8Array[]) =>
    trieRoot(items.map((item, i): [Uint8Array, Uint8Array] => [indexKey(BigInt(i + 1)), item]));
  for (const broken of [fixedKeys, offByOne]) {
    await catchesAsync(deriveShaAgrees(broken), 60);
  }
});

const routed = fc.array(
  fc.record({ toShardId: fc.bigInt({ min: 0n, max: 3n }), encoding: structItem }),
  { maxLength: 12 },
);

/** The outgoing-receipt commitments equal their restatement over the oracle. */
function cxAgrees(root: (r: RoutedItem[]) => Uint8Array, renumber: boolean) {
  return fc.asyncProperty(routed, async (receipts) => {
    assert.equal(toHex(root(receipts)), toHex(await oracleCxRoot(receipts, renumber)));
  });
}

test("derive sha: ComputeMerkleRoot and the legacy DeriveMultipleShardsSha, against the oracle", async () => {
  await holdsAsync(cxAgrees(cxReceiptsMerkleRoot, true), 60);
  await holdsAsync(cxAgrees(deriveMultipleShardsSha, false), 60);
  // Each rule is a broken version of the other: they differ once shards interleave.
  await catchesAsync(cxAgrees(deriveMultipleShardsSha, true), 60);
  await catchesAsync(cxAgrees(cxReceiptsMerkleRoot, false), 60);
});

test("derive sha: the two outgoing-receipt rules agree when one shard receives everything", () => {
  const receipts: RoutedItem[] = [1, 2, 3].map((n) => ({
    toShardId: 2n,
    encoding: RLP.encode([n]),
  }));
  assert.deepEqual(cxReceiptsMerkleRoot(receipts), deriveMultipleShardsSha(receipts));
  assert.deepEqual(deriveOneShardSha(receipts, 2n), deriveSha(receipts.map((r) => r.encoding)));
  assert.deepEqual(deriveOneShardSha(receipts, 1n), EMPTY_ROOT_HASH);
  const expected = keccak_256(
    Uint8Array.from([0, 0, 0, 2, ...deriveSha(receipts.map((r) => r.encoding))]),
  );
  assert.deepEqual(cxReceiptsMerkleRoot(receipts), expected);
});
