import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildModel } from "~/recommend/copurchase";
import type { OrderInput } from "~/recommend/baskets";
import { storefrontWindows, WINDOW_SIZE, type WindowProduct } from "~/recommend/windows";
import { checkDeal, dayBounds, dayIn, storefrontDeals, type DealVariant } from "~/deals/schedule";

const product = (id: string, extra: Partial<WindowProduct> = {}): WindowProduct => ({
  id, title: id, productType: "phone", collections: [], tags: [], variants: [{ id: `${id}-v`, price: 1000, options: [] }], available: true, onSale: false, ...extra,
});
let orderId = 0;
const order = (items: string[], at = Date.UTC(2026, 10, 1)): OrderInput => ({ id: ++orderId, createdAt: at, lines: items.map((productId) => ({ productId, variantId: null, quantity: 1, refundedQuantity: 0 })) } as OrderInput);
const repeat = (n: number, items: string[]) => Array.from({ length: n }, () => order(items));

describe("the storefront's recommendation windows", () => {
  const catalog = [product("phone"), product("case", { productType: "case" }), product("charger", { productType: "charger", onSale: true }), product("earbuds", { available: false }), product("tablet")];
  const model = buildModel([...repeat(6, ["phone", "case"]), ...repeat(4, ["phone", "charger"]), ...repeat(5, ["phone", "earbuds"]), ...repeat(2, ["phone", "tablet"])], { keying: "product" });

  it("fills bought together from the orders, best first, leaving out the sold-out and the anecdotal", () => {
    const { products } = storefrontWindows(model, catalog);
    // earbuds: sold out; tablet: two orders together is under the evidence threshold.
    expect(products.get("phone")?.together).toEqual(["case", "charger"]);
    expect(products.get("case")?.together).toEqual(["phone"]);
    // Similar: the same type, never the product itself, never the sold-out earbuds.
    expect(products.get("phone")?.similar).toEqual(["tablet"]);
    expect(products.get("earbuds")?.similar).toEqual(["phone", "tablet"]);
  });

  it("ranks the shop's best sellers and what is on sale, buyable only", () => {
    const { shop } = storefrontWindows(model, catalog);
    expect(shop.best_sellers).toEqual(["phone", "case", "charger", "tablet"]);
    expect(shop.on_offer).toEqual(["charger"]);
  });

  it("has only similar products and no best sellers before anything is learned", () => {
    const { products, shop } = storefrontWindows(null, catalog);
    expect(products.get("phone")).toEqual({ similar: ["tablet"] });
    expect(shop).toEqual({ best_sellers: [], on_offer: ["charger"] });
  });

  it("never lists a product in its own window, a sold-out one, a repeat, or more than the window holds", () => {
    fc.assert(fc.property(
      fc.array(fc.subarray(["a", "b", "c", "d", "e", "f", "g", "h"], { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 }),
      fc.subarray(["a", "b", "c", "d", "e", "f", "g", "h"]), fc.integer({ min: 1, max: WINDOW_SIZE }),
      (baskets, soldOut, size) => {
        const items = ["a", "b", "c", "d", "e", "f", "g", "h"].map((id, i) => product(id, { productType: i % 2 ? "x" : "y", available: !soldOut.includes(id), onSale: i % 3 === 0 }));
        const windows = storefrontWindows(buildModel(baskets.flatMap((b) => repeat(3, b)), { keying: "product" }), items, size);
        const lists: [string | null, string[]][] = [
          ...[...windows.products].flatMap(([id, w]) => [[id, w.together ?? []], [id, w.similar ?? []]] as [string, string[]][]),
          [null, windows.shop.best_sellers], [null, windows.shop.on_offer],
        ];
        for (const [self, list] of lists) {
          expect(list.length).toBeLessThanOrEqual(size);
          expect(new Set(list).size).toBe(list.length);
          for (const id of list) {
            expect(id).not.toBe(self);
            expect(soldOut).not.toContain(id);
          }
        }
      }), { numRuns: 300 });
  });

  it("stays far inside Shopify's metafield limits at the largest window", () => {
    const ids = Array.from({ length: WINDOW_SIZE }, (_, i) => `gid://shopify/Product/${9_000_000_000_000 + i}`);
    expect(JSON.stringify(ids).length).toBeLessThan(1_000);
  });
});

describe("the deal of the day's calendar", () => {
  it("runs from midnight to midnight in the shop's time zone, 23 or 25 hours on a clock change", () => {
    expect(dayBounds("2026-12-02", "Europe/Paris")).toEqual({ startsAt: Date.UTC(2026, 11, 1, 23) / 1000, endsAt: Date.UTC(2026, 11, 2, 23) / 1000 });
    expect(dayBounds("2026-12-02", "America/New_York").startsAt).toBe(Date.UTC(2026, 11, 2, 5) / 1000);
    const spring = dayBounds("2026-03-29", "Europe/Paris");
    expect(spring.endsAt - spring.startsAt).toBe(23 * 3600);
    const autumn = dayBounds("2026-10-25", "Europe/Paris");
    expect(autumn.endsAt - autumn.startsAt).toBe(25 * 3600);
    expect(dayBounds("2026-12-31", "Asia/Kolkata")).toEqual({ startsAt: Date.UTC(2026, 11, 30, 18, 30) / 1000, endsAt: Date.UTC(2026, 11, 31, 18, 30) / 1000 });
  });

  it("knows which day it is in the shop", () => {
    const at = Date.UTC(2026, 11, 2, 23, 30);
    expect(dayIn("Europe/Paris", at)).toBe("2026-12-03");
    expect(dayIn("America/New_York", at)).toBe("2026-12-02");
  });

  it("contains every instant of a day in that day, in any time zone", () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), fc.constantFrom("Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"), (at, zone) => {
      const { startsAt, endsAt } = dayBounds(dayIn(zone, at), zone);
      expect(startsAt * 1000).toBeLessThanOrEqual(at);
      expect(at).toBeLessThan(endsAt * 1000);
    }), { numRuns: 500 });
  });

  const variant: DealVariant = { productId: "gid://shopify/Product/2", handle: "case", price: 2900, available: true };

  it("checks a merchant's deal: a real day from today, a product of the catalog, a price below the regular one", () => {
    const ok = checkDeal({ day: "2026-12-02", variantId: "gid://shopify/ProductVariant/20", price: 1900 }, variant, "2026-12-02");
    expect(ok).toEqual({ ok: true, deal: { day: "2026-12-02", productId: variant.productId, variantId: "gid://shopify/ProductVariant/20", price: 1900 } });
    const errors = (day: string, price: number | null, v: DealVariant | null = variant) => {
      const result = checkDeal({ day, variantId: "x", price }, v ?? undefined, "2026-12-02");
      return result.ok ? {} : result.errors;
    };
    expect(errors("2026-12-01", 1900)).toEqual({ day: "deals.errors.past" });
    expect(errors("2026-02-30", 1900)).toEqual({ day: "deals.errors.day" });
    expect(errors("2028-12-02", 1900)).toEqual({ day: "deals.errors.tooFar" });
    expect(errors("2026-12-03", 2900)).toEqual({ price: "deals.errors.notLower" });
    expect(errors("2026-12-03", 0)).toEqual({ price: "deals.errors.price" });
    expect(errors("2026-12-03", null, null)).toEqual({ product: "deals.errors.product", price: "deals.errors.price" });
  });

  it("writes today's and the coming week's deals, never yesterday's, a sold-out one or one no longer below its price", () => {
    const now = Date.UTC(2026, 11, 2, 10);
    const deal = (day: string, variantId = "v1", price = 1900) => ({ day, productId: variant.productId, variantId, price });
    const variants = new Map([["v1", variant], ["v2", { ...variant, available: false }], ["v3", { ...variant, price: 1500 }]]);
    const out = storefrontDeals([deal("2026-12-01"), deal("2026-12-03"), deal("2026-12-02"), deal("2026-12-04", "v2"), deal("2026-12-05", "v3"), deal("2026-12-20")], variants, "Europe/Paris", "EUR", now);
    expect(out.deals.map((d) => d.day)).toEqual(["2026-12-02", "2026-12-03"]);
    expect(out.deals[0]).toMatchObject({ starts_at: Date.UTC(2026, 11, 1, 23) / 1000, ends_at: Date.UTC(2026, 11, 2, 23) / 1000, handle: "case", price: 1900, regular: 2900, currency: "EUR", discount_bp: 3448 });
    // The share taken off in another currency never exceeds what the merchant set.
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (a, b) => {
      const [price, regular] = a < b ? [a, b] : [Math.max(1, b - 1), b + 1];
      const { discount_bp } = storefrontDeals([deal("2026-12-02", "v9", price)], new Map([["v9", { ...variant, price: regular }]]), "UTC", "EUR", now).deals[0]!;
      expect(regular - Math.floor((regular * discount_bp) / 10_000)).toBeGreaterThanOrEqual(price);
    }), { numRuns: 500 });
  });
});
