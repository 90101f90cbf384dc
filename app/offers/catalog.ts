// The slice of the catalog offers are decided on: what a product is (for targeting), what
// its variants cost per currency and whether they can be bought. Built from the synced
// mirror by the shell; plain data here.
import type { PerCurrency } from "./model.ts";

export interface CatalogVariant {
  id: string;
  productId: string;
  title: string;
  /** Prices known per currency, minor units; a missing currency cannot be offered in. */
  prices: PerCurrency;
  available: boolean;
}

export interface CatalogProduct {
  id: string;
  title: string;
  /** The storefront finds a product by its handle (Liquid's `all_products[handle]`). */
  handle: string;
  collectionIds: string[];
  tags: string[];
  vendor: string;
  productType: string;
  variants: CatalogVariant[];
  /** The product's featured image: what a merged bundle's line shows at checkout. */
  imageUrl?: string | null;
}

export interface OfferCatalog {
  product(id: string): CatalogProduct | undefined;
  variant(id: string): CatalogVariant | undefined;
  /** Products of a collection, in catalog order. */
  collectionProducts(collectionId: string): string[];
  /** What the shop's orders say is bought with a product, best first (empty if not learned). */
  learnedCompanions(productId: string): string[];
  /** Dearer products that customers of a product moved up to later, most customers first. */
  learnedUpgrades(productId: string): string[];
}

/** What the shop's orders taught, by product: its companions and what its buyers moved up to. */
export interface Learned {
  companions?: ReadonlyMap<string, string[]>;
  upgrades?: ReadonlyMap<string, string[]>;
}

export function catalogOf(products: CatalogProduct[], learned: Learned = {}): OfferCatalog {
  const byId = new Map(products.map((p) => [p.id, p]));
  const variants = new Map(products.flatMap((p) => p.variants.map((v) => [v.id, v] as const)));
  const collections = new Map<string, string[]>();
  for (const product of products) {
    for (const id of product.collectionIds) {
      let members = collections.get(id);
      if (!members) collections.set(id, (members = []));
      members.push(product.id);
    }
  }
  return {
    product: (id) => byId.get(id),
    variant: (id) => variants.get(id),
    collectionProducts: (id) => collections.get(id) ?? [],
    learnedCompanions: (id) => learned.companions?.get(id) ?? [],
    learnedUpgrades: (id) => learned.upgrades?.get(id) ?? [],
  };
}

/** The variant to propose: the one named, or the product's first that can be bought. */
export function chooseVariant(catalog: OfferCatalog, productId: string, variantId: string | null): CatalogVariant | undefined {
  if (variantId) {
    const variant = catalog.variant(variantId);
    return variant?.productId === productId && variant.available ? variant : undefined;
  }
  return catalog.product(productId)?.variants.find((v) => v.available);
}
