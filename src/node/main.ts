/**
 * `deno task node`: a local Harmony network built from the spec. See `deno task node --help`.
 *
 * @module
 */
import process from "node:process";
import { formatBech32Address, formatHexAddress } from "../../spec/encoding/address.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { ethChainId } from "../../spec/params/config.ts";
import { HELP, parseNodeArgs } from "./cli.ts";
import { devAccounts } from "./dev-accounts.ts";
import { DEV_BALANCE } from "./genesis.ts";
import { startNetwork, stopOnSignals } from "./network.ts";

let options;
try {
  options = parseNodeArgs(process.argv.slice(2));
} catch (e) {
  console.error(`${e instanceof Error ? e.message : e}\n\n${HELP}`);
  process.exit(64);
}
if (options.help) {
  console.log(HELP);
  process.exit(0);
}
const stamp = () => new Date().toISOString().slice(11, 23);
const log = (line: string) => {
  if (!options.quiet || /refused|failed|stopping|error/.test(line)) {
    console.log(`${stamp()} ${line}`);
  }
};

try {
  const network = await startNetwork(options, log);
  const config = network.shards[0].config;
  console.log(
    `harmony-spec local network: ${options.shards} shards × ${options.keys} validators, data in ${options.dataDir}`,
  );
  network.shards.forEach((s, i) => {
    console.log(`  shard ${i}: ${network.urls[i]}  (chain ID ${ethChainId(config, s.shardId)})`);
  });
  if (options.genesis === null) {
    console.log(
      `\nDevelopment accounts, ${
        DEV_BALANCE / 10n ** 18n
      } ONE each on every shard (public keys, never use them for real funds):`,
    );
    devAccounts(10).forEach((a, i) => {
      console.log(
        `  (${i}) ${formatHexAddress(a.address)}  ${formatBech32Address(a.address)}  key 0x${
          toHex(a.privateKey)
        }`,
      );
    });
  }
  console.log("\nCtrl-C stops the network.\n");
  stopOnSignals(network, log);
} catch (e) {
  console.error(`cannot start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
