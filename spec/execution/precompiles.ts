/**
 * Harmony's precompiled contracts.
 *
 * A precompile is native code at a fixed address that a contract calls like any other contract.
 * Harmony's EVM has the standard Ethereum ones of its instruction-set level and adds its own at
 * the top of the address space (Go `core/vm/contracts.go`, `contracts_write.go`). The table of an
 * epoch is chosen by the last of these rules that applies (Go `run`, `Call`):
 *
 * | from                       | addresses                                                          |
 * | -------------------------- | ------------------------------------------------------------------ |
 * | genesis                    | 0x01 ecrecover, 0x02 sha256, 0x03 ripemd160, 0x04 identity         |
 * | `S3` (Byzantium)           | + 0x05 modexp, 0x06–0x08 bn256 add, mul, pairing                   |
 * | `Istanbul`                 | + 0x09 blake2f; bn256 at Istanbul prices                           |
 * | `VRF`                      | + 0xff VRF                                                         |
 * | `SHA3`                     | + 0xfd SHA3-256 (FIPS 202), 0xfe ecrecover returning the public key |
 * | `StakingPrecompile`        | + 0xfb epoch, 0xfc staking (write-capable)                         |
 * | `CrossShardXferPrecompile` | + 0xf9 cross-shard transfer (write-capable)                        |
 *
 * The standard ones (0x01–0x09) come from the EVM library at the matching hardfork; this module
 * specifies Harmony's own through one small interface, {@link HarmonyPrecompile}: a function of
 * the input and the block context returning the gas it costs and its output, or
 * {@link NOT_SPECIFIED}. Specified here: SHA3-256 (0xfd), public-key ecrecover (0xfe), epoch
 * (0xfb) and VRF (0xff, reading the block's VRF through the context). **Not yet specified:**
 * the staking precompile (0xfc, staking part of the spec) and the cross-shard transfer precompile
 * (0xf9, which writes state and emits a cross-shard receipt). A transaction that reaches one of
 * them is refused by `applyTransaction` with `execution/precompile-not-specified` rather than
 * given a made-up result.
 *
 * @see github.com/harmony-one/harmony core/vm/contracts.go (PrecompiledContracts*, vrf, sha3fip,
 *   ecrecoverPublicKey, epoch), core/vm/contracts_write.go, core/vm/evm.go (run)
 * @module
 */
import { bigintToFixedBytes, bytesToBigint } from "../encoding/bytes.ts";
import { sha3_256 } from "../encoding/hash.ts";
import { recoverPublicKey } from "../crypto/secp256k1.ts";
import { isSpecError } from "../errors.ts";
import { isActive, type NetworkConfig } from "../params/mod.ts";
import { vrfPrecompileAvailable, vrfPrecompileBlock, vrfPrecompileGas } from "../randomness/vrf.ts";

/** What a Harmony precompile may read of its block. */
export interface PrecompileContext {
  /** The epoch of the block. */
  epoch: bigint;
  /** The number of the block. */
  blockNumber: bigint;
  /**
   * The block's VRF output as the EVM sees it: `vrfOutputOfField` of the header's VRF field
   * (zero bytes before `VRF`).
   */
  vrf: Uint8Array;
  /**
   * The VRF output (32 bytes) of an earlier block on this shard, for the VRF precompile from
   * `PrevVRF`; the chain's history is outside the spec, so the caller supplies it.
   */
  vrfOfBlock: (blockNumber: bigint) => Uint8Array;
}

/** A precompile's outcome: its gas and output. */
export interface PrecompileOutput {
  /** Gas charged. */
  gas: bigint;
  /** The returned bytes. */
  output: Uint8Array;
}

/** Marks a precompile whose rule this specification does not state yet. */
export const NOT_SPECIFIED = "not-specified";

/** A Harmony precompile: a pure function of its input and block context. */
export type HarmonyPrecompile = (
  input: Uint8Array,
  context: PrecompileContext,
) => PrecompileOutput | typeof NOT_SPECIFIED;

/** Gas constants of Harmony's precompiles. */
export const PRECOMPILE_GAS = {
  /** Go `GasQuickStep`: the epoch and VRF precompiles. */
  quickStep: 2n,
  /** Go `Sha3FipsGas`: per call of SHA3-256. */
  sha3Fips: 30n,
  /** Go `Sha3FipsWordGas`: per 32-byte word of input. */
  sha3FipsWord: 6n,
  /** Go `EcrecoverGas`. */
  ecrecover: 3000n,
} as const;

/** The input right-padded with zeros to `length` bytes (Go `RightPadBytes`). */
function rightPad(input: Uint8Array, length: number): Uint8Array {
  if (input.length >= length) return input;
  const out = new Uint8Array(length);
  out.set(input);
  return out;
}

/**
 * 0xfd, SHA3-256 (FIPS 202) of the input; 30 gas plus 6 per 32-byte word.
 *
 * @param input the bytes to hash
 * @returns the digest and its gas
 */
export function sha3FipsPrecompile(input: Uint8Array): PrecompileOutput {
  const words = BigInt(Math.ceil(input.length / 32));
  const gas = PRECOMPILE_GAS.sha3Fips + words * PRECOMPILE_GAS.sha3FipsWord;
  return { gas, output: sha3_256(input) };
}

/**
 * 0xfe, ecrecover returning the 65-byte uncompressed public key. Input `hash ‖ v ‖ r ‖ s` (32
 * bytes each, right-padded). Unlike 0x01, `v` is the recovery id itself (0 or 1), not 27/28. Any
 * invalid input returns empty output (the call still succeeds); 3000 gas.
 *
 * @param input the 128-byte input
 * @returns the public key (or nothing) and its gas
 */
export function ecrecoverPublicKeyPrecompile(input: Uint8Array): PrecompileOutput {
  const gas = PRECOMPILE_GAS.ecrecover;
  const padded = rightPad(input, 128);
  for (let i = 32; i < 63; i++) if (padded[i] !== 0) return { gas, output: new Uint8Array(0) };
  const view = padded.subarray(64, 128);
  const r = bytesToBigint(view.subarray(0, 32));
  const s = bytesToBigint(view.subarray(32, 64));
  try {
    const key = recoverPublicKey(padded.slice(0, 32), { r, s, recoveryId: padded[63] }, false);
    return { gas, output: key };
  } catch (e) {
    if (isSpecError(e)) return { gas, output: new Uint8Array(0) };
    throw e;
  }
}

/**
 * 0xfb, the current epoch as a 32-byte big-endian word (the input is ignored); 2 gas.
 *
 * @param _input ignored
 * @param context the block context
 * @returns the epoch word and its gas
 */
export function epochPrecompile(_input: Uint8Array, context: PrecompileContext): PrecompileOutput {
  return { gas: PRECOMPILE_GAS.quickStep, output: bigintToFixedBytes(context.epoch, 32) };
}

/**
 * The VRF precompile (0xff) of a given rule set: the VRF output of the block that
 * `vrfPrecompileBlock` of `randomness/vrf.ts` chooses (the current block before `PrevVRF`; from
 * it, the block the input names when it is one of the 256 before the current one), at the gas of
 * `vrfPrecompileGas`.
 *
 * @param prevVrf whether `PrevVRF` is active
 * @returns the precompile
 */
export function vrfPrecompile(prevVrf: boolean): HarmonyPrecompile {
  return (input, context) => {
    const n = vrfPrecompileBlock(input, context.blockNumber, prevVrf);
    const output = n === context.blockNumber ? context.vrf : context.vrfOfBlock(n);
    return { gas: vrfPrecompileGas(input), output: output.slice() };
  };
}

/** A precompile registered but not specified yet. */
const notSpecified: HarmonyPrecompile = () => NOT_SPECIFIED;

/**
 * Harmony's own precompiles active at an epoch, by address (the last byte; the other 19 are 0).
 *
 * @param config the network
 * @param epoch the epoch of the block
 * @returns address byte → precompile
 */
export function harmonyPrecompiles(
  config: NetworkConfig,
  epoch: bigint,
): Map<number, HarmonyPrecompile> {
  const on = (feature: Parameters<typeof isActive>[1]) => isActive(config, feature, epoch);
  const out = new Map<number, HarmonyPrecompile>();
  // The VRF entry is in the VRF, SHA3 and StakingPrecompile tables (randomness/vrf.ts).
  if (vrfPrecompileAvailable(config, epoch)) out.set(0xff, vrfPrecompile(on("PrevVRF")));
  if (on("SHA3")) {
    out.set(0xfd, (input) => sha3FipsPrecompile(input));
    out.set(0xfe, (input) => ecrecoverPublicKeyPrecompile(input));
  }
  if (on("StakingPrecompile")) {
    out.set(0xfd, (input) => sha3FipsPrecompile(input));
    out.set(0xfe, (input) => ecrecoverPublicKeyPrecompile(input));
    out.set(0xfb, epochPrecompile);
    out.set(0xfc, notSpecified);
  }
  if (on("CrossShardXferPrecompile")) out.set(0xf9, notSpecified);
  return out;
}
