/**
 * Writes `docs/presets.md` from the preset data in `spec/params/`: for each network, its
 * parameters, feature activation epochs, epoch lengths and sharding instances.
 *
 * Run `deno run -A docs/presets.ts` after changing a preset; `deno run -A docs/presets.ts --check`
 * fails if the committed page is out of date.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { toHex } from "../spec/encoding/bytes.ts";
import {
  blockPeriodSeconds,
  EPOCH_TBD,
  FEATURE_NAMES,
  FEATURES,
  LOCALNET,
  MAINNET,
  type NetworkConfig,
  TESTNET,
} from "../spec/params/mod.ts";
import { decToString } from "../spec/numeric/decimal.ts";
import { externalSlotsAvailable, lastBlockOfEpoch } from "../spec/sharding/schedule.ts";

const OUT = fileURLToPath(new URL("./presets.md", import.meta.url));

/** A Dec mantissa as a decimal number with no trailing zeros. */
function dec(mantissa: bigint): string {
  return decToString({ mantissa });
}

function epoch(value: bigint | null): string {
  if (value === null) return "never";
  return value === EPOCH_TBD ? `${value} (TBD)` : `${value}`;
}

/** A Markdown table with every column padded to its widest cell, as `deno fmt` writes it. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function featureList(): string {
  const rows = FEATURE_NAMES.map((f) => [
    `\`${f}\``,
    FEATURES[f].goField === null ? "(spec only)" : `\`${FEATURES[f].goField}\``,
    FEATURES[f].description,
  ]);
  return table(["Feature", "Go field", "What it changes"], rows);
}

/** The block period from genesis and at each later change, e.g. `5 s; 2 s from epoch 366`. */
function blockTimes(c: NetworkConfig): string {
  const parts = [`${blockPeriodSeconds(c, 0n)} s`];
  for (const change of [c.features.TwoSeconds, c.features.OneSecond]) {
    if (change !== null && change > 0n) {
      parts.push(`${blockPeriodSeconds(c, change)} s from epoch ${epoch(change)}`);
    }
  }
  return parts.join("; ");
}

function parameters(c: NetworkConfig): string {
  const rows = [
    ["Harmony chain ID", `${c.chainId}`],
    ["Ethereum chain ID, shard s", `${c.ethChainIdShard0} + s`],
    ["Block time", blockTimes(c)],
    ["Reward frequency", `${c.sharding.rewardFrequency} blocks`],
    ["VDF difficulty", `${c.sharding.vdfDifficulty}`],
    ["Min-commission promotion period", `${c.minCommissionPromoPeriod} epochs`],
  ];
  return table(["Parameter", "Value"], rows);
}

function features(c: NetworkConfig): string {
  return table(
    ["Feature", "Active from epoch"],
    FEATURE_NAMES.map((f) => [`\`${f}\``, epoch(c.features[f])]),
  );
}

function eras(c: NetworkConfig): string {
  const rows = c.sharding.epochs.map((era) => [
    `${era.fromEpoch}`,
    `${era.firstBlock}`,
    `${era.blocksPerEpoch}`,
    `${lastBlockOfEpoch(c, era.fromEpoch)}`,
  ]);
  return table(["From epoch", "First block", "Blocks per epoch", "First epoch ends at"], rows);
}

function instances(c: NetworkConfig): string {
  const rows = c.sharding.instances.map(({ fromEpoch, instance: i }) => [
    `${fromEpoch}`,
    `\`${i.name}\``,
    `${i.numShards}`,
    `${i.numNodesPerShard}`,
    `${i.numHarmonyOperatedNodesPerShard}`,
    `${externalSlotsAvailable(i)}`,
    `${i.slotsLimit}`,
    dec(i.harmonyVotePercent),
    `${i.blocksPerEpoch}`,
    i.feeCollectors.map((f) => `0x${toHex(f.address)} (${dec(f.share)})`).join(", ") || "-",
    i.hip30RecoveryAddress === null
      ? "-"
      : `${dec(i.hip30EmissionFraction)} to 0x${toHex(i.hip30RecoveryAddress)}`,
  ]);
  const header = [
    "From epoch",
    "Instance",
    "Shards",
    "Slots/shard",
    "Harmony slots/shard",
    "External slots",
    "Slots limit",
    "Harmony vote",
    "Blocks/epoch",
    "Fee collectors",
    "HIP-30 split",
  ];
  return table(header, rows);
}

function section(c: NetworkConfig): string {
  return [
    `## ${c.network}`,
    "### Parameters",
    parameters(c),
    "### Feature activation epochs",
    features(c),
    "### Epoch lengths",
    eras(c),
    "### Sharding instances",
    "The instance's own blocks-per-epoch field is read by leader rotation; epoch boundaries come from the\n" +
    "epoch lengths above.",
    instances(c),
  ].join("\n\n");
}

function page(): string {
  return [
    "# Network presets",
    "Generated from `spec/params/` by `deno run -A docs/presets.ts`; do not edit by hand.",
    // Prose is written wrapped at 100 columns, as `deno fmt` leaves it.
    "Mainnet and testnet restate the Go node's `internal/params/config.go` and\n" +
    "`internal/configs/sharding/`. Localnet restates the Go localnet and also turns on the two features\n" +
    "beyond the Go node, `DRG` and `RandomResharding`. An activation epoch of 10000000 is Go's\n" +
    "`EpochTBD`; `never` is a field Go leaves unset, or a spec-only feature.",
    "## Features",
    featureList(),
    section(MAINNET),
    section(TESTNET),
    section(LOCALNET),
  ].join("\n\n") + "\n";
}

const text = page();
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(OUT, "utf8");
  } catch {
    committed = "";
  }
  if (committed !== text) {
    console.error("docs/presets.md is out of date; run deno run -A docs/presets.ts");
    process.exit(1);
  }
  console.log("docs/presets.md is up to date");
} else {
  writeFileSync(OUT, text);
  console.log("wrote docs/presets.md");
}
