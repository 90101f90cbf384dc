import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  applyCartTransform, applyDiscount, minorOf, percentOf, pricedFromSource, spread, totals,
  type DiscountApplication, type DiscountOutput, type SourceLine,
} from "../../devshop/functions/apply.ts";

// The stand-in checkout's arithmetic for Function operations (tests/devshop/functions/apply.ts):
// exact minor units, Shopify's selection strategies, no line below zero.
const line = (n: number, variantId: number, quantity: number, price: number, properties: SourceLine["properties"] = []): SourceLine =>
  ({ key: `key-${n}`, variantId, quantity, price, properties });
const cartLine = (n: number) => `gid://shopify/CartLine/${n}`;
/** Variant 900 (the bundle parent) and the lines' variants exist; nothing else does. */
const known = (variantId: number) => ([900, 11, 21, 31].includes(variantId) ? 1 : null);
const DISCOUNT = { id: "gid://shopify/DiscountAutomaticNode/1", title: "Uplift", combinesWithProductDiscounts: false };

function discounted(source: SourceLine[], output: DiscountOutput) {
  const lines = pricedFromSource(source);
  const applications: DiscountApplication[] = [];
  applyDiscount(lines, DISCOUNT, output, applications, new Map());
  return totals(lines, applications);
}

describe("rounding", () => {
  it("takes percentages of minor units half up, exactly", () => {
    expect(percentOf(61_800, "10")).toBe(6_180);
    expect(percentOf(66_898, "10")).toBe(6_690); // 6,689.8
    expect(percentOf(1_005, "50")).toBe(503); // 502.5 rounds up
    expect(percentOf(999, "12.5")).toBe(125); // 124.875
    expect(minorOf("2.99")).toBe(299);
    expect(minorOf("5")).toBe(500);
    expect(minorOf("0.125")).toBe(13);
  });
  it("spreads an amount over weights exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }), (amount, weights) => {
      const shares = spread(amount, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      expect(shares.every((s) => s >= 0)).toBe(true);
    }));
  });
});

describe("cart transform operations", () => {
  const source = [line(1, 11, 1, 58_900), line(2, 21, 1, 2_900), line(3, 31, 2, 3_900)];

  it("merges lines into the parent at the components' total less the decrease, rounded half up", () => {
    const { lines, skipped } = applyCartTransform(pricedFromSource(source), {
      operations: [{ linesMerge: { parentVariantId: "gid://shopify/ProductVariant/900", title: "Phone set", cartLines: [{ cartLineId: cartLine(1), quantity: 1 }, { cartLineId: cartLine(2), quantity: 1 }], price: { percentageDecrease: { value: "10" } } } }],
    }, known);
    expect(skipped).toEqual([]);
    expect(lines.map((l) => [l.kind, l.variantId, l.quantity, l.subtotal, l.title])).toEqual([["line", 31, 2, 7_800, null], ["merged", 900, 1, 55_620, "Phone set"]]);
    // The components share the bundle's price in proportion to their own, to the cent.
    expect(lines[1]!.components.map((c) => [c.variantId, c.quantity, c.total, c.sourceKey])).toEqual([[11, 1, 53_010, "key-1"], [21, 1, 2_610, "key-2"]]);
  });

  it("merges part of a line and leaves the rest; a merge needing more than is left is skipped", () => {
    const { lines, skipped } = applyCartTransform(pricedFromSource(source), {
      operations: [
        { linesMerge: { parentVariantId: "gid://shopify/ProductVariant/900", cartLines: [{ cartLineId: cartLine(3), quantity: 1 }, { cartLineId: cartLine(2), quantity: 1 }] } },
        { linesMerge: { parentVariantId: "gid://shopify/ProductVariant/900", cartLines: [{ cartLineId: cartLine(2), quantity: 1 }, { cartLineId: cartLine(1), quantity: 1 }] } },
      ],
    }, known);
    expect(skipped).toHaveLength(1);
    expect(lines.map((l) => [l.kind, l.variantId, l.quantity, l.subtotal])).toEqual([["line", 11, 1, 58_900], ["line", 31, 1, 3_900], ["merged", 900, 1, 6_800]]);
    const unknown = applyCartTransform(pricedFromSource(source), { operations: [{ linesMerge: { parentVariantId: "gid://shopify/ProductVariant/404", cartLines: [{ cartLineId: cartLine(1), quantity: 1 }] } }] }, known);
    expect([unknown.lines.length, unknown.skipped]).toEqual([3, ["operations[0]: linesMerge names a parent variant the shop does not have"]]);
  });

  it("expands a line into its items at their fixed prices, per unit of the line", () => {
    const { lines } = applyCartTransform(pricedFromSource([line(1, 900, 2, 5_000)]), {
      operations: [{ lineExpand: { cartLineId: cartLine(1), expandedCartItems: [
        { merchandiseId: "gid://shopify/ProductVariant/11", quantity: 1, price: { adjustment: { fixedPricePerUnit: { amount: "40.00" } } } },
        { merchandiseId: "gid://shopify/ProductVariant/21", quantity: 2, price: { adjustment: { fixedPricePerUnit: { amount: "5.00" } } } },
      ] } }],
    }, known);
    expect(lines[0]!.kind).toBe("expanded");
    expect(lines[0]!.subtotal).toBe(10_000);
    expect(lines[0]!.components.map((c) => [c.variantId, c.quantity, c.total])).toEqual([[11, 2, 8_000], [21, 4, 2_000]]);
  });
});

describe("product discount candidates", () => {
  const source = [line(1, 11, 2, 2_990), line(2, 21, 1, 1_000)];
  const percent = (n: number, value: string, quantity?: number) => ({ targets: [{ cartLine: { id: cartLine(n), quantity } }], value: { percentage: { value } }, message: `${value} %` });
  const fixed = (n: number, amount: string, each: boolean) => ({ targets: [{ cartLine: { id: cartLine(n) } }], value: { fixedAmount: { amount, appliesToEachItem: each } }, message: `${amount} off` });

  it("ALL applies every candidate; FIRST the first; MAXIMUM the one worth most", () => {
    const candidates = [percent(1, "10"), fixed(2, "3", false), percent(1, "50", 1)];
    expect(discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates } }] }).discounts).toBe(598 + 300 + 1_495);
    expect(discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "FIRST", candidates } }] }).discounts).toBe(598);
    const best = discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "MAXIMUM", candidates } }] });
    expect(best.discounts).toBe(1_495);
    expect(best.applications.map((a) => a.message)).toEqual(["50 %"]);
  });

  it("gives a fixed amount per unit with appliesToEachItem, once otherwise, and never takes a line below zero", () => {
    expect(discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates: [fixed(1, "1.50", true)] } }] }).discounts).toBe(300);
    expect(discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates: [fixed(1, "1.50", false)] } }] }).discounts).toBe(150);
    const capped = discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: "ALL", candidates: [fixed(2, "25", true), percent(2, "10")] } }] });
    expect(capped.lines[1]!.allocations.reduce((n, a) => n + a.amount, 0)).toBe(1_000);
    expect(capped.total).toBe(5_980);
  });

  it("never discounts more than the lines are worth, whatever the candidates", () => {
    fc.assert(fc.property(
      fc.array(fc.record({ n: fc.integer({ min: 1, max: 2 }), pct: fc.integer({ min: 0, max: 100 }), amount: fc.integer({ min: 0, max: 10_000 }), each: fc.boolean(), usePct: fc.boolean() }), { maxLength: 6 }),
      fc.constantFrom("ALL", "FIRST", "MAXIMUM" as const),
      (specs, strategy) => {
        const candidates = specs.map((s) => (s.usePct ? percent(s.n, String(s.pct)) : fixed(s.n, (s.amount / 100).toFixed(2), s.each)));
        const result = discounted(source, { operations: [{ productDiscountsAdd: { selectionStrategy: strategy as "ALL", candidates } }] });
        for (const l of result.lines) expect(l.allocations.reduce((n, a) => n + a.amount, 0)).toBeLessThanOrEqual(l.subtotal);
        expect(result.total).toBeGreaterThanOrEqual(0);
      },
    ));
  });
});
