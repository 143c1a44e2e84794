/**
 * Shared fixtures of the execution tests: keys, block environments, signed transfers, and
 * Solidity compilation with solc (istanbul target: Harmony's EVM has no PUSH0).
 */
import solc from "solc";
import { addressFromPrivateKey } from "../../spec/crypto/secp256k1.ts";
import { bigintToFixedBytes, fromHex } from "../../spec/encoding/bytes.ts";
import type { NetworkConfig } from "../../spec/params/mod.ts";
import type { BlockEnv } from "../../spec/execution/apply.ts";
import {
  blockSigner,
  signTransaction,
  type Transaction,
  type UnsignedTransaction,
} from "../../spec/execution/transaction.ts";

/** A deterministic private key (index 1, 2, ...). */
export function testKey(index: number): Uint8Array {
  return bigintToFixedBytes(BigInt(index) + 0x1000n, 32);
}

/** The address of {@link testKey}. */
export function testAddress(index: number): Uint8Array {
  return addressFromPrivateKey(testKey(index));
}

/** A block environment at an epoch on a shard. */
export function envAt(epoch: bigint, shardId = 0n, blockNumber = 1000n): BlockEnv {
  return {
    shardId,
    epoch,
    blockNumber,
    coinbase: fromHex("00000000000000000000000000000000000c0b1e"),
    gasLimit: 80_000_000n,
    timestamp: 1_700_000_000n,
    vrf: new Uint8Array(32).fill(0xab),
    vrfOfBlock: (n) => bigintToFixedBytes(n, 32),
    blockHash: (n) => bigintToFixedBytes(n + 7n, 32),
  };
}

/** 100 gwei, the pool's minimum gas price. */
export const GWEI_100 = 100_000_000_000n;

/** Signs a native transaction with the block signer of `env`'s epoch and shard. */
export function signFor(
  config: NetworkConfig,
  env: BlockEnv,
  keyIndex: number,
  fields: Partial<UnsignedTransaction>,
): Transaction {
  const tx: UnsignedTransaction = {
    nonce: 0n,
    gasPrice: GWEI_100,
    gasLimit: 21_000n,
    shardId: env.shardId,
    toShardId: env.shardId,
    to: testAddress(99),
    value: 1n,
    data: new Uint8Array(0),
    ...fields,
  };
  const signer = blockSigner(config, env.shardId, env.epoch, { v: 27n });
  return signTransaction(signer, tx, testKey(keyIndex));
}

/** A compiled contract: creation bytecode and ABI. */
export interface Compiled {
  /** Init code. */
  bytecode: Uint8Array;
  /** The ABI. */
  abi: unknown[];
}

/** Compiles one Solidity source for Istanbul and returns its contracts by name. */
export function compileSolidity(source: string): Record<string, Compiled> {
  const input = {
    language: "Solidity",
    sources: { "C.sol": { content: source } },
    settings: {
      evmVersion: "istanbul",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const out: Record<string, Compiled> = {};
  for (const [name, c] of Object.entries(output.contracts["C.sol"])) {
    const contract = c as { abi: unknown[]; evm: { bytecode: { object: string } } };
    out[name] = { bytecode: fromHex(contract.evm.bytecode.object), abi: contract.abi };
  }
  return out;
}

/** A Solidity test contract: a counter with an event, a revert and an unbounded loop. */
export const COUNTER_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract Counter {
    uint256 public count;
    mapping(address => uint256) public byCaller;
    event Incremented(address indexed who, uint256 newCount);
    function increment() external {
        count += 1;
        byCaller[msg.sender] += 1;
        emit Incremented(msg.sender, count);
    }
    function fail() external pure { revert("nope"); }
    function burn() external view returns (uint256 x) {
        while (true) { x += gasleft(); }
    }
    function clear() external { count = 0; }
    function chainId() external view returns (uint256) { return block.chainid; }
    function sha3fips(bytes calldata data) external view returns (bytes memory out) {
        (bool ok, bytes memory ret) = address(0xfd).staticcall(data);
        require(ok);
        return ret;
    }
    receive() external payable {}
}
`;
