// What the checkout's two Functions read, and nothing else: Shopify Functions have no network,
// clock or database, so every rule that prices a bundle at checkout is written by the offer
// sync into app-owned metafields (`$app:uplift`) on the products (and bundle parent variants)
// it concerns. Each cart line brings its own product's rules into the Function's input, so a
// shop's number of bundles is not capped by one metafield's 10,000 bytes.
//
// The encoding is compact on purpose: a 200-line cart's input must stay under Shopify's
// 64,000 bytes, and each line carries its product's rules. Money is in integer minor units
// per presentment currency (the same amounts the storefront showed); a currency left out
// means the rule does not apply in it.
//
// Schedules are not here: a Function cannot read the clock, so the sync writes a rule when
// its offer starts and removes it when it ends.
import type { PerCurrency } from "./model.ts";

export const FUNCTION_NAMESPACE = "$app:uplift";
/** On a product: the Cart Transform's rules for the fixed and mix-and-match bundles it is part of. */
export const PRODUCT_BUNDLES_KEY = "bundles";
/** On a bundle parent variant: the components a parent added directly expands to. */
export const PARENT_BUNDLE_KEY = "bundle";
/** On a product: the discount Function's rules (tiers, frequently bought together, gifts) that involve it. */
export const PRODUCT_DISCOUNTS_KEY = "discounts";
/** On the automatic app discount: shop-wide settings and the input query's variables. */
export const DISCOUNT_SETTINGS_KEY = "settings";

/** Off a set: basis points (1000 = 10 %), an amount off the whole set, or the set's price. */
export type RuleOff = { bp: number } | { amt: PerCurrency } | { fix: PerCurrency };
/** Off each unit: basis points or an amount per unit. */
export type UnitOff = { bp: number } | { amt: PerCurrency };

/** A component: a product gid, a variant gid (null: any variant of the product) and a quantity. */
export interface RuleItem { p: string; v: string | null; q: number }

/**
 * Who the rule is for, by customer tag (the discount reads the tags through its input
 * variables; see DiscountSettings.tags). Left out: everyone.
 */
export interface RuleAudience { inc: string[]; exc: string[] }

interface RuleCommon {
  /** The offer's id: what the storefront put in the lines' `_uplift_offer` property. */
  id: string;
  /** The offer's rank among the shop's offers, 0 best: rules compete for a line's units in this order. */
  r: number;
}

export type BundleRule =
  /**
   * Merged whenever the cart holds every item (lines carrying `_uplift_offer` = id are used
   * first, then any line of the item's product): the shopper's own lines, wherever they came from.
   */
  | (RuleCommon & { k: "fixed"; items: RuleItem[]; off: RuleOff; pv: string; title: string; img: string | null })
  /**
   * Merged only from lines carrying `_uplift_offer` = id whose products list this rule (the
   * pool is in the metafields, never in what the browser sent), between `min` and `max` units.
   */
  | (RuleCommon & { k: "mix"; min: number; max: number; off: RuleOff; pv: string; title: string; img: string | null });

/** Product metafield PRODUCT_BUNDLES_KEY. */
export interface ProductBundles { v: 1; rules: BundleRule[] }

/**
 * Parent variant metafield PARENT_BUNDLE_KEY: a parent added directly is expanded to `items`,
 * each at its unit price per currency (after the bundle's discount; the units' prices sum to
 * the bundle's price in each currency).
 */
export interface ParentBundle { v: 1; id: string; items: { v: string; q: number; price: PerCurrency }[] }

export type DiscountRule =
  /** Each line of the product: the best tier its quantity (summed over the product's lines of that variant) reaches. */
  | (RuleCommon & { k: "tiers"; tiers: { min: number; off: UnitOff }[]; aud?: RuleAudience })
  /** When the cart holds every item: `off` spread over those units; a partial set gets nothing. */
  | (RuleCommon & { k: "fbt"; items: RuleItem[]; off: RuleOff; aud?: RuleAudience })
  /**
   * `gift` free while the cart's subtotal without the gift reaches `min` in the cart's
   * currency, or the cart holds a product of `trig`. Written on the gift's product.
   */
  | (RuleCommon & { k: "gift"; gift: RuleItem; min: PerCurrency | null; trig: string[]; aud?: RuleAudience });

/** Product metafield PRODUCT_DISCOUNTS_KEY. */
export interface ProductDiscounts { v: 1; rules: DiscountRule[] }

/** The discount's own metafield DISCOUNT_SETTINGS_KEY; its top-level keys are the input query's variables. */
export interface DiscountSettings {
  v: 1;
  /** Every customer tag a rule's audience names: the `$tags` variable of `hasTags(tags: $tags)`. */
  tags: string[];
  /** The discount's message per language (ISO code, lower case) and rule kind; `en` always present. */
  messages: Record<string, Record<DiscountRule["k"], string>>;
}
