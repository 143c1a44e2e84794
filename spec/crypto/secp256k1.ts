/**
 * secp256k1 signatures of accounts: signing, sender recovery, and the `v` value of transactions.
 *
 * Every ordinary and staking transaction in Harmony is signed like an Ethereum transaction: the
 * sender signs the 32-byte Keccak-256 *signing hash* of the transaction with ECDSA over the
 * secp256k1 curve, and the transaction carries `(v, r, s)` but not the sender. Anyone recovers the
 * sender's public key from the hash and the signature, and from it the sender's address: the last
 * 20 bytes of `keccak256(x ‖ y)`, the 64-byte uncompressed public key without its `0x04` prefix.
 *
 * **Signing** is deterministic (RFC 6979 nonces, HMAC-SHA256), as go-ethereum's libsecp256k1
 * binding and every Ethereum wallet do, and produces *low-s* signatures (`s ≤ n/2`; a high `s` is
 * replaced by `n − s`, which flips the recovery id). Equal inputs therefore give equal signatures
 * in every client.
 *
 * **Recovery id.** Two curve points share the x-coordinate `r`; the recovery id (0 or 1) says
 * which one signed: its y is even (0) or odd (1). Ids 2 and 3 (an x-coordinate of `r + n`) occur
 * with probability about 2⁻¹²⁸ and cannot be expressed in a transaction's `v`.
 *
 * **`v`.** A transaction stores the recovery id in `v`. Before EIP-155 ("unprotected"),
 * `v = 27 + id`. With EIP-155 replay protection, `v = 35 + 2·chainId + id`, which binds the
 * signature to one chain. {@link decodeV} reads either form; whether a given chain id, or an
 * unprotected signature, is acceptable is decided by the transaction rules, not here.
 *
 * **Validity** of `(r, s, id)` before recovery, as go-ethereum's `ValidateSignatureValues`:
 * `1 ≤ r < n`, `1 ≤ s < n`, id 0 or 1, and under the *homestead* rule (EIP-2, every Harmony
 * signer except the pre-EIP-155 Frontier signer) `s ≤ n/2` (`n/2` rounded down). Go reports one
 * error for all of these; the spec gives each its own code and checks them in this order:
 * recovery id, `r`, `s`, high `s`. Recovery itself can still fail when `r` is not the
 * x-coordinate of a curve point, or the recovered key is the point at infinity
 * (`secp256k1/recovery-failed`).
 *
 * @see github.com/harmony-one/harmony core/types/transaction_signing.go (`recoverPlain`,
 *   `EIP155Signer.Sender`, `EIP155Signer.SignatureValues`, `deriveChainID`)
 * @see github.com/ethereum/go-ethereum crypto/crypto.go (`ValidateSignatureValues`,
 *   `PubkeyToAddress`), crypto/signature_cgo.go (`Ecrecover`, `Sign`)
 * @see EIP-2, EIP-155, RFC 6979
 * @module
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bigintToFixedBytes, bytesToBigint, concatBytes } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import { invariant, require } from "../errors.ts";

/** The order n of the secp256k1 group: private keys and `r`, `s` live in `[1, n)`. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** `n / 2` rounded down: under the homestead rule, `s` must not exceed it. */
export const SECP256K1_HALF_N = SECP256K1_N / 2n;

/** An ECDSA signature with its recovery id, as a transaction carries it (less the `v` encoding). */
export interface Signature {
  /** The x coordinate of the signing point, modulo n. */
  r: bigint;
  /** The signature proof, in the lower half of the group order once normalised. */
  s: bigint;
  /** 0 when the signing point's y is even, 1 when odd. */
  recoveryId: number;
}

/** A decoded `v`: the recovery id and the chain id (`null` for an unprotected signature). */
export interface DecodedV {
  /** 0 or 1: the parity of the signing point's y. */
  recoveryId: number;
  /** The EIP-155 chain id, or `null` for a legacy (27/28) signature. */
  chainId: bigint | null;
}

/**
 * Checks a private key: 32 bytes encoding an integer in `[1, n)`.
 *
 * @throws {SpecError} `secp256k1/invalid-private-key`
 */
export function validatePrivateKey(privateKey: Uint8Array): void {
  require(privateKey.length === 32, "secp256k1/invalid-private-key", "not 32 bytes");
  const d = bytesToBigint(privateKey);
  require(d >= 1n && d < SECP256K1_N, "secp256k1/invalid-private-key", "out of range");
}

/**
 * The uncompressed public key of a private key: `0x04 ‖ x ‖ y`, 65 bytes.
 *
 * @throws {SpecError} `secp256k1/invalid-private-key`
 */
export function publicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  validatePrivateKey(privateKey);
  return secp256k1.getPublicKey(privateKey, false);
}

/**
 * The address of a public key: the last 20 bytes of the Keccak-256 of its 64 coordinate bytes.
 *
 * @param publicKey the uncompressed key, `0x04 ‖ x ‖ y` (65 bytes), a point on the curve
 * @returns the 20-byte address
 * @throws {SpecError} `secp256k1/invalid-public-key`
 */
export function addressFromPublicKey(publicKey: Uint8Array): Uint8Array {
  require(publicKey.length === 65 && publicKey[0] === 4, "secp256k1/invalid-public-key");
  require(secp256k1.utils.isValidPublicKey(publicKey, false), "secp256k1/invalid-public-key");
  return keccak256(publicKey.subarray(1)).slice(12);
}

/**
 * The address controlled by a private key.
 *
 * @throws {SpecError} `secp256k1/invalid-private-key`
 */
export function addressFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  return addressFromPublicKey(publicKeyFromPrivateKey(privateKey));
}

/**
 * Signs a 32-byte hash: deterministic (RFC 6979), low-s.
 *
 * @param hash the 32-byte signing hash
 * @param privateKey the 32-byte private key
 * @returns `r`, `s` (`s ≤ n/2`) and the recovery id
 * @throws {SpecError} `secp256k1/invalid-hash-length`, `secp256k1/invalid-private-key`
 */
export function sign(hash: Uint8Array, privateKey: Uint8Array): Signature {
  require(hash.length === 32, "secp256k1/invalid-hash-length");
  validatePrivateKey(privateKey);
  const bytes = secp256k1.sign(hash, privateKey, {
    prehash: false,
    lowS: true,
    format: "recovered",
  });
  const sig = secp256k1.Signature.fromBytes(bytes, "recovered");
  invariant(sig.recovery === 0 || sig.recovery === 1, "recovery id 2 or 3 (probability 2^-128)");
  return { r: sig.r, s: sig.s, recoveryId: sig.recovery };
}

/**
 * Checks `(r, s, recovery id)` as go-ethereum's `ValidateSignatureValues` does, with a code per
 * reason, in the order: recovery id, `r`, `s`, high `s`.
 *
 * @param sig the signature values
 * @param homestead whether the EIP-2 rule `s ≤ n/2` applies (false only for the Frontier signer)
 * @throws {SpecError} `secp256k1/invalid-recovery-id`, `secp256k1/r-out-of-range`,
 *   `secp256k1/s-out-of-range`, `secp256k1/high-s`
 */
export function validateSignatureValues(sig: Signature, homestead: boolean): void {
  const { r, s, recoveryId } = sig;
  require(recoveryId === 0 || recoveryId === 1, "secp256k1/invalid-recovery-id");
  require(r >= 1n && r < SECP256K1_N, "secp256k1/r-out-of-range");
  require(s >= 1n && s < SECP256K1_N, "secp256k1/s-out-of-range");
  require(!homestead || s <= SECP256K1_HALF_N, "secp256k1/high-s");
}

/**
 * The curve operation inside public-key recovery: the uncompressed key (`0x04 ‖ x ‖ y`) for which
 * `(r, s)` with recovery id `recoveryId` signs `hash`, or null when there is none (no curve point
 * has x = r, or the key would be the point at infinity). The checks on the values around it are
 * the spec's ({@link recoverPublicKey}); the operation itself is standard secp256k1, so a host may
 * supply another implementation of it (a node uses libsecp256k1 where it can load it).
 */
export type PointRecovery = (
  hash: Uint8Array,
  r: bigint,
  s: bigint,
  recoveryId: number,
) => Uint8Array | null;

/**
 * {@link PointRecovery} with @noble/curves: the spec's own.
 *
 * @param hash the 32-byte hash
 * @param r the signature's r, in [1, n)
 * @param s the signature's s, in [1, n)
 * @param recoveryId 0 or 1
 * @returns the uncompressed key, or null
 */
export const nobleRecovery: PointRecovery = (hash, r, s, recoveryId) => {
  try {
    return new secp256k1.Signature(r, s, recoveryId).recoverPublicKey(hash).toBytes(false);
  } catch {
    return null;
  }
};

/**
 * Recovers the uncompressed public key that made a signature of a hash.
 *
 * @param hash the 32-byte signing hash
 * @param sig the signature
 * @param homestead whether the EIP-2 low-s rule applies
 * @param curve the curve operation (the spec's own by default)
 * @returns `0x04 ‖ x ‖ y`
 * @throws {SpecError} `secp256k1/invalid-hash-length`, the codes of
 *   {@link validateSignatureValues}, `secp256k1/recovery-failed`
 */
export function recoverPublicKey(
  hash: Uint8Array,
  sig: Signature,
  homestead: boolean,
  curve: PointRecovery = nobleRecovery,
): Uint8Array {
  require(hash.length === 32, "secp256k1/invalid-hash-length");
  validateSignatureValues(sig, homestead);
  const key = curve(hash, sig.r, sig.s, sig.recoveryId);
  require(key !== null, "secp256k1/recovery-failed");
  return key;
}

/**
 * Recovers the sender address of a signed hash: what a transaction's `from` is.
 *
 * @param hash the 32-byte signing hash
 * @param sig the signature
 * @param homestead whether the EIP-2 low-s rule applies
 * @param curve the curve operation (the spec's own by default)
 * @returns the 20-byte address
 * @throws {SpecError} the codes of {@link recoverPublicKey}
 */
export function recoverAddress(
  hash: Uint8Array,
  sig: Signature,
  homestead: boolean,
  curve: PointRecovery = nobleRecovery,
): Uint8Array {
  return addressFromPublicKey(recoverPublicKey(hash, sig, homestead, curve));
}

/**
 * The `v` of a transaction: `27 + id` unprotected, `35 + 2·chainId + id` under EIP-155.
 *
 * @param recoveryId 0 or 1
 * @param chainId the chain id, or `null` for an unprotected signature
 * @throws {SpecError} `secp256k1/invalid-recovery-id`
 */
export function encodeV(recoveryId: number, chainId: bigint | null): bigint {
  require(recoveryId === 0 || recoveryId === 1, "secp256k1/invalid-recovery-id");
  invariant(chainId === null || chainId >= 0n, "chain ids are non-negative");
  return chainId === null ? 27n + BigInt(recoveryId) : 35n + 2n * chainId + BigInt(recoveryId);
}

/**
 * Reads a transaction's `v`: 27 or 28 is unprotected; 35 and above is EIP-155 with
 * `chainId = (v − 35) / 2` (rounded down) and `id = (v − 35) mod 2`.
 *
 * @param v the transaction's `v`
 * @returns the recovery id and the chain id (`null` when unprotected)
 * @throws {SpecError} `secp256k1/invalid-v` for any other value (below 35 and neither 27 nor 28)
 */
export function decodeV(v: bigint): DecodedV {
  if (v === 27n || v === 28n) return { recoveryId: Number(v - 27n), chainId: null };
  require(v >= 35n, "secp256k1/invalid-v", `${v}`);
  return { recoveryId: Number((v - 35n) % 2n), chainId: (v - 35n) / 2n };
}

/**
 * The 65-byte form `r ‖ s ‖ id` used by go-ethereum's `crypto.Sign` and `Ecrecover`.
 *
 * @throws {SpecError} the codes of {@link validateSignatureValues} with the low-s rule off
 */
export function signatureToBytes(sig: Signature): Uint8Array {
  validateSignatureValues(sig, false);
  const id = Uint8Array.of(sig.recoveryId);
  return concatBytes(bigintToFixedBytes(sig.r, 32), bigintToFixedBytes(sig.s, 32), id);
}

/**
 * Reads the 65-byte form `r ‖ s ‖ id`. Values are not range-checked here; recovery checks them.
 *
 * @throws {SpecError} `secp256k1/invalid-signature-length`
 */
export function signatureFromBytes(bytes: Uint8Array): Signature {
  require(bytes.length === 65, "secp256k1/invalid-signature-length");
  const r = bytesToBigint(bytes.subarray(0, 32));
  return { r, s: bytesToBigint(bytes.subarray(32, 64)), recoveryId: bytes[64] };
}
