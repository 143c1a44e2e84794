/**
 * Network parameters: features (epoch-gated rule changes), network configurations, and the three
 * presets the spec ships.
 *
 * A *preset* is a complete {@link NetworkConfig}: chain IDs, the activation epoch of every
 * feature, and the sharding schedule as data. Mainnet and testnet restate the Go node exactly;
 * localnet restates the Go localnet and also turns on the two features beyond the Go node
 * (`DRG`, `RandomResharding`). Rules take the configuration as their first argument and never
 * read a preset directly, so every conformance vector can carry the configuration it ran under.
 *
 * @module
 */
import { require } from "../errors.ts";
import type { NetworkConfig } from "./config.ts";
import { LOCALNET } from "./presets/localnet.ts";
import { MAINNET } from "./presets/mainnet.ts";
import { TESTNET } from "./presets/testnet.ts";

export * from "./config.ts";
export * from "./features.ts";
export { LOCALNET, MAINNET, TESTNET };

/** The shipped presets, by network name. */
export const PRESETS: Record<string, NetworkConfig> = {
  mainnet: MAINNET,
  testnet: TESTNET,
  localnet: LOCALNET,
};

/**
 * Looks up a shipped preset by network name.
 *
 * @param network `mainnet`, `testnet` or `localnet`
 * @returns that network's configuration
 * @throws {SpecError} `params/unknown-network` for any other name
 */
export function presetByName(network: string): NetworkConfig {
  require(Object.hasOwn(PRESETS, network), "params/unknown-network", network);
  return PRESETS[network];
}
