/**
 * Harmony's per-block VRF: a verifiable random value in every block, made from the leader's BLS
 * key, and the EVM precompile at address `0xff` that hands it to contracts.
 *
 * A verifiable random function lets the holder of a secret key compute, for any input, an output
 * that nobody else can predict, together with a proof that anyone holding the public key can
 * check. Harmony builds one from the BLS signature it already uses for consensus ("BLS-VRF"):
 *
 * - **Evaluate** ({@link vrfEvaluate}). The proof is the Harmony BLS signature (`SignHash`, see
 *   `crypto/bls.ts`) of the SHA-256 digest of the input: `proof = SignHash(sk, SHA-256(alpha))`,
 *   96 bytes. The output is the SHA-256 digest of the proof's 96 serialized bytes:
 *   `output = SHA-256(proof)`, 32 bytes. BLS signatures are unique (one valid signature per key
 *   and message), so the output is unique too; hashing the signature makes it uniform.
 * - **Verify** ({@link vrfVerify}). The proof must be a valid BLS signature of `SHA-256(alpha)`
 *   under the public key; the output is then recomputed as `SHA-256(proof)`.
 *
 * **In the chain.** From the `VRF` feature on (mainnet epoch 631), the leader of every block
 * evaluates the VRF on the hash of the block's parent and writes `output(32) ‖ proof(96)` into
 * the header's `Vrf` field: exactly 128 bytes ({@link vrfForBlock}, {@link vrfEncodeField}).
 * Before that epoch the field must be empty. Validators check the field against the leader's
 * public key (the key behind the header's coinbase) and the parent hash
 * ({@link vrfVerifyHeader}).
 *
 * **The precompile at `0xff`** ({@link vrfPrecompileOutput}). Contracts read the VRF of the block they
 * run in by calling address `0xff`; the answer is the first 32 bytes of the block header's `Vrf`
 * field (32 zero bytes when the field is shorter). Before `PrevVRF` (mainnet epoch 689) the input
 * is ignored. From `PrevVRF` on, the input is read as a big-endian block number `n`: the answer
 * is the VRF of block `n` when `current − 256 ≤ n ≤ current − 1`, and the current block's VRF for
 * every other `n` (the current block itself, future blocks, blocks more than 256 back). The call
 * never fails and costs 2 gas (`GasQuickStep`) whatever the input.
 *
 * **Deviation (length).** {@link vrfVerify} takes a proof of exactly 96 bytes. Go's
 * `ProofToHash` deserializes the first 96 bytes of a longer proof, ignores the rest, and returns
 * the SHA-256 of the whole longer buffer. In the chain the proof is always the 96 bytes after the
 * output in a 128-byte field, so no block is judged differently.
 *
 * @see github.com/harmony-one/harmony crypto/vrf/bls/bls_vrf.go `Evaluate`, `ProofToHash`
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `generateVrfAndProof`
 * @see github.com/harmony-one/harmony internal/chain/engine.go `VerifyVRF`
 * @see github.com/harmony-one/harmony core/vm/contracts.go `vrf` (`RequiredGas`, `Run`);
 *   core/vm/evm.go `run` (the input override); core/evm.go `NewEVMContext`, `GetVRFFn`
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import {
  blsDecodePublicKey,
  blsDecodeSignature,
  type BlsG2Point,
  blsSignHash,
  blsVerifyHashPoints,
} from "../crypto/bls.ts";
import { bytesEqual, bytesToBigint, concatBytes } from "../encoding/bytes.ts";
import { rejectAs, require } from "../errors.ts";
import { type HasFeatures, isActive } from "../params/features.ts";

/** Bytes of a VRF output (Go `vrfBeta`): a SHA-256 digest. */
export const VRF_OUTPUT_BYTES = 32;
/** Bytes of a VRF proof (Go `vrfProof`): a serialized BLS signature. */
export const VRF_PROOF_BYTES = 96;
/** Bytes of a header's `Vrf` field once the `VRF` feature is active: output ‖ proof. */
export const VRF_FIELD_BYTES = VRF_OUTPUT_BYTES + VRF_PROOF_BYTES;

/** The address of the VRF precompile: `0x00…00ff` (Go `common.BytesToAddress([]byte{255})`). */
export const VRF_PRECOMPILE_ADDRESS: Uint8Array = Uint8Array.from(
  { length: 20 },
  (_, i) => i === 19 ? 0xff : 0,
);

/** Gas of one call to the precompile, whatever the input: Go `GasQuickStep`. */
export const VRF_PRECOMPILE_GAS = 2n;

/**
 * How far back the precompile answers (since `PrevVRF`): blocks `current − 256` to
 * `current − 1`. Go writes the bound as "greater than `current − 257`", like `BLOCKHASH`'s window.
 */
export const VRF_LOOKBACK_BLOCKS = 256n;

/** A VRF evaluation: the output and the proof that it is right. */
export interface VrfEvaluation {
  /** 32 bytes: SHA-256 of the proof (Go `beta`, the "index"). */
  output: Uint8Array;
  /** 96 bytes: the BLS signature of SHA-256(input) (Go `pi`). */
  proof: Uint8Array;
}

/**
 * Evaluates the BLS-VRF (Go `PrivateKey.Evaluate`): `proof = SignHash(sk, SHA-256(alpha))`,
 * `output = SHA-256(proof)`.
 *
 * @param secretKey32LE the BLS secret key, 32 little-endian bytes
 * @param alpha the input, any bytes (in a block: the parent hash)
 * @returns the output and the proof
 * @throws {SpecError} `bls/invalid-length`, `bls/secret-key-out-of-range` for a bad key;
 *   `bls/message-maps-to-zero` if the digest maps to no point (Go returns a nil proof; a
 *   SHA-256 digest never does this in practice)
 */
export function vrfEvaluate(secretKey32LE: Uint8Array, alpha: Uint8Array): VrfEvaluation {
  const proof = blsSignHash(secretKey32LE, sha256(alpha));
  return { output: sha256(proof), proof };
}

/**
 * Checks a VRF proof and returns the output it proves (Go `PublicKey.ProofToHash`).
 *
 * @param publicKey48 the BLS public key of the evaluator
 * @param alpha the input the proof claims to be for
 * @param proof the 96-byte proof
 * @returns the 32-byte output, `SHA-256(proof)`
 * @throws {SpecError} `vrf/invalid-proof-length` unless 96 bytes; `vrf/malformed-proof` when the
 *   bytes are not a BLS signature (not canonical, not on the curve, not of order r);
 *   `vrf/invalid-proof` when the signature does not verify; the `bls/` codes of
 *   `blsDecodePublicKey` for a malformed public key
 */
export function vrfVerify(
  publicKey48: Uint8Array,
  alpha: Uint8Array,
  proof: Uint8Array,
): Uint8Array {
  require(proof.length === VRF_PROOF_BYTES, "vrf/invalid-proof-length", `${proof.length} bytes`);
  const publicKey = blsDecodePublicKey(publicKey48);
  const signature = decodeProof(proof);
  require(blsVerifyHashPoints(publicKey, sha256(alpha), signature), "vrf/invalid-proof");
  return sha256(proof);
}

/** Decodes a proof as a BLS signature, reporting a bad encoding as `vrf/malformed-proof`. */
function decodeProof(proof: Uint8Array): BlsG2Point {
  return rejectAs(() => blsDecodeSignature(proof), "vrf/malformed-proof");
}

/**
 * Checks a claimed VRF output and its proof: the proof must verify and the output must be
 * `SHA-256(proof)`.
 *
 * @param publicKey48 the BLS public key of the evaluator
 * @param alpha the input
 * @param evaluation the claimed output and proof
 * @throws {SpecError} the codes of {@link vrfVerify}; `vrf/output-mismatch` when the output is
 *   not the proof's digest
 */
export function vrfCheck(
  publicKey48: Uint8Array,
  alpha: Uint8Array,
  evaluation: VrfEvaluation,
): void {
  const output = vrfVerify(publicKey48, alpha, evaluation.proof);
  require(bytesEqual(output, evaluation.output), "vrf/output-mismatch");
}

/**
 * Writes a header's `Vrf` field: `output(32) ‖ proof(96)` (Go `SetVrf(append(vrf[:], proof...))`).
 *
 * @param evaluation the output and the proof
 * @returns 128 bytes
 * @throws {SpecError} `vrf/invalid-field-length` when the output is not 32 bytes or the proof
 *   not 96
 */
export function vrfEncodeField(evaluation: VrfEvaluation): Uint8Array {
  require(
    evaluation.output.length === VRF_OUTPUT_BYTES && evaluation.proof.length === VRF_PROOF_BYTES,
    "vrf/invalid-field-length",
    `output ${evaluation.output.length}, proof ${evaluation.proof.length}`,
  );
  return concatBytes(evaluation.output, evaluation.proof);
}

/**
 * Splits a header's `Vrf` field into output and proof.
 *
 * @param field the header's `Vrf` bytes
 * @returns the first 32 bytes as output and the last 96 as proof
 * @throws {SpecError} `vrf/invalid-field-length` unless exactly 128 bytes
 */
export function vrfParseField(field: Uint8Array): VrfEvaluation {
  require(field.length === VRF_FIELD_BYTES, "vrf/invalid-field-length", `${field.length} bytes`);
  return {
    output: field.slice(0, VRF_OUTPUT_BYTES),
    proof: field.slice(VRF_OUTPUT_BYTES),
  };
}

/**
 * The VRF output of a header as the EVM sees it (Go `NewEVMContext`, `GetVRFFn`): the first 32
 * bytes of the `Vrf` field, or 32 zero bytes when the field is shorter (headers before the `VRF`
 * feature, and a missing header).
 *
 * @param field the header's `Vrf` bytes (any length; empty for a missing header)
 * @returns 32 bytes
 */
export function vrfOutputOfField(field: Uint8Array): Uint8Array {
  if (field.length < VRF_OUTPUT_BYTES) return new Uint8Array(VRF_OUTPUT_BYTES);
  return field.slice(0, VRF_OUTPUT_BYTES);
}

/**
 * The `Vrf` field a leader writes into a new block (Go `generateVrfAndProof`): the VRF of its
 * BLS key over the hash of the parent block.
 *
 * @param secretKey32LE the leader's BLS secret key
 * @param parentHash the 32-byte hash of the block's parent
 * @returns the 128-byte field
 * @throws {SpecError} the codes of {@link vrfEvaluate}
 */
export function vrfForBlock(secretKey32LE: Uint8Array, parentHash: Uint8Array): Uint8Array {
  return vrfEncodeField(vrfEvaluate(secretKey32LE, parentHash));
}

/**
 * Validates a header's `Vrf` field (Go `VerifyVRF`). Gated by the `VRF` feature:
 * - before it, the field must be empty;
 * - [New in VRF] from it on, the field must be 128 bytes, its proof must verify under the
 *   leader's key over the parent hash, and its output must be `SHA-256(proof)`.
 *
 * @param config the network configuration (its feature schedule)
 * @param epoch the header's epoch
 * @param field the header's `Vrf` bytes
 * @param leaderPublicKey48 the BLS key of the block's leader (Go: found from the coinbase)
 * @param parentHash the hash of the parent header
 * @throws {SpecError} `vrf/unexpected-field` (non-empty before `VRF`);
 *   `vrf/invalid-field-length` (not 128 bytes from `VRF` on); `vrf/malformed-proof`,
 *   `vrf/invalid-proof` (the proof does not verify); `vrf/output-mismatch`
 */
export function vrfVerifyHeader(
  config: HasFeatures,
  epoch: bigint,
  field: Uint8Array,
  leaderPublicKey48: Uint8Array,
  parentHash: Uint8Array,
): void {
  if (!isActive(config, "VRF", epoch)) {
    require(field.length === 0, "vrf/unexpected-field", `${field.length} bytes before VRF`);
    return;
  }
  vrfCheck(leaderPublicKey48, parentHash, vrfParseField(field));
}

/**
 * Whether address `0xff` is the VRF precompile at an epoch. Go picks one precompile table per
 * epoch; the VRF entry is in the `VRF`, `SHA3` and `StakingPrecompile` tables, so it is present
 * once any of the three features is active (before, `0xff` is an ordinary account).
 *
 * @param config the network configuration
 * @param epoch the epoch of the block being executed
 * @returns whether calls to `0xff` run the precompile
 */
export function vrfPrecompileAvailable(config: HasFeatures, epoch: bigint): boolean {
  return isActive(config, "VRF", epoch) || isActive(config, "SHA3", epoch) ||
    isActive(config, "StakingPrecompile", epoch);
}

/**
 * Gas of a call to the precompile (Go `vrf.RequiredGas`): `GasQuickStep`, whatever the input.
 *
 * @param _input the call data (unused)
 * @returns 2
 */
export function vrfPrecompileGas(_input: Uint8Array): bigint {
  return VRF_PRECOMPILE_GAS;
}

/**
 * Which block's VRF the precompile answers with (Go `run` in core/vm/evm.go).
 * - Before `PrevVRF`: the current block, whatever the input.
 * - [New in PrevVRF] the input, read as a big-endian unsigned integer of any length (empty = 0),
 *   names a block `n`; the answer is block `n` when `current − 257 < n < current`, else the
 *   current block (n = current, n in the future, n too old).
 *
 * @param input the call data
 * @param blockNumber the number of the block being executed
 * @param prevVrf whether `PrevVRF` is active at the block's epoch
 * @returns the number of the block whose VRF is returned
 */
export function vrfPrecompileBlock(
  input: Uint8Array,
  blockNumber: bigint,
  prevVrf: boolean,
): bigint {
  if (!prevVrf) return blockNumber;
  const requested = bytesToBigint(input);
  // Go computes the lower bound as a signed big integer, so near genesis it is negative and
  // every n below the current block (block 0 included) is in range.
  const inRange = requested > blockNumber - (VRF_LOOKBACK_BLOCKS + 1n) && requested < blockNumber;
  return inRange ? requested : blockNumber;
}

/** What the precompile needs to know about the chain it runs in. */
export interface VrfPrecompileContext {
  /** The network configuration (its feature schedule). */
  config: HasFeatures;
  /** The epoch of the block being executed. */
  epoch: bigint;
  /** The number of the block being executed. */
  blockNumber: bigint;
  /**
   * The `Vrf` field of the header of block `n` on this chain: the current header for
   * `n = blockNumber`, an ancestor for `n < blockNumber` (asked only for the 256 blocks before).
   * Empty when there is no such header.
   */
  vrfFieldOf: (n: bigint) => Uint8Array;
}

/**
 * The precompile's answer (Go `vrf.Run` after `run` replaced its input): the 32-byte VRF output
 * of the block chosen by {@link vrfPrecompileBlock}, read with {@link vrfOutputOfField}. The call
 * never fails; its gas is {@link vrfPrecompileGas}.
 *
 * @param input the call data
 * @param context the executing block and a lookup of headers' `Vrf` fields
 * @returns 32 bytes
 */
export function vrfPrecompileOutput(input: Uint8Array, context: VrfPrecompileContext): Uint8Array {
  const prevVrf = isActive(context.config, "PrevVRF", context.epoch);
  const n = vrfPrecompileBlock(input, context.blockNumber, prevVrf);
  return vrfOutputOfField(context.vrfFieldOf(n));
}
