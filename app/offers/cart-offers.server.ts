// The app proxy's cart offers: the selection engine (select.ts) run against the live cart
// the storefront sends. The shop's offers, catalog and settings are read once and kept for a
// short while, so a shopper's cart changes cost a selection, not a database read.
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";
import { learnedFor } from "~/recommend/learned.server";
import { listOffers, offerChanges } from "./repository.server";
import { loadSettings } from "~/settings/settings.server";
import { isInstalled } from "~/shop/lifecycle.server";
import { shopperCustomer } from "./shopper.server";
import type { CartOffersQuery } from "./cart-request";
import type { OfferCatalog } from "./catalog";
import { compileOffers, select, type CompiledOffers, type Pacing, type SelectedOffer } from "./select";
import { learningAnchors, learnsFromOrders, proposalProducts } from "./storefront";

interface ShopOffers {
  installed: boolean;
  /** Whether any offer targets customer tags: only then are a logged-in customer's tags asked of Shopify. */
  targetsTags: boolean;
  compiled: CompiledOffers;
  catalog: OfferCatalog;
  pacing: Pacing;
  handles: (productId: string) => string | undefined;
}

/**
 * How stale cart offers may be after a merchant's change made through another instance (the
 * product pages' metafields lag as much); a change made through this one is seen at once.
 */
const FRESH_MS = 30_000;
const loaded = new Map<string, { at: number; changes: number; offers: Promise<ShopOffers> }>();

async function load(shop: string): Promise<ShopOffers> {
  const installed = await isInstalled(shop);
  const offers = installed ? (await listOffers(shop)).filter((o) => o.targeting.placements.includes("cart")) : [];
  const learned = learnsFromOrders(offers) ? await learnedFor(shop, learningAnchors(offers)) : {};
  const [{ catalog, products }, settings] = await Promise.all([loadOfferCatalog(shop, undefined, learned), loadSettings(shop)]);
  const handles = new Map(products.map((p) => [p.id, p.handle]));
  const targetsTags = offers.some((o) => o.targeting.customerTags.include.length > 0 || o.targeting.customerTags.exclude.length > 0);
  return {
    installed, targetsTags, compiled: compileOffers(offers), catalog, handles: (id) => handles.get(id),
    pacing: { perPage: settings.offersPerPage, perShopperPerDay: settings.offersPerShopperPerDay, holdoutBasisPoints: settings.holdoutBasisPoints },
  };
}

function shopOffers(shop: string, now: number): Promise<ShopOffers> {
  const cached = loaded.get(shop);
  const changes = offerChanges(shop);
  if (cached && cached.changes === changes && now - cached.at < FRESH_MS) return cached.offers;
  const offers = load(shop);
  loaded.set(shop, { at: now, changes, offers });
  offers.catch(() => loaded.delete(shop)); // a failed read is retried by the next request
  return offers;
}

export interface CartOffers {
  holdout: boolean;
  offers: SelectedOffer[];
  /** Product id -> handle, for the products the offers show. */
  handles: Record<string, string>;
}

/**
 * The cart offers for this cart and shopper; null when Uplift is not installed on the shop.
 * customerId: Shopify's signed `logged_in_customer_id` (numeric), null for a guest.
 */
export async function cartOffers(shop: string, query: CartOffersQuery, customerId: string | null = null, now = Date.now()): Promise<CartOffers | null> {
  const { installed, targetsTags, compiled, catalog, pacing, handles } = await shopOffers(shop, now);
  if (!installed) return null;
  const customer = customerId === null ? null : await shopperCustomer(shop, customerId, targetsTags, now);
  const selection = select(compiled, catalog, {
    placement: "cart", now, currency: query.currency, market: null, product: null, lines: query.lines, subtotal: query.subtotal,
    // Tags (when an offer targets them), past orders and what they bought, for offers that
    // target customers or leave out past purchases.
    customer,
    // Pacing per day needs a count per visitor the app does not keep yet.
    shopper: { key: query.visitor, offersShownToday: 0 },
  }, pacing);
  const ids = selection.offers.flatMap((o) => proposalProducts(o.proposal));
  return { ...selection, handles: Object.fromEntries(ids.flatMap((id) => (handles(id) ? [[id, handles(id)!]] : []))) };
}
