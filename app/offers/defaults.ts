// What a new offer starts as in the editor: a draft, shown where that kind belongs, with
// the items left for the merchant to pick.
import { EMPTY_TARGETS, type BundleType, type BundleSpec, type OfferDefinition, type OfferKind, type Targeting } from "./model.ts";

const targeting = (kind: OfferKind): Targeting => ({
  placements: kind === "funnel" ? ["post_purchase"] : kind === "upgrade" ? ["product", "cart"] : ["product"],
  products: EMPTY_TARGETS, subtotal: {}, customerTags: { include: [], exclude: [] }, customerType: "any",
  currencies: [], markets: [], excludePurchased: kind === "funnel",
});

export function blankBundle(type: BundleType): BundleSpec {
  const tenPercent = { type: "percentage", basisPoints: 1000 } as const;
  switch (type) {
    case "fixed":
      return { type, items: [], discount: tenPercent };
    case "mix_match":
      return { type, productIds: [], collectionIds: [], minItems: 3, maxItems: 3, discount: tenPercent };
    case "quantity_tiers":
      return { type, tiers: [{ minQuantity: 2, discount: { type: "percentage", basisPoints: 500 } }, { minQuantity: 3, discount: tenPercent }] };
    case "fbt":
      return { type, anchorProductId: "", companions: [], learned: 0, discount: tenPercent };
    case "gift":
      return { type, gift: { productId: "", variantId: null, quantity: 1 }, minSubtotal: null, triggerProductIds: [] };
  }
}

export function blankOffer(kind: OfferKind): OfferDefinition {
  const common = {
    name: "", status: "draft" as const, priority: 50, schedule: { startsAt: null, endsAt: null }, targeting: targeting(kind),
    content: [{ id: "a", weight: 100, title: "", body: "" }],
  };
  switch (kind) {
    case "bundle":
      return { ...common, kind, bundle: blankBundle("fbt") };
    case "upgrade":
      return { ...common, kind, rungs: [], learned: false, incentive: { type: "none" } };
    case "funnel":
      return { ...common, kind, root: { item: { productId: "", variantId: null, quantity: 1 }, learned: false, discount: { type: "percentage", basisPoints: 1500 }, headline: "", accept: null, decline: null } };
  }
}
