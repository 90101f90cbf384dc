// The offer model every surface reads: bundles (sell something more), upgrade ladders
// (sell something better) and post-purchase funnels. Plain data, one discriminated union
// per kind, money in integer minor units keyed by currency code.

export const PLACEMENTS = ["product", "cart", "checkout", "thank_you", "post_purchase"] as const;
export type Placement = (typeof PLACEMENTS)[number];

export type OfferKind = "bundle" | "upgrade" | "funnel";

/** What the merchant sets. "scheduled" and "ended" follow from the dates (see status.ts). */
export const STORED_STATUSES = ["draft", "active", "paused"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
/** Every status the admin shows, in the order of its tabs. */
export const STATUSES = ["active", "scheduled", "paused", "draft", "ended"] as const;
export type Status = (typeof STATUSES)[number];

/** Currency code -> amount in minor units. A currency left out means "not offered in it". */
export type PerCurrency = Record<string, number>;

export type Discount =
  | { type: "none" }
  /** 1..10000 basis points: 1000 = 10 % off. */
  | { type: "percentage"; basisPoints: number }
  | { type: "amount"; amounts: PerCurrency }
  /** The whole bundle (or item) for this price. */
  | { type: "fixed_price"; prices: PerCurrency };

/** Discounts that make sense on a single item or a tier (no fixed bundle price). */
export type ItemDiscount = Extract<Discount, { type: "none" | "percentage" | "amount" }>;

export interface ItemRef {
  productId: string;
  /** null: the shopper's choice of the product's variants (the first available is proposed). */
  variantId: string | null;
  quantity: number;
}

export type BundleSpec =
  | { type: "fixed"; items: ItemRef[]; discount: Discount }
  | { type: "mix_match"; productIds: string[]; collectionIds: string[]; minItems: number; maxItems: number; discount: Discount }
  /** Applies to the targeted products: buy more of the same. */
  | { type: "quantity_tiers"; tiers: { minQuantity: number; discount: ItemDiscount }[] }
  /**
   * Frequently bought together: the merchant's companions first, then up to `learned` more
   * learned from the shop's orders (none: manual; no companions: automatic; both: mixed).
   */
  | { type: "fbt"; anchorProductId: string; companions: ItemRef[]; learned: number; discount: Discount }
  /**
   * Gift with purchase: `gift` free (100 % off) while the cart reaches `minSubtotal` in the
   * shopper's currency (a currency left out: no threshold in it, so no gift) or holds one of
   * `triggerProductIds`; at least one of the two is set. Priced by the discount Function.
   */
  | { type: "gift"; gift: ItemRef; minSubtotal: PerCurrency | null; triggerProductIds: string[] };
export type BundleType = BundleSpec["type"];

export interface Rung {
  productId: string;
  variantId: string | null;
  /** The merchant's words for what this rung adds over the one below. */
  gain: string;
}

export interface FunnelStep {
  /** The merchant's product; productId "" when the step is learned only. */
  item: ItemRef;
  /**
   * Learned: when the merchant's product cannot be offered (or none was picked), offer what
   * the products of the order just placed are most bought with.
   */
  learned: boolean;
  discount: ItemDiscount;
  headline: string;
  /** Shown after the shopper accepts this step. */
  accept: FunnelStep | null;
  /** Shown after the shopper declines this step: the downsell. */
  decline: FunnelStep | null;
}

/** Shopify's guidance: at most three consecutive post-purchase offers. */
export const MAX_FUNNEL_DEPTH = 3;

export interface ProductTargets {
  productIds: string[];
  variantIds: string[];
  collectionIds: string[];
  tags: string[];
  vendors: string[];
  productTypes: string[];
}

export type CustomerType = "any" | "first_time" | "returning";

export interface Targeting {
  placements: Placement[];
  /** Which products trigger the offer (page product or a cart line); all empty = any. */
  products: ProductTargets;
  /** Cart subtotal range per currency; a currency left out is unconstrained. */
  subtotal: Record<string, { min: number | null; max: number | null }>;
  customerTags: { include: string[]; exclude: string[] };
  customerType: CustomerType;
  /** Presentment currencies and market handles the offer is shown in; empty = all. */
  currencies: string[];
  markets: string[];
  /** Also leave out what this customer has bought before. */
  excludePurchased: boolean;
}

/** One version of the offer's words; several make an A/B test (weights sum to 100). */
export interface ContentVariant {
  id: string;
  weight: number;
  title: string;
  body: string;
}

export interface Schedule {
  startsAt: number | null;
  endsAt: number | null;
}

interface OfferCommon {
  name: string;
  status: StoredStatus;
  /** 0..100; higher wins when offers compete (see select.ts for the full order). */
  priority: number;
  schedule: Schedule;
  targeting: Targeting;
  content: ContentVariant[];
}

export type OfferDefinition =
  | (OfferCommon & { kind: "bundle"; bundle: BundleSpec })
  /**
   * `learned`: where no rung applies, offer what customers of the shopper's product moved
   * up to later (no rungs at all: learned only; rungs too: mixed).
   */
  | (OfferCommon & { kind: "upgrade"; rungs: Rung[]; learned: boolean; incentive: ItemDiscount })
  | (OfferCommon & { kind: "funnel"; root: FunnelStep });

export type Offer = OfferDefinition & { id: string; createdAt: number };

export const EMPTY_TARGETS: ProductTargets = { productIds: [], variantIds: [], collectionIds: [], tags: [], vendors: [], productTypes: [] };

export function hasProductTargets(targets: ProductTargets): boolean {
  return Object.values(targets).some((list) => list.length > 0);
}

/** Every product an offer proposes (not the ones that trigger it). */
export function offeredProductIds(offer: OfferDefinition): string[] {
  switch (offer.kind) {
    case "bundle": {
      const bundle = offer.bundle;
      if (bundle.type === "fixed") return bundle.items.map((i) => i.productId);
      if (bundle.type === "fbt") return [bundle.anchorProductId, ...bundle.companions.map((c) => c.productId)]; // learned ones change with the orders
      if (bundle.type === "mix_match") return bundle.productIds;
      return offer.targeting.products.productIds;
    }
    case "upgrade":
      return offer.rungs.map((r) => r.productId);
    case "funnel":
      return funnelSteps(offer.root).map((s) => s.item.productId).filter(Boolean);
  }
}

/** The steps of a funnel, root first, depth first (accept before decline). */
export function funnelSteps(root: FunnelStep): FunnelStep[] {
  return [root, ...(root.accept ? funnelSteps(root.accept) : []), ...(root.decline ? funnelSteps(root.decline) : [])];
}

export function funnelDepth(step: FunnelStep | null): number {
  return step ? 1 + Math.max(funnelDepth(step.accept), funnelDepth(step.decline)) : 0;
}

export const MAX_COMPANIONS = 5;

export type CompanionMode = "manual" | "learned" | "mixed";

/** How a frequently-bought-together bundle finds its companions. */
export function companionMode(bundle: Extract<BundleSpec, { type: "fbt" }>): CompanionMode {
  if (bundle.learned === 0) return "manual";
  return bundle.companions.length ? "mixed" : "learned";
}
