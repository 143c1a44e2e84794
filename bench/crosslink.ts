/**
 * Crosslink verification speed: a beacon block carrying 16 crosslinks of one shard, each signed by
 * 200 of a 250-key staked committee (mainnet's size: 25 Harmony slots, 225 staked), checked with
 * `verifyBlockCrossLinks` (decode the field, order and storage checks, committee lookup, quorum by
 * voting power, aggregate key, pairing check), against the bare BLS work the rule requires in the
 * same run: 16 aggregate verifications over the same bitmaps with the keys already decoded.
 * Target: the whole rule costs at most 1.3× the bare signature work once the committee context is
 * cached (Go caches it too). Building the context (decoding 250 keys, the EPoS roster) is reported
 * on its own.
 *
 * @module
 */
import { blsPublicKey, blsSignHash } from "../spec/crypto/bls.ts";
import { blsCommittee, blsMaskFromIndices, blsVerifyMaskedHash } from "../spec/crypto/bls-mask.ts";
import { BLS_GROUP_ORDER } from "../spec/crypto/bls-map.ts";
import { bigintToFixedBytesLE } from "../spec/encoding/bytes.ts";
import { keccak256 } from "../spec/encoding/hash.ts";
import { decFromInt } from "../spec/numeric/decimal.ts";
import { commitPayload } from "../spec/consensus/payloads.ts";
import { MAINNET } from "../spec/params/mod.ts";
import {
  type CrossLink,
  crossLinksField,
  EMPTY_CROSSLINK_STORE,
  verifyBlockCrossLinks,
} from "../spec/sharding/crosslink.ts";
import type { ShardState } from "../spec/sharding/shard-state.ts";
import { committeeContext, committeeLookup } from "../spec/sharding/transition.ts";
import type { Bench } from "./main.ts";
import { measure, ratio, report } from "./harness.ts";

const SIZE = 250;
const HARMONY = 25;
const SIGNERS = 200;
const LINKS = 16;
const EPOCH = 1000n;

function secret(i: number): bigint {
  return (BigInt(i + 1) * 0x9e3779b97f4a7c15n + 3n) % BLS_GROUP_ORDER;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark set-up is wrong: ${what}`);
}

function world() {
  const secrets = Array.from({ length: SIZE }, (_, i) => secret(i));
  const keys = secrets.map((s) => blsPublicKey(bigintToFixedBytesLE(s, 32)));
  const state: ShardState = {
    epoch: EPOCH,
    shards: [{
      shardId: 1n,
      slots: keys.map((k, i) => ({
        ecdsaAddress: new Uint8Array(20).fill(i & 0xff),
        blsPublicKey: k,
        effectiveStake: i < HARMONY ? null : decFromInt(BigInt(1000 + i) * 10n ** 18n),
      })),
    }],
  };
  // The aggregate of the signers' signatures is the signature by the sum of their secrets.
  let sum = 0n;
  for (let i = 0; i < SIGNERS; i++) sum += secrets[i];
  const aggSecret = bigintToFixedBytesLE(sum % BLS_GROUP_ORDER, 32);
  const bitmap = blsMaskFromIndices(SIZE, Array.from({ length: SIGNERS }, (_, i) => i));
  const links: CrossLink[] = [];
  for (let n = 0; n < LINKS; n++) {
    const hash = keccak256(Uint8Array.of(n));
    const number = 5000n + BigInt(n);
    const payload = commitPayload(MAINNET, EPOCH, hash, number, 1n);
    const signature = blsSignHash(aggSecret, payload);
    links.push({
      hash,
      blockNumber: number,
      viewId: 1n,
      signature,
      bitmap,
      shardId: 1n,
      epoch: EPOCH,
    });
  }
  return { state, keys, links, bitmap };
}

export const bench: Bench = {
  name: "crosslink",
  run(): boolean {
    const { state, keys, links, bitmap } = world();
    const history = new Map([[EPOCH, state]]);
    const lookup = committeeLookup(MAINNET, history);
    const field = crossLinksField(links);
    check(
      verifyBlockCrossLinks(MAINNET, lookup, EMPTY_CROSSLINK_STORE, field).length === LINKS,
      "block",
    );
    const committee = blsCommittee(keys);
    const payloads = links.map((cl) => commitPayload(MAINNET, EPOCH, cl.hash, cl.blockNumber, 1n));
    const bare = () => {
      for (let i = 0; i < LINKS; i++) {
        check(blsVerifyMaskedHash(committee, bitmap, payloads[i], links[i].signature), "bare");
      }
    };
    const rule = measure(
      `verifyBlockCrossLinks, ${LINKS} links, ${SIZE}-key committee (cached)`,
      () => verifyBlockCrossLinks(MAINNET, lookup, EMPTY_CROSSLINK_STORE, field),
      { samples: 3 },
    );
    const base = measure(`${LINKS} aggregate BLS verifications (baseline)`, bare, { samples: 3 });
    const cold = measure(
      `committee context: ${SIZE} keys decoded, EPoS roster`,
      () => committeeContext(MAINNET, history, 1n, EPOCH),
      { samples: 3 },
    );
    report(rule);
    report(base);
    report(cold);
    return ratio("crosslink rule / bare BLS work", rule.msPerOp / base.msPerOp, { max: 1.3 });
  },
};
