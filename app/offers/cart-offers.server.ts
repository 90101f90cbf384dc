// The app proxy's cart offers: the selection engine (select.ts) run against the live cart
// the storefront sends. The shop's offers, catalog and settings are read once and kept for a
// short while, so a shopper's cart changes cost a selection, not a database read.
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";
import { learnedFor } from "~/recommend/learned.server";
import { listOffers } from "./repository.server";
import { loadSettings } from "~/settings/settings.server";
import type { CartOffersQuery } from "./cart-request";
import type { OfferCatalog } from "./catalog";
import { compileOffers, select, type CompiledOffers, type Pacing, type SelectedOffer } from "./select";
import { learningAnchors, learnsFromOrders, proposalProducts } from "./storefront";

interface ShopOffers {
  compiled: CompiledOffers;
  catalog: OfferCatalog;
  pacing: Pacing;
  handles: (productId: string) => string | undefined;
}

/** How stale cart offers may be after a merchant's change: the product pages' metafields lag as much. */
const FRESH_MS = 30_000;
const loaded = new Map<string, { at: number; offers: Promise<ShopOffers> }>();

async function load(shop: string): Promise<ShopOffers> {
  const offers = (await listOffers(shop)).filter((o) => o.targeting.placements.includes("cart"));
  const learned = learnsFromOrders(offers) ? await learnedFor(shop, learningAnchors(offers)) : {};
  const [{ catalog, products }, settings] = await Promise.all([loadOfferCatalog(shop, undefined, learned), loadSettings(shop)]);
  const handles = new Map(products.map((p) => [p.id, p.handle]));
  return {
    compiled: compileOffers(offers), catalog, handles: (id) => handles.get(id),
    pacing: { perPage: settings.offersPerPage, perShopperPerDay: settings.offersPerShopperPerDay, holdoutBasisPoints: settings.holdoutBasisPoints },
  };
}

function shopOffers(shop: string, now: number): Promise<ShopOffers> {
  const cached = loaded.get(shop);
  if (cached && now - cached.at < FRESH_MS) return cached.offers;
  const offers = load(shop);
  loaded.set(shop, { at: now, offers });
  offers.catch(() => loaded.delete(shop)); // a failed read is retried by the next request
  return offers;
}

export interface CartOffers {
  holdout: boolean;
  offers: SelectedOffer[];
  /** Product id -> handle, for the products the offers show. */
  handles: Record<string, string>;
}

export async function cartOffers(shop: string, query: CartOffersQuery, now = Date.now()): Promise<CartOffers> {
  const { compiled, catalog, pacing, handles } = await shopOffers(shop, now);
  const selection = select(compiled, catalog, {
    placement: "cart", now, currency: query.currency, market: null, product: null, lines: query.lines, subtotal: query.subtotal,
    // The logged-in customer's tags and past orders are not read yet: offers that target
    // customers or leave out past purchases are decided as for a guest.
    customer: null,
    // Pacing per day needs a count per visitor the app does not keep yet.
    shopper: { key: query.visitor, offersShownToday: 0 },
  }, pacing);
  const ids = selection.offers.flatMap((o) => proposalProducts(o.proposal));
  return { ...selection, handles: Object.fromEntries(ids.flatMap((id) => (handles(id) ? [[id, handles(id)!]] : []))) };
}
