/**
 * Features: Harmony's epoch-gated rule changes, by name.
 *
 * Harmony never names its hard forks. Each change of rules has its own activation epoch in the
 * chain configuration (`ChainConfig` in `internal/params/config.go`), and each rule asks
 * "is feature X active at epoch e?" (`IsStaking(epoch)`, `IsHIP30(epoch)`, ...). The spec keeps
 * that model: a *feature* is one named rule change, a *feature schedule* gives every feature its
 * activation epoch on one network, and {@link isActive} answers the question every gated rule
 * asks.
 *
 * The list is closed. It has one entry for each `*Epoch` field of the Go `ChainConfig`, named in
 * PascalCase after the field (`StakingEpoch` → `Staking`, `IsOneSecondEpoch` → `OneSecond`), and
 * two features that go beyond the Go node:
 *
 * - `DRG`: the whitepaper's distributed randomness generation (pRnd from the leaders' VRFs, then
 *   a VDF). The Go node has the pieces but never wires them in (see the randomness modules).
 * - `RandomResharding`: committee assignment driven by that randomness. The Go node assigns
 *   shards from the key bytes alone.
 *
 * Neither is active on mainnet or testnet; the localnet preset turns both on so that the design
 * can be run.
 *
 * Semantics of an activation epoch, restated from Go's `isForked`: a feature scheduled at epoch
 * `s` is active at epoch `e` exactly when `s <= e`. Go stores "not scheduled" in two ways, and the
 * spec keeps both apart because they behave differently:
 *
 * - a nil field (never set in the Go literal) is never active: `null` here;
 * - `EpochTBD` (10 000 000) is an ordinary epoch far in the future, active from that epoch on:
 *   {@link EPOCH_TBD} here.
 *
 * `MinCommissionPromoPeriod` is also a field of `ChainConfig`, but it is a length in epochs, not
 * an activation epoch; it lives in the network configuration (`params/config.ts`).
 *
 * @see github.com/harmony-one/harmony internal/params/config.go (ChainConfig, isForked)
 * @module
 */
import { require } from "../errors.ts";

/**
 * Go's `EpochTBD`: the placeholder activation epoch for a change whose date is not decided.
 * It is a real epoch (10 000 000), not "never": at that epoch the feature turns on.
 */
export const EPOCH_TBD = 10_000_000n;

/** Every feature, in the order of the Go `ChainConfig` fields, then the two spec-only ones. */
export const FEATURE_NAMES = [
  "EthCompatible",
  "CrossTx",
  "CrossLink",
  "AggregatedReward",
  "Staking",
  "PreStaking",
  "QuickUnlock",
  "FiveSeconds",
  "TwoSeconds",
  "SixtyPercent",
  "Redelegation",
  "NoEarlyUnlock",
  "VRF",
  "PrevVRF",
  "MinDelegation100",
  "MinCommissionRate",
  "EPoSBound35",
  "EIP155",
  "S3",
  "DataCopyFix",
  "Istanbul",
  "ReceiptLog",
  "SHA3",
  "HIP6And8",
  "StakingPrecompile",
  "ChainIdFix",
  "SlotsLimited",
  "CrossShardXferPrecompile",
  "Allowlist",
  "LeaderRotationInternalValidators",
  "LeaderRotationExternalValidators",
  "LeaderRotationV2",
  "FeeCollect",
  "ValidatorCodeFix",
  "HIP30",
  "DevnetExternal",
  "TestnetExternal",
  "BlockGas30M",
  "MaxRate",
  "TopMaxRate",
  "HIP32",
  "OneSecond",
  "DRG",
  "RandomResharding",
] as const;

/** The name of one feature. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What a feature changes and where Harmony defines its activation epoch. */
export interface FeatureInfo {
  /** One line: the rule change the feature turns on. */
  description: string;
  /** The `ChainConfig` field holding the activation epoch; `null` for spec-only features. */
  goField: string | null;
}

/**
 * Activation epoch of every feature on one network: `null` means never active (a nil field in
 * Go, or a spec-only feature the network does not run).
 */
export type FeatureSchedule = Record<FeatureName, bigint | null>;

/** The registry: one entry per feature, in the order of {@link FEATURE_NAMES}. */
export const FEATURES: Record<FeatureName, FeatureInfo> = {
  EthCompatible: {
    description: "Ethereum-format transactions (Ethereum-compatible chain IDs) are processed.",
    goField: "EthCompatibleEpoch",
  },
  CrossTx: {
    description: "Blocks carry cross-shard receipts; clients may send cross-shard transfers " +
      "from the following epoch on (see acceptsCrossTx).",
    goField: "CrossTxEpoch",
  },
  CrossLink: {
    description: "The beacon chain records crosslinks to the other shards' blocks.",
    goField: "CrossLinkEpoch",
  },
  AggregatedReward: {
    description: "Block rewards are paid once every reward-frequency blocks instead of per block.",
    goField: "AggregatedRewardEpoch",
  },
  Staking: {
    description: "Committees are elected by EPoS from staked validators, and rewards go to them.",
    goField: "StakingEpoch",
  },
  PreStaking: {
    description: "Staking transactions are accepted (one epoch before the first EPoS election).",
    goField: "PreStakingEpoch",
  },
  QuickUnlock: {
    description: "Undelegated tokens unlock with no lock period beyond the current epoch.",
    goField: "QuickUnlockEpoch",
  },
  FiveSeconds: {
    description: "Block reward 17.5 ONE, for the 5-second block time.",
    goField: "FiveSecondsEpoch",
  },
  TwoSeconds: {
    description: "Block time 2 s, block reward 7 ONE; on mainnet, epochs double to 32768 blocks.",
    goField: "TwoSecondsEpoch",
  },
  SixtyPercent: {
    description: "Harmony-operated nodes' share of voting power drops from 68 % to 60 %.",
    goField: "SixtyPercentEpoch",
  },
  Redelegation: {
    description: "Undelegated tokens may be redelegated; the undelegation lock is 7 epochs again.",
    goField: "RedelegationEpoch",
  },
  NoEarlyUnlock: {
    description: "No early unlock of undelegations from validators elected for over 7 epochs.",
    goField: "NoEarlyUnlockEpoch",
  },
  VRF: {
    description: "Every header carries the leader's BLS-VRF output and proof.",
    goField: "VRFEpoch",
  },
  PrevVRF: {
    description: "The VRF precompile can return the VRF output of a recent earlier block.",
    goField: "PrevVRFEpoch",
  },
  MinDelegation100: {
    description: "Minimum delegation drops from 1000 ONE to 100 ONE.",
    goField: "MinDelegation100Epoch",
  },
  MinCommissionRate: {
    description: "Validators must charge at least a 5 % commission (after a promotion period).",
    goField: "MinCommissionRateEpoch",
  },
  EPoSBound35: {
    description: "The EPoS effective-stake bound c widens from 0.15 to 0.35.",
    goField: "EPoSBound35Epoch",
  },
  EIP155: {
    description: "Replay-protected (EIP-155) transaction signatures; includes EIP-158.",
    goField: "EIP155Epoch",
  },
  S3: {
    description: "The S3 gas table and Ethereum changes up to Constantinople.",
    goField: "S3Epoch",
  },
  DataCopyFix: {
    description: "Fix of an EVM data-copy bug.",
    goField: "DataCopyFixEpoch",
  },
  Istanbul: {
    description: "Ethereum's Istanbul EVM changes.",
    goField: "IstanbulEpoch",
  },
  ReceiptLog: {
    description: "Receipts carry logs.",
    goField: "ReceiptLogEpoch",
  },
  SHA3: {
    description: "The FIPS-202 SHA3-256 precompile is available.",
    goField: "SHA3Epoch",
  },
  HIP6And8: {
    description: "HIP-6: Harmony vote share 60 % to 49 %; HIP-8: external slots 800 to 900.",
    goField: "HIP6And8Epoch",
  },
  StakingPrecompile: {
    description: "Staking operations are available to contracts through a precompile.",
    goField: "StakingPrecompileEpoch",
  },
  ChainIdFix: {
    description: "The CHAINID opcode returns the Ethereum-compatible chain ID.",
    goField: "ChainIdFixEpoch",
  },
  SlotsLimited: {
    description: "HIP-16: a validator may hold at most slots-limit slots per shard.",
    goField: "SlotsLimitedEpoch",
  },
  CrossShardXferPrecompile: {
    description: "Cross-shard transfers are available to contracts through a precompile.",
    goField: "CrossShardXferPrecompileEpoch",
  },
  Allowlist: {
    description: "HIP-18: an allowlist of external leader keys.",
    goField: "AllowlistEpoch",
  },
  LeaderRotationInternalValidators: {
    description: "The leader rotates among Harmony-operated validators.",
    goField: "LeaderRotationInternalValidatorsEpoch",
  },
  LeaderRotationExternalValidators: {
    description: "The leader rotates among all validators, external ones included.",
    goField: "LeaderRotationExternalValidatorsEpoch",
  },
  LeaderRotationV2: {
    description: "The second leader-rotation algorithm.",
    goField: "LeaderRotationV2Epoch",
  },
  FeeCollect: {
    description: "Transaction fees go to the fee collectors instead of being burned.",
    goField: "FeeCollectEpoch",
  },
  ValidatorCodeFix: {
    description: "Validator accounts expose code to contracts (EXTCODESIZE/COPY/HASH).",
    goField: "ValidatorCodeFixEpoch",
  },
  HIP30: {
    description: "HIP-30: 4 shards become 2, 200 slots per shard, 25 % of emission to recovery, " +
      "7 % minimum commission.",
    goField: "HIP30Epoch",
  },
  DevnetExternal: {
    description: "Devnet hands its internal slots to external validators.",
    goField: "DevnetExternalEpoch",
  },
  TestnetExternal: {
    description: "Testnet hands its internal slots to external validators.",
    goField: "TestnetExternalEpoch",
  },
  BlockGas30M: {
    description: "The block gas limit rises to 30 million.",
    goField: "BlockGas30MEpoch",
  },
  MaxRate: {
    description: "A validator's max commission rate is at least its min rate plus max change.",
    goField: "MaxRateEpoch",
  },
  TopMaxRate: {
    description: "A validator's max commission rate is capped at 100 %.",
    goField: "TopMaxRateEpoch",
  },
  HIP32: {
    description: "HIP-32: Harmony vote share 1 %, 2 Harmony slots per shard; a validator with " +
      "no blocks to sign in an epoch is no longer below the signing threshold.",
    goField: "HIP32Epoch",
  },
  OneSecond: {
    description: "Block time 1 s.",
    goField: "IsOneSecondEpoch",
  },
  DRG: {
    description: "Whitepaper DRG: pRnd from the leaders' VRFs, then a VDF gives the epoch " +
      "randomness. Beyond the Go node.",
    goField: null,
  },
  RandomResharding: {
    description: "Committee assignment uses the DRG randomness. Beyond the Go node.",
    goField: null,
  },
};

/** What {@link isActive} needs of a network configuration: its feature schedule. */
export interface HasFeatures {
  /** The activation epoch of every feature. */
  features: FeatureSchedule;
}

/**
 * Whether a feature is active at an epoch (Go's `isForked`): scheduled at `s`, active iff
 * `s <= epoch`; never active when unscheduled (`null`).
 *
 * @param config the network configuration, for its feature schedule
 * @param feature the feature asked about
 * @param epoch the epoch of the block the rule applies to
 * @returns true when the feature's rules apply at `epoch`
 */
export function isActive(config: HasFeatures, feature: FeatureName, epoch: bigint): boolean {
  const activation = config.features[feature];
  return activation !== null && activation <= epoch;
}

/**
 * Whether clients may send cross-shard transfers at an epoch (Go `AcceptsCrossTx`). Receipts are
 * processed from `CrossTx` on, but transfers are accepted only from the epoch after, so that
 * every shard has entered the `CrossTx` epoch and can take incoming receipts first.
 *
 * @param config the network configuration
 * @param epoch the epoch of the block
 * @returns true when `CrossTx + 1 <= epoch`
 */
export function acceptsCrossTx(config: HasFeatures, epoch: bigint): boolean {
  const crossTx = config.features.CrossTx;
  return crossTx !== null && crossTx + 1n <= epoch;
}

/**
 * Whether `epoch` is the last epoch before HIP-30 (Go `IsOneEpochBeforeHIP30`): the epoch in
 * which the shards that HIP-30 removes move their balances away.
 *
 * @param config the network configuration
 * @param epoch the epoch asked about
 * @returns true when `HIP30 - epoch == 1`
 */
export function isOneEpochBeforeHIP30(config: HasFeatures, epoch: bigint): boolean {
  const hip30 = config.features.HIP30;
  return hip30 !== null && hip30 - epoch === 1n;
}

/** Whether a string names a feature of the closed list. */
export function isFeatureName(name: string): name is FeatureName {
  return (FEATURE_NAMES as readonly string[]).includes(name);
}

/**
 * Reads a feature name, as found in a vector or on a command line.
 *
 * @param name the text to read
 * @returns the feature it names
 * @throws {SpecError} `params/unknown-feature` when it names no feature of the closed list
 */
export function featureByName(name: string): FeatureName {
  require(isFeatureName(name), "params/unknown-feature", name);
  return name;
}
