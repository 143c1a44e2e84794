/**
 * Account addresses and their two text forms.
 *
 * An address is 20 bytes: for an externally owned account, the last 20 bytes of the Keccak-256 of
 * its uncompressed secp256k1 public key (see the secp256k1 module); for a contract, derived from
 * its creator. Harmony shows an address in two ways, and both must name the same 20 bytes:
 *
 * - **hex**, `0x` and 40 hex digits, written with the **EIP-55 checksum**: a hex letter is upper
 *   case exactly when the matching hex digit (nibble) of `keccak256(lowercase hex digits as
 *   ASCII)` is 8 or more. Ethereum tools (wallets, viem, ethers) use this form.
 * - **bech32**, `one1…`: the 20 bytes in bech32 with the human-readable part `one` (see the bech32
 *   module). Harmony's own tools and explorers use this form.
 *
 * Formatting always gives the canonical text: checksummed hex, lowercase bech32.
 *
 * **Parsing is strict.** Hex text needs the `0x` (or `0X`) prefix and exactly 40 hex digits. If
 * its letters are all lower case or all upper case, it carries no checksum and is accepted as it
 * is, as EIP-55 specifies; if it mixes cases, it must be exactly the checksummed form, else
 * `encoding/bad-checksum`. Bech32 text must decode (all of bech32's rejections apply), carry 20
 * bytes and the expected human-readable part.
 *
 * **Deviation.** Harmony's Go node is far more lenient where it reads hex addresses from users
 * (`ParseAddr`, `HexToAddress`): it accepts text without the prefix, of any length (cropping or
 * left-padding to 20 bytes), and never checks the checksum; a string that is not hex at all
 * becomes the zero address, which `ParseAddr` then rejects. None of that reaches consensus (blocks
 * and transactions carry the 20 bytes, never text), so the spec keeps to the strict reading that
 * Ethereum tools apply, and never turns a typo into a valid, different address.
 *
 * Harmony's quirk of naming: its `Address.Bech32()` method returns the EIP-55 *hex* text.
 *
 * @see github.com/harmony-one/harmony internal/common/address.go (`Address.Bech32` is the EIP-55
 *   hex form, `ParseBech32Addr`, `Bech32ToAddress`, `AddressToBech32`, `ParseAddr`,
 *   `Bech32AddressHRP`)
 * @see EIP-55
 * @module
 */
import { fromHex, toHex, utf8ToBytes } from "./bytes.ts";
import { bech32DecodeBytes, bech32EncodeBytes } from "./bech32.ts";
import { keccak256 } from "./hash.ts";
import { require } from "../errors.ts";

/** The length of an address in bytes. */
export const ADDRESS_LENGTH = 20;

/** The human-readable part of Harmony's bech32 addresses. */
export const ADDRESS_HRP = "one";

/**
 * Checks that bytes are an address (exactly 20 bytes).
 *
 * @param bytes the candidate
 * @returns the same bytes
 * @throws {SpecError} `encoding/address-wrong-length`
 */
export function addressFromBytes(bytes: Uint8Array): Uint8Array {
  require(bytes.length === ADDRESS_LENGTH, "encoding/address-wrong-length", `${bytes.length}`);
  return bytes;
}

/**
 * The EIP-55 checksummed hex text of an address.
 *
 * @param address 20 bytes
 * @returns `0x` and 40 hex digits with checksum capitalisation
 * @throws {SpecError} `encoding/address-wrong-length`
 */
export function formatHexAddress(address: Uint8Array): string {
  const digits = toHex(addressFromBytes(address));
  const hash = keccak256(utf8ToBytes(digits));
  let out = "0x";
  for (let i = 0; i < digits.length; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? digits[i].toUpperCase() : digits[i];
  }
  return out;
}

/**
 * Parses hex text into an address, checking the EIP-55 checksum of mixed-case text.
 *
 * @param text `0x` (or `0X`) and 40 hex digits
 * @returns the 20 bytes
 * @throws {SpecError} `encoding/address-missing-prefix`, `encoding/invalid-hex`,
 *   `encoding/address-wrong-length`, `encoding/bad-checksum`
 */
export function parseHexAddress(text: string): Uint8Array {
  require(/^0[xX]/.test(text), "encoding/address-missing-prefix");
  const digits = text.slice(2);
  require(/^[0-9a-fA-F]*$/.test(digits), "encoding/invalid-hex");
  require(digits.length === 2 * ADDRESS_LENGTH, "encoding/address-wrong-length");
  const address = fromHex(digits);
  const mixedCase = /[a-f]/.test(digits) && /[A-F]/.test(digits);
  require(!mixedCase || formatHexAddress(address).slice(2) === digits, "encoding/bad-checksum");
  return address;
}

/**
 * The bech32 text of an address.
 *
 * @param address 20 bytes
 * @param hrp the human-readable part, {@link ADDRESS_HRP} unless stated
 * @returns the lowercase bech32 text, e.g. `one1…`
 * @throws {SpecError} `encoding/address-wrong-length`, `encoding/bech32-invalid-hrp`
 */
export function formatBech32Address(address: Uint8Array, hrp = ADDRESS_HRP): string {
  return bech32EncodeBytes(hrp, addressFromBytes(address));
}

/**
 * Parses bech32 text into an address. As in Harmony, the length of the payload is checked before
 * the human-readable part.
 *
 * @param text bech32 text, all lower or all upper case
 * @param hrp the expected human-readable part, {@link ADDRESS_HRP} unless stated
 * @returns the 20 bytes
 * @throws {SpecError} every code of bech32 decoding; `encoding/address-wrong-length`;
 *   `encoding/bech32-wrong-hrp`
 */
export function parseBech32Address(text: string, hrp = ADDRESS_HRP): Uint8Array {
  const decoded = bech32DecodeBytes(text);
  addressFromBytes(decoded.bytes);
  require(decoded.hrp === hrp, "encoding/bech32-wrong-hrp", decoded.hrp);
  return decoded.bytes;
}

/**
 * Parses an address in either text form: hex when it starts with `0x` or `0X`, bech32 otherwise.
 *
 * @param text the address text
 * @returns the 20 bytes
 * @throws {SpecError} the codes of {@link parseHexAddress} or of {@link parseBech32Address}
 */
export function parseAddress(text: string): Uint8Array {
  return /^0[xX]/.test(text) ? parseHexAddress(text) : parseBech32Address(text);
}
