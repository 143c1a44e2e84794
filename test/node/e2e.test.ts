/**
 * The live node, used as a dapp developer uses it: the node runs as its own process (the same
 * command as `deno task node`), and viem talks to its JSON-RPC. Reads, transfers with receipts, a
 * solc-compiled contract with events, a cross-shard transfer, a staking transaction seen after the
 * next election, and a `kill -9` with a restart that loses nothing committed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { blsSignHash } from "../../spec/crypto/bls.ts";
import { formatBech32Address } from "../../spec/encoding/address.ts";
import { toHex } from "../../spec/encoding/bytes.ts";
import { encodeTransaction, signTransaction } from "../../spec/execution/transaction.ts";
import { decFromString } from "../../spec/numeric/decimal.ts";
import { encodeStakeMessage, type StakeMessage } from "../../spec/staking/messages.ts";
import {
  encodeStakingTransaction,
  signStakingTransaction,
  unsignedStakingTransaction,
} from "../../spec/staking/transactions.ts";
import {
  BLS_VERIFICATION_MESSAGE,
  descriptionFromText,
  ONE,
} from "../../spec/staking/validator.ts";
import { devAccounts } from "../../src/node/dev-accounts.ts";
import { validatorKeys } from "../../src/node/genesis.ts";
import { rpcCall, startNode, stopNode, until } from "./live.ts";

const SLOW = { timeout: 240_000 };
const PORT = 19500 + (process.pid % 200) * 2;
const [alice, bob, carol] = devAccounts(3);
const contract = JSON.parse(
  readFileSync(
    new URL("../../conformance/cases/execution/contracts/compiled.json", import.meta.url),
    "utf8",
  ),
).contracts.Counter;

const chainOf = (shard: number) =>
  defineChain({
    id: 1666700000 + shard,
    name: `harmony-spec shard ${shard}`,
    nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 },
    rpcUrls: { default: { http: [`http://127.0.0.1:${PORT + shard}`] } },
  });
const client = (shard: number) =>
  createPublicClient({ chain: chainOf(shard), transport: http(), pollingInterval: 250 });
const wallet = (shard: number, key: Uint8Array) =>
  createWalletClient({
    chain: chainOf(shard),
    transport: http(),
    account: privateKeyToAccount(`0x${toHex(key)}`),
  });
const rpc = (shard: number, method: string, params: unknown[] = []) =>
  rpcCall(PORT + shard, method, params);

test(
  "a dapp developer's session against the live node, then kill -9 and restart",
  SLOW,
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "harmony-spec-node-"));
    let node = startNode(dataDir, PORT);
    try {
      const beacon: PublicClient = client(0);
      await until("the first blocks", 60_000, async () => (await beacon.getBlockNumber()) >= 2n);

      // Reading the chain.
      assert.equal(await beacon.getChainId(), 1666700000);
      assert.equal(await client(1).getChainId(), 1666700001);
      assert.equal(
        await beacon.getBalance({ address: `0x${toHex(carol.address)}` }),
        1_000_000n * ONE,
      );
      const latest = await beacon.getBlock();
      assert.equal((await beacon.getBlock({ blockHash: latest.hash! })).number, latest.number);

      // A transfer, waited for by its receipt.
      const pay = await wallet(0, alice.privateKey).sendTransaction({
        to: `0x${toHex(bob.address)}`,
        value: parseEther("1.5"),
      });
      const paid = await beacon.waitForTransactionReceipt({ hash: pay, timeout: 60_000 });
      assert.equal(paid.status, "success");
      assert.equal(
        await beacon.getBalance({ address: `0x${toHex(bob.address)}` }),
        1_000_000n * ONE + parseEther("1.5"),
      );
      assert.equal((await beacon.getTransaction({ hash: pay })).value, parseEther("1.5"));

      // A solc-compiled contract: deploy, call, read state and events.
      const deployer = wallet(0, bob.privateKey);
      const deployed = await beacon.waitForTransactionReceipt({
        hash: await deployer.deployContract({
          abi: contract.abi,
          bytecode: `0x${contract.bytecode}`,
        }),
        timeout: 60_000,
      });
      const counter = deployed.contractAddress!;
      const call = await deployer.writeContract({
        address: counter,
        abi: contract.abi,
        functionName: "increment",
      });
      await beacon.waitForTransactionReceipt({ hash: call, timeout: 60_000 });
      assert.equal(
        await beacon.readContract({ address: counter, abi: contract.abi, functionName: "count" }),
        1n,
      );
      const events = await beacon.getContractEvents({
        address: counter,
        abi: contract.abi,
        eventName: "Incremented",
        fromBlock: 0n,
      });
      assert.equal(events.length, 1);
      assert.equal((events[0] as unknown as { args: { newCount: bigint } }).args.newCount, 1n);
      await assert.rejects(
        beacon.readContract({ address: counter, abi: contract.abi, functionName: "fail" }),
        /nope|revert/,
      );

      // A cross-shard transfer from shard 0 to shard 1, in Harmony's own transaction format.
      const before = await client(1).getBalance({ address: `0x${toHex(carol.address)}` });
      const nonce = BigInt(
        await beacon.getTransactionCount({ address: `0x${toHex(alice.address)}` }),
      );
      const crossShard = signTransaction({
        kind: "eip155",
        chainId: 2n,
        nodeEthChainId: 1666700000n,
      }, {
        nonce,
        gasPrice: 100_000_000_000n,
        gasLimit: 25_000n,
        shardId: 0n,
        toShardId: 1n,
        to: carol.address,
        value: 7n * ONE,
        data: new Uint8Array(0),
      }, alice.privateKey);
      await rpc(0, "hmy_sendRawTransaction", [`0x${toHex(encodeTransaction(crossShard))}`]);
      await until(
        "the cross-shard transfer on shard 1",
        90_000,
        async () =>
          (await client(1).getBalance({ address: `0x${toHex(carol.address)}` })) ===
            before + 7n * ONE,
      );

      // A validator created by a staking transaction, elected at the next election.
      const key = validatorKeys(7n, 1)[0];
      const create: StakeMessage = {
        directive: 0,
        body: {
          validatorAddress: carol.address,
          description: descriptionFromText({
            name: "carol",
            identity: "carol",
            website: "",
            securityContact: "",
            details: "",
          }),
          commissionRates: {
            rate: decFromString("0.1"),
            maxRate: decFromString("0.5"),
            maxChangeRate: decFromString("0.05"),
          },
          minSelfDelegation: 10_000n * ONE,
          maxTotalDelegation: 1_000_000n * ONE,
          slotPubKeys: [key.publicKey],
          slotKeySigs: [blsSignHash(key.secretKey, BLS_VERIFICATION_MESSAGE)],
          amount: 20_000n * ONE,
        },
      };
      const stakingNonce = BigInt(
        await beacon.getTransactionCount({ address: `0x${toHex(carol.address)}` }),
      );
      const unsigned = unsignedStakingTransaction(create, encodeStakeMessage(create), {
        nonce: stakingNonce,
        gasPrice: 100_000_000_000n,
        gasLimit: 6_000_000n,
      });
      const staking = signStakingTransaction(unsigned, 2n, carol.privateKey);
      await rpc(0, "hmy_sendRawStakingTransaction", [
        `0x${toHex(encodeStakingTransaction(staking))}`,
      ]);
      const one = formatBech32Address(carol.address);
      await until(
        "the validator to exist",
        60_000,
        async () => ((await rpc(0, "hmy_getAllValidatorAddresses")) as string[]).includes(one),
      );
      await until(
        "the validator to be elected",
        180_000,
        async () => ((await rpc(0, "hmy_getElectedValidatorAddresses")) as string[]).includes(one),
      );
      const info = await rpc(0, "hmy_getValidatorInformation", [one]) as {
        "currently-in-committee": boolean;
      };
      assert.equal(info["currently-in-committee"], true);

      // kill -9, restart, nothing committed is lost, and the chain goes on.
      const head = await beacon.getBlock();
      const bobBalance = await beacon.getBalance({ address: `0x${toHex(bob.address)}` });
      await stopNode(node, "SIGKILL");
      node = startNode(dataDir, PORT);
      await until(
        "the restarted node",
        120_000,
        async () => (await beacon.getBlockNumber()) >= head.number,
      );
      assert.equal((await beacon.getBlock({ blockNumber: head.number })).hash, head.hash);
      assert.equal(await beacon.getBalance({ address: `0x${toHex(bob.address)}` }), bobBalance);
      assert.equal((await beacon.getTransactionReceipt({ hash: pay })).status, "success");
      await until(
        "new blocks after the restart",
        60_000,
        async () => (await beacon.getBlockNumber()) > head.number + 1n,
      );
    } finally {
      await stopNode(node, "SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
