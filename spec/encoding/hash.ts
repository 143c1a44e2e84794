/**
 * The hash functions of the protocol.
 *
 * - **Keccak-256** is the hash of almost everything: block hashes (over the header's tagged RLP),
 *   transaction hashes and signing hashes, Ethereum-style addresses (the last 20 bytes of the hash
 *   of a public key), state and receipt tries, the EIP-55 checksum of hex addresses, and the
 *   constant messages of staking. It is the *legacy* Keccak of the SHA-3 competition, with the
 *   original `0x01` padding, not FIPS 202 SHA3-256, which pads with `0x06`: the two give
 *   different digests for every input.
 * - **SHA3-256** (FIPS 202) is used by Harmony in a few places off the block hash path, under the
 *   misleading Go name `FromRLPNew256`: the hash of a committee's RLP, and the comparison of the
 *   two votes of double-sign evidence.
 * - **SHA-256** (FIPS 180-4) appears where Harmony derives a value from a BLS public key, such as
 *   the staking-era block coinbase (the first 20 bytes of `sha256(blsPublicKey)`).
 *
 * @see github.com/harmony-one/harmony crypto/hash/hash.go (`Keccak256`), crypto/hash/rlp.go
 *   (`FromRLP` is Keccak-256 of the RLP, `FromRLPNew256` is SHA3-256 of the RLP)
 * @module
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { sha3_256 as nobleSha3 } from "@noble/hashes/sha3.js";
import { createKeccak } from "hash-wasm";

/**
 * The Keccak-256 of hash-wasm (WebAssembly): Keccak-256 is most of the cost of a block's tries and
 * of every transaction and message hash, and it runs some five times faster than in plain
 * JavaScript. One hasher serves every call: a call runs from start to end without yielding.
 */
const keccakHasher = await createKeccak(256);

/**
 * Legacy Keccak-256.
 *
 * @param data the bytes to hash
 * @returns the 32-byte digest
 */
export function keccak256(data: Uint8Array): Uint8Array {
  keccakHasher.init();
  keccakHasher.update(data);
  return keccakHasher.digest("binary");
}

/**
 * FIPS 202 SHA3-256 (not the Keccak-256 of {@link keccak256}).
 *
 * @param data the bytes to hash
 * @returns the 32-byte digest
 */
export function sha3_256(data: Uint8Array): Uint8Array {
  return nobleSha3(data);
}

/**
 * FIPS 180-4 SHA-256.
 *
 * @param data the bytes to hash
 * @returns the 32-byte digest
 */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}
