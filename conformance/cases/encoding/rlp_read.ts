/**
 * Conformance cases for the typed RLP readers (`rlp_read`): go-ethereum's rules for reading Go
 * types out of RLP, restated from its `rlp/decode_test.go` with the spec's codes.
 *
 * @module
 */
import { bytesToBigint, fromHex } from "../../../spec/encoding/bytes.ts";
import {
  decodeRlp,
  readBigUint,
  readBytes,
  readFixedBytes,
  readList,
  readListOf,
  readUint,
} from "../../../spec/encoding/rlp.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import type { Data } from "../../cbor.ts";
import { type Case, type Handler, suite } from "../../harness.ts";

/** Runs one reader, named as in the format document, on a decoded item. */
function read(encoding: Uint8Array, reader: string, size: number): Data {
  const item = decodeRlp(encoding);
  switch (reader) {
    case "uint":
      if (size !== 8 && size !== 16 && size !== 32 && size !== 64) {
        throw new Error(`uint size ${size}`);
      }
      return readUint(item, size);
    case "biguint":
      return readBigUint(item);
    case "bytes":
      return readBytes(item);
    case "fixed_bytes":
      return readFixedBytes(item, size);
    case "list":
      return readList(item);
    case "list_of":
      return readListOf(item, size);
  }
  throw new Error(`unknown reader ${reader}`);
}

const handler: Handler = {
  runner: "encoding",
  handler: "rlp_read",
  preset: "general",
  config: {},
  covers: [
    "decodeRlp",
    "readUint",
    "readBigUint",
    "readBytes",
    "readFixedBytes",
    "readList",
    "readListOf",
  ],
  run: (inputs) => ({
    value: read(inputs.encoding as Uint8Array, inputs.reader as string, inputs.size as number),
  }),
};

const text = (s: string) => new TextEncoder().encode(s);

/** name, encoding (hex), reader, size, expected value or error code. */
const CASES: [string, string, string, number, Data | SpecErrorCode][] = [
  // integers read as uint32
  ["uint32_byte", "05", "uint", 32, 5n],
  ["uint32_zero", "80", "uint", 32, 0n],
  ["uint32_two_bytes", "820505", "uint", 32, 0x0505n],
  ["uint32_three_bytes", "83050505", "uint", 32, 0x050505n],
  ["uint32_four_bytes", "8405050505", "uint", 32, 0x05050505n],
  ["uint32_too_long", "850505050505", "uint", 32, "encoding/rlp-uint-overflow"],
  ["uint32_from_list", "C0", "uint", 32, "encoding/rlp-expected-string"],
  ["uint32_zero_byte", "00", "uint", 32, "encoding/rlp-leading-zero"],
  ["uint32_wrapped_byte", "8105", "uint", 32, "encoding/rlp-non-canonical-byte"],
  ["uint32_leading_zero", "820004", "uint", 32, "encoding/rlp-leading-zero"],
  ["uint32_long_form", "B8020004", "uint", 32, "encoding/rlp-non-canonical-size"],
  ["uint64_eight_bytes", "88ffffffffffffffff", "uint", 64, 0xffffffffffffffffn],
  ["uint64_nine_bytes", "89010000000000000000", "uint", 64, "encoding/rlp-uint-overflow"],
  ["uint8_byte_0x80", "8180", "uint", 8, 0x80n],
  ["uint8_two_bytes", "820100", "uint", 8, "encoding/rlp-uint-overflow"],
  // lists of five uints (a Go [5]uint)
  ["list_of_five", "C50102030405", "list_of", 5, [1, 2, 3, 4, 5].map((i) => Uint8Array.of(i))],
  ["list_of_five_empty", "C0", "list_of", 5, "encoding/rlp-wrong-item-count"],
  ["list_of_five_one", "C102", "list_of", 5, "encoding/rlp-wrong-item-count"],
  ["list_of_five_six", "C6010203040506", "list_of", 5, "encoding/rlp-wrong-item-count"],
  ["list_of_five_long_form", "F8020004", "list_of", 5, "encoding/rlp-non-canonical-size"],
  ["list_of_zero", "C0", "list_of", 0, []],
  ["list_of_zero_one", "C101", "list_of", 0, "encoding/rlp-wrong-item-count"],
  ["list_from_string", "83222222", "list", 0, "encoding/rlp-expected-list"],
  ["list_any", "C3808005", "list", 0, [new Uint8Array(0), new Uint8Array(0), Uint8Array.of(5)]],
  // byte slices
  ["bytes_one", "01", "bytes", 0, Uint8Array.of(1)],
  ["bytes_empty", "80", "bytes", 0, new Uint8Array(0)],
  ["bytes_text", "8D6162636465666768696A6B6C6D", "bytes", 0, text("abcdefghijklm")],
  ["bytes_from_list", "C0", "bytes", 0, "encoding/rlp-expected-string"],
  ["bytes_wrapped_byte", "8105", "bytes", 0, "encoding/rlp-non-canonical-byte"],
  // byte arrays
  ["fixed1_byte", "02", "fixed_bytes", 1, Uint8Array.of(2)],
  ["fixed1_byte_0x80", "8180", "fixed_bytes", 1, Uint8Array.of(128)],
  ["fixed5", "850102030405", "fixed_bytes", 5, Uint8Array.of(1, 2, 3, 4, 5)],
  ["fixed5_one_byte", "02", "fixed_bytes", 5, "encoding/rlp-wrong-length"],
  ["fixed5_empty", "80", "fixed_bytes", 5, "encoding/rlp-wrong-length"],
  ["fixed5_two_bytes", "820000", "fixed_bytes", 5, "encoding/rlp-wrong-length"],
  ["fixed5_from_empty_list", "C0", "fixed_bytes", 5, "encoding/rlp-expected-string"],
  ["fixed5_from_list", "C3010203", "fixed_bytes", 5, "encoding/rlp-expected-string"],
  ["fixed5_six_bytes", "86010203040506", "fixed_bytes", 5, "encoding/rlp-wrong-length"],
  ["fixed1_wrapped_0x05", "8105", "fixed_bytes", 1, "encoding/rlp-non-canonical-byte"],
  ["fixed1_wrapped_0x7f", "817F", "fixed_bytes", 1, "encoding/rlp-non-canonical-byte"],
  ["fixed0_empty", "80", "fixed_bytes", 0, new Uint8Array(0)],
  ["fixed0_one_byte", "01", "fixed_bytes", 0, "encoding/rlp-wrong-length"],
  // big integers
  ["biguint_one", "01", "biguint", 0, 1n],
  [
    "biguint_nine_bytes",
    "89FFFFFFFFFFFFFFFFFF",
    "biguint",
    0,
    bytesToBigint(fromHex("ff".repeat(9))),
  ],
  ["biguint_sixteen", "10", "biguint", 0, 16n],
  ["biguint_from_list", "C0", "biguint", 0, "encoding/rlp-expected-string"],
  ["biguint_leading_zero", "820001", "biguint", 0, "encoding/rlp-leading-zero"],
  ["biguint_wrapped_byte", "8105", "biguint", 0, "encoding/rlp-non-canonical-byte"],
];

/** The `rlp_read` suite. */
export const RLP_READ_SUITE = suite(
  handler,
  CASES.map(([name, hex, reader, size, expected]): Case => ({
    name,
    description: typeof expected === "string"
      ? `reading ${hex} with ${reader}(${size}) is rejected: ${expected}`
      : `reading ${hex} with ${reader}(${size}), as go-ethereum decodes it`,
    inputs: { encoding: fromHex(hex), reader, size },
    expect: typeof expected === "string"
      ? { error: expected as SpecErrorCode }
      : { value: expected },
  })),
);
