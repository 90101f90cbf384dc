// The catalogue as the recommender needs it: ids, grouping (type, collections, tags) and
// prices in minor units. The shell maps the mirrored Product/Variant rows onto this.
import type { ItemKey } from "./baskets.ts";

export interface CatalogVariant {
  id: ItemKey;
  /** Minor units of the shop currency. */
  price: number;
  options: { name: string; value: string }[];
}

export interface CatalogProduct {
  id: ItemKey;
  title?: string;
  productType?: string;
  collections?: ItemKey[];
  tags?: string[];
  variants: CatalogVariant[];
}

/** The product's "from" price: its cheapest variant (minor units). */
export function fromPrice(product: CatalogProduct): number {
  return product.variants.reduce((min, v) => Math.min(min, v.price), Number.POSITIVE_INFINITY);
}
