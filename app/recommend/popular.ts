// Fallbacks for a shop with little co-purchase data yet: what sells now (recency-weighted
// best sellers) and products like this one (same type, collection, tags, price band).
import type { ItemKey } from "./baskets.ts";
import { fromPrice, type CatalogProduct } from "./catalog.ts";
import { decayFactor, type CoPurchaseModel } from "./copurchase.ts";

export interface BestSeller {
  item: ItemKey;
  /** Orders that held it (raw count). */
  orders: number;
  /** The same, recency-weighted as of `now`: what ranks it. */
  weightedOrders: number;
}

export function bestSellers(model: CoPurchaseModel, options: { now?: number; limit?: number } = {}): BestSeller[] {
  const factor = decayFactor(model, options.now ?? model.latestOrderAt ?? 0);
  const sellers: BestSeller[] = [];
  model.items.forEach((item, id) => {
    if (model.itemOrders[id]! > 0) sellers.push({ item, orders: model.itemOrders[id]!, weightedOrders: model.itemWeight[id]! * factor });
  });
  return sellers.sort((a, b) => b.weightedOrders - a.weightedOrders || b.orders - a.orders).slice(0, options.limit ?? 10);
}

export type SimilarityReason = "type" | "collection" | "tags" | "price";

export interface SimilarProduct {
  item: ItemKey;
  score: number;
  reasons: SimilarityReason[];
}

/** Prices within this ratio of each other are one band. */
const PRICE_BAND = 1.5;

function similarity(a: CatalogProduct, b: CatalogProduct): SimilarProduct {
  const reasons: SimilarityReason[] = [];
  let score = 0;
  if (a.productType && a.productType === b.productType) { score += 3; reasons.push("type"); }
  const collections = new Set(a.collections ?? []);
  const sharedCollections = (b.collections ?? []).filter((c) => collections.has(c)).length;
  if (sharedCollections) { score += 2 * sharedCollections; reasons.push("collection"); }
  const tags = new Set(a.tags ?? []);
  const sharedTags = (b.tags ?? []).filter((t) => tags.has(t)).length;
  const tagUnion = new Set([...(a.tags ?? []), ...(b.tags ?? [])]).size;
  if (sharedTags) { score += (2 * sharedTags) / tagUnion; reasons.push("tags"); }
  const [low, high] = [fromPrice(a), fromPrice(b)].sort((x, y) => x - y) as [number, number];
  // Price only separates products already alike, it never makes two alike.
  if (score > 0 && high <= low * PRICE_BAND) { score += 1; reasons.push("price"); }
  return { item: b.id, score, reasons };
}

/** Products most like `product`, ties broken by popularity (orders per item, if given). */
export function similarProducts(product: CatalogProduct, catalog: readonly CatalogProduct[], options: { limit?: number; popularity?: ReadonlyMap<ItemKey, number> } = {}): SimilarProduct[] {
  const popularity = (id: ItemKey) => options.popularity?.get(id) ?? 0;
  return catalog.filter((other) => other.id !== product.id)
    .map((other) => similarity(product, other))
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score || popularity(y.item) - popularity(x.item))
    .slice(0, options.limit ?? 10);
}
