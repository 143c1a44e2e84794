import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { catches, holds } from "../support/property.ts";
import {
  type Dec,
  DEC_ONE,
  decAdd,
  decFromMantissa,
  decMul,
  decSub,
} from "../../spec/numeric/decimal.ts";
import { compareBytes, fromHex } from "../../spec/encoding/bytes.ts";
import {
  applyEffectiveStake,
  type AuctionResult,
  EPOS_BOUND_C,
  EPOS_BOUND_C_V2,
  eposBound,
  medianStake,
  runAuction,
  type SlotOrder,
  type SlotPurchase,
} from "../../spec/staking/effective-stake.ts";
import { LOCALNET, MAINNET, TESTNET } from "../../spec/params/mod.ts";
import {
  GO_AUCTION_ATTO,
  GO_AUCTIONS,
  GO_CALC_ADDRESSES,
  GO_CALC_EFFECTIVE,
  GO_CALC_MEDIAN,
  GO_CALC_STAKES,
  type GoWinner,
} from "./go-values.ts";
import { account, key, keyTag, ONE } from "./epos-fixtures.ts";
import { stakesWithinBand } from "../../spec/invariants.ts";

/** The auction of the Go-computed tables (see go-values.ts). */
const AUCTION_ORDERS: SlotOrder[] = [
  { address: account(5), stake: 1000n * ONE, keys: [0, 1, 2, 3].map((i) => key(5, i)) },
  { address: account(1), stake: 500n * ONE, keys: [key(1, 0), key(1, 1)] },
  { address: account(9), stake: 1001n * ONE, keys: [0, 1, 2].map((i) => key(9, i)) },
  { address: account(2), stake: 100n * ONE, keys: [key(2, 0)] },
  { address: account(7), stake: 7n * ONE, keys: [] },
  { address: account(4), stake: 2000n * ONE, keys: [key(4, 0)] },
];

function sameWinners(got: SlotPurchase[], want: GoWinner[]): void {
  assert.deepEqual(
    got.map((w) => ({
      addr: w.address[19],
      key: keyTag(w.key),
      raw: w.rawStake.mantissa,
      epos: w.eposStake.mantissa,
    })),
    want,
  );
}

test("calculate_test.go: median and effective stakes of the Go test's 20 random slots", () => {
  const bids: SlotPurchase[] = GO_CALC_STAKES.map((s, i) => ({
    address: fromHex(GO_CALC_ADDRESSES[i]),
    key: key(i, 0),
    rawStake: decFromMantissa(s),
    eposStake: decFromMantissa(s),
  }));
  const median = medianStake(bids);
  assert.equal(median.mantissa, GO_CALC_MEDIAN);
  // The Go test clamps every slot (not only winners) around that median with c = 0.15.
  const orders = GO_CALC_STAKES.map((s, i) => ({
    address: fromHex(GO_CALC_ADDRESSES[i]),
    stake: s / ONE,
    keys: [key(i, 0)],
  }));
  const { winners } = applyEffectiveStake(orders, 20n, EPOS_BOUND_C);
  for (const w of winners) {
    const i = GO_CALC_ADDRESSES.findIndex((a) => compareBytes(fromHex(a), w.address) === 0);
    assert.equal(w.eposStake.mantissa, GO_CALC_EFFECTIVE[i]);
  }
});

test("auction with ties, truncation, clamping: the values Go's Compute/Apply give", () => {
  for (const a of GO_AUCTIONS) {
    const c = a.extended ? EPOS_BOUND_C_V2 : EPOS_BOUND_C;
    const result = applyEffectiveStake(AUCTION_ORDERS, a.pull, c);
    assert.equal(result.median.mantissa, a.median, `pull ${a.pull} ext ${a.extended}`);
    sameWinners(result.winners, a.winners);
  }
});

test("raw stake is the mantissa divided by the key count, truncated (10 atto over 3 keys)", () => {
  const orders: SlotOrder[] = [
    { address: account(1), stake: 10n, keys: [0, 1, 2].map((i) => key(1, i)) },
    { address: account(2), stake: 7n, keys: [key(2, 0), key(2, 1)] },
  ];
  const result = applyEffectiveStake(orders, 5n, EPOS_BOUND_C);
  assert.equal(result.median.mantissa, GO_AUCTION_ATTO.median);
  sameWinners(result.winners, GO_AUCTION_ATTO.winners);
});

test("the bound c is 0.15 before EPoSBound35 and 0.35 from it (mainnet 631, testnet 2, localnet 0)", () => {
  assert.equal(EPOS_BOUND_C.mantissa, 150000000000000000n);
  assert.equal(EPOS_BOUND_C_V2.mantissa, 350000000000000000n);
  assert.equal(eposBound(MAINNET, 630n), EPOS_BOUND_C);
  assert.equal(eposBound(MAINNET, 631n), EPOS_BOUND_C_V2);
  assert.equal(eposBound(TESTNET, 1n), EPOS_BOUND_C);
  assert.equal(eposBound(TESTNET, 2n), EPOS_BOUND_C_V2);
  assert.equal(eposBound(LOCALNET, 0n), EPOS_BOUND_C_V2);
});

test("no candidates, or no keys, or pull 0: median zero and no winners", () => {
  assert.deepEqual(runAuction([], 10n), { median: { mantissa: 0n }, winners: [] });
  const noKeys = [{ address: account(1), stake: ONE, keys: [] }];
  assert.deepEqual(runAuction(noKeys, 10n).winners, []);
  assert.deepEqual(runAuction(AUCTION_ORDERS, 0n).winners, []);
});

test("an account bidding twice is refused", () => {
  const twice = [AUCTION_ORDERS[0], { ...AUCTION_ORDERS[1], address: account(5) }];
  assert.throws(() => runAuction(twice, 3n), { code: "epos/duplicate-candidate" });
});

// --- properties -----------------------------------------------------------------------------------

const orderArb = fc.record({
  addr: fc.integer({ min: 0, max: 40 }),
  // Small round stakes make equal bids (ties) common; large ones exercise truncation.
  stake: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.constantFrom(0n, 6n, 12n, 60n)),
  keys: fc.integer({ min: 0, max: 5 }),
});
const ordersArb = fc.uniqueArray(orderArb, { selector: (o) => o.addr, maxLength: 25 }).map((os) =>
  os.map((o): SlotOrder => ({
    address: account(o.addr),
    stake: o.stake,
    keys: Array.from({ length: o.keys }, (_, i) => key(o.addr, i)),
  }))
);
const pullArb = fc.bigInt({ min: 0n, max: 60n });
const boundArb = fc.constantFrom(EPOS_BOUND_C, EPOS_BOUND_C_V2);

type Apply = (orders: SlotOrder[], pull: bigint, c: Dec) => AuctionResult;

/** Every winner's effective stake lies within [(1 − c)·median, (1 + c)·median]. */
function withinBounds(apply: Apply) {
  return fc.property(ordersArb, pullArb, boundArb, (orders, pull, c) => {
    const { median, winners } = apply(orders, pull, c);
    assert.equal(stakesWithinBand(winners.map((w) => w.eposStake), median, c), true);
    const lo = decMul(decSub(DEC_ONE, c), median).mantissa;
    const hi = decMul(decAdd(DEC_ONE, c), median).mantissa;
    for (const w of winners) {
      const e = w.eposStake.mantissa;
      // Inside the band the raw stake is kept as it is.
      if (w.rawStake.mantissa >= lo && w.rawStake.mantissa <= hi && e !== w.rawStake.mantissa) {
        return false;
      }
    }
    return true;
  });
}

/** The winners are the highest bids: nobody left out bid more than the lowest winner. */
function winnersAreTopBids(apply: Apply) {
  return fc.property(ordersArb, pullArb, (orders, pull) => {
    const { winners } = apply(orders, pull, EPOS_BOUND_C);
    let bids = 0n;
    for (const o of orders) if (o.keys.length > 0) bids += BigInt(o.keys.length);
    if (BigInt(winners.length) !== (pull < bids ? pull : bids)) return false;
    for (let i = 1; i < winners.length; i++) {
      if (winners[i].rawStake.mantissa > winners[i - 1].rawStake.mantissa) return false;
    }
    if (winners.length === 0) return true;
    const lowest = winners[winners.length - 1].rawStake.mantissa;
    const won = new Set(winners.map((w) => keyTag(w.key)));
    for (const o of orders) {
      for (const k of o.keys) {
        if (!won.has(keyTag(k)) && o.stake * ONE / BigInt(o.keys.length) > lowest) return false;
      }
    }
    return true;
  });
}

/** The auction ignores the order in which candidates are given. */
function orderIndependent(apply: Apply) {
  return fc.property(ordersArb, pullArb, fc.integer(), (orders, pull, seed) => {
    const shuffled = orders.slice().sort((a, b) =>
      ((a.address[19] * 7919 + seed) % 97) - ((b.address[19] * 7919 + seed) % 97)
    );
    const x = apply(orders, pull, EPOS_BOUND_C);
    const y = apply(shuffled, pull, EPOS_BOUND_C);
    return JSON.stringify(x, big) === JSON.stringify(y, big);
  });
}

function big(_k: string, v: unknown) {
  return typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v;
}

/** The median is the middle of the winners sorted ascending (the Go test's own method). */
function medianIsMiddle(median: (b: SlotPurchase[]) => Dec) {
  return fc.property(
    fc.array(fc.bigInt({ min: 0n, max: 10n ** 30n }), { maxLength: 30 }),
    (raws) => {
      const bids = raws.map((r, i) => ({
        address: account(i),
        key: key(i, 0),
        rawStake: decFromMantissa(r),
        eposStake: decFromMantissa(r),
      }));
      const asc = raws.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const n = asc.length;
      let want = 0n;
      if (n % 2 === 1) want = asc[(n - 1) / 2];
      else if (n > 0) {
        // (a + b) / 2 with Dec's quotient: exact halves round half to even at 18 decimals.
        const sum = asc[n / 2 - 1] + asc[n / 2];
        want = sum / 2n + (sum % 2n === 1n && (sum / 2n) % 2n === 1n ? 1n : 0n);
      }
      return median(bids).mantissa === want;
    },
  );
}

test("property: effective stakes lie within [(1 − c)·median, (1 + c)·median]", () => {
  holds(withinBounds(applyEffectiveStake));
  // Broken rule: only the upper bound is applied.
  catches(withinBounds((orders, pull, c) => {
    const r = runAuction(orders, pull);
    const hi = decMul(decAdd(DEC_ONE, c), r.median);
    return {
      median: r.median,
      winners: r.winners.map((w) => ({
        ...w,
        eposStake: w.rawStake.mantissa > hi.mantissa ? hi : w.rawStake,
      })),
    };
  }));
});

test("property: the winners are the top bids, in descending order", () => {
  holds(winnersAreTopBids(applyEffectiveStake));
  // Broken rule: the last `pull` bids win instead of the first.
  catches(winnersAreTopBids((orders, pull, c) => {
    const all = applyEffectiveStake(orders, 1000n, c);
    const n = Number(pull) < all.winners.length ? Number(pull) : all.winners.length;
    return { median: all.median, winners: all.winners.slice(all.winners.length - n) };
  }));
});

test("property: the auction is independent of the order of the candidates", () => {
  holds(orderIndependent(applyEffectiveStake));
  // Broken rule: ties resolved by input order (no sort by account).
  catches(
    orderIndependent((orders, pull, c) => {
      const bids: SlotPurchase[] = [];
      for (const o of orders) {
        for (const k of o.keys) {
          const raw = decFromMantissa(o.stake * ONE / BigInt(o.keys.length));
          bids.push({ address: o.address, key: k, rawStake: raw, eposStake: raw });
        }
      }
      bids.sort((
        a,
        b,
      ) => (a.rawStake.mantissa < b.rawStake.mantissa
        ? 1
        : a.rawStake.mantissa > b.rawStake.mantissa
        ? -1
        : 0)
      );
      const winners = bids.slice(0, Number(pull));
      void c;
      return { median: medianStake(winners), winners };
    }),
    300,
  );
});

test("property: the median is the middle winner, or the mean of the two middle ones", () => {
  holds(medianIsMiddle(medianStake));
  // Broken rule: for an even count, the upper middle value instead of the mean.
  catches(medianIsMiddle((bids) => {
    const sorted = bids.slice().sort((
      a,
      b,
    ) => (a.rawStake.mantissa < b.rawStake.mantissa ? 1 : -1));
    return sorted.length === 0
      ? decFromMantissa(0n)
      : sorted[Math.floor(sorted.length / 2)].rawStake;
  }));
});

/**
 * Go's `Compute` restated step by step, as an independent model of the auction: one bid per key
 * in account order, all bids sorted by raw stake descending with a stable insertion sort (Go's
 * `SliceStable`), the first `pull` taken.
 */
function goCompute(orders: SlotOrder[], pull: bigint): SlotPurchase[] {
  const bids: SlotPurchase[] = [];
  for (const o of orders.slice().sort((a, b) => compareBytes(a.address, b.address))) {
    for (const k of o.keys) {
      const raw = decFromMantissa(o.stake * ONE / BigInt(o.keys.length));
      bids.push({ address: o.address, key: k, rawStake: raw, eposStake: raw });
    }
  }
  for (let i = 1; i < bids.length; i++) {
    const bid = bids[i];
    let j = i;
    while (j > 0 && bids[j - 1].rawStake.mantissa < bid.rawStake.mantissa) bids[j] = bids[--j];
    bids[j] = bid;
  }
  return bids.slice(0, Number(pull));
}

/** The auction picks the same bids, in the same order, as Go's algorithm. */
function sameAsGoCompute(auction: (orders: SlotOrder[], pull: bigint) => AuctionResult) {
  return fc.property(ordersArb, pullArb, (orders, pull) => {
    const tags = (bids: SlotPurchase[]) =>
      bids.map((b) => `${b.address[19]}/${keyTag(b.key)}/${b.rawStake.mantissa}`).join(" ");
    return tags(auction(orders, pull).winners) === tags(goCompute(orders, pull));
  });
}

test("property: the auction takes the bids Go's Compute takes, in its order", () => {
  holds(sameAsGoCompute(runAuction));
  // Broken rule: equal bids ranked by account descending (addresses flipped for the auction).
  const flip = (a: Uint8Array) => a.map((b) => 255 - b);
  catches(sameAsGoCompute((orders, pull) => {
    const result = runAuction(orders.map((o) => ({ ...o, address: flip(o.address) })), pull);
    return { ...result, winners: result.winners.map((w) => ({ ...w, address: flip(w.address) })) };
  }));
});
