import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  BLOOM_BYTE_LENGTH,
  bloomAdd,
  bloomBitIndices,
  bloomContains,
  type BloomLog,
  bloomOr,
  createBloom,
  emptyBloom,
  logsBloom,
} from "../../spec/chain/bloom.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";

const text = (s: string) => new TextEncoder().encode(s);

test("bloom: go-ethereum and Harmony TestBloom (positives found, negatives not)", () => {
  let bloom = emptyBloom();
  for (const data of ["testtest", "test", "hallo", "other"]) bloom = bloomAdd(bloom, text(data));
  for (const data of ["testtest", "test", "hallo", "other"]) {
    assert.ok(bloomContains(bloom, text(data)), data);
  }
  for (const data of ["tes", "lo"]) assert.ok(!bloomContains(bloom, text(data)), data);
});

test("bloom: go-ethereum TestBloomExtensively (100 entries, keccak of the filter)", () => {
  let bloom = emptyBloom();
  for (let i = 0; i < 100; i++) {
    bloom = bloomAdd(bloom, text(`xxxxxxxxxx data ${i} yyyyyyyyyyyyyy`));
  }
  assert.equal(
    toHex(keccak_256(bloom)),
    "c8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263",
  );
});

test("bloom: go-ethereum TestBloomOr and CreateBloom over receipts", () => {
  const left = bloomAdd(emptyBloom(), text("left"));
  const right = bloomAdd(emptyBloom(), text("right"));
  const merged = bloomOr(left, right);
  assert.ok(bloomContains(merged, text("left")) && bloomContains(merged, text("right")));
  assert.ok(!bloomContains(left, text("right")), "or does not change its inputs");
  const address = (b: number) => new Uint8Array(20).fill(b);
  const topic = (b: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? b : 0));
  const r1: BloomLog[] = [{ address: address(0x11), topics: [topic(1)] }];
  const r2: BloomLog[] = [{ address: address(0x22), topics: [topic(2), topic(3)] }];
  assert.deepEqual(createBloom([r1, r2]), bloomOr(createBloom([r1]), createBloom([r2])));
  assert.deepEqual(createBloom([]), emptyBloom());
});

test("bloom: each entry sets at most three bits, each the low 11 bits of a hash pair", () => {
  const h = keccak_256(text("hallo"));
  const indices = bloomBitIndices(text("hallo"));
  assert.deepEqual(indices, [0, 2, 4].map((i) => ((h[i] << 8) + h[i + 1]) % 2048));
  const bloom = bloomAdd(emptyBloom(), text("hallo"));
  let set = 0;
  for (const byte of bloom) for (let b = 0; b < 8; b++) set += (byte >> b) & 1;
  assert.equal(set, new Set(indices).size);
  // Bit k of the big-endian 2048-bit number: bit 0 is the lowest bit of the last byte.
  for (const k of indices) assert.ok((bloom[255 - (k >> 3)] >> (k & 7)) & 1);
});

test("bloom: a filter must be 256 bytes", () => {
  for (const bad of [new Uint8Array(255), new Uint8Array(257)]) {
    assert.throws(() => bloomContains(bad, text("x")), (e) => isSpecError(e, "bloom/wrong-length"));
    assert.throws(() => bloomAdd(bad, text("x")), (e) => isSpecError(e, "bloom/wrong-length"));
    assert.throws(() => bloomOr(bad, emptyBloom()), (e) => isSpecError(e, "bloom/wrong-length"));
  }
  assert.equal(emptyBloom().length, BLOOM_BYTE_LENGTH);
});

const entry = fc.uint8Array({ maxLength: 40 });
const log: fc.Arbitrary<BloomLog> = fc.record({
  address: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  topics: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 4 }),
});

/** Whatever was added is found: the address and every topic of every log. */
function containsWhatWasAdded(
  bloomOf: (logs: BloomLog[]) => Uint8Array,
  contains: (bloom: Uint8Array, data: Uint8Array) => boolean,
) {
  return fc.property(fc.array(log, { maxLength: 5 }), (logs) => {
    const bloom = bloomOf(logs);
    for (const l of logs) {
      assert.ok(contains(bloom, l.address));
      for (const t of l.topics) assert.ok(contains(bloom, t));
    }
  });
}

test("bloom: a bloom contains what was added to it", () => {
  holds(containsWhatWasAdded(logsBloom, bloomContains));
  // Broken: topics are not added (a log contributes its address only).
  const addressOnly = (logs: BloomLog[]) =>
    logsBloom(logs.map((l) => ({ address: l.address, topics: [] })));
  catches(containsWhatWasAdded(addressOnly, bloomContains));
  // Broken: the lookup reads the filter little-endian.
  const littleEndian = (bloom: Uint8Array, data: Uint8Array) =>
    bloomContains(bloom.slice().reverse(), data);
  catches(containsWhatWasAdded(logsBloom, littleEndian));
});

test("bloom: union is commutative, and the union contains both sides", () => {
  const unionProperty = (or: (a: Uint8Array, b: Uint8Array) => Uint8Array) =>
    fc.property(fc.array(entry, { maxLength: 5 }), fc.array(entry, { maxLength: 5 }), (xs, ys) => {
      const a = xs.reduce(bloomAdd, emptyBloom());
      const b = ys.reduce(bloomAdd, emptyBloom());
      assert.deepEqual(or(a, b), or(b, a));
      for (const x of [...xs, ...ys]) assert.ok(bloomContains(or(a, b), x));
    });
  holds(unionProperty(bloomOr));
  // Broken: intersection instead of union.
  catches(unionProperty((a, b) => a.map((x, i) => x & b[i])));
});
