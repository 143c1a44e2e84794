/**
 * `Dec`: Harmony's 18-decimal fixed-point number.
 *
 * Staking and rewards never use floating point. Every fraction (a commission rate, a voting-power
 * share, a signing percentage, an effective stake in atto) is a `Dec`: a signed integer
 * *mantissa* that stands for `mantissa / 10^18`. One is the mantissa `10^18`; the smallest
 * positive value is the mantissa `1`, i.e. `0.000000000000000001`. Here a `Dec` is a plain record
 * holding that mantissa as a `bigint`; it is exactly the integer Harmony stores (the Go type
 * wraps a `*big.Int`, so RLP and the text marshalling of the bare integer see the mantissa).
 *
 * **Rounding.** Every operation says how it rounds, because consensus depends on each last digit:
 * - add, subtract and multiplying by an integer are exact;
 * - {@link decMul} multiplies the mantissas (an exact value with 36 decimals) and drops 18 of
 *   them rounding *half to even* (banker's rounding): below half goes down, above half goes up,
 *   an exact half goes to the neighbour whose last digit is even. Negative values round as their
 *   magnitude does, so rounding is symmetric about zero;
 * - {@link decMulTruncate} drops the 18 extra decimals toward zero;
 * - {@link decQuo} first computes the quotient with 36 decimals, *truncated toward zero*, and then
 *   rounds that half to even at 18 decimals. This double rounding is Harmony's rule and differs
 *   from rounding the exact quotient: 1e-18 / 1.999999999999999999 is a little over half of
 *   1e-18, but its 36-decimal truncation is exactly half, and the half goes to the even 0;
 * - {@link decQuoTruncate} truncates toward zero; {@link decQuoRoundUp} rounds the truncated
 *   36-decimal quotient toward positive infinity;
 * - {@link decQuoInt} divides the mantissa by a plain integer, truncating toward zero.
 *
 * **Limits.** Results of add, sub, mul, mul-truncate, mul-int and the three quotients must fit in
 * 315 bits of magnitude (255 bits of integer part plus 60 bits for the 18 decimals, Harmony's
 * `255 + DecimalPrecisionBits`); beyond that Harmony panics with "Int overflow", and the spec
 * rejects with `numeric/overflow`. The limit applies to results only: constructors, parsing,
 * negation, integer division and the rounding functions accept any size, as Harmony does.
 * Division by a zero `Dec` or integer panics in Go (`big.Int` division by zero) and is rejected
 * here with `numeric/division-by-zero`.
 *
 * **Text.** {@link decFromString} accepts `[-]digits[.digits]` with at most 18 decimals, with the
 * quirks of Harmony's parser (a leading `+` after the optional `-` is accepted because the final
 * conversion is Go's `big.Int` base-10 parser, so `"+"` alone is zero and `"--5"` is five).
 * {@link decToString} writes the shortest form: no trailing fractional zeros, no point for an
 * integer, `0` for zero.
 *
 * Not restated: the Go `nil` Dec (a `Dec` here always has a value), `Copy` (bigints are
 * immutable), the JSON/YAML/`fmt` marshallers (they are {@link decToString} and
 * {@link decFromString}), and `Div`, which divides the raw mantissas and is not used by any rule.
 * The `int64` variants `MulInt64` and `QuoInt64` are {@link decMulInt} and {@link decQuoInt} with
 * an argument in the `int64` range.
 *
 * @see github.com/harmony-one/harmony numeric/decimal.go (Dec, NewDecFromStr, String, Mul, Quo,
 *   chopPrecisionAndRound, chopPrecisionAndTruncate, chopPrecisionAndRoundUp, Ceil)
 * @module
 */
import { require } from "../errors.ts";
import { utf8ToBytes } from "../encoding/bytes.ts";

/** A fixed-point number: the value is `mantissa / 10^18`. */
export interface Dec {
  /** The value times 10^18, a signed integer. */
  readonly mantissa: bigint;
}

/** Number of decimal places of a {@link Dec}: 18. */
export const DEC_PRECISION = 18;

/** Bits needed for 18 decimal places, ⌈log2(999 999 999 999 999 999)⌉ = 60. */
export const DEC_PRECISION_BITS = 60;

/** Largest bit length of a result's magnitude, 255 + 60 = 315; longer results overflow. */
export const DEC_MAX_BIT_LENGTH = 255 + DEC_PRECISION_BITS;

/** The mantissa of one, 10^18. */
export const DEC_SCALE = 10n ** BigInt(DEC_PRECISION);

/** 10^36: scales a dividend so that a quotient keeps 36 decimals. */
const DEC_SCALE_SQUARED = DEC_SCALE * DEC_SCALE;

/** Half of {@link DEC_SCALE}: the remainder at which rounding is a tie. */
const HALF_SCALE = DEC_SCALE / 2n;

/** Results must stay strictly below this magnitude, 2^315. */
const OVERFLOW_BOUND = 1n << BigInt(DEC_MAX_BIT_LENGTH);

/** Bounds of Go's `int64`, for the `...Int64` conversions. */
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Zero. */
export const DEC_ZERO: Dec = { mantissa: 0n };
/** One. */
export const DEC_ONE: Dec = { mantissa: DEC_SCALE };
/** The smallest positive value, 10^-18. */
export const DEC_SMALLEST: Dec = { mantissa: 1n };

// ---------------------------------------------------------------------------------------------
// Construction

/**
 * The factor that moves an integer with `prec` decimal places to 18 places: `10^(18 - prec)`.
 *
 * @param prec number of decimal places of the integer, 0 to 18
 * @returns `10^(18 - prec)`
 * @throws {SpecError} `numeric/precision-out-of-range` unless `0 <= prec <= 18` (Go panics)
 */
export function decPrecisionMultiplier(prec: number): bigint {
  require(
    Number.isInteger(prec) && prec >= 0 && prec <= DEC_PRECISION,
    "numeric/precision-out-of-range",
    `precision ${prec}`,
  );
  return 10n ** BigInt(DEC_PRECISION - prec);
}

/**
 * A `Dec` from its mantissa (Go's `Dec{mantissa}`), e.g. one read from RLP.
 *
 * @param mantissa the value times 10^18
 * @returns the Dec
 */
export function decFromMantissa(mantissa: bigint): Dec {
  return { mantissa };
}

/**
 * A whole number as a `Dec` (Go's `NewDec`, `NewDecFromBigInt`, `NewDecFromInt`).
 *
 * @param value the integer
 * @returns `value` exactly; no size limit
 */
export function decFromInt(value: bigint): Dec {
  return { mantissa: value * DEC_SCALE };
}

/**
 * An integer with `prec` implied decimal places as a `Dec` (Go's `NewDecWithPrec`,
 * `NewDecFromBigIntWithPrec`): `decFromIntWithPrec(15n, 1)` is 1.5.
 *
 * @param value the digits
 * @param prec how many of them are decimals, 0 to 18
 * @returns `value / 10^prec` exactly
 * @throws {SpecError} `numeric/precision-out-of-range` unless `0 <= prec <= 18`
 */
export function decFromIntWithPrec(value: bigint, prec: number): Dec {
  return { mantissa: value * decPrecisionMultiplier(prec) };
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Parses Harmony's decimal text (Go's `NewDecFromStr`): an optional `-`, integer digits, and
 * optionally a point followed by 1 to 18 decimal digits. The checks run in Go's order, so a
 * malformed string is rejected for the same reason as in Harmony:
 * 1. the string, and what follows a leading `-`, must not be empty;
 * 2. split at `.`: with one point, both sides must be non-empty; more than one point is refused;
 * 3. at most 18 decimals, counted in UTF-8 bytes as Go counts string length (a non-ASCII
 *    character is refused anyway, but possibly for being too long first);
 * 4. integer and decimal digits, padded with zeros to 18 decimals, must be a base-10 integer in
 *    the syntax of Go's `big.Int.SetString`: an optional sign, then at least one ASCII digit.
 *    That sign is why `"+1.5"` is 1.5, `"+"` is 0 and `"--5"` (minus, then `"-5"`) is 5.
 * There is no size limit.
 *
 * @param text the decimal text
 * @returns the value
 * @throws {SpecError} `numeric/empty-string`, `numeric/bad-decimal-length`,
 *   `numeric/too-many-periods`, `numeric/too-much-precision`, `numeric/malformed-number`
 */
export function decFromString(text: string): Dec {
  require(text.length > 0, "numeric/empty-string");
  let rest = text;
  let negative = false;
  if (rest[0] === "-") {
    negative = true;
    rest = rest.slice(1);
  }
  require(rest.length > 0, "numeric/empty-string", "nothing after the minus sign");
  const parts = rest.split(".");
  let fraction = "";
  if (parts.length === 2) {
    require(parts[0].length > 0 && parts[1].length > 0, "numeric/bad-decimal-length", text);
    fraction = parts[1];
  }
  require(parts.length <= 2, "numeric/too-many-periods", text);
  // Go's len() counts bytes: the UTF-8 bytes of the decimals.
  const places = utf8ToBytes(fraction).length;
  require(places <= DEC_PRECISION, "numeric/too-much-precision", `${places} decimals`);
  const magnitude = parseGoBase10(parts[0] + fraction + "0".repeat(DEC_PRECISION - places));
  return { mantissa: negative ? -magnitude : magnitude };
}

/** Go's `big.Int.SetString(s, 10)`: an optional sign, then one or more ASCII digits only. */
function parseGoBase10(text: string): bigint {
  require(/^[+-]?[0-9]+$/.test(text), "numeric/malformed-number", text);
  const negative = text[0] === "-";
  const digits = text[0] === "-" || text[0] === "+" ? text.slice(1) : text;
  const value = BigInt(digits);
  return negative ? -value : value;
}

/**
 * Harmony's text of a `Dec` (Go's `Dec.String`): the integer part, then, if the value is not
 * whole, a point and the decimals without trailing zeros; `-` before a negative value. Examples:
 * `0`, `10`, `1.234`, `0.0001234`, `-0.000000000000000001`.
 *
 * @param d the value
 * @returns the shortest exact decimal text
 */
export function decToString(d: Dec): string {
  const magnitude = d.mantissa < 0n ? -d.mantissa : d.mantissa;
  let text = (magnitude / DEC_SCALE).toString();
  const fraction = magnitude % DEC_SCALE;
  if (fraction !== 0n) {
    let decimals = fraction.toString().padStart(DEC_PRECISION, "0");
    while (decimals.endsWith("0")) decimals = decimals.slice(0, -1);
    text += "." + decimals;
  }
  return d.mantissa < 0n ? "-" + text : text;
}

// ---------------------------------------------------------------------------------------------
// Chopping: dividing by 10^18 with a named rounding

/** Rejects a result mantissa whose magnitude needs more than 315 bits (Go's "Int overflow"). */
function checked(mantissa: bigint): Dec {
  return { mantissa: inRange(mantissa) };
}

/** `mantissa` itself, after the overflow check of every arithmetic result. */
function inRange(mantissa: bigint): bigint {
  const magnitude = mantissa < 0n ? -mantissa : mantissa;
  // The message is built only on failure: this check runs on every arithmetic result.
  if (magnitude >= OVERFLOW_BOUND) {
    require(false, "numeric/overflow", `result of ${magnitude.toString(2).length} bits`);
  }
  return mantissa;
}

/**
 * `x / 10^18` rounded half to even, symmetrically about zero (Go's `chopPrecisionAndRound`).
 */
function chopRoundHalfEven(x: bigint): bigint {
  if (x < 0n) return -chopRoundHalfEven(-x);
  const quotient = x / DEC_SCALE;
  const remainder = x % DEC_SCALE;
  if (remainder < HALF_SCALE) return quotient;
  if (remainder > HALF_SCALE) return quotient + 1n;
  // An exact tie: keep the even neighbour.
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/** `x / 10^18` truncated toward zero (Go's `chopPrecisionAndTruncate`). */
function chopTruncate(x: bigint): bigint {
  return x / DEC_SCALE;
}

/**
 * `x / 10^18` rounded toward positive infinity (Go's `chopPrecisionAndRoundUp`): a negative
 * value truncates, which is toward positive infinity for it.
 */
function chopRoundUp(x: bigint): bigint {
  if (x < 0n) return -chopTruncate(-x);
  const quotient = x / DEC_SCALE;
  return x % DEC_SCALE === 0n ? quotient : quotient + 1n;
}

/** `a * 10^36 / b` truncated toward zero: the quotient with 36 decimals that `Quo*` round. */
function quotient36(a: Dec, b: Dec): bigint {
  require(b.mantissa !== 0n, "numeric/division-by-zero");
  return (a.mantissa * DEC_SCALE_SQUARED) / b.mantissa;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * `a + b`, exact.
 *
 * @param a first addend
 * @param b second addend
 * @returns the sum
 * @throws {SpecError} `numeric/overflow` if the sum's magnitude exceeds 315 bits
 */
export function decAdd(a: Dec, b: Dec): Dec {
  return checked(a.mantissa + b.mantissa);
}

/**
 * `a - b`, exact.
 *
 * @param a minuend
 * @param b subtrahend
 * @returns the difference
 * @throws {SpecError} `numeric/overflow` if the difference's magnitude exceeds 315 bits
 */
export function decSub(a: Dec, b: Dec): Dec {
  return checked(a.mantissa - b.mantissa);
}

/**
 * `a * b` rounded half to even at 18 decimals (Go's `Mul`).
 *
 * @param a first factor
 * @param b second factor
 * @returns the rounded product
 * @throws {SpecError} `numeric/overflow` if the rounded product exceeds 315 bits
 */
export function decMul(a: Dec, b: Dec): Dec {
  return checked(chopRoundHalfEven(a.mantissa * b.mantissa));
}

/**
 * `a * b` truncated toward zero at 18 decimals (Go's `MulTruncate`).
 *
 * @param a first factor
 * @param b second factor
 * @returns the truncated product
 * @throws {SpecError} `numeric/overflow` if the truncated product exceeds 315 bits
 */
export function decMulTruncate(a: Dec, b: Dec): Dec {
  return checked(chopTruncate(a.mantissa * b.mantissa));
}

/**
 * `d * i` for a plain integer `i`, exact (Go's `MulInt`, `MulInt64`).
 *
 * @param d the Dec
 * @param i the integer factor
 * @returns the product
 * @throws {SpecError} `numeric/overflow` if the product exceeds 315 bits
 */
export function decMulInt(d: Dec, i: bigint): Dec {
  return checked(d.mantissa * i);
}

/**
 * `d · i` rounded half to even to an integer: `decRoundInt(decMulInt(d, i))`, the same checks and
 * result, without the intermediate `Dec` (a reward payout does this once per delegation).
 *
 * @param d the decimal
 * @param i the integer
 * @returns the nearest integer to the product, ties to even
 * @throws {SpecError} `numeric/overflow` if the product exceeds 315 bits
 */
export function decMulIntRoundInt(d: Dec, i: bigint): bigint {
  return chopRoundHalfEven(inRange(d.mantissa * i));
}

/**
 * `a / b` with Harmony's double rounding (Go's `Quo`): the quotient truncated toward zero at 36
 * decimals, then rounded half to even at 18.
 *
 * @param a dividend
 * @param b divisor
 * @returns the rounded quotient
 * @throws {SpecError} `numeric/division-by-zero` if `b` is zero; `numeric/overflow` if the
 *   result exceeds 315 bits
 */
export function decQuo(a: Dec, b: Dec): Dec {
  return checked(chopRoundHalfEven(quotient36(a, b)));
}

/**
 * `a / b` truncated toward zero at 18 decimals (Go's `QuoTruncate`).
 *
 * @param a dividend
 * @param b divisor
 * @returns the truncated quotient
 * @throws {SpecError} `numeric/division-by-zero` if `b` is zero; `numeric/overflow` if the
 *   result exceeds 315 bits
 */
export function decQuoTruncate(a: Dec, b: Dec): Dec {
  return checked(chopTruncate(quotient36(a, b)));
}

/**
 * `a / b` rounded up (Go's `QuoRoundUp`): the quotient truncated toward zero at 36 decimals, then
 * rounded toward positive infinity at 18. A quotient whose first 36 decimals end in 18 zeros is
 * therefore not rounded up, even if later decimals are not zero.
 *
 * @param a dividend
 * @param b divisor
 * @returns the rounded-up quotient
 * @throws {SpecError} `numeric/division-by-zero` if `b` is zero; `numeric/overflow` if the
 *   result exceeds 315 bits
 */
export function decQuoRoundUp(a: Dec, b: Dec): Dec {
  return checked(chopRoundUp(quotient36(a, b)));
}

/**
 * `d / i` for a plain integer `i`: the mantissa divided by `i`, truncated toward zero (Go's
 * `QuoInt`, `QuoInt64`). No overflow check, as in Harmony (the magnitude cannot grow).
 *
 * @param d dividend
 * @param i integer divisor
 * @returns the truncated quotient
 * @throws {SpecError} `numeric/division-by-zero` if `i` is zero
 */
export function decQuoInt(d: Dec, i: bigint): Dec {
  require(i !== 0n, "numeric/division-by-zero");
  return { mantissa: d.mantissa / i };
}

/**
 * `-d` (Go's `Neg`). No overflow check.
 *
 * @param d the value
 * @returns its negation
 */
export function decNeg(d: Dec): Dec {
  return { mantissa: -d.mantissa };
}

/**
 * `|d|` (Go's `Abs`). No overflow check.
 *
 * @param d the value
 * @returns its magnitude
 */
export function decAbs(d: Dec): Dec {
  return { mantissa: d.mantissa < 0n ? -d.mantissa : d.mantissa };
}

// ---------------------------------------------------------------------------------------------
// To integers

/**
 * `d` rounded half to even to an integer (Go's `RoundInt`).
 *
 * @param d the value
 * @returns the nearest integer, ties to even
 */
export function decRoundInt(d: Dec): bigint {
  return chopRoundHalfEven(d.mantissa);
}

/**
 * `d` rounded half to even to an `int64` (Go's `RoundInt64`).
 *
 * @param d the value
 * @returns the nearest integer, ties to even
 * @throws {SpecError} `numeric/int64-out-of-range` if it does not fit in an int64 (Go panics)
 */
export function decRoundInt64(d: Dec): bigint {
  return toInt64(decRoundInt(d));
}

/**
 * `d` truncated toward zero to an integer (Go's `TruncateInt`).
 *
 * @param d the value
 * @returns the integer part
 */
export function decTruncateInt(d: Dec): bigint {
  return chopTruncate(d.mantissa);
}

/**
 * `d` truncated toward zero to an `int64` (Go's `TruncateInt64`).
 *
 * @param d the value
 * @returns the integer part
 * @throws {SpecError} `numeric/int64-out-of-range` if it does not fit in an int64 (Go panics)
 */
export function decTruncateInt64(d: Dec): bigint {
  return toInt64(decTruncateInt(d));
}

function toInt64(value: bigint): bigint {
  require(value >= INT64_MIN && value <= INT64_MAX, "numeric/int64-out-of-range", `${value}`);
  return value;
}

/**
 * `d` truncated toward zero, as a `Dec` (Go's `TruncateDec`).
 *
 * @param d the value
 * @returns the integer part as a Dec
 */
export function decTruncateDec(d: Dec): Dec {
  return decFromInt(chopTruncate(d.mantissa));
}

/**
 * The smallest whole number not below `d`, as a `Dec` (Go's `Ceil`): -4.7 gives -4.
 *
 * @param d the value
 * @returns the ceiling as a Dec
 */
export function decCeil(d: Dec): Dec {
  // BigInt division truncates toward zero, so only a positive remainder needs a step up.
  const quotient = d.mantissa / DEC_SCALE;
  const remainder = d.mantissa % DEC_SCALE;
  return decFromInt(remainder > 0n ? quotient + 1n : quotient);
}

// ---------------------------------------------------------------------------------------------
// Predicates and comparisons

/** Whether `d` is zero (Go's `IsZero`). */
export function decIsZero(d: Dec): boolean {
  return d.mantissa === 0n;
}

/** Whether `d < 0` (Go's `IsNegative`). */
export function decIsNegative(d: Dec): boolean {
  return d.mantissa < 0n;
}

/** Whether `d > 0` (Go's `IsPositive`). */
export function decIsPositive(d: Dec): boolean {
  return d.mantissa > 0n;
}

/** Whether `d` has no fractional part (Go's `IsInteger`). */
export function decIsInteger(d: Dec): boolean {
  return d.mantissa % DEC_SCALE === 0n;
}

/**
 * Three-way comparison (Go's `Cmp` of the embedded `big.Int`).
 *
 * @param a left value
 * @param b right value
 * @returns -1 if `a < b`, 0 if equal, 1 if `a > b`
 */
export function decCmp(a: Dec, b: Dec): number {
  if (a.mantissa < b.mantissa) return -1;
  return a.mantissa > b.mantissa ? 1 : 0;
}

/** Whether `a = b` (Go's `Equal`). */
export function decEqual(a: Dec, b: Dec): boolean {
  return a.mantissa === b.mantissa;
}

/** Whether `a > b` (Go's `GT`). */
export function decGT(a: Dec, b: Dec): boolean {
  return a.mantissa > b.mantissa;
}

/** Whether `a >= b` (Go's `GTE`). */
export function decGTE(a: Dec, b: Dec): boolean {
  return a.mantissa >= b.mantissa;
}

/** Whether `a < b` (Go's `LT`). */
export function decLT(a: Dec, b: Dec): boolean {
  return a.mantissa < b.mantissa;
}

/** Whether `a <= b` (Go's `LTE`). */
export function decLTE(a: Dec, b: Dec): boolean {
  return a.mantissa <= b.mantissa;
}

/** The smaller of two values (Go's `MinDec`: `b` unless `a < b`). */
export function decMin(a: Dec, b: Dec): Dec {
  return a.mantissa < b.mantissa ? a : b;
}

/** The larger of two values (Go's `MaxDec`: `a` unless `a < b`). */
export function decMax(a: Dec, b: Dec): Dec {
  return a.mantissa < b.mantissa ? b : a;
}

/**
 * Whether two lists hold equal values at every position (Go's `DecsEqual`).
 *
 * @param a first list
 * @param b second list
 * @returns true if both have the same length and equal elements in order
 */
export function decsEqual(a: readonly Dec[], b: readonly Dec[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].mantissa !== b[i].mantissa) return false;
  return true;
}
