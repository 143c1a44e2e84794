import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { bytesEqual, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { decodeRlp, encodeRlp, encodeRlpList, type RlpItem } from "../../spec/encoding/rlp.ts";
import {
  decodeTaggedRlp,
  encodeTaggedRlp,
  LEGACY_TAG,
  TAGGED_RLP_SIGNATURE,
  type TaggedPayload,
} from "../../spec/encoding/tagged-rlp.ts";
import { isSpecError } from "../../spec/errors.ts";
import { goEmptyHeader } from "../../conformance/cases/encoding/tagged_rlp.ts";
import { catches, holds } from "../support/property.ts";
import { nearRlp, rlpItem } from "./arbitraries.ts";

const text = (s: string) => new TextEncoder().encode(s);
const hexText = (s: string) => toHex(text(s));

// --- harmony-one/taggedrlp taggedrlp_test.go, restated ------------------------------------------

/** RecordV0{Name: "Harmony", Address: "349 Martens Ave"}, legacy: no envelope. */
const RECORD_V0 = fromHex("d8" + "87" + hexText("Harmony") + "8f" + hexText("349 Martens Ave"));
/** RecordV1{…, Phone: "+14153234477"} under the tag "RecordV1". */
const RECORD_V1_PAYLOAD = fromHex(
  "e5" + "87" + hexText("Harmony") + "8f" + hexText("349 Martens Ave") + "8c" +
    hexText("+14153234477"),
);
const RECORD_V1 = fromHex(
  "f7" + "87" + hexText("HmnyTgd") + "88" + hexText("RecordV1") +
    toHex(RECORD_V1_PAYLOAD),
);

test("tagged rlp: taggedrlp Registry.Encode expectations", () => {
  const v0 = encodeRlp([text("Harmony"), text("349 Martens Ave")]);
  assert.deepEqual(encodeTaggedRlp(LEGACY_TAG, v0), RECORD_V0);
  const v1 = encodeRlp([text("Harmony"), text("349 Martens Ave"), text("+14153234477")]);
  assert.deepEqual(v1, RECORD_V1_PAYLOAD);
  assert.deepEqual(encodeTaggedRlp("RecordV1", v1), RECORD_V1);
});

// Registry.Decode expectations are conformance cases (conformance/cases/encoding/tagged_rlp.ts).

// --- harmony block/header_test.go: the empty headers v0, v1, v2, restated ------------------------

const HEADER_TAGS = [LEGACY_TAG, "v1", "v2", "v3"];

/** The v0 header fields of a new, empty header, each as its RLP item. */
function emptyHeaderFields(version: 0 | 1 | 2): RlpItem[] {
  const z = (n: number) => new Uint8Array(n);
  const empty = z(0);
  const receiptHashes = version === 0 ? [] : [z(32), z(32)];
  const vrfVdf = version === 0 ? [] : [empty, empty];
  const crossLinks = version === 2 ? [empty] : [];
  return [
    z(32), // ParentHash
    z(20), // Coinbase
    z(32), // Root
    z(32), // TxHash
    z(32), // ReceiptHash
    ...receiptHashes, // OutgoingReceiptHash, IncomingReceiptHash
    z(256), // Bloom
    empty, // Number
    empty, // GasLimit
    empty, // GasUsed
    empty, // Time
    empty, // Extra
    z(32), // MixDigest
    empty, // ViewID
    empty, // Epoch
    empty, // ShardID
    z(96), // LastCommitSignature
    empty, // LastCommitBitmap
    z(32), // ShardStateHash
    ...vrfVdf, // Vrf, Vdf
    empty, // ShardState
    ...crossLinks, // CrossLinks
  ];
}

test("tagged rlp: empty header encodings of block/header_test.go", () => {
  const lengths = { 0: 589, 1: 671, 2: 672 };
  for (const version of [0, 1, 2] as const) {
    const payload = encodeRlp(emptyHeaderFields(version));
    const tag = version === 0 ? LEGACY_TAG : `v${version}`;
    const encoding = encodeTaggedRlp(tag, payload);
    const expected = goEmptyHeader(version).encoding;
    assert.equal(expected.length, lengths[version]);
    assert.deepEqual(encoding, expected, `v${version}`);
    assert.deepEqual(decodeTaggedRlp(encoding, HEADER_TAGS), { tag, payload });
  }
});

test("tagged rlp: malformed payloads are rejected", () => {
  assert.throws(
    () => encodeTaggedRlp("v1", fromHex("c0c0")),
    (e: unknown) => isSpecError(e, "encoding/rlp-trailing-bytes"),
  );
  // An envelope whose payload is not canonical: the whole item is rejected.
  const bad = encodeRlpList([
    encodeRlp(text(TAGGED_RLP_SIGNATURE)),
    encodeRlp(text("v1")),
    fromHex("8105"),
  ]);
  assert.throws(
    () => decodeTaggedRlp(bad, HEADER_TAGS),
    (e: unknown) => isSpecError(e, "encoding/rlp-non-canonical-byte"),
  );
  // A bare payload when the legacy type is not readable.
  assert.throws(
    () => decodeTaggedRlp(encodeRlp([]), ["v1"]),
    (e: unknown) => isSpecError(e, "encoding/tagged-rlp-unsupported-tag"),
  );
  // An empty tag is no envelope: the list is a legacy payload.
  const emptyTag = encodeRlp([text(TAGGED_RLP_SIGNATURE), new Uint8Array(0), []]);
  assert.deepEqual(decodeTaggedRlp(emptyTag, HEADER_TAGS), { tag: "", payload: emptyTag });
});

// --- properties ----------------------------------------------------------------------------------

type Encode = (tag: string, payload: Uint8Array) => Uint8Array;
type Decode = (encoding: Uint8Array, tags: readonly string[]) => TaggedPayload;

const tags = fc.oneof(
  fc.constant(LEGACY_TAG),
  fc.string({ minLength: 1, maxLength: 10 }),
  fc.constantFrom("v1", "v2", "v3"),
);

const roundTrip = (encode: Encode, decode: Decode) =>
  fc.property(tags, rlpItem, (tag, item) => {
    const payload = encodeRlp(item);
    assert.deepEqual(decode(encode(tag, payload), [tag]), { tag, payload });
  });

/** A broken encoder: wraps the payload as a byte string instead of embedding it. */
const wrappingEncode: Encode = (tag, payload) => {
  if (tag === LEGACY_TAG) return payload;
  return encodeRlp([text(TAGGED_RLP_SIGNATURE), text(tag), payload]);
};

test("property: decodeTaggedRlp(encodeTaggedRlp(tag, payload)) gives tag and payload back", () => {
  holds(roundTrip(encodeTaggedRlp, decodeTaggedRlp));
  catches(roundTrip(wrappingEncode, decodeTaggedRlp));
});

/** Envelope-shaped inputs with arbitrary tag bytes, and near-RLP bytes. */
const taggedInputs = fc.oneof(
  nearRlp,
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 4 }), rlpItem).map(([tag, item]) =>
    encodeRlpList([encodeRlp(text(TAGGED_RLP_SIGNATURE)), encodeRlp(tag), encodeRlp(item)])
  ),
);

const valueOrSpecError = (decode: Decode) =>
  fc.property(taggedInputs, (bytes) => {
    try {
      decode(bytes, ["", "v1", "\u00ff"]);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

/** A broken decoder: reads the tag as strict UTF-8, which throws on arbitrary bytes. */
const utf8Decode: Decode = (encoding, known) => {
  const item = decodeRlp(encoding);
  if (Array.isArray(item) && item.length === 3 && item[1] instanceof Uint8Array) {
    new TextDecoder("utf-8", { fatal: true }).decode(item[1]);
  }
  return decodeTaggedRlp(encoding, known);
};

test("property: the decoder returns a value or a SpecError on arbitrary bytes", () => {
  holds(valueOrSpecError(decodeTaggedRlp), 300);
  catches(valueOrSpecError(utf8Decode), 300);
});

const nonEnvelopeIsLegacy = (decode: Decode) =>
  fc.property(fc.uint8Array({ maxLength: 8 }), rlpItem, rlpItem, (first, second, third) => {
    fc.pre(!bytesEqual(first, text(TAGGED_RLP_SIGNATURE)));
    const encoding = encodeRlp([first, second, third]);
    assert.deepEqual(decode(encoding, [LEGACY_TAG]), { tag: LEGACY_TAG, payload: encoding });
  });

/** A broken decoder: takes every three-item list for an envelope, whatever its signature. */
const anyTripleDecode: Decode = (encoding, known) => {
  const item = decodeRlp(encoding);
  if (Array.isArray(item) && item.length === 3 && item[1] instanceof Uint8Array) {
    const tag = new TextDecoder().decode(item[1]);
    if (tag !== "" && !known.includes(tag)) throw new Error("unsupported tag");
  }
  return decodeTaggedRlp(encoding, known);
};

test("property: a three-item list without the signature is a legacy payload", () => {
  holds(nonEnvelopeIsLegacy(decodeTaggedRlp));
  catches(nonEnvelopeIsLegacy(anyTripleDecode));
});
