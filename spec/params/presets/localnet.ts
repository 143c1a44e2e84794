/**
 * The localnet preset: a network on one machine, for development and for `deno task node`.
 *
 * Values restate the Go node's localnet (`LocalnetChainConfig`, `localnetSchedule`, and the
 * default localnet epoch lengths of the `harmony` command), with one addition: the two features
 * beyond the Go node, `DRG` and `RandomResharding`, are on, so the whitepaper's randomness design
 * runs here (and only here).
 *
 * Time: epoch 0 has 5 blocks (Go `localnetEpochBlock1`), every later epoch 16 (the default of
 * both Go localnet epoch lengths). `TwoSeconds` is active from genesis and `OneSecond` from epoch
 * 4, so blocks come every 2 s in epochs 0 to 3 and every second after: epoch 0 lasts about 10 s,
 * epochs 1 to 3 about 32 s each, later epochs about 16 s. A live node crosses the staking epoch
 * (2) within a minute and several epochs within two.
 *
 * Quirks kept from Go:
 * - The chain IDs are testnet's (2 and 1666700000 + shard).
 * - `TwoSecondsEpoch` is 0, which Go's localnet arithmetic treats like 1: epoch 0 keeps its 5
 *   blocks and the 16-block epochs start at block 5.
 * - Go's instance switch tests `TwoSeconds` before `Staking` and the epoch-1 case, so the
 *   instances it defines for the first epochs (`localnetV0`..`localnetV2`) are never chosen:
 *   `localnetV3` applies from genesis, `localnetV3_2` from `FeeCollect` (2) and `localnetV4`
 *   (with the HIP-30 emission split) from `OneSecond` (4), although `HIP30` itself is `EpochTBD`.
 * - `HIP32Epoch` is not set in the Go literal: never active.
 *
 * The spec-only features: `DRG` from epoch 1 (the per-block VRF is on from 0, so epoch 0's
 * leaders supply the first VRFs) and `RandomResharding` from epoch 2, the first election that can
 * use the randomness of a finished DRG epoch.
 *
 * @see github.com/harmony-one/harmony internal/params/config.go (LocalnetChainConfig)
 * @see github.com/harmony-one/harmony internal/configs/sharding/localnet.go (localnetSchedule)
 * @see github.com/harmony-one/harmony internal/configs/node/network.go (DefaultLocalnetBlocksPerEpoch)
 * @module
 */
import { fromHex } from "../../encoding/bytes.ts";
import type { FeeCollector, Instance, NetworkConfig } from "../config.ts";
import { EPOCH_TBD } from "../features.ts";

/** Go `localnetEpochBlock1`: the length of epoch 0. */
const EPOCH_0_BLOCKS = 5n;
/** Go `DefaultLocalnetBlocksPerEpochV2` (and `DefaultLocalnetBlocksPerEpoch`, also 16). */
const BLOCKS_PER_EPOCH = 16n;

/** Go `feeCollectorsLocalnet`: the accounts of private keys 0x11..11 and 0x22..22, sorted. */
const FEE_COLLECTORS: FeeCollector[] = [
  { address: fromHex("1563915e194d8cfba1943570603f7606a3115508"), share: 500000000000000000n },
  { address: fromHex("19e7e376e7c213b7e7e7e46cc70a5dd086daff2a"), share: 500000000000000000n },
];

/** Go `hip30CollectionAddressLocalnet`: the account of private key 0x33..33. */
const HIP30_RECOVERY = fromHex("5cbdd86a2fa8dc4bddd8a8f69dba48572eec07fb");

const V3: Instance = {
  name: "localnetV3",
  numShards: 2n,
  numNodesPerShard: 9n,
  numHarmonyOperatedNodesPerShard: 6n,
  slotsLimit: 0n,
  harmonyVotePercent: 680000000000000000n, // 0.68
  blocksPerEpoch: BLOCKS_PER_EPOCH,
  feeCollectors: [],
  hip30EmissionFraction: 0n,
  hip30RecoveryAddress: null,
  accounts: { harmony: "LocalHarmonyAccountsV2", foundational: "LocalFnAccountsV2" },
};
const V3_2: Instance = { ...V3, name: "localnetV3_2", feeCollectors: FEE_COLLECTORS };
const V4: Instance = {
  ...V3_2,
  name: "localnetV4",
  hip30EmissionFraction: 250000000000000000n, // 0.25
  hip30RecoveryAddress: HIP30_RECOVERY,
};

/** A Harmony localnet, with the spec-only randomness features on. */
export const LOCALNET: NetworkConfig = {
  network: "localnet",
  chainId: 2n,
  ethChainIdShard0: 1666700000n,
  minCommissionPromoPeriod: 10n,
  features: {
    EthCompatible: 0n,
    CrossTx: 0n,
    CrossLink: 2n,
    AggregatedReward: 3n,
    Staking: 2n,
    PreStaking: 0n,
    QuickUnlock: 0n,
    FiveSeconds: 0n,
    TwoSeconds: 0n,
    SixtyPercent: EPOCH_TBD,
    Redelegation: 0n,
    NoEarlyUnlock: 0n,
    VRF: 0n,
    PrevVRF: 0n,
    MinDelegation100: 0n,
    MinCommissionRate: 0n,
    EPoSBound35: 0n,
    EIP155: 0n,
    S3: 0n,
    DataCopyFix: 0n,
    Istanbul: 0n,
    ReceiptLog: 0n,
    SHA3: 0n,
    HIP6And8: EPOCH_TBD,
    StakingPrecompile: 2n,
    ChainIdFix: 0n,
    SlotsLimited: EPOCH_TBD,
    CrossShardXferPrecompile: 1n,
    Allowlist: EPOCH_TBD,
    LeaderRotationInternalValidators: 3n,
    LeaderRotationExternalValidators: 3n,
    LeaderRotationV2: EPOCH_TBD,
    FeeCollect: 2n,
    ValidatorCodeFix: 2n,
    HIP30: EPOCH_TBD,
    DevnetExternal: EPOCH_TBD,
    TestnetExternal: EPOCH_TBD,
    BlockGas30M: 0n,
    MaxRate: EPOCH_TBD,
    TopMaxRate: EPOCH_TBD,
    HIP32: null, // not set in the Go literal: never active
    OneSecond: 4n,
    DRG: 1n, // spec-only: on for localnet
    RandomResharding: 2n, // spec-only: on for localnet
  },
  sharding: {
    epochs: [
      { fromEpoch: 0n, firstBlock: 0n, blocksPerEpoch: EPOCH_0_BLOCKS },
      { fromEpoch: 1n, firstBlock: EPOCH_0_BLOCKS, blocksPerEpoch: BLOCKS_PER_EPOCH },
    ],
    instances: [
      { fromEpoch: 0n, instance: V3 }, // TwoSeconds (0)
      { fromEpoch: 2n, instance: V3_2 }, // FeeCollect
      { fromEpoch: 4n, instance: V4 }, // OneSecond
    ],
    vdfDifficulty: 5000n,
    rewardFrequency: 16n,
    skippedEpochs: [],
  },
};
