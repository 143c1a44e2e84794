/**
 * Bech32 (BIP-173), the text form of Harmony's `one1…` addresses.
 *
 * A bech32 string is a *human-readable part* (hrp, `one` for Harmony addresses), the separator
 * `1`, and a data part of characters from a 32-letter alphabet, each carrying 5 bits, whose last
 * six characters are a checksum. The checksum is a BCH code over the hrp and the data: it detects
 * any error in up to four characters. Bytes become 5-bit groups by regrouping their bits
 * (`convertBits`), padding the last group with zero bits.
 *
 * Harmony uses the btcsuite implementation, whose decoder checks, in this order:
 *
 * 1. the string is 8 to 90 bytes long (`encoding/bech32-invalid-length`);
 * 2. every byte is printable ASCII, 33 to 126 (`encoding/bech32-bad-character`), and letters are
 *    not both upper and lower case (`encoding/bech32-mixed-case`); these two are checked together,
 *    byte by byte, so whichever problem comes first is reported. An all-uppercase string is
 *    valid and reads as its lowercase form;
 * 3. the last `1` exists, is not the first character and leaves at least 6 data characters
 *    (`encoding/bech32-bad-separator`);
 * 4. every data character is in the alphabet (`encoding/bech32-non-charset-character`);
 * 5. the checksum verifies (`encoding/bech32-bad-checksum`).
 *
 * Turning the 5-bit groups back into bytes refuses leftover padding of more than 4 bits or with a
 * non-zero bit (`encoding/bech32-bad-padding`).
 *
 * Lengths and characters are judged on the UTF-8 bytes of the text, as Go judges a string's bytes:
 * a non-ASCII character counts as several bytes, each of them out of range.
 *
 * This module is the protocol rule; `@scure/base`'s bech32 is used in the tests as an oracle.
 *
 * @see github.com/harmony-one/harmony internal/bech32/bech32.go (`ConvertAndEncode`,
 *   `DecodeAndConvert`)
 * @see github.com/btcsuite/btcutil bech32/bech32.go (`Decode`, `Encode`, `ConvertBits`), the
 *   version pinned in Harmony's go.mod
 * @see BIP-173
 * @module
 */
import { invariant, require } from "../errors.ts";
import { utf8ToBytes } from "./bytes.ts";

/** The data alphabet: the character at index i carries the 5-bit value i. */
export const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/** The generator of the BCH checksum code, one coefficient per bit of the top 5 bits. */
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** A decoded bech32 string: its lowercase hrp and its data as 5-bit values, checksum removed. */
export interface Bech32Decoded {
  /** The human-readable part, in lower case (`one` for Harmony accounts). */
  hrp: string;
  /** The data as 5-bit values, without the checksum. */
  words: number[];
}

/** A decoded bech32 string whose data has been regrouped into bytes. */
export interface Bech32Bytes {
  /** The human-readable part, in lower case. */
  hrp: string;
  /** The data regrouped into 8-bit bytes. */
  bytes: Uint8Array;
}

/** The BCH checksum polynomial evaluated over 5-bit values (BIP-173 `polymod`). */
function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ GENERATOR[i]) >>> 0;
  }
  return chk;
}

/** The hrp as checksum input: the high 3 bits of each character, a zero, then the low 5 bits. */
function expandHrp(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

/** The six checksum values for an hrp and data. */
function checksum(hrp: string, words: number[]): number[] {
  const mod = polymod([...expandHrp(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const out: number[] = [];
  for (let i = 0; i < 6; i++) out.push((mod >>> (5 * (5 - i))) & 31);
  return out;
}

/**
 * Encodes an hrp and 5-bit data as a bech32 string. The hrp is lowercased first, as btcsuite
 * does. Like btcsuite, it does not enforce the 90-character limit of decoding.
 *
 * @param hrp the human-readable part: non-empty, printable ASCII (33 to 126)
 * @param words the data, each value below 32
 * @returns the lowercase bech32 string
 * @throws {SpecError} `encoding/bech32-invalid-hrp` for an empty hrp or one with a character
 *   outside 33 to 126
 */
export function bech32Encode(hrp: string, words: number[]): string {
  require(/^[\x21-\x7e]+$/.test(hrp), "encoding/bech32-invalid-hrp", JSON.stringify(hrp));
  for (const w of words) invariant(Number.isInteger(w) && w >= 0 && w < 32, "5-bit bech32 data");
  const lower = hrp.toLowerCase();
  let out = lower + "1";
  for (const w of [...words, ...checksum(lower, words)]) out += BECH32_CHARSET[w];
  return out;
}

/** Checks lengths, characters and case of a bech32 string's bytes (steps 1 and 2 of decoding). */
function checkCharacters(bytes: Uint8Array): void {
  require(bytes.length >= 8 && bytes.length <= 90, "encoding/bech32-invalid-length");
  let hasLower = false;
  let hasUpper = false;
  for (const b of bytes) {
    require(b >= 33 && b <= 126, "encoding/bech32-bad-character", `byte ${b}`);
    hasLower ||= b >= 0x61 && b <= 0x7a;
    hasUpper ||= b >= 0x41 && b <= 0x5a;
    require(!(hasLower && hasUpper), "encoding/bech32-mixed-case");
  }
}

/**
 * Decodes a bech32 string (btcsuite `Decode`).
 *
 * @param text the bech32 string, in all lower or all upper case
 * @returns the lowercase hrp and the 5-bit data without the checksum
 * @throws {SpecError} `encoding/bech32-invalid-length`, `encoding/bech32-bad-character`,
 *   `encoding/bech32-mixed-case`, `encoding/bech32-bad-separator`,
 *   `encoding/bech32-non-charset-character`, `encoding/bech32-bad-checksum`
 */
export function bech32Decode(text: string): Bech32Decoded {
  checkCharacters(utf8ToBytes(text));
  // Every character is now printable ASCII, so string indices are byte indices.
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf("1");
  require(separator >= 1 && separator + 7 <= lower.length, "encoding/bech32-bad-separator");
  const hrp = lower.slice(0, separator);
  const words: number[] = [];
  for (const c of lower.slice(separator + 1)) {
    const w = BECH32_CHARSET.indexOf(c);
    require(w >= 0, "encoding/bech32-non-charset-character", c);
    words.push(w);
  }
  require(polymod([...expandHrp(hrp), ...words]) === 1, "encoding/bech32-bad-checksum");
  return { hrp, words: words.slice(0, words.length - 6) };
}

/**
 * Regroups a sequence of `from`-bit values into `to`-bit values, most significant bit first
 * (btcsuite `ConvertBits`).
 *
 * @param data values of `from` bits each
 * @param from bits per input value (1 to 8)
 * @param to bits per output value (1 to 8)
 * @param pad whether to pad an incomplete last group with zero bits (encoding); when false, an
 *   incomplete last group must be at most 4 bits, all zero (decoding)
 * @returns the regrouped values
 * @throws {SpecError} `encoding/bech32-bad-padding` when `pad` is false and the leftover bits are
 *   more than 4 or not all zero
 */
export function convertBits(
  data: ArrayLike<number>,
  from: number,
  to: number,
  pad: boolean,
): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    invariant(data[i] >>> from === 0, "input value fits its bit width");
    acc = ((acc << from) | data[i]) & 0xffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & ((1 << to) - 1));
    }
  }
  const rest = acc & ((1 << bits) - 1);
  if (pad && bits > 0) out.push((rest << (to - bits)) & ((1 << to) - 1));
  else require(bits <= 4 && rest === 0, "encoding/bech32-bad-padding", `${bits} bits left`);
  return out;
}

/**
 * Encodes bytes under an hrp (Harmony `ConvertAndEncode`).
 *
 * @param hrp the human-readable part
 * @param bytes the payload
 * @returns the bech32 string
 * @throws {SpecError} `encoding/bech32-invalid-hrp`
 */
export function bech32EncodeBytes(hrp: string, bytes: Uint8Array): string {
  return bech32Encode(hrp, convertBits(bytes, 8, 5, true));
}

/**
 * Decodes a bech32 string into its hrp and payload bytes (Harmony `DecodeAndConvert`).
 *
 * @param text the bech32 string
 * @returns the lowercase hrp and the bytes
 * @throws {SpecError} the codes of {@link bech32Decode}; `encoding/bech32-bad-padding`
 */
export function bech32DecodeBytes(text: string): Bech32Bytes {
  const { hrp, words } = bech32Decode(text);
  return { hrp, bytes: Uint8Array.from(convertBits(words, 5, 8, false)) };
}
