import { describe, expect, it } from "vitest";
import { discountAmount, priceWith } from "~/offers/pricing";
import { effectiveStatus } from "~/offers/status";

describe("pricing", () => {
  it("rounds a percentage discount down to the minor unit, in the shopper's favour never", () => {
    expect(discountAmount(999, { type: "percentage", basisPoints: 1500 }, "USD")).toBe(149); // 149.85
    expect(discountAmount(1, { type: "percentage", basisPoints: 9999 }, "USD")).toBe(0);
    expect(discountAmount(500, { type: "percentage", basisPoints: 10_000 }, "JPY")).toBe(500);
  });

  it("caps an amount off at the price, and a fixed price above the total is no discount", () => {
    expect(priceWith(1000, { type: "amount", amounts: { USD: 2500 } }, "USD")).toEqual({ currency: "USD", regular: 1000, price: 0 });
    expect(priceWith(1000, { type: "fixed_price", prices: { USD: 1200 } }, "USD")).toEqual({ currency: "USD", regular: 1000, price: 1000 });
    expect(priceWith(1000, { type: "fixed_price", prices: { USD: 800 } }, "USD")).toEqual({ currency: "USD", regular: 1000, price: 800 });
  });

  it("makes no price in a currency the merchant gave no amount for", () => {
    expect(priceWith(1000, { type: "amount", amounts: { USD: 100 } }, "EUR")).toBeNull();
    expect(priceWith(1000, { type: "percentage", basisPoints: 100 }, "EUR")).toEqual({ currency: "EUR", regular: 1000, price: 990 });
  });
});

describe("status", () => {
  const now = 1_000_000;
  it("turns an active offer's dates into scheduled and ended", () => {
    expect(effectiveStatus("active", { startsAt: now + 1, endsAt: null }, now)).toBe("scheduled");
    expect(effectiveStatus("active", { startsAt: null, endsAt: now }, now)).toBe("ended");
    expect(effectiveStatus("active", { startsAt: now - 1, endsAt: now + 1 }, now)).toBe("active");
    expect(effectiveStatus("paused", { startsAt: now + 1, endsAt: null }, now)).toBe("paused");
  });
});
