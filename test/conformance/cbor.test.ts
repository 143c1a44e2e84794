/**
 * The deterministic CBOR layer of the vectors, checked against the examples of RFC 8949
 * (Appendix A and §4.2.1), which were not written by us.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bytesToSigned,
  type Data,
  decodeCanonical,
  encodeCanonical,
  signedToBytes,
} from "../../conformance/cbor.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { catches, holds } from "../support/property.ts";

// RFC 8949 Appendix A, restricted to the data model of vectors (no floats, no tags).
const RFC_EXAMPLES: [Data, string][] = [
  [0, "00"],
  [1, "01"],
  [10, "0a"],
  [23, "17"],
  [24, "1818"],
  [25, "1819"],
  [100, "1864"],
  [1000, "1903e8"],
  [1000000, "1a000f4240"],
  [1000000000000, "1b000000e8d4a51000"],
  [-1, "20"],
  [-10, "29"],
  [-100, "3863"],
  [-1000, "3903e7"],
  [false, "f4"],
  [true, "f5"],
  [null, "f6"],
  [new Uint8Array(0), "40"],
  [fromHex("01020304"), "4401020304"],
  ["", "60"],
  ["a", "6161"],
  ["IETF", "6449455446"],
  ['"\\', "62225c"],
  ["\u00fc", "62c3bc"],
  ["\u6c34", "63e6b0b4"],
  [[], "80"],
  [[1, 2, 3], "83010203"],
  [[1, [2, 3], [4, 5]], "8301820203820405"],
  [{}, "a0"],
  [{ a: 1, b: [2, 3] }, "a26161016162820203"],
  [["a", { b: "c" }], "826161a161626163"],
  [{ a: "A", b: "B", c: "C", d: "D", e: "E" }, "a56161614161626142616361436164614461656145"],
];

test("encodes the RFC 8949 examples byte for byte", () => {
  for (const [value, hex] of RFC_EXAMPLES) {
    assert.equal(toHex(encodeCanonical(value)), hex, JSON.stringify(value));
  }
});

test("sorts map keys shorter first, then bytewise (RFC 8949 §4.2.1)", () => {
  // Inserted in an order that is neither length-first nor alphabetical.
  const bytes = encodeCanonical({ aa: 1, z: 2, b: 3, "10": 4 });
  assert.equal(toHex(bytes), "a4" + "6162" + "03" + "617a" + "02" + "623130" + "04" + "62616101");
});

test("writes bigints as unsigned big-endian byte strings, refuses negative ones", () => {
  assert.equal(toHex(encodeCanonical(0n)), "40");
  assert.equal(toHex(encodeCanonical(255n)), "41ff");
  assert.equal(toHex(encodeCanonical(256n)), "420100");
  assert.throws(() => encodeCanonical(-1n));
});

test("refuses values outside the data model", () => {
  const bad = [1.5, NaN, 2 ** 60, undefined, new Map(), new Date(0), [undefined]];
  bad.forEach((value, i) => {
    assert.throws(() => encodeCanonical(value as unknown as Data), `value #${i}`);
  });
});

test("refuses CBOR that is not in deterministic form", () => {
  // 5 as a two-byte integer, map keys out of order, and a tagged value.
  for (const hex of ["1805", "a2617a0161610", "a2617a01616102", "c249010000000000000000"]) {
    assert.throws(() => decodeCanonical(fromHex(hex.length % 2 ? hex + "0" : hex)), hex);
  }
});

const data: fc.Arbitrary<Data> = fc.letrec<{ value: Data }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string(),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

function reversedKeys(value: Data): Data {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) {
    const out: { [k: string]: Data } = {};
    for (const k of Object.keys(value).reverse()) out[k] = reversedKeys(value[k]);
    return out;
  }
  return value;
}

test("property: decoding inverts encoding", () => {
  holds(fc.property(data, (v) => {
    const bytes = encodeCanonical(v);
    assert.deepEqual(encodeCanonical(decodeCanonical(bytes) as Data), bytes);
  }));
});

test("property: key insertion order never changes the bytes", () => {
  const sameBytes = (encode: (v: Data) => Uint8Array) =>
    fc.property(data, (v) => toHex(encode(v)) === toHex(encode(reversedKeys(v))));
  holds(sameBytes(encodeCanonical));
  // A canonicaliser that forgets to sort keys is caught.
  catches(
    sameBytes((v) =>
      new TextEncoder().encode(JSON.stringify(v, (_k, x) => x instanceof Uint8Array ? toHex(x) : x))
    ),
  );
});

test("property: signed integers round trip through two's complement bytes", () => {
  const roundTrip = (write: (x: bigint) => Uint8Array) =>
    fc.property(
      fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
      (x) => bytesToSigned(write(x)) === x,
    );
  holds(roundTrip(signedToBytes));
  catches(roundTrip((x) => signedToBytes(x < 0n ? -x : x)));
});

test("two's complement bytes are minimal", () => {
  assert.equal(toHex(signedToBytes(0n)), "");
  assert.equal(toHex(signedToBytes(127n)), "7f");
  assert.equal(toHex(signedToBytes(128n)), "0080");
  assert.equal(toHex(signedToBytes(-1n)), "ff");
  assert.equal(toHex(signedToBytes(-128n)), "80");
  assert.equal(toHex(signedToBytes(-129n)), "ff7f");
});
