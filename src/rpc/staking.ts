/**
 * Harmony's staking and sharding queries (`hmy_`/`hmyv2_`): validators, their information,
 * delegations by delegator and by validator, elected validators, the sharding structure, the
 * epoch and network staking figures. They read the beacon chain's state, where staking lives, as
 * Harmony's API does.
 *
 * @module
 */
import { validatorWrapperOf } from "../../spec/chain/state.ts";
import { formatBech32Address } from "../../spec/encoding/address.ts";
import { fromHex, toHex } from "../../spec/encoding/bytes.ts";
import { decToString } from "../../spec/numeric/decimal.ts";
import { lastBlockOfEpoch } from "../../spec/sharding/schedule.ts";
import type { ValidatorWrapper } from "../../spec/staking/validator.ts";
import type { NodeOptions } from "../node/cli.ts";
import type { Shard } from "../node/shard.ts";
import type { ShardApi } from "./api.ts";
import { address, quantity, readAddress } from "./format.ts";
import type { RpcMethods } from "./jsonrpc.ts";

const STATUS = ["nil", "active", "inactive", "banned"];
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function validatorJson(w: ValidatorWrapper, elected: Set<string>) {
  const v = w.validator;
  const total = w.delegations.reduce((sum, d) => sum + d.amount, 0n);
  return {
    validator: {
      address: formatBech32Address(v.address),
      "eth-address": address(v.address),
      "bls-public-keys": v.slotPubKeys.map((k) => toHex(k)),
      "last-epoch-in-committee": Number(v.lastEpochInCommittee),
      "min-self-delegation": v.minSelfDelegation.toString(),
      "max-total-delegation": v.maxTotalDelegation.toString(),
      rate: decToString(v.commission.rates.rate),
      "max-rate": decToString(v.commission.rates.maxRate),
      "max-change-rate": decToString(v.commission.rates.maxChangeRate),
      "update-height": Number(v.commission.updateHeight),
      name: text(v.description.name),
      identity: text(v.description.identity),
      website: text(v.description.website),
      "security-contact": text(v.description.securityContact),
      details: text(v.description.details),
      "creation-height": Number(v.creationHeight),
      delegations: w.delegations.map((d) => delegationJson(v.address, d)),
    },
    "total-delegation": total.toString(),
    "currently-in-committee": elected.has(toHex(v.address)),
    "epos-status": STATUS[v.status] ?? "unknown",
    "active-status": v.status === 1 ? "active" : "inactive",
    lifetime: {
      blocks: {
        "to-sign": w.counters.numBlocksToSign.toString(),
        signed: w.counters.numBlocksSigned.toString(),
      },
      "reward-accumulated": w.blockReward.toString(),
    },
  };
}

function delegationJson(validator: Uint8Array, d: ValidatorWrapper["delegations"][number]) {
  return {
    validator_address: formatBech32Address(validator),
    delegator_address: formatBech32Address(d.delegatorAddress),
    amount: d.amount.toString(),
    reward: d.reward.toString(),
    Undelegations: d.undelegations.map((u) => ({
      Amount: u.amount.toString(),
      Epoch: Number(u.epoch),
    })),
  };
}

/** The staking methods of a shard's server (answered from the beacon chain). */
export function stakingMethods(shard: ShardApi, shards: Shard[], options: NodeOptions): RpcMethods {
  const beacon = shards[0];
  const world = () => beacon.chain().world;
  const wrappers = () =>
    beacon.chain().offChain.validators.map((a) => validatorWrapperOf(world(), a)).filter((w) =>
      w !== null
    );
  const elected = () => {
    const chain = beacon.chain();
    const state = chain.shardStates.get(chain.head.epoch);
    const out = new Set<string>();
    for (const c of state?.shards ?? []) {
      for (const s of c.slots) if (s.effectiveStake !== null) out.add(toHex(s.ecdsaAddress));
    }
    return out;
  };
  const methods: RpcMethods = {
    hmy_getEpoch: () => quantity(shard.head().header.epoch),
    hmy_getShardID: () => Number(shard.shardId),
    hmy_getShardingStructure: () =>
      shards.map((s, i) => ({
        current: s.shardId === shard.shardId,
        http: `http://${options.host}:${options.port + i}`,
        shardID: Number(s.shardId),
        ws: "",
      })),
    hmy_getAllValidatorAddresses: () =>
      beacon.chain().offChain.validators.map((a) => formatBech32Address(a)),
    hmy_getElectedValidatorAddresses: () =>
      [...elected()].map((hex) => formatBech32Address(fromHex(hex))),
    hmy_getValidatorInformation: ([a]) => {
      const w = validatorWrapperOf(world(), readAddress(a, "validator"));
      return w === null ? null : validatorJson(w, elected());
    },
    hmy_getAllValidatorInformation: () => {
      const e = elected();
      return wrappers().map((w) => validatorJson(w, e));
    },
    hmy_getDelegationsByValidator: ([a]) => {
      const w = validatorWrapperOf(world(), readAddress(a, "validator"));
      return w === null ? [] : w.delegations.map((d) => delegationJson(w.validator.address, d));
    },
    hmy_getDelegationsByDelegator: ([a]) => {
      const delegator = readAddress(a, "delegator");
      const indexes = beacon.chain().offChain.delegations.get(toHex(delegator)) ?? [];
      return indexes.flatMap((i) => {
        const w = validatorWrapperOf(world(), i.validatorAddress);
        const d = w?.delegations[Number(i.index)];
        return d === undefined ? [] : [delegationJson(i.validatorAddress, d)];
      });
    },
    hmy_getStakingNetworkInfo: () => {
      const chain = beacon.chain();
      const staked = wrappers().reduce(
        (sum, w) => sum + w.delegations.reduce((s, d) => s + d.amount, 0n),
        0n,
      );
      const supply = shards.reduce((sum, s) => {
        const a = s.chain().supply;
        return sum + a.genesis + a.issued - a.burnt;
      }, 0n);
      return {
        "total-supply": supply.toString(),
        "circulating-supply": supply.toString(),
        "epoch-last-block": Number(lastBlockOfEpoch(chain.config.network, chain.head.epoch)),
        "total-staking": staked.toString(),
      };
    },
  };
  const out: RpcMethods = { ...methods };
  for (const [name, method] of Object.entries(methods)) {
    out[name.replace(/^hmy_/, "hmyv2_")] = method;
  }
  out.hmyv2_getEpoch = () => Number(shard.head().header.epoch);
  return out;
}
