/**
 * fast-check generators for staking records: descriptions, rates, messages, transactions and
 * validator wrappers. Byte keys and signatures are random bytes of the right length (their
 * cryptographic validity does not matter to encoding).
 *
 * @module
 */
import fc from "fast-check";
import { decFromMantissa } from "../../spec/numeric/decimal.ts";
import type { Delegation } from "../../spec/staking/delegation.ts";
import { Directive, type StakeMessage } from "../../spec/staking/messages.ts";
import type { StakingTransaction } from "../../spec/staking/transactions.ts";
import type { Description, ValidatorWrapper } from "../../spec/staking/validator.ts";

/** `fc.record` with ordinary prototypes, so records compare equal to decoded ones. */
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;

/** An unsigned amount of any size, often small or zero. */
export const amount = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 1n << 90n }),
  fc.bigInt({ min: 0n, max: 300n }),
);

/** A `uint64`. */
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** A 20-byte address. */
export const address = fc.uint8Array({ minLength: 20, maxLength: 20 });

/** A 48-byte BLS key. */
export const blsKey = fc.uint8Array({ minLength: 48, maxLength: 48 });

/** A 96-byte BLS signature. */
export const blsSig = fc.uint8Array({ minLength: 96, maxLength: 96 });

/** A non-negative Dec. */
export const dec = fc.bigInt({ min: 0n, max: 2n * 10n ** 18n }).map(decFromMantissa);

/** A description with short random byte fields. */
export const description: fc.Arbitrary<Description> = record({
  name: fc.uint8Array({ maxLength: 60 }),
  identity: fc.uint8Array({ maxLength: 20 }),
  website: fc.uint8Array({ maxLength: 20 }),
  securityContact: fc.uint8Array({ maxLength: 20 }),
  details: fc.uint8Array({ maxLength: 60 }),
});

const rates = record({ rate: dec, maxRate: dec, maxChangeRate: dec });

/** Any of the five messages. Optional EditValidator amounts are null or positive (0 reads back as null). */
export const stakeMessage: fc.Arbitrary<StakeMessage> = fc.oneof(
  record({
    validatorAddress: address,
    description,
    commissionRates: rates,
    minSelfDelegation: amount,
    maxTotalDelegation: amount,
    slotPubKeys: fc.array(blsKey, { maxLength: 3 }),
    slotKeySigs: fc.array(blsSig, { maxLength: 3 }),
    amount,
  }).map((body) => ({ directive: Directive.CreateValidator, body })),
  record({
    validatorAddress: address,
    description,
    commissionRate: fc.option(dec),
    minSelfDelegation: fc.option(amount.map((a) => a + 1n)),
    maxTotalDelegation: fc.option(amount.map((a) => a + 1n)),
    slotKeyToRemove: fc.option(blsKey),
    slotKeyToAdd: fc.option(blsKey),
    slotKeyToAddSig: fc.option(blsSig),
    eposStatus: fc.integer({ min: 0, max: 255 }),
  }).map((body) => ({ directive: Directive.EditValidator, body })),
  record({ delegatorAddress: address, validatorAddress: address, amount }).map((body) => ({
    directive: Directive.Delegate,
    body,
  })),
  record({ delegatorAddress: address, validatorAddress: address, amount }).map((body) => ({
    directive: Directive.Undelegate,
    body,
  })),
  record({ delegatorAddress: address }).map((body) => ({
    directive: Directive.CollectRewards,
    body,
  })),
);

/** An envelope with a random message item. */
export const stakingTransaction = (
  message: fc.Arbitrary<Uint8Array>,
): fc.Arbitrary<StakingTransaction> =>
  record({
    directive: fc.integer({ min: 0, max: 255 }),
    message,
    nonce: u64,
    gasPrice: amount,
    gasLimit: u64,
    v: amount,
    r: amount,
    s: amount,
  });

const delegation: fc.Arbitrary<Delegation> = record({
  delegatorAddress: address,
  amount,
  reward: amount,
  undelegations: fc.array(record({ amount, epoch: amount }), { maxLength: 3 }),
});

/** A validator wrapper with random fields (not necessarily sane). */
export const wrapper: fc.Arbitrary<ValidatorWrapper> = record({
  validator: record({
    address,
    slotPubKeys: fc.array(blsKey, { maxLength: 3 }),
    lastEpochInCommittee: amount,
    minSelfDelegation: amount,
    maxTotalDelegation: amount,
    status: fc.integer({ min: 0, max: 255 }),
    commission: record({ rates, updateHeight: amount }),
    description,
    creationHeight: amount,
  }),
  delegations: fc.array(delegation, { maxLength: 3 }),
  counters: record({ numBlocksToSign: amount, numBlocksSigned: amount }),
  blockReward: amount,
});
