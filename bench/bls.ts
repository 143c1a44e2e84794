/**
 * Harmony BLS verification speed, against the IETF BLS of @noble/curves in the same run.
 *
 * 1. One signature, bytes in: Harmony's `blsVerifyHash` (decode key and signature, mcl's map to
 *    G2, two Miller loops and one final exponentiation) against @noble/curves' IETF verification
 *    (decode key and signature, hash to G2 with SSWU, the same pairing check). Target ≤ 1.3×.
 * 2. A committee of 250 pre-decoded keys: verify an aggregate signature over a bitmap in which
 *    every member signed (add 250 points, one pairing check) against one single verification.
 *    Target ≤ 1.5×.
 *
 * The IETF scheme is only a yardstick here; it is not Harmony's scheme and is not in `spec/`.
 *
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { blsPublicKey, blsSignHash, blsVerifyHash } from "../spec/crypto/bls.ts";
import { blsCommittee, blsMaskFromIndices, blsVerifyMaskedHash } from "../spec/crypto/bls-mask.ts";
import { BLS_GROUP_ORDER } from "../spec/crypto/bls-map.ts";
import { bigintToFixedBytesLE } from "../spec/encoding/bytes.ts";
import type { Bench } from "./main.ts";
import { measure, ratio, report } from "./harness.ts";

const COMMITTEE_SIZE = 250;

function secretKey(n: bigint): Uint8Array {
  return bigintToFixedBytesLE(n % BLS_GROUP_ORDER, 32);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark set-up is wrong: ${what}`);
}

/** Harmony's single verification against the IETF one, both from bytes. */
function singleVerify(message: Uint8Array): { harmony: number; ietf: number } {
  const sk = secretKey(0x5eed_0001_2345_6789_abcd_ef01n);
  const pk = blsPublicKey(sk);
  const sig = blsSignHash(sk, message);
  check(blsVerifyHash(pk, message, sig), "Harmony signature does not verify");

  const ietf = bls12_381.longSignatures;
  const ietfSk = bls12_381.utils.randomSecretKey(new Uint8Array(48).fill(7));
  const ietfPk = ietf.getPublicKey(ietfSk).toBytes();
  const ietfSig = ietf.sign(ietf.hash(message), ietfSk).toBytes();
  const ietfVerify = () =>
    ietf.verify(
      ietf.Signature.fromBytes(ietfSig),
      ietf.hash(message),
      bls12_381.G1.Point.fromBytes(ietfPk),
    );
  check(ietfVerify(), "IETF signature does not verify");

  const h = measure("Harmony verify (bytes in)", () => blsVerifyHash(pk, message, sig));
  const b = measure("IETF verify, @noble/curves (bytes in, baseline)", ietfVerify);
  report(h);
  report(b);
  return { harmony: h.msPerOp, ietf: b.msPerOp };
}

/** Aggregate verification over a full 250-member bitmap, keys decoded beforehand. */
function committeeVerify(message: Uint8Array): number {
  const secrets: bigint[] = [];
  for (let i = 1; i <= COMMITTEE_SIZE; i++) secrets.push(BigInt(i) * 0x9e3779b97f4a7c15n + 1n);
  const committee = blsCommittee(secrets.map((s) => blsPublicKey(secretKey(s))));
  // The sum of the members' signatures equals the signature by the sum of their keys.
  let total = 0n;
  for (const s of secrets) total += s;
  const aggregate = blsSignHash(secretKey(total), message);
  const bitmap = blsMaskFromIndices(COMMITTEE_SIZE, secrets.map((_, i) => i));
  check(blsVerifyMaskedHash(committee, bitmap, message, aggregate), "aggregate does not verify");
  const t = measure(
    `aggregate verify, ${COMMITTEE_SIZE}-key bitmap (keys pre-decoded)`,
    () => blsVerifyMaskedHash(committee, bitmap, message, aggregate),
  );
  report(t);
  return t.msPerOp;
}

export const bench: Bench = {
  name: "bls",
  run(): boolean {
    const message = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
    const single = singleVerify(message);
    const committee = committeeVerify(message);
    const a = ratio("Harmony verify / IETF verify", single.harmony / single.ietf, { max: 1.3 });
    const b = ratio(
      `${COMMITTEE_SIZE}-key aggregate verify / single verify`,
      committee / single.harmony,
      { max: 1.5 },
    );
    return a && b;
  },
};
