import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { secp256k1 as noble } from "@noble/curves/secp256k1.js";
import { recoverAddress as viemRecover } from "viem";
import { privateKeyToAddress, sign as viemSign } from "viem/accounts";
import {
  addressFromPrivateKey,
  addressFromPublicKey,
  decodeV,
  encodeV,
  recoverAddress,
  recoverPublicKey,
  SECP256K1_HALF_N,
  SECP256K1_N,
  sign,
  type Signature,
  signatureFromBytes,
  signatureToBytes,
  validatePrivateKey,
  validateSignatureValues,
} from "../../spec/crypto/secp256k1.ts";
import { bigintToBytes, bigintToFixedBytes, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { keccak256 } from "../../spec/encoding/hash.ts";
import { decodeRlp, encodeRlp, readBigUint, readListOf } from "../../spec/encoding/rlp.ts";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { catches, holds, params } from "../support/property.ts";

function rejects(fn: () => unknown, code: SpecErrorCode, what?: string): void {
  assert.throws(fn, (e: unknown) => isSpecError(e, code), what ?? code);
}

const n = SECP256K1_N;
const u = (x: bigint) => bigintToFixedBytes(x, 32);

// --- EIP-155's worked example --------------------------------------------------------------------

const EIP155_KEY = fromHex("46".repeat(32));
const EIP155_SIGNING_DATA =
  "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080";
const EIP155_HASH = "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53";
const EIP155_R = 18515461264373351373200002665853028612451056578545711640558177340181847433846n;
const EIP155_S = 46948507304638947509940763649030358759909902576025900602547168820602576006531n;
const EIP155_SIGNED =
  "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0" +
  "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb70330" +
  "4b3800ccf555c9f3dc64214b297fb1966a3b6d83";
const EIP155_SENDER = "9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f";

test("secp256k1: EIP-155 example (signing data, hash, v r s, sender)", () => {
  const fields = [9n, 20000000000n, 21000n, 0n, 10n ** 18n, 0n, 1n, 0n, 0n].map(bigintToBytes);
  fields[3] = fromHex("35".repeat(20));
  const signingData = encodeRlp(fields);
  assert.equal(toHex(signingData), EIP155_SIGNING_DATA);
  const hash = keccak256(signingData);
  assert.equal(toHex(hash), EIP155_HASH);
  const sig = sign(hash, EIP155_KEY);
  assert.deepEqual(sig, { r: EIP155_R, s: EIP155_S, recoveryId: 0 });
  assert.equal(encodeV(sig.recoveryId, 1n), 37n);
  // The signed transaction carries v = 37 and the same r, s.
  const signed = readListOf(decodeRlp(fromHex(EIP155_SIGNED)), 9);
  const v = readBigUint(signed[6]);
  assert.deepEqual(decodeV(v), { recoveryId: 0, chainId: 1n });
  const carried = { r: readBigUint(signed[7]), s: readBigUint(signed[8]), recoveryId: 0 };
  assert.deepEqual(carried, sig);
  assert.equal(toHex(recoverAddress(hash, carried, true)), EIP155_SENDER);
  assert.equal(toHex(addressFromPrivateKey(EIP155_KEY)), EIP155_SENDER);
});

// --- go-ethereum crypto tests --------------------------------------------------------------------

const GETH_KEY = fromHex("289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
const GETH_ADDRESS = "970e8128ab834e8eac17ab8e3812f010678cf791";

test("secp256k1: go-ethereum TestSign, TestEcrecover, TestInvalidSign", () => {
  assert.equal(toHex(addressFromPrivateKey(GETH_KEY)), GETH_ADDRESS);
  const msg = keccak256(new TextEncoder().encode("foo"));
  assert.equal(toHex(recoverAddress(msg, sign(msg, GETH_KEY), true)), GETH_ADDRESS);
  // signature_test.go: testmsg, testsig (r ‖ s ‖ id) and testpubkey.
  const testmsg = fromHex("ce0677bb30baa8cf067c88db9811f4333d131bf8bcf12fe7065d211dce971008");
  const testsig = fromHex(
    "90f27b8b488db00b00606796d2987f6a5f59ae62ea05effe84fef5b8b0e549984a691139ad57a3f0b906637673" +
      "aa2f63d1f55cb1a69199d4009eea23ceaddc9301",
  );
  const testpubkey = "04e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a0a2b2667" +
    "f7e725ceea70c673093bf67663e0312623c8e091b13cf2c0f11ef652";
  const sig = signatureFromBytes(testsig);
  assert.equal(toHex(recoverPublicKey(testmsg, sig, true)), testpubkey);
  assert.deepEqual(signatureToBytes(sig), testsig);
  rejects(() => sign(new Uint8Array(1), GETH_KEY), "secp256k1/invalid-hash-length");
  rejects(() => sign(new Uint8Array(33), GETH_KEY), "secp256k1/invalid-hash-length");
});

test("secp256k1: go-ethereum TestValidateSignatureValues (frontier rule)", () => {
  const check = (id: number, r: bigint, s: bigint, code?: SpecErrorCode) => {
    const run = () => validateSignatureValues({ r, s, recoveryId: id }, false);
    if (code === undefined) run();
    else rejects(run, code, `${id} ${r} ${s}`);
  };
  check(0, 1n, 1n);
  check(1, 1n, 1n);
  check(2, 1n, 1n, "secp256k1/invalid-recovery-id");
  check(3, 1n, 1n, "secp256k1/invalid-recovery-id");
  check(2, 0n, 0n, "secp256k1/invalid-recovery-id");
  check(2, 0n, 1n, "secp256k1/invalid-recovery-id");
  check(2, 1n, 0n, "secp256k1/invalid-recovery-id");
  check(0, 0n, 0n, "secp256k1/r-out-of-range");
  check(0, 0n, 1n, "secp256k1/r-out-of-range");
  check(0, 1n, 0n, "secp256k1/s-out-of-range");
  check(1, 0n, 0n, "secp256k1/r-out-of-range");
  check(1, 0n, 1n, "secp256k1/r-out-of-range");
  check(1, 1n, 0n, "secp256k1/s-out-of-range");
  check(0, n - 1n, n - 1n);
  check(0, n, n - 1n, "secp256k1/r-out-of-range");
  check(0, n - 1n, n, "secp256k1/s-out-of-range");
  check(0, n, n, "secp256k1/r-out-of-range");
  check(0, -1n, 1n, "secp256k1/r-out-of-range");
  check(0, 1n, -1n, "secp256k1/s-out-of-range");
});

test("secp256k1: the homestead low-s rule (EIP-2)", () => {
  validateSignatureValues({ r: 1n, s: SECP256K1_HALF_N, recoveryId: 0 }, true);
  rejects(
    () => validateSignatureValues({ r: 1n, s: SECP256K1_HALF_N + 1n, recoveryId: 0 }, true),
    "secp256k1/high-s",
  );
  // The EIP-155 signature's malleable twin (n - s, other recovery id) signs for the same key.
  const hash = fromHex(EIP155_HASH);
  const twin = { r: EIP155_R, s: n - EIP155_S, recoveryId: 1 };
  assert.equal(toHex(recoverAddress(hash, twin, false)), EIP155_SENDER);
  rejects(() => recoverAddress(hash, twin, true), "secp256k1/high-s");
});

/** a^e mod m. */
function modPow(a: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let base = a % m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

test("secp256k1: recovery fails when r is no x-coordinate, or the key is the point at infinity", () => {
  const p = 2n ** 256n - 2n ** 32n - 977n;
  // The smallest x whose x³ + 7 is not a square mod p (Euler's criterion): no point has it.
  let x = 1n;
  while (modPow(x ** 3n + 7n, (p - 1n) / 2n, p) === 1n) x++;
  const hash = keccak256(new Uint8Array(0));
  rejects(
    () => recoverAddress(hash, { r: x, s: 1n, recoveryId: 0 }, true),
    "secp256k1/recovery-failed",
  );
  // r = x(G), even y (G's y is even), s = 1, hash = 1: Q = r⁻¹(s·G − h·G) = 0.
  const gx = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n;
  const gy = 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n;
  assert.equal(gy % 2n, 0n);
  rejects(
    () => recoverAddress(u(1n), { r: gx, s: 1n, recoveryId: 0 }, true),
    "secp256k1/recovery-failed",
  );
});

test("secp256k1: private keys, public keys and the 65-byte form", () => {
  for (const bad of [0n, n, n + 1n, 2n ** 256n - 1n]) {
    rejects(() => validatePrivateKey(u(bad)), "secp256k1/invalid-private-key", `${bad}`);
  }
  rejects(() => validatePrivateKey(new Uint8Array(31).fill(1)), "secp256k1/invalid-private-key");
  validatePrivateKey(u(n - 1n));
  validatePrivateKey(u(1n));
  rejects(() => addressFromPublicKey(new Uint8Array(64)), "secp256k1/invalid-public-key");
  rejects(() => addressFromPublicKey(new Uint8Array(65)), "secp256k1/invalid-public-key");
  const off = new Uint8Array(65);
  off[0] = 4;
  rejects(() => addressFromPublicKey(off), "secp256k1/invalid-public-key");
  rejects(() => signatureFromBytes(new Uint8Array(64)), "secp256k1/invalid-signature-length");
  rejects(
    () => signatureToBytes({ r: 1n, s: 1n, recoveryId: 2 }),
    "secp256k1/invalid-recovery-id",
  );
});

test("secp256k1: v values (unprotected, EIP-155 on Harmony's chain ids)", () => {
  assert.deepEqual(decodeV(27n), { recoveryId: 0, chainId: null });
  assert.deepEqual(decodeV(28n), { recoveryId: 1, chainId: null });
  assert.deepEqual(decodeV(37n), { recoveryId: 0, chainId: 1n });
  assert.deepEqual(decodeV(38n), { recoveryId: 1, chainId: 1n });
  // Harmony mainnet's Ethereum-compatible chain id 1666600000: v = 35 + 3333200000 + id.
  assert.deepEqual(decodeV(3333200035n), { recoveryId: 0, chainId: 1666600000n });
  assert.deepEqual(decodeV(3333200036n), { recoveryId: 1, chainId: 1666600000n });
  assert.deepEqual(decodeV(35n), { recoveryId: 0, chainId: 0n });
  for (const bad of [0n, 1n, 26n, 29n, 30n, 33n, 34n]) {
    rejects(() => decodeV(bad), "secp256k1/invalid-v");
  }
  assert.equal(encodeV(0, null), 27n);
  assert.equal(encodeV(1, null), 28n);
  assert.equal(encodeV(1, 1666600000n), 3333200036n);
  rejects(() => encodeV(2, 1n), "secp256k1/invalid-recovery-id");
});

// --- properties ----------------------------------------------------------------------------------

const keys = fc.bigInt({ min: 1n, max: n - 1n }).map(u);
const hashes = fc.uint8Array({ minLength: 32, maxLength: 32 });

type Recover = (hash: Uint8Array, sig: Signature) => Uint8Array;

const signThenRecover = (recover: Recover) =>
  fc.property(keys, hashes, (key, hash) => {
    assert.deepEqual(recover(hash, sign(hash, key)), addressFromPrivateKey(key));
  });

test("property: the sender recovered from a signature is the signer's address", () => {
  holds(signThenRecover((h, s) => recoverAddress(h, s, true)), 50);
  // Reading the recovery id the wrong way round recovers the other key.
  catches(
    signThenRecover((h, s) => recoverAddress(h, { ...s, recoveryId: 1 - s.recoveryId }, true)),
    50,
  );
});

const lowS = (signer: (hash: Uint8Array, key: Uint8Array) => Signature) =>
  fc.property(keys, hashes, (key, hash) => {
    assert.ok(signer(hash, key).s <= SECP256K1_HALF_N);
  });

test("property: signatures are low-s", () => {
  holds(lowS(sign), 50);
  catches(
    lowS((hash, key) => {
      const bytes = noble.sign(hash, key, { prehash: false, lowS: false, format: "recovered" });
      const sig = noble.Signature.fromBytes(bytes, "recovered");
      return { r: sig.r, s: sig.s, recoveryId: sig.recovery ?? 0 };
    }),
    50,
  );
});

const malleableTwin = (validate: typeof validateSignatureValues) =>
  fc.property(keys, hashes, (key, hash) => {
    const sig = sign(hash, key);
    const twin = { r: sig.r, s: n - sig.s, recoveryId: 1 - sig.recoveryId };
    assert.deepEqual(recoverAddress(hash, twin, false), addressFromPrivateKey(key));
    assert.throws(() => validate(twin, true), (e: unknown) => isSpecError(e, "secp256k1/high-s"));
  });

test("property: the high-s twin recovers the same signer and is refused under homestead", () => {
  holds(malleableTwin(validateSignatureValues), 30);
  catches(malleableTwin((sig) => validateSignatureValues(sig, false)), 30);
});

const vRoundTrip = (encode: typeof encodeV) =>
  fc.property(
    fc.integer({ min: 0, max: 1 }),
    fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n }), { nil: null }),
    (id, chainId) => {
      assert.deepEqual(decodeV(encode(id, chainId)), { recoveryId: id, chainId });
    },
  );

test("property: decodeV(encodeV(id, chainId)) = (id, chainId)", () => {
  holds(vRoundTrip(encodeV));
  catches(vRoundTrip((id, c) => (c === null ? 27n + BigInt(id) : 35n + c + BigInt(id))));
});

const anySignature = fc.record({
  r: fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 257n }), fc.constantFrom(0n, 1n, n - 1n, n)),
  s: fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 257n }), fc.constantFrom(0n, 1n, SECP256K1_HALF_N)),
  recoveryId: fc.integer({ min: -1, max: 4 }),
});

const valueOrSpecError = (recover: (h: Uint8Array, s: Signature, home: boolean) => unknown) =>
  fc.property(
    fc.uint8Array({ minLength: 30, maxLength: 34 }),
    anySignature,
    fc.boolean(),
    (h, s, home) => {
      try {
        recover(h, s, home);
      } catch (e) {
        assert.ok(isSpecError(e), `not a SpecError: ${e}`);
      }
    },
  );

test("property: recovery returns an address or a SpecError on arbitrary values", () => {
  holds(valueOrSpecError(recoverAddress), 300);
  // Calling @noble/curves without validating first lets its own errors escape.
  catches(
    valueOrSpecError((h, s) => new noble.Signature(s.r, s.s, s.recoveryId).recoverPublicKey(h)),
    300,
  );
});

const signatureBytesParse = (parse: (b: Uint8Array) => unknown) =>
  fc.property(fc.uint8Array({ minLength: 63, maxLength: 67 }), (bytes) => {
    try {
      parse(bytes);
    } catch (e) {
      assert.ok(isSpecError(e), `not a SpecError: ${e}`);
    }
  });

test("property: signatureFromBytes returns a value or a SpecError on arbitrary bytes", () => {
  holds(signatureBytesParse(signatureFromBytes));
  catches(signatureBytesParse((b) => noble.Signature.fromBytes(b, "compact")));
});

// --- viem as an independent implementation -------------------------------------------------------

type Signer = (hash: Uint8Array, key: Uint8Array) => Signature;

/** How many of the sampled (key, hash) pairs give a result different from viem's. */
async function differencesFromViem(signer: Signer, samples: [Uint8Array, Uint8Array][]) {
  let differences = 0;
  for (const [key, hash] of samples) {
    const privateKey = `0x${toHex(key)}` as const;
    const theirs = await viemSign({ hash: `0x${toHex(hash)}`, privateKey });
    const ours = signer(hash, key);
    const sameSig = BigInt(theirs.r) === ours.r && BigInt(theirs.s) === ours.s &&
      theirs.yParity === ours.recoveryId;
    const recovered = await viemRecover({ hash: `0x${toHex(hash)}`, signature: theirs });
    // Frontier rule: a high-s signature (the broken signer's) still recovers, and differs above.
    const sameSender =
      recovered.toLowerCase() === "0x" + toHex(recoverAddress(hash, ours, false)) &&
      privateKeyToAddress(privateKey).toLowerCase() === "0x" + toHex(addressFromPrivateKey(key));
    if (!sameSig || !sameSender) differences++;
  }
  return differences;
}

test("oracle: signatures and recovered senders equal viem's on random keys and hashes", async () => {
  const { seed } = params();
  const samples = fc.sample(fc.tuple(keys, hashes), { seed, numRuns: 40 });
  assert.equal(await differencesFromViem(sign, samples), 0, `seed ${seed}`);
  // A signer that does not normalise s differs from viem on about half the samples.
  const highS: Signer = (hash, key) => {
    const sig = sign(hash, key);
    return { r: sig.r, s: n - sig.s, recoveryId: 1 - sig.recoveryId };
  };
  assert.ok((await differencesFromViem(highS, samples)) > 0, `seed ${seed}`);
});
