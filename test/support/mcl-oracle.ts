/**
 * herumi's mcl (the code under Harmony's BLS), compiled to WebAssembly, as an independent
 * oracle for the BLS spec. Used by tests and by conformance cases to compute expected values;
 * never by `spec/`.
 *
 * Set-up that makes mcl-wasm behave like Harmony's build: curve BLS12-381, map mode 0 (mcl's
 * original Fouque–Tibouchi map; mcl-wasm exports no name for it, only `IRTF` = 5), mcl's own
 * serialization (not the Ethereum one), and order checks on both groups when deserializing.
 *
 * One known difference: Harmony's mcl refuses to map the field element 0 (its `calcBN` fails),
 * while the mcl inside mcl-wasm maps it to some point. The oracle functions below return
 * `undefined` / `false` there instead of asking mcl-wasm, and tests state that rule separately.
 */
import * as mcl from "mcl-wasm";

await mcl.init(mcl.BLS12_381);
/** mcl's original map (`MCL_MAP_TO_MODE_ORIGINAL`). */
const MAP_TO_MODE_ORIGINAL = 0;
mcl.setMapToMode(MAP_TO_MODE_ORIGINAL);
mcl.setETHserialization(false);
mcl.verifyOrderG1(true);
mcl.verifyOrderG2(true);

export { mcl };

function fpOne(): mcl.Fp {
  const one = new mcl.Fp();
  one.setInt(1);
  return one;
}

/** Harmony's G1 generator according to mcl: `mapToG1(1)`. */
export const mclGenerator: mcl.G1 = fpOne().mapToG1();

/** mcl's field element of a message (`setArrayMask` on at most 48 bytes). */
export function mclMessageField(message: Uint8Array): mcl.Fp {
  const t = new mcl.Fp();
  t.setLittleEndian(message);
  return t;
}

/** H(m) according to mcl, or undefined when the field element is zero. */
export function mclHashToG2(message: Uint8Array): mcl.G2 | undefined {
  const t = mclMessageField(message);
  if (t.isZero()) return undefined;
  const u = new mcl.Fp2();
  u.set_a(t);
  return u.mapToG2();
}

/** A secret key, or undefined when mcl refuses the 32 bytes. */
export function mclSecretKey(secretKey: Uint8Array): mcl.Fr | undefined {
  const sk = new mcl.Fr();
  try {
    sk.deserialize(secretKey);
  } catch {
    return undefined;
  }
  return sk;
}

/** The public key bytes, or undefined for a refused secret key. */
export function mclPublicKey(secretKey: Uint8Array): Uint8Array | undefined {
  const sk = mclSecretKey(secretKey);
  return sk === undefined ? undefined : mcl.mul(mclGenerator, sk).serialize();
}

/** `SignHash`, or undefined where Harmony's `SignHash` returns nil. */
export function mclSignHash(secretKey: Uint8Array, message: Uint8Array): Uint8Array | undefined {
  const sk = mclSecretKey(secretKey);
  const h = mclHashToG2(message);
  if (sk === undefined || h === undefined) return undefined;
  return mcl.mul(h, sk).serialize();
}

/** A G1 point, or undefined when mcl refuses the bytes. */
export function mclG1(bytes: Uint8Array): mcl.G1 | undefined {
  const p = new mcl.G1();
  try {
    p.deserialize(bytes);
  } catch {
    return undefined;
  }
  return p;
}

/** A G2 point, or undefined when mcl refuses the bytes. */
export function mclG2(bytes: Uint8Array): mcl.G2 | undefined {
  const q = new mcl.G2();
  try {
    q.deserialize(bytes);
  } catch {
    return undefined;
  }
  return q;
}

/** `VerifyHash` as Harmony's bls computes it: `finalExp(ML(P, σ) · ML(−pk, H)) == 1`. */
export function mclVerifyHash(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const pk = mclG1(publicKey);
  const sig = mclG2(signature);
  const h = mclHashToG2(message);
  if (pk === undefined || sig === undefined || h === undefined) return false;
  const e = mcl.mul(mcl.millerLoop(mclGenerator, sig), mcl.millerLoop(mcl.neg(pk), h));
  return mcl.finalExp(e).isOne();
}

/** The sum of serialized signatures, or undefined if one is refused. */
export function mclAggregateSignatures(signatures: Uint8Array[]): Uint8Array | undefined {
  let sum = new mcl.G2();
  for (const s of signatures) {
    const q = mclG2(s);
    if (q === undefined) return undefined;
    sum = mcl.add(sum, q);
  }
  return sum.serialize();
}

/** The sum of serialized public keys, or undefined if one is refused. */
export function mclAggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array | undefined {
  let sum = new mcl.G1();
  for (const k of publicKeys) {
    const p = mclG1(k);
    if (p === undefined) return undefined;
    sum = mcl.add(sum, p);
  }
  return sum.serialize();
}
