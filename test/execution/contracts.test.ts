import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileContracts } from "../../conformance/cases/execution/contracts/compile.ts";

test("the committed contracts of the execution vectors are what solc compiles from their sources", () => {
  const path = "../../conformance/cases/execution/contracts/compiled.json";
  const committed = JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), "utf8"));
  assert.deepEqual(
    committed,
    compileContracts(),
    "run conformance/cases/execution/contracts/compile.ts to update compiled.json",
  );
});
