// Selling something better. Within a product: variant ladders read from option values
// (64 GB < 128 GB < 1 TB, S < M < L, Basic < Standard < Pro, 1-pack < 3-pack). Between
// products: the pricier product of the same type or collection that customers of the
// cheaper one later bought.
import { basketOf, type ItemKey, type OrderInput } from "./baskets.ts";
import { fromPrice, type CatalogProduct, type CatalogVariant } from "./catalog.ts";
import { DAY_MS } from "./copurchase.ts";
import { groupBy } from "../grouping.ts";

/** An option value placed on a scale; values compare only within one scale. */
export interface Rank {
  scale: string;
  rank: number;
}

const SIZES = ["xxxs", "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "xxxxl"];
const SIZE_WORDS: Record<string, string> = { small: "s", medium: "m", large: "l", "extra small": "xs", "extra large": "xl" };
const TIERS: Record<string, number> = {
  basic: 0, lite: 0, starter: 0, essential: 0, standard: 1, regular: 1, classic: 1, plus: 2, advanced: 2,
  premium: 3, pro: 3, professional: 3, max: 4, ultra: 4, ultimate: 4,
};
const PACK_WORDS: Record<string, number> = { single: 1, double: 2, twin: 2, triple: 3 };
/** Units folded into one scale: a factor to the scale's base unit. */
const UNITS: Record<string, [string, number]> = {
  b: ["bytes", 1], kb: ["bytes", 2 ** 10], mb: ["bytes", 2 ** 20], gb: ["bytes", 2 ** 30], tb: ["bytes", 2 ** 40], pb: ["bytes", 2 ** 50],
  g: ["grams", 1], kg: ["grams", 1000], mg: ["grams", 0.001], ml: ["litres", 0.001], cl: ["litres", 0.01], l: ["litres", 1],
  mm: ["metres", 0.001], cm: ["metres", 0.01], m: ["metres", 1], w: ["watts", 1], kw: ["watts", 1000], mah: ["mah", 1],
};

function sizeRank(value: string): number | null {
  const v = SIZE_WORDS[value] ?? value.replace(/^(\d)xl$/, (_, n: string) => `${"x".repeat(Number(n))}l`).replace(/^(\d)xs$/, (_, n: string) => `${"x".repeat(Number(n))}s`);
  const at = SIZES.indexOf(v);
  return at < 0 ? null : at;
}

/** Counts of things: "3-pack", "pack of 6", "10 capsules", "twin pack", "single". */
function packRank(value: string): Rank | null {
  const word = /^(single|double|twin|triple)(?: pack)?$/.exec(value);
  if (word) return { scale: "count:pack", rank: PACK_WORDS[word[1]!]! };
  const packOf = /^pack of (\d+)$/.exec(value);
  if (packOf) return { scale: "count:pack", rank: Number(packOf[1]) };
  const counted = /^(\d+)\s*[-x×]?\s*([a-z]+?)s?$/.exec(value);
  if (counted && !UNITS[counted[2]!]) return { scale: `count:${counted[2]}`, rank: Number(counted[1]) };
  return null;
}

/** Where an option value sits on a known scale, or null when it is not ordered (colours). */
export function rankOption(raw: string): Rank | null {
  const value = raw.trim().toLowerCase().replace(/\s+/g, " ");
  const size = sizeRank(value);
  if (size !== null) return { scale: "size", rank: size };
  if (value in TIERS) return { scale: "tier", rank: TIERS[value]! };
  const measured = /^(\d+(?:[.,]\d+)?)\s*([a-z]+)$/.exec(value);
  const unit = measured && UNITS[measured[2]!];
  if (measured && unit) return { scale: unit[0], rank: Number(measured[1]!.replace(",", ".")) * unit[1] };
  return packRank(value);
}

export interface LadderStep {
  variantId: ItemKey;
  value: string;
  price: number;
}

export interface VariantLadder {
  productId: ItemKey;
  option: string;
  /** Values of the product's other options, fixed along this ladder (e.g. a colour). */
  fixed: { name: string; value: string }[];
  /** Lowest to highest. */
  steps: LadderStep[];
  /** Every step costs at least as much as the one before, and the top costs more: an upsell. */
  pricesRise: boolean;
}

function ladderOf(productId: ItemKey, option: string, variants: CatalogVariant[]): VariantLadder | null {
  const ranked = variants.map((v) => ({ v, value: v.options.find((o) => o.name === option)!.value }))
    .map((x) => ({ ...x, rank: rankOption(x.value) }));
  const scale = ranked[0]?.rank?.scale;
  if (ranked.length < 2 || !scale || ranked.some((x) => x.rank?.scale !== scale)) return null;
  ranked.sort((x, y) => x.rank!.rank - y.rank!.rank || x.v.price - y.v.price);
  if (new Set(ranked.map((x) => x.rank!.rank)).size !== ranked.length) return null;
  const steps = ranked.map((x) => ({ variantId: x.v.id, value: x.value, price: x.v.price }));
  const pricesRise = steps.every((s, i) => i === 0 || s.price >= steps[i - 1]!.price) && steps.at(-1)!.price > steps[0]!.price;
  const fixed = variants[0]!.options.filter((o) => o.name !== option);
  return { productId, option, fixed, steps, pricesRise };
}

/** One ladder per ordered option and per combination of the product's other options. */
export function variantLadders(product: CatalogProduct): VariantLadder[] {
  const optionNames = [...new Set(product.variants.flatMap((v) => v.options.map((o) => o.name)))];
  const ladders: VariantLadder[] = [];
  for (const option of optionNames) {
    // Variants alike in every other option make one ladder (the 64/128/256 GB of one colour).
    const groups = groupBy(product.variants.filter((v) => v.options.some((o) => o.name === option)), (v) => JSON.stringify(v.options.filter((o) => o.name !== option)));
    for (const group of groups.values()) {
      const ladder = ladderOf(product.id, option, group);
      if (ladder) ladders.push(ladder);
    }
  }
  return ladders;
}

export interface ProductUpgrade {
  from: ItemKey;
  to: ItemKey;
  /** Customers who bought `from`, then later (first time) `to`. */
  customers: number;
  /** Those customers as a share of everyone who bought `from`. */
  share: number;
  /** Median days from the first `from` to the first `to`. */
  medianDays: number;
  /** to's from-price minus from's, minor units. */
  priceStep: number;
}

export interface UpgradeOptions {
  minCustomers?: number;
  /** Per product. */
  limit?: number;
}

function related(a: CatalogProduct, b: CatalogProduct): boolean {
  if (a.productType && a.productType === b.productType) return true;
  const collections = new Set(a.collections ?? []);
  return (b.collections ?? []).some((c) => collections.has(c));
}

/** Each customer's first purchase time of each product. */
function firstPurchases(orders: Iterable<OrderInput>): Map<ItemKey, Map<ItemKey, number>> {
  const byCustomer = new Map<ItemKey, Map<ItemKey, number>>();
  for (const order of orders) {
    if (order.customerId == null) continue;
    const seen = byCustomer.get(order.customerId) ?? new Map<ItemKey, number>();
    byCustomer.set(order.customerId, seen);
    for (const product of basketOf(order, "product")) seen.set(product, Math.min(seen.get(product) ?? order.createdAt, order.createdAt));
  }
  return byCustomer;
}

export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Product-to-product upgrades seen in the same customers' later orders, most customers first. */
export function productUpgrades(orders: Iterable<OrderInput>, catalog: readonly CatalogProduct[], options: UpgradeOptions = {}): Map<ItemKey, ProductUpgrade[]> {
  const products = new Map(catalog.map((p) => [p.id, p]));
  const buyers = new Map<ItemKey, number>();
  const seen = new Map<string, { from: CatalogProduct; to: CatalogProduct; days: number[] }>();
  for (const firsts of firstPurchases(orders).values()) {
    for (const [a, at] of firsts) {
      buyers.set(a, (buyers.get(a) ?? 0) + 1);
      const from = products.get(a);
      if (!from) continue;
      for (const [b, bt] of firsts) {
        const to = products.get(b);
        if (!to || bt <= at || fromPrice(to) <= fromPrice(from) || !related(from, to)) continue;
        const key = JSON.stringify([a, b]);
        const entry = seen.get(key) ?? { from, to, days: [] };
        entry.days.push((bt - at) / DAY_MS);
        seen.set(key, entry);
      }
    }
  }
  const upgrades = [...seen.values()].filter(({ days }) => days.length >= (options.minCustomers ?? 3)).map(({ from, to, days }): ProductUpgrade => ({
    from: from.id, to: to.id, customers: days.length, share: days.length / buyers.get(from.id)!,
    medianDays: median(days.sort((x, y) => x - y)), priceStep: fromPrice(to) - fromPrice(from),
  }));
  const result = groupBy(upgrades, (u) => u.from);
  for (const [id, list] of result) result.set(id, list.sort((x, y) => y.customers - x.customers).slice(0, options.limit ?? 5));
  return result;
}
