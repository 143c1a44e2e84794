/**
 * Compiles the Solidity contracts of the execution vectors with solc (the version pinned in
 * `package.json`), for the `istanbul` EVM (Harmony never adopted a later instruction set: no
 * PUSH0), optimizer on with 200 runs.
 *
 * The vectors use the committed output, `compiled.json`, so that generating them needs no
 * compiler and gives the same bytes under every runtime; a test recompiles the sources and
 * checks that the committed output is exactly what solc produces. Run this file to rewrite
 * `compiled.json` after changing a source:
 *
 * ```sh
 * deno run -A conformance/cases/execution/contracts/compile.ts
 * ```
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import solc from "solc";

/** The Solidity sources, by file name in this folder. */
export const SOURCES = ["Counter.sol", "Probe.sol"];

/** One compiled contract, bytecode as lowercase hex without `0x`. */
export interface CompiledContract {
  /** The ABI as solc gives it. */
  abi: unknown[];
  /** The creation (init) code. */
  bytecode: string;
  /** The runtime code the creation code deploys. */
  deployedBytecode: string;
}

/** The content of `compiled.json`. */
export interface CompiledFixture {
  /** The solc version that produced it. */
  compiler: string;
  /** The EVM version compiled for. */
  evmVersion: string;
  /** The contracts by name. */
  contracts: Record<string, CompiledContract>;
}

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Compiles every source and returns what `compiled.json` should hold. */
export function compileContracts(): CompiledFixture {
  const sources: Record<string, { content: string }> = {};
  for (const name of SOURCES) sources[name] = { content: readFileSync(here(name), "utf8") };
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: "istanbul",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: {
        "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const contracts: Record<string, CompiledContract> = {};
  for (const name of SOURCES) {
    for (const [contract, c] of Object.entries(output.contracts[name])) {
      const out = c as {
        abi: unknown[];
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
      };
      contracts[contract] = {
        abi: out.abi,
        bytecode: out.evm.bytecode.object,
        deployedBytecode: out.evm.deployedBytecode.object,
      };
    }
  }
  return { compiler: solc.version(), evmVersion: "istanbul", contracts };
}

/** The text of `compiled.json` for a fixture. */
export function fixtureText(fixture: CompiledFixture): string {
  return JSON.stringify(fixture, null, 2) + "\n";
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(here("compiled.json"), fixtureText(compileContracts()));
  console.log("wrote compiled.json");
}
