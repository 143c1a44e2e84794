/**
 * Crosslinks: encoding against `@ethereumjs/rlp`, Go's sorting test, creation from headers,
 * verification with signatures made by herumi's mcl, the ordering and duplicate rules of a
 * header's field, the beacon's bookkeeping, and properties each shown to catch a broken rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { headerHash } from "../../spec/chain/header.ts";
import { bytesEqual } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { LOCALNET, type NetworkConfig } from "../../spec/params/mod.ts";
import {
  acceptCrossLinkMessage,
  compareCrossLinks,
  createCrossLink,
  type CrossLink,
  crossLinkFacts,
  crossLinkKey,
  crossLinksField,
  type CrossLinkStore,
  decodeCrossLink,
  decodeCrossLinks,
  EMPTY_CROSSLINK_STORE,
  encodeCrossLink,
  isCrossLinkListSorted,
  MAX_CROSSLINKS_PER_BLOCK,
  recordCrossLinks,
  selectCrossLinksToPropose,
  verifyBlockCrossLinks,
  verifyCrossLink,
} from "../../spec/sharding/crosslink.ts";
import { type CommitteeLookup, committeeLookup } from "../../spec/sharding/transition.ts";
import type { ShardState } from "../../spec/sharding/shard-state.ts";
import { catches, holds } from "../support/property.ts";
import {
  bitmapOf,
  certify,
  crossLinkRlp,
  crossLinksRlp,
  EPOCH,
  hashOf,
  NET,
  QUORUM_UNITS,
  shardHeader,
  signedCrossLink,
  SIZE,
  stakedCommittee,
  unitsOf,
  worldHistory,
} from "./xlink-world.ts";

const lookup = committeeLookup(NET, worldHistory());

function rejects(fn: () => unknown, code: SpecErrorCode): void {
  assert.throws(fn, (e) => isSpecError(e, code), `expected ${code}`);
}

function bare(n: bigint, v: bigint, shard = 0n): CrossLink {
  return {
    hash: new Uint8Array(32),
    blockNumber: n,
    viewId: v,
    signature: new Uint8Array(96),
    bitmap: new Uint8Array(0),
    shardId: shard,
    epoch: 0n,
  };
}

test("Go TestCrosslinks_Sorting: view IDs 0,1,4,3,2 of block 1 sort to 0..4", () => {
  const list = [0n, 1n, 4n, 3n, 2n].map((v) => bare(1n, v));
  assert.equal(isCrossLinkListSorted(list), false);
  const sorted = decodeCrossLinks(crossLinksField(list));
  assert.deepEqual(sorted.map((c) => c.viewId), [0n, 1n, 2n, 3n, 4n]);
  assert.equal(isCrossLinkListSorted(sorted), true);
});

test("order: shard first, then number, then view ID; equal neighbours count as sorted", () => {
  const a = bare(9n, 9n, 1n);
  const b = bare(2n, 0n, 2n);
  assert.ok(compareCrossLinks(a, b) < 0);
  assert.ok(compareCrossLinks(bare(3n, 0n, 1n), bare(2n, 7n, 1n)) > 0);
  assert.equal(isCrossLinkListSorted([a, a, b]), true);
  assert.equal(isCrossLinkListSorted([b, a]), false);
  assert.deepEqual(crossLinksField([]), new Uint8Array(0));
});

test("encoding equals @ethereumjs/rlp and decodes back", () => {
  const cl = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 4]);
  const bytes = encodeCrossLink(cl);
  assert.deepEqual(bytes, crossLinkRlp(cl));
  assert.deepEqual(decodeCrossLink(bytes), cl);
  const list = [cl, signedCrossLink(2, 5n, 5n, [0])];
  assert.deepEqual(decodeCrossLinks(crossLinksRlp(list)), list);
});

test("decoding refuses a short signature, a shard beyond uint32 and a missing field", () => {
  const cl = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 4]);
  const short = { ...cl, signature: cl.signature.slice(0, 95) };
  rejects(() => decodeCrossLink(crossLinkRlp(short)), "encoding/rlp-wrong-length");
  rejects(
    () => decodeCrossLink(crossLinkRlp({ ...cl, shardId: 1n << 32n })),
    "encoding/rlp-uint-overflow",
  );
  rejects(() => encodeCrossLink(short), "crosslink/malformed");
  rejects(() => decodeCrossLink(Uint8Array.of(0xc1, 0x80)), "encoding/rlp-wrong-item-count");
});

test("createCrossLink takes the parent's identity and the child's certificate", () => {
  const parent = shardHeader({ shardId: 2n, number: 41n, viewId: 44n, epoch: EPOCH });
  const cert = certify(parent, [0, 1, 2, 3, 6]);
  const child = shardHeader({
    shardId: 2n,
    number: 42n,
    viewId: 45n,
    epoch: EPOCH,
    parentHash: headerHash(parent),
    lastCommitSignature: cert.signature,
    lastCommitBitmap: cert.bitmap,
  });
  const cl = createCrossLink(child, parent);
  assert.deepEqual(cl, {
    hash: headerHash(parent),
    blockNumber: 41n,
    viewId: 44n,
    signature: cert.signature,
    bitmap: cert.bitmap,
    shardId: 2n,
    epoch: EPOCH,
  });
  verifyCrossLink(NET, lookup, cl);
  rejects(() => createCrossLink(child, { ...parent, number: 40n }), "crosslink/parent-mismatch");
});

test("verifyCrossLink: a quorum by voting power verifies", () => {
  // Harmony slots 0-3 (4 × 12250) and slot 6 (19125): 68125 units.
  verifyCrossLink(NET, lookup, signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]));
});

test("verifyCrossLink: every rejection", () => {
  const ok = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]);
  // 4 Harmony slots and slot 4: 55375 units, below two thirds.
  rejects(
    () => verifyCrossLink(NET, lookup, signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 4])),
    "fbft/no-quorum",
  );
  rejects(() => verifyCrossLink(NET, lookup, { ...ok, viewId: 8n }), "fbft/bad-quorum-signature");
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, hash: hashOf("x") }),
    "fbft/bad-quorum-signature",
  );
  const other = signedCrossLink(2, 300n, 7n, [0, 1, 2, 3, 6]);
  rejects(
    () => verifyCrossLink(NET, lookup, { ...other, shardId: 1n }),
    "fbft/bad-quorum-signature",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, bitmap: new Uint8Array(2) }),
    "bls/bitmap-length-mismatch",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, signature: new Uint8Array(96).fill(0xff) }),
    "bls/non-canonical-coordinate",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, signedCrossLink(1, 1n, 0n, [0, 1, 2, 3, 6])),
    "crosslink/block-number-too-low",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, epoch: 185n }),
    "crosslink/not-crosslink-epoch",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, epoch: EPOCH + 1n }),
    "transition/committee-unknown",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, shardId: 7n }),
    "transition/committee-unknown",
  );
  rejects(
    () => verifyCrossLink(NET, lookup, { ...ok, blockNumber: 1n << 64n }),
    "crosslink/field-out-of-range",
  );
});

test("pre-staking: Go's verifier accepts any bitmap of a committee of four or more keys", () => {
  // A network where crosslinks start one epoch before staking (mainnet had both at 186).
  const net: NetworkConfig = {
    ...LOCALNET,
    features: { ...LOCALNET.features, CrossLink: 1n, Staking: 2n },
  };
  const uniform = stakedCommittee(1).slots.map((s) => ({ ...s, effectiveStake: null }));
  const state: ShardState = { epoch: null, shards: [{ shardId: 1n, slots: uniform }] };
  const pre = committeeLookup(net, new Map([[1n, state]]));
  // One signer of eight: the pre-staking verifier compares the committee size, not the signers.
  const ok = signedCrossLink(1, 9n, 3n, [5], 1n, false);
  verifyCrossLink(net, pre, ok);
  rejects(
    () => verifyCrossLink(net, pre, { ...ok, bitmap: bitmapOf(SIZE, [4]) }),
    "fbft/bad-quorum-signature",
  );
});

test("property: a crosslink verifies iff more than 2/3 of the epoch's voting power signed", () => {
  const signers = fc.uniqueArray(fc.integer({ min: 0, max: SIZE - 1 }), {
    minLength: 1,
    maxLength: SIZE,
  });
  const property = (look: CommitteeLookup) =>
    fc.property(signers, (s) => {
      let verified = true;
      try {
        verifyCrossLink(NET, look, signedCrossLink(3, 1000n, 3n, s));
      } catch (e) {
        if (!isSpecError(e, "fbft/no-quorum")) throw e;
        verified = false;
      }
      return verified === unitsOf(s) >= QUORUM_UNITS;
    });
  holds(property(lookup), 25);
  // Broken rule: the committee of a staking epoch judged with the pre-staking (uniform) policy.
  const uniform: CommitteeLookup = (s, e) => ({ ...lookup(s, e), policy: { kind: "uniform" } });
  catches(property(uniform), 25);
});

/** A store holding some crosslinks, as `recordCrossLinks` leaves it. */
function storeWith(list: CrossLink[], last: CrossLink[] = []): CrossLinkStore {
  return {
    processed: new Map(list.map((c) => [crossLinkKey(c.shardId, c.blockNumber), c])),
    lastContinuous: new Map(last.map((c) => [c.shardId, c])),
  };
}

test("verifyBlockCrossLinks: empty, sorted, unsorted, already processed", () => {
  const a = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]);
  const b = signedCrossLink(1, 301n, 7n, [0, 1, 2, 3, 5, 7]);
  const c = signedCrossLink(2, 10n, 1n, [0, 1, 2, 3, 6]);
  const store = EMPTY_CROSSLINK_STORE;
  assert.deepEqual(verifyBlockCrossLinks(NET, lookup, store, new Uint8Array(0)), []);
  assert.deepEqual(verifyBlockCrossLinks(NET, lookup, store, crossLinksRlp([a, b, c])), [a, b, c]);
  rejects(
    () => verifyBlockCrossLinks(NET, lookup, store, crossLinksRlp([b, a, c])),
    "crosslink/not-sorted",
  );
  rejects(
    () => verifyBlockCrossLinks(NET, lookup, storeWith([b]), crossLinksRlp([a, b, c])),
    "crosslink/already-processed",
  );
  rejects(
    () => verifyBlockCrossLinks(NET, lookup, store, Uint8Array.of(0x80)),
    "encoding/rlp-expected-list",
  );
});

test("Go quirk: the same crosslink twice in one header is accepted, and yields two facts", () => {
  const a = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]);
  const list = verifyBlockCrossLinks(NET, lookup, EMPTY_CROSSLINK_STORE, crossLinksRlp([a, a]));
  assert.equal(crossLinkFacts(NET, list).length, 2);
});

test("crossLinkFacts: one per crosslink of a staking epoch, with its bitmap", () => {
  const a = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]);
  const old = { ...a, epoch: 185n };
  assert.deepEqual(crossLinkFacts(NET, [old, a]), [
    { shardId: 1n, epoch: EPOCH, blockNumber: 300n, blockHash: a.hash, bitmap: a.bitmap },
  ]);
});

test("recordCrossLinks: first link seeds the last continuous one; the advance lags a block", () => {
  const s1 = (n: bigint) => bare(n, 0n, 1n);
  const withEpoch = (c: CrossLink) => ({ ...c, epoch: EPOCH });
  let store = recordCrossLinks(NET, EMPTY_CROSSLINK_STORE, EPOCH, [5n, 6n].map(s1).map(withEpoch));
  // Both links of the first block are stored; the later one in the list seeds "last".
  assert.equal(store.lastContinuous.get(1n)?.blockNumber, 6n);
  store = recordCrossLinks(NET, store, EPOCH, [7n, 8n].map(s1).map(withEpoch));
  // The advance reads the store before this block: 7 and 8 are not yet visible to it.
  assert.equal(store.lastContinuous.get(1n)?.blockNumber, 6n);
  store = recordCrossLinks(NET, store, EPOCH, []);
  assert.equal(store.lastContinuous.get(1n)?.blockNumber, 8n);
  store = recordCrossLinks(NET, store, EPOCH, [s1(10n)]);
  store = recordCrossLinks(NET, store, EPOCH, []);
  assert.equal(store.lastContinuous.get(1n)?.blockNumber, 8n, "a gap at 9 stops the advance");
  assert.equal(recordCrossLinks(NET, store, 185n, [s1(9n)]), store, "no change before CrossLink");
});

test("selectCrossLinksToPropose: drops stale links and stops at 16", () => {
  const pending = Array.from(
    { length: 20 },
    (_, i) => ({ ...bare(BigInt(10 + i), 0n, 1n), epoch: EPOCH }),
  );
  const store = storeWith([pending[2]], [{ ...bare(10n, 0n, 1n), epoch: EPOCH }]);
  const old = { ...bare(50n, 0n, 2n), epoch: 185n };
  const { propose, drop } = selectCrossLinksToPropose(NET, EPOCH, store, [old, ...pending]);
  assert.equal(propose.length, MAX_CROSSLINKS_PER_BLOCK);
  // Dropped: the pre-CrossLink link, number 10 (not above the last continuous), 12 (stored).
  assert.deepEqual(drop.map((c) => c.blockNumber), [50n, 10n, 12n]);
  assert.deepEqual(propose[0].blockNumber, 11n);
  assert.deepEqual(selectCrossLinksToPropose(NET, 185n, store, pending).propose, []);
});

test("acceptCrossLinkMessage: at most 7 read, invalid and stored skipped, one per number", () => {
  const good = [300n, 301n, 302n].map((n) => signedCrossLink(1, n, 1n, [0, 1, 2, 3, 6]));
  const weak = signedCrossLink(1, 303n, 1n, [0]);
  const stored = signedCrossLink(1, 304n, 1n, [0, 1, 2, 3, 6]);
  const later = Array.from(
    { length: 4 },
    (_, i) => signedCrossLink(2, 400n + BigInt(i), 1n, [0, 1, 2, 3, 6]),
  );
  const pool = acceptCrossLinkMessage(NET, lookup, storeWith([stored]), [], [
    good[2],
    weak,
    stored,
    good[0],
    good[1],
    ...later,
  ]);
  // Read: good[2], weak (no quorum), stored, good[0], good[1], later[0], later[1].
  assert.deepEqual(pool.map((c) => `${c.shardId}:${c.blockNumber}`), [
    "1:300",
    "1:301",
    "1:302",
    "2:400",
    "2:401",
  ]);
  const replaced = signedCrossLink(1, 300n, 2n, [0, 1, 2, 3, 6]);
  const pool2 = acceptCrossLinkMessage(NET, lookup, EMPTY_CROSSLINK_STORE, pool, [
    replaced,
    good[1],
  ]);
  assert.equal(pool2.length, 5);
  assert.equal(pool2[0].viewId, 2n, "the newer crosslink for 1:300 replaces the pooled one");
});

/** Runs blocks: each proposes from a pool, then records; returns all (shard, number) included. */
function runBlocks(
  select: typeof selectCrossLinksToPropose,
  record: typeof recordCrossLinks,
  pools: CrossLink[][],
): string[] {
  let store = EMPTY_CROSSLINK_STORE;
  const included: string[] = [];
  for (const pool of pools) {
    const { propose } = select(NET, EPOCH, store, pool);
    for (const c of propose) included.push(crossLinkKey(c.shardId, c.blockNumber));
    store = record(NET, store, EPOCH, propose);
  }
  return included;
}

test("property: a crosslink is never included twice across blocks", () => {
  const link = fc.record({
    shard: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 2, max: 12 }),
  })
    .map(({ shard, n }) => ({ ...bare(BigInt(n), 0n, BigInt(shard)), epoch: EPOCH }));
  const pools = fc.array(fc.array(link, { maxLength: 6 }), { minLength: 1, maxLength: 6 })
    .map((ps) => ps.map((p) => dedupe(p)));
  const once = (select: typeof selectCrossLinksToPropose, record: typeof recordCrossLinks) =>
    fc.property(pools, (ps) => {
      const keys = runBlocks(select, record, ps);
      return new Set(keys).size === keys.length;
    });
  holds(once(selectCrossLinksToPropose, recordCrossLinks));
  // Broken rule: a store that forgets what it recorded.
  catches(once(selectCrossLinksToPropose, (_c, s) => s));
  // And the verifier refuses any header repeating a recorded crosslink, before any signature.
  const a = signedCrossLink(1, 300n, 7n, [0, 1, 2, 3, 6]);
  const store = recordCrossLinks(NET, EMPTY_CROSSLINK_STORE, EPOCH, [a]);
  rejects(
    () => verifyBlockCrossLinks(NET, lookup, store, crossLinksRlp([a])),
    "crosslink/already-processed",
  );
});

/** One crosslink per (shard, number), as the pool holds them. */
function dedupe(list: CrossLink[]): CrossLink[] {
  const m = new Map<string, CrossLink>();
  for (const c of list) m.set(crossLinkKey(c.shardId, c.blockNumber), c);
  return [...m.values()];
}

test("crossLinksField sorts what the proposer selected, and bytes match @ethereumjs/rlp", () => {
  const a = signedCrossLink(2, 10n, 1n, [0, 1, 2, 3, 6]);
  const b = signedCrossLink(1, 301n, 7n, [0, 1, 2, 3, 5]);
  assert.ok(bytesEqual(crossLinksField([a, b]), crossLinksRlp([b, a])));
});
