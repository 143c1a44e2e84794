/**
 * Harmony's map from a field element to a BLS12-381 group: herumi/mcl's Fouque–Tibouchi map.
 *
 * Harmony does not hash messages to the curve the IETF way. Its BLS code (harmony-one/bls
 * v0.0.6 on harmony-one/mcl, built with `BLS_SWAP_G`) turns the first 48 bytes of a message into
 * a field element and maps that element to a curve point with mcl's "original" map, an
 * implementation of Fouque and Tibouchi, *Indifferentiable hashing to Barreto–Naehrig curves*
 * (LATINCRYPT 2012). The same map, applied to the element 1 of Fp, produces the G1 generator
 * Harmony uses for public keys.
 *
 * How it works, for a curve `y² = x³ + b` over a field F (Fp for G1 with `b = 4`; Fp2 for the
 * twist carrying G2 with `b = 4(1 + i)`) and an input `t` in F:
 *
 * 1. Fail when `t = 0`. Remember whether the norm of `t` (t itself on Fp, `c0² + c1²` on Fp2) is
 *    a non-square in Fp: then the final `y` is negated.
 * 2. `w = c1 · t / (t² + b + 1)`, where `c1` is mcl's square root of −3 in Fp and
 *    `c2 = (c1 − 1) / 2`. Fail if the denominator is zero.
 * 3. Try, in this order, `x1 = c2 − t·w`, `x2 = −1 − x1`, `x3 = 1 + 1/w²`; the first whose
 *    `x³ + b` has a square root (mcl's root, see {@link mclSqrtFp2}) gives the point `(x, y)`.
 * 4. Clear the cofactor: on G1 multiply by `(z − 1)² / 3`; on G2 apply the Budroni–Pintore map
 *    `[z² − z − 1]P + ψ([z − 1]P) + ψ²([2]P)`, which is the same map as RFC 9380's
 *    `clear_cofactor` for BLS12-381 G2 (so @noble/curves' `clearCofactor` is used).
 *
 * Which square root is taken decides the point, so the roots are computed exactly as mcl does:
 * on Fp, `v^((p+1)/4)` (p ≡ 3 mod 4); on Fp2, the procedure of {@link mclSqrtFp2}.
 *
 * @see github.com/harmony-one/mcl include/mcl/bn.hpp `MapTo::calcBN`, `MapTo::calcG1`,
 *   `MapTo::calcG2`, `MapTo::mulByCofactorBLS12`
 * @see github.com/harmony-one/mcl include/mcl/fp_tower.hpp `Fp2T::squareRoot`
 * @see github.com/harmony-one/mcl include/mcl/gmp_util.hpp `SquareRoot::get`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { IField } from "@noble/curves/abstract/modular.js";
import type { Fp2 } from "@noble/curves/abstract/tower.js";
import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass.js";
import { bytesToBigintLE } from "../encoding/bytes.ts";
import { invariant } from "../errors.ts";

/** A point of G1 (or of the curve E(Fp) before cofactor clearing). */
export type BlsG1Point = WeierstrassPoint<bigint>;
/** A point of G2 (or of the twist E'(Fp2) before cofactor clearing). */
export type BlsG2Point = WeierstrassPoint<Fp2>;
/** An element `c0 + c1·i` of Fp2. */
export type BlsFp2 = Fp2;

const Fp = bls12_381.fields.Fp;
const Fp2Field = bls12_381.fields.Fp2;

/** The base field modulus p of BLS12-381 (381 bits). */
export const BLS_FIELD_MODULUS: bigint = Fp.ORDER;
/** The prime order r of G1, G2 and GT (255 bits). */
export const BLS_GROUP_ORDER: bigint = bls12_381.fields.Fr.ORDER;
/** The curve parameter z of BLS12-381 (negative, 64 bits). */
export const BLS_CURVE_Z = -0xd201000000010000n;
/** The G1 cofactor `(z − 1)² / 3`, by which mcl clears the cofactor of a mapped G1 point. */
export const BLS_G1_COFACTOR: bigint = (BLS_CURVE_Z - 1n) ** 2n / 3n;

/** `(p + 1) / 4`: on Fp, with p ≡ 3 mod 4, `v^((p+1)/4)` is a square root of a square v. */
const SQRT_EXPONENT = (BLS_FIELD_MODULUS + 1n) / 4n;
/** `(p − 1) / 2`: Euler's criterion exponent. */
const LEGENDRE_EXPONENT = (BLS_FIELD_MODULUS - 1n) / 2n;
const HALF = Fp.inv(2n);

/**
 * mcl's square root in Fp: `v^((p+1)/4)`, accepted when it squares back to v.
 *
 * @param v an element of Fp
 * @returns the root mcl picks, or `undefined` when v is not a square
 */
export function mclSqrtFp(v: bigint): bigint | undefined {
  const root = Fp.pow(v, SQRT_EXPONENT);
  return Fp.eql(Fp.sqr(root), v) ? root : undefined;
}

/**
 * mcl's square root in Fp2. For `v = a + b·i`:
 * - if `b = 0`: `(√a, 0)` when a is a square in Fp, else `(0, √−a)`;
 * - else `n = √(a² + b²)` (none: v is not a square), `s = √((a + n)/2)`, or `√((a − n)/2)` when
 *   the former is not a square, and the root is `(s, b / 2s)`.
 *
 * @param v an element of Fp2
 * @returns the root mcl picks, or `undefined` when v is not a square
 */
export function mclSqrtFp2(v: BlsFp2): BlsFp2 | undefined {
  if (Fp.is0(v.c1)) {
    const real = mclSqrtFp(v.c0);
    if (real !== undefined) return { c0: real, c1: 0n };
    const imaginary = mclSqrtFp(Fp.neg(v.c0));
    invariant(imaginary !== undefined, "−a is a square when a is not");
    return { c0: 0n, c1: imaginary };
  }
  const n = mclSqrtFp(Fp.add(Fp.sqr(v.c0), Fp.sqr(v.c1)));
  if (n === undefined) return undefined;
  const s = mclSqrtFp(Fp.mul(Fp.add(v.c0, n), HALF)) ??
    mclSqrtFp(Fp.mul(Fp.sub(v.c0, n), HALF));
  invariant(s !== undefined, "(a ± n)/2 has a square root when a + bi does");
  return { c0: s, c1: Fp.mul(v.c1, Fp.inv(Fp.add(s, s))) };
}

/** Whether an element of Fp is a non-zero non-square (Legendre symbol −1). */
function isNonSquare(v: bigint): boolean {
  return Fp.pow(v, LEGENDRE_EXPONENT) === BLS_FIELD_MODULUS - 1n;
}

/** The field of one map: its arithmetic, the curve constant b and mcl's square root. */
interface MapField<T> {
  F: IField<T>;
  /** The constant b of `y² = x³ + b`. */
  b: T;
  /** An element of Fp seen as an element of this field. */
  embed: (v: bigint) => T;
  /** The norm to Fp, whose Legendre symbol decides the sign of y. */
  norm: (v: T) => bigint;
  sqrt: (v: T) => T | undefined;
}

const FP_FIELD: MapField<bigint> = {
  F: Fp,
  b: 4n,
  embed: (v) => v,
  norm: (v) => v,
  sqrt: mclSqrtFp,
};

const FP2_FIELD: MapField<BlsFp2> = {
  F: Fp2Field,
  b: { c0: 4n, c1: 4n },
  embed: (v) => ({ c0: v, c1: 0n }),
  norm: (v) => Fp.add(Fp.sqr(v.c0), Fp.sqr(v.c1)),
  sqrt: mclSqrtFp2,
};

/** mcl's square root of −3 in Fp, and `(c1 − 1) / 2`. */
const C1 = mclSqrtFp(Fp.neg(3n)) as bigint;
const C2 = Fp.mul(Fp.sub(C1, 1n), HALF);

/** `x³ + b`, the right-hand side of the curve equation. */
function curveRhs<T>(m: MapField<T>, x: T): T {
  return m.F.add(m.F.mul(m.F.sqr(x), x), m.b);
}

/**
 * The Fouque–Tibouchi point of `t` on `y² = x³ + b`, before cofactor clearing (mcl `calcBN`).
 *
 * @returns the affine point, or `undefined` where mcl's map fails (t = 0, a zero denominator)
 */
function fouqueTibouchi<T>(m: MapField<T>, t: T): { x: T; y: T } | undefined {
  const F = m.F;
  const negative = isNonSquare(m.norm(t));
  if (F.is0(t)) return undefined;
  const denominator = F.add(F.add(F.sqr(t), m.b), F.ONE);
  if (F.is0(denominator)) return undefined;
  const w = F.mul(F.mul(F.inv(denominator), m.embed(C1)), t);
  const x1 = F.add(F.neg(F.mul(t, w)), m.embed(C2));
  const x2 = F.sub(F.neg(x1), F.ONE);
  // x3 needs an inversion; compute it only when x1 and x2 both fail.
  const candidates = [() => x1, () => x2, () => F.add(F.inv(F.sqr(w)), F.ONE)];
  for (const candidate of candidates) {
    const x = candidate();
    const y = m.sqrt(curveRhs(m, x));
    if (y !== undefined) return { x, y: negative ? F.neg(y) : y };
  }
  return undefined;
}

/**
 * mcl's `mapToG1`: the Fouque–Tibouchi point of `t` on E(Fp), times the cofactor `(z − 1)²/3`.
 * `blsMapToG1(1n)` is Harmony's G1 generator.
 *
 * @param t an element of Fp
 * @returns a point of G1, or `undefined` where mcl's map fails (t = 0)
 */
export function blsMapToG1(t: bigint): BlsG1Point | undefined {
  const affine = fouqueTibouchi(FP_FIELD, Fp.create(t));
  if (affine === undefined) return undefined;
  return bls12_381.G1.Point.fromAffine(affine).multiplyUnsafe(BLS_G1_COFACTOR);
}

/**
 * mcl's `mapToG2`: the Fouque–Tibouchi point of `u` on the twist E'(Fp2), with the G2 cofactor
 * cleared by `[z² − z − 1]P + ψ([z − 1]P) + ψ²([2]P)`.
 *
 * @param u an element of Fp2 (Harmony always passes `(t, 0)`)
 * @returns a point of G2, or `undefined` where mcl's map fails (u = 0)
 */
export function blsMapToG2(u: BlsFp2): BlsG2Point | undefined {
  const affine = fouqueTibouchi(FP2_FIELD, Fp2Field.create(u));
  if (affine === undefined) return undefined;
  return bls12_381.G2.Point.fromAffine(affine).clearCofactor();
}

/**
 * The field element of a message (mcl `Fp::setArrayMask`): the first 48 bytes (fewer when the
 * message is shorter) read as a little-endian integer, with every bit from 381 up cleared, and,
 * if the value is still at least p, bit 380 cleared too. No hash function is applied.
 *
 * @param message any bytes
 * @returns an element of Fp (zero for an empty or all-zero prefix)
 */
export function blsMessageToField(message: Uint8Array): bigint {
  let value = bytesToBigintLE(message.subarray(0, 48)) & ((1n << 381n) - 1n);
  if (value >= BLS_FIELD_MODULUS) value &= (1n << 380n) - 1n;
  return value;
}
