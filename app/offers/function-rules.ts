// The checkout Functions' rules (function-config.ts), computed from the shop's live offers:
// which product carries which rule, the bundle parents' components, and the discount's
// settings. Pure: the offer sync (sync.server.ts) writes what this returns.
import type { CatalogProduct, OfferCatalog } from "./catalog.ts";
import { chooseVariant } from "./catalog.ts";
import type {
  BundleRule, DiscountRule, DiscountSettings, ParentBundle, ProductBundles, ProductDiscounts, RuleAudience, RuleItem, RuleOff, UnitOff,
} from "./function-config.ts";
import type { BundleSpec, Discount, ItemDiscount, ItemRef, Offer, PerCurrency } from "./model.ts";
import { discountAmount } from "./pricing.ts";
import { compareOffers } from "./select.ts";
import { isLive } from "./status.ts";
import { resolveLearned } from "./storefront.ts";
import { hasProductTargets } from "./model.ts";
import { productMatches } from "./targeting.ts";

/** Shopify leaves a metafield over 10,000 bytes out of a Function's input: each product's rules stay under it. */
export const FUNCTION_METAFIELD_LIMIT = 10_000;

export type BundleOffer = Extract<Offer, { kind: "bundle" }>;

export interface FunctionRules {
  /** Product id -> its rules for each Function; a product with none is left out. */
  bundles: Map<string, ProductBundles>;
  discounts: Map<string, ProductDiscounts>;
  /** Parent variant id -> what it expands to (fixed bundles only: a mix-and-match has no set contents). */
  parents: Map<string, ParentBundle>;
  /** Offers left out of some product's rules because they would not fit its metafield. */
  omitted: string[];
  /** The next time an offer starts or ends: the rules must be written again then. */
  nextChange: number | null;
}

/** The bundles that are priced by the Cart Transform and need a parent product. */
export const needsParent = (offer: Offer): offer is BundleOffer & { bundle: Extract<BundleSpec, { type: "fixed" | "mix_match" }> } =>
  offer.kind === "bundle" && (offer.bundle.type === "fixed" || offer.bundle.type === "mix_match");

export interface RulesInput {
  offers: Offer[];
  catalog: OfferCatalog;
  productIds: Iterable<string>;
  currencies: string[];
  /** Offer id -> its bundle parent's variant id; a bundle without one yet is not priced. */
  parentVariants: ReadonlyMap<string, string>;
  now: number;
}

export function functionRules({ offers, catalog, productIds, currencies, parentVariants, now }: RulesInput): FunctionRules {
  const live = offers.filter((o): o is BundleOffer => o.kind === "bundle" && isLive(o.status, o.schedule, now)).sort(compareOffers);
  const bundles = new Map<string, BundleRule[]>();
  const discounts = new Map<string, DiscountRule[]>();
  const parents = new Map<string, ParentBundle>();
  const add = <R>(map: Map<string, R[]>, productId: string, rule: R) => {
    const list = map.get(productId);
    if (list) list.push(rule);
    else map.set(productId, [rule]);
  };
  const products = [...productIds].map((id) => catalog.product(id)).filter((p): p is CatalogProduct => p !== undefined);

  live.forEach((offer, r) => {
    const bundle = resolveLearned(offer.bundle, catalog);
    const common = { id: offer.id, r };
    const aud = audience(offer);
    switch (bundle.type) {
      case "fixed":
      case "mix_match": {
        const pv = parentVariants.get(offer.id);
        if (!pv) return;
        // The merged line shows the bundle's title and its first product's image.
        const first = bundle.type === "fixed" ? bundle.items[0]?.productId : bundle.productIds[0];
        const look = { pv, title: offer.content[0]?.title || offer.name, img: (first && catalog.product(first)?.imageUrl) || null };
        if (bundle.type === "fixed") {
          const rule: BundleRule = { ...common, k: "fixed", items: bundle.items.map(ruleItem), off: ruleOff(bundle.discount), ...look };
          for (const productId of new Set(bundle.items.map((i) => i.productId))) add(bundles, productId, rule);
          const parent = parentBundle(offer.id, bundle.items, bundle.discount, catalog, currencies);
          if (parent) parents.set(pv, parent);
        } else {
          const rule: BundleRule = { ...common, k: "mix", min: bundle.minItems, max: bundle.maxItems, off: ruleOff(bundle.discount), ...look };
          const pool = new Set([...bundle.productIds, ...bundle.collectionIds.flatMap((id) => catalog.collectionProducts(id))]);
          for (const productId of pool) add(bundles, productId, rule);
        }
        return;
      }
      case "quantity_tiers": {
        const tiers = bundle.tiers.flatMap((t) => {
          const off = unitOff(t.discount);
          return off ? [{ min: t.minQuantity, off }] : [];
        });
        if (!tiers.length) return;
        const rule: DiscountRule = { ...common, k: "tiers", tiers, ...aud };
        const targets = offer.targeting.products;
        for (const product of products) if (!hasProductTargets(targets) || productMatches(targets, product, null)) add(discounts, product.id, rule);
        return;
      }
      case "fbt": {
        if (bundle.discount.type === "none") return;
        const items = [{ productId: bundle.anchorProductId, variantId: null, quantity: 1 }, ...bundle.companions];
        if (items.length < 2) return;
        const rule: DiscountRule = { ...common, k: "fbt", items: items.map(ruleItem), off: ruleOff(bundle.discount), ...aud };
        for (const productId of new Set(items.map((i) => i.productId))) add(discounts, productId, rule);
        return;
      }
      case "gift": {
        const rule: DiscountRule = { ...common, k: "gift", gift: ruleItem(bundle.gift), min: bundle.minSubtotal, trig: bundle.triggerProductIds, ...aud };
        add(discounts, bundle.gift.productId, rule);
        return;
      }
    }
  });

  const omitted = new Set<string>();
  const fit = <R extends { id: string }>(rules: Map<string, R[]>) =>
    new Map([...rules].map(([productId, list]) => [productId, { v: 1 as const, rules: fitted(list, omitted) }]));
  return { bundles: fit(bundles), discounts: fit(discounts), parents, omitted: [...omitted], nextChange: nextChange(offers, now) };
}

/** A product's rules, best first, without the lowest ranked ones that would take it over the limit. */
function fitted<R extends { id: string }>(rules: R[], omitted: Set<string>): R[] {
  const kept = [...rules];
  while (kept.length && bytes({ v: 1, rules: kept }) > FUNCTION_METAFIELD_LIMIT) omitted.add(kept.pop()!.id);
  return kept;
}

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

const ruleItem = (item: ItemRef): RuleItem => ({ p: item.productId, v: item.variantId, q: item.quantity });

function ruleOff(discount: Discount): RuleOff {
  switch (discount.type) {
    case "none":
      return { bp: 0 };
    case "percentage":
      return { bp: discount.basisPoints };
    case "amount":
      return { amt: discount.amounts };
    case "fixed_price":
      return { fix: discount.prices };
  }
}

function unitOff(discount: ItemDiscount): UnitOff | null {
  if (discount.type === "none") return null;
  return discount.type === "percentage" ? { bp: discount.basisPoints } : { amt: discount.amounts };
}

function audience(offer: Offer): { aud?: RuleAudience } {
  const { include, exclude } = offer.targeting.customerTags;
  return include.length || exclude.length ? { aud: { inc: include, exc: exclude } } : {};
}

/**
 * A fixed bundle's parent, for a shopper who adds it directly: each component at a unit price
 * per currency such that the units sum to the bundle's price there. The discount is shared in
 * proportion to the components' prices, rounded down, and what rounding leaves goes to
 * components bought one at a time; when none is, the few minor units left are not taken off
 * (never more discount than configured).
 */
export function parentBundle(id: string, items: ItemRef[], discount: Discount, catalog: OfferCatalog, currencies: string[]): ParentBundle | null {
  const variants = items.map((item) => chooseVariant(catalog, item.productId, item.variantId));
  if (variants.some((v) => !v)) return null;
  const prices = items.map((): PerCurrency => ({}));
  for (const currency of currencies) {
    const units = variants.map((v) => v!.prices[currency]);
    if (units.some((u) => u === undefined)) continue;
    const regular = units.reduce((sum, u, i) => sum! + u! * items[i]!.quantity, 0)!;
    const off = discountAmount(regular, discount, currency);
    if (off === null) continue;
    const shares = units.map((u) => (regular ? Math.floor((off * u!) / regular) : 0));
    let left = off - shares.reduce((sum, s, i) => sum + s * items[i]!.quantity, 0);
    // Single units first (any minor unit fits), then whole minor units per unit of the others.
    for (const i of items.map((_, i) => i).sort((a, b) => items[a]!.quantity - items[b]!.quantity)) {
      const q = items[i]!.quantity;
      const more = Math.min(Math.floor(left / q), units[i]! - shares[i]!);
      shares[i]! += more;
      left -= more * q;
    }
    units.forEach((u, i) => (prices[i]![currency] = u! - shares[i]!));
  }
  return { v: 1, id, items: items.map((item, i) => ({ v: variants[i]!.id, q: item.quantity, price: prices[i]! })) };
}

/** The next start or end of an active offer after `now`. */
function nextChange(offers: Offer[], now: number): number | null {
  const times = offers
    .filter((o) => o.status === "active")
    .flatMap((o) => [o.schedule.startsAt, o.schedule.endsAt])
    .filter((t): t is number => t !== null && t > now);
  return times.length ? Math.min(...times) : null;
}

/** The discount's settings: the tags audiences name (the query's `$tags`) and its messages. */
export function discountSettings(rules: FunctionRules, messages: DiscountSettings["messages"]): DiscountSettings {
  const tags = new Set<string>();
  for (const { rules: list } of rules.discounts.values()) for (const rule of list) for (const tag of [...(rule.aud?.inc ?? []), ...(rule.aud?.exc ?? [])]) tags.add(tag);
  return { v: 1, tags: [...tags].sort(), messages };
}
