/**
 * Cross-shard receipt proofs: proofs written with `@ethereumjs/rlp`, roots from `@ethereumjs/mpt`,
 * certificates signed by herumi's mcl; every rejection of `ValidateCXReceiptsProof` and
 * `VerifyIncomingReceipts`; and the property that a proof is never credited twice, shown to catch
 * Go's unbound spent key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import { headerHash } from "../../spec/chain/header.ts";
import { deriveSha } from "../../spec/chain/derive-sha.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import {
  cxMerkleProof,
  decodeCxReceiptsProof,
  encodeCxReceiptsProof,
  type SpentPredicate,
  type VerifiedReceipts,
  verifyCxReceiptsProof,
  verifyIncomingReceipts,
} from "../../spec/sharding/cx-proof.ts";
import { committeeLookup } from "../../spec/sharding/transition.ts";
import { receiptsCreditedOnce } from "../../spec/invariants.ts";
import { catches, holds } from "../support/property.ts";
import {
  bitmapOf,
  certify,
  hashOf,
  NET,
  oracleDeriveSha,
  proofRlp,
  receiptRlp,
  SIZE,
  sourceBlock,
  WORLD_STATE,
} from "./xlink-world.ts";

const lookup = committeeLookup(NET, new Map([[1000n, WORLD_STATE]]));
const HEAD = 500n;
// Shard 2, block 77: receipts to shards 0, 3, 0, 1, 3.
const SRC = await sourceBlock(2n, 77n, [0n, 3n, 0n, 1n, 3n]);
// Shard 3, block 12: receipts to shards 0 and 1.
const SRC2 = await sourceBlock(3n, 12n, [0n, 1n]);
const NONE: SpentPredicate = () => false;

function rejects(fn: () => unknown, code: SpecErrorCode): void {
  assert.throws(fn, (e) => isSpecError(e, code), `expected ${code}`);
}

function verify(bytes: Uint8Array, head = HEAD): VerifiedReceipts {
  return verifyCxReceiptsProof(NET, lookup, decodeCxReceiptsProof(bytes), head);
}

test("decoding: the oracle-built proof reads back, and the source's merkle proof matches", () => {
  const bytes = proofRlp(SRC, 0n);
  const proof = decodeCxReceiptsProof(bytes);
  assert.deepEqual(encodeCxReceiptsProof(proof), bytes);
  assert.deepEqual(proof.merkleProof, cxMerkleProof(SRC.header, SRC.outgoing, 4n));
  assert.deepEqual(proof.merkleProof.shardIds, [0n, 1n, 3n]);
  assert.equal(cxMerkleProof(SRC.header, [], 4n), null);
  assert.deepEqual(proof.receipts.map((r) => r.toShardId), [0n, 0n]);
});

test("decoding refuses a receipt without recipient and a proof with a missing field", () => {
  const noTo = RLP.encode([hashOf("t"), new Uint8Array(20), new Uint8Array(0), [], [], []]);
  rejects(
    () => decodeCxReceiptsProof(proofRlp(SRC, 0n, { receipts: [noTo] })),
    "encoding/rlp-wrong-length",
  );
  const four = RLP.encode((RLP.decode(proofRlp(SRC, 0n)) as Uint8Array[]).slice(0, 4));
  rejects(() => decodeCxReceiptsProof(four), "encoding/rlp-wrong-item-count");
});

test("a valid proof gives its source and receipts", () => {
  const v = verify(proofRlp(SRC, 3n));
  assert.equal(v.sourceShardId, 2n);
  assert.equal(v.sourceBlockNumber, 77n);
  assert.deepEqual(v.sourceBlockHash, headerHash(SRC.header));
  assert.equal(v.toShardId, 3n);
  assert.deepEqual(v.receipts, [SRC.outgoing[1].encoding, SRC.outgoing[4].encoding]);
});

test("every rejection of a single proof", () => {
  const r0 = SRC.outgoing[0].encoding;
  const r3 = SRC.outgoing[1].encoding;
  rejects(() => verify(proofRlp(SRC, 0n, { receipts: [] })), "cxproof/no-receipts");
  rejects(() => verify(proofRlp(SRC, 0n, { receipts: [r0, r3] })), "cxproof/mixed-destinations");
  rejects(
    () => verify(proofRlp(SRC, 0n, { shardIds: [1n, 3n], cxShardHashes: SRC.roots.slice(1) })),
    "cxproof/destination-not-in-proof",
  );
  rejects(
    () => verify(proofRlp(SRC, 0n, { cxShardHashes: SRC.roots.slice(0, 2) })),
    "cxproof/shard-hashes-length-mismatch",
  );
  const tampered = receiptRlp(999, 2n, 0n, 10n ** 30n);
  rejects(
    () => verify(proofRlp(SRC, 0n, { receipts: [r0, tampered] })),
    "cxproof/receipts-root-mismatch",
  );
  rejects(
    () => verify(proofRlp(SRC, 0n, { receipts: [SRC.outgoing[2].encoding, r0] })),
    "cxproof/receipts-root-mismatch",
  );
  const roots = SRC.roots.slice();
  roots[2] = hashOf("other");
  rejects(
    () => verify(proofRlp(SRC, 0n, { cxShardHashes: roots })),
    "cxproof/outgoing-root-mismatch",
  );
  rejects(() => verify(proofRlp(SRC, 0n, { blockHash: hashOf("x") })), "cxproof/header-mismatch");
  const other = { ...SRC.header, outgoingReceiptHash: hashOf("y") };
  rejects(
    () => verify(proofRlp(SRC, 0n, { header: other, blockHash: headerHash(other) })),
    "cxproof/header-mismatch",
  );
  rejects(() => verify(proofRlp(SRC, 0n, { blockNum: 78n })), "cxproof/source-mismatch");
  rejects(() => verify(proofRlp(SRC, 0n, { shardId: 1n })), "cxproof/source-mismatch");
  const early = { ...SRC.header, epoch: 28n };
  rejects(
    () => verify(proofRlp(SRC, 0n, { header: early, blockHash: headerHash(early) })),
    "cxproof/cross-tx-not-accepted",
  );
});

test("the source header's certificate: quorum, signature, committee", () => {
  const weak = certify(SRC.header, [0, 1, 2, 3]);
  rejects(
    () => verify(proofRlp(SRC, 0n, { signature: weak.signature, bitmap: weak.bitmap })),
    "fbft/no-quorum",
  );
  const wrong = certify(SRC2.header, [0, 1, 2, 3, 6]);
  rejects(
    () => verify(proofRlp(SRC, 0n, { signature: wrong.signature })),
    "fbft/bad-quorum-signature",
  );
  rejects(
    () => verify(proofRlp(SRC, 0n, { bitmap: bitmapOf(SIZE + 8, [0]) })),
    "bls/bitmap-length-mismatch",
  );
  const later = { ...SRC.header, epoch: 1001n };
  rejects(
    () => verify(proofRlp(SRC, 0n, { header: later, blockHash: headerHash(later) })),
    "transition/committee-unknown",
  );
  // While the verifying chain's head is block 0 or 1 the certificate is not checked (Go).
  verify(proofRlp(SRC, 0n, { signature: weak.signature, bitmap: weak.bitmap }), 1n);
  // Go copies the signature into 96 bytes: trailing bytes are ignored.
  const long = Uint8Array.from([...SRC.cert.signature, 1, 2, 3]);
  verify(proofRlp(SRC, 0n, { signature: long }));
});

test("a block's incoming receipts: valid, spent, duplicate, wrong shard, wrong root", async () => {
  const proofs = [proofRlp(SRC, 0n), proofRlp(SRC2, 0n)];
  const root = await oracleDeriveSha(proofs);
  const got = verifyIncomingReceipts(NET, lookup, 0n, proofs, root, NONE, HEAD);
  assert.deepEqual(got.map((v) => [v.sourceShardId, v.sourceBlockNumber]), [[2n, 77n], [3n, 12n]]);
  const spent: SpentPredicate = (s, n) => s === 3n && n === 12n;
  rejects(
    () => verifyIncomingReceipts(NET, lookup, 0n, proofs, root, spent, HEAD),
    "cxproof/already-spent",
  );
  const twice = [proofs[0], proofs[0]];
  const twiceRoot = await oracleDeriveSha(twice);
  rejects(
    () => verifyIncomingReceipts(NET, lookup, 0n, twice, twiceRoot, NONE, HEAD),
    "cxproof/duplicate-in-block",
  );
  rejects(
    () => verifyIncomingReceipts(NET, lookup, 1n, proofs, root, NONE, HEAD),
    "cxproof/wrong-destination",
  );
  rejects(
    () => verifyIncomingReceipts(NET, lookup, 0n, proofs, hashOf("z"), NONE, HEAD),
    "cxproof/incoming-root-mismatch",
  );
  const empty = await oracleDeriveSha([]);
  assert.deepEqual(verifyIncomingReceipts(NET, lookup, 0n, [], empty, NONE, HEAD), []);
});

type BlockVerifier = (proofs: Uint8Array[], isSpent: SpentPredicate) => VerifiedReceipts[];

/** The spec's block check (the certificate skipped: head 1; the property is about spent keys). */
const specBlock: BlockVerifier = (proofs, isSpent) =>
  verifyIncomingReceipts(NET, lookup, 0n, proofs, deriveSha(proofs), isSpent, 1n);

/** Go's rule: the merkle proof's block number and shard are not bound to the header. */
const goBlock: BlockVerifier = (proofs, isSpent) =>
  specBlock(
    proofs.map((bytes) => {
      const p = decodeCxReceiptsProof(bytes);
      const bound = { ...p.merkleProof, blockNum: p.header.number, shardId: p.header.shardId };
      const key = `${p.merkleProof.shardId}:${p.merkleProof.blockNum}`;
      if (isSpent(p.merkleProof.shardId, p.merkleProof.blockNum)) throw new Error(`spent ${key}`);
      return encodeCxReceiptsProof({ ...p, merkleProof: bound });
    }),
    (s, n) => s === -1n && n === -1n, // checked above, on the unbound key
  );

test("property: a receipt proof is never credited twice", () => {
  // Candidate proofs for shard 0: the two honest ones, and replays claiming other block numbers.
  const candidates = [proofRlp(SRC, 0n), proofRlp(SRC2, 0n)];
  for (const n of [78n, 1000n]) candidates.push(proofRlp(SRC, 0n, { blockNum: n }));
  candidates.push(proofRlp(SRC2, 0n, { blockNum: 13n }));
  const blocks = fc.array(
    fc.uniqueArray(fc.integer({ min: 0, max: candidates.length - 1 }), {
      maxLength: 3,
    }),
    { minLength: 1, maxLength: 6 },
  );
  const once = (check: BlockVerifier) =>
    fc.property(blocks, (picks) => {
      const spent = new Set<string>();
      // What was really credited: the signed source blocks, in the spent set's key form.
      let credited = new Set<string>();
      for (const pick of picks) {
        const proofs = pick.map((i) => candidates[i]);
        let verified: VerifiedReceipts[];
        try {
          verified = check(proofs, (s, n) => spent.has(`${s}:${n}`));
        } catch {
          continue; // the block is invalid: nothing is credited
        }
        if (receiptsCreditedOnce(credited, verified) !== true) return false;
        const sources = verified.map((v) => `${v.sourceShardId}:${v.sourceBlockNumber}`);
        credited = new Set([...credited, ...sources]);
        // The spent flag is written under the merkle proof's (shard, number), as Go does.
        for (const bytes of proofs) {
          const m = decodeCxReceiptsProof(bytes).merkleProof;
          spent.add(`${m.shardId}:${m.blockNum}`);
        }
      }
      return true;
    });
  holds(once(specBlock), 40);
  catches(once(goBlock), 200);
});
