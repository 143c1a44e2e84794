/**
 * The discriminant of the VDF's class group, derived from a seed.
 *
 * The VDF computes in the class group of binary quadratic forms of one negative discriminant D.
 * Nobody may know the order of that group, so D is not chosen by anyone: it is derived from the
 * VDF's seed by hashing, as a prime. harmony-one/vdf restates the rule of the Chia "inkfish"
 * reference; for a length of L bits it is:
 *
 * 1. **Entropy.** `entropy = SHA-256(seed ‖ u16_BE(0)) ‖ SHA-256(seed ‖ u16_BE(1)) ‖ …`, cut to
 *    `byteCount = ⌈L/8⌉ + 2` bytes ({@link entropyFromSeed}). For L = 2048: 258 bytes.
 * 2. **Start.** `n` = the first `byteCount − 2` bytes as a big-endian integer, shifted right by
 *    `(8 − L mod 8) mod 8` bits (so it has at most L bits), with bit L − 1 then set.
 *    (For L a multiple of 8 the shift is 0. The Python original shifts by 8 there; Go does not,
 *    and the spec follows Go.)
 * 3. **Residue class.** Round n down to a multiple of M = 8·3·5·7·11·13 = 120120 and add
 *    `residues[u16_BE(last two entropy bytes) mod 5760]`, where `residues` lists, ascending, the
 *    r in [0, M) with r ≡ 7 (mod 8) and r prime to 3·5·7·11·13 ({@link residueTable}). Every
 *    candidate n + M·i is then ≡ 7 (mod 8) and has no prime factor up to 13.
 * 4. **Search.** Sieve the next 2^16 candidates n + M·i with every prime 17 ≤ p < 2^16: p divides
 *    n + M·i exactly when i ≡ (−n mod p)·(M⁻¹ mod p) (mod p) ({@link sieveTable}). Return
 *    D = −(n + M·i) for the first unmarked i whose candidate is prime (`prime.ts`). If none is,
 *    move n on by M·2^16 and sieve again.
 *
 * D is then negative, |D| is an L-bit prime (in practice: a candidate could pass 2^L only for
 * tiny L) and −D ≡ 7 (mod 8), so D ≡ 1 (mod 8) and the form (2, 1, (1 − D)/8) exists.
 *
 * **Quirk kept.** In Go the residues −n mod p used by the sieve are computed once, from the first
 * n; a second sieve window (after moving n on) marks indices for the *first* window's candidates.
 * The spec keeps this. It never matters in practice: the first window holds about 17,000
 * unmarked candidates, each prime with probability about 1/72 at 2048 bits.
 *
 * The tables (5760 residues, 6536 sieve primes with the inverse of M) are computed here from
 * their definitions instead of being copied from Go's `constants.go`; the tests compare them.
 *
 * @see github.com/harmony-one/vdf src/vdf_go/discriminant.go `EntropyFromSeed`,
 *   `CreateDiscriminant`; src/vdf_go/constants.go `residues`, `sieve_info`
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToBigint, concatBytes, toHex } from "../encoding/bytes.ts";
import { require } from "../errors.ts";
import { isProbablePrime, primesBelow } from "./prime.ts";

/** M = 8·3·5·7·11·13: every candidate discriminant is ≡ 7 mod 8 and prime to 3 … 13. */
export const DISCRIMINANT_MODULUS = 120120;

/** Candidates per sieve window, and the bound of the sieving primes: 2^16. */
export const SIEVE_SIZE = 65536;

/** The smallest supported discriminant length in bits; below it step 3 erases the start. */
export const MIN_DISCRIMINANT_BITS = 64;

/** The largest supported discriminant length in bits (a bound on the work a caller can ask). */
export const MAX_DISCRIMINANT_BITS = 8192;

/**
 * Expands a seed into `byteCount` bytes: SHA-256 of the seed followed by a 16-bit big-endian
 * block counter, for counters 0, 1, 2, …, concatenated and cut.
 *
 * @param seed any bytes
 * @param byteCount how many bytes to produce (at most 2^21, the counter's range)
 * @returns the first `byteCount` bytes of the expansion
 */
export function entropyFromSeed(seed: Uint8Array, byteCount: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  // Go appends while the collected length is ≤ byteCount, so a multiple of 32 gets one extra
  // block; only the cut matters.
  for (let counter = 0; 32 * counter <= byteCount; counter++) {
    blocks.push(sha256(concatBytes(seed, new Uint8Array([counter >> 8, counter & 0xff]))));
  }
  return concatBytes(...blocks).slice(0, byteCount);
}

/**
 * The residues r in [0, M), ascending, with r ≡ 7 (mod 8) and gcd(r, 3·5·7·11·13) = 1.
 * There are φ(15015) = 5760 of them: 23, 31, 47, 71, 79, …
 *
 * @returns the residue table of step 3
 */
export function residueTable(): number[] {
  const out: number[] = [];
  for (let r = 7; r < DISCRIMINANT_MODULUS; r += 8) {
    if (r % 3 !== 0 && r % 5 !== 0 && r % 7 !== 0 && r % 11 !== 0 && r % 13 !== 0) out.push(r);
  }
  return out;
}

/** One sieving prime p with q = M⁻¹ mod p. */
export interface SievePrime {
  /** The sieving prime. */
  p: number;
  /** The inverse of the residue modulus M modulo p. */
  q: number;
}

/**
 * The sieving primes 17 ≤ p < 2^16 (6536 of them), each with the inverse of M modulo p.
 *
 * @returns the sieve table of step 4
 */
export function sieveTable(): SievePrime[] {
  const out: SievePrime[] = [];
  for (const p of primesBelow(SIEVE_SIZE)) {
    if (p < 17) continue;
    out.push({ p, q: inverseModSmall(DISCRIMINANT_MODULUS % p, p) });
  }
  return out;
}

/** x⁻¹ mod p for a prime p ∤ x, by the extended Euclidean algorithm on small numbers. */
function inverseModSmall(x: number, p: number): number {
  let r0 = p, r1 = x, t0 = 0, t1 = 1;
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % p) + p) % p;
}

/** How many recent discriminants are remembered (see {@link createDiscriminant}). */
const REMEMBERED_DISCRIMINANTS = 64;

/** Recent results of {@link createDiscriminant}, keyed by length and seed, oldest first. */
const remembered = new Map<string, bigint>();

/** The tables are fixed; they are built once, on first use. */
let tables: { residues: number[]; sieve: SievePrime[] } | undefined;

function discriminantTables(): { residues: number[]; sieve: SievePrime[] } {
  tables ??= { residues: residueTable(), sieve: sieveTable() };
  return tables;
}

/**
 * The discriminant for a seed and a length (steps 1–4 of the module doc).
 *
 * The search costs about half a second at 2048 bits and the same seed is often asked for again
 * (generation, then verification), so the last 64 results are remembered. A pure function's
 * cache changes no result.
 *
 * @param seed any bytes (Harmony uses 32)
 * @param bits the bit length L of |D|, from {@link MIN_DISCRIMINANT_BITS} to
 *   {@link MAX_DISCRIMINANT_BITS}; Harmony uses 2048
 * @returns D < 0 with D ≡ 1 (mod 8) and −D prime
 * @throws {SpecError} `vdf/invalid-discriminant-size` for a length out of range
 */
export function createDiscriminant(seed: Uint8Array, bits: number): bigint {
  require(
    Number.isSafeInteger(bits) && bits >= MIN_DISCRIMINANT_BITS && bits <= MAX_DISCRIMINANT_BITS,
    "vdf/invalid-discriminant-size",
    `${bits} bits`,
  );
  const key = `${bits}:${toHex(seed)}`;
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const d = searchDiscriminant(seed, bits);
  if (remembered.size >= REMEMBERED_DISCRIMINANTS) {
    remembered.delete(remembered.keys().next().value!);
  }
  remembered.set(key, d);
  return d;
}

/** Steps 1–4 of the module doc, for a length already checked. */
function searchDiscriminant(seed: Uint8Array, bits: number): bigint {
  const { residues, sieve } = discriminantTables();
  const byteCount = ((bits + 7) >> 3) + 2;
  const entropy = entropyFromSeed(seed, byteCount);
  const M = BigInt(DISCRIMINANT_MODULUS);
  let n = bytesToBigint(entropy.subarray(0, byteCount - 2)) >> BigInt((8 - (bits & 7)) & 7);
  n |= 1n << BigInt(bits - 1);
  n -= n % M;
  const pick = (entropy[byteCount - 2] << 8) | entropy[byteCount - 1];
  n += BigInt(residues[pick % residues.length]);
  const marks = sieveMarks(n, sieve);
  for (;;) {
    for (let i = 0; i < SIEVE_SIZE; i++) {
      if (marks[i] === 1) continue;
      const candidate = n + M * BigInt(i);
      if (isProbablePrime(candidate)) return -candidate;
    }
    n += M * BigInt(SIEVE_SIZE); // the marks are not recomputed: Go's quirk, see the module doc
  }
}

/** The sieve of step 4: marks[i] = 1 when some sieving prime divides n + M·i. */
function sieveMarks(n: bigint, sieve: SievePrime[]): Uint8Array {
  const marks = new Uint8Array(SIEVE_SIZE);
  for (const { p, q } of sieve) {
    const negN = (p - Number(n % BigInt(p))) % p;
    for (let i = (negN * q) % p; i < SIEVE_SIZE; i += p) marks[i] = 1;
  }
  return marks;
}
