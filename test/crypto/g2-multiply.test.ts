/**
 * G2 multiplication through the endomorphism gives the curve library's own product, `k·P` by
 * double-and-add, for points of G2 (multiples of the generator and mapped messages) and scalars
 * that stress the base-|x| digits: zero and all-ones digits, the digits' edges, r − 1, and random
 * 255-bit values. A multiplication that loses the top digit is caught.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { g2Multiply } from "../../spec/crypto/g2-multiply.ts";
import { blsMapToG2 } from "../../spec/crypto/bls-map.ts";
import { catches, holds } from "../support/property.ts";

const G2 = bls12_381.G2.Point;
type G2Point = typeof G2.BASE;
const R = bls12_381.fields.Fr.ORDER;
const X = 0xd201000000010000n;

/** Scalars below r built from four base-X digits, each an edge value or random. */
const digit = fc.oneof(
  fc.constantFrom(0n, 1n, X - 1n, X / 2n, (1n << 32n) - 1n, 1n << 32n),
  fc.bigInt({ min: 0n, max: X - 1n }),
);
const scalar: fc.Arbitrary<bigint> = fc.oneof(
  fc.tuple(digit, digit, digit, digit).map(([a, b, c, d]) => (a + X * (b + X * (c + X * d))) % R),
  fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, X, X * X, X * X * X),
  fc.bigInt({ min: 0n, max: R - 1n }),
);

/** Points of G2: small multiples of the generator, random multiples, mapped field elements. */
const point: fc.Arbitrary<G2Point> = fc.oneof(
  fc.bigInt({ min: 1n, max: R - 1n }).map((k) => G2.BASE.multiply(k)),
  fc.constantFrom(G2.BASE, G2.ZERO),
  fc.bigInt({ min: 1n, max: (1n << 380n) - 1n }).map((c0) => blsMapToG2({ c0, c1: 0n }))
    .filter((p): p is G2Point => p !== undefined),
);

const agreesWithLibrary = (multiply: (p: G2Point, k: bigint) => G2Point) =>
  fc.property(point, scalar, (p, k) => multiply(p, k).equals(p.multiplyUnsafe(k)));

test("property: g2Multiply(P, k) = k·P as the curve library computes it", () => {
  holds(agreesWithLibrary(g2Multiply), 60);
  // Broken: the top base-X digit is dropped.
  catches(agreesWithLibrary((p, k) => g2Multiply(p, k % (X * X * X))), 60);
});

test("g2Multiply gives the same product for the same point again (its table is kept)", () => {
  const p = G2.BASE.multiply(0x1234567890abcdefn);
  const k = R - 12345n;
  const first = g2Multiply(p, k);
  assert.ok(g2Multiply(p, k).equals(first));
  assert.ok(g2Multiply(p, 1n).equals(p));
});

test("g2Multiply refuses a scalar outside [0, r): callers reduce first", () => {
  assert.throws(() => g2Multiply(G2.BASE, R), /invariant/);
  assert.throws(() => g2Multiply(G2.BASE, -1n), /invariant/);
});
