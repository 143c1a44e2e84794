/**
 * Transactions: Harmony's native format and the Ethereum format Harmony accepts.
 *
 * **Harmony's native transaction** (Go `txdata`) is an RLP list of eleven fields:
 *
 * | # | field       | Go type           | RLP                                                   |
 * | - | ----------- | ----------------- | ----------------------------------------------------- |
 * | 1 | nonce       | `uint64`          | integer, at most 8 bytes                              |
 * | 2 | gasPrice    | `*big.Int`        | integer                                               |
 * | 3 | gasLimit    | `uint64`          | integer, at most 8 bytes                              |
 * | 4 | shardId     | `uint32`          | integer, at most 4 bytes: the shard that runs it      |
 * | 5 | toShardId   | `uint32`          | integer: the shard of the recipient                   |
 * | 6 | to          | `*Address`, `nil` | 20 bytes, or the empty string for contract creation   |
 * | 7 | value       | `*big.Int`        | integer                                               |
 * | 8 | data        | `[]byte`          | byte string                                           |
 * | 9–11 | v, r, s  | `*big.Int`        | the signature                                         |
 *
 * Integers are canonical: big-endian with no leading zero byte, zero as the empty string.
 *
 * **The Ethereum transaction** (Go `ethTxdata`, a legacy Ethereum transaction) is the same list
 * without fields 4 and 5. Wallets such as MetaMask sign it with Harmony's *Ethereum-compatible*
 * chain ID of the shard they talk to (mainnet shard 0: 1666600000, shard `s`: 1666600000 + s). A
 * node turns it into a native transaction whose shard and destination shard are both the shard
 * the chain ID names ({@link ethToHarmony}); the block carries the native form, and the receipt
 * and the RPC use the Ethereum form's hash ({@link transactionHashByType}).
 *
 * **Signatures.** The `v` value carries the chain ID as in EIP-155: `v = 35 + 2·chainId + y` where
 * `y` is the parity of the signing point, or `v = 27 + y` for an unprotected signature. Harmony's
 * signers (Go `transaction_signing.go`):
 *
 * - **EIP-155 signer** for a chain ID `c`: the signing hash is Keccak-256 of the RLP list of the
 *   unsigned fields followed by `c, 0, 0`. When `c` is an Ethereum-compatible chain ID (at least
 *   1666600000) the list is Ethereum's (no shard fields), so Ethereum tools produce valid
 *   signatures; otherwise it keeps the two shard fields. An unprotected signature (v = 27/28) is
 *   checked by the homestead signer instead. A protected one must carry `c` (or the node's own
 *   Ethereum-compatible chain ID).
 * - **Homestead signer** (unprotected, `s` in the lower half of the group order) and **frontier
 *   signer** (before `EIP155`: any `s`): the signing hash is Keccak-256 of the RLP list of the nine
 *   unsigned native fields, shard fields included, with no chain ID.
 *
 * Which signer a block applies: an Ethereum-compatible transaction (its chain ID, derived from
 * `v`, is at least 1666600000) needs the `EthCompatible` feature and is checked with the EIP-155
 * signer of the shard's Ethereum-compatible chain ID; any other transaction with the EIP-155 signer
 * of Harmony's own chain ID from `EIP155` on, the frontier signer before ({@link blockSigner}).
 *
 * Quirks reproduced from Go:
 * - the chain ID of a `v` below 35 other than 27/28 is computed in 64-bit unsigned arithmetic and
 *   wraps around (Go `deriveChainID`), so such a `v` claims a huge, Ethereum-compatible chain ID;
 * - an unprotected signature over the Ethereum-format fields does not recover its signer: without
 *   a chain ID the transaction is not Ethereum-compatible, and the homestead signer hashes the
 *   native fields.
 *
 * Staking transactions are a separate format (tagged RLP, `staking/`); they are not handled here.
 *
 * @see github.com/harmony-one/harmony core/types/transaction.go (txdata, Hash, ConvertToEth)
 * @see github.com/harmony-one/harmony core/types/eth_transaction.go (ethTxdata, ConvertToHmy)
 * @see github.com/harmony-one/harmony core/types/transaction_signing.go (MakeSigner, EIP155Signer,
 *   HomesteadSigner, FrontierSigner, recoverPlain, deriveChainID)
 * @see github.com/harmony-one/harmony internal/params/config.go (IsEthCompatible)
 * @module
 */
import { bigintToBytes, MAX_UINT64 } from "../encoding/bytes.ts";
import { keccak256 } from "../encoding/hash.ts";
import {
  decodeRlp,
  encodedOnce,
  encodeRlp,
  readBigUint,
  readBytes,
  readListOf,
  readUint,
  type RlpItem,
} from "../encoding/rlp.ts";
import {
  encodeV,
  nobleRecovery,
  type PointRecovery,
  recoverAddress,
  sign,
  type Signature,
} from "../crypto/secp256k1.ts";
import { rejectAs, require } from "../errors.ts";
import { ethChainId, isActive, type NetworkConfig } from "../params/mod.ts";

/** Harmony's native transaction (Go `txdata`). */
export interface Transaction {
  /** The sender's nonce (uint64). */
  nonce: bigint;
  /** Price of one unit of gas, in atto (1e-18 ONE). */
  gasPrice: bigint;
  /** Most gas the transaction may use (uint64). */
  gasLimit: bigint;
  /** The shard that executes the transaction (uint32). */
  shardId: bigint;
  /** The shard of the recipient; differs from `shardId` for a cross-shard transfer (uint32). */
  toShardId: bigint;
  /** The recipient (20 bytes), or `null` for a contract creation. */
  to: Uint8Array | null;
  /** Amount transferred, in atto. */
  value: bigint;
  /** Call data, or the init code of a contract creation. */
  data: Uint8Array;
  /** Signature `v`: recovery parity plus 27, or plus 35 + 2 × chain ID (EIP-155). */
  v: bigint;
  /** Signature `r`. */
  r: bigint;
  /** Signature `s`. */
  s: bigint;
}

/** The Ethereum (legacy) transaction Harmony accepts (Go `ethTxdata`): no shard fields. */
export type EthTransaction = Omit<Transaction, "shardId" | "toShardId">;

/** A transaction's fields before signing. */
export type UnsignedTransaction = Omit<Transaction, "v" | "r" | "s">;

/** Smallest chain ID Harmony treats as Ethereum-compatible (Go `EthMainnetShard0ChainID`). */
export const ETH_COMPATIBLE_MIN_CHAIN_ID = 1666600000n;

/** How a signature is checked (Go `Signer`). */
export type Signer = Eip155Signer | HomesteadSigner | FrontierSigner;

/** The EIP-155 signer of a chain (Go `EIP155Signer`). */
export interface Eip155Signer {
  /** Which signer. */
  kind: "eip155";
  /** The chain ID signatures are made for. */
  chainId: bigint;
  /** The node's own Ethereum-compatible chain ID, which Go's sender check also admits. */
  nodeEthChainId: bigint;
}

/** The homestead signer: no chain ID, `s` in the lower half (Go `HomesteadSigner`). */
export interface HomesteadSigner {
  /** Which signer. */
  kind: "homestead";
}

/** The frontier signer: no chain ID, any `s` (Go `FrontierSigner`). */
export interface FrontierSigner {
  /** Which signer. */
  kind: "frontier";
}

/** The RLP item of an optional recipient: 20 bytes, or the empty string for `null`. */
function toItem(to: Uint8Array | null): Uint8Array {
  return to === null ? new Uint8Array(0) : to;
}

/** The native fields 1–8 as RLP items. */
function nativeFields(tx: UnsignedTransaction): RlpItem[] {
  return [
    bigintToBytes(tx.nonce),
    bigintToBytes(tx.gasPrice),
    bigintToBytes(tx.gasLimit),
    bigintToBytes(tx.shardId),
    bigintToBytes(tx.toShardId),
    toItem(tx.to),
    bigintToBytes(tx.value),
    tx.data,
  ];
}

/** The Ethereum fields (native fields without the shards) as RLP items. */
function ethFields(tx: Omit<EthTransaction, "v" | "r" | "s">): RlpItem[] {
  return [
    bigintToBytes(tx.nonce),
    bigintToBytes(tx.gasPrice),
    bigintToBytes(tx.gasLimit),
    toItem(tx.to),
    bigintToBytes(tx.value),
    tx.data,
  ];
}

/** The signature fields as RLP items. */
function signatureFields(tx: { v: bigint; r: bigint; s: bigint }): RlpItem[] {
  return [bigintToBytes(tx.v), bigintToBytes(tx.r), bigintToBytes(tx.s)];
}

/**
 * Encodes a native transaction.
 *
 * @param tx the transaction
 * @returns its RLP encoding, the bytes blocks carry and {@link transactionHash} hashes
 */
export function encodeTransaction(tx: Transaction): Uint8Array {
  return encodedOnce(nativeEncoding, tx, () => [...nativeFields(tx), ...signatureFields(tx)]);
}

/**
 * The encodings of transaction records, native and Ethereum-format, kept by record. A record's
 * encoding is a function of its fields, and records are never changed in place (a changed copy is
 * a new record), so each is encoded at most once however often it is hashed, measured or put in
 * a block. A decoded record starts with the bytes it was read from: the decoding is strict, so
 * they are its one encoding.
 */
const nativeEncoding = new WeakMap<object, Uint8Array>();
const ethEncoding = new WeakMap<object, Uint8Array>();

/**
 * Encodes an Ethereum-format transaction, byte for byte as Ethereum tools sign and send it.
 *
 * @param tx the transaction
 * @returns its RLP encoding
 */
export function encodeEthTransaction(tx: EthTransaction): Uint8Array {
  return encodedOnce(ethEncoding, tx, () => [...ethFields(tx), ...signatureFields(tx)]);
}

/** Reads an optional recipient: empty string for none, else exactly 20 bytes. */
function readTo(item: RlpItem): Uint8Array | null {
  const bytes = readBytes(item);
  if (bytes.length === 0) return null;
  require(bytes.length === 20, "encoding/rlp-wrong-length", "recipient must be 20 bytes");
  return bytes;
}

/**
 * Decodes a native transaction with go-ethereum's strict rules.
 *
 * @param bytes the RLP encoding
 * @returns the transaction
 * @throws {SpecError} the `encoding/rlp-*` codes of the typed readers for malformed input
 */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  const f = readListOf(decodeRlp(bytes), 11);
  const tx: Transaction = {
    nonce: readUint(f[0], 64),
    gasPrice: readBigUint(f[1]),
    gasLimit: readUint(f[2], 64),
    shardId: readUint(f[3], 32),
    toShardId: readUint(f[4], 32),
    to: readTo(f[5]),
    value: readBigUint(f[6]),
    data: readBytes(f[7]),
    v: readBigUint(f[8]),
    r: readBigUint(f[9]),
    s: readBigUint(f[10]),
  };
  nativeEncoding.set(tx, bytes.slice());
  return tx;
}

/**
 * Decodes an Ethereum-format (legacy) transaction with go-ethereum's strict rules.
 *
 * @param bytes the RLP encoding
 * @returns the transaction
 * @throws {SpecError} the `encoding/rlp-*` codes of the typed readers for malformed input
 */
export function decodeEthTransaction(bytes: Uint8Array): EthTransaction {
  const f = readListOf(decodeRlp(bytes), 9);
  const tx: EthTransaction = {
    nonce: readUint(f[0], 64),
    gasPrice: readBigUint(f[1]),
    gasLimit: readUint(f[2], 64),
    to: readTo(f[3]),
    value: readBigUint(f[4]),
    data: readBytes(f[5]),
    v: readBigUint(f[6]),
    r: readBigUint(f[7]),
    s: readBigUint(f[8]),
  };
  ethEncoding.set(tx, bytes.slice());
  return tx;
}

/**
 * The hash of a native transaction: Keccak-256 of its encoding (Go `Transaction.Hash`).
 *
 * @param tx the transaction
 * @returns the 32-byte hash
 */
export function transactionHash(tx: Transaction): Uint8Array {
  return keccak256(encodeTransaction(tx));
}

/**
 * The hash of an Ethereum-format transaction: Keccak-256 of its Ethereum encoding, the hash
 * Ethereum tools compute.
 *
 * @param tx the transaction
 * @returns the 32-byte hash
 */
export function ethTransactionHash(tx: EthTransaction): Uint8Array {
  return keccak256(encodeEthTransaction(tx));
}

/**
 * The chain ID a `v` value claims (Go `deriveChainID`): 0 for 27 and 28, else `(v − 35) / 2`.
 * Go computes it in uint64 arithmetic when `v` fits in 64 bits, so a `v` below 35 wraps around.
 *
 * @param v the signature's `v`
 * @returns the chain ID
 */
export function chainIdOfV(v: bigint): bigint {
  if (v <= MAX_UINT64) {
    if (v === 27n || v === 28n) return 0n;
    return ((v - 35n) & MAX_UINT64) / 2n;
  }
  return (v - 35n) / 2n;
}

/**
 * Whether a `v` value is replay-protected (Go `isProtectedV`): anything but 27 and 28.
 *
 * @param v the signature's `v`
 * @returns `true` unless `v` is 27 or 28
 */
export function isProtectedV(v: bigint): boolean {
  return v !== 27n && v !== 28n;
}

/**
 * Whether a transaction is Ethereum-compatible (Go `IsEthCompatible`): the chain ID of its `v` is
 * at least {@link ETH_COMPATIBLE_MIN_CHAIN_ID}, on every network.
 *
 * @param tx the transaction (only `v` is read)
 * @returns whether the Ethereum-compatible signer applies
 */
export function isEthCompatible(tx: { v: bigint }): boolean {
  return chainIdOfV(tx.v) >= ETH_COMPATIBLE_MIN_CHAIN_ID;
}

/**
 * The native form of an Ethereum-format transaction received by a shard (Go `ConvertToHmy`): both
 * shard fields become the shard its chain ID names, `chainId − ethChainIdShard0`, computed as Go
 * does in uint32 arithmetic.
 *
 * @param config the network
 * @param tx the Ethereum-format transaction
 * @returns the native transaction with the same signature
 */
export function ethToHarmony(config: NetworkConfig, tx: EthTransaction): Transaction {
  const chainId = chainIdOfV(tx.v) & MAX_UINT64;
  const shard = (chainId - config.ethChainIdShard0) & 0xffff_ffffn;
  return withEthEncodingOf(tx, { ...tx, shardId: shard, toShardId: shard });
}

/** `to`, which has the same Ethereum fields as `from`, keeps `from`'s Ethereum encoding if known. */
function withEthEncodingOf<T extends object>(from: object, to: T): T {
  const bytes = ethEncoding.get(from);
  if (bytes !== undefined) ethEncoding.set(to, bytes);
  return to;
}

/**
 * The Ethereum form of a native transaction (Go `ConvertToEth`): the shard fields dropped.
 *
 * @param tx the native transaction
 * @returns the Ethereum-format transaction with the same signature
 */
export function harmonyToEth(tx: Transaction): EthTransaction {
  return withEthEncodingOf(tx, {
    nonce: tx.nonce,
    gasPrice: tx.gasPrice,
    gasLimit: tx.gasLimit,
    to: tx.to,
    value: tx.value,
    data: tx.data,
    v: tx.v,
    r: tx.r,
    s: tx.s,
  });
}

/**
 * The hash by which a transaction is known outside the block (Go `HashByType`): the Ethereum hash
 * for an Ethereum-compatible transaction, the native hash otherwise.
 *
 * @param tx the native transaction
 * @returns the 32-byte hash
 */
export function transactionHashByType(tx: Transaction): Uint8Array {
  return isEthCompatible(tx) ? ethTransactionHash(harmonyToEth(tx)) : transactionHash(tx);
}

/**
 * The hash a signer signs (Go `Signer.Hash`).
 *
 * @param signer the signer
 * @param tx the transaction (signature fields are ignored)
 * @returns the 32-byte signing hash
 */
export function signingHash(signer: Signer, tx: UnsignedTransaction): Uint8Array {
  if (signer.kind !== "eip155") return keccak256(encodeRlp(nativeFields(tx)));
  const suffix = [bigintToBytes(signer.chainId), new Uint8Array(0), new Uint8Array(0)];
  const fields = signer.chainId >= ETH_COMPATIBLE_MIN_CHAIN_ID ? ethFields(tx) : nativeFields(tx);
  return keccak256(encodeRlp([...fields, ...suffix]));
}

/**
 * Recovers the signer of a hash from Go's `(r, s, V)` with `V` = 27 + parity (Go `recoverPlain`).
 * Go reads `V` as one byte after checking it has at most 8 bits (of its absolute value).
 */
function recoverPlain(
  hash: Uint8Array,
  r: bigint,
  s: bigint,
  vb: bigint,
  homestead: boolean,
  curve: PointRecovery,
): Uint8Array {
  const magnitude = vb < 0n ? -vb : vb;
  require(magnitude < 256n, "execution/invalid-signature", "v does not fit in a byte");
  const recoveryId = Number((magnitude - 27n) & 0xffn);
  const sig: Signature = { r, s, recoveryId };
  return rejectAs(() => recoverAddress(hash, sig, homestead, curve), "execution/invalid-signature");
}

/**
 * The sender of a transaction under a signer (Go `Signer.Sender`).
 *
 * @param signer the signer that applies (see {@link blockSigner})
 * @param tx the transaction
 * @param curve the curve operation of the recovery (the spec's own by default; see
 *   `PointRecovery`)
 * @returns the sender's 20-byte address
 * @throws {SpecError} `execution/invalid-chain-id` when a protected signature names another
 *   chain; `execution/invalid-signature` when the values are out of range or recover no key
 */
export function recoverSender(
  signer: Signer,
  tx: Transaction,
  curve: PointRecovery = nobleRecovery,
): Uint8Array {
  if (signer.kind === "frontier") {
    return recoverPlain(signingHash(signer, tx), tx.r, tx.s, tx.v, false, curve);
  }
  if (signer.kind === "homestead" || !isProtectedV(tx.v)) {
    return recoverPlain(signingHash({ kind: "homestead" }, tx), tx.r, tx.s, tx.v, true, curve);
  }
  const chainId = chainIdOfV(tx.v);
  const known = chainId === signer.chainId || chainId === signer.nodeEthChainId;
  require(known, "execution/invalid-chain-id", `${chainId} != ${signer.chainId}`);
  const vb = tx.v - 2n * signer.chainId - 8n;
  return recoverPlain(signingHash(signer, tx), tx.r, tx.s, vb, true, curve);
}

/**
 * The signer a block at `epoch` on `shardId` applies to a transaction (Go `ApplyTransaction`).
 *
 * @param config the network
 * @param shardId the shard of the block
 * @param epoch the epoch of the block
 * @param tx the transaction (only `v` is read)
 * @returns the signer
 * @throws {SpecError} `execution/eth-compatible-not-active` for an Ethereum-compatible
 *   transaction before `EthCompatible`
 */
export function blockSigner(
  config: NetworkConfig,
  shardId: bigint,
  epoch: bigint,
  tx: { v: bigint },
): Signer {
  const nodeEthChainId = ethChainId(config, shardId);
  if (isEthCompatible(tx)) {
    // [New in EthCompatible]
    require(isActive(config, "EthCompatible", epoch), "execution/eth-compatible-not-active");
    return { kind: "eip155", chainId: nodeEthChainId, nodeEthChainId };
  }
  if (isActive(config, "EIP155", epoch)) {
    return { kind: "eip155", chainId: config.chainId, nodeEthChainId };
  }
  return { kind: "frontier" };
}

/**
 * The signer Go's transaction pool uses to find a sender (Go `SenderAddress`): the EIP-155 signer
 * of the chain ID the transaction itself claims, or the homestead signer when unprotected. It
 * checks the signature only, not that the chain ID is this network's.
 *
 * @param tx the transaction (only `v` is read)
 * @returns the signer
 */
export function ownSigner(tx: { v: bigint }): Signer {
  if (!isProtectedV(tx.v)) return { kind: "homestead" };
  const chainId = chainIdOfV(tx.v);
  return { kind: "eip155", chainId, nodeEthChainId: chainId };
}

/**
 * Whether the sender {@link ownSigner} recovers (as a pool does on admission) is the sender
 * `signer` recovers, for every signature: both take the homestead rule for an unprotected
 * signature unless `signer` is the frontier one (which also accepts a high `s`), and the same
 * EIP-155 rule when the protected signature names `signer`'s own chain ID (a block's signer also
 * knows the node's Ethereum chain ID, but recovers with its own). A node that recovered a
 * transaction's sender on admission reuses it in a block exactly when this holds, as Go caches a
 * sender with the signer that recovered it.
 *
 * @param signer the signer that applies (see {@link blockSigner})
 * @param tx the transaction (only `v` is read)
 * @returns true when `recoverSender(signer, tx)` and `recoverSender(ownSigner(tx), tx)` give the
 *   same address or fail with the same code
 */
export function ownSignerAgrees(signer: Signer, tx: { v: bigint }): boolean {
  if (signer.kind === "frontier") return false;
  if (!isProtectedV(tx.v)) return true;
  return signer.kind === "eip155" && chainIdOfV(tx.v) === signer.chainId;
}

/**
 * The sender of a transaction under a block's signer, reusing the one a pool recovered on
 * admission (with {@link ownSigner}) where {@link ownSignerAgrees}, recovering it otherwise: the
 * same address, or the same rejection, as `recoverSender(signer, tx)`.
 *
 * @param signer the signer that applies (see {@link blockSigner})
 * @param tx the transaction
 * @param known the sender the pool recovered, or null when there is none
 * @param curve the curve operation of a recovery (the spec's own by default)
 * @returns the sender's 20-byte address
 * @throws {SpecError} the codes of {@link recoverSender}
 */
export function senderReusing(
  signer: Signer,
  tx: Transaction,
  known: Uint8Array | null,
  curve: PointRecovery = nobleRecovery,
): Uint8Array {
  if (known !== null && ownSignerAgrees(signer, tx)) return known;
  return recoverSender(signer, tx, curve);
}

/**
 * Signs a transaction (Go `SignTx`): the `v` value follows the signer (35 + 2·chainId + parity
 * for EIP-155, 27 + parity otherwise).
 *
 * @param signer the signer
 * @param tx the unsigned fields
 * @param privateKey the 32-byte secp256k1 private key
 * @returns the signed transaction
 * @throws {SpecError} `secp256k1/invalid-private-key`
 */
export function signTransaction(
  signer: Signer,
  tx: UnsignedTransaction,
  privateKey: Uint8Array,
): Transaction {
  const sig = sign(signingHash(signer, tx), privateKey);
  const protectedBy = signer.kind === "eip155" && signer.chainId !== 0n ? signer.chainId : null;
  const v = encodeV(sig.recoveryId, protectedBy);
  return { ...tx, v, r: sig.r, s: sig.s };
}
