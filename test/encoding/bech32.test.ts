import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { bech32 as scure } from "@scure/base";
import {
  bech32Decode,
  bech32DecodeBytes,
  type Bech32Decoded,
  bech32Encode,
  bech32EncodeBytes,
  convertBits,
} from "../../spec/encoding/bech32.ts";
import { fromHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";

/**
 * BIP-173's test vectors as btcsuite's bech32_test.go states them (TestBech32), with the reason
 * btcsuite gives for each invalid one, as a spec code. Harmony decodes with that btcsuite version.
 */
const VALID = [
  "A12UEL5L",
  "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
  "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
];

const INVALID: [string, SpecErrorCode][] = [
  ["split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w", "encoding/bech32-bad-checksum"],
  ["s lit1checkupstagehandshakeupstreamerranterredcaperredp8hs2p", "encoding/bech32-bad-character"],
  [
    "spl\x7Ft1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "encoding/bech32-bad-character",
  ],
  ["split1cheo2y9e2w", "encoding/bech32-non-charset-character"],
  ["split1a2y9w", "encoding/bech32-bad-separator"],
  ["1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "encoding/bech32-bad-separator"],
  [
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "encoding/bech32-invalid-length",
  ],
  [" 1nwldj5", "encoding/bech32-bad-character"],
  ["\x7f1axkwrx", "encoding/bech32-bad-character"],
  ["\x801eym55h", "encoding/bech32-bad-character"],
  [
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "encoding/bech32-invalid-length",
  ],
  ["pzry9x0s0muk", "encoding/bech32-bad-separator"],
  ["1pzry9x0s0muk", "encoding/bech32-bad-separator"],
  ["x1b4n0q5v", "encoding/bech32-non-charset-character"],
  ["li1dgmt3", "encoding/bech32-bad-separator"],
  ["de1lg7wt\xff", "encoding/bech32-bad-character"],
  ["A1G7SGD8", "encoding/bech32-bad-checksum"],
  ["10a06t8", "encoding/bech32-invalid-length"],
  ["1qzzfhee", "encoding/bech32-bad-separator"],
  ["a12UEL5L", "encoding/bech32-mixed-case"],
  ["A12uEL5L", "encoding/bech32-mixed-case"],
];

test("bech32: BIP-173 valid strings decode and re-encode to their lowercase form", () => {
  for (const s of VALID) {
    const { hrp, words } = bech32Decode(s);
    assert.equal(bech32Encode(hrp, words), s.toLowerCase(), s);
    const oracle = scure.decode(s as `${string}1${string}`);
    assert.deepEqual({ hrp: oracle.prefix, words: oracle.words }, { hrp, words }, s);
  }
});

test("bech32: BIP-173 invalid strings are rejected for btcsuite's reason", () => {
  for (const [s, code] of INVALID) {
    assert.throws(() => bech32Decode(s), (e: unknown) => isSpecError(e, code), JSON.stringify(s));
  }
});

test("bech32: btcsuite TestMixedCaseEncode (hrp is lowercased)", () => {
  const words = (hex: string) => convertBits(fromHex(hex), 8, 5, true);
  assert.equal(bech32Encode("A", words("")), "a12uel5l");
  assert.equal(bech32Encode("UPPERCASE", words("787878")), "uppercase10pu8sss7kmp");
  const data = "00443214c74254b635cf84653a56d7c675be77df";
  for (const hrp of ["AbCdEf", "aBcDeF", "abcdef"]) {
    assert.equal(bech32Encode(hrp, words(data)), "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  }
});

test("bech32: Harmony internal/bech32 TestEncodeAndDecode", () => {
  const sum = new Uint8Array(createHash("sha256").update("hello world123\n").digest());
  const text = bech32EncodeBytes("shasum", sum);
  assert.equal(text, scure.encodeFromBytes("shasum", sum));
  assert.deepEqual(bech32DecodeBytes(text), { hrp: "shasum", bytes: sum });
});

test("bech32: padding of the 5-bit to 8-bit conversion", () => {
  // 2 words = 10 bits: one byte and 2 zero bits of padding (allowed).
  assert.deepEqual(convertBits([0b11111, 0b11100], 5, 8, false), [0xff]);
  // A non-zero padding bit.
  assert.throws(
    () => convertBits([0b11111, 0b11101], 5, 8, false),
    (e: unknown) => isSpecError(e, "encoding/bech32-bad-padding"),
  );
  // 1 word = 5 bits of leftover padding: more than 4.
  assert.throws(
    () => convertBits([0], 5, 8, false),
    (e: unknown) => isSpecError(e, "encoding/bech32-bad-padding"),
  );
  assert.throws(
    () => bech32Encode("", []),
    (e: unknown) => isSpecError(e, "encoding/bech32-invalid-hrp"),
  );
});

// --- properties ----------------------------------------------------------------------------------

const hrps = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"),
  minLength: 1,
  maxLength: 10,
});

type Decode = (text: string) => Bech32Decoded;
type Encode = (hrp: string, words: number[]) => string;

const agreesWithScureOnEncode = (encode: Encode) =>
  fc.property(hrps, fc.uint8Array({ maxLength: 40 }), (hrp, bytes) => {
    const words = scure.toWords(bytes);
    assert.equal(encode(hrp, words), scure.encode(hrp, words, false));
  });

/** A broken encoder: the checksum's final constant is 0 instead of 1. */
const brokenEncode: Encode = (hrp, words) => {
  const good = bech32Encode(hrp, words);
  // Re-derive with the constant changed by flipping the checksum's last bit.
  const last = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".indexOf(good[good.length - 1]) ^ 1;
  return good.slice(0, -1) + "qpzry9x8gf2tvdw0s3jn54khce6mua7l"[last];
};

test("property: bech32 encoding agrees with @scure/base", () => {
  holds(agreesWithScureOnEncode(bech32Encode));
  catches(agreesWithScureOnEncode(brokenEncode));
});

/** Valid strings, and valid strings with one character replaced or its case changed. */
const nearBech32 = fc.oneof(
  fc.tuple(hrps, fc.uint8Array({ maxLength: 40 })).map(([h, b]) => scure.encodeFromBytes(h, b)),
  fc.tuple(hrps, fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.integer({ min: 32, max: 127 }))
    .map(([h, b, at, c]) => {
      const s = scure.encodeFromBytes(h, b);
      const i = at % s.length;
      return s.slice(0, i) + String.fromCharCode(c) + s.slice(i + 1);
    }),
  fc.tuple(hrps, fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.boolean()).map(
    ([h, b, at, all]) => {
      const s = scure.encodeFromBytes(h, b);
      if (all) return s.toUpperCase();
      const i = at % s.length;
      return s.slice(0, i) + s[i].toUpperCase() + s.slice(i + 1);
    },
  ),
);

const agreesWithScureOnDecode = (decode: Decode) =>
  fc.property(nearBech32, (text) => {
    let ours: Bech32Decoded | undefined;
    let theirs: Bech32Decoded | undefined;
    try {
      ours = decode(text);
    } catch (e) {
      if (!isSpecError(e)) throw e;
    }
    try {
      const d = scure.decode(text);
      theirs = { hrp: d.prefix, words: d.words };
    } catch { /* rejected */ }
    assert.deepEqual(ours, theirs);
  });

/** A broken decoder: accepts mixed case by lowercasing everything first. */
const caseBlindDecode: Decode = (text) => bech32Decode(text.toLowerCase());

test("property: bech32 decoding accepts exactly what @scure/base accepts, with equal values", () => {
  holds(agreesWithScureOnDecode(bech32Decode), 300);
  catches(agreesWithScureOnDecode(caseBlindDecode), 300);
});

const bytesRoundTrip = (decode: (t: string) => { hrp: string; bytes: Uint8Array }) =>
  fc.property(hrps, fc.uint8Array({ maxLength: 40 }), (hrp, bytes) => {
    assert.deepEqual(decode(bech32EncodeBytes(hrp, bytes)), { hrp, bytes });
  });

test("property: bech32DecodeBytes(bech32EncodeBytes(hrp, bytes)) = (hrp, bytes)", () => {
  holds(bytesRoundTrip(bech32DecodeBytes));
  // A decoder that pads instead of refusing leftover bits returns an extra byte.
  catches(
    bytesRoundTrip((t) => {
      const { hrp, words } = bech32Decode(t);
      return { hrp, bytes: Uint8Array.from(convertBits(words, 5, 8, true)) };
    }),
  );
});

const valueOrSpecError = (decode: (t: string) => unknown) =>
  fc.property(fc.oneof(nearBech32, fc.string({ unit: "binary", maxLength: 60 })), (text) => {
    try {
      decode(text);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

test("property: bech32 decoding returns a value or a SpecError on arbitrary text", () => {
  holds(valueOrSpecError(bech32DecodeBytes), 300);
  catches(valueOrSpecError((t) => scure.decodeToBytes(t)), 300);
});
