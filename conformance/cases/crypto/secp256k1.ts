/**
 * Conformance cases for secp256k1: `secp256k1_recover`, `secp256k1_sign` and
 * `secp256k1_decode_v`.
 *
 * Expectations come from EIP-155's worked example, go-ethereum's crypto tests (`crypto_test.go`,
 * `signature_test.go`), the algebra of the curve (a non-residue x-coordinate, a recovery that
 * lands on the point at infinity), and viem as an independent implementation.
 *
 * @module
 */
import { recoverAddress as viemRecover } from "viem";
import { privateKeyToAccount, publicKeyToAddress, sign as viemSign } from "viem/accounts";
import {
  addressFromPrivateKey,
  addressFromPublicKey,
  decodeV,
  recoverPublicKey,
  SECP256K1_HALF_N,
  SECP256K1_N,
  sign,
} from "../../../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes, bytesToBigint, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { keccak256 } from "../../../spec/encoding/hash.ts";
import type { SpecErrorCode } from "../../../spec/errors.ts";
import type { DecodedFields } from "../../harness.ts";
import { type Case, type Handler, type Suite, suite } from "../../harness.ts";

const n = SECP256K1_N;
const u = (x: bigint) => bigintToFixedBytes(x, 32);
const big = (value: unknown) => bytesToBigint(value as Uint8Array);

const recoverHandler: Handler = {
  runner: "crypto",
  handler: "secp256k1_recover",
  preset: "general",
  config: {},
  covers: ["recoverPublicKey", "recoverAddress", "validateSignatureValues", "addressFromPublicKey"],
  run: (inputs) => {
    const sig = { r: big(inputs.r), s: big(inputs.s), recoveryId: inputs.recovery_id as number };
    const publicKey = recoverPublicKey(inputs.hash as Uint8Array, sig, inputs.homestead as boolean);
    return { public_key: publicKey, address: addressFromPublicKey(publicKey) };
  },
};

const signHandler: Handler = {
  runner: "crypto",
  handler: "secp256k1_sign",
  preset: "general",
  config: {},
  covers: ["sign", "validatePrivateKey", "addressFromPrivateKey"],
  run: (inputs) => {
    const key = inputs.private_key as Uint8Array;
    const { r, s, recoveryId } = sign(inputs.hash as Uint8Array, key);
    return { r, s, recovery_id: recoveryId, address: addressFromPrivateKey(key) };
  },
};

const decodeVHandler: Handler = {
  runner: "crypto",
  handler: "secp256k1_decode_v",
  preset: "general",
  config: {},
  covers: ["decodeV"],
  run: (inputs) => {
    const { recoveryId, chainId } = decodeV(big(inputs.v));
    return { recovery_id: recoveryId, chain_id: chainId };
  },
};

// --- known values --------------------------------------------------------------------------------

const EIP155_KEY = fromHex("46".repeat(32));
const EIP155_HASH = fromHex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
const EIP155_R = 18515461264373351373200002665853028612451056578545711640558177340181847433846n;
const EIP155_S = 46948507304638947509940763649030358759909902576025900602547168820602576006531n;
const EIP155_SENDER = fromHex("9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");

const GETH_KEY = fromHex("289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032");
const GETH_ADDRESS = fromHex("970e8128ab834e8eac17ab8e3812f010678cf791");
const GETH_MSG = fromHex("ce0677bb30baa8cf067c88db9811f4333d131bf8bcf12fe7065d211dce971008");
const GETH_SIG = fromHex(
  "90f27b8b488db00b00606796d2987f6a5f59ae62ea05effe84fef5b8b0e549984a691139ad57a3f0b906637673" +
    "aa2f63d1f55cb1a69199d4009eea23ceaddc9301",
);
const GETH_PUBKEY = fromHex(
  "04e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a0a2b2667f7e725ceea70c6730" +
    "93bf67663e0312623c8e091b13cf2c0f11ef652",
);

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

/** The smallest x ≥ 1 whose x³ + 7 is not a square modulo p: no curve point has it. */
function smallestNonX(): bigint {
  const p = 2n ** 256n - 2n ** 32n - 977n;
  let x = 1n;
  while (modPow(x ** 3n + 7n, (p - 1n) / 2n, p) === 1n) x++;
  return x;
}

/** The x-coordinate of the generator G, whose y is even. */
const GX = 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n;

const hex = (b: Uint8Array) => `0x${toHex(b)}` as const;

function expectAddress(address: Uint8Array): (out: DecodedFields) => void {
  return (out) => {
    if (!(out.address instanceof Uint8Array) || toHex(out.address) !== toHex(address)) {
      throw new Error(`address ${out.address} != ${toHex(address)}`);
    }
  };
}

// --- secp256k1_recover ---------------------------------------------------------------------------

const eip155PublicKey = fromHex(privateKeyToAccount(hex(EIP155_KEY)).publicKey.slice(2));

const recoverCases: Case[] = [
  {
    name: "eip155_example",
    description: "EIP-155's example signature recovers its sender 0x9d8a…5a4f.",
    inputs: { hash: EIP155_HASH, r: EIP155_R, s: EIP155_S, recovery_id: 0, homestead: true },
    expect: { public_key: eip155PublicKey, address: EIP155_SENDER },
  },
  {
    name: "geth_test_signature",
    description: "go-ethereum signature_test.go: testsig over testmsg recovers testpubkey.",
    inputs: {
      hash: GETH_MSG,
      r: bytesToBigint(GETH_SIG.subarray(0, 32)),
      s: bytesToBigint(GETH_SIG.subarray(32, 64)),
      recovery_id: GETH_SIG[64],
      homestead: true,
    },
    expect: {
      public_key: GETH_PUBKEY,
      address: fromHex(publicKeyToAddress(hex(GETH_PUBKEY)).slice(2).toLowerCase()),
    },
  },
  {
    name: "frontier_high_s",
    description: "The high-s twin (n − s, other recovery id) of EIP-155's signature recovers the " +
      "same sender when the low-s rule is off (Frontier signer).",
    inputs: {
      hash: EIP155_HASH,
      r: EIP155_R,
      s: n - EIP155_S,
      recovery_id: 1,
      homestead: false,
    },
    expect: { public_key: eip155PublicKey, address: EIP155_SENDER },
  },
  {
    name: "homestead_high_s",
    description: "The same high-s twin is refused under the homestead rule (EIP-2).",
    inputs: {
      hash: EIP155_HASH,
      r: EIP155_R,
      s: n - EIP155_S,
      recovery_id: 1,
      homestead: true,
    },
    expect: { error: "secp256k1/high-s" },
  },
  {
    name: "homestead_s_just_above_half",
    description: "s = ⌊n/2⌋ + 1 is the smallest high s.",
    inputs: {
      hash: EIP155_HASH,
      r: EIP155_R,
      s: SECP256K1_HALF_N + 1n,
      recovery_id: 0,
      homestead: true,
    },
    expect: { error: "secp256k1/high-s" },
  },
  {
    name: "no_point_with_x_r",
    description: "r is the smallest x with x³ + 7 a non-residue mod p: no point to recover.",
    inputs: { hash: EIP155_HASH, r: smallestNonX(), s: 1n, recovery_id: 0, homestead: true },
    expect: { error: "secp256k1/recovery-failed" },
  },
  {
    name: "recovers_point_at_infinity",
    description: "r = x(G), even y, s = 1, hash = 1: the recovered key r⁻¹(s·G − h·G) is the " +
      "point at infinity.",
    inputs: { hash: u(1n), r: GX, s: 1n, recovery_id: 0, homestead: true },
    expect: { error: "secp256k1/recovery-failed" },
  },
  {
    name: "hash_too_short",
    description: "A signing hash is 32 bytes.",
    inputs: { hash: new Uint8Array(31), r: EIP155_R, s: EIP155_S, recovery_id: 0, homestead: true },
    expect: { error: "secp256k1/invalid-hash-length" },
  },
];

/**
 * go-ethereum TestValidateSignatureValues (Frontier rule): recovery id, r, s, with the spec's
 * code, checked in the order recovery id, r, s.
 */
const VALIDATION: [string, number, bigint, bigint, SpecErrorCode][] = [
  ["recovery_id_2", 2, 1n, 1n, "secp256k1/invalid-recovery-id"],
  ["recovery_id_3", 3, 1n, 1n, "secp256k1/invalid-recovery-id"],
  ["recovery_id_2_r_s_zero", 2, 0n, 0n, "secp256k1/invalid-recovery-id"],
  ["r_s_zero", 0, 0n, 0n, "secp256k1/r-out-of-range"],
  ["r_zero", 0, 0n, 1n, "secp256k1/r-out-of-range"],
  ["s_zero", 0, 1n, 0n, "secp256k1/s-out-of-range"],
  ["r_zero_id_1", 1, 0n, 1n, "secp256k1/r-out-of-range"],
  ["s_zero_id_1", 1, 1n, 0n, "secp256k1/s-out-of-range"],
  ["r_is_n", 0, n, n - 1n, "secp256k1/r-out-of-range"],
  ["s_is_n", 0, n - 1n, n, "secp256k1/s-out-of-range"],
  ["r_s_are_n", 0, n, n, "secp256k1/r-out-of-range"],
];

for (const [name, id, r, s, code] of VALIDATION) {
  recoverCases.push({
    name: `validate_${name}`,
    description: `go-ethereum TestValidateSignatureValues: id ${id}, r ${r}, s ${s} is invalid.`,
    inputs: { hash: EIP155_HASH, r, s, recovery_id: id, homestead: false },
    expect: { error: code },
  });
}

// --- secp256k1_sign ------------------------------------------------------------------------------

/** Keys and hashes signed by viem, as an independent implementation, when the module loads. */
const ORACLE_INPUTS: [string, Uint8Array, Uint8Array][] = [
  ["geth_key_foo", GETH_KEY, keccak256(new TextEncoder().encode("foo"))],
  ["key_one_zero_hash", u(1n), new Uint8Array(32)],
  ["key_n_minus_one", u(n - 1n), fromHex("ff".repeat(32))],
  ["key_eip155_harmony_one", EIP155_KEY, keccak256(new TextEncoder().encode("harmony-one"))],
  ["hash_above_n", GETH_KEY, u(n + 5n)],
];

const oracle = await Promise.all(
  ORACLE_INPUTS.map(async ([, key, hash]) => {
    const sig = await viemSign({ hash: hex(hash), privateKey: hex(key) });
    const address = await viemRecover({ hash: hex(hash), signature: sig });
    return { r: BigInt(sig.r), s: BigInt(sig.s), recoveryId: sig.yParity ?? -1, address };
  }),
);

const signCases: Case[] = [
  {
    name: "eip155_example",
    description: "EIP-155's example: the key 0x4646…46 signs the example's hash as r, s, id 0.",
    inputs: { hash: EIP155_HASH, private_key: EIP155_KEY },
    expect: { r: EIP155_R, s: EIP155_S, recovery_id: 0, address: EIP155_SENDER },
  },
  ...ORACLE_INPUTS.map(([name, key, hash], i): Case => ({
    name,
    description: "A deterministic (RFC 6979), low-s signature equal to viem's.",
    inputs: { hash, private_key: key },
    expect: {
      r: oracle[i].r,
      s: oracle[i].s,
      recovery_id: oracle[i].recoveryId,
      address: fromHex(oracle[i].address.slice(2).toLowerCase()),
    },
  })),
  {
    name: "geth_address",
    description: "go-ethereum crypto_test.go: testPrivHex controls testAddrHex.",
    inputs: { hash: GETH_MSG, private_key: GETH_KEY },
    check: expectAddress(GETH_ADDRESS),
  },
  ...([
    ["key_zero", u(0n)],
    ["key_n", u(n)],
    ["key_above_n", u(2n ** 256n - 1n)],
    ["key_31_bytes", new Uint8Array(31).fill(1)],
  ] as [string, Uint8Array][]).map(([name, key]): Case => ({
    name,
    description: "A private key is 32 bytes encoding an integer in [1, n).",
    inputs: { hash: EIP155_HASH, private_key: key },
    expect: { error: "secp256k1/invalid-private-key" },
  })),
  {
    name: "hash_33_bytes",
    description: "go-ethereum TestInvalidSign: a 33-byte hash is refused.",
    inputs: { hash: new Uint8Array(33), private_key: GETH_KEY },
    expect: { error: "secp256k1/invalid-hash-length" },
  },
];

// --- secp256k1_decode_v --------------------------------------------------------------------------

const V_CASES: [string, bigint, number, bigint | null][] = [
  ["unprotected_27", 27n, 0, null],
  ["unprotected_28", 28n, 1, null],
  ["eip155_example_37", 37n, 0, 1n],
  ["chain_1_id_1", 38n, 1, 1n],
  ["chain_0", 35n, 0, 0n],
  ["harmony_eth_chain_id_0", 3333200035n, 0, 1666600000n],
  ["harmony_eth_chain_id_1", 3333200036n, 1, 1666600000n],
];

const decodeVCases: Case[] = [
  ...V_CASES.map(([name, v, recoveryId, chainId]): Case => ({
    name,
    description: chainId === null
      ? `v = ${v}: unprotected, recovery id ${recoveryId}.`
      : `v = ${v} = 35 + 2·${chainId} + ${recoveryId} (EIP-155).`,
    inputs: { v },
    expect: { recovery_id: recoveryId, chain_id: chainId },
  })),
  ...[0n, 1n, 26n, 29n, 34n].map((v): Case => ({
    name: `invalid_${v}`,
    description: `v = ${v} is neither 27, 28 nor at least 35.`,
    inputs: { v },
    expect: { error: "secp256k1/invalid-v" },
  })),
];

/** The secp256k1 suites. */
export const SECP256K1_SUITES: Suite[] = [
  suite(recoverHandler, recoverCases),
  suite(signHandler, signCases),
  suite(decodeVHandler, decodeVCases),
];
