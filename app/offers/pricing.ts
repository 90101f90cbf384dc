// What an offer costs the shopper. One rounding rule, written once: a discount is rounded
// down to a whole minor unit, so the shopper never gets more than the merchant configured,
// and it never exceeds the regular price, so no price goes below zero.
import type { Discount } from "./model.ts";

export interface Price {
  currency: string;
  /** Sum of the regular prices, minor units. */
  regular: number;
  /** What the shopper pays, minor units: 0 <= price <= regular. */
  price: number;
}

/**
 * The discount on `regular` (minor units, in `currency`), or null when the discount has no
 * amount for that currency: the offer is then not made in it.
 */
export function discountAmount(regular: number, discount: Discount, currency: string): number | null {
  switch (discount.type) {
    case "none":
      return 0;
    case "percentage":
      // Integer arithmetic: regular * basisPoints stays far below 2^53 for any real price.
      return Math.floor((regular * discount.basisPoints) / 10_000);
    case "amount": {
      const amount = discount.amounts[currency];
      return amount === undefined ? null : Math.min(amount, regular);
    }
    case "fixed_price": {
      const fixed = discount.prices[currency];
      // A fixed price above the regular total is no discount, never a surcharge.
      return fixed === undefined ? null : Math.max(0, regular - fixed);
    }
  }
}

export function priceWith(regular: number, discount: Discount, currency: string): Price | null {
  const off = discountAmount(regular, discount, currency);
  return off === null ? null : { currency, regular, price: regular - off };
}
