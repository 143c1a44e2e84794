/**
 * Runs every conformance case as a test: the spec's outcome must match what the case's author
 * expects. Canary cases are expected to fail here (that is their purpose) and are checked so.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { handlerPath, runCase } from "./harness.ts";
import { SUITES } from "./suites.ts";

for (const s of SUITES) {
  for (const c of s.cases) {
    test(`conformance ${handlerPath(s.handler)}/${c.name}`, async () => {
      const { failures } = await runCase(s.handler, c);
      if (c.canary) assert.notDeepEqual(failures, [], "a canary case must fail");
      else assert.deepEqual(failures, []);
    });
  }
}
