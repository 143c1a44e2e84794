/**
 * Reusing a sender the pool recovered: `ownSignerAgrees` says when the pool's recovery (with
 * `ownSigner`) is the block's (with `blockSigner`), and `validatePoolTransaction` given the
 * recovery's outcome decides as it does when it recovers itself.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import { SECP256K1_N } from "../../spec/crypto/secp256k1.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { isSpecError, type SpecError } from "../../spec/errors.ts";
import { validatePoolTransaction } from "../../spec/execution/pool.ts";
import { addressKey, nonceOf } from "../../spec/execution/state.ts";
import {
  chainIdOfV,
  isProtectedV,
  ownSigner,
  ownSignerAgrees,
  recoverSender,
  type Signer,
  signTransaction,
  type Transaction,
} from "../../spec/execution/transaction.ts";
import { LOCALNET } from "../../spec/params/mod.ts";
import { GWEI_100, testAddress, testKey } from "./support.ts";
import { childState, stateFromAccounts } from "../../spec/execution/state.ts";
import { ONE } from "../../spec/staking/validator.ts";

const CHAINS = [1n, 2n, 1666600000n, 1666700000n];
const arbChain = fc.constantFrom(...CHAINS);
const arbSigningSigner: fc.Arbitrary<Signer> = fc.oneof(
  fc.constant({ kind: "homestead" } as Signer),
  arbChain.map((c): Signer => ({ kind: "eip155", chainId: c, nodeEthChainId: c })),
);
const arbBlockSigner: fc.Arbitrary<Signer> = fc.oneof(
  fc.constant({ kind: "frontier" } as Signer),
  fc.constant({ kind: "homestead" } as Signer),
  fc.tuple(arbChain, arbChain).map(([c, e]): Signer => ({
    kind: "eip155",
    chainId: c,
    nodeEthChainId: e,
  })),
);

/** The same signature with `s` in the upper half (the other parity). */
function highS(tx: Transaction): Transaction {
  const parity = isProtectedV(tx.v) ? (tx.v - 35n - 2n * chainIdOfV(tx.v)) : tx.v - 27n;
  return { ...tx, s: SECP256K1_N - tx.s, v: tx.v - parity + (1n - parity) };
}

const arbTx = fc.record({
  key: fc.integer({ min: 1, max: 3 }),
  signer: arbSigningSigner,
  nonce: fc.bigInt({ min: 0n, max: 3n }),
  shardId: fc.constantFrom(0n, 1n),
  high: fc.boolean(),
}).map(({ key, signer, nonce, shardId, high }) => {
  const tx = signTransaction(signer, {
    nonce,
    gasPrice: GWEI_100,
    gasLimit: 21_000n,
    shardId,
    toShardId: shardId,
    to: testAddress(9),
    value: 1n,
    data: new Uint8Array(0),
  }, testKey(key));
  return high ? highS(tx) : tx;
});

/** A recovery's outcome, comparable: the address, or the error's code. */
function outcome(f: () => Uint8Array): string {
  try {
    return toHex(f());
  } catch (e) {
    if (isSpecError(e)) return e.code;
    throw e;
  }
}

const agreement = (agrees: (signer: Signer, tx: Transaction) => boolean) =>
  fc.property(arbBlockSigner, arbTx, (signer, tx) => {
    if (!agrees(signer, tx)) return true;
    return outcome(() => recoverSender(signer, tx)) ===
      outcome(() => recoverSender(ownSigner(tx), tx));
  });

test("ownSignerAgrees: where it holds, the pool's sender is the block's", () => {
  holds(agreement(ownSignerAgrees), 200);
  // The frontier signer accepts a high s, which the pool's homestead rule refuses.
  catches(agreement((s, tx) => s.kind === "frontier" || ownSignerAgrees(s, tx)), 200);
  // A block signer admits the node's Ethereum chain ID but recovers with its own chain ID.
  catches(
    agreement((s, tx) =>
      ownSignerAgrees(s, tx) ||
      (s.kind === "eip155" && isProtectedV(tx.v) && chainIdOfV(tx.v) === s.nodeEthChainId)
    ),
    200,
  );
});

test("ownSignerAgrees: the common cases, by hand", () => {
  const eth: Signer = { kind: "eip155", chainId: 1666700000n, nodeEthChainId: 1666700000n };
  const native: Signer = { kind: "eip155", chainId: 2n, nodeEthChainId: 1666700000n };
  const signed = (s: Signer) => ({ v: signTransaction(s, { ...BASE }, testKey(1)).v });
  assert.equal(ownSignerAgrees(eth, signed(eth)), true);
  assert.equal(ownSignerAgrees(native, signed(native)), true);
  assert.equal(ownSignerAgrees(native, signed(eth)), false); // Go: chain ID error or wrong vb
  assert.equal(ownSignerAgrees(native, signed({ kind: "homestead" })), true);
  assert.equal(ownSignerAgrees({ kind: "frontier" }, signed({ kind: "homestead" })), false);
  assert.equal(ownSignerAgrees({ kind: "homestead" }, signed(eth)), false);
});

const BASE = {
  nonce: 0n,
  gasPrice: GWEI_100,
  gasLimit: 21_000n,
  shardId: 0n,
  toShardId: 0n,
  to: testAddress(9),
  value: 1n,
  data: new Uint8Array(0),
};

const state = childState(
  stateFromAccounts([1, 2].map((i) => ({ address: testAddress(i), balance: ONE }))),
);
const view = {
  shardId: 0n,
  epoch: 3n,
  blockGasLimit: 30_000_000n,
  minGasPrice: GWEI_100,
  local: false,
  state,
};

type Admit = (tx: Transaction, recovered: Uint8Array | SpecError) => Uint8Array;

const samePoolVerdict = (admit: Admit) =>
  fc.property(arbTx, (tx) => {
    let recovered: Uint8Array | SpecError;
    try {
      recovered = recoverSender(ownSigner(tx), tx);
    } catch (e) {
      if (!isSpecError(e)) throw e;
      recovered = e;
    }
    return outcome(() => validatePoolTransaction(LOCALNET, view, tx)) ===
      outcome(() => admit(tx, recovered));
  });

test("validatePoolTransaction: a recovery done ahead changes neither verdict nor order", () => {
  assert.equal(nonceOf(state, addressKey(testAddress(3))), 0n); // key 3 is not funded
  holds(samePoolVerdict((tx, r) => validatePoolTransaction(LOCALNET, view, tx, r)), 200);
  // Broken: the recovery's error raised before the shard check.
  catches(
    samePoolVerdict((tx, r) => {
      if (r instanceof Error) throw r;
      return validatePoolTransaction(LOCALNET, view, tx, r);
    }),
    200,
  );
});
