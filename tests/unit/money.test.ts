import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMinorUnits, parseMoneyText, toMinorUnits } from "~/catalog/money";

describe("money", () => {
  it("reads Shopify's decimal strings as minor units", () => {
    expect(toMinorUnits("19.99", "EUR")).toBe(1999);
    expect(toMinorUnits("0.10", "USD")).toBe(10);
    expect(toMinorUnits("1200", "JPY")).toBe(1200);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(toMinorUnits("5", "GBP")).toBe(500);
    expect(toMinorUnits("-3.5", "EUR")).toBe(-350);
  });

  it("rounds extra precision half away from zero, once", () => {
    expect(toMinorUnits("0.005", "EUR")).toBe(1);
    expect(toMinorUnits("0.004", "EUR")).toBe(0);
    expect(toMinorUnits("1.5", "JPY")).toBe(2);
  });

  it("rejects what is not an amount", () => {
    expect(() => toMinorUnits("12,50", "EUR")).toThrow();
    expect(() => toMinorUnits("abc", "EUR")).toThrow();
    expect(() => fromMinorUnits(1.5, "EUR")).toThrow();
  });

  it("round-trips every integer amount", () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom("EUR", "JPY", "KWD"), (minor, currency) => {
      expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor);
    }));
  });
});

describe("parseMoneyText", () => {
  it("reads what merchants type, with the currency's decimals, and refuses the rest", () => {
    expect(parseMoneyText(" 49.90 ", "EUR")).toBe(4990);
    expect(parseMoneyText("49,9", "EUR")).toBe(4990);
    expect(parseMoneyText("5000", "JPY")).toBe(5000);
    expect(parseMoneyText("10.5", "JPY")).toBeNull();
    expect(parseMoneyText("1.234", "EUR")).toBeNull();
    expect(parseMoneyText("-5", "EUR")).toBeNull();
    expect(parseMoneyText("1.234", "KWD")).toBe(1234);
  });
});
