/**
 * Conformance cases for `staking_tx_encoding` (decoding a signed staking transaction, its sender,
 * hashes and intrinsic gas), `payout_undelegations` (the epoch-end release of undelegations) and
 * `election_commission` (the commission maintenance of the election).
 *
 * Transaction expectations come from other implementations: transactions encoded by the Go node
 * with the signatures Go made and the sender its test asserts
 * (`rosetta/services/construction_create_test.go`), and transactions signed by harmony-js
 * (`@harmony-js/staking` test suite), whose older CreateValidator layout the Go node no longer
 * decodes. Intrinsic gas is counted by hand from the bytes. Payout expectations restate
 * `staking/types/delegation_test.go` and the era rules of `GetLockPeriodInEpoch`; the
 * `election_commission` cases restate `setElectionEpochAndMinFee` era by era and
 * `TestUpdateMaxCommissionFee`.
 *
 * @module
 */
import { bytesToBigint, concatBytes } from "../../../spec/encoding/bytes.ts";
import { keccak256 } from "../../../spec/encoding/hash.ts";
import { LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import type { BalanceCredit, Undelegation } from "../../../spec/staking/delegation.ts";
import { payoutUndelegations } from "../../../spec/staking/delegation.ts";
import { decodeStakeMessage, stakeMessageSigner } from "../../../spec/staking/messages.ts";
import {
  decodeStakingTransaction,
  encodeStakingTransaction,
  stakingChainId,
  stakingIntrinsicGas,
  stakingSigningHash,
  stakingTransactionHash,
  stakingTransactionSender,
} from "../../../spec/staking/transactions.ts";
import type { ValidatorWrapper } from "../../../spec/staking/validator.ts";
import { maintainCommissionAtElection } from "../../../spec/staking/commission.ts";
import { decodeValidatorWrapper } from "../../../spec/staking/wrapper-rlp.ts";
import { decFromString as d } from "../../../spec/numeric/decimal.ts";
import { GO_ROSETTA, HARMONY_JS, SENDER } from "../../../test/staking/known-vectors.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";
import {
  base,
  bytes,
  defaultValidator,
  DELEGATOR,
  uint,
  validators,
  wrapperField,
} from "./common.ts";

function encodingHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "staking_tx_encoding",
    covers: [
      "decodeStakingTransaction",
      "stakingTransactionSender",
      "stakingChainId",
      "stakingSigningHash",
      "stakingTransactionHash",
      "decodeStakeMessage",
      "stakeMessageSigner",
      "stakingIntrinsicGas",
    ],
    run(inputs) {
      const tx = decodeStakingTransaction(bytes(inputs, "tx"));
      const sender = stakingTransactionSender(tx);
      const chainId = stakingChainId(tx);
      const msg = decodeStakeMessage(tx.directive, tx.message);
      return {
        directive: tx.directive,
        message: tx.message,
        nonce: tx.nonce,
        gas_price: tx.gasPrice,
        gas_limit: tx.gasLimit,
        chain_id: chainId,
        sender,
        signer: stakeMessageSigner(msg),
        signing_hash: stakingSigningHash(tx, chainId),
        hash: stakingTransactionHash(tx),
        intrinsic_gas: stakingIntrinsicGas(config, uint(inputs, "epoch"), tx.directive, tx.message),
      };
    },
  };
}

/** A Go vector with Go's 65-byte signature attached for chain ID 1 (Go `WithSignature`). */
function goSigned(name: keyof typeof GO_ROSETTA): Uint8Array {
  const { unsigned, signature } = GO_ROSETTA[name];
  const tx = decodeStakingTransaction(unsigned);
  return encodeStakingTransaction({
    ...tx,
    v: 37n + BigInt(signature[64]),
    r: bytesToBigint(signature.subarray(0, 32)),
    s: bytesToBigint(signature.subarray(32, 64)),
  });
}

/** Checks the fields a case knows independently: sender, signer, chain ID, hash of the bytes. */
function expectTx(
  tx: Uint8Array,
  signer: Uint8Array,
  chainId: bigint,
  gas: bigint,
): (out: DecodedFields) => void {
  return (out) => {
    const eq = (a: unknown, b: Uint8Array, what: string) => {
      if (!(a instanceof Uint8Array) || a.length !== b.length || a.some((x, i) => x !== b[i])) {
        throw new Error(`${what} differs`);
      }
    };
    eq(out.sender, SENDER, "sender");
    eq(out.signer, signer, "signer");
    eq(out.hash, keccak256(tx), "hash");
    if (bytesToBigint(out.chain_id as Uint8Array) !== chainId) throw new Error("chain id");
    if (bytesToBigint(out.intrinsic_gas as Uint8Array) !== gas) throw new Error("intrinsic gas");
  };
}

/** Intrinsic gas from Istanbul on: base + 16 per non-zero byte + 4 per zero byte of the message. */
function gasOf(tx: Uint8Array, base: bigint): bigint {
  const message = decodeStakingTransaction(tx).message;
  let gas = base;
  for (const b of message) gas += b === 0 ? 4n : 16n;
  return gas;
}

function encodingCases(): Case[] {
  const goCase = (name: keyof typeof GO_ROSETTA, signer: Uint8Array, base: bigint): Case => {
    const tx = goSigned(name);
    return {
      name: `go_${name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())}`,
      description: `A ${name} transaction encoded and signed by the Go node (chain ID 1).`,
      inputs: { tx, epoch: 700n },
      check: expectTx(tx, signer, 1n, gasOf(tx, base)),
    };
  };
  const jsCase = (name: "delegate" | "undelegate" | "collectRewards"): Case => ({
    name: `harmony_js_${name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())}`,
    description: `A ${name} transaction signed by harmony-js (chain ID 2).`,
    inputs: { tx: HARMONY_JS[name], epoch: 700n },
    check: expectTx(HARMONY_JS[name], SENDER, 2n, gasOf(HARMONY_JS[name], 21_000n)),
  });
  const go = decodeStakingTransaction(goSigned("delegate"));
  const withV = (v: bigint) => encodeStakingTransaction({ ...go, v });
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const createValidator = decodeStakeMessage(
    0,
    decodeStakingTransaction(GO_ROSETTA.createValidator.unsigned).message,
  );
  return [
    goCase(
      "createValidator",
      (createValidator.body as { validatorAddress: Uint8Array }).validatorAddress,
      5_300_000n,
    ),
    goCase("editValidator", SENDER, 21_000n),
    goCase("delegate", SENDER, 21_000n),
    goCase("undelegate", SENDER, 21_000n),
    goCase("collectRewards", SENDER, 21_000n),
    jsCase("delegate"),
    jsCase("undelegate"),
    jsCase("collectRewards"),
    {
      name: "harmony_js_legacy_create_validator",
      description:
        "harmony-js's CreateValidator without key signatures: 7 fields where Go decodes 8.",
      inputs: { tx: HARMONY_JS.legacyCreateValidator, epoch: 700n },
      expect: { error: "encoding/rlp-wrong-item-count" },
    },
    {
      name: "harmony_js_legacy_edit_validator",
      description:
        "harmony-js's EditValidator without key signature and status: 7 fields where Go decodes 9.",
      inputs: { tx: HARMONY_JS.legacyEditValidator, epoch: 700n },
      expect: { error: "encoding/rlp-wrong-item-count" },
    },
    {
      name: "unprotected_v_27",
      description: "v = 27: staking transactions have no unprotected form.",
      inputs: { tx: withV(27n), epoch: 700n },
      expect: { error: "secp256k1/invalid-v" },
    },
    {
      name: "high_s",
      description: "The Go signature with s replaced by n − s (and the parity flipped) is refused.",
      inputs: { tx: encodeStakingTransaction({ ...go, s: n - go.s, v: go.v ^ 1n }), epoch: 700n },
      expect: { error: "secp256k1/high-s" },
    },
    {
      name: "unknown_directive",
      description: "Directive 5 decodes as an envelope but has no message type.",
      inputs: { tx: encodeStakingTransaction({ ...go, directive: 5 }), epoch: 700n },
      expect: { error: "staking/invalid-directive" },
    },
    {
      name: "trailing_byte",
      description: "One byte after the transaction.",
      inputs: { tx: concatBytes(goSigned("delegate"), Uint8Array.of(0)), epoch: 700n },
      expect: { error: "encoding/rlp-trailing-bytes" },
    },
    {
      name: "truncated",
      description: "The last byte missing.",
      inputs: { tx: goSigned("delegate").slice(0, -1), epoch: 700n },
      expect: { error: "encoding/rlp-truncated" },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// payout_undelegations

function payoutHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "payout_undelegations",
    covers: ["payoutUndelegations", "removeUnlockedUndelegations", "lockPeriodInEpochs"],
    run(inputs) {
      const out = payoutUndelegations(config, uint(inputs, "epoch"), validators(inputs));
      return {
        validators: out.wrappers.map(wrapperField),
        credits: out.credits.map((c) => ({ address: c.address, amount: c.amount })),
      };
    },
  };
}

/** Validator 0 of the default state, last in a committee at `last`, with one delegator's entries. */
function lockedWith(last: bigint, undelegations: Undelegation[]): ValidatorWrapper {
  const w = defaultValidator(0);
  w.validator.lastEpochInCommittee = last;
  w.delegations.push({ delegatorAddress: DELEGATOR, amount: 0n, reward: 0n, undelegations });
  return w;
}

function payoutCase(
  name: string,
  description: string,
  epoch: bigint,
  last: bigint,
  entries: Undelegation[],
  kept: Undelegation[],
  paid: bigint,
): Case {
  const credits: BalanceCredit[] = paid === 0n ? [] : [{ address: DELEGATOR, amount: paid }];
  return {
    name,
    description,
    inputs: { epoch, validators: [wrapperField(lockedWith(last, entries))] },
    expect: {
      validators: [wrapperField(lockedWith(last, kept))],
      credits: credits.map((c) => ({ address: c.address, amount: c.amount }) as Fields),
    },
  };
}

const u = (amount: bigint, epoch: bigint): Undelegation => ({ amount, epoch });

function payoutCases(): Case[] {
  return [
    payoutCase(
      "lock_7_before_quick_unlock",
      "Epoch 190: lock 7; 183 is released, 184 is not.",
      190n,
      190n,
      [u(1n, 183n), u(2n, 184n)],
      [u(2n, 184n)],
      1n,
    ),
    payoutCase(
      "early_unlock_before_530",
      "Epoch 190: the validator left the committee at 183, so everything is released.",
      190n,
      183n,
      [u(1n, 189n), u(2n, 190n)],
      [],
      3n,
    ),
    payoutCase(
      "quick_unlock_lock_0",
      "Epoch 250 (QuickUnlock): lock 0, the epoch's own undelegation is released.",
      250n,
      250n,
      [u(5n, 250n)],
      [],
      5n,
    ),
    payoutCase(
      "redelegation_lock_7",
      "Epoch 300 (Redelegation): lock 7 again; 293 released, 294 kept.",
      300n,
      300n,
      [u(1n, 293n), u(2n, 294n)],
      [u(2n, 294n)],
      1n,
    ),
    payoutCase(
      "no_early_unlock_from_530",
      "Epoch 600: out of the committee since 100, but NoEarlyUnlock (530) keeps 594.",
      600n,
      100n,
      [u(1n, 593n), u(2n, 594n)],
      [u(2n, 594n)],
      1n,
    ),
    payoutCase(
      "stops_at_first_locked",
      "The walk stops at the first locked entry.",
      600n,
      600n,
      [u(1n, 595n), u(2n, 590n)],
      [u(1n, 595n), u(2n, 590n)],
      0n,
    ),
    payoutCase(
      "max_rate_drops_over_age",
      "Epoch 1732 (MaxRate at the next epoch, 1733): an entry 8 epochs old is removed unpaid.",
      1732n,
      1732n,
      [u(1n, 1724n), u(2n, 1725n), u(4n, 1726n)],
      [u(4n, 1726n)],
      2n,
    ),
    payoutCase(
      "max_rate_not_yet",
      "Epoch 1731: MaxRate is not active at 1732, the 8-epoch-old entry is paid.",
      1731n,
      1731n,
      [u(1n, 1723n), u(2n, 1724n)],
      [],
      3n,
    ),
  ];
}

/** The `staking_tx_encoding` and `payout_undelegations` suites. */
export const ENCODING_SUITES: Suite[] = [
  suite(encodingHandler(MAINNET), encodingCases()),
  suite(payoutHandler(MAINNET), payoutCases()),
  suite(payoutHandler(LOCALNET), [
    payoutCase(
      "lock_7_no_early_unlock",
      "Localnet: Redelegation and NoEarlyUnlock from 0: lock 7, no early unlock.",
      10n,
      1n,
      [u(1n, 3n), u(2n, 4n)],
      [u(2n, 4n)],
      1n,
    ),
  ]),
];

// ---------------------------------------------------------------------------------------------
// election_commission

function commissionHandler(config: NetworkConfig): Handler {
  return {
    ...base(config),
    handler: "election_commission",
    covers: [
      "maintainCommissionAtElection",
      "updateMinimumCommissionFee",
      "updateMaxCommissionFee",
      "minCommissionRate",
    ],
    run(inputs) {
      const out = maintainCommissionAtElection(config, uint(inputs, "new_epoch"), {
        wrapper: decodeValidatorWrapper(bytes(inputs, "validator")),
        firstElectionEpoch: uint(inputs, "first_election_epoch"),
        elected: inputs.elected === true,
      });
      return { validator: wrapperField(out.wrapper), first_election_epoch: out.firstElectionEpoch };
    },
  };
}

/** Validator 0 of the default state with chosen rates and last epoch in committee. */
function rated(rate: string, maxRate: string, maxChangeRate: string, last = 0n): ValidatorWrapper {
  const w = defaultValidator(0);
  w.validator.lastEpochInCommittee = last;
  w.validator.commission.rates = {
    rate: d(rate),
    maxRate: d(maxRate),
    maxChangeRate: d(maxChangeRate),
  };
  return w;
}

function commissionCase(
  name: string,
  description: string,
  newEpoch: bigint,
  elected: boolean,
  first: bigint,
  before: ValidatorWrapper,
  after: ValidatorWrapper,
  firstAfter: bigint,
): Case {
  return {
    name,
    description,
    inputs: {
      new_epoch: newEpoch,
      elected,
      first_election_epoch: first,
      validator: wrapperField(before),
    },
    expect: { validator: wrapperField(after), first_election_epoch: firstAfter },
  };
}

function commissionCases(): Case[] {
  return [
    commissionCase(
      "no_floor_before_631",
      "Elected for 600: only the last epoch in committee changes.",
      600n,
      true,
      0n,
      rated("0", "0.1", "0.1"),
      rated("0", "0.1", "0.1", 600n),
      0n,
    ),
    commissionCase(
      "first_election_starts_promotion",
      "Elected for 700 with a floor: the first election epoch becomes 700, the rate stays.",
      700n,
      true,
      0n,
      rated("0", "0.1", "0.1"),
      rated("0", "0.1", "0.1", 700n),
      700n,
    ),
    commissionCase(
      "raised_after_promotion",
      "Elected for 800, first elected at 700: raised to 5 %.",
      800n,
      true,
      700n,
      rated("0", "0.1", "0.1"),
      rated("0.05", "0.1", "0.1", 800n),
      700n,
    ),
    commissionCase(
      "unelected_not_raised_before_hip30",
      "Not elected for 800: unchanged (the bug HIP-30 fixed).",
      800n,
      false,
      700n,
      rated("0", "0.1", "0.1"),
      rated("0", "0.1", "0.1"),
      700n,
    ),
    commissionCase(
      "unelected_raised_from_hip30",
      "Not elected for 1700 (HIP-30): raised to 7 %.",
      1700n,
      false,
      700n,
      rated("0", "0.1", "0.1"),
      rated("0.07", "0.1", "0.1"),
      700n,
    ),
    commissionCase(
      "max_rate_raised_from_1733",
      "MaxRate (1733): max rate raised to 0.07 + 0.05.",
      1733n,
      true,
      700n,
      rated("0.07", "0.07", "0.05"),
      rated("0.07", "0.12", "0.05", 1733n),
      700n,
    ),
    commissionCase(
      "max_rate_uncapped_before_1976",
      "Before TopMaxRate: 0.07 + 1 = 1.07.",
      1975n,
      true,
      700n,
      rated("0.5", "0.9", "1"),
      rated("0.5", "1.07", "1", 1975n),
      700n,
    ),
    commissionCase(
      "max_rate_capped_from_1976",
      "TopMaxRate (1976): capped at 1.",
      1976n,
      true,
      700n,
      rated("0.5", "0.9", "1"),
      rated("0.5", "1", "1", 1976n),
      700n,
    ),
  ];
}

/** The `election_commission` suite. */
export const COMMISSION_SUITES: Suite[] = [suite(commissionHandler(MAINNET), commissionCases())];
