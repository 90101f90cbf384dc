// Who and where an offer is for. Product targets say which products trigger it (the page's
// product, or a line in the cart or order); the rest is about the moment and the shopper.
import type { CatalogProduct } from "./catalog.ts";
import type { Offer, Placement, ProductTargets, Targeting } from "./model.ts";
import { hasProductTargets } from "./model.ts";

export interface CartLine {
  productId: string;
  variantId: string;
  quantity: number;
}

export interface ShopperCustomer {
  id: string;
  tags: string[];
  /** Orders placed before this visit. */
  ordersCount: number;
  purchasedProductIds: string[];
}

export interface SelectionContext {
  placement: Placement;
  now: number;
  currency: string;
  market: string | null;
  /** The page's product, on the product page. */
  product: { productId: string; variantId: string | null } | null;
  /** Cart lines; after payment, the lines of the order just placed. */
  lines: CartLine[];
  /** Cart subtotal in `currency`, minor units. */
  subtotal: number;
  customer: ShopperCustomer | null;
  /** A stable key for the shopper (customer id or cart token) and what they saw today. */
  shopper: { key: string; offersShownToday: number };
}

/** The products an offer is triggered by when the merchant did not pick any. */
export function triggerTargets(offer: Offer): ProductTargets | "any" {
  const targets = offer.targeting.products;
  if (hasProductTargets(targets)) return targets;
  const none: ProductTargets = { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] };
  // A learned ladder may start from any product its customers moved up from.
  if (offer.kind === "upgrade") return offer.learned ? "any" : { ...none, productIds: offer.rungs.map((r) => r.productId) };
  if (offer.kind === "funnel") return "any";
  const bundle = offer.bundle;
  switch (bundle.type) {
    case "fixed":
      return { ...none, productIds: bundle.items.map((i) => i.productId) };
    case "fbt":
      return { ...none, productIds: [bundle.anchorProductId] };
    case "mix_match":
      return { ...none, productIds: bundle.productIds, collectionIds: bundle.collectionIds };
    case "quantity_tiers":
    case "gift": // triggered by the cart's subtotal or its trigger products, checked against the cart
      return "any";
  }
}

export function productMatches(targets: ProductTargets, product: CatalogProduct, variantId: string | null): boolean {
  return (
    targets.productIds.includes(product.id) ||
    (variantId !== null && targets.variantIds.includes(variantId)) ||
    targets.collectionIds.some((id) => product.collectionIds.includes(id)) ||
    targets.tags.some((tag) => product.tags.includes(tag)) ||
    targets.vendors.includes(product.vendor) ||
    targets.productTypes.includes(product.productType)
  );
}

/** Everything but the products: placement, currency, market, cart value and the shopper. */
export function momentMatches(targeting: Targeting, context: SelectionContext): boolean {
  if (!targeting.placements.includes(context.placement)) return false;
  if (targeting.currencies.length && !targeting.currencies.includes(context.currency)) return false;
  if (targeting.markets.length && (context.market === null || !targeting.markets.includes(context.market))) return false;
  const range = targeting.subtotal[context.currency];
  if (range && ((range.min !== null && context.subtotal < range.min) || (range.max !== null && context.subtotal > range.max))) return false;
  return customerMatches(targeting, context.customer);
}

function customerMatches(targeting: Targeting, customer: ShopperCustomer | null): boolean {
  const tags = customer?.tags ?? [];
  if (targeting.customerTags.include.length && !targeting.customerTags.include.some((t) => tags.includes(t))) return false;
  if (targeting.customerTags.exclude.some((t) => tags.includes(t))) return false;
  const returning = (customer?.ordersCount ?? 0) > 0;
  if (targeting.customerType === "first_time" && returning) return false;
  if (targeting.customerType === "returning" && !returning) return false;
  return true;
}
