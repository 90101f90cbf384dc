// select(context) -> ranked offers. Pure and deterministic: the same offers, catalog and
// context always give the same answer.
//
// Which offer wins, in order:
//   1. higher priority (the merchant's 0..100);
//   2. more specific targeting: products or variants named, then collections, tags,
//      vendors or product types, then every product;
//   3. the older offer (created first);
//   4. the smaller id.
// Then, walking down that order: an offer that cannot be made (out of stock, already in
// the cart, no price in the currency, outside its dates) is skipped; an offer that would add
// a product a better offer already adds is skipped; and the walk stops at the cap, the
// smaller of offers per page and what is left of the shopper's daily allowance. Shoppers in
// the holdout see nothing.
import { assignVariant, inHoldout } from "./assignment.ts";
import type { OfferCatalog } from "./catalog.ts";
import type { Offer, OfferKind, Placement, ProductTargets } from "./model.ts";
import { PLACEMENTS } from "./model.ts";
import { addedProducts, buildProposal, type Present, type Proposal } from "./proposals.ts";
import { isLive } from "./status.ts";
import { momentMatches, triggerTargets, type SelectionContext } from "./targeting.ts";

export interface Pacing {
  perPage: number;
  perShopperPerDay: number;
  holdoutBasisPoints: number;
}

export interface SelectedOffer {
  offerId: string;
  kind: OfferKind;
  contentVariantId: string;
  title: string;
  body: string;
  proposal: Proposal;
}

export interface Selection {
  holdout: boolean;
  offers: SelectedOffer[];
}

type Keyed = "productIds" | "variantIds" | "collectionIds" | "tags" | "vendors" | "productTypes";
const KEYS: Keyed[] = ["productIds", "variantIds", "collectionIds", "tags", "vendors", "productTypes"];

export interface PlacementIndex {
  /** Offers by what triggers them; values are ranks (positions in `ranked`). */
  by: Record<Keyed, Map<string, number[]>>;
  any: number[];
}

export interface CompiledOffers {
  ranked: Offer[];
  placements: Map<Placement, PlacementIndex>;
  /** Scratch marks, one per offer, cleared after each call. */
  marks: Uint8Array;
}

function specificity(targets: ProductTargets | "any"): number {
  if (targets === "any") return 0;
  return targets.productIds.length || targets.variantIds.length ? 2 : 1;
}

export function compareOffers(a: Offer, b: Offer): number {
  return (
    b.priority - a.priority ||
    specificity(triggerTargets(b)) - specificity(triggerTargets(a)) ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Indexes the offers that can go live (active, whatever their dates) for fast selection. */
export function compileOffers(offers: Offer[]): CompiledOffers {
  const ranked = offers.filter((o) => o.status === "active").sort(compareOffers);
  const placements = new Map<Placement, PlacementIndex>(
    PLACEMENTS.map((p) => [p, { by: Object.fromEntries(KEYS.map((k) => [k, new Map()])) as PlacementIndex["by"], any: [] }]),
  );
  ranked.forEach((offer, rank) => {
    const targets = triggerTargets(offer);
    for (const placement of offer.targeting.placements) {
      const index = placements.get(placement)!;
      if (targets === "any") {
        index.any.push(rank);
        continue;
      }
      for (const key of KEYS) {
        for (const value of new Set(targets[key])) {
          const list = index.by[key].get(value);
          if (list) list.push(rank);
          else index.by[key].set(value, [rank]);
        }
      }
    }
  });
  return { ranked, placements, marks: new Uint8Array(ranked.length) };
}

/** Ranks of the offers the triggers (page product or lines) set off, best first. */
export function candidatesFor(
  compiled: CompiledOffers,
  index: PlacementIndex,
  catalog: OfferCatalog,
  triggers: { productId: string; variantId: string | null }[],
): number[] {
  const marks = compiled.marks;
  const candidates: number[] = [...index.any];
  const mark = (ranks: number[] | undefined) => {
    for (const rank of ranks ?? []) {
      if (marks[rank]) continue;
      marks[rank] = 1;
      candidates.push(rank);
    }
  };
  for (const trigger of triggers) {
    const product = catalog.product(trigger.productId);
    mark(index.by.productIds.get(trigger.productId));
    if (trigger.variantId) mark(index.by.variantIds.get(trigger.variantId));
    if (!product) continue;
    for (const id of product.collectionIds) mark(index.by.collectionIds.get(id));
    for (const tag of product.tags) mark(index.by.tags.get(tag));
    mark(index.by.vendors.get(product.vendor));
    mark(index.by.productTypes.get(product.productType));
  }
  for (const rank of candidates) marks[rank] = 0;
  return candidates.sort((a, b) => a - b);
}

export function select(compiled: CompiledOffers, catalog: OfferCatalog, context: SelectionContext, pacing: Pacing): Selection {
  if (inHoldout(context.shopper.key, pacing.holdoutBasisPoints)) return { holdout: true, offers: [] };
  const cap = Math.min(pacing.perPage, pacing.perShopperPerDay - context.shopper.offersShownToday);
  const index = compiled.placements.get(context.placement);
  if (cap <= 0 || !index) return { holdout: false, offers: [] };

  const triggers = context.placement === "product" ? (context.product ? [context.product] : []) : context.lines;
  const present: Present = {
    productIds: new Set(context.lines.map((l) => l.productId)),
    variantIds: new Set(context.lines.map((l) => l.variantId)),
    purchased: new Set(context.customer?.purchasedProductIds ?? []),
    triggers: triggers.map((t) => ({ productId: t.productId, variantId: t.variantId })),
  };

  const candidates = candidatesFor(compiled, index, catalog, triggers);
  const offers: SelectedOffer[] = [];
  const taken = new Set<string>();
  for (const rank of candidates) {
    const offer = compiled.ranked[rank]!;
    if (!isLive(offer.status, offer.schedule, context.now) || !momentMatches(offer.targeting, context)) continue;
    const proposal = buildProposal(offer, catalog, context.currency, present);
    if (!proposal) continue;
    const adds = addedProducts(proposal);
    if (adds.some((id) => taken.has(id))) continue;
    adds.forEach((id) => taken.add(id));
    const content = assignVariant(offer.id, context.shopper.key, offer.content);
    offers.push({ offerId: offer.id, kind: offer.kind, contentVariantId: content.id, title: content.title, body: content.body, proposal });
    if (offers.length >= cap) break;
  }
  return { holdout: false, offers };
}
