// What exactly an offer proposes to one shopper at one moment: which items, at what price.
// Every builder returns null when the offer cannot honestly be made: an item out of stock,
// nothing left that is not already in the cart, or no price in the shopper's currency.
import { chooseVariant, type OfferCatalog } from "./catalog.ts";
import type { BundleSpec, Discount, FunnelStep, ItemDiscount, ItemRef, Offer, Rung } from "./model.ts";
import { priceWith, type Price } from "./pricing.ts";

export interface ProposedItem {
  productId: string;
  variantId: string;
  quantity: number;
  /** Regular unit price in the proposal's currency, minor units. */
  unitPrice: number;
}

export type Proposal =
  /** Fixed and frequently-bought-together bundles: `add` items are what the shopper adds. */
  | { type: "bundle"; items: (ProposedItem & { role: "add" | "have" })[]; price: Price }
  | { type: "mix_match"; choices: ProposedItem[]; minItems: number; maxItems: number; discount: Discount; example: Price }
  /** `discount` beside each tier's unit price, so the page can price the shopper's other variants by the same rule. */
  | { type: "tiers"; productId: string; variantId: string; tiers: { minQuantity: number; unit: Price; discount: ItemDiscount }[] }
  | { type: "upgrade"; from: { productId: string; variantId: string; unitPrice: number }; to: ProposedItem; gain: string; difference: Price }
  | { type: "funnel_step"; item: ProposedItem; price: Price; headline: string; hasAccept: boolean; hasDecline: boolean }
  /**
   * Gift with purchase: `item` (at its regular `unitPrice`) free once the cart's subtotal
   * without it reaches `threshold` (null: no threshold in this currency), or at once when
   * `triggered` (a trigger product is the page's product or in the cart). The page computes
   * what is still to spend from the live cart.
   */
  | { type: "gift"; item: ProposedItem; threshold: number | null; triggered: boolean };

/** What the shopper has or is looking at: never proposed again as an addition. */
export interface Present {
  productIds: ReadonlySet<string>;
  variantIds: ReadonlySet<string>;
  /** Products bought before, when the offer asks to leave them out. */
  purchased: ReadonlySet<string>;
  /** The page's product or the cart lines that triggered the offer, with their variants. */
  triggers: { productId: string; variantId: string | null }[];
}

type Builder = (offer: Offer, catalog: OfferCatalog, currency: string, present: Present) => Proposal | null;

export const buildProposal: Builder = (offer, catalog, currency, present) => {
  const excluded = offer.targeting.excludePurchased ? present.purchased : EMPTY;
  const shopperHas = (productId: string) => present.productIds.has(productId) || excluded.has(productId);
  switch (offer.kind) {
    case "upgrade":
      return upgrade(offer.rungs, offer.incentive, catalog, currency, present, excluded) ?? (offer.learned ? learnedUpgrade(offer.incentive, catalog, currency, present, excluded) : null);
    case "funnel":
      return funnelStep(offer.root, catalog, currency, shopperHas, present.triggers.map((t) => t.productId));
    case "bundle":
      return bundle(offer.bundle, catalog, currency, present, shopperHas);
  }
};

const EMPTY: ReadonlySet<string> = new Set();

function priced(catalog: OfferCatalog, ref: ItemRef, currency: string): ProposedItem | null {
  const variant = chooseVariant(catalog, ref.productId, ref.variantId);
  const unitPrice = variant?.prices[currency];
  return variant && unitPrice !== undefined ? { productId: ref.productId, variantId: variant.id, quantity: ref.quantity, unitPrice } : null;
}

const total = (items: ProposedItem[]) => items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);

function bundle(spec: BundleSpec, catalog: OfferCatalog, currency: string, present: Present, shopperHas: (id: string) => boolean): Proposal | null {
  switch (spec.type) {
    case "fixed":
    case "fbt": {
      const refs = spec.type === "fixed" ? spec.items : [{ productId: spec.anchorProductId, variantId: null, quantity: 1 }, ...spec.companions];
      const onPage = new Set(present.triggers.map((t) => t.productId));
      const items: (ProposedItem & { role: "add" | "have" })[] = [];
      const place = (ref: ItemRef): "placed" | "blocked" => {
        const have = present.productIds.has(ref.productId) || onPage.has(ref.productId);
        const item = priced(catalog, have ? { ...ref, variantId: triggerVariant(present, ref) } : ref, currency);
        if (!item || (!have && shopperHas(ref.productId))) return "blocked";
        items.push({ ...item, role: have ? "have" : "add" });
        return "placed";
      };
      for (const ref of refs) {
        // A fixed bundle is all or nothing; a frequently-bought-together set drops what
        // cannot be added and goes on with the rest.
        if (place(ref) === "blocked" && (spec.type === "fixed" || ref.productId === spec.anchorProductId)) return null;
      }
      if (spec.type === "fbt" && spec.learned > 0) {
        // Then the learned companions the merchant asked for, best first, skipping what
        // is already in the set or cannot be offered.
        const taken = new Set(refs.map((r) => r.productId));
        let added = 0;
        for (const productId of catalog.learnedCompanions(spec.anchorProductId)) {
          if (added >= spec.learned) break;
          if (taken.has(productId)) continue;
          if (place({ productId, variantId: null, quantity: 1 }) === "placed") added++;
        }
      }
      if (!items.some((i) => i.role === "add") || items.length < 2) return null;
      const price = priceWith(total(items), spec.discount, currency);
      return price && { type: "bundle", items, price };
    }
    case "mix_match": {
      const pool = [...new Set([...spec.productIds, ...spec.collectionIds.flatMap((id) => catalog.collectionProducts(id))])];
      const choices = pool
        .filter((id) => !shopperHas(id))
        .map((productId) => priced(catalog, { productId, variantId: null, quantity: 1 }, currency))
        .filter((item): item is ProposedItem => item !== null);
      if (choices.length < spec.minItems) return null;
      const cheapest = [...choices].sort((a, b) => a.unitPrice - b.unitPrice || a.variantId.localeCompare(b.variantId)).slice(0, spec.minItems);
      const example = priceWith(total(cheapest), spec.discount, currency);
      return example && { type: "mix_match", choices, minItems: spec.minItems, maxItems: spec.maxItems, discount: spec.discount, example };
    }
    case "gift": {
      // Nothing once the shopper has the gift (or looks at it: its own page is no place to
      // promise it), and never a gift that cannot be bought or has no price here.
      if (shopperHas(spec.gift.productId) || present.triggers.some((t) => t.productId === spec.gift.productId)) return null;
      const item = priced(catalog, spec.gift, currency);
      const threshold = spec.minSubtotal?.[currency] ?? null;
      const triggered = present.triggers.some((t) => spec.triggerProductIds.includes(t.productId));
      return item && (triggered || threshold !== null) ? { type: "gift", item, threshold, triggered } : null;
    }
    case "quantity_tiers": {
      const trigger = present.triggers[0];
      const item = trigger && priced(catalog, { productId: trigger.productId, variantId: trigger.variantId, quantity: 1 }, currency);
      if (!item) return null;
      const tiers = spec.tiers.map((tier) => ({ minQuantity: tier.minQuantity, unit: priceWith(item.unitPrice, tier.discount, currency), discount: tier.discount }));
      if (tiers.some((t) => t.unit === null)) return null;
      return { type: "tiers", productId: item.productId, variantId: item.variantId, tiers: tiers as { minQuantity: number; unit: Price; discount: ItemDiscount }[] };
    }
  }
}

/** The variant the shopper already has or looks at, for items of a bundle they hold. */
function triggerVariant(present: Present, ref: ItemRef): string | null {
  return present.triggers.find((t) => t.productId === ref.productId)?.variantId ?? ref.variantId;
}

function rungIndex(rungs: Rung[], productId: string, variantId: string | null): number {
  return rungs.findIndex((r) => r.productId === productId && (r.variantId === null || r.variantId === variantId));
}

/** The unit price of the variant the shopper holds, when it has one in this currency. */
function heldPrice(catalog: OfferCatalog, trigger: Present["triggers"][number], currency: string): number | undefined {
  return trigger.variantId === null ? undefined : catalog.variant(trigger.variantId)?.prices[currency];
}

/** From the held variant to `to`, the incentive taken off the difference; null when it has no amount in the currency. */
function upgradeTo(trigger: Present["triggers"][number], fromPrice: number, to: ProposedItem, gain: string, incentive: ItemDiscount, currency: string): Proposal | null {
  const difference = priceWith(to.unitPrice - fromPrice, incentive, currency);
  return difference && { type: "upgrade", from: { productId: trigger.productId, variantId: trigger.variantId!, unitPrice: fromPrice }, to, gain, difference };
}

/** From the highest rung the shopper is on to the next one up that can be bought. */
function upgrade(rungs: Rung[], incentive: ItemDiscount, catalog: OfferCatalog, currency: string, present: Present, bought: ReadonlySet<string>): Proposal | null {
  for (const trigger of present.triggers) {
    const at = rungIndex(rungs, trigger.productId, trigger.variantId);
    const fromPrice = heldPrice(catalog, trigger, currency);
    if (at < 0 || fromPrice === undefined) continue;
    for (const rung of rungs.slice(at + 1)) {
      const to = priced(catalog, { productId: rung.productId, variantId: rung.variantId, quantity: 1 }, currency);
      // A product bought before is no upgrade, unless it is the one they hold (a variant ladder).
      const boughtElsewhere = rung.productId !== trigger.productId && bought.has(rung.productId);
      if (!to || boughtElsewhere || present.variantIds.has(to.variantId) || to.unitPrice <= fromPrice) continue;
      return upgradeTo(trigger, fromPrice, to, rung.gain, incentive, currency);
    }
  }
  return null;
}

/** An upgrade the shop's customers made: from the shopper's product to a dearer one. */
function learnedUpgrade(incentive: ItemDiscount, catalog: OfferCatalog, currency: string, present: Present, bought: ReadonlySet<string>): Proposal | null {
  for (const trigger of present.triggers) {
    const fromPrice = heldPrice(catalog, trigger, currency);
    if (fromPrice === undefined) continue;
    for (const productId of catalog.learnedUpgrades(trigger.productId)) {
      if (present.productIds.has(productId) || bought.has(productId)) continue;
      const to = priced(catalog, { productId, variantId: null, quantity: 1 }, currency);
      if (!to || to.unitPrice <= fromPrice) continue;
      return upgradeTo(trigger, fromPrice, to, "", incentive, currency);
    }
  }
  return null;
}

/**
 * The funnel's first step; the extension walks the tree from there. The merchant's product
 * if it can be offered; otherwise, for a learned step, what the order's products are most
 * bought with (their best companions first, taking each product's in turn).
 */
export function funnelStep(step: FunnelStep, catalog: OfferCatalog, currency: string, shopperHas: (id: string) => boolean, orderProducts: string[]): Proposal | null {
  const own = step.item.productId && !shopperHas(step.item.productId) ? priced(catalog, step.item, currency) : null;
  const item = own ?? (step.learned ? learnedItem(catalog, orderProducts, step.item.quantity, currency, shopperHas) : null);
  const price = item && priceWith(item.unitPrice * item.quantity, step.discount, currency);
  return price ? { type: "funnel_step", item: item!, price, headline: step.headline, hasAccept: step.accept !== null, hasDecline: step.decline !== null } : null;
}

function learnedItem(catalog: OfferCatalog, orderProducts: string[], quantity: number, currency: string, shopperHas: (id: string) => boolean): ProposedItem | null {
  const lists = orderProducts.map((p) => catalog.learnedCompanions(p));
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let rank = 0; rank < longest; rank++) {
    for (const list of lists) {
      const productId = list[rank];
      if (!productId || shopperHas(productId)) continue;
      const item = priced(catalog, { productId, variantId: null, quantity }, currency);
      if (item) return item;
    }
  }
  return null;
}

/** Products a proposal adds to the cart: two offers on one page never add the same one. */
export function addedProducts(proposal: Proposal): string[] {
  switch (proposal.type) {
    case "bundle":
      return proposal.items.filter((i) => i.role === "add").map((i) => i.productId);
    case "mix_match":
      return proposal.choices.map((c) => c.productId);
    case "tiers":
      return [];
    case "upgrade":
      return [proposal.to.productId];
    case "funnel_step":
    case "gift":
      return [proposal.item.productId];
  }
}
