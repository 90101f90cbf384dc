// Presentment prices: each variant's price in every currency the shop sells in besides its
// own, as Shopify computes it for that currency's market (exchange rate, price rounding,
// price lists), read from Admin `contextualPricing` with a country of the market. The app
// never converts a price itself: a conversion of its own would differ from what the cart
// charges as soon as the market rounds.
import prisma, { atomically, type Db } from "~/db.server";
import { AdminApiError, adminQuery, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import { MARKETS_QUERY, PRODUCT_PRICES_QUERY, VARIANT_PRICES_PAGE_QUERY } from "~/shopify/catalog.queries";
import { toMinorUnits } from "./money";

/** A currency to price in and a country whose buyers Shopify prices in it. */
export interface PricingContext {
  currency: string;
  country: string;
}

export interface VariantPriceRow {
  variantId: string;
  productId: string;
  currency: string;
  priceMinor: number;
  compareAtMinor: number | null;
}

interface PageInfo { hasNextPage: boolean; endCursor: string | null }
interface Money { amount: string; currencyCode: string }
interface Pricing { price: Money; compareAtPrice: Money | null }
interface MarketNode {
  handle: string;
  status: "ACTIVE" | "DRAFT";
  currencySettings: { baseCurrency: { currencyCode: string } } | null;
  conditions: { regionsCondition: { regions: { nodes: { code?: string }[] } } | null } | null;
}

/** Shopify's answer to a field the granted scopes do not cover. */
const accessDenied = (error: unknown) => error instanceof AdminApiError && JSON.stringify(error.details ?? "").includes("ACCESS_DENIED");

/**
 * One country per further presentment currency, from the shop's active markets: the first
 * country of the first market selling in it. Currencies no active market sells in are left
 * out (Shopify prices only active markets since 2025-04), as is the shop's own. Null when the
 * shop has not granted `read_markets` yet (an install from before the scope was asked for,
 * until the merchant approves it): the catalog then has its own currency only, and offers are
 * not made in the others rather than at prices the app would have to make up.
 */
export async function pricingContexts(admin: AdminGraphqlClient, shopCurrency: string, enabled: string[]): Promise<PricingContext[] | null> {
  const wanted = new Set(enabled.filter((c) => c !== shopCurrency));
  if (!wanted.size) return [];
  const contexts = new Map<string, string>();
  let after: string | null = null;
  do {
    let page: { markets: { pageInfo: PageInfo; nodes: MarketNode[] } };
    try {
      page = await adminQuery(admin, MARKETS_QUERY, { after });
    } catch (error) {
      if (accessDenied(error)) return null;
      throw error;
    }
    for (const market of page.markets.nodes) {
      const currency = market.currencySettings?.baseCurrency.currencyCode;
      const country = market.conditions?.regionsCondition?.regions.nodes.find((r) => r.code)?.code;
      if (market.status === "ACTIVE" && currency && country && wanted.has(currency) && !contexts.has(currency)) contexts.set(currency, country);
    }
    after = page.markets.pageInfo.hasNextPage ? page.markets.pageInfo.endCursor : null;
  } while (after);
  return [...contexts].map(([currency, country]) => ({ currency, country }));
}

/** Shopify's answer in minor units of the currency it answered in (the market's). */
function rowOf(variantId: string, productId: string, pricing: Pricing): VariantPriceRow {
  const currency = pricing.price.currencyCode;
  return {
    variantId, productId, currency, priceMinor: toMinorUnits(pricing.price.amount, currency),
    compareAtMinor: pricing.compareAtPrice ? toMinorUnits(pricing.compareAtPrice.amount, pricing.compareAtPrice.currencyCode) : null,
  };
}

/**
 * The whole catalog's presentment prices, one country at a time, paged. Replaces what was
 * stored, in one transaction per currency, so a currency no longer sold in leaves nothing behind.
 */
export async function syncVariantPrices(shop: string, admin: AdminGraphqlClient, contexts: PricingContext[]): Promise<number> {
  let stored = 0;
  for (const { currency, country } of contexts) {
    const rows: VariantPriceRow[] = [];
    let after: string | null = null;
    do {
      const page: { productVariants: { pageInfo: PageInfo; nodes: { id: string; product: { id: string }; contextualPricing: Pricing }[] } } =
        await adminQuery(admin, VARIANT_PRICES_PAGE_QUERY, { country, after });
      for (const v of page.productVariants.nodes) rows.push(rowOf(v.id, v.product.id, v.contextualPricing));
      after = page.productVariants.pageInfo.hasNextPage ? page.productVariants.pageInfo.endCursor : null;
    } while (after);
    await atomically(async (db) => {
      await db.variantPrice.deleteMany({ where: { shop, currency } });
      await db.variantPrice.createMany({ data: rows.filter((r) => r.currency === currency).map((r) => ({ shop, ...r })) });
    });
    stored += rows.length;
  }
  await prisma.variantPrice.deleteMany({ where: { shop, currency: { notIn: contexts.map((c) => c.currency) } } });
  return stored;
}

/** One product's presentment prices (after a products/create or products/update). */
export async function productPrices(admin: AdminGraphqlClient, productId: string, contexts: PricingContext[]): Promise<VariantPriceRow[]> {
  const rows: VariantPriceRow[] = [];
  for (const { currency, country } of contexts) {
    const answer = await adminQuery<{ product: { variants: { nodes: { id: string; contextualPricing: Pricing }[] } } | null }>(admin, PRODUCT_PRICES_QUERY, { id: productId, country });
    for (const v of answer.product?.variants.nodes ?? []) {
      const row = rowOf(v.id, productId, v.contextualPricing);
      if (row.currency === currency) rows.push(row);
    }
  }
  return rows;
}

/** Replaces a product's stored presentment prices, in the caller's transaction. */
export async function writeProductPrices(db: Db, shop: string, productId: string, rows: VariantPriceRow[]): Promise<void> {
  await db.variantPrice.deleteMany({ where: { shop, productId } });
  if (rows.length) await db.variantPrice.createMany({ data: rows.map((r) => ({ shop, ...r })) });
}
