/**
 * The class-group VDF of harmony-one/vdf: Wesolowski's verifiable delay function.
 *
 * A verifiable delay function takes a seed and a number of iterations T and produces an output
 * that takes T sequential steps to compute but can be checked quickly. Harmony's documented
 * randomness design (the DRG) feeds the combined VRF randomness of an epoch (`pRnd`) into a VDF
 * so that the final randomness `Rnd` is known only after a delay, too late for any leader to bias
 * it. In the Go node the VDF calls exist but are never reached; the spec implements the VDF bit
 * for bit as harmony-one/vdf does, for the DRG feature. (Go's `ValidateVdfAndProof` would copy
 * the header's `Vdf` field into a 516-byte array first, padding or truncating; that belongs to
 * the DRG's rules, not to the VDF.)
 *
 * **Evaluation** ({@link vdfGenerate}), for a seed, T and a discriminant length L (2048 in
 * Harmony):
 * 1. D = `createDiscriminant(seed, L)`; x = (2, 1, (1 − D)/8).
 * 2. y = x^(2^T): T squarings.
 * 3. B = {@link hashPrime}(ser(x), ser(y)): the first prime among
 *    `int_BE(SHA-256("prime" ‖ u64_BE(j) ‖ ser(x) ‖ ser(y))[0:16])` for j = 0, 1, 2, …
 * 4. π = x^⌊2^T / B⌋ (Wesolowski's proof).
 * 5. Output ser(y) ‖ ser(π): 516 bytes for L = 2048.
 *
 * **Verification** ({@link vdfVerify}): recompute D, x; read y and π; B = hashPrime(ser(x),
 * ser(y)); r = 2^T mod B; accept iff π^B · x^r = y. This holds for an honest output because
 * B·⌊2^T/B⌋ + r = 2^T. It costs two exponentiations by numbers below 2^128 — independent of T —
 * plus the discriminant search, which dominates.
 *
 * **Cost of the proof.** harmony-one/vdf computes π with Wesolowski's block method; the result
 * x^⌊2^T/B⌋ is one group element, so the spec may compute it any way. It uses the same method
 * ({@link proveWesolowski}): while squaring, keep the checkpoints x^(2^(κ·j)); split q = ⌊2^T/B⌋
 * into κ-bit digits b_j, so π = ∏ (x^(2^(κj)))^(b_j); gather the checkpoints by digit value and
 * combine the 2^κ buckets with two running products. Cost: T squarings for y, plus about
 * ⌈T/κ⌉ + 2^(κ+1) multiplications, with κ chosen to minimize that sum (κ = 5 for T = 1,000:
 * 264 products, +26%; κ = 7 for T = 10,000: 1,685 products, +17%; κ = 9 for T = 50,000:
 * 6,580 products, +13%), and ⌈T/κ⌉ stored forms. A product costs about as much as a squaring.
 *
 * **Deviation (strict reading).** The spec accepts only the output bytes that the generator
 * writes: a wrong length, a coefficient a ≤ 0, a form off the discriminant (4a ∤ b² − D) or a
 * non-reduced form makes {@link vdfVerify} return false. Go's `VerifyVDF` checks only the length
 * (and panics on a shorter blob), computes c by floor division, and compares reduced forms, so
 * it also accepts non-reduced encodings of the correct y and π. No honest output is affected,
 * and Harmony's node never calls the VDF.
 *
 * @see github.com/harmony-one/vdf src/vdf_go/proof_wesolowski.go `GenerateVDF`, `VerifyVDF`,
 *   `hashPrime`, `evalOptimized`, `verifyProof`; src/vdf_go/vdf.go `Execute`, `Verify`
 * @see github.com/harmony-one/harmony consensus/consensus_v2.go `GenerateVdfAndProof`,
 *   `ValidateVdfAndProof`
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "../encoding/bytes.ts";
import { isSpecError, require } from "../errors.ts";
import { modPow } from "./arith.ts";
import {
  type ClassGroup,
  classGroup,
  deserializeForm,
  type Form,
  formsEqual,
  generatorForm,
  identityForm,
  multiplyForms,
  powForm,
  serializeForm,
  squareForm,
} from "./classgroup.ts";
import {
  createDiscriminant,
  MAX_DISCRIMINANT_BITS,
  MIN_DISCRIMINANT_BITS,
} from "./discriminant.ts";
import { isProbablePrime } from "./prime.ts";

/** The discriminant length Harmony uses (`vdf_go` `sizeInBits`). */
export const VDF_DISCRIMINANT_BITS = 2048;

/** "prime": the domain prefix of {@link hashPrime}. */
const PRIME_PREFIX = utf8ToBytes("prime");

/** The output of an evaluation: y = x^(2^T) and the proof π = x^⌊2^T/B⌋. */
export interface VdfEvaluation {
  /** The output y = x^(2^T). */
  y: Form;
  /** Wesolowski's proof π = x^⌊2^T/B⌋. */
  proof: Form;
}

/**
 * Wesolowski's challenge prime: the first j = 0, 1, 2, … for which the first 16 bytes of
 * SHA-256("prime" ‖ u64_BE(j) ‖ x ‖ y), read big-endian, are prime; that number.
 *
 * @param x the serialized starting form
 * @param y the serialized output form
 * @returns B, a prime below 2^128
 */
export function hashPrime(x: Uint8Array, y: Uint8Array): bigint {
  const counter = new Uint8Array(8);
  const view = new DataView(counter.buffer);
  for (let j = 0n;; j++) {
    view.setBigUint64(0, j);
    const digest = sha256(concatBytes(PRIME_PREFIX, counter, x, y));
    let z = 0n;
    for (let i = 0; i < 16; i++) z = (z << 8n) | BigInt(digest[i]);
    if (isProbablePrime(z)) return z;
  }
}

/**
 * The block size κ of the proof: the κ ≥ 1 minimizing ⌈T/κ⌉ + 2^(κ+1), the number of
 * multiplications of {@link proveWesolowski}.
 *
 * @param iterations T ≥ 0
 * @returns κ
 */
export function proofBlockSize(iterations: number): number {
  const cost = (k: number) =>
    (iterations - (iterations % k)) / k + (iterations % k > 0 ? 1 : 0) +
    2 ** (k + 1);
  let best = 1;
  for (let k = 2; k <= 24; k++) if (cost(k) < cost(best)) best = k;
  return best;
}

/** The result of repeated squaring: the output and the powers kept along the way. */
export interface SquaringRun {
  /** y = x^(2^T). */
  y: Form;
  /** x^(2^(κ·j)) for every κ·j < T, in order. */
  checkpoints: Form[];
}

/**
 * Squares x T times, keeping every κ-th power: returns y = x^(2^T) and the checkpoints
 * x^(2^(κ·j)) for κ·j < T.
 *
 * @param group the class group of x
 * @param x the starting form, reduced
 * @param iterations T ≥ 0
 * @param blockSize κ ≥ 1
 * @returns y and the checkpoints
 */
export function squareRepeatedly(
  group: ClassGroup,
  x: Form,
  iterations: number,
  blockSize: number,
): SquaringRun {
  const checkpoints: Form[] = [];
  let current = x;
  for (let i = 0; i < iterations; i++) {
    if (i % blockSize === 0) checkpoints.push(current);
    current = squareForm(group, current);
  }
  return { y: current, checkpoints };
}

/**
 * Wesolowski's proof π = x^⌊2^T/B⌋ from the checkpoints of {@link squareRepeatedly}, by the
 * block method (see the module doc).
 *
 * @param group the class group
 * @param checkpoints x^(2^(κ·j)) for κ·j < T
 * @param iterations T
 * @param blockSize κ
 * @param prime B
 * @returns the reduced form of x^⌊2^T/B⌋
 */
export function proveWesolowski(
  group: ClassGroup,
  checkpoints: Form[],
  iterations: number,
  blockSize: number,
  prime: bigint,
): Form {
  const q = (1n << BigInt(iterations)) / prime;
  const k = BigInt(blockSize), mask = (1n << k) - 1n;
  // bucket[β] = the product of the checkpoints whose digit of q is β
  const buckets: (Form | undefined)[] = new Array(1 << blockSize);
  for (let j = 0; j < checkpoints.length; j++) {
    const digit = Number((q >> (k * BigInt(j))) & mask);
    if (digit === 0) continue;
    const held = buckets[digit];
    buckets[digit] = held === undefined
      ? checkpoints[j]
      : multiplyForms(group, held, checkpoints[j]);
  }
  // ∏ bucket[β]^β = ∏_β (∏_{β' ≥ β} bucket[β']): a running suffix product, multiplied in.
  let suffix: Form | undefined, proof: Form | undefined;
  for (let digit = buckets.length - 1; digit >= 1; digit--) {
    const held = buckets[digit];
    if (held !== undefined) {
      suffix = suffix === undefined ? held : multiplyForms(group, suffix, held);
    }
    if (suffix !== undefined) {
      proof = proof === undefined ? suffix : multiplyForms(group, proof, suffix);
    }
  }
  return proof ?? identityForm(group.discriminant);
}

/**
 * Evaluates the VDF in a class group: y = x^(2^T) and π = x^⌊2^T/B⌋ for x = (2, 1, …).
 *
 * @param group the class group (from the seed's discriminant)
 * @param iterations T ≥ 0
 * @returns y and π, reduced
 * @throws {SpecError} `vdf/invalid-iterations` unless T is a safe integer ≥ 0
 */
export function evaluateVdf(group: ClassGroup, iterations: number): VdfEvaluation {
  requireIterations(iterations);
  const x = generatorForm(group.discriminant);
  const blockSize = proofBlockSize(iterations);
  const { y, checkpoints } = squareRepeatedly(group, x, iterations, blockSize);
  const prime = hashPrime(serializeForm(x), serializeForm(y));
  return { y, proof: proveWesolowski(group, checkpoints, iterations, blockSize, prime) };
}

/**
 * Wesolowski's check: π^B · x^r = y with B = hashPrime(ser(x), ser(y)) and r = 2^T mod B.
 *
 * @param group the class group
 * @param y the claimed output, reduced
 * @param proof the claimed proof, reduced
 * @param iterations T ≥ 0
 * @returns whether the proof shows y = x^(2^T)
 * @throws {SpecError} `vdf/invalid-iterations` unless T is a safe integer ≥ 0
 */
export function verifyWesolowski(
  group: ClassGroup,
  y: Form,
  proof: Form,
  iterations: number,
): boolean {
  requireIterations(iterations);
  const x = generatorForm(group.discriminant);
  const prime = hashPrime(serializeForm(x), serializeForm(y));
  const r = modPow(2n, BigInt(iterations), prime);
  const lhs = multiplyForms(group, powForm(group, proof, prime), powForm(group, x, r));
  return formsEqual(lhs, y);
}

/** @throws {SpecError} `vdf/invalid-iterations` unless T is a safe integer ≥ 0 */
function requireIterations(iterations: number): void {
  require(Number.isSafeInteger(iterations) && iterations >= 0, "vdf/invalid-iterations");
}

/**
 * Checks the parameters shared by generation and verification.
 *
 * @throws {SpecError} `vdf/invalid-iterations` unless T is a safe integer ≥ 0;
 *   `vdf/invalid-discriminant-size` for a length out of range
 */
function checkParameters(iterations: number, bits: number): void {
  requireIterations(iterations);
  require(
    Number.isSafeInteger(bits) && bits >= MIN_DISCRIMINANT_BITS && bits <= MAX_DISCRIMINANT_BITS,
    "vdf/invalid-discriminant-size",
  );
}

/**
 * The VDF output for a seed: ser(y) ‖ ser(π), as `vdf_go.GenerateVDF` (and `VDF.Execute`, which
 * concatenates) produce.
 *
 * @param seed any bytes (Harmony: the 32-byte XOR of an epoch's VRF outputs)
 * @param iterations T, the number of squarings (Harmony: `VdfDifficulty`)
 * @param bits the discriminant length (default 2048, Harmony's)
 * @returns 4·((bits + 16) >> 4) bytes: 516 for 2048 bits
 * @throws {SpecError} `vdf/invalid-iterations`, `vdf/invalid-discriminant-size`
 */
export function vdfGenerate(
  seed: Uint8Array,
  iterations: number,
  bits: number = VDF_DISCRIMINANT_BITS,
): Uint8Array {
  checkParameters(iterations, bits);
  const group = classGroup(createDiscriminant(seed, bits));
  const { y, proof } = evaluateVdf(group, iterations);
  return concatBytes(serializeForm(y), serializeForm(proof));
}

/**
 * Reads ser(y) ‖ ser(π) in a class group and checks the proof.
 *
 * @param group the class group
 * @param output the bytes to check
 * @param iterations T ≥ 0
 * @returns whether the output is exactly the VDF output for the group and T
 * @throws {SpecError} `vdf/invalid-length`, the form codes of `deserializeForm`,
 *   `vdf/invalid-iterations`
 */
export function verifyVdfOutput(
  group: ClassGroup,
  output: Uint8Array,
  iterations: number,
): boolean {
  const half = 2 * group.byteSize;
  require(output.length === 2 * half, "vdf/invalid-length", `${output.length} bytes`);
  const y = deserializeForm(output.subarray(0, half), group.discriminant);
  const proof = deserializeForm(output.subarray(half), group.discriminant);
  return verifyWesolowski(group, y, proof, iterations);
}

/**
 * Whether `output` is the VDF output for the seed and T (`vdf_go.VerifyVDF`). Never throws:
 * any malformed input (a wrong length, a form off the discriminant or not reduced, invalid
 * parameters) is simply not a valid output.
 *
 * @param seed any bytes
 * @param output the claimed ser(y) ‖ ser(π)
 * @param iterations T
 * @param bits the discriminant length (default 2048)
 * @returns true iff the output is exactly what {@link vdfGenerate} produces
 */
export function vdfVerify(
  seed: Uint8Array,
  output: Uint8Array,
  iterations: number,
  bits: number = VDF_DISCRIMINANT_BITS,
): boolean {
  try {
    checkParameters(iterations, bits);
    // The length depends only on L (as Go slices it); check it before the expensive search.
    require(output.length === 4 * ((bits + 16) >> 4), "vdf/invalid-length");
    const group = classGroup(createDiscriminant(seed, bits));
    return verifyVdfOutput(group, output, iterations);
  } catch (e) {
    if (isSpecError(e)) return false;
    throw e;
  }
}
