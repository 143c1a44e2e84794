import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { RLP } from "@ethereumjs/rlp";
import {
  decodeHeader,
  emptyHeader,
  encodeHeader,
  type Header,
  HEADER_LAYOUTS,
  headerHash,
  type HeaderVersion,
  headerVersionAt,
  newHeaderAt,
} from "../../spec/chain/header.ts";
import { EMPTY_TRIE_ROOT } from "../../spec/chain/trie.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { type FeatureSchedule, LOCALNET, MAINNET, TESTNET } from "../../spec/params/mod.ts";
import { goEmptyHeader } from "../../conformance/cases/encoding/tagged_rlp.ts";
import { catches, holds } from "../support/property.ts";
import { anyHeader, headerOf, nearEncoding } from "./arbitraries.ts";

const hexText = (s: string) => toHex(new TextEncoder().encode(s));
const zeros = (n: number) => "00".repeat(n);
const HASH = "a0" + zeros(32);

/**
 * A new, empty v3 header, written out prefix by prefix from the v3 field list (Harmony
 * block/v3/header.go `headerFields`): the v2 list without ShardStateHash, plus Slashes.
 */
const EMPTY_V3 = fromHex(
  "f9027d" + "87" + hexText("HmnyTgd") + "82" + hexText("v3") + "f9026f" +
    HASH + "94" + zeros(20) + HASH.repeat(5) + // ParentHash, Coinbase, Root … IncomingReceiptHash
    "b90100" + zeros(256) + // Bloom
    "80".repeat(5) + // Number, GasLimit, GasUsed, Time, Extra
    HASH + "80".repeat(3) + // MixDigest, ViewID, Epoch, ShardID
    "b860" + zeros(96) + // LastCommitSignature
    "80".repeat(6), // LastCommitBitmap, Vrf, Vdf, ShardState, CrossLinks, Slashes
);

/** Field values of a header, as comparable text. */
function show(header: Header): string {
  return JSON.stringify(
    header,
    (_, v) => typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? toHex(v) : v,
  );
}

function throwsCode(fn: () => unknown, code: SpecErrorCode): void {
  assert.throws(fn, (e) => isSpecError(e, code), `expected ${code}`);
}

// --- Go expectations -----------------------------------------------------------------------------

test("header: block/header_test.go TestHeader_EncodeRLP (new empty v0, v1, v2 headers)", () => {
  for (const version of [0, 1, 2] as const) {
    const expected = goEmptyHeader(version).encoding;
    assert.equal(expected.length, [589, 671, 672][version]);
    assert.equal(toHex(encodeHeader(emptyHeader(version))), toHex(expected), `v${version}`);
  }
});

test("header: block/header_test.go TestHeader_DecodeRLP (the same bytes decode to empty headers)", () => {
  for (const version of [0, 1, 2] as const) {
    const decoded = decodeHeader(goEmptyHeader(version).encoding);
    assert.equal(show(decoded), show(emptyHeader(version)));
  }
});

test("header: the empty v3 header, built from the v3 field list", () => {
  assert.equal(toHex(encodeHeader(emptyHeader(3))), toHex(EMPTY_V3));
  assert.equal(show(decodeHeader(EMPTY_V3)), show(emptyHeader(3)));
});

test("header: Go getters of absent fields (v0 receipt hashes are EmptyRootHash, else zero/empty)", () => {
  const v0 = emptyHeader(0);
  assert.deepEqual(v0.outgoingReceiptHash, EMPTY_TRIE_ROOT);
  assert.deepEqual(v0.incomingReceiptHash, EMPTY_TRIE_ROOT);
  assert.equal(v0.vrf.length + v0.vdf.length + v0.crossLinks.length + v0.slashes.length, 0);
  assert.deepEqual(emptyHeader(1).outgoingReceiptHash, new Uint8Array(32));
  assert.deepEqual(emptyHeader(3).shardStateHash, new Uint8Array(32));
});

test("header: the v3 field order of the reference (24 fields), and the older layouts", () => {
  assert.deepEqual(HEADER_LAYOUTS[3], [
    "parentHash",
    "coinbase",
    "root",
    "txHash",
    "receiptHash",
    "outgoingReceiptHash",
    "incomingReceiptHash",
    "bloom",
    "number",
    "gasLimit",
    "gasUsed",
    "time",
    "extra",
    "mixDigest",
    "viewId",
    "epoch",
    "shardId",
    "lastCommitSignature",
    "lastCommitBitmap",
    "vrf",
    "vdf",
    "shardState",
    "crossLinks",
    "slashes",
  ]);
  assert.deepEqual([0, 1, 2, 3].map((v) => HEADER_LAYOUTS[v as HeaderVersion].length), [
    19,
    23,
    24,
    24,
  ]);
});

test("header: the hash is keccak256 of the encoding", () => {
  for (const version of [0, 1, 2, 3] as const) {
    const header = { ...emptyHeader(version), number: 7n, shardId: 3n };
    assert.deepEqual(headerHash(header), keccak_256(encodeHeader(header)));
  }
  assert.deepEqual(headerHash(emptyHeader(0)), keccak_256(goEmptyHeader(0).encoding));
});

// --- which version at which epoch ----------------------------------------------------------------

test("header: factory.NewHeader versions on mainnet, testnet and localnet", () => {
  // Mainnet: CrossTx 28, PreStaking 185, CrossLink and Staking 186 (v2 is never used).
  const mainnet: [bigint, HeaderVersion][] = [[0n, 0], [27n, 0], [28n, 1], [184n, 1], [185n, 3], [
    186n,
    3,
  ], [2000n, 3]];
  for (const [epoch, v] of mainnet) assert.equal(headerVersionAt(MAINNET, epoch), v, `${epoch}`);
  // Testnet: CrossTx 0, PreStaking 1. Localnet: PreStaking 0.
  assert.equal(headerVersionAt(TESTNET, 0n), 1);
  assert.equal(headerVersionAt(TESTNET, 1n), 3);
  assert.equal(headerVersionAt(LOCALNET, 0n), 3);
  const header = newHeaderAt(MAINNET, 100n);
  assert.equal(header.version, 1);
  assert.equal(header.epoch, 100n);
});

test("header: v2 from CrossLink when staking has not begun", () => {
  const features: FeatureSchedule = {
    ...MAINNET.features,
    CrossTx: 1n,
    CrossLink: 5n,
    PreStaking: 9n,
    Staking: 10n,
  };
  const versions = [0n, 1n, 4n, 5n, 8n, 9n, 10n].map((e) => headerVersionAt({ features }, e));
  assert.deepEqual(versions, [0, 1, 1, 2, 2, 3, 3]);
  // Staking alone (without PreStaking) also gives v3.
  assert.equal(headerVersionAt({ features: { ...features, PreStaking: null } }, 10n), 3);
});

// --- strict decoding -----------------------------------------------------------------------------

/** The v1 header's fields as RLP items, with one replaced. */
function v1Items(replace: Record<number, Uint8Array | Uint8Array[]> = {}): Uint8Array {
  const items = RLP.decode(goEmptyHeader(1).payload) as Uint8Array[];
  const out: (Uint8Array | Uint8Array[])[] = [...items];
  for (const [i, v] of Object.entries(replace)) out[Number(i)] = v;
  return RLP.encode(out);
}
/** The tagged-RLP envelope around a payload, written with the RLP package alone. */
const envelope = (tag: string, payload: Uint8Array) =>
  RLP.encode([
    new TextEncoder().encode("HmnyTgd"),
    new TextEncoder().encode(tag),
    RLP.decode(payload) as Uint8Array[],
  ]);

test("header: rejections name the broken rule", () => {
  const ok = envelope("v1", v1Items());
  assert.equal(decodeHeader(ok).version, 1);
  throwsCode(() => decodeHeader(envelope("v4", v1Items())), "encoding/tagged-rlp-unsupported-tag");
  // A v0 payload under the v1 tag: 19 items where v1 has 23.
  throwsCode(
    () => decodeHeader(envelope("v1", goEmptyHeader(0).payload)),
    "encoding/rlp-wrong-item-count",
  );
  // The v1 payload bare: read as v0, 23 items where v0 has 19.
  throwsCode(() => decodeHeader(goEmptyHeader(1).payload), "encoding/rlp-wrong-item-count");
  // Field 0 (ParentHash) of 31 bytes; field 1 (Coinbase) of 32; field 17 (sig) of 95.
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 0: new Uint8Array(31) }))),
    "encoding/rlp-wrong-length",
  );
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 1: new Uint8Array(32) }))),
    "encoding/rlp-wrong-length",
  );
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 17: new Uint8Array(95) }))),
    "encoding/rlp-wrong-length",
  );
  // GasLimit (field 9) of 9 bytes; ShardID (field 16) of 5 bytes.
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 9: new Uint8Array(9).fill(1) }))),
    "encoding/rlp-uint-overflow",
  );
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 16: new Uint8Array(5).fill(1) }))),
    "encoding/rlp-uint-overflow",
  );
  // Number (field 8) with a leading zero byte.
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 8: Uint8Array.of(0, 1) }))),
    "encoding/rlp-leading-zero",
  );
  // Extra (field 12) as a list.
  throwsCode(
    () => decodeHeader(envelope("v1", v1Items({ 12: [] }))),
    "encoding/rlp-expected-string",
  );
  // Trailing bytes after the header.
  throwsCode(() => decodeHeader(fromHex(toHex(ok) + "00")), "encoding/rlp-trailing-bytes");
  // A 4-byte ShardID and an 8-byte GasLimit are fine.
  const wide = decodeHeader(
    envelope("v1", v1Items({ 9: new Uint8Array(8).fill(255), 16: Uint8Array.of(1, 2, 3, 4) })),
  );
  assert.equal(wide.gasLimit, (1n << 64n) - 1n);
  assert.equal(wide.shardId, 0x01020304n);
});

test("header: encoding refuses values its Go types cannot hold", () => {
  const v0 = emptyHeader(0);
  throwsCode(() => encodeHeader({ ...v0, version: 4 as HeaderVersion }), "header/unknown-version");
  throwsCode(
    () => encodeHeader({ ...v0, parentHash: new Uint8Array(31) }),
    "header/field-wrong-length",
  );
  throwsCode(
    () => encodeHeader({ ...v0, bloom: new Uint8Array(255) }),
    "header/field-wrong-length",
  );
  throwsCode(() => encodeHeader({ ...v0, gasLimit: 1n << 64n }), "header/integer-out-of-range");
  throwsCode(() => encodeHeader({ ...v0, shardId: 1n << 32n }), "header/integer-out-of-range");
  throwsCode(() => encodeHeader({ ...v0, number: -1n }), "header/integer-out-of-range");
  // A field the version lacks: VRF in v0, crosslinks in v1, slashes in v2, shard state hash in v3.
  throwsCode(() => encodeHeader({ ...v0, vrf: Uint8Array.of(1) }), "header/field-not-in-version");
  throwsCode(
    () => encodeHeader({ ...v0, outgoingReceiptHash: new Uint8Array(32) }),
    "header/field-not-in-version",
  );
  throwsCode(
    () => encodeHeader({ ...emptyHeader(1), crossLinks: Uint8Array.of(1) }),
    "header/field-not-in-version",
  );
  throwsCode(
    () => encodeHeader({ ...emptyHeader(2), slashes: Uint8Array.of(1) }),
    "header/field-not-in-version",
  );
  throwsCode(
    () => encodeHeader({ ...emptyHeader(3), shardStateHash: new Uint8Array(32).fill(1) }),
    "header/field-not-in-version",
  );
  // *big.Int fields are unbounded.
  assert.ok(encodeHeader({ ...v0, number: 1n << 300n }).length > 0);
});

// --- properties ----------------------------------------------------------------------------------

/** Decoding an encoding gives the header back, for every version. */
function roundTrips(encode: (h: Header) => Uint8Array) {
  return fc.property(anyHeader, (header) => {
    assert.equal(show(decodeHeader(encode(header))), show(header));
  });
}

test("header: decode(encode(h)) = h for every version", () => {
  holds(roundTrips(encodeHeader), 100);
  for (const version of [0, 1, 2, 3] as const) {
    holds(
      fc.property(
        headerOf(version),
        (h) => assert.equal(decodeHeader(encodeHeader(h)).version, version),
      ),
      20,
    );
  }
  // Broken: the encoder writes GasLimit where GasUsed belongs.
  catches(roundTrips((h) => encodeHeader({ ...h, gasUsed: h.gasLimit })));
});

/** Decoding arbitrary bytes gives a header or a SpecError, never another exception. */
function decodesOrRejects(decode: (bytes: Uint8Array) => unknown) {
  const valid = anyHeader.map(encodeHeader);
  return fc.property(fc.oneof(nearEncoding(valid), fc.uint8Array({ maxLength: 64 })), (bytes) => {
    try {
      decode(bytes);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });
}

test("header: decoding arbitrary bytes gives a header or a SpecError", () => {
  holds(decodesOrRejects(decodeHeader), 200);
  // Broken: a decoder that reads the first byte of Extra without checking it exists.
  catches(decodesOrRejects((bytes) => decodeHeader(bytes).extra[0].toString()), 200);
});
