/**
 * Errors of the specification.
 *
 * A rule that rejects its input raises a {@link SpecError} whose `code` comes from the closed list
 * {@link SPEC_ERROR_CODES}. The codes are part of the conformance vectors: a client that rejects
 * the same input must reject it for the same reason, so a code, once published, never changes
 * meaning. Codes are `area/kebab-case-reason`.
 *
 * {@link invariant} is different: it marks something the spec itself guarantees. If it fires, the
 * spec has a bug; no input may make it fire.
 *
 * `SpecError` is one of the few classes in `spec/`: `throw` wants an `Error`, and a subclass is how
 * callers tell a rejection from a crash.
 *
 * @module
 */

/** Every error code the specification can raise, grouped by area. */
export const SPEC_ERROR_CODES = [
  // --- numeric: Dec, Harmony's 18-decimal fixed point ---
  "numeric/empty-string",
  "numeric/bad-decimal-length",
  "numeric/too-many-periods",
  "numeric/too-much-precision",
  "numeric/malformed-number",
  "numeric/precision-out-of-range",
  "numeric/overflow",
  "numeric/division-by-zero",
  "numeric/int64-out-of-range",
  // --- encoding: RLP, tagged RLP, hex, addresses ---
  "encoding/invalid-hex",
  "encoding/negative-integer",
  "encoding/integer-too-large",
  "encoding/rlp-truncated",
  "encoding/rlp-element-too-large",
  "encoding/rlp-non-canonical-size",
  "encoding/rlp-non-canonical-byte",
  "encoding/rlp-trailing-bytes",
  "encoding/rlp-expected-string",
  "encoding/rlp-expected-list",
  "encoding/rlp-leading-zero",
  "encoding/rlp-uint-overflow",
  "encoding/rlp-wrong-length",
  "encoding/rlp-wrong-item-count",
  "encoding/tagged-rlp-unsupported-tag",
  "encoding/bech32-invalid-length",
  "encoding/bech32-bad-character",
  "encoding/bech32-mixed-case",
  "encoding/bech32-bad-separator",
  "encoding/bech32-non-charset-character",
  "encoding/bech32-bad-checksum",
  "encoding/bech32-bad-padding",
  "encoding/bech32-invalid-hrp",
  "encoding/bech32-wrong-hrp",
  "encoding/address-missing-prefix",
  "encoding/address-wrong-length",
  "encoding/bad-checksum",
  // --- crypto/bls: Harmony's BLS12-381 (herumi/mcl) ---
  "bls/invalid-length",
  "bls/non-canonical-coordinate",
  "bls/not-on-curve",
  "bls/not-in-subgroup",
  "bls/secret-key-out-of-range",
  "bls/message-maps-to-zero",
  "bls/commit-sig-too-short",
  "bls/bitmap-length-mismatch",
  "bls/mask-index-out-of-range",
  "bls/mask-key-not-found",
  // --- crypto/secp256k1: Ethereum-style transaction signatures ---
  "secp256k1/invalid-private-key",
  "secp256k1/invalid-hash-length",
  "secp256k1/invalid-signature-length",
  "secp256k1/invalid-recovery-id",
  "secp256k1/invalid-v",
  "secp256k1/r-out-of-range",
  "secp256k1/s-out-of-range",
  "secp256k1/high-s",
  "secp256k1/recovery-failed",
  "secp256k1/invalid-public-key",
  // --- randomness: VRF, VDF, DRG ---
  "vrf/invalid-proof-length",
  "vrf/malformed-proof",
  "vrf/invalid-proof",
  "vrf/output-mismatch",
  "vrf/invalid-field-length",
  "vrf/unexpected-field",
  "drg/slot-out-of-range",
  "drg/invalid-contribution",
  "drg/duplicate-contribution",
  "drg/contribution-changed",
  "drg/too-few-contributions",
  "drg/malformed-record",
  "drg/prnd-mismatch",
  "drg/already-committed",
  "drg/no-commitment",
  "drg/rnd-too-early",
  "drg/rnd-too-late",
  "drg/wrong-vdf-output",
  "drg/block-outside-epoch",
  // --- params/sharding: presets, features, epochs ---
  "params/unknown-feature",
  "params/unknown-network",
  "params/invalid-config",
  "params/shard-id-out-of-range",
  "sharding/block-number-out-of-range",
  "sharding/epoch-out-of-range",
  // --- chain: headers, bodies, blocks ---
  "header/unknown-version",
  "header/field-wrong-length",
  "header/integer-out-of-range",
  "header/field-not-in-version",
  "block/unknown-version",
  "block/field-not-in-version",
  "bloom/wrong-length",
  // --- chain: block processing ---
  "chain/wrong-shard",
  "chain/epoch-mismatch",
  "chain/header-version-mismatch",
  "chain/unknown-coinbase",
  "chain/not-beacon",
  "chain/history-too-short",
  "chain/account-list-unknown",
  "chain/validator-record-missing",
  "chain/validator-record-malformed",
  "chain/leader-not-in-committee",
  "chain/shard-reduction-not-specified",
  "chain/genesis-shard-missing",
  // --- staking/epos: election, voting power, availability ---
  "epos/invalid-address",
  "epos/invalid-bls-key",
  "epos/duplicate-candidate",
  "epos/too-few-harmony-accounts",
  "epos/too-few-foundational-accounts",
  "epos/epoch-in-past",
  "epos/no-previous-shard-state",
  "epos/validator-not-found",
  "epos/shard-not-in-state",
  "epos/negative-value",
  "epos/shard-id-out-of-range",
  "votepower/signer-not-in-committee",
  "votepower/multiple-signer-accounts",
  // --- staking: transactions, validators, delegations ---
  "staking/name-too-long",
  "staking/identity-too-long",
  "staking/website-too-long",
  "staking/security-contact-too-long",
  "staking/details-too-long",
  "staking/no-slot-keys",
  "staking/too-many-slot-keys",
  "staking/min-self-delegation-too-small",
  "staking/max-total-delegation-too-small",
  "staking/commission-rate-out-of-range",
  "staking/rate-above-max-rate",
  "staking/max-change-rate-above-max-rate",
  "staking/duplicate-slot-keys",
  "staking/self-delegation-too-small",
  "staking/total-delegation-too-large",
  "staking/invalid-directive",
  "staking/invalid-signer",
  "staking/wrong-chain-id",
  "staking/not-beacon-shard",
  "staking/before-pre-staking",
  "staking/negative-amount",
  "staking/validator-exists",
  "staking/validator-not-found",
  "staking/validator-not-in-state",
  "staking/duplicate-identity",
  "staking/duplicate-bls-key",
  "staking/insufficient-balance",
  "staking/slot-key-is-harmony-key",
  "staking/bls-key-signature-mismatch",
  "staking/bls-signature-malformed",
  "staking/bls-signature-missing",
  "staking/slot-key-to-remove-not-found",
  "staking/slot-key-to-add-exists",
  "staking/validator-address-mismatch",
  "staking/validator-banned",
  "staking/commission-rate-too-high",
  "staking/commission-rate-too-low",
  "staking/validator-snapshot-not-found",
  "staking/commission-rate-change-too-fast",
  "staking/delegation-too-small",
  "staking/delegation-index-out-of-range",
  "staking/undelegate-amount-not-positive",
  "staking/insufficient-delegation",
  "staking/no-delegation-to-undelegate",
  "staking/no-rewards-to-collect",
  // --- execution: transactions, state, EVM, fees ---
  "execution/invalid-signature",
  "execution/invalid-chain-id",
  "execution/eth-compatible-not-active",
  "execution/wrong-shard",
  "execution/to-shard-out-of-range",
  "execution/nonce-too-low",
  "execution/nonce-too-high",
  "execution/insufficient-balance-for-gas",
  "execution/insufficient-balance-for-value",
  "execution/insufficient-funds",
  "execution/intrinsic-gas-too-low",
  "execution/gas-limit-exceeds-block",
  "execution/block-gas-exhausted",
  "execution/oversized-data",
  "execution/negative-value",
  "execution/gas-price-too-low",
  "execution/cx-receipt-wrong-shard",
  "execution/cx-receipt-missing-recipient",
  "execution/cx-proof-empty",
  "execution/cx-proof-already-spent",
  "execution/cx-proof-duplicate",
  "execution/cx-proof-from-own-shard",
  "execution/precompile-not-specified",
  "execution/balance-migration-not-specified",
  "execution/block-parent-mismatch",
  "execution/block-number-mismatch",
  "execution/block-wrong-shard",
  "execution/tx-root-mismatch",
  "execution/gas-used-mismatch",
  "execution/bloom-mismatch",
  "execution/receipt-root-mismatch",
  "execution/outgoing-root-mismatch",
  "execution/state-root-mismatch",
  // --- staking: rewards, slashing, epoch finalization ---
  "reward/wrong-signature-count",
  "reward/payout-not-equal-block-reward",
  "reward/validator-not-found",
  "reward/snapshot-not-found",
  "reward/snapshot-delegation-missing",
  "slash/offender-not-validator",
  "slash/before-staking-epoch",
  "slash/offender-banned",
  "slash/reporter-is-offender",
  "slash/signer-key-wrong-size",
  "slash/votes-not-conflicting",
  "slash/no-double-signed-key",
  "slash/future-epoch",
  "slash/shard-state-not-found",
  "slash/shard-not-found",
  "slash/key-not-in-committee",
  "slash/multiple-offenders",
  "slash/offender-mismatch",
  "slash/malformed-signature",
  "slash/malformed-signer-key",
  "slash/bad-signature",
  "slash/snapshot-not-found",
  "slash/validator-not-found",
  "slash/no-matching-delegations",
  "slash/zero-external-stake",
  "slash/not-allowed",
  "finalize/epoch-end-input-missing",
  "finalize/snapshot-not-found",
  "finalize/validator-not-found",
  // --- consensus: FBFT messages, view change, double sign ---
  "fbft/proto-truncated",
  "fbft/proto-varint-overflow",
  "fbft/proto-bad-field-number",
  "fbft/proto-bad-wire-type",
  "fbft/proto-group-mismatch",
  "fbft/proto-group-too-deep",
  "fbft/frame-too-short",
  "fbft/frame-bad-type",
  "fbft/frame-length-mismatch",
  "fbft/not-consensus-category",
  "fbft/request-kind-mismatch",
  "fbft/bad-block-hash-length",
  "fbft/no-signers",
  "fbft/sender-key-size",
  "fbft/bad-message-signature",
  "fbft/duplicate-key-in-vote",
  "fbft/already-voted",
  "fbft/ignored-in-view-change",
  "fbft/ignored-outside-view-change",
  "fbft/ignored-by-leader",
  "fbft/ignored-by-validator",
  "fbft/last-sign-power-ignored",
  "fbft/wrong-shard",
  "fbft/view-id-too-old",
  "fbft/no-sender",
  "fbft/sender-not-in-committee",
  "fbft/sender-bitmap-size",
  "fbft/sender-not-leader",
  "fbft/leader-key-missing",
  "viewchange/leader-index-out-of-range",
  "viewchange/leader-search-loops",
  "viewchange/not-next-leader",
  "viewchange/quorum-already-reached",
  "viewchange/block-number-low",
  "viewchange/block-number-high",
  "viewchange/block-number-mismatch",
  "viewchange/view-id-too-low",
  "viewchange/view-id-too-far",
  "viewchange/bad-m3-signature",
  "viewchange/bad-m2-signature",
  "viewchange/bad-m1-signature",
  "viewchange/bad-m1-prepared-signature",
  "viewchange/duplicate-m1",
  "viewchange/duplicate-m2",
  "viewchange/duplicate-m3",
  "viewchange/m1-no-quorum",
  "viewchange/m1-missing",
  "viewchange/m3-missing",
  "viewchange/no-m3",
  "viewchange/newview-no-quorum",
  "viewchange/prepared-block-invalid",
  "viewchange/prepared-block-missing",
  "viewchange/prepared-block-hash-mismatch",
  "viewchange/not-view-changing",
  "fbft/no-quorum",
  "fbft/bad-quorum-signature",
  "fbft/bad-vote-signature",
  "fbft/wrong-round",
  "fbft/wrong-block-number",
  "fbft/wrong-view-id",
  "fbft/old-block",
  "fbft/future-block",
  "fbft/unknown-block",
  "fbft/block-number-mismatch",
  "fbft/block-hash-mismatch",
  "fbft/block-invalid",
  "fbft/announce-multi-sender",
  "fbft/not-leader",
  "fbft/old-proposal",
  "fbft/stale-timer",
  "fbft/unhandled-type",
  "fbft/double-sign",
  "fbft/commit-sig-not-verified",
  "doublesign/not-conflicting",
  // --- sharding: crosslinks, receipt proofs, resharding ---
  "crosslink/malformed",
  "crosslink/field-out-of-range",
  "crosslink/parent-mismatch",
  "crosslink/block-number-too-low",
  "crosslink/not-crosslink-epoch",
  "crosslink/not-sorted",
  "crosslink/already-processed",
  "cxproof/cross-tx-not-accepted",
  "cxproof/no-receipts",
  "cxproof/mixed-destinations",
  "cxproof/wrong-destination",
  "cxproof/shard-hashes-length-mismatch",
  "cxproof/destination-not-in-proof",
  "cxproof/receipts-root-mismatch",
  "cxproof/outgoing-root-mismatch",
  "cxproof/header-mismatch",
  "cxproof/source-mismatch",
  "cxproof/already-spent",
  "cxproof/duplicate-in-block",
  "cxproof/incoming-root-mismatch",
  "transition/wrong-shard",
  "transition/committee-unknown",
  "transition/beacon-state-unknown",
  "transition/election-missing",
  "transition/shard-state-mismatch",
  "resharding/bad-seed-length",
  "vdf/invalid-discriminant-size",
  "vdf/invalid-discriminant",
  "vdf/invalid-iterations",
  "vdf/invalid-length",
  "vdf/form-not-positive",
  "vdf/form-off-discriminant",
  "vdf/form-not-reduced",
] as const;

/** One stable reason for rejecting an input. */
export type SpecErrorCode = (typeof SPEC_ERROR_CODES)[number];

/** A rejection of an input by a rule of the specification. */
export class SpecError extends Error {
  /** The stable reason, from {@link SPEC_ERROR_CODES}. */
  readonly code: SpecErrorCode;

  /**
   * @param code the stable reason for the rejection
   * @param detail a human-readable explanation; not part of the conformance contract
   */
  constructor(code: SpecErrorCode, detail?: string) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.name = "SpecError";
    this.code = code;
  }
}

/**
 * Rejects the input unless `condition` holds.
 *
 * @param condition what a valid input satisfies
 * @param code the reason reported when it does not
 * @param detail optional human-readable context, or a function that writes it (for a check on a
 *   hot path, so that the text is built only when the check fails)
 * @throws {SpecError} with `code` when `condition` is false
 */
export function require(
  condition: boolean,
  code: SpecErrorCode,
  detail?: string | (() => string),
): asserts condition {
  if (!condition) throw new SpecError(code, typeof detail === "function" ? detail() : detail);
}

/**
 * Marks a fact the specification guarantees for every input. Firing means a bug in the spec.
 *
 * @param condition the guaranteed fact
 * @param what a description of the fact, for the bug report
 * @throws {Error} (never a SpecError) when the fact does not hold
 */
export function invariant(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`spec invariant violated: ${what}`);
}

/** Tells whether `value` is a {@link SpecError}, optionally with a given code. */
export function isSpecError(value: unknown, code?: SpecErrorCode): value is SpecError {
  return value instanceof SpecError && (code === undefined || value.code === code);
}

/**
 * Runs `f`, reporting any rejection it raises as `code` instead (the original code becomes the
 * detail): for a rule that names its own reason for a failure deeper down, such as a signature
 * that does not decode.
 *
 * @param f the computation
 * @param code the reason to report when `f` rejects
 * @returns what `f` returns
 * @throws {SpecError} with `code` when `f` raises a SpecError; any other exception unchanged
 */
export function rejectAs<T>(f: () => T, code: SpecErrorCode): T {
  try {
    return f();
  } catch (e) {
    if (isSpecError(e)) throw new SpecError(code, e.code);
    throw e;
  }
}
