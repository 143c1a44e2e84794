/**
 * Fixtures shared by the staking tests and conformance cases: deterministic BLS key pairs with
 * their proofs of possession, the addresses of Harmony's Go tests, the prototype validator of
 * `staking/types/test/prototype.go`, and configurations with chosen feature epochs.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isSpecError, type SpecErrorCode } from "../../spec/errors.ts";
import { blsPublicKey, blsSignHash } from "../../spec/crypto/bls.ts";
import { bigintToFixedBytesLE, utf8ToBytes } from "../../spec/encoding/bytes.ts";
import { decFromString } from "../../spec/numeric/decimal.ts";
import {
  FEATURE_NAMES,
  type FeatureName,
  MAINNET,
  type NetworkConfig,
} from "../../spec/params/mod.ts";
import {
  BLS_VERIFICATION_MESSAGE,
  descriptionFromText,
  Eligibility,
  ONE,
  type ValidatorWrapper,
} from "../../spec/staking/validator.ts";

/** A BLS key with its proof of possession. */
export interface BlsPair {
  /** The 48-byte public key. */
  pub: Uint8Array;
  /** The 96-byte signature of `keccak256("harmony-one")`. */
  sig: Uint8Array;
}

const pairCache = new Map<number, BlsPair>();

/** The i-th deterministic BLS key pair (secret key `1000 + i`); signatures are made lazily. */
export function blsPair(i: number): BlsPair {
  let pair = pairCache.get(i);
  if (pair === undefined) {
    const sk = bigintToFixedBytesLE(BigInt(1000 + i), 32);
    let sig: Uint8Array | undefined;
    const pub = blsPublicKey(sk);
    pair = {
      pub,
      get sig() {
        sig ??= blsSignHash(sk, BLS_VERIFICATION_MESSAGE);
        return sig;
      },
    };
    pairCache.set(i, pair);
  }
  return pair;
}

/** Go's `common.BytesToAddress`: the last 20 bytes, left-padded with zeros when shorter. */
export function bytesToAddress(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(20);
  const tail = bytes.slice(Math.max(0, bytes.length - 20));
  out.set(tail, 20 - tail.length);
  return out;
}

/** The test address of `core/staking_verifier_test.go`: `BytesToAddress("harmony-one-" + item)`. */
export function makeTestAddr(item: string | number): Uint8Array {
  return bytesToAddress(utf8ToBytes(`harmony-one-${item}`));
}

/** An amount of ONE in atto. */
export function ones(n: bigint): bigint {
  return n * ONE;
}

/** The description of the Go test prototype. */
export const PROTOTYPE_DESCRIPTION = descriptionFromText({
  name: "SuperHero",
  identity: "YouWouldNotKnow",
  website: "Secret Website",
  securityContact: "LicenseToKill",
  details: "blah blah blah",
});

/**
 * The prototype wrapper of Go's `staketest.GetDefaultValidatorWrapperWithAddr`: rates 0.4 / 0.9 /
 * 0.4, minimum self-delegation 10,000 ONE, maximum total 100,000 ONE, Active, self-delegation
 * 20,000 ONE, everything else zero.
 */
export function prototypeWrapper(address: Uint8Array, keys: Uint8Array[]): ValidatorWrapper {
  return {
    validator: {
      address,
      slotPubKeys: keys,
      lastEpochInCommittee: 0n,
      minSelfDelegation: ones(10_000n),
      maxTotalDelegation: ones(100_000n),
      status: Eligibility.Active,
      commission: {
        rates: {
          rate: decFromString("0.4"),
          maxRate: decFromString("0.9"),
          maxChangeRate: decFromString("0.4"),
        },
        updateHeight: 0n,
      },
      description: PROTOTYPE_DESCRIPTION,
      creationHeight: 0n,
    },
    delegations: [{
      delegatorAddress: address,
      amount: ones(20_000n),
      reward: 0n,
      undelegations: [],
    }],
    counters: { numBlocksToSign: 0n, numBlocksSigned: 0n },
    blockReward: 0n,
  };
}

/**
 * A configuration where every feature is off except the ones given, like the bare
 * `params.ChainConfig{}` of the Go tests.
 */
export function configWith(
  features: Partial<Record<FeatureName, bigint>>,
  minCommissionPromoPeriod = 10n,
): NetworkConfig {
  const all = Object.fromEntries(FEATURE_NAMES.map((f) => [f, features[f] ?? null]));
  return { ...MAINNET, features: all as NetworkConfig["features"], minCommissionPromoPeriod };
}

/** Asserts that `f` throws a SpecError with `code`, or succeeds when `code` is null. */
export function expectCode(f: () => unknown, code: SpecErrorCode | null, label = ""): void {
  if (code === null) {
    f();
    return;
  }
  assert.throws(f, (e: unknown) => isSpecError(e, code), `${label}: expected ${code}`);
}
