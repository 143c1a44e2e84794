/** The local network's genesis: sizes, key layout and genesis files. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blsPublicKey } from "../../spec/crypto/bls.ts";
import { bytesEqual } from "../../spec/encoding/bytes.ts";
import { instanceForEpoch } from "../../spec/sharding/schedule.ts";
import {
  allocations,
  DEV_BALANCE,
  genesisCommittee,
  harmonyAccounts,
  localNetwork,
  validatorKeys,
} from "../../src/node/genesis.ts";

test("the network is localnet sized to the flags, with two external slots from staking on", () => {
  const network = localNetwork(3, 5);
  const cases: [bigint, bigint][] = [[0n, 5n], [1n, 5n], [2n, 7n], [10n, 7n]];
  for (const [epoch, slots] of cases) {
    const i = instanceForEpoch(network, epoch);
    const sizes = [i.numShards, i.numHarmonyOperatedNodesPerShard, i.numNodesPerShard];
    assert.deepEqual(sizes, [3n, 5n, slots]);
  }
  assert.equal(network.chainId, 2n);
});

test("validator keys are deterministic, distinct, and their public keys match", () => {
  const a = validatorKeys(1n, 4);
  const b = validatorKeys(1n, 4);
  assert.ok(a.every((k, i) => bytesEqual(k.secretKey, b[i].secretKey)));
  const all = [...validatorKeys(0n, 4), ...a].map((k) => k.publicKey.join());
  assert.equal(new Set(all).size, 8);
  assert.ok(a.every((k) => bytesEqual(k.publicKey, blsPublicKey(k.secretKey))));
});

test("the Harmony list seats account i + j·shards at seat j of shard i, as the committee", () => {
  const keys = [validatorKeys(0n, 3), validatorKeys(1n, 3)];
  const list = harmonyAccounts(keys);
  const committee = genesisCommittee(keys);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      assert.ok(
        bytesEqual(list[i + j * 2].blsPublicKey, committee.shards[i].slots[j].blsPublicKey),
      );
    }
  }
});

test("development allocations, and genesis files with clear errors", () => {
  const dev = allocations(null);
  assert.equal(dev.alloc.length, 10);
  assert.ok(dev.alloc.every((a) => a.balance === DEV_BALANCE));
  const dir = mkdtempSync(join(tmpdir(), "genesis-"));
  try {
    const good = join(dir, "good.json");
    writeFileSync(
      good,
      JSON.stringify({
        alloc: { "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": "5" },
        timestamp: 7,
      }),
    );
    const g = allocations(good);
    assert.deepEqual([g.alloc[0].balance, g.timestamp], [5n, 7n]);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ alloc: { "0x1234": "5" } }));
    assert.throws(() => allocations(bad), /not an address/);
    writeFileSync(bad, "{");
    assert.throws(() => allocations(bad), /cannot read the genesis file/);
    writeFileSync(
      bad,
      JSON.stringify({ alloc: { "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266": 5 } }),
    );
    assert.throws(() => allocations(bad), /decimal string/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
