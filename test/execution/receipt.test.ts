import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeReceipt as oracleEncode } from "@ethereumjs/vm";
import { catches, holds } from "../support/property.ts";
import { isSpecError } from "../../spec/errors.ts";
import { logsBloom } from "../../spec/chain/bloom.ts";
import { decodeReceipt, encodeReceipt, type Receipt } from "../../spec/execution/receipt.ts";
import { decodeCxReceipt, encodeCxReceipt } from "../../spec/execution/cx-receipt.ts";

const arbLog = fc.record({
  address: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  topics: fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 40 }),
});

const arbReceipt: fc.Arbitrary<Receipt> = fc.record({
  postState: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: null }),
  status: fc.constantFrom(0 as const, 1 as const),
  cumulativeGasUsed: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  logs: fc.array(arbLog, { maxLength: 3 }),
}).map((r) => ({
  ...r,
  status: r.postState === null ? r.status : 1,
  bloom: logsBloom(r.logs),
  txHash: new Uint8Array(32),
  contractAddress: null,
  gasUsed: 0n,
  effectiveGasPrice: 0n,
}));

/** The receipt encoding of @ethereumjs/vm, an independent implementation. */
function oracle(r: Receipt): Uint8Array {
  const base = {
    cumulativeBlockGasUsed: r.cumulativeGasUsed,
    bitvector: r.bloom,
    logs: r.logs.map((l) =>
      [l.address, l.topics, l.data] as [Uint8Array, Uint8Array[], Uint8Array]
    ),
  };
  const receipt = r.postState === null
    ? { ...base, status: r.status }
    : { ...base, stateRoot: r.postState };
  return oracleEncode(receipt as never, 0);
}

// The library writes a cumulative gas of 0 as the byte 0x00, not canonical RLP; a receipt always
// follows at least 21000 gas, so the comparison starts at 1.
const usedReceipt = arbReceipt.filter((r) => r.cumulativeGasUsed > 0n);

test("property: receipts encode as @ethereumjs/vm encodes them (status and post-state forms)", () => {
  holds(fc.property(usedReceipt, (r) => assert.deepEqual(encodeReceipt(r), oracle(r))));
  // Broken rule: a failed status written as 0x00 instead of the empty string.
  const broken = (r: Receipt) =>
    r.postState === null && r.status === 0
      ? encodeReceipt({ ...r, postState: Uint8Array.of(0) })
      : encodeReceipt(r);
  catches(fc.property(usedReceipt, (r) => assert.deepEqual(broken(r), oracle(r))));
});

test("property: a receipt encoded again gives its encoding anew, whatever became of an earlier copy", () => {
  holds(
    fc.property(usedReceipt, (r) => {
      const first = encodeReceipt(r);
      first.fill(0xff);
      assert.deepEqual(encodeReceipt(r), oracle(r));
      // A changed copy of the record is a new record with its own encoding.
      const changed = { ...r, cumulativeGasUsed: r.cumulativeGasUsed + 1n };
      assert.deepEqual(encodeReceipt(changed), oracle(changed));
    }),
  );
});

test("property: receipts round-trip through their consensus encoding", () => {
  holds(
    fc.property(arbReceipt, (r) => {
      const d = decodeReceipt(encodeReceipt(r));
      assert.deepEqual(
        [d.postState, d.status, d.cumulativeGasUsed, d.bloom, d.logs],
        [r.postState, r.status, r.cumulativeGasUsed, r.bloom, r.logs.map((l) => ({ ...l }))],
      );
    }),
  );
});

test("property: receipt and CXReceipt decoders given arbitrary bytes return or throw a SpecError", () => {
  const fuzz = (decode: (b: Uint8Array) => unknown) =>
    fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      try {
        decode(bytes);
      } catch (e) {
        assert.ok(isSpecError(e), String(e));
      }
    });
  holds(fuzz(decodeReceipt), 300);
  holds(fuzz(decodeCxReceipt), 300);
  catches(
    fuzz((b) => {
      if (b.length > 2 && b[0] >= 0xc0) throw new TypeError("raw");
      return decodeReceipt(b);
    }),
    300,
  );
});

test("property: CXReceipts round-trip", () => {
  const arbCx = fc.record({
    txHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    from: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    to: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    shardId: fc.bigInt({ min: 0n, max: 0xffffffffn }),
    toShardId: fc.bigInt({ min: 0n, max: 0xffffffffn }),
    amount: fc.bigInt({ min: 0n, max: 1n << 200n }),
  });
  holds(
    fc.property(arbCx, (cx) => assert.deepEqual(decodeCxReceipt(encodeCxReceipt(cx)), { ...cx })),
  );
  catches(
    fc.property(
      arbCx,
      (cx) =>
        assert.deepEqual(decodeCxReceipt(encodeCxReceipt({ ...cx, amount: cx.amount + 1n })), {
          ...cx,
        }),
    ),
  );
});
