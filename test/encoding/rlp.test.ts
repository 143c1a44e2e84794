import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import {
  bigintToBytes,
  bytesEqual,
  concatBytes,
  fromHex,
  toHex,
} from "../../spec/encoding/bytes.ts";
import { RLP_INVALID, RLP_VALID } from "../../conformance/cases/encoding/rlp_decode.ts";
import {
  decodeRlp,
  encodeRlp,
  encodeRlpList,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
  type RlpItem,
  splitRlpList,
} from "../../spec/encoding/rlp.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";
import { nearRlp, rlpItem } from "./arbitraries.ts";

const text = (s: string) => new TextEncoder().encode(s);

function rejects(fn: () => unknown, code: SpecErrorCode): void {
  assert.throws(fn, (e: unknown) => isSpecError(e, code), `expected ${code}`);
}

test("rlp: ethereum/tests valid vectors encode and decode", () => {
  for (const [name, value, hex] of RLP_VALID) {
    assert.equal(toHex(encodeRlp(value)), hex.toLowerCase(), `encode ${name}`);
    assert.deepEqual(decodeRlp(fromHex(hex)), value, `decode ${name}`);
  }
});

test("rlp: ethereum/tests invalid vectors are rejected with the right code", () => {
  for (const [name, hex, code] of RLP_INVALID) {
    assert.throws(() => decodeRlp(fromHex(hex)), (e) => isSpecError(e, code), name);
  }
});

test("rlp: @ethereumjs/rlp rejects every invalid vector too (except the empty input)", () => {
  // @ethereumjs/rlp returns an empty string for empty input; Go's decoder reports EOF.
  for (const [name, hex] of RLP_INVALID) {
    if (hex === "") continue;
    assert.throws(() => RLP.decode(fromHex(hex)), Error, name);
  }
});

test("rlp: go-ethereum typed decoding expectations (rlp/decode_test.go)", () => {
  const d = (hex: string) => decodeRlp(fromHex(hex));
  // integers read as uint32
  assert.equal(readUint(d("05"), 32), 5n);
  assert.equal(readUint(d("80"), 32), 0n);
  assert.equal(readUint(d("820505"), 32), 0x0505n);
  assert.equal(readUint(d("83050505"), 32), 0x050505n);
  assert.equal(readUint(d("8405050505"), 32), 0x05050505n);
  rejects(() => readUint(d("850505050505"), 32), "encoding/rlp-uint-overflow");
  rejects(() => readUint(d("C0"), 32), "encoding/rlp-expected-string");
  rejects(() => readUint(d("00"), 32), "encoding/rlp-leading-zero");
  rejects(() => readUint(d("8105"), 32), "encoding/rlp-non-canonical-byte");
  rejects(() => readUint(d("820004"), 32), "encoding/rlp-leading-zero");
  rejects(() => readUint(d("B8020004"), 32), "encoding/rlp-non-canonical-size");
  // arrays of five uints
  assert.deepEqual(readListOf(d("C50102030405"), 5).map((x) => readUint(x, 64)), [
    1n,
    2n,
    3n,
    4n,
    5n,
  ]);
  rejects(() => readListOf(d("C0"), 5), "encoding/rlp-wrong-item-count");
  rejects(() => readListOf(d("C102"), 5), "encoding/rlp-wrong-item-count");
  rejects(() => readListOf(d("C6010203040506"), 5), "encoding/rlp-wrong-item-count");
  rejects(() => d("F8020004"), "encoding/rlp-non-canonical-size");
  assert.deepEqual(readListOf(d("C0"), 0), []);
  rejects(() => readListOf(d("C101"), 0), "encoding/rlp-wrong-item-count");
  // byte slices
  assert.deepEqual(readBytes(d("01")), Uint8Array.of(1));
  assert.deepEqual(readBytes(d("80")), new Uint8Array(0));
  assert.deepEqual(readBytes(d("8D6162636465666768696A6B6C6D")), text("abcdefghijklm"));
  rejects(() => readBytes(d("C0")), "encoding/rlp-expected-string");
  // byte arrays
  assert.deepEqual(readFixedBytes(d("02"), 1), Uint8Array.of(2));
  assert.deepEqual(readFixedBytes(d("8180"), 1), Uint8Array.of(128));
  assert.deepEqual(readFixedBytes(d("850102030405"), 5), Uint8Array.of(1, 2, 3, 4, 5));
  for (const short of ["02", "80", "820000"]) {
    rejects(() => readFixedBytes(d(short), 5), "encoding/rlp-wrong-length");
  }
  rejects(() => readFixedBytes(d("C0"), 5), "encoding/rlp-expected-string");
  rejects(() => readFixedBytes(d("C3010203"), 5), "encoding/rlp-expected-string");
  rejects(() => readFixedBytes(d("86010203040506"), 5), "encoding/rlp-wrong-length");
  rejects(() => d("817F"), "encoding/rlp-non-canonical-byte");
  assert.deepEqual(readFixedBytes(d("80"), 0), new Uint8Array(0));
  rejects(() => readFixedBytes(d("01"), 0), "encoding/rlp-wrong-length");
  // big integers
  assert.equal(readBigUint(d("01")), 1n);
  assert.equal(readBigUint(d("89FFFFFFFFFFFFFFFFFF")), (0xffffffffffffffn << 16n) + 0xffffn);
  assert.equal(readBigUint(d("10")), 16n);
  rejects(() => readBigUint(d("C0")), "encoding/rlp-expected-string");
  rejects(() => readBigUint(d("820001")), "encoding/rlp-leading-zero");
  // a struct {A uint; B string}
  const fields = readListOf(d("C50583343434"), 2);
  assert.equal(readUint(fields[0], 64), 5n);
  assert.deepEqual(readBytes(fields[1]), text("444"));
  rejects(() => readListOf(d("C105"), 2), "encoding/rlp-wrong-item-count");
  rejects(() => readListOf(d("83222222"), 2), "encoding/rlp-expected-list");
  rejects(() => readListOf(d("C3010101"), 2), "encoding/rlp-wrong-item-count");
  rejects(() => readList(d("83222222")), "encoding/rlp-expected-list");
});

test("rlp: splitRlpList returns the raw encodings of the items (go-ethereum TestStreamRaw)", () => {
  assert.deepEqual(splitRlpList(fromHex("C58401010101")), [fromHex("8401010101")]);
  const long = "B840" + "01".repeat(64);
  assert.deepEqual(splitRlpList(fromHex("F842" + long)), [fromHex(long)]);
  assert.deepEqual(splitRlpList(fromHex("C20102")), [fromHex("01"), fromHex("02")]);
  rejects(() => splitRlpList(fromHex("82FFFF")), "encoding/rlp-expected-list");
  rejects(() => splitRlpList(fromHex("c283646f67")), "encoding/rlp-element-too-large");
});

test("rlp: nesting deeper than the call stack decodes without a stack overflow", () => {
  // 20000 lists, each holding the next, around an empty list. The list headers are computed
  // from the inside out (a payload under 56 bytes has a one-byte header, else 0xf7 + the length
  // of its big-endian length) and written once.
  const headers: Uint8Array[] = [];
  let length = 1;
  for (let i = 0; i < 20000; i++) {
    const lengthBytes = bigintToBytes(BigInt(length));
    const header = length < 56
      ? Uint8Array.of(0xc0 + length)
      : concatBytes(Uint8Array.of(0xf7 + lengthBytes.length), lengthBytes);
    headers.push(header);
    length += header.length;
  }
  const enc = concatBytes(...headers.reverse(), Uint8Array.of(0xc0));
  let item = decodeRlp(enc);
  let depth = 0;
  while (Array.isArray(item) && item.length === 1) {
    item = item[0];
    depth++;
  }
  assert.equal(depth, 20000);
  assert.deepEqual(item, []);
});

// ---------------------------------------------------------------------------------------------
// Properties. Each is also run against a deliberately broken rule, which it must catch.

type Encode = (item: RlpItem) => Uint8Array;
type Decode = (bytes: Uint8Array) => RlpItem;

const roundTrip = (encode: Encode, decode: Decode) =>
  fc.property(rlpItem, (item) => {
    assert.deepEqual(decode(encode(item)), item);
  });

/** A broken encoder: writes every one-byte string with a prefix, even below 0x80. */
const brokenEncode: Encode = (item) => {
  if (item instanceof Uint8Array) {
    return item.length === 1 ? Uint8Array.of(0x81, item[0]) : encodeRlp(item);
  }
  return encodeRlpList(item.map(brokenEncode));
};

test("property: decode(encode(item)) = item", () => {
  holds(roundTrip(encodeRlp, decodeRlp));
  catches(roundTrip(brokenEncode, decodeRlp));
});

/** Items with strings and lists whose lengths cross the one-, two- and three-byte size forms. */
const sizedItem: fc.Arbitrary<RlpItem> = fc.oneof(
  rlpItem,
  fc.constantFrom(55, 56, 255, 256, 65_535, 65_536).chain((n) =>
    fc.oneof(
      fc.uint8Array({ minLength: n, maxLength: n }),
      fc.array(fc.uint8Array({ minLength: 15, maxLength: 15 }), {
        minLength: n >> 4,
        maxLength: n >> 4,
      }),
    )
  ),
);

const encodesAsTheLibrary = (encode: Encode) =>
  fc.property(sizedItem, (item) => {
    assert.deepEqual(encode(item), RLP.encode(item));
  });

/** A broken encoder: drops the top byte of a length of 256 or more. */
const shortLengthEncode: Encode = (item) => {
  const out = encodeRlp(item);
  const first = out[0];
  const longForm = (first >= 0xb9 && first <= 0xbf) || first >= 0xf9;
  return longForm ? Uint8Array.of(first - 1, ...out.subarray(2)) : out;
};

test("property: encodeRlp writes what @ethereumjs/rlp writes, in every size form", () => {
  holds(encodesAsTheLibrary(encodeRlp), 60);
  catches(encodesAsTheLibrary(shortLengthEncode), 60);
});

const encodingIsUnique = (decode: Decode) =>
  fc.property(nearRlp, (bytes) => {
    let item: RlpItem;
    try {
      item = decode(bytes);
    } catch (e) {
      if (isSpecError(e)) return;
      throw e;
    }
    assert.ok(bytesEqual(encodeRlp(item), bytes), "an accepted input is the canonical encoding");
  });

/** A broken decoder: accepts and ignores bytes after the item. */
const lenientDecode: Decode = (bytes) => {
  try {
    return decodeRlp(bytes);
  } catch (e) {
    if (!isSpecError(e, "encoding/rlp-trailing-bytes")) throw e;
    const decoded = RLP.decode(bytes, true);
    return decoded.data as RlpItem;
  }
};

test("property: every accepted input is the one canonical encoding of its value", () => {
  holds(encodingIsUnique(decodeRlp), 300);
  catches(encodingIsUnique(lenientDecode), 300);
});

const valueOrSpecError = (decode: Decode) =>
  fc.property(nearRlp, (bytes) => {
    try {
      decode(bytes);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

test("property: the decoder returns a value or a SpecError on arbitrary bytes", () => {
  holds(valueOrSpecError(decodeRlp), 300);
  // A decoder that lets @ethereumjs/rlp's own errors escape is caught.
  catches(valueOrSpecError((b) => RLP.decode(b) as RlpItem), 300);
});

const agreesWithPackage = (decode: Decode) =>
  fc.property(nearRlp.filter((b) => b.length > 0), (bytes) => {
    let ours: RlpItem | undefined;
    let theirs: RlpItem | undefined;
    try {
      ours = decode(bytes);
    } catch (e) {
      if (!isSpecError(e)) throw e;
    }
    try {
      theirs = RLP.decode(bytes) as RlpItem;
    } catch { /* rejected */ }
    assert.deepEqual(ours, theirs);
  });

test("property: the decoder accepts exactly what @ethereumjs/rlp accepts, with equal values", () => {
  holds(agreesWithPackage(decodeRlp), 500);
  catches(agreesWithPackage(lenientDecode), 500);
});

/** Lists of any items, and one-string lists whose payload sits around the 55-byte boundary. */
const lists = fc.oneof(
  fc.array(rlpItem, { maxLength: 8 }),
  fc.uint8Array({ minLength: 50, maxLength: 60 }).map((b): RlpItem[] => [b]),
);

const listOfEncodedItems = (encodeList: (items: Uint8Array[]) => Uint8Array) =>
  fc.property(lists, (items) => {
    assert.deepEqual(encodeList(items.map(encodeRlp)), encodeRlp(items));
  });

/** A broken list encoder: the short form stops one byte early. */
const brokenList = (items: Uint8Array[]) => {
  const payload = concatBytes(...items);
  if (payload.length < 55) return concatBytes(Uint8Array.of(0xc0 + payload.length), payload);
  const length = bigintToBytes(BigInt(payload.length));
  return concatBytes(Uint8Array.of(0xf7 + length.length), length, payload);
};

test("property: encodeRlpList of encoded items equals encodeRlp of the list", () => {
  holds(listOfEncodedItems(encodeRlpList));
  catches(listOfEncodedItems(brokenList));
});

const uintRoundTrip = (read: (item: RlpItem) => bigint) =>
  fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
    assert.equal(read(decodeRlp(encodeRlp(bigintToBytes(n)))), n);
  });

test("property: integers round-trip through readUint and readBigUint", () => {
  holds(uintRoundTrip((item) => readUint(item, 64)));
  holds(uintRoundTrip(readBigUint));
  // A reader of the wrong width overflows on large values.
  catches(uintRoundTrip((item) => readUint(item, 32)));
});

const leadingZeroRejected = (read: (item: RlpItem) => bigint) =>
  fc.property(fc.uint8Array({ minLength: 1, maxLength: 7 }), (tail) => {
    const bytes = concatBytes(Uint8Array.of(0), tail);
    assert.throws(() => read(bytes), (e: unknown) => isSpecError(e, "encoding/rlp-leading-zero"));
  });

test("property: an integer with a leading zero byte is rejected", () => {
  holds(leadingZeroRejected(readBigUint));
  holds(leadingZeroRejected((item) => readUint(item, 64)));
  catches(
    leadingZeroRejected((item) => BigInt("0x0" + toHex(readBytes(item)))),
  );
});

const truncationsRejected = (decode: Decode) =>
  fc.property(rlpItem, (item) => {
    const bytes = encodeRlp(item);
    for (let cut = 0; cut < bytes.length; cut++) {
      assert.throws(() => decode(bytes.subarray(0, cut)), (e: unknown) => isSpecError(e));
    }
  });

test("property: every strict prefix of an encoding is rejected", () => {
  holds(truncationsRejected(decodeRlp), 50);
  // A decoder that pads missing bytes with zeros is caught.
  const padding: Decode = (b) => {
    for (let extra = 0; extra < 64; extra++) {
      try {
        return decodeRlp(concatBytes(b, new Uint8Array(extra)));
      } catch { /* try one more byte */ }
    }
    return decodeRlp(b);
  };
  catches(truncationsRejected(padding), 50);
});

type Reader = (item: RlpItem) => unknown;

const READERS: Reader[] = [
  (item) => readUint(item, 8),
  (item) => readUint(item, 64),
  readBigUint,
  readBytes,
  (item) => readFixedBytes(item, 20),
  readList,
  (item) => readListOf(item, 3),
];

const readersValueOrSpecError = (readers: Reader[]) =>
  fc.property(nearRlp, fc.nat(), (bytes, pick) => {
    try {
      readers[pick % readers.length](decodeRlp(bytes));
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

test("property: the typed readers return a value or a SpecError on arbitrary input", () => {
  holds(readersValueOrSpecError(READERS), 300);
  // A reader that parses integers through hex text fails on the empty string (zero).
  catches(readersValueOrSpecError([(item) => BigInt("0x" + toHex(readBytes(item)))]), 300);
});
