// The recommendation windows shoppers know, precomputed for the storefront so the theme block
// renders them in Liquid with no request: per product, "bought together" (the learned
// co-purchase ranking) and "similar products" (same type, collection, tags, price band); per
// shop, "best sellers" (recency-weighted) and "on offer" (a variant below its compare-at
// price, best sellers first). Never the product itself, never one that cannot be bought.
import type { ItemKey } from "./baskets.ts";
import type { CatalogProduct } from "./catalog.ts";
import { allComplements, indexNeighbours } from "./complements.ts";
import type { CoPurchaseModel } from "./copurchase.ts";
import { bestSellers, similarProducts } from "./popular.ts";

export const PRODUCT_WINDOWS = ["together", "similar"] as const;
export const SHOP_WINDOWS = ["best_sellers", "on_offer"] as const;
export type ProductWindow = (typeof PRODUCT_WINDOWS)[number];
export type ShopWindow = (typeof SHOP_WINDOWS)[number];

/**
 * Products per window. The block shows at most this many; the metafield is a
 * `list.product_reference` of product GIDs (about 35 bytes each), far inside Shopify's
 * limits on a list's values and a metafield's size, and Liquid resolves the products itself
 * (no `all_products`, which stops at 20 handles a page).
 */
export const WINDOW_SIZE = 12;
/** A pair bought together in fewer orders is an anecdote, not a recommendation. */
const TOGETHER_MIN_ORDERS = 3;

/** What the windows need to know of a product, beyond what the recommender reads. */
export interface WindowProduct extends CatalogProduct {
  /** Some variant can be bought now. */
  available: boolean;
  /** Some variant sells below its compare-at price. */
  onSale: boolean;
}

export interface StorefrontWindows {
  /** Product id -> its windows; a product with an empty window has no entry for it. */
  products: Map<string, Partial<Record<ProductWindow, string[]>>>;
  shop: Record<ShopWindow, string[]>;
}

/** Every window of the shop, from its learned model (null before the first rebuild) and its catalog. */
export function storefrontWindows(model: CoPurchaseModel | null, catalog: readonly WindowProduct[], size = WINDOW_SIZE): StorefrontWindows {
  const buyable = new Set(catalog.filter((p) => p.available).map((p) => String(p.id)));
  const ranked = model ? bestSellers(model, { limit: model.items.length }) : [];
  const popularity = new Map<ItemKey, number>(ranked.map((s) => [s.item, s.weightedOrders]));
  const keep = (self: string | null, ids: Iterable<ItemKey>) => {
    const out: string[] = [];
    for (const raw of ids) {
      const id = String(raw);
      if (id !== self && buyable.has(id) && !out.includes(id)) out.push(id);
      if (out.length === size) break;
    }
    return out;
  };

  const together = model ? allComplements(model, indexNeighbours(model), { limit: size * 2, minOrders: TOGETHER_MIN_ORDERS }) : new Map();
  const buyableCatalog = catalog.filter((p) => p.available);
  const products: StorefrontWindows["products"] = new Map();
  for (const product of catalog) {
    const id = String(product.id);
    const windows: Partial<Record<ProductWindow, string[]>> = {};
    const companions = keep(id, (together.get(product.id) ?? []).map((c: { item: ItemKey }) => c.item));
    if (companions.length) windows.together = companions;
    const similar = keep(id, similarProducts(product, buyableCatalog, { limit: size + 1, popularity }).map((s) => s.item));
    if (similar.length) windows.similar = similar;
    if (windows.together || windows.similar) products.set(id, windows);
  }
  const onSale = new Set(catalog.filter((p) => p.onSale).map((p) => String(p.id)));
  // On offer: best sellers first, then the rest of the catalog's sale items in its order.
  const saleOrder = [...ranked.map((s) => String(s.item)).filter((id) => onSale.has(id)), ...onSale];
  return { products, shop: { best_sellers: keep(null, ranked.map((s) => s.item)), on_offer: keep(null, saleOrder) } };
}
