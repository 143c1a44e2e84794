/**
 * Validator data model: the tables of Go's `staking/types/validator_test.go` restated (sanity
 * checks, descriptions, proofs of possession, Harmony keys, creation and edit), plus a proof of
 * possession made by the Go node (`rosetta/services/construction_create_test.go`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromHex } from "../../spec/encoding/bytes.ts";
import { parseBech32Address } from "../../spec/encoding/address.ts";
import type { SpecErrorCode } from "../../spec/errors.ts";
import {
  type Dec,
  DEC_ONE,
  DEC_ZERO,
  decFromInt,
  decFromString,
} from "../../spec/numeric/decimal.ts";
import type { EditValidator } from "../../spec/staking/messages.ts";
import {
  applyEditToValidator,
  checkDescription,
  descriptionFromText,
  Eligibility,
  finaliseValidatorWrapper,
  requireNoHarmonyKeys,
  sanityCheckValidator,
  sanityCheckWrapper,
  totalDelegation,
  updateDescription,
  type Validator,
  validatorFromCreateMessage,
  type ValidatorWrapper,
  verifyBlsKey,
  verifyBlsKeys,
} from "../../spec/staking/validator.ts";
import { blsPair, bytesToAddress, expectCode, ones } from "./fixtures.ts";

const validatorAddr = parseBech32Address("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy");
/** Go's over-long test strings: "thisisavery", 32 × "long", then a suffix. */
const long = (suffix: string) => "thisisavery" + "long".repeat(32) + suffix;
const LONG_NAME = long("name");
const text = (
  name: string,
  identity: string,
  website: string,
  securityContact: string,
  details: string,
) => descriptionFromText({ name, identity, website, securityContact, details });
const EMPTY = text("", "", "", "", "");
const validDescription = text(
  "Jacky Wang",
  "jacky@harmony.one",
  "harmony.one/jacky",
  "jacky@harmony.one",
  "Details of jacky",
);
const invalidDescription = { ...validDescription, name: text(LONG_NAME, "", "", "", "").name };
const zeroRates = { rate: DEC_ZERO, maxRate: DEC_ZERO, maxChangeRate: DEC_ZERO };

/** Go's `makeValidValidator`. */
function makeValidValidator(): Validator {
  return {
    address: validatorAddr,
    slotPubKeys: [blsPair(0).pub],
    lastEpochInCommittee: 20n,
    minSelfDelegation: ones(10_000n),
    maxTotalDelegation: ones(12_000n),
    status: Eligibility.Active,
    commission: { rates: zeroRates, updateHeight: 300n },
    description: text("Wayne", "wen", "harmony.one.wen", "", "best"),
    creationHeight: 12306n,
  };
}

/** Go's `makeValidValidatorWrapper`: self 10,000 ONE and 2,000 ONE from address 1. */
function makeValidWrapper(): ValidatorWrapper {
  const v = makeValidValidator();
  const one = bytesToAddress(Uint8Array.of(1));
  return {
    validator: v,
    delegations: [
      { delegatorAddress: v.address, amount: ones(10_000n), reward: 0n, undelegations: [] },
      { delegatorAddress: one, amount: ones(2_000n), reward: 0n, undelegations: [] },
    ],
    counters: { numBlocksToSign: 0n, numBlocksSigned: 0n },
    blockReward: 0n,
  };
}

const withRates = (
  v: Validator,
  r: Partial<Record<"rate" | "maxRate" | "maxChangeRate", Dec>>,
) => ({
  ...v,
  commission: { ...v.commission, rates: { ...v.commission.rates, ...r } },
});

test("Validator.SanityCheck table (validator_test.go)", () => {
  const half = decFromString("0.5");
  const cases: [string, (v: Validator) => Validator, SpecErrorCode | null][] = [
    ["valid", (v) => v, null],
    ["long name", (v) => ({ ...v, description: invalidDescription }), "staking/name-too-long"],
    ["no keys", (v) => ({ ...v, slotPubKeys: [] }), "staking/no-slot-keys"],
    [
      "min self 9k",
      (v) => ({ ...v, minSelfDelegation: ones(9_000n) }),
      "staking/min-self-delegation-too-small",
    ],
    [
      "max total 9k",
      (v) => ({ ...v, maxTotalDelegation: ones(9_000n) }),
      "staking/max-total-delegation-too-small",
    ],
    [
      "rate -1",
      (v) => withRates(v, { rate: decFromInt(-1n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "rate 2",
      (v) => withRates(v, { rate: decFromInt(2n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "max rate -1",
      (v) => withRates(v, { maxRate: decFromInt(-1n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "max rate 2",
      (v) => withRates(v, { maxRate: decFromInt(2n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "change -1",
      (v) => withRates(v, { maxChangeRate: decFromInt(-1n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "change 2",
      (v) => withRates(v, { maxChangeRate: decFromInt(2n) }),
      "staking/commission-rate-out-of-range",
    ],
    [
      "rate 1 > max .5",
      (v) => withRates(v, { rate: DEC_ONE, maxRate: half }),
      "staking/rate-above-max-rate",
    ],
    [
      "change 1 > max .5",
      (v) => withRates(v, { maxChangeRate: DEC_ONE, maxRate: half }),
      "staking/max-change-rate-above-max-rate",
    ],
    [
      "duplicate keys",
      (v) => ({ ...v, slotPubKeys: [blsPair(0).pub, blsPair(0).pub] }),
      "staking/duplicate-slot-keys",
    ],
    // The key limit is MaxBLSPerValidator = 106 (validator.go); the Go table has no case for it.
    [
      "107 keys",
      (v) => ({ ...v, slotPubKeys: Array.from({ length: 107 }, (_, i) => Uint8Array.of(i)) }),
      "staking/too-many-slot-keys",
    ],
  ];
  for (const [label, edit, code] of cases) {
    expectCode(() => sanityCheckValidator(edit(makeValidValidator())), code, label);
  }
});

test("TotalDelegation is 12,000 ONE for the valid wrapper (validator_test.go)", () => {
  assert.equal(totalDelegation(makeValidWrapper()), ones(12_000n));
});

test("ValidatorWrapper.SanityCheck table (validator_test.go)", () => {
  const set = (w: ValidatorWrapper, i: number, amount: bigint) => {
    w.delegations[i] = { ...w.delegations[i], amount };
    return w;
  };
  const status = (w: ValidatorWrapper, s: number) => ({
    ...w,
    validator: { ...w.validator, status: s },
  });
  const cases: [string, (w: ValidatorWrapper) => ValidatorWrapper, SpecErrorCode | null][] = [
    ["valid", (w) => w, null],
    [
      "long name",
      (w) => ({ ...w, validator: { ...w.validator, description: invalidDescription } }),
      "staking/name-too-long",
    ],
    ["no delegations", (w) => ({ ...w, delegations: [] }), "staking/self-delegation-too-small"],
    ["self 9k", (w) => set(w, 0, ones(9_000n)), "staking/self-delegation-too-small"],
    ["total 30k", (w) => set(w, 1, ones(20_000n)), "staking/total-delegation-too-large"],
    ["banned self 9k", (w) => status(set(w, 0, ones(9_000n)), Eligibility.Banned), null],
    [
      "banned total 30k",
      (w) => status(set(w, 1, ones(20_000n)), Eligibility.Banned),
      "staking/total-delegation-too-large",
    ],
    // From the Go code: only an Active validator is held to its minimum.
    ["inactive self 9k", (w) => status(set(w, 0, ones(9_000n)), Eligibility.Inactive), null],
  ];
  for (const [label, edit, code] of cases) {
    expectCode(() => sanityCheckWrapper(edit(makeValidWrapper())), code, label);
  }
});

test("finaliseValidatorWrapper keeps the stored wrapper when the update fails its sanity check", () => {
  const stored = makeValidWrapper();
  const good = { ...stored, blockReward: 5n };
  const bad = { ...stored, validator: { ...stored.validator, slotPubKeys: [] } };
  assert.equal(finaliseValidatorWrapper(stored, good), good);
  assert.equal(finaliseValidatorWrapper(stored, bad), stored);
});

test("UpdateDescription table (validator_test.go)", () => {
  const raw = text("Wayne", "wen", "harmony.one.wen", "wenSecurity", "wenDetails");
  const full = text("Jacky", "jw", "harmony.one/jacky", "jacky@harmony.one", "Details of Jacky");
  assert.deepEqual(updateDescription(raw, full), full);
  assert.deepEqual(updateDescription(raw, EMPTY), raw);
  assert.deepEqual(
    updateDescription(raw, { ...EMPTY, details: text("new details", "", "", "", "").name }),
    { ...raw, details: text("new details", "", "", "", "").name },
  );
  const longSite = text("", "", long("website"), "", "");
  expectCode(() => updateDescription(raw, longSite), "staking/website-too-long");
});

test("EnsureLength table (validator_test.go)", () => {
  expectCode(() => checkDescription(validDescription), null);
  expectCode(() => checkDescription(EMPTY), null);
  const d = validDescription;
  const bytes = (s: string) => text(s, "", "", "", "").name;
  expectCode(() => checkDescription({ ...d, name: bytes(long("name")) }), "staking/name-too-long");
  expectCode(
    () => checkDescription({ ...d, identity: bytes(long("identity")) }),
    "staking/identity-too-long",
  );
  expectCode(
    () => checkDescription({ ...d, website: bytes(long("website")) }),
    "staking/website-too-long",
  );
  expectCode(
    () => checkDescription({ ...d, securityContact: bytes(long("contact")) }),
    "staking/security-contact-too-long",
  );
  const longDetails = "thisisavery" + "long".repeat(66) + "detail";
  expectCode(
    () => checkDescription({ ...d, details: bytes(longDetails) }),
    "staking/details-too-long",
  );
  // Limits are in bytes (Go len): 140 bytes pass, 141 fail; a 2-byte character counts twice.
  expectCode(() => checkDescription({ ...EMPTY, name: bytes("a".repeat(140)) }), null);
  expectCode(
    () => checkDescription({ ...EMPTY, name: bytes("a".repeat(141)) }),
    "staking/name-too-long",
  );
  expectCode(
    () => checkDescription({ ...EMPTY, name: bytes("é".repeat(71)) }),
    "staking/name-too-long",
  );
  expectCode(() => checkDescription({ ...EMPTY, details: bytes("a".repeat(280)) }), null);
});

test("VerifyBLSKeys table (validator_test.go)", () => {
  const pubs = (ix: number[]) => ix.map((i) => blsPair(i).pub);
  const sigs = (ix: number[]) => ix.map((i) => blsPair(i).sig);
  const mismatch = "staking/bls-key-signature-mismatch";
  const cases: [number[], number[], SpecErrorCode | null][] = [
    [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4], null],
    [[], [], null],
    [[0], [], mismatch],
    [[], [1], mismatch],
    [[0, 1, 2, 3], [0, 0, 2, 3], mismatch],
    [[3, 2, 1, 0], [0, 1, 2, 3], mismatch],
  ];
  for (const [p, s, code] of cases) {
    expectCode(() => verifyBlsKeys(pubs(p), sigs(s)), code, `${p}/${s}`);
  }
});

test("a proof of possession made by the Go node verifies; a tampered one does not", () => {
  // rosetta/services/construction_create_test.go, stakingCreateValidatorTransaction.
  const pub = fromHex(
    "30b2c38b1316da91e068ac3bd8751c0901ef6c02a1d58bc712104918302c6ed03d5894671d0c816dad2b4d303320f202",
  );
  const sig = fromHex(
    "68f800b6adf657b674903e04708060912b893b7c7b500788808247550ab3e186e56a44ebf3ca488f8ed1a42f6cef3a04" +
      "bd5d2b2b7eb5a767848d3135b362e668ce6bba42c7b9d5666d8e3a83be707b5708e722c58939fe9b07c170f3b7062414",
  );
  verifyBlsKey(pub, sig);
  expectCode(() => verifyBlsKey(blsPair(0).pub, sig), "staking/bls-key-signature-mismatch");
});

test("verifyBlsKey distinguishes a malformed key, a malformed signature and a missing one", () => {
  const badKey = new Uint8Array(48).fill(0xff); // x ≥ p
  const badSig = new Uint8Array(96).fill(0xff);
  expectCode(() => verifyBlsKey(badKey, blsPair(0).sig), "staking/bls-key-signature-mismatch");
  expectCode(() => verifyBlsKey(blsPair(0).pub, badSig), "staking/bls-signature-malformed");
  expectCode(() => verifyBlsKey(blsPair(0).pub, null), "staking/bls-signature-missing");
  // The key is decoded before the signature is looked at, as in Go.
  expectCode(() => verifyBlsKey(badKey, null), "staking/bls-key-signature-mismatch");
});

test("containsHarmonyBLSKeys table (validator_test.go)", () => {
  const pubs = (ix: number[]) => ix.map((i) => blsPair(i).pub);
  const cases: [number[], number[], SpecErrorCode | null][] = [
    [[0], [], null],
    [[], [0], null],
    [[0, 1, 2, 3, 4, 5, 6, 7, 8], [9], null],
    [[0], [1, 2, 3, 4, 5, 6, 7, 8, 9], null],
    [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], null],
    [[0], [0], "staking/slot-key-is-harmony-key"],
    [[0, 1, 2, 3, 4, 5], [5, 6, 7, 8, 9], "staking/slot-key-is-harmony-key"],
  ];
  for (const [k, h, code] of cases) expectCode(() => requireNoHarmonyKeys(pubs(k), pubs(h)), code);
});

const HMY_KEY = blsPair(99).pub;

test("CreateValidatorFromNewMsg table (validator_test.go)", () => {
  const make = () => ({
    validatorAddress: validatorAddr,
    description: validDescription,
    commissionRates: zeroRates,
    minSelfDelegation: ones(10_000n),
    maxTotalDelegation: ones(12_000n),
    slotPubKeys: [blsPair(0).pub, blsPair(1).pub],
    slotKeySigs: [blsPair(0).sig, blsPair(1).sig],
    amount: ones(12_000n),
  });
  const v = validatorFromCreateMessage(make(), 1n, [HMY_KEY]);
  assert.deepEqual(v, {
    address: validatorAddr,
    slotPubKeys: [blsPair(0).pub, blsPair(1).pub],
    lastEpochInCommittee: 0n,
    minSelfDelegation: ones(10_000n),
    maxTotalDelegation: ones(12_000n),
    status: Eligibility.Active,
    commission: { rates: zeroRates, updateHeight: 1n },
    description: validDescription,
    creationHeight: 1n,
  });
  const bad = (edit: (m: ReturnType<typeof make>) => void) => {
    const m = make();
    edit(m);
    return () => validatorFromCreateMessage(m, 1n, [HMY_KEY]);
  };
  expectCode(bad((m) => (m.description = invalidDescription)), "staking/name-too-long");
  expectCode(bad((m) => (m.slotPubKeys[0] = HMY_KEY)), "staking/slot-key-is-harmony-key");
  expectCode(bad((m) => (m.slotKeySigs[0] = blsPair(2).sig)), "staking/bls-key-signature-mismatch");
});

/** An EditValidator that changes nothing. */
function noEdit(address = validatorAddr): EditValidator {
  return {
    validatorAddress: address,
    description: EMPTY,
    commissionRate: null,
    minSelfDelegation: null,
    maxTotalDelegation: null,
    slotKeyToRemove: null,
    slotKeyToAdd: null,
    slotKeyToAddSig: null,
    eposStatus: Eligibility.Nil,
  };
}

test("UpdateValidatorFromEditMsg table (validator_test.go)", () => {
  const half = decFromString("0.5");
  const ok: [string, Partial<EditValidator>, (v: Validator) => Validator][] = [
    ["nothing", {}, (v) => v],
    [
      "name",
      { description: { ...EMPTY, name: text("jacky@harmony.one", "", "", "", "").name } },
      (v) => ({
        ...v,
        description: { ...v.description, name: text("jacky@harmony.one", "", "", "", "").name },
      }),
    ],
    ["rate", { commissionRate: half }, (v) => withRates(v, { rate: half })],
    [
      "min self",
      { minSelfDelegation: ones(11_000n) },
      (v) => ({ ...v, minSelfDelegation: ones(11_000n) }),
    ],
    ["min self 0", { minSelfDelegation: 0n }, (v) => v],
    [
      "max total",
      { maxTotalDelegation: ones(11_000n) },
      (v) => ({ ...v, maxTotalDelegation: ones(11_000n) }),
    ],
    ["max total 0", { maxTotalDelegation: 0n }, (v) => v],
    ["remove key", { slotKeyToRemove: blsPair(0).pub }, (v) => ({ ...v, slotPubKeys: [] })],
    [
      "add key",
      { slotKeyToAdd: blsPair(4).pub, slotKeyToAddSig: blsPair(4).sig },
      (v) => ({ ...v, slotPubKeys: [...v.slotPubKeys, blsPair(4).pub] }),
    ],
    ["signature without key", { slotKeyToAddSig: blsPair(4).sig }, (v) => v],
    [
      "inactive",
      { eposStatus: Eligibility.Inactive },
      (v) => ({ ...v, status: Eligibility.Inactive }),
    ],
    ["banned is ignored", { eposStatus: Eligibility.Banned }, (v) => v],
  ];
  for (const [label, edit, expect] of ok) {
    const got = applyEditToValidator(makeValidValidator(), { ...noEdit(), ...edit }, [HMY_KEY]);
    assert.deepEqual(got, expect(makeValidValidator()), label);
  }
  const bad: [string, Partial<EditValidator>, SpecErrorCode][] = [
    [
      "other address",
      { validatorAddress: bytesToAddress(Uint8Array.of(1)) },
      "staking/validator-address-mismatch",
    ],
    ["long name", { description: invalidDescription }, "staking/name-too-long"],
    [
      "remove unknown key",
      { slotKeyToRemove: blsPair(4).pub },
      "staking/slot-key-to-remove-not-found",
    ],
    ["add Harmony key", { slotKeyToAdd: HMY_KEY }, "staking/slot-key-is-harmony-key"],
    [
      "add with wrong signature",
      { slotKeyToAdd: blsPair(4).pub, slotKeyToAddSig: blsPair(3).sig },
      "staking/bls-key-signature-mismatch",
    ],
    [
      "add existing key",
      { slotKeyToAdd: blsPair(0).pub, slotKeyToAddSig: blsPair(0).sig },
      "staking/slot-key-to-add-exists",
    ],
  ];
  for (const [label, edit, code] of bad) {
    expectCode(
      () => applyEditToValidator(makeValidValidator(), { ...noEdit(), ...edit }, [HMY_KEY]),
      code,
      label,
    );
  }
  // From the Go code: a Banned validator cannot be edited, whatever the edit.
  const banned = { ...makeValidValidator(), status: Eligibility.Banned };
  expectCode(() => applyEditToValidator(banned, noEdit(), []), "staking/validator-banned");
});
