/** The in-process transport: asynchronous, ordered delivery to other subscribers only. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inProcessHub } from "../../src/node/transport.ts";

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test("delivers to other subscribers in order, asynchronously, never to the publisher", async () => {
  const hub = inProcessHub();
  const a = hub.endpoint("a");
  const b = hub.endpoint("b");
  const got: string[] = [];
  a.subscribe("t", (m, from) => got.push(`a<-${from}:${m[0]}`));
  b.subscribe("t", (m, from) => got.push(`b<-${from}:${m[0]}`));
  a.publish("t", Uint8Array.of(1));
  a.publish("t", Uint8Array.of(2));
  assert.deepEqual(got, [], "nothing is delivered synchronously");
  await settle();
  assert.deepEqual(got, ["b<-a:1", "b<-a:2"]);
});

test("a disconnected endpoint neither sends nor receives until reconnected", async () => {
  const hub = inProcessHub();
  const a = hub.endpoint("a");
  const b = hub.endpoint("b");
  const got: number[] = [];
  b.subscribe("t", (m) => got.push(m[0]));
  hub.disconnect("b");
  a.publish("t", Uint8Array.of(1));
  await settle();
  hub.disconnect("a");
  hub.reconnect("b");
  a.publish("t", Uint8Array.of(2));
  await settle();
  hub.reconnect("a");
  a.publish("t", Uint8Array.of(3));
  await settle();
  assert.deepEqual(got, [3]);
  assert.equal(hub.isConnected("a"), true);
});

test("unsubscribing stops delivery", async () => {
  const hub = inProcessHub();
  const a = hub.endpoint("a");
  const got: number[] = [];
  const off = hub.endpoint("b").subscribe("t", (m) => got.push(m[0]));
  a.publish("t", Uint8Array.of(1));
  await settle();
  off();
  a.publish("t", Uint8Array.of(2));
  await settle();
  assert.deepEqual(got, [1]);
});
