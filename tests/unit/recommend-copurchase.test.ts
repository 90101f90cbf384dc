import { describe, expect, it } from "vitest";
import { basketOf, parseBaskets, type OrderInput } from "~/recommend/baskets";
import { addOrder, buildModel, createModel, decayFactor, ordersTogether, removeOrder, updateOrder, type CoPurchaseModel } from "~/recommend/copurchase";
import { complementsFor, completeBasket, indexNeighbours } from "~/recommend/complements";
import { SHOWN_LIFT_PRIOR } from "~/recommend/blend";
import { loadModel, serialiseModel } from "~/recommend/storage";
import { createPairTable, tableDelete, tableGet, tableSet } from "~/recommend/pair-table";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
let nextId = 1;
const order = (items: (string | number)[], at = T0, extra: Partial<OrderInput> = {}): OrderInput => ({
  id: nextId++, createdAt: at, lines: items.map((productId) => ({ productId, quantity: 1, refundedQuantity: 0 })), ...extra,
});
const repeat = (n: number, items: string[], at = T0) => Array.from({ length: n }, () => order(items, at));

/** Counts with weights read as of one moment (stored weights depend on the first order seen). */
function snapshot(model: CoPurchaseModel) {
  const json = serialiseModel(model);
  const f = decayFactor(model, T0 + 365 * DAY);
  const pairs = new Map<string, [number, number, number]>();
  for (let i = 0; i < json.pairWeight.length; i++) {
    const [a, b, n] = json.pairs.slice(i * 3, i * 3 + 3) as [number, number, number];
    pairs.set([json.items[a], json.items[b]].map(String).sort().join("+"), [n, json.pairWeight[i]! * f, json.pairShare![i]! * f]);
  }
  const items = new Map(json.items.map((key, id) => [String(key), [json.itemOrders[id]!, json.itemWeight[id]! * f]]));
  return { orders: json.orders, weight: json.ordersWeight * f, pairs, items };
}

function expectSameCounts(a: CoPurchaseModel, b: CoPurchaseModel) {
  const [x, y] = [snapshot(a), snapshot(b)];
  expect(x.orders).toBe(y.orders);
  expect(x.weight).toBeCloseTo(y.weight, 9);
  expect([...x.pairs.keys()].sort()).toEqual([...y.pairs.keys()].sort());
  for (const [key, [n, w, share]] of x.pairs) {
    expect(n).toBe(y.pairs.get(key)![0]);
    expect(w).toBeCloseTo(y.pairs.get(key)![1], 9);
    expect(share).toBeCloseTo(y.pairs.get(key)![2], 9);
  }
  for (const [key, [n, w]] of x.items) {
    expect(n).toBe(y.items.get(key)?.[0] ?? 0);
    expect(w).toBeCloseTo(y.items.get(key)?.[1] ?? 0, 9);
  }
}

describe("baskets", () => {
  it("drops cancelled orders and fully refunded lines, merges variants by product", () => {
    const o: OrderInput = {
      id: 1, createdAt: T0, lines: [
        { productId: "phone", variantId: "phone-64", quantity: 1, refundedQuantity: 0 },
        { productId: "phone", variantId: "phone-128", quantity: 1, refundedQuantity: 0 },
        { productId: "case", quantity: 2, refundedQuantity: 2 },
        { productId: "charger", quantity: 2, refundedQuantity: 1 },
      ],
    };
    expect(basketOf(o)).toEqual(["phone", "charger"]);
    expect(basketOf(o, "variant")).toEqual(["phone-64", "phone-128", "charger"]);
    expect(basketOf({ ...o, cancelled: true })).toEqual([]);
  });

  it("parses comma files (items with spaces) and whitespace files", () => {
    expect(parseBaskets("whole milk\ncitrus fruit, cream cheese ,whole milk\n\n")).toEqual([["whole milk"], ["citrus fruit", "cream cheese", "whole milk"]]);
    expect(parseBaskets("a b a\r\nc\n")).toEqual([["a", "b"], ["c"]]);
  });
});

describe("co-purchase model", () => {
  it("counts orders per item and per pair, excluding cancelled orders and refunded lines", () => {
    const model = buildModel([
      order(["phone", "case", "charger"]),
      order(["phone", "case"]),
      order(["phone", "case"], T0, { cancelled: true }),
      { id: 99, createdAt: T0, lines: [{ productId: "phone", quantity: 1, refundedQuantity: 0 }, { productId: "charger", quantity: 1, refundedQuantity: 1 }] },
    ]);
    expect(model.orders).toBe(3);
    expect(ordersTogether(model, "phone", "case")).toBe(2);
    expect(ordersTogether(model, "case", "phone")).toBe(2);
    expect(ordersTogether(model, "phone", "charger")).toBe(1);
    expect(model.itemOrders[model.ids.get("phone")!]).toBe(3);
  });

  it("folding orders in and out one at a time equals a full rebuild", () => {
    const orders = Array.from({ length: 60 }, (_, i) => order([`p${i % 7}`, `p${(i * 3) % 5}`, `p${(i * 5) % 11}`], T0 + i * DAY));
    const incremental = createModel({ halfLifeDays: 30 });
    orders.forEach((o) => addOrder(incremental, o));
    // A refund arrives for order 10 (its second line), and order 20 is cancelled.
    const refunded = { ...orders[10]!, lines: orders[10]!.lines.map((l, i) => (i === 1 ? { ...l, refundedQuantity: 1 } : l)) };
    updateOrder(incremental, orders[10]!, refunded);
    removeOrder(incremental, orders[20]!);
    const final = orders.map((o, i) => (i === 10 ? refunded : o)).filter((_, i) => i !== 20);
    const rebuilt = buildModel(final, { halfLifeDays: 30 });
    expectSameCounts(incremental, rebuilt);
    expect(ordersTogether(incremental, orders[10]!.lines[0]!.productId, orders[10]!.lines[1]!.productId))
      .toBe(ordersTogether(rebuilt, orders[10]!.lines[0]!.productId, orders[10]!.lines[1]!.productId));
  });

  it("refuses to remove what was never added", () => {
    const model = buildModel([order(["a", "b"])]);
    expect(() => removeOrder(model, order(["a", "c"]))).toThrow();
  });

  it("serialises to JSON and keeps learning after a reload", () => {
    const orders = [order(["a", "b"]), order(["a", "b", "c"], T0 + DAY), order(["b", "c"], T0 + 2 * DAY)];
    const model = buildModel(orders.slice(0, 2), { halfLifeDays: 10 });
    removeOrder(model, orders[0]!);
    const reloaded = loadModel(JSON.parse(JSON.stringify(serialiseModel(model))));
    addOrder(reloaded, orders[2]!);
    expectSameCounts(reloaded, buildModel(orders.slice(1), { halfLifeDays: 10 }));
  });

  it("shares an order's weight among its pairs by √(items - 1), and loads models saved without shares", () => {
    const model = buildModel([order(["a", "b"]), order(["a", "b", "c", "d", "e"])]);
    const json = serialiseModel(model);
    const ab = json.pairWeight.findIndex((_, i) => [json.pairs[i * 3], json.pairs[i * 3 + 1]].map((id) => json.items[id!]).sort().join() === "a,b");
    expect(json.pairWeight[ab]).toBe(2);
    expect(json.pairShare![ab]).toBeCloseTo(1 + 1 / 2, 12);
    // Format 1 had no shares: each reads as its weight until the next rebuild.
    const old = loadModel({ ...json, format: 1, pairShare: undefined });
    expect(serialiseModel(old).pairShare).toEqual(json.pairWeight);
  });
});

describe("complements", () => {
  it("a rare pair seen once does not outrank a strong frequent pair", () => {
    // 200 orders of "phone": 80 with the case, one with a rare gadget bought nowhere else.
    const orders = [...repeat(80, ["phone", "case"]), ...repeat(119, ["phone"]), order(["phone", "gadget"]), ...repeat(300, ["mug"]), ...repeat(20, ["case"])];
    const model = buildModel(orders);
    const list = complementsFor(model, indexNeighbours(model), "phone", { minOrders: 1 });
    expect(list.map((c) => c.item)).toEqual(["case", "gadget"]);
    // Raw lift would put the gadget first: it was never bought without the phone.
    const raw = (together: number, a: number, b: number) => (together * orders.length) / (a * b);
    expect(raw(1, 200, 1)).toBeGreaterThan(raw(80, 200, 100));
    // And the gadget's shrunk lift stays near chance.
    expect(list[1]!.timesChance).toBeLessThan(1.2);
  });

  it("gives evidence: orders together, times more often than chance, share of the anchor's orders", () => {
    const model = buildModel([...repeat(30, ["phone", "case"]), ...repeat(10, ["phone"]), ...repeat(60, ["mug"])]);
    const [top] = complementsFor(model, indexNeighbours(model), "phone");
    expect(top!.item).toBe("case");
    expect(top!.ordersTogether).toBe(30);
    expect(top!.confidence).toBeCloseTo(30 / 40, 12);
    // n = 100, expected together by chance 40·30/100 = 12; shrunk (30 + 10) / (12 + 10).
    expect(SHOWN_LIFT_PRIOR).toBe(10);
    expect(top!.timesChance).toBeCloseTo(40 / 22, 12);
  });

  it("recent orders weigh more: the newer pairing wins with a half-life", () => {
    const old = Date.UTC(2025, 0, 1);
    const recent = Date.UTC(2026, 0, 1);
    const orders = [...repeat(30, ["phone", "old-case"], old), ...repeat(20, ["phone", "new-case"], recent)];
    const index = (m: CoPurchaseModel) => indexNeighbours(m);
    const flat = buildModel(orders);
    const decayed = buildModel(orders, { halfLifeDays: 90 });
    expect(complementsFor(flat, index(flat), "phone")[0]!.item).toBe("old-case");
    expect(complementsFor(decayed, index(decayed), "phone")[0]!.item).toBe("new-case");
    expect(complementsFor(decayed, index(decayed), "phone")[0]!.ordersTogether).toBe(20);
  });

  it("completes a basket from every item in it, never repeating one", () => {
    const model = buildModel([...repeat(10, ["phone", "case"]), ...repeat(10, ["printer", "ink"]), ...repeat(5, ["phone", "printer"]), ...repeat(40, ["mug"])]);
    const index = indexNeighbours(model);
    expect(completeBasket(model, index, ["phone"], { limit: 2 })).toEqual(["case", "printer"]);
    const both = completeBasket(model, index, ["phone", "printer"], { limit: 2 });
    expect(new Set(both)).toEqual(new Set(["case", "ink"]));
  });
});

describe("pair table", () => {
  it("keeps every key through growth and deletions", () => {
    const table = createPairTable();
    const truth = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const key = (i * 7919) % 100_003 + (i % 3) * 2 ** 40;
      tableSet(table, key, i);
      truth.set(key, i);
      if (i % 4 === 0) {
        const gone = [...truth.keys()][(i * 31) % truth.size]!;
        tableDelete(table, gone);
        truth.delete(gone);
      }
    }
    expect(table.size).toBe(truth.size);
    for (const [key, value] of truth) expect(tableGet(table, key)).toBe(value);
    expect(tableGet(table, 123_456_789)).toBeUndefined();
  });
});
