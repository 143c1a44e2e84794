/**
 * Conformance cases for addresses and bech32: `address_parse`, `address_format` and
 * `bech32_decode`.
 *
 * Expectations restate EIP-55's examples, Harmony's `internal/common/address_test.go` and
 * btcsuite's `bech32_test.go` (BIP-173's vectors, with btcsuite's reason for each rejection).
 *
 * @module
 */
import { bech32Decode } from "../../../spec/encoding/bech32.ts";
import { bech32 as scure } from "@scure/base";
import { getAddress } from "viem";
import { bytesEqual, fromHex } from "../../../spec/encoding/bytes.ts";
import {
  formatBech32Address,
  formatHexAddress,
  parseAddress,
} from "../../../spec/encoding/address.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import { type Case, type Handler, type Suite, suite } from "../../harness.ts";

/** EIP-55's examples: each is the checksummed text of its address. */
const EIP55 = [
  "0x52908400098527886E0F7030069857D2E4169EE7",
  "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
  "0xde709f2102306220921060314715629080e2fb77",
  "0x27b1fdb04752bbc536007a920d24acb045561c26",
  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

const HARMONY_HEX = "0x15a128e599b74842bccba860311efa92991bffb5";
const HARMONY_BECH32 = "one1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ur";

const parseHandler: Handler = {
  runner: "encoding",
  handler: "address_parse",
  preset: "general",
  config: {},
  covers: ["parseAddress", "parseHexAddress", "parseBech32Address"],
  run: (inputs) => ({ address: parseAddress(inputs.text as string) }),
};

const formatHandler: Handler = {
  runner: "encoding",
  handler: "address_format",
  preset: "general",
  config: {},
  covers: ["formatHexAddress", "formatBech32Address"],
  run: (inputs) => {
    const address = inputs.address as Uint8Array;
    return { hex: formatHexAddress(address), bech32: formatBech32Address(address) };
  },
};

const bech32Handler: Handler = {
  runner: "encoding",
  handler: "bech32_decode",
  preset: "general",
  config: {},
  covers: ["bech32Decode"],
  run: (inputs) => {
    const { hrp, words } = bech32Decode(inputs.text as string);
    return { hrp, words };
  },
};

const bytesOf = (hex: string) => fromHex(hex.slice(2).toLowerCase());

const parseRejections: [string, string, SpecErrorCode, string][] = [
  ["empty", "", "encoding/bech32-invalid-length", "Empty text is neither form."],
  ["hex_prefix_only", "0x", "encoding/address-wrong-length", "Harmony TestAddressUnmarshalJSON."],
  ["hex_one_byte", "0x00", "encoding/address-wrong-length", "Harmony TestAddressUnmarshalJSON."],
  [
    "hex_bad_digit",
    "0xG000000000000000000000000000000000000000",
    "encoding/invalid-hex",
    "Harmony TestAddressUnmarshalJSON: G is no hex digit.",
  ],
  [
    "hex_short",
    "0xa",
    "encoding/address-wrong-length",
    "Harmony's HexToAddress left-pads; the spec requires 40 digits (a documented deviation).",
  ],
  [
    "hex_too_long",
    "0x" + "00".repeat(21),
    "encoding/address-wrong-length",
    "21 bytes: Harmony would crop; the spec rejects.",
  ],
  [
    "hex_bad_checksum",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
    "encoding/bad-checksum",
    "EIP-55 example with the case of its last letter changed.",
  ],
  [
    "bech32_bad_checksum",
    "helloworldone1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ufdfsrfasdfadfas",
    "encoding/bech32-bad-checksum",
    "Harmony TestParseAddr: not an address.",
  ],
  [
    "bech32_separator_at_end",
    "tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca1",
    "encoding/bech32-bad-separator",
    "Harmony TestIsBech32Address: the last 1 leaves no data.",
  ],
  [
    "bech32_changed_hrp",
    "xone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5",
    "encoding/bech32-bad-checksum",
    "Harmony TestIsBech32Address: the checksum covers the hrp.",
  ],
  [
    "bech32_truncated_hrp",
    "ne1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5",
    "encoding/bech32-bad-checksum",
    "Harmony TestIsBech32Address.",
  ],
  [
    "bech32_extra_one",
    "1one1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5",
    "encoding/bech32-bad-checksum",
    "Harmony TestIsBech32Address.",
  ],
  [
    "bech32_no_separator",
    "one2fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5",
    "encoding/bech32-bad-separator",
    "Harmony TestIsBech32Address: no 1 at all.",
  ],
  [
    "bech32_testnet_hrp",
    "tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5",
    "encoding/bech32-wrong-hrp",
    "Harmony TestIsBech32Address: a valid tone address is not a one address.",
  ],
  [
    "bech32_mixed_case",
    "one1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4uR",
    "encoding/bech32-mixed-case",
    "One upper-case letter in a lower-case address.",
  ],
  [
    "bech32_bip173_payload",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "encoding/bech32-wrong-hrp",
    "BIP-173's valid 20-byte string, whose hrp is not one.",
  ],
  [
    "bech32_empty_payload",
    "A12UEL5L",
    "encoding/address-wrong-length",
    "BIP-173's valid string with no data: the length is checked before the hrp.",
  ],
];

const parseCases: Case[] = [
  ...EIP55.flatMap((text, i): Case[] => [
    {
      name: `eip55_example_${i}`,
      description: `EIP-55 example ${text} parses.`,
      inputs: { text },
      expect: { address: bytesOf(text) },
    },
    {
      name: `eip55_example_${i}_lower`,
      description: `EIP-55 example ${i} in lower case carries no checksum and parses.`,
      inputs: { text: text.toLowerCase() },
      expect: { address: bytesOf(text) },
    },
    {
      name: `eip55_example_${i}_upper`,
      description: `EIP-55 example ${i} in upper case (0X prefix) carries no checksum and parses.`,
      inputs: { text: text.toUpperCase() },
      expect: { address: bytesOf(text) },
    },
  ]),
  {
    name: "harmony_bech32",
    description: "Harmony TestParseAddr: the bech32 form of 0x15a1…ffb5.",
    inputs: { text: HARMONY_BECH32 },
    expect: { address: bytesOf(HARMONY_HEX) },
  },
  {
    name: "harmony_bech32_upper",
    description: "An all-upper-case bech32 address reads as its lower-case form.",
    inputs: { text: HARMONY_BECH32.toUpperCase() },
    expect: { address: bytesOf(HARMONY_HEX) },
  },
  {
    name: "harmony_bech32_other",
    description: "Harmony TestIsBech32Address: a valid one address.",
    inputs: { text: "one1ay37rp2pc3kjarg7a322vu3sa8j9puahg679z3" },
    check: (out) => {
      const oracle = scure.decodeToBytes("one1ay37rp2pc3kjarg7a322vu3sa8j9puahg679z3").bytes;
      if (!(out.address instanceof Uint8Array) || !bytesEqual(out.address, oracle)) {
        throw new Error("expected the bytes @scure/base decodes");
      }
    },
  },
  {
    name: "zero_address",
    description: "Harmony TestAddressUnmarshalJSON: the zero address.",
    inputs: { text: "0x" + "0".repeat(40) },
    expect: { address: new Uint8Array(20) },
  },
  ...parseRejections.map(([name, text, code, description]): Case => ({
    name,
    description,
    inputs: { text },
    expect: { error: code },
  })),
];

const formatCases: Case[] = [
  ...EIP55.map((text, i): Case => ({
    name: `eip55_example_${i}`,
    description: `EIP-55 example ${i} is its address's checksummed text.`,
    inputs: { address: bytesOf(text) },
    check: (out) => {
      if (out.hex !== text) throw new Error(`hex ${out.hex} != ${text}`);
    },
  })),
  {
    name: "harmony_address",
    description: "Harmony TestAddressToBech32 and TestAddressHexChecksum (0x15a1…ffb5).",
    inputs: { address: bytesOf(HARMONY_HEX) },
    check: (out) => {
      // The hex form as viem checksums it; the bech32 form as Harmony's test states it.
      if (out.hex !== getAddress(HARMONY_HEX)) throw new Error(`hex ${out.hex}`);
      if (out.bech32 !== HARMONY_BECH32) throw new Error(`bech32 ${out.bech32}`);
    },
  },
  {
    name: "harmony_ten",
    description: "Harmony TestAddressHexChecksum: the address 0x…0a.",
    inputs: { address: bytesOf("0x" + "00".repeat(19) + "0a") },
    check: (out) => {
      if (out.hex !== "0x000000000000000000000000000000000000000A") throw new Error(`${out.hex}`);
    },
  },
  {
    name: "wrong_length",
    description: "21 bytes are no address.",
    inputs: { address: new Uint8Array(21) },
    expect: { error: "encoding/address-wrong-length" },
  },
];

/** BIP-173 strings (btcsuite TestBech32) with their expected decoding or rejection. */
const BECH32: [string, string, { hrp: string; words: number[] } | SpecErrorCode][] = [
  ["bip173_a", "A12UEL5L", { hrp: "a", words: [] }],
  [
    "bip173_abcdef",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    { hrp: "abcdef", words: Array.from({ length: 32 }, (_, i) => i) },
  ],
  [
    "bip173_ones",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    { hrp: "1", words: new Array(82).fill(0) },
  ],
  [
    "bip173_83_character_hrp",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    {
      hrp: "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio",
      words: [],
    },
  ],
  [
    "bad_checksum",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w",
    "encoding/bech32-bad-checksum",
  ],
  [
    "space_in_hrp",
    "s lit1checkupstagehandshakeupstreamerranterredcaperredp8hs2p",
    "encoding/bech32-bad-character",
  ],
  [
    "del_in_hrp",
    "spl\x7Ft1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "encoding/bech32-bad-character",
  ],
  ["o_in_data", "split1cheo2y9e2w", "encoding/bech32-non-charset-character"],
  ["data_too_short", "split1a2y9w", "encoding/bech32-bad-separator"],
  [
    "empty_hrp",
    "1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "encoding/bech32-bad-separator",
  ],
  [
    "too_long",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "encoding/bech32-invalid-length",
  ],
  ["leading_space", " 1nwldj5", "encoding/bech32-bad-character"],
  ["leading_del", "\x7f1axkwrx", "encoding/bech32-bad-character"],
  ["non_ascii", "\x801eym55h", "encoding/bech32-bad-character"],
  [
    "too_long_hrp",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "encoding/bech32-invalid-length",
  ],
  ["no_separator", "pzry9x0s0muk", "encoding/bech32-bad-separator"],
  ["separator_first", "1pzry9x0s0muk", "encoding/bech32-bad-separator"],
  ["b_in_data", "x1b4n0q5v", "encoding/bech32-non-charset-character"],
  ["short_data", "li1dgmt3", "encoding/bech32-bad-separator"],
  ["trailing_non_ascii", "de1lg7wt\xff", "encoding/bech32-bad-character"],
  ["upper_bad_checksum", "A1G7SGD8", "encoding/bech32-bad-checksum"],
  ["too_short", "10a06t8", "encoding/bech32-invalid-length"],
  ["empty_hrp_short", "1qzzfhee", "encoding/bech32-bad-separator"],
  ["mixed_case_data", "a12UEL5L", "encoding/bech32-mixed-case"],
  ["mixed_case_hrp", "A12uEL5L", "encoding/bech32-mixed-case"],
];

const bech32Cases: Case[] = BECH32.map(([name, text, expected]): Case => ({
  name,
  description: typeof expected === "string"
    ? `BIP-173 (btcsuite TestBech32): ${JSON.stringify(text)} is rejected.`
    : `BIP-173 (btcsuite TestBech32): ${text} is valid.`,
  inputs: { text },
  expect: typeof expected === "string" ? { error: expected as SpecErrorCode } : expected,
}));

/** The address and bech32 suites. */
export const ADDRESS_SUITES: Suite[] = [
  suite(parseHandler, parseCases),
  suite(formatHandler, formatCases),
  suite(bech32Handler, bech32Cases),
];
