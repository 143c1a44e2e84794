import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { getAddress } from "viem";
import { bech32 as scure } from "@scure/base";
import {
  formatBech32Address,
  formatHexAddress,
  parseAddress,
  parseBech32Address,
  parseHexAddress,
} from "../../spec/encoding/address.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { keccak256 } from "../../spec/encoding/hash.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { catches, holds } from "../support/property.ts";

function rejects(fn: () => unknown, code: SpecErrorCode, what?: string): void {
  assert.throws(fn, (e: unknown) => isSpecError(e, code), what ?? code);
}

/** EIP-55's own examples: all caps, all lower, and mixed. Each is its address's checksummed text. */
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

test("address: EIP-55 examples format and parse", () => {
  for (const text of EIP55) {
    const bytes = fromHex(text.slice(2).toLowerCase());
    assert.equal(formatHexAddress(bytes), text);
    assert.deepEqual(parseHexAddress(text), bytes);
    assert.deepEqual(parseHexAddress(text.toLowerCase()), bytes);
    assert.deepEqual(parseHexAddress("0x" + text.slice(2).toUpperCase()), bytes);
  }
});

test("address: Harmony TestAddressHexChecksum (Address.Bech32 is the EIP-55 hex text)", () => {
  // The four mixed-case EIP-55 examples are checked above. Harmony's HexToAddress also left-pads
  // short input; the spec's parser does not (see the module's Deviation note), but the 20-byte
  // value 0x…0a formats as Harmony's test expects.
  const ten = new Uint8Array(20);
  ten[19] = 0x0a;
  assert.equal(formatHexAddress(ten), "0x000000000000000000000000000000000000000A");
  for (const short of ["0xa", "0x0a", "0x00a"]) {
    rejects(() => parseHexAddress(short), "encoding/address-wrong-length", short);
  }
});

test("address: Harmony TestAddressUnmarshalJSON inputs", () => {
  rejects(() => parseHexAddress(""), "encoding/address-missing-prefix");
  rejects(() => parseHexAddress("0x"), "encoding/address-wrong-length");
  rejects(() => parseHexAddress("0x00"), "encoding/address-wrong-length");
  rejects(() => parseHexAddress("0xG" + "0".repeat(39)), "encoding/invalid-hex");
  assert.deepEqual(parseHexAddress("0x" + "0".repeat(40)), new Uint8Array(20));
  assert.equal(toHex(parseHexAddress("0x" + "0".repeat(38) + "10")), "0".repeat(38) + "10");
  assert.deepEqual(parseHexAddress("0X" + "0".repeat(40)), new Uint8Array(20));
});

test("address: Harmony TestAddressToBech32 and TestParseAddr", () => {
  const bytes = fromHex("15a128e599b74842bccba860311efa92991bffb5");
  const text = "one1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ur";
  assert.equal(formatBech32Address(bytes), text);
  assert.deepEqual(parseAddress(text), bytes);
  assert.deepEqual(parseAddress(text.toUpperCase()), bytes);
  assert.deepEqual(parseAddress("0x15a128e599b74842bccba860311efa92991bffb5"), bytes);
  rejects(
    () => parseAddress("helloworldone1zksj3evekayy90xt4psrz8h6j2v3hla4qwz4ufdfsrfasdfadfas"),
    "encoding/bech32-bad-checksum",
  );
});

test("address: Harmony TestIsBech32Address (one or tone, 20 bytes)", () => {
  const isBech32Address = (s: string) => {
    for (const hrp of ["one", "tone"]) {
      try {
        parseBech32Address(s, hrp);
        return true;
      } catch (e) {
        if (!isSpecError(e)) throw e;
      }
    }
    return false;
  };
  const cases: [string, boolean][] = [
    ["one1ay37rp2pc3kjarg7a322vu3sa8j9puahg679z3", true],
    ["one1fdv7u7rll9epgcqv9xxh9lhwq427nsqldp8ua9", true],
    ["tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", true],
    ["tone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca1", false],
    ["xone1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", false],
    ["ne1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", false],
    ["1one1fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", false],
    ["one2fdv7u7rll9epgcqv9xxh9lhwq427nsqlr5wca5", false],
  ];
  for (const [s, valid] of cases) assert.equal(isBech32Address(s), valid, s);
  // The reasons, as btcsuite's decoder gives them.
  rejects(() => parseBech32Address(cases[3][0]), "encoding/bech32-bad-separator");
  rejects(() => parseBech32Address(cases[4][0]), "encoding/bech32-bad-checksum");
  rejects(() => parseBech32Address(cases[7][0]), "encoding/bech32-bad-separator");
  // A valid testnet address is a wrong-hrp error for the mainnet reader.
  rejects(() => parseBech32Address(cases[2][0]), "encoding/bech32-wrong-hrp");
});

test("address: payload length is checked before the hrp, as Harmony does", () => {
  const nineteen = scure.encodeFromBytes("xyz", new Uint8Array(19));
  rejects(() => parseBech32Address(nineteen), "encoding/address-wrong-length");
  rejects(() => formatHexAddress(new Uint8Array(21)), "encoding/address-wrong-length");
});

// --- properties ----------------------------------------------------------------------------------

const addresses = fc.uint8Array({ minLength: 20, maxLength: 20 });

/** A broken EIP-55 formatter: capitalises on nibbles above 8 instead of 8 and above. */
const offByOneFormat = (address: Uint8Array): string => {
  const digits = toHex(address);
  const hash = keccak256(new TextEncoder().encode(digits));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble > 8 ? digits[i].toUpperCase() : digits[i];
  }
  return out;
};

const agreesWithViem = (format: (a: Uint8Array) => string) =>
  fc.property(addresses, (a) => {
    assert.equal(format(a), getAddress("0x" + toHex(a)));
  });

test("property: EIP-55 text agrees with viem's getAddress", () => {
  holds(agreesWithViem(formatHexAddress), 300);
  catches(agreesWithViem(offByOneFormat), 300);
});

const hexRoundTrip = (format: (a: Uint8Array) => string) =>
  fc.property(addresses, (a) => {
    const text = format(a);
    assert.deepEqual(parseHexAddress(text), a);
    assert.deepEqual(parseAddress(text.toLowerCase()), a);
    assert.deepEqual(parseAddress("0x" + text.slice(2).toUpperCase()), a);
  });

test("property: hex text round-trips in checksummed, lower and upper case", () => {
  holds(hexRoundTrip(formatHexAddress), 300);
  catches(hexRoundTrip(offByOneFormat), 300);
});

const caseFlipRejected = (parse: (t: string) => Uint8Array) =>
  fc.property(addresses, fc.nat(), (a, pick) => {
    const text = formatHexAddress(a);
    const letters = [...text.slice(2)].flatMap((c, i) => (/[a-fA-F]/.test(c) ? [i + 2] : []));
    fc.pre(letters.length > 0);
    const i = letters[pick % letters.length];
    const c = text[i];
    const flipped = text.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) +
      text.slice(i + 1);
    // Text whose letters all share one case carries no checksum and is accepted as it is.
    fc.pre(/[a-f]/.test(flipped) && /[A-F]/.test(flipped));
    rejects(() => parse(flipped), "encoding/bad-checksum");
  });

test("property: changing the case of one letter, leaving mixed case, is a bad checksum", () => {
  holds(caseFlipRejected(parseHexAddress), 300);
  // A parser that ignores case entirely is caught.
  catches(caseFlipRejected((t) => parseHexAddress(t.toLowerCase())), 300);
});

const bech32RoundTrip = (format: (a: Uint8Array) => string) =>
  fc.property(addresses, (a) => {
    const text = format(a);
    assert.ok(text.startsWith("one1"));
    assert.deepEqual(parseAddress(text), a);
    assert.deepEqual(parseAddress(text.toUpperCase()), a);
    assert.equal(text, scure.encodeFromBytes("one", a));
  });

test("property: bech32 text round-trips and agrees with @scure/base", () => {
  holds(bech32RoundTrip(formatBech32Address), 300);
  // Encoding the hex text's bytes instead of the address bytes is caught.
  catches(bech32RoundTrip((a) => scure.encodeFromBytes("one", a.slice().reverse())), 300);
});

const texts = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  addresses.map(formatHexAddress),
  addresses.map((a) => formatBech32Address(a)),
  fc.tuple(addresses, fc.nat(), fc.integer({ min: 32, max: 127 })).map(([a, at, c]) => {
    const s = at % 2 === 0 ? formatHexAddress(a) : formatBech32Address(a);
    const i = at % s.length;
    return s.slice(0, i) + String.fromCharCode(c) + s.slice(i + 1);
  }),
);

const valueOrSpecError = (parse: (t: string) => unknown) =>
  fc.property(texts, (text) => {
    try {
      parse(text);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

test("property: parseAddress returns a value or a SpecError on arbitrary text", () => {
  holds(valueOrSpecError(parseAddress), 500);
  // Packages used unwrapped throw their own errors, which the property catches.
  catches(
    valueOrSpecError((t) => (/^0x/i.test(t) ? getAddress(t) : scure.decodeToBytes(t))),
    500,
  );
});
