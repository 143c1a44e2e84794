import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { keccak256 as viemKeccak, parseTransaction, serializeTransaction } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { createLegacyTx, createLegacyTxFromRLP } from "@ethereumjs/tx";
import { catches, holds } from "../support/property.ts";
import { bytesEqual, fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { addressFromPrivateKey } from "../../spec/crypto/secp256k1.ts";
import { isSpecError } from "../../spec/errors.ts";
import { ethChainId, LOCALNET, MAINNET } from "../../spec/params/mod.ts";
import {
  blockSigner,
  chainIdOfV,
  decodeEthTransaction,
  decodeTransaction,
  encodeEthTransaction,
  encodeTransaction,
  ethToHarmony,
  type EthTransaction,
  ethTransactionHash,
  harmonyToEth,
  isEthCompatible,
  isProtectedV,
  recoverSender,
  type Signer,
  signingHash,
  signTransaction,
  type Transaction,
  transactionHashByType,
} from "../../spec/execution/transaction.ts";

const KEY = fromHex("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
const ADDR = addressFromPrivateKey(KEY);
const eip155 = (chainId: bigint): Signer => ({ kind: "eip155", chainId, nodeEthChainId: chainId });

const base = {
  nonce: 0n,
  gasPrice: 0n,
  gasLimit: 0n,
  shardId: 0n,
  toShardId: 0n,
  to: ADDR,
  value: 0n,
  data: new Uint8Array(0),
};

test("EIP-155 signing recovers the signer (Go TestEIP155Signing, chain 18)", () => {
  const signer = eip155(18n);
  const tx = signTransaction(signer, base, KEY);
  assert.ok(isProtectedV(tx.v));
  assert.equal(chainIdOfV(tx.v), 18n);
  assert.deepEqual(recoverSender(signer, tx), ADDR);
});

test("homestead signatures are unprotected with chain ID 0 (Go TestEIP155ChainID)", () => {
  const tx = signTransaction({ kind: "homestead" }, base, KEY);
  assert.ok(!isProtectedV(tx.v));
  assert.equal(chainIdOfV(tx.v), 0n);
  // An EIP-155 signer accepts an unprotected signature through the homestead rule.
  assert.deepEqual(recoverSender(eip155(1n), tx), ADDR);
});

test("a signature for chain 1 is rejected by the signer of chain 2 (Go TestChainID)", () => {
  const tx = signTransaction(eip155(1n), { ...base, to: new Uint8Array(20) }, KEY);
  assert.throws(
    () => recoverSender(eip155(2n), tx),
    (e) => isSpecError(e, "execution/invalid-chain-id"),
  );
  assert.deepEqual(recoverSender(eip155(1n), tx), ADDR);
});

test("v below 35 claims a wrapped-around chain ID, as Go's uint64 arithmetic does", () => {
  assert.equal(chainIdOfV(0n), ((1n << 64n) - 35n) / 2n);
  assert.ok(isEthCompatible({ v: 0n }));
  assert.equal(chainIdOfV(27n), 0n);
  assert.equal(chainIdOfV(37n), 1n);
  assert.ok(!isEthCompatible({ v: 37n }));
});

test("the frontier signer accepts a high s, homestead does not", () => {
  const tx = signTransaction({ kind: "frontier" }, base, KEY);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const flipped: Transaction = { ...tx, s: n - tx.s, v: tx.v === 27n ? 28n : 27n };
  assert.deepEqual(recoverSender({ kind: "frontier" }, flipped), ADDR);
  assert.throws(
    () => recoverSender({ kind: "homestead" }, flipped),
    (e) => isSpecError(e, "execution/invalid-signature"),
  );
});

for (
  const [name, config, shard] of [
    ["mainnet shard 0", MAINNET, 0n],
    ["mainnet shard 1", MAINNET, 1n],
    ["localnet shard 0", LOCALNET, 0n],
  ] as const
) {
  test(`viem and @ethereumjs/tx signatures for ${name} decode and recover the same sender`, async () => {
    const chainId = ethChainId(config, shard);
    const account = privateKeyToAccount(`0x${toHex(KEY)}`);
    const request = {
      type: "legacy" as const,
      chainId: Number(chainId),
      nonce: 7,
      gasPrice: 100_000_000_000n,
      gas: 21_000n,
      to: `0x${toHex(new Uint8Array(20).fill(0x42))}` as `0x${string}`,
      value: 10n ** 18n,
      data: "0xdeadbeef" as `0x${string}`,
    };
    const signed = fromHex(await account.signTransaction(request));
    const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, {
      hardfork: Hardfork.Istanbul,
    });
    const byLibrary = createLegacyTx({
      nonce: 7n,
      gasPrice: request.gasPrice,
      gasLimit: request.gas,
      to: request.to,
      value: request.value,
      data: request.data,
    }, { common }).sign(KEY).serialize();
    assert.deepEqual(byLibrary, signed, "viem and @ethereumjs/tx agree byte for byte");
    const eth = decodeEthTransaction(signed);
    assert.deepEqual(encodeEthTransaction(eth), signed);
    assert.equal(toHex(ethTransactionHash(eth)), viemKeccak(signed).slice(2));
    assert.deepEqual(createLegacyTxFromRLP(signed, { common }).hash(), ethTransactionHash(eth));
    const native = ethToHarmony(config, eth);
    assert.equal(native.shardId, shard);
    assert.equal(native.toShardId, shard);
    const signer = blockSigner(config, shard, 10_000n, native);
    assert.deepEqual(recoverSender(signer, native), addressFromPrivateKey(KEY));
    assert.deepEqual(transactionHashByType(native), ethTransactionHash(eth));
    // The other shard's node refuses it: wrong chain ID.
    const other = blockSigner(config, shard + 1n, 10_000n, native);
    assert.throws(
      () => recoverSender(other, native),
      (e) => isSpecError(e, "execution/invalid-chain-id"),
    );
  });
}

test("a transaction signed here is one viem parses with the same fields", () => {
  const chainId = ethChainId(MAINNET, 0n);
  const tx = signTransaction(
    eip155(chainId),
    { ...base, nonce: 3n, value: 5n, gasLimit: 21000n },
    KEY,
  );
  const eth = encodeEthTransaction(tx);
  const parsed = parseTransaction(`0x${toHex(eth)}`);
  assert.equal(parsed.nonce, 3);
  assert.equal(parsed.value, 5n);
  assert.equal(parsed.chainId, Number(chainId));
  assert.equal(parsed.r, `0x${tx.r.toString(16).padStart(64, "0")}`);
  assert.equal(parsed.s, `0x${tx.s.toString(16).padStart(64, "0")}`);
  assert.equal(parsed.v, tx.v);
  // Unsigned, viem serialises the EIP-155 signing payload: its hash is the signing hash.
  const payload = serializeTransaction({ ...parsed, r: undefined, s: undefined, v: undefined });
  assert.equal(viemKeccak(payload).slice(2), toHex(signingHash(eip155(chainId), tx)));
});

const arbTx: fc.Arbitrary<Transaction> = fc.record({
  nonce: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  gasPrice: fc.bigInt({ min: 0n, max: 1n << 100n }),
  gasLimit: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  shardId: fc.bigInt({ min: 0n, max: 0xffffffffn }),
  toShardId: fc.bigInt({ min: 0n, max: 0xffffffffn }),
  to: fc.option(fc.uint8Array({ minLength: 20, maxLength: 20 }), { nil: null }),
  value: fc.bigInt({ min: 0n, max: 1n << 256n }),
  data: fc.uint8Array({ maxLength: 80 }),
  v: fc.bigInt({ min: 0n, max: 1n << 70n }),
  r: fc.bigInt({ min: 0n, max: 1n << 256n }),
  s: fc.bigInt({ min: 0n, max: 1n << 256n }),
});

const roundTrip = (encode: (tx: Transaction) => Uint8Array) =>
  fc.property(arbTx, (tx) => {
    const bytes = encode(tx);
    assert.deepEqual(decodeTransaction(bytes), { ...tx });
    assert.deepEqual(encodeTransaction(decodeTransaction(bytes)), bytes);
  });

test("property: native transactions round-trip through RLP", () => {
  holds(roundTrip(encodeTransaction));
  // Broken encoder: drops the destination shard into the source shard's place.
  catches(roundTrip((tx) => encodeTransaction({ ...tx, toShardId: tx.shardId })));
});

test("property: Ethereum transactions round-trip and convert without losing fields", () => {
  const prop = (convert: (tx: Transaction) => Transaction) =>
    fc.property(arbTx, (tx) => {
      const eth = decodeEthTransaction(encodeEthTransaction(tx));
      const back = convert({ ...eth, shardId: tx.shardId, toShardId: tx.toShardId });
      assert.deepEqual(back, { ...tx });
    });
  holds(prop((t) => t));
  catches(prop((t) => ({ ...t, data: t.data.slice(1) })));
});

/** Valid encodings of random transactions, and the same with a byte flipped or one appended. */
const encodingsNearby = (encode: (tx: Transaction) => Uint8Array) =>
  fc.oneof(
    arbTx.map(encode),
    arbTx.map((tx) => Uint8Array.of(...encode(tx), 0)),
    arbTx.map(encode).chain((b) =>
      fc.nat(b.length - 1).map((i) => Uint8Array.from(b, (x, j) => (j === i ? x ^ 0x01 : x)))
    ),
  );

/** What `decode` reads from `bytes`, or null when it refuses them with a SpecError. */
function decodedOrRefused<T>(decode: (b: Uint8Array) => T, bytes: Uint8Array): T | null {
  try {
    return decode(bytes);
  } catch (e) {
    if (isSpecError(e)) return null;
    throw e;
  }
}

test("property: bytes that decode as a transaction are its one encoding", () => {
  // What encodeTransaction returns for a decoded record: checked against a fresh encoding of a
  // copy, which it cannot have seen, over valid, mutated and extended encodings.
  const canonical = (decode: (b: Uint8Array) => Transaction) =>
    fc.property(
      encodingsNearby(encodeTransaction),
      (bytes) => {
        const tx = decodedOrRefused(decode, bytes);
        if (tx === null) return true;
        const again = encodeTransaction(tx);
        again[0] ^= 0xff; // a caller changing what it got back changes nothing stored
        return toHex(encodeTransaction(tx)) === toHex(bytes) &&
          toHex(encodeTransaction({ ...tx })) === toHex(bytes);
      },
    );
  holds(canonical(decodeTransaction), 300);
  // A decoder that overlooks a trailing zero byte is caught.
  catches(
    canonical((b) => decodeTransaction(b.at(-1) === 0 ? b.subarray(0, -1) : b)),
    300,
  );
});

test("property: an Ethereum-format record and its conversions keep the bytes it was read from", () => {
  // What the kept encodings give (the Ethereum encoding, the hash by type, the native encoding of
  // the converted record) against fresh copies, which they cannot have seen, over valid, mutated
  // and extended Ethereum encodings.
  const kept = (decode: (b: Uint8Array) => EthTransaction) =>
    fc.property(
      encodingsNearby(encodeEthTransaction),
      (bytes) => {
        const eth = decodedOrRefused(decode, bytes);
        if (eth === null) return true;
        const native = ethToHarmony(MAINNET, eth);
        const again = encodeEthTransaction(eth);
        again[0] ^= 0xff; // a caller changing what it got back changes nothing stored
        return toHex(encodeEthTransaction(eth)) === toHex(bytes) &&
          toHex(encodeEthTransaction(harmonyToEth(native))) === toHex(bytes) &&
          toHex(encodeEthTransaction({ ...eth })) === toHex(bytes) &&
          toHex(transactionHashByType(native)) === toHex(transactionHashByType({ ...native })) &&
          toHex(encodeTransaction(native)) === toHex(encodeTransaction({ ...native }));
      },
    );
  holds(kept(decodeEthTransaction), 300);
  // A decoder that overlooks a trailing zero byte is caught.
  catches(kept((b) => decodeEthTransaction(b.at(-1) === 0 ? b.subarray(0, -1) : b)), 300);
});

test("property: decoders given arbitrary bytes return or throw a SpecError", () => {
  const fuzz = (decode: (b: Uint8Array) => unknown) =>
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        arbTx.map(encodeTransaction).chain((b) =>
          fc.nat(b.length - 1).map((i) => Uint8Array.from(b, (x, j) => (j === i ? x ^ 0x55 : x)))
        ),
      ),
      (bytes) => {
        try {
          decode(bytes);
        } catch (e) {
          assert.ok(isSpecError(e), String(e));
        }
      },
    );
  holds(fuzz(decodeTransaction), 300);
  holds(fuzz(decodeEthTransaction), 300);
  // A decoder that leaks library exceptions is caught.
  catches(
    fuzz((b) => {
      if (b.length > 3 && b[0] > 0xc0) throw new RangeError("raw");
      return decodeTransaction(b);
    }),
    300,
  );
});

test("property: a transaction signed by any key recovers that key's address", () => {
  const prop = (sig: (s: Signer, t: Transaction) => Transaction) =>
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) =>
        k.some((b) => b !== 0) && k[0] < 0xff
      ),
      arbTx,
      fc.constantFrom(eip155(2n), eip155(1666700000n), { kind: "homestead" } as Signer),
      (key, tx, signer) => {
        const signed = sig(signer, signTransaction(signer, tx, key));
        assert.ok(bytesEqual(recoverSender(signer, signed), addressFromPrivateKey(key)));
      },
    );
  holds(prop((_s, t) => t), 30);
  catches(prop((_s, t) => ({ ...t, nonce: t.nonce ^ 1n })), 30);
});
