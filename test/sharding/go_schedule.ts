/**
 * The Go node's epoch formulas, restated per network as the Go schedules write them, as an
 * oracle for the spec's data-driven epoch arithmetic. The spec derives everything from a list of
 * eras; these functions follow the shape of Go's `CalcEpochNumber`, `IsLastBlock` and
 * `EpochLastBlock` for each network (constants as in the Go files), so agreement between the two
 * is evidence that the era data and the spec's derivation are right.
 *
 * @see github.com/harmony-one/harmony internal/configs/sharding/{mainnet,testnet,localnet}.go
 */

/** The three per-network functions of a Go schedule. */
export interface GoEpochs {
  calcEpochNumber(block: bigint): bigint;
  isLastBlock(block: bigint): boolean;
  epochLastBlock(epoch: bigint): bigint;
}

// --- mainnet: epoch 0 is 344064 blocks, then 16384, then 32768 from TwoSecondsEpoch = 366 ---
const MAINNET_EPOCH_BLOCK1 = 344064n;
const MAINNET_OLD = 16384n;
const MAINNET_V2 = 32768n;
const MAINNET_TWO_SECONDS = 366n;
const MAINNET_FIRST_2S = (MAINNET_TWO_SECONDS - 1n) * MAINNET_OLD + MAINNET_EPOCH_BLOCK1;

/** Go `mainnetSchedule`. */
export const GO_MAINNET: GoEpochs = {
  calcEpochNumber(b) {
    const old = b >= MAINNET_EPOCH_BLOCK1 ? (b - MAINNET_EPOCH_BLOCK1) / MAINNET_OLD + 1n : 0n;
    if (MAINNET_TWO_SECONDS <= old) {
      return (b - MAINNET_FIRST_2S) / MAINNET_V2 + MAINNET_TWO_SECONDS;
    }
    return old;
  },
  isLastBlock(b) {
    if (b < MAINNET_EPOCH_BLOCK1 - 1n) return false;
    if (b === MAINNET_EPOCH_BLOCK1 - 1n) return true;
    if (b >= MAINNET_FIRST_2S) return (b - MAINNET_FIRST_2S) % MAINNET_V2 === MAINNET_V2 - 1n;
    return (b - MAINNET_EPOCH_BLOCK1) % MAINNET_OLD === MAINNET_OLD - 1n;
  },
  epochLastBlock(e) {
    if (e === 0n) return MAINNET_EPOCH_BLOCK1 - 1n;
    if (MAINNET_TWO_SECONDS <= e) {
      return MAINNET_FIRST_2S - 1n + MAINNET_V2 * (e - MAINNET_TWO_SECONDS + 1n);
    }
    return MAINNET_EPOCH_BLOCK1 - 1n + MAINNET_OLD * e;
  },
};

// --- testnet: 38-block epochs until TwoSecondsEpoch = 2, then 8192 ---
const TESTNET_OLD = 38n;
const TESTNET_V2 = 8192n;
const TESTNET_TWO_SECONDS = 2n;
const TESTNET_FIRST_2S = TESTNET_TWO_SECONDS * TESTNET_OLD;

/** Go `testnetSchedule`. */
export const GO_TESTNET: GoEpochs = {
  calcEpochNumber(b) {
    if (b >= TESTNET_FIRST_2S) return (b - TESTNET_FIRST_2S) / TESTNET_V2 + TESTNET_TWO_SECONDS;
    return b / TESTNET_OLD;
  },
  isLastBlock(b) {
    if (b >= TESTNET_FIRST_2S) return (b - TESTNET_FIRST_2S) % TESTNET_V2 === TESTNET_V2 - 1n;
    return (b + 1n) % TESTNET_OLD === 0n;
  },
  epochLastBlock(e) {
    if (TESTNET_TWO_SECONDS <= e) {
      return TESTNET_FIRST_2S - 1n + TESTNET_V2 * (e - TESTNET_TWO_SECONDS + 1n);
    }
    return TESTNET_OLD * (e + 1n) - 1n;
  },
};

// --- localnet: epoch 0 is 5 blocks; old/V2 lengths and TwoSecondsEpoch are parameters ---
const LOCALNET_EPOCH_BLOCK1 = 5n;

/** Go `localnetSchedule` with the given `TwoSecondsEpoch` and the two localnet epoch lengths. */
export function goLocalnet(twoSeconds: bigint, old: bigint, v2: bigint): GoEpochs {
  const first2s = twoSeconds === 0n ? 0n : (twoSeconds - 1n) * old + LOCALNET_EPOCH_BLOCK1;
  return {
    calcEpochNumber(b) {
      if (b < LOCALNET_EPOCH_BLOCK1) return 0n;
      if (b < first2s) return (b - LOCALNET_EPOCH_BLOCK1) / old + 1n;
      let extra = 0n;
      if (first2s === 0n) {
        b -= LOCALNET_EPOCH_BLOCK1;
        extra = 1n;
      }
      return extra + (b - first2s) / v2 + twoSeconds;
    },
    isLastBlock(b) {
      if (b < LOCALNET_EPOCH_BLOCK1 - 1n) return false;
      if (b === LOCALNET_EPOCH_BLOCK1 - 1n) return true;
      if (b >= first2s) {
        if (first2s === 0n) b -= LOCALNET_EPOCH_BLOCK1;
        return (b - first2s) % v2 === v2 - 1n;
      }
      return (b - LOCALNET_EPOCH_BLOCK1) % old === old - 1n;
    },
    epochLastBlock(e) {
      if (e === 0n) return LOCALNET_EPOCH_BLOCK1 - 1n;
      if (twoSeconds <= e) {
        const block2s = (1n + e - twoSeconds) * v2;
        if (first2s === 0n) return block2s - v2 + LOCALNET_EPOCH_BLOCK1 - 1n;
        return first2s + block2s - 1n;
      }
      return LOCALNET_EPOCH_BLOCK1 + old * e - 1n;
    },
  };
}

/** Go's localnet as the `harmony` command runs it by default (16-block epochs, TwoSeconds 0). */
export const GO_LOCALNET: GoEpochs = goLocalnet(0n, 16n, 16n);
