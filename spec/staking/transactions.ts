/**
 * The staking transaction: its envelope, signing hash, sender, and where it is accepted.
 *
 * A staking transaction is the RLP list of eight fields:
 *
 * `[directive, message, nonce, gasPrice, gasLimit, v, r, s]`
 *
 * - `directive` is a byte (Go `uint8`), `nonce` and `gasLimit` are `uint64`, `gasPrice`, `v`, `r`
 *   and `s` unsigned integers of any size;
 * - `message` is any RLP item: the envelope keeps it as it is (Go decodes it into an empty
 *   interface). Its typed decoding for the directive happens when the transaction is applied
 *   (`decodeStakeMessage`), so a transaction with an unknown directive or a malformed message
 *   decodes as an envelope and is rejected when applied.
 *
 * There is no recipient and no value: the message says everything.
 *
 * **Signing.** The sender signs, with secp256k1 (see `crypto/secp256k1.ts`), the *signing hash*
 * `keccak256(RLP([directive, message, nonce, gasPrice, gasLimit, chainId, 0, 0]))`, the EIP-155
 * pattern with Harmony's chain ID (1 on mainnet, 2 on testnet and localnet; not the
 * Ethereum-compatible chain ID), and stores `v = 35 + 2·chainId + recoveryId`, `r`, `s`.
 * The transaction hash is `keccak256` of the whole signed encoding.
 *
 * **Sender.** The chain ID is taken from `v` itself (`(v − 35) / 2`), the signing hash is computed
 * with it, and the sender is recovered under the homestead rule (low `s`). Every `v` below 35
 * fails: staking transactions are always replay-protected (Go computes a chain ID from 27 or 28
 * too, but then a recovery value that no signature can have). Signing with chain ID 0 writes
 * `v = 27 + recoveryId` (Go's `SignatureValues`), which therefore never recovers.
 *
 * **Where it is accepted** (node policy, not checked by the block validator): only on the beacon
 * chain (shard 0) and only from `PreStaking` on ({@link requireStakingAccepted}); and a
 * transaction submitted over RPC must carry the network's chain ID
 * ({@link requireStakingChainId}). Blocks themselves carry staking transactions from
 * `PreStaking` on (earlier block bodies have no place for them) and are processed with the
 * chain ID from `v`.
 *
 * **Intrinsic gas** ({@link stakingIntrinsicGas}): 21,000, or 5,300,000 for CreateValidator,
 * plus, for each byte of the message's RLP, 4 for a zero byte and 68 for a non-zero byte (16 from
 * `Istanbul`).
 *
 * @see github.com/harmony-one/harmony staking/types/transaction.go (`txdata`,
 *   `StakingTransaction`), staking/types/sign.go (`EIP155Signer`, `recoverPlain`,
 *   `deriveChainID`)
 * @see github.com/harmony-one/harmony core/state_transition.go (`StakingTransitionDb`),
 *   core/vm/gas.go (`IntrinsicGas`), rpc/harmony/pool.go (`SendRawStakingTransaction`),
 *   node/harmony/node.go (`addPendingStakingTransactions`)
 * @module
 */
import { decodeV, encodeV, recoverAddress, sign } from "../crypto/secp256k1.ts";
import { bigintToBytes, bytesEqual, MAX_UINT64 } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import {
  decodeRlp,
  encodeRlp,
  encodeRlpList,
  readBigUint,
  readListOf,
  readUint,
  splitRlpList,
} from "../encoding/rlp.ts";
import { invariant, require } from "../errors.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import { Directive, type StakeMessage, stakeMessageSigner } from "./messages.ts";

/** A staking transaction, signed or not (Go `txdata`). */
export interface StakingTransaction {
  /** The directive byte: which message follows (0–4 are known). */
  directive: number;
  /** The message's RLP, exactly as carried. */
  message: Uint8Array;
  /** The sender's nonce (`uint64`). */
  nonce: bigint;
  /** The gas price, in atto per gas. */
  gasPrice: bigint;
  /** The gas limit (`uint64`). */
  gasLimit: bigint;
  /** `35 + 2·chainId + recoveryId` once signed; 0 before. */
  v: bigint;
  /** The signature's `r`; 0 before signing. */
  r: bigint;
  /** The signature's `s`; 0 before signing. */
  s: bigint;
}

/** Gas every staking transaction pays before its data. */
export const TX_GAS = 21_000n;

/** Gas a CreateValidator transaction pays before its data. */
export const TX_GAS_VALIDATOR_CREATION = 5_300_000n;

/** Gas per zero byte of data. */
export const TX_DATA_ZERO_GAS = 4n;

/** Gas per non-zero byte of data before `Istanbul`. */
export const TX_DATA_NON_ZERO_GAS_FRONTIER = 68n;

/** Gas per non-zero byte of data from `Istanbul` (EIP-2028). */
export const TX_DATA_NON_ZERO_GAS_EIP2028 = 16n;

/** The RLP of an unsigned integer. */
function uintRlp(value: bigint): Uint8Array {
  return encodeRlp(bigintToBytes(value));
}

/**
 * Encodes a staking transaction.
 *
 * @param tx the transaction
 * @returns `RLP([directive, message, nonce, gasPrice, gasLimit, v, r, s])`
 */
export function encodeStakingTransaction(tx: StakingTransaction): Uint8Array {
  return encodeRlpList([...stakingFields(tx), uintRlp(tx.v), uintRlp(tx.r), uintRlp(tx.s)]);
}

/** The fields before the signature, each as RLP: directive, message, nonce, gas price and limit. */
function stakingFields(tx: StakingTransaction): Uint8Array[] {
  return [
    uintRlp(BigInt(tx.directive)),
    tx.message,
    uintRlp(tx.nonce),
    uintRlp(tx.gasPrice),
    uintRlp(tx.gasLimit),
  ];
}

/**
 * Decodes a staking transaction, strictly; the message is kept as raw RLP.
 *
 * @param encoded the transaction's RLP
 * @returns the transaction
 * @throws {SpecError} the codes of `decodeRlp`; `encoding/rlp-expected-list`,
 *   `encoding/rlp-wrong-item-count` (not 8 items), `encoding/rlp-expected-string`,
 *   `encoding/rlp-leading-zero`, `encoding/rlp-uint-overflow` (directive over 1 byte, nonce or
 *   gas limit over 8 bytes)
 */
export function decodeStakingTransaction(encoded: Uint8Array): StakingTransaction {
  const f = readListOf(decodeRlp(encoded), 8);
  const raw = splitRlpList(encoded);
  return {
    directive: Number(readUint(f[0], 8)),
    message: raw[1],
    nonce: readUint(f[2], 64),
    gasPrice: readBigUint(f[3]),
    gasLimit: readUint(f[4], 64),
    v: readBigUint(f[5]),
    r: readBigUint(f[6]),
    s: readBigUint(f[7]),
  };
}

/**
 * The transaction hash: Keccak-256 of the signed encoding.
 *
 * @param tx the transaction
 * @returns 32 bytes
 */
export function stakingTransactionHash(tx: StakingTransaction): Uint8Array {
  return keccak256(encodeStakingTransaction(tx));
}

/**
 * The hash the sender signs (Go `EIP155Signer.Hash`).
 *
 * @param tx the transaction (its signature fields are ignored)
 * @param chainId the chain ID signed into the hash
 * @returns `keccak256(RLP([directive, message, nonce, gasPrice, gasLimit, chainId, 0, 0]))`
 */
export function stakingSigningHash(tx: StakingTransaction, chainId: bigint): Uint8Array {
  const zero = uintRlp(0n);
  return keccak256(encodeRlpList([...stakingFields(tx), uintRlp(chainId), zero, zero]));
}

/**
 * An unsigned staking transaction for a message.
 *
 * @param msg the message
 * @param encodedMessage its RLP (`encodeStakeMessage(msg)`)
 * @param fields nonce, gas price and gas limit
 * @returns the transaction with `v = r = s = 0`
 */
export function unsignedStakingTransaction(
  msg: StakeMessage,
  encodedMessage: Uint8Array,
  fields: { nonce: bigint; gasPrice: bigint; gasLimit: bigint },
): StakingTransaction {
  return { directive: msg.directive, message: encodedMessage, ...fields, v: 0n, r: 0n, s: 0n };
}

/**
 * Signs a staking transaction (Go `Sign` with an `EIP155Signer`): deterministic, low-s.
 *
 * @param tx the transaction
 * @param chainId the chain ID; 0 gives `v = 27 + recoveryId`, which no node recovers
 * @param privateKey the sender's 32-byte secp256k1 key
 * @returns the signed transaction
 * @throws {SpecError} `secp256k1/invalid-private-key`
 */
export function signStakingTransaction(
  tx: StakingTransaction,
  chainId: bigint,
  privateKey: Uint8Array,
): StakingTransaction {
  const sig = sign(stakingSigningHash(tx, chainId), privateKey);
  const v = encodeV(sig.recoveryId, chainId === 0n ? null : chainId);
  return { ...tx, v, r: sig.r, s: sig.s };
}

/**
 * The chain ID a staking transaction was signed for (Go `deriveChainID`): `(v − 35) / 2`.
 *
 * @param tx a transaction with `v ≥ 35`
 * @returns the chain ID
 * @throws {SpecError} `secp256k1/invalid-v` when `v < 35` (no staking transaction with such a `v`
 *   has a sender)
 */
export function stakingChainId(tx: StakingTransaction): bigint {
  const { chainId } = decodeV(tx.v);
  require(chainId !== null, "secp256k1/invalid-v", `${tx.v}`);
  return chainId;
}

/**
 * Recovers the sender of a staking transaction (Go `StakingTransaction.SenderAddress`): chain ID
 * from `v`, signing hash for that chain ID, recovery id `(v − 35) mod 2`, homestead rule.
 *
 * @param tx the signed transaction
 * @returns the sender's 20-byte address
 * @throws {SpecError} `secp256k1/invalid-v` (`v < 35`); `secp256k1/r-out-of-range`,
 *   `secp256k1/s-out-of-range`, `secp256k1/high-s`, `secp256k1/recovery-failed`
 */
export function stakingTransactionSender(tx: StakingTransaction): Uint8Array {
  const chainId = stakingChainId(tx);
  const { recoveryId } = decodeV(tx.v);
  const hash = stakingSigningHash(tx, chainId);
  return recoverAddress(hash, { r: tx.r, s: tx.s, recoveryId }, true);
}

/**
 * Checks that the sender is the account the message acts for (Go `StakingTransitionDb`).
 *
 * @param msg the decoded message
 * @param sender the recovered sender
 * @throws {SpecError} `staking/invalid-signer`
 */
export function requireStakingSigner(msg: StakeMessage, sender: Uint8Array): void {
  require(bytesEqual(stakeMessageSigner(msg), sender), "staking/invalid-signer");
}

/**
 * Checks that a submitted staking transaction carries the network's chain ID (Go
 * `SendRawStakingTransaction`, RPC policy).
 *
 * @param config the network configuration
 * @param tx the transaction
 * @throws {SpecError} `secp256k1/invalid-v`; `staking/wrong-chain-id`
 */
export function requireStakingChainId(config: NetworkConfig, tx: StakingTransaction): void {
  require(stakingChainId(tx) === config.chainId, "staking/wrong-chain-id");
}

/**
 * Checks that a node accepts staking transactions (Go `addPendingStakingTransactions`): on the
 * beacon chain only, from `PreStaking` on.
 *
 * @param config the network configuration
 * @param shardId the node's shard
 * @param epoch the current epoch
 * @throws {SpecError} `staking/not-beacon-shard`, `staking/before-pre-staking`
 */
export function requireStakingAccepted(
  config: NetworkConfig,
  shardId: bigint,
  epoch: bigint,
): void {
  require(shardId === 0n, "staking/not-beacon-shard");
  require(isActive(config, "PreStaking", epoch), "staking/before-pre-staking");
}

/**
 * The intrinsic gas of a staking transaction (Go `IntrinsicGas` with the message's RLP as data).
 * Go's overflow check cannot trigger: it needs more than 2^57 bytes of data.
 *
 * @param config the network configuration
 * @param epoch the block's epoch (decides `Istanbul`)
 * @param directive the directive byte
 * @param message the message's RLP
 * @returns the gas
 */
export function stakingIntrinsicGas(
  config: NetworkConfig,
  epoch: bigint,
  directive: number,
  message: Uint8Array,
): bigint {
  let gas = directive === Directive.CreateValidator ? TX_GAS_VALIDATOR_CREATION : TX_GAS;
  const nonZeroGas = isActive(config, "Istanbul", epoch)
    ? TX_DATA_NON_ZERO_GAS_EIP2028
    : TX_DATA_NON_ZERO_GAS_FRONTIER;
  let nonZero = 0n;
  for (const b of message) if (b !== 0) nonZero++;
  gas += nonZero * nonZeroGas + (BigInt(message.length) - nonZero) * TX_DATA_ZERO_GAS;
  invariant(gas <= MAX_UINT64, "intrinsic gas fits in uint64");
  return gas;
}
