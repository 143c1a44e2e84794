/**
 * Conformance cases for RLP: decoding (`rlp_decode`) and encoding (`rlp_encode`).
 *
 * Valid cases restate ethereum/tests `RLPTests/rlptest.json`; invalid ones restate
 * `RLPTests/invalidRLPTest.json` and go-ethereum's `rlp/decode_test.go`, each with the reason
 * go-ethereum gives, as a spec code.
 *
 * @module
 */
import { bigintToBytes, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { decodeRlp, encodeRlp, type RlpItem } from "../../../spec/encoding/rlp.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import type { Decoded } from "../../cbor.ts";
import { type Case, type Handler, type Suite, suite } from "../../harness.ts";

const text = (s: string) => new TextEncoder().encode(s);
const LOREM_55 = "Lorem ipsum dolor sit amet, consectetur adipisicing eli";
const LOREM_56 = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";

/** `count` bytes 00, 01, 02, … as hex. */
function range(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += i.toString(16).padStart(2, "0");
  return out;
}

/** ethereum/tests rlptest.json: name, value, encoding (hex). */
export const RLP_VALID: [string, RlpItem, string][] = [
  ["emptystring", text(""), "80"],
  ["bytestring00", Uint8Array.of(0), "00"],
  ["bytestring01", Uint8Array.of(1), "01"],
  ["bytestring7F", Uint8Array.of(0x7f), "7f"],
  ["shortstring", text("dog"), "83646f67"],
  ["shortstring2", text(LOREM_55), "b7" + toHex(text(LOREM_55))],
  ["longstring", text(LOREM_56), "b838" + toHex(text(LOREM_56))],
  ["zero", bigintToBytes(0n), "80"],
  ["smallint", bigintToBytes(1n), "01"],
  ["smallint2", bigintToBytes(16n), "10"],
  ["smallint3", bigintToBytes(79n), "4f"],
  ["smallint4", bigintToBytes(127n), "7f"],
  ["mediumint1", bigintToBytes(128n), "8180"],
  ["mediumint2", bigintToBytes(1000n), "8203e8"],
  ["mediumint3", bigintToBytes(100000n), "830186a0"],
  [
    "mediumint4",
    bigintToBytes(83729609699884896815286331701780722n),
    "8f102030405060708090a0b0c0d0e0f2",
  ],
  [
    "mediumint5",
    bigintToBytes(105315505618206987246253880190783558935785933862974822347068935681n),
    "9c0100020003000400050006000700080009000a000b000c000d000e01",
  ],
  ["emptylist", [], "c0"],
  ["stringlist", [text("dog"), text("god"), text("cat")], "cc83646f6783676f6483636174"],
  ["multilist", [text("zw"), [bigintToBytes(4n)], bigintToBytes(1n)], "c6827a77c10401"],
  ["listsoflists", [[[], []], []], "c4c2c0c0c0"],
  ["listsoflists2", [[], [[]], [[], [[]]]], "c7c0c1c0c3c0c1c0"],
  [
    "dictTest1",
    [1, 2, 3, 4].map((i) => [text(`key${i}`), text(`val${i}`)]),
    "ecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c34",
  ],
  [
    "bigint",
    bigintToBytes(1n << 256n),
    "a1010000000000000000000000000000000000000000000000000000000000000000",
  ],
];

/**
 * ethereum/tests invalidRLPTest.json and go-ethereum cases: name, encoding (hex), code. go-ethereum's
 * ErrCanonSize is split into non-canonical-size (a length prefix) and non-canonical-byte (a
 * wrapped single byte); ErrValueTooLarge and unexpected EOF are rlp-truncated.
 */
export const RLP_INVALID: [string, string, SpecErrorCode][] = [
  ["int32Overflow", "bf0f000000000000021111", "encoding/rlp-truncated"],
  ["int32Overflow2", "ff0f000000000000021111", "encoding/rlp-truncated"],
  ["wrongSizeList", "f80180", "encoding/rlp-non-canonical-size"],
  ["wrongSizeList2", "f80100", "encoding/rlp-non-canonical-size"],
  [
    "incorrectLengthInArray",
    "b9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0",
    "encoding/rlp-non-canonical-size",
  ],
  [
    "randomRLP",
    "f861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b900150" +
    "02d5ef8325ae4d034df55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa9029c" +
    "bb0b8a7b3b5c435ab331",
    "encoding/rlp-non-canonical-size",
  ],
  ["bytesShouldBeSingleByte00", "8100", "encoding/rlp-non-canonical-byte"],
  ["bytesShouldBeSingleByte01", "8101", "encoding/rlp-non-canonical-byte"],
  ["bytesShouldBeSingleByte7F", "817F", "encoding/rlp-non-canonical-byte"],
  ["leadingZerosInLongLengthArray1", "b90040" + range(64), "encoding/rlp-non-canonical-size"],
  ["leadingZerosInLongLengthArray2", "b800", "encoding/rlp-non-canonical-size"],
  ["leadingZerosInLongLengthList1", "fb00000040" + range(64), "encoding/rlp-non-canonical-size"],
  ["leadingZerosInLongLengthList2", "f800", "encoding/rlp-non-canonical-size"],
  [
    "nonOptimalLongLengthArray1",
    "b81000112233445566778899aabbccddeeff",
    "encoding/rlp-non-canonical-size",
  ],
  ["nonOptimalLongLengthArray2", "b801ff", "encoding/rlp-non-canonical-size"],
  ["nonOptimalLongLengthList1", "f810" + range(16), "encoding/rlp-non-canonical-size"],
  ["nonOptimalLongLengthList2", "f803112233", "encoding/rlp-non-canonical-size"],
  ["emptyEncoding", "", "encoding/rlp-truncated"],
  ["lessThanShortLengthArray1", "81", "encoding/rlp-truncated"],
  ["lessThanShortLengthArray2", "a0" + range(31), "encoding/rlp-truncated"],
  ["lessThanShortLengthList1", "c5010203", "encoding/rlp-truncated"],
  ["lessThanShortLengthList2", "e201020304050607", "encoding/rlp-truncated"],
  ["lessThanLongLengthArray1", "ba010000aabbccddeeff", "encoding/rlp-truncated"],
  ["lessThanLongLengthArray2", "b840ffeeddccbbaa99887766554433221100", "encoding/rlp-truncated"],
  ["lessThanLongLengthList1", "f90180", "encoding/rlp-truncated"],
  ["lessThanLongLengthList2", "ffffffffffffffffff0001020304050607", "encoding/rlp-truncated"],
  // go-ethereum rlp/decode_test.go, "fuzzer crashes": a length that runs past its list.
  [
    "gethFuzzerCrash",
    "c330f9c030f93030ce3030303030303030bd303030303030",
    "encoding/rlp-element-too-large",
  ],
  ["itemOverrunsList", "c283646f67", "encoding/rlp-element-too-large"],
  ["trailingByte", "83646f6700", "encoding/rlp-trailing-bytes"],
  ["trailingItem", "c0c0", "encoding/rlp-trailing-bytes"],
];

/** snake_case of a camelCase vector name. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Reads a decoded vector value as an RLP item (byte strings and lists of them). */
export function rlpItemOf(value: Decoded): RlpItem {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(rlpItemOf);
  throw new Error("an RLP item is a byte string or a list");
}

const decodeHandler: Handler = {
  runner: "encoding",
  handler: "rlp_decode",
  preset: "general",
  config: {},
  covers: ["decodeRlp"],
  run: (inputs) => ({ item: decodeRlp(inputs.encoding as Uint8Array) }),
};

const encodeHandler: Handler = {
  runner: "encoding",
  handler: "rlp_encode",
  preset: "general",
  config: {},
  covers: ["encodeRlp"],
  run: (inputs) => ({ encoding: encodeRlp(rlpItemOf(inputs.item)) }),
};

const decodeCases: Case[] = [
  ...RLP_VALID.map(([name, item, hex]): Case => ({
    name: snake(name),
    description: `ethereum/tests rlptest.json "${name}" decodes to its value`,
    inputs: { encoding: fromHex(hex) },
    expect: { item },
  })),
  ...RLP_INVALID.map(([name, hex, code]): Case => ({
    name: snake(name),
    description: `"${name}" is not canonical RLP and is rejected`,
    inputs: { encoding: fromHex(hex) },
    expect: { error: code },
  })),
  {
    name: "canary_wrong_value",
    description: "Canary: states a wrong decoded value for 0x83646f67, which must fail.",
    inputs: { encoding: fromHex("83646f67") },
    expect: { item: text("cat") },
    canary: true,
  },
];

const encodeCases: Case[] = RLP_VALID.map(([name, item, hex]): Case => ({
  name: snake(name),
  description: `ethereum/tests rlptest.json "${name}" encodes to its bytes`,
  inputs: { item },
  expect: { encoding: fromHex(hex) },
}));

/** The RLP suites. */
export const RLP_SUITES: Suite[] = [
  suite(decodeHandler, decodeCases),
  suite(encodeHandler, encodeCases),
];
