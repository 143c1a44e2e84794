/** Deterministic stand-in blocks for store tests: the store treats blocks as opaque bytes. */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, uint64LE } from "../../spec/encoding/bytes.ts";
import type { BlockCommit } from "../../src/store/store.ts";

/** Block `n` on top of `parent`, with two transactions and two state writes. */
export function fakeBlock(n: bigint, parent: Uint8Array): BlockCommit {
  const body = concatBytes(uint64LE(n), parent, new Uint8Array(200).fill(Number(n % 251n)));
  const hash = sha256(body);
  const tx = (i: number) => sha256(concatBytes(hash, new Uint8Array([i])));
  return {
    number: n,
    hash,
    parentHash: parent,
    block: body,
    commitSig: sha256(body).slice(0, 8),
    receipts: sha256(hash),
    txHashes: [tx(0), tx(1)],
    stateWrites: [[uint64LE(n % 7n), hash], [new TextEncoder().encode("head"), uint64LE(n)]],
  };
}
