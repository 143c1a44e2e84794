/**
 * secp256k1 public-key recovery by libsecp256k1 (the `secp256k1` package's native binding), for
 * the node's sender-recovery workers: about 15× faster here than the spec's own curve code, which
 * is what admitting a signed transfer mostly costs. It is the same standard operation
 * (`PointRecovery` in `spec/crypto/secp256k1.ts`); the spec's checks around it are unchanged, and
 * a test holds it to the spec's results. Where the binding cannot be loaded (a platform without a
 * prebuilt library), the spec's own code is used.
 *
 * @module
 */
import { createRequire } from "node:module";
import { nobleRecovery, type PointRecovery } from "../../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes } from "../../spec/encoding/bytes.ts";

interface Binding {
  ecdsaRecover(
    signature: Uint8Array,
    recid: number,
    msg32: Uint8Array,
    compressed: boolean,
  ): Uint8Array;
}

function load(): Binding | null {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings.js") as Binding;
  } catch {
    return null;
  }
}

const binding = load();

/** Recovery by libsecp256k1 where it loads, by the spec's own code otherwise. */
export const fastRecovery: PointRecovery = binding === null ? nobleRecovery : (hash, r, s, id) => {
  const signature = new Uint8Array(64);
  signature.set(bigintToFixedBytes(r, 32), 0);
  signature.set(bigintToFixedBytes(s, 32), 32);
  try {
    return Uint8Array.from(binding.ecdsaRecover(signature, id, hash, false));
  } catch {
    return null; // libsecp256k1 found no key
  }
};

/** Whether the native library is in use. */
export const nativeRecoveryLoaded = binding !== null;
