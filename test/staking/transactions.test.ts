/**
 * Staking messages and transactions: byte-exact agreement with transactions made by the Go node
 * and by harmony-js, sender recovery, chain-ID rules, strict decoding, intrinsic gas, round trips
 * and decoder fuzzing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RLP } from "@ethereumjs/rlp";
import { bytesToBigint, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { parseBech32Address } from "../../spec/encoding/address.ts";
import { encodeRlp } from "../../spec/encoding/rlp.ts";
import { isSpecError } from "../../spec/errors.ts";
import { decToString } from "../../spec/numeric/decimal.ts";
import { MAINNET, TESTNET } from "../../spec/params/mod.ts";
import {
  decodeStakeMessage,
  Directive,
  encodeStakeMessage,
  type StakeMessage,
} from "../../spec/staking/messages.ts";
import {
  decodeStakingTransaction,
  encodeStakingTransaction,
  requireStakingAccepted,
  requireStakingChainId,
  requireStakingSigner,
  signStakingTransaction,
  stakingChainId,
  stakingIntrinsicGas,
  type StakingTransaction,
  stakingTransactionSender,
} from "../../spec/staking/transactions.ts";
import { decodeValidatorWrapper, encodeValidatorWrapper } from "../../spec/staking/wrapper-rlp.ts";
import { catches, holds } from "../support/property.ts";
import { nearRlp } from "../encoding/arbitraries.ts";
import { stakeMessage, stakingTransaction, wrapper } from "./arbitraries.ts";
import { expectCode } from "./fixtures.ts";
import {
  GO_BLS_KEY,
  GO_ROSETTA,
  type GoVector,
  HARMONY_JS,
  SENDER,
  SENDER_KEY,
} from "./known-vectors.ts";

/** A Go vector with Go's signature attached, as `WithSignature` for chain ID 1 does. */
function signedGo(vector: GoVector): StakingTransaction {
  const tx = decodeStakingTransaction(vector.unsigned);
  const sig = vector.signature;
  const v = 35n + 2n * 1n + BigInt(sig[64]);
  return {
    ...tx,
    v,
    r: bytesToBigint(sig.subarray(0, 32)),
    s: bytesToBigint(sig.subarray(32, 64)),
  };
}

test("Go-encoded transactions: decode, re-encode byte for byte, and recover the sender Go asserts", () => {
  for (const [name, vector] of Object.entries(GO_ROSETTA)) {
    const tx = decodeStakingTransaction(vector.unsigned);
    assert.deepEqual(encodeStakingTransaction(tx), vector.unsigned, name);
    const msg = decodeStakeMessage(tx.directive, tx.message);
    assert.deepEqual(encodeStakeMessage(msg), tx.message, name);
    assert.deepEqual(stakingTransactionSender(signedGo(vector)), SENDER, name);
  }
});

test("signing a Go-encoded transaction gives Go's own signature (same signing hash, RFC 6979)", () => {
  for (const [name, vector] of Object.entries(GO_ROSETTA)) {
    const ours = signStakingTransaction(decodeStakingTransaction(vector.unsigned), 1n, SENDER_KEY);
    assert.deepEqual(ours, signedGo(vector), name);
  }
});

test("the Go CreateValidator and EditValidator messages hold the fields the Go test wrote", () => {
  const create = decodeStakeMessage(
    0,
    decodeStakingTransaction(GO_ROSETTA.createValidator.unsigned).message,
  );
  assert.equal(create.directive, Directive.CreateValidator);
  const c = create.body as Extract<StakeMessage, { directive: 0 }>["body"];
  assert.deepEqual(
    c.validatorAddress,
    parseBech32Address("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy"),
  );
  assert.equal(new TextDecoder().decode(c.description.details), "Don't mess with me!!!");
  assert.deepEqual(
    [c.commissionRates.rate, c.commissionRates.maxRate, c.commissionRates.maxChangeRate].map(
      decToString,
    ),
    ["0.1", "0.9", "0.05"],
  );
  assert.equal(c.minSelfDelegation, 10n * 10n ** 18n);
  assert.equal(c.maxTotalDelegation, 3000n * 10n ** 18n);
  assert.equal(c.amount, 100n * 10n ** 18n);
  assert.deepEqual(c.slotPubKeys, [GO_BLS_KEY]);
  const edit = decodeStakeMessage(
    1,
    decodeStakingTransaction(GO_ROSETTA.editValidator.unsigned).message,
  );
  const e = edit.body as Extract<StakeMessage, { directive: 1 }>["body"];
  assert.equal(decToString(e.commissionRate!), "0.1");
  assert.deepEqual(e.slotKeyToRemove, GO_BLS_KEY);
  assert.deepEqual(e.slotKeyToAdd, GO_BLS_KEY);
  assert.equal(e.eposStatus, 0);
  assert.equal(decodeStakingTransaction(GO_ROSETTA.createValidator.unsigned).gasLimit, 10_600_000n);
});

test("harmony-js Delegate, Undelegate, CollectRewards: our signature gives its bytes exactly", () => {
  const cases: [Uint8Array, StakeMessage][] = [
    [HARMONY_JS.delegate, {
      directive: Directive.Delegate,
      body: { delegatorAddress: SENDER, validatorAddress: SENDER, amount: 10n },
    }],
    [HARMONY_JS.undelegate, {
      directive: Directive.Undelegate,
      body: { delegatorAddress: SENDER, validatorAddress: SENDER, amount: 10n },
    }],
    [HARMONY_JS.collectRewards, {
      directive: Directive.CollectRewards,
      body: { delegatorAddress: SENDER },
    }],
  ];
  for (const [encoded, msg] of cases) {
    const unsigned: StakingTransaction = {
      directive: msg.directive,
      message: encodeStakeMessage(msg),
      nonce: 2n,
      gasPrice: 0n,
      gasLimit: 100n,
      v: 0n,
      r: 0n,
      s: 0n,
    };
    const signed = signStakingTransaction(unsigned, 2n, SENDER_KEY);
    assert.deepEqual(encodeStakingTransaction(signed), encoded);
    const decoded = decodeStakingTransaction(encoded);
    assert.deepEqual(decoded, signed);
    assert.deepEqual(stakingTransactionSender(decoded), SENDER);
    assert.equal(stakingChainId(decoded), 2n);
    requireStakingSigner(decodeStakeMessage(decoded.directive, decoded.message), SENDER);
  }
});

test("harmony-js legacy CreateValidator/EditValidator: valid envelopes, messages Go no longer decodes", () => {
  for (const encoded of [HARMONY_JS.legacyCreateValidator, HARMONY_JS.legacyEditValidator]) {
    const tx = decodeStakingTransaction(encoded);
    assert.deepEqual(stakingTransactionSender(tx), SENDER);
    expectCode(() => decodeStakeMessage(tx.directive, tx.message), "encoding/rlp-wrong-item-count");
  }
  // The fields both formats share are laid out identically: address, description, rates, limits,
  // keys and amount (harmony-js has no key signatures between keys and amount).
  const goCreate = decodeStakeMessage(
    0,
    decodeStakingTransaction(GO_ROSETTA.createValidator.unsigned).message,
  );
  const alice = goCreate.body as Extract<StakeMessage, { directive: 0 }>["body"];
  const legacy = RLP.decode(
    decodeStakingTransaction(HARMONY_JS.legacyCreateValidator).message,
  ) as Uint8Array[];
  const ours = RLP.decode(encodeStakeMessage({
    directive: Directive.CreateValidator,
    body: {
      ...alice,
      validatorAddress: SENDER,
      minSelfDelegation: 10n,
      maxTotalDelegation: 3000n,
      slotPubKeys: [
        fromHex(
          "b9486167ab9087ab818dc4ce026edb5bf216863364c32e42df2af03c5ced1ad181e7d12f0e6dd5307a73b62247608611",
        ),
      ],
      slotKeySigs: [],
      amount: 100n,
    },
  })) as Uint8Array[];
  assert.deepEqual([...ours.slice(0, 6), ours[7]], legacy);
});

test("v: below 35 never has a sender; 35 and 36 are chain ID 0; the RPC checks the network's chain ID", () => {
  const tx = decodeStakingTransaction(HARMONY_JS.delegate); // v = 40: chain 2, recovery id 1
  expectCode(() => stakingTransactionSender({ ...tx, v: 27n }), "secp256k1/invalid-v");
  expectCode(() => stakingTransactionSender({ ...tx, v: 28n }), "secp256k1/invalid-v");
  expectCode(() => stakingTransactionSender({ ...tx, v: 0n }), "secp256k1/invalid-v");
  // The chain ID is part of the hash: another chain ID recovers another (or no) sender.
  const other = (() => {
    try {
      return toHex(stakingTransactionSender({ ...tx, v: 42n }));
    } catch (e) {
      return isSpecError(e) ? e.code : "crash";
    }
  })();
  assert.notEqual(other, toHex(SENDER));
  const chain0 = signStakingTransaction({ ...tx, v: 0n, r: 0n, s: 0n }, 0n, SENDER_KEY);
  assert.ok(chain0.v === 27n || chain0.v === 28n); // Go's SignatureValues for chain ID 0
  expectCode(() => stakingTransactionSender(chain0), "secp256k1/invalid-v");
  const as35 = { ...chain0, v: chain0.v + 8n }; // 35 or 36: chain ID 0, recovers
  assert.deepEqual(stakingTransactionSender(as35), SENDER);
  requireStakingChainId(TESTNET, tx);
  expectCode(() => requireStakingChainId(MAINNET, tx), "staking/wrong-chain-id");
  // High s is refused (homestead rule).
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  expectCode(
    () => stakingTransactionSender({ ...tx, s: n - tx.s, v: tx.v ^ 1n }),
    "secp256k1/high-s",
  );
});

test("signer rule, beacon-only and pre-staking acceptance", () => {
  const msg: StakeMessage = {
    directive: Directive.CollectRewards,
    body: { delegatorAddress: SENDER },
  };
  expectCode(() => requireStakingSigner(msg, new Uint8Array(20)), "staking/invalid-signer");
  expectCode(() => requireStakingAccepted(MAINNET, 1n, 500n), "staking/not-beacon-shard");
  expectCode(() => requireStakingAccepted(MAINNET, 0n, 184n), "staking/before-pre-staking");
  expectCode(() => requireStakingAccepted(MAINNET, 0n, 185n), null);
});

test("strict message decoding: Go's nil kinds, fixed lengths, integer widths, directives", () => {
  const edit = decodeStakingTransaction(GO_ROSETTA.editValidator.unsigned).message;
  const fields = RLP.decode(edit) as (Uint8Array | Uint8Array[])[];
  const with_ = (i: number, item: Uint8Array | Uint8Array[]) => {
    const f = fields.slice();
    f[i] = item;
    return encodeRlp(f);
  };
  const none = new Uint8Array(0);
  // An absent rate is the empty list; the empty string is the wrong kind of empty value.
  assert.equal(
    (decodeStakeMessage(1, with_(2, [])).body as { commissionRate: null }).commissionRate,
    null,
  );
  expectCode(() => decodeStakeMessage(1, with_(2, none)), "encoding/rlp-expected-list");
  expectCode(
    () => decodeStakeMessage(1, with_(2, [Uint8Array.of(1), Uint8Array.of(2)])),
    "encoding/rlp-wrong-item-count",
  );
  // An absent amount is the empty string; the empty list is refused.
  expectCode(() => decodeStakeMessage(1, with_(3, [])), "encoding/rlp-expected-string");
  expectCode(() => decodeStakeMessage(1, with_(3, Uint8Array.of(0))), "encoding/rlp-leading-zero");
  // Keys are exactly 48 bytes, signatures 96; absent is the empty string.
  expectCode(
    () => decodeStakeMessage(1, with_(5, new Uint8Array(47))),
    "encoding/rlp-wrong-length",
  );
  expectCode(
    () => decodeStakeMessage(1, with_(7, new Uint8Array(48))),
    "encoding/rlp-wrong-length",
  );
  expectCode(() => decodeStakeMessage(1, with_(6, [])), "encoding/rlp-expected-string");
  // The status is one byte.
  expectCode(
    () => decodeStakeMessage(1, with_(8, Uint8Array.of(1, 0))),
    "encoding/rlp-uint-overflow",
  );
  expectCode(() => decodeStakeMessage(5, edit), "staking/invalid-directive");
  expectCode(() => decodeStakeMessage(2, edit), "encoding/rlp-wrong-item-count");
  // The envelope: 8 items, directive one byte, nonce and gas limit 8 bytes.
  const env = RLP.decode(GO_ROSETTA.delegate.unsigned) as Uint8Array[];
  const envWith = (i: number, item: Uint8Array) => {
    const f = env.slice();
    f[i] = item;
    return RLP.encode(f);
  };
  expectCode(
    () => decodeStakingTransaction(envWith(0, Uint8Array.of(1, 2))),
    "encoding/rlp-uint-overflow",
  );
  expectCode(
    () => decodeStakingTransaction(envWith(2, new Uint8Array(9).fill(1))),
    "encoding/rlp-uint-overflow",
  );
  expectCode(
    () => decodeStakingTransaction(RLP.encode(env.slice(0, 7))),
    "encoding/rlp-wrong-item-count",
  );
  // An unknown directive decodes as an envelope; only the message decoding rejects it.
  assert.equal(decodeStakingTransaction(envWith(0, Uint8Array.of(9))).directive, 9);
});

test("intrinsic gas: 21,000 or 5,300,000, plus 4 per zero byte and 68 (16 from Istanbul) per other byte", () => {
  // The Go Delegate message: 52 bytes, 2 of them zero (the amount 0x8ac7230489e80000).
  const msg = decodeStakingTransaction(GO_ROSETTA.delegate.unsigned).message;
  assert.equal(msg.length, 52);
  assert.equal(
    stakingIntrinsicGas(MAINNET, 600n, Directive.Delegate, msg),
    21_000n + 50n * 16n + 2n * 4n,
  );
  assert.equal(
    stakingIntrinsicGas(MAINNET, 100n, Directive.Delegate, msg),
    21_000n + 50n * 68n + 2n * 4n,
  );
  assert.equal(
    stakingIntrinsicGas(MAINNET, 600n, Directive.CreateValidator, new Uint8Array(3)),
    5_300_012n,
  );
});

test("round trips: message, envelope and wrapper encodings decode to what was encoded", () => {
  holds(fc.property(stakeMessage, (m) => {
    assert.deepEqual(decodeStakeMessage(m.directive, encodeStakeMessage(m)), m);
  }));
  holds(fc.property(stakingTransaction(stakeMessage.map(encodeStakeMessage)), (tx) => {
    assert.deepEqual(decodeStakingTransaction(encodeStakingTransaction(tx)), tx);
  }));
  holds(
    fc.property(wrapper, (w) => {
      assert.deepEqual(decodeValidatorWrapper(encodeValidatorWrapper(w)), w);
    }),
    50,
  );
});

test("the round-trip property catches an encoder that swaps two fields", () => {
  // Mutant: delegator and validator swapped in Delegate messages.
  const broken = (m: StakeMessage) =>
    m.directive === Directive.Delegate
      ? encodeRlp([m.body.validatorAddress, m.body.delegatorAddress, new Uint8Array(0)])
      : encodeStakeMessage(m);
  catches(
    fc.property(stakeMessage, (m) => {
      assert.deepEqual(decodeStakeMessage(m.directive, broken(m)), m);
    }),
    300,
  );
});

test("decoders given arbitrary bytes return a value or a SpecError", () => {
  const decoders = [
    decodeStakingTransaction,
    decodeValidatorWrapper,
    ...[0, 1, 2, 3, 4, 7].map((d) => (b: Uint8Array) => decodeStakeMessage(d, b)),
  ];
  const nearMessage = fc.tuple(stakeMessage, fc.nat(), fc.integer({ min: 0, max: 255 })).map(
    ([m, at, b]) => {
      const bytes = encodeStakeMessage(m).slice();
      bytes[at % bytes.length] = b;
      return bytes;
    },
  );
  holds(
    fc.property(fc.oneof(nearRlp, nearMessage), (bytes) => {
      for (const decode of decoders) {
        try {
          decode(bytes);
        } catch (e) {
          assert.ok(isSpecError(e), `not a SpecError: ${e}`);
        }
      }
    }),
    300,
  );
  // The fuzz property catches a decoder that crashes on some input.
  const crashing = (b: Uint8Array) => {
    if (b.length > 0 && b[0] === 0xc0) throw new TypeError("boom");
    return decodeStakingTransaction(b);
  };
  catches(fc.property(fc.oneof(nearRlp, fc.constant(Uint8Array.of(0xc0))), (bytes) => {
    try {
      crashing(bytes);
    } catch (e) {
      assert.ok(isSpecError(e));
    }
  }));
});
