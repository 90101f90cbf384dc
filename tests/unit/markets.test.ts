import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { marketForCountry, marketForCurrency, marketsOf, presentmentPrice, roundConverted } from "../devshop/markets.ts";

// The stand-in's markets (tests/devshop/markets.ts): the one place a shop-currency price
// becomes a presentment price. Its rounding rule is an assumption (Shopify publishes no
// per-currency table): up to the next amount ending in .99.
const DEMO = { currency: "EUR", presentmentCurrencies: ["EUR", "USD", "GBP"] };

describe("the rounding rule", () => {
  it("goes up to the next amount ending in .99", () => {
    expect(roundConverted(3132)).toBe(3199);
    expect(roundConverted(3199)).toBe(3199);
    expect(roundConverted(3200)).toBe(3299);
    expect(roundConverted(0)).toBe(99);
    expect(roundConverted(99)).toBe(99);
    expect(roundConverted(100)).toBe(199);
  });

  it("never lowers a price, adds less than one unit, and always ends in .99", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), (minor) => {
      const rounded = roundConverted(minor);
      expect(rounded).toBeGreaterThanOrEqual(minor);
      expect(rounded - minor).toBeLessThan(100);
      expect(rounded % 100).toBe(99);
      expect(roundConverted(rounded)).toBe(rounded); // rounding a rounded price changes nothing
    }));
  });

  it("keeps the order of prices: a dearer variant is never cheaper once converted", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e8 }), fc.integer({ min: 0, max: 1e8 }), fc.constantFrom("USD", "GBP"), (a, b, currency) => {
      if (a <= b) expect(presentmentPrice(a, currency, "EUR")).toBeLessThanOrEqual(presentmentPrice(b, currency, "EUR"));
    }));
  });
});

describe("presentment prices", () => {
  it("converts at the market's fixed rate to the cent, then rounds", () => {
    expect(presentmentPrice(2900, "USD", "EUR")).toBe(3199); // 31.32 $
    expect(presentmentPrice(58900, "USD", "EUR")).toBe(63699); // 636.12 $
    expect(presentmentPrice(2900, "GBP", "EUR")).toBe(2499); // 24.94 £
    expect(presentmentPrice(10_000, "GBP", "EUR")).toBe(8699); // 86.00 £: a converted whole amount still ends in .99
  });

  it("leaves prices in the shop's own currency alone", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom("EUR", "USD"), (minor, currency) => {
      expect(presentmentPrice(minor, currency, currency)).toBe(minor);
    }));
  });

  it("converts between any two of its currencies, for a shop in dollars too", () => {
    // The second demo shop sells in USD and CAD: 1.47 / 1.08 CAD per dollar.
    expect(presentmentPrice(10_000, "CAD", "USD")).toBe(13_699); // 136.11 CA$
    expect(() => presentmentPrice(100, "JPY", "EUR")).toThrow(/no market in JPY/);
  });
});

describe("the markets", () => {
  it("has the shop's currency as the primary market and one country per further currency", () => {
    expect(marketsOf(DEMO).map((m) => [m.handle, m.country, m.currency, m.primary, m.rate])).toEqual([
      ["france", "FR", "EUR", true, 1], ["united-states", "US", "USD", false, 1.08], ["united-kingdom", "GB", "GBP", false, 0.86],
    ]);
  });

  it("prices an unknown country or currency in the primary market, as Shopify does", () => {
    expect(marketForCountry(DEMO, "US").currency).toBe("USD");
    expect(marketForCountry(DEMO, "JP").currency).toBe("EUR");
    expect(marketForCountry(DEMO, null).currency).toBe("EUR");
    expect(marketForCurrency(DEMO, "GBP").country).toBe("GB");
    expect(marketForCurrency(DEMO, "CHF").country).toBe("FR");
  });
});
