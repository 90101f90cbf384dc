import { describe, expect, it } from "vitest";
import type { OrderInput } from "~/recommend/baskets";
import type { CatalogProduct } from "~/recommend/catalog";
import { productUpgrades, rankOption, variantLadders } from "~/recommend/upgrades";
import { repeatTimings } from "~/recommend/timing";
import { bestSellers, similarProducts } from "~/recommend/popular";
import { buildModel } from "~/recommend/copurchase";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const product = (id: string, option: string, values: [string, number][], extra: Partial<CatalogProduct> = {}): CatalogProduct => ({
  id, variants: values.map(([value, price]) => ({ id: `${id}-${value}`, price, options: [{ name: option, value }] })), ...extra,
});
const buy = (id: number, customerId: string, at: number, ...products: string[]): OrderInput => ({
  id, customerId, createdAt: at, lines: products.map((productId) => ({ productId, quantity: 1, refundedQuantity: 0 })),
});

describe("variant ladders", () => {
  it("orders storage by size whatever the listing order, and sees the prices rise", () => {
    const [ladder] = variantLadders(product("phone", "Storage", [["256 GB", 55900], ["64 GB", 39900], ["1 TB", 79900], ["128 GB", 46900]]));
    expect(ladder!.steps.map((s) => s.value)).toEqual(["64 GB", "128 GB", "256 GB", "1 TB"]);
    expect(ladder!.pricesRise).toBe(true);
  });

  it("reads sizes, tiers and pack sizes", () => {
    expect(variantLadders(product("tee", "Size", [["L", 2900], ["S", 2900], ["M", 2900]]))[0]!.steps.map((s) => s.value)).toEqual(["S", "M", "L"]);
    expect(variantLadders(product("tee", "Size", [["L", 2900], ["S", 2900]]))[0]!.pricesRise).toBe(false);
    expect(variantLadders(product("plan", "Plan", [["Pro", 11900], ["Basic", 4900]]))[0]!.steps.map((s) => s.value)).toEqual(["Basic", "Pro"]);
    expect(variantLadders(product("caps", "Pack size", [["3-pack", 1200], ["1-pack", 450], ["10-pack", 3500]]))[0]!.steps.map((s) => s.value))
      .toEqual(["1-pack", "3-pack", "10-pack"]);
    expect(rankOption("XXL")).toEqual({ scale: "size", rank: 7 });
    expect(rankOption("2XL")).toEqual(rankOption("XXL"));
    expect(rankOption("500 ml")!.rank).toBeCloseTo(0.5, 12);
    expect(rankOption("1 TB")!.rank).toBe(1024 * rankOption("1 GB")!.rank);
  });

  it("finds no ladder in unordered or mixed values", () => {
    expect(variantLadders(product("case", "Color", [["Black", 2900], ["Sand", 2900]]))).toEqual([]);
    expect(variantLadders(product("ink", "Pack size", [["Single", 1990], ["Twin pack", 3590], ["XL", 2990]]))).toEqual([]);
  });

  it("keeps one ladder per colour when a product has two options", () => {
    const p: CatalogProduct = {
      id: "phone", variants: [["Black", "64 GB", 100], ["Black", "128 GB", 200], ["White", "64 GB", 110], ["White", "128 GB", 210]]
        .map(([color, storage, price]) => ({ id: `${color}-${storage}`, price: price as number, options: [{ name: "Color", value: color as string }, { name: "Storage", value: storage as string }] })),
    };
    const ladders = variantLadders(p);
    expect(ladders.map((l) => [l.fixed[0]!.value, l.steps.map((s) => s.variantId)])).toEqual([
      ["Black", ["Black-64 GB", "Black-128 GB"]], ["White", ["White-64 GB", "White-128 GB"]],
    ]);
  });
});

describe("product upgrades", () => {
  const catalog = [
    product("nimbus-8", "Storage", [["64 GB", 39900]], { productType: "Smartphone" }),
    product("nimbus-9", "Storage", [["64 GB", 51900]], { productType: "Smartphone" }),
    product("case", "Color", [["Black", 2900]], { productType: "Phone case" }),
  ];
  it("counts customers who later bought the pricier product of the same type", () => {
    const orders = ["c1", "c2", "c3", "c4"].flatMap((c, i) => [buy(i * 10, c, T0, "nimbus-8", "case"), ...(i < 3 ? [buy(i * 10 + 1, c, T0 + 200 * DAY, "nimbus-9")] : [])]);
    const upgrades = productUpgrades(orders, catalog, { minCustomers: 3 });
    expect(upgrades.get("nimbus-8")).toEqual([{ from: "nimbus-8", to: "nimbus-9", customers: 3, share: 3 / 4, medianDays: 200, priceStep: 12000 }]);
    // A case is cheaper and of another type: never an upgrade; nor is going back down.
    expect(upgrades.has("case")).toBe(false);
    expect(upgrades.has("nimbus-9")).toBe(false);
    expect(productUpgrades(orders, catalog, { minCustomers: 4 }).size).toBe(0);
  });
});

describe("repeat timing", () => {
  it("a product re-bought every ~90 days gives ~90, with spread and evidence", () => {
    const gaps = [84, 90, 96, 88, 92];
    const orders = ["a", "b", "c", "d", "e", "f"].flatMap((customer, c) => {
      let at = T0 + c * DAY;
      return gaps.map((gap, i) => buy(c * 100 + i, customer, (at += gap * DAY), "brush-heads"));
    });
    orders.push(buy(999, "a", T0, "mug"), buy(998, "a", T0 + 300 * DAY, "mug"));
    const timings = repeatTimings(orders, { minRepeats: 10, minCustomers: 5 });
    expect(timings.map((t) => t.item)).toEqual(["brush-heads"]);
    const [t] = timings;
    // Each customer's four gaps are 90, 96, 88, 92 (the first purchase starts the clock).
    expect(t!.medianDays).toBe(91);
    expect(t!.p25Days).toBe(89.5);
    expect(t!.p75Days).toBe(93);
    expect(t!.repeats).toBe(24);
    expect(t!.customers).toBe(6);
  });

  it("says nothing on thin evidence, and ignores same-day repeats", () => {
    const orders = [buy(1, "a", T0, "ink"), buy(2, "a", T0 + 60 * DAY, "ink"), buy(3, "b", T0, "ink"), buy(4, "b", T0 + 3600_000, "ink")];
    expect(repeatTimings(orders, { minRepeats: 1, minCustomers: 1 }).map((t) => t.repeats)).toEqual([1]);
    expect(repeatTimings(orders, { minRepeats: 2, minCustomers: 1 })).toEqual([]);
  });
});

describe("windows", () => {
  it("best sellers weigh recent orders more", () => {
    const orders = [...Array.from({ length: 10 }, (_, i) => buy(i, "x", T0, "old-hit")), ...Array.from({ length: 6 }, (_, i) => buy(100 + i, "x", T0 + 365 * DAY, "new-hit"))];
    expect(bestSellers(buildModel(orders), { limit: 1 })[0]!.item).toBe("old-hit");
    const recent = bestSellers(buildModel(orders, { halfLifeDays: 60 }), { limit: 2 });
    expect(recent.map((b) => [b.item, b.orders])).toEqual([["new-hit", 6], ["old-hit", 10]]);
  });

  it("similar products share type, collection and tags, in a price band", () => {
    const base = { collections: ["audio"], tags: ["audio"] };
    const headphones = product("h1", "Color", [["Black", 9900]], { ...base, productType: "Headphones" });
    const catalog = [
      headphones,
      product("h2", "Color", [["Black", 12900]], { ...base, productType: "Headphones" }),
      product("h3", "Color", [["Black", 59900]], { ...base, productType: "Headphones" }),
      product("speaker", "Color", [["Black", 9900]], { ...base, productType: "Speaker" }),
      product("mug", "Color", [["White", 9900]], { productType: "Mug", collections: ["home"] }),
    ];
    const similar = similarProducts(headphones, catalog);
    expect(similar.map((s) => s.item)).toEqual(["h2", "h3", "speaker"]);
    expect(similar[0]!.reasons).toEqual(["type", "collection", "tags", "price"]);
  });
});
