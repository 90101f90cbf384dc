// What the storefront and checkout read, precomputed whenever offers change: one app-owned
// metafield per product with the offers its page shows (so the theme block renders them in
// Liquid, with no request to the app) and shop-level settings. What the checkout's Functions
// read is in function-rules.ts.
import type { OfferCatalog } from "./catalog.ts";
import type { BundleSpec, ContentVariant, Offer, Placement, Targeting } from "./model.ts";
import type { Proposal } from "./proposals.ts";
import { buildProposal } from "./proposals.ts";
import { candidatesFor, compileOffers } from "./select.ts";

/** App-owned: only Uplift can write it, so the storefront can trust what it renders. */
export const METAFIELD_NAMESPACE = "$app:uplift";
export const PRODUCT_OFFERS_KEY = "offers";
export const SHOP_SETTINGS_KEY = "settings";

/** Offers precomputed per product page; the rest are decided against the live cart. */
export const OFFERS_PER_PRODUCT = 5;

export interface StorefrontOffer {
  id: string;
  kind: Offer["kind"];
  placements: Placement[];
  starts_at: string | null;
  ends_at: string | null;
  /** What the page cannot know ahead: checked in the block against the shopper and cart. */
  audience: Pick<Targeting, "customerTags" | "customerType" | "markets" | "subtotal" | "excludePurchased">;
  content: ContentVariant[];
  /** Currency code -> what the shopper is offered, priced in it. */
  proposals: Record<string, Proposal>;
}

export interface ProductOffers {
  v: 1;
  offers: StorefrontOffer[];
  /**
   * Product id -> handle for every product the offers show: Liquid has no lookup by id, and
   * the block reads titles, images and variants (translated, in the shopper's currency)
   * from `all_products[handle]`.
   */
  handles: Record<string, string>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Each product's page offers, best first. Products without any are left out: the caller
 * clears what it wrote for them before.
 */
export function productOffers(offers: Offer[], catalog: OfferCatalog, productIds: Iterable<string>, currencies: string[], now: number): Map<string, ProductOffers> {
  const compiled = compileOffers(offers.filter((o) => o.targeting.placements.includes("product")));
  const index = compiled.placements.get("product")!;
  const result = new Map<string, ProductOffers>();
  for (const productId of productIds) {
    const variantId = catalog.product(productId)?.variants.find((v) => v.available)?.id ?? null;
    const present = { productIds: new Set<string>(), variantIds: new Set<string>(), purchased: new Set<string>(), triggers: [{ productId, variantId }] };
    const page: StorefrontOffer[] = [];
    for (const rank of candidatesFor(compiled, index, catalog, present.triggers)) {
      const offer = compiled.ranked[rank]!;
      if (offer.schedule.endsAt !== null && offer.schedule.endsAt <= now) continue;
      const proposals = Object.fromEntries(
        currencies
          .filter((c) => !offer.targeting.currencies.length || offer.targeting.currencies.includes(c))
          .map((c) => [c, buildProposal(offer, catalog, c, present)] as const)
          .filter((entry): entry is readonly [string, Proposal] => entry[1] !== null),
      );
      if (!Object.keys(proposals).length) continue;
      const { customerTags, customerType, markets, subtotal, excludePurchased } = offer.targeting;
      page.push({
        id: offer.id, kind: offer.kind, placements: offer.targeting.placements,
        starts_at: iso(offer.schedule.startsAt), ends_at: iso(offer.schedule.endsAt),
        audience: { customerTags, customerType, markets, subtotal, excludePurchased },
        content: offer.content, proposals,
      });
      if (page.length >= OFFERS_PER_PRODUCT) break;
    }
    if (page.length) result.set(productId, { v: 1, offers: page, handles: handlesOf(page, catalog) });
  }
  return result;
}

function handlesOf(page: StorefrontOffer[], catalog: OfferCatalog): Record<string, string> {
  const ids = page.flatMap((o) => Object.values(o.proposals).flatMap(proposalProducts));
  return Object.fromEntries(ids.flatMap((id) => {
    const handle = catalog.product(id)?.handle;
    return handle ? [[id, handle]] : [];
  }));
}

/** Every product a proposal shows, held ones included. */
export function proposalProducts(proposal: Proposal): string[] {
  switch (proposal.type) {
    case "bundle":
      return proposal.items.map((i) => i.productId);
    case "mix_match":
      return proposal.choices.map((c) => c.productId);
    case "tiers":
      return [proposal.productId];
    case "upgrade":
      return [proposal.from.productId, proposal.to.productId];
    case "funnel_step":
    case "gift":
      return [proposal.item.productId];
  }
}

/** Whether any active offer fills itself from the shop's orders (bundle companions, ladder steps). */
export function learnsFromOrders(offers: Offer[]): boolean {
  return offers.some((o) => o.status === "active" && ((o.kind === "bundle" && o.bundle.type === "fbt" && o.bundle.learned > 0) || (o.kind === "upgrade" && o.learned)));
}

/** The products whose learned companions active offers ask for. */
export function learningAnchors(offers: Offer[]): string[] {
  return [...new Set(offers.flatMap((o) => (o.status === "active" && o.kind === "bundle" && o.bundle.type === "fbt" && o.bundle.learned > 0 ? [o.bundle.anchorProductId] : [])))];
}

/**
 * A frequently-bought-together bundle with its learned companions written out as the products
 * they are today, so what the checkout's Function prices is what the page showed.
 */
export function resolveLearned(bundle: BundleSpec, catalog: OfferCatalog): BundleSpec {
  if (bundle.type !== "fbt" || bundle.learned === 0) return bundle;
  const taken = new Set([bundle.anchorProductId, ...bundle.companions.map((c) => c.productId)]);
  const learned = catalog
    .learnedCompanions(bundle.anchorProductId)
    .filter((id) => !taken.has(id) && catalog.product(id)?.variants.some((v) => v.available))
    .slice(0, bundle.learned)
    .map((productId) => ({ productId, variantId: null, quantity: 1 }));
  return { ...bundle, companions: [...bundle.companions, ...learned], learned: 0 };
}
