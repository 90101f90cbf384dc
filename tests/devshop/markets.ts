// The stand-in's Shopify Markets: a primary market in the shop's currency and one market per
// further presentment currency, each one country, at a fixed exchange rate, with price rounding
// on. This is the one place that turns a shop-currency price into a presentment price: the
// Admin API's `ProductVariant.contextualPricing`, the storefront's Liquid objects, the Ajax
// Cart API and the checkout all read it from here, as on Shopify, where apps and themes read
// the prices Shopify computed and never convert themselves.
import type { ShopInfo } from "./store.ts";

/** Fixed rates against the euro (Shopify's rates move; fixed ones keep tests exact). */
const RATES_FROM_EUR: Record<string, number> = { EUR: 1, USD: 1.08, GBP: 0.86, CAD: 1.47 };

/** The country each currency's market covers, named as Shopify names countries. */
const COUNTRIES: Record<string, { code: string; name: string }> = {
  EUR: { code: "FR", name: "France" },
  USD: { code: "US", name: "United States" },
  GBP: { code: "GB", name: "United Kingdom" },
  CAD: { code: "CA", name: "Canada" },
};

export interface Market {
  id: number;
  handle: string;
  name: string;
  /** ISO 3166 country code of the market's one region. */
  country: string;
  currency: string;
  primary: boolean;
  /** Shop currency -> this market's currency. */
  rate: number;
}

/** Currencies the stand-in has markets for. */
export const MARKET_CURRENCIES = Object.keys(COUNTRIES);

/** A shop's markets: its own currency's first (the primary market), then one per further presentment currency. */
export function marketsOf(shop: Pick<ShopInfo, "currency" | "presentmentCurrencies">): Market[] {
  const currencies = [shop.currency, ...shop.presentmentCurrencies.filter((c) => c !== shop.currency)].filter((c) => COUNTRIES[c]);
  return currencies.map((currency, i) => {
    const country = COUNTRIES[currency]!;
    return {
      id: i + 1, handle: country.name.toLowerCase().replace(/\s+/g, "-"), name: country.name, country: country.code, currency, primary: i === 0,
      rate: RATES_FROM_EUR[currency]! / RATES_FROM_EUR[shop.currency]!,
    };
  });
}

/**
 * The price-rounding rule, an assumption: Shopify's help ("Rounding prices") says converted
 * prices are rounded "to the most common denominator for each currency" without publishing
 * the table. For EUR, USD, GBP and CAD the stand-in takes the most common price ending, .99:
 * a converted price goes up to the next amount ending in .99 (31.32 -> 31.99, 31.99 stays).
 * Prices in the shop's own currency are never rounded.
 */
export function roundConverted(minor: number): number {
  return Math.ceil((minor + 1) / 100) * 100 - 1;
}

/** A shop-currency price (minor units) in `currency`, as that market's shoppers are charged it. */
export function presentmentPrice(shopMinor: number, currency: string, shopCurrency: string): number {
  if (currency === shopCurrency) return shopMinor;
  const rate = RATES_FROM_EUR[currency];
  const from = RATES_FROM_EUR[shopCurrency];
  if (rate === undefined || from === undefined) throw new Error(`The stand-in has no market in ${currency} for a shop in ${shopCurrency}`);
  // To the cent first (the rate has at most four decimals), then the market's rounding.
  return roundConverted(Math.round((shopMinor * rate) / from));
}

/** The market a country belongs to, or the primary market (Shopify prices unknown countries there). */
export function marketForCountry(shop: Pick<ShopInfo, "currency" | "presentmentCurrencies">, country: string | null | undefined): Market {
  const markets = marketsOf(shop);
  return markets.find((m) => m.country === country) ?? markets[0]!;
}

/** The market whose currency a shopper chose, or the primary market. */
export function marketForCurrency(shop: Pick<ShopInfo, "currency" | "presentmentCurrencies">, currency: string | null | undefined): Market {
  const markets = marketsOf(shop);
  return markets.find((m) => m.currency === currency) ?? markets[0]!;
}
