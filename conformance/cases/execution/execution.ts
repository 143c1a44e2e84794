/**
 * Conformance cases for the execution runner: transaction decoding and senders, intrinsic gas,
 * fees by era, applying plain and cross-shard transfers (every rejection code), receipts and
 * cross-shard receipts, and crediting incoming receipts exactly once.
 *
 * Expectations come from outside the spec: transactions signed by `@ethereumjs/tx` (an
 * independent implementation, checked byte for byte against viem in the tests), Go's test expectations
 * (`state_transition_test.go` `TestCollectGas`, `TestCollectGasRounding`,
 * `transaction_signing_test.go`), and balances worked out by hand from the fee rules.
 *
 * Cases that need the EVM (contract creation and calls) are not vectors yet: the EVM library is
 * asynchronous and the harness runs handlers synchronously. The unit tests cover them.
 *
 * @module
 */
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { createLegacyTx, createLegacyTxFromRLP } from "@ethereumjs/tx";
import { privateKeyToAccount } from "viem/accounts";
import { bigintToFixedBytes, bytesToBigint, fromHex, toHex } from "../../../spec/encoding/bytes.ts";
import { encodeRlp } from "../../../spec/encoding/rlp.ts";
import { addressFromPrivateKey } from "../../../spec/crypto/secp256k1.ts";
import { ethChainId, LOCALNET, MAINNET, type NetworkConfig } from "../../../spec/params/mod.ts";
import {
  type AccountInit,
  allAccounts,
  allStorage,
  childState,
  stateFromAccounts,
  type WorldState,
} from "../../../spec/execution/state.ts";
import { applyPlainTransaction, type BlockEnv } from "../../../spec/execution/apply.ts";
import {
  blockSigner,
  decodeEthTransaction,
  decodeTransaction,
  encodeTransaction,
  ethToHarmony,
  ethTransactionHash,
  recoverSender,
  signTransaction,
  type Transaction,
  transactionHash,
  transactionHashByType,
  type UnsignedTransaction,
} from "../../../spec/execution/transaction.ts";
import { intrinsicGas } from "../../../spec/execution/gas.ts";
import { feeShares } from "../../../spec/execution/fees.ts";
import { decodeReceipt, encodeReceipt } from "../../../spec/execution/receipt.ts";
import {
  applyIncomingReceipts,
  type CXReceipt,
  decodeCxReceipt,
  encodeCxReceipt,
} from "../../../spec/execution/cx-receipt.ts";
import type { Data } from "../../cbor.ts";
import type { Case, DecodedFields, Fields, Handler, Suite } from "../../harness.ts";
import { suite } from "../../harness.ts";

const big = (value: unknown) => bytesToBigint(value as Uint8Array);
const bytes = (value: unknown) => value as Uint8Array;
const ONE = 10n ** 18n;
const GWEI_100 = 100_000_000_000n;

// --- vector encodings of accounts, environments and transactions ---------------------------------

/** Reads a vector's account list. */
function readAccounts(value: unknown): AccountInit[] {
  return (value as DecodedFields[]).map((a) => ({
    address: bytes(a.address),
    balance: big(a.balance),
    nonce: big(a.nonce),
    code: bytes(a.code),
    storage: (a.storage as Uint8Array[][]).map(([k, v]) => [big(k), big(v)] as [bigint, bigint]),
  }));
}

/** Writes every account of a state, sorted by address, in the vector encoding. */
function writeAccounts(state: WorldState): Data[] {
  const rows = [...allAccounts(state)].sort(([a], [b]) => (a < b ? -1 : 1));
  return rows.map(([key, r]) => ({
    address: fromHex(key),
    balance: r.balance,
    nonce: r.nonce,
    code: r.code,
    storage: [...allStorage(r)].sort().map(([k, v]) => [fromHex(k), v]),
  }));
}

/** Reads a vector's block environment (no history: BLOCKHASH and past VRFs are zero). */
function readEnv(e: DecodedFields): BlockEnv {
  return {
    shardId: big(e.shard_id),
    epoch: big(e.epoch),
    blockNumber: big(e.number),
    coinbase: bytes(e.coinbase),
    gasLimit: big(e.gas_limit),
    timestamp: big(e.timestamp),
    vrf: new Uint8Array(32),
    vrfOfBlock: () => new Uint8Array(32),
    blockHash: () => new Uint8Array(32),
  };
}

/** A transaction in a vector: native RLP, or Ethereum RLP converted for the block's network. */
function readTx(config: NetworkConfig, t: DecodedFields): Transaction {
  return t.format === "eth"
    ? ethToHarmony(config, decodeEthTransaction(bytes(t.bytes)))
    : decodeTransaction(bytes(t.bytes));
}

const ENV_FIELDS = (epoch: bigint, shard = 0n): Fields => ({
  shard_id: shard,
  epoch,
  number: 1000n,
  coinbase: fromHex("00000000000000000000000000000000000c0b1e"),
  gas_limit: 30_000_000n,
  timestamp: 1_700_000_000n,
});

// --- keys and signing through @ethereumjs/tx ----------------------------------------------------

const key = (i: number) => bigintToFixedBytes(BigInt(i) + 0x1000n, 32);
const address = (i: number) => addressFromPrivateKey(key(i));
const commonFor = (chainId: bigint) =>
  createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork: Hardfork.Istanbul });
const RECIPIENT = fromHex("0000000000000000000000000000000000007e57");

/** An Ethereum legacy transaction signed by @ethereumjs/tx (synchronously). */
function ethSigned(i: number, chainId: bigint, fields: Partial<UnsignedTransaction>): Uint8Array {
  const tx = createLegacyTx({
    nonce: fields.nonce ?? 0n,
    gasPrice: fields.gasPrice ?? GWEI_100,
    gasLimit: fields.gasLimit ?? 21_000n,
    to: fields.to ?? RECIPIENT,
    value: fields.value ?? 1n,
    data: fields.data ?? new Uint8Array(0),
  }, { common: commonFor(chainId) });
  return tx.sign(key(i)).serialize();
}

/** A signed Ethereum transaction parsed by @ethereumjs/tx (`v` must match the chain ID). */
const parsed = (b: Uint8Array, chainId: bigint) =>
  createLegacyTxFromRLP(b, { common: commonFor(chainId) });

/** The hash @ethereumjs/tx gives a signed Ethereum transaction. */
const oracleHash = (b: Uint8Array, chainId: bigint) => parsed(b, chainId).hash();

/** A native transaction signed with the block signer of an environment. */
function nativeSigned(
  config: NetworkConfig,
  epoch: bigint,
  i: number,
  fields: Partial<UnsignedTransaction>,
): Uint8Array {
  const signer = blockSigner(config, fields.shardId ?? 0n, epoch, { v: 27n });
  const tx = signTransaction(signer, {
    nonce: 0n,
    gasPrice: GWEI_100,
    gasLimit: 21_000n,
    shardId: 0n,
    toShardId: 0n,
    to: RECIPIENT,
    value: 1n,
    data: new Uint8Array(0),
    ...fields,
  }, key(i));
  return encodeTransaction(tx);
}

// --- tx_decode -----------------------------------------------------------------------------------

const txDecode: Handler = {
  runner: "execution",
  handler: "tx_decode",
  preset: "general",
  config: {},
  covers: ["decodeTransaction", "decodeEthTransaction", "transactionHash", "ethTransactionHash"],
  run: (inputs) => {
    const eth = inputs.format === "eth";
    const raw = bytes(inputs.bytes);
    const tx = eth
      ? { ...decodeEthTransaction(raw), shardId: 0n, toShardId: 0n }
      : decodeTransaction(raw);
    const out: Fields = {
      nonce: tx.nonce,
      gas_price: tx.gasPrice,
      gas_limit: tx.gasLimit,
      to: tx.to ?? new Uint8Array(0),
      value: tx.value,
      data: tx.data,
      v: tx.v,
      r: tx.r,
      s: tx.s,
      hash: eth ? ethTransactionHash(tx) : transactionHash(tx),
    };
    if (!eth) Object.assign(out, { shard_id: tx.shardId, to_shard_id: tx.toShardId });
    return out;
  },
};

const ethTransfer = ethSigned(1, ethChainId(MAINNET, 0n), { nonce: 7n, value: ONE });
const nativeBytes = encodeRlp([
  Uint8Array.of(5),
  bigintToFixedBytes(GWEI_100, 5),
  Uint8Array.of(0x52, 0x08),
  new Uint8Array(0),
  Uint8Array.of(1),
  RECIPIENT,
  Uint8Array.of(9),
  Uint8Array.of(0xca, 0xfe),
  Uint8Array.of(0x25),
  Uint8Array.of(1),
  Uint8Array.of(2),
]);

const txDecodeCases: Case[] = [
  {
    name: "eth_legacy_by_ethereumjs",
    description: "An Ethereum legacy transfer signed by @ethereumjs/tx for mainnet shard 0 " +
      "decodes to the fields it was built from; its hash is the library's hash.",
    inputs: { format: "eth", bytes: ethTransfer },
    check: (out) => {
      if (big(out.nonce) !== 7n || big(out.value) !== ONE) throw new Error("fields");
      if (toHex(bytes(out.hash)) !== toHex(oracleHash(ethTransfer, ethChainId(MAINNET, 0n)))) {
        throw new Error("hash");
      }
    },
  },
  {
    name: "native_cross_shard",
    description: "A hand-built native transaction (nonce 5, 100 gwei, 21000 gas, shard 0 to " +
      "shard 1, value 9, data cafe, v 37, r 1, s 2) decodes field by field.",
    inputs: { format: "harmony", bytes: nativeBytes },
    check: (out) => {
      const want: [string, bigint][] = [
        ["nonce", 5n],
        ["gas_price", GWEI_100],
        ["gas_limit", 21000n],
        ["shard_id", 0n],
        ["to_shard_id", 1n],
        ["value", 9n],
        ["v", 37n],
        ["r", 1n],
        ["s", 2n],
      ];
      for (const [k, v] of want) if (big(out[k]) !== v) throw new Error(k);
      if (toHex(bytes(out.data)) !== "cafe") throw new Error("data");
    },
  },
  {
    name: "native_leading_zero_gas_price",
    description: "A gas price with a leading zero byte is not canonical RLP for an integer.",
    inputs: {
      format: "harmony",
      bytes: encodeRlp([
        new Uint8Array(0),
        Uint8Array.of(0, 1),
        ...Array.from({ length: 9 }, () => new Uint8Array(0)),
      ]),
    },
    expect: { error: "encoding/rlp-leading-zero" },
  },
  {
    name: "native_shard_id_too_wide",
    description: "A shard ID of 5 bytes overflows Go's uint32.",
    inputs: {
      format: "harmony",
      bytes: encodeRlp([
        new Uint8Array(0),
        new Uint8Array(0),
        new Uint8Array(0),
        Uint8Array.of(1, 0, 0, 0, 0),
        ...Array.from({ length: 7 }, () => new Uint8Array(0)),
      ]),
    },
    expect: { error: "encoding/rlp-uint-overflow" },
  },
  {
    name: "native_short_recipient",
    description: "A recipient of 19 bytes is neither an address nor the empty creation marker.",
    inputs: {
      format: "harmony",
      bytes: encodeRlp([
        ...Array.from({ length: 5 }, () => new Uint8Array(0)),
        new Uint8Array(19).fill(1),
        ...Array.from({ length: 5 }, () => new Uint8Array(0)),
      ]),
    },
    expect: { error: "encoding/rlp-wrong-length" },
  },
  {
    name: "eth_as_native",
    description: "An Ethereum transaction (9 fields) is not a native one (11 fields).",
    inputs: { format: "harmony", bytes: ethTransfer },
    expect: { error: "encoding/rlp-wrong-item-count" },
  },
];

// --- tx_sender -----------------------------------------------------------------------------------

function txSender(config: NetworkConfig): Handler {
  return {
    runner: "execution",
    handler: "tx_sender",
    preset: config.network,
    config: {},
    covers: ["blockSigner", "recoverSender", "ethToHarmony", "transactionHashByType"],
    run: (inputs) => {
      const tx = readTx(config, inputs.tx as DecodedFields);
      const signer = blockSigner(config, big(inputs.shard_id), big(inputs.epoch), tx);
      return {
        sender: recoverSender(signer, tx),
        shard_id: tx.shardId,
        hash_by_type: transactionHashByType(tx),
      };
    },
  };
}

/** The sender @ethereumjs/tx recovers. */
const senderOf = (b: Uint8Array, chainId: bigint) => parsed(b, chainId).getSenderAddress().bytes;

function senderCases(config: NetworkConfig, late: bigint): Case[] {
  const id0 = ethChainId(config, 0n);
  const id1 = ethChainId(config, 1n);
  const eth0 = ethSigned(2, id0, {});
  const eth1 = ethSigned(2, id1, {});
  return [
    {
      name: "eth_shard0_by_ethereumjs",
      description: "A transaction signed by @ethereumjs/tx for shard 0's Ethereum-compatible " +
        "chain ID recovers the library's sender; it is known by its Ethereum hash.",
      inputs: { tx: { format: "eth", bytes: eth0 }, shard_id: 0n, epoch: late },
      expect: { sender: senderOf(eth0, id0), shard_id: 0n, hash_by_type: oracleHash(eth0, id0) },
    },
    {
      name: "eth_shard1_by_ethereumjs",
      description: "Signed for shard 1's chain ID, the transaction belongs to shard 1.",
      inputs: { tx: { format: "eth", bytes: eth1 }, shard_id: 1n, epoch: late },
      expect: { sender: senderOf(eth1, id1), shard_id: 1n, hash_by_type: oracleHash(eth1, id1) },
    },
    {
      name: "eth_wrong_shard_chain_id",
      description: "Shard 0's node refuses a signature for shard 1's chain ID.",
      inputs: { tx: { format: "eth", bytes: eth1 }, shard_id: 0n, epoch: late },
      expect: { error: "execution/invalid-chain-id" },
    },
    {
      name: "native_wrong_chain_id",
      description: "A native transaction signed for chain 18 is refused (Go TestChainID).",
      inputs: {
        tx: {
          format: "harmony",
          bytes: encodeTransaction(signTransaction(
            { kind: "eip155", chainId: 18n, nodeEthChainId: 18n },
            { ...decodeTransaction(nativeSigned(config, late, 3, {})) },
            key(3),
          )),
        },
        shard_id: 0n,
        epoch: late,
      },
      expect: { error: "execution/invalid-chain-id" },
    },
    {
      name: "native_zero_r",
      description: "A signature with r = 0 is invalid.",
      inputs: {
        tx: {
          format: "harmony",
          bytes: encodeTransaction({
            ...decodeTransaction(nativeSigned(config, late, 3, {})),
            r: 0n,
          }),
        },
        shard_id: 0n,
        epoch: late,
      },
      expect: { error: "execution/invalid-signature" },
    },
  ];
}

const MAINNET_SENDER_EXTRA: Case[] = [
  {
    name: "eth_before_eth_compatible",
    description:
      "Before EthCompatible (mainnet epoch 442) an Ethereum-format transaction is refused.",
    inputs: {
      tx: { format: "eth", bytes: ethSigned(2, ethChainId(MAINNET, 0n), {}) },
      shard_id: 0n,
      epoch: 441n,
    },
    expect: { error: "execution/eth-compatible-not-active" },
  },
  {
    name: "native_frontier_before_eip155",
    description: "Before EIP155 (mainnet epoch 28) native transactions are checked by the " +
      "frontier signer, with no chain ID.",
    inputs: {
      tx: { format: "harmony", bytes: nativeSigned(MAINNET, 27n, 4, {}) },
      shard_id: 0n,
      epoch: 27n,
    },
    check: (out) => {
      const expected = privateKeyToAccount(`0x${toHex(key(4))}`).address.slice(2).toLowerCase();
      if (toHex(bytes(out.sender)) !== expected) throw new Error("sender");
    },
  },
];

// --- intrinsic_gas and fees ----------------------------------------------------------------------

const intrinsicHandler: Handler = {
  runner: "execution",
  handler: "intrinsic_gas",
  preset: "mainnet",
  config: {},
  covers: ["intrinsicGas"],
  run: (inputs) => ({
    gas: intrinsicGas(
      MAINNET,
      big(inputs.epoch),
      bytes(inputs.data),
      inputs.kind as "call" | "create" | "create-validator",
    ),
  }),
};

const DATA = Uint8Array.of(0, 0, 1, 2, 3);
const intrinsicCases: Case[] = [
  ["before_istanbul_call", 313n, "call", 21000n + 8n + 3n * 68n],
  ["istanbul_call", 314n, "call", 21000n + 8n + 3n * 16n],
  ["create_before_s3", 27n, "create", 21000n + 8n + 3n * 68n],
  ["create_from_s3", 28n, "create", 53000n + 8n + 3n * 68n],
  ["create_validator", 1600n, "create-validator", 5_300_000n + 8n + 3n * 16n],
].map(([name, epoch, kind, gas]) => ({
  name: name as string,
  description: `Intrinsic gas of a ${kind} with data 0000010203 at epoch ${epoch}.`,
  inputs: { epoch: epoch as bigint, kind: kind as string, data: DATA },
  expect: { gas: gas as bigint },
}));

function feesHandler(config: NetworkConfig): Handler {
  return {
    runner: "execution",
    handler: "fees",
    preset: config.network,
    config: {},
    covers: ["feeShares"],
    run: (inputs) => {
      const split = feeShares(config, big(inputs.epoch), bytes(inputs.coinbase), big(inputs.fee));
      return {
        credits: split.credits.map((c) => ({ address: c.address, amount: c.amount })),
        burnt: split.burnt,
      };
    },
  };
}

const COINBASE = fromHex("00000000000000000000000000000000000c0b1e");
const MAINNET_COLLECTORS = MAINNET.sharding.instances.at(-1)!.instance.feeCollectors;
const mainnetFeeCases: Case[] = [
  {
    name: "coinbase_before_staking",
    description: "Before Staking (epoch 186) the leader receives the whole fee.",
    inputs: { epoch: 185n, coinbase: COINBASE, fee: 21000n * GWEI_100 },
    expect: { credits: [{ address: COINBASE, amount: 21000n * GWEI_100 }], burnt: 0n },
  },
  {
    name: "burnt_from_staking",
    description: "From Staking, with no fee collectors, the fee is burnt.",
    inputs: { epoch: 186n, coinbase: COINBASE, fee: 21000n * GWEI_100 },
    expect: { credits: [], burnt: 21000n * GWEI_100 },
  },
  {
    name: "collectors_odd_fee",
    description: "From FeeCollect (1535) two collectors get half each, truncated: an odd fee " +
      "burns one atto (Go TestCollectGasRounding).",
    inputs: { epoch: 1535n, coinbase: COINBASE, fee: 5n },
    expect: {
      credits: MAINNET_COLLECTORS.map((c) => ({ address: c.address, amount: 2n })),
      burnt: 1n,
    },
  },
];

// --- apply_transfer ------------------------------------------------------------------------------

function applyHandler(config: NetworkConfig): Handler {
  return {
    runner: "execution",
    handler: "apply_transfer",
    preset: config.network,
    config: {},
    covers: ["applyPlainTransaction", "transactionKind", "feeShares", "encodeReceipt"],
    run: (inputs) => {
      const state = childState(stateFromAccounts(readAccounts(inputs.pre)));
      const env = readEnv(inputs.env as DecodedFields);
      const pool = { remaining: big(inputs.gas_pool) };
      const tx = readTx(config, inputs.tx as DecodedFields);
      const r = applyPlainTransaction(config, env, state, pool, tx, undefined, 0n);
      return {
        post: writeAccounts(state),
        receipt: encodeReceipt(r.receipt),
        gas_used: r.receipt.gasUsed,
        burnt: r.fee.burnt,
        gas_pool: pool.remaining,
        cx_receipt: r.cxReceipt === null ? new Uint8Array(0) : encodeCxReceipt(r.cxReceipt),
      };
    },
  };
}

const account = (address: Uint8Array, balance: bigint, nonce = 0n): Fields => ({
  address,
  balance,
  nonce,
  code: new Uint8Array(0),
  storage: [],
});

/** Expects one account's balance and nonce in the post state. */
function postHas(address: Uint8Array, balance: bigint, nonce?: bigint) {
  return (out: DecodedFields) => {
    const row = (out.post as DecodedFields[]).find((a) =>
      toHex(bytes(a.address)) === toHex(address)
    );
    const got = row === undefined ? 0n : big(row.balance);
    if (got !== balance) throw new Error(`${toHex(address)}: balance ${got} != ${balance}`);
    if (nonce !== undefined && big(row?.nonce) !== nonce) throw new Error("nonce");
  };
}

function all(...checks: ((out: DecodedFields) => void)[]) {
  return (out: DecodedFields) => checks.forEach((c) => c(out));
}

/** Transfer cases for an epoch of a network; `feeTo` says where a 21000-gas fee goes. */
function transferCases(
  config: NetworkConfig,
  epoch: bigint,
  tag: string,
  feeTo: (fee: bigint) => [Uint8Array, bigint][],
): Case[] {
  const pre = [account(address(1), 2n * ONE)];
  const fee = 21000n * GWEI_100;
  const tx = (fields: Partial<UnsignedTransaction>) => ({
    format: "harmony",
    bytes: nativeSigned(config, epoch, 1, fields),
  });
  const base = { pre, env: ENV_FIELDS(epoch), gas_pool: 30_000_000n };
  return [
    {
      name: `${tag}_transfer`,
      description: `A plain transfer of 1 ONE with gas limit 50000 at epoch ${epoch}: the sender ` +
        "pays value + 21000 × 100 gwei (Go TestCollectGas), the fee goes by era.",
      inputs: { ...base, tx: tx({ value: ONE, gasLimit: 50_000n }) },
      check: all(
        postHas(address(1), 2n * ONE - ONE - fee, 1n),
        postHas(RECIPIENT, ONE),
        ...feeTo(fee).map(([a, amount]) => postHas(a, amount)),
        (out) => {
          if (big(out.gas_used) !== 21000n) throw new Error("gas used");
          if (big(out.gas_pool) !== 30_000_000n - 21000n) throw new Error("gas pool");
          const r = decodeReceipt(bytes(out.receipt));
          if (r.status !== 1 || r.cumulativeGasUsed !== 21000n || r.logs.length !== 0) {
            throw new Error("receipt");
          }
        },
      ),
    },
  ];
}

function rejectionCases(config: NetworkConfig, epoch: bigint): Case[] {
  const pre = [account(address(1), ONE)];
  const base = { pre, env: ENV_FIELDS(epoch), gas_pool: 30_000_000n };
  const tx = (fields: Partial<UnsignedTransaction>) => ({
    format: "harmony",
    bytes: nativeSigned(config, epoch, 1, fields),
  });
  const list: [string, string, Data, string, bigint?][] = [
    [
      "wrong_shard",
      "A transaction for shard 1 in a shard-0 block.",
      tx({ shardId: 1n }),
      "execution/wrong-shard",
    ],
    [
      "to_shard_out_of_range",
      "A destination shard beyond the instance's shards.",
      tx({ toShardId: 9n }),
      "execution/to-shard-out-of-range",
    ],
    [
      "nonce_too_high",
      "Nonce 1 for an account at nonce 0.",
      tx({ nonce: 1n }),
      "execution/nonce-too-high",
    ],
    [
      "insufficient_balance_for_gas",
      "Gas limit × price above the balance (1 ONE).",
      tx({ gasLimit: 10_000_001n }),
      "execution/insufficient-balance-for-gas",
    ],
    [
      "block_gas_exhausted",
      "Gas limit above what is left of the block's gas.",
      tx({}),
      "execution/block-gas-exhausted",
      20_999n,
    ],
    [
      "intrinsic_gas_too_low",
      "Gas limit 20999, below the 21000 of a transfer.",
      tx({ gasLimit: 20_999n }),
      "execution/intrinsic-gas-too-low",
    ],
    [
      "insufficient_balance_for_value",
      "The value exceeds what is left after buying gas.",
      tx({ value: ONE }),
      "execution/insufficient-balance-for-value",
    ],
  ];
  return list.map(([name, description, t, code, pool]) => ({
    name: `reject_${name}`,
    description,
    inputs: { ...base, tx: t, gas_pool: pool ?? 30_000_000n },
    expect: { error: code as never },
  }));
}

const LOCAL_COLLECTORS = LOCALNET.sharding.instances[1].instance.feeCollectors;

function crossShardCase(): Case {
  const epoch = 3n;
  const txBytes = nativeSigned(LOCALNET, epoch, 1, { toShardId: 1n, value: 1000n });
  const tx = decodeTransaction(txBytes);
  const cx: CXReceipt = {
    txHash: transactionHash(tx),
    from: address(1),
    to: RECIPIENT,
    shardId: 0n,
    toShardId: 1n,
    amount: 1000n,
  };
  return {
    name: "cross_shard_send",
    description: "A cross-shard transfer debits value and fee on the source shard, credits " +
      "nobody there, and emits the CXReceipt [txHash, from, to, 0, 1, 1000].",
    inputs: {
      pre: [account(address(1), ONE)],
      env: ENV_FIELDS(epoch),
      gas_pool: 30_000_000n,
      tx: { format: "harmony", bytes: txBytes },
    },
    check: all(
      postHas(address(1), ONE - 1000n - 21000n * GWEI_100, 1n),
      postHas(RECIPIENT, 0n),
      (out) => {
        if (toHex(bytes(out.cx_receipt)) !== toHex(encodeCxReceipt(cx))) throw new Error("cx");
      },
    ),
  };
}

// --- incoming_receipts ---------------------------------------------------------------------------

const incomingHandler: Handler = {
  runner: "execution",
  handler: "incoming_receipts",
  preset: "localnet",
  config: {},
  covers: ["applyIncomingReceipts", "decodeCxReceipt", "isSpent"],
  run: (inputs) => {
    const state = childState(stateFromAccounts(readAccounts(inputs.pre)));
    const spent = new Set(
      (inputs.spent as DecodedFields[]).map((s) => `${big(s.shard_id)}:${big(s.number)}`),
    );
    const batches = (inputs.batches as DecodedFields[]).map((b) => ({
      sourceShardId: big(b.shard_id),
      sourceBlockNumber: big(b.number),
      receipts: (b.receipts as Uint8Array[]).map(decodeCxReceipt),
    }));
    const after = applyIncomingReceipts(
      LOCALNET,
      state,
      spent,
      big(inputs.shard_id),
      big(inputs.epoch),
      batches,
    );
    const rows = [...after].sort().map((k) => {
      const [s, n] = k.split(":");
      return { shard_id: BigInt(s), number: BigInt(n) };
    });
    return { post: writeAccounts(state), spent: rows };
  },
};

const incoming = (to: Uint8Array, amount: bigint) =>
  encodeCxReceipt({
    txHash: new Uint8Array(32).fill(1),
    from: address(5),
    to,
    shardId: 1n,
    toShardId: 0n,
    amount,
  });

const incomingCases: Case[] = [
  {
    name: "credit_new_account",
    description: "Receipts from shard 1 block 42 credit 10 and 20 atto; the source block is " +
      "then spent.",
    inputs: {
      pre: [account(address(1), 5n)],
      spent: [],
      shard_id: 0n,
      epoch: 3n,
      batches: [{
        shard_id: 1n,
        number: 42n,
        receipts: [incoming(address(1), 10n), incoming(RECIPIENT, 20n)],
      }],
    },
    check: all(postHas(address(1), 15n), postHas(RECIPIENT, 20n), (out) => {
      const s = out.spent as DecodedFields[];
      if (s.length !== 1 || big(s[0].number) !== 42n) throw new Error("spent");
    }),
  },
  {
    name: "replay_spent",
    description: "Receipts of a source block already credited are refused.",
    inputs: {
      pre: [],
      spent: [{ shard_id: 1n, number: 42n }],
      shard_id: 0n,
      epoch: 3n,
      batches: [{ shard_id: 1n, number: 42n, receipts: [incoming(address(1), 10n)] }],
    },
    expect: { error: "execution/cx-proof-already-spent" },
  },
  {
    name: "duplicate_in_block",
    description: "The same source block twice in one block is refused.",
    inputs: {
      pre: [],
      spent: [],
      shard_id: 0n,
      epoch: 3n,
      batches: [
        { shard_id: 1n, number: 42n, receipts: [incoming(address(1), 10n)] },
        { shard_id: 1n, number: 42n, receipts: [incoming(address(1), 10n)] },
      ],
    },
    expect: { error: "execution/cx-proof-duplicate" },
  },
  {
    name: "wrong_destination",
    description: "A receipt for shard 1 delivered to shard 0 is refused.",
    inputs: {
      pre: [],
      spent: [],
      shard_id: 0n,
      epoch: 3n,
      batches: [{
        shard_id: 1n,
        number: 43n,
        receipts: [
          encodeCxReceipt({
            txHash: new Uint8Array(32),
            from: address(5),
            to: RECIPIENT,
            shardId: 1n,
            toShardId: 1n,
            amount: 1n,
          }),
        ],
      }],
    },
    expect: { error: "execution/cx-receipt-wrong-shard" },
  },
];

/** Every suite of the execution runner. */
export const EXECUTION_SUITES: Suite[] = [
  suite(txDecode, txDecodeCases),
  suite(txSender(MAINNET), [...senderCases(MAINNET, 1600n), ...MAINNET_SENDER_EXTRA]),
  suite(txSender(LOCALNET), senderCases(LOCALNET, 3n)),
  suite(intrinsicHandler, intrinsicCases),
  suite(feesHandler(MAINNET), mainnetFeeCases),
  suite(applyHandler(MAINNET), [
    ...transferCases(MAINNET, 185n, "coinbase_era", (fee) => [[COINBASE, fee]]),
    ...transferCases(MAINNET, 200n, "burn_era", () => [[COINBASE, 0n]]),
    ...transferCases(
      MAINNET,
      1600n,
      "collector_era",
      (fee) => MAINNET_COLLECTORS.map((c) => [c.address, fee / 2n]),
    ),
    ...rejectionCases(MAINNET, 1600n),
  ]),
  suite(applyHandler(LOCALNET), [
    ...transferCases(
      LOCALNET,
      3n,
      "collector_era",
      (fee) => LOCAL_COLLECTORS.map((c) => [c.address, fee / 2n]),
    ),
    crossShardCase(),
  ]),
  suite(incomingHandler, incomingCases),
];
