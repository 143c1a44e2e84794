/**
 * The class group of binary quadratic forms: the group the VDF computes in.
 *
 * A form (a, b, c) stands for a·x² + b·x·y + c·y²; its discriminant is D = b² − 4ac. For a
 * negative D and a > 0 the form is *positive definite*. Forms are equivalent when an integer
 * change of variables of determinant 1 turns one into the other, and the classes of primitive
 * positive definite forms of one discriminant make a finite abelian group under Gauss
 * composition. Its order is not known for a large D derived from a seed (`discriminant.ts`),
 * which is what makes repeated squaring a *delay*: nobody can shortcut x^(2^T).
 *
 * **Reduced forms.** Each class holds exactly one *reduced* form: −a < b ≤ a ≤ c, and b ≥ 0
 * when a = c. Two forms are equal in the group iff their reduced forms are equal, and the VDF
 * serializes reduced forms. Because the reduced form is unique, *any* correct composition
 * algorithm followed by reduction gives the same bytes as harmony-one/vdf, which composes with
 * the Python reference's congruence-solving formulas. The spec states:
 *
 * - {@link normalizeForm} and {@link reduceForm}: Go's normalization (b into (−a, a] by
 *   b ← b + 2ra, r = ⌊(a − b)/2a⌋) and reduction (while a > c, or a = c and b < 0: swap a and c
 *   through s = ⌊(c + b)/2c⌋, (a, b, c) ← (c, −b + 2sc, cs² − bs + a)); then normalize again.
 * - {@link composeForms}: plain composition (Cohen, *A Course in Computational Algebraic Number
 *   Theory*, Algorithm 5.4.7), then reduction. It is the reference the fast operations are tested
 *   against.
 * - {@link squareForm} (NUDUPL, Cohen Algorithm 5.4.8) and {@link multiplyForms} (NUCOMP, Cohen
 *   Algorithm 5.4.9): Shanks' algorithms. They compute the composite's leading coefficient as a
 *   square of a number of the size of a, find its continued-fraction expansion only until the
 *   partial remainder drops below L = ⌊(|D|/4)^(1/4)⌋, and build from there a form that is
 *   already almost reduced. All big numbers stay near |D|^(1/2) instead of |D|, and Euclid's
 *   algorithm runs with Lehmer's acceleration (`euclid.ts`).
 *
 * The continued-fraction step may use any quotients: every prefix of Euclid's algorithm on
 * (A, k) yields an equivalent form, and an odd number of steps is corrected by a sign so that
 * the change of variables keeps determinant +1. The spec starts it from k in [0, A) where Cohen
 * takes the representative nearest 0; the reduced result is the same.
 *
 * Forms must be primitive (gcd(a, b, c) = 1). Every form of a discriminant −p with p prime is,
 * so all forms of the VDF are.
 *
 * **Bytes.** A form is written as its reduced a ‖ b, each as big-endian two's complement of
 * `(bitlen(|D|) + 16) >> 4` bytes (129 each, 258 in all for a 2048-bit D). Reading validates:
 * the length, a > 0, that 4a divides b² − D (then c = (b² − D)/4a), and that the form is
 * reduced. Go's reader checks only the length and computes c by floor division; see the
 * deviation note in `vdf.ts`.
 *
 * @see github.com/harmony-one/vdf src/vdf_go/classgroup.go `NewClassGroupFromAbDiscriminant`,
 *   `Normalized`, `Reduced`, `Multiply`, `Square`, `BigPow`, `Serialize`,
 *   `NewClassGroupFromBytesDiscriminant`; src/vdf_go/encode.go
 * @module
 */
import { concatBytes, fixedBytesToSigned, signedToFixedBytes } from "../encoding/bytes.ts";
import { invariant, require } from "../errors.ts";
import { bitLength, floorDiv, floorMod, integerSqrt } from "./arith.ts";
import { euclidFast, extendedGcd } from "./euclid.ts";

/** A binary quadratic form a·x² + b·x·y + c·y². */
export interface Form {
  /** The coefficient of x². */
  a: bigint;
  /** The coefficient of xy. */
  b: bigint;
  /** The coefficient of y², determined by a, b and the discriminant. */
  c: bigint;
}

/** A class group: its discriminant and the constants its operations need. */
export interface ClassGroup {
  /** D < 0, D ≡ 1 (mod 4). */
  discriminant: bigint;
  /** L = ⌊(|D|/4)^(1/4)⌋, where NUDUPL and NUCOMP stop their continued fraction. */
  bound: bigint;
  /** Bytes per coefficient in the serialization: (bitlen(|D|) + 16) >> 4. */
  byteSize: number;
}

/**
 * The class group of a discriminant.
 *
 * @param discriminant D, negative and ≡ 1 (mod 4)
 * @returns D with its NUDUPL/NUCOMP bound and serialization size
 * @throws {SpecError} `vdf/invalid-discriminant` when D ≥ 0 or D ≢ 1 (mod 4)
 */
export function classGroup(discriminant: bigint): ClassGroup {
  require(discriminant < 0n && floorMod(discriminant, 4n) === 1n, "vdf/invalid-discriminant");
  return {
    discriminant,
    bound: integerSqrt(integerSqrt(-discriminant / 4n)),
    byteSize: formByteSize(discriminant),
  };
}

/**
 * The bytes per coefficient of a serialized form: (bitlen(|D|) + 16) >> 4, enough for a signed
 * coefficient of a reduced form (|b| ≤ a < √(|D|/3)).
 *
 * @param discriminant D
 * @returns the size in bytes of a, and of b
 */
export function formByteSize(discriminant: bigint): number {
  return (bitLength(discriminant) + 16) >> 4;
}

/** The discriminant b² − 4ac of a form. */
export function formDiscriminant(f: Form): bigint {
  return f.b * f.b - 4n * f.a * f.c;
}

/**
 * The positive definite form (a, b, c) of discriminant D, with c = (b² − D)/4a.
 *
 * @param a the leading coefficient, positive
 * @param b the middle coefficient
 * @param discriminant D < 0
 * @returns the form
 * @throws {SpecError} `vdf/form-not-positive` when a ≤ 0; `vdf/form-off-discriminant` when 4a
 *   does not divide b² − D
 */
export function formFromAB(a: bigint, b: bigint, discriminant: bigint): Form {
  require(a > 0n, "vdf/form-not-positive");
  const numerator = b * b - discriminant;
  require(numerator % (4n * a) === 0n, "vdf/form-off-discriminant");
  return { a, b, c: numerator / (4n * a) };
}

/**
 * The identity of the group, (1, 1, (1 − D)/4).
 *
 * @param discriminant D ≡ 1 (mod 4), negative
 * @returns the identity form
 */
export function identityForm(discriminant: bigint): Form {
  return formFromAB(1n, 1n, discriminant);
}

/**
 * The VDF's starting element x = (2, 1, (1 − D)/8), as harmony-one/vdf takes it.
 *
 * @param discriminant D ≡ 1 (mod 8), negative
 * @returns the form (2, 1, (1 − D)/8)
 * @throws {SpecError} `vdf/form-off-discriminant` when D ≢ 1 (mod 8)
 */
export function generatorForm(discriminant: bigint): Form {
  return formFromAB(2n, 1n, discriminant);
}

/**
 * Brings b into (−a, a] by the equivalence b ← b + 2ra, c ← ar² + br + c, r = ⌊(a − b)/2a⌋.
 *
 * @param f a positive definite form
 * @returns the normalized equivalent form (f itself when already normal)
 */
export function normalizeForm(f: Form): Form {
  const { a, b, c } = f;
  if (-a < b && b <= a) return f;
  const r = floorDiv(a - b, 2n * a);
  return { a, b: b + 2n * r * a, c: a * r * r + b * r + c };
}

/**
 * The reduced form equivalent to f: normalize, then while a > c (or a = c and b < 0) replace
 * (a, b, c) by (c, −b + 2sc, cs² − bs + a) with s = ⌊(c + b)/2c⌋; normalize at the end.
 *
 * @param f a positive definite form
 * @returns the unique reduced form of f's class
 */
export function reduceForm(f: Form): Form {
  let { a, b, c } = normalizeForm(f);
  while (a > c || (a === c && b < 0n)) {
    const s = floorDiv(c + b, 2n * c);
    const cs = c * s;
    [a, b, c] = [c, 2n * cs - b, (cs - b) * s + a];
  }
  return normalizeForm({ a, b, c });
}

/**
 * Whether f is reduced: −a < b ≤ a ≤ c, and b ≥ 0 if a = c.
 *
 * @param f a form
 * @returns true for a reduced form
 */
export function isReducedForm(f: Form): boolean {
  const { a, b, c } = f;
  return -a < b && b <= a && a <= c && !(a === c && b < 0n);
}

/**
 * Whether two forms are the same group element (their reduced forms are equal).
 *
 * @param f a positive definite form
 * @param g a positive definite form of the same discriminant
 * @returns true when f and g are equivalent
 */
export function formsEqual(f: Form, g: Form): boolean {
  const x = reduceForm(f), y = reduceForm(g);
  return x.a === y.a && x.b === y.b && x.c === y.c;
}

/**
 * Composition f1·f2, plainly (Cohen Algorithm 5.4.7), then reduced. The reference against which
 * {@link multiplyForms} and {@link squareForm} are tested; slower than they are.
 *
 * @param f1 a primitive positive definite form
 * @param f2 a primitive positive definite form of the same discriminant
 * @returns the reduced form of the product
 */
export function composeForms(f1: Form, f2: Form): Form {
  const [g1, g2] = f1.a > f2.a ? [f2, f1] : [f1, f2];
  const s = (g1.b + g2.b) / 2n, n = g2.b - s;
  // d = gcd(a1, a2) = u·a2 + (…)·a1
  const first = extendedGcd(g2.a, g1.a);
  // d1 = gcd(s, d) = x2·s + (−y2)·d
  let x2 = 0n, y2 = -1n, d1 = first.gcd;
  if (s % first.gcd !== 0n) {
    const second = extendedGcd(s, first.gcd);
    x2 = second.x, y2 = -second.y, d1 = second.gcd;
  }
  const v1 = g1.a / d1, v2 = g2.a / d1;
  const r = floorMod(first.x * y2 * n - x2 * g2.c, v1);
  const a3 = v1 * v2, b3 = g2.b + 2n * v2 * r;
  const c3 = (g2.c * d1 + r * (g2.b + v2 * r)) / v1;
  return reduceForm({ a: a3, b: b3, c: c3 });
}

/** The result of a partial continued fraction of (A, k): Cohen's d, v, v3, v2 and z (steps). */
interface Partial {
  d: bigint;
  v: bigint;
  v3: bigint;
  v2: bigint;
  steps: number;
}

/**
 * Euclid's algorithm on (A, k), 0 ≤ k < A, with cofactors (0, 1), until the remainder is at
 * most L; an odd number of steps is compensated by negating (v3, v2).
 */
function partialFraction(A: bigint, k: bigint, bound: bigint): Partial {
  const run = euclidFast({ r0: A, r1: k, s0: 0n, s1: 1n, steps: 0 }, bound);
  const odd = (run.steps & 1) === 1;
  return {
    d: run.r0,
    v: run.s0,
    v3: odd ? -run.r1 : run.r1,
    v2: odd ? -run.s1 : run.s1,
    steps: run.steps,
  };
}

/**
 * The gcd g of x and m > 0 with a u such that u·x ≡ g (mod m): the extended gcd of
 * (m, x mod m), keeping only x's cofactor.
 */
function gcdWithCofactor(x: bigint, m: bigint): { gcd: bigint; u: bigint } {
  const run = euclidFast({ r0: m, r1: floorMod(x, m), s0: 0n, s1: 1n, steps: 0 }, 0n);
  return { gcd: run.r0, u: run.s0 };
}

/**
 * The square f² by NUDUPL (Cohen Algorithm 5.4.8), reduced.
 *
 * With d1 = gcd(a, b) and y·b ≡ d1 (mod a), the square is equivalent to (A², b + 2Ak, …) where
 * A = a/d1 and k ≡ −c·y (mod A). The continued fraction of k/A, stopped at L, gives the
 * equivalent almost-reduced form directly.
 *
 * @param group the class group of f
 * @param f a primitive positive definite form of the group
 * @returns the reduced form of f²
 */
export function squareForm(group: ClassGroup, f: Form): Form {
  const { a, b, c } = reduceForm(f);
  const { gcd: d1, u: y } = gcdWithCofactor(b, a);
  const A = a / d1, B = b / d1;
  const p = partialFraction(A, floorMod(-c * y, A), group.bound);
  const { d, v3 } = p;
  if (p.steps === 0) {
    const g = (B * v3 + c) / d;
    return reduceForm({ a: d * d, b: b + 2n * d * v3, c: v3 * v3 + g * d1 });
  }
  const e = (c * p.v + B * d) / A;
  const g = (e * p.v2 - B) / p.v;
  const b2 = e * p.v2 + p.v * g;
  const v = d1 * p.v, v2 = d1 * p.v2;
  return reduceForm({ a: d * d + e * v, b: d1 * b2 + 2n * d * v3, c: v3 * v3 + g * v2 });
}

/**
 * The product f1·f2 by NUCOMP (Cohen Algorithm 5.4.9), reduced.
 *
 * @param group the class group of f1 and f2
 * @param f1 a primitive positive definite form of the group
 * @param f2 a primitive positive definite form of the group
 * @returns the reduced form of f1·f2
 */
export function multiplyForms(group: ClassGroup, f1: Form, f2: Form): Form {
  const x = reduceForm(f1), y = reduceForm(f2);
  const [g1, g2] = x.a < y.a ? [y, x] : [x, y]; // a1 ≥ a2
  const s = (g1.b + g2.b) / 2n, n = g2.b - s;
  const setup = nucompSetup(g1, g2, s, n);
  const { a1, a2, d1 } = setup;
  const p = partialFraction(a1, floorMod(setup.k, a1), group.bound);
  const { d, v3 } = p;
  if (p.steps === 0) {
    const q1 = a2 * v3;
    const f = (q1 + n) / d, g = (v3 * setup.s + g2.c) / d;
    return reduceForm({ a: d * a2, b: 2n * q1 + g2.b, c: v3 * f + g * d1 });
  }
  const bb = (a2 * d + n * p.v) / a1;
  const q1 = bb * v3, q2 = q1 + n;
  const e = (setup.s * d + g2.c * p.v) / a1;
  const q3 = e * p.v2, q4 = q3 - setup.s;
  const g = q4 / p.v;
  const v = d1 * p.v, v2 = d1 * p.v2;
  return reduceForm({ a: d * bb + e * v, b: q1 + q2 + d1 * (q3 + q4), c: v3 * (q2 / d) + g * v2 });
}

/**
 * Steps 2–4 of NUCOMP: the common divisor d1 of the two forms, the coefficients divided by it,
 * and k, the residue whose continued fraction gives the product.
 */
function nucompSetup(
  g1: Form,
  g2: Form,
  s: bigint,
  n: bigint,
): { a1: bigint; a2: bigint; s: bigint; d1: bigint; k: bigint } {
  // d = gcd(a2, a1) = u·a2 + v·a1
  const { gcd: d, u } = gcdWithCofactor(g2.a, g1.a);
  if (d === 1n) return { a1: g1.a, a2: g2.a, s, d1: 1n, k: -u * n };
  if (s % d === 0n) return { a1: g1.a / d, a2: g2.a / d, s: s / d, d1: d, k: -u * n };
  const v = (d - u * g2.a) / g1.a;
  // d1 = gcd(s, d) = u1·s + (…)·d
  const { gcd: d1, x: u1 } = extendedGcd(s, d);
  const a1 = g1.a / d1, a2 = g2.a / d1, dd = d / d1;
  const l = floorMod(-u1 * (u * floorMod(g1.c, dd) + v * floorMod(g2.c, dd)), dd);
  return { a1, a2, s: s / d1, d1, k: -u * (n / dd) + l * (a1 / dd) };
}

/**
 * f^e by left-to-right square-and-multiply with {@link squareForm} and {@link multiplyForms}.
 *
 * @param group the class group of f
 * @param f a primitive positive definite form of the group
 * @param exponent e ≥ 0
 * @returns the reduced form of f^e (the identity for e = 0)
 */
export function powForm(group: ClassGroup, f: Form, exponent: bigint): Form {
  invariant(exponent >= 0n, "powForm needs a non-negative exponent");
  if (exponent === 0n) return identityForm(group.discriminant);
  const base = reduceForm(f);
  const bits = exponent.toString(2);
  let result = base;
  for (let i = 1; i < bits.length; i++) {
    result = squareForm(group, result);
    if (bits[i] === "1") result = multiplyForms(group, result, base);
  }
  return result;
}

/**
 * The bytes of a form: its reduced a ‖ b, each as two's complement of
 * {@link formByteSize} bytes of its discriminant.
 *
 * @param f a positive definite form
 * @returns 2·byteSize bytes (258 for a 2048-bit discriminant)
 * @throws {SpecError} `vdf/form-not-positive` when a ≤ 0; `vdf/invalid-discriminant` when the
 *   form's discriminant is not negative
 */
export function serializeForm(f: Form): Uint8Array {
  const discriminant = formDiscriminant(f);
  require(discriminant < 0n, "vdf/invalid-discriminant");
  require(f.a > 0n, "vdf/form-not-positive");
  const size = formByteSize(discriminant);
  const r = reduceForm(f);
  return concatBytes(signedToFixedBytes(r.a, size), signedToFixedBytes(r.b, size));
}

/**
 * Reads a form of discriminant D from its bytes, accepting only the bytes
 * {@link serializeForm} writes.
 *
 * @param bytes exactly 2·{@link formByteSize}(D) bytes: a ‖ b in two's complement
 * @param discriminant D < 0
 * @returns the reduced form (a, b, (b² − D)/4a)
 * @throws {SpecError} `vdf/invalid-length` for a wrong length; `vdf/form-not-positive` when
 *   a ≤ 0; `vdf/form-off-discriminant` when 4a does not divide b² − D; `vdf/form-not-reduced`
 *   when (a, b, c) is not reduced
 */
export function deserializeForm(bytes: Uint8Array, discriminant: bigint): Form {
  require(discriminant < 0n, "vdf/invalid-discriminant");
  const size = formByteSize(discriminant);
  require(bytes.length === 2 * size, "vdf/invalid-length", `${bytes.length} bytes`);
  const a = fixedBytesToSigned(bytes.subarray(0, size));
  const b = fixedBytesToSigned(bytes.subarray(size));
  const f = formFromAB(a, b, discriminant);
  require(isReducedForm(f), "vdf/form-not-reduced");
  return f;
}
